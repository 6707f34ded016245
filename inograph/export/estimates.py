"""Estimates, not statements: how the evidence map groups results into what a reviewer counts.

A publication states one estimate many times (abstract, results, table; the final report
restating the primary report; a review restating both).  The evidence map and its CSV show
*estimates*, each with every statement behind it.  The rule, applied per cell (a column --
an arm, a comparison or a whole trial -- × an outcome):

1. **Same statement key.**  Two results are statements of one estimate when they agree on
   column, endpoint, analysis population, measure, unit, row label (category), grade,
   seriousness, setting, time point, qualifier, value, range, CI (bounds and level), data
   cutoff, and -- for a P value result -- the P value as printed.  Labels are compared without
   case or spacing.
2. **Linked as agreeing.**  Two results the linker classified ``agrees`` (same quantity, same
   population or a restatement of it, equal within rounding; see :mod:`inograph.links`) are
   statements of one estimate too when they have the same measure, unit, qualifier and exact
   value -- the abstract's "0.75" without CI joins the results section's "0.75 (97.5% CI
   0.57-0.99)"; the review's restated "80.7%" joins NEJM's.  Pairs are merged in id order,
   and never into a group that would then hold two different CIs.

The statement an estimate shows (its *head*) is the one with the most detail from the
original report: not restated (no cited origin), earliest publication, with a CI, with a
denominator, not the abstract; ties by result id.  Estimates in a cell are ordered by
analysis kind (primary, secondary, descriptive, then re-analyses and subgroups; design
assumptions last), then measure (hazard ratios and differences first), then latest cutoff.

Direction of effect (comparisons only): a ratio whose CI excludes 1, a difference whose CI
excludes 0, favours one arm -- for efficacy outcomes a hazard ratio below 1 and a positive
difference in a rate favour the first arm; for adverse events a positive difference favours
the other arm; for any other outcome the direction is stated as "higher in".  A CI that
includes the null is "no clear difference"; an estimate without a CI is judged by its P value
against the stated threshold (0.05 when none is stated): a P value alone says there is a
difference but not which way.

Findings are what a card must warn about: a documented inconsistency of the source's own
numbers (``ino:sourceInconsistency``), a conflict across or within sources, an undecided pair
(the linker could not tell a revision from a conflict).  :class:`Finding` is open to other
kinds: the statistical checks add theirs through ``extra_findings``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Final

from rdflib import Dataset

from inograph.export.records import EvidenceTable, ResultRecord, format_number
from inograph.export.sparql import select
from inograph.plain_text import plain_text

__all__ = [
    "ANALYSIS_ORDER",
    "Column",
    "Direction",
    "Estimate",
    "Finding",
    "LinkRow",
    "column_of",
    "comparison_orientation",
    "design_of",
    "direction_of",
    "documented_findings",
    "group_estimates",
    "read_links",
    "statement_key",
    "value_text",
]

#: analysis kinds in the order a cell lists them: primary first, design assumptions last
ANALYSIS_ORDER: Final = (
    "primary",
    "secondary",
    "descriptive",  # a single-arm study's whole-population figures come before its subgroups
    "sensitivity",
    "subgroup",
    "post-hoc",
    "exploratory",
    "baseline-test",
    "design-assumption",
)
_MEASURE_ORDER: Final = (
    "hazard_ratio",
    "difference",
    "odds_ratio",
    "rmst",
    "median",
    "percentage",
    "rate_at_timepoint",
    "mean",
    "count",
    "range",
    "p_value",
    "duration",
    "dose",
    "other",
)
DEFAULT_ALPHA: Final = Decimal("0.05")
CONFLICT_KINDS: Final = frozenset({"conflict", "within_source_conflict"})


@dataclass(frozen=True)
class LinkRow:
    """A classified pair of results from graph ``inog:links`` (``source`` the earlier report)."""

    classification: str
    source: str
    target: str
    reason: str


def read_links(dataset: Dataset) -> tuple[LinkRow, ...]:
    """Every classified link of the dataset (query ``export/links``)."""
    return tuple(
        LinkRow(row["classification"], row["source"], row["target"], row["reason"])
        for row in select(dataset, "links")
    )


@dataclass(frozen=True)
class Finding:
    """Something a card must warn about; ``kind`` says what (open to later checks)."""

    kind: str  # source-inconsistency, conflict, within-source-conflict, undecided, statistical, ...
    result_id: str
    text: str
    other: str | None = None  # the other result of a pair


def documented_findings(table: EvidenceTable, links: Iterable[LinkRow]) -> list[Finding]:
    """Source inconsistencies curated on results, and conflicting or undecided link pairs."""
    findings = [
        Finding("source-inconsistency", r.result_id, plain_text(r.source_inconsistency) or "")
        for r in table.results
        if r.source_inconsistency
    ]
    names = {
        "conflict": "conflict",
        "within_source_conflict": "within-source-conflict",
        "undecided": "undecided",
    }
    for link in links:
        kind = names.get(link.classification)
        if kind is None:
            continue
        text = plain_text(link.reason) or link.reason
        findings.append(Finding(kind, link.source, text, link.target))
        findings.append(Finding(kind, link.target, text, link.source))
    return findings


# ------------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    """A column of the gap map: an arm, a comparison (one stated direction), or a whole trial."""

    id: str
    label: str
    trial: str
    order: int  # 0 arm, 1 comparison, 2 whole trial
    arm: str | None = None
    comparator: str | None = None


NO_TRIAL: Final = "no-trial"


def comparison_orientation(table: EvidenceTable) -> dict[frozenset[str], tuple[str, str]]:
    """The stated direction of each compared pair of arms: the one most results use (ties: ids)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for r in table.results:
        if r.arm and r.comparator:
            counts[(r.arm, r.comparator)] += 1
    chosen: dict[frozenset[str], tuple[str, str]] = {}
    for pair in sorted(counts, key=lambda p: (-counts[p], p)):
        chosen.setdefault(frozenset(pair), pair)
    return chosen


def _arm_name(table: EvidenceTable, arm: str) -> str:
    return table.label("arm", arm).split(" (")[0]


def column_of(
    record: ResultRecord, table: EvidenceTable, orientation: Mapping[frozenset[str], tuple[str, str]]
) -> Column:
    """The column of a result; a comparison is shown once, in its stated direction."""
    trial = record.trial or NO_TRIAL
    if record.arm and record.comparator:
        arm, comparator = orientation.get(
            frozenset((record.arm, record.comparator)), (record.arm, record.comparator)
        )
        return Column(
            f"{arm}-vs-{comparator}",
            f"{_arm_name(table, arm)} vs {_arm_name(table, comparator)}",
            trial,
            1,
            arm,
            comparator,
        )
    if record.arm:
        return Column(record.arm, _arm_name(table, record.arm), trial, 0, record.arm)
    if record.trial:
        return Column(f"{record.trial}-all", "All patients (no arm stated)", trial, 2)
    return Column("no-arm-no-trial", "No arm or trial stated", trial, 2)


def design_of(detail: str | None) -> str:
    """A coarse study design from a trial's curated phase and design text."""
    text = (detail or "").lower()
    if not text:
        return "Design not stated"
    if "randomi" in text and "non-randomi" not in text:
        return "Randomised trial"
    if "non-randomi" in text or "single-arm" in text or "phase" in text or "dose escalation" in text:
        return "Non-randomised trial"
    if any(w in text for w in ("retrospective", "cohort", "case series", "pharmacovigilance", "laboratory")):
        return "Observational study"
    return "Non-randomised trial"


# ---------------------------------------------------------------------------- estimates


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip().casefold()


def statement_key(r: ResultRecord, column: str) -> tuple[object, ...]:
    """Rule 1: results with equal keys are statements of one estimate."""
    return (
        column,
        r.endpoint,
        r.population,
        r.measure,
        r.unit,
        _norm(r.category),
        r.grade,
        r.serious,
        _norm(r.setting),
        _norm(r.timepoint),
        r.value_qualifier,
        r.value,
        r.range_lower,
        r.range_upper,
        r.ci_lower,
        r.ci_upper,
        r.ci_level,
        r.cutoff_id,
        r.p_value if r.measure == "p_value" else None,
    )


def _ci(r: ResultRecord) -> tuple[Decimal, Decimal, Decimal | None] | None:
    if r.ci_lower is None or r.ci_upper is None:
        return None
    return (r.ci_lower, r.ci_upper, r.ci_level)


def _same_number(a: ResultRecord, b: ResultRecord) -> bool:
    return (a.measure, a.unit, a.value_qualifier, a.value) == (b.measure, b.unit, b.value_qualifier, b.value)


@dataclass(frozen=True)
class Direction:
    """The direction of effect of a comparison estimate, for the cell and the card."""

    code: str  # favours-arm, favours-comparator, no-clear-difference, higher-arm, lower-arm,
    #           significant, not-significant, not-assessed, none (not a comparison)
    text: str
    favoured: str | None = None  # the favoured arm id


@dataclass(frozen=True)
class Estimate:
    """One distinct estimate of a cell with the statements (results) behind it, head first."""

    id: str
    column: Column
    endpoint: str
    head: ResultRecord
    statements: tuple[ResultRecord, ...]
    direction: Direction
    analysis: str
    markers: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    later: tuple[str, ...] = ()  # estimates at a later cutoff that revise this one
    earlier: tuple[str, ...] = ()  # estimates this one revises
    publications: tuple[str, ...] = field(default=())

    @property
    def statement_ids(self) -> tuple[str, ...]:
        return tuple(r.result_id for r in self.statements)


def _head_key(year: Mapping[str, str]) -> Callable[[ResultRecord], tuple[object, ...]]:
    def key(r: ResultRecord) -> tuple[object, ...]:
        return (
            r.cited_origin is not None,
            year.get(r.publication, "9999"),
            r.ci_lower is None,
            r.N is None,
            (r.location or "").lower().startswith("abstract"),
            r.result_id,
        )

    return key


def _p_number(p: str | None) -> tuple[str, Decimal] | None:
    if not p:
        return None
    found = re.match(r"\s*(<=|>=|≤|≥|<|>|=)?\s*([0-9.]+)", p)
    if not found:
        return None
    try:
        return (found.group(1) or "=", Decimal(found.group(2)))
    except InvalidOperation:
        return None


def direction_of(r: ResultRecord, column: Column, endpoint_kind: str, table: EvidenceTable) -> Direction:
    """The direction of effect a comparison result states (see the module docstring)."""
    if column.arm is None or column.comparator is None or r.arm is None or r.comparator is None:
        return Direction("none", "")
    names = {a: _arm_name(table, a) for a in (r.arm, r.comparator)}
    ci = _ci(r)
    if r.measure in ("hazard_ratio", "odds_ratio", "difference", "rmst") and ci is not None:
        null = Decimal(0) if r.measure in ("difference", "rmst") else Decimal(1)
        low, high = ci[0], ci[1]
        if low <= null <= high:
            return Direction("no-clear-difference", f"no clear difference (CI includes {null})")
        above = low > null  # the estimate is above the null: higher in / worse for r.arm
        if r.measure == "hazard_ratio" or (r.measure == "odds_ratio" and endpoint_kind != "efficacy"):
            favoured = r.comparator if above else r.arm
        elif endpoint_kind == "efficacy":
            favoured = r.arm if above else r.comparator
        elif endpoint_kind in ("adverse-event", "safety"):
            favoured = r.comparator if above else r.arm
        else:
            return Direction(
                "higher-arm", f"higher in {names[r.arm] if above else names[r.comparator]}", None
            )
        code = "favours-arm" if favoured == column.arm else "favours-comparator"
        return Direction(code, f"favours {names[favoured]}", favoured)
    p = _p_number(r.p_value)
    if p is None:
        return Direction("not-assessed", "direction not stated (no CI or P value)")
    alpha = r.threshold if r.threshold is not None else DEFAULT_ALPHA
    relation, number = p
    if number < alpha or (relation in ("<", "<=", "≤") and number <= alpha):
        return Direction("significant", "significant difference; direction: see the arm estimates")
    return Direction("not-significant", "no significant difference")


def _rank(sequence: Sequence[str], item: str | None) -> int:
    return sequence.index(item) if item in sequence else len(sequence)


def group_estimates(
    table: EvidenceTable,
    links: Iterable[LinkRow] = (),
    *,
    extra_findings: Iterable[Finding] = (),
) -> list[Estimate]:
    """The estimates of the whole table, cell by cell (see the module docstring for the rule)."""
    links = tuple(links)
    orientation = comparison_orientation(table)
    columns = {r.result_id: column_of(r, table, orientation) for r in table.results}
    by_id = {r.result_id: r for r in table.results}
    kinds = {e.id: e.detail or "other" for e in table.of_kind("endpoint")}
    year = {e.id: e.detail or "" for e in table.of_kind("publication")}
    # rule 1: equal statement keys
    groups: dict[tuple[object, ...], list[ResultRecord]] = defaultdict(list)
    for r in table.results:
        groups[statement_key(r, columns[r.result_id].id)].append(r)
    parent: dict[str, str] = {}
    members: dict[str, list[ResultRecord]] = {}
    for same in groups.values():
        root = same[0].result_id
        members[root] = list(same)
        for r in same:
            parent[r.result_id] = root

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for root in list(members):
        parent[root] = root
    # rule 2: agreeing links with the same number, never joining two different CIs
    for link in sorted(links, key=lambda k: (k.source, k.target)):
        if link.classification != "agrees" or link.source not in by_id or link.target not in by_id:
            continue
        a, b = by_id[link.source], by_id[link.target]
        if columns[a.result_id].id != columns[b.result_id].id or a.endpoint != b.endpoint:
            continue
        if not _same_number(a, b):
            continue
        ra, rb = find(a.result_id), find(b.result_id)
        if ra == rb:
            continue
        cis = {ci for r in members[ra] + members[rb] if (ci := _ci(r)) is not None}
        if len(cis) > 1:
            continue
        keep, drop = sorted((ra, rb))
        parent[drop] = keep
        members[keep].extend(members.pop(drop))
    # findings per result
    findings: dict[str, list[Finding]] = defaultdict(list)
    for f in [*documented_findings(table, links), *extra_findings]:
        findings[f.result_id].append(f)
    head_key = _head_key(year)
    estimates: list[Estimate] = []
    root_of: dict[str, str] = {}
    for statements in members.values():
        ordered = tuple(sorted(statements, key=head_key))
        head = ordered[0]
        column = columns[head.result_id]
        analysis = min((r.analysis or "descriptive" for r in ordered), key=lambda a: _rank(ANALYSIS_ORDER, a))
        est_id = f"est-{head.result_id}"
        for r in ordered:
            root_of[r.result_id] = est_id
        pubs = tuple(sorted({r.publication for r in ordered}, key=lambda p: (year.get(p, ""), p)))
        markers = []
        if len(pubs) > 1 or any(r.cited_origin for r in ordered):
            markers.append("restated")
        mine = tuple(f for r in ordered for f in findings.get(r.result_id, ()))
        if mine:
            markers.append("warning")
        if analysis == "design-assumption":
            markers.append("design-assumption")
        estimates.append(
            Estimate(
                est_id,
                column,
                head.endpoint,
                head,
                ordered,
                direction_of(head, column, kinds.get(head.endpoint, "other"), table),
                analysis,
                tuple(markers),
                mine,
                publications=pubs,
            )
        )
    # later cutoffs: an `updated` link from a statement of one estimate to one of another
    later: dict[str, set[str]] = defaultdict(set)
    earlier: dict[str, set[str]] = defaultdict(set)
    for link in links:
        if link.classification != "updated" or link.source not in root_of or link.target not in root_of:
            continue
        old, new = root_of[link.source], root_of[link.target]
        if old != new:
            later[old].add(new)
            earlier[new].add(old)
    result = []
    for e in estimates:
        markers = list(e.markers)
        if later[e.id]:
            markers.append("later-cutoff")
        if earlier[e.id]:
            markers.append("update")
        result.append(
            Estimate(
                e.id,
                e.column,
                e.endpoint,
                e.head,
                e.statements,
                e.direction,
                e.analysis,
                tuple(markers),
                e.findings,
                tuple(sorted(later[e.id])),
                tuple(sorted(earlier[e.id])),
                e.publications,
            )
        )
    result.sort(key=_estimate_order)
    return result


def _estimate_order(e: Estimate) -> tuple[object, ...]:
    h = e.head
    return (
        e.column.id,
        e.endpoint,
        _rank(ANALYSIS_ORDER, e.analysis),
        _rank(_MEASURE_ORDER, h.measure),
        h.cutoff is None,
        -int(h.cutoff.replace("-", "")) if h.cutoff and h.cutoff.replace("-", "").isdigit() else 0,
        _norm(h.category),
        _norm(h.setting),
        h.grade or "",
        e.id,
    )


def value_text(r: ResultRecord) -> str:
    """The value as printed with its qualifier and unit: ``0.70``, ``>40%``, ``5.4 months``."""
    unit = "" if not r.unit else ("%" if r.unit == "%" else f" {r.unit}")
    rng = (
        f"{format_number(r.range_lower)}\u2013{format_number(r.range_upper)}"
        if r.range_lower is not None and r.range_upper is not None
        else None
    )
    if r.value is None:
        if r.measure == "p_value" and r.p_value:
            return f"P {r.p_value}"
        return rng + unit if rng else "(no value)"
    qualifier = r.value_qualifier or ""
    if qualifier and qualifier[0].isalpha():
        qualifier += " "
    qualifier = {"<=": "\u2264", ">=": "\u2265"}.get(qualifier, qualifier)
    if r.measure == "p_value":
        return f"P {r.p_value or r.value_as_printed or format_number(r.value)}"
    text = qualifier + (r.value_as_printed or format_number(r.value)) + unit
    return text + (f" (range {rng})" if rng else "")
