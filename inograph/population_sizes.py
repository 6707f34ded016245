"""The size of an analysis population at each data cutoff (``ino:PopulationSize``).

A population keeps one id for as long as its definition holds: INO-VATE's safety population
("received at least one dose") is one population whether kantarjian2016 counts it at the
2014-10-02 cutoff (139 vs 120) or kantarjian2019 at the 2017-01-04 cutoff (164 vs 143).  Its
label therefore names no counts; the counts are sizes, one per cutoff and arm, each drawn from
the population-size results that print it (``endpoint: population-size``, ``measure: count``,
no ``category``: a category marks a sub-row such as a covariate level, not the population
itself).  One id keeps the same quantity under one key for the linker and lets SPARQL join a
2016 and a 2019 result on the population; the size for a result is the one at its cutoff.

In RDF::

    inod:population/inovate-safety
        ino:hasSize inod:population/inovate-safety/size/inovate-2014-10-02/inovate-ino .
    inod:population/inovate-safety/size/inovate-2014-10-02/inovate-ino
        a ino:PopulationSize ; ino:sizeOf inod:population/inovate-safety ;
        ino:sizeAtCutoff inod:cutoff/inovate-2014-10-02 ; ino:sizeInArm inod:arm/inovate-ino ;
        ino:participantCount 139 ; prov:wasDerivedFrom inod:result/kantarjian2016-res-n-safety-ino , ... .

Each size node is written into the named graph of every publication that prints it, with
``prov:wasDerivedFrom`` to that publication's own results.  Two results that print different
sizes for one population, cutoff and arm are a curation error (:class:`EvidenceError`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rdflib import Dataset, Literal, URIRef

from inograph.errors import EvidenceError
from inograph.evidence import Evidence, Result
from inograph.graph_builder import arm_iri, cutoff_iri, population_iri, publication_graph, result_iri
from inograph.namespaces import DATA, INO, PROV, RDF, RDFS, XSD

__all__ = ["PopulationSize", "add_population_sizes", "population_sizes", "size_iri"]


@dataclass(frozen=True)
class PopulationSize:
    """How many participants a population had at one cutoff, in one arm (None: all arms)."""

    population: str
    cutoff: str | None
    arm: str | None
    count: int
    results: tuple[Result, ...]  # the results that print it, in file order


def size_iri(population: str, cutoff: str | None, arm: str | None) -> URIRef:
    return DATA[f"population/{population}/size/{cutoff or 'no-cutoff'}/{arm or 'all-arms'}"]


def _is_size(result: Result) -> bool:
    return (
        result.endpoint == "population-size"
        and result.measure == "count"
        and result.category is None
        and result.population is not None
        and result.value is not None
        and result.derived is None
    )


def population_sizes(evidence: Evidence) -> tuple[PopulationSize, ...]:
    """Every printed size, by population, cutoff and arm; disagreeing prints are an error."""
    groups: dict[tuple[str, str | None, str | None], list[Result]] = defaultdict(list)
    for result in evidence.results.values():
        if _is_size(result):
            assert result.population is not None
            groups[(result.population, result.cutoff, result.arm)].append(result)
    sizes = []
    for (population, cutoff, arm), results in sorted(groups.items(), key=lambda kv: [x or "" for x in kv[0]]):
        results.sort(key=lambda r: (r.origin.file.name, r.origin.line))
        first = results[0]
        for other in results[1:]:
            if other.value != first.value:
                raise EvidenceError(
                    f"{other.origin}: {other.id} prints {other.value:g} as the size of {population} "
                    f"(cutoff {cutoff or 'none'}, arm {arm or 'all'}), {first.id} at {first.origin} "
                    f"prints {first.value:g}; a population has one size per cutoff and arm"
                )
        assert first.value is not None
        sizes.append(PopulationSize(population, cutoff, arm, int(first.value), tuple(results)))
    _check_labels(evidence, sizes)
    return tuple(sizes)


def _check_labels(evidence: Evidence, sizes: list[PopulationSize]) -> None:
    """A population whose size changes between cutoffs must not name one cutoff's count in its label."""
    counts: dict[str, dict[str | None, set[int]]] = defaultdict(lambda: defaultdict(set))
    cutoffs: dict[str, set[str]] = defaultdict(set)
    for size in sizes:
        counts[size.population][size.arm].add(size.count)
        cutoffs[size.population].add(size.cutoff or "no cutoff")
    for population_id, per_arm in counts.items():
        changing = {n for arm_counts in per_arm.values() if len(arm_counts) > 1 for n in arm_counts}
        if not changing:
            continue  # the same count at every cutoff: a count in the label stays true
        population = evidence.populations[population_id]
        printed = {int(n) for n in re.findall(r"(?<![\d.])\d+(?![\d.])", population.label)}
        named = sorted(printed & changing)
        if named:
            raise EvidenceError(
                f"{population.origin}: population {population_id!r} has different sizes at "
                f"{', '.join(sorted(cutoffs[population_id]))} but its label names "
                f"{', '.join(map(str, named))}, "
                f"the count of one cutoff; keep counts out of the label (the sizes are recorded per cutoff)"
            )


def add_population_sizes(dataset: Dataset, evidence: Evidence) -> tuple[PopulationSize, ...]:
    """Write every size node into the graphs of the publications that print it; return the sizes."""
    sizes = population_sizes(evidence)
    for size in sizes:
        node = size_iri(size.population, size.cutoff, size.arm)
        population = population_iri(size.population)
        for publication in sorted({r.publication for r in size.results}):
            g = dataset.graph(publication_graph(publication))
            g.add((population, INO.hasSize, node))
            g.add((node, RDF.type, INO.PopulationSize))
            g.add((node, INO.sizeOf, population))
            g.add((node, INO.participantCount, Literal(size.count, datatype=XSD.integer)))
            label = f"{size.population}: {size.count}" + (f" ({size.arm})" if size.arm else "")
            g.add((node, RDFS.label, Literal(label + (f" at {size.cutoff}" if size.cutoff else ""))))
            if size.cutoff:
                g.add((node, INO.sizeAtCutoff, cutoff_iri(size.cutoff)))
            if size.arm:
                g.add((node, INO.sizeInArm, arm_iri(size.arm)))
            for result in size.results:
                if result.publication == publication:
                    g.add((node, PROV.wasDerivedFrom, result_iri(result.id)))
    return sizes
