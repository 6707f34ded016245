"""Forest plots of the between-arm effects: hazard ratios and rate differences, with their CIs.

Drawn as reviewers draw them (RevMan, metafor): a table of text columns beside the plot --
report, population and analysis, cutoff, events/N of each arm where the evidence table knows
them, the estimate and CI *as printed* (trailing zeros kept, CI level per row), the P value with
its sidedness -- and rows grouped under headers: primary and secondary end points, sensitivity
and post hoc analyses, subgroups, restatements (the same estimate printed again by a later
report: same value, CI, population and cutoff as an earlier publication's row, or a figure
restated from a cited work).  Nothing is pooled: every plot says so, and why (one trial, so the
rows are reports, cutoffs and analyses of the same patients).  The figure is exactly as wide as
its columns (text measured with the renderer), so no margin is wasted.

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
are not observed estimates.
"""

from __future__ import annotations

from collections import Counter
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
    "GROUPS",
    "ForestPlot",
    "ForestRow",
    "ImageFormat",
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


GROUPS: Final = (
    "Primary and secondary end points",
    "Sensitivity and post hoc analyses",
    "Subgroups",
    "Restatements of earlier reports",
)
_GROUP_OF: Final = {
    "primary": GROUPS[0],
    "secondary": GROUPS[0],
    "descriptive": GROUPS[0],
    "sensitivity": GROUPS[1],
    "post-hoc": GROUPS[1],
    "exploratory": GROUPS[1],
    "subgroup": GROUPS[2],
}


@dataclass(frozen=True)
class ForestRow:
    """One plotted estimate: the point, its CI, and what the row's text columns say."""

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
    group: str = GROUPS[0]
    arm_events: str = "–"  # "88/109", "N = 164", or a dash when the table has neither
    comparator_events: str = "–"
    year: str = ""
    trial: str = ""
    checks: str | None = None  # the check-stats findings on its results ("check: verdict; ...")

    @property
    def checks_text(self) -> str:
        """What `inograph check-stats` concluded about the row's numbers, in one word or two."""
        if not self.checks:
            return "none run"
        if "inconsistent" in self.checks:
            return "inconsistent (see trace)"
        if "consistent" in self.checks.replace("inconsistent", ""):
            return "consistent"
        return "not checkable"

    @property
    def estimate_text(self) -> str:
        """``0.70 (97.5% CI 0.50–0.99)``, the numbers as printed, in the right-hand column."""
        level = f"{format_number(self.ci_level)}% CI " if self.ci_level is not None else "CI "
        value, lower, upper = (
            printed or format_number(number)
            for printed, number in zip(self.printed, (self.value, self.ci_lower, self.ci_upper), strict=True)
        )
        return f"{value} ({level}{lower}\u2013{upper})"

    @property
    def p_text(self) -> str:
        """``P = 0.0105 (one-sided)``; ``P not reported`` when the row has none."""
        return _p_text(self.p_value, self.p_sided) or "P not reported"


@dataclass(frozen=True)
class ForestPlot:
    """One forest plot: its rows top to bottom (grouped) and the texts drawn around them."""

    measure: str
    endpoint: str
    title: str
    x_label: str
    reference: float
    log_scale: bool
    favours_left: str
    favours_right: str
    rows: tuple[ForestRow, ...]
    arm_label: str = ""
    comparator_label: str = ""
    note: str = ""

    @property
    def file_stem(self) -> str:
        return f"forest-{self.measure.replace('_', '-')}-{self.endpoint}"

    def layout(self) -> list[tuple[str, ForestRow | str]]:
        """Top to bottom: ``("header", group)`` and ``("row", row)`` lines, groups in :data:`GROUPS` order."""
        lines: list[tuple[str, ForestRow | str]] = []
        for group in GROUPS:
            mine = [r for r in self.rows if r.group == group]
            if mine:
                lines.append(("header", group))
                lines.extend(("row", r) for r in mine)
        return lines


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


def _events(table: EvidenceTable, r: ResultRecord, arm: str) -> str:
    """``n/N`` of ``arm`` for the same endpoint, population and cutoff (same report first), else ``N = ``."""
    same = [
        x
        for x in table.results
        if x.arm == arm
        and x.comparator is None
        and (x.endpoint, x.population, x.cutoff_id) == (r.endpoint, r.population, r.cutoff_id)
        and x.category is None
        and x.setting == r.setting
        and x.N is not None
    ]
    same.sort(key=lambda x: (x.publication != r.publication, x.n is None, x.result_id))
    if same and same[0].n is not None and same[0].measure in ("percentage", "count"):
        return f"{same[0].n}/{same[0].N}"
    # the arm's size in this population at this cutoff, from any of its results (the most common N)
    sizes = Counter(
        x.N
        for x in table.results
        if x.arm == arm
        and x.comparator is None
        and (x.population, x.cutoff_id) == (r.population, r.cutoff_id)
        and x.N is not None and x.n is None
    )  # fmt: skip
    if same:
        return f"N = {same[0].N}"
    return f"N = {sizes.most_common(1)[0][0]}" if sizes else "\u2013"


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
        firsts = [same[0] for same in merged.values()]
        rows = []
        for same in merged.values():
            r = same[0]
            cutoff = r.cutoff or table.label("cutoff", r.cutoff_id) or "cutoff not stated"
            population = _short(table.label("population", r.population), 90) or "population not stated"
            if r.setting:
                population += f" ({r.setting})"
            population = plain_text(population) or population
            restated = all(x.cited_origin for x in same) or any(
                (o.population, o.cutoff_id, o.value, o.ci_lower, o.ci_upper, o.ci_level)
                == (r.population, r.cutoff_id, r.value, r.ci_lower, r.ci_upper, r.ci_level)
                and year.get(o.publication, "") < year.get(r.publication, "")
                for o in firsts
            )
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
                    group=GROUPS[3] if restated else _GROUP_OF.get(r.analysis or "", GROUPS[0]),
                    arm_events=_events(table, r, r.arm or ""),
                    comparator_events=_events(table, r, r.comparator or ""),
                    year=year.get(r.publication, ""),
                    trial=r.trial or "",
                    checks="; ".join(x.checks for x in same if x.checks) or None,
                )
            )
        rows.sort(key=lambda x: (GROUPS.index(x.group), x.cutoff, x.year, x.publication, x.population))
        arm_label, comparator_label = (
            _short(table.label("arm", arm), 40),
            _short(table.label("arm", comparator), 40),
        )
        trials = sorted({r.trial for r in rows if r.trial})
        if len(trials) == 1:
            note = (
                f"No pooled estimate: only one trial ({table.label('trial', trials[0])}) "
                "reports this comparison; "
                "the rows are reports, cutoffs and analyses of the same patients."
            )
        else:
            note = "No pooled estimate is drawn: the rows are not independent studies."
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
                arm_label=arm_label,
                comparator_label=comparator_label,
                note=note,
            )
        )
    return plots


def _p_text(p_value: str | None, p_sided: str | None = None) -> str:
    """``P = 0.0105 (one-sided)``: the printed P with its sidedness ("sidedness not stated")."""
    if not p_value:
        return ""
    relation = p_value[0] if p_value[0] in "<>\u2264\u2265" else "="
    number = p_value[1:] if relation != "=" else p_value
    if number.startswith("="):
        relation, number = {"<": "\u2264", ">": "\u2265"}[relation], number[1:]
    sided = f"{p_sided}-sided" if p_sided else "sidedness not stated"
    return f"P {relation} {number} ({sided})"


_RC: Final = {"svg.fonttype": "none", "svg.hashsalt": "inograph", "font.size": 8.5}
_ROW_IN: Final = 0.24  # height of a row, inches
_PLOT_IN: Final = 2.6  # width of the plotting column, inches
_DPI: Final = 200  # the figure is measured and saved at this resolution (text widths depend on it)
_GAP_PX: Final = 0.16 * _DPI  # space between text columns, pixels


def _columns(plot: ForestPlot) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
    """(left, right) text columns: a heading and one cell per layout line (headers blank)."""
    lines = plot.layout()

    def cells(get: Any) -> list[str]:
        return [get(item) if kind == "row" else "" for kind, item in lines]

    left = [
        ("Report", cells(lambda r: f"{r.publication} ({r.year})")),
        (
            "Population \u00b7 analysis",
            cells(lambda r: f"{r.population} \u00b7 {r.analysis or 'analysis not stated'}"),
        ),
        ("Cutoff", cells(lambda r: r.cutoff)),
        (_short(plot.arm_label, 24) + "\nn/N", cells(lambda r: r.arm_events)),
        (_short(plot.comparator_label, 24) + "\nn/N", cells(lambda r: r.comparator_events)),
    ]
    right = [
        ("Estimate (CI) as printed", cells(lambda r: r.estimate_text)),
        ("P (sidedness)", cells(lambda r: r.p_text)),
        ("Checks", cells(lambda r: r.checks_text)),
    ]
    return left, right


def draw_forest(plot: ForestPlot) -> Figure:
    """The matplotlib figure of ``plot`` (not attached to pyplot, so nothing leaks between calls).

    Layout line *i* from the top (group headers included, see :meth:`ForestPlot.layout`) is
    drawn at y = len(lines) - i: a square at the estimate and a line from ``ci_lower`` to
    ``ci_upper``.  Text columns are measured with the renderer and the figure is sized to them.
    """
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    lines = plot.layout()
    n = len(lines)
    left, right = _columns(plot)
    top_in, bottom_in = 0.75, 0.95
    height = top_in + bottom_in + _ROW_IN * n
    with rc_context(cast(Any, _RC)):
        fig = Figure(figsize=(10.0, height), dpi=_DPI)
        FigureCanvasAgg(fig)  # the Agg backend, whatever pyplot's backend is
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]

        def width_px(texts: list[str], bold: bool = False) -> float:
            widest = 0.0
            for text in texts:
                if not text:
                    continue
                t = fig.text(0, 0, text, fontweight="bold" if bold else "normal")
                widest = max(widest, t.get_window_extent(renderer).width * 1.02)
                t.remove()
            return widest

        left_w = [max(width_px(c), width_px([h], True)) for h, c in left]
        right_w = [max(width_px(c), width_px([h], True)) for h, c in right]
        plot_px = _PLOT_IN * fig.dpi
        total = sum(left_w) + sum(right_w) + plot_px + _GAP_PX * (len(left_w) + len(right_w) + 1)
        header_w = width_px([g for kind, g in lines if kind == "header"], True)  # type: ignore[misc]
        title_w = width_px([plot.title], True) * 1.12
        total = max(total, header_w, title_w, width_px([plot.note]) * 0.95)
        fig.set_size_inches(total / fig.dpi, height)
        px = total
        axes_left = sum(left_w) + _GAP_PX * (len(left_w) + 0.5)
        ax = fig.add_axes((axes_left / px, bottom_in / height, plot_px / px, _ROW_IN * n / height))
        ys = list(range(n, 0, -1))

        def y_of(y: int) -> float:  # a line's y in figure fraction (the axes' y limits are 0.4, n + 0.6)
            return (bottom_in + (y - 0.4) / (n + 0.2) * _ROW_IN * n) / height

        def column(x_px: float, heading: str, cells: list[str]) -> None:
            fig.text(x_px / px, (bottom_in + _ROW_IN * n + 0.08) / height, heading, fontweight="bold",
                     va="bottom", ha="left", fontsize=8)  # fmt: skip
            for y, text in zip(ys, cells, strict=True):
                if text:
                    fig.text(x_px / px, y_of(y), text, ha="left", va="center")

        x = _GAP_PX / 2
        for (heading, cells), w in zip(left, left_w, strict=True):
            column(x, heading, cells)
            x += w + _GAP_PX
        x = axes_left + plot_px + _GAP_PX
        for (heading, cells), w in zip(right, right_w, strict=True):
            column(x, heading, cells)
            x += w + _GAP_PX
        for y, (kind, item) in zip(ys, lines, strict=True):
            if kind == "header":
                fig.text(_GAP_PX / 2 / px, y_of(y), str(item), ha="left", va="center", fontweight="bold",
                         fontstyle="italic")  # fmt: skip
                continue
            row = cast(ForestRow, item)
            ax.plot([float(row.ci_lower), float(row.ci_upper)], [y, y], color="black", lw=1.2)
            ax.plot([float(row.value)], [y], marker="s", color="black", markersize=5)
        ax.axvline(plot.reference, color="grey", ls="--", lw=1)
        rows = plot.rows
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
        ax.set_ylim(0.4, n + 0.6)
        ax.set_yticks([])
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel(plot.x_label, fontsize=8)
        fig.text(
            _GAP_PX / 2 / px,
            1 - 0.12 / height,
            plot.title,
            fontsize=10,
            fontweight="bold",
            va="top",
            ha="left",
        )
        # the favours labels meet at the reference line, one on each side of it
        for text, align, shift in (
            ("\u2190 " + plot.favours_left, "right", -4),
            (plot.favours_right + " \u2192", "left", 4),
        ):
            ax.annotate(text, xy=(plot.reference, 0), xycoords=("data", "axes fraction"), xytext=(shift, -30),
                        textcoords="offset points", ha=align, va="top", fontsize=7.5)  # fmt: skip
        fig.text(
            _GAP_PX / 2 / px,
            0.1 / height,
            "Squares: estimates; lines: confidence intervals at the level shown per row; "
            f"dashed line: no difference ({plot.reference:g}).\n{plot.note}",
            fontsize=7.5,
            color="dimgray",
            va="bottom",
            ha="left",
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
            buffer, format=fmt.value, dpi=_DPI, metadata=metadata, bbox_inches="tight", pad_inches=0.15
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
