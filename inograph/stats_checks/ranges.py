"""Medians and ranges: a median lies inside its range, and every range is ordered."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from inograph.stats_checks.findings import Check, Finding, Verdict
from inograph.stats_checks.records import CheckedResult

__all__ = ["check_medians_and_ranges"]


def check_medians_and_ranges(results: Iterable[CheckedResult]) -> Iterator[Finding]:
    """Every result with a range: min <= max, and min <= median <= max for a median."""
    for r in results:
        if r.range_lower is None or r.range_upper is None:
            continue
        ordered = r.range_lower <= r.range_upper
        inside = r.value is None or r.range_lower <= r.value <= r.range_upper
        if not ordered:
            detail = f"range reversed: {r.range_lower} > {r.range_upper}"
        elif r.value is None:
            detail = f"range {r.range_lower}–{r.range_upper} is ordered"
        else:
            detail = (
                f"{r.measure} {r.value} {'in' if inside else 'outside'} range {r.range_lower}–{r.range_upper}"
            )
        yield Finding(
            Check.MEDIAN_RANGE,
            (r.result_id,),
            Verdict.CONSISTENT if ordered and inside else Verdict.INCONSISTENT,
            "min <= value <= max" if r.value is not None else "min <= max",
            detail,
            printed=f"{r.range_lower}–{r.range_upper}",
        )
