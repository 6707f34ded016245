"""Linked-data exports of the whole dataset: Turtle, TriG, N-Quads and JSON-LD.

TriG, N-Quads and JSON-LD keep the named graphs (one per publication, one for the ontology), so
every statement still says which publication made it.  Turtle has no graphs: it holds the
union, each triple once, for tools that read only triples.  JSON-LD is compacted with the
project's published context, ``ontology/inograph-context.jsonld`` (shipped in the wheel as
``inograph/_data/ontology/``); the context is embedded in the document so that it parses
offline.  All four are deterministic: same dataset, same bytes (JSON-LD: nodes and values
sorted, since rdflib writes them in set order).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any, Final, cast

from rdflib import Dataset, URIRef
from rdflib.term import Node

from inograph.atomic import write_text_atomically
from inograph.build import TEXT_PREFIXES, serialize_nquads, serialize_trig
from inograph.errors import ExportError
from inograph.resources import resource_dir
from inograph.store import oxigraph_quads, plain_literal

__all__ = [
    "CONTEXT_FILE",
    "LinkedDataFormat",
    "context_path",
    "jsonld_context",
    "serialize_linked_data",
    "write_linked_data",
]

CONTEXT_FILE: Final = "inograph-context.jsonld"


class LinkedDataFormat(StrEnum):
    """The RDF serialisations offered; the value is rdflib's parser name for reading back."""

    TURTLE = "turtle"
    TRIG = "trig"
    NQUADS = "nquads"
    JSONLD = "json-ld"


def context_path() -> Path:
    """The published JSON-LD context file (installed or in the checkout)."""
    return resource_dir("ontology") / CONTEXT_FILE


def jsonld_context() -> dict[str, Any]:
    """The ``@context`` object of the published context file."""
    try:
        data = json.loads(context_path().read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExportError(f"{context_path()}: unusable JSON-LD context: {exc}") from None
    context = data.get("@context") if isinstance(data, dict) else None
    if not isinstance(context, dict):
        raise ExportError(f"{context_path()}: no @context object")
    return context


def _turtle(dataset: Dataset) -> str:
    import pyoxigraph as ox

    triples = sorted(
        {ox.Triple(q.subject, q.predicate, q.object) for q in oxigraph_quads(dataset)},
        key=lambda t: (str(t.subject), str(t.predicate), str(t.object)),
    )
    from inograph.turtle import sorted_prefix_lines, without_escaped_names

    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=dict(TEXT_PREFIXES))
    assert data is not None  # no output file given: pyoxigraph returns the bytes
    return sorted_prefix_lines(without_escaped_names(data.decode("utf-8"), TEXT_PREFIXES))


def _jsonld(dataset: Dataset) -> str:
    # a plain in-memory copy, literals as plain strings: the export should hold the named
    # graphs only (not the union default graph) and write "x", not {"@value": "x", "@type": ...}
    from inograph.rdf_terms import from_oxigraph

    copy = Dataset(default_union=False)
    for quad in oxigraph_quads(dataset):
        graph = copy.graph(URIRef(quad.graph_name.value))
        s, p, o = (cast(Node, from_oxigraph(term)) for term in (quad.subject, quad.predicate, quad.object))
        graph.add((s, p, plain_literal(o)))
    text = copy.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
    # rdflib emits nodes and values in set order, which changes from run to run: sort them
    document = _sorted_json(json.loads(text))
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _sorted_json(value: Any, *, ordered: bool = False) -> Any:
    """``value`` with every array sorted, except ``@list`` arrays (an RDF list is ordered)."""
    if isinstance(value, dict):
        return {k: _sorted_json(v, ordered=k == "@list") for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        if ordered:
            return items
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


def serialize_linked_data(dataset: Dataset, fmt: LinkedDataFormat) -> str:
    """The dataset as text in ``fmt``."""
    if fmt is LinkedDataFormat.TRIG:
        return serialize_trig(dataset)
    if fmt is LinkedDataFormat.NQUADS:
        return serialize_nquads(dataset)
    if fmt is LinkedDataFormat.TURTLE:
        return _turtle(dataset)
    return _jsonld(dataset)


def write_linked_data(dataset: Dataset, fmt: LinkedDataFormat, path: Path) -> None:
    """Write the dataset in ``fmt`` to ``path`` atomically."""
    write_text_atomically(Path(path), serialize_linked_data(dataset, fmt))
