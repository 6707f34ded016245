"""Hazard ratios: a Cox model's CI is symmetric about log HR, and the CI implies a P value.

With SE = (log U − log L) / (2·z_{(1+level)/2}) and z = |log HR| / SE, the Wald P value is
2·(1 − Φ(z)) two-sided or 1 − Φ(z) one-sided (scipy ``norm``).  Both checks run over every
value that rounds to the printed HR and bounds, so a disagreement is one that rounding cannot
explain.  A P value from a (stratified) log-rank test can differ slightly from the Wald P of the
Cox model (the score and Wald statistics of one model differ in their second decimal); when
the paper names a log-rank test, P values within :data:`LOGRANK_Z_TOLERANCE` on the normal
z scale count as agreeing, and the finding says so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator

from inograph.stats_checks.findings import Check, Finding, Verdict
from inograph.stats_checks.printed import Printed, p_interval, printed
from inograph.stats_checks.records import CheckedResult

__all__ = [
    "LOGRANK_Z_TOLERANCE",
    "check_hr_ci_symmetry",
    "check_hr_p_values",
    "p_range_from_ci",
    "wald_p_from_ci",
]

RATIO_MEASURES = ("hazard_ratio", "odds_ratio")
#: how far (normal z scale) a log-rank P may sit from the Wald P its CI implies
LOGRANK_Z_TOLERANCE = 0.05


def _z(p: float, sided: str) -> float:
    from scipy.stats import norm

    return float(norm.isf(p if sided == "one" else p / 2))


def wald_p_from_ci(ratio: float, lower: float, upper: float, level: float, sided: str = "two") -> float:
    """The Wald P value of a ratio implied by its CI (normal approximation on the log scale).

    >>> round(wald_p_from_ci(0.77, 0.58, 1.03, 97.5), 4)
    0.0413
    """
    from scipy.stats import norm

    z_level = float(norm.ppf(0.5 + level / 200))
    se = (math.log(upper) - math.log(lower)) / (2 * z_level)
    z = abs(math.log(ratio)) / se
    tail = float(norm.sf(z))
    return tail if sided == "one" else 2 * tail


def p_range_from_ci(
    hr: Printed, low: Printed, high: Printed, level: float, sided: str
) -> tuple[float, float]:
    """The smallest and largest implied P over every HR and bounds that round to the prints.

    P falls as |log HR| grows and as the CI narrows, so the extremes sit at the corners.
    """
    ratios = [float(hr.low), float(hr.high)]
    if float(hr.low) <= 1 <= float(hr.high):
        ratios.append(1.0)
    values = [
        wald_p_from_ci(x, float(lo), float(up), level, sided)
        for x in ratios
        for lo in (low.low, low.high)
        for up in (high.low, high.high)
        if lo > 0 and up > lo
    ]
    return min(values), max(values)


def _ratios(results: Iterable[CheckedResult]) -> Iterator[tuple[CheckedResult, Printed, Printed, Printed]]:
    for r in results:
        if r.measure in RATIO_MEASURES and r.value is not None and r.has_ci:
            assert r.ci_lower is not None and r.ci_upper is not None
            if r.ci_lower > 0 and r.value > 0:
                yield r, printed(r.value, r.quote), printed(r.ci_lower, r.quote), printed(r.ci_upper, r.quote)


def check_hr_ci_symmetry(results: Iterable[CheckedResult]) -> Iterator[Finding]:
    """log HR lies midway between log L and log U, within the rounding of all three prints."""
    for r, hr, low, high in _ratios(results):
        # the geometric middle √(L·U) over every pair of bounds that round to the prints
        middle_low = math.sqrt(float(low.low) * float(high.low))
        middle_high = math.sqrt(float(low.high) * float(high.high))
        ok = middle_low <= float(hr.high) + 1e-9 and float(hr.low) - 1e-9 <= middle_high
        middle = math.sqrt(float(low.value) * float(high.value))
        yield Finding(
            Check.HR_CI_SYMMETRY,
            (r.result_id,),
            Verdict.CONSISTENT if ok else Verdict.INCONSISTENT,
            "HR = √(lower·upper) on the log scale, within rounding",
            f"√({low.text}·{high.text}) = {middle:.4f} (possible {middle_low:.4f}–{middle_high:.4f}); "
            f"printed HR {hr.text}",
            printed=f"{hr.text} ({low.text}–{high.text})",
            recomputed=round(middle, 6),
            recomputed_lower=round(middle_low, 6),
            recomputed_upper=round(middle_high, 6),
            tolerance=float(hr.half_unit),
        )


def check_hr_p_values(results: Iterable[CheckedResult]) -> Iterator[Finding]:
    """The P value implied by a ratio's CI agrees with the printed P at the printed sidedness."""
    for r, hr, low, high in _ratios(results):
        if r.p_value is None:
            continue
        if r.ci_level is None:
            yield Finding(Check.HR_P_FROM_CI, (r.result_id,), Verdict.NOT_CHECKABLE, "", "no CI level stated")
            continue
        p_low, p_high, bound = p_interval(r.p_value)
        level = float(r.ci_level)
        sides = [r.p_sided] if r.p_sided in ("one", "two") else ["two", "one"]
        fits: list[str] = []
        ranges = {}
        logrank_gap: float | None = None
        for sided in sides:
            lo, hi = p_range_from_ci(hr, low, high, level, sided)
            ranges[sided] = (lo, hi)
            if lo <= p_high + 1e-12 and p_low - 1e-12 <= hi:
                fits.append(sided)
            elif "log-rank" in (r.test or "") and p_low > 0:
                # distance on the z scale between the printed interval and the implied one
                gap = min(abs(_z(a, sided) - _z(b, sided)) for a in (p_low, p_high) for b in (lo, hi))
                if gap <= LOGRANK_Z_TOLERANCE:
                    fits.append(sided)
                    logrank_gap = gap
        shown = "; ".join(f"{s}-sided {lo:.4g}–{hi:.4g}" for s, (lo, hi) in ranges.items())
        sided_note = "" if r.p_sided in ("one", "two") else " (sidedness not printed: both tried)"
        test = f"; the paper's test: {r.test}" if r.test else ""
        chosen = ranges[fits[0] if fits else sides[0]]
        yield Finding(
            Check.HR_P_FROM_CI,
            (r.result_id,),
            Verdict.CONSISTENT if fits else Verdict.INCONSISTENT,
            "Wald P from log HR and its CI (normal approximation)"
            + (f", {'/'.join(fits)}-sided" if fits else ""),
            f"implied P {shown}{sided_note}; printed P {r.p_value}{test}"
            + (
                f" (log-rank P within {logrank_gap:.3f} of the Wald P on the z scale)"
                if logrank_gap is not None
                else ""
            ),
            printed=r.p_value,
            recomputed_lower=round(chosen[0], 6),
            recomputed_upper=round(chosen[1], 6),
            tolerance=None if bound else (p_high - p_low) / 2,
        )
