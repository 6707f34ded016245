"""Statistical re-verification: recompute every number that can be recomputed from the graph.

``run_checks(dataset)`` reads the results, runs each check (one module per kind of check) and
returns a :class:`CheckReport`; ``add_findings(dataset, report)`` writes the findings into the
named graph ``inog:stats-checks``.
"""

from __future__ import annotations

from inograph.stats_checks.findings import Check, CheckReport, Finding, Verdict
from inograph.stats_checks.findings_rdf import CHECKS_GRAPH, add_findings, check_dataset, read_findings
from inograph.stats_checks.run import check_results, run_checks

__all__ = [
    "CHECKS_GRAPH",
    "Check",
    "CheckReport",
    "Finding",
    "Verdict",
    "add_findings",
    "check_dataset",
    "check_results",
    "read_findings",
    "run_checks",
]
