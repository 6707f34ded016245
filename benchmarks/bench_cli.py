"""CLI benchmark: what a user waits for, whole process, against the goals of issue 16.

Every command runs as its own process (``python -m inograph …``, the interpreter running this
script) in a cache folder of its own, so "empty cache", "cache hit" and "verdict not yet cached"
are set up exactly before each run.  Each measurement is the median of ``--repeat`` runs.  The
baseline, measured in the same run and interleaved with the commands, is the bare interpreter
start (``python -c pass``): the machine is shared and noisy, so the ratio to it is the figure to
compare between runs; the seconds are compared with the goals.

    python benchmarks/bench_cli.py                 # about 2 minutes on 2 cores
    python benchmarks/bench_cli.py --repeat 5 --json cli.json
    python benchmarks/bench_cli.py --replay cli.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["main"]

INOGRAPH = (sys.executable, "-m", "inograph")
BASELINE = (sys.executable, "-c", "pass")


@dataclass(frozen=True)
class Case:
    """One row: the commands run in sequence (timed together) after ``prepare`` set the cache."""

    name: str
    commands: tuple[tuple[str, ...], ...]
    prepare: str  # "empty", "warm" (build cached), "warm-verdict" (build and OWL verdict cached)
    goal: float | None = None  # seconds, whole sequence


CASES: tuple[Case, ...] = (
    Case("inograph --version", (("--version",),), "empty"),
    Case("inograph queries", (("queries",),), "empty"),
    Case("inograph query remission-rates (warm)", (("query", "remission-rates"),), "warm", 0.3),
    Case("inograph build (cache hit)", (("build",),), "warm"),
    Case("inograph validate --no-reasoner", (("validate", "--no-reasoner"),), "warm"),
    Case("inograph validate (verdict cached)", (("validate",),), "warm-verdict"),
    Case("inograph validate (HermiT runs)", (("validate",),), "warm"),
    Case("build (cache hit) + validate (HermiT runs)", (("build",), ("validate",)), "warm", 5.0),
    Case("inograph build (empty cache)", (("build",),), "empty"),
    Case("build + validate, empty cache", (("build",), ("validate",)), "empty"),
)


def _run(command: Sequence[str], env: dict[str, str], cwd: Path) -> None:
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"bench_cli: {' '.join(command[2:])} exited {done.returncode}: {done.stderr.strip()[-400:]}")


def _prepare(kind: str, cache: Path, env: dict[str, str], cwd: Path) -> None:
    shutil.rmtree(cache, ignore_errors=True)
    if kind == "empty":
        return
    _run([*INOGRAPH, "build"], env, cwd)
    _run([*INOGRAPH, "query", "remission-rates"], env, cwd)  # makes the on-disk query store
    if kind == "warm-verdict":
        _run([*INOGRAPH, "validate"], env, cwd)


def _timed(action: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(repeat: int, work: Path) -> dict[str, object]:
    cache = work / "cache"
    env = {**os.environ, "INOGRAPH_CACHE": str(cache), "CI": "1"}  # CI: no progress display
    env.pop("JAVA_TOOL_OPTIONS", None)
    cwd = work / "run"
    cwd.mkdir(parents=True, exist_ok=True)
    baseline: list[float] = []
    rows: list[dict[str, object]] = []
    for case in CASES:
        times: list[float] = []
        for _ in range(repeat):
            _prepare(case.prepare, cache, env, cwd)
            baseline.append(_timed(lambda: _run(BASELINE, env, cwd)))
            times.append(
                _timed(lambda case=case: [_run([*INOGRAPH, *command], env, cwd) for command in case.commands])
            )
        rows.append({"name": case.name, "goal": case.goal, "seconds": times})
        print(f"  {case.name}: {statistics.median(times):.2f} s", file=sys.stderr)
    return {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f} at the end",
        "repeat": repeat,
        "baseline": baseline,
        "rows": rows,
    }


def report(figures: dict[str, object]) -> str:
    baseline = statistics.median(figures["baseline"])  # type: ignore[arg-type]
    lines = [
        f"CLI benchmark, {figures['when']}, {figures['machine']}, median of {figures['repeat']}",
        f"baseline (python -c pass): {baseline * 1000:.0f} ms",
        "",
        "| command | seconds (min–max) | ÷ baseline | goal | verdict |",
        "|---|---|---|---|---|",
    ]
    for row in figures["rows"]:  # type: ignore[attr-defined]
        times = row["seconds"]
        median = statistics.median(times)
        goal = row["goal"]
        verdict = "" if goal is None else ("met" if median <= goal else "NOT MET")
        lines.append(
            f"| {row['name']} | {median:.2f} ({min(times):.2f}–{max(times):.2f}) | {median / baseline:.0f}× "
            f"| {'' if goal is None else f'≤ {goal:g} s'} | {verdict} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (median)")
    parser.add_argument("--json", type=Path, help="also write the raw measurements to this file")
    parser.add_argument("--replay", type=Path, help="print the report of a --json file, measure nothing")
    args = parser.parse_args()
    if args.replay is not None:
        print(report(json.loads(args.replay.read_text(encoding="utf-8"))))
        return
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    with tempfile.TemporaryDirectory(prefix="inograph-bench-cli-") as work:
        figures = measure(args.repeat, Path(work))
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(report(figures))


if __name__ == "__main__":
    main()
