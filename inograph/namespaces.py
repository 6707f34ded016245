"""RDF namespaces: the project's own terms and the standard vocabularies it reuses.

The ontology namespace is closed (:class:`rdflib.namespace.DefinedNamespace`) so that a
misspelt term fails at import time instead of silently minting a new IRI.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD, DefinedNamespace

__all__ = [
    "CITO",
    "DATA",
    "DCTERMS",
    "FABIO",
    "GRAPH",
    "INO",
    "NCIT",
    "OA",
    "OBO",
    "ONTOLOGY_GRAPH",
    "ONTOLOGY_IRI",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SH",
    "SKOS",
    "XSD",
]

BASE = "https://w3id.org/inograph/"
ONTOLOGY_IRI = URIRef(BASE + "ontology")
ONTOLOGY_GRAPH = URIRef(BASE + "graph/ontology")

DATA = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
CITO = Namespace("http://purl.org/spar/cito/")
FABIO = Namespace("http://purl.org/spar/fabio/")
OA = Namespace("http://www.w3.org/ns/oa#")
OBO = Namespace("http://purl.obolibrary.org/obo/")
NCIT = Namespace("http://purl.obolibrary.org/obo/NCIT_")


class INO(DefinedNamespace):
    """The inograph ontology (``ontology/inograph.ttl``)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Publication: URIRef
    SourceDocument: URIRef
    ReferenceEntry: URIRef
    Trial: URIRef
    Arm: URIRef
    RegimenComponent: URIRef
    Drug: URIRef
    AnalysisPopulation: URIRef
    Subgroup: URIRef
    PopulationSize: URIRef
    Endpoint: URIRef
    DataCutoff: URIRef
    Location: URIRef
    Result: URIRef
    Count: URIRef
    Percentage: URIRef
    Median: URIRef
    Mean: URIRef
    Range: URIRef
    HazardRatio: URIRef
    OddsRatio: URIRef
    RateAtTimepoint: URIRef
    RestrictedMeanSurvivalTime: URIRef
    Difference: URIRef
    PValue: URIRef
    DoseStatement: URIRef
    Duration: URIRef
    OtherStatistic: URIRef
    EvidenceLink: URIRef
    AnalysisKind: URIRef
    AnalysisKinds: URIRef
    # analysis kinds (individuals of AnalysisKind, concepts of the scheme AnalysisKinds)
    PrimaryAnalysis: URIRef
    SecondaryAnalysis: URIRef
    SensitivityAnalysis: URIRef
    SubgroupAnalysis: URIRef
    PostHocAnalysis: URIRef
    ExploratoryAnalysis: URIRef
    DesignAssumption: URIRef
    BaselineTest: URIRef
    DescriptiveSummary: URIRef
    # publication and citation
    shortId: URIRef
    doi: URIRef
    pmid: URIRef
    journal: URIRef
    volume: URIRef
    pages: URIRef
    publicationYear: URIRef
    publicationKind: URIRef
    authorList: URIRef
    reportsTrial: URIRef
    sourceFile: URIRef
    sha256: URIRef
    textOf: URIRef
    hasReferenceEntry: URIRef
    referenceNumber: URIRef
    citedWork: URIRef
    # trial design
    registryId: URIRef
    phase: URIRef
    design: URIRef
    randomisation: URIRef
    masking: URIRef
    stratificationFactor: URIRef
    hasArm: URIRef
    hasRegimenComponent: URIRef
    drug: URIRef
    doseValue: URIRef
    doseUnit: URIRef
    administrationDay: URIRef
    route: URIRef
    cycleLengthDays: URIRef
    cycleLengthText: URIRef
    maxCycles: URIRef
    componentOrder: URIRef
    ofTrial: URIRef
    populationKind: URIRef
    parentPopulation: URIRef
    definingCharacteristic: URIRef
    hasSize: URIRef
    sizeOf: URIRef
    sizeAtCutoff: URIRef
    sizeInArm: URIRef
    participantCount: URIRef
    endpointKind: URIRef
    primaryEndpoint: URIRef
    secondaryEndpoint: URIRef
    exploratoryEndpoint: URIRef
    safetyEndpointRole: URIRef
    safetyEndpointRoleQuote: URIRef
    definition: URIRef
    cutoffDate: URIRef
    # results
    reportedIn: URIRef
    aboutTrial: URIRef
    population: URIRef
    arm: URIRef
    comparator: URIRef
    endpoint: URIRef
    cutoff: URIRef
    measure: URIRef
    value: URIRef
    unit: URIRef
    numerator: URIRef
    denominator: URIRef
    ciLower: URIRef
    ciUpper: URIRef
    ciLevel: URIRef
    pValue: URIRef
    pValueNumeric: URIRef
    pValueRelation: URIRef
    pSided: URIRef
    analysisKind: URIRef
    analysisKindBasis: URIRef
    significanceThreshold: URIRef
    thresholdSided: URIRef
    thresholdQuote: URIRef
    valueAsPrinted: URIRef
    valueQualifier: URIRef
    ciLowerAsPrinted: URIRef
    ciUpperAsPrinted: URIRef
    statisticalTest: URIRef
    timepoint: URIRef
    rangeLower: URIRef
    rangeUpper: URIRef
    category: URIRef
    grade: URIRef
    serious: URIRef
    setting: URIRef
    location: URIRef
    section: URIRef
    subsection: URIRef
    table: URIRef
    figure: URIRef
    row: URIRef
    column: URIRef
    quote: URIRef
    citedOrigin: URIRef
    derivedFrom: URIRef
    derivationMethod: URIRef
    isDerived: URIRef
    sourceInconsistency: URIRef
    note: URIRef
    curationFile: URIRef
    curationLine: URIRef
    # cross-source links
    sameQuantityAs: URIRef
    conflictsWith: URIRef
    contradictsWithinSource: URIRef
    agreesWith: URIRef
    linkClassification: URIRef
    linkReason: URIRef
    linkDifference: URIRef
    linkSourceValue: URIRef
    linkTargetValue: URIRef
    linkSourcePart: URIRef
    linkTargetPart: URIRef
    linkSource: URIRef
    linkTarget: URIRef
    # statistical check findings (inograph check-stats, graph inog:stats-checks)
    StatisticalCheckFinding: URIRef
    checkedResult: URIRef
    checkSubject: URIRef
    checkName: URIRef
    checkVerdict: URIRef
    checkMethod: URIRef
    checkDetail: URIRef
    checkPrinted: URIRef
    recomputedValue: URIRef
    recomputedLower: URIRef
    recomputedUpper: URIRef
    checkTolerance: URIRef
    checkExplanation: URIRef
