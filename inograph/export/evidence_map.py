"""The evidence map page: one self-contained HTML file for reviewers, that works offline.

An evidence gap map of interventions × outcomes (each cell: how many results back it and from
how many publications; an empty cell is a gap), a network view (publications → trials →
interventions → outcomes), filters by publication, trial, endpoint kind and endpoint, and a
details panel: a click on a cell or node lists its results with value, CI, population,
cutoff and the verbatim quote with its location.

The page is plain HTML, CSS and JavaScript written for it (``templates/evidence_map.html``):
no library, no CDN, nothing fetched.  The data are embedded as JSON computed from the
evidence table (:mod:`inograph.export.records`), i.e. from the RDF graph.

An *intervention* is what a result is about: an arm or cohort (``inovate-ino``), a
head-to-head comparison (``inovate-ino-vs-inovate-soc``, for hazard ratios, differences and
between-arm P values), or the whole trial when the result names no arm (``inovate-all``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final

from inograph.atomic import write_text_atomically
from inograph.export.records import EvidenceTable, ResultRecord, format_number
from inograph.plain_text import plain_text

__all__ = [
    "DEFAULT_TITLE",
    "Intervention",
    "evidence_map_html",
    "intervention_of",
    "map_data",
    "write_evidence_map",
]

DEFAULT_TITLE: Final = "Inotuzumab ozogamicin in relapsed/refractory ALL: evidence map"
NO_TRIAL: Final = "no-trial"
_KIND_ORDER: Final = (
    "efficacy",
    "safety",
    "adverse-event",
    "pharmacokinetic",
    "disposition",
    "baseline",
    "other",
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


@dataclass(frozen=True)
class Intervention:
    """A column of the gap map."""

    id: str
    label: str
    short: str
    trial: str
    order: int  # 0 arm, 1 comparison, 2 whole trial


def _short_label(text: str, width: int = 34) -> str:
    text = text.split(" (")[0]
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def intervention_of(record: ResultRecord, table: EvidenceTable) -> Intervention:
    """The gap-map column of a result: its arm, its comparison, or its whole trial."""
    trial = record.trial or NO_TRIAL
    if record.arm and record.comparator:
        arm, other = table.label("arm", record.arm), table.label("arm", record.comparator)
        return Intervention(
            f"{record.arm}-vs-{record.comparator}",
            f"{arm} vs {other}",
            f"{_short_label(arm, 16)} vs {_short_label(other, 16)}",
            trial,
            1,
        )
    if record.arm:
        label = table.label("arm", record.arm)
        return Intervention(record.arm, label, _short_label(label), trial, 0)
    if record.trial:
        label = f"All patients, {table.label('trial', record.trial)}"
        return Intervention(f"{record.trial}-all", label, "All patients", trial, 2)
    return Intervention("no-arm-no-trial", "No arm or trial stated", "Not stated", trial, 2)


def _number(value: Any) -> Any:
    return None if value is None else float(format_number(value))


def map_data(table: EvidenceTable) -> dict[str, Any]:
    """The JSON the page is drawn from: publications, trials, endpoints, interventions, results."""
    interventions: dict[str, Intervention] = {}
    results = []
    for r in table.results:
        intervention = intervention_of(r, table)
        interventions.setdefault(intervention.id, intervention)
        results.append(
            {
                "id": r.result_id,
                "publication": r.publication,
                "trial": r.trial or NO_TRIAL,
                "intervention": intervention.id,
                "endpoint": r.endpoint,
                "measure": r.measure,
                "measureLabel": _MEASURE_LABELS.get(r.measure, r.measure),
                "value": format_number(r.value) if r.value is not None else None,
                "valuePrinted": r.value_as_printed,  # "0.70": as printed, zeros kept
                "qualifier": r.value_qualifier,  # ">" for ">40%"
                "unit": r.unit,
                "n": r.n,
                "N": r.N,
                "ciLower": format_number(r.ci_lower) if r.ci_lower is not None else None,
                "ciUpper": format_number(r.ci_upper) if r.ci_upper is not None else None,
                "ciLevel": format_number(r.ci_level) if r.ci_level is not None else None,
                "range": f"{format_number(r.range_lower)}\u2013{format_number(r.range_upper)}"
                if r.range_lower is not None and r.range_upper is not None
                else None,
                "pValue": r.p_value,
                "pSided": r.p_sided,
                "populationLabel": plain_text(table.label("population", r.population)),
                "category": plain_text(r.category),
                "setting": plain_text(r.setting),
                "timepoint": plain_text(r.timepoint),
                "analysis": r.analysis,
                "cutoff": r.cutoff or table.label("cutoff", r.cutoff_id) or None,
                "location": plain_text(r.location),
                "quote": r.quote,  # verbatim, as the source prints it
                "citedOrigin": plain_text(r.cited_origin),
                "checks": r.checks,
            }
        )
    used_trials = {r["trial"] for r in results}
    trials = [
        {"id": e.id, "label": e.label, "short": _short_label(e.label, 28)}
        for e in table.of_kind("trial")
        if e.id in used_trials
    ]
    if NO_TRIAL in used_trials:
        trials.append({"id": NO_TRIAL, "label": "No trial stated", "short": "No trial stated"})
    trial_order = {t["id"]: i for i, t in enumerate(sorted(trials, key=_trial_key))}
    used_endpoints = {r.endpoint for r in table.results}
    endpoints = sorted(
        (
            {"id": e.id, "label": e.label, "kind": e.detail or "other"}
            for e in table.of_kind("endpoint")
            if e.id in used_endpoints
        ),
        key=lambda e: (_kind_rank(e["kind"]), e["label"].lower(), e["id"]),
    )
    return {
        "publications": [
            {"id": e.id, "year": e.detail, "doi": e.doi, "citation": e.citation}
            for e in sorted(table.of_kind("publication"), key=lambda e: (e.detail or "", e.id))
        ],
        "trials": sorted(trials, key=_trial_key),
        "endpoints": endpoints,
        "interventions": [
            {"id": i.id, "label": i.label, "short": i.short, "trial": i.trial}
            for i in sorted(interventions.values(), key=lambda i: (trial_order[i.trial], i.order, i.id))
        ],
        "results": results,
    }


def _kind_rank(kind: str) -> int:
    return _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER)


def _trial_key(trial: dict[str, str]) -> tuple[bool, bool, str]:
    # the trials the curated publications are about first, then the ones a review restates
    return (trial["id"] == NO_TRIAL, trial["id"].startswith("morley2016"), trial["id"])


def evidence_map_html(table: EvidenceTable, *, title: str = DEFAULT_TITLE) -> str:
    """The page as one HTML string, data embedded (``</`` escaped so no quote ends the script)."""
    from html import escape

    template = resources.files("inograph.export").joinpath("templates/evidence_map.html")
    text = template.read_text(encoding="utf-8")
    data = json.dumps(map_data(table), ensure_ascii=False, separators=(",", ":"))
    data = data.replace("</", "<\\/").replace("<!--", "<\\!--")
    return text.replace("__TITLE__", escape(title)).replace("__DATA__", data)


def write_evidence_map(table: EvidenceTable, path: Path, *, title: str = DEFAULT_TITLE) -> None:
    """Write the evidence map page to ``path`` atomically."""
    write_text_atomically(Path(path), evidence_map_html(table, title=title))
