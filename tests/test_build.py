"""The build: named graphs per publication, exact triples, deterministic serialisations."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.compare import isomorphic

from inograph.build import BuiltDataset, build, build_dataset, serialize_nquads
from inograph.namespaces import CITO, DATA, GRAPH, INO, OA, ONTOLOGY_GRAPH, PROV, RDF, XSD
from inograph.store import StoreKind

MINI = Path(__file__).parent / "data" / "mini"


def _mini(store: StoreKind = StoreKind.OXIGRAPH) -> BuiltDataset:
    return build_dataset(
        evidence_paths=[MINI / "evidence" / "mini2020.yaml"],
        sources_dir=MINI / "sources",
        store=store,
    )


def test_one_named_graph_per_publication_plus_ontology(built: BuiltDataset) -> None:
    names = {str(g.identifier) for g in built.dataset.graphs() if len(g)}
    assert names >= {
        str(GRAPH.kantarjian2016),
        str(GRAPH.kantarjian2019),
        str(GRAPH.kantarjian2013),
        str(GRAPH.morley2016),
        str(ONTOLOGY_GRAPH),
    }


def test_primary_result_triples(built: BuiltDataset) -> None:
    """The headline CR/CRi rate of NEJM 2016, as printed: 80.7% (95% CI 72.1 to 87.7), 88/109."""
    ds = built.dataset
    rates = [
        r
        for r in ds.subjects(INO.endpoint, DATA["endpoint/cr-cri"])
        if (r, INO.reportedIn, DATA["publication/kantarjian2016"]) in ds
        and (r, INO.arm, DATA["arm/inovate-ino"]) in ds
        and (r, INO.population, DATA["population/inovate-itt218"]) in ds
        and (r, RDF.type, INO.Percentage) in ds
        and (r, INO.value, Literal(Decimal("80.7"), datatype=XSD.decimal)) in ds
    ]
    assert rates, "the 80.7% CR/CRi result of kantarjian2016 is missing"
    result = rates[0]
    assert (result, INO.numerator, Literal(88, datatype=XSD.integer)) in ds
    assert (result, INO.denominator, Literal(109, datatype=XSD.integer)) in ds
    assert (result, INO.ciLower, Literal(Decimal("72.1"), datatype=XSD.decimal)) in ds
    assert (result, INO.ciUpper, Literal(Decimal("87.7"), datatype=XSD.decimal)) in ds
    assert (result, INO.cutoff, DATA["cutoff/inovate-2014-10-02"]) in ds


def test_mini_build_triples() -> None:
    ds = _mini().dataset
    hr = DATA["result/mini2020-os-hr"]
    pub = DATA["publication/mini2020"]
    assert (hr, RDF.type, INO.HazardRatio) in ds
    assert (hr, INO.comparator, DATA["arm/tiny-soc"]) in ds
    assert (hr, INO.pValueRelation, Literal("=")) in ds
    assert (hr, PROV.wasDerivedFrom, DATA["annotation/mini2020-os-hr"]) in ds
    assert (DATA["trial/tiny"], INO.primaryEndpoint, DATA["endpoint/os"]) in ds
    assert (pub, CITO.citesAsEvidence, DATA["publication/earlier2010"]) in ds
    assert (pub, CITO.cites, DATA["publication/earlier2010"]) in ds
    position = DATA["annotation/mini2020-os-hr/position-selector"]
    start = next(ds.objects(position, OA.start))
    end = next(ds.objects(position, OA.end))
    text = (MINI / "sources" / "mini.txt").read_text(encoding="utf-8")
    assert text[int(start) : int(end)] == "hazard ratio, 0.77; 97.5% CI, 0.58 to 1.03; P=0.04"


def test_derived_result_names_its_inputs() -> None:
    ds = _mini().dataset
    derived = DATA["result/mini2020-cr-difference"]
    assert (derived, INO.isDerived, Literal(True)) in ds
    assert set(ds.objects(derived, INO.derivedFrom)) == {
        DATA["result/mini2020-cr-x"],
        DATA["result/mini2020-cr-soc"],
    }
    assert next(ds.objects(derived, INO.quote), None) is None


def test_build_is_byte_identical(tmp_path: Path) -> None:
    first = build(
        tmp_path / "a", evidence_paths=[MINI / "evidence" / "mini2020.yaml"], sources_dir=MINI / "sources"
    )
    second = build(
        tmp_path / "b", evidence_paths=[MINI / "evidence" / "mini2020.yaml"], sources_dir=MINI / "sources"
    )
    assert first.trig.read_bytes() == second.trig.read_bytes()
    assert first.nquads.read_bytes() == second.nquads.read_bytes()
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["inograph.nq", "inograph.trig"]


def test_full_build_is_byte_identical(built: BuiltDataset) -> None:
    again = build_dataset()
    assert serialize_nquads(again.dataset) == serialize_nquads(built.dataset)


def test_memory_and_oxigraph_stores_hold_the_same_dataset() -> None:
    assert serialize_nquads(_mini(StoreKind.MEMORY).dataset) == serialize_nquads(_mini().dataset)


def test_trig_round_trip_is_isomorphic(tmp_path: Path) -> None:
    outputs = build(
        tmp_path, evidence_paths=[MINI / "evidence" / "mini2020.yaml"], sources_dir=MINI / "sources"
    )
    reread = Dataset()
    reread.parse(outputs.trig, format="trig")
    original = _mini(StoreKind.MEMORY).dataset
    for name in (GRAPH.mini2020, ONTOLOGY_GRAPH):
        assert isomorphic(reread.graph(URIRef(name)), original.graph(URIRef(name)))
