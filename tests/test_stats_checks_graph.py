"""check-stats on the whole curated graph: exact counts per check and verdict, the findings the
sources' own slips produce (each explained by the curator), the findings graph, the CLI."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from inograph.build import BuiltDataset, serialize_trig
from inograph.namespaces import DATA, INO, RDF, XSD
from inograph.provenance import TraceFormat, format_trace
from inograph.stats_checks import CHECKS_GRAPH, CheckReport, Verdict, read_findings, run_checks
from inograph.store import StoreKind, copy_into, plain_literal
from inograph.validation import run_shacl
from tests.test_errors import run_cli

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

#: (check, verdict as shown) → findings, on the curated graph
EXPECTED_COUNTS = {
    ("percentage-vs-counts", "consistent"): 629,
    ("percentage-vs-counts", "inconsistent (explained)"): 2,
    ("percentage-granularity", "consistent"): 71,
    ("count-denominators", "consistent"): 5,
    ("count-bounds", "consistent"): 726,
    ("estimate-in-ci", "consistent"): 93,
    ("proportion-ci", "consistent"): 32,
    ("proportion-ci", "not checkable"): 2,
    ("risk-difference", "consistent"): 6,
    ("risk-difference-ci", "consistent"): 6,
    ("hr-ci-log-symmetry", "consistent"): 26,
    ("hr-p-from-ci", "consistent"): 24,
    ("test-from-counts", "consistent"): 25,
    ("test-from-counts", "inconsistent (explained)"): 1,
    ("category-sum", "consistent"): 46,
    ("category-sum", "not checkable"): 7,
    ("grade-sum", "consistent"): 28,
    ("arms-sum", "consistent"): 5,
    ("subgroup-size", "consistent"): 45,
    ("events-at-risk", "consistent"): 30,
    # the identity pass gave repeated printings one identity: more of them are compared
    ("printed-twice", "consistent"): 132,
    ("median-range", "consistent"): 79,
}


@pytest.fixture(scope="module")
def report(built: BuiltDataset) -> CheckReport:
    return run_checks(built.dataset)


def test_counts_per_check_and_verdict(report: CheckReport) -> None:
    assert report.results == 1578  # 11 methods numbers and covariate codings are no results
    assert report.counts() == EXPECTED_COUNTS
    assert report.unexplained == ()


def test_every_inconsistency_is_a_documented_source_slip(report: CheckReport) -> None:
    inconsistent = {f.results: f for f in report.findings if f.verdict is Verdict.INCONSISTENT}
    assert sorted(inconsistent) == [
        ("kantarjian2013-t1-fn-p-s2", "kantarjian2013-t1-s2-single", "kantarjian2013-t1-s2-weekly"),
        ("kantarjian2019-death-hsct-disease-soc",),
        ("morley2016-mda-single-vod-posthsct",),
    ]
    # "17 of 36 patients (68.0%)": 17/36 = 47.2%
    slip = inconsistent[("kantarjian2019-death-hsct-disease-soc",)]
    assert slip.detail == "17/36 = 47.22%; printed 68.0% (allowed 67.95–68.05)"
    assert slip.explanation == "17/36 is 47.2%, not the printed 68.0% (17/25 would be 68.0%)"
    # "more frequently in salvage 2 (P 5.016)": Pearson chi-square on 24/49 vs 10/41 is 0.0166
    truncated = inconsistent[
        ("kantarjian2013-t1-fn-p-s2", "kantarjian2013-t1-s2-single", "kantarjian2013-t1-s2-weekly")
    ]
    assert truncated.recomputed == pytest.approx(0.016566, abs=1e-6)
    assert truncated.explained


def test_both_inovate_reports_print_clopper_pearson_cis(report: CheckReport) -> None:
    assert report.ci_methods == {
        "kantarjian2016": {"Clopper-Pearson": 20, "checked": 20},
        "kantarjian2019": {"Clopper-Pearson": 12, "checked": 12},
    }


def test_hazard_ratio_p_values_agree_with_their_cis(report: CheckReport) -> None:
    by_subject = {f.subject: f for f in report.findings if f.check.value == "hr-p-from-ci"}
    # 2016: "HR 0.77; 97.5% CI, 0.58 to 1.03; P=0.04" (two-sided, stratified log-rank)
    assert by_subject["kantarjian2016-res-os-hr"].verdict is Verdict.CONSISTENT
    # 2019: HR 0.75 (97.5% CI 0.57-0.99), 1-sided P = .0105
    assert by_subject["kantarjian2019-os-hr"].method.endswith("one-sided")


def test_findings_graph(built: BuiltDataset) -> None:
    graph = built.dataset.graph(CHECKS_GRAPH)
    node = DATA["check/percentage-vs-counts--kantarjian2019-death-hsct-disease-soc"]
    result = DATA["result/kantarjian2019-death-hsct-disease-soc"]
    assert (node, RDF.type, INO.StatisticalCheckFinding) in graph
    assert (node, INO.checkSubject, result) in graph
    assert (node, INO.checkedResult, result) in graph
    assert (node, INO.checkVerdict, Literal("inconsistent")) in graph
    assert (node, INO.checkPrinted, Literal("68.0")) in graph
    assert (node, INO.recomputedValue, Literal(Decimal("47.222222"), datatype=XSD.decimal)) in graph
    assert (node, INO.checkTolerance, Literal(Decimal("0.05"), datatype=XSD.decimal)) in graph
    assert graph.value(node, INO.checkExplanation) is not None
    findings = read_findings(built.dataset)
    assert [f.check.value for f in findings["kantarjian2019-death-hsct-disease-soc"]] == [
        "percentage-vs-counts",
        "count-bounds",
    ]


def test_findings_conform_to_their_shapes(built: BuiltDataset) -> None:
    data = Graph()
    for s, p, o in built.dataset.graph(CHECKS_GRAPH):
        data.add((s, p, plain_literal(o)))  # as validate_dataset does: RDF 1.1 plain strings
    # the results the findings point to, typed, so sh:class can see them
    for result in set(data.objects(None, INO.checkedResult)):
        data.add((result, RDF.type, INO.Result))
    on_findings = [v for v in run_shacl(data) if v.focus.startswith(str(DATA["check/"]))]
    assert on_findings == []  # (the bare result nodes fail the result shapes: not checked here)
    bad = DATA["check/broken"]
    data.add((bad, RDF.type, INO.StatisticalCheckFinding))
    data.add((bad, INO.checkVerdict, Literal("plausible")))
    fired = {v.shape for v in run_shacl(data) if v.focus == str(bad)}
    assert {
        "https://w3id.org/inograph/shapes#Finding-subject",
        "https://w3id.org/inograph/shapes#Finding-checked",
        "https://w3id.org/inograph/shapes#Finding-verdict",
        "https://w3id.org/inograph/shapes#Finding-name",
        "https://w3id.org/inograph/shapes#Finding-detail",
    } == fired


def test_cli_exit_0_when_every_inconsistency_is_explained(
    built: BuiltDataset, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["check-stats", "--publication", "kantarjian2019"], capsys)
    assert code == 0
    assert "  kantarjian2019: Clopper-Pearson 12/12" in out
    assert out.splitlines()[-1].endswith("; 0 unexplained inconsistent")


def test_cli_exit_1_on_an_unexplained_inconsistency(
    built: BuiltDataset, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = copy_into(built.dataset, StoreKind.MEMORY)
    result = DATA["result/kantarjian2019-death-hsct-disease-soc"]
    changed.remove((result, INO.sourceInconsistency, None, None))
    path = tmp_path / "changed.trig"
    path.write_text(serialize_trig(changed), encoding="utf-8")
    code, out, _ = run_cli(["check-stats", "--dataset", str(path), "--format", "csv"], capsys)
    assert code == 1
    line = next(
        x
        for x in out.splitlines()
        if x.startswith("percentage-vs-counts,kantarjian2019-death-hsct-disease-soc,")
    )
    assert line.startswith("percentage-vs-counts,kantarjian2019-death-hsct-disease-soc,,inconsistent,false,")


def test_cli_bad_input_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(["check-stats", "--dataset", str(tmp_path / "missing.trig")], capsys)
    assert code == 2
    assert err.strip() == f"inograph: error: {tmp_path / 'missing.trig'}: no such file"
    code, _, err = run_cli(["check-stats", "--publication", "nope"], capsys)
    assert code == 2
    assert err == (
        "inograph: error: --publication: unknown publication 'nope' (in the graph: kantarjian2013, "
        "kantarjian2016, kantarjian2019, morley2016)\n"
    )


def test_trace_shows_the_findings_in_text_and_json(built: BuiltDataset) -> None:
    ident = "kantarjian2019-death-hsct-disease-soc"
    text = format_trace(built.dataset, ident, TraceFormat.TEXT)
    assert (
        "  statistical checks (inograph check-stats)\n"
        "    consistent                count-bounds\n"
        "      n = 17, N = 36 [0 <= n <= N, N > 0]\n"
        "    inconsistent (explained)  percentage-vs-counts\n"
        "      17/36 = 47.22%; printed 68.0% (allowed 67.95–68.05) [100·n/N rounded to the printed decimals]\n"
    ) in text
    checks = json.loads(format_trace(built.dataset, ident, TraceFormat.JSON))["checks"]
    assert checks[1] == {
        "check": "percentage-vs-counts",
        "verdict": "inconsistent",
        "explained": True,
        "method": "100·n/N rounded to the printed decimals",
        "detail": "17/36 = 47.22%; printed 68.0% (allowed 67.95–68.05)",
        "role": "subject",
        "subject": ident,
    }
    # a result used by another result's check says so
    source = format_trace(built.dataset, "kantarjian2013-t1-s2-single", TraceFormat.TEXT)
    assert "inconsistent (explained)  test-from-counts  [as a source of kantarjian2013-t1-fn-p-s2]" in source
