"""Differences of two proportions: the printed difference and its CI, from the two arms' n/N.

The CI is recomputed at the stated level by the Wald, Newcombe (hybrid score), Agresti–Caffo
and Miettinen–Nurminen score methods (statsmodels ``confint_proportions_2indep``); the finding
names each method whose bounds round to the printed ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Final

from inograph.stats_checks.findings import Check, Finding, Verdict
from inograph.stats_checks.printed import printed
from inograph.stats_checks.proportions import possible_numerators
from inograph.stats_checks.records import CheckedResult

__all__ = ["DIFFERENCE_METHODS", "arm_counts", "check_differences", "difference_ci"]

DIFFERENCE_METHODS: Final = {
    "wald": "Wald",
    "newcomb": "Newcombe",
    "agresti-caffo": "Agresti-Caffo",
    "score": "Miettinen-Nurminen score",
}

#: (row, arm) → (n, N, result id, how n was found: "" printed, else a note)
ArmCounts = Mapping[tuple[tuple[str, ...], str], tuple[int, int, str, str]]


def arm_counts(
    results: Iterable[CheckedResult],
) -> dict[tuple[tuple[str, ...], str], tuple[int, int, str, str]]:
    """(row, arm) → (n, N, result id, note) of the percentages of one arm with a known n and N.

    n is the printed numerator, or else the only whole n that the printed N and percentage
    allow (the note then says so).  Where one row and arm is printed more than once, a printed n
    wins, then the first result by id.
    """
    found: dict[tuple[tuple[str, ...], str], tuple[int, int, str, str]] = {}
    ordered = sorted(results, key=lambda x: x.result_id)
    for r in ordered:
        if r.measure == "percentage" and r.arm and r.n is not None and r.N:
            found.setdefault((r.row, r.arm), (r.n, r.N, r.result_id, ""))
    for r in ordered:
        if r.measure == "percentage" and r.arm and r.n is None and r.N and r.value is not None:
            numerators = possible_numerators(printed(r.value, r.quote), r.N)
            if len(numerators) == 1:
                note = f" (n = {numerators[0]}: the only n of {r.N} giving {printed(r.value, r.quote).text}%)"
                found.setdefault((r.row, r.arm), (numerators[0], r.N, r.result_id, note))
    return found


def difference_ci(counts: tuple[int, int, int, int], level: float, method: str) -> tuple[float, float]:
    """The two-sided CI (proportions) of p1 - p2 from (n1, N1, n2, N2) at ``level`` percent."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    n1, t1, n2, t2 = counts
    low, high = confint_proportions_2indep(
        n1, t1, n2, t2, method=method, compare="diff", alpha=1 - level / 100
    )
    return float(low), float(high)


def check_differences(results: Iterable[CheckedResult], counts: ArmCounts) -> Iterator[Finding]:
    """A difference between two arms with n/N known for both: the value and its CI."""
    for r in results:
        if r.measure != "difference" or r.value is None or not r.arm or not r.comparator:
            continue
        one, two = counts.get((r.row, r.arm)), counts.get((r.row, r.comparator))
        if one is None or two is None:
            continue
        n1, t1, id1, note1 = one
        n2, t2, id2, note2 = two
        ids = (r.result_id, id1, id2)
        exact = 100 * (n1 / t1 - n2 / t2)
        shown = printed(r.value, r.quote)
        yield Finding(
            Check.DIFFERENCE,
            ids,
            Verdict.CONSISTENT if shown.admits(exact) else Verdict.INCONSISTENT,
            "100·(n1/N1 − n2/N2)",
            f"{n1}/{t1}{note1} − {n2}/{t2}{note2} = {exact:.3f} percentage points; printed {shown.text}",
            printed=shown.text,
            recomputed=round(exact, 6),
            tolerance=float(shown.half_unit),
        )
        if not r.has_ci or r.ci_level is None:
            continue
        assert r.ci_lower is not None and r.ci_upper is not None
        level = float(r.ci_level)
        low, high = printed(r.ci_lower, r.quote), printed(r.ci_upper, r.quote)
        matching, bounds = [], {}
        for method, name in DIFFERENCE_METHODS.items():
            try:
                a, b = difference_ci((n1, t1, n2, t2), level, method)
            except ValueError:  # statsmodels' score inversion finds no root at some extremes
                continue
            bounds[name] = (100 * a, 100 * b)
            if low.admits(100 * a) and high.admits(100 * b):
                matching.append(name)
        best = bounds[matching[0]] if matching else next(iter(bounds.values()))
        listed = "; ".join(f"{name} {x:.2f}–{y:.2f}" for name, (x, y) in bounds.items())
        yield Finding(
            Check.DIFFERENCE_CI,
            ids,
            Verdict.CONSISTENT if matching else Verdict.INCONSISTENT,
            ("CI: " + ", ".join(matching))
            if matching
            else "CI: none of " + ", ".join(DIFFERENCE_METHODS.values()),
            f"{format(r.ci_level.normalize(), 'f')}% CI of {n1}/{t1} − {n2}/{t2}: {listed}; "
            f"printed {low.text}–{high.text}",
            printed=f"{low.text}–{high.text}",
            recomputed_lower=round(best[0], 4),
            recomputed_upper=round(best[1], 4),
            tolerance=float(max(low.half_unit, high.half_unit)),
        )
