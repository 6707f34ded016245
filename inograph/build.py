"""The build: ontology + curated evidence + source texts → one RDF dataset, written as TriG and N-Quads.

The dataset has one named graph per publication, one for the ontology, one for the
cross-source links and one for the statistical check findings.  The files written
are deterministic (same inputs, byte-identical output) so a diff of two builds shows only
what changed in the evidence.

A build whose inputs are unchanged comes from the cache (:mod:`inograph.cache`) without
reading the evidence or the texts: the key hashes their bytes.  What the graph was built from
(evidence, anchors, source texts) is then read only when a command asks for it.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inograph.cache import (
    body_start,
    cache_dir,
    cache_key,
    cached_nquads,
    cached_outputs,
    store_nquads,
    store_outputs,
)
from inograph.collector import collector_paused
from inograph.errors import LoadError
from inograph.progress import phase
from inograph.resources import default_sources_dir, evidence_files, ontology_files, queries_dir
from inograph.store import StoreKind

if TYPE_CHECKING:
    from rdflib import Dataset, Graph

    from inograph.anchoring import Anchor, SourceText
    from inograph.evidence import Evidence
    from inograph.stats_checks.worker import ChecksWorker

__all__ = [
    "PREFIXES",
    "TEXT_PREFIXES",
    "BuildInputs",
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
class BuildInputs:
    """What a dataset was built from: the curated evidence, its anchors and the source texts."""

    evidence: Evidence
    anchors: Mapping[str, Anchor]
    sources: Mapping[str, SourceText]


class BuiltDataset:
    """The dataset and what it was built from, for the commands that need more than triples.

    ``dataset`` is an rdflib :class:`~rdflib.Dataset`; ``store`` the pyoxigraph Store behind it
    (``None`` for rdflib's memory store).  Either may be given; the other is made on first use,
    so a command that only queries never imports rdflib's SPARQL machinery.  ``evidence``,
    ``anchors`` and ``sources`` are given, or read on first use by ``read_inputs`` (a cached
    build skips them until a command such as ``trace`` or ``coverage`` asks).
    """

    def __init__(
        self,
        dataset: Dataset | None = None,
        evidence: Evidence | None = None,
        anchors: Mapping[str, Anchor] | None = None,
        sources: Mapping[str, SourceText] | None = None,
        seconds: float = 0.0,
        *,
        store: Any = None,
        read_inputs: Callable[[], BuildInputs] | None = None,
    ) -> None:
        if dataset is None and store is None:
            raise ValueError("a BuiltDataset needs a dataset or an Oxigraph store")
        self._dataset = dataset
        self._store = store
        self._given = (evidence, anchors, sources)
        self._read_inputs = read_inputs
        self.seconds = seconds

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            from inograph.store import dataset_over

            self._dataset = dataset_over(self._store)
        return self._dataset

    @property
    def store(self) -> Any:
        """The pyoxigraph Store holding the dataset, or None when rdflib's memory store does."""
        if self._store is None and self._dataset is not None:
            from inograph.store import backing_store

            self._store = backing_store(self._dataset)
        return self._store

    @cached_property
    def _inputs(self) -> BuildInputs:
        if self._read_inputs is not None:
            return self._read_inputs()
        evidence, anchors, sources = self._given
        if evidence is None:  # a published or packaged graph: no evidence was read
            from inograph.evidence import Evidence

            evidence = Evidence(curations=())
        return BuildInputs(evidence, anchors or {}, sources or {})

    @property
    def evidence(self) -> Evidence:
        return self._inputs.evidence

    @property
    def anchors(self) -> Mapping[str, Anchor]:
        return self._inputs.anchors

    @property
    def sources(self) -> Mapping[str, SourceText]:
        return self._inputs.sources


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
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    from inograph.store import parse_rdf_file

    graph = Graph()
    for path in paths if paths is not None else ontology_files():
        parse_rdf_file(Path(path), into=graph)
    canonical = Graph()
    for triple in to_canonical_graph(graph):
        canonical.add(triple)
    return canonical


def _sources_folder(directory: Path | None) -> Path:
    directory = directory if directory is not None else default_sources_dir()
    if directory is None or not Path(directory).is_dir():
        raise LoadError(
            "source texts not found: pass --sources DIR (or set INOGRAPH_SOURCES) pointing at the "
            "folder with the four publications' text files (../shared/sources in a checkout)"
        )
    return Path(directory)


def load_sources(directory: Path | None, names: Iterable[str]) -> dict[str, SourceText]:
    """Read the source texts the evidence quotes from; say clearly where they were looked for."""
    from inograph.anchoring import read_source

    folder = _sources_folder(directory)
    return {name: read_source(folder, name) for name in sorted(set(names))}


def _read_inputs(evidence_paths: Sequence[Path], sources_dir: Path) -> BuildInputs:
    """Parse the evidence, read the texts it quotes and anchor every quote in them."""
    from inograph.evidence import load_evidence
    from inograph.graph_builder import anchor_results

    with phase("reading evidence"):
        evidence = load_evidence(evidence_paths)
    sources = load_sources(sources_dir, (c.publication.source_file for c in evidence.curations))
    with phase("anchoring quotes"):
        anchors = anchor_results(evidence, sources)
    return BuildInputs(evidence, anchors, sources)


def _read_unchanged(
    evidence_paths: Sequence[Path], sources_dir: Path, files: Sequence[Path]
) -> Callable[[], BuildInputs]:
    """:func:`_read_inputs` for later (a cache hit reads the evidence only when a command asks),
    refusing files changed since the cache key was taken: their content is not the graph's."""

    def stamp(path: Path) -> tuple[int, int] | None:
        try:
            info = path.stat()
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size

    stamps = {path: stamp(path) for path in files}

    def read() -> BuildInputs:
        inputs = _read_inputs(evidence_paths, sources_dir)
        for path, before in stamps.items():
            if stamp(path) != before:
                raise LoadError(
                    f"{path}: changed while inograph ran (its graph came from the cache of the "
                    "earlier content); run the command again"
                )
        return inputs

    return read


@dataclass(frozen=True)
class _Serialised:
    """What a build already serialised, so that writing it does not sort the quads again."""

    quads: list[Any] | None  # pyoxigraph quads in the canonical order, when the build sorted them
    nquads: bytes | memoryview | None  # their N-Quads, when made (or read from the cache)
    cache_key: str | None = None  # the key the N-Quads are cached under, when they are


def _build_dataset(
    evidence_paths: Sequence[Path] | None,
    sources_dir: Path | None,
    store: StoreKind,
    *,
    read_only: bool = False,
) -> tuple[BuiltDataset, _Serialised]:
    started = time.perf_counter()
    paths, folder, files = _keyed_files(evidence_paths, sources_dir)
    read_later = _read_unchanged(paths, folder, files)  # stamps taken before the bytes are hashed
    key = cache_key(files)
    if store is StoreKind.OXIGRAPH and read_only:
        from inograph.query_store import open_copy

        on_disk = open_copy(key)
        if on_disk is not None:
            built = BuiltDataset(
                store=on_disk,
                read_inputs=read_later,
                seconds=time.perf_counter() - started,
            )
            return built, _Serialised(None, None)
    entry = cached_nquads(key) if store is StoreKind.OXIGRAPH else None
    if entry is not None:
        with phase("loading the cached build"):
            ox_store = store_from_nquads(entry)
        if read_only:
            from inograph.query_store import make_copy

            make_copy(key, entry)  # the next reading command opens it instead of loading
        built = BuiltDataset(
            store=ox_store,
            read_inputs=read_later,
            seconds=time.perf_counter() - started,
        )
        return built, _Serialised(None, memoryview(entry)[body_start(entry) :], key)
    from inograph.stats_checks.worker import ChecksWorker

    # the checks' libraries are imported by a helper process while the graph is made
    helper = ChecksWorker() if store is StoreKind.OXIGRAPH else contextlib.nullcontext()
    # the build collects once itself, when the rdflib copy is dropped (see _make_dataset)
    with collector_paused(), helper as worker:
        return _make_dataset(paths, folder, key, worker, started, read_only=read_only)


def _make_dataset(
    paths: Sequence[Path],
    folder: Path,
    key: str,
    worker: ChecksWorker | None,
    started: float,
    *,
    read_only: bool,
) -> tuple[BuiltDataset, _Serialised]:
    """The graph made from the evidence (a cache miss) and checked: in rdflib's memory store
    without ``worker``, else in Oxigraph (and then stored in the cache)."""
    from inograph.graph_builder import add_evidence
    from inograph.links import link_dataset
    from inograph.namespaces import ONTOLOGY_GRAPH
    from inograph.population_sizes import add_population_sizes
    from inograph.stats_checks.findings_rdf import check_dataset
    from inograph.stats_checks.records import read_results
    from inograph.store import new_dataset, sorted_quads

    inputs = _read_inputs(paths, folder)
    names = inputs.sources.keys()
    # rdflib's memory store takes single adds quickly; Oxigraph is then bulk-loaded at once
    staging = new_dataset(StoreKind.MEMORY)
    with phase("building the graph"):
        ontology = staging.graph(ONTOLOGY_GRAPH)
        for triple in load_ontology():
            ontology.add(triple)
        add_evidence(staging, inputs.evidence, inputs.anchors)
        add_population_sizes(staging, inputs.evidence)  # one size node per population, cutoff and arm
    with phase("linking results across sources"):
        link_dataset(staging)  # cross-source links (graph inog:links), read from the evidence graphs
    if worker is None:  # rdflib's memory store
        with phase("re-checking the statistics"):
            check_dataset(staging)  # statistical re-verification (graph inog:stats-checks)
        built = BuiltDataset(
            staging, inputs.evidence, inputs.anchors, inputs.sources, time.perf_counter() - started
        )
        return built, _Serialised(None, None)
    with phase("ordering the quads"):
        # one sort serves everything: Oxigraph is filled in this order, as every other load of
        # a build is (its N-Quads are sorted), because the order of an unordered GROUP_CONCAT
        # follows insertion; the cache and the written files reuse it
        quads = sorted_quads(staging)
    del staging, ontology  # peak memory: the rdflib copy is not needed once the quads are converted
    ox_store = ox_store_of(quads)
    with phase("re-checking the statistics"):
        # statistical re-verification (graph inog:stats-checks), read from Oxigraph by SPARQL
        worker.ask(read_results(ox_store))
        # while the helper checks: free the rdflib copy (its graphs and store refer to each
        # other, so only the collector frees it, which walks every object the build made)
        gc.collect()
        _, findings = worker.answer()
        ox_store, quads = _with_findings(ox_store, quads, findings)
    serialised = _Serialised(quads, None)
    # texts outside the folder's top level would escape the key: such a build is not cached
    if cache_dir() is not None and all(Path(n).name == n for n in names):
        with phase("writing the cache"):
            nquads = _serialize_quads(quads, "nquads")
            store_nquads(key, nquads)
            if read_only:
                from inograph.query_store import make_copy

                make_copy(key, nquads)
        serialised = _Serialised(quads, nquads, key)
    # the rdflib view of the store is made on first use (oxrdflib imports rdflib's SPARQL engine)
    built = BuiltDataset(
        None,
        inputs.evidence,
        inputs.anchors,
        inputs.sources,
        time.perf_counter() - started,
        store=ox_store,
    )
    return built, serialised


def build_dataset(
    *,
    evidence_paths: Sequence[Path] | None = None,
    sources_dir: Path | None = None,
    store: StoreKind = StoreKind.OXIGRAPH,
    read_only: bool = False,
) -> BuiltDataset:
    """Load, anchor and convert everything into a fresh dataset (nothing is written); from the
    cache when the inputs' bytes are unchanged.

    ``read_only=True`` is for callers that only query: the dataset may then be the cache's
    on-disk copy (:mod:`inograph.query_store`), opened in milliseconds, which refuses changes.
    """
    return _build_dataset(evidence_paths, sources_dir, store, read_only=read_only)[0]


def ox_store_of(quads: Iterable[Any]) -> Any:
    """A pyoxigraph Store holding ``quads``, inserted in the order given."""
    import pyoxigraph as ox

    store = ox.Store()
    store.extend(quads)
    return store


def _with_findings(store: Any, quads: list[Any], findings: list[Any]) -> tuple[Any, list[Any]]:
    """The store and its sorted quads with the graph ``inog:stats-checks`` holding ``findings``
    (that graph's quads, sorted).

    That graph's name sorts after every other graph of a build: its quads are then appended,
    and the store holds all quads in the canonical order, as a fresh load of the sorted quads
    would.  Otherwise (a publication graph named after it, or stale findings) it is filled again.
    """
    import pyoxigraph as ox

    from inograph.stats_checks.findings_rdf import CHECKS_GRAPH
    from inograph.store import quad_key

    graph = ox.NamedNode(str(CHECKS_GRAPH))
    if not quads or str(quads[-1].graph_name) < str(graph):
        store.extend(findings)
        return store, quads + findings
    merged = sorted([*(q for q in quads if q.graph_name != graph), *findings], key=quad_key)
    return ox_store_of(merged), merged


def store_from_nquads(data: bytes) -> Any:
    """A pyoxigraph Store holding the N-Quads ``data`` (a verified cache entry or a packaged
    dataset: pyoxigraph wrote them, so IRIs are not validated again)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_QUADS, lenient=True)
    return store


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


def _serialize_quads(quads: list[Any], fmt: str) -> bytes:
    """``quads`` (already in the canonical order) as N-Quads or TriG bytes."""
    import pyoxigraph as ox

    from inograph.turtle import sorted_prefix_lines, without_escaped_names

    rdf_format = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}[fmt]
    prefixes = dict(TEXT_PREFIXES) if fmt == "trig" else None
    data = ox.serialize(quads, format=rdf_format, prefixes=prefixes)
    assert data is not None  # no output file given: pyoxigraph returns the bytes
    if prefixes is None:
        return bytes(data)
    text = bytes(data).decode("utf-8")
    return sorted_prefix_lines(without_escaped_names(text, prefixes)).encode("utf-8")


def serialize_nquads(dataset: Dataset) -> str:
    """N-Quads in sorted order: byte-identical for the same dataset."""
    from inograph.store import sorted_quads

    return _serialize_quads(sorted_quads(dataset), "nquads").decode("utf-8")


def serialize_trig(dataset: Dataset) -> str:
    """TriG with the project's prefixes, graphs and subjects in sorted order."""
    from inograph.store import sorted_quads

    return _serialize_quads(sorted_quads(dataset), "trig").decode("utf-8")


def _write_files(out_dir: Path, trig: bytes | memoryview, nquads: bytes | memoryview) -> tuple[Path, Path]:
    from inograph.atomic import write_files_together

    trig_path, nquads_path = Path(out_dir) / TRIG_NAME, Path(out_dir) / NQUADS_NAME
    write_files_together({trig_path: bytes(trig), nquads_path: bytes(nquads)})
    return trig_path, nquads_path


def write_dataset(dataset: Dataset, out_dir: Path) -> tuple[Path, Path]:
    """Write ``inograph.trig`` and ``inograph.nq`` into ``out_dir``: both replaced, or neither."""
    from inograph.store import sorted_quads

    quads = sorted_quads(dataset)
    return _write_files(out_dir, _serialize_quads(quads, "trig"), _serialize_quads(quads, "nquads"))


def build(
    out_dir: Path,
    *,
    evidence_paths: Sequence[Path] | None = None,
    sources_dir: Path | None = None,
    store: StoreKind = StoreKind.OXIGRAPH,
) -> BuildOutputs:
    """Build the dataset and write it; the public entry point behind ``inograph build``.

    The quads are put in order once: the N-Quads made for the cache (or read from it) are
    written as they are, and the TriG is serialised from the same ordered quads.
    """
    import pyoxigraph as ox

    from inograph.store import sorted_quads

    started = time.perf_counter()
    if store is StoreKind.OXIGRAPH and cache_dir() is not None:
        hit = cached_outputs(_cache_key_of(evidence_paths, sources_dir))
        if hit is not None:  # the files as the earlier build wrote them: no graph, no evidence
            with phase("writing TriG and N-Quads"):
                trig, nquads = _write_files(out_dir, hit.trig, hit.nquads)
            return BuildOutputs(trig, nquads, hit.quads, hit.results, time.perf_counter() - started)
    built, serialised = _build_dataset(evidence_paths, sources_dir, store)
    with phase("writing TriG and N-Quads"):
        quads = serialised.quads
        if quads is None and serialised.nquads is not None:  # a cached build: already in order
            quads = list(ox.parse(bytes(serialised.nquads), format=ox.RdfFormat.N_QUADS, lenient=True))
        if quads is None:
            quads = sorted_quads(built.dataset)
        nquads_bytes = serialised.nquads
        if nquads_bytes is None:
            nquads_bytes = _serialize_quads(quads, "nquads")
        trig_bytes = _serialize_quads(quads, "trig")
        trig, nquads = _write_files(out_dir, trig_bytes, nquads_bytes)
    # len(Dataset) counts distinct triples; a triple stated in two graphs is two quads
    quad_count, results = len(quads), len(built.evidence.results)
    if serialised.cache_key is not None:  # the N-Quads are cached: keep what goes with them
        store_outputs(serialised.cache_key, trig_bytes, quads=quad_count, results=results)
    return BuildOutputs(trig, nquads, quad_count, results, time.perf_counter() - started)


def _keyed_files(
    evidence_paths: Sequence[Path] | None, sources_dir: Path | None
) -> tuple[list[Path], Path, list[Path]]:
    """The evidence files, the texts' folder and every file whose bytes the build depends on,
    besides inograph's code (what the cache key hashes): the evidence, the ontology, the SPARQL
    the build runs and the files of the source-text folder."""
    paths = list(evidence_paths) if evidence_paths is not None else evidence_files()
    folder = _sources_folder(sources_dir)
    texts = [p for p in folder.iterdir() if p.is_file()]
    build_queries = sorted((queries_dir() / "stats-checks").glob("*.rq"))
    return paths, folder, [*paths, *ontology_files(), *build_queries, *texts]


def _cache_key_of(evidence_paths: Sequence[Path] | None, sources_dir: Path | None) -> str:
    """The build cache key of these inputs (what :func:`_build_dataset` computes first)."""
    return cache_key(_keyed_files(evidence_paths, sources_dir)[2])
