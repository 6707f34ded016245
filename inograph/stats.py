"""Counts that say how much evidence the graph holds: results per publication and kind,
quotes and anchors, citations, and the shapes that check them."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from inograph.graph_builder import MEASURE_CLASSES
from inograph.namespaces import RDF, SH
from inograph.resources import internal_query
from inograph.store import oxigraph_store, select_values

__all__ = ["GraphStats", "ShapeCounts", "count_shapes", "graph_stats", "render_text", "write_json"]


@dataclass(frozen=True)
class ShapeCounts:
    node_shapes: int
    property_shapes: int
    sparql_constraints: int


@dataclass(frozen=True)
class GraphStats:
    results_by_publication: dict[str, dict[str, int]]
    quotes: int
    anchors: int
    reference_entries: int
    typed_citations: int
    restated_results: int
    derived_results: int
    shapes: ShapeCounts
    #: statements in the named graphs (a triple stated in two graphs counts twice)
    quads: int
    #: distinct triples of the union of the named graphs
    triples: int
    # analysis kind (primary, post-hoc, design-assumption, ...) -> results, per publication
    results_by_analysis: dict[str, dict[str, int]] = field(default_factory=dict)
    stated_thresholds: int = 0  # results with a prespecified significance threshold
    qualified_values: int = 0  # results whose value carries a printed qualifier (">40%")

    @property
    def results(self) -> int:
        return sum(sum(kinds.values()) for kinds in self.results_by_publication.values())

    def to_json(self) -> str:
        data: dict[str, Any] = asdict(self)
        data["results"] = self.results
        return json.dumps(data, indent=2, sort_keys=True)


def _select(dataset: Dataset, name: str) -> list[dict[str, str]]:
    query = internal_query("stats", name)
    return select_values(dataset, query)


def count_shapes(shapes: Graph) -> ShapeCounts:
    return ShapeCounts(
        node_shapes=len(set(shapes.subjects(RDF.type, SH.NodeShape))),
        property_shapes=len(set(shapes.subjects(RDF.type, SH.PropertyShape))),
        sparql_constraints=len(set(shapes.subjects(RDF.type, SH.SPARQLConstraint))),
    )


def graph_stats(dataset: Dataset, shapes: Graph) -> GraphStats:
    measure_names = {str(iri).rsplit("#", 1)[-1]: name for name, iri in MEASURE_CLASSES.items()}
    by_publication: dict[str, dict[str, int]] = defaultdict(dict)
    for row in _select(dataset, "results-by-publication"):
        measure = measure_names.get(row["measure"], row["measure"])
        by_publication[row["publication"]][measure] = int(row["results"])
    (provenance,) = _select(dataset, "provenance")
    by_analysis: dict[str, dict[str, int]] = defaultdict(dict)
    thresholds = qualifiers = 0
    for row in _select(dataset, "results-by-analysis"):
        by_analysis[row["publication"]][row["analysis"]] = int(row["results"])
        thresholds += int(row["thresholds"])
        qualifiers += int(row["qualifiers"])
    return GraphStats(
        results_by_publication={k: dict(sorted(v.items())) for k, v in sorted(by_publication.items())},
        quotes=int(provenance.get("quotes", 0)),
        anchors=int(provenance.get("anchors", 0)),
        reference_entries=int(provenance.get("referenceEntries", 0)),
        typed_citations=int(provenance.get("typedCitations", 0)),
        restated_results=int(provenance.get("restatedResults", 0)),
        derived_results=int(provenance.get("derivedResults", 0)),
        shapes=count_shapes(shapes),
        quads=len(oxigraph_store(dataset)),
        triples=len(dataset),
        results_by_analysis={k: dict(sorted(v.items())) for k, v in sorted(by_analysis.items())},
        stated_thresholds=thresholds,
        qualified_values=qualifiers,
    )


def _table(counts: dict[str, dict[str, int]]) -> list[str]:
    """Publications (rows) by kinds (columns), with totals."""
    kinds = sorted({m for per in counts.values() for m in per})
    header = ["publication", *kinds, "total"]
    rows = [
        [pub, *[str(per.get(m, 0)) for m in kinds], str(sum(per.values()))] for pub, per in counts.items()
    ]
    totals = [
        "total",
        *[str(sum(k.get(m, 0) for k in counts.values())) for m in kinds],
        str(sum(sum(per.values()) for per in counts.values())),
    ]
    table = [header, *rows, totals]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    return [
        "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
        for r in table
    ]


def render_text(stats: GraphStats) -> str:
    """Results per publication by measure, then by analysis kind, then the other counts."""
    lines = _table(stats.results_by_publication)
    if stats.results_by_analysis:
        lines += ["", *_table(stats.results_by_analysis)]
    s = stats.shapes
    lines += [
        "",
        f"stated significance thresholds: {stats.stated_thresholds}; "
        f"values with a printed qualifier: {stats.qualified_values}",
        f"quotes: {stats.quotes} (anchored annotations: {stats.anchors})",
        f"restated results (with cited origin): {stats.restated_results}; "
        f"derived results: {stats.derived_results}",
        f"citations: {stats.reference_entries} reference entries, {stats.typed_citations} CiTO-typed links",
        f"shapes: {s.node_shapes} node shapes, {s.property_shapes} property shapes, "
        f"{s.sparql_constraints} SPARQL constraints",
        f"quads: {stats.quads} in the named graphs ({stats.triples} distinct triples)",
    ]
    return "\n".join(lines)


def write_json(stats: GraphStats, path: Path) -> None:
    from inograph.atomic import write_text_atomically

    write_text_atomically(path, stats.to_json() + "\n")
