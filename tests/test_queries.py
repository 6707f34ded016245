"""The SPARQL question library: exact answers, parameter binding, injection, errors, formats.

Each library query's full answer (default parameters) is stored in ``tests/data/queries/NAME.tsv``
(SPARQL 1.1 TSV) and compared exactly; regenerate one after a reviewed evidence change with
``inograph query NAME --format tsv > tests/data/queries/NAME.tsv``.  The key figures of each
query are asserted again below with the source sentence they were checked against.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from inograph.build import BuiltDataset
from inograph.cli import main
from inograph.errors import QueryError
from inograph.namespaces import DATA
from inograph.queries import (
    ResultFormat,
    format_result,
    get_query,
    list_queries,
    parse_query_file,
    query,
    run_query,
    sparql,
)

EXPECTED = Path(__file__).parent / "data" / "queries"
MINE = sorted(q.name for q in list_queries() if not q.name.startswith("link-"))


def rid(row: object, variable: str = "result") -> str:
    return str(row[variable]).rsplit("/", 1)[-1]  # type: ignore[index]


def by_result(rows: object) -> dict[str, object]:
    return {rid(r): r for r in rows}  # type: ignore[attr-defined]


# --- the library itself -------------------------------------------------------------------


def test_library_has_at_least_25_documented_queries() -> None:
    assert len(MINE) >= 25
    for saved in list_queries():
        assert saved.title != saved.name, saved.name
        assert saved.question.endswith("?"), saved.name


def test_every_library_query_has_an_expected_answer_or_its_own_test() -> None:
    stored = {p.stem for p in EXPECTED.glob("*.tsv")}
    assert set(MINE) - stored == {"result-provenance"}


#: GROUP_CONCAT columns whose order SPARQL leaves to the engine: compared as sets of words
UNORDERED_CONCAT = {"citations": "?intents"}


def _unpinned(name: str, tsv: str) -> str:
    """The TSV with the words of an unordered GROUP_CONCAT cell sorted."""
    column = UNORDERED_CONCAT.get(name)
    if column is None:
        return tsv
    lines = [line.split("\t") for line in tsv.split("\n")]
    at = lines[0].index(column)
    for cells in lines[1:]:
        if len(cells) > at and cells[at].startswith('"'):
            cells[at] = '"' + " ".join(sorted(cells[at].strip('"').split())) + '"'
    return "\n".join("\t".join(cells) for cells in lines)


@pytest.mark.parametrize("name", sorted(p.stem for p in EXPECTED.glob("*.tsv")))
def test_exact_answer(built: BuiltDataset, name: str) -> None:
    got = format_result(query(name, built=built), ResultFormat.TSV)
    expected = (EXPECTED / f"{name}.tsv").read_text(encoding="utf-8")
    assert _unpinned(name, got) == _unpinned(name, expected)


def test_header_is_parsed() -> None:
    saved = get_query("serious-adverse-events")
    (param,) = saved.parameters
    assert (param.name, param.type.value, param.default, param.required) == (
        "threshold",
        "decimal",
        "5",
        False,
    )
    assert get_query("result-provenance").parameters[0].required


# --- hand-checked answers -----------------------------------------------------------------


def test_remission_rates(built: BuiltDataset) -> None:
    rows = by_result(query("remission-rates", built=built))
    # 2016 CR/CRi 88/109 (80.7%, 95% CI 72.1-87.7) vs 32/109 (29.4%, 21.0-38.8), printed in the
    # abstract, the results and Table 2: one row, printed 3 times, named by the abstract's id
    r = rows["kantarjian2016-abs-crcri-ino"]
    assert (r["value"], r["numerator"], r["denominator"], r["ciLower"], r["ciUpper"], r["ciLevel"], r["statements"]) == (
        Decimal("80.7"),
        88,
        109,
        Decimal("72.1"),
        Decimal("87.7"),
        Decimal("95"),
        3,
    )
    assert r["location"] == "Abstract"
    assert "kantarjian2016-t2-crcri-ino" not in rows and "kantarjian2016-res-crcri-ino" not in rows
    r = rows["kantarjian2016-t2-cri-soc"]
    assert (r["value"], r["numerator"], r["denominator"]) == (Decimal("11.9"), 13, 109)
    # 2019 abstract: "73.8% vs 30.9%" in the ITT population (121/164 vs 50/162)
    r = rows["kantarjian2019-crcri-soc-itt"]
    assert (r["value"], r["numerator"], r["denominator"], r["population"]) == (
        Decimal("30.9"),
        50,
        162,
        DATA["population/inovate-itt"],
    )
    # 2013 Table 2: CR 9/49 (18%) single-dose, 8/41 (20%) weekly
    assert (rows["kantarjian2013-t2-cr-weekly"]["numerator"], rows["kantarjian2013-t2-cr-weekly"]["denominator"]) == (8, 41)
    # 2013 Table 2: CRp 14/49 (29%) single-dose, 13/41 (32%) weekly; abstract: overall response 58% (52/90)
    assert (rows["kantarjian2013-t2-crp-single"]["value"], rows["kantarjian2013-t2-crp-single"]["numerator"]) == (
        Decimal("29"),
        14,
    )
    assert (rows["kantarjian2013-t2-crp-weekly"]["value"], rows["kantarjian2013-t2-crp-weekly"]["numerator"]) == (
        Decimal("32"),
        13,
    )
    # printed 3 times: abstract, Results, and the Discussion's "58% of patients achieved a bone marrow
    # CR", which is the same overall response (CR + CRp + CRi, 52/90)
    r = rows["kantarjian2013-abs-orr"]
    assert (r["endpoint"], r["value"], r["numerator"], r["denominator"], r["statements"]) == (
        DATA["endpoint/overall-response"],
        Decimal("58"),
        52,
        90,
        3,
    )
    only = query("remission-rates", built=built, publication="kantarjian2019")
    assert sorted(rid(r) for r in only) == [
        "kantarjian2019-crcri-ino-itt",
        "kantarjian2019-crcri-ino-mitt",
        "kantarjian2019-crcri-soc-itt",
        "kantarjian2019-crcri-soc-mitt",
        "kantarjian2019-prior-crcri-ino-itt218",
        "kantarjian2019-prior-crcri-soc-itt218",
    ]


def test_inovate_changes(built: BuiltDataset) -> None:
    rows = query("inovate-changes-2016-2019", built=built)
    pairs = {(rid(r, "result2016"), rid(r, "result2019")): (r["value2016"], r["value2019"]) for r in rows}
    # OS HR 0.77 (2016) -> 0.75 (2019); median OS with SoC 6.7 -> 6.2 months; 2-year OS 23 -> 22.8%
    assert pairs[("kantarjian2016-abs-os-hr", "kantarjian2019-os-hr")] == (Decimal("0.77"), Decimal("0.75"))
    assert pairs[("kantarjian2016-abs-os-soc", "kantarjian2019-os-median-soc")] == (
        Decimal("6.7"),
        Decimal("6.2"),
    )
    assert pairs[("kantarjian2016-res-os2y-ino", "kantarjian2019-os-2y-ino")] == (
        Decimal("23"),
        Decimal("22.8"),
    )
    # safety population InO 139 -> 164
    assert pairs[("kantarjian2016-res-n-safety-ino", "kantarjian2019-safety-n-ino")] == (139, 164)
    # VOD/SOS any grade, InO: "15 patients (11%)" (2016) -> "23 of the 164 patients (14.0%)" (2019; the
    # abstract prints the same fact, so one representative pair is listed)
    assert pairs[("kantarjian2016-abs-vod-ino", "kantarjian2019-txt-vod-ino")] == (Decimal("11"), Decimal("14"))
    # the serious-adverse-event tables of both reports (2016 Table 3, 2019 Table 4) now line up:
    # "Febrile neutropenia 16 (12)" -> "Febrile neutropenia 19 (11.6)", any grade, InO
    assert pairs[("kantarjian2016-saf-sae-fn-ino", "kantarjian2019-t4-fn-ino-gany")] == (
        Decimal("12"),
        Decimal("11.6"),
    )
    # patients transplanted after the trial, InO: 48 (2016) -> 79 (2019), one population at both cutoffs
    assert pairs[("kantarjian2016-saf-n-hsct-ino", "kantarjian2019-safety-hsct-n-ino")] == (48, 79)
    # same value, changed CI: median PFS with InO 5.0 months (3.7-5.6 -> 3.9-5.8); PFS HR 0.45
    assert pairs[("kantarjian2016-abs-pfs-ino", "kantarjian2019-pfs-median-ino")] == (Decimal(5), Decimal(5))
    assert pairs[("kantarjian2016-abs-pfs-hr", "kantarjian2019-pfs-hr")] == (Decimal("0.45"), Decimal("0.45"))
    assert len(rows) == 74


def test_hazard_ratios(built: BuiltDataset) -> None:
    rows = by_result(query("hazard-ratios", built=built))
    assert len(rows) == 12
    # 2016: OS HR 0.77 (97.5% CI 0.58-1.03), P=0.04, two-sided (abstract and results: one row)
    r = rows["kantarjian2016-abs-os-hr"]
    assert (r["value"], r["ciLower"], r["ciUpper"], r["ciLevel"], r["pValue"], r["pSided"]) == (
        Decimal("0.77"),
        Decimal("0.58"),
        Decimal("1.03"),
        Decimal("97.5"),
        "0.04",
        "two",
    )
    # 2019: OS HR 0.75 (97.5% CI 0.57-0.99), 1-sided P = .0105
    r = rows["kantarjian2019-os-hr"]
    assert (r["value"], r["ciLower"], r["ciUpper"], r["pValue"], r["pSided"]) == (
        Decimal("0.75"),
        Decimal("0.57"),
        Decimal("0.99"),
        "0.0105",
        "one",
    )
    # remission duration HR 0.55 (95% CI 0.31-0.96)
    dor = query("hazard-ratios", built=built, endpoint="remission-duration")
    assert sorted((rid(r), r["value"]) for r in dor) == [
        ("kantarjian2016-abs-dor-hr", Decimal("0.55")),
        ("kantarjian2019-dor-hr", Decimal("0.62")),
    ]


def test_vod_incidence(built: BuiltDataset) -> None:
    rows = by_result(query("vod-incidence", built=built))
    # 2016: VOD in 15 of 139 (11%) with InO vs 1 of 120 (1%) with standard therapy
    # (printed in the abstract and the results: one row named by the abstract's id)
    r = rows["kantarjian2016-abs-vod-ino"]
    assert (r["value"], r["numerator"], r["denominator"], r["statements"]) == (Decimal("11"), 15, 139, 2)
    # 2019: post-HSCT VOD 18/79 (22.8%) InO vs 3/35 (8.6%) SoC
    r = rows["kantarjian2019-vod-posthsct-ino"]
    assert (r["value"], r["numerator"], r["denominator"], r["setting"]) == (
        Decimal("22.8"),
        18,
        79,
        "after post-trial stem-cell transplantation",  # one wording with kantarjian2016's 10 of 48
    )
    assert (
        rows["kantarjian2016-saf-vod-posthsct-ino"]["setting"] == "after post-trial stem-cell transplantation"
    )
    assert rid(rows["morley2016-wadleigh-vod-exposed"], "citedOrigin") == "wadleigh2003"
    assert len(query("vod-incidence", built=built, publication="kantarjian2013")) == 6


def test_serious_adverse_events_threshold(built: BuiltDataset) -> None:
    assert len(query("serious-adverse-events", built=built)) == 20
    # above 45%: any grade >=3 SAE, 2016 InO 46% (64/139), 2019 48.8% (80/164) and 49.7% (71/143)
    rows = query("serious-adverse-events", built=built, threshold=45)
    assert sorted((rid(r), r["value"]) for r in rows) == [
        ("kantarjian2016-t3-any-g3-ino", Decimal("46")),
        ("kantarjian2019-t4-any-ino-gge3", Decimal("48.8")),
        ("kantarjian2019-t4-any-soc-gge3", Decimal("49.7")),
    ]
    assert all(r["threshold"] == Decimal("45") for r in rows)


def test_subgroups_without_benefit(built: BuiltDataset) -> None:
    (row,) = query("subgroups-without-benefit", built=built)
    # 2019: t(4;11) "unstratified HR, 1.42; 97.5% CI, 0.36-5.62"
    assert (rid(row, "subgroup"), row["value"], row["ciLower"], row["ciUpper"]) == (
        "inovate-sg-t411-pos",
        Decimal("1.42"),
        Decimal("0.36"),
        Decimal("5.62"),
    )


def test_dosing_schedules(built: BuiltDataset) -> None:
    rows = query("dosing-schedules", built=built, trial="inovate")
    ino = [
        (r["order"], r["dose"], r["unit"], r["days"], r["cycleLength"], r["maxCycles"])
        for r in rows
        if rid(r, "arm") == "inovate-ino"
    ]
    # 2016 Methods: 0.8 mg/m2 day 1, 0.5 mg/m2 days 8 and 15; 21-day cycle 1, then 28; up to 6 cycles
    assert ino == [
        (1, Decimal("0.8"), "mg/m2", "1", "21 (cycle 1); 28 (subsequent cycles)", 6),
        (2, Decimal("0.5"), "mg/m2", "8, 15", "21 (cycle 1); 28 (subsequent cycles)", 6),
        (3, Decimal("0.5"), "mg/m2", "1", "28", 6),
    ]
    assert len(rows) == 10


def test_analysis_populations(built: BuiltDataset) -> None:
    rows = query("analysis-populations", built=built, trial="inovate")
    sizes = {
        (rid(r, "population"), r["arm"] and rid(r, "arm"), r["cutoff"] and rid(r, "cutoff"), r["size"])
        for r in rows
    }
    assert ("inovate-itt", "inovate-ino", "inovate-2017-01-04", 164) in sizes
    assert ("inovate-itt218", "inovate-soc", None, 109) in sizes
    assert ("inovate-safety", "inovate-soc", "inovate-2014-10-02", 120) in sizes
    assert ("inovate-mitt", "inovate-soc", "inovate-2017-01-04", 143) in sizes
    # one population for the patients transplanted after the trial: 48 at 2014-10-02, 79 at 2017-01-04
    assert ("inovate-safety-hsct", "inovate-ino", "inovate-2014-10-02", 48) in sizes
    assert ("inovate-safety-hsct", "inovate-ino", "inovate-2017-01-04", 79) in sizes
    assert len(rows) == 44  # one row per size and reporting publication


def test_endpoint_results_ordered_by_cutoff(built: BuiltDataset) -> None:
    rows = query("endpoint-results", built=built, endpoint="pfs")
    assert len(rows) == 9
    dates = [r["cutoffDate"] for r in rows if r["cutoffDate"] is not None]
    assert dates == sorted(dates)
    assert {r["endpoint"] for r in rows} == {DATA["endpoint/pfs"]}
    same = query("endpoint-results", built=built, endpoint=str(DATA["endpoint/pfs"]))
    assert same.rows == rows.rows


def test_review_restated_figures(built: BuiltDataset) -> None:
    rows = by_result(query("review-restated-figures", built=built))
    assert len(rows) == 154
    # morley2016's INO-VATE figures come from the 2015 abstract (deangelo2015), not in the graph
    r = rows["morley2016-inovate-crcri-ino"]
    assert (rid(r, "citedOrigin"), r["value"], r["originInGraph"]) == ("deangelo2015", Decimal("80.7"), False)
    in_graph = {rid(r, "citedOrigin") for r in rows.values() if r["originInGraph"]}
    assert in_graph == {"kantarjian2013"}


def test_phase2_weekly_vs_single(built: BuiltDataset) -> None:
    rows = {
        (rid(r, "resultSingle"), rid(r, "resultWeekly")): r
        for r in query("phase2-weekly-vs-single", built=built)
    }
    r = rows[("kantarjian2013-t2-cr-single", "kantarjian2013-t2-cr-weekly")]
    assert (r["single"], r["nSingle"], r["denSingle"], r["weekly"], r["nWeekly"], r["denWeekly"]) == (
        Decimal("18"),
        9,
        49,
        Decimal("20"),
        8,
        41,
    )
    # 64: the 2013 Introduction's "bone marrow CR rate of 57%" of the single-dose study is its overall
    # response (CR + CRp + CRi), so it pairs with the weekly overall response too
    assert len(rows) == 64


def test_vod_risk_factors(built: BuiltDataset) -> None:
    rows = query("vod-risk-factors", built=built)
    # 2019: OR 15.31 (bilirubin >= ULN before HSCT), 8.61 (dual alkylators), 7.08, 6.02 (prior HSCT)
    assert [r["value"] for r in rows] == [
        Decimal(v) for v in ("15.31", "8.61", "7.08", "6.02", "3.25", "1.56", "0.04", "0.02")
    ]
    assert rows[1]["factor"] == "conditioning regimen containing dual alkylators"
    # "In the univariate analysis, an age >=55 years (OR, 3.25; 2-sided P = .048) ... did not remain
    # significant in the multivariate analysis"
    assert (rows[4]["test"], rows[4]["pValue"], rows[4]["pSided"]) == ("univariate", "0.048", "two")
    # 2016: dual-alkylator conditioning "was the only significant covariate ($P=0.04$)"; 2013: VOD in
    # 5 of 13 with 2 alkylating agents vs 1 of 21 with 1 (P = .02)
    assert [(rid(r), r["pValue"]) for r in rows[6:]] == [
        ("kantarjian2016-saf-vod-alkylator-p", "0.04"),
        ("kantarjian2013-vod-p-alkylators", "0.02"),
    ]


def test_results_missing_ci_or_denominator(built: BuiltDataset) -> None:
    rows = {(rid(r), r["missing"]) for r in query("results-missing-ci-or-denominator", built=built)}
    # 2016 Discussion: blinatumomab CR/CRi "69%" without N; the 2019 OS HR for HSCT has no CI
    assert ("kantarjian2016-disc-blina-crcri", "denominator") in rows
    assert ("kantarjian2019-os-hr-ino-hsct-vs-nohsct", "confidence interval") in rows
    assert ("kantarjian2016-t2-crcri-ino", "denominator") not in rows
    # 2016 RMST "13.9 ± 1.10 months vs. 9.9 ± 0.85 months": printed with SE, not a CI
    assert ("kantarjian2016-res-rmst-ino", "confidence interval") in rows
    assert len(rows) == 151


def test_result_provenance(built: BuiltDataset) -> None:
    (row,) = query("result-provenance", built=built, result="kantarjian2016-abs-crcri-ino")
    assert row["value"] == Decimal("80.7")
    assert row["sourceFile"] == "000_4bc9747dee4c5d0d.txt"
    # the offsets point at the quote in the source text: "80.7% [95% confidence interval ..."
    text = built.sources["000_4bc9747dee4c5d0d.txt"].text
    assert text[row["start"] : row["end"]] == row["quote"]


def test_small_reference_queries(built: BuiltDataset) -> None:
    pubs = {rid(r, "publication"): r["results"] for r in query("publications", built=built)}
    assert set(pubs) == {"kantarjian2013", "kantarjian2016", "kantarjian2019", "morley2016"}
    # 2013: four MRD-assay methods numbers removed; 2019: seven Cox-model covariate codings removed
    assert pubs == {"kantarjian2013": 388, "kantarjian2016": 468, "kantarjian2019": 557, "morley2016": 165}
    assert sum(pubs.values()) == len(built.evidence.results)
    cutoffs = {rid(r, "cutoff"): r["date"] for r in query("data-cutoffs", built=built) if r["date"]}
    assert str(cutoffs["inovate-2016-03-08"]) == "2016-03-08"
    assert str(cutoffs["inovate-2017-01-04"]) == "2017-01-04"
    primary = {
        rid(r, "endpoint")
        for r in query("trial-endpoints", built=built)
        if r["role"] == "primary" and rid(r, "trial") == "inovate"
    }
    assert primary == {"cr-cri", "os"}
    assert len(query("endpoints", built=built, kind="efficacy")) == 23


# --- parameters, injection, errors ---------------------------------------------------------


def test_injection_through_a_literal_parameter_is_only_a_value(built: BuiltDataset) -> None:
    before = len(built.dataset)
    evil = '>=3" } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o . FILTER("1"="1'
    rows = query("adverse-events", built=built, grade=evil)
    assert len(rows) == 0 and len(built.dataset) == before


def test_injection_through_an_id_parameter_is_rejected(built: BuiltDataset) -> None:
    with pytest.raises(QueryError, match="neither an id"):
        query("endpoint-results", built=built, endpoint="os> } ; DROP ALL #")
    with pytest.raises(QueryError, match="not a valid IRI"):
        query("endpoint-results", built=built, endpoint="https://x.org/os> } DROP ALL #")


def test_terms_are_accepted_from_python(built: BuiltDataset) -> None:
    rows = query("adverse-events", built=built, grade=Literal("5"))
    # 43: treatment-related deaths are grade 5 in both reports (the final report's "fatal study treatment
    # toxicity" and its causes, the NEJM's two VOD deaths and the review's restatement of them)
    assert {r["grade"] for r in rows} == {"5"} and len(rows) == 43
    assert len(query("endpoint-results", built=built, endpoint=URIRef(DATA["endpoint/pfs"]))) == 9


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["query", "no-such-query"], "inograph: error: unknown query 'no-such-query'"),
        (["query", "result-provenance"], "needs parameter 'result'"),
        (["query", "serious-adverse-events", "--param", "threshold=lots"], "'lots' is not a decimal number"),
        (["query", "hazard-ratios", "--param", "colour=red"], "has no parameter 'colour'"),
        (["query", "hazard-ratios", "--param", "endpoint"], "write it as KEY=VALUE"),
        (
            ["query", "endpoint-results", "--param", "endpoint=overal-survival"],
            "parameter 'endpoint' (endpoint): nothing in the graph is "
            "<https://w3id.org/inograph/id/endpoint/overal-survival>",
        ),
    ],
)
def test_cli_errors_are_one_line(
    built: BuiltDataset, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_user_file_syntax_error(
    tmp_path: Path, built: BuiltDataset, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?s WHERE { ?s ?p \n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["query", "--file", str(bad)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("inograph: error: bad: SPARQL syntax error") and err.count("\n") == 1


def test_user_file_parameter_must_be_projected(tmp_path: Path, built: BuiltDataset) -> None:
    own = tmp_path / "own.rq"
    own.write_text(
        "# param: endpoint (type: endpoint, default: os)\n"
        "SELECT ?r WHERE { ?r <https://w3id.org/inograph/ontology#endpoint> ?endpoint }\n",
        encoding="utf-8",
    )
    with pytest.raises(QueryError, match="must be in the SELECT clause"):
        run_query(parse_query_file(own), built=built)


def test_user_file_runs(tmp_path: Path, built: BuiltDataset, capsys: pytest.CaptureFixture[str]) -> None:
    own = tmp_path / "count.rq"
    own.write_text(
        "# title: count\n# param: endpoint (type: endpoint, default: os)\n"
        "SELECT ?endpoint (COUNT(?r) AS ?n) WHERE { ?r <https://w3id.org/inograph/ontology#endpoint> ?endpoint } GROUP BY ?endpoint\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit) as exit_info:
        main(["query", "--file", str(own), "--param", "endpoint=pfs", "--format", "csv"])
    assert exit_info.value.code in (0, None)
    assert capsys.readouterr().out == "endpoint,n\r\nhttps://w3id.org/inograph/id/endpoint/pfs,14\r\n"


def test_json_is_sparql_results_json(built: BuiltDataset) -> None:
    doc = json.loads(format_result(query("vod-risk-factors", built=built), ResultFormat.JSON))
    assert doc["head"]["vars"][:4] == ["publication", "factor", "measure", "value"]
    first = doc["results"]["bindings"][0]
    assert first["value"] == {
        "type": "literal",
        "value": "15.31",
        "datatype": "http://www.w3.org/2001/XMLSchema#decimal",
    }
    assert first["publication"] == {"type": "uri", "value": str(DATA["publication/kantarjian2019"])}
    assert "ciLower" not in first  # unbound variables are left out, as the format says


def test_table_and_ask(built: BuiltDataset) -> None:
    table = format_result(query("data-cutoffs", built=built), ResultFormat.TABLE)
    assert table.splitlines()[0].split() == ["trial", "cutoff", "date", "label", "publication", "results"]
    assert "inod:cutoff/inovate-2016-03-08" in table and table.endswith("(7 rows)\n")
    answer = sparql("ASK { ?r a <https://w3id.org/inograph/ontology#HazardRatio> }", built=built)
    assert answer.boolean is True


def test_cli_lists_the_library(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["queries"])
    assert exit_info.value.code in (0, None)
    out = capsys.readouterr().out
    assert "serious-adverse-events\n  Serious adverse events of grade 3 or higher above a threshold\n" in out
    assert "--param threshold=<decimal> (default: 5)" in out
