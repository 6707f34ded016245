"""The build's one conversion into Oxigraph: terms as the store keeps them, quads in the canonical
order, each once, and the findings graph added without a second fill when it sorts last."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef

from inograph.build import _with_findings, ox_store_of
from inograph.namespaces import DATA, GRAPH, INO, RDF, XSD
from inograph.stats_checks.findings import Check, CheckReport, Finding, Verdict
from inograph.stats_checks.findings_rdf import CHECKS_GRAPH, finding_quads, finding_triples
from inograph.store import quad_key, sort_rdflib_quads

DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def _report() -> CheckReport:
    finding = Finding(Check.ESTIMATE_IN_CI, ("r1",), Verdict.CONSISTENT, "lower <= estimate <= upper",
                      "0.77 in [0.58, 1.03]", printed="0.77 (0.58–1.03)", recomputed=0.5)  # fmt: skip
    return CheckReport((finding,), 1, 0.0, iris={"r1": str(DATA["result/r1"])})


def _in_store_order(store: Any) -> list[Any]:
    return sorted(store, key=quad_key)


def test_literals_come_out_as_the_store_keeps_them() -> None:
    value, graph = DATA["result/r1"], GRAPH["p"]
    quads = sort_rdflib_quads(
        [
            (value, INO.value, Literal("0.50", datatype=XSD.decimal), graph),
            (value, INO.value, Literal("0.5", datatype=XSD.decimal), graph),  # the same value
            (value, INO.numerator, Literal("07", datatype=XSD.integer), graph),
            (value, INO.quote, Literal("0.50"), graph),  # a string stays as printed
        ]
    )
    assert [str(q.object) for q in quads] == [
        f'"7"^^<{INTEGER}>',
        '"0.50"',
        f'"0.5"^^<{DECIMAL}>',
    ]
    assert _in_store_order(ox_store_of(quads)) == quads


def test_findings_sorting_last_are_appended_to_the_same_store() -> None:
    evidence = sort_rdflib_quads([(DATA["result/r1"], RDF.type, INO.Result, GRAPH["kantarjian2016"])])
    store = ox_store_of(evidence)
    filled, quads = _with_findings(store, evidence, finding_quads(_report()))
    assert filled is store
    expected = sort_rdflib_quads(
        [(DATA["result/r1"], RDF.type, INO.Result, GRAPH["kantarjian2016"])]
        + [(s, p, o, CHECKS_GRAPH) for s, p, o in finding_triples(_report())]
    )
    assert quads == expected
    assert quads[-1].graph_name == ox.NamedNode(str(CHECKS_GRAPH))
    assert _in_store_order(filled) == expected


def test_a_graph_sorting_after_the_findings_refills_the_store_in_order() -> None:
    late = GRAPH["zz-after-the-checks"]
    stale = (DATA["check/stale"], RDF.type, INO.StatisticalCheckFinding, CHECKS_GRAPH)
    kept = [
        (DATA["result/r1"], RDF.type, INO.Result, GRAPH["kantarjian2016"]),
        (DATA["result/r2"], RDF.type, INO.Result, late),
    ]
    evidence = sort_rdflib_quads([*kept, stale])
    store = ox_store_of(evidence)
    filled, quads = _with_findings(store, evidence, finding_quads(_report()))
    assert filled is not store
    expected = sort_rdflib_quads(
        [*kept, *((s, p, o, CHECKS_GRAPH) for s, p, o in finding_triples(_report()))]
    )
    assert quads == expected  # the stale finding is gone, the late graph comes last
    assert quads[-1].graph_name == ox.NamedNode(str(URIRef(late)))
    assert _in_store_order(filled) == expected
