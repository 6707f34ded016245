"""Exports of the evidence graph: tables, linked data, graph-tool formats, an evidence map, plots.

Everything here is computed from the RDF dataset (SPARQL over its Oxigraph store, queries in
``queries/export/``), never from the curation files, so an export shows exactly what the
graph states.  :func:`export` is the one entry point behind ``inograph export FORMAT``.

======================== ============================================ ===================
format                   what                                         module
======================== ============================================ ===================
``csv``                  the evidence table, one row per result       :mod:`.table`
``turtle`` ``trig``      the dataset as linked data (Turtle: union    :mod:`.linked_data`
``nquads`` ``jsonld``    of the graphs; JSON-LD: published context)
``graphml`` ``gexf``     a networkx view (``--view``) for Gephi,      :mod:`.graph_formats`
``cytoscape``            Cytoscape, yEd, Cytoscape.js
``html``                 the evidence map page (offline, one file)    :mod:`.evidence_map`
``forest-png``           forest plots of hazard ratios and rate       :mod:`.forest`
``forest-svg``           differences, one file per endpoint
``fhir``                 one HL7 FHIR R5 Bundle (EBM on FHIR):        :mod:`.fhir`
                         Citation, EvidenceVariable, Evidence,
                         ArtifactAssessment
======================== ============================================ ===================
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from inograph.errors import ExportError

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Dataset

__all__ = ["ExportFormat", "ExportSummary", "GraphView", "export", "view_graph"]


class ExportFormat(StrEnum):
    CSV = "csv"
    TURTLE = "turtle"
    TRIG = "trig"
    NQUADS = "nquads"
    JSONLD = "jsonld"
    GRAPHML = "graphml"
    GEXF = "gexf"
    CYTOSCAPE = "cytoscape"
    HTML = "html"
    FOREST_PNG = "forest-png"
    FOREST_SVG = "forest-svg"
    FHIR = "fhir"

    @property
    def needs_view(self) -> bool:
        return self in (ExportFormat.GRAPHML, ExportFormat.GEXF, ExportFormat.CYTOSCAPE)

    @property
    def writes_folder(self) -> bool:
        return self in (ExportFormat.FOREST_PNG, ExportFormat.FOREST_SVG)


class GraphView(StrEnum):
    """The networkx views of :mod:`inograph.views` that the graph formats export."""

    EVIDENCE = "evidence"
    CITATION = "citation"
    COMPARISON = "comparison"
    SAME_QUANTITY = "same-quantity"


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote: the files, how many items (rows, quads, nodes, plots), the time."""

    paths: tuple[Path, ...]
    items: int
    what: str
    seconds: float


def view_graph(dataset: Dataset, view: GraphView) -> nx.Graph:
    """The networkx view ``view`` of the dataset, built by :mod:`inograph.views`."""
    from inograph import views

    builders: dict[GraphView, Callable[[Dataset], nx.Graph]] = {
        GraphView.EVIDENCE: views.evidence_network,
        GraphView.CITATION: views.citation_graph,
        GraphView.COMPARISON: views.comparison_network,
        GraphView.SAME_QUANTITY: views.same_quantity_graph,
    }
    return builders[view](dataset)


def export(
    dataset: Dataset,
    fmt: ExportFormat,
    out: Path,
    *,
    view: GraphView = GraphView.EVIDENCE,
    publications: tuple[str, ...] = (),
    trials: tuple[str, ...] = (),
) -> ExportSummary:
    """Write ``dataset`` in ``fmt`` to ``out`` (a file; a folder for the forest plots).

    ``publications`` and ``trials`` (short ids) narrow the ``fhir`` export to their results.
    """
    started = time.perf_counter()
    out = Path(out)
    if (publications or trials) and fmt is not ExportFormat.FHIR:
        raise ExportError(f"--publication and --trial apply to the fhir export, not to {fmt.value}")
    if fmt.writes_folder and out.exists() and not out.is_dir():
        raise ExportError(f"{out}: forest plots are written into a folder, and this is a file")
    if not fmt.writes_folder and out.is_dir():
        raise ExportError(f"{out}: is a folder; give a file name for the {fmt.value} export")
    paths: tuple[Path, ...] = (out,)
    if fmt is ExportFormat.CSV:
        from inograph.export.records import read_evidence_table
        from inograph.export.table import write_csv

        items, what = write_csv(read_evidence_table(dataset), out), "result rows"
    elif fmt in (ExportFormat.TURTLE, ExportFormat.TRIG, ExportFormat.NQUADS, ExportFormat.JSONLD):
        from inograph.export.linked_data import LinkedDataFormat, write_linked_data

        ld = {
            ExportFormat.TURTLE: LinkedDataFormat.TURTLE,
            ExportFormat.TRIG: LinkedDataFormat.TRIG,
            ExportFormat.NQUADS: LinkedDataFormat.NQUADS,
            ExportFormat.JSONLD: LinkedDataFormat.JSONLD,
        }[fmt]
        write_linked_data(dataset, ld, out)
        if fmt is ExportFormat.TURTLE:  # one graph: the union's distinct triples
            items, what = len(dataset), "triples"
        else:
            from inograph.store import oxigraph_store

            items, what = len(oxigraph_store(dataset)), "quads"
    elif fmt.needs_view:
        from inograph.export.graph_formats import GraphFormat, write_graph

        graph = view_graph(dataset, view)
        gf = {
            ExportFormat.GRAPHML: GraphFormat.GRAPHML,
            ExportFormat.GEXF: GraphFormat.GEXF,
            ExportFormat.CYTOSCAPE: GraphFormat.CYTOSCAPE,
        }[fmt]
        write_graph(graph, gf, out)
        items, what = graph.number_of_nodes(), f"nodes ({graph.number_of_edges()} edges)"
    elif fmt is ExportFormat.FHIR:
        from inograph.export.fhir import write_fhir

        bundle = write_fhir(dataset, out, publications=publications, trials=trials)
        items = sum(bundle.counts.values())
        what = "FHIR resources (" + ", ".join(f"{n} {t}" for t, n in bundle.counts.items()) + ")"
    elif fmt is ExportFormat.HTML:
        from inograph.export.evidence_map import write_evidence_map
        from inograph.export.records import read_evidence_table

        table = read_evidence_table(dataset)
        write_evidence_map(table, out, dataset=dataset)
        items, what = len(table.results), "results"
    else:
        from inograph.export.forest import ImageFormat, write_forest_plots
        from inograph.export.records import read_evidence_table

        image = ImageFormat.PNG if fmt is ExportFormat.FOREST_PNG else ImageFormat.SVG
        paths = tuple(write_forest_plots(read_evidence_table(dataset), out, [image]))
        items, what = len(paths), "forest plots"
    return ExportSummary(paths, items, what, time.perf_counter() - started)
