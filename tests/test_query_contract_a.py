"""The query contract (issue 10, item 1) for twelve library queries: complete, one row per fact.

Each test counts what a query must answer independently, in Python, from the curation files
(``load_evidence(evidence_files())``), never from the graph or the query, and compares the two
exactly: the set of facts, the first printing of each (``?result``) and how many printings it
has (``?statements``).  A *fact* is what a publication printed once or several times with the
same value (abstract, results, table): the key fields are the ones the query's header names.
The details a query samples from the printings of one fact (n, N, CI, P, sidedness) are checked
never to disagree, so the sample is the only possible answer.  Two contract rules are checked
for all twelve queries: no two rows are equal, and the ORDER BY is total (its projected
variables tell every two rows apart).  Hand-checked figures carry the source sentence or cell.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from decimal import Decimal
from typing import Any

import pytest

from inograph.build import BuiltDataset
from inograph.evidence import Evidence, Result, load_evidence
from inograph.graph_builder import MEASURE_CLASSES
from inograph.queries import QueryResult, get_query, query
from inograph.resources import evidence_files
from tests.query_order import order_variables

MINE = (
    "adverse-events",
    "analysis-populations",
    "citations",
    "data-cutoffs",
    "derived-results",
    "dosing-schedules",
    "endpoint-results",
    "endpoints",
    "hazard-ratios",
    "inovate-changes-2016-2019",
    "median-times",
    "mrd-negativity",
)
MEASURE_OF_CLASS = {str(iri): name for name, iri in MEASURE_CLASSES.items()}
SURVIVAL = ("os", "pfs", "remission-duration")

Key = tuple[Hashable, ...]


@pytest.fixture(scope="module")
def evidence() -> Evidence:
    return load_evidence(evidence_files())


# --- helpers: the same key read from a curation record and from a query row ----------------


def ident(term: object) -> str | None:
    """The short id of an IRI (the last path segment), the measure name of a measure class."""
    if term is None:
        return None
    text = str(term)
    return MEASURE_OF_CLASS.get(text) or text.rsplit("/", 1)[-1]


def num(value: float | int | Decimal | None) -> Decimal | None:
    """A number as an exact decimal, so a YAML float and an xsd:decimal compare equal."""
    return None if value is None else Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def grouped(results: Iterable[Result], key: Callable[[Result], Key]) -> dict[Key, list[Result]]:
    groups: dict[Key, list[Result]] = defaultdict(list)
    for result in results:
        groups[key(result)].append(result)
    return dict(groups)


def first_and_count(groups: Mapping[Key, list[Result]]) -> dict[Key, tuple[str, int]]:
    return {k: (min(r.id for r in rs), len(rs)) for k, rs in groups.items()}


def from_rows(rows: QueryResult, key: Callable[[Any], Key]) -> dict[Key, tuple[str, int]]:
    answer: dict[Key, tuple[str, int]] = {}
    for row in rows:
        k = key(row)
        assert k not in answer, f"two rows for one fact: {k}"
        answer[k] = (ident(row["result"]) or "", row["statements"])
    return answer


DETAILS: dict[str, Callable[[Result], object]] = {
    "numerator": lambda r: r.n,
    "denominator": lambda r: r.N,
    "ciLower": lambda r: num(r.ci[0]) if r.ci else None,
    "ciUpper": lambda r: num(r.ci[1]) if r.ci else None,
    "ciLevel": lambda r: num(r.ci_level),
    "pValue": lambda r: r.p_value,
    "pSided": lambda r: r.p_sided,
}


def the_detail(results: list[Result], name: str) -> object:
    """The one value the printings of a fact give for a detail (None if none prints it)."""
    values = {DETAILS[name](r) for r in results} - {None}
    assert len(values) <= 1, f"{[r.id for r in results]} disagree on {name}: {values}"
    return values.pop() if values else None


def check_details(
    rows: QueryResult, groups: Mapping[Key, list[Result]], key: Callable[[Any], Key], names: Iterable[str]
) -> None:
    for row in rows:
        for name in names:
            assert row[name] == the_detail(groups[key(row)], name), (name, ident(row["result"]))


def kind(evidence: Evidence, result: Result) -> str:
    return evidence.endpoints[result.endpoint].kind


# --- rules every one of the twelve queries keeps ---------------------------------------------




@pytest.mark.parametrize("name", MINE)
def test_rows_are_distinct_and_the_order_is_total(built: BuiltDataset, name: str) -> None:
    rows = query(name, built=built)
    terms = [row.terms for row in rows]
    assert len(set(terms)) == len(terms)
    keys = [v for v in order_variables(get_query(name).text) if v in rows.variables]
    assert keys, name
    ordered = [tuple(row.terms[rows.variables.index(v)] for v in keys) for row in rows]
    assert len(set(ordered)) == len(ordered), f"{name}: ORDER BY {keys} leaves ties"


@pytest.mark.parametrize("name", MINE)
def test_header_says_what_is_in_and_out_of_scope_or_what_a_row_is(name: str) -> None:
    text = get_query(name).text
    assert re.search(r"^# (In scope|One row per)", text, re.M), name
    # prologue portable to Virtuoso: BASE before PREFIX, no two variables differing only by case
    prologue = text[: text.index("SELECT")]
    if "BASE" in prologue:
        assert prologue.index("BASE") < prologue.index("PREFIX"), name
    names = set(re.findall(r"\?(\w+)", text))
    assert len({n.lower() for n in names}) == len(names), name


# --- adverse-events --------------------------------------------------------------------------


def ae_key(r: Result) -> Key:
    return (
        r.publication,
        r.population,
        r.cutoff,
        r.arm,
        r.endpoint,
        r.grade,
        r.serious,
        r.setting,
        r.category,
        r.timepoint,
        r.measure,
        num(r.value),
    )


def ae_row_key(row: Any) -> Key:
    return (*tuple(ident(row[v]) for v in ("publication", "population", "cutoff", "arm", "event", "grade")), row["serious"], row["setting"], row["category"], row["timepoint"], ident(row["measure"]), row["value"])


def test_adverse_events_complete_for_every_grade(built: BuiltDataset, evidence: Evidence) -> None:
    incidences = [
        r
        for r in evidence.results.values()
        if kind(evidence, r) == "adverse-event" and r.measure in ("percentage", "count") and r.grade
    ]
    grades = sorted({r.grade for r in incidences if r.grade})
    assert grades == ["1-2", "2", "3", "3-4", "4", "5", ">=3", "any"]
    total = 0
    for grade in grades:
        groups = grouped((r for r in incidences if r.grade == grade), ae_key)
        rows = query("adverse-events", built=built, grade=grade)
        assert from_rows(rows, ae_row_key) == first_and_count(groups), grade
        check_details(rows, groups, ae_row_key, ("numerator", "denominator"))
        total += len(rows)
    # restatements in one publication (2016 "48%" serious AEs in the text and Table 3, ...)
    # 377/388: treatment-related deaths carry grade 5 in both reports (identity pass of issue 10)
    assert (total, len(incidences)) == (377, 388)


def test_adverse_events_include_the_phase2_table_4_counts(built: BuiltDataset) -> None:
    rows = {ident(r["result"]): r for r in query("adverse-events", built=built, grade="1-2")}
    # 2013 Table 4, "Drug-related fever, d 1-2": 20 of 49 (single dose, grade 1-2), 3 of 41 weekly
    single = rows["kantarjian2013-t4-drug-related-fever-single-g1-2"]
    assert (single["value"], single["numerator"], single["denominator"], ident(single["measure"])) == (
        Decimal(20),
        20,
        49,
        "count",
    )
    assert single["setting"] == "first cycle of therapy"
    assert rows["kantarjian2013-t4-drug-related-fever-weekly-g1-2"]["value"] == Decimal(3)
    table4 = [k for k in rows if k.startswith("kantarjian2013-t4-")]
    assert len(table4) == 28  # 14 events x 2 cohorts
    g34 = {ident(r["result"]): r for r in query("adverse-events", built=built, grade="3-4")}
    assert g34["kantarjian2013-t4-drug-related-fever-weekly-g3-4"]["value"] == Decimal(6)
    assert len([k for k in g34 if k.startswith("kantarjian2013-t4-")]) == 28


def test_adverse_events_restatement_is_one_row(built: BuiltDataset) -> None:
    rows = {ident(r["result"]): r for r in query("adverse-events", built=built, grade="any")}
    # 2016: "serious adverse events ... 48%" in the text and Table 3 "Any event 67 (48)"
    r = rows["kantarjian2016-saf-sae-ino"]
    assert (r["value"], r["numerator"], r["denominator"], r["serious"], r["statements"]) == (
        Decimal(48),
        67,
        139,
        True,
        2,
    )
    assert "kantarjian2016-t3-any-any-ino" not in rows


# --- hazard-ratios, median-times, mrd-negativity ---------------------------------------------


def hr_key(r: Result) -> Key:
    return (
        r.endpoint,
        r.publication,
        r.population,
        r.cutoff,
        r.arm,
        r.comparator,
        r.setting,
        r.category,
        r.timepoint,
        num(r.value),
    )


def hr_row_key(row: Any) -> Key:
    ids = tuple(
        ident(row[v]) for v in ("endpoint", "publication", "population", "cutoff", "arm", "comparator")
    )
    return (*ids, row["setting"], row["category"], row["timepoint"], row["value"])


def test_hazard_ratios_complete(built: BuiltDataset, evidence: Evidence) -> None:
    in_scope = [
        r
        for r in evidence.results.values()
        if r.measure == "hazard_ratio" and r.endpoint in SURVIVAL and r.arm and r.comparator
    ]
    groups = grouped(in_scope, hr_key)
    rows = query("hazard-ratios", built=built)
    assert from_rows(rows, hr_row_key) == first_and_count(groups)
    check_details(rows, groups, hr_row_key, ("ciLower", "ciUpper", "ciLevel", "pValue", "pSided"))
    assert (len(rows), len(in_scope)) == (12, 17)
    # out of scope: the 2019 Table 3 Cox covariates and HSCT vs no HSCT (no comparator arm)
    assert sum(1 for r in evidence.results.values() if r.measure == "hazard_ratio") == 28


def test_hazard_ratios_hand_checked(built: BuiltDataset) -> None:
    rows = {ident(r["result"]): r for r in query("hazard-ratios", built=built)}
    # 2016: "hazard ratio, 0.77; 97.5% CI, 0.58 to 1.03; P=0.04" (abstract and results: one row)
    r = rows["kantarjian2016-abs-os-hr"]
    assert (
        r["value"],
        r["ciLower"],
        r["ciUpper"],
        r["ciLevel"],
        r["pValue"],
        r["pSided"],
        r["statements"],
    ) == (Decimal("0.77"), Decimal("0.58"), Decimal("1.03"), Decimal("97.5"), "0.04", "two", 2)
    # 2019, OS censored at HSCT: "HR, 0.70; 97.5% CI, 0.50-0.99; 1-sided P = .0095" and the
    # Discussion's "0.70 ... P = .0095" without CI: one row with the CI of the results
    r = rows["kantarjian2019-os-hr-cens-hsct"]
    assert (r["value"], r["ciLower"], r["ciUpper"], r["pSided"], r["statements"]) == (
        Decimal("0.7"),
        Decimal("0.5"),
        Decimal("0.99"),
        "one",
        2,
    )
    assert r["setting"] == "OS censored at the date of any HSCT"
    dor = query("hazard-ratios", built=built, endpoint="remission-duration")
    assert [(ident(r["result"]), r["value"]) for r in dor] == [
        ("kantarjian2016-abs-dor-hr", Decimal("0.55")),
        ("kantarjian2019-dor-hr", Decimal("0.62")),
    ]


def median_key(r: Result) -> Key:
    return (
        r.endpoint,
        r.publication,
        r.population,
        r.cutoff,
        r.arm,
        r.setting,
        r.category,
        r.timepoint,
        num(r.value),
        r.unit,
    )


def median_row_key(row: Any) -> Key:
    ids = tuple(ident(row[v]) for v in ("endpoint", "publication", "population", "cutoff", "arm"))
    return (*ids, row["setting"], row["category"], row["timepoint"], row["value"], row["unit"])


def test_median_times_complete(built: BuiltDataset, evidence: Evidence) -> None:
    in_scope = [r for r in evidence.results.values() if r.measure == "median" and r.endpoint in SURVIVAL]
    groups = grouped(in_scope, median_key)
    rows = query("median-times", built=built)
    assert from_rows(rows, median_row_key) == first_and_count(groups)
    check_details(rows, groups, median_row_key, ("denominator", "ciLower", "ciUpper", "ciLevel"))
    assert (len(rows), len(in_scope)) == (49, 72)
    # 2016: median OS "7.7 months (95% CI, 6.0 to 9.2)" in abstract, results and Figure 2: one row
    r = {ident(x["result"]): x for x in rows}["kantarjian2016-abs-os-ino"]
    assert (r["value"], r["ciLower"], r["ciUpper"], r["denominator"], r["statements"]) == (
        Decimal("7.7"),
        Decimal(6),
        Decimal("9.2"),
        164,
        3,
    )


def mrd_key(r: Result) -> Key:
    return (
        r.publication,
        r.population,
        r.cutoff,
        r.arm,
        r.category,
        r.setting,
        r.timepoint,
        r.measure,
        num(r.value),
    )


def mrd_row_key(row: Any) -> Key:
    ids = tuple(ident(row[v]) for v in ("publication", "population", "cutoff", "arm"))
    return (*ids, row["category"], row["setting"], row["timepoint"], ident(row["measure"]), row["value"])


def test_mrd_negativity_complete(built: BuiltDataset, evidence: Evidence) -> None:
    in_scope = [
        r
        for r in evidence.results.values()
        if r.endpoint == "mrd-negativity"
        and (r.measure == "percentage" or (r.measure == "count" and r.N is not None))
    ]
    groups = grouped(in_scope, mrd_key)
    rows = query("mrd-negativity", built=built)
    assert from_rows(rows, mrd_row_key) == first_and_count(groups)
    check_details(rows, groups, mrd_row_key, ("numerator", "denominator", "ciLower", "ciUpper", "ciLevel"))
    got = {ident(r["result"]): r for r in rows}
    # 2013: "negative MRD status was observed in 36 of 50 responding patients (72%)"; of the
    # total study group "17 of 41 ... weekly" (all treated patients, not responders)
    responders = got["kantarjian2013-mrd-neg-responders"]
    assert (responders["numerator"], responders["denominator"]) == (36, 50)
    assert ident(got["kantarjian2013-mrd-neg-weekly"]["population"]) == "mda-phase2-all"
    # 2016: 69/88 (78.4%; 95% CI 68.4-86.5) in abstract, results and Table 2: one row, with the CI
    r = got["kantarjian2016-abs-mrd-ino"]
    assert (r["numerator"], r["denominator"], r["ciLower"], r["ciUpper"], r["statements"]) == (
        69,
        88,
        Decimal("68.4"),
        Decimal("86.5"),
        3,
    )
    # the assay description ("one million cells were stained") is not an MRD rate
    assert not any(k.startswith("kantarjian2013-meth-") for k in got)
    assert len(rows) == 18


# --- endpoint-results ------------------------------------------------------------------------


def endpoint_key(r: Result, evidence: Evidence) -> Key:
    cutoff = evidence.cutoffs[r.cutoff] if r.cutoff else None
    return (
        cutoff.date.isoformat() if cutoff and cutoff.date else None,
        r.cutoff,
        r.publication,
        r.measure,
        r.population,
        r.arm,
        r.comparator,
        r.grade,
        r.serious,
        r.setting,
        r.category,
        r.timepoint,
        num(r.value),
        r.unit,
        num(r.range[0]) if r.range else None,
        num(r.range[1]) if r.range else None,
        r.p_value,
        r.cited_origin,
    )


def endpoint_row_key(row: Any) -> Key:
    date = row["cutoffDate"]
    return (
        date.isoformat() if date else None,
        ident(row["cutoff"]),
        ident(row["publication"]),
        ident(row["measure"]),
        ident(row["population"]),
        ident(row["arm"]),
        ident(row["comparator"]),
        row["grade"],
        row["serious"],
        row["setting"],
        row["category"],
        row["timepoint"],
        row["value"],
        row["unit"],
        row["rangeLower"],
        row["rangeUpper"],
        row["pValue"],
        ident(row["citedOrigin"]),
    )


@pytest.mark.parametrize(
    ("endpoint", "facts", "printed"),
    [("os", 90, 113), ("pfs", 9, 14), ("cr-cri", 34, 39), ("vod", 63, 68), ("mrd-negativity", 27, 33)],
)
def test_endpoint_results_complete(
    built: BuiltDataset, evidence: Evidence, endpoint: str, facts: int, printed: int
) -> None:
    in_scope = [r for r in evidence.results.values() if r.endpoint == endpoint]
    groups = grouped(in_scope, lambda r: endpoint_key(r, evidence))
    rows = query("endpoint-results", built=built, endpoint=endpoint)
    assert from_rows(rows, endpoint_row_key) == first_and_count(groups)
    check_details(
        rows,
        groups,
        endpoint_row_key,
        ("numerator", "denominator", "ciLower", "ciUpper", "ciLevel", "pSided"),
    )
    assert (len(rows), len(in_scope)) == (facts, printed)
    dates = [r["cutoffDate"] for r in rows if r["cutoffDate"] is not None]
    assert dates == sorted(dates)


# --- analysis-populations, data-cutoffs, endpoints, citations, derived, dosing ---------------


def test_analysis_populations_complete(built: BuiltDataset, evidence: Evidence) -> None:
    populations = {p.id: p for p in evidence.populations.values() if p.kind != "subgroup"}
    sizes = [
        r
        for r in evidence.results.values()
        if r.endpoint == "population-size"
        and r.measure == "count"
        and r.population in populations
        and r.category is None
    ]
    groups = grouped(sizes, lambda r: (r.population, r.arm, r.cutoff, r.publication, num(r.value)))
    expected = first_and_count(groups)
    for population in set(populations) - {r.population for r in sizes}:
        expected[(population, None, None, None, None)] = ("", 0)
    rows = query("analysis-populations", built=built)
    got = from_rows(
        rows,
        lambda row: (
            ident(row["population"]),
            ident(row["arm"]),
            ident(row["cutoff"]),
            ident(row["publication"]),
            row["size"],
        ),
    )
    assert got == expected
    assert all(ident(row["trial"]) == populations[ident(row["population"]) or ""].trial for row in rows)
    assert len(rows) == 78
    inovate = query("analysis-populations", built=built, trial="inovate")
    sizes_seen = {(ident(r["population"]), ident(r["arm"]), ident(r["cutoff"]), r["size"]) for r in inovate}
    # 2016: safety population 139 vs 120 (2014 cutoff); 2019: 164 vs 143 (final cutoff)
    assert {
        ("inovate-safety", "inovate-ino", "inovate-2014-10-02", 139),
        ("inovate-safety", "inovate-ino", "inovate-2017-01-04", 164),
        ("inovate-itt218", "inovate-soc", None, 109),
    } <= sizes_seen


def test_data_cutoffs_complete(built: BuiltDataset, evidence: Evidence) -> None:
    counts: dict[Key, int] = defaultdict(int)
    for r in evidence.results.values():
        if r.cutoff:
            counts[(r.cutoff, r.publication)] += 1
    rows = query("data-cutoffs", built=built)
    got = {(ident(r["cutoff"]), ident(r["publication"])): r["results"] for r in rows}
    assert got == dict(counts)
    assert {ident(r["cutoff"]) for r in rows} == set(evidence.cutoffs)
    # the 2019 report restates 7 figures of each 2016 cutoff (e.g. "80.7% vs 29.4%")
    assert got[("inovate-2014-10-02", "kantarjian2019")] == 7
    assert got[("inovate-2016-03-08", "kantarjian2019")] == 7


def test_endpoints_complete(built: BuiltDataset, evidence: Evidence) -> None:
    results: dict[str, set[str]] = defaultdict(set)
    publications: dict[str, set[str]] = defaultdict(set)
    for r in evidence.results.values():
        results[r.endpoint].add(r.id)
        publications[r.endpoint].add(r.publication)
    rows = query("endpoints", built=built)
    got = {ident(r["endpoint"]): (r["kind"], r["results"], r["publications"]) for r in rows}
    assert got == {
        e.id: (e.kind, len(results[e.id]), len(publications[e.id])) for e in evidence.endpoints.values()
    }


def test_citations_complete(built: BuiltDataset, evidence: Evidence) -> None:
    for curation in evidence.curations:
        rows = query("citations", built=built, publication=curation.publication.id)
        got = {(r["number"], ident(r["cited"])): (set(str(r["intents"]).split()), r["curated"]) for r in rows}
        curated = {c.publication.id for c in evidence.curations}
        assert got == {
            (ref.number, ref.id): (set(ref.cito), ref.id in curated) for ref in curation.references
        }, curation.publication.id
    # the review's reference 16 is the 2015 congress abstract, not curated here
    rows = {r["number"]: r for r in query("citations", built=built)}
    assert len(rows) == 28 and ident(rows[16]["cited"]) == "deangelo2015" and rows[16]["curated"] is False


def test_derived_results_complete(built: BuiltDataset, evidence: Evidence) -> None:
    expected = {
        (r.id, source, num(r.value), num(evidence.results[source].value))
        for r in evidence.results.values()
        if r.derived
        for source in r.derived.sources
    }
    rows = query("derived-results", built=built)
    assert {(ident(r["result"]), ident(r["source"]), r["value"], r["sourceValue"]) for r in rows} == expected
    # morley2016: "49 ... 41" patients summed to the 90 treated in the phase 2 study
    assert expected == {
        ("morley2016-mda-all-n", "morley2016-mda-single-n", Decimal(90), Decimal(49)),
        ("morley2016-mda-all-n", "morley2016-mda-weekly-n", Decimal(90), Decimal(41)),
    }


def test_dosing_schedules_complete(built: BuiltDataset, evidence: Evidence) -> None:
    expected = {
        (arm.id, order, regimen.drug, num(regimen.dose), ", ".join(str(d) for d in regimen.days) or None)
        for arm in evidence.arms.values()
        for order, regimen in enumerate(arm.regimens, start=1)
    }
    rows = query("dosing-schedules", built=built)
    got = {(ident(r["arm"]), r["order"], r["drug"], r["dose"], r["days"] or None) for r in rows}
    assert got == expected and len(rows) == 23


# --- inovate-changes-2016-2019 ---------------------------------------------------------------

IDENTITY = (
    "endpoint",
    "measure",
    "population",
    "arm",
    "comparator",
    "grade",
    "serious",
    "setting",
    "category",
    "timepoint",
)


def change_facts(evidence: Evidence, publication: str) -> dict[Key, list[Result]]:
    results = [
        r
        for r in evidence.results.values()
        if r.publication == publication and r.trial == "inovate" and r.cutoff
    ]
    return grouped(results, lambda r: (*tuple(getattr(r, f) for f in IDENTITY), r.cutoff, num(r.value)))


def test_inovate_changes_complete(built: BuiltDataset, evidence: Evidence) -> None:
    old, new = change_facts(evidence, "kantarjian2016"), change_facts(evidence, "kantarjian2019")
    fields = {
        "value": lambda rs: num(rs[0].value),
        "numerator": lambda rs: the_detail(rs, "numerator"),
        "denominator": lambda rs: the_detail(rs, "denominator"),
        "CI": lambda rs: (
            (the_detail(rs, "ciLower"), the_detail(rs, "ciUpper"))
            if the_detail(rs, "ciLower") is not None
            else None
        ),
        "CI-level": lambda rs: the_detail(rs, "ciLevel"),
        "range": lambda rs: next((r.range for r in rs if r.range), None),
        "P": lambda rs: the_detail(rs, "pValue"),
        "sidedness": lambda rs: the_detail(rs, "pSided"),
    }
    expected = set()
    for k16, rs16 in old.items():
        for k19, rs19 in new.items():
            if k16[: len(IDENTITY)] != k19[: len(IDENTITY)] or k16[-2] == k19[-2]:
                continue
            changed = [
                name
                for name, get in fields.items()
                if get(rs16) is not None and get(rs19) is not None and get(rs16) != get(rs19)
            ]
            if changed:
                expected.add(
                    (
                        min(r.id for r in rs16),
                        len(rs16),
                        min(r.id for r in rs19),
                        len(rs19),
                        " ".join(changed),
                    )
                )
    rows = query("inovate-changes-2016-2019", built=built)
    got = {
        (
            ident(r["result2016"]),
            r["statements2016"],
            ident(r["result2019"]),
            r["statements2019"],
            r["changed"],
        )
        for r in rows
    }
    assert got == expected
    # 74 (was 11): the serious-AE tables, HSCT, deaths and transfusions of both reports now share ids
    assert len(rows) == 74


def test_inovate_changes_hand_checked(built: BuiltDataset) -> None:
    rows = {
        (ident(r["result2016"]), ident(r["result2019"])): r
        for r in query("inovate-changes-2016-2019", built=built)
    }
    # OS HR: 2016 "0.77; 97.5% CI, 0.58 to 1.03; P=0.04" (two-sided) -> 2019 "0.75; 97.5% CI,
    # 0.57-0.99; 1-sided P = .0105": value, CI, P and sidedness changed
    r = rows[("kantarjian2016-abs-os-hr", "kantarjian2019-os-hr")]
    assert r["changed"] == "value CI P sidedness"
    assert (r["pValue2016"], r["pSided2016"], r["pValue2019"], r["pSided2019"]) == (
        "0.04",
        "two",
        "0.0105",
        "one",
    )
    # PFS HR 0.45 in both, CI upper bound 0.61 -> 0.60, "P<0.001" -> one-sided "P < .0001"
    r = rows[("kantarjian2016-abs-pfs-hr", "kantarjian2019-pfs-hr")]
    assert (r["changed"], r["ciUpper2016"], r["ciUpper2019"]) == (
        "CI P sidedness",
        Decimal("0.61"),
        Decimal("0.6"),
    )
    # median PFS with InO 5.0 months in both; CI 3.7-5.6 -> 3.9-5.8
    assert rows[("kantarjian2016-abs-pfs-ino", "kantarjian2019-pfs-median-ino")]["changed"] == "CI"
    # VOD: "15 patients (11%)" of 139 -> "23 of 164 [14.0%]"
    r = rows[("kantarjian2016-abs-vod-ino", "kantarjian2019-txt-vod-ino")]
    assert (
        r["changed"],
        r["numerator2016"],
        r["denominator2016"],
        r["numerator2019"],
        r["denominator2019"],
    ) == ("value numerator denominator", 15, 139, 23, 164)
