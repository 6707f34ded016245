"""The same number printed twice in one publication (abstract, results, table, discussion).

Two results are the same quantity when they agree on everything but the quote: publication,
trial, endpoint, population, category, grade, setting, timepoint, cutoff, arm, comparator and
measure.  Their values (and n, N, CI bounds where both print them) must agree at the coarser of
the two printed precisions; P values printed as bounds must overlap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal

from inograph.stats_checks.findings import Check, Finding, Verdict
from inograph.stats_checks.printed import p_interval, printed
from inograph.stats_checks.records import CheckedResult

__all__ = ["check_printed_twice", "same_at_precision"]

_SKIPPED = ("other", "dose", "duration")


def same_at_precision(a: Decimal, quote_a: str | None, b: Decimal, quote_b: str | None) -> bool:
    """Equal after rounding the more precise print to the coarser one's decimals.

    >>> same_at_precision(Decimal("80.7"), "80.7%", Decimal("81"), "81%")
    True
    """
    pa, pb = printed(a, quote_a), printed(b, quote_b)
    coarse = pa if pa.decimals <= pb.decimals else pb
    return abs(a - b) <= coarse.half_unit


def _differences(a: CheckedResult, b: CheckedResult) -> list[str]:
    problems = []
    if a.measure == "p_value" and a.p_value and b.p_value:
        la, ha, _ = p_interval(a.p_value)
        lb, hb, _ = p_interval(b.p_value)
        if ha < lb or hb < la:
            problems.append(f"P {a.p_value} vs {b.p_value}")
        return problems
    for name in ("value", "ci_lower", "ci_upper"):
        x, y = getattr(a, name), getattr(b, name)
        if x is not None and y is not None and not same_at_precision(x, a.quote, y, b.quote):
            problems.append(f"{name} {x} vs {y}")
    for name in ("n", "N"):
        x, y = getattr(a, name), getattr(b, name)
        if x is not None and y is not None and x != y:
            problems.append(f"{name} {x} vs {y}")
    return problems


def check_printed_twice(results: Iterable[CheckedResult]) -> Iterator[Finding]:
    """Each later print of a quantity against its first print (by result id) in the same publication."""
    groups: dict[tuple[object, ...], list[CheckedResult]] = defaultdict(list)
    for r in results:
        if r.measure in _SKIPPED or (r.value is None and r.range_lower is None):
            continue
        groups[(*r.row, r.arm, r.comparator, r.measure)].append(r)
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda m: m.result_id)
        first = members[0]
        for other in members[1:]:
            problems = _differences(first, other)
            yield Finding(
                Check.PRINTED_TWICE,
                (other.result_id, first.result_id),
                Verdict.INCONSISTENT if problems else Verdict.CONSISTENT,
                "equal at the coarser printed precision",
                "; ".join(problems) if problems else f"{other.value} agrees with {first.value}",
                printed=format(other.value, "f") if other.value is not None else "",
                recomputed=float(first.value) if first.value is not None else None,
            )
