"""Proportions: is a printed percentage possible for its counts?

- percentage vs n/N at the printed precision ("17 of 36 patients (68.0%)": 17/36 = 47.2%);
- a percentage with only N printed: is any whole n possible (the granularity test of
  Brown & Heathers' GRIM, applied to proportions)?
- a count with a percentage and no N: which N are possible?
- 0 <= n <= N and N > 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Final

from inograph.stats_checks.findings import Check, Finding, Verdict
from inograph.stats_checks.printed import Printed, printed
from inograph.stats_checks.records import CheckedResult

__all__ = [
    "check_count_bounds",
    "check_count_denominators",
    "check_granularity",
    "check_percentage_counts",
    "possible_denominators",
    "possible_numerators",
]

#: the largest N tried for a count printed with a percentage but no N
MAX_DENOMINATOR: Final = 1000


def possible_numerators(shown: Printed, denominator: int) -> list[int]:
    """The whole n in 0..N with 100·n/N rounding to the printed percentage.

    >>> possible_numerators(printed(__import__("decimal").Decimal("29.4"), "29.4"), 109)
    [32]
    """
    low = max(0, math.floor(float(shown.low) * denominator / 100) - 1)
    high = min(denominator, math.ceil(float(shown.high) * denominator / 100) + 1)
    return [n for n in range(low, high + 1) if shown.admits(100 * n / denominator)]


def possible_denominators(shown: Printed, numerator: int, limit: int = MAX_DENOMINATOR) -> list[int]:
    """The N in max(n, 1)..limit with 100·n/N rounding to the printed percentage."""
    return [d for d in range(max(numerator, 1), limit + 1) if shown.admits(100 * numerator / d)]


def _percentages(results: Iterable[CheckedResult]) -> Iterator[tuple[CheckedResult, Printed]]:
    for r in results:
        if r.measure == "percentage" and r.value is not None:
            yield r, printed(r.value, r.quote)


def check_percentage_counts(results: Iterable[CheckedResult]) -> Iterator[Finding]:
    """A percentage with n and N printed: does 100·n/N round to it?"""
    for r, shown in _percentages(results):
        if r.n is None or not r.N:
            continue
        exact = 100 * r.n / r.N
        ok = shown.admits(exact)
        yield Finding(
            Check.PERCENTAGE_COUNTS,
            (r.result_id,),
            Verdict.CONSISTENT if ok else Verdict.INCONSISTENT,
            "100·n/N rounded to the printed decimals",
            f"{r.n}/{r.N} = {exact:.4g}%; printed {shown.text}%"
            + ("" if ok else f" (allowed {shown.low}–{shown.high})"),
            printed=shown.text,
            recomputed=round(exact, 6),
            tolerance=float(shown.half_unit),
        )


def check_granularity(results: Iterable[CheckedResult]) -> Iterator[Finding]:
    """A percentage with N but no n: is there a whole n that gives it?"""
    for r, shown in _percentages(results):
        if r.n is not None or not r.N:
            continue
        numerators = possible_numerators(shown, r.N)
        found = ", ".join(map(str, numerators[:5])) + ("…" if len(numerators) > 5 else "")
        yield Finding(
            Check.PERCENTAGE_GRANULARITY,
            (r.result_id,),
            Verdict.CONSISTENT if numerators else Verdict.INCONSISTENT,
            "whole n in 0..N with 100·n/N rounding to the print",
            f"n = {found} of {r.N} give {shown.text}%"
            if numerators
            else f"no whole n of {r.N} gives {shown.text}%",
            printed=shown.text,
            recomputed=float(numerators[0]) if len(numerators) == 1 else None,
            tolerance=float(shown.half_unit),
        )


def check_count_denominators(
    results: Iterable[CheckedResult], sizes: Mapping[tuple[str, str], tuple[int, str]] | None = None
) -> Iterator[Finding]:
    """A count printed with a percentage but no N: which N (up to 1000) are possible?

    ``sizes`` ((population, arm or "") → (size, result id)) lets the finding say whether the
    population's printed size is one of them; it need not be (a percentage of evaluable patients).
    """
    for r, shown in _percentages(results):
        if r.n is None or r.N is not None:
            continue
        found = possible_denominators(shown, r.n)
        listed = ", ".join(map(str, found[:6])) + ("…" if len(found) > 6 else "")
        size = (sizes or {}).get((r.population or "", r.arm or ""))
        fits = ""
        if size is not None and found:
            fits = f"; the population's size {size[0]} is {'one of them' if size[0] in found else 'not'}"
        yield Finding(
            Check.COUNT_DENOMINATORS,
            (r.result_id,),
            Verdict.CONSISTENT if found else Verdict.INCONSISTENT,
            f"whole N in n..{MAX_DENOMINATOR} with 100·n/N rounding to the print",
            (f"N = {listed} give {r.n} = {shown.text}%" if found
             else f"no N up to {MAX_DENOMINATOR} gives {r.n} = {shown.text}%") + fits,
            printed=shown.text,
            recomputed=float(found[0]) if found else None,
            tolerance=float(shown.half_unit),
        )  # fmt: skip


def check_count_bounds(results: Iterable[CheckedResult]) -> Iterator[Finding]:
    """Every result with n and N: 0 <= n <= N and N > 0."""
    for r in results:
        if r.n is None or r.N is None:
            continue
        ok = r.N > 0 and 0 <= r.n <= r.N
        yield Finding(
            Check.COUNT_BOUNDS,
            (r.result_id,),
            Verdict.CONSISTENT if ok else Verdict.INCONSISTENT,
            "0 <= n <= N, N > 0",
            f"n = {r.n}, N = {r.N}",
            printed=f"{r.n}/{r.N}",
        )
