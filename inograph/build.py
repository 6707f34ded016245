"""The build: ontology + curated evidence + source texts → one RDF dataset, written as TriG and N-Quads.

The dataset has one named graph per publication, one for the ontology, one for the
cross-source links and one for the statistical check findings.  The files written
are deterministic (same inputs, byte-identical output) so a diff of two builds shows only
what changed in the evidence.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from inograph.anchoring import Anchor, SourceText, read_source
from inograph.atomic import write_files_together
from inograph.cache import cache_key, cached_nquads, store_nquads
from inograph.errors import LoadError
from inograph.evidence import Evidence, load_evidence
from inograph.graph_builder import add_evidence, anchor_results
from inograph.links import link_dataset
from inograph.namespaces import ONTOLOGY_GRAPH
from inograph.population_sizes import add_population_sizes
from inograph.published import load_dataset
from inograph.resources import default_sources_dir, evidence_files, ontology_files
from inograph.stats_checks.findings_rdf import check_dataset
from inograph.store import StoreKind, copy_into, new_dataset, oxigraph_quads, parse_rdf_file

__all__ = [
    "PREFIXES",
    "TEXT_PREFIXES",
    "BuildOutputs",
    "BuiltDataset",
    "build",
    "build_dataset",
    "load_ontology",
    "load_sources",
    "serialize_nquads",
    "serialize_trig",
    "write_dataset",
]

TRIG_NAME = "inograph.trig"
NQUADS_NAME = "inograph.nq"


@dataclass(frozen=True)
class BuiltDataset:
    """The dataset and what it was built from, for the commands that need more than triples."""

    dataset: Dataset
    evidence: Evidence
    anchors: Mapping[str, Anchor]
    sources: Mapping[str, SourceText]
    seconds: float


@dataclass(frozen=True)
class BuildOutputs:
    trig: Path
    nquads: Path
    quads: int
    results: int
    seconds: float


def load_ontology(paths: Iterable[Path] | None = None) -> Graph:
    """The ontology files (``ontology/*.ttl``) in one graph, blank nodes canonically labelled.

    Canonical labels (rdflib.compare) keep the serialised build byte-identical across runs.
    """
    from rdflib.compare import to_canonical_graph

    graph = Graph()
    for path in paths if paths is not None else ontology_files():
        parse_rdf_file(Path(path), into=graph)
    canonical = Graph()
    for triple in to_canonical_graph(graph):
        canonical.add(triple)
    return canonical


def load_sources(directory: Path | None, names: Iterable[str]) -> dict[str, SourceText]:
    """Read the source texts the evidence quotes from; say clearly where they were looked for."""
    directory = directory if directory is not None else default_sources_dir()
    if directory is None or not Path(directory).is_dir():
        raise LoadError(
            "source texts not found: pass --sources DIR (or set INOGRAPH_SOURCES) pointing at the "
            "folder with the four publications' text files (../shared/sources in a checkout)"
        )
    return {name: read_source(Path(directory), name) for name in sorted(set(names))}


def build_dataset(
    *,
    evidence_paths: Sequence[Path] | None = None,
    sources_dir: Path | None = None,
    store: StoreKind = StoreKind.OXIGRAPH,
) -> BuiltDataset:
    """Load, anchor and convert everything into a fresh dataset (nothing is written)."""
    started = time.perf_counter()
    paths = list(evidence_paths) if evidence_paths is not None else evidence_files()
    evidence = load_evidence(paths)
    sources = load_sources(sources_dir, (c.publication.source_file for c in evidence.curations))
    anchors = anchor_results(evidence, sources)
    key = cache_key([*paths, *ontology_files()], (s.sha256 for s in sources.values()))
    cached = cached_nquads(key) if store is StoreKind.OXIGRAPH else None
    if cached is not None:
        dataset = load_dataset(cached, trusted=True)  # sealed by the cache's checksum
        return BuiltDataset(dataset, evidence, anchors, sources, time.perf_counter() - started)
    # rdflib's memory store takes single adds quickly; Oxigraph is then bulk-loaded at once
    staging = new_dataset(StoreKind.MEMORY)
    ontology = staging.graph(ONTOLOGY_GRAPH)
    for triple in load_ontology():
        ontology.add(triple)
    add_evidence(staging, evidence, anchors)
    add_population_sizes(staging, evidence)  # one size node per population, cutoff and arm
    link_dataset(staging)  # cross-source links (graph inog:links), read from the evidence graphs
    check_dataset(staging)  # statistical re-verification (graph inog:stats-checks)
    dataset = staging if store is StoreKind.MEMORY else copy_into(staging, store)
    if store is StoreKind.OXIGRAPH:
        store_nquads(key, serialize_nquads(dataset))
    return BuiltDataset(dataset, evidence, anchors, sources, time.perf_counter() - started)


PREFIXES: Mapping[str, str] = {
    "ino": "https://w3id.org/inograph/ontology#",
    "inod": "https://w3id.org/inograph/id/",
    "inog": "https://w3id.org/inograph/graph/",
    "cito": "http://purl.org/spar/cito/",
    "oa": "http://www.w3.org/ns/oa#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "obo": "http://purl.obolibrary.org/obo/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _text_prefixes() -> dict[str, str]:
    from inograph.turtle import ID_PREFIXES

    return {**PREFIXES, **ID_PREFIXES}


#: the prefixes written in TriG and Turtle files: the project's and one per kind of id
#: (``result:``, ``arm:``, …), so that no prefixed name needs a ``\/`` escape
TEXT_PREFIXES: Mapping[str, str] = _text_prefixes()


def _serialize(dataset: Dataset, fmt: str) -> str:
    import pyoxigraph as ox

    from inograph.turtle import sorted_prefix_lines, without_escaped_names

    rdf_format = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}[fmt]
    prefixes = dict(TEXT_PREFIXES) if fmt == "trig" else None
    data = ox.serialize(oxigraph_quads(dataset), format=rdf_format, prefixes=prefixes)
    assert data is not None  # no output file given: pyoxigraph returns the bytes
    text = bytes(data).decode("utf-8")
    if prefixes is None:
        return text
    return sorted_prefix_lines(without_escaped_names(text, prefixes))


def serialize_nquads(dataset: Dataset) -> str:
    """N-Quads in sorted order: byte-identical for the same dataset."""
    return _serialize(dataset, "nquads")


def serialize_trig(dataset: Dataset) -> str:
    """TriG with the project's prefixes, graphs and subjects in sorted order."""
    return _serialize(dataset, "trig")


def write_dataset(dataset: Dataset, out_dir: Path) -> tuple[Path, Path]:
    """Write ``inograph.trig`` and ``inograph.nq`` into ``out_dir``: both replaced, or neither."""
    trig, nquads = Path(out_dir) / TRIG_NAME, Path(out_dir) / NQUADS_NAME
    write_files_together(
        {trig: serialize_trig(dataset).encode("utf-8"), nquads: serialize_nquads(dataset).encode("utf-8")}
    )
    return trig, nquads


def build(
    out_dir: Path,
    *,
    evidence_paths: Sequence[Path] | None = None,
    sources_dir: Path | None = None,
    store: StoreKind = StoreKind.OXIGRAPH,
) -> BuildOutputs:
    """Build the dataset and write it; the public entry point behind ``inograph build``."""
    started = time.perf_counter()
    built = build_dataset(evidence_paths=evidence_paths, sources_dir=sources_dir, store=store)
    trig, nquads = write_dataset(built.dataset, out_dir)
    return BuildOutputs(
        trig=trig,
        nquads=nquads,
        # len(Dataset) counts distinct triples; a triple stated in two graphs is two quads
        quads=len(oxigraph_quads(built.dataset)),
        results=len(built.evidence.results),
        seconds=time.perf_counter() - started,
    )
