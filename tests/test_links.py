"""The cross-source links: real pairs from the four sources, the write-back, queries, shapes, CLI."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from inograph.build import BuiltDataset
from inograph.cli import cli
from inograph.graph_builder import result_iri
from inograph.links import (
    LINKS_GRAPH,
    Classification,
    Facet,
    LinkReport,
    QuantityKey,
    ResultFacts,
    _bound_clusters,
    _link,
    classify,
    facets,
    find_links,
    link_iri,
    values_equal,
)
from inograph.namespaces import INO, PROV, RDF, XSD
from inograph.queries import get_query, run_query
from inograph.resources import queries_dir, resource_dir
from inograph.store import plain_literal
from inograph.validation import load_shapes, run_shacl


@pytest.fixture(scope="module")
def report(built: BuiltDataset) -> LinkReport:
    return find_links(built.dataset)


def _pair(report: LinkReport, a: str, b: str) -> tuple[str, str, Classification]:
    for link in report.links:
        if {link.source.result_id, link.target.result_id} == {a, b}:
            return link.source.result_id, link.target.result_id, link.classification
    raise AssertionError(f"{a} and {b} are not linked")


@pytest.mark.parametrize(
    ("earlier", "later", "expected"),
    [
        # the abstract repeats the results section: same publication, same number
        ("kantarjian2016-abs-crcri-ino", "kantarjian2016-res-crcri-ino", Classification.AGREES),
        # the review restates the phase 2 paper it cites (no cutoff of its own)
        ("kantarjian2013-cr", "morley2016-mda-all-cr", Classification.AGREES),
        # the review's P<0.0001 for its as-treated pair (80.7% vs 33.3%) is consistent with the
        # NEJM's as-treated P<0.001 (bounds)
        ("kantarjian2016-res-crcri-astreated-p", "morley2016-inovate-crcri-p", Classification.AGREES),
        # the final report revises the OS hazard ratio at its later cutoff
        ("kantarjian2016-res-os-hr", "kantarjian2019-os-hr", Classification.UPDATED),
        ("kantarjian2016-res-os2y-ino", "kantarjian2019-os-2y-ino", Classification.UPDATED),
        # CR/CRi: first 218, adjudicated (2016) vs all 326, investigator-assessed (2019)
        ("kantarjian2016-t2-crcri-ino", "kantarjian2019-crcri-ino-itt", Classification.DIFFERENT_POPULATION),
        # ITT vs as-treated remission analysis within the NEJM paper
        (
            "kantarjian2016-res-crcri-astreated-soc",
            "kantarjian2016-res-crcri-soc",
            Classification.DIFFERENT_POPULATION,
        ),
        # duration of remission: "4.6 months versus 3.1 months" restated in the review's own
        # responder population is the NEJM's figure for its investigator-assessed responders
        ("kantarjian2016-res-dor-ino", "morley2016-inovate-dor-ino", Classification.AGREES),
        # MRD negativity "78.4% versus 28.1%": the same restated in the review's own population
        ("kantarjian2016-res-mrd-ino", "morley2016-inovate-mrd-ino", Classification.AGREES),
        ("kantarjian2016-t2-crcri-mrd-soc", "morley2016-inovate-mrd-soc", Classification.AGREES),
        # the review's SoC CR/CRi "33.3%" for the first 218 is the NEJM's as-treated 33.3%
        # ("80.7% ... vs. 33.3% [95% CI, 24.0 to 43.7]"): a population, not a value, differs
        ("kantarjian2016-res-crcri-soc", "morley2016-inovate-crcri-soc", Classification.DIFFERENT_POPULATION),
        (
            "morley2016-inovate-crcri-soc",
            "kantarjian2019-prior-crcri-soc-itt218",
            Classification.DIFFERENT_POPULATION,
        ),
        # "48 compared with 20" transplanted: the NEJM's "Of the 48 patients ... who underwent
        # stem-cell transplantation after the trial" (safety set); the review's restatement now sits
        # on that population, so it agrees
        ("kantarjian2016-saf-n-hsct-ino", "morley2016-inovate-hsct-ino", Classification.AGREES),
        ("kantarjian2016-saf-n-hsct-soc", "morley2016-inovate-hsct-soc", Classification.AGREES),
        # ... one population at both cutoffs: 48 (2014) -> 79 (2017) transplanted InO patients
        ("kantarjian2016-saf-n-hsct-ino", "kantarjian2019-safety-hsct-n-ino", Classification.UPDATED),
        # MRD negativity among CR/CRi (78.4%): the review and the final report restate NEJM's responders
        ("kantarjian2016-abs-mrd-ino", "morley2016-inovate-mrd-ino", Classification.AGREES),
        ("kantarjian2016-res-mrd-ino", "kantarjian2019-prior-mrdneg-ino", Classification.AGREES),
        # the review's SoC 33.3% is NEJM's as-treated rate (32 of 96 treated): it agrees with the
        # as-treated analysis
        ("kantarjian2016-res-crcri-astreated-soc", "morley2016-inovate-crcri-soc", Classification.AGREES),
        # the serious-AE tables of both reports line up: "Febrile neutropenia 16 (12)" -> "19 (11.6)"
        ("kantarjian2016-saf-sae-fn-ino", "kantarjian2019-t4-fn-ino-gany", Classification.UPDATED),
        # direct transplantation: first 218 (2016, 41%) vs all 326 (2019, 42.7%), one setting wording
        ("kantarjian2016-res-hsct-ino", "kantarjian2019-t2-direct-ino", Classification.DIFFERENT_POPULATION),
        # P values: the review's "p=0.0169" for duration of remission (no sidedness) against the
        # NEJM's two-sided P=0.03 printed on the hazard ratio: twice 0.0169 is 0.034, "0.03" at
        # the NEJM's precision, so likely one test read one- and two-sided
        ("kantarjian2016-res-dor-hr", "morley2016-inovate-dor-p", Classification.DIFFERENT_DEFINITION),
        ("kantarjian2016-abs-dor-hr", "morley2016-inovate-dor-p", Classification.DIFFERENT_DEFINITION),
        # ... the P on Table 2's difference agrees with the results section's P<0.001
        ("kantarjian2016-res-crcri-p", "kantarjian2016-t2-crcri-diff", Classification.AGREES),
        # the review prints VOD as "15/109" (any grade) and as "13 patients": 13 vs 1 are the
        # NEJM's grade >=3 counts, so the review does not contradict itself (see below)
        (
            "morley2016-inovate-vod-15of109",
            "morley2016-inovate-vod-ino",
            Classification.DIFFERENT_DEFINITION,
        ),
        # within one source: the 2019 report's "all 2-sided P values < .05" for the InO arm's
        # predictors of survival against its own Table 3 "Baseline platelets ... .0729"
        (
            "kantarjian2019-os-predictors-p-abs",
            "kantarjian2019-t3-plt-ino",
            Classification.WITHIN_SOURCE_CONFLICT,
        ),
        (
            "kantarjian2019-txt-os-predictors-p",
            "kantarjian2019-t3-plt-ino",
            Classification.WITHIN_SOURCE_CONFLICT,
        ),
        # ... while a P value printed twice with the same value within one source agrees
        ("kantarjian2013-orr-p-salvage", "kantarjian2013-t3-p-salvage-status", Classification.AGREES),
        # a count over another denominator: the review's "5 of 23 (23%)" vs the 2013 paper's
        # "5 of 22 patients who underwent allogeneic SCT" after single-dose inotuzumab
        (
            "kantarjian2013-vod-post-hsct-single",
            "morley2016-mda-single-vod-posthsct",
            Classification.DIFFERENT_DEFINITION,
        ),
        # the review's 15/109 against the NEJM's 15 of 139: same numerator, other population
        ("kantarjian2016-abs-vod-ino", "morley2016-inovate-vod-15of109", Classification.DIFFERENT_POPULATION),
        # Table 1 rows spelled "≥50%" (2016) and ">=50%" (2019) are one row
        (
            "kantarjian2016-t1-marrow-blasts-ge50-ino",
            "kantarjian2019-t1-bm-ge50-ino",
            Classification.DIFFERENT_POPULATION,
        ),
        # the review quotes two reports of the phase 2 study (2012 and 2013) for one median;
        # the 2013 paper cites the 2012 one, so 5.0 may update 5.1: the rules cannot decide
        ("morley2016-mda-single-os", "morley2016-mda-single-os-2013", Classification.UNDECIDED),
        ("kantarjian2013-os-median-single", "morley2016-mda-single-os", Classification.UNDECIDED),
        # a count against a percentage's n: the review's "VOD was seen in 13 patients compared
        # with 1" against NEJM's "15 patients (11%)" of any grade; 13 vs 1 are NEJM's grade >=3
        # counts (Table 3 "Veno-occlusive disease 15 (11) 13 (9) 1 (1) 1 (1)"): not a conflict
        ("kantarjian2016-saf-vod-ino", "morley2016-inovate-vod-ino", Classification.DIFFERENT_DEFINITION),
        ("kantarjian2016-abs-vod-ino", "morley2016-inovate-vod-ino", Classification.DIFFERENT_DEFINITION),
        # ... and the final report's 23 (14.0%) at its 2017 cutoff revises the review's 2015 figure
        ("morley2016-inovate-vod-ino", "kantarjian2019-vod-ino-abs", Classification.UPDATED),
    ],
)
def test_real_pairs_are_classified(
    report: LinkReport, earlier: str, later: str, expected: Classification
) -> None:
    assert _pair(report, earlier, later) == (earlier, later, expected)


def test_counts_per_classification(report: LinkReport) -> None:
    assert {c.value: n for c, n in report.counts.items()} == {
        # after the identity pass (one id per quantity across reports) more pairs line up: the
        # serious-AE tables, HSCT timing, dosing and baseline rows of 2016 and 2019 (updated 74 -> 158);
        # the fourth undecided pair is the 2013 single-dose range (1.3-1.8 mg/m2) vs the review's 1.8
        "conflict": 0,
        "within_source_conflict": 2,
        "undecided": 4,
        "different_definition": 6,
        "different_population": 544,
        "updated": 158,
        "agrees": 436,
    }
    assert len(report.links) == 1150
    assert len(report.clusters) == 231


def test_conflicts_come_first(report: LinkReport) -> None:
    worst = [cluster.worst for cluster in report.clusters]
    assert worst[:2] == [Classification.WITHIN_SOURCE_CONFLICT] * 2  # no conflict across sources
    assert worst == sorted(worst, key=lambda c: c.rank)


def test_reasons_name_the_difference(report: LinkReport) -> None:
    reasons = {(k.source.result_id, k.target.result_id): k.reason for k in report.links}
    assert reasons[("kantarjian2016-res-os-hr", "kantarjian2019-os-hr")] == (
        "same population, later cutoff (2016-03-08 → 2017-01-04); value changed (0.77 vs 0.75); "
        "also two-sided vs one-sided P value; also P=0.04 vs P=0.0105"
    )
    assert reasons[("kantarjian2016-saf-vod-ino", "morley2016-inovate-vod-ino")].startswith(
        "the restated value of morley2016-inovate-vod-ino is printed by kantarjian2016 for another "
        "definition (grade any vs >=3, serious not stated vs true): kantarjian2016-t3-vod-g3-ino ("
    )
    assert reasons[("kantarjian2019-os-predictors-p-abs", "kantarjian2019-t3-plt-ino")] == (
        "kantarjian2019 states P<0.05 for every factor of inovate-cox (inovate-ino), but prints "
        "P=0.0729 for Baseline platelets: <100 × 109/L (kantarjian2019-t3-plt-ino, a hazard_ratio); "
        "also kantarjian2019-os-predictors-p-abs: documented source inconsistency (Table 3 prints "
        "P = .0729 (not < .05) for baseline platelets in the InO arm.)"
    )


def _facts(value: str, *, quote: str | None = None, relation: str | None = None) -> ResultFacts:
    key = QuantityKey(trial="t", endpoint="e", measure="p_value" if relation else "median")
    return ResultFacts(
        iri=URIRef("urn:x"), result_id="x", publication="p", key=key, value=Decimal(value),
        value_text=value, range=None, unit=None, population="pop", population_label=None,
        population_kind="itt", population_parent=None, cutoff=None, cutoff_date=None,
        p_relation=relation, p_sided=None, quote=quote, location=None, cited_origin=None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        (_facts("22.8"), _facts("23"), True),  # 23 printed without decimals: |d| <= 0.5
        (_facts("22.4"), _facts("23"), False),
        (_facts("5.1"), _facts("5", quote="was 5.0 months"), False),  # the quote prints 5.0
        (_facts("5.1"), _facts("5", quote="was 5 months"), True),
        (_facts("0.0001", relation="<"), _facts("0.001", relation="<"), True),
        (_facts("0.04", relation="="), _facts("0.001", relation="<"), False),
    ],
)
def test_values_equal_at_the_coarser_precision(a: ResultFacts, b: ResultFacts, equal: bool) -> None:
    assert values_equal(a, b) is equal


CITED = frozenset({"paper2012", "paper2013"})


def _result(ident: str, value: str, **changes: object) -> ResultFacts:
    """A crafted result of one key; ``changes`` override any field (``key`` parts via ``measure``)."""
    measure = str(changes.pop("measure", "percentage"))
    key = QuantityKey(trial="t", endpoint="cr-cri", measure=measure, arm="ino", comparator="")
    facts = ResultFacts(
        iri=URIRef(f"urn:x:{ident}"), result_id=ident, publication="p2013", key=key,
        value=Decimal(value), value_text=value, range=None, unit="%", population="all",
        population_label="all treated", population_kind="treated", population_parent=None,
        cutoff=None, cutoff_date=None, p_relation=None, p_sided=None, quote=None, location=None,
        cited_origin=None, publication_year=2013,
    )  # fmt: skip
    return replace(facts, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("unstated", "stated", "sided", "expected"),
    [
        ("0.0169", "0.03", "two", Classification.DIFFERENT_DEFINITION),  # 0.0338 reads as 0.03
        ("0.02", "0.03", "two", Classification.CONFLICT),  # 0.04 is not 0.03
        ("0.08", "0.04", "one", Classification.DIFFERENT_DEFINITION),  # half of 0.08 is 0.04
    ],
)
def test_a_p_value_without_sidedness_may_be_the_other_reading(
    unstated: str, stated: str, sided: str, expected: Classification
) -> None:
    key = QuantityKey("t", "dor", "p_value", arm="ino", comparator="soc")
    report = _result("report", stated, measure="p_value", unit=None, key=key, cutoff="c",
                     p_relation="=", p_sided=sided, publication="nejm")  # fmt: skip
    other = replace(report, result_id="other", value=Decimal(unstated), value_text=unstated,
                    p_sided=None, publication="nejm2")  # fmt: skip
    assert classify(report, other)[0] is expected


def test_rmsts_of_two_truncation_times_are_two_definitions() -> None:
    """The 2016 RMST is truncated at 37.7 months, the 2019 one at 49.3: linked, not comparable."""
    key = QuantityKey("t", "os", "rmst", arm="ino")
    early = _result("rmst16", "13.9", measure="rmst", unit="months", key=key, cutoff="c16",
                    cutoff_date="2016-03-08", truncation="37.7 months (truncation)")  # fmt: skip
    late = replace(early, result_id="rmst19", value=Decimal("15.2"), value_text="15.2", cutoff="c19",
                   cutoff_date="2017-01-04", truncation="49.3 months (truncation)")  # fmt: skip
    classification, reason = classify(early, late)
    assert classification is Classification.DIFFERENT_DEFINITION
    assert reason.startswith(
        "restricted mean survival truncated at 37.7 months (truncation) vs 49.3 months (truncation)"
    )
    # the same truncation at a later cutoff is an update
    assert classify(early, replace(late, truncation=early.truncation))[0] is Classification.UPDATED


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # one publication prints one quantity twice, the cutoff stated once (Discussion "CR+CRi
        # rate ... was 47%" against a table's 28%): within_source_conflict
        (
            _result("disc", "47"),
            _result("table", "28", cutoff="accrual"),
            Classification.WITHIN_SOURCE_CONFLICT,
        ),
        # ... identical duplicates within one source agree
        (_result("abs", "47"), _result("res", "47", cutoff="accrual"), Classification.AGREES),
        # two publications, same cutoff, different values: conflict
        (
            _result("a", "47", cutoff="c1"),
            _result("b", "45", cutoff="c1", publication="p2016", publication_year=2016),
            Classification.CONFLICT,
        ),
        # two restatements in one publication of two different origins: not the source's own
        # contradiction (the review quotes two papers), and the rules cannot order them
        (
            _result("r1", "5.1", cited_origin="paper2012", publication="review", publication_cites=CITED),
            _result("r2", "5.0", cited_origin="paper2013", publication="review", publication_cites=CITED),
            Classification.UNDECIDED,
        ),
        # the same count over two denominators ("5 of 23" vs "5 of 22")
        (
            _result("c1", "5", measure="count", unit=None, denominator=Decimal(22), cutoff="c"),
            _result(
                "c2",
                "5",
                measure="count",
                unit=None,
                denominator=Decimal(23),
                cutoff="c",
                publication="review",
                publication_year=2016,
            ),
            Classification.DIFFERENT_DEFINITION,
        ),
        # a restatement in the review's own population of responders stands for the origin's
        (
            _result(
                "orig",
                "78.4",
                population="resp-adjudicated",
                population_parent="first218",
                population_kind="responders",
                cutoff="c",
            ),
            _result(
                "rest",
                "78.4",
                population="review-resp",
                population_parent="first218",
                population_kind="responders",
                cited_origin="abstract",
                publication="review",
                population_defined_in="review",
                publication_year=2016,
            ),
            Classification.AGREES,
        ),
        # ... but the trial's own two responder selections stay two definitions
        (
            _result(
                "adj",
                "78.4",
                population="resp-adjudicated",
                population_parent="first218",
                population_kind="responders",
                cutoff="c",
                key=QuantityKey("t", "e", "median", scope="r"),
            ),
            _result(
                "inv",
                "78.4",
                population="resp-investigator",
                population_parent="first218",
                population_kind="responders",
                cutoff="c",
                key=QuantityKey("t", "e", "median", scope="r"),
            ),
            Classification.DIFFERENT_DEFINITION,
        ),
    ],
)
def test_crafted_pairs(a: ResultFacts, b: ResultFacts, expected: Classification) -> None:
    assert classify(a, b)[0] is expected


def test_facets_of_a_result() -> None:
    hr = _result("hr", "0.55", measure="hazard_ratio", unit=None, p_number=Decimal("0.03"), p_relation="=")
    hr = replace(hr, key=replace(hr.key, comparator="soc"))
    pct = _result("pct", "11", numerator=Decimal(15), denominator=Decimal(139))
    size = _result(
        "n", "48", measure="count", unit=None, population="safety-hsct", population_parent="safety",
        parent_kind="safety", parent_label="safety set",
    )  # fmt: skip
    size = replace(size, key=replace(size.key, endpoint="population-size", scope="proceeded to HSCT"))
    covariate = replace(hr, result_id="cov", key=replace(hr.key, comparator=""))  # no comparison: no P facet
    got = {(f.result_id, f.facet, f.key.measure, f.key.endpoint, f.key.scope, f.value, f.population)
           for f in facets([hr, pct, size, covariate])}  # fmt: skip
    assert got == {
        ("hr", Facet.P_VALUE, "p_value", "cr-cri", "whole trial", Decimal("0.03"), "all"),
        ("pct", Facet.NUMERATOR, "count", "cr-cri", "whole trial", Decimal(15), "all"),
        ("n", Facet.SIZE, "count", "hsct", "whole trial", Decimal(48), "safety"),
    }


def test_a_restated_value_printed_for_another_definition_is_not_a_conflict() -> None:
    """Rule 7 on crafted results: the review's 13 (any grade as curated) against the report's 15,
    when the report prints 13 for grade >=3 at the same cutoff."""
    key = QuantityKey("t", "vod", "count", arm="ino", grade="any")
    report_any = _result("rep-any", "15", measure="count", unit=None, key=key, cutoff="c1", publication="rep")
    report_g3 = replace(report_any, result_id="rep-g3", value=Decimal(13), value_text="13",
                        key=replace(key, grade=">=3"))  # fmt: skip
    review = replace(report_any, result_id="rev", value=Decimal(13), value_text="13", publication="rev",
                     cutoff="abs", cited_origin="abstract", publication_year=2016)  # fmt: skip
    assert classify(report_any, review)[0] is Classification.CONFLICT  # the pair rules alone
    link = _link(report_any, review, [report_any, report_g3, review])
    assert link.classification is Classification.DIFFERENT_DEFINITION
    assert link.reason.startswith(
        "the restated value of rev is printed by rep for another definition (grade any vs >=3): rep-g3"
    )
    # without the grade >=3 figure the disagreement stands
    assert _link(report_any, review, [report_any, review]).classification is Classification.CONFLICT


def test_a_p_bound_is_compared_with_each_row_of_its_set() -> None:
    """Rule 8 on crafted results: "all P < .05" against rows printing .0085 and .0729."""
    bound = _result("bound", "0.05", measure="p_value", unit=None, p_relation="<", publication="p",
                    key=QuantityKey("t", "os", "p_value", arm="ino", category="predictors"))  # fmt: skip
    rows = [
        _result(ident, "1.5", measure="hazard_ratio", unit=None, publication="p", p_relation="=",
                p_number=Decimal(p), key=QuantityKey("t", "os", "hazard_ratio", arm="ino", category=cat))
        for ident, p, cat in (("mrd", "0.0085", "mrd"), ("plt", "0.0729", "platelets"))
    ]  # fmt: skip
    (cluster,) = _bound_clusters([bound, *rows], set())
    assert [
        (k.source.result_id, k.target.result_id, k.classification, k.difference) for k in cluster.links
    ] == [("bound", "plt", Classification.WITHIN_SOURCE_CONFLICT, Decimal("0.0229"))]
    assert cluster.links[0].target.facet is Facet.P_VALUE


def test_links_are_written_back(built: BuiltDataset) -> None:
    g = built.dataset.graph(LINKS_GRAPH)
    hr16, hr19 = result_iri("kantarjian2016-res-os-hr"), result_iri("kantarjian2019-os-hr")
    assert (hr19, PROV.wasRevisionOf, hr16) in g
    assert (hr16, INO.sameQuantityAs, hr19) in g
    node = link_iri("kantarjian2016-res-os-hr", "kantarjian2019-os-hr")
    assert (node, RDF.type, INO.EvidenceLink) in g
    assert (node, INO.linkSource, hr16) in g
    assert (node, INO.linkTarget, hr19) in g
    assert (node, INO.linkClassification, Literal("updated")) in g
    assert float(g.value(node, INO.linkDifference)) == -0.02
    # no longer a conflict: the review's 33.3% is the NEJM's as-treated figure
    a = result_iri("kantarjian2016-t2-crcri-soc")
    b = result_iri("morley2016-inovate-crcri-soc")
    assert (a, INO.conflictsWith, b) not in g and (a, INO.sameQuantityAs, b) in g
    # a P value compared with the P printed on a hazard ratio (one- vs two-sided reading of one
    # test, not a conflict): the part is named
    hr, p = result_iri("kantarjian2016-res-dor-hr"), result_iri("morley2016-inovate-dor-p")
    assert (hr, INO.sameQuantityAs, p) in g and (hr, INO.conflictsWith, p) not in g
    node = link_iri("kantarjian2016-res-dor-hr", "morley2016-inovate-dor-p")
    assert (node, INO.linkSourcePart, Literal("p_value")) in g
    assert (node, INO.linkSourceValue, Literal(Decimal("0.03"), datatype=XSD.decimal)) in g
    assert g.value(node, INO.linkTargetPart) is None
    # a within-source conflict: the sub-property and its super-property, both ways
    bound, row = result_iri("kantarjian2019-os-predictors-p-abs"), result_iri("kantarjian2019-t3-plt-ino")
    for s_, o_ in ((bound, row), (row, bound)):
        assert (s_, INO.contradictsWithinSource, o_) in g and (s_, INO.conflictsWith, o_) in g
    node = link_iri("kantarjian2019-os-predictors-p-abs", "kantarjian2019-t3-plt-ino")
    assert (node, INO.linkClassification, Literal("within_source_conflict")) in g
    assert (node, INO.linkTargetPart, Literal("p_value")) in g
    assert float(g.value(node, INO.linkDifference)) == 0.0229
    assert len(list(g.subject_objects(INO.contradictsWithinSource))) == 4
    r1, r2 = result_iri("kantarjian2016-abs-crcri-ino"), result_iri("kantarjian2016-res-crcri-ino")
    assert (r1, INO.agreesWith, r2) in g


def test_every_2019_result_also_in_2016_is_linked(built: BuiltDataset) -> None:
    """An independent SPARQL match (same endpoint, statistic, arm, comparator and row detail)."""
    query = """
    PREFIX ino: <https://w3id.org/inograph/ontology#>
    SELECT DISTINCT ?r19 ?r16 WHERE {
      ?r19 ino:reportedIn <https://w3id.org/inograph/id/publication/kantarjian2019> ;
           ino:aboutTrial ?trial ; ino:endpoint ?e ; a ?m ; ino:population [] .
      ?r16 ino:reportedIn <https://w3id.org/inograph/id/publication/kantarjian2016> ;
           ino:aboutTrial ?trial ; ino:endpoint ?e ; a ?m ; ino:population [] .
      FILTER (?m != ino:Result && ?m != ino:OtherStatistic)
      FILTER NOT EXISTS { ?r19 ino:population/ino:populationKind "subgroup" }
      FILTER NOT EXISTS { ?r16 ino:population/ino:populationKind "subgroup" }
      FILTER NOT EXISTS { ?r19 ino:population/ino:populationKind "responders" }
      FILTER NOT EXISTS { ?r16 ino:population/ino:populationKind "responders" }
      FILTER NOT EXISTS { ?r19 ino:population/ino:populationKind "other" }
      FILTER NOT EXISTS { ?r16 ino:population/ino:populationKind "other" }
      OPTIONAL { ?r19 ino:arm ?a19 } OPTIONAL { ?r16 ino:arm ?a16 }
      FILTER (COALESCE(?a19, 0) = COALESCE(?a16, 0))
      OPTIONAL { ?r19 ino:comparator ?c19 } OPTIONAL { ?r16 ino:comparator ?c16 }
      FILTER (COALESCE(?c19, 0) = COALESCE(?c16, 0))
      OPTIONAL { ?r19 ino:category ?k19 } OPTIONAL { ?r16 ino:category ?k16 }
      FILTER (COALESCE(?k19, 0) = COALESCE(?k16, 0))
      OPTIONAL { ?r19 ino:timepoint ?t19 } OPTIONAL { ?r16 ino:timepoint ?t16 }
      FILTER (COALESCE(?t19, 0) = COALESCE(?t16, 0))
      OPTIONAL { ?r19 ino:grade ?g19 } OPTIONAL { ?r16 ino:grade ?g16 }
      FILTER (COALESCE(?g19, 0) = COALESCE(?g16, 0))
      OPTIONAL { ?r19 ino:setting ?s19 } OPTIONAL { ?r16 ino:setting ?s16 }
      FILTER (COALESCE(?s19, 0) = COALESCE(?s16, 0))
      OPTIONAL { ?r19 ino:serious ?x19 } OPTIONAL { ?r16 ino:serious ?x16 }
      FILTER (COALESCE(?x19, 0) = COALESCE(?x16, 0))
    }"""
    store = built.store
    pairs = [(s["r19"].value, s["r16"].value) for s in store.query(query, use_default_graph_as_union=True)]
    g = built.dataset.graph(LINKS_GRAPH)
    missing = [p for p in pairs if (URIRef(p[0]), INO.sameQuantityAs, URIRef(p[1])) not in g]
    assert missing == []
    # 399 (was 264): the serious-AE tables, the HSCT timing, baseline rows and dosing of the two
    # reports now carry the same ids and row details, so they match and are linked
    assert len(pairs) == 399


def _rows(built: BuiltDataset, name: str) -> list[dict[str, str | None]]:
    store = built.store
    result = store.query((queries_dir() / name).read_text(), use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


def test_query_headers() -> None:
    for name in ("link-conflicts.rq", "link-updates.rq"):
        head = (queries_dir() / name).read_text().splitlines()[:2]
        assert head[0].startswith("# title: ") and head[1].startswith("# question: ")


PLATELETS_ROW = "Baseline platelets <100 × 109/L (n = 85) 1.65 (0.96-2.86) .0729"


def test_link_conflicts_query(built: BuiltDataset) -> None:
    rows = _rows(built, "link-conflicts.rq")
    assert [
        (
            r["classification"], r["resultA"], r["valueA"], r["partA"], r["quoteA"],
            r["resultB"], r["valueB"], r["partB"], r["quoteB"], r["difference"],
        )
        for r in rows
    ] == [
        (
            "within_source_conflict", "kantarjian2019-os-predictors-p-abs", "0.05", None,
            "(HSCT; all 2-sided P values < .05)",
            "kantarjian2019-t3-plt-ino", "0.0729", "p_value", PLATELETS_ROW, "0.0229",
        ),
        (
            "within_source_conflict", "kantarjian2019-txt-os-predictors-p", "0.05", None,
            "(all 2-sided P values < .05; Table 3)",
            "kantarjian2019-t3-plt-ino", "0.0729", "p_value", PLATELETS_ROW, "0.0229",
        ),
    ]  # fmt: skip
    assert {
        (r["publicationA"], r["publicationB"])
        for r in rows
        if r["classification"] == "within_source_conflict"
    } == {("kantarjian2019", "kantarjian2019")}


def test_link_updates_query(built: BuiltDataset) -> None:
    rows = _rows(built, "link-updates.rq")
    assert len(rows) == 158  # 74 before the identity pass lined up the 2016 and 2019 tables
    # every revision is printed by the final report; the parameter selects by that publication
    assert {r["publication"] for r in rows} == {"https://w3id.org/inograph/id/publication/kantarjian2019"}
    saved = get_query("link-updates")
    assert len(run_query(saved, {"publication": "kantarjian2019"}, built=built)) == 158
    assert len(run_query(saved, {"publication": "kantarjian2016"}, built=built)) == 0
    # the review's undated VOD count is revised by the final report (its n compared)
    vod = {(r["earlier"], r["later"]): r for r in rows}[
        ("morley2016-inovate-vod-ino", "kantarjian2019-vod-ino-abs")
    ]
    assert (vod["earlierCutoff"], vod["earlierValue"], vod["laterValue"]) == (None, "13", "23")
    by_pair = {(r["earlier"], r["later"]): r for r in rows}
    row = by_pair[("kantarjian2016-res-pfs-soc", "kantarjian2019-pfs-median-soc")]
    assert (row["earlierCutoff"], row["earlierValue"], row["laterCutoff"], row["laterValue"], row["difference"]) == (
        "2016-03-08", "1.8", "2017-01-04", "1.7", "-0.1",
    )  # fmt: skip


LINK_SHAPES = resource_dir("shapes") / "links-shapes.ttl"


def test_written_links_conform(built: BuiltDataset) -> None:
    data = Graph()
    for s, p, o in built.dataset.graph(LINKS_GRAPH):
        data.add((s, p, plain_literal(o)))  # as validate_dataset sees them
    for result in set(data.objects(None, INO.linkSource)) | set(data.objects(None, INO.linkTarget)):
        data.add((result, RDF.type, INO.Result))
    assert run_shacl(data, load_shapes([LINK_SHAPES])) == ()


def test_bad_links_fire_their_shapes() -> None:
    data = Graph().parse(
        format="turtle",
        data="""
        @prefix ino: <https://w3id.org/inograph/ontology#> .
        @prefix ex: <urn:ex:> .
        ex:r1 a ino:Result .
        ex:bad a ino:EvidenceLink ; ino:linkSource ex:r1 ; ino:linkTarget ex:r1 ;
            ino:linkClassification "contradicts" .
        ex:equal a ino:EvidenceLink ; ino:linkSource ex:r1 ; ino:linkTarget ex:notAResult ;
            ino:linkClassification "conflict" ; ino:linkReason "r" ; ino:linkDifference 0.0 .
        ex:r2 a ino:Result .
        ex:within a ino:EvidenceLink ; ino:linkSource ex:r1 ; ino:linkTarget ex:r2 ;
            ino:linkClassification "within_source_conflict" ; ino:linkReason "r" ;
            ino:linkSourcePart "denominator" .
        ex:fine a ino:EvidenceLink ; ino:linkSource ex:r1 ; ino:linkTarget ex:r2 ;
            ino:linkClassification "within_source_conflict" ; ino:linkReason "r" ;
            ino:linkDifference 2.0 ; ino:linkTargetPart "numerator" .
        """,
    )
    fired = {(v.focus, v.shape.rsplit("#", 1)[-1]) for v in run_shacl(data, load_shapes([LINK_SHAPES]))}
    assert fired == {
        ("urn:ex:bad", "EvidenceLink-classification"),
        ("urn:ex:bad", "EvidenceLink-reason"),
        ("urn:ex:bad", "EvidenceLink-distinctEnds"),
        ("urn:ex:equal", "EvidenceLink-target"),
        ("urn:ex:equal", "EvidenceLink-conflictDiffers"),
        ("urn:ex:within", "EvidenceLink-conflictDiffers"),
        ("urn:ex:within", "EvidenceLink-sourcePart"),
    }


def test_cli_links_json(built: BuiltDataset, sources_dir: object) -> None:
    result = CliRunner().invoke(
        cli,
        ["links", "--kind", "conflict", "--kind", "within_source_conflict", "--format", "json",
         "--sources", str(sources_dir)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [c["key"] for c in data["clusters"]] == [
        "inovate · os · p_value · arm inovate-ino · category factors associated with improved os in "
        "the ino arm: best mrd status, baseline platelet count, baseline hemoglobin, duration of "
        "first remission, cr/cri, follow-up hsct · scope whole trial",
        "inovate · os · p_value · arm inovate-ino · category predictors of os with ino: best mrd "
        "status, baseline platelet count, duration of first remission, cr/cri, follow-up hsct · "
        "scope whole trial",
    ]
    cluster = data["clusters"][1]
    assert [(m["result_id"], m["part"], m["value"]) for m in cluster["members"]] == [
        ("kantarjian2019-os-predictors-p-abs", None, 0.05),
        ("kantarjian2019-t3-plt-ino", "p_value", 0.0729),
    ]
    first = cluster["members"][0]
    assert (first["publication"], first["population"], first["cutoff"], first["location"]) == (
        "kantarjian2019", "inovate-cox", "inovate-2017-01-04", "Abstract",
    )  # fmt: skip
    assert first["quote"] == "(HSCT; all 2-sided P values < .05)"
    assert [(p["a"], p["b"], p["b_part"], p["classification"]) for p in cluster["pairs"]] == [
        (
            "kantarjian2019-os-predictors-p-abs",
            "kantarjian2019-t3-plt-ino",
            "p_value",
            "within_source_conflict",
        ),
    ]
    assert data["counts"] == {
        "conflict": 0,
        "within_source_conflict": 2,
        "undecided": 0,
        "different_definition": 0,
        "different_population": 0,
        "updated": 0,
        "agrees": 0,
    }


def test_cli_links_table_starts_with_the_worst_pair(sources_dir: object) -> None:
    result = CliRunner().invoke(cli, ["links", "--sources", str(sources_dir)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[1].split() == [
        "WITHIN_SOURCE_CONFLICT", "kantarjian2019-txt-os-predictors-p", "->", "kantarjian2019-t3-plt-ino",
    ]  # fmt: skip
    assert lines[-1] == (
        "231 clusters, 1150 pairs: conflict 0, within_source_conflict 2, undecided 4, "
        "different_definition 6, different_population 544, updated 158, agrees 436"
    )
