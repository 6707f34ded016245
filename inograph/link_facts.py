"""What the linker reads: the same-quantity key of each result and the facts that classify it.

:func:`read_results` turns every keyable result of a built dataset into :class:`ResultFacts`
(its :class:`QuantityKey` and the population, cutoff, P value, numerator, denominator and
quote that the rules of :mod:`inograph.links` compare); :func:`facets` adds the parts of
results that are also compared with results of another statistic (a percentage's n, a hazard
ratio's P, a selected population's size).  The key, the scopes, the label normalisation and the
facets are documented with the rules in the docstring of :mod:`inograph.links`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from inograph.graph_builder import MEASURE_CLASSES
from inograph.namespaces import CITO, DCTERMS, INO, RDF, RDFS

__all__ = [
    "POPULATION_SCOPES",
    "SAME_POPULATION",
    "SELECTING_ENDPOINTS",
    "SIZE_ENDPOINT",
    "STATISTIC_LABELS",
    "WHOLE_SCOPE",
    "WHOLE_TRIAL_KINDS",
    "Facet",
    "QuantityKey",
    "ResultFacts",
    "facets",
    "read_results",
]

#: Population kinds that describe the whole trial (an analysis set, not a selection of patients).
WHOLE_TRIAL_KINDS: Final = frozenset(
    {"itt", "mitt", "safety", "remission-analysis", "as-treated", "per-protocol", "treated"}
)
WHOLE_SCOPE: Final = "whole trial"

#: Explicit scopes for populations the curators named differently in different reports.
#: Populations not listed are whole-trial (by kind) or their own scope.
POPULATION_SCOPES: Final[Mapping[str, str]] = {
    # analysis sets of kind "other" that still span the whole trial
    "inovate-randomized-2014": WHOLE_SCOPE,
    "inovate-cox": WHOLE_SCOPE,
    # CR/CRi responders: adjudicated (2016), investigator-assessed (2016, 2019), abstract (2015)
    "inovate-itt218-crcri": "CR/CRi responders",
    "inovate-itt218-crcri-inv": "CR/CRi responders",
    "inovate-itt-crcri": "CR/CRi responders",
    "morley2016-inovate-itt218-crcri": "CR/CRi responders",
    # patients who proceeded to stem-cell transplantation
    "inovate-itt218-hsct": "proceeded to HSCT",
    "inovate-safety-hsct": "proceeded to HSCT",
    "inovate-safety-hsct-final": "proceeded to HSCT",
    "inovate-sg-followup-hsct": "proceeded to HSCT",
    "mda-phase2-hsct": "proceeded to HSCT",
    "morley2016-mda-phase2-single-hsct": "proceeded to HSCT",
}

#: Populations that are one selection of patients under two ids (the same definition at a
#: later cutoff): compared as the same population, so their pair is ``updated``.
SAME_POPULATION: Final[Mapping[str, str]] = {"inovate-safety-hsct-final": "inovate-safety-hsct"}


@dataclass(frozen=True, order=True)
class QuantityKey:
    """What a result measures, independent of who printed it, when, and over which analysis set."""

    trial: str
    endpoint: str
    measure: str
    arm: str = ""
    comparator: str = ""
    category: str = ""
    grade: str = ""
    timepoint: str = ""
    serious: str = ""
    setting: str = ""
    scope: str = WHOLE_SCOPE

    def __str__(self) -> str:
        parts = [self.trial, self.endpoint, self.measure]
        for name in ("arm", "comparator", "category", "grade", "timepoint", "serious", "setting"):
            if value := getattr(self, name):
                parts.append(f"{name} {value}")
        parts.append(f"scope {self.scope}")
        return " · ".join(parts)


class Facet(StrEnum):
    """A part of a result that is compared with results of another measure."""

    NUMERATOR = "numerator"  # the n of a percentage, compared with counts
    P_VALUE = "p_value"  # the P printed on a hazard ratio or difference, compared with P values
    SIZE = "size"  # the size of a selected population, compared with counts of what selects it


@dataclass(frozen=True)
class ResultFacts:
    """One result as the linker reads it from the graph (ids are the curation ids)."""

    iri: URIRef
    result_id: str
    publication: str
    key: QuantityKey
    value: Decimal | None
    value_text: str | None
    range: tuple[Decimal, Decimal] | None
    unit: str | None
    population: str | None
    population_label: str | None
    population_kind: str | None
    population_parent: str | None
    cutoff: str | None
    cutoff_date: str | None
    p_relation: str | None
    p_sided: str | None
    quote: str | None
    location: str | None
    cited_origin: str | None
    publication_year: int = 0
    publication_cites: frozenset[str] = frozenset()  # short ids of the works its publication cites
    numerator: Decimal | None = None  # the n of a percentage (or of a count)
    denominator: Decimal | None = None  # the N of a percentage or count
    p_number: Decimal | None = None  # the P value printed on a result of another measure
    source_inconsistency: str | None = None  # documented by the curator
    population_defined_in: str | None = None  # the publication whose file defines the population
    parent_kind: str | None = None  # kind and label of the population's parent population
    parent_label: str | None = None
    row_label: str | None = None  # the category as curated (the key holds it normalised)
    truncation: str | None = None  # the time point of an RMST (its truncation time)
    facet: Facet | None = None  # set on a facet: which part of another result it stands for
    facet_of: str | None = None  # the measure of the result a facet belongs to

    @property
    def numerator_of(self) -> str | None:
        """The measure of the percentage whose n this count facet carries (None otherwise)."""
        return self.facet_of if self.facet is Facet.NUMERATOR else None

    @property
    def restates_in_own_population(self) -> bool:
        """A restated figure whose population the restating publication named itself."""
        return self.cited_origin is not None and self.population_defined_in == self.publication

    @property
    def decimals(self) -> int:
        """Printed decimals: the literal's, or the quote's when it prints trailing zeros (5.0)."""
        if self.value_text is None:
            return 0
        places = len(self.value_text.split(".")[1]) if "." in self.value_text else 0
        if places == 0 and self.quote:
            match = re.search(rf"(?<![\d.]){re.escape(self.value_text)}\.(0+)(?!\d)", self.quote)
            if match:
                places = len(match.group(1))
        return places

    def as_dict(self) -> dict[str, Any]:
        return {
            "result_id": self.result_id,
            "part": self.facet.value if self.facet else None,
            "publication": self.publication,
            "value": float(self.value) if self.value is not None else None,
            "range": [float(x) for x in self.range] if self.range else None,
            "unit": self.unit,
            "population": self.population,
            "cutoff": self.cutoff,
            "cutoff_date": self.cutoff_date,
            "quote": self.quote,
            "location": self.location,
            "cited_origin": self.cited_origin,
            "iri": str(self.iri),
        }


# ------------------------------------------------------------------------------------ reading

_RESULT_PROPERTIES: Final = (
    DCTERMS.identifier, INO.reportedIn, INO.aboutTrial, INO.endpoint, INO.arm, INO.comparator,
    INO.category, INO.grade, INO.timepoint, INO.serious, INO.setting, INO.population,
    INO.cutoff, INO.value, INO.rangeLower, INO.rangeUpper, INO.unit, INO.pValueRelation,
    INO.pSided, INO.quote, INO.location, INO.citedOrigin, INO.numerator, INO.denominator,
    INO.pValueNumeric, INO.sourceInconsistency,
)  # fmt: skip
_MEASURE_NAMES: Final = {iri: name for name, iri in MEASURE_CLASSES.items()}


def _local(node: Node | None) -> str:
    """The curation id at the end of an ``inod:`` IRI (``.../arm/inovate-ino`` → ``inovate-ino``)."""
    return "" if node is None else str(node).rsplit("/", 1)[-1]


def _index(dataset: Graph, predicates: Iterable[URIRef]) -> dict[URIRef, dict[URIRef, Node]]:
    table: dict[URIRef, dict[URIRef, Node]] = defaultdict(dict)
    for predicate in predicates:
        for s, o in dataset.subject_objects(predicate):
            if isinstance(s, URIRef):
                table[s][predicate] = o
    return table


def read_results(dataset: Graph) -> dict[URIRef, ResultFacts]:
    """Every keyable result in ``dataset`` (not modified), with its key and the facts that classify it."""
    results = _index(dataset, _RESULT_PROPERTIES)
    measures = {
        s: _MEASURE_NAMES[o]
        for s, o in dataset.subject_objects(RDF.type)
        if isinstance(o, URIRef) and o in _MEASURE_NAMES
    }
    nodes = _index(
        dataset,
        (INO.shortId, INO.publicationYear, INO.populationKind, INO.parentPopulation, RDFS.label,
         INO.cutoffDate),
    )  # fmt: skip
    cites: dict[Node, set[str]] = defaultdict(set)
    for citing, cited in dataset.subject_objects(CITO.cites):
        cites[citing].add(_local(cited))
    defined_in = _defining_publications(dataset)
    facts: dict[URIRef, ResultFacts] = {}
    for iri, row in results.items():
        measure = measures.get(iri)
        if INO.reportedIn not in row or measure is None or measure == "other":
            continue
        if INO.aboutTrial not in row:
            continue
        if INO.population not in row and INO.cutoff not in row:
            continue  # a statement of the protocol (a dose, a design parameter), not an analysis
        population = row.get(INO.population)
        pop_id = _local(population) if population is not None else None
        pop = nodes.get(population, {}) if isinstance(population, URIRef) else {}
        parent_node = pop.get(INO.parentPopulation)
        parent = nodes.get(parent_node, {}) if isinstance(parent_node, URIRef) else {}
        kind = str(pop[INO.populationKind]) if INO.populationKind in pop else None
        if pop_id is None or kind in WHOLE_TRIAL_KINDS:
            scope = WHOLE_SCOPE
        else:
            scope = POPULATION_SCOPES.get(pop_id, pop_id)
        if pop_id is not None and pop_id in POPULATION_SCOPES and POPULATION_SCOPES[pop_id] == WHOLE_SCOPE:
            scope = WHOLE_SCOPE
        serious = row.get(INO.serious)
        key = QuantityKey(
            trial=_local(row[INO.aboutTrial]),
            endpoint=_local(row[INO.endpoint]),
            measure=measure,
            arm=_local(row.get(INO.arm)),
            comparator=_local(row.get(INO.comparator)),
            category=_category(row.get(INO.category)),
            grade=str(row.get(INO.grade) or ""),
            # an RMST's time point is its truncation time: a definition, compared by the rules
            timepoint="" if measure == "rmst" else str(row.get(INO.timepoint) or ""),
            serious="" if serious is None else str(serious).lower(),
            setting=_setting(row.get(INO.setting), scope),
            scope=scope,
        )
        publication = nodes.get(row[INO.reportedIn], {})  # type: ignore[call-overload]
        cutoff = row.get(INO.cutoff)
        cutoff_node = nodes.get(cutoff, {}) if isinstance(cutoff, URIRef) else {}
        value = row.get(INO.value)
        lower, upper = row.get(INO.rangeLower), row.get(INO.rangeUpper)
        location = row.get(INO.location)
        year = publication.get(INO.publicationYear)
        facts[iri] = ResultFacts(
            iri=iri,
            result_id=str(row.get(DCTERMS.identifier) or _local(iri)),
            publication=str(publication.get(INO.shortId) or _local(row[INO.reportedIn])),
            key=key,
            value=Decimal(str(value)) if value is not None else None,
            value_text=str(value) if value is not None else None,
            range=(Decimal(str(lower)), Decimal(str(upper)))
            if lower is not None and upper is not None
            else None,
            unit=str(row[INO.unit]) if INO.unit in row else None,
            population=pop_id,
            population_label=str(pop[RDFS.label]) if RDFS.label in pop else None,
            population_kind=kind,
            population_parent=_local(pop.get(INO.parentPopulation)) or None,
            cutoff=_local(cutoff) if cutoff is not None else None,
            cutoff_date=str(cutoff_node[INO.cutoffDate]) if INO.cutoffDate in cutoff_node else None,
            p_relation=str(row[INO.pValueRelation]) if INO.pValueRelation in row else None,
            p_sided=str(row[INO.pSided]) if INO.pSided in row else None,
            quote=str(row[INO.quote]) if INO.quote in row else None,
            location=str(dataset.value(location, RDFS.label)) if isinstance(location, URIRef) else None,
            cited_origin=_local(row.get(INO.citedOrigin)) or None,
            publication_year=int(str(year)) if year is not None else 0,
            publication_cites=frozenset(cites.get(row[INO.reportedIn], ())),
            numerator=_decimal(row.get(INO.numerator)),
            denominator=_decimal(row.get(INO.denominator)),
            p_number=_decimal(row.get(INO.pValueNumeric)),
            source_inconsistency=_text(row.get(INO.sourceInconsistency)),
            population_defined_in=defined_in.get(population) if population is not None else None,
            parent_kind=_text(parent.get(INO.populationKind)),
            parent_label=_text(parent.get(RDFS.label)),
            row_label=_text(row.get(INO.category)),
            truncation=_text(row.get(INO.timepoint)) if measure == "rmst" else None,
        )
    return facts


def _text(node: Node | None) -> str | None:
    return None if node is None else str(node)


def _decimal(node: Node | None) -> Decimal | None:
    return None if node is None else Decimal(str(node))


#: Row labels that only name the statistic printed in the row ("Median — yr", "Range"): they
#: select no patients, so they are not part of the key (Table 1 of one report labels its
#: median row, the other report prints the median in a row named for the characteristic).
STATISTIC_LABELS: Final = frozenset({"median", "range", "median (range)", "mean", "no.", "no. (%)"})


#: Words that only say "after the transplant": in a population selected by transplantation
#: such a setting restates the selection ("post-HSCT", "after allogeneic SCT", "after post-trial
#: stem-cell transplantation" are one setting there).
_TRANSPLANT_WORDS: Final = frozenset(
    {"after", "post", "hsct", "sct", "allogeneic", "stem", "cell", "transplant", "transplantation",
     "trial", "subsequent"}
)  # fmt: skip


def _label(node: Node | None) -> str:
    """A row label or setting as a key part: case, spacing and the two spellings of >= and <=
    ("≥50%" in one report's Table 1, ">=50%" in the other's) do not tell quantities apart."""
    text = " ".join(str(node or "").split()).casefold()
    return text.replace("≥", ">=").replace("≤", "<=")


def _setting(node: Node | None, scope: str) -> str:
    text = _label(node)
    if scope == "proceeded to HSCT" and set(re.findall(r"[a-z]+", text.lower())) <= _TRANSPLANT_WORDS:
        return ""
    return text


def _category(node: Node | None) -> str:
    text = _label(node)
    return "" if text in STATISTIC_LABELS else text


def _defining_publications(dataset: Graph) -> dict[Node, str]:
    """Population IRI → short id of the publication whose named graph defines it (its type)."""
    if not isinstance(dataset, Dataset):
        return {}
    return {
        s: _local(g.identifier if isinstance(g, Graph) else g)
        for s, _, _, g in dataset.quads((None, RDF.type, INO.AnalysisPopulation, None))
        if g is not None
    }


#: Selected populations whose size is a count of the endpoint that selects them, in the parent:
#: the 48 patients of "Of the 48 patients ... who underwent stem-cell transplantation after the
#: trial" are a count of transplants in the safety population.  CR/CRi responders are not
#: listed: they are selected by an assessment (adjudicated 88, investigator 85) that the
#: ``cr-cri`` endpoint does not name, so their size is not a count of that endpoint.
SELECTING_ENDPOINTS: Final[Mapping[str, str]] = {"proceeded to HSCT": "hsct"}
SIZE_ENDPOINT: Final = "population-size"
#: Between-arm statistics whose printed P value is also compared with P values printed alone.
_P_CARRIERS: Final = frozenset({"hazard_ratio", "difference", "odds_ratio", "rmst", "median"})


def facets(facts: Iterable[ResultFacts]) -> list[ResultFacts]:
    """The parts of results that also take part in the groups of another measure.

    * numerator: the n of a percentage is a count ("15 patients (11%)" in one report and "VOD
      was seen in 13 patients" in another count the same thing);
    * P value: the P printed on a between-arm hazard ratio or difference ("hazard ratio ...
      0.55 ...; P=0.03") is a P value of that comparison ("p=0.0169" printed alone);
    * size: the size of a population selected by an endpoint (:data:`SELECTING_ENDPOINTS`)
      is a count of that endpoint in the parent population.
    """
    out: list[ResultFacts] = []
    for r in facts:
        if r.key.measure == "percentage" and r.numerator is not None:
            out.append(
                replace(
                    r, key=replace(r.key, measure="count"), value=r.numerator,
                    value_text=str(r.numerator), unit=None, range=None,
                    facet=Facet.NUMERATOR, facet_of=r.key.measure,
                )
            )  # fmt: skip
        if r.key.measure in _P_CARRIERS and r.p_number is not None and r.key.comparator:
            out.append(
                replace(
                    r, key=replace(r.key, measure="p_value"), value=r.p_number,
                    value_text=str(r.p_number), unit=None, range=None, numerator=None,
                    denominator=None, facet=Facet.P_VALUE, facet_of=r.key.measure,
                )
            )  # fmt: skip
        selecting = SELECTING_ENDPOINTS.get(r.key.scope)
        is_size = r.key.endpoint == SIZE_ENDPOINT and r.key.measure == "count"
        if is_size and selecting and r.value is not None:
            parent_scope = (
                WHOLE_SCOPE
                if r.parent_kind in WHOLE_TRIAL_KINDS
                else POPULATION_SCOPES.get(r.population_parent or "", r.population_parent or "")
            )
            out.append(
                replace(
                    r, key=replace(r.key, endpoint=selecting, scope=parent_scope),
                    population=r.population_parent, population_kind=r.parent_kind,
                    population_label=r.parent_label, population_parent=None,
                    population_defined_in=None, denominator=None,
                    facet=Facet.SIZE, facet_of=f"size of {r.population}",
                )
            )  # fmt: skip
    return out
