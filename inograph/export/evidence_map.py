"""The evidence map page: one self-contained HTML file for reviewers, that works offline.

A gap map of *estimates*, not statements (:mod:`inograph.export.estimates` has the grouping
rule): one row per outcome (grouped by endpoint kind), one column per arm, comparison (shown
once, in its stated direction) or whole trial, columns grouped by study design and trial.  A
cell shows its first estimate (primary first) as printed, with CI, N and -- for comparisons --
the direction of effect, how many more estimates it holds, and markers for restatements,
later cutoffs and warnings.  A network view (publications → trials → columns → outcomes), a
details panel of estimate cards (plain text, grade, seriousness, setting, analysis kind, every
statement with its quote and cutoff, warnings, a link to the result's trace), a trace section
(each result's IRI, source file and SHA-256, character offsets, the verbatim quote and its
classified links), filters (publication, trial, design, population, analysis kind, grade,
cutoff, endpoint kind, endpoint), rows segmented by analysis population on request (one row per
outcome and population), and a CSV download of the filtered estimates (one row per statement).
Findings other than the documented ones (e.g. statistical checks) are passed as
``extra_findings`` and appear as warnings on the cards of the results they name.

The page is plain HTML, CSS and JavaScript written for it (``templates/evidence_map.html``):
no library, no CDN, nothing fetched.  The data are embedded as JSON computed from the
evidence table (:mod:`inograph.export.records`) and the links, i.e. from the RDF graph.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final

from rdflib import Dataset

from inograph.atomic import write_text_atomically
from inograph.export.estimates import (
    NO_TRIAL,
    Estimate,
    Finding,
    LinkRow,
    design_of,
    group_estimates,
    read_links,
    value_text,
)
from inograph.export.records import EvidenceTable, ResultRecord, format_number
from inograph.export.sparql import select
from inograph.plain_text import plain_text

__all__ = [
    "DEFAULT_TITLE",
    "Anchor",
    "arm_sizes",
    "evidence_map_html",
    "map_data",
    "read_anchors",
    "statistical_findings",
    "write_evidence_map",
]

DEFAULT_TITLE: Final = "Inotuzumab ozogamicin in relapsed/refractory ALL: evidence map"
_KIND_ORDER: Final = (
    "efficacy",
    "safety",
    "adverse-event",
    "pharmacokinetic",
    "disposition",
    "baseline",
    "other",
)
_DESIGN_ORDER: Final = (
    "Randomised trial",
    "Non-randomised trial",
    "Observational study",
    "Design not stated",
)
_MEASURE_LABELS: Final = {
    "count": "Count",
    "percentage": "Percentage",
    "median": "Median",
    "mean": "Mean",
    "range": "Range",
    "hazard_ratio": "Hazard ratio",
    "odds_ratio": "Odds ratio",
    "rate_at_timepoint": "Rate at time point",
    "rmst": "Restricted mean survival time",
    "difference": "Difference",
    "p_value": "P value",
    "dose": "Dose",
    "duration": "Duration",
    "other": "Other statistic",
}
_GRADE_LABELS: Final = {"any": "any grade", ">=3": "grade \u22653", ">=2": "grade \u22652"}


@dataclass(frozen=True)
class Anchor:
    """Where a result's quote sits in its source text (W3C Web Annotation selectors)."""

    source_file: str
    sha256: str | None
    start: int
    end: int


def read_anchors(dataset: Dataset) -> dict[str, Anchor]:
    """The anchor of every result of ``dataset`` (query ``export/anchors``; first one per result)."""
    anchors: dict[str, Anchor] = {}
    for row in select(dataset, "anchors"):
        anchors.setdefault(
            row["id"], Anchor(row["sourceFile"], row.get("sha256"), int(row["start"]), int(row["end"]))
        )
    return anchors


def _grade_label(grade: str | None) -> str | None:
    if grade is None:
        return None
    return _GRADE_LABELS.get(grade, f"grade {grade}")


def _ci_text(r: ResultRecord) -> str | None:
    if r.ci_lower is None or r.ci_upper is None:
        return None
    level = f"{format_number(r.ci_level)}% CI " if r.ci_level is not None else "CI "
    lower = r.ci_lower_as_printed or format_number(r.ci_lower)
    upper = r.ci_upper_as_printed or format_number(r.ci_upper)
    return f"{level}{lower}\u2013{upper}"


def _n_text(r: ResultRecord) -> str | None:
    if r.n is not None and r.N is not None:
        return f"{r.n}/{r.N}"
    if r.N is not None:
        return f"N = {r.N}"
    if r.n is not None:
        return f"n = {r.n}"
    return None


def _p_text(r: ResultRecord) -> str | None:
    if not r.p_value:
        return None
    sided = f", {r.p_sided}-sided" if r.p_sided else ", sidedness not stated"
    value = r.p_value if r.p_value[0] in "<>\u2264\u2265" else f"= {r.p_value}"
    value = value.replace("<=", "\u2264 ").replace(">=", "\u2265 ")
    if value[0] in "<>" and value[1] != " ":
        value = value[0] + " " + value[1:]
    return f"P {value}{sided}"


def _cutoff_label(r: ResultRecord, table: EvidenceTable) -> str:
    if r.cutoff_id is None:
        return "cutoff not stated"
    if r.cutoff:
        return r.cutoff
    return f"{plain_text(table.label('cutoff', r.cutoff_id))} (no date)"


def _detail(r: ResultRecord) -> str:
    return "; ".join(
        x
        for x in (plain_text(r.category), _grade_label(r.grade), "serious" if r.serious else None,
                  plain_text(r.setting), plain_text(r.timepoint))
        if x
    )  # fmt: skip


def arm_sizes(table: EvidenceTable) -> dict[tuple[str, str | None, str | None], int]:
    """(arm, population, cutoff) -> the arm's size there: the most common N of its results without n."""
    counts: dict[tuple[str, str | None, str | None], Counter[int]] = {}
    for r in table.results:
        if r.arm and r.comparator is None and r.N is not None and r.n is None:
            counts.setdefault((r.arm, r.population, r.cutoff_id), Counter())[r.N] += 1
    return {key: c.most_common(1)[0][0] for key, c in counts.items()}


def _comparison_n(e: Estimate, sizes: Mapping[tuple[str, str | None, str | None], int]) -> str | None:
    """``N = 164 vs 162`` for a comparison whose statement prints no denominator."""
    h, c = e.head, e.column
    if c.arm is None or c.comparator is None or h.N is not None or h.n is not None:
        return None
    a = sizes.get((c.arm, h.population, h.cutoff_id))
    b = sizes.get((c.comparator, h.population, h.cutoff_id))
    return f"N = {a} vs {b}" if a is not None and b is not None else None


def _estimate(
    e: Estimate,
    table: EvidenceTable,
    trial_design: Mapping[str, str],
    sizes: Mapping[tuple[str, str | None, str | None], int],
) -> dict[str, Any]:
    h = e.head
    return {
        "id": e.id,
        "column": e.column.id,
        "endpoint": e.endpoint,
        "trial": e.column.trial,
        "design": trial_design.get(e.column.trial, "Design not stated"),
        "population": h.population or "",
        "populationLabel": plain_text(table.label("population", h.population)) or "population not stated",
        "populationShort": (
            plain_text(table.label("population", h.population)) or "population not stated"
        ).split(" (")[0],
        "analysis": e.analysis,
        "grade": h.grade or "",
        "gradeLabel": _grade_label(h.grade),
        "serious": h.serious,
        "setting": plain_text(h.setting),
        "category": plain_text(h.category),
        "timepoint": plain_text(h.timepoint),
        "detail": _detail(h),
        "measure": h.measure,
        "measureLabel": _MEASURE_LABELS.get(h.measure, h.measure),
        "value": value_text(h),
        "ci": _ci_text(h),
        "n": _n_text(h) or _comparison_n(e, sizes),
        "p": _p_text(h),
        "direction": {"code": e.direction.code, "text": e.direction.text},
        "markers": list(e.markers),
        "findings": [
            {"kind": f.kind, "result": f.result_id, "text": f.text, "other": f.other} for f in e.findings
        ],
        "later": list(e.later),
        "earlier": list(e.earlier),
        "statements": list(e.statement_ids),
        "publications": list(e.publications),
        "cutoff": _cutoff_label(h, table),
    }


def _statement(r: ResultRecord, e: Estimate, table: EvidenceTable) -> dict[str, Any]:
    reversed_ = bool(r.arm and r.comparator and (r.arm, r.comparator) != (e.column.arm, e.column.comparator))
    arm, comparator = (table.label("arm", x).split(" (")[0] for x in (r.arm, r.comparator))
    return {
        "stated": f"stated as {arm} vs {comparator}" if reversed_ else None,  # the column's other direction
        "id": r.result_id,
        "estimate": e.id,
        "publication": r.publication,
        "location": plain_text(r.location),
        "cutoffId": r.cutoff_id or "",
        "cutoff": _cutoff_label(r, table),
        "value": value_text(r),
        "ci": _ci_text(r),
        "n": _n_text(r),
        "p": _p_text(r),
        "analysis": r.analysis,
        "grade": r.grade or "",
        "quote": plain_text(r.quote),  # markup of the PDF extraction rendered; verbatim in the trace
        "citedOrigin": plain_text(r.cited_origin),
    }


def _trace(r: ResultRecord, anchor: Anchor | None, links: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "id": r.result_id,
        "iri": r.iri,
        "publication": r.publication,
        "doi": r.doi,
        "location": plain_text(r.location),
        "quote": r.quote,  # verbatim, as the source text prints it
        "sourceFile": anchor.source_file if anchor else None,
        "sha256": anchor.sha256 if anchor else None,
        "start": anchor.start if anchor else None,
        "end": anchor.end if anchor else None,
        "note": plain_text(r.note),
        "sourceInconsistency": plain_text(r.source_inconsistency),
        "citedOrigin": plain_text(r.cited_origin),
        "links": links,
    }


def statistical_findings(table: EvidenceTable) -> list[Finding]:
    """The `check-stats` findings a reader must see: every inconsistent verdict, explained or not."""
    return [
        Finding("statistical", r.result_id, f"statistical check: {r.checks}")
        for r in table.results
        if r.checks and "inconsistent" in r.checks
    ]


def map_data(
    table: EvidenceTable,
    links: Iterable[LinkRow] = (),
    anchors: Mapping[str, Anchor] | None = None,
    *,
    extra_findings: Iterable[Finding] = (),
) -> dict[str, Any]:
    """The JSON the page is drawn from: estimates with their statements, and the trace data."""
    links = tuple(links)
    anchors = anchors or {}
    extra_findings = [*extra_findings, *statistical_findings(table)]
    estimates = group_estimates(table, links, extra_findings=extra_findings)
    trial_entities = {e.id: e for e in table.of_kind("trial")}
    trial_design = {t: design_of(e.detail) for t, e in trial_entities.items()}
    sizes = arm_sizes(table)
    used_trials = {e.column.trial for e in estimates}
    trials = [
        {"id": t, "label": e.label, "design": trial_design[t], "designText": e.detail or ""}
        for t, e in trial_entities.items()
        if t in used_trials
    ]
    if NO_TRIAL in used_trials:
        trials.append(
            {"id": NO_TRIAL, "label": "No trial stated", "design": "Design not stated", "designText": ""}
        )
        trial_design[NO_TRIAL] = "Design not stated"
    trials.sort(key=lambda t: (_rank(_DESIGN_ORDER, t["design"]), t["id"] == NO_TRIAL,
                               t["id"].startswith("morley2016"), t["id"]))  # fmt: skip
    trial_order = {t["id"]: i for i, t in enumerate(trials)}
    columns: dict[str, Any] = {}
    for e in estimates:
        c = e.column
        columns.setdefault(c.id, {"id": c.id, "label": c.label, "trial": c.trial, "order": c.order,
                                  "arm": c.arm, "comparator": c.comparator})  # fmt: skip
    used_endpoints = {e.endpoint for e in estimates}
    endpoints = sorted(
        (
            {"id": x.id, "label": plain_text(x.label), "kind": x.detail or "other"}
            for x in table.of_kind("endpoint")
            if x.id in used_endpoints
        ),
        key=lambda x: (_rank(_KIND_ORDER, x["kind"]), (x["label"] or "").lower(), x["id"]),
    )
    link_rows: dict[str, list[dict[str, str]]] = {}
    for link in links:
        for me, other in ((link.source, link.target), (link.target, link.source)):
            link_rows.setdefault(me, []).append(
                {
                    "classification": link.classification,
                    "other": other,
                    "reason": plain_text(link.reason) or "",
                }
            )
    statements = [_statement(r, e, table) for e in estimates for r in e.statements]
    return {
        "publications": [
            {"id": p.id, "year": p.detail, "doi": p.doi, "citation": p.citation}
            for p in sorted(table.of_kind("publication"), key=lambda p: (p.detail or "", p.id))
        ],
        "designs": [d for d in _DESIGN_ORDER if any(t["design"] == d for t in trials)],
        "trials": trials,
        "endpoints": endpoints,
        "columns": sorted(columns.values(), key=lambda c: (trial_order[c["trial"]], c["order"], c["id"])),
        "populations": sorted(
            (
                {"id": p.id, "label": plain_text(p.label)}
                for p in table.of_kind("population")
                if any(e.head.population == p.id for e in estimates)
            ),
            key=lambda p: ((p["label"] or "").lower(), p["id"]),
        ),
        "cutoffs": [
            {"id": c.id, "label": f"{c.detail or 'no date'} \u00b7 {plain_text(c.label)}"}
            for c in sorted(table.of_kind("cutoff"), key=lambda c: (c.detail or "9999", c.id))
        ],
        "estimates": [_estimate(e, table, trial_design, sizes) for e in estimates],
        "statements": statements,
        "trace": [
            _trace(r, anchors.get(r.result_id), link_rows.get(r.result_id, []))
            for r in sorted(table.results, key=lambda r: r.result_id)
        ],
    }


def _rank(order: tuple[str, ...], item: str | None) -> int:
    return order.index(item) if item in order else len(order)


def evidence_map_html(
    table: EvidenceTable,
    *,
    links: Iterable[LinkRow] = (),
    anchors: Mapping[str, Anchor] | None = None,
    extra_findings: Iterable[Finding] = (),
    title: str = DEFAULT_TITLE,
) -> str:
    """The page as one HTML string, data embedded (``</`` escaped so no quote ends the script)."""
    from html import escape

    template = resources.files("inograph.export").joinpath("templates/evidence_map.html")
    text = template.read_text(encoding="utf-8")
    data = json.dumps(
        map_data(table, links, anchors, extra_findings=extra_findings),
        ensure_ascii=False,
        separators=(",", ":"),
    )
    data = data.replace("</", "<\\/").replace("<!--", "<\\!--")
    return text.replace("__TITLE__", escape(title)).replace("__DATA__", data)


def write_evidence_map(
    table: EvidenceTable,
    path: Path,
    *,
    dataset: Dataset | None = None,
    extra_findings: Iterable[Finding] = (),
    title: str = DEFAULT_TITLE,
) -> None:
    """Write the evidence map page to ``path`` atomically; links and anchors read from ``dataset``."""
    links = read_links(dataset) if dataset is not None else ()
    anchors = read_anchors(dataset) if dataset is not None else None
    html = evidence_map_html(table, links=links, anchors=anchors, extra_findings=extra_findings, title=title)
    write_text_atomically(Path(path), html)
