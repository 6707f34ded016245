"""Which results report the same quantity: the matching rule ``inograph trace`` falls back on.

The cross-source linker (``inograph/links.py``) states these relations in the graph
(``ino:sameQuantityAs``, ``prov:wasRevisionOf``); when its triples are present, trace uses
them and this rule is not consulted.  Until then, and for graphs built without the linker,
two results are taken to report the same quantity when they agree on every field of the
quantity they measure (:func:`same_quantity`):

* trial, endpoint, measure class (percentage, median, hazard ratio, ...), arm, comparator,
  category, grade, timepoint, setting and seriousness are equal (absent equals absent);
* the population is the same, or both are the trial's whole-population kind of the same
  kind (``itt``, ``safety``, ...), or both are subsets of the same kind with the same
  defining characteristic (a later paper's own id for "patients aged >=55 years").

Value, unit and cutoff are *not* part of the quantity: a later report of the same quantity
at a later cutoff, or one that disagrees, is exactly what a reviewer wants to see.

A restated figure (``ino:citedOrigin``) is matched to its original more leniently
(:func:`find_originals`), because a restatement often leaves out what the original spelled
out: only results of the cited publication are candidates, fields the restatement leaves
unset match anything, populations need only be of the same kind, and strict matches win
over lenient ones; when several candidates remain, those with the same value are kept.
When neither finds one, a last tier accepts a result of the cited publication with the same
endpoint, measure class, trial and arm (where the restatement sets them) *and the same
value*: category, setting and population are free text or publication-specific ids that a
restatement words its own way ("among patients with CR/CRi" for a responders population).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "QUANTITY_FIELDS",
    "WHOLE_POPULATION_KINDS",
    "ReportedQuantity",
    "find_originals",
    "restates",
    "same_population",
    "same_quantity",
]

QUANTITY_FIELDS = (
    "trial",
    "endpoint",
    "measure",
    "arm",
    "comparator",
    "category",
    "grade",
    "timepoint",
    "setting",
    "serious",
)

# kinds of which a trial has one population: two of them of the same kind are the same people
WHOLE_POPULATION_KINDS = frozenset(
    {"itt", "mitt", "safety", "remission-analysis", "as-treated", "per-protocol", "treated"}
)


@dataclass(frozen=True)
class ReportedQuantity:
    """One result as the rule sees it: what it measures, and where and when it was reported.

    IRIs are kept as strings; ``origin`` is the publication a restated figure cites.
    """

    result: str
    id: str
    publication: str
    publication_id: str | None
    year: int | None
    endpoint: str
    measure: str | None = None
    trial: str | None = None
    arm: str | None = None
    comparator: str | None = None
    population: str | None = None
    population_kind: str | None = None
    characteristic: str | None = None
    category: str | None = None
    grade: str | None = None
    timepoint: str | None = None
    setting: str | None = None
    serious: bool | None = None
    value: Decimal | None = None
    unit: str | None = None
    cutoff_date: str | None = None
    origin: str | None = None


def same_population(a: ReportedQuantity, b: ReportedQuantity) -> bool:
    """Same population id, or the same people under two publications' ids (see module doc).

    >>> itt = ReportedQuantity("r1", "r1", "p1", None, None, "e", trial="t",
    ...                        population="t-itt", population_kind="itt")
    >>> same_population(itt, ReportedQuantity("r2", "r2", "p2", None, None, "e", trial="t",
    ...                                       population="p2-itt", population_kind="itt"))
    True
    """
    if a.population == b.population:
        return True
    if a.population is None or b.population is None or a.trial != b.trial:
        return False
    if a.population_kind != b.population_kind or a.population_kind is None:
        return False
    if a.population_kind in WHOLE_POPULATION_KINDS:
        return True
    return a.characteristic is not None and a.characteristic == b.characteristic


def same_quantity(a: ReportedQuantity, b: ReportedQuantity) -> bool:
    """True when ``a`` and ``b`` measure the same quantity (the rule in the module doc)."""
    return all(getattr(a, f) == getattr(b, f) for f in QUANTITY_FIELDS) and same_population(a, b)


def restates(restated: ReportedQuantity, original: ReportedQuantity) -> bool:
    """Could ``original`` be what ``restated`` restates?  Unset fields of the restatement match."""
    if restated.origin is None or original.publication != restated.origin:
        return False
    for field in QUANTITY_FIELDS:
        mine = getattr(restated, field)
        if mine is not None and mine != getattr(original, field):
            return False
    if restated.population is None or same_population(restated, original):
        return True
    return restated.population_kind is not None and restated.population_kind == original.population_kind


def find_originals(
    restated: ReportedQuantity, candidates: Iterable[ReportedQuantity]
) -> tuple[ReportedQuantity, ...]:
    """The results of the cited publication that ``restated`` corresponds to, best first."""
    candidates = list(candidates)
    lenient = [c for c in candidates if restates(restated, c)]
    strict = [c for c in lenient if same_quantity(restated, c)]
    chosen: Sequence[ReportedQuantity] = strict or lenient
    if not chosen and restated.value is not None:
        chosen = [c for c in candidates if _same_value_fallback(restated, c)]
    if len(chosen) > 1 and restated.value is not None:
        same_value = [c for c in chosen if c.value == restated.value]
        chosen = same_value or chosen
    return tuple(sorted(chosen, key=lambda c: c.id))


def _same_value_fallback(restated: ReportedQuantity, original: ReportedQuantity) -> bool:
    if original.publication != restated.origin or original.value != restated.value:
        return False
    return all(
        getattr(restated, f) is None or getattr(restated, f) == getattr(original, f)
        for f in ("trial", "endpoint", "measure", "arm", "comparator")
    )
