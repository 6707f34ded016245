"""The evidence table (``inograph export csv``): columns, exact rows, order, and the CLI."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from inograph.build import BuiltDataset, write_dataset
from inograph.cli import main
from inograph.evidence import MEASURES
from inograph.export.records import EvidenceTable, read_evidence_table
from inograph.export.table import COLUMNS, csv_text
from inograph.namespaces import INO, RDF

HEADER = [
    "result_id", "publication", "doi", "trial", "population", "arm", "comparator", "endpoint",
    "measure", "value", "unit", "n", "N", "ci_lower", "ci_upper", "ci_level", "p_value",
    "p_sided", "timepoint", "cutoff", "location", "quote", "cited_origin",
    "value_as_printed", "value_qualifier", "range_lower", "range_upper", "grade", "serious",
    "setting", "category", "analysis", "test", "note", "source_inconsistency", "checks",
]  # fmt: skip


def _blank(**cells: str) -> dict[str, str]:
    row = dict.fromkeys(HEADER, "")
    row.update(cells)
    return row


@pytest.fixture(scope="module")
def table(built: BuiltDataset) -> EvidenceTable:
    return read_evidence_table(built.dataset)


@pytest.fixture(scope="module")
def text(table: EvidenceTable) -> str:
    return csv_text(table)


@pytest.fixture(scope="module")
def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_header_is_exactly_the_documented_columns(text: str) -> None:
    assert list(COLUMNS) == HEADER
    assert next(csv.reader(io.StringIO(text, newline=""))) == HEADER
    assert text.startswith(",".join(HEADER) + "\r\n")


def test_one_row_per_result_in_the_graph(built: BuiltDataset, rows: list[dict[str, str]]) -> None:
    results = set(built.dataset.subjects(RDF.type, INO.Result))
    assert len(rows) == len(results)
    assert len({r["result_id"] for r in rows}) == len(rows)


def test_rows_ordered_by_publication_then_result_id(rows: list[dict[str, str]]) -> None:
    keys = [(r["publication"], r["result_id"]) for r in rows]
    assert keys == sorted(keys)
    assert {r["publication"] for r in rows} == {
        "kantarjian2013",
        "kantarjian2016",
        "kantarjian2019",
        "morley2016",
    }


def test_crcri_rate_of_the_ino_arm_exact_row(rows: list[dict[str, str]]) -> None:
    row = next(r for r in rows if r["result_id"] == "kantarjian2016-abs-crcri-ino")
    assert row == _blank(
        result_id="kantarjian2016-abs-crcri-ino",
        publication="kantarjian2016",
        doi="10.1056/NEJMoa1509277",
        trial="inovate",
        population="inovate-itt218",
        arm="inovate-ino",
        endpoint="cr-cri",
        measure="percentage",
        value="80.7",
        unit="%",
        n="88",
        N="109",
        ci_lower="72.1",
        ci_upper="87.7",
        ci_level="95",
        cutoff="2014-10-02",
        location="Abstract",
        quote="(80.7% [95% confidence interval {CI}, 72.1 to 87.7] vs. 29.4% [95% CI, 21.0 to "
        "38.8], $P<0.001$)",
        value_as_printed="80.7",
        analysis="primary",
        note="n/N from Table 2; restates in the Abstract the result reported in Results",
        checks="percentage-vs-counts: consistent; count-bounds: consistent; estimate-in-ci: consistent; "
        "proportion-ci: consistent; risk-difference: consistent; risk-difference-ci: consistent; "
        "test-from-counts: consistent ×3; printed-twice: consistent ×2",
    )


def test_between_arm_hazard_ratio_exact_row(rows: list[dict[str, str]]) -> None:
    row = next(r for r in rows if r["result_id"] == "kantarjian2019-os-hr")
    assert row == _blank(
        result_id="kantarjian2019-os-hr",
        publication="kantarjian2019",
        doi="10.1002/cncr.32116",
        trial="inovate",
        population="inovate-itt",
        arm="inovate-ino",
        comparator="inovate-soc",
        endpoint="os",
        measure="hazard_ratio",
        value="0.75",
        ci_lower="0.57",
        ci_upper="0.99",
        ci_level="97.5",
        p_value="0.0105",
        p_sided="one",
        cutoff="2017-01-04",
        location="Results: OS",
        quote="(HR, 0.75 [97.5% CI, 0.57-0.99]; 1-sided P = .0105;",
        value_as_printed="0.75",
        analysis="primary",
        test="stratified log-rank",
        note='Also in the abstract ("overall hazard ratio, 0.75; 97.5% CI, 0.57-0.99; 1-sided P = '
        '.0105"). Figure 4 legend: one-sided log-rank test.',
        checks="estimate-in-ci: consistent; hr-ci-log-symmetry: consistent; hr-p-from-ci: consistent; "
        "printed-twice: consistent",
    )


def test_restated_figure_names_its_original_study(rows: list[dict[str, str]]) -> None:
    # the review restates the phase 2 study (kantarjian2013): the cited work's DOI
    row = next(r for r in rows if r["result_id"] == "morley2016-mda-all-cr")
    assert row == _blank(
        result_id="morley2016-mda-all-cr",
        publication="morley2016",
        doi="10.1586/14737140.2016.1131614",
        trial="mda-phase2",
        population="mda-phase2-all",
        endpoint="cr",
        measure="percentage",
        value="19",
        unit="%",
        n="17",
        location="Results of Inotuzumab in Acute Lymphoblastic Leukaemia",
        quote="Overall 17 (19%) experienced a CR",
        cited_origin="10.1002/cncr.28136",
        value_as_printed="19",
        analysis="descriptive",
        note="Both cohorts (90 patients; total not printed).",
        checks="count-denominators: consistent",
    )
    # a cited work without a DOI is named by its citation
    orr = next(r for r in rows if r["result_id"] == "morley2016-abs-orr-phase2")
    assert orr["cited_origin"] == (
        "Kantarjian H, Thomas D, Jorgensen J, et al. Inotuzumab ozogamicin, an "
        "anti-CD22-calicheamicin conjugate, for refractory and relapsed acute lymphocytic "
        "leukaemia: a phase 2 study. Lancet Oncol. 2012;13:403-411."
    )


def test_controlled_values(rows: list[dict[str, str]]) -> None:
    assert {r["measure"] for r in rows} <= set(MEASURES)
    assert {r["cutoff"] for r in rows} == {"", "2014-10-02", "2016-03-08", "2017-01-04"}
    assert {r["p_sided"] for r in rows} <= {"", "one", "two"}
    number = re.compile(r"^-?\d+(\.\d+)?$")
    for column in ("value", "ci_lower", "ci_upper", "ci_level"):
        assert all(number.match(r[column]) for r in rows if r[column]), column
    # as printed: "0.04", "<0.001", and "<=0.004" where the article printed "≤"
    printed = re.compile(r"^(<=|>=|[<>])?\d*\.?\d+$")
    assert all(printed.match(r["p_value"]) for r in rows if r["p_value"])


def test_multiline_quotes_survive_rfc4180_quoting(rows: list[dict[str, str]], text: str) -> None:
    row = next(r for r in rows if r["result_id"] == "kantarjian2019-os-hr-cens-hsct")
    assert row["quote"] == "(stratified HR, 0.70 [97.5% CI, 0.50-0.99]; \n1-sided P = .0095"
    assert '"(stratified HR, 0.70 [97.5% CI, 0.50-0.99]; \n1-sided P = .0095"' in text


def test_deterministic(table: EvidenceTable, text: str) -> None:
    assert csv_text(table) == text


def _run(argv: list[str]) -> int:
    """Run the CLI in-process; its exit code (0 when it returns normally)."""
    try:
        main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_cli_writes_the_table_from_a_published_dataset(
    built: BuiltDataset,
    rows: list[dict[str, str]],
    text: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    trig, _ = write_dataset(built.dataset, tmp_path)
    out = tmp_path / "evidence.csv"
    assert _run(["export", "csv", "--dataset", str(trig), "-o", str(out)]) == 0
    assert out.read_bytes() == text.encode("utf-8")
    assert capsys.readouterr().out.startswith(f"exported {len(rows)} result rows in ")


def test_cli_refuses_a_folder_for_the_table(
    built: BuiltDataset, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trig, _ = write_dataset(built.dataset, tmp_path)
    assert _run(["export", "csv", "--dataset", str(trig), "-o", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"inograph: error: {tmp_path}: is a folder; give a file name for the csv export\n"
    )


def test_trailing_zero_as_printed_sensitivity_analysis_exact_row(rows: list[dict[str, str]]) -> None:
    # 2019 Results: "(stratified HR, 0.70 [97.5% CI, 0.50-0.99]; 1-sided P = .0095" (Figure 8)
    row = next(r for r in rows if r["result_id"] == "kantarjian2019-os-hr-cens-hsct")
    assert row == _blank(
        result_id="kantarjian2019-os-hr-cens-hsct",
        publication="kantarjian2019",
        doi="10.1002/cncr.32116",
        trial="inovate",
        population="inovate-itt",
        arm="inovate-ino",
        comparator="inovate-soc",
        endpoint="os",
        measure="hazard_ratio",
        value="0.7",
        ci_lower="0.5",
        ci_upper="0.99",
        ci_level="97.5",
        p_value="0.0095",
        p_sided="one",
        cutoff="2017-01-04",
        location="Results: OS censored for HSCT",
        quote="(stratified HR, 0.70 [97.5% CI, 0.50-0.99]; \n1-sided P = .0095",
        value_as_printed="0.70",
        setting="OS censored at the date of any HSCT",
        analysis="sensitivity",
        test="stratified log-rank",
        note="Figure 8. Restated in the Discussion (HR, 0.70; P = .0095; median, 6.7 vs 5.5 months).",
        checks="estimate-in-ci: consistent; hr-ci-log-symmetry: consistent; hr-p-from-ci: consistent; "
        "printed-twice: consistent",
    )


def test_qualifier_exact_row(rows: list[dict[str, str]]) -> None:
    # 2013 Discussion: "allowed >40% of patients to proceed to allogeneic SCT"
    row = next(r for r in rows if r["result_id"] == "kantarjian2013-disc-hsct-gt40")
    assert (row["value"], row["value_as_printed"], row["value_qualifier"], row["quote"]) == (
        "40",
        "40",
        ">",
        "allowed >40% of patients to proceed to allogeneic SCT",
    )
    # a P value result takes the printed relation: "$P<0.001$"
    p = next(r for r in rows if r["result_id"] == "kantarjian2016-abs-crcri-p")
    assert (p["p_value"], p["value_qualifier"]) == ("<0.001", "<")
    assert {r["value_qualifier"] for r in rows} == {
        "",
        "<",
        "<=",
        ">",
        ">=",
        "~",
        "at least",
        "at most",
        "nearly",
    }


def test_range_exact_row(rows: list[dict[str, str]]) -> None:
    # 2016 Introduction: "18 to 25% when they are the second salvage therapy"
    row = next(r for r in rows if r["result_id"] == "kantarjian2016-intro-cr-salvage2")
    assert (row["measure"], row["value"], row["range_lower"], row["range_upper"], row["unit"]) == (
        "range",
        "",
        "18",
        "25",
        "%",
    )
    assert row["setting"] == "second salvage, standard chemotherapy"


def test_no_latex_outside_the_quote_column(rows: list[dict[str, str]]) -> None:
    row = next(r for r in rows if r["result_id"] == "kantarjian2016-res-crcri-subgroups-p")
    assert row["note"].endswith('Artefact "P≤0.004".')
    assert "$P\\leq 0.004$" in row["quote"]  # the quote stays verbatim
    latex = re.compile(r"\$[^$]+\$|\\(geq|leq|times|text|pm)\b")
    for r in rows:
        for column, cell in r.items():
            if column != "quote":
                assert not latex.search(cell), (r["result_id"], column, cell)
    assert sum(bool(latex.search(r["quote"])) for r in rows) > 0
