"""The query contract for the second half of the question library, checked against the evidence.

Each query must answer its header's question completely, one row per distinct fact, with an
ORDER BY that is total.  The expected rows are computed here in Python from the curation files
(``load_evidence`` over ``evidence_files()``), never from a query, so a query that drops, duplicates
or mis-pairs rows fails.  Restatements (the same figure printed again in one publication) are
merged by the queries into one row named by the first result id, with ``statements`` counting them;
the grouping keys below say, per query, which fields make two printings the same figure.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from decimal import Decimal
from pathlib import Path

import pytest

from inograph.build import BuiltDataset, build_dataset
from inograph.evidence import Evidence, Result, load_evidence
from inograph.queries import QueryResult, get_query, query
from inograph.resources import evidence_files
from tests.query_order import order_variables

MINE = (
    "phase2-weekly-vs-single",
    "publications",
    "remission-rates",
    "result-provenance",
    "results-missing-ci-or-denominator",
    "review-restated-figures",
    "serious-adverse-events",
    "source-inconsistencies",
    "subgroups-without-benefit",
    "survival-rates",
    "transplant-rates",
    "trial-endpoints",
    "trials",
    "vod-incidence",
    "vod-risk-factors",
)

Key = tuple[Hashable, ...]


@pytest.fixture(scope="module")
def evidence() -> Evidence:
    return load_evidence(evidence_files())


def short(term: object) -> str | None:
    """The last path segment of an IRI (an id), or None."""
    return None if term is None else str(term).rsplit("/", 1)[-1]


def dec(number: float | None) -> Decimal | None:
    return None if number is None else Decimal(repr(number)).normalize()


def same_number(got: object, want: float | int | None) -> bool:
    if want is None or got is None:
        return got is None and want is None
    return Decimal(str(got)).normalize() == dec(float(want))


def merged(results: Iterable[Result], key: Callable[[Result], Key]) -> dict[str, int]:
    """Restatements merged as the queries merge them: first id of each group -> printings."""
    groups: dict[Key, list[str]] = defaultdict(list)
    for result in results:
        groups[key(result)].append(result.id)
    return {min(ids): len(ids) for ids in groups.values()}


def got_merged(rows: QueryResult, result: str = "result", printed: str = "statements") -> dict[str, int]:
    got = {short(r[result]): r[printed] for r in rows}
    assert len(got) == len(rows), "two rows name the same result"
    return got  # type: ignore[return-value]


def check_columns(
    rows: QueryResult, evidence: Evidence, columns: dict[str, Callable[[Result], object]]
) -> None:
    """Every row's columns are those of the result it names."""
    for row in rows:
        result = evidence.results[short(row["result"]) or ""]
        for column, attribute in columns.items():
            want = attribute(result)
            got = row[column]
            if isinstance(want, (int, float)) and not isinstance(want, bool):
                assert same_number(got, want), (result.id, column, got, want)
            elif isinstance(want, str) or want is None:
                value = short(got) if column in _ID_COLUMNS else got
                assert value == want, (result.id, column, value, want)
            else:
                assert got == want, (result.id, column, got, want)


_ID_COLUMNS = {"publication", "trial", "endpoint", "population", "arm", "cutoff", "citedOrigin", "event"}


# --- the contract's form: header, prologue, total order -----------------------------------------


@pytest.mark.parametrize("name", MINE)
def test_header_states_scope_and_prologue_is_in_order(name: str) -> None:
    saved = get_query(name)
    assert saved.title != name and saved.question.endswith("?")
    text = saved.text
    assert "\n# in scope:" in text, f"{name}: the header must say what is in scope"
    assert "\n# out of scope:" in text, f"{name}: the header must say what is left out"
    assert text.index("BASE <") < text.index("PREFIX "), f"{name}: BASE before PREFIX"
    assert "VALUES" not in text, f"{name}: FILTER(?x IN (...)) rather than VALUES"
    names = set(re.findall(r"\?([A-Za-z_]\w*)", text))
    lowered = defaultdict(set)
    for variable in names:
        lowered[variable.lower()].add(variable)
    assert not [v for v in lowered.values() if len(v) > 1], f"{name}: variables differing only by case"


PARAMS = {"result-provenance": {"result": "kantarjian2016-abs-crcri-ino"}}


@pytest.mark.parametrize("name", MINE)
def test_rows_are_distinct_and_order_is_total(built: BuiltDataset, name: str) -> None:
    rows = query(name, built=built, **PARAMS.get(name, {}))
    assert len({r.terms for r in rows}) == len(rows), f"{name}: duplicate rows"
    ordered = [v for v in order_variables(get_query(name).text) if v in rows.variables]
    keys = [tuple(r.term(v) for v in ordered) for r in rows]
    assert len(set(keys)) == len(keys), f"{name}: ORDER BY {ordered} leaves ties"


# --- phase2-weekly-vs-single ---------------------------------------------------------------------

SINGLE, WEEKLY = "mda-phase2-single", "mda-phase2-weekly"


def _phase2_quantity(r: Result) -> Key:
    return (
        r.endpoint,
        r.measure,
        r.population,
        r.category,
        r.grade,
        r.serious,
        r.setting,
        r.timepoint,
        r.unit,
        r.cutoff,
    )


def test_phase2_weekly_vs_single_pairs_like_with_like(built: BuiltDataset, evidence: Evidence) -> None:
    cohort: dict[str, dict[Key, dict[Key, list[str]]]] = {
        SINGLE: defaultdict(dict),
        WEEKLY: defaultdict(dict),
    }
    p_values = []
    for r in evidence.curation_of("kantarjian2013").results:
        if r.comparator is not None:
            if r.measure == "p_value" and {r.arm, r.comparator} == {SINGLE, WEEKLY}:
                p_values.append(r)
            continue
        if r.arm in cohort and (r.value is not None or r.range is not None):
            numbers = (r.value, r.range, r.n, r.N)
            cohort[r.arm][_phase2_quantity(r)].setdefault(numbers, []).append(r.id)
    want = set()
    for quantity, singles in cohort[SINGLE].items():
        endpoint, _, population, category, grade, _, setting, timepoint, _, _ = quantity
        matching = [
            p.id
            for p in p_values
            if (p.endpoint, p.population, p.grade, p.setting, p.timepoint)
            == (endpoint, population, grade, setting, timepoint)
            and p.category in (None, category)
        ] or [None]
        for single in singles.values():
            for weekly in cohort[WEEKLY].get(quantity, {}).values():
                for p in matching:
                    want.add((min(single), len(single), min(weekly), len(weekly), p))
    rows = query("phase2-weekly-vs-single", built=built)
    got = {
        (
            short(r["resultSingle"]),
            r["statementsSingle"],
            short(r["resultWeekly"]),
            r["statementsWeekly"],
            short(r["pValueResult"]),
        )
        for r in rows
    }
    assert len(got) == len(rows) == 64
    assert got == want
    # every row pairs results that agree on grade, setting, category, population and timepoint
    for row in rows:
        a, b = (
            evidence.results[short(row["resultSingle"]) or ""],
            evidence.results[short(row["resultWeekly"]) or ""],
        )
        assert _phase2_quantity(a) == _phase2_quantity(b)
        assert row["grade"] == a.grade and row["setting"] == a.setting and row["category"] == a.category
    by_pair = {(short(r["resultSingle"]), short(r["resultWeekly"])): r for r in rows}
    # Table 4: raised aminotransferase grade 1-2 in 27 of 49 (single) vs 9 of 41 (weekly), P = .001
    r = by_pair[
        "kantarjian2013-t4-aminotransferase-increased-single-g1-2",
        "kantarjian2013-t4-aminotransferase-increased-weekly-g1-2",
    ]
    assert (r["grade"], r["single"], r["weekly"], r["pValue"]) == ("1-2", Decimal(27), Decimal(9), "0.001")
    r = by_pair[
        "kantarjian2013-t4-aminotransferase-increased-single-g3-4",
        "kantarjian2013-t4-aminotransferase-increased-weekly-g3-4",
    ]
    assert (r["grade"], r["single"], r["weekly"], r["pValue"]) == ("3-4", Decimal(1), Decimal(2), None)
    # the cohort sizes (49 vs 41) are printed 9 and 8 times: one row
    sizes = [r for r in rows if short(r["endpoint"]) == "population-size"]
    assert [(r["single"], r["weekly"], r["statementsSingle"], r["statementsWeekly"]) for r in sizes] == [
        (Decimal(49), Decimal(41), 9, 8)
    ]
    # Table 1 footnote: salvage status S2 49% vs 24%, P = .016
    (s2,) = [r for r in rows if r["category"] == "S2"]
    assert (s2["single"], s2["weekly"], s2["pValue"]) == (Decimal(49), Decimal(24), "0.016")


# --- remission and response rates ---------------------------------------------------------------

REMISSION = {
    "cr-cri",
    "cr",
    "cri",
    "crp",
    "cr-crp",
    "cr-crh",
    "marrow-cr",
    "overall-response",
    "remission-timing",
}


def _is_rate(r: Result) -> bool:
    return r.measure == "percentage" or (r.measure == "count" and r.N is not None)


def test_remission_rates_complete(built: BuiltDataset, evidence: Evidence) -> None:
    scope = [
        r
        for r in evidence.results.values()
        if r.endpoint in REMISSION and _is_rate(r) and r.population is not None and r.value is not None
    ]
    want = merged(
        scope,
        lambda r: (
            r.publication,
            r.trial,
            r.endpoint,
            r.population,
            r.arm,
            r.cutoff,
            r.measure,
            r.category,
            r.setting,
            r.timepoint,
            r.value,
            r.n,
            r.N,
            r.ci,
            r.ci_level,
            r.cited_origin,
        ),
    )
    rows = query("remission-rates", built=built)
    assert got_merged(rows) == want
    assert len(rows) == 73
    check_columns(
        rows,
        evidence,
        {
            "publication": lambda r: r.publication,
            "endpoint": lambda r: r.endpoint,
            "arm": lambda r: r.arm,
            "population": lambda r: r.population,
            "value": lambda r: r.value,
            "numerator": lambda r: r.n,
            "denominator": lambda r: r.N,
            "timepoint": lambda r: r.timepoint,
            "citedOrigin": lambda r: r.cited_origin,
        },
    )
    # the phase 2 study's CRp and overall response are in (the example)
    phase2 = {
        (short(r["endpoint"]), short(r["arm"]), r["value"])
        for r in rows
        if short(r["publication"]) == "kantarjian2013"
    }
    assert ("crp", "mda-phase2-single", Decimal(29)) in phase2
    assert ("crp", "mda-phase2-weekly", Decimal(32)) in phase2
    assert ("overall-response", None, Decimal(58)) in phase2
    assert ("overall-response", "mda-phase2-weekly", Decimal(59)) in phase2
    only = query("remission-rates", built=built, publication="kantarjian2016")
    # 11: the NEJM's restatement of the phase 2 study's 58% now sits on that study's trial
    assert {short(r["publication"]) for r in only} == {"kantarjian2016"} and len(only) == 11


# --- VOD ------------------------------------------------------------------------------------------


def test_vod_incidence_complete(built: BuiltDataset, evidence: Evidence) -> None:
    scope = [
        r
        for r in evidence.results.values()
        if r.endpoint == "vod" and r.measure in ("percentage", "count") and r.value is not None
    ]
    want = merged(
        scope,
        lambda r: (
            r.publication,
            r.trial,
            r.arm,
            r.population,
            r.setting,
            r.grade,
            r.serious,
            r.category,
            r.timepoint,
            r.measure,
            r.value,
            r.n,
            r.N,
            r.cutoff,
            r.cited_origin,
        ),
    )
    rows = query("vod-incidence", built=built)
    assert got_merged(rows) == want and len(rows) == 55
    check_columns(
        rows,
        evidence,
        {
            "grade": lambda r: r.grade,
            "setting": lambda r: r.setting,
            "serious": lambda r: r.serious,
            "numerator": lambda r: r.n,
            "denominator": lambda r: r.N,
            "value": lambda r: r.value,
        },
    )
    # 2016 Table 3 (serious, grade >=3) 13 of 139 (9%) is a row of its own beside any grade 15 (11%)
    t3 = {
        (r["grade"], r["numerator"])
        for r in rows
        if str(r["result"]).endswith(("kantarjian2016-t3-vod-any-ino", "kantarjian2016-t3-vod-g3-ino"))
    }
    assert t3 == {("any", 15), (">=3", 13)}


def test_vod_risk_factors_complete(built: BuiltDataset, evidence: Evidence) -> None:
    want = {
        r.id
        for r in evidence.results.values()
        if r.category is not None
        and (
            (r.endpoint == "vod-risk-factor" and r.measure in ("odds_ratio", "p_value"))
            or (r.endpoint == "vod" and r.measure == "p_value")
        )
    }
    rows = query("vod-risk-factors", built=built)
    assert {short(r["result"]) for r in rows} == want and len(rows) == 8
    # no figure of this kind is printed twice (the header says one row per printed result)
    facts = {
        (short(r["publication"]), r["factor"], short(r["measure"]), r["value"], r["pValue"]) for r in rows
    }
    assert len(facts) == len(rows)
    check_columns(
        rows,
        evidence,
        {"test": lambda r: r.test, "pSided": lambda r: r.p_sided, "pValue": lambda r: r.p_value},
    )


# --- safety, survival, transplant --------------------------------------------------------------

SAE_GRADES = {">=3", "3-4", "3", "4", "5"}


@pytest.mark.parametrize("threshold", [5, 0, 45])
def test_serious_adverse_events_complete(built: BuiltDataset, evidence: Evidence, threshold: int) -> None:
    scope = [
        r
        for r in evidence.results.values()
        if r.measure == "percentage"
        and r.serious
        and r.grade in SAE_GRADES
        and evidence.endpoints[r.endpoint].kind == "adverse-event"
        and r.value is not None
        and r.value > threshold
    ]
    want = merged(
        scope,
        lambda r: (
            r.publication,
            r.trial,
            r.arm,
            r.population,
            r.endpoint,
            r.grade,
            r.setting,
            r.category,
            r.value,
            r.n,
            r.N,
            r.cutoff,
        ),
    )
    rows = query("serious-adverse-events", built=built, threshold=threshold)
    assert got_merged(rows) == want
    check_columns(
        rows,
        evidence,
        {"event": lambda r: r.endpoint, "grade": lambda r: r.grade, "setting": lambda r: r.setting},
    )
    assert len(rows) == {5: 20, 0: 111, 45: 3}[threshold]


SURVIVAL = {"os", "pfs", "efs", "remission-duration"}


def test_survival_rates_complete(built: BuiltDataset, evidence: Evidence) -> None:
    rates = [r for r in evidence.results.values() if r.measure == "rate_at_timepoint" and r.value is not None]
    # the only rates at a time point left out are mortality rates (the header says so)
    assert {r.endpoint for r in rates} - SURVIVAL == {"nrm"}
    want = merged(
        [r for r in rates if r.endpoint in SURVIVAL],
        lambda r: (
            r.endpoint,
            r.timepoint,
            r.publication,
            r.trial,
            r.population,
            r.arm,
            r.cutoff,
            r.setting,
            r.category,
            r.value,
            r.N,
            r.ci,
            r.ci_level,
            r.cited_origin,
        ),
    )
    rows = query("survival-rates", built=built)
    assert got_merged(rows) == want and len(rows) == 18
    check_columns(
        rows,
        evidence,
        {"setting": lambda r: r.setting, "timepoint": lambda r: r.timepoint, "value": lambda r: r.value},
    )
    # 2019: "2-year OS rates of 22.8% and 10.0%" (abstract and results: one row each)
    two_years = {
        (short(r["arm"]), r["value"], r["statements"])
        for r in rows
        if short(r["publication"]) == "kantarjian2019"
        and r["timepoint"] == "2 years"
        and r["setting"] is None
    }
    assert two_years == {("inovate-ino", Decimal("22.8"), 2), ("inovate-soc", Decimal("10.0"), 2)}


def test_transplant_rates_complete(built: BuiltDataset, evidence: Evidence) -> None:
    scope = [
        r for r in evidence.results.values() if r.endpoint == "hsct" and _is_rate(r) and r.value is not None
    ]
    want = merged(
        scope,
        lambda r: (
            r.publication,
            r.trial,
            r.population,
            r.arm,
            r.cutoff,
            r.category,
            r.setting,
            r.measure,
            r.value,
            r.n,
            r.N,
            r.ci,
            r.ci_level,
            r.cited_origin,
        ),
    )
    rows = query("transplant-rates", built=built)
    assert got_merged(rows) == want and len(rows) == 38
    check_columns(
        rows,
        evidence,
        {"category": lambda r: r.category, "setting": lambda r: r.setting, "denominator": lambda r: r.N},
    )
    # 2019: 65 of 164 (39.6%) after CR/CRi proceeded directly to HSCT: abstract, text and Table 2
    r = got_merged(rows)
    assert r["kantarjian2019-t2-crcri-direct-itt-ino"] == 3


# --- data quality, restatements, inconsistencies, subgroups --------------------------------------


def test_results_missing_ci_or_denominator_complete(built: BuiltDataset, evidence: Evidence) -> None:
    want = set()
    for r in evidence.results.values():
        if r.measure in ("percentage", "rate_at_timepoint") and r.N is None:
            want.add((r.id, "denominator"))
        if (
            r.measure in ("hazard_ratio", "odds_ratio", "difference", "median", "mean", "rmst")
            and r.ci is None
            and r.range is None
        ):
            want.add((r.id, "confidence interval"))
    rows = query("results-missing-ci-or-denominator", built=built)
    assert {(short(r["result"]), r["missing"]) for r in rows} == want
    assert len(rows) == len(want) == 151


@pytest.mark.parametrize(
    ("publication", "count"), [("morley2016", 154), ("kantarjian2019", 14), ("kantarjian2013", 11)]
)
def test_review_restated_figures_complete(
    built: BuiltDataset, evidence: Evidence, publication: str, count: int
) -> None:
    want = {r.id for r in evidence.curation_of(publication).results if r.cited_origin}
    rows = query("review-restated-figures", built=built, publication=publication)
    assert {short(r["result"]) for r in rows} == want and len(rows) == count
    curated = set(evidence.publications)
    for row in rows:
        result = evidence.results[short(row["result"]) or ""]
        assert short(row["citedOrigin"]) == result.cited_origin
        assert row["originInGraph"] is (result.cited_origin in curated)
        assert (row["rangeLower"], row["rangeUpper"]) == (
            (dec(result.range[0]), dec(result.range[1])) if result.range else (None, None)
        )


def test_source_inconsistencies_complete(built: BuiltDataset, evidence: Evidence) -> None:
    want = {r.id: r.source_inconsistency for r in evidence.results.values() if r.source_inconsistency}
    rows = query("source-inconsistencies", built=built)
    assert {short(r["result"]): r["inconsistency"] for r in rows} == want
    # 2019: "17 of 36 patients (68.0%)"
    assert "17/36 is 47.2%" in want["kantarjian2019-death-hsct-disease-soc"]


def _no_significant_difference(r: Result, alpha: float) -> bool:
    null = {"hazard_ratio": 1.0, "odds_ratio": 1.0, "difference": 0.0}.get(r.measure)
    if r.ci is not None:
        return null is not None and r.ci[0] <= null <= r.ci[1]
    split = r.p_relation_and_number
    if split is None or split[0] == "<":
        return False
    return split[1] >= (alpha / 2 if r.p_sided == "one" else alpha)


@pytest.mark.parametrize("alpha", [0.05, 0.01])
def test_subgroups_without_benefit_complete(built: BuiltDataset, evidence: Evidence, alpha: float) -> None:
    want = {
        r.id
        for r in evidence.results.values()
        if r.population is not None
        and evidence.populations[r.population].kind == "subgroup"
        and r.comparator is not None
        and r.measure in ("hazard_ratio", "odds_ratio", "difference", "p_value")
        and r.value is not None
        and _no_significant_difference(r, alpha)
    }
    rows = query("subgroups-without-benefit", built=built, alpha=alpha)
    assert {short(r["result"]) for r in rows} == want == {"kantarjian2019-os-hr-t411"}


# --- reference queries ---------------------------------------------------------------------------


def test_trials_complete(built: BuiltDataset, evidence: Evidence) -> None:
    rows = query("trials", built=built)
    assert {short(r["trial"]): r["arms"] for r in rows} == {
        t.id: len(t.arms) for t in evidence.trials.values()
    }
    assert len(rows) == len(evidence.trials) == 20


def test_trial_endpoints_complete(built: BuiltDataset, evidence: Evidence) -> None:
    want = {
        (trial, endpoint.role, endpoint.id)
        for curation in evidence.curations
        if curation.publication.kind != "review"
        for endpoint in curation.endpoints
        if endpoint.role is not None
        for trial in curation.publication.reports_trials
    }
    rows = query("trial-endpoints", built=built)
    assert {(short(r["trial"]), r["role"], short(r["endpoint"])) for r in rows} == want
    assert len(rows) == len(want) == 9


def test_publications_complete(built: BuiltDataset, evidence: Evidence) -> None:
    rows = query("publications", built=built)
    want = {
        (c.publication.id, trial, len(c.results))
        for c in evidence.curations
        for trial in (c.publication.reports_trials or (None,))
    }
    assert {(short(r["publication"]), short(r["trial"]), r["results"]) for r in rows} == want


def test_result_provenance_points_at_the_quote(built: BuiltDataset, evidence: Evidence) -> None:
    derived = [r.id for r in evidence.results.values() if r.derived is not None]
    sample = [*sorted(evidence.results)[::97], "kantarjian2013-t4-fn-p-fever", *derived]
    assert derived
    for ident in sample:
        result = evidence.results[ident]
        (row,) = query("result-provenance", built=built, result=ident)
        assert short(row["publication"]) == result.publication
        assert same_number(row["value"], result.value), ident
        if result.quote is None:
            assert row["start"] is None
            continue
        text = built.sources[row["sourceFile"]].text
        assert text[row["start"] : row["end"]] == row["quote"] == result.quote


# --- the P-value rule of subgroups-without-benefit, on a small curation of its own ----------------

MINI = Path(__file__).parent / "data" / "mini"

_SUBGROUP_SENTENCE = (
    "In patients aged 55 years or older, overall survival gave a one-sided P value of 0.03, "
    "complete remission a two-sided P value of 0.031, progression a P value of <0.1 and response a "
    "P value of 0.2.\n"
)


def _subgroup_p(ident: str, endpoint: str, printed: str, sided: str | None, quote: str) -> str:
    number = printed.lstrip("<")
    lines = [
        f"  - id: mini2020-sg-{ident}",
        "    measure: p_value",
        f"    endpoint: {endpoint}",
        "    trial: tiny",
        "    population: tiny-sg-age-ge55",
        "    arm: tiny-x",
        "    comparator: tiny-soc",
        f"    value: {number}",
        f'    p_value: "{printed}"',
        *([f"    p_sided: {sided}"] if sided else []),
        "    cutoff: tiny-2014-10-02",
        "    location: {section: Results}",
        f'    quote: "{quote}"',
    ]
    return "\n".join(lines) + "\n"


def test_subgroup_p_values_are_judged_by_their_sidedness(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    text = (MINI / "sources" / "mini.txt").read_text(encoding="utf-8") + _SUBGROUP_SENTENCE
    (sources / "mini.txt").write_text(text, encoding="utf-8")
    curation = (MINI / "evidence" / "mini2020.yaml").read_text(encoding="utf-8")
    curation += _subgroup_p("os-one-sided", "os", "0.03", "one", "one-sided P value of 0.03")
    curation += _subgroup_p("cr-two-sided", "cr", "0.031", "two", "two-sided P value of 0.031")
    curation += _subgroup_p("os-below", "os", "<0.1", None, "a P value of <0.1")
    curation += _subgroup_p("cr-unsided", "cr", "0.2", None, "a P value of 0.2")
    evidence_file = tmp_path / "mini2020.yaml"
    evidence_file.write_text(curation, encoding="utf-8")
    built = build_dataset(evidence_paths=[evidence_file], sources_dir=sources)

    def listed(alpha: float) -> list[str | None]:
        return [short(r["result"]) for r in query("subgroups-without-benefit", built=built, alpha=alpha)]

    # alpha 0.05 is two-sided: a one-sided P of 0.03 is above alpha/2 (no significant benefit), a
    # two-sided P of 0.031 is below alpha, "<0.1" says too little, 0.2 is above any alpha
    assert listed(0.05) == ["mini2020-sg-cr-unsided", "mini2020-sg-os-one-sided"]
    assert listed(0.1) == ["mini2020-sg-cr-unsided"]
    assert listed(0.01) == ["mini2020-sg-cr-two-sided", "mini2020-sg-cr-unsided", "mini2020-sg-os-one-sided"]
