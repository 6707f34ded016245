"""Linked-data exports: each read back into rdflib is isomorphic to the dataset, graph by graph."""

from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from inograph.build import PREFIXES, BuiltDataset
from inograph.export.linked_data import (
    LinkedDataFormat,
    context_path,
    jsonld_context,
    serialize_linked_data,
)
from inograph.resources import resource_dir
from inograph.store import plain_literal

GRAPH_BASE = "https://w3id.org/inograph/graph/"


def _plain(graph: Graph) -> Graph:
    """The graph with ``"x"^^xsd:string`` written as ``"x"`` (Oxigraph returns the former)."""
    plain = Graph()
    for s, p, o in graph:
        plain.add((s, p, plain_literal(o)))
    return plain


@pytest.fixture(scope="module")
def source_graphs(built: BuiltDataset) -> dict[URIRef, Graph]:
    graphs = {
        URIRef(str(g.identifier)): _plain(g)
        for g in built.dataset.graphs()
        if str(g.identifier).startswith(GRAPH_BASE)
    }
    assert URIRef(GRAPH_BASE + "kantarjian2016") in graphs
    assert URIRef(GRAPH_BASE + "ontology") in graphs
    return graphs


@pytest.fixture(scope="module")
def texts(built: BuiltDataset) -> dict[LinkedDataFormat, str]:
    """Each format serialised once for the module."""
    return {fmt: serialize_linked_data(built.dataset, fmt) for fmt in LinkedDataFormat}


@pytest.mark.parametrize("fmt", [LinkedDataFormat.TRIG, LinkedDataFormat.NQUADS, LinkedDataFormat.JSONLD])
def test_quad_formats_round_trip_graph_by_graph(
    texts: dict[LinkedDataFormat, str], source_graphs: dict[URIRef, Graph], fmt: LinkedDataFormat
) -> None:
    back = Dataset()
    back.parse(data=texts[fmt], format=fmt.value)
    read = {URIRef(str(g.identifier)): _plain(g) for g in back.graphs() if len(g)}
    assert set(read) == set(source_graphs)
    for name, graph in source_graphs.items():
        assert isomorphic(read[name], graph), name


def test_turtle_holds_the_union_of_the_graphs(
    texts: dict[LinkedDataFormat, str], source_graphs: dict[URIRef, Graph]
) -> None:
    text = texts[LinkedDataFormat.TURTLE]
    union = Graph()
    for graph in source_graphs.values():
        union += graph
    back = _plain(Graph().parse(data=text, format="turtle"))
    assert len(back) == len(union)
    assert isomorphic(back, union)


def test_published_context_is_packaged_and_used(
    texts: dict[LinkedDataFormat, str], source_graphs: dict[URIRef, Graph]
) -> None:
    assert context_path() == resource_dir("ontology") / "inograph-context.jsonld"
    published = json.loads(context_path().read_text(encoding="utf-8"))
    assert published == {"@context": dict(PREFIXES)}
    assert jsonld_context() == dict(PREFIXES)
    document = json.loads(texts[LinkedDataFormat.JSONLD])
    assert document["@context"] == published["@context"]
    # one compacted named graph per graph of the dataset, IRIs shortened by the context
    named = {g["@id"] for g in document["@graph"]}
    assert named == {"inog:" + str(name)[len(GRAPH_BASE) :] for name in source_graphs}


def test_deterministic_text(built: BuiltDataset, texts: dict[LinkedDataFormat, str]) -> None:
    for fmt in (LinkedDataFormat.TURTLE, LinkedDataFormat.TRIG):
        assert serialize_linked_data(built.dataset, fmt) == texts[fmt]
