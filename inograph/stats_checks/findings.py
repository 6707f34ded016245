"""What a check says about one or more results: the typed finding and the report of a run."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["Check", "CheckReport", "Finding", "Verdict"]


class Check(StrEnum):
    """The checks, in report order.  Each value is the check's name in the graph and the CLI."""

    PERCENTAGE_COUNTS = "percentage-vs-counts"  # percentage vs n/N at the printed precision
    PERCENTAGE_GRANULARITY = "percentage-granularity"  # percentage with N only: is any n possible?
    COUNT_DENOMINATORS = "count-denominators"  # n and percentage, no N: which N are possible?
    COUNT_BOUNDS = "count-bounds"  # 0 <= n <= N, N > 0
    ESTIMATE_IN_CI = "estimate-in-ci"  # lower <= estimate <= upper, bounds ordered
    PROPORTION_CI = "proportion-ci"  # Clopper-Pearson, Wilson, ... reproduce the printed CI?
    DIFFERENCE = "risk-difference"  # difference of two proportions vs the arms' n/N
    DIFFERENCE_CI = "risk-difference-ci"  # its CI recomputed at the stated level
    HR_CI_SYMMETRY = "hr-ci-log-symmetry"  # the HR is the geometric middle of its CI
    HR_P_FROM_CI = "hr-p-from-ci"  # the P value implied by the HR and its CI
    TEST_FROM_COUNTS = "test-from-counts"  # Fisher / chi-square P from the two arms' n/N
    CATEGORY_SUM = "category-sum"  # the rows of a table add up to (at most) their total
    GRADE_SUM = "grade-sum"  # grade 3 + grade 4 vs grade >=3 (3-4)
    ARMS_SUM = "arms-sum"  # the arms add up to the randomized (analysed) population
    SUBGROUP_SIZE = "subgroup-size"  # a subgroup does not exceed its parent population
    EVENTS_AT_RISK = "events-at-risk"  # a count of patients does not exceed the patients at risk
    PRINTED_TWICE = "printed-twice"  # one quantity printed twice in one publication agrees
    MEDIAN_RANGE = "median-range"  # a median inside its range, ranges ordered


class Verdict(StrEnum):
    CONSISTENT = "consistent"
    INCONSISTENT = "inconsistent"
    NOT_CHECKABLE = "not checkable"


@dataclass(frozen=True)
class Finding:
    """One check of one result (or a group: the first id is the result the finding is about).

    ``recomputed`` and the bounds are the recomputed value or interval; ``printed`` what the
    source printed; ``tolerance`` the half-unit of the last printed digit the comparison allowed;
    ``explanation`` the curator's ``ino:sourceInconsistency`` when a checked result has one.
    """

    check: Check
    results: tuple[str, ...]
    verdict: Verdict
    method: str
    detail: str
    printed: str = ""
    recomputed: float | None = None
    recomputed_lower: float | None = None
    recomputed_upper: float | None = None
    tolerance: float | None = None
    explanation: str | None = None

    @property
    def subject(self) -> str:
        return self.results[0]

    @property
    def explained(self) -> bool:
        return self.verdict is Verdict.INCONSISTENT and self.explanation is not None

    @property
    def unexplained(self) -> bool:
        return self.verdict is Verdict.INCONSISTENT and self.explanation is None

    @property
    def key(self) -> str:
        """A stable id: check plus results (the finding's IRI is minted from it)."""
        return f"{self.check.value}--{'--'.join(self.results)}"

    @property
    def shown_verdict(self) -> str:
        """The verdict as reports show it: an explained inconsistency says so."""
        return f"{self.verdict.value} (explained)" if self.explained else self.verdict.value

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.check.value,
            "results": list(self.results),
            "verdict": self.verdict.value,
            "explained": self.explained,
            "method": self.method,
            "printed": self.printed,
            "recomputed": self.recomputed,
            "recomputed_lower": self.recomputed_lower,
            "recomputed_upper": self.recomputed_upper,
            "tolerance": self.tolerance,
            "detail": self.detail,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class CheckReport:
    """Every finding of a run, in check order then result id; ``ci_methods`` says which proportion
    CI method reproduced each publication's printed intervals (method → number of CIs)."""

    findings: tuple[Finding, ...]
    results: int
    seconds: float
    ci_methods: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    iris: Mapping[str, str] = field(default_factory=dict)  # result id → result IRI

    @property
    def unexplained(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.unexplained)

    def counts(self) -> dict[tuple[str, str], int]:
        """(check, shown verdict) → number of findings."""
        return dict(Counter((f.check.value, f.shown_verdict) for f in self.findings))

    def for_result(self, result_id: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if result_id in f.results)

    def to_json(self) -> str:
        data = {
            "results_checked": self.results,
            "seconds": round(self.seconds, 3),
            "counts": [
                {"check": c, "verdict": v, "findings": n} for (c, v), n in sorted(self.counts().items())
            ],
            "ci_methods": {p: dict(m) for p, m in sorted(self.ci_methods.items())},
            "unexplained_inconsistent": len(self.unexplained),
            "findings": [f.as_dict() for f in self.findings],
        }
        return json.dumps(data, indent=2, ensure_ascii=False)
