"""The released dataset carried by the package, so that reading needs no source texts.

The four source texts are copyrighted and not distributed; building needs them (every quote is
anchored in its text).  ``dataset/inograph.nq.gz`` is the build of the evidence and ontology it
was made from, checked in and shipped in the wheel (``inograph/_data/dataset``), with
``dataset/manifest.json`` naming those inputs by SHA-256.  Every read command (``query``,
``stats``, ``trace``, ``links``, ``export``, ``validate``) uses it when the texts are not at
hand; when the evidence or ontology differs from the manifest it refuses, instead of answering
from a stale graph.  ``python tools/package_dataset.py`` (or :func:`write_packaged`) rewrites
both files after a change to the evidence; a test checks that they equal a fresh build.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from inograph.atomic import write_files_together
from inograph.errors import LoadError
from inograph.resources import default_sources_dir, evidence_files, ontology_files, resource_dir

if TYPE_CHECKING:
    from inograph.build import BuiltDataset

__all__ = [
    "DATASET_NAME",
    "MANIFEST_NAME",
    "Manifest",
    "inputs_digest",
    "load_packaged",
    "packaged_path",
    "read_built",
    "sources_available",
    "write_packaged",
]

DATASET_NAME = "inograph.nq.gz"
MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class Manifest:
    """What the packaged dataset was built from and what it holds."""

    inputs_sha256: str
    quads: int
    results: int
    files: tuple[str, ...]


def inputs_digest(paths: Iterable[Path]) -> tuple[str, tuple[str, ...]]:
    """One SHA-256 over the names and bytes of the input files (order-independent)."""
    digest = hashlib.sha256()
    names: list[str] = []
    for path in sorted(Path(p) for p in paths):
        name = f"{path.parent.name}/{path.name}"
        names.append(name)
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest(), tuple(names)


def _inputs() -> list[Path]:
    return [*evidence_files(), *ontology_files()]


def packaged_path() -> Path:
    """``dataset/inograph.nq.gz`` of the checkout in use, else of the installed copy."""
    try:
        return resource_dir("dataset") / DATASET_NAME
    except FileNotFoundError:
        return Path("dataset") / DATASET_NAME  # reported as missing by the caller


def read_built(
    *, evidence_paths: Sequence[Path] | None = None, sources_dir: Path | None = None
) -> BuiltDataset:
    """The graph a read command works on: a build when source texts are at hand (or evidence or
    sources are given), else the packaged dataset."""
    from inograph.build import build_dataset

    if not evidence_paths and sources_dir is None and not sources_available():
        return load_packaged()
    return build_dataset(evidence_paths=evidence_paths or None, sources_dir=sources_dir)


def sources_available(sources_dir: Path | None = None) -> bool:
    """Whether source texts are at hand (the given folder, else the default place)."""
    directory = sources_dir if sources_dir is not None else default_sources_dir()
    return directory is not None and Path(directory).is_dir() and any(Path(directory).glob("*.txt"))


def _manifest(path: Path) -> Manifest:
    try:
        data = json.loads((path.parent / MANIFEST_NAME).read_text(encoding="utf-8"))
        return Manifest(data["inputs_sha256"], int(data["quads"]), int(data["results"]), tuple(data["files"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LoadError(
            f"{path.parent / MANIFEST_NAME}: cannot read the packaged dataset's manifest ({exc})"
        ) from None


def load_packaged() -> BuiltDataset:
    """The packaged dataset, after checking it was built from the evidence and ontology in use."""
    from inograph.build import BuiltDataset
    from inograph.evidence import Evidence
    from inograph.store import StoreKind, new_dataset

    started = time.perf_counter()
    path = packaged_path()
    if not path.is_file():
        raise LoadError(
            "no source texts and no packaged dataset: pass --sources DIR (or set INOGRAPH_SOURCES) "
            "or --dataset FILE"
        )
    manifest = _manifest(path)
    digest, _ = inputs_digest(_inputs())
    if digest != manifest.inputs_sha256:
        raise LoadError(
            f"{path}: the evidence or ontology changed since this dataset was packaged; building "
            "the graph needs the source texts: pass --sources DIR (or set INOGRAPH_SOURCES)"
        )
    import pyoxigraph as ox

    dataset = new_dataset(StoreKind.OXIGRAPH)
    try:
        data = gzip.decompress(path.read_bytes())
        # written by write_packaged from a validated store: no need to re-validate every IRI
        dataset.store._inner.load(data, format=ox.RdfFormat.N_QUADS, lenient=True)  # type: ignore[attr-defined]
    except (OSError, EOFError, SyntaxError, ValueError) as exc:
        raise LoadError(f"{path}: cannot load the packaged dataset: {exc}") from None
    return BuiltDataset(dataset, Evidence(curations=()), {}, {}, time.perf_counter() - started)


def write_packaged(out_dir: Path | None = None, *, sources_dir: Path | None = None) -> Manifest:
    """Build from the evidence and the source texts; write ``inograph.nq.gz`` (gzip without a
    timestamp: the same build gives the same bytes) and ``manifest.json`` together."""
    from inograph.build import build_dataset, serialize_nquads

    target = Path(out_dir) if out_dir is not None else resource_dir("dataset")
    built = build_dataset(sources_dir=sources_dir)
    nquads = serialize_nquads(built.dataset)
    digest, files = inputs_digest(_inputs())
    manifest = Manifest(digest, nquads.count("\n"), len(built.evidence.results), files)
    document = {
        "inputs_sha256": manifest.inputs_sha256,
        "quads": manifest.quads,
        "results": manifest.results,
        "files": list(manifest.files),
    }
    target.mkdir(parents=True, exist_ok=True)
    write_files_together(
        {
            target / DATASET_NAME: gzip.compress(nquads.encode("utf-8"), compresslevel=9, mtime=0),
            target / MANIFEST_NAME: (json.dumps(document, indent=2) + "\n").encode("utf-8"),
        }
    )
    return manifest
