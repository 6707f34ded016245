"""Shared fixtures: the source texts (from ../shared/sources) and the dataset built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from inograph.build import BuiltDataset, build_dataset
from inograph.resources import default_sources_dir

DATA = Path(__file__).parent / "data"


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
