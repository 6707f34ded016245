"""Network exports for graph tools: GraphML, GEXF and Cytoscape.js JSON, from any networkx graph.

Written against networkx graphs in general (the evidence views of :mod:`inograph.views` or
any other): nodes with a ``type``, a ``label`` and attributes of type str, int, float or
bool; edges likewise.  Each attribute becomes a *typed* data key (GraphML ``attr.type``,
GEXF ``<attribute type>``; JSON keeps its own types), so Gephi, Cytoscape and yEd can size,
colour and filter by it.

Before writing, :func:`prepare_graph` makes the graph expressible in all three formats, and
the readers of those formats give back exactly the prepared graph:

- node ids become strings; a node without ``label`` is labelled with its id; nodes and
  edges are sorted (by id, then ends and key), so a view gives the same bytes every time;
- ``None`` values are dropped (the formats have no null); lists, tuples and dicts become JSON
  text;
- an attribute must have one type per kind of element: int mixed with float becomes float,
  any other mix becomes str.

Read a multigraph view back from GraphML with ``networkx.read_graphml(path,
force_multigraph=True)``: without parallel edges networkx would otherwise return a simple graph.
GEXF is written here rather than by :func:`networkx.write_gexf`, which turns an edge
attribute named ``type`` into the GEXF edge direction (and loses it), writes the date into the
file, and adds a ``networkx_key`` attribute.  networkx's GEXF reader adds each edge's GEXF id
as an ``id`` attribute; compare without it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, Final
from xml.etree import ElementTree as ET

import networkx as nx

from inograph.atomic import write_text_atomically
from inograph.errors import ExportError

__all__ = [
    "GraphFormat",
    "cytoscape_elements",
    "gexf_text",
    "graphml_text",
    "prepare_graph",
    "serialize_graph",
    "write_graph",
]

GEXF_NAMESPACE: Final = "http://www.gexf.net/1.2draft"  # the 1.2 namespace Gephi and networkx read
_GEXF_TYPES: Final = {bool: "boolean", int: "long", float: "double", str: "string"}
_RESERVED_CYTOSCAPE: Final = {"node": ("id",), "edge": ("id", "source", "target")}
Scalar = str | int | float | bool


class GraphFormat(StrEnum):
    """The graph-tool formats; the value is the file extension written."""

    GRAPHML = "graphml"
    GEXF = "gexf"
    CYTOSCAPE = "cyjs"


def _scalar(value: Any) -> Scalar | None:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
        return json.dumps(items, ensure_ascii=False, default=str)
    if isinstance(value, Mapping):
        return json.dumps(dict(value), ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def _unify(records: Iterable[dict[str, Scalar | None]]) -> None:
    """Give every attribute name one type across the records (in place)."""
    rows = list(records)
    types: dict[str, set[type]] = {}
    for row in rows:
        for key, value in row.items():
            if value is not None:
                types.setdefault(key, set()).add(type(value))
    for key, found in types.items():
        if len(found) == 1:
            continue
        target: type = float if found == {int, float} else str
        for row in rows:
            value = row.get(key)
            if value is None:
                continue
            if target is str and isinstance(value, bool):
                row[key] = "true" if value else "false"
            else:
                row[key] = target(value)


def prepare_graph(graph: nx.Graph) -> nx.Graph:
    """A copy of ``graph`` that GraphML, GEXF and Cytoscape.js can all hold unchanged.

    >>> g = nx.Graph(); g.add_node(1, type="trial", n=3); g.add_node(2, n=2.5, note=None)
    >>> h = prepare_graph(g)
    >>> dict(h.nodes["1"]), dict(h.nodes["2"])
    ({'type': 'trial', 'n': 3.0, 'label': '1'}, {'n': 2.5, 'label': '2'})
    """
    prepared = graph.__class__()
    nodes = []
    for node, data in graph.nodes(data=True):
        attrs = {str(k): _scalar(v) for k, v in data.items()}
        nodes.append((str(node), attrs))
    edges = []
    if graph.is_multigraph():
        for u, v, key, data in graph.edges(keys=True, data=True):
            edges.append((str(u), str(v), key, {str(k): _scalar(x) for k, x in data.items()}))
    else:
        for u, v, data in graph.edges(data=True):
            edges.append((str(u), str(v), None, {str(k): _scalar(x) for k, x in data.items()}))
    # sorted, so that the same graph gives the same file whatever order it was built in
    nodes.sort(key=lambda item: item[0])
    if not graph.is_directed():
        edges = [(min(u, v), max(u, v), k, a) for u, v, k, a in edges]
    edges.sort(key=lambda e: (e[0], e[1], str(e[2]), json.dumps(e[3], sort_keys=True, default=str)))
    if len({n for n, _ in nodes}) != graph.number_of_nodes():
        raise ExportError("two nodes have the same id once written as text")
    _unify(a for _, a in nodes)
    _unify(e[3] for e in edges)
    graph_attrs: dict[str, Scalar | None] = {str(k): _scalar(v) for k, v in graph.graph.items()}
    prepared.graph.update({k: v for k, v in graph_attrs.items() if v is not None})
    for node, attrs in nodes:
        clean = {k: v for k, v in attrs.items() if v is not None}
        clean.setdefault("label", node)
        prepared.add_node(node, **clean)
    for u, v, key, attrs in edges:
        clean = {k: x for k, x in attrs.items() if x is not None}
        if key is None:
            prepared.add_edge(u, v, **clean)
        else:
            prepared.add_edge(u, v, key=key, **clean)
    return prepared


def graphml_text(graph: nx.Graph) -> str:
    """GraphML (networkx's writer) of the prepared graph, with typed ``<key>`` elements."""
    lines = nx.generate_graphml(prepare_graph(graph), prettyprint=True)
    return "\n".join(lines) + "\n"


def _gexf_attributes(
    parent: ET.Element, kind: str, records: list[dict[str, Any]], skip: tuple[str, ...]
) -> dict[str, str]:
    names: dict[str, type] = {}
    for record in records:
        for key, value in record.items():
            if key not in skip:
                names.setdefault(key, type(value))
    ids: dict[str, str] = {}
    if not names:
        return ids
    block = ET.SubElement(parent, "attributes", {"class": kind, "mode": "static"})
    for index, (name, kind_type) in enumerate(sorted(names.items())):
        # numeric ids, as Gephi writes them: graphology (sigma.js, Gephi Lite) names a column
        # by its title only when the id is a number, and would otherwise show "n0", "n1"
        ids[name] = str(index)
        ET.SubElement(block, "attribute", {"id": ids[name], "title": name, "type": _GEXF_TYPES[kind_type]})
    return ids


def _gexf_values(element: ET.Element, data: Mapping[str, Any], ids: Mapping[str, str]) -> None:
    present = [(ids[k], v) for k, v in data.items() if k in ids]
    if not present:
        return
    values = ET.SubElement(element, "attvalues")
    for ident, value in sorted(present, key=lambda item: int(item[0])):
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        ET.SubElement(values, "attvalue", {"for": ident, "value": text})


def gexf_text(graph: nx.Graph) -> str:
    """GEXF 1.2 of the prepared graph: node labels native, all other attributes typed."""
    g = prepare_graph(graph)
    root = ET.Element("gexf", {"xmlns": GEXF_NAMESPACE, "version": "1.2"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "inograph"
    if "name" in g.graph:
        ET.SubElement(meta, "description").text = str(g.graph["name"])
    body = ET.SubElement(
        root,
        "graph",
        {"defaultedgetype": "directed" if g.is_directed() else "undirected", "mode": "static"},
    )
    node_ids = _gexf_attributes(body, "node", [d for _, d in g.nodes(data=True)], ("label",))
    edge_records = [d for *_, d in g.edges(data=True)]
    edge_ids = _gexf_attributes(body, "edge", edge_records, ())
    nodes = ET.SubElement(body, "nodes")
    for node, data in g.nodes(data=True):
        element = ET.SubElement(nodes, "node", {"id": node, "label": str(data["label"])})
        _gexf_values(element, data, node_ids)
    edges = ET.SubElement(body, "edges")
    for index, (u, v, data) in enumerate(g.edges(data=True)):
        element = ET.SubElement(edges, "edge", {"id": str(index), "source": u, "target": v})
        _gexf_values(element, data, edge_ids)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def cytoscape_elements(graph: nx.Graph) -> dict[str, Any]:
    """The graph as Cytoscape.js loads it: ``{"data": {...}, "elements": {"nodes", "edges"}}``.

    Each node is ``{"data": {"id": ..., <attributes>}}``, each edge
    ``{"data": {"id": ..., "source": ..., "target": ..., <attributes>}}``; pass ``elements``
    to ``cytoscape({elements: ...})`` or import the file in Cytoscape desktop.  Cytoscape.js
    reserves ``id`` (and ``source``, ``target`` on edges) for the structure, so an attribute
    of that name is written as ``attr_id``, ``attr_source``, ``attr_target``.
    """
    g = prepare_graph(graph)
    nodes = []
    for node, data in g.nodes(data=True):
        nodes.append({"data": {"id": node, **_unreserved("node", data)}})
    edges = []
    for index, (u, v, data) in enumerate(g.edges(data=True)):
        structure = {"id": f"e{index}", "source": u, "target": v}
        edges.append({"data": {**structure, **_unreserved("edge", data)}})
    return {
        "data": dict(g.graph),
        "directed": g.is_directed(),
        "multigraph": g.is_multigraph(),
        "elements": {"nodes": nodes, "edges": edges},
    }


def _unreserved(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    reserved = _RESERVED_CYTOSCAPE[kind]
    return {(f"attr_{k}" if k in reserved else k): v for k, v in data.items()}


def serialize_graph(graph: nx.Graph, fmt: GraphFormat) -> str:
    """``graph`` as text in ``fmt``."""
    if fmt is GraphFormat.GRAPHML:
        return graphml_text(graph)
    if fmt is GraphFormat.GEXF:
        return gexf_text(graph)
    return json.dumps(cytoscape_elements(graph), ensure_ascii=False, indent=1) + "\n"


def write_graph(graph: nx.Graph, fmt: GraphFormat, path: Path) -> None:
    """Write ``graph`` in ``fmt`` to ``path`` atomically."""
    write_text_atomically(Path(path), serialize_graph(graph, fmt))
