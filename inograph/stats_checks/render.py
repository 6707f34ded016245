"""check-stats reports: a table for a terminal, JSON, or CSV (one row per finding)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from enum import StrEnum
from typing import Final

from inograph.stats_checks.findings import CheckReport, Finding, Verdict

__all__ = ["CSV_COLUMNS", "ReportFormat", "render", "render_csv", "render_table", "summary_cell"]

CSV_COLUMNS: Final = (
    "check", "result_id", "other_results", "verdict", "explained", "method", "printed",
    "recomputed", "recomputed_lower", "recomputed_upper", "tolerance", "detail", "explanation",
)  # fmt: skip


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def _number(x: float | None) -> str:
    return "" if x is None else f"{x:.6g}"


def render_csv(report: CheckReport) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for f in report.findings:
        writer.writerow([
            f.check.value, f.subject, " ".join(f.results[1:]), f.verdict.value,
            "true" if f.explained else "false", f.method, f.printed, _number(f.recomputed),
            _number(f.recomputed_lower), _number(f.recomputed_upper), _number(f.tolerance),
            f.detail, f.explanation or "",
        ])  # fmt: skip
    return buffer.getvalue()


def render_table(report: CheckReport) -> str:
    """Counts per check and verdict, the CI methods per publication, then every finding that is
    not consistent (inconsistent first), with what was compared."""
    verdicts = ["consistent", "inconsistent", "inconsistent (explained)", "not checkable"]
    counts = report.counts()
    checks = list(dict.fromkeys(f.check.value for f in report.findings))
    header = ["check", *verdicts]
    rows = [[c, *[str(counts.get((c, v), 0)) for v in verdicts]] for c in checks]
    rows.append(["total", *[str(sum(counts.get((c, v), 0) for c in checks)) for v in verdicts]])
    table = [header, *rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines = [
        "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
        for r in table
    ]
    if report.ci_methods:
        lines.append("")
        lines.append("proportion CIs reproduced, per publication:")
        for publication, methods in report.ci_methods.items():
            checked = methods.get("checked", 0)
            shown = ", ".join(f"{m} {n}/{checked}" for m, n in methods.items() if m != "checked")
            lines.append(f"  {publication}: {shown or 'none'}")
    flagged = sorted(
        (f for f in report.findings if f.verdict is not Verdict.CONSISTENT),
        key=lambda f: (f.verdict is not Verdict.INCONSISTENT, f.explained, f.results),
    )
    if flagged:
        lines.append("")
    for f in flagged:
        lines.append(f"{f.shown_verdict.upper()}  {f.check.value}  {', '.join(f.results)}")
        lines.append(f"    {f.detail}" + (f" [{f.method}]" if f.method else ""))
        if f.explanation:
            lines.append(f"    source: {f.explanation}")
    lines.append("")
    lines.append(
        f"{len(report.findings)} findings on {report.results} results in {report.seconds:.2f} s; "
        f"{len(report.unexplained)} unexplained inconsistent"
    )
    return "\n".join(lines) + "\n"


def render(report: CheckReport, fmt: ReportFormat) -> str:
    if fmt is ReportFormat.JSON:
        return report.to_json() + "\n"
    if fmt is ReportFormat.CSV:
        return render_csv(report)
    return render_table(report)


def summary_cell(findings: tuple[Finding, ...]) -> str:
    """One cell for a result's findings: ``check: verdict`` joined by ``; `` (the CSV column);
    a check that gave the same verdict several times is shown once with ``×k``.

    >>> from inograph.stats_checks.findings import Check, Finding, Verdict
    >>> f = Finding(Check.TEST_FROM_COUNTS, ("p", "a", "b"), Verdict.CONSISTENT, "", "")
    >>> summary_cell((f, f))
    'test-from-counts: consistent ×2'
    """
    counts = Counter(f"{f.check.value}: {f.shown_verdict}" for f in findings)
    return "; ".join(text if n == 1 else f"{text} ×{n}" for text, n in counts.items())
