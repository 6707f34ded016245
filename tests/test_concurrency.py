"""Concurrent commands on one output folder and one cache: every run succeeds, nothing is torn."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from inograph.cache import verify

MINI = Path(__file__).parent / "data" / "mini"


def _inograph(cache: Path, *args: str) -> subprocess.Popen[str]:
    """``inograph ARGS`` on the mini evidence, in a process of its own, with its own cache."""
    mini = ["--evidence", str(MINI / "evidence" / "mini2020.yaml"), "--sources", str(MINI / "sources")]
    return subprocess.Popen(
        [sys.executable, "-m", "inograph", *args, *mini],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "INOGRAPH_CACHE": str(cache)},
    )


def _build(out: Path, cache: Path) -> subprocess.Popen[str]:
    return _inograph(cache, "build", "-o", str(out))


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
    entries = sorted(cache.iterdir())
    assert [p.suffix for p in entries] == [".nq", ".trig"]  # the graph, and the files build writes
    assert all(verify(entry.read_bytes()) is None for entry in entries)


def _query(cache: Path) -> subprocess.Popen[str]:
    return _inograph(cache, "query", "remission-rates")


def test_concurrent_queries_make_one_query_store(tmp_path: Path) -> None:
    """Four queries that all find the cached build without its on-disk copy each make one; the
    first to finish puts it in place, the others drop theirs, and every answer is the same."""
    cache = tmp_path / "cache"
    assert _build(tmp_path / "build", cache).wait(timeout=300) == 0
    runs = [_query(cache) for _ in range(4)]
    results = [(run.wait(timeout=300), run.communicate()) for run in runs]
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    assert all(err == "" for _code, (_out, err) in results)
    answers = {out for _code, (out, _err) in results}
    assert len(answers) == 1
    (answer,) = answers
    # the mini evidence's two CR rates: 80/100 on arm tiny-x, 30/100 on tiny-soc
    rows = [line.split("\t") for line in answer.splitlines()]
    assert [(r[4].rsplit("/", 1)[-1], r[10], r[11], r[12]) for r in rows[1:]] == [
        ("tiny-soc>", "30", "30", "100"),
        ("tiny-x>", "80", "80", "100"),
    ]
    (entry,) = cache.glob("*.nq")
    key = entry.name.removesuffix(".nq")
    assert sorted(p.name for p in cache.iterdir()) == [f"{key}.nq", f"{key}.oxigraph", f"{key}.trig"]
    again = _query(cache)
    assert again.wait(timeout=300) == 0
    assert again.communicate() == (answer, "")
