"""The networkx views: what their nodes and edges mean, checked on the built graph."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import URIRef

from inograph.build import BuiltDataset, serialize_trig
from inograph.links import LINKS_GRAPH
from inograph.namespaces import DATA, INO, RDF
from inograph.views import citation_graph, comparison_network, evidence_network, same_quantity_graph

RESULT = str(DATA["result/kantarjian2016-t2-crcri-ino"])


def pub(ident: str) -> str:
    return str(DATA[f"publication/{ident}"])


@pytest.fixture(scope="module")
def evidence(built: BuiltDataset) -> nx.MultiDiGraph:
    return evidence_network(built.dataset)


@pytest.fixture(scope="module")
def citations(built: BuiltDataset) -> nx.MultiDiGraph:
    return citation_graph(built.dataset)


@pytest.fixture(scope="module")
def comparisons(built: BuiltDataset) -> nx.Graph:
    return comparison_network(built.dataset)


@pytest.fixture(scope="module")
def same(built: BuiltDataset) -> nx.Graph:
    return same_quantity_graph(built.dataset)


def _exportable(net: nx.Graph) -> bool:
    kinds = (str, int, float, bool)
    nodes = all(isinstance(v, kinds) for _, d in net.nodes(data=True) for v in d.values())
    edges = all(isinstance(v, kinds) for *_, d in net.edges(data=True) for v in d.values())
    return nodes and edges


@pytest.mark.parametrize("view", [evidence_network, citation_graph, comparison_network, same_quantity_graph])
def test_every_node_has_type_and_label_and_exportable_values(built: BuiltDataset, view: object) -> None:
    net = view(built.dataset)  # type: ignore[operator]
    assert all("type" in d and d["label"] for _, d in net.nodes(data=True))
    assert _exportable(net)
    nx.generate_graphml(net)  # GraphML accepts every attribute value


def test_evidence_network_edges_of_a_result(evidence: nx.MultiDiGraph) -> None:
    out = {(k, v.rsplit("/", 1)[-1]) for _, v, k in evidence.out_edges(RESULT, keys=True)}
    assert out == {
        ("reportedIn", "kantarjian2016"),
        ("aboutTrial", "inovate"),
        ("arm", "inovate-ino"),
        ("population", "inovate-itt218"),
        ("endpoint", "cr-cri"),
    }
    assert evidence.nodes[RESULT] == {
        "type": "result",
        "label": "kantarjian2016-t2-crcri-ino",
        "iri": RESULT,
        "publication": "kantarjian2016",
    }
    edge = evidence.edges[RESULT, pub("kantarjian2016"), "reportedIn"]
    assert edge["predicate"] == str(INO.reportedIn)


def test_evidence_network_node_types(built: BuiltDataset, evidence: nx.MultiDiGraph) -> None:
    types = nx.get_node_attributes(evidence, "type")
    results = {str(r) for r in built.dataset.subjects(RDF.type, INO.Result)}
    assert {n for n, t in types.items() if t == "result"} == results
    assert types[str(DATA["trial/inovate"])] == "trial"
    assert types[str(DATA["population/inovate-itt218"])] == "population"
    assert (
        str(DATA["population/inovate-itt218"]),
        str(DATA["population/inovate-itt"]),
        "parentPopulation",
    ) in evidence.edges(keys=True)


def test_citation_graph_has_no_dangling_citation(built: BuiltDataset, citations: nx.MultiDiGraph) -> None:
    # every cited work is a node with its bibliographic citation, every reference entry an edge
    assert all(citations.nodes[v]["citation"] for _, v in citations.edges())
    entries = {str(e) for e in built.dataset.subjects(RDF.type, INO.ReferenceEntry)}
    assert {d["reference_entry"] for *_, d in citations.edges(data=True)} == entries
    curated = {d["label"] for _, d in citations.nodes(data=True) if d["curated"]}
    assert curated == {"kantarjian2013", "kantarjian2016", "kantarjian2019", "morley2016"}


def test_citation_graph_edges_are_typed_by_cito(citations: nx.MultiDiGraph) -> None:
    keys = set(citations[pub("kantarjian2019")][pub("kantarjian2016")])
    assert keys == {"citesAsDataSource", "extends", "updates", "usesMethodIn"}
    edge = citations.edges[pub("kantarjian2019"), pub("kantarjian2016"), "updates"]
    assert edge["predicate"] == "http://purl.org/spar/cito/updates"
    among_curated = sorted(
        (citations.nodes[u]["label"], citations.nodes[v]["label"], k)
        for u, v, k in citations.edges(keys=True)
        if citations.nodes[v]["curated"]
    )
    assert among_curated == [
        ("kantarjian2016", "kantarjian2013", "citesAsEvidence"),
        ("kantarjian2016", "kantarjian2013", "discusses"),
        ("kantarjian2016", "kantarjian2013", "obtainsBackgroundFrom"),
        ("kantarjian2019", "kantarjian2016", "citesAsDataSource"),
        ("kantarjian2019", "kantarjian2016", "extends"),
        ("kantarjian2019", "kantarjian2016", "updates"),
        ("kantarjian2019", "kantarjian2016", "usesMethodIn"),
        ("morley2016", "kantarjian2013", "citesAsDataSource"),
        ("morley2016", "kantarjian2013", "reviews"),
    ]


def test_comparison_network(comparisons: nx.Graph) -> None:
    ino, soc = str(DATA["arm/inovate-ino"]), str(DATA["arm/inovate-soc"])
    edge = comparisons.edges[ino, soc]
    assert (edge["trial"], edge["experimental"], edge["control"]) == ("inovate", "inovate-ino", "inovate-soc")
    assert edge["endpoints"] == "cr;cr-cri;cri;hsct;mrd-negativity;os;pfs;remission-duration;rmst-os"
    assert edge["n_results"] == 56
    assert comparisons.nodes[ino]["drugs"] == "inotuzumab ozogamicin"
    assert (
        comparisons.nodes[soc]["drugs"]
        == "cytarabine;fludarabine;granulocyte colony-stimulating factor;mitoxantrone"
    )
    assert sorted((d["experimental"], d["control"]) for *_, d in comparisons.edges(data=True)) == [
        ("inovate-ino", "inovate-soc"),
        ("mda-phase2-single", "mda-phase2-weekly"),
    ]
    # the phase 2 cohorts are compared both ways round (1 result single vs weekly, 4 weekly vs
    # single): all five share the one undirected edge
    phase2 = comparisons.edges[str(DATA["arm/mda-phase2-single"]), str(DATA["arm/mda-phase2-weekly"])]
    assert phase2["n_results"] == 5
    assert comparisons.degree(str(DATA["arm/mrc-aml15-go"])) == 0  # a node, never compared


def test_same_quantity_graph_reads_the_links(built: BuiltDataset, same: nx.Graph) -> None:
    links = set(built.dataset.graph(LINKS_GRAPH).subjects(RDF.type, INO.EvidenceLink))
    assert same.number_of_edges() == len(links) == 938
    a, b = str(DATA["result/kantarjian2016-res-os-hr"]), str(DATA["result/kantarjian2019-os-hr"])
    edge = same.edges[a, b]
    assert (edge["classification"], edge["source"], edge["target"], edge["difference"]) == (
        "updated", "kantarjian2016-res-os-hr", "kantarjian2019-os-hr", -0.02,
    )  # fmt: skip
    assert URIRef(edge["link"]) in links
    assert same.nodes[a]["value"] == 0.77 and same.nodes[a]["cutoff"] == "inovate-2016-03-08"
    # 121 clusters of the linker; a result compared in another group through a part of it (a
    # percentage's n, a hazard ratio's P, a population's size) sits in two clusters, which
    # joins them into one component here
    assert nx.number_connected_components(same) == 115


def test_trig_carries_the_links_graph(built: BuiltDataset) -> None:
    assert "inog:links {" in serialize_trig(built.dataset)


# Builds the dataset and prints every view's nodes and edges, with their attributes, in the order
# networkx holds them (the order GraphML, GEXF and Cytoscape files are written in).
_PRINT_VIEWS = """
import json, sys
from pathlib import Path
from inograph.build import build_dataset
from inograph.views import citation_graph, comparison_network, evidence_network, same_quantity_graph

dataset = build_dataset(sources_dir=Path(sys.argv[1])).dataset
out = {}
for view in (evidence_network, citation_graph, comparison_network, same_quantity_graph):
    net = view(dataset)
    edges = net.edges(keys=True, data=True) if net.is_multigraph() else net.edges(data=True)
    out[view.__name__] = {"nodes": list(net.nodes(data=True)), "edges": list(edges)}
print(json.dumps(out))
"""


def _views_under_hash_seed(seed: str, sources_dir: Path) -> dict[str, dict[str, list[object]]]:
    run = subprocess.run(
        [sys.executable, "-c", _PRINT_VIEWS, str(sources_dir)],
        env={**os.environ, "PYTHONHASHSEED": seed},
        capture_output=True,
        text=True,
        check=True,
    )
    views: dict[str, dict[str, list[object]]] = json.loads(run.stdout)
    return views


def test_views_have_the_same_order_under_every_hash_seed(sources_dir: Path) -> None:
    # regression: the citation and comparison views added nodes and edges in set order
    first, second = (_views_under_hash_seed(seed, sources_dir) for seed in ("1", "2"))
    assert set(first) == {"evidence_network", "citation_graph", "comparison_network", "same_quantity_graph"}
    for name, view in first.items():
        assert view["nodes"] and view["edges"], name
        assert view["nodes"] == second[name]["nodes"], name
        assert view["edges"] == second[name]["edges"], name
