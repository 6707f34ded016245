"""Running every check over a dataset: the entry point of ``inograph check-stats``."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from rdflib import Dataset

from inograph.stats_checks.differences import arm_counts, check_differences
from inograph.stats_checks.findings import Check, CheckReport, Finding, Verdict
from inograph.stats_checks.hazard_ratios import check_hr_ci_symmetry, check_hr_p_values
from inograph.stats_checks.intervals import check_estimate_in_ci, check_proportion_cis
from inograph.stats_checks.proportions import (
    check_count_bounds,
    check_count_denominators,
    check_granularity,
    check_percentage_counts,
)
from inograph.stats_checks.ranges import check_medians_and_ranges
from inograph.stats_checks.records import CheckedResult, read_results
from inograph.stats_checks.repeats import check_printed_twice
from inograph.stats_checks.sums import (
    check_arms_sum,
    check_category_sums,
    check_events_at_risk,
    check_grade_sums,
    check_subgroup_sizes,
    population_sizes,
)
from inograph.stats_checks.tests_from_counts import check_tests_from_counts

__all__ = ["check_results", "run_checks"]


def _all_findings(results: Sequence[CheckedResult]) -> Iterator[Finding]:
    counts = arm_counts(results)
    sizes = population_sizes(results)
    yield from check_percentage_counts(results)
    yield from check_granularity(results)
    yield from check_count_denominators(results, sizes)
    yield from check_count_bounds(results)
    yield from check_estimate_in_ci(results)
    yield from check_proportion_cis(results)
    yield from check_differences(results, counts)
    yield from check_hr_ci_symmetry(results)
    yield from check_hr_p_values(results)
    yield from check_tests_from_counts(results, counts)
    yield from check_category_sums(results)
    yield from check_grade_sums(results)
    yield from check_arms_sum(results, sizes)
    yield from check_subgroup_sizes(results, sizes)
    yield from check_events_at_risk(results, sizes)
    yield from check_printed_twice(results)
    yield from check_medians_and_ranges(results)


def _explain(finding: Finding, by_id: dict[str, CheckedResult]) -> Finding:
    """Attach the curator's ino:sourceInconsistency of a checked result to an inconsistency."""
    if finding.verdict is not Verdict.INCONSISTENT:
        return finding
    for rid in finding.results:
        note = by_id[rid].source_inconsistency if rid in by_id else None
        if note:
            return replace(finding, explanation=note)
    return finding


def _ci_methods(findings: Iterable[Finding], by_id: dict[str, CheckedResult]) -> dict[str, dict[str, int]]:
    """Publication → method → number of printed proportion CIs that method reproduces."""
    methods: dict[str, Counter[str]] = defaultdict(Counter)
    for f in findings:
        if f.check is Check.PROPORTION_CI and f.verdict is not Verdict.NOT_CHECKABLE:
            publication = by_id[f.subject].publication
            methods[publication]["checked"] += 1
            if f.verdict is Verdict.CONSISTENT:
                for method in f.method.split(", "):
                    methods[publication][method] += 1
    return {p: dict(sorted(m.items())) for p, m in sorted(methods.items())}


def check_results(results: Sequence[CheckedResult], *, seconds_before: float = 0.0) -> CheckReport:
    """Every check over ``results``; findings in check order, then by their first result."""
    started = time.perf_counter()
    by_id = {r.result_id: r for r in results}
    order = {check: i for i, check in enumerate(Check)}
    findings = sorted(
        (_explain(f, by_id) for f in _all_findings(results)),
        key=lambda f: (order[f.check], f.results),
    )
    return CheckReport(
        tuple(findings),
        len(results),
        seconds_before + time.perf_counter() - started,
        _ci_methods(findings, by_id),
        {r.result_id: r.iri for r in results},
    )


def run_checks(dataset: Dataset, *, publication: str | None = None) -> CheckReport:
    """Read the results of ``dataset`` (not modified) and run every check.

    With ``publication``, only that publication's results are checked (a within-publication
    check never needs another publication's results).
    """
    started = time.perf_counter()
    results = read_results(dataset)
    if publication is not None:
        results = [r for r in results if r.publication == publication]
    return check_results(results, seconds_before=time.perf_counter() - started)
