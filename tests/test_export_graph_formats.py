"""GraphML, GEXF and Cytoscape.js exports of the networkx views: read back, they are the same graph."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import networkx as nx
import pytest

from inograph.build import BuiltDataset, write_dataset
from inograph.cli import main
from inograph.export import GraphView, view_graph
from inograph.export.graph_formats import (
    GraphFormat,
    cytoscape_elements,
    gexf_text,
    graphml_text,
    prepare_graph,
    serialize_graph,
)

#: the part of the Cytoscape.js element format that cytoscape({elements}) relies on
CYTOSCAPE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["elements"],
    "properties": {
        "data": {"type": "object"},
        "elements": {
            "type": "object",
            "required": ["nodes", "edges"],
            "additionalProperties": False,
            "properties": {
                "nodes": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["data"],
                        "properties": {
                            "data": {
                                "type": "object",
                                "required": ["id"],
                                "properties": {"id": {"type": "string", "minLength": 1}},
                                "additionalProperties": {"type": ["string", "number", "boolean"]},
                            }
                        },
                    },
                },
                "edges": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["data"],
                        "properties": {
                            "data": {
                                "type": "object",
                                "required": ["id", "source", "target"],
                                "properties": {
                                    "id": {"type": "string", "minLength": 1},
                                    "source": {"type": "string", "minLength": 1},
                                    "target": {"type": "string", "minLength": 1},
                                },
                                "additionalProperties": {"type": ["string", "number", "boolean"]},
                            }
                        },
                    },
                },
            },
        },
    },
}


def _nodes(g: nx.Graph) -> dict[str, dict[str, Any]]:
    return {str(n): dict(d) for n, d in g.nodes(data=True)}


def _edges(g: nx.Graph, *, drop: tuple[str, ...] = ()) -> Counter[tuple[Any, ...]]:
    """Edges as a multiset of (ends, attributes); the ends unordered for an undirected graph."""
    found: Counter[tuple[Any, ...]] = Counter()
    for u, v, d in g.edges(data=True):
        ends = (u, v) if g.is_directed() else tuple(sorted((u, v)))
        found[(ends, tuple(sorted((k, x) for k, x in d.items() if k not in drop)))] += 1
    return found


def _mixed_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(name="mixed")
    g.add_node(1, type="result", label="HR", value=0.77, n=109, significant=True)
    g.add_node(2, type="result", value=1, note=None, tags=["a", "b"])  # int where others float
    g.add_node("x", type="publication", label="kantarjian2016 & <NEJM>")
    g.add_edge(1, "x", key="reportedIn", type="reportedIn", weight=2)
    g.add_edge(1, "x", key="cites", type="cites", source="a", target="b")
    g.add_edge(2, 1, type="sameQuantityAs", difference=-0.02)
    return g


@pytest.fixture(scope="module")
def views(built: BuiltDataset) -> dict[GraphView, nx.Graph]:
    return {view: view_graph(built.dataset, view) for view in GraphView}


def test_prepare_makes_one_type_per_attribute() -> None:
    prepared = prepare_graph(_mixed_graph())
    assert _nodes(prepared) == {
        "1": {"type": "result", "label": "HR", "value": 0.77, "n": 109, "significant": True},
        "2": {"type": "result", "value": 1.0, "tags": '["a", "b"]', "label": "2"},
        "x": {"type": "publication", "label": "kantarjian2016 & <NEJM>"},
    }
    assert prepared.nodes["2"]["value"].__class__ is float


def _graphs(views: dict[GraphView, nx.Graph]) -> list[tuple[str, nx.Graph]]:
    return [("mixed", _mixed_graph()), *((v.value, g) for v, g in views.items())]


def test_graphml_reads_back_as_the_same_graph(views: dict[GraphView, nx.Graph]) -> None:
    for name, graph in _graphs(views):
        prepared = prepare_graph(graph)
        data = io.BytesIO(graphml_text(graph).encode("utf-8"))
        # without parallel edges networkx would read a multigraph back as a simple graph
        back = nx.read_graphml(data, force_multigraph=graph.is_multigraph())
        assert back.is_directed() == graph.is_directed(), name
        assert back.is_multigraph() == graph.is_multigraph(), name
        assert _nodes(back) == _nodes(prepared), name
        assert _edges(back) == _edges(prepared), name
        assert back.graph["name"] == graph.graph["name"]


def test_gexf_reads_back_as_the_same_graph(views: dict[GraphView, nx.Graph]) -> None:
    for name, graph in _graphs(views):
        prepared = prepare_graph(graph)
        back = nx.read_gexf(io.BytesIO(gexf_text(graph).encode("utf-8")))
        assert back.is_directed() == graph.is_directed(), name
        assert _nodes(back) == _nodes(prepared), name
        # networkx's reader adds the GEXF edge id as an attribute
        assert _edges(back, drop=("id",)) == _edges(prepared), name


def test_attributes_are_typed_keys(views: dict[GraphView, nx.Graph]) -> None:
    graphml = graphml_text(views[GraphView.SAME_QUANTITY])
    assert '<key id="d' in graphml
    assert 'attr.name="value" attr.type="double"' in graphml
    assert 'attr.name="classification" attr.type="string"' in graphml
    gexf = gexf_text(views[GraphView.SAME_QUANTITY])
    assert 'title="value" type="double"' in gexf
    assert 'title="difference" type="double"' in gexf
    citation = gexf_text(views[GraphView.CITATION])
    assert 'title="curated" type="boolean"' in citation
    assert 'title="reference_number" type="long"' in citation


def test_gexf_attribute_ids_are_numbers_with_titles(views: dict[GraphView, nx.Graph]) -> None:
    """Numeric ids, one sequence per class, each with its title: what Gephi writes, and what
    graphology (sigma.js, Gephi Lite) needs to show a column by its title."""
    import xml.etree.ElementTree as ET

    ns = {"g": "http://www.gexf.net/1.2draft"}
    root = ET.fromstring(gexf_text(views[GraphView.CITATION]))
    for block in root.iterfind(".//g:attributes", ns):
        declared = [(a.get("id"), a.get("title")) for a in block.iterfind("g:attribute", ns)]
        assert [ident for ident, _ in declared] == [str(i) for i in range(len(declared))]
        assert all(title for _, title in declared)
    nodes = {
        a.get("title"): a.get("id") for a in root.iterfind(".//g:attributes[@class='node']/g:attribute", ns)
    }
    assert nodes["curated"] == str(sorted(nodes).index("curated"))
    used = {v.get("for") for v in root.iterfind(".//g:nodes/g:node/g:attvalues/g:attvalue", ns)}
    assert used == set(nodes.values())  # every value refers to a declared node attribute


def test_evidence_view_keeps_a_known_result(views: dict[GraphView, nx.Graph]) -> None:
    iri = "https://w3id.org/inograph/id/result/kantarjian2016-abs-crcri-ino"
    back = nx.read_graphml(io.BytesIO(graphml_text(views[GraphView.EVIDENCE]).encode("utf-8")))
    assert back.nodes[iri] == {
        "type": "result",
        "label": "kantarjian2016-abs-crcri-ino",
        "iri": iri,
        "publication": "kantarjian2016",
    }
    assert sorted(d["type"] for _, _, d in back.out_edges(iri, data=True)) == [
        "aboutTrial", "arm", "endpoint", "population", "reportedIn",
    ]  # fmt: skip


def test_cytoscape_json_has_the_shape_cytoscape_js_loads(views: dict[GraphView, nx.Graph]) -> None:
    for name, graph in _graphs(views):
        document = json.loads(serialize_graph(graph, GraphFormat.CYTOSCAPE))
        jsonschema.validate(document, CYTOSCAPE_SCHEMA)
        nodes = document["elements"]["nodes"]
        edges = document["elements"]["edges"]
        ids = [n["data"]["id"] for n in nodes] + [e["data"]["id"] for e in edges]
        assert len(ids) == len(set(ids)), name  # ids are unique across all elements
        node_ids = {n["data"]["id"] for n in nodes}
        assert all(e["data"]["source"] in node_ids and e["data"]["target"] in node_ids for e in edges)
        assert len(nodes) == graph.number_of_nodes() and len(edges) == graph.number_of_edges()
        assert all("type" in n["data"] and "label" in n["data"] for n in nodes), name


def test_cytoscape_keeps_reserved_attribute_names_aside() -> None:
    edges = cytoscape_elements(_mixed_graph())["elements"]["edges"]
    # edges in sorted order (ends, then key): cites, reportedIn, sameQuantityAs
    assert [e["data"] for e in edges] == [
        {"id": "e0", "source": "1", "target": "x", "type": "cites",
         "attr_source": "a", "attr_target": "b"},
        {"id": "e1", "source": "1", "target": "x", "type": "reportedIn", "weight": 2},
        {"id": "e2", "source": "2", "target": "1", "type": "sameQuantityAs", "difference": -0.02},
    ]  # fmt: skip


def test_outputs_are_deterministic(views: dict[GraphView, nx.Graph]) -> None:
    graph = views[GraphView.CITATION]
    for fmt in GraphFormat:
        assert serialize_graph(graph, fmt) == serialize_graph(graph, fmt)


def test_cli_writes_a_view_from_a_published_dataset(
    built: BuiltDataset, views: dict[GraphView, nx.Graph], tmp_path: Path
) -> None:
    trig, _ = write_dataset(built.dataset, tmp_path)
    out = tmp_path / "citations.gexf"
    argv = ["export", "gexf", "--view", "citation", "--dataset", str(trig), "-o", str(out)]
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 0
    # the same bytes as from the freshly built graph: the export depends on content only
    assert out.read_text(encoding="utf-8") == gexf_text(views[GraphView.CITATION])
    back = nx.read_gexf(out)
    assert back.nodes["https://w3id.org/inograph/id/publication/kantarjian2016"]["curated"] is True
