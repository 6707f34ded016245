"""Concurrent commands on one output folder and one cache: every run succeeds, nothing is torn."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from inograph.cache import verify

MINI = Path(__file__).parent / "data" / "mini"


def _build(out: Path, cache: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "inograph",
            "build",
            "-o",
            str(out),
            "--evidence",
            str(MINI / "evidence" / "mini2020.yaml"),
            "--sources",
            str(MINI / "sources"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "INOGRAPH_CACHE": str(cache)},
    )


def test_concurrent_builds_into_one_folder_and_one_cache(tmp_path: Path) -> None:
    out, cache = tmp_path / "build", tmp_path / "cache"
    reference = _build(tmp_path / "reference", tmp_path / "reference-cache")
    assert reference.wait(timeout=300) == 0
    runs = [_build(out, cache) for _ in range(4)]
    results = [(run.wait(timeout=300), run.communicate()) for run in runs]
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    assert all(err == "" for _code, (_out, err) in results)
    for name in ("inograph.trig", "inograph.nq"):
        assert (out / name).read_bytes() == (tmp_path / "reference" / name).read_bytes()
    assert sorted(p.name for p in out.iterdir()) == ["inograph.nq", "inograph.trig"]
    entries = list(cache.iterdir())
    assert len(entries) == 1
    assert verify(entries[0].read_bytes()) is None
