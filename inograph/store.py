"""The store behind the dataset: Oxigraph by default, rdflib's in-memory store on request.

rdflib's own SPARQL engine takes seconds for a four-join query at 10 k triples; Oxigraph (via
oxrdflib) answers in milliseconds at a million.  Everything else in inograph talks to an
``rdflib.Dataset`` and does not care which store is behind it.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterable
from enum import StrEnum
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inograph.errors import LoadError

if TYPE_CHECKING:
    from rdflib import Dataset, Graph, URIRef
    from rdflib.term import Node

__all__ = [
    "StoreKind",
    "as_stored",
    "backing_store",
    "copy_into",
    "dataset_over",
    "keyed_quads",
    "new_dataset",
    "oxigraph_quads",
    "oxigraph_store",
    "parse_rdf_file",
    "plain_literal",
    "quad_key",
    "rdf_format_for",
    "select_values",
    "sort_rdflib_quads",
    "sorted_quads",
]


class StoreKind(StrEnum):
    OXIGRAPH = "oxigraph"
    MEMORY = "memory"


def new_dataset(kind: StoreKind = StoreKind.OXIGRAPH) -> Dataset:
    """An empty dataset whose default graph is the union of its named graphs."""
    if kind is StoreKind.MEMORY:
        from rdflib import Dataset

        return Dataset(store="Memory", default_union=True)
    import pyoxigraph as ox

    return dataset_over(ox.Store())


def copy_into(source: Dataset, kind: StoreKind) -> Dataset:
    """A new dataset of ``kind`` holding every quad of ``source`` (bulk-loaded into Oxigraph)."""
    target = new_dataset(kind)
    if kind is StoreKind.OXIGRAPH:
        store = backing_store(target)
        assert store is not None  # new_dataset made it
        store.extend(_quads(source))
    else:
        target.addN((s, p, o, target.graph(_graph_name(g))) for s, p, o, g in source.quads())
    return target


def dataset_over(store: Any) -> Dataset:
    """An rdflib Dataset (default graph = union of the named graphs) over a pyoxigraph Store."""
    # the store object itself, not the plugin name: rdflib's plugin lookup scans every
    # installed package's entry points (~0.15 s, once per process)
    from oxrdflib.store import OxigraphStore
    from rdflib import Dataset

    wrapper = OxigraphStore(store=store)
    _BACKING[wrapper] = store
    return Dataset(store=wrapper, default_union=True)


#: rdflib store wrapper → the pyoxigraph Store it wraps (oxrdflib keeps it in a private field)
_BACKING: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def backing_store(dataset: Graph) -> Any | None:
    """The pyoxigraph Store behind a dataset made by :func:`new_dataset` or :func:`dataset_over`,
    or None (rdflib's memory store, or a dataset made elsewhere)."""
    try:
        return _BACKING.get(dataset.store)
    except TypeError:  # a store that cannot be weakly referenced is not one of ours
        return None


def oxigraph_store(dataset: Dataset) -> Any:
    """The pyoxigraph Store behind ``dataset``; a memory dataset is copied into a new one, and
    a pyoxigraph Store given as ``dataset`` is itself."""
    import pyoxigraph as ox

    if isinstance(dataset, ox.Store):
        return dataset
    store = backing_store(dataset)
    if store is None:
        store = ox.Store()
        store.extend(_quads(dataset))
    return store


def select_values(dataset: Dataset, query: str) -> list[dict[str, str]]:
    """Run a SELECT on Oxigraph (``dataset``'s, see :func:`oxigraph_store`; default graph =
    union of the named graphs); each row maps the bound variables to the terms' lexical values
    (an IRI's string, a literal's text)."""
    solutions = oxigraph_store(dataset).query(query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [
        {var: term.value for var in names if (term := solution[var]) is not None} for solution in solutions
    ]


def plain_literal(node: Node) -> Node:
    """``"x"^^xsd:string`` as the plain literal ``"x"`` (the same term in RDF 1.1)."""
    from rdflib import XSD, Literal

    if isinstance(node, Literal) and node.datatype == XSD.string:
        return Literal(str(node))
    return node


def _graph_name(graph: object) -> URIRef:
    from rdflib import Graph, URIRef

    return URIRef(str(graph.identifier if isinstance(graph, Graph) else graph))


def _quads(dataset: Dataset) -> list[Any]:
    """The dataset's quads as pyoxigraph terms, in no particular order."""
    store = backing_store(dataset)
    if store is not None:
        return list(store)
    return [quad for _, quad in keyed_quads(dataset.quads())]  # duplicates: a store keeps one


#: a quad's sort key: the N-Triples forms of its graph name, subject, predicate and object
QuadKey = tuple[str, str, str, str]


def keyed_quads(quads: Iterable[tuple[Node, Node, Node, object]]) -> list[tuple[QuadKey, Any]]:
    """rdflib quads (the graph as a Graph or its name) as pyoxigraph quads, each with its sort key,
    the terms as an Oxigraph store gives them back (see :func:`as_stored`).

    Each distinct term is converted once: a build has ~250 k term positions but ~30 k distinct
    terms, so converting per position was most of the copy into Oxigraph.  rdflib's equality is
    the cache's: literals equal in rdflib differ at most in a language tag's case, which
    Oxigraph lowers anyway.  Quads that become equal (``"0.0"`` and ``"0"`` as ``xsd:decimal``)
    are both kept, as in ``quads``; a store holds them once.
    """
    import pyoxigraph as ox

    from inograph.rdf_terms import to_oxigraph

    rows: list[tuple[int, int, int, int]] = []
    index: dict[object, int] = {}  # rdflib term (or graph) → its position in ``terms``
    terms: list[Any] = []
    graphs: dict[object, int] = {}
    add, position = rows.append, index.get
    for s, p, o, g in quads:
        if (graph := graphs.get(g)) is None:
            graph = graphs[g] = len(terms)
            terms.append(ox.NamedNode(str(_graph_name(g))))
        if (subject := position(s)) is None:
            subject = index[s] = len(terms)
            terms.append(to_oxigraph(s))
        if (predicate := position(p)) is None:
            predicate = index[p] = len(terms)
            terms.append(to_oxigraph(p))
        if (obj := position(o)) is None:
            obj = index[o] = len(terms)
            terms.append(to_oxigraph(o))
        add((graph, subject, predicate, obj))
    stored = as_stored(terms)
    text = [str(term) for term in stored]
    quad = ox.Quad
    return [
        ((text[g], text[s], text[p], text[o]), quad(stored[s], stored[p], stored[o], stored[g]))
        for g, s, p, o in rows
    ]


def as_stored(terms: list[Any]) -> list[Any]:
    """``terms`` as an Oxigraph store gives them back: it keeps typed literals as values, so
    ``"0.0"^^xsd:decimal`` comes back as ``"0"``.  Found by a round trip of the literals and
    blank nodes through a scratch store, which is what the store itself does, not by a rule of
    ours; an IRI is kept as it is."""
    import pyoxigraph as ox

    iri = ox.NamedNode
    scratch = ox.Store()
    holder = iri("urn:inograph:term")
    scratch.extend(
        ox.Quad(iri(f"urn:inograph:term:{i}"), holder, term)
        for i, term in enumerate(terms)
        if type(term) is not iri
    )
    stored = list(terms)
    cut = len("urn:inograph:term:")
    for quad in scratch:
        stored[int(quad.subject.value[cut:])] = quad.object
    return stored


def sorted_quads(dataset: Dataset) -> list[Any]:
    """The dataset's quads as pyoxigraph terms, sorted (graph, subject, predicate, object).

    Sorted input makes pyoxigraph's serialisers write the same bytes for the same data.  Sorting
    a whole build takes a good part of a second: callers that write several files sort once.
    """
    store = backing_store(dataset)
    if store is None:
        return sort_rdflib_quads(dataset.quads())
    quads = list(store)
    quads.sort(key=quad_key)
    return quads


def sort_rdflib_quads(quads: Iterable[tuple[Node, Node, Node, object]]) -> list[Any]:
    """rdflib quads as pyoxigraph quads, sorted as :func:`sorted_quads` sorts, each once."""
    keyed = keyed_quads(quads)
    keyed.sort(key=itemgetter(0))
    distinct: list[Any] = []
    last: QuadKey | None = None
    for key, quad in keyed:
        if key != last:  # equal quads have equal keys: once sorted, they are neighbours
            distinct.append(quad)
            last = key
    return distinct


def quad_key(quad: Any) -> QuadKey:
    """The sort key of a pyoxigraph quad (see :func:`sorted_quads`)."""
    return str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object)


#: the former name of :func:`sorted_quads`
oxigraph_quads = sorted_quads


def _error_line(exc: Exception) -> int | None:
    """The 1-based line of a parse error: from the error's offset into the text when rdflib's
    Turtle parser gives one (its own line count is off at the end of a file), else its lines."""
    text, index = getattr(exc, "_str", None), getattr(exc, "_i", None)
    if isinstance(text, (bytes, str)) and isinstance(index, int):
        newline = b"\n" if isinstance(text, bytes) else "\n"
        return text[:index].count(newline) + 1  # type: ignore[arg-type]
    line = getattr(exc, "lines", None) or getattr(exc, "line", None)
    return line + 1 if isinstance(line, int) else None


_FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}


def rdf_format_for(path: Path) -> str:
    try:
        return _FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(_FORMATS))
        raise LoadError(f"{path}: unknown RDF file type {path.suffix!r} (known: {known})") from None


def parse_rdf_file(
    path: Path, into: Graph | Dataset | None = None, *, allow_remote_context: bool = False
) -> Graph | Dataset:
    """Parse one RDF file; a syntax error becomes a :class:`LoadError` naming file and line.

    Nothing is fetched from the network: a JSON-LD file whose ``@context`` is a URL is refused
    (inline the context instead).  A literal whose text does not fit its datatype
    (``"abc"^^xsd:integer``, ``"2014-02-30"^^xsd:date``) is an error, not a warning.
    """
    import logging

    from rdflib import Dataset, Graph, Literal

    fmt = rdf_format_for(path)
    if not path.is_file():
        raise LoadError(f"{path}: no such file")
    if fmt == "json-ld" and not allow_remote_context:
        _refuse_remote_contexts(path)
    target: Graph | Dataset = (
        into if into is not None else (Dataset() if fmt in ("trig", "nquads") else Graph())
    )
    term_log = logging.getLogger("rdflib.term")  # it logs ill-typed literals with a traceback
    quiet, term_log.disabled = term_log.disabled, True
    try:
        target.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many unrelated types for bad syntax
        line = _error_line(exc)
        where = f"{path}:{line}" if line is not None else str(path)
        reason = getattr(exc, "_why", None) or str(exc).splitlines()[0]
        raise LoadError(f"{where}: {fmt} syntax error: {reason}") from None
    finally:
        term_log.disabled = quiet
    objects = (q[2] for q in target.quads()) if isinstance(target, Dataset) else target.objects()
    for obj in objects:
        if isinstance(obj, Literal) and obj.ill_typed:
            raise LoadError(f"{path}: {obj.n3()} is not a valid {obj.datatype} value")
    _refuse_invalid_iris(path, target)
    return target


def _refuse_invalid_iris(path: Path, graph: Graph | Dataset) -> None:
    """rdflib only warns about an IRI with a space or a control character; Oxigraph, which the
    graph is copied into, refuses it: an error naming the file and the IRI's first line."""
    import pyoxigraph as ox
    from rdflib import Dataset, URIRef

    quads = graph.quads() if isinstance(graph, Dataset) else ((*t, None) for t in graph)
    checked: set[str] = set()
    for quad in quads:
        for term in quad:
            if not isinstance(term, URIRef) or term in checked:
                continue
            try:
                ox.NamedNode(str(term))
            except ValueError as exc:
                line = _first_line_with(path, str(term))
                where = f"{path}:{line}" if line is not None else str(path)
                raise LoadError(f"{where}: <{term}> is not a valid IRI ({exc})") from None
            checked.add(term)


def _first_line_with(path: Path, text: str) -> int | None:
    with contextlib.suppress(OSError, UnicodeDecodeError):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if text in line:
                return number
    return None


def _refuse_remote_contexts(path: Path) -> None:
    import json

    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise LoadError(f"{path}: json-ld syntax error: {exc}") from None
    pending: list[Any] = [document]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            context = node.get("@context")
            for entry in context if isinstance(context, list) else [context]:
                if isinstance(entry, str):
                    raise LoadError(
                        f"{path}: @context {entry!r} would be fetched from the network; inline the "
                        "context in the file, or allow it with --allow-remote-context"
                    )
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
