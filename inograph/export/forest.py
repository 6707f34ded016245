"""Forest plots of the between-arm effects: hazard ratios and rate differences, with their CIs.

One plot per (measure, endpoint): every publication and data cutoff that reports the effect
of one arm against another gets a row, so the plot shows how an estimate moved from the
primary report to the final one and what a review restated.  Only results with both an arm
and a comparator and a printed CI are plotted; a rate difference is a ``difference`` in
percentage points (an RMST gain in months is not a rate).  Within-arm Cox covariate hazard
ratios (arm set, no comparator) are left out: their reference is a covariate level, not the
other arm.

The same statement printed twice in one publication (abstract and results) is drawn once,
with both result ids kept.  Labels name the arms, the CI level of each row (95% or 97.5%),
the analysis kind of each row (primary, sensitivity, post-hoc, subgroup, ...), the sidedness of
its P value, and the side each direction favours, so a figure can go into a report unchanged.
Numbers are written as the publication printed them ("0.70 (97.5% CI 0.50–0.99)").  Design
assumptions (the hazard ratio of 0.67 a sample size was calculated for) are never plotted: they
are not observed estimates.  Each row ends
with the statistical check findings on its numbers (``[checks ok]``, or the checks that were not
consistent), as ``inograph check-stats`` wrote them into the graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

from inograph.atomic import write_files_together
from inograph.export.records import EvidenceTable, ResultRecord, format_number
from inograph.plain_text import plain_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "ForestPlot",
    "ForestRow",
    "ImageFormat",
    "check_text",
    "draw_forest",
    "forest_plots",
    "render_forest",
    "write_forest_plots",
]

RATE_DIFFERENCE_UNIT: Final = "percentage points"
_MEASURE_NAMES: Final = {"hazard_ratio": "Hazard ratio", "difference": "Rate difference"}


class ImageFormat(StrEnum):
    """The image formats of the plots; the value is the file extension."""

    PNG = "png"
    SVG = "svg"


@dataclass(frozen=True)
class ForestRow:
    """One plotted estimate: the point, its CI, and what the row label says."""

    result_ids: tuple[str, ...]
    publication: str
    population: str
    cutoff: str
    value: Decimal
    ci_lower: Decimal
    ci_upper: Decimal
    ci_level: Decimal | None
    p_value: str | None
    label: str
    analysis: str | None = None
    p_sided: str | None = None
    printed: tuple[str | None, str | None, str | None] = (None, None, None)  # value, CI bounds
    checks: str = ""  # the statistical check findings in short: "checks ok", "check: …"

    @property
    def estimate_text(self) -> str:
        """``0.70 (97.5% CI 0.50–0.99)``, the numbers as printed, in the right-hand column."""
        level = f"{format_number(self.ci_level)}% CI " if self.ci_level is not None else "CI "
        value, lower, upper = (
            printed or format_number(number)
            for printed, number in zip(self.printed, (self.value, self.ci_lower, self.ci_upper), strict=True)
        )
        return f"{value} ({level}{lower}\u2013{upper})"


@dataclass(frozen=True)
class ForestPlot:
    """One forest plot: its rows top to bottom and the texts drawn around them."""

    measure: str
    endpoint: str
    title: str
    x_label: str
    reference: float
    log_scale: bool
    favours_left: str
    favours_right: str
    rows: tuple[ForestRow, ...]

    @property
    def file_stem(self) -> str:
        return f"forest-{self.measure.replace('_', '-')}-{self.endpoint}"


def _short(text: str, width: int = 58) -> str:
    text = text.split(" (")[0]
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _plottable(r: ResultRecord) -> bool:
    if r.analysis == "design-assumption":
        return False
    if r.arm is None or r.comparator is None or r.value is None:
        return False
    if r.ci_lower is None or r.ci_upper is None:
        return False
    if r.measure == "hazard_ratio":
        return True
    return r.measure == "difference" and r.unit == RATE_DIFFERENCE_UNIT


def forest_plots(table: EvidenceTable) -> list[ForestPlot]:
    """The forest plots the evidence supports, ordered by measure then endpoint id."""
    groups: dict[tuple[str, str, str, str], list[ResultRecord]] = {}
    for r in table.results:
        if _plottable(r):
            groups.setdefault((r.measure, r.endpoint, r.arm or "", r.comparator or ""), []).append(r)
    year = {e.id: e.detail or "" for e in table.of_kind("publication")}
    plots = []
    for (measure, endpoint, arm, comparator), records in sorted(groups.items()):
        merged: dict[tuple[object, ...], list[ResultRecord]] = {}
        for r in records:
            key = (
                r.publication,
                r.population,
                r.cutoff_id,
                r.value,
                r.ci_lower,
                r.ci_upper,
                r.ci_level,
                r.p_value,
                r.p_sided,
                r.analysis,
            )
            merged.setdefault(key, []).append(r)
        rows = []
        for same in merged.values():
            r = same[0]
            cutoff = r.cutoff or table.label("cutoff", r.cutoff_id) or "cutoff not stated"
            population = _short(table.label("population", r.population)) or "population not stated"
            if r.setting:
                population += f" ({_short(r.setting, 40)})"
            population = plain_text(population) or population
            rows.append(
                ForestRow(
                    result_ids=tuple(x.result_id for x in same),
                    publication=r.publication,
                    population=population,
                    cutoff=cutoff,
                    value=r.value or Decimal(0),
                    ci_lower=r.ci_lower or Decimal(0),
                    ci_upper=r.ci_upper or Decimal(0),
                    ci_level=r.ci_level,
                    p_value=r.p_value,
                    label=f"{r.publication} ({year.get(r.publication, '')}) \u00b7 {population} "
                    f"\u00b7 cutoff {cutoff}" + (f" \u00b7 {r.analysis}" if r.analysis else ""),
                    analysis=r.analysis,
                    p_sided=r.p_sided,
                    printed=(r.value_as_printed, r.ci_lower_as_printed, r.ci_upper_as_printed),
                    checks=check_text(same),
                )
            )
        rows.sort(key=lambda x: (x.cutoff, year.get(x.publication, ""), x.publication, x.population))
        arm_label, comparator_label = (
            _short(table.label("arm", arm), 40),
            _short(table.label("arm", comparator), 40),
        )
        hazard = measure == "hazard_ratio"
        plots.append(
            ForestPlot(
                measure=measure,
                endpoint=endpoint,
                title=f"{table.label('endpoint', endpoint)}: {_MEASURE_NAMES[measure].lower()}, "
                f"{arm_label} vs {comparator_label}",
                x_label="Hazard ratio (log scale) with confidence interval"
                if hazard
                else "Difference in percentage points with confidence interval",
                reference=1.0 if hazard else 0.0,
                log_scale=hazard,
                favours_left=f"favours {arm_label}" if hazard else f"favours {comparator_label}",
                favours_right=f"favours {comparator_label}" if hazard else f"favours {arm_label}",
                rows=tuple(rows),
            )
        )
    return plots


def check_text(records: Sequence[ResultRecord]) -> str:
    """The check findings of a row in short (``inograph check-stats``): ``checks ok`` when every
    finding on its results is consistent, else the others (``check: hr-p-from-ci inconsistent``).
    """
    items = [i for r in records if r.checks for i in r.checks.split("; ")]
    if not items:
        return ""
    flagged = sorted(
        {
            i.split(" \u00d7")[0].replace(": ", " ")
            for i in items
            if not i.split(": ", 1)[1].startswith("consistent")
        }
    )
    return "check: " + ", ".join(flagged) if flagged else "checks ok"


def _p_text(p_value: str | None, p_sided: str | None = None) -> str:
    """``   P = 0.0105, one-sided``: the printed P with its sidedness ("sidedness not stated")."""
    if not p_value:
        return ""
    relation = p_value[0] if p_value[0] in "<>\u2264\u2265" else "="
    number = p_value[1:] if relation != "=" else p_value
    if number.startswith("="):
        relation, number = {"<": "\u2264", ">": "\u2265"}[relation], number[1:]
    sided = f"{p_sided}-sided" if p_sided else "sidedness not stated"
    return f"   P {relation} {number}, {sided}"


_RC: Final = {"svg.fonttype": "none", "svg.hashsalt": "inograph", "font.size": 9}


def draw_forest(plot: ForestPlot) -> Figure:
    """The matplotlib figure of ``plot`` (not attached to pyplot, so nothing leaks between calls).

    Row *i* from the top is drawn at y = len(rows) - i: a square at the estimate and a line
    from ``ci_lower`` to ``ci_upper``.
    """
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = plot.rows
    height = 1.2 + 0.4 * len(rows)
    with rc_context(cast(Any, _RC)):
        fig = Figure(figsize=(5.0, height))
        FigureCanvasAgg(fig)  # the Agg backend, whatever pyplot's backend is
        ax = fig.add_axes((0.0, 0.9 / height, 1.0, 1 - 1.3 / height))
        ys = list(range(len(rows), 0, -1))
        for y, row in zip(ys, rows, strict=True):
            ax.plot([float(row.ci_lower), float(row.ci_upper)], [y, y], color="black", lw=1.2)
            ax.plot([float(row.value)], [y], marker="s", color="black", markersize=6)
            ax.annotate(
                row.label,
                xy=(0, y),
                xycoords=("axes fraction", "data"),
                xytext=(-8, 0),
                textcoords="offset points",
                ha="right",
                va="center",
            )
            ax.annotate(
                row.estimate_text
                + _p_text(row.p_value, row.p_sided)
                + (f"   [{row.checks}]" if row.checks else ""),
                xy=(1, y),
                xycoords=("axes fraction", "data"),
                xytext=(8, 0),
                textcoords="offset points",
                ha="left",
                va="center",
            )
        ax.axvline(plot.reference, color="grey", ls="--", lw=1)
        if plot.log_scale:
            from matplotlib.ticker import FixedLocator, NullLocator, ScalarFormatter

            ax.set_xscale("log")
            low = min(min(float(r.ci_lower) for r in rows) * 0.8, 0.8)
            high = max(max(float(r.ci_upper) for r in rows) * 1.25, 1.25)
            ax.set_xlim(low, high)
            ticks = [0.1, 0.2, 0.5, 1, 2, 5, 10]
            ax.xaxis.set_major_locator(FixedLocator([t for t in ticks if low <= t <= high]))
            ax.xaxis.set_major_formatter(ScalarFormatter())
            ax.xaxis.set_minor_locator(NullLocator())
        else:
            low = min(min(float(r.ci_lower) for r in rows), 0.0)
            high = max(max(float(r.ci_upper) for r in rows), 0.0)
            pad = (high - low) * 0.08 or 1.0
            ax.set_xlim(low - pad, high + pad)
        ax.set_ylim(0.4, len(rows) + 0.6)
        ax.set_yticks([])
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel(plot.x_label)
        ax.set_title(plot.title, fontsize=10, fontweight="bold", pad=12)
        for x, text, align in (
            (0.0, "\u2190 " + plot.favours_left, "left"),
            (1.0, plot.favours_right + " \u2192", "right"),
        ):
            ax.annotate(
                text,
                xy=(x, 0),
                xycoords="axes fraction",
                xytext=(0, -40),
                textcoords="offset points",
                ha=align,
                va="top",
                fontsize=8,
            )
        ax.annotate(
            f"Squares: estimates; lines: confidence intervals at the level shown per row; "
            f"dashed line: no difference ({plot.reference:g}).",
            xy=(0.5, 0),
            xycoords="axes fraction",
            xytext=(0, -56),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=7.5,
            color="dimgray",
        )
    return fig


def render_forest(plot: ForestPlot, fmt: ImageFormat) -> bytes:
    """Draw ``plot`` with matplotlib's Agg backend and return the PNG or SVG bytes.

    SVG text stays text (``svg.fonttype: none``) so the labels are searchable and editable;
    no date is written, so the same plot gives the same bytes.
    """
    import io

    from matplotlib import rc_context

    fig = draw_forest(plot)
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt is ImageFormat.SVG else {"Software": None}
    with rc_context(cast(Any, _RC)):
        fig.savefig(
            buffer, format=fmt.value, dpi=200, metadata=metadata, bbox_inches="tight", pad_inches=0.15
        )
    return buffer.getvalue()


def write_forest_plots(table: EvidenceTable, out_dir: Path, formats: Sequence[ImageFormat]) -> list[Path]:
    """Write every forest plot into ``out_dir`` in each format; return the files written.

    All plots are rendered before any file is written, and then replaced together.
    """
    contents = {
        Path(out_dir) / f"{plot.file_stem}.{fmt.value}": render_forest(plot, fmt)
        for plot in forest_plots(table)
        for fmt in formats
    }
    write_files_together(contents)
    return list(contents)
