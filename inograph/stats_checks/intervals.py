"""Confidence intervals: the estimate inside its CI, and proportion CIs recomputed.

A proportion's CI is recomputed with each of the usual methods at the stated level
(statsmodels ``proportion_confint``); the finding names every method whose bounds round to the
printed ones, so a reader learns which method the paper used (Clopper–Pearson for both INO-VATE
reports).  Reference values for the tests come from R's ``binom.test`` (Clopper–Pearson) and
``prop.test(correct = FALSE)`` (Wilson).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Final

from inograph.stats_checks.findings import Check, Finding, Verdict
from inograph.stats_checks.printed import printed
from inograph.stats_checks.proportions import possible_numerators
from inograph.stats_checks.records import CheckedResult

__all__ = ["CI_METHODS", "check_estimate_in_ci", "check_proportion_cis", "proportion_ci"]

#: statsmodels method name → the name reports use, in the order they are tried
CI_METHODS: Final = {
    "beta": "Clopper-Pearson",
    "wilson": "Wilson",
    "jeffreys": "Jeffreys",
    "agresti_coull": "Agresti-Coull",
    "normal": "Wald",
}


def proportion_ci(count: int, nobs: int, level: float, method: str) -> tuple[float, float]:
    """The two-sided CI of ``count``/``nobs`` at ``level`` percent, as proportions in [0, 1].

    ``method`` is a key of :data:`CI_METHODS`.  Wald and Agresti–Coull bounds are clipped to [0, 1].

    >>> [round(x, 4) for x in proportion_ci(0, 10, 95, "beta")]
    [0.0, 0.3085]
    """
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(count, nobs, alpha=1 - level / 100, method=method)
    return max(0.0, float(low)), min(1.0, float(high))


def check_estimate_in_ci(results: Iterable[CheckedResult]) -> Iterator[Finding]:
    """Every result with a value and a CI: lower <= upper and lower <= estimate <= upper."""
    for r in results:
        if r.value is None or r.ci_lower is None or r.ci_upper is None:
            continue
        ordered = r.ci_lower <= r.ci_upper
        inside = r.ci_lower <= r.value <= r.ci_upper
        detail = f"{r.value} in [{r.ci_lower}, {r.ci_upper}]"
        if not ordered:
            detail = f"CI bounds reversed: {r.ci_lower} > {r.ci_upper}"
        elif not inside:
            detail = f"{r.value} lies outside its CI [{r.ci_lower}, {r.ci_upper}]"
        yield Finding(
            Check.ESTIMATE_IN_CI,
            (r.result_id,),
            Verdict.CONSISTENT if ordered and inside else Verdict.INCONSISTENT,
            "lower <= estimate <= upper",
            detail,
            printed=f"{r.value} ({r.ci_lower}–{r.ci_upper})",
        )


def _counts(r: CheckedResult) -> tuple[int, int, str] | None:
    """n and N of a percentage: printed, or the one whole n its N and percentage allow."""
    if not r.N or r.value is None:
        return None
    if r.n is not None:
        return r.n, r.N, ""
    numerators = possible_numerators(printed(r.value, r.quote), r.N)
    if len(numerators) == 1:
        return numerators[0], r.N, f" (n = {numerators[0]} is the only n of {r.N} giving {r.value}%)"
    return None


def check_proportion_cis(results: Iterable[CheckedResult]) -> Iterator[Finding]:
    """A percentage with a CI: which methods reproduce the printed bounds at the stated level?"""
    for r in results:
        if r.measure not in ("percentage", "rate_at_timepoint") or not r.has_ci:
            continue
        assert r.ci_lower is not None and r.ci_upper is not None
        counts = _counts(r) if r.measure == "percentage" else None
        if counts is None or r.ci_level is None:
            why = "no level stated" if counts is not None else "no n/N to recompute from"
            if r.measure == "rate_at_timepoint":
                why = "a Kaplan-Meier rate: its CI needs the survival data"
            yield Finding(Check.PROPORTION_CI, (r.result_id,), Verdict.NOT_CHECKABLE, "", why)
            continue
        n, total, note = counts
        level = float(r.ci_level)
        low, high = printed(r.ci_lower, r.quote), printed(r.ci_upper, r.quote)
        matching: list[str] = []
        bounds: dict[str, tuple[float, float]] = {}
        for method, name in CI_METHODS.items():
            a, b = proportion_ci(n, total, level, method)
            bounds[name] = (100 * a, 100 * b)
            if low.admits(100 * a) and high.admits(100 * b):
                matching.append(name)
        best = matching[0] if matching else "Clopper-Pearson"
        a, b = bounds[best]
        shown = "; ".join(f"{name} {x:.2f}–{y:.2f}" for name, (x, y) in bounds.items())
        yield Finding(
            Check.PROPORTION_CI,
            (r.result_id,),
            Verdict.CONSISTENT if matching else Verdict.INCONSISTENT,
            ", ".join(matching) if matching else "none of " + ", ".join(CI_METHODS.values()),
            f"{n}/{total} at {_level(r.ci_level)}%{note}: {shown}; printed {low.text}–{high.text}",
            printed=f"{low.text}–{high.text}",
            recomputed_lower=round(a, 4),
            recomputed_upper=round(b, 4),
            tolerance=float(max(low.half_unit, high.half_unit)),
        )


def _level(level: Decimal) -> str:
    return format(level.normalize(), "f")
