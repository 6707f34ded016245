"""Every SHACL shape has a negative test: a small graph that breaks it, and the assertion that
this very shape fires.  The graph is the minimal curation in tests/data/mini, which conforms."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from inograph.build import build_dataset
from inograph.namespaces import DATA, DCTERMS, INO, OA, PROV, RDF, RDFS, SH, XSD
from inograph.validation import load_shapes, run_shacl, validate_dataset

MINI = Path(__file__).parent / "data" / "mini"
SHAPES_NS = "https://w3id.org/inograph/shapes#"

PUB = DATA["publication/mini2020"]
CITED = DATA["publication/earlier2010"]
SOURCE = DATA["source/mini2020"]
REF = DATA["publication/mini2020/reference/1"]
TRIAL = DATA["trial/tiny"]
ARM_X = DATA["arm/tiny-x"]
ARM_SOC = DATA["arm/tiny-soc"]
COMPONENT = DATA["arm/tiny-x/regimen/1"]
DRUG = DATA["drug/drug-x"]
ITT = DATA["population/tiny-itt"]
SUBGROUP = DATA["population/tiny-sg-age-ge55"]
ENDPOINT = DATA["endpoint/cr"]
CUTOFF = DATA["cutoff/tiny-2014-10-02"]
CR_X = DATA["result/mini2020-cr-x"]
HR = DATA["result/mini2020-os-hr"]
DERIVED = DATA["result/mini2020-cr-difference"]
SG_SIZE = DATA["result/mini2020-sg-size-x"]
ITT_SIZE_NODE = DATA["population/tiny-itt/size/tiny-2014-10-02/tiny-x"]
LOCATION = DATA["result/mini2020-cr-x/location"]
ANNOTATION = DATA["annotation/mini2020-cr-x"]
TARGET = DATA["annotation/mini2020-cr-x/target"]
QUOTE_SEL = DATA["annotation/mini2020-cr-x/quote-selector"]
POS_SEL = DATA["annotation/mini2020-cr-x/position-selector"]
OTHER_TRIAL = URIRef("https://w3id.org/inograph/id/trial/other")


def _remove(s: URIRef, p: URIRef) -> Callable[[Graph], None]:
    return lambda g: g.remove((s, p, None))


def _set(s: URIRef, p: URIRef, o: object) -> Callable[[Graph], None]:
    def mutate(g: Graph) -> None:
        g.remove((s, p, None))
        g.add((s, p, o if isinstance(o, (URIRef, Literal)) else Literal(o)))

    return mutate


def _add(s: URIRef, p: URIRef, o: object) -> Callable[[Graph], None]:
    return lambda g: g.add((s, p, o if isinstance(o, (URIRef, Literal)) else Literal(o)))


def _dec(text: str) -> Literal:
    return Literal(Decimal(text), datatype=XSD.decimal)


def _both_quoted_and_derived(g: Graph) -> None:
    g.add((CR_X, INO.isDerived, Literal(True)))
    g.add((CR_X, INO.derivationMethod, Literal("invented")))
    g.add((CR_X, INO.derivedFrom, HR))


def _other_trial(g: Graph) -> None:
    g.add((OTHER_TRIAL, RDF.type, INO.Trial))
    g.add((OTHER_TRIAL, RDFS.label, Literal("OTHER")))
    g.remove((ITT, INO.ofTrial, None))
    g.add((ITT, INO.ofTrial, OTHER_TRIAL))


def _subgroup_larger_than_parent(g: Graph) -> None:
    g.set((SG_SIZE, INO.value, _dec("140")))


def _empty_location(g: Graph) -> None:
    for p in (INO.section, INO.table, INO.figure):
        g.remove((LOCATION, p, None))


MUTATIONS: dict[str, Callable[[Graph], None]] = {
    "Publication-citation": _remove(PUB, DCTERMS.bibliographicCitation),
    "Publication-doi": _set(PUB, INO.doi, "doi:10.1234/x"),
    "Publication-shortId": _add(PUB, INO.shortId, "second-id"),
    "CuratedPublication-title": _remove(PUB, DCTERMS.title),
    "CuratedPublication-year": _add(PUB, INO.publicationYear, Literal("2021", datatype=XSD.gYear)),
    "CuratedPublication-kind": _set(PUB, INO.publicationKind, "blog-post"),
    "SourceDocument-textOf": _remove(SOURCE, INO.textOf),
    "SourceDocument-sha256": _set(SOURCE, INO.sha256, "abc123"),
    "ReferenceEntry-citedWork": _remove(REF, INO.citedWork),
    "ReferenceEntry-citation": _remove(REF, DCTERMS.bibliographicCitation),
    "Trial-label": _remove(TRIAL, RDFS.label),
    "Trial-arm": _add(TRIAL, INO.hasArm, PUB),
    "Trial-registry": _set(TRIAL, INO.registryId, "12345"),
    "Arm-trial": _remove(ARM_X, INO.ofTrial),
    "Arm-label": _add(ARM_X, RDFS.label, "Another label"),
    "RegimenComponent-drug": _remove(COMPONENT, INO.drug),
    "RegimenComponent-dose": _set(COMPONENT, INO.doseValue, _dec("-0.8")),
    "RegimenComponent-unit": _add(COMPONENT, INO.doseUnit, "mg"),
    "RegimenComponent-day": _add(COMPONENT, INO.administrationDay, Literal(0)),
    "RegimenComponent-maxCycles": _set(COMPONENT, INO.maxCycles, Literal(0)),
    "Drug-label": _remove(DRUG, RDFS.label),
    "Population-trial": _remove(ITT, INO.ofTrial),
    "Population-kind": _set(ITT, INO.populationKind, "everyone"),
    "Population-label": _remove(ITT, RDFS.label),
    "Population-parent": _add(SUBGROUP, INO.parentPopulation, SUBGROUP),
    "Population-noCycle": _add(ITT, INO.parentPopulation, ITT),
    "Subgroup-parent": _remove(SUBGROUP, INO.parentPopulation),
    "Subgroup-characteristic": _remove(SUBGROUP, INO.definingCharacteristic),
    "Endpoint-label": _remove(ENDPOINT, RDFS.label),
    "Endpoint-kind": _set(ENDPOINT, INO.endpointKind, "feelings"),
    "DataCutoff-trial": _remove(CUTOFF, INO.ofTrial),
    "DataCutoff-date": _set(CUTOFF, INO.cutoffDate, "2 October 2014"),
    "DataCutoff-label": _remove(CUTOFF, RDFS.label),
    "ResultShape": _both_quoted_and_derived,
    "Result-publication": _add(CR_X, INO.reportedIn, CITED),
    "Result-endpoint": _remove(CR_X, INO.endpoint),
    "Result-location": _remove(CR_X, INO.location),
    "Result-identifier": _remove(CR_X, DCTERMS.identifier),
    "Result-value": _set(CR_X, INO.value, "eighty"),
    "Result-numerator": _set(CR_X, INO.numerator, Literal(-1)),
    "Result-denominator": _set(CR_X, INO.denominator, Literal(0)),
    "Result-numeratorBelowDenominator": _set(CR_X, INO.numerator, Literal(101)),
    "Result-pValue": _set(HR, INO.pValueNumeric, _dec("1.5")),
    "Result-pSided": _set(HR, INO.pSided, "both"),
    "Result-ciLevel": _set(HR, INO.ciLevel, _dec("150")),
    "Result-ciLowerBelowValue": _set(HR, INO.ciLower, _dec("0.80")),
    "Result-valueBelowCiUpper": _set(HR, INO.ciUpper, _dec("0.70")),
    "Result-ciLowerBelowUpper": _set(HR, INO.ciUpper, _dec("0.50")),
    "Result-rangeOrder": lambda g: (
        g.add((CR_X, INO.rangeLower, _dec("9"))),
        g.add((CR_X, INO.rangeUpper, _dec("1"))),
    ),
    "Result-trial": _add(CR_X, INO.aboutTrial, OTHER_TRIAL),
    "Result-population": _add(CR_X, INO.population, SUBGROUP),
    "Result-arm": _add(CR_X, INO.arm, ARM_SOC),
    "Result-comparator": _add(HR, INO.comparator, ARM_X),
    "Result-cutoff": _add(CR_X, INO.cutoff, DATA["cutoff/another"]),
    "Result-analysisKind": _set(CR_X, INO.analysisKind, INO.Result),
    "Result-valueQualifier": _set(CR_X, INO.valueQualifier, "about"),
    "Result-valueAsPrinted": _set(CR_X, INO.valueAsPrinted, "80.0%"),
    "Threshold-value": lambda g: (
        g.add((HR, INO.significanceThreshold, _dec("1.5"))),
        g.add((HR, INO.thresholdSided, Literal("two"))),
        g.add((HR, INO.thresholdQuote, Literal("P=0.04"))),
    ),
    "Threshold-sided": lambda g: (
        g.add((HR, INO.significanceThreshold, _dec("0.0208"))),
        g.add((HR, INO.thresholdQuote, Literal("P=0.04"))),
    ),
    "Threshold-quote": lambda g: (
        g.add((HR, INO.significanceThreshold, _dec("0.0208"))),
        g.add((HR, INO.thresholdSided, Literal("two"))),
    ),
    # 75.5, not 75.0: Oxigraph, which the default SHACL engine runs on, reads decimals back in
    # canonical form (75.0 as 75), so the message would not show the value as written
    "Result-percentageAgreesWithCounts": _set(CR_X, INO.value, _dec("75.5")),
    "Result-comparatorDiffersFromArm": _set(HR, INO.comparator, ARM_X),
    "Result-populationOfTrial": _other_trial,
    "PopulationSize-positive": _set(SG_SIZE, INO.value, _dec("0")),
    "PopulationSize-notAboveParent": _subgroup_larger_than_parent,
    "Size-of": _add(ITT_SIZE_NODE, INO.sizeOf, SUBGROUP),
    "Size-count": _set(ITT_SIZE_NODE, INO.participantCount, Literal(-1)),
    "Size-cutoff": _add(ITT_SIZE_NODE, INO.sizeAtCutoff, ITT),
    "Size-arm": _add(ITT_SIZE_NODE, INO.sizeInArm, ARM_SOC),
    "Size-derivedFrom": _remove(ITT_SIZE_NODE, PROV.wasDerivedFrom),
    "LocationShape": _empty_location,
    "Annotation-target": _remove(ANNOTATION, OA.hasTarget),
    "Annotation-body": _remove(ANNOTATION, OA.hasBody),
    "SpecificResource-source": _remove(TARGET, OA.hasSource),
    "SpecificResource-quoteSelector": lambda g: g.remove((TARGET, OA.hasSelector, QUOTE_SEL)),
    "SpecificResource-positionSelector": lambda g: g.remove((TARGET, OA.hasSelector, POS_SEL)),
    "TextQuoteSelector-exact": _remove(QUOTE_SEL, OA.exact),
    "TextQuoteSelector-prefix": _add(QUOTE_SEL, OA.prefix, "another prefix"),
    "TextQuoteSelector-suffix": _add(QUOTE_SEL, OA.suffix, "another suffix"),
    "TextPositionSelector-start": _set(POS_SEL, OA.start, Literal("ten")),
    "TextPositionSelector-end": _remove(POS_SEL, OA.end),
    "TextPositionSelector-order": _set(POS_SEL, OA.end, Literal(0)),
}


def test_mini_graph_conforms(mini_graph: Graph, shapes: Graph) -> None:
    assert run_shacl(mini_graph, shapes) == ()


def _constraint_bearing_shapes(shapes: Graph) -> set[str]:
    """Named property shapes, SPARQL constraints, and node shapes with constraints of their own."""
    names = set()
    for kind in (SH.PropertyShape, SH.SPARQLConstraint):
        names |= {str(s) for s in shapes.subjects(RDF.type, kind)}
    for node_shape in shapes.subjects(RDF.type, SH.NodeShape):
        if any(shapes.value(node_shape, p) is not None for p in (SH.xone, SH["or"], SH["and"])):
            names.add(str(node_shape))
    return {n[len(SHAPES_NS) :] for n in names if n.startswith(SHAPES_NS)}


CORE_SHAPES = Path(__file__).parents[1] / "shapes" / "inograph-shapes.ttl"


def test_every_shape_has_a_negative_test() -> None:
    """Shapes of shapes/inograph-shapes.ttl; the link shapes are tested in test_links.py."""
    assert _constraint_bearing_shapes(load_shapes([CORE_SHAPES])) - set(MUTATIONS) == set()


def test_every_shape_has_a_message(shapes: Graph) -> None:
    for name in _constraint_bearing_shapes(shapes):
        assert shapes.value(URIRef(SHAPES_NS + name), SH.message) is not None, name


@pytest.mark.parametrize("shape", sorted(MUTATIONS))
def test_shape_fires_on_its_negative_graph(shape: str, mini_graph: Graph, shapes: Graph) -> None:
    broken = Graph()
    for triple in mini_graph:
        broken.add(triple)
    MUTATIONS[shape](broken)
    violations = run_shacl(broken, shapes)
    fired = {v.shape for v in violations} | {v.constraint for v in violations if v.constraint}
    assert SHAPES_NS + shape in fired
    assert mini_graph == mini_graph  # the fixture itself was not touched
    assert len(run_shacl(mini_graph, shapes)) == 0


def test_percentage_message_names_the_numbers(mini_graph: Graph, shapes: Graph) -> None:
    broken = Graph()
    for triple in mini_graph:
        broken.add(triple)
    MUTATIONS["Result-percentageAgreesWithCounts"](broken)
    (violation,) = [v for v in run_shacl(broken, shapes) if v.constraint and "percentage" in v.constraint]
    assert violation.focus == str(CR_X)
    assert violation.message.startswith("The percentage 75.5 disagrees with n/N = 80/100")


def test_documented_source_inconsistency_is_accepted(mini_graph: Graph, shapes: Graph) -> None:
    broken = Graph()
    for triple in mini_graph:
        broken.add(triple)
    MUTATIONS["Result-percentageAgreesWithCounts"](broken)
    broken.add((CR_X, INO.sourceInconsistency, Literal("printed 75.5% for 80/100")))
    assert run_shacl(broken, shapes) == ()


def test_validation_does_not_change_the_dataset() -> None:
    built = build_dataset(evidence_paths=[MINI / "evidence" / "mini2020.yaml"], sources_dir=MINI / "sources")
    before = len(built.dataset)
    report = validate_dataset(built.dataset, reasoner=False)
    assert report.conforms
    assert len(built.dataset) == before
