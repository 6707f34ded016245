"""Tests from counts: the P value of a comparison of two proportions, recomputed from n/N.

Fisher's exact test (scipy ``fisher_exact``) and Pearson's chi-square test without and with
Yates' correction (scipy ``chi2_contingency``), at the printed sidedness.  When the paper names
its rule ("chi-square or Fisher exact if any cell count < 5"), the rule picks the test; when it
names none, every test is tried and the finding says which reproduce the print.  A stratified
(Cochran–Mantel–Haenszel) test needs the counts per stratum, which the papers do not print.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from inograph.stats_checks.findings import Check, Finding, Verdict
from inograph.stats_checks.printed import p_interval
from inograph.stats_checks.records import CheckedResult

__all__ = ["check_tests_from_counts", "chi_square_p", "fisher_p", "named_tests"]

Table = tuple[tuple[int, int], tuple[int, int]]


def _table(n1: int, t1: int, n2: int, t2: int) -> Table:
    return (n1, t1 - n1), (n2, t2 - n2)


def fisher_p(n1: int, t1: int, n2: int, t2: int, sided: str = "two") -> float:
    """Fisher's exact P for n1/t1 vs n2/t2; one-sided means "arm 1 higher".

    >>> round(fisher_p(3, 4, 1, 4), 4)   # R: fisher.test(matrix(c(3,1,1,3),2))$p.value
    0.4857
    """
    from scipy.stats import fisher_exact

    alternative = "greater" if sided == "one" else "two-sided"
    return float(fisher_exact(_table(n1, t1, n2, t2), alternative=alternative).pvalue)


def chi_square_p(n1: int, t1: int, n2: int, t2: int, *, sided: str = "two", yates: bool = False) -> float:
    """Pearson's chi-square P (one-sided: half the two-sided P in the direction "arm 1 higher")."""
    from scipy.stats import chi2_contingency

    result = chi2_contingency(_table(n1, t1, n2, t2), correction=yates)
    p = float(result.pvalue)
    if sided != "one":
        return p
    return p / 2 if n1 / t1 >= n2 / t2 else 1 - p / 2


def named_tests(test: str | None, counts: tuple[int, int, int, int]) -> list[str] | None:
    """The tests to recompute for the paper's wording; None when it names a stratified test."""
    text = (test or "").lower()
    if "stratif" in text or "mantel" in text or "cochran" in text:
        return None
    fisher, chi = "fisher" in text, "chi" in text
    if fisher and chi and "<5" in text.replace(" ", ""):
        n1, t1, n2, t2 = counts
        small = min(n1, t1 - n1, n2, t2 - n2) < 5
        return ["Fisher exact"] if small else ["chi-square", "chi-square (Yates)"]
    if chi and not fisher:
        return ["chi-square", "chi-square (Yates)"]
    if fisher and not chi:
        return ["Fisher exact"]
    return ["Fisher exact", "chi-square", "chi-square (Yates)"]


def _p(test: str, counts: tuple[int, int, int, int], sided: str) -> float:
    if test == "Fisher exact":
        return fisher_p(*counts, sided=sided)
    return chi_square_p(*counts, sided=sided, yates=test.endswith("(Yates)"))


def check_tests_from_counts(
    results: Iterable[CheckedResult], counts: Mapping[tuple[tuple[str, ...], str], tuple[int, int, str, str]]
) -> Iterator[Finding]:
    """Every printed P of a two-arm comparison whose arms both print n/N in the same row."""
    for r in results:
        if r.p_value is None or not r.arm or not r.comparator:
            continue
        if r.measure not in ("p_value", "difference"):
            continue
        one, two = counts.get((r.row, r.arm)), counts.get((r.row, r.comparator))
        if one is None or two is None:
            continue
        table = (one[0], one[1], two[0], two[1])
        ids = (r.result_id, one[2], two[2])
        tests = named_tests(r.test, table)
        if tests is None:
            yield Finding(
                Check.TEST_FROM_COUNTS, ids, Verdict.NOT_CHECKABLE, r.test or "",
                "a stratified test needs the counts per stratum, which are not printed",
                printed=r.p_value,
            )  # fmt: skip
            continue
        sides = [r.p_sided] if r.p_sided in ("one", "two") else ["two", "one"]
        low, high, _ = p_interval(r.p_value)
        computed = {(t, s): _p(t, table, s) for t in tests for s in sides}
        fits = [(t, s) for (t, s), p in computed.items() if low - 1e-12 <= p <= high + 1e-12]
        shown = "; ".join(f"{t} {s}-sided {p:.3g}" for (t, s), p in computed.items())
        named = f"; the paper's test: {r.test}" if r.test else "; the paper names no test"
        best = computed[fits[0] if fits else next(iter(computed))]
        yield Finding(
            Check.TEST_FROM_COUNTS,
            ids,
            Verdict.CONSISTENT if fits else Verdict.INCONSISTENT,
            ", ".join(f"{t} ({s}-sided)" for t, s in fits) if fits else "none of " + ", ".join(tests),
            f"{table[0]}/{table[1]}{one[3]} vs {table[2]}/{table[3]}{two[3]}: {shown}; "
            f"printed P {r.p_value}{named}",
            printed=r.p_value,
            recomputed=best,
            tolerance=(high - low) / 2 if not r.p_value.lstrip().startswith(("<", ">", "≤", "≥")) else None,
        )
