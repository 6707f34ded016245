"""Loading a dataset file: a file inograph wrote and verified loads without re-validating its
IRIs; any other file is checked, and a bad one is refused with its name."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from inograph.build import BuiltDataset, serialize_nquads
from inograph.cache import seal
from inograph.errors import LoadError
from inograph.published import load_dataset
from inograph.store import oxigraph_store


def _quads(path: Path, *, trusted: bool) -> set[str]:
    store = oxigraph_store(load_dataset(path, trusted=trusted))
    return {str(quad) for quad in store}


def test_trusted_and_checked_loads_give_the_same_quads(built: BuiltDataset, tmp_path: Path) -> None:
    path = tmp_path / "inograph.nq"
    text = serialize_nquads(built.dataset)
    path.write_text(text, encoding="utf-8")
    checked, trusted = _quads(path, trusted=False), _quads(path, trusted=True)
    assert checked == trusted
    assert len(checked) == text.count("\n")


def test_a_file_from_elsewhere_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "bad.nq"
    path.write_text("<http://example.org/a b> <http://example.org/p> <http://example.org/o> <http://g> .\n")
    with pytest.raises(LoadError, match=r"bad\.nq: cannot load the dataset"):
        load_dataset(path)


def test_a_trusted_load_reads_the_cache_layout(tmp_path: Path) -> None:
    """A cache entry starts with its checksum as a comment line: both loads skip it."""
    path = tmp_path / "entry.nq"
    quad = ox.Quad(
        ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("x")
    )
    path.write_bytes(seal(f"{quad} .\n"))
    assert _quads(path, trusted=True) == _quads(path, trusted=False) == {str(quad)}
