"""Forest plots: which estimates are plotted, where, and what the figure says about them."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from inograph.build import BuiltDataset
from inograph.export.forest import (
    GROUPS,
    ForestPlot,
    ForestRow,
    ImageFormat,
    draw_forest,
    forest_plots,
    render_forest,
    write_forest_plots,
)
from inograph.export.records import EvidenceTable, read_evidence_table

OUTPUT = Path(__file__).resolve().parent.parent / "test-output" / "forest"


@pytest.fixture(scope="module")
def table(built: BuiltDataset) -> EvidenceTable:
    return read_evidence_table(built.dataset)


@pytest.fixture(scope="module")
def plots(table: EvidenceTable) -> dict[str, ForestPlot]:
    return {p.file_stem: p for p in forest_plots(table)}


def test_one_plot_per_measure_and_endpoint(plots: dict[str, ForestPlot]) -> None:
    assert sorted(plots) == [
        "forest-difference-cr",
        "forest-difference-cr-cri",
        "forest-difference-cri",
        "forest-difference-mrd-negativity",
        "forest-hazard-ratio-os",
        "forest-hazard-ratio-pfs",
        "forest-hazard-ratio-remission-duration",
    ]


def test_overall_survival_hazard_ratios_across_reports_and_cutoffs(
    plots: dict[str, ForestPlot],
) -> None:
    plot = plots["forest-hazard-ratio-os"]
    assert plot.title == ("Overall survival: hazard ratio, Inotuzumab ozogamicin vs Standard therapy")
    assert (plot.reference, plot.log_scale) == (1.0, True)
    assert (plot.favours_left, plot.favours_right) == (
        "favours Inotuzumab ozogamicin", "favours Standard therapy"
    )  # fmt: skip
    # (a result the row stands for, group, cutoff, HR, CI, level), top to bottom; an abstract
    # repeating the same statement is merged into its row, so the row may stand for more ids
    primary, sensitivity, subgroups, restatements = GROUPS
    expected = [
        ("kantarjian2016-res-os-hr", primary, "2016-03-08", "0.77", "0.58", "1.03", "97.5"),
        ("kantarjian2019-os-hr", primary, "2017-01-04", "0.75", "0.57", "0.99", "97.5"),
        ("kantarjian2019-os-hr-cens-salvage", sensitivity, "2017-01-04", "0.71", "0.51", "0.97", "97.5"),
        ("kantarjian2019-os-hr-cens-hsct", sensitivity, "2017-01-04", "0.7", "0.5", "0.99", "97.5"),
        ("kantarjian2019-os-hr-phneg", subgroups, "2017-01-04", "0.68", "0.51", "0.92", "97.5"),
        ("kantarjian2019-os-hr-t411", subgroups, "2017-01-04", "1.42", "0.36", "5.62", "97.5"),
        # the final report restating the primary report's 0.77: same population, cutoff, CI
        ("kantarjian2019-prior-os-hr", restatements, "2016-03-08", "0.77", "0.58", "1.03", "97.5"),
    ]
    assert len(plot.rows) == len(expected)
    for row, (ident, group, cutoff, *numbers) in zip(plot.rows, expected, strict=True):
        assert ident in row.result_ids
        assert (row.group, row.cutoff, row.value, row.ci_lower, row.ci_upper, row.ci_level) == (
            group, cutoff, *map(Decimal, numbers)
        )  # fmt: skip
    assert plot.rows[0].result_ids == ("kantarjian2016-abs-os-hr", "kantarjian2016-res-os-hr")
    assert [kind for kind, _ in plot.layout()] == ["header", "row", "row", "header", "row", "row",
                                                   "header", "row", "row", "header", "row"]  # fmt: skip
    assert plot.rows[1].label == (
        "kantarjian2019 (2019) \u00b7 Intention-to-treat population \u00b7 cutoff 2017-01-04 \u00b7 primary"
    )
    assert plot.rows[1].estimate_text == "0.75 (97.5% CI 0.57\u20130.99)"
    # printed "(stratified HR, 0.70 [97.5% CI, 0.50-0.99]": the zeros stay in the label
    assert plot.rows[3].estimate_text == "0.70 (97.5% CI 0.50\u20130.99)"
    assert plot.rows[3].population == "Intention-to-treat population (OS censored at the date of any HSCT)"
    # P with its sidedness: NEJM "P=0.04" two-sided; 2019 "1-sided P = .0105"; subgroups print none
    assert [r.p_text for r in plot.rows] == [
        "P = 0.04 (two-sided)", "P = 0.0105 (one-sided)", "P = 0.0062 (one-sided)", "P = 0.0095 (one-sided)",
        "P not reported", "P not reported", "P = 0.04 (two-sided)",
    ]  # fmt: skip
    # arm sizes of the ITT population (164 vs 162 randomised in the final report's Table 1)
    assert [(r.arm_events, r.comparator_events) for r in plot.rows] == [("N = 164", "N = 162")] * 4 + [
        ("\u2013", "\u2013")
    ] * 2 + [("N = 164", "N = 162")]
    # check-stats beside each row: the OS hazard ratios' CIs are symmetric on the log scale and
    # their P values agree with the CIs (hr-ci-log-symmetry, hr-p-from-ci)
    assert {r.checks_text for r in plot.rows if r.ci_level is not None} <= {"consistent", "none run"}
    assert plot.rows[1].checks_text == "consistent"
    assert "hr-p-from-ci: consistent" in (plot.rows[1].checks or "")
    assert plot.note == (
        "No pooled estimate: only one trial (INO-VATE ALL) reports this comparison; "
        "the rows are reports, cutoffs and analyses of the same patients."
    )


def test_rate_differences_carry_events_per_arm(plots: dict[str, ForestPlot]) -> None:
    # NEJM Table 2: CR/CRi 88/109 (80.7%) vs 32/109 (29.4%), difference 51.4 (97.5% CI 38.4-64.3)
    (row,) = plots["forest-difference-cr-cri"].rows
    assert (row.arm_events, row.comparator_events, row.estimate_text) == (
        "88/109", "32/109", "51.4 (97.5% CI 38.4\u201364.3)"
    )  # fmt: skip
    mrd = plots["forest-difference-mrd-negativity"]
    assert [(r.arm_events, r.comparator_events) for r in mrd.rows] == [
        ("35/39", "6/19"),
        ("69/88", "9/32"),
        ("34/49", "3/13"),
    ]


def test_design_assumptions_are_never_plotted(table: EvidenceTable) -> None:
    observed = next(r for r in table.results if r.result_id == "kantarjian2019-os-hr")
    assumed = replace(observed, result_id="x-assumed-hr", value=Decimal("0.67"), analysis="design-assumption")
    plots = forest_plots(EvidenceTable((observed, assumed), table.entities))
    assert [r.result_ids for p in plots for r in p.rows] == [("kantarjian2019-os-hr",)]


def test_rate_differences_mix_ci_levels_per_row(plots: dict[str, ForestPlot]) -> None:
    plot = plots["forest-difference-cr-cri"]
    assert (plot.reference, plot.log_scale) == (0.0, False)
    assert plot.x_label == "Difference in percentage points with confidence interval"
    assert [(r.result_ids, r.value, r.ci_lower, r.ci_upper) for r in plot.rows] == [
        (("kantarjian2016-t2-crcri-diff",), Decimal("51.4"), Decimal("38.4"), Decimal("64.3"))
    ]
    dor = plots["forest-hazard-ratio-remission-duration"]
    assert [r.estimate_text for r in dor.rows] == [
        "0.55 (95% CI 0.31\u20130.96)",
        "0.62 (95% CI 0.42\u20130.91)",
    ]


def test_within_arm_cox_ratios_are_not_plotted(plots: dict[str, ForestPlot]) -> None:
    plotted = {i for p in plots.values() for r in p.rows for i in r.result_ids}
    assert "kantarjian2019-t3-mrd-ino" not in plotted  # arm set, no comparator
    assert "kantarjian2019-rmst-gain" not in plotted  # a difference in months, no CI


def test_the_figure_draws_each_row_at_its_values(plots: dict[str, ForestPlot]) -> None:
    plot = plots["forest-hazard-ratio-os"]
    ax = draw_forest(plot).axes[0]
    drawn = [(tuple(line.get_xdata()), tuple(line.get_ydata())) for line in ax.lines]
    lines = plot.layout()
    expected = []
    for y, (kind, row) in zip(range(len(lines), 0, -1), lines, strict=True):
        if kind == "row":
            assert isinstance(row, ForestRow)
            expected.append(((float(row.ci_lower), float(row.ci_upper)), (y, y)))
            expected.append(((float(row.value),), (y,)))
    expected.append(((1.0, 1.0), (0.0, 1.0)))  # the reference line (axes coordinates in y)
    assert drawn == expected
    assert ax.get_xscale() == "log"
    assert ax.get_xlabel() == "Hazard ratio (log scale) with confidence interval"


def test_svg_carries_the_columns_as_text(plots: dict[str, ForestPlot]) -> None:
    svg = render_forest(plots["forest-hazard-ratio-os"], ImageFormat.SVG).decode("utf-8")
    for text in (
        "Overall survival: hazard ratio, Inotuzumab ozogamicin vs Standard therapy",
        "Primary and secondary end points",
        "Sensitivity and post hoc analyses",
        "Subgroups",
        "Restatements of earlier reports",
        "kantarjian2016 (2016)",
        "Intention-to-treat population \u00b7 primary",
        "0.75 (97.5% CI 0.57\u20130.99)",
        "P = 0.0105 (one-sided)",
        "Checks",
        "consistent",
        "0.77 (97.5% CI 0.58\u20131.03)",
        "P = 0.04 (two-sided)",
        "N = 164",
        "Hazard ratio (log scale) with confidence interval",
        "\u2190 favours Inotuzumab ozogamicin",
        "favours Standard therapy \u2192",
        "No pooled estimate: only one trial (INO-VATE ALL) reports this comparison",
    ):
        assert text in svg, text
    assert render_forest(plots["forest-hazard-ratio-os"], ImageFormat.SVG).decode() == svg


def test_no_wasted_margin(plots: dict[str, ForestPlot]) -> None:
    """The text columns and the plot fill the figure: nothing drawn leaves more than 0.3 inch blank."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    for plot in plots.values():
        fig = draw_forest(plot)
        renderer = FigureCanvasAgg(fig).get_renderer()
        boxes = [t.get_window_extent(renderer) for t in fig.texts] + [fig.axes[0].get_tightbbox(renderer)]
        right = max(b.x1 for b in boxes) / fig.dpi
        left = min(b.x0 for b in boxes) / fig.dpi
        width = fig.get_figwidth()
        assert left < 0.3 and width - right < 0.3, (plot.file_stem, left, width - right)


def test_files_written_for_the_report(table: EvidenceTable) -> None:
    written = write_forest_plots(table, OUTPUT, [ImageFormat.PNG, ImageFormat.SVG])
    assert sorted(p.name for p in written) == sorted(
        f"{stem}.{ext}" for stem in (p.file_stem for p in forest_plots(table)) for ext in ("png", "svg")
    )
    png = (OUTPUT / "forest-hazard-ratio-os.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width > 2000 and height > 600  # 200 dpi: sharp enough for print
