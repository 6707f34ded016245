"""Linking the evidence across sources: which results measure the same quantity, and how they relate.

Four publications print many of the same numbers: the INO-VATE primary report (kantarjian2016)
and its final report (kantarjian2019), a review restating both trials (morley2016), abstracts
repeating their own results sections.  This module finds those results in the RDF, classifies
every pair, and writes the links back into the graph (named graph ``inog:links``) so that
SPARQL can ask for them.

The same-quantity key
    Two results measure the same quantity when they agree on every part of
    :class:`QuantityKey`, read from the graph: trial, endpoint, measure class, arm, comparator,
    category, grade, timepoint, seriousness, setting, and the population *scope*.  The scope is
    coarser than the population on purpose: whole-trial analysis sets (ITT, mITT, safety,
    remission-analysis, as-treated, ...) share one scope, so that an ITT and an as-treated
    value of the same rate are linked and then classified ``different_population``; the
    responder and transplant sets named in :data:`POPULATION_SCOPES` share one scope each; any
    other restricted population (a subgroup) is its own scope.  Results of class
    ``ino:OtherStatistic`` (the curator's "anything else", see ``note``) and results without a
    trial are never keyed: two of them can share every key part and still be different things.

The classification rules (:func:`classify`), in this order
    1. populations differ, both stated: ``different_definition`` when both are restrictions
       of the same parent set by different criteria (adjudicated vs investigator-assessed
       CR/CRi responders of the first 218), else ``different_population`` (ITT vs
       remission-analysis, ITT vs as-treated);
    2. the unit, or the sidedness of a P value, differs: ``different_definition``;
    3. no population stated on a side: ``agrees`` if the values are equal within rounding,
       else ``undecided`` (the rules cannot tell which analysis each side is);
    4. the same cutoff (equal, or none on both sides within one publication): ``agrees`` if
       equal within rounding, else ``conflict``;
    5. two dated, different cutoffs: ``updated`` (the later result revises the earlier);
    6. a cutoff unknown or undated on a side: ``agrees`` if equal; a restated figure (one with
       a cited origin) that differs from another report of the same population is a
       ``conflict``, unless that report's dated cutoff falls after the year the restatement was
       published (``updated``: restated data predate their publication) or that report cites
       the restated figure's origin (it may be a later analysis of it: ``undecided``); any other
       difference is ``undecided``.

Rounding
    Two values are equal when they agree at the coarser printed precision: ``22.8`` and ``23``
    are equal (|d| <= 0.5), ``5.0`` and ``5.1`` are not.  A P value printed as a bound
    (``<0.001``) agrees with any value or bound it is consistent with (``<0.0001``).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from itertools import combinations
from typing import Any, Final

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from inograph.graph_builder import MEASURE_CLASSES
from inograph.namespaces import CITO, DATA, DCTERMS, GRAPH, INO, PROV, RDF, RDFS, XSD

__all__ = [
    "LINKS_GRAPH",
    "POPULATION_SCOPES",
    "WHOLE_TRIAL_KINDS",
    "Classification",
    "Cluster",
    "Link",
    "LinkReport",
    "QuantityKey",
    "ResultFacts",
    "add_links",
    "classify",
    "find_links",
    "link_dataset",
    "link_iri",
    "read_results",
    "render_json",
    "render_table",
    "values_equal",
]

LINKS_GRAPH: Final = GRAPH["links"]

#: Population kinds that describe the whole trial (an analysis set, not a selection of patients).
WHOLE_TRIAL_KINDS: Final = frozenset(
    {"itt", "mitt", "safety", "remission-analysis", "as-treated", "per-protocol", "treated"}
)
_WHOLE: Final = "whole trial"

#: Explicit scopes for populations the curators named differently in different reports.
#: Populations not listed are whole-trial (by kind) or their own scope.
POPULATION_SCOPES: Final[Mapping[str, str]] = {
    # analysis sets of kind "other" that still span the whole trial
    "inovate-randomized-2014": _WHOLE,
    "inovate-cox": _WHOLE,
    # CR/CRi responders: adjudicated (2016), investigator-assessed (2016, 2019)
    "inovate-itt218-crcri": "CR/CRi responders",
    "inovate-itt218-crcri-inv": "CR/CRi responders",
    "inovate-itt-crcri": "CR/CRi responders",
    # patients who proceeded to stem-cell transplantation
    "inovate-itt218-hsct": "proceeded to HSCT",
    "inovate-safety-hsct": "proceeded to HSCT",
    "inovate-sg-followup-hsct": "proceeded to HSCT",
}

#: Populations that are one selection of patients under two ids, compared as the same
#: population.  Empty: a population reported at two cutoffs is one id with a size per cutoff
#: (docs/curation.md), so no alias is needed; kept for curations that still split one.
SAME_POPULATION: Final[Mapping[str, str]] = {}


class Classification(StrEnum):
    """How two results of the same quantity relate; the order is the report order."""

    CONFLICT = "conflict"
    UNDECIDED = "undecided"
    DIFFERENT_DEFINITION = "different_definition"
    DIFFERENT_POPULATION = "different_population"
    UPDATED = "updated"
    AGREES = "agrees"

    @property
    def rank(self) -> int:
        return list(Classification).index(self)


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
    scope: str = _WHOLE

    def __str__(self) -> str:
        parts = [self.trial, self.endpoint, self.measure]
        for name in ("arm", "comparator", "category", "grade", "timepoint", "serious", "setting"):
            if value := getattr(self, name):
                parts.append(f"{name} {value}")
        parts.append(f"scope {self.scope}")
        return " · ".join(parts)


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
    numerator: Decimal | None = None  # the n of a percentage
    numerator_of: str | None = None  # set on the count facet of a percentage: its measure

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


@dataclass(frozen=True)
class Link:
    """A classified pair; ``source`` is the earlier report where there is one."""

    source: ResultFacts
    target: ResultFacts
    classification: Classification
    reason: str
    difference: Decimal | None

    @property
    def iri(self) -> URIRef:
        return link_iri(self.source.result_id, self.target.result_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "a": self.source.result_id,
            "b": self.target.result_id,
            "classification": self.classification.value,
            "reason": self.reason,
            "difference": float(self.difference) if self.difference is not None else None,
        }


@dataclass(frozen=True)
class Cluster:
    """All results of one same-quantity key, and every pair of them classified."""

    key: QuantityKey
    members: tuple[ResultFacts, ...]
    links: tuple[Link, ...]

    @property
    def worst(self) -> Classification:
        return min((link.classification for link in self.links), key=lambda c: c.rank)


@dataclass(frozen=True)
class LinkReport:
    """Every cluster of same-quantity results, conflicts first."""

    clusters: tuple[Cluster, ...]
    keyed_results: int = 0
    counts: Mapping[Classification, int] = field(default_factory=dict)

    @property
    def links(self) -> tuple[Link, ...]:
        return tuple(link for cluster in self.clusters for link in cluster.links)

    def only(self, kinds: Iterable[Classification]) -> LinkReport:
        """The clusters with pairs of the given kinds, each cut down to those pairs."""
        wanted = set(kinds)
        clusters = []
        for cluster in self.clusters:
            links = tuple(link for link in cluster.links if link.classification in wanted)
            if not links:
                continue
            ids = {r.result_id for link in links for r in (link.source, link.target)}
            members = tuple(m for m in cluster.members if m.result_id in ids)
            clusters.append(Cluster(cluster.key, members, links))
        return LinkReport(tuple(clusters), self.keyed_results, _count(clusters))


def link_iri(source_id: str, target_id: str) -> URIRef:
    return DATA[f"link/{source_id}--{target_id}"]


# ------------------------------------------------------------------------------------ reading

_RESULT_PROPERTIES: Final = (
    DCTERMS.identifier, INO.reportedIn, INO.aboutTrial, INO.endpoint, INO.arm, INO.comparator,
    INO.category, INO.grade, INO.timepoint, INO.serious, INO.setting, INO.population,
    INO.cutoff, INO.value, INO.rangeLower, INO.rangeUpper, INO.unit, INO.pValueRelation,
    INO.pSided, INO.quote, INO.location, INO.citedOrigin, INO.numerator,
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
        kind = str(pop[INO.populationKind]) if INO.populationKind in pop else None
        if pop_id is None or kind in WHOLE_TRIAL_KINDS:
            scope = _WHOLE
        else:
            scope = POPULATION_SCOPES.get(pop_id, pop_id)
        if pop_id is not None and pop_id in POPULATION_SCOPES and POPULATION_SCOPES[pop_id] == _WHOLE:
            scope = _WHOLE
        serious = row.get(INO.serious)
        key = QuantityKey(
            trial=_local(row[INO.aboutTrial]),
            endpoint=_local(row[INO.endpoint]),
            measure=measure,
            arm=_local(row.get(INO.arm)),
            comparator=_local(row.get(INO.comparator)),
            category=str(row.get(INO.category) or ""),
            grade=str(row.get(INO.grade) or ""),
            timepoint=str(row.get(INO.timepoint) or ""),
            serious="" if serious is None else str(serious).lower(),
            setting=str(row.get(INO.setting) or ""),
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
            numerator=Decimal(str(row[INO.numerator])) if INO.numerator in row else None,
        )
    return facts


# ------------------------------------------------------------------------------------ rules


def _numbers(r: ResultFacts) -> tuple[Decimal, ...]:
    if r.value is not None:
        return (r.value,)
    return r.range or ()


def values_equal(a: ResultFacts, b: ResultFacts) -> bool | None:
    """Equal at the coarser printed precision (None when a side has no number to compare).

    A P value printed as a bound is an interval: ``<0.001`` and ``<0.0001`` are consistent.
    """
    na, nb = _numbers(a), _numbers(b)
    if not na or len(na) != len(nb):
        return None
    if a.key.measure == "p_value" and "<" in f"{a.p_relation}{b.p_relation}":
        return _p_consistent(a, b)
    tolerance = Decimal(5) * Decimal(10) ** -(min(a.decimals, b.decimals) + 1)
    return all(abs(x - y) <= tolerance for x, y in zip(na, nb, strict=True))


def _p_consistent(a: ResultFacts, b: ResultFacts) -> bool:
    """Two P values with ``<``/``<=`` bounds overlap unless a point lies above the other's bound."""
    assert a.value is not None and b.value is not None
    for point, bound in ((a, b), (b, a)):
        if (point.p_relation or "=") == "=" and (bound.p_relation or "").startswith("<"):
            limit = bound.value
            assert limit is not None and point.value is not None
            if point.value > limit or (point.value == limit and bound.p_relation == "<"):
                return False
    return True


def _show(r: ResultFacts) -> str:
    if r.numerator_of and r.value is not None:
        return f"n={r.value}"
    if r.value is not None:
        relation = r.p_relation if r.key.measure == "p_value" and r.p_relation not in (None, "=") else ""
        return f"{relation}{r.value:.{r.decimals}f}" + (f" {r.unit}" if r.unit else "")
    if r.range:
        return f"{r.range[0]}-{r.range[1]}" + (f" {r.unit}" if r.unit else "")
    return "no value"


def _population(r: ResultFacts) -> str:
    return f"{r.population} ({r.population_kind}: {r.population_label})"


def _same_population(a: ResultFacts, b: ResultFacts) -> bool:
    pa = SAME_POPULATION.get(a.population or "", a.population)
    pb = SAME_POPULATION.get(b.population or "", b.population)
    return pa == pb


def _definition_notes(a: ResultFacts, b: ResultFacts) -> list[str]:
    """Differences of definition worth naming even when another rule decides the class."""
    notes = []
    if a.unit and b.unit and a.unit != b.unit:
        notes.append(f"unit {a.unit!r} vs {b.unit!r}")
    if a.p_sided and b.p_sided and a.p_sided != b.p_sided:
        notes.append(f"{a.p_sided}-sided vs {b.p_sided}-sided P value")
    return notes


def _restated_cutoff(r: ResultFacts, other: ResultFacts) -> str | None:
    """A restatement without a cutoff has the cutoff of the publication it restates."""
    if r.cutoff is None and r.cited_origin is not None and r.cited_origin == other.publication:
        return other.cutoff
    return r.cutoff


def classify(a: ResultFacts, b: ResultFacts) -> tuple[Classification, str]:
    """Classify two results of the same key by the rules in the module docstring, with the reason."""
    equal = values_equal(a, b)
    values = f"{_show(a)} vs {_show(b)}"
    notes = "".join(f"; also {note}" for note in _definition_notes(a, b))
    said = "values equal" if equal else "values differ" if equal is False else "no value to compare"
    # 1. populations
    if a.population and b.population and not _same_population(a, b):
        restricted = a.key.scope != _WHOLE
        if restricted and a.population_parent and a.population_parent == b.population_parent:
            return (
                Classification.DIFFERENT_DEFINITION,
                f"two selections from {a.population_parent} by different criteria: "
                f"{_population(a)} vs {_population(b)}; {said} ({values}){notes}",
            )
        return (
            Classification.DIFFERENT_POPULATION,
            f"{_population(a)} vs {_population(b)}; {said} ({values}){notes}",
        )
    # 2. definitions: unit, sidedness of a P value
    if a.unit and b.unit and a.unit != b.unit:
        return Classification.DIFFERENT_DEFINITION, f"unit {a.unit!r} vs {b.unit!r} ({values})"
    if a.key.measure == "p_value" and a.p_sided and b.p_sided and a.p_sided != b.p_sided:
        return (
            Classification.DIFFERENT_DEFINITION,
            f"{a.p_sided}-sided vs {b.p_sided}-sided P value ({values})",
        )
    # 3. population unknown on a side
    if not (a.population and b.population):
        if equal:
            return Classification.AGREES, f"population not stated on a side; values equal ({values})"
        return Classification.UNDECIDED, f"population not stated on a side; {said} ({values})"
    same_pub = a.publication == b.publication and a.cited_origin == b.cited_origin
    where = "same publication" if same_pub else f"{a.publication} and {b.publication}"
    cutoff_a, cutoff_b = _restated_cutoff(a, b), _restated_cutoff(b, a)
    # 4. same cutoff
    if cutoff_a == cutoff_b and (cutoff_a is not None or same_pub):
        cutoff = cutoff_a or "no cutoff stated, one analysis"
        if equal:
            return (
                Classification.AGREES,
                f"same population and cutoff ({cutoff}), {where}; equal within rounding ({values})",
            )
        if equal is None:
            return Classification.UNDECIDED, f"same population and cutoff ({cutoff}); no value to compare"
        return (
            Classification.CONFLICT,
            f"same population and cutoff ({cutoff}), {where}; different values ({values})",
        )
    # 5. a later dated cutoff
    if a.cutoff_date and b.cutoff_date and a.cutoff_date != b.cutoff_date:
        change = (
            "value equal within rounding"
            if equal
            else "value changed"
            if equal is False
            else "no value to compare"
        )
        return (
            Classification.UPDATED,
            f"same population, later cutoff ({a.cutoff_date} → {b.cutoff_date}); {change} ({values}){notes}",
        )
    # 6. cutoff unknown or undated
    unknown = f"cutoff {a.cutoff or 'not stated'} vs {b.cutoff or 'not stated'} cannot be ordered"
    if not same_pub and a.publication == b.publication:
        unknown += f" (restated from {a.cited_origin} vs {b.cited_origin})"
    if equal:
        return Classification.AGREES, f"same population; {unknown}; values equal ({values})"
    # the restated side is the one whose cutoff is not dated (the other may restate too)
    restated, other = (a, b) if a.cited_origin and not a.cutoff_date else (b, a)
    origin = restated.cited_origin if not restated.cutoff_date else None
    if (
        origin is not None
        and other.cutoff_date
        and restated.publication_year
        and int(other.cutoff_date[:4]) > restated.publication_year
    ):
        # data restated in a publication of year Y were cut off before Y ended
        change = "value equal within rounding" if equal else "value changed" if equal is False else "no value"
        return (
            Classification.UPDATED,
            f"same population; {restated.publication} ({restated.publication_year}) restates "
            f"{origin}, so its data predate {other.publication}'s cutoff {other.cutoff_date}; "
            f"{change} ({values})",
        )
    if equal is False and origin is not None and origin != other.publication:
        if origin in other.publication_cites or origin == other.cited_origin:
            # the other report knows the restated one: it may be a later analysis of it
            return (
                Classification.UNDECIDED,
                f"same population; {unknown}; {other.publication} cites {origin}, so its value may "
                f"update the restated one; {said} ({values})",
            )
        return (
            Classification.CONFLICT,
            f"same population; {restated.publication} restates {origin} without a cutoff and "
            f"{other.publication}, which does not cite {origin}, prints another value ({values})",
        )
    return Classification.UNDECIDED, f"same population; {unknown}; {said} ({values})"


def _order(a: ResultFacts, b: ResultFacts) -> tuple[ResultFacts, ResultFacts]:
    """Earlier report first: by cutoff date, then publication year, then id."""

    def rank(r: ResultFacts) -> tuple[str, int, str]:
        return (r.cutoff_date or "9999", r.publication_year, r.result_id)

    return (a, b) if rank(a) <= rank(b) else (b, a)


def _count(clusters: Iterable[Cluster]) -> dict[Classification, int]:
    counts = dict.fromkeys(Classification, 0)
    for cluster in clusters:
        for link in cluster.links:
            counts[link.classification] += 1
    return counts


def numerator_facets(facts: Iterable[ResultFacts]) -> list[ResultFacts]:
    """The count behind each percentage with a printed n: "15 patients (11%)" in one report and
    "VOD was seen in 13 patients" in another count the same thing."""
    return [
        replace(
            r,
            key=replace(r.key, measure="count"),
            value=r.numerator,
            value_text=str(r.numerator),
            unit=None,
            range=None,
            numerator_of=r.key.measure,
        )
        for r in facts
        if r.key.measure == "percentage" and r.numerator is not None
    ]


def find_links(dataset: Graph) -> LinkReport:
    """Group the results of ``dataset`` (not modified) by key and classify every pair in each group.

    A percentage also takes part, through its numerator, in the group of counts of its quantity;
    it is linked there only to counts printed as such (two percentages are already linked by
    their own key).
    """
    groups: dict[QuantityKey, list[ResultFacts]] = defaultdict(list)
    facts = read_results(dataset)
    for result in [*facts.values(), *numerator_facets(facts.values())]:
        groups[result.key].append(result)
    clusters = []
    for key, members in groups.items():
        if len(members) < 2:
            continue
        members.sort(key=lambda r: (r.cutoff_date or "9999", r.publication_year, r.result_id))
        links = []
        pairs = [(x, y) for x, y in combinations(members, 2) if not (x.numerator_of and y.numerator_of)]
        if not pairs:
            continue
        for x, y in pairs:
            source, target = _order(x, y)
            classification, reason = classify(source, target)
            if classification is Classification.UPDATED and source.cutoff_date and not target.cutoff_date:
                # an undated restatement revised by a dated later report: the restatement is earlier
                source, target = target, source
                classification, reason = classify(source, target)
            for side in (source, target):
                if side.numerator_of:
                    reason += f"; {side.result_id} is a {side.numerator_of}: its n is compared"
            difference = (
                target.value - source.value if source.value is not None and target.value is not None else None
            )
            links.append(Link(source, target, classification, reason, difference))
        links.sort(key=lambda k: (k.classification.rank, k.source.result_id, k.target.result_id))
        clusters.append(Cluster(key, tuple(members), tuple(links)))
    clusters.sort(key=lambda c: (c.worst.rank, c.key))
    return LinkReport(tuple(clusters), len(facts), _count(clusters))


# ------------------------------------------------------------------------------------ writing

_DIRECT: Final[Mapping[Classification, URIRef]] = {
    Classification.AGREES: INO.agreesWith,
    Classification.CONFLICT: INO.conflictsWith,
}


def add_links(dataset: Dataset, report: LinkReport) -> Graph:
    """Write ``report`` into the named graph ``inog:links`` of ``dataset`` and return that graph.

    Each pair becomes an ``ino:EvidenceLink`` node plus direct triples that SPARQL can follow
    without a reasoner: ``ino:sameQuantityAs`` both ways for every pair, ``ino:agreesWith`` /
    ``ino:conflictsWith`` both ways, and ``prov:wasRevisionOf`` from the later to the earlier
    result of an ``updated`` pair.
    """
    graph = dataset.graph(LINKS_GRAPH)
    triples: list[tuple[Node, Node, Node]] = []
    for link in report.links:
        node, a, b = link.iri, link.source.iri, link.target.iri
        triples += [
            (node, RDF.type, INO.EvidenceLink),
            (node, INO.linkSource, a),
            (node, INO.linkTarget, b),
            (node, INO.linkClassification, Literal(link.classification.value)),
            (node, INO.linkReason, Literal(link.reason)),
            (a, INO.sameQuantityAs, b),
            (b, INO.sameQuantityAs, a),
        ]
        if link.difference is not None:
            triples.append((node, INO.linkDifference, Literal(link.difference, datatype=XSD.decimal)))
        for side, predicate in ((link.source, INO.linkSourceValue), (link.target, INO.linkTargetValue)):
            # the number actually compared: a percentage's n when it was compared with a count
            if side.value is not None:
                triples.append((node, predicate, Literal(side.value, datatype=XSD.decimal)))
        if (direct := _DIRECT.get(link.classification)) is not None:
            triples += [(a, direct, b), (b, direct, a)]
        if link.classification is Classification.UPDATED:
            triples.append((b, PROV.wasRevisionOf, a))
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


def link_dataset(dataset: Dataset) -> LinkReport:
    """Find the links of ``dataset`` and add them to it (graph ``inog:links``); the build's last step."""
    report = find_links(dataset)
    add_links(dataset, report)
    return report


# ------------------------------------------------------------------------------------ reports


def render_json(report: LinkReport) -> str:
    """``{"clusters": [{"key", "members": [...], "pairs": [...]}]}``, conflicts first."""
    return json.dumps(
        {
            "clusters": [
                {
                    "key": str(cluster.key),
                    "members": [m.as_dict() for m in cluster.members],
                    "pairs": [link.as_dict() for link in cluster.links],
                }
                for cluster in report.clusters
            ],
            "counts": {c.value: n for c, n in report.counts.items()},
        },
        indent=2,
        ensure_ascii=False,
    )


def render_table(report: LinkReport) -> str:
    """A plain-text report: one block per cluster, each pair with both values, quotes and locations."""
    lines = []
    for number, cluster in enumerate(report.clusters, start=1):
        lines.append(f"== cluster {number}: {cluster.key}")
        for link in cluster.links:
            lines.append(
                f"  {link.classification.value.upper():<21} {link.source.result_id}  ->  "
                f"{link.target.result_id}"
            )
            lines.append(f"    reason: {link.reason}")
            for side, r in (("a", link.source), ("b", link.target)):
                lines.append(
                    f"    {side}: {r.publication} {_show(r)} | {r.population or '-'} | "
                    f"{r.cutoff or '-'} | {r.location or '-'}"
                )
                lines.append(f"       quote: {json.dumps(r.quote, ensure_ascii=False)}")
        lines.append("")
    counts = ", ".join(f"{c.value} {n}" for c, n in report.counts.items())
    lines.append(f"{len(report.clusters)} clusters, {len(report.links)} pairs: {counts}")
    return "\n".join(lines)
