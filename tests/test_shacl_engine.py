"""The SPARQL SHACL engine (inograph/shacl) against pySHACL, the reference.

Both engines must find the same results (focus node, source shape, constraint component, path,
value, severity, source constraint, and the message) on the real graph, on every negative graph
of tests/test_shapes.py, on the graphs of tests/test_validate_cli.py and on broken links and
check findings; then one exact result per constraint component, the sh:xone / sh:or / qualified
cases with zero and two conforming branches, and a clear error for what the engine does not do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from inograph.build import build_dataset
from inograph.errors import ShapeError
from inograph.namespaces import INO, OA, RDF
from inograph.namespaces import SH as SHACL
from inograph.rdf_terms import to_oxigraph as to_ox
from inograph.resources import resource_dir
from inograph.validation import ShaclEngine, Violation, load_shapes, run_shacl, validate_dataset
from tests.test_shapes import (
    ANNOTATION,
    CR_X,
    DERIVED,
    HR,
    LOCATION,
    MINI,
    MUTATIONS,
    POS_SEL,
    QUOTE_SEL,
    SHAPES_NS,
    TARGET,
)
from tests.test_validate_cli import CURATOR_FILE_WITH_VIOLATIONS

SH = "http://www.w3.org/ns/shacl#"
ID = "https://w3id.org/inograph/id/"
Finding = tuple[str, str, str | None, str | None, str | None, str, str | None]


def findings(violations: Iterable[Violation]) -> set[Finding]:
    """What makes two results the same result: pySHACL's report terms, without the message."""
    return {(v.focus, v.shape, v.component, v.path, v.value, v.severity, v.constraint) for v in violations}


def assert_engines_agree(
    data: Graph | ox.Store, shapes: Graph, extra: Sequence[Graph] = ()
) -> tuple[Violation, ...]:
    """Run both engines on the same Oxigraph store (literals as Oxigraph keeps them, as in
    ``inograph validate``); the finding sets must match, and so must the message of every
    finding whose shape or SPARQL constraint has a sh:message (without one, each engine words
    its own default)."""
    store = data if isinstance(data, ox.Store) else _store(data)
    ours = run_shacl(store, shapes, extra=extra)
    reference = run_shacl(store, shapes, engine=ShaclEngine.PYSHACL, extra=extra)
    assert findings(ours) == findings(reference)
    worded = {str(s) for s in shapes.subjects(SHACL.message, None)}
    assert _messages(ours, worded) == _messages(reference, worded)
    return ours


def _messages(violations: Iterable[Violation], worded: set[str]) -> set[tuple[Finding, str]]:
    return {
        ((v.focus, v.shape, v.component, v.path, v.value, v.severity, v.constraint), v.message)
        for v in violations
        if v.shape in worded or v.constraint in worded
    }


def _store(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)  # type: ignore[arg-type]
    return store


def _broken(mini_graph: Graph, mutate: Callable[[Graph], object]) -> Graph:
    graph = Graph()
    for triple in mini_graph:
        graph.add(triple)
    mutate(graph)
    return graph


def _short(violations: Iterable[Violation]) -> set[tuple[str, str, str, str | None, str | None]]:
    """Results with the project's namespaces cut off, for readable expected values."""
    return {
        (
            v.focus.removeprefix(ID),
            v.shape.removeprefix(SHAPES_NS),
            (v.component or "").removeprefix(SH),
            v.path.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if v.path else None,
            v.value.removeprefix(ID) if v.value is not None else None,
        )
        for v in violations
    }


# ---------------------------------------------------------------------------- the reference


def test_engines_agree_on_the_real_graph() -> None:
    built = build_dataset()
    ours = run_shacl(built.dataset)
    assert ours == ()  # the curated graph conforms
    assert findings(run_shacl(built.dataset, engine=ShaclEngine.PYSHACL)) == set()


def test_engines_agree_on_the_mini_graph(mini_graph: Graph, shapes: Graph) -> None:
    assert assert_engines_agree(mini_graph, shapes) == ()


@pytest.mark.parametrize("shape", sorted(MUTATIONS))
def test_engines_agree_on_every_negative_graph(shape: str, mini_graph: Graph, shapes: Graph) -> None:
    violations = assert_engines_agree(_broken(mini_graph, MUTATIONS[shape]), shapes)
    fired = {v.shape for v in violations} | {v.constraint for v in violations if v.constraint}
    assert SHAPES_NS + shape in fired


def test_engines_agree_on_the_validate_cli_graphs(tmp_path: Path) -> None:
    """The curator's extra file and the edited dataset of tests/test_validate_cli.py."""
    built = build_dataset(evidence_paths=[MINI / "evidence" / "mini2020.yaml"], sources_dir=MINI / "sources")
    extra = tmp_path / "new-extraction.ttl"
    extra.write_text(CURATOR_FILE_WITH_VIOLATIONS, encoding="utf-8")
    reports = {
        engine: validate_dataset(built.dataset, extra_files=[extra], reasoner=False, engine=engine)
        for engine in ShaclEngine
    }
    ours, reference = reports[ShaclEngine.SPARQL], reports[ShaclEngine.PYSHACL]
    assert findings(ours.violations) == findings(reference.violations)
    assert [str(v) for v in ours.violations] == [str(v) for v in reference.violations]
    assert ours.triples == reference.triples
    assert (
        "result/new-1",
        "Result-pValue",
        "MaxInclusiveConstraintComponent",
        "pValueNumeric",
        "2.0",
    ) in _short(ours.violations)
    graph = next(g for g in built.dataset.graphs() if (CR_X, None, None) in g)
    graph.set((CR_X, INO.numerator, Literal(101)))
    reports = {
        engine: validate_dataset(built.dataset, reasoner=False, engine=engine) for engine in ShaclEngine
    }
    ours, reference = reports[ShaclEngine.SPARQL], reports[ShaclEngine.PYSHACL]
    assert findings(ours.violations) == findings(reference.violations)
    assert {v.origin for v in ours.violations} == {v.origin for v in reference.violations}


def test_engines_agree_on_broken_links_and_findings() -> None:
    data = Graph().parse(
        format="turtle",
        data="""
        @prefix ino: <https://w3id.org/inograph/ontology#> .
        @prefix ex: <urn:ex:> .
        ex:r1 a ino:Result .
        ex:r2 a ino:Result .
        ex:bad a ino:EvidenceLink ; ino:linkSource ex:r1 ; ino:linkTarget ex:r1 ;
            ino:linkClassification "contradicts" .
        ex:equal a ino:EvidenceLink ; ino:linkSource ex:r1 ; ino:linkTarget ex:notAResult ;
            ino:linkClassification "conflict" ; ino:linkReason "" ; ino:linkDifference 0.0 .
        ex:within a ino:EvidenceLink ; ino:linkSource ex:r1 ; ino:linkTarget ex:r2 ;
            ino:linkClassification "within_source_conflict" ; ino:linkReason "r" ;
            ino:linkSourcePart "denominator" .
        ex:check a ino:StatisticalCheckFinding ; ino:checkVerdict "plausible" ;
            ino:checkTolerance -0.5 , 0.1 ; ino:checkDetail "" .
        """,
    )
    shapes = load_shapes(
        [resource_dir("shapes") / f for f in ("links-shapes.ttl", "stats-checks-shapes.ttl")]
    )
    violations = assert_engines_agree(data, shapes)
    assert {(f, s) for f, s, *_ in _short(violations)} >= {
        ("urn:ex:bad", "EvidenceLink-distinctEnds"),
        ("urn:ex:equal", "EvidenceLink-reason"),
        ("urn:ex:equal", "EvidenceLink-conflictDiffers"),
        ("urn:ex:within", "EvidenceLink-conflictDiffers"),
        ("urn:ex:check", "Finding-tolerance"),
        ("urn:ex:check", "Finding-verdict"),
    }


# ---------------------------------------------------------------------------- one per component


COMPONENT_CASES: dict[str, tuple[str, set[tuple[str, str, str, str | None, str | None]]]] = {
    "MinCountConstraintComponent": (
        "Publication-citation",
        {("publication/mini2020", "Publication-citation", "MinCountConstraintComponent", "bibliographicCitation", None)},
    ),
    "MaxCountConstraintComponent": (
        "Publication-shortId",
        {("publication/mini2020", "Publication-shortId", "MaxCountConstraintComponent", "shortId", None)},
    ),
    "ClassConstraintComponent": (
        "Trial-arm",
        {("trial/tiny", "Trial-arm", "ClassConstraintComponent", "hasArm", "publication/mini2020")},
    ),
    "DatatypeConstraintComponent": (
        "DataCutoff-date",
        {("cutoff/tiny-2014-10-02", "DataCutoff-date", "DatatypeConstraintComponent", "cutoffDate", "2 October 2014")},
    ),
    "InConstraintComponent": (
        "Endpoint-kind",
        {("endpoint/cr", "Endpoint-kind", "InConstraintComponent", "endpointKind", "feelings")},
    ),
    "PatternConstraintComponent": (
        "Publication-doi",
        {("publication/mini2020", "Publication-doi", "PatternConstraintComponent", "doi", "doi:10.1234/x")},
    ),
    "MinInclusiveConstraintComponent": (
        "RegimenComponent-day",
        {("arm/tiny-x/regimen/1", "RegimenComponent-day", "MinInclusiveConstraintComponent", "administrationDay", "0")},
    ),
    "MinExclusiveConstraintComponent": (
        "RegimenComponent-dose",
        {("arm/tiny-x/regimen/1", "RegimenComponent-dose", "MinExclusiveConstraintComponent", "doseValue", "-0.8")},
    ),
    "MaxInclusiveConstraintComponent": (
        "Result-pValue",
        {("result/mini2020-os-hr", "Result-pValue", "MaxInclusiveConstraintComponent", "pValueNumeric", "1.5")},
    ),
    "MaxExclusiveConstraintComponent": (
        "Result-ciLevel",
        {("result/mini2020-os-hr", "Result-ciLevel", "MaxExclusiveConstraintComponent", "ciLevel", "150")},
    ),
    "LessThanConstraintComponent": (
        "TextPositionSelector-order",
        {
            (
                "annotation/mini2020-cr-x/position-selector",
                "TextPositionSelector-order",
                "LessThanConstraintComponent",
                "start",
                "354",
            )
        },
    ),
    "LessThanOrEqualsConstraintComponent": (
        "Result-ciLowerBelowUpper",
        {
            ("result/mini2020-os-hr", "Result-ciLowerBelowUpper", "LessThanOrEqualsConstraintComponent", "ciLower", "0.58"),
            ("result/mini2020-os-hr", "Result-valueBelowCiUpper", "LessThanOrEqualsConstraintComponent", "value", "0.77"),
        },
    ),
    "NodeConstraintComponent": (
        "LocationShape",
        {
            ("result/mini2020-cr-x", "Result-location", "NodeConstraintComponent", "location", "result/mini2020-cr-x/location"),
            ("result/mini2020-cr-x/location", "LocationShape", "OrConstraintComponent", None, "result/mini2020-cr-x/location"),
        },
    ),
    "QualifiedMinCountConstraintComponent": (
        "SpecificResource-quoteSelector",
        {
            (
                "annotation/mini2020-cr-x/target",
                "SpecificResource-quoteSelector",
                "QualifiedMinCountConstraintComponent",
                "hasSelector",
                None,
            )
        },
    ),
    "SPARQLConstraintComponent": (
        "Result-comparatorDiffersFromArm",
        {("result/mini2020-os-hr", "ComparatorShape", "SPARQLConstraintComponent", None, "result/mini2020-os-hr")},
    ),
}  # fmt: skip


@pytest.mark.parametrize("component", sorted(COMPONENT_CASES))
def test_each_component_reports_its_violation_exactly(
    component: str, mini_graph: Graph, shapes: Graph
) -> None:
    mutation, expected = COMPONENT_CASES[component]
    assert _short(run_shacl(_store(_broken(mini_graph, MUTATIONS[mutation])), shapes)) == expected


def test_min_length_reports_the_empty_quote(mini_graph: Graph, shapes: Graph) -> None:
    broken = _broken(mini_graph, lambda g: g.set((QUOTE_SEL, OA.exact, Literal(""))))
    assert _short(assert_engines_agree(broken, shapes)) == {
        ("annotation/mini2020-cr-x/quote-selector", "TextQuoteSelector-exact", "MinLengthConstraintComponent", "exact", "")
    }  # fmt: skip


def test_has_value_and_node_level_constraints() -> None:
    """sh:hasValue on a property shape and on a node shape's own focus node, sh:class on a node
    shape (as inside sh:qualifiedValueShape): shapes the project's files do not target directly."""
    shapes = Graph().parse(
        format="turtle",
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <urn:ex:> .
        ex:FlagShape a sh:NodeShape ; sh:targetClass ex:Thing ;
            sh:property [ sh:path ex:flag ; sh:hasValue true ] .
        ex:SelfShape a sh:NodeShape ; sh:targetSubjectsOf ex:self ; sh:hasValue ex:a .
        ex:KindShape a sh:NodeShape ; sh:targetSubjectsOf ex:kind ; sh:class ex:Kind ;
            sh:message "must be an ex:Kind"@en , "doit etre un ex:Kind"@fr .
        """,
    )
    data = Graph().parse(
        format="turtle",
        data="""
        @prefix ex: <urn:ex:> .
        ex:a a ex:Thing ; ex:flag true ; ex:self ex:a .
        ex:b a ex:Thing ; ex:flag false ; ex:self ex:b ; ex:kind ex:x .
        ex:c a ex:Kind ; ex:kind ex:y .
        """,
    )
    violations = assert_engines_agree(data, shapes)
    assert {(f, c, p, v) for f, _s, c, p, v in _short(violations)} == {
        ("urn:ex:b", "HasValueConstraintComponent", "urn:ex:flag", None),
        ("urn:ex:b", "HasValueConstraintComponent", None, None),
        ("urn:ex:b", "ClassConstraintComponent", None, "urn:ex:b"),
    }
    (kind,) = [v for v in violations if v.component == SH + "ClassConstraintComponent"]
    assert kind.message == "doit etre un ex:Kind"  # pySHACL's report holds both; the first in order is kept


# ---------------------------------------------------------------------------- xone, or, qualified


def _both_quoted_and_derived(g: Graph) -> None:
    g.add((CR_X, INO.isDerived, Literal(True)))
    g.add((CR_X, INO.derivationMethod, Literal("invented")))
    g.add((CR_X, INO.derivedFrom, HR))


XONE_OR_QUALIFIED: dict[str, tuple[Callable[[Graph], object], set[tuple[str, str, str, str | None, str | None]]]] = {
    "xone, two branches": (
        _both_quoted_and_derived,
        {("result/mini2020-cr-x", "ResultShape", "XoneConstraintComponent", None, "result/mini2020-cr-x")},
    ),
    "xone, no branch (quote gone)": (
        lambda g: g.remove((CR_X, INO.quote, None)),
        {("result/mini2020-cr-x", "ResultShape", "XoneConstraintComponent", None, "result/mini2020-cr-x")},
    ),
    "xone, no branch (derived result says isDerived false)": (
        lambda g: g.set((DERIVED, INO.isDerived, Literal(False))),
        {("result/mini2020-cr-difference", "ResultShape", "XoneConstraintComponent", None, "result/mini2020-cr-difference")},
    ),
    "xone, no branch (quoted result with two annotations)": (
        lambda g: (g.add((URIRef(ID + "annotation/extra"), RDF.type, OA.Annotation)),
                   g.add((CR_X, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), URIRef(ID + "annotation/extra")))),
        {
            ("result/mini2020-cr-x", "ResultShape", "XoneConstraintComponent", None, "result/mini2020-cr-x"),
            ("annotation/extra", "Annotation-target", "MinCountConstraintComponent", "hasTarget", None),
            ("annotation/extra", "Annotation-body", "MinCountConstraintComponent", "hasBody", None),
        },
    ),
    "or, no branch": (
        lambda g: [g.remove((LOCATION, p, None)) for p in (INO.section, INO.table, INO.figure)],
        {
            ("result/mini2020-cr-x", "Result-location", "NodeConstraintComponent", "location", "result/mini2020-cr-x/location"),
            ("result/mini2020-cr-x/location", "LocationShape", "OrConstraintComponent", None, "result/mini2020-cr-x/location"),
        },
    ),
    "or, two branches": (
        lambda g: (g.add((LOCATION, INO.section, Literal("Results"))), g.add((LOCATION, INO.table, Literal("2")))),
        set(),
    ),
    "qualified, no conforming value": (
        lambda g: g.remove((TARGET, OA.hasSelector, POS_SEL)),
        {("annotation/mini2020-cr-x/target", "SpecificResource-positionSelector", "QualifiedMinCountConstraintComponent", "hasSelector", None)},
    ),
    "qualified, two conforming values": (
        lambda g: (g.add((URIRef(ID + "selector/second"), RDF.type, OA.TextQuoteSelector)),
                   g.add((URIRef(ID + "selector/second"), OA.exact, Literal("a second quote"))),
                   g.add((TARGET, OA.hasSelector, URIRef(ID + "selector/second")))),
        {("annotation/mini2020-cr-x/target", "SpecificResource-quoteSelector", "QualifiedMaxCountConstraintComponent", "hasSelector", None)},
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(XONE_OR_QUALIFIED))
def test_xone_or_and_qualified_counts(case: str, mini_graph: Graph, shapes: Graph) -> None:
    mutate, expected = XONE_OR_QUALIFIED[case]
    assert _short(assert_engines_agree(_broken(mini_graph, mutate), shapes)) == expected
    assert ANNOTATION  # the mini graph's annotation is the one the quoted branch counts


# ---------------------------------------------------------------------------- what it refuses


@pytest.mark.parametrize(
    ("shapes_turtle", "expected"),
    [
        (
            "ex:Holder a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property ex:Odd .\n"
            "ex:Odd sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 .",
            "shape urn:ex:Odd: http://www.w3.org/ns/shacl#path is not supported",
        ),
        (
            "ex:Odd a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ; sh:languageIn ( 'en' ) ] .",
            "(in urn:ex:Odd): http://www.w3.org/ns/shacl#languageIn is not supported",
        ),
        (
            "ex:Odd a sh:NodeShape ; sh:targetNode ex:a ; sh:closed true .",
            "shape urn:ex:Odd: http://www.w3.org/ns/shacl#closed is not supported",
        ),
        (
            "ex:Odd a sh:NodeShape ; sh:targetClass ex:Thing ; sh:severity sh:Warning .",
            "shape urn:ex:Odd: http://www.w3.org/ns/shacl#severity is not supported",
        ),
        (
            "ex:Odd a sh:NodeShape , <http://www.w3.org/2000/01/rdf-schema#Class> ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
            "shape urn:ex:Odd: http://www.w3.org/2000/01/rdf-schema#Class is not supported",
        ),
        (
            "ex:Odd a sh:NodeShape ; sh:targetClass ex:Thing ; sh:sparql ex:OddRule .\n"
            "ex:OddRule sh:select 'SELECT $this WHERE { $this a ?c . FILTER (?c != $currentShape) }' .",
            "shape urn:ex:OddRule: http://www.w3.org/ns/shacl#select is not supported",
        ),
        (  # a shapes file must not make validate send requests anywhere
            "ex:Odd a sh:NodeShape ; sh:targetClass ex:Thing ; sh:sparql ex:Remote .\n"
            "ex:Remote sh:select 'SELECT $this WHERE { service <http://127.0.0.1:9/sparql> { $this ?p ?o } }' .",
            "shape urn:ex:Remote: http://www.w3.org/ns/shacl#select is not supported",
        ),
    ],
)
def test_unsupported_features_are_refused_naming_the_shape(shapes_turtle: str, expected: str) -> None:
    shapes = Graph().parse(
        format="turtle",
        data=f"@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .\n{shapes_turtle}",
    )
    store = _store(Graph().parse(format="turtle", data="<urn:ex:a> a <urn:ex:Thing> ."))
    with pytest.raises(ShapeError) as raised:
        run_shacl(store, shapes)
    assert expected in str(raised.value)
    assert str(raised.value).endswith("by the SPARQL SHACL engine; validate with --shacl-engine pyshacl") or (
        "more); validate with --shacl-engine pyshacl" in str(raised.value)
    )
    assert len(store) == 1 and list(store.named_graphs()) == []  # nothing left behind


def test_validation_leaves_the_store_as_it_was(mini_graph: Graph, shapes: Graph) -> None:
    store = _store(_broken(mini_graph, MUTATIONS["ResultShape"]))
    before = sorted(str(q) for q in store)
    assert run_shacl(store, shapes)
    assert sorted(str(q) for q in store) == before
    assert list(store.named_graphs()) == []


def test_validate_prints_the_same_report_with_either_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_errors import _mini_copy, run_cli

    evidence, sources = _mini_copy(tmp_path)
    extra = tmp_path / "new-extraction.ttl"
    extra.write_text(CURATOR_FILE_WITH_VIOLATIONS, encoding="utf-8")
    printed = {}
    for engine in ("sparql", "pyshacl"):
        args = ["validate", "--no-reasoner", "--shacl-engine", engine, "--evidence", str(evidence)]
        code, out, _ = run_cli([*args, "--sources", str(sources), "--data", str(extra)], capsys)
        assert code == 1
        printed[engine] = [line for line in out.splitlines() if not line.startswith("SHACL:")]
    assert printed["sparql"] == printed["pyshacl"]
    assert (
        f"Violation: inod:result/new-1 ino:pValueNumeric (value 2.0): A p-value lies in [0, 1]. [{extra}]"
        in (printed["sparql"])
    )
    assert printed["sparql"][-1] == "does not conform"


@pytest.mark.parametrize(
    ("shapes_turtle", "expected"),
    [
        (
            "ex:Odd a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ; sh:minCount 'abc' ] .",
            '(in urn:ex:Odd): http://www.w3.org/ns/shacl#minCount "abc" is ill-formed: SHACL needs a '
            "non-negative xsd:integer",
        ),
        (
            "ex:Odd a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ; sh:maxCount -1 ] .",
            '(in urn:ex:Odd): http://www.w3.org/ns/shacl#maxCount "-1"^^<http://www.w3.org/2001/XMLSchema#integer> '
            "is ill-formed: SHACL needs a non-negative xsd:integer",
        ),
        (
            "ex:Odd a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ; sh:maxCount 1.5 ] .",
            '(in urn:ex:Odd): http://www.w3.org/ns/shacl#maxCount "1.5"^^<http://www.w3.org/2001/XMLSchema#decimal> '
            "is ill-formed: SHACL needs a non-negative xsd:integer",
        ),
        (
            "ex:Odd a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ; sh:pattern '([' ] .",
            '(in urn:ex:Odd): http://www.w3.org/ns/shacl#pattern "([" is ill-formed: SHACL needs a regular '
            "expression (with valid sh:flags)",
        ),
        (
            "ex:Odd a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ; sh:class 'Thing' ] .",
            '(in urn:ex:Odd): http://www.w3.org/ns/shacl#class "Thing" is ill-formed: SHACL needs an IRI',
        ),
        (
            "ex:Odd a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:minCount 1 ] .",
            "(in urn:ex:Odd): http://www.w3.org/ns/shacl#path is ill-formed: SHACL needs a sh:path on "
            "every sh:property shape",
        ),
    ],
    ids=[
        "count-a-string",
        "count-negative",
        "count-a-decimal",
        "pattern-broken",
        "class-a-literal",
        "no-path",
    ],
)
def test_ill_formed_shapes_are_refused_naming_the_shape(shapes_turtle: str, expected: str) -> None:
    # pySHACL refuses these too; the engine must not silently check nothing (or fail inside)
    shapes = Graph().parse(
        format="turtle",
        data=f"@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .\n{shapes_turtle}",
    )
    store = _store(Graph().parse(format="turtle", data="<urn:ex:a> a <urn:ex:Thing> ; <urn:ex:p> 'x', 'y' ."))
    with pytest.raises(ShapeError) as raised:
        run_shacl(store, shapes)
    assert str(raised.value).startswith("shape ")
    assert str(raised.value).endswith(expected)
    assert len(store) == 3 and list(store.named_graphs()) == []  # nothing left behind
