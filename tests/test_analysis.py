"""Statistical meaning in the model: analysis kinds, stated significance thresholds, values as
printed, qualifiers, and the significant-comparisons query that uses them.  Expected values are
taken from the source texts (quoted beside each assertion)."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal

from inograph.analysis import AnalysisBasis, analysis_kinds
from inograph.build import BuiltDataset
from inograph.cli import main
from inograph.errors import EvidenceError
from inograph.evidence import load_curation
from inograph.graph_builder import result_iri
from inograph.namespaces import INO, XSD
from inograph.plain_text import plain_text
from inograph.queries import query
from inograph.value_check import printed_as

MINI = Path(__file__).parent / "data" / "mini" / "evidence" / "mini2020.yaml"


def _kind(built: BuiltDataset, result_id: str) -> object:
    return built.dataset.value(result_iri(result_id), INO.analysisKind)


@pytest.mark.parametrize(
    ("result_id", "kind"),
    [
        # "hazard ratio, 0.67), at a one-sided alpha level of 0.0125": an assumption, curated
        ("kantarjian2016-meth-assumed-os-hr", INO.DesignAssumption),
        # "at a prespecified two-sided boundary of $P=0.0208$"
        ("kantarjian2016-disc-os-boundary", INO.DesignAssumption),
        # OS is a primary end point: "The two primary end points were complete remission ... and
        # overall survival" (rule: end point role)
        ("kantarjian2016-res-os-hr", INO.PrimaryAnalysis),
        ("kantarjian2016-res-pfs-hr", INO.SecondaryAnalysis),
        # "an exploratory post hoc analysis of restricted mean survival time was performed"
        ("kantarjian2016-res-rmst-p", INO.PostHocAnalysis),
        # "an OS sensitivity analysis that censored patients at the time of their first subsequent
        # salvage therapy"
        ("kantarjian2019-os-hr-cens-salvage", INO.SensitivityAnalysis),
        # "A further exploratory analysis of the restricted mean survival time"
        ("kantarjian2019-rmst-p", INO.ExploratoryAnalysis),
        # "an exploratory post hoc analysis at 2 and 3 years"
        ("kantarjian2019-os-2y-ino", INO.PostHocAnalysis),
        # "weekly patients were more frequently in salvage 1 with CRD1 <12 months (P 5.003)": rule
        ("kantarjian2013-t1-fn-p-s1-crd1-lt12", INO.BaselineTest),
        # Ph-negative subgroup "the HR was 0.68 (97.5% CI, 0.51-0.92)": rule, subgroup population
        ("kantarjian2019-os-hr-phneg", INO.SubgroupAnalysis),
        # Table 1 row "≥55 yr\t43 (39)\t40 (37)": a baseline characteristic, no test
        ("kantarjian2016-t1-age-ge55-yr-ino", INO.DescriptiveSummary),
        # VOD "in 11% [15 patients] vs. 1% [1 patient]": "Secondary end points included safety
        # measures" (rule: the trial's safety role)
        ("kantarjian2016-saf-vod-ino", INO.SecondaryAnalysis),
        # the phase 2 report gives its end points no roles
        ("kantarjian2013-vod-post-hsct-weekly", INO.DescriptiveSummary),
    ],
)
def test_analysis_kind_in_the_graph(built: BuiltDataset, result_id: str, kind: object) -> None:
    assert _kind(built, result_id) == kind


def test_every_result_has_one_kind_and_its_basis(built: BuiltDataset) -> None:
    kinds = analysis_kinds(built.evidence)
    assert set(kinds) == set(built.evidence.results)
    curated = Counter(k.kind for k in kinds.values() if k.basis is AnalysisBasis.CURATED)
    # the curation files' own `analysis:` lines, counted independently of the rule
    lines = Counter(
        line.split("analysis:", 1)[1].strip()
        for path in {r.origin.file for r in built.evidence.results.values()}
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("analysis:")
    )
    assert curated == lines
    assert curated == Counter(
        # exploratory 53 -> 46: the seven 2019 Cox covariate codings are no longer results
        {"exploratory": 46, "design-assumption": 30, "post-hoc": 29, "sensitivity": 14, "subgroup": 1}
    )
    basis = built.dataset.value(result_iri("kantarjian2019-os-hr-phneg"), INO.analysisKindBasis)
    assert str(basis) == "subgroup population"
    basis = built.dataset.value(result_iri("kantarjian2019-death-ino"), INO.analysisKindBasis)
    assert str(basis) == "safety measures' role in the trial"
    trial = built.evidence.trials["inovate"]
    assert (trial.safety_role, trial.safety_role_quote) == (
        "secondary", "Secondary end points included safety measures"
    )  # fmt: skip


def test_stated_thresholds(built: BuiltDataset) -> None:
    os_hr = result_iri("kantarjian2016-res-os-hr")
    g = built.dataset
    assert (os_hr, INO.significanceThreshold, Literal(Decimal("0.0208"), datatype=XSD.decimal)) in g
    assert str(g.value(os_hr, INO.thresholdSided)) == "two"
    assert str(g.value(os_hr, INO.thresholdQuote)) == "at a prespecified two-sided boundary of $P=0.0208$"
    with_threshold = {r.id: (r.alpha, r.alpha_sided) for r in built.evidence.results.values() if r.alpha}
    assert with_threshold == {
        "kantarjian2016-abs-os-hr": (0.0208, "two"),
        "kantarjian2016-res-os-hr": (0.0208, "two"),
        # "at a one-sided alpha level of 0.0125" (CR/CRi, the first primary end point)
        "kantarjian2016-abs-crcri-p": (0.0125, "one"),
        "kantarjian2016-res-crcri-p": (0.0125, "one"),
        "kantarjian2016-t2-crcri-diff": (0.0125, "one"),
    }


def test_significant_comparisons(built: BuiltDataset) -> None:
    rows = query("significant-comparisons", built=built)
    assert len(rows) == 37
    by_id = {str(r["result"]).rsplit("/", 1)[-1]: r for r in rows}
    assert len(by_id) == len(rows)  # one row per statement: the order is total
    # 2016: OS HR 0.77, P=0.04 against the two-sided boundary P=0.0208, which "was not met"
    os_hr = by_id["kantarjian2016-abs-os-hr"]
    assert (os_hr["verdict"], os_hr["thresholdForP"], os_hr["statements"], os_hr["analysis"]) == (
        "not significant",
        Decimal("0.0208"),
        2,
        "primary",
    )
    # the only comparisons significant by a stated threshold: CR/CRi 80.7% vs 29.4%, two-sided
    # P<0.001 against the one-sided alpha 0.0125 (0.025 two-sided)
    significant = sorted(i for i, r in by_id.items() if r["verdict"] == "significant")
    assert significant == ["kantarjian2016-abs-crcri-p", "kantarjian2016-t2-crcri-diff"]
    assert by_id["kantarjian2016-abs-crcri-p"]["thresholdForP"] == Decimal("0.025")
    # 2019 states no threshold: its one-sided P = .0105 is reported, not judged
    assert by_id["kantarjian2019-os-hr"]["verdict"] == "no stated threshold"
    assert by_id["kantarjian2019-os-hr"]["thresholdForP"] is None
    assert by_id["kantarjian2019-os-hr-cens-salvage"]["analysis"] == "sensitivity"
    assert Counter(r["verdict"] for r in rows) == Counter(
        {"no stated threshold": 34, "significant": 2, "not significant": 1}
    )
    # out of scope: baseline tests, design numbers, within-arm statistics
    assert {r["analysis"] for r in rows} <= {
        "primary", "secondary", "subgroup", "post-hoc", "sensitivity", "exploratory", "descriptive"
    }  # fmt: skip
    assert "kantarjian2013-t1-fn-p-s2" not in by_id
    assert "kantarjian2019-t3-plt-ino" not in by_id
    assert all(r["comparator"] is not None for r in rows)


@pytest.mark.parametrize(
    ("value", "quote", "printed"),
    [
        (0.7, "(stratified HR, 0.70 [97.5% CI, 0.50-0.99]; \n1-sided P = .0095", "0.70"),
        (0.5, "(stratified HR, 0.70 [97.5% CI, 0.50-0.99]; \n1-sided P = .0095", "0.50"),
        (5.0, "5.0 months with the single-dose schedule", "5.0"),
        (1.6, "Baseline hemoglobin <10 g/dL (n = 53) 1.60 (1.01-2.55) .0463", "1.60"),
        (0.016, "more frequently in salvage 2 (P 5.016)", ".016"),
        (200000, "200,000 cells", "200,000"),
        (7, "17 of 70 (7.0%)", "7.0"),
        (90, "Ninety\npatients were treated", None),
        (0.0001, "<1024 lymphocytic cells", None),
    ],
)
def test_printed_as(value: float, quote: str, printed: str | None) -> None:
    assert printed_as(value, quote) == printed


def test_value_and_ci_as_printed_in_the_graph(built: BuiltDataset) -> None:
    g = built.dataset
    hr = result_iri("kantarjian2019-os-hr-cens-hsct")
    printed = [str(g.value(hr, p)) for p in (INO.valueAsPrinted, INO.ciLowerAsPrinted, INO.ciUpperAsPrinted)]
    assert printed == ["0.70", "0.50", "0.99"]
    assert g.value(hr, INO.value) == Literal(Decimal("0.7"), datatype=XSD.decimal)


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("$P<0.001$", "P<0.001"),
        ("$P < 0.001$", "P < 0.001"),
        ("$P\\leq 0.004$", "P≤0.004"),
        ("$\\geq 90\\%$", "≥90%"),
        ("platelets to $\\geq 100 \\times 10^9/L$", "platelets to ≥100 × 10^9/L"),
        ("$>100\\text{ng/mL}$", ">100 ng/mL"),
        ("13.9 \\pm 1.10 months", "13.9 ± 1.10 months"),
        ("patients \\geq 55 years", "patients ≥55 years"),
        ("no markup, tabs\tand\nlines", "no markup, tabs\tand\nlines"),
        (None, None),
    ],
)
def test_plain_text(text: str | None, plain: str | None) -> None:
    assert plain_text(text) == plain


def _mini_with(tmp_path: Path, old: str, new: str) -> Path:
    text = MINI.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "mini2020.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("addition", "message"),
    [
        ("    qualifier: about\n", "field 'qualifier' is 'about', not one of <, <=, >, >=, ~, at least"),
        ("    analysis: pivotal\n", "field 'analysis' is 'pivotal', not one of primary, secondary"),
        ("    alpha: 0.0208\n", "alpha, alpha_sided and alpha_quote go together"),
        ("    value_as_printed: 0.70\n", "value_as_printed must be quoted text"),
    ],
)
def test_bad_new_fields_name_file_and_line(tmp_path: Path, addition: str, message: str) -> None:
    path = _mini_with(tmp_path, "    p_sided: two\n", "    p_sided: two\n" + addition)
    with pytest.raises(EvidenceError) as error:
        load_curation(path)
    assert str(error.value).startswith(f"{path}:127: result 'mini2020-os-hr': ")
    assert message in str(error.value)


def test_cli_reports_a_bad_qualifier_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _mini_with(tmp_path, "    p_sided: two\n", "    p_sided: two\n    qualifier: about\n")
    with pytest.raises(SystemExit) as exit_:
        main(["check-evidence", str(path)])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"inograph: error: {path}:127: ")


def test_trace_text_shows_printed_value_analysis_threshold_in_plain_text(built: BuiltDataset) -> None:
    from inograph.provenance import render_json, render_text, trace

    lines = render_text(trace(built.dataset, "kantarjian2019-os-hr-cens-hsct")).splitlines()
    # "(stratified HR, 0.70 [97.5% CI, 0.50-0.99]; 1-sided P = .0095"
    assert "  value        0.70  97.5% CI 0.50 to 0.99" in lines
    assert "  analysis     sensitivity  (curated)" in lines
    os_hr = trace(built.dataset, "kantarjian2016-res-os-hr")
    lines = render_text(os_hr).splitlines()
    assert "  threshold    0.0208 (two-sided): at a prespecified two-sided boundary of P=0.0208" in lines
    assert json.loads(render_json(os_hr))["statistic"]["threshold_quote"] == (
        "at a prespecified two-sided boundary of $P=0.0208$"
    )
    # ">40% of patients": the qualifier goes with the value
    assert "  value        >40%  (/90)" in render_text(trace(built.dataset, "kantarjian2013-disc-hsct-gt40"))
    text = render_text(trace(built.dataset, "kantarjian2016-res-crcri-subgroups-p"))
    assert 'Artefact "P≤0.004".' in text
    verbatim = ("  quote ", "  prefix ", "  suffix ", "    ")  # the quote, its anchor and context
    shown = [line for line in text.splitlines() if not line.startswith(verbatim)]
    assert any("P≤0.004" in line for line in shown)
    assert not any("\\leq" in line or "$" in line for line in shown)


def test_stats_count_analysis_kinds_thresholds_and_qualifiers(built: BuiltDataset) -> None:
    from inograph.stats import graph_stats, render_text
    from inograph.validation import load_shapes

    stats = graph_stats(built.dataset, load_shapes())
    # counted from the graph by SPARQL, against the rule applied to the curation files
    from_graph: Counter[str] = Counter()
    for per in stats.results_by_analysis.values():
        from_graph.update(per)
    assert from_graph == Counter(k.kind for k in analysis_kinds(built.evidence).values())
    assert from_graph == Counter(
        # after the identity pass (1,578 results): restatements moved from review-owned subgroup
        # copies onto the trials' own populations, so fewer results fall under the subgroup rule
        {"descriptive": 855, "subgroup": 86, "secondary": 463, "exploratory": 51, "primary": 48,
         "design-assumption": 30, "post-hoc": 29, "sensitivity": 14, "baseline-test": 2}
    )  # fmt: skip
    assert stats.results_by_analysis["kantarjian2019"]["sensitivity"] == 14
    assert stats.stated_thresholds == 5
    curated = [r for r in built.evidence.results.values() if r.qualifier]
    p_relations = [
        r
        for r in built.evidence.results.values()
        if r.measure == "p_value" and r.p_relation_and_number and r.p_relation_and_number[0] != "="
    ]
    assert (len(curated), len(p_relations), stats.qualified_values) == (70, 22, 92)
    assert "stated significance thresholds: 5; values with a printed qualifier: 92" in render_text(stats)


def test_no_latex_in_the_evidence_map_data_or_forest_labels(built: BuiltDataset) -> None:
    import re

    from inograph.export.evidence_map import map_data
    from inograph.export.forest import forest_plots
    from inograph.export.records import read_evidence_table

    table = read_evidence_table(built.dataset)
    latex = re.compile(r"\$[^$]+\$|\\(geq|leq|times|text|pm)\b")
    found: list[str] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key != "quote":  # verbatim
                    walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}[{index}]")
        elif isinstance(node, str) and latex.search(node):
            found.append(f"{where}: {node}")

    data = map_data(table)
    walk(data, "map")
    for plot in forest_plots(table):
        for text in (plot.title, *(t for row in plot.rows for t in (row.label, row.population, row.p_text))):
            if latex.search(text):
                found.append(text)
    assert found == []
    # the card shows the quote with the extraction's markup rendered; the trace keeps it verbatim
    card = next(r for r in data["statements"] if r["id"] == "kantarjian2016-res-crcri-subgroups-p")
    assert "$" not in card["quote"] and "P\u22640.004" in card["quote"]
    trace = next(r for r in data["trace"] if r["id"] == "kantarjian2016-res-crcri-subgroups-p")
    assert "$P\\leq 0.004$" in trace["quote"]


def test_safety_role_needs_its_words(tmp_path: Path) -> None:
    path = _mini_with(
        tmp_path, "    masking: open-label\n", "    masking: open-label\n    safety_role: secondary\n"
    )
    with pytest.raises(
        EvidenceError, match=r":\d+: trial 'tiny': safety_role and safety_role_quote go together"
    ):
        load_curation(path)
