"""Turning curated evidence into RDF: one named graph per publication.

Every node gets a readable, stable IRI under ``https://w3id.org/inograph/id/`` (no blank
nodes), which keeps the serialisations byte-identical from one build to the next and lets a
user paste an IRI from any export into ``inograph trace``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from inograph.analysis import AssignedKind, analysis_kinds
from inograph.anchoring import Anchor, SourceText, anchor_quote
from inograph.errors import AnchorError
from inograph.evidence import Curation, Evidence, Result
from inograph.namespaces import CITO, DATA, DCTERMS, GRAPH, INO, OA, PROV, RDF, RDFS, SKOS, XSD
from inograph.value_check import printed_as

__all__ = [
    "ANALYSIS_KIND_INDIVIDUALS",
    "MEASURE_CLASSES",
    "add_evidence",
    "anchor_results",
    "arm_iri",
    "cutoff_iri",
    "endpoint_iri",
    "population_iri",
    "publication_graph",
    "publication_iri",
    "result_iri",
    "trial_iri",
    "value_qualifier",
]

MEASURE_CLASSES: Mapping[str, URIRef] = {
    "count": INO.Count,
    "percentage": INO.Percentage,
    "median": INO.Median,
    "mean": INO.Mean,
    "range": INO.Range,
    "hazard_ratio": INO.HazardRatio,
    "odds_ratio": INO.OddsRatio,
    "rate_at_timepoint": INO.RateAtTimepoint,
    "rmst": INO.RestrictedMeanSurvivalTime,
    "difference": INO.Difference,
    "p_value": INO.PValue,
    "dose": INO.DoseStatement,
    "duration": INO.Duration,
    "other": INO.OtherStatistic,
}


# the analysis kinds of inograph.analysis as the ontology's individuals (skos:notation = the word)
ANALYSIS_KIND_INDIVIDUALS: Mapping[str, URIRef] = {
    "primary": INO.PrimaryAnalysis,
    "secondary": INO.SecondaryAnalysis,
    "sensitivity": INO.SensitivityAnalysis,
    "subgroup": INO.SubgroupAnalysis,
    "post-hoc": INO.PostHocAnalysis,
    "exploratory": INO.ExploratoryAnalysis,
    "design-assumption": INO.DesignAssumption,
    "baseline-test": INO.BaselineTest,
    "descriptive": INO.DescriptiveSummary,
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def publication_iri(ident: str) -> URIRef:
    return DATA[f"publication/{ident}"]


def publication_graph(ident: str) -> URIRef:
    return GRAPH[ident]


def trial_iri(ident: str) -> URIRef:
    return DATA[f"trial/{ident}"]


def arm_iri(ident: str) -> URIRef:
    return DATA[f"arm/{ident}"]


def population_iri(ident: str) -> URIRef:
    return DATA[f"population/{ident}"]


def endpoint_iri(ident: str) -> URIRef:
    return DATA[f"endpoint/{ident}"]


def cutoff_iri(ident: str) -> URIRef:
    return DATA[f"cutoff/{ident}"]


def result_iri(ident: str) -> URIRef:
    return DATA[f"result/{ident}"]


def _decimal(value: float) -> Literal:
    """A decimal literal that prints the number as the curator typed it (80.7, not 80.70000001)."""
    number = Decimal(repr(value))
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return Literal(number, datatype=XSD.decimal)


def _add(g: Graph, s: Node, p: URIRef, o: object | None, datatype: URIRef | None = None) -> None:
    """Add a triple when the value is present; numbers become decimals, text plain strings."""
    if o is None or o == "" or o == ():
        return
    if isinstance(o, (URIRef, Literal)):
        g.add((s, p, o))
    elif isinstance(o, bool):
        g.add((s, p, Literal(o)))
    elif isinstance(o, int) and datatype is None:
        g.add((s, p, Literal(o, datatype=XSD.integer)))
    elif isinstance(o, float):
        g.add((s, p, _decimal(o)))
    else:
        g.add((s, p, Literal(str(o), datatype=datatype)))


def anchor_results(evidence: Evidence, sources: Mapping[str, SourceText]) -> dict[str, Anchor]:
    """Anchor every quoted result in its publication's source text; collect all failures."""
    anchors: dict[str, Anchor] = {}
    failures: list[str] = []
    for curation in evidence.curations:
        source = sources[curation.publication.source_file]
        for trial in curation.trials:
            if trial.safety_role_quote is not None and trial.safety_role_quote not in source.text:
                failures.append(
                    f"{trial.origin}: trial {trial.id}: safety_role_quote {trial.safety_role_quote!r} "
                    f"is not in {source.name}"
                )
        for result in curation.results:
            if result.quote is None:
                continue
            try:
                anchors[result.id] = anchor_quote(
                    source, result.quote, prefix=result.prefix, owner=f"{result.origin}: {result.id}"
                )
            except AnchorError as exc:
                failures.append(str(exc))
            if result.alpha_quote is not None and result.alpha_quote not in source.text:
                failures.append(
                    f"{result.origin}: {result.id}: alpha_quote {result.alpha_quote!r} is not in "
                    f"{source.name}"
                )
    if failures:
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        raise AnchorError(failures[0] + more + ("\n" + "\n".join(failures[1:]) if more else ""))
    return anchors


def add_evidence(dataset: Dataset, evidence: Evidence, anchors: Mapping[str, Anchor]) -> None:
    """Add every curation file's records to ``dataset``, each in its publication's graph."""
    # a cited work gets its citation text once, from its first citer; curated ones have their own
    described: set[str] = set(evidence.publications)
    kinds = analysis_kinds(evidence)
    for curation in sorted(evidence.curations, key=lambda c: (c.publication.year or 0, c.publication.id)):
        g = dataset.graph(publication_graph(curation.publication.id))
        _add_publication(g, curation, evidence, anchors, described, kinds)


def _add_publication(
    g: Graph,
    curation: Curation,
    evidence: Evidence,
    anchors: Mapping[str, Anchor],
    described: set[str],
    kinds: Mapping[str, AssignedKind],
) -> None:
    pub = curation.publication
    p = publication_iri(pub.id)
    g.add((p, RDF.type, INO.Publication))
    _add(g, p, INO.shortId, pub.id)
    _add(g, p, DCTERMS.title, pub.title)
    _add(g, p, RDFS.label, pub.id)
    _add(g, p, INO.authorList, "; ".join(pub.authors))
    for author in pub.authors:
        _add(g, p, DCTERMS.creator, author)
    _add(g, p, INO.journal, pub.journal)
    if pub.year is not None:
        g.add((p, INO.publicationYear, Literal(str(pub.year), datatype=XSD.gYear)))
    _add(g, p, INO.volume, pub.volume)
    _add(g, p, INO.pages, pub.pages)
    _add(g, p, INO.doi, pub.doi)
    if pub.doi:
        g.add((p, DCTERMS.identifier, Literal(f"doi:{pub.doi}")))
    _add(g, p, INO.pmid, pub.pmid)
    _add(g, p, INO.publicationKind, pub.kind)
    _add(g, p, DCTERMS.bibliographicCitation, pub.citation)
    _add(g, p, INO.curationFile, curation.path.name)
    for trial_id in pub.reports_trials:
        g.add((p, INO.reportsTrial, trial_iri(trial_id)))

    source = DATA[f"source/{pub.id}"]
    g.add((source, RDF.type, INO.SourceDocument))
    g.add((source, INO.textOf, p))
    _add(g, source, INO.sourceFile, pub.source_file)
    sha = next((anchors[r.id].sha256 for r in curation.results if r.id in anchors), None)
    _add(g, source, INO.sha256, sha)

    for ref in curation.references:
        cited = publication_iri(ref.id)
        entry = DATA[f"publication/{pub.id}/reference/{ref.number or _slug(ref.id)}"]
        g.add((p, INO.hasReferenceEntry, entry))
        g.add((entry, RDF.type, INO.ReferenceEntry))
        _add(g, entry, INO.referenceNumber, ref.number)
        _add(g, entry, DCTERMS.bibliographicCitation, ref.citation)
        g.add((entry, INO.citedWork, cited))
        g.add((p, CITO.cites, cited))
        for prop in ref.cito:
            g.add((p, CITO[prop], cited))
        g.add((cited, RDF.type, INO.Publication))
        if ref.doi:
            _add(g, cited, INO.doi, ref.doi)
        if ref.id not in described:
            described.add(ref.id)
            _add(g, cited, DCTERMS.bibliographicCitation, ref.citation)
            _add(g, cited, INO.shortId, ref.id)

    for trial in curation.trials:
        t = trial_iri(trial.id)
        g.add((t, RDF.type, INO.Trial))
        _add(g, t, RDFS.label, trial.label)
        _add(g, t, INO.registryId, trial.registry_id)
        _add(g, t, INO.phase, trial.phase)
        _add(g, t, INO.design, trial.design)
        _add(g, t, INO.randomisation, trial.randomisation)
        _add(g, t, INO.masking, trial.masking)
        _add(g, t, INO.safetyEndpointRole, trial.safety_role)
        _add(g, t, INO.safetyEndpointRoleQuote, trial.safety_role_quote)
        for factor in trial.stratification:
            _add(g, t, INO.stratificationFactor, factor)
        _add(g, t, INO.note, trial.note)
        for arm_id in trial.arms:
            g.add((t, INO.hasArm, arm_iri(arm_id)))
    for arm in curation.arms:
        a = arm_iri(arm.id)
        g.add((a, RDF.type, INO.Arm))
        g.add((a, INO.ofTrial, trial_iri(arm.trial)))
        _add(g, a, RDFS.label, arm.label)
        _add(g, a, INO.note, arm.note)
        _add(g, a, INO.quote, arm.quote)
        for index, regimen in enumerate(arm.regimens, start=1):
            c = DATA[f"arm/{arm.id}/regimen/{index}"]
            drug = DATA[f"drug/{_slug(regimen.drug)}"]
            g.add((a, INO.hasRegimenComponent, c))
            g.add((c, RDF.type, INO.RegimenComponent))
            _add(g, c, INO.componentOrder, index)
            g.add((c, INO.drug, drug))
            g.add((drug, RDF.type, INO.Drug))
            _add(g, drug, RDFS.label, regimen.drug)
            if regimen.dose is not None:
                _add(g, c, INO.doseValue, float(regimen.dose))
            _add(g, c, INO.doseUnit, regimen.unit)
            for day in regimen.days:
                _add(g, c, INO.administrationDay, day)
            _add(g, c, INO.route, regimen.route)
            if regimen.cycle_length is not None:
                if regimen.cycle_length.isdigit():
                    _add(g, c, INO.cycleLengthDays, int(regimen.cycle_length))
                _add(g, c, INO.cycleLengthText, regimen.cycle_length)
            _add(g, c, INO.maxCycles, regimen.max_cycles)
            _add(g, c, INO.note, regimen.note)
            _add(g, c, INO.quote, regimen.quote)
    for cutoff in curation.cutoffs:
        c = cutoff_iri(cutoff.id)
        g.add((c, RDF.type, INO.DataCutoff))
        g.add((c, INO.ofTrial, trial_iri(cutoff.trial)))
        _add(g, c, RDFS.label, cutoff.label)
        if cutoff.date is not None:
            g.add((c, INO.cutoffDate, Literal(cutoff.date.isoformat(), datatype=XSD.date)))
        _add(g, c, INO.quote, cutoff.quote)
    for population in curation.populations:
        n = population_iri(population.id)
        if evidence.populations[population.id] is not population:
            # a later publication's own name for a population defined elsewhere
            if population.label != evidence.populations[population.id].label:
                _add(g, n, SKOS.altLabel, population.label)
            _add(g, n, INO.note, population.note)
            continue
        g.add((n, RDF.type, INO.AnalysisPopulation))
        if population.kind == "subgroup":
            g.add((n, RDF.type, INO.Subgroup))
        g.add((n, INO.ofTrial, trial_iri(population.trial)))
        _add(g, n, RDFS.label, population.label)
        _add(g, n, INO.populationKind, population.kind)
        if population.parent:
            g.add((n, INO.parentPopulation, population_iri(population.parent)))
        _add(g, n, INO.definingCharacteristic, population.characteristic)
        _add(g, n, INO.note, population.note)
    for endpoint in curation.endpoints:
        e = endpoint_iri(endpoint.id)
        owner = evidence.endpoints[endpoint.id] is endpoint
        if owner:
            g.add((e, RDF.type, INO.Endpoint))
            _add(g, e, RDFS.label, endpoint.label)
            _add(g, e, INO.endpointKind, endpoint.kind)
        elif endpoint.label != evidence.endpoints[endpoint.id].label:
            _add(g, e, SKOS.altLabel, endpoint.label)
        _add(g, e, INO.definition, endpoint.definition)
        if endpoint.role is not None and pub.kind != "review":
            # the role belongs to the trial: CR/CRi is primary in INO-VATE, not everywhere
            for trial_id in pub.reports_trials:
                g.add((trial_iri(trial_id), _ROLE_PROPERTIES[endpoint.role], e))
    for result in curation.results:
        _add_result(g, result, p, source, anchors.get(result.id), kinds[result.id])


_ROLE_PROPERTIES = {
    "primary": INO.primaryEndpoint,
    "secondary": INO.secondaryEndpoint,
    "exploratory": INO.exploratoryEndpoint,
}


def value_qualifier(result: Result) -> str | None:
    """The curated qualifier; for a P value result, the printed relation ("<0.001" -> "<")."""
    if result.qualifier is not None:
        return result.qualifier
    if result.measure == "p_value" and result.p_relation_and_number is not None:
        relation = result.p_relation_and_number[0]
        return None if relation == "=" else relation
    return None


def _printed(number: float | None, quote: str | None, override: str | None = None) -> str | None:
    if number is None:
        return None
    if override is not None:
        return override
    return printed_as(number, quote) if quote is not None else None


def _add_result(
    g: Graph, result: Result, pub: URIRef, source: URIRef, anchor: Anchor | None, kind: AssignedKind
) -> None:
    r = result_iri(result.id)
    g.add((r, RDF.type, INO.Result))
    g.add((r, RDF.type, MEASURE_CLASSES[result.measure]))
    _add(g, r, DCTERMS.identifier, result.id)
    g.add((r, INO.reportedIn, pub))
    g.add((r, INO.endpoint, endpoint_iri(result.endpoint)))
    if result.trial:
        g.add((r, INO.aboutTrial, trial_iri(result.trial)))
    if result.population:
        g.add((r, INO.population, population_iri(result.population)))
    if result.arm:
        g.add((r, INO.arm, arm_iri(result.arm)))
    if result.comparator:
        g.add((r, INO.comparator, arm_iri(result.comparator)))
    if result.cutoff:
        g.add((r, INO.cutoff, cutoff_iri(result.cutoff)))
    _add(g, r, INO.value, result.value)
    # xsd:decimal forgets "0.70"; the printed form is kept as a string of its own
    _add(g, r, INO.valueAsPrinted, _printed(result.value, result.quote, result.value_as_printed))
    _add(g, r, INO.valueQualifier, value_qualifier(result))
    _add(g, r, INO.unit, result.unit)
    _add(g, r, INO.numerator, result.n)
    _add(g, r, INO.denominator, result.N)
    if result.ci is not None:
        _add(g, r, INO.ciLower, result.ci[0])
        _add(g, r, INO.ciUpper, result.ci[1])
        _add(g, r, INO.ciLowerAsPrinted, _printed(result.ci[0], result.quote))
        _add(g, r, INO.ciUpperAsPrinted, _printed(result.ci[1], result.quote))
    _add(g, r, INO.ciLevel, result.ci_level)
    if result.p_value is not None:
        relation, number = result.p_relation_and_number or ("=", 0.0)
        _add(g, r, INO.pValue, result.p_value)
        _add(g, r, INO.pValueNumeric, number)
        _add(g, r, INO.pValueRelation, relation)
    _add(g, r, INO.pSided, result.p_sided)
    g.add((r, INO.analysisKind, ANALYSIS_KIND_INDIVIDUALS[kind.kind]))
    _add(g, r, INO.analysisKindBasis, kind.basis.value)
    if result.alpha is not None:
        _add(g, r, INO.significanceThreshold, result.alpha)
        _add(g, r, INO.thresholdSided, result.alpha_sided)
        _add(g, r, INO.thresholdQuote, result.alpha_quote)
    _add(g, r, INO.statisticalTest, result.test)
    _add(g, r, INO.timepoint, result.timepoint)
    if result.range is not None:
        _add(g, r, INO.rangeLower, result.range[0])
        _add(g, r, INO.rangeUpper, result.range[1])
    _add(g, r, INO.category, result.category)
    _add(g, r, INO.grade, result.grade)
    _add(g, r, INO.serious, result.serious)
    _add(g, r, INO.setting, result.setting)
    _add(g, r, INO.note, result.note)
    _add(g, r, INO.sourceInconsistency, result.source_inconsistency)
    _add(g, r, INO.curationLine, result.origin.line)
    if result.cited_origin:
        origin = publication_iri(result.cited_origin)
        g.add((r, INO.citedOrigin, origin))
        g.add((r, PROV.hadPrimarySource, origin))
    if result.derived is not None:
        g.add((r, INO.isDerived, Literal(True)))
        _add(g, r, INO.derivationMethod, result.derived.method)
        for source_id in result.derived.sources:
            g.add((r, INO.derivedFrom, result_iri(source_id)))
            g.add((r, PROV.wasDerivedFrom, result_iri(source_id)))

    loc = DATA[f"result/{result.id}/location"]
    g.add((r, INO.location, loc))
    g.add((loc, RDF.type, INO.Location))
    for prop, text in (
        (INO.section, result.location.section),
        (INO.subsection, result.location.subsection),
        (INO.table, result.location.table),
        (INO.figure, result.location.figure),
        (INO.row, result.location.row),
        (INO.column, result.location.column),
    ):
        _add(g, loc, prop, text)
    _add(g, loc, RDFS.label, str(result.location))

    if result.quote is None:
        return
    _add(g, r, INO.quote, result.quote)
    g.add((r, PROV.wasQuotedFrom, pub))
    if anchor is None:
        return
    ann = DATA[f"annotation/{result.id}"]
    target = DATA[f"annotation/{result.id}/target"]
    quote_selector = DATA[f"annotation/{result.id}/quote-selector"]
    position_selector = DATA[f"annotation/{result.id}/position-selector"]
    g.add((r, PROV.wasDerivedFrom, ann))
    g.add((ann, RDF.type, OA.Annotation))
    g.add((ann, RDF.type, PROV.Entity))
    g.add((ann, OA.motivatedBy, OA.identifying))
    g.add((ann, OA.hasBody, r))
    g.add((ann, OA.hasTarget, target))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, source))
    g.add((target, OA.hasSelector, quote_selector))
    g.add((target, OA.hasSelector, position_selector))
    g.add((quote_selector, RDF.type, OA.TextQuoteSelector))
    g.add((quote_selector, OA.exact, Literal(anchor.exact)))
    g.add((quote_selector, OA.prefix, Literal(anchor.prefix)))
    g.add((quote_selector, OA.suffix, Literal(anchor.suffix)))
    g.add((position_selector, RDF.type, OA.TextPositionSelector))
    # xsd:integer, not the spec's xsd:nonNegativeInteger: Oxigraph stores the latter as the
    # former, and one datatype in every store keeps queries and round trips exact
    g.add((position_selector, OA.start, Literal(anchor.start, datatype=XSD.integer)))
    g.add((position_selector, OA.end, Literal(anchor.end, datatype=XSD.integer)))
