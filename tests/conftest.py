"""Shared fixtures: the source texts (from ../shared/sources), the dataset built once per session,
and the mini evidence's graph with the shapes (for the two SHACL engines' tests)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from inograph.build import BuiltDataset, build_dataset
from inograph.resources import default_sources_dir
from inograph.store import StoreKind
from inograph.validation import load_shapes

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini"


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    """The folder of the four source texts; tests that need it are skipped, loudly, without it."""
    directory = default_sources_dir()
    if directory is None or not any(directory.glob("*.txt")):
        pytest.skip(
            "source texts not found: put the shared/ folder beside the checkout "
            "(../shared/sources) or set INOGRAPH_SOURCES"
        )
    return directory


@pytest.fixture(scope="session")
def built(sources_dir: Path) -> BuiltDataset:
    """The full evidence graph (Oxigraph store), built once for the whole test session."""
    return build_dataset(sources_dir=sources_dir)


@pytest.fixture(scope="module")
def mini_graph() -> Graph:
    """The mini evidence (tests/data/mini) built into one plain rdflib graph."""
    built = build_dataset(
        evidence_paths=[MINI / "evidence" / "mini2020.yaml"],
        sources_dir=MINI / "sources",
        store=StoreKind.MEMORY,
    )
    graph = Graph()
    for s, p, o, _g in built.dataset.quads():
        graph.add((s, p, o))
    return graph


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()
