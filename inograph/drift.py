"""Modelling drift between reports: one quantity curated under two identities (``inograph check-drift``).

Two publications that report one trial must describe the same quantity the same way, or the
linker (:mod:`inograph.links`) never sets them side by side: the same endpoint id, the same
population id, and the row detail in the same field.  This module lists, for a curator, the
pairs of results that look like one quantity curated twice in different ways.

A *candidate pair* is two results of different publications about one trial with the same
arm, comparator, measure, unit and value (n and N equal where both print them) and

* **different ids**: a different endpoint or population id; or
* **different field**: the same endpoint, and the row detail in ``setting`` in one report and
  in ``category`` in the other (each report using only one of the two).

Independently of the values, a report may file a whole table's details in the other field: the
2016 serious-adverse-event table put "during treatment" in ``setting`` while the 2019 table put
the row label in ``category``, so no row of the two ever matched.  For every trial, endpoint,
arm, comparator, measure, grade and seriousness, when one report gives its results only
``setting`` details and another only ``category`` details, the first result of each is listed as
a *field split* candidate (one pair per such group, whatever the values).

A shared value is weak evidence when it is small and common, so *different ids* pairs are
listed only when the value says something: any value of a percentage, median, hazard ratio,
rate, dose, ...; a count, duration or "other" number only from 10 or when it is not whole; a P
value only when printed as an exact number (``<0.001`` is printed by half the papers); and only
between endpoints of the same kind (a baseline row and an adverse event that share "24%" are not
one quantity), except that a population size may be curated as a count of any endpoint.

Pairs a curator has read in the sources and found to be truly different quantities go to the
reviewed list (``evidence/reviewed/drift.yaml``), one entry per pair with the reason; the check
passes when every candidate is reviewed, and a reviewed entry that no longer matches a
candidate is reported too (the list must not go stale).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml

from inograph.errors import EvidenceError, LoadError
from inograph.evidence import Evidence, Result

__all__ = [
    "DriftCandidate",
    "DriftKind",
    "DriftReport",
    "ReviewedPair",
    "candidates",
    "find_drift",
    "load_reviewed",
]

#: measures whose numbers are small and common, so that an equal value alone says little
_COMMON_NUMBER_MEASURES = frozenset({"count", "duration", "other"})


class DriftKind(StrEnum):
    ENDPOINT = "endpoint"
    POPULATION = "population"
    FIELD = "setting/category"
    FIELD_SPLIT = "setting/category split"


@dataclass(frozen=True)
class DriftCandidate:
    """Two results that may be one quantity curated two ways."""

    first: Result
    second: Result
    kinds: tuple[DriftKind, ...]

    @property
    def ids(self) -> frozenset[str]:
        return frozenset({self.first.id, self.second.id})

    def describe(self) -> str:
        a, b = self.first, self.second
        parts = []
        if DriftKind.ENDPOINT in self.kinds:
            parts.append(f"endpoint {a.endpoint} | {b.endpoint}")
        if DriftKind.POPULATION in self.kinds:
            parts.append(f"population {a.population} | {b.population}")
        if DriftKind.FIELD in self.kinds or DriftKind.FIELD_SPLIT in self.kinds:
            parts.append(
                f"row detail in {_detail_field(a)} {_detail(a)!r} | {_detail_field(b)} {_detail(b)!r}"
            )
        return "; ".join(parts)

    def __str__(self) -> str:
        a, b = self.first, self.second
        value = _number(a.value)
        return (
            f"{a.origin}: {a.id}\n{b.origin}: {b.id}\n"
            f"  {a.trial} · {a.arm or '-'}{' vs ' + a.comparator if a.comparator else ''} · "
            f"{a.measure} {value}{' ' + a.unit if a.unit else ''}: {self.describe()}"
        )


@dataclass(frozen=True)
class ReviewedPair:
    """A candidate pair a curator read in the sources: two different quantities, and why."""

    results: frozenset[str]
    reason: str
    origin: str  # file:line of the entry


@dataclass(frozen=True)
class DriftReport:
    candidates: tuple[DriftCandidate, ...]  # every candidate, reviewed or not
    reviewed: tuple[ReviewedPair, ...]

    @property
    def open(self) -> tuple[DriftCandidate, ...]:
        done = {r.results for r in self.reviewed}
        return tuple(c for c in self.candidates if c.ids not in done)

    @property
    def stale(self) -> tuple[ReviewedPair, ...]:
        found = {c.ids for c in self.candidates}
        return tuple(r for r in self.reviewed if r.results not in found)

    @property
    def ok(self) -> bool:
        return not self.open and not self.stale

    def summary(self) -> str:
        entries = "entry" if len(self.stale) == 1 else "entries"
        return (
            f"{len(self.candidates)} candidate pair(s): {len(self.candidates) - len(self.open)} reviewed, "
            f"{len(self.open)} open; {len(self.stale)} stale reviewed {entries}"
        )


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if value == int(value) else str(value)


def _detail_field(result: Result) -> str:
    return "setting" if result.setting is not None else "category"


def _detail(result: Result) -> str | None:
    return result.setting if result.setting is not None else result.category


def _informative(result: Result) -> bool:
    """Whether an equal value is worth a curator's look (see the module docstring)."""
    if result.measure == "p_value":
        return result.p_value is not None and result.p_value.strip()[:1].isdigit()
    if result.measure in _COMMON_NUMBER_MEASURES:
        value = result.value
        return value is not None and (value >= 10 or value != int(value))
    return True


def _same_kind(evidence: Evidence, a: Result, b: Result) -> bool:
    if a.endpoint == b.endpoint or "population-size" in (a.endpoint, b.endpoint):
        return True
    return evidence.endpoints[a.endpoint].kind == evidence.endpoints[b.endpoint].kind


def _detail_in_other_field(a: Result, b: Result) -> bool:
    def only_setting(r: Result) -> bool:
        return r.setting is not None and r.category is None

    def only_category(r: Result) -> bool:
        return r.category is not None and r.setting is None

    return (only_setting(a) and only_category(b)) or (only_category(a) and only_setting(b))


def _compatible_counts(a: Result, b: Result) -> bool:
    return all(x is None or y is None or x == y for x, y in ((a.n, b.n), (a.N, b.N)))


def candidates(evidence: Evidence) -> tuple[DriftCandidate, ...]:
    """Every candidate pair (see the module docstring), in file order of the first result."""
    groups: dict[tuple[Any, ...], list[Result]] = defaultdict(list)
    for result in evidence.results.values():
        if result.trial is None or result.value is None or result.derived is not None:
            continue
        key = (result.trial, result.arm, result.comparator, result.measure, result.unit, result.value)
        groups[key].append(result)
    found = []
    for group in groups.values():
        for a, b in combinations(group, 2):
            if a.publication == b.publication or not _compatible_counts(a, b):
                continue
            kinds = []
            if _informative(a) and _same_kind(evidence, a, b):
                if a.endpoint != b.endpoint:
                    kinds.append(DriftKind.ENDPOINT)
                if a.population != b.population:
                    kinds.append(DriftKind.POPULATION)
            if a.endpoint == b.endpoint and _detail_in_other_field(a, b):
                kinds.append(DriftKind.FIELD)
            if kinds:
                first, second = sorted((a, b), key=_order)
                found.append(DriftCandidate(first, second, tuple(kinds)))
    seen = {c.ids for c in found}
    found.extend(c for c in _field_splits(evidence) if c.ids not in seen)
    return tuple(sorted(found, key=lambda c: (_order(c.first), _order(c.second))))


def _field_splits(evidence: Evidence) -> list[DriftCandidate]:
    """One candidate per group whose reports file their row details in different fields."""
    groups: dict[tuple[Any, ...], dict[str, list[Result]]] = defaultdict(lambda: defaultdict(list))
    for result in evidence.results.values():
        if result.trial is None or result.derived is not None:
            continue
        key = (result.trial, result.endpoint, result.arm, result.comparator, result.measure)
        groups[(*key, result.grade, result.serious)][result.publication].append(result)

    def only(results: list[Result], present: str, absent: str) -> bool:
        return any(getattr(r, present) is not None for r in results) and all(
            getattr(r, absent) is None for r in results
        )

    found = []
    for by_publication in groups.values():
        for a, b in combinations(sorted(by_publication), 2):
            ra, rb = by_publication[a], by_publication[b]
            if (only(ra, "setting", "category") and only(rb, "category", "setting")) or (
                only(ra, "category", "setting") and only(rb, "setting", "category")
            ):
                first, second = sorted((min(ra, key=_order), min(rb, key=_order)), key=_order)
                found.append(DriftCandidate(first, second, (DriftKind.FIELD_SPLIT,)))
    return found


def _order(result: Result) -> tuple[str, int]:
    return (result.origin.file.name, result.origin.line)


def load_reviewed(path: Path) -> tuple[ReviewedPair, ...]:
    """Read the reviewed-exceptions list: ``- {results: [ID, ID], reason: "..."}`` entries."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LoadError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise EvidenceError(f"{path}:{line}: YAML syntax error: {exc.problem}") from None
    if node is None:
        return ()
    data = yaml.safe_load(text)
    if not isinstance(node, yaml.SequenceNode) or not isinstance(data, list):
        raise EvidenceError(f"{path}:1: the reviewed drift list must be a list of entries")
    reviewed = []
    seen: dict[frozenset[str], str] = {}
    for item_node, item in zip(node.value, data, strict=True):
        where = f"{path}:{item_node.start_mark.line + 1}"
        if not isinstance(item, dict) or set(item) != {"results", "reason"}:
            raise EvidenceError(f"{where}: an entry has exactly the keys 'results' (two ids) and 'reason'")
        ids = item["results"]
        if not (isinstance(ids, list) and len(ids) == 2 and all(isinstance(i, str) for i in ids)):
            raise EvidenceError(f"{where}: 'results' must list two result ids")
        if ids[0] == ids[1]:
            raise EvidenceError(f"{where}: 'results' names {ids[0]!r} twice")
        reason = item["reason"]
        if not isinstance(reason, str) or not reason.strip():
            raise EvidenceError(f"{where}: 'reason' must say why the two are different quantities")
        pair = frozenset(ids)
        if pair in seen:
            raise EvidenceError(f"{where}: pair already reviewed at {seen[pair]}")
        seen[pair] = where
        reviewed.append(ReviewedPair(pair, reason.strip(), where))
    return tuple(reviewed)


def find_drift(evidence: Evidence, reviewed: Iterable[ReviewedPair] = ()) -> DriftReport:
    """Candidate pairs of ``evidence`` and which of them are ``reviewed``.

    A reviewed entry naming an unknown result id is an error: the list must follow the curation.
    """
    reviewed = tuple(reviewed)
    for entry in reviewed:
        unknown = sorted(i for i in entry.results if i not in evidence.results)
        if unknown:
            raise EvidenceError(f"{entry.origin}: unknown result id {', '.join(map(repr, unknown))}")
    return DriftReport(candidates(evidence), reviewed)
