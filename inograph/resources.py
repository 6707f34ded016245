"""Where inograph finds its packaged files: ontology, shapes, queries and curated evidence.

In a wheel they live under ``inograph/_data/``; in a source checkout (editable install,
tests) they are the top-level folders of the repository.  Code asks this module, never a path.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "SOURCES_ENV",
    "default_sources_dir",
    "evidence_dir",
    "evidence_files",
    "ontology_files",
    "queries_dir",
    "resource_dir",
    "shape_files",
]

_PACKAGE = Path(__file__).resolve().parent
SOURCES_ENV = "INOGRAPH_SOURCES"


def resource_dir(name: str) -> Path:
    """The folder ``name`` (ontology, shapes, queries, evidence), installed or in the checkout."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"inograph resource folder {name!r} is missing from the installation")


def ontology_files() -> list[Path]:
    return sorted(resource_dir("ontology").glob("*.ttl"))


def shape_files() -> list[Path]:
    return sorted(resource_dir("shapes").glob("*.ttl"))


def queries_dir() -> Path:
    return resource_dir("queries")


def evidence_dir() -> Path:
    return resource_dir("evidence")


def evidence_files() -> list[Path]:
    return sorted(evidence_dir().glob("*.yaml"))


def default_sources_dir() -> Path | None:
    """The folder of source texts: ``$INOGRAPH_SOURCES``, else ``../shared/sources`` beside the checkout."""
    import os

    env = os.environ.get(SOURCES_ENV)
    if env:
        return Path(env)
    for base in (Path.cwd(), _PACKAGE.parent):
        candidate = base.parent / "shared" / "sources"
        if candidate.is_dir():
            return candidate
    return None
