"""Linking the evidence across sources: which results measure the same quantity, and how they relate.

Four publications print many of the same numbers: the INO-VATE primary report (kantarjian2016)
and its final report (kantarjian2019), a review restating both trials (morley2016), abstracts
repeating their own results sections, a table and a text stating one quantity twice.  This
module finds those results in the RDF, classifies every pair (across publications and within
one), and writes the links back into the graph (named graph ``inog:links``) so that SPARQL can
ask for them.

The same-quantity key (read by :mod:`inograph.link_facts`)
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
    Row labels and settings are compared without case, spacing or the two spellings of >= and
    <= ("≥50%" vs ">=50%"); a row label that only names the statistic ("Median", "Median
    (range)", "Range") is not a key part; in a population selected by transplantation a setting
    that only says "after the transplant" ("post-HSCT", "after allogeneic SCT") is implied by
    the population and is not a key part either.

Facets: parts of a result compared with results of another measure (:func:`facets`)
    * numerator: the n of a percentage is a count ("15 patients (11%)" vs "VOD was seen in 13
      patients");
    * P value: the P printed on a between-arm hazard ratio, difference, odds ratio, RMST or
      median is a P value of that comparison ("hazard ratio ... 0.55 ...; P=0.03" vs
      "p=0.0169" printed alone);
    * size: the size of a population selected by an endpoint (:data:`SELECTING_ENDPOINTS`) is
      a count of that endpoint in the parent population ("Of the 48 patients ... who underwent
      stem-cell transplantation after the trial" is a count of transplants in the safety set).
    A facet is linked to results of its new key, never to another facet of its own kind (two
    such facets stand for two results already linked by their own key); the link names the
    part compared (``ino:linkSourcePart``/``ino:linkTargetPart``).  One pair of results has at
    most one link.

When two stated populations count as one (:func:`_restater_population`)
    Besides equal ids (and :data:`SAME_POPULATION`): a restated figure in a population its
    restating publication defined itself stands for the other side's population when both are
    selections from one parent in one scope (the restater copies the origin's number, it does
    not choose between adjudicated and investigator-assessed responders); two restatements of
    one origin in one publication over whole-trial analysis sets (not population sizes) are one
    population (which set each belongs to is the curator's reading of the restater's wording).

The classification rules (:func:`classify`), in this order
    1. populations differ, both stated: ``different_definition`` when both are restrictions
       of the same parent set by different criteria (adjudicated vs investigator-assessed
       CR/CRi responders of the first 218), else ``different_population`` (ITT vs
       remission-analysis, ITT vs as-treated);
    2. a P value without stated sidedness whose double (or half) is the other side's two-sided
       (or one-sided) P at its printed precision (likely one test, two sidednesses: the
       review's "p=0.0169" for duration of remission vs the NEJM's two-sided P=0.03); the unit,
       the truncation time of a restricted mean survival time (not a key part: RMSTs
       of one endpoint are linked whatever their truncation), or the sidedness of a P value
       differs, or one count is printed over two different denominators ("5 of 23" vs "5 of
       22"): ``different_definition``;
    3. no population stated on a side: ``agrees`` if the values are equal within rounding,
       else ``undecided`` (the rules cannot tell which analysis each side is);
    4. the same cutoff (equal; none on both sides within one publication; or stated on one side
       only within one publication, which reports one analysis of a figure): ``agrees`` if
       equal within rounding; else ``within_source_conflict`` when one publication prints the
       quantity twice (abstract vs results, text vs table; restatements of one origin count as
       one publication), else ``conflict``;
    5. two dated, different cutoffs: ``updated`` (the later result revises the earlier);
    6. a cutoff unknown or undated on a side: ``agrees`` if equal; a restated figure (one with
       a cited origin) that differs from another report of the same population is a
       ``conflict``, unless that report's dated cutoff falls after the year the restatement was
       published (``updated``: restated data predate their publication) or that report cites
       the restated figure's origin (it may be a later analysis of it: ``undecided``); any other
       difference is ``undecided``.
    7. after the pair rules (:func:`_printed_elsewhere`): a ``conflict`` of a restated figure is
       ``different_population`` when the group holds a trial report's own result, at the other
       side's cutoff but for another population, with the restated value: the restater printed
       that population's figure under another name (the review's "80.7% compared with 33.3%"
       for the first 218 is NEJM's as-treated 33.3%; its "48 compared with 20" transplanted are
       NEJM's 48 and 20 of the safety population, not the 45 and 12 of the first 218).
    8. a P value printed as a bound for a set of comparisons ("all 2-sided P values < .05") is
       compared with each P the same publication prints for one of them (:func:`_bound_clusters`):
       a P outside the bound is a ``within_source_conflict`` (the 2019 report's "all 2-sided P
       values < .05" for the InO arm's predictors of survival against Table 3's P = .0729 for
       baseline platelets).
    Every reason also names what else differs (unit, sidedness, denominators, the ranges of two
    medians, an RMST's truncation, the P values of two hazard ratios) and any source
    inconsistency the curator documented on a side.

Rounding
    Two values are equal when they agree at the coarser printed precision: ``22.8`` and ``23``
    are equal (|d| <= 0.5), ``5.0`` and ``5.1`` are not.  A P value printed as a bound
    (``<0.001``) agrees with any value or bound it is consistent with (``<0.0001``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from itertools import combinations
from typing import Any, Final

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from inograph.link_facts import (
    POPULATION_SCOPES,
    SAME_POPULATION,
    SELECTING_ENDPOINTS,
    SIZE_ENDPOINT,
    STATISTIC_LABELS,
    WHOLE_SCOPE,
    WHOLE_TRIAL_KINDS,
    Facet,
    QuantityKey,
    ResultFacts,
    facets,
    read_results,
)
from inograph.namespaces import DATA, GRAPH, INO, PROV, RDF, XSD

__all__ = [
    "LINKS_GRAPH",
    "POPULATION_SCOPES",
    "SAME_POPULATION",
    "SELECTING_ENDPOINTS",
    "STATISTIC_LABELS",
    "WHOLE_TRIAL_KINDS",
    "Classification",
    "Cluster",
    "Facet",
    "Link",
    "LinkReport",
    "QuantityKey",
    "ResultFacts",
    "add_links",
    "classify",
    "facets",
    "find_links",
    "link_dataset",
    "link_iri",
    "read_results",
    "render_json",
    "render_table",
    "values_equal",
]

LINKS_GRAPH: Final = GRAPH["links"]


class Classification(StrEnum):
    """How two results of the same quantity relate; the order is the report order."""

    CONFLICT = "conflict"
    WITHIN_SOURCE_CONFLICT = "within_source_conflict"
    UNDECIDED = "undecided"
    DIFFERENT_DEFINITION = "different_definition"
    DIFFERENT_POPULATION = "different_population"
    UPDATED = "updated"
    AGREES = "agrees"

    @property
    def rank(self) -> int:
        return list(Classification).index(self)


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
            "a_part": self.source.facet.value if self.source.facet else None,
            "b_part": self.target.facet.value if self.target.facet else None,
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
    if r.facet is Facet.NUMERATOR and r.value is not None:
        return f"n={r.value}"
    if r.facet is Facet.SIZE and r.value is not None:
        return f"size={r.value}"
    if r.value is not None:
        relation = r.p_relation if r.key.measure == "p_value" and r.p_relation not in (None, "=") else ""
        if r.facet is Facet.P_VALUE:
            return f"P{relation or '='}{r.value_text}"
        return f"{relation}{r.value:.{r.decimals}f}" + (f" {r.unit}" if r.unit else "")
    if r.range:
        return f"{r.range[0]}-{r.range[1]}" + (f" {r.unit}" if r.unit else "")
    return "no value"


def _population(r: ResultFacts) -> str:
    return f"{r.population} ({r.population_kind}: {r.population_label})"


def _same_population(a: ResultFacts, b: ResultFacts) -> bool:
    pa = SAME_POPULATION.get(a.population or "", a.population)
    pb = SAME_POPULATION.get(b.population or "", b.population)
    return pa == pb or _restater_population(a, b) is not None


def _restater_population(a: ResultFacts, b: ResultFacts) -> str | None:
    """Why two stated populations count as one although their ids differ (None: they do not).

    * A restated figure in a population its restating publication named itself ("patients with
      CR/CRi among the first 218" in a review) stands for the origin's selection when the other
      side is a selection from the same parent in the same scope: the restater does not choose
      the criterion (adjudicated or investigator-assessed), it copies the number.
    * Two restatements of one origin in one publication, both over whole-trial analysis sets
      (except population sizes, where the set is the quantity): the origin reports one
      analysis, and which set each figure belongs to is the curator's reading of the
      restater's wording (a paragraph, a denominator), not the restater's choice.
    """
    for r, other in ((a, b), (b, a)):
        if (
            r.restates_in_own_population
            and not other.restates_in_own_population
            and r.population_parent is not None
            and r.population_parent == other.population_parent
        ):
            return (
                f"{r.result_id} restates {r.cited_origin} in {r.publication}'s own population "
                f"{r.population}, a selection from {r.population_parent} like {other.population}"
            )
    if (
        a.cited_origin is not None
        and a.cited_origin == b.cited_origin
        and a.publication == b.publication
        and a.key.endpoint != SIZE_ENDPOINT  # there the population is the quantity
        and a.key.scope == WHOLE_SCOPE
        and b.key.scope == WHOLE_SCOPE
        and a.population_kind in WHOLE_TRIAL_KINDS
        and b.population_kind in WHOLE_TRIAL_KINDS
    ):
        return (
            f"both restate {a.cited_origin} in {a.publication} ({a.population} vs {b.population} as curated)"
        )
    return None


def _one_and_two_sided(a: ResultFacts, b: ResultFacts) -> str | None:
    """Two P values of which one states no sidedness, when doubling the one-sided reading gives
    the other (at the coarser printed precision): likely the one- and two-sided P of one test
    (the review's "p=0.0169" for duration of remission, twice 0.0169 = 0.034, printed by the
    NEJM as two-sided "P=0.03")."""
    if a.key.measure != "p_value" or a.value is None or b.value is None:
        return None
    if (a.p_relation or "=") != "=" or (b.p_relation or "=") != "=":
        return None
    for unstated, stated in ((a, b), (b, a)):
        if unstated.p_sided or stated.p_sided not in ("one", "two"):
            continue
        assert unstated.value is not None and stated.value is not None
        factor = Decimal(2) if stated.p_sided == "two" else Decimal("0.5")
        scaled = replace(unstated, value=unstated.value * factor, value_text=str(unstated.value * factor))
        scaled = replace(scaled, value_text=f"{scaled.value:.{max(unstated.decimals, 1)}f}")
        if values_equal(scaled, stated):
            reading = "one-sided" if stated.p_sided == "two" else "two-sided"
            return (
                f"{unstated.result_id} states no sidedness: read as {reading}, P={unstated.value_text} "
                f"is P={scaled.value} {stated.p_sided}-sided, which {stated.result_id} prints as "
                f"P={stated.value_text} ({stated.p_sided}-sided): likely one test, two sidednesses"
            )
    return None


def _denominators_differ(a: ResultFacts, b: ResultFacts) -> bool:
    return a.denominator is not None and b.denominator is not None and a.denominator != b.denominator


def _definition_notes(a: ResultFacts, b: ResultFacts) -> list[str]:
    """Differences of definition worth naming even when another rule decides the class."""
    notes = []
    if a.unit and b.unit and a.unit != b.unit:
        notes.append(f"unit {a.unit!r} vs {b.unit!r}")
    if a.p_sided and b.p_sided and a.p_sided != b.p_sided:
        notes.append(f"{a.p_sided}-sided vs {b.p_sided}-sided P value")
    if _denominators_differ(a, b):
        notes.append(f"denominator {a.denominator} vs {b.denominator}")
    if a.value is not None and b.value is not None and a.range and b.range and a.range != b.range:
        notes.append(f"range {a.range[0]}-{a.range[1]} vs {b.range[0]}-{b.range[1]}")
    if (a.truncation or b.truncation) and a.truncation != b.truncation:
        notes.append(f"truncation {a.truncation or 'not stated'} vs {b.truncation or 'not stated'}")
    if a.key.measure != "p_value" and a.p_number is not None and b.p_number is not None:
        pa = f"{a.p_relation or '='}{a.p_number}"
        pb = f"{b.p_relation or '='}{b.p_number}"
        if pa != pb:
            notes.append(f"P{pa} vs P{pb}")
    for r in (a, b):
        if r.source_inconsistency:
            notes.append(f"{r.result_id}: documented source inconsistency ({r.source_inconsistency})")
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
        restricted = a.key.scope != WHOLE_SCOPE
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
    restater = _restater_population(a, b) if a.population != b.population else None
    compared = f"compared as one population: {restater}; " if restater else ""
    # 2. definitions: unit, sidedness of a P value, the denominator of one count
    if a.unit and b.unit and a.unit != b.unit:
        return Classification.DIFFERENT_DEFINITION, f"unit {a.unit!r} vs {b.unit!r} ({values}){notes}"
    if a.truncation and b.truncation and a.truncation != b.truncation:
        return (
            Classification.DIFFERENT_DEFINITION,
            f"restricted mean survival truncated at {a.truncation} vs {b.truncation} ({values}){notes}",
        )
    if equal is False and (halved := _one_and_two_sided(a, b)) is not None:
        return Classification.DIFFERENT_DEFINITION, f"{halved} ({values}){notes}"
    if a.key.measure == "p_value" and a.p_sided and b.p_sided and a.p_sided != b.p_sided:
        return (
            Classification.DIFFERENT_DEFINITION,
            f"{a.p_sided}-sided vs {b.p_sided}-sided P value ({values}){notes}",
        )
    if equal and a.key.measure == "count" and _denominators_differ(a, b):
        return (
            Classification.DIFFERENT_DEFINITION,
            f"{compared}the same count over different denominators ({values}; of {a.denominator} "
            f"vs of {b.denominator}){notes}",
        )
    # 3. population unknown on a side
    if not (a.population and b.population):
        if equal:
            return Classification.AGREES, f"population not stated on a side; values equal ({values}){notes}"
        return Classification.UNDECIDED, f"population not stated on a side; {said} ({values}){notes}"
    same_pub = a.publication == b.publication and a.cited_origin == b.cited_origin
    where = "same publication" if same_pub else f"{a.publication} and {b.publication}"
    cutoff_a, cutoff_b = _restated_cutoff(a, b), _restated_cutoff(b, a)
    if same_pub and (cutoff_a is None) != (cutoff_b is None):
        # one publication states the cutoff of a figure once (abstract vs results): one analysis
        cutoff_a = cutoff_b = cutoff_a or cutoff_b
    # 4. same cutoff
    if cutoff_a == cutoff_b and (cutoff_a is not None or same_pub):
        cutoff = cutoff_a or "no cutoff stated, one analysis"
        if equal:
            return (
                Classification.AGREES,
                f"{compared}same population and cutoff ({cutoff}), {where}; equal within rounding "
                f"({values}){notes}",
            )
        if equal is None:
            return (
                Classification.UNDECIDED,
                f"same population and cutoff ({cutoff}); no value to compare{notes}",
            )
        if same_pub:
            return (
                Classification.WITHIN_SOURCE_CONFLICT,
                f"{compared}same population and cutoff ({cutoff}) printed twice in {a.publication}"
                + (f" (both restating {a.cited_origin})" if a.cited_origin else "")
                + f" with different values ({values}){notes}",
            )
        return (
            Classification.CONFLICT,
            f"{compared}same population and cutoff ({cutoff}), {where}; different values ({values}){notes}",
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
        return Classification.AGREES, f"{compared}same population; {unknown}; values equal ({values}){notes}"
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
            f"{compared}same population; {restated.publication} ({restated.publication_year}) restates "
            f"{origin}, so its data predate {other.publication}'s cutoff {other.cutoff_date}; "
            f"{change} ({values}){notes}",
        )
    if equal is False and origin is not None and origin != other.publication:
        if origin in other.publication_cites or origin == other.cited_origin:
            # the other report knows the restated one: it may be a later analysis of it
            return (
                Classification.UNDECIDED,
                f"{compared}same population; {unknown}; {other.publication} cites {origin}, so its "
                f"value may update the restated one; {said} ({values}){notes}",
            )
        return (
            Classification.CONFLICT,
            f"{compared}same population; {restated.publication} restates {origin} without a cutoff and "
            f"{other.publication}, which does not cite {origin}, prints another value ({values}){notes}",
        )
    return Classification.UNDECIDED, f"{compared}same population; {unknown}; {said} ({values}){notes}"


def _printed_elsewhere(
    a: ResultFacts, b: ResultFacts, candidates: Iterable[ResultFacts]
) -> tuple[ResultFacts, ResultFacts] | None:
    """For a conflict involving a restated figure: the restated side and a trial report's own
    result (no cited origin, another publication) with the restated value, for another
    definition (a grade, setting, row or time point) or another population than the pair's.

    The candidate must come from the analysis the restater could have copied: at the other
    side's cutoff for a conflict with a report, or (a restatement contradicting a restatement
    of the same origin) at a dated cutoff no later than the restating publication's year.
    A restated side whose value a trial report prints for the pair's own quantity and
    populations is confirmed, not misplaced, and is not explained away.  Definitions are tried
    before populations, then candidates in id order.
    """
    pair = {a.result_id, b.result_id}
    populations = {a.population, b.population}
    found: list[tuple[int, str, ResultFacts, ResultFacts]] = []
    own = [m for m in candidates if m.cited_origin is None and m.result_id not in pair]
    for restated, other in ((a, b), (b, a)):
        if restated.cited_origin is None:
            continue
        if any(
            m.key == restated.key and m.population in populations and values_equal(restated, m) for m in own
        ):
            continue  # a trial report prints this value for the pair's quantity: it is not misplaced
        same_origin = restated.cited_origin == other.cited_origin
        for m in own:
            if m.publication == restated.publication:
                continue
            if same_origin:
                dated = m.cutoff_date is not None and int(m.cutoff_date[:4]) <= restated.publication_year
            else:
                dated = m.cutoff is not None and m.cutoff == other.cutoff
            if not dated or not values_equal(restated, m):
                continue
            if m.key != restated.key and m.key.scope == restated.key.scope:
                found.append((0, m.result_id, restated, m))
            elif m.key == restated.key and m.population not in populations:
                found.append((1, m.result_id, restated, m))
    if not found:
        return None
    _, _, restated, match = min(found, key=lambda f: (f[0], f[1]))
    return restated, match


def _key_difference(a: QuantityKey, b: QuantityKey) -> str:
    """The key parts in which two keys differ, e.g. ``grade any vs >=3``."""
    parts = []
    for name in ("category", "grade", "timepoint", "serious", "setting"):
        x, y = getattr(a, name), getattr(b, name)
        if x != y:
            parts.append(f"{name} {x or 'not stated'} vs {y or 'not stated'}")
    return ", ".join(parts)


def _order(a: ResultFacts, b: ResultFacts) -> tuple[ResultFacts, ResultFacts]:
    """Earlier report first: by cutoff date when both are dated, else by publication year; then id."""
    dated = bool(a.cutoff_date and b.cutoff_date)

    def rank(r: ResultFacts) -> tuple[str, int, str, str]:
        if dated:
            return (r.cutoff_date or "", r.publication_year, "", r.result_id)
        # an undated side (a Table 1 baseline, a restatement): the earlier publication first
        return ("", r.publication_year, r.cutoff_date or "9999", r.result_id)

    return (a, b) if rank(a) <= rank(b) else (b, a)


def _count(clusters: Iterable[Cluster]) -> dict[Classification, int]:
    counts = dict.fromkeys(Classification, 0)
    for cluster in clusters:
        for link in cluster.links:
            counts[link.classification] += 1
    return counts


def _base(key: QuantityKey) -> tuple[str, ...]:
    return (key.trial, key.endpoint, key.measure, key.arm, key.comparator)


_CONFLICTS: Final = frozenset({Classification.CONFLICT, Classification.WITHIN_SOURCE_CONFLICT})


def _link(x: ResultFacts, y: ResultFacts, candidates: Iterable[ResultFacts]) -> Link:
    """Classify one pair of a group (earlier report first) and name the parts compared.

    ``candidates`` are the results (and facets) of the pair's trial, endpoint, statistic, arm
    and comparator, whatever their other key parts: where rule 7 looks for the restated value.
    """
    source, target = _order(x, y)
    classification, reason = classify(source, target)
    if classification is Classification.UPDATED and source.cutoff_date and not target.cutoff_date:
        # an undated restatement revised by a dated later report: the restatement is earlier
        source, target = target, source
        classification, reason = classify(source, target)
    classification_was = classification
    explained = _printed_elsewhere(source, target, candidates) if classification in _CONFLICTS else None
    if explained is not None:
        restated, match = explained
        if match.key != restated.key:
            # the restater printed a figure of another definition without it (a grade, a setting)
            classification = Classification.DIFFERENT_DEFINITION
            what = f"another definition ({_key_difference(restated.key, match.key)})"
        else:
            # the restater printed a figure of another population as this population's
            classification = Classification.DIFFERENT_POPULATION
            what = "another population"
        reason = (
            f"the restated value of {restated.result_id} is printed by {match.publication} for "
            f"{what}: {match.result_id} ({_population(match)}, {_show(match)}); the restatement "
            f"puts it under {_population(restated)} (was {classification_was.value}: {reason})"
        )
    for side in (source, target):
        if side.facet is Facet.NUMERATOR:
            reason += f"; {side.result_id} is a {side.facet_of}: its n is compared"
        elif side.facet is Facet.P_VALUE:
            reason += f"; {side.result_id} is a {side.facet_of}: its P value is compared"
        elif side.facet is Facet.SIZE:
            reason += (
                f"; {side.result_id} is the {side.facet_of}: compared as a count of "
                f"{side.key.endpoint} in {side.population}"
            )
    difference = None
    if source.value is not None and target.value is not None:
        difference = target.value - source.value
    return Link(source, target, classification, reason, difference)


def _bound_clusters(facts: Iterable[ResultFacts], seen: set[frozenset[str]]) -> list[Cluster]:
    """Rule 8: a P value printed as a bound for a set of comparisons ("all 2-sided P values <
    .05") against each P that the same publication prints for one of them.

    A bound is a ``p_value`` result with a ``<``/``<=`` relation and no comparator (it speaks of
    the factors of one population and arm, not of one between-arm comparison).  Its rows are the
    results of the same publication, trial, endpoint, population and arm with a row label and a
    P value printed as a number (on a hazard ratio of a Cox model table, or alone).  A row whose
    P lies outside the bound is a ``within_source_conflict``; rows inside it are not linked (a
    bound and a row are not one quantity unless they contradict each other).
    """
    results = list(facts)
    clusters = []
    for bound in sorted(results, key=lambda r: r.result_id):
        relation = bound.p_relation or ""
        if bound.key.measure != "p_value" or bound.key.comparator or relation not in ("<", "<="):
            continue
        limit = bound.value
        if limit is None:
            continue
        links = []
        for row in sorted(results, key=lambda r: r.result_id):
            if (
                row.result_id == bound.result_id
                or (row.publication, row.key.trial, row.key.endpoint, row.key.arm, row.population)
                != (bound.publication, bound.key.trial, bound.key.endpoint, bound.key.arm, bound.population)
                or not row.key.category
                or row.p_number is None
                or (row.p_relation or "=") != "="
            ):
                continue
            if not (row.p_number > limit or (row.p_number == limit and relation == "<")):
                continue
            if (ids := frozenset((bound.result_id, row.result_id))) in seen:
                continue
            seen.add(ids)
            part = replace(
                row, key=bound.key, value=row.p_number, value_text=str(row.p_number), unit=None,
                range=None, facet=Facet.P_VALUE, facet_of=row.key.measure,
            )  # fmt: skip
            notes = "".join(
                f"; also {r.result_id}: documented source inconsistency ({r.source_inconsistency})"
                for r in (bound, row)
                if r.source_inconsistency
            )
            reason = (
                f"{bound.publication} states P{relation}{limit} for every factor of {bound.population} "
                f"({bound.key.arm or 'all arms'}), but prints P={row.p_number} for {row.row_label} "
                f"({row.result_id}, a {row.key.measure}){notes}"
            )
            links.append(
                Link(bound, part, Classification.WITHIN_SOURCE_CONFLICT, reason, row.p_number - limit)
            )
        if links:
            members = (bound, *(link.target for link in links))
            clusters.append(Cluster(bound.key, members, tuple(links)))
    return clusters


def find_links(dataset: Graph) -> LinkReport:
    """Group the results of ``dataset`` (not modified) by key and classify every pair in each group.

    A percentage also takes part, through its numerator, in the group of counts of its quantity;
    it is linked there only to counts printed as such (two percentages are already linked by
    their own key).
    """
    groups: dict[QuantityKey, list[ResultFacts]] = defaultdict(list)
    quantities: dict[tuple[str, ...], list[ResultFacts]] = defaultdict(list)
    facts = read_results(dataset)
    for result in [*facts.values(), *facets(facts.values())]:
        groups[result.key].append(result)
        quantities[_base(result.key)].append(result)
    clusters = []
    seen: set[frozenset[str]] = set()
    for key, members in sorted(groups.items()):
        if len(members) < 2:
            continue
        members.sort(key=lambda r: (r.cutoff_date or "9999", r.publication_year, r.result_id))
        links = []
        # two facets of one kind stand for two results already linked by their own key
        pairs = [
            (x, y)
            for x, y in combinations(members, 2)
            if x.result_id != y.result_id and not (x.facet and x.facet is y.facet)
        ]
        if not pairs:
            continue
        for x, y in pairs:
            if (ids := frozenset((x.result_id, y.result_id))) in seen:
                continue  # one link per pair of results, from the first group that joins them
            seen.add(ids)
            links.append(_link(x, y, quantities[_base(key)]))
        if not links:
            continue
        links.sort(key=lambda k: (k.classification.rank, k.source.result_id, k.target.result_id))
        clusters.append(Cluster(key, tuple(members), tuple(links)))
    clusters += _bound_clusters(facts.values(), seen)
    clusters.sort(key=lambda c: (c.worst.rank, c.key))
    return LinkReport(tuple(clusters), len(facts), _count(clusters))


# ------------------------------------------------------------------------------------ writing

_DIRECT: Final[Mapping[Classification, tuple[URIRef, ...]]] = {
    Classification.AGREES: (INO.agreesWith,),
    Classification.CONFLICT: (INO.conflictsWith,),
    # the sub-property and, for SPARQL without a reasoner, its super-property
    Classification.WITHIN_SOURCE_CONFLICT: (INO.contradictsWithinSource, INO.conflictsWith),
}


def add_links(dataset: Dataset, report: LinkReport) -> Graph:
    """Write ``report`` into the named graph ``inog:links`` of ``dataset`` and return that graph.

    Each pair becomes an ``ino:EvidenceLink`` node (classification, reason, the two numbers
    compared, the compared part of a side when it is not the value: ``numerator``, ``p_value``
    or ``size``) plus direct triples that SPARQL can follow without a reasoner:
    ``ino:sameQuantityAs`` both ways for every pair, ``ino:agreesWith`` / ``ino:conflictsWith``
    both ways, ``ino:contradictsWithinSource`` and ``ino:conflictsWith`` both ways for a
    ``within_source_conflict``, and ``prov:wasRevisionOf`` from the later to the earlier result
    of an ``updated`` pair.
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
        for side, predicate, part in (
            (link.source, INO.linkSourceValue, INO.linkSourcePart),
            (link.target, INO.linkTargetValue, INO.linkTargetPart),
        ):
            # the number actually compared: a percentage's n when it was compared with a count
            if side.value is not None:
                triples.append((node, predicate, Literal(side.value, datatype=XSD.decimal)))
            if side.facet is not None:
                triples.append((node, part, Literal(side.facet.value)))
        for direct in _DIRECT.get(link.classification, ()):
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
