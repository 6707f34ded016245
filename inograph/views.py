"""networkx views of the evidence graph, each read from the RDF (never a second, hand-kept model).

Four views, one function each:

* :func:`evidence_network` - publication, trial, arm, population, endpoint and result nodes,
  joined by the predicates that connect them in the graph;
* :func:`citation_graph` - the curated publications and the works they cite, one edge per
  CiTO property;
* :func:`comparison_network` - arms as nodes, an edge for each head-to-head comparison a
  trial reported (the geometry a network meta-analysis starts from);
* :func:`same_quantity_graph` - results that measure the same quantity, joined by the
  classified links of the ``inog:links`` graph (see :mod:`inograph.links`).

As in rdflib's ``extras.external_graph_libs``, the RDF behind each node and edge stays on it:
every node has ``iri``, ``type`` and ``label``; every edge has the ``predicate`` IRI(s) it
stands for.  Attribute values are ``str``, ``int``, ``float`` or ``bool`` only, so that the
views export to GraphML, GEXF and Cytoscape unchanged; several values are joined with ``;``.
Nodes and edges are added in a sorted order (by IRI, then by predicate), so that a view's
node and edge order -- and so its GraphML, GEXF or Cytoscape file -- is the same from run to
run, whatever the store's or Python's hash order.  None of the functions changes the dataset
it reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Final

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.term import Node

from inograph.namespaces import CITO, DCTERMS, INO, RDF, RDFS

__all__ = [
    "citation_graph",
    "comparison_network",
    "evidence_network",
    "same_quantity_graph",
]

_NODE_TYPES: Final = {
    INO.Publication: "publication",
    INO.Trial: "trial",
    INO.Arm: "arm",
    INO.AnalysisPopulation: "population",
    INO.Endpoint: "endpoint",
    INO.Result: "result",
}

#: The predicates of the evidence network and the short name each edge carries as ``type``.
_EVIDENCE_EDGES: Final = {
    INO.reportedIn: "reportedIn",
    INO.aboutTrial: "aboutTrial",
    INO.arm: "arm",
    INO.comparator: "comparator",
    INO.population: "population",
    INO.endpoint: "endpoint",
    INO.reportsTrial: "reportsTrial",
    INO.hasArm: "hasArm",
    INO.ofTrial: "ofTrial",
    INO.parentPopulation: "parentPopulation",
}


def _id(node: Node) -> str:
    """The curation id at the end of an ``inod:`` IRI."""
    return str(node).rsplit("/", 1)[-1]


def _sorted(nodes: Iterable[Node]) -> list[Node]:
    """The distinct ``nodes`` in IRI order: the order a view adds them in, the same on every run."""
    return sorted(set(nodes), key=str)


def _sorted_pairs(pairs: Iterable[tuple[Node, Node]]) -> list[tuple[Node, Node]]:
    """The distinct (subject, object) ``pairs`` in IRI order."""
    return sorted(set(pairs), key=lambda pair: (str(pair[0]), str(pair[1])))


def _int(node: Node | None) -> int:
    """The integer a literal spells (its lexical form, as ``int`` reads it); 0 when absent."""
    return 0 if node is None else int(str(node))


def _float(node: Node) -> float:
    """The number a literal spells (its lexical form, as ``float`` reads it)."""
    return float(str(node))


def _label(g: Graph, node: Node) -> str:
    for predicate in (INO.shortId, DCTERMS.identifier, RDFS.label):
        value = g.value(node, predicate)
        if value is not None:
            return str(value)
    return _id(node)


def _typed_nodes(g: Graph, classes: Iterable[URIRef]) -> dict[Node, str]:
    nodes: dict[Node, str] = {}
    for cls in classes:
        for node in g.subjects(RDF.type, cls):
            nodes.setdefault(node, _NODE_TYPES[cls])
    return nodes


def evidence_network(g: Graph) -> nx.MultiDiGraph:
    """The evidence network: who reported what, about which trial, arm, population and endpoint.

    Parameters
    ----------
    g : rdflib.Graph
        The built dataset (or any graph with its triples); read, not changed.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes are the IRIs (as strings) of publications, trials, arms, analysis populations,
        endpoints and results, with ``type`` (one of those six words), ``label`` (the short
        id, curation id or label) and ``iri``; results also carry ``publication``.  Edges
        follow the RDF direction, one per triple, keyed by ``type``, the predicate's local name:
        result -> publication (``reportedIn``), result -> trial (``aboutTrial``), result -> arm
        (``arm``, ``comparator``), result -> population, result -> endpoint, publication ->
        trial (``reportsTrial``), trial -> arm (``hasArm``), population/arm -> trial
        (``ofTrial``) and population -> parent population (``parentPopulation``); each edge
        has ``predicate``, the full IRI.

    Examples
    --------
    >>> from inograph.build import build_dataset
    >>> net = evidence_network(build_dataset().dataset)                # doctest: +SKIP
    >>> r = "https://w3id.org/inograph/id/result/kantarjian2016-t2-crcri-ino"
    >>> sorted(k for _, _, k in net.out_edges(r, keys=True))           # doctest: +SKIP
    ['aboutTrial', 'arm', 'endpoint', 'population', 'reportedIn']
    """
    net = nx.MultiDiGraph(name="inograph evidence network")
    nodes = _typed_nodes(g, _NODE_TYPES)
    for node in _sorted(nodes):
        kind = nodes[node]
        attrs = {"type": kind, "label": _label(g, node), "iri": str(node)}
        if kind == "result":
            publication = g.value(node, INO.reportedIn)
            attrs["publication"] = _id(publication) if publication is not None else ""
        net.add_node(str(node), **attrs)
    for predicate, name in _EVIDENCE_EDGES.items():
        for s, o in _sorted_pairs(g.subject_objects(predicate)):
            if s in nodes and o in nodes:
                net.add_edge(str(s), str(o), key=name, type=name, predicate=str(predicate))
    return net


def citation_graph(g: Graph) -> nx.MultiDiGraph:
    """The citation graph of the curated publications and the works they cite, typed by CiTO.

    Parameters
    ----------
    g : rdflib.Graph
        The built dataset; read, not changed.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes are publications (``type`` ``publication``), with ``label`` (short id),
        ``iri``, ``curated`` (True for the four publications that have a curation file),
        ``kind`` (primary-report, review, ... or cited-work) and ``citation`` (the
        bibliographic citation).  An edge citing -> cited exists for every CiTO property
        the reference entry carries, keyed and typed by its local name (``citesAsEvidence``,
        ``updates``...); a reference with only the generic ``cito:cites`` gets one ``cites``
        edge.  Each edge has ``predicate`` (the CiTO IRI), ``reference_number`` (0 when
        unnumbered) and ``reference_entry`` (the ``ino:ReferenceEntry`` IRI).

    Examples
    --------
    >>> cites = citation_graph(build_dataset().dataset)                # doctest: +SKIP
    >>> cites.has_edge(".../publication/kantarjian2019", ".../publication/kantarjian2016")
    True
    """
    net = nx.MultiDiGraph(name="inograph citation graph")
    for node in _sorted(g.subjects(RDF.type, INO.Publication)):
        net.add_node(
            str(node),
            type="publication",
            label=_label(g, node),
            iri=str(node),
            curated=g.value(node, INO.curationFile) is not None,
            kind=str(g.value(node, INO.publicationKind) or "cited-work"),
            citation=str(g.value(node, DCTERMS.bibliographicCitation) or ""),
        )
    for citing, entry in _sorted_pairs(g.subject_objects(INO.hasReferenceEntry)):
        cited = g.value(entry, INO.citedWork)
        if cited is None:
            continue
        number = g.value(entry, INO.referenceNumber)
        typed = [
            p for p in g.predicates(citing, cited)
            if str(p).startswith(str(CITO)) and p != CITO.cites
        ]  # fmt: skip
        for predicate in _sorted(typed) or [CITO.cites]:
            name = str(predicate)[len(str(CITO)) :]
            net.add_edge(
                str(citing),
                str(cited),
                key=name,
                type=name,
                predicate=str(predicate),
                reference_number=_int(number),
                reference_entry=str(entry),
            )
    return net


def comparison_network(g: Graph) -> nx.Graph:
    """The comparison network: which regimens were compared head to head, where and on what.

    Parameters
    ----------
    g : rdflib.Graph
        The built dataset; read, not changed.

    Returns
    -------
    networkx.Graph
        One node per arm (``type`` ``arm``; ``label``, ``iri``, ``trial`` id and ``drugs``,
        the regimen's drug labels joined with ``;``), single-arm cohorts included as nodes
        without edges.  An edge joins an arm and its comparator when some result has
        ``ino:arm`` and ``ino:comparator`` set to them; it carries the ``trial``, the
        ``experimental`` and ``control`` arm ids (the RDF direction), the ``endpoints`` and
        ``populations`` compared (ids joined with ``;``), ``n_results`` and ``results``
        (result IRIs joined with ``;``), and ``predicate`` (``ino:arm ino:comparator``).
        Results comparing the two arms in either direction share the edge.

    Examples
    --------
    >>> nma = comparison_network(build_dataset().dataset)              # doctest: +SKIP
    >>> nma.edges[".../arm/inovate-ino", ".../arm/inovate-soc"]["trial"]
    'inovate'
    """
    net = nx.Graph(name="inograph comparison network")
    for arm in _sorted(g.subjects(RDF.type, INO.Arm)):
        drugs = sorted(
            str(g.value(drug, RDFS.label) or _id(drug))
            for component in g.objects(arm, INO.hasRegimenComponent)
            for drug in g.objects(component, INO.drug)
        )
        trial = g.value(arm, INO.ofTrial)
        net.add_node(
            str(arm),
            type="arm",
            label=str(g.value(arm, RDFS.label) or _id(arm)),
            iri=str(arm),
            trial=_id(trial) if trial is not None else "",
            drugs=";".join(dict.fromkeys(drugs)),
        )
    comparisons: dict[tuple[Node, Node], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for result, control in g.subject_objects(INO.comparator):
        experimental = g.value(result, INO.arm)
        if experimental is None:
            continue
        facts = comparisons[(experimental, control)]
        facts["results"].add(str(result))
        for predicate, name in ((INO.endpoint, "endpoints"), (INO.population, "populations"),
                                (INO.aboutTrial, "trial")):  # fmt: skip
            facts[name].update(_id(o) for o in g.objects(result, predicate))
    # An undirected edge per pair of arms: results of both directions (A vs B and B vs A) are
    # merged onto it; ``experimental``/``control`` name the direction met first in IRI order.
    merged: dict[frozenset[Node], tuple[Node, Node, dict[str, set[str]]]] = {}
    for experimental, control in _sorted_pairs(comparisons):
        pair = frozenset((experimental, control))
        if pair not in merged:
            merged[pair] = (experimental, control, defaultdict(set))
        for name, values in comparisons[(experimental, control)].items():
            merged[pair][2][name].update(values)
    for experimental, control, facts in merged.values():
        for arm in (experimental, control):
            if str(arm) not in net:
                net.add_node(str(arm), type="arm", label=_id(arm), iri=str(arm), trial="", drugs="")
        net.add_edge(
            str(experimental),
            str(control),
            type="comparison",
            trial=";".join(sorted(facts["trial"])),
            experimental=_id(experimental),
            control=_id(control),
            endpoints=";".join(sorted(facts["endpoints"])),
            populations=";".join(sorted(facts["populations"])),
            n_results=len(facts["results"]),
            results=";".join(sorted(facts["results"])),
            predicate=f"{INO.arm} {INO.comparator}",
        )
    return net


def same_quantity_graph(g: Graph) -> nx.Graph:
    """Results that measure the same quantity, joined by their classified links.

    Read from the ``ino:EvidenceLink`` nodes that :func:`inograph.links.add_links` wrote
    (the built dataset has them); a graph without links gives an empty view.

    Parameters
    ----------
    g : rdflib.Graph
        The built dataset; read, not changed.

    Returns
    -------
    networkx.Graph
        Nodes are linked results (``type`` ``result``; ``label`` = curation id, ``iri``,
        ``publication``, ``endpoint``, ``population`` and ``cutoff`` ids ('' when absent) and
        ``value`` as a float, omitted when the result has none).  An edge per link, with
        ``classification`` (agrees, updated, different_population, different_definition,
        conflict, within_source_conflict, undecided), ``reason``, ``difference`` (target minus
        source; omitted when not numeric), ``source`` and ``target`` (which end is the earlier
        report), ``link``
        (the ``ino:EvidenceLink`` IRI) and ``predicate`` (``ino:sameQuantityAs``).  The
        connected components are the clusters of ``inograph links``.

    Examples
    --------
    >>> sq = same_quantity_graph(build_dataset().dataset)              # doctest: +SKIP
    >>> a = ".../result/kantarjian2016-res-os-hr"; b = ".../result/kantarjian2019-os-hr"
    >>> sq.edges[a, b]["classification"]
    'updated'
    """
    net = nx.Graph(name="inograph same-quantity graph")
    for link in _sorted(g.subjects(RDF.type, INO.EvidenceLink)):
        source, target = g.value(link, INO.linkSource), g.value(link, INO.linkTarget)
        if source is None or target is None:
            continue
        for result in (source, target):
            if str(result) not in net:
                net.add_node(str(result), **_result_attributes(g, result))
        attrs: dict[str, str | float] = {
            "classification": str(g.value(link, INO.linkClassification) or "undecided"),
            "reason": str(g.value(link, INO.linkReason) or ""),
            "source": _id(source),
            "target": _id(target),
            "link": str(link),
            "predicate": str(INO.sameQuantityAs),
        }
        difference = g.value(link, INO.linkDifference)
        if difference is not None:
            attrs["difference"] = _float(difference)
        net.add_edge(str(source), str(target), **attrs)
    return net


def _result_attributes(g: Graph, result: Node) -> dict[str, str | float]:
    attrs: dict[str, str | float] = {"type": "result", "label": _label(g, result), "iri": str(result)}
    for predicate, name in ((INO.reportedIn, "publication"), (INO.endpoint, "endpoint"),
                            (INO.population, "population"), (INO.cutoff, "cutoff")):  # fmt: skip
        value = g.value(result, predicate)
        attrs[name] = _id(value) if value is not None else ""
    value = g.value(result, INO.value)
    if value is not None:
        attrs["value"] = _float(value)
    return attrs
