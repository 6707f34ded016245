"""Findings as RDF: written into the named graph ``inog:stats-checks`` and read back from it.

Each finding is an ``ino:StatisticalCheckFinding`` (IRI ``inod:check/<check>--<result ids>``)
with ``ino:checkSubject`` (the result whose number was recomputed), ``ino:checkedResult`` for
every result used, the check's name, verdict, method and detail, the printed text, the
recomputed value or interval and the tolerance (shapes: ``shapes/stats-checks-shapes.ttl``).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import cache
from typing import Any, Final

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from inograph.namespaces import DATA, GRAPH, INO, RDF, XSD
from inograph.resources import internal_query
from inograph.stats_checks.findings import Check, CheckReport, Finding, Verdict
from inograph.stats_checks.run import run_checks
from inograph.store import select_values

__all__ = [
    "CHECKS_GRAPH",
    "add_findings",
    "check_dataset",
    "finding_iri",
    "finding_quads",
    "finding_triples",
    "read_findings",
]

CHECKS_GRAPH: Final = GRAPH["stats-checks"]


def finding_iri(finding: Finding) -> URIRef:
    return DATA[f"check/{finding.key}"]


def _decimal(x: float) -> Literal:
    """An xsd:decimal in the canonical form Oxigraph stores (``30.0`` → ``30``, ``1e-05`` →
    ``0.00001``), so the memory and Oxigraph builds serialise alike."""
    return Literal(format(Decimal(repr(x)).normalize(), "f"), datatype=XSD.decimal)


def finding_triples(report: CheckReport) -> list[tuple[Node, Node, Node]]:
    """The triples of the graph ``inog:stats-checks`` for the findings of ``report``."""
    triples: list[tuple[Node, Node, Node]] = []
    for f in report.findings:
        node = finding_iri(f)
        triples += [
            (node, RDF.type, INO.StatisticalCheckFinding),
            (node, INO.checkSubject, URIRef(report.iris[f.subject])),
            (node, INO.checkName, Literal(f.check.value)),
            (node, INO.checkVerdict, Literal(f.verdict.value)),
            (node, INO.checkDetail, Literal(f.detail)),
        ]
        triples += [(node, INO.checkedResult, URIRef(report.iris[rid])) for rid in f.results]
        for predicate, text in ((INO.checkMethod, f.method), (INO.checkPrinted, f.printed),
                                (INO.checkExplanation, f.explanation)):  # fmt: skip
            if text:
                triples.append((node, predicate, Literal(text)))
        numbers = (
            (INO.recomputedValue, f.recomputed),
            (INO.recomputedLower, f.recomputed_lower),
            (INO.recomputedUpper, f.recomputed_upper),
            (INO.checkTolerance, f.tolerance),
        )
        for predicate, number in numbers:
            if number is not None:
                triples.append((node, predicate, _decimal(number)))
    return triples


def finding_quads(report: CheckReport) -> list[Any]:
    """The findings of ``report`` as pyoxigraph quads of ``inog:stats-checks``, in the order
    and the form a build holds them (:func:`inograph.store.sort_rdflib_quads`)."""
    from inograph.store import sort_rdflib_quads

    return sort_rdflib_quads((s, p, o, CHECKS_GRAPH) for s, p, o in finding_triples(report))


def add_findings(dataset: Dataset, report: CheckReport) -> Graph:
    """Replace the graph ``inog:stats-checks`` of ``dataset`` by the findings of ``report``."""
    dataset.remove_graph(dataset.graph(CHECKS_GRAPH))
    graph = dataset.graph(CHECKS_GRAPH)
    graph.addN((s, p, o, graph) for s, p, o in finding_triples(report))
    return graph


def check_dataset(dataset: Dataset) -> CheckReport:
    """Run every check on ``dataset`` and write the findings into it (the build's last step)."""
    report = run_checks(dataset)
    add_findings(dataset, report)
    return report


@cache
def _query() -> str:
    return internal_query("stats-checks", "findings")


def _float(row: dict[str, str], key: str) -> float | None:
    text = row.get(key)
    return None if text is None else float(text)


def read_findings(dataset: Dataset) -> dict[str, tuple[Finding, ...]]:
    """Result id → the findings that checked it (as subject or as a source), from the graph.

    A dataset built without the checks (an older build) gives an empty mapping.
    """
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in select_values(dataset, _query()):
        rows[row["finding"]].append(row)
    by_result: dict[str, list[Finding]] = defaultdict(list)
    for group in rows.values():
        first = group[0]
        subject = first["subjectId"]
        others = sorted({r["resultId"] for r in group} - {subject})
        finding = Finding(
            check=Check(first["check"]),
            results=(subject, *others),
            verdict=Verdict(first["verdict"]),
            method=first.get("method", ""),
            detail=first["detail"],
            printed=first.get("printed", ""),
            recomputed=_float(first, "recomputed"),
            recomputed_lower=_float(first, "recomputedLower"),
            recomputed_upper=_float(first, "recomputedUpper"),
            tolerance=_float(first, "tolerance"),
            explanation=first.get("explanation"),
        )
        for rid in finding.results:
            by_result[rid].append(finding)
    order = {check: i for i, check in enumerate(Check)}
    return {
        rid: tuple(sorted(found, key=lambda f: (order[f.check], f.results)))
        for rid, found in sorted(by_result.items())
    }
