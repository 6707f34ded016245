"""Validation: SHACL shapes and OWL consistency (HermiT through owlready2).

Two SHACL engines give the same results (the tests compare them on every negative graph):

- ``sparql`` (default): :mod:`inograph.shacl`, one SPARQL query per constraint component run on
  the Oxigraph store itself, no copy of the data;
- ``pyshacl``: the reference implementation.  It is given an rdflib in-memory copy of the data:
  over an Oxigraph-backed graph it counts the whole store once per validation result
  (``datagraph or sg`` in its constraint_component.py), which makes it quadratic; the copy keeps
  it linear.

The OWL check selects its input from the Oxigraph store with one CONSTRUCT (no copy) and
takes its verdict from the cache when that input is unchanged (:mod:`inograph.reasoning`); it
runs in a second thread while SHACL runs, so a validation takes about as long as the slower of
the two rather than their sum.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from inograph.errors import ShapeError
from inograph.graph_builder import publication_graph
from inograph.namespaces import INO, ONTOLOGY_GRAPH, RDF, SH
from inograph.progress import phase
from inograph.reasoning import ReasonerReport, consistency_check
from inograph.resources import shape_files
from inograph.store import oxigraph_store, parse_rdf_file, plain_literal

__all__ = [
    "ShaclEngine",
    "ValidationReport",
    "Violation",
    "compact",
    "load_shapes",
    "run_shacl",
    "validate_dataset",
]


class ShaclEngine(StrEnum):
    """Which implementation runs the shapes: the SPARQL engine on Oxigraph, or pySHACL."""

    SPARQL = "sparql"
    PYSHACL = "pyshacl"


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result, with the place the offending node came from."""

    focus: str
    path: str | None
    message: str
    severity: str
    shape: str
    value: str | None
    constraint: str | None = None
    origin: str | None = None
    #: the sh:sourceConstraintComponent (e.g. ``...shacl#MinCountConstraintComponent``)
    component: str | None = None

    def __str__(self) -> str:
        where = f" [{self.origin}]" if self.origin else ""
        path = f" {compact(self.path)}" if self.path else ""
        value = f" (value {compact(self.value)})" if self.value else ""
        return f"{self.severity}: {compact(self.focus)}{path}{value}: {self.message}{where}"


@dataclass(frozen=True)
class ValidationReport:
    """What ``inograph validate`` found: SHACL results and the reasoner's verdict."""

    violations: tuple[Violation, ...]
    reasoner: ReasonerReport | None
    triples: int
    shacl_seconds: float
    extra_files: tuple[Path, ...] = field(default=())

    @property
    def conforms(self) -> bool:
        shacl_ok = not any(v.severity == "Violation" for v in self.violations)
        owl_ok = self.reasoner is None or self.reasoner.consistent is not False
        return shacl_ok and owl_ok

    @property
    def shapes_fired(self) -> set[str]:
        """IRIs of the shapes and SPARQL constraints that produced a result."""
        return {v.shape for v in self.violations} | {v.constraint for v in self.violations if v.constraint}


def load_shapes(paths: Iterable[Path] | None = None) -> Graph:
    graph = Graph()
    for path in paths if paths is not None else shape_files():
        parse_rdf_file(Path(path), into=graph)
    if not any(graph.subjects(RDF.type, SH.NodeShape)):
        raise ShapeError("no SHACL node shapes found in the shapes files")
    return graph


def compact(text: str) -> str:
    """An IRI shortened with the project's prefixes, for reports read by people."""
    for prefix, namespace in (
        ("inod:", "https://w3id.org/inograph/id/"),
        ("ino:", "https://w3id.org/inograph/ontology#"),
        ("inosh:", "https://w3id.org/inograph/shapes#"),
        ("oa:", "http://www.w3.org/ns/oa#"),
        ("prov:", "http://www.w3.org/ns/prov#"),
        ("dcterms:", "http://purl.org/dc/terms/"),
        ("rdfs:", "http://www.w3.org/2000/01/rdf-schema#"),
    ):
        if text.startswith(namespace):
            return prefix + text[len(namespace) :]
    return text


def _text(node: Node | None) -> str | None:
    return None if node is None else str(node)


def run_shacl(
    data: Graph | Dataset | Any,
    shapes: Graph | None = None,
    *,
    engine: ShaclEngine = ShaclEngine.SPARQL,
    extra: Sequence[Graph] = (),
) -> tuple[Violation, ...]:
    """Validate ``data`` (an rdflib graph or dataset, or a ``pyoxigraph.Store``; not modified),
    together with the ``extra`` graphs, against the shapes and return typed results.

    A dataset is validated as the union of its graphs.  The SPARQL engine runs on the Oxigraph
    store behind a dataset (an rdflib graph or memory dataset is first copied into one).
    """
    shapes = shapes if shapes is not None else load_shapes()
    if engine is ShaclEngine.PYSHACL:
        return _run_pyshacl(_union_copy(data, extra), shapes)
    return _run_sparql(data, shapes, extra)


def _run_sparql(data: Graph | Dataset | Any, shapes: Graph, extra: Sequence[Graph]) -> tuple[Violation, ...]:
    from inograph.shacl import validate_store

    results = validate_store(
        _as_store(data),
        [_ox_quad(triple) for triple in shapes],
        extra_triples=[_ox_quad(triple) for graph in extra for triple in graph],
    )
    violations = [
        Violation(
            focus=r.focus,
            path=r.path,
            message=r.message,
            severity=r.severity,
            shape=r.shape,
            value=r.value,
            constraint=r.constraint,
            component=r.component,
        )
        for r in results
    ]
    if extra:
        as_written = _lexical_forms(extra)
        violations = [
            replace(v, value=as_written.get((v.focus, v.path or "", v.value or ""), v.value))
            for v in violations
        ]
    return tuple(sorted(violations, key=lambda v: (v.focus, v.shape, v.message)))


def _lexical_forms(extra: Sequence[Graph]) -> dict[tuple[str, str, str], str]:
    """(subject, predicate, literal as Oxigraph keeps it) -> the literal as the curator's file
    writes it: Oxigraph stores numbers canonically (``2.0`` becomes ``2``), pySHACL reports them
    as written, and so does the report."""
    from inograph.rdf_terms import to_oxigraph
    from inograph.store import as_stored

    literals = [(s, p, o) for graph in extra for s, p, o in graph if isinstance(o, Literal)]
    kept = as_stored([to_oxigraph(o) for _s, _p, o in literals])
    return {(str(s), str(p), str(k.value)): str(o) for (s, p, o), k in zip(literals, kept, strict=True)}


def _ox_quad(triple: tuple[Node, Node, Node]) -> Any:
    import pyoxigraph as ox

    from inograph.rdf_terms import to_oxigraph

    s, p, o = triple
    return ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))


def _as_store(data: Graph | Dataset | Any) -> Any:
    """The Oxigraph store to validate: the given one, the one behind a dataset, or a new one."""
    import pyoxigraph as ox

    if isinstance(data, ox.Store):
        return data
    if isinstance(data, Dataset):
        return oxigraph_store(data)
    store = ox.Store()
    store.extend(_ox_quad(triple) for triple in data)
    return store


def _run_pyshacl(data: Graph, shapes: Graph) -> tuple[Violation, ...]:
    import pyshacl

    _conforms, report, _report_text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=False,
    )
    assert isinstance(report, Graph)
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        violations.append(
            Violation(
                focus=_text(report.value(result, SH.focusNode)) or "",
                path=_text(report.value(result, SH.resultPath)),
                message=messages[0] if messages else "(no message)",
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                shape=_text(report.value(result, SH.sourceShape)) or "",
                value=_text(report.value(result, SH.value)),
                constraint=_text(report.value(result, SH.sourceConstraint)),
                component=_text(report.value(result, SH.sourceConstraintComponent)),
            )
        )
    return tuple(sorted(violations, key=lambda v: (v.focus, v.shape, v.message)))


def _origins(dataset: Dataset) -> dict[Node, str]:
    """subject → the curation file (and line, for results) it was built from."""
    graph_files = {str(ONTOLOGY_GRAPH): "ontology/"}
    for publication, file in dataset.subject_objects(INO.curationFile):
        short_id = dataset.value(publication, INO.shortId)
        graph_files[str(publication_graph(str(short_id)))] = f"evidence/{file}"
    origins: dict[Node, str] = {}
    for s, _p, _o, g in dataset.quads((None, RDF.type, None, None)):
        graph = str(g.identifier if isinstance(g, Graph) else g)
        origins.setdefault(s, graph_files.get(graph, graph))
    for result, line in dataset.subject_objects(INO.curationLine):
        if result in origins:
            origins[result] = f"{origins[result]}:{line}"
    return origins


def _union_copy(data: Graph | Dataset | Any, extra: Sequence[Graph]) -> Graph:
    """All triples in one rdflib in-memory graph; xsd:string literals made plain, as RDF 1.1
    says they are (Oxigraph returns them typed, and rdflib would not match them in sh:in)."""
    import pyoxigraph as ox

    union = Graph()
    if isinstance(data, ox.Store):
        from inograph.rdf_terms import from_oxigraph

        for quad in data:
            s, p, o = (from_oxigraph(term) for term in (quad.subject, quad.predicate, quad.object))
            assert isinstance(s, Node) and isinstance(p, Node) and isinstance(o, Node)
            union.add((s, p, plain_literal(o)))
    elif isinstance(data, Dataset):
        for s, p, o, _g in data.quads((None, None, None, None)):
            union.add((s, p, plain_literal(o)))
    else:
        for s, p, o in data:
            union.add((s, p, plain_literal(o)))
    for graph in extra:
        for triple in graph:
            union.add(triple)
    return union


def _distinct_triples(dataset: Dataset, extra: Sequence[Graph]) -> int:
    """How many distinct triples the union holds (what ``len`` of the rdflib copy would say)."""
    from inograph.shacl import count_triples

    return count_triples(_as_store(dataset), [_ox_quad(triple) for graph in extra for triple in graph])


def validate_dataset(
    dataset: Dataset,
    *,
    extra_files: Sequence[Path] = (),
    reasoner: bool = True,
    shapes: Graph | None = None,
    allow_remote_context: bool = False,
    engine: ShaclEngine = ShaclEngine.SPARQL,
) -> ValidationReport:
    """SHACL-validate the dataset (plus a curator's extra RDF files) and check OWL consistency.

    With the default SPARQL engine nothing is copied (the OWL check selects its input from the
    store too); pySHACL works on an rdflib copy of the union."""
    extra_graphs = [parse_rdf_file(Path(p), allow_remote_context=allow_remote_context) for p in extra_files]
    extra = [g for g in extra_graphs if isinstance(g, Graph)]
    # only pySHACL needs an rdflib copy: the SPARQL engine and the reasoner read the store
    data = None
    if engine is ShaclEngine.PYSHACL:
        with phase("copying the graph for pySHACL"):
            data = _union_copy(dataset, extra)
    # HermiT is a Java process that reads its own copy of the input: it runs beside SHACL.  Its
    # input is selected first, as the SHACL engine writes scratch graphs into the store
    owl_check = consistency_check(dataset, extra=extra) if reasoner else None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="inograph-owl") as beside:
        owl_verdict = beside.submit(owl_check) if owl_check is not None else None
        started = time.perf_counter()
        with phase("SHACL"):
            if data is not None:
                violations = _run_pyshacl(data, shapes if shapes is not None else load_shapes())
            else:
                violations = run_shacl(dataset, shapes, engine=engine, extra=extra)
        shacl_seconds = time.perf_counter() - started
        owl = owl_verdict.result() if owl_verdict is not None else None
    origins = _origins(dataset) if violations else {}  # a walk over every typed node: 3 s at 1 M
    extra_subjects = {
        s: str(path) for path, g in zip(extra_files, extra_graphs, strict=True) for s in g.subjects()
    }
    located = []
    for v in violations:
        node = URIRef(v.focus) if "://" in v.focus else Literal(v.focus)
        origin = extra_subjects.get(node) or origins.get(node)
        located.append(Violation(**{**vars(v), "origin": origin}))
    return ValidationReport(
        violations=tuple(located),
        reasoner=owl,
        triples=len(data) if data is not None else _distinct_triples(dataset, extra),
        shacl_seconds=shacl_seconds,
        extra_files=tuple(extra_files),
    )
