"""Hostile use of the cache: processes killed while they write, concurrent makers, odd folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from inograph.cache import verify
from inograph.query_store import make_copy, open_copy

NQUADS = b"<http://example.org/s> <http://example.org/p> <http://example.org/o> <http://example.org/g> .\n"
ROOT = Path(__file__).resolve().parent.parent


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_maker_killed_mid_copy_leaves_scratch_that_the_next_maker_removes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a real maker, killed with SIGKILL after the store is written and before it is renamed
    script = (
        "import os, signal, inograph.query_store as q\n"
        "q.seal = lambda body: os.kill(os.getpid(), signal.SIGKILL)\n"
        f"q.make_copy('killed', {NQUADS!r})\n"
    )
    env = {**os.environ, "INOGRAPH_CACHE": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], env=env, check=False)
    assert done.returncode == -9
    assert len(_hidden(tmp_path)) == 1  # what the killed process left behind
    assert not (tmp_path / "killed.oxigraph").exists()

    monkeypatch.setenv("INOGRAPH_CACHE", str(tmp_path))
    make_copy("killed", NQUADS)

    assert _hidden(tmp_path) == []
    assert verify((tmp_path / "killed.oxigraph" / "inograph-seal").read_bytes()) is None
    store = open_copy("killed")
    assert store is not None and len(store) == 1


def test_the_scratch_of_a_maker_still_running_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INOGRAPH_CACHE", str(tmp_path))
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = tmp_path / f".other.oxigraph.{running.pid}-abcd1234"
        (live / "store").mkdir(parents=True)
        (live / "store" / "000001.sst").write_bytes(b"half a table")
        make_copy("mine", NQUADS)
        assert (live / "store" / "000001.sst").read_bytes() == b"half a table"
        assert _hidden(tmp_path) == [live.name]
    finally:
        running.kill()
        running.wait()
    make_copy("again", NQUADS)  # once that process is gone, its scratch is stale
    assert _hidden(tmp_path) == []
