"""check-stats methods against published reference values: R's binom.test / prop.test / fisher.test
outputs (closed forms where they exist, so the expected numbers are exact), and the numbers the
source papers print (kantarjian2016 Table 2, kantarjian2013 Table 1, the 2016 OS hazard ratio)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from inograph.stats_checks.differences import arm_counts, check_differences, difference_ci
from inograph.stats_checks.findings import Check, Verdict
from inograph.stats_checks.hazard_ratios import check_hr_ci_symmetry, check_hr_p_values, wald_p_from_ci
from inograph.stats_checks.intervals import check_estimate_in_ci, check_proportion_cis, proportion_ci
from inograph.stats_checks.printed import p_interval, printed, printed_text
from inograph.stats_checks.proportions import (
    check_count_bounds,
    check_granularity,
    check_percentage_counts,
    possible_denominators,
    possible_numerators,
)
from inograph.stats_checks.records import CheckedResult
from inograph.stats_checks.repeats import check_printed_twice
from inograph.stats_checks.sums import check_category_sums, check_grade_sums
from inograph.stats_checks.tests_from_counts import (
    check_tests_from_counts,
    chi_square_p,
    fisher_p,
    named_tests,
)


def res(rid: str, measure: str = "percentage", **facts: object) -> CheckedResult:
    defaults: dict[str, object] = {"publication": "p", "endpoint": "e", "trial": "t", "population": "pop"}
    defaults.update(facts)
    for key in ("value", "ci_lower", "ci_upper", "ci_level", "range_lower", "range_upper"):
        if defaults.get(key) is not None:
            defaults[key] = Decimal(str(defaults[key]))
    return CheckedResult(iri=f"urn:{rid}", result_id=rid, measure=measure, **defaults)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- printed precision


def test_printed_text_keeps_trailing_zeros_from_the_quote() -> None:
    assert printed_text(Decimal("68"), "17 of 36 patients (68.0%)") == "68.0"
    assert printed_text(Decimal("21"), "29.4 (21.0–38.8)") == "21.0"
    assert printed_text(Decimal("0.047"), "P 5 .047") == ".047"
    assert printed_text(Decimal("3500"), "3,500 cells") == "3,500"
    assert printed_text(Decimal("0.0001"), "P < 1024") == "0.0001"  # flattened 10^-4: stored form
    shown = printed(Decimal("68"), "(68.0%)")
    assert (shown.decimals, shown.low, shown.high) == (1, Decimal("67.95"), Decimal("68.05"))


def test_p_interval() -> None:
    assert p_interval("<0.001") == (0.0, 0.001, True)
    assert p_interval("<=0.004") == (0.0, 0.004, True)
    assert p_interval("0.04") == (0.035, 0.045, False)
    assert p_interval("0.0062") == (0.00615, 0.00625, False)


# ----------------------------------------------------------------------------- proportions


def test_percentage_vs_counts_finds_the_2019_slip() -> None:
    slip = res("a", value=68, n=17, N=36, quote="17 of 36 patients (68.0%)")
    fine = res("b", value=80.7, n=88, N=109, quote="88/109\t80.7 (72.1–87.7)")
    findings = {f.subject: f for f in check_percentage_counts([slip, fine])}
    assert findings["a"].verdict is Verdict.INCONSISTENT
    assert findings["a"].recomputed == pytest.approx(47.222222)
    assert findings["a"].tolerance == 0.05
    assert findings["b"].verdict is Verdict.CONSISTENT


def test_granularity_edge_cases() -> None:
    assert possible_numerators(printed(Decimal("29.4"), "29.4"), 109) == [32]
    assert possible_numerators(printed(Decimal("0"), "0"), 5) == [0]  # 0/N
    assert possible_numerators(printed(Decimal("100"), "100"), 5) == [5]  # N/N
    assert possible_numerators(printed(Decimal("33"), "33"), 10) == []  # tiny N: 30% or 40% only
    assert possible_numerators(printed(Decimal("50"), "50"), 1) == []  # N = 1: 0% or 100%
    (impossible,) = check_granularity([res("x", value=33, N=10, quote="33%")])
    assert impossible.verdict is Verdict.INCONSISTENT
    assert impossible.detail == "no whole n of 10 gives 33%"


def test_possible_denominators() -> None:
    assert possible_denominators(printed(Decimal("11"), "11%"), 15)[:3] == [131, 132, 133]
    assert possible_denominators(printed(Decimal("100"), "100%"), 3, limit=10) == [3]


def test_count_bounds() -> None:
    findings = list(check_count_bounds([res("a", n=5, N=4), res("b", n=0, N=0), res("c", n=4, N=4)]))
    assert [f.verdict for f in findings] == [Verdict.INCONSISTENT, Verdict.INCONSISTENT, Verdict.CONSISTENT]


# ----------------------------------------------------------------------------- intervals


@pytest.mark.parametrize(
    ("count", "nobs", "method", "expected"),
    [
        # R binom.test(x, n)$conf.int; closed forms at the edges: 1 - 0.025^(1/n), 0.025^(1/n)
        (0, 10, "beta", (0.0, 1 - 0.025 ** (1 / 10))),  # 0.0000000 0.3084971
        (10, 10, "beta", (0.025 ** (1 / 10), 1.0)),  # 0.6915029 1.0000000
        (0, 1, "beta", (0.0, 0.975)),
        (1, 1, "beta", (0.025, 1.0)),
        (1, 2, "beta", (1 - math.sqrt(0.975), math.sqrt(0.975))),  # 0.01257912 0.98742088
        # R prop.test(x, n, correct = FALSE)$conf.int (Wilson): z^2 / (n + z^2) at 0/n
        (0, 10, "wilson", (0.0, 1.959964**2 / (10 + 1.959964**2))),  # 0.0000000 0.2775328
        (10, 10, "wilson", (10 / (10 + 1.959964**2), 1.0)),  # 0.7224672 1.0000000
    ],
)
def test_proportion_ci_reference_values(
    count: int, nobs: int, method: str, expected: tuple[float, float]
) -> None:
    low, high = proportion_ci(count, nobs, 95, method)
    assert low == pytest.approx(expected[0], abs=1e-6)
    assert high == pytest.approx(expected[1], abs=1e-6)


def test_proportion_ci_names_clopper_pearson_for_nejm_table_2() -> None:
    # kantarjian2016 Table 2: "88/109 80.7 (72.1–87.7)" and "13/109 11.9 (6.5–19.5)", 95% CIs
    rows = [
        res("ino", value=80.7, n=88, N=109, ci_lower=72.1, ci_upper=87.7, ci_level=95,
            quote="Total\t88/109\t80.7 (72.1–87.7)\t32/109\t29.4 (21.0–38.8)"),
        res("soc", value=11.9, n=13, N=109, ci_lower=6.5, ci_upper=19.5, ci_level=95,
            quote="Total\t49/109\t45.0 (35.4–54.8)\t13/109\t11.9 (6.5–19.5)"),
    ]  # fmt: skip
    findings = list(check_proportion_cis(rows))
    assert [f.method for f in findings] == ["Clopper-Pearson", "Clopper-Pearson"]
    assert findings[0].recomputed_lower is not None and findings[0].recomputed_upper is not None
    assert (round(findings[0].recomputed_lower, 1), round(findings[0].recomputed_upper, 1)) == (72.1, 87.7)
    assert findings[0].printed == "72.1–87.7"
    wrong = res(
        "w", value=80.7, n=88, N=109, ci_lower=73.0, ci_upper=87.7, ci_level=95, quote="80.7 (73.0–87.7)"
    )
    (bad,) = check_proportion_cis([wrong])
    assert bad.verdict is Verdict.INCONSISTENT
    assert bad.method == "none of Clopper-Pearson, Wilson, Jeffreys, Agresti-Coull, Wald"


def test_estimate_in_ci() -> None:
    ok, outside, reversed_ = check_estimate_in_ci(
        [res("a", value=5, ci_lower=3.7, ci_upper=6.7), res("b", value=8, ci_lower=3.7, ci_upper=6.7),
         res("c", value=5, ci_lower=6.7, ci_upper=3.7)]
    )  # fmt: skip
    assert [ok.verdict, outside.verdict, reversed_.verdict] == [
        Verdict.CONSISTENT,
        Verdict.INCONSISTENT,
    ] * 1 + [Verdict.INCONSISTENT]
    assert reversed_.detail == "CI bounds reversed: 6.7 > 3.7"


# ----------------------------------------------------------------------------- differences


def test_risk_difference_and_its_975_ci_from_nejm_table_2() -> None:
    # "Total 88/109 80.7 (72.1–87.7) 32/109 29.4 (21.0–38.8) 51.4 (38.4–64.3) <0.001", 97.5% CI
    quote = "Total\t88/109\t80.7 (72.1–87.7)\t32/109\t29.4 (21.0–38.8)\t51.4 (38.4–64.3)\t<0.001"
    rows = [
        res("ino", arm="i", value=80.7, n=88, N=109, quote=quote),
        res("soc", arm="s", value=29.4, n=32, N=109, quote=quote),
        res("diff", "difference", arm="i", comparator="s", value=51.4, ci_lower=38.4, ci_upper=64.3,
            ci_level=97.5, p_value="<0.001", p_sided="two", quote=quote),
    ]  # fmt: skip
    value, ci = check_differences(rows, arm_counts(rows))
    assert (value.check, value.verdict, value.results) == (
        Check.DIFFERENCE,
        Verdict.CONSISTENT,
        ("diff", "ino", "soc"),
    )
    assert value.recomputed == pytest.approx(51.376147, abs=1e-5)
    assert ci.check is Check.DIFFERENCE_CI
    assert ci.method == "CI: Wald"
    low, high = difference_ci((88, 109, 32, 109), 97.5, "wald")
    assert (round(100 * low, 1), round(100 * high, 1)) == (38.4, 64.3)


# ----------------------------------------------------------------------------- hazard ratios


def test_wald_p_from_the_2016_os_hazard_ratio() -> None:
    # kantarjian2016: HR 0.77 (97.5% CI, 0.58 to 1.03), two-sided P = 0.04
    # by hand: z_0.9875 = 2.241403 (normal tables), SE = (ln 1.03 - ln 0.58) / (2 z), P = erfc(z / sqrt 2)
    se = (math.log(1.03) - math.log(0.58)) / (2 * 2.241403)
    expected = math.erfc(-math.log(0.77) / se / math.sqrt(2))
    assert expected == pytest.approx(0.0413, abs=5e-5)
    assert wald_p_from_ci(0.77, 0.58, 1.03, 97.5) == pytest.approx(expected, rel=1e-5)
    assert wald_p_from_ci(0.77, 0.58, 1.03, 97.5, "one") == pytest.approx(expected / 2, rel=1e-5)
    assert wald_p_from_ci(1.0, 0.5, 2.0, 95) == pytest.approx(1.0)
    hr = res("hr", "hazard_ratio", value=0.77, ci_lower=0.58, ci_upper=1.03, ci_level=97.5, p_value="0.04",
             p_sided="two", quote="0.77; 97.5% CI, 0.58 to 1.03")  # fmt: skip
    (sym,) = check_hr_ci_symmetry([hr])
    (p,) = check_hr_p_values([hr])
    assert sym.verdict is Verdict.CONSISTENT
    assert p.verdict is Verdict.CONSISTENT
    assert p.method == "Wald P from log HR and its CI (normal approximation), two-sided"
    asymmetric = res("x", "hazard_ratio", value=0.5, ci_lower=0.58, ci_upper=1.03, quote="0.50 (0.58–1.03)")
    (bad,) = check_hr_ci_symmetry([asymmetric])
    assert bad.verdict is Verdict.INCONSISTENT


def test_hr_p_disagreeing_beyond_rounding_is_inconsistent() -> None:
    hr = res("hr", "hazard_ratio", value=0.77, ci_lower=0.58, ci_upper=1.03, ci_level=97.5, p_value="0.004",
             p_sided="two", quote="0.77 (0.58–1.03) P=0.004")  # fmt: skip
    (p,) = check_hr_p_values([hr])
    assert p.verdict is Verdict.INCONSISTENT


# ----------------------------------------------------------------------------- tests from counts


def test_fisher_and_chi_square_reference_values() -> None:
    # R: fisher.test(TeaTasting) p = 0.4857; alternative = "greater" p = 0.2429 (R's own example)
    assert fisher_p(3, 4, 1, 4) == pytest.approx(0.4857, abs=1e-4)
    assert fisher_p(3, 4, 1, 4, sided="one") == pytest.approx(0.2429, abs=1e-4)
    # Pearson X^2 = N (ad - bc)^2 / (r1 r2 c1 c2) on 24/49 vs 10/41 (kantarjian2013 Table 1, S2)
    a, b, c, d = 24, 25, 10, 31
    statistic = 90 * (a * d - b * c) ** 2 / (49 * 41 * 34 * 56)
    assert chi_square_p(24, 49, 10, 41) == pytest.approx(math.erfc(math.sqrt(statistic / 2)), rel=1e-9)
    assert chi_square_p(3, 49, 12, 41) == pytest.approx(0.003343, abs=1e-6)  # printed "P 5.003"


def test_named_test_rule_picks_fisher_for_small_cells() -> None:
    rule = "chi-square or Fisher exact (if any cell count <5)"
    assert named_tests(rule, (3, 10, 8, 10)) == ["Fisher exact"]
    assert named_tests(rule, (65, 121, 17, 50)) == ["chi-square", "chi-square (Yates)"]
    assert named_tests("stratified Cochran-Mantel-Haenszel", (1, 2, 1, 2)) is None


def test_test_from_counts_2019_table_2_one_sided() -> None:
    # kantarjian2019 Table 2: "Proportion of patients achieving CR/CRi 65/121 53.7 ... 17/50 34.0 ... .0094"
    rows = [
        res("ino", arm="i", value=53.7, n=65, N=121),
        res("soc", arm="s", value=34.0, n=17, N=50),
        res("p", "p_value", arm="i", comparator="s", value=0.0094, p_value="0.0094", p_sided="one",
            test="chi-square or Fisher exact (if any cell count <5)"),
    ]  # fmt: skip
    (finding,) = check_tests_from_counts(rows, arm_counts(rows))
    assert finding.verdict is Verdict.CONSISTENT
    assert finding.method == "chi-square (one-sided)"


# ----------------------------------------------------------------------------- sums and repeats


def test_category_sum_skips_sub_rows_and_flags_excess() -> None:
    rows = [res(f"r{i}", endpoint="bl-x", arm="a", category=c, value=1, n=n, N=49, table="Table 1")
            for i, (c, n) in enumerate([("S1", 13), ("S1, CRD1 <12 mo", 3), ("S2", 24), ("S3", 12)])]  # fmt: skip
    (finding,) = check_category_sums(rows)
    assert finding.verdict is Verdict.CONSISTENT
    assert finding.results == ("r0", "r2", "r3")
    extra = res("r9", endpoint="bl-x", arm="a", category="S4", value=1, n=5, N=49, table="Table 1")
    (over,) = check_category_sums([*rows, extra])
    assert over.verdict is Verdict.INCONSISTENT


def test_grade_sum() -> None:
    rows = [res("g3", grade="3", value=10, n=10, N=100), res("g4", grade="4", value=5, n=5, N=100),
            res("g34", grade="3-4", value=16, n=16, N=100), res("g35", grade=">=3", value=16, n=16, N=100)]  # fmt: skip
    equal, at_most = check_grade_sums(rows)
    assert (equal.verdict, at_most.verdict) == (Verdict.INCONSISTENT, Verdict.CONSISTENT)


def test_printed_twice_at_coarser_precision() -> None:
    rows = [
        res("a", value=80.7, quote="80.7%"),
        res("b", value=81, quote="81%"),
        res("c", value=82, quote="82%"),
    ]
    b, c = check_printed_twice(rows)
    assert (b.results, b.verdict) == (("b", "a"), Verdict.CONSISTENT)
    assert (c.results, c.verdict) == (("c", "a"), Verdict.INCONSISTENT)


def test_arm_counts_infer_the_only_possible_n() -> None:
    # kantarjian2016 as-treated: "vs. 33.3% [95% CI, 24.0 to 43.7]" of 96 patients: n = 32 only
    rows = [
        res("ino", arm="i", value=80.7, n=88, N=109),
        res("soc", arm="s", value=33.3, N=96, quote="33.3% [95% CI, 24.0 to 43.7]"),
        res("p", "p_value", arm="i", comparator="s", value=0.001, p_value="<0.001", p_sided="two"),
    ]
    counts = arm_counts(rows)
    assert counts[(rows[1].row, "s")] == (32, 96, "soc", " (n = 32: the only n of 96 giving 33.3%)")
    (finding,) = check_tests_from_counts(rows, counts)
    assert finding.results == ("p", "ino", "soc")
    assert finding.verdict is Verdict.CONSISTENT
