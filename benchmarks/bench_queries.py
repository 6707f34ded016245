"""Run the whole question library and print each query's median latency.

Not a test: timings depend on the machine.  Each figure is also given as a ratio to a trivial
``COUNT`` query measured in the same run, which compares across machines.

    python benchmarks/bench_queries.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from inograph.queries import default_built, list_queries, query, sparql

__all__ = ["main", "median_seconds"]

BASELINE = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/inograph/ontology#Result> }"


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` runs after one warm-up run."""
    run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    started = time.perf_counter()
    built = default_built()
    print(f"build: {time.perf_counter() - started:.2f} s, {len(built.dataset)} quads")
    baseline = median_seconds(lambda: sparql(BASELINE, built=built), args.repeat)
    print(f"{'query':40} {'rows':>6} {'median ms':>10} {'x baseline':>11}")
    print(f"{'(baseline COUNT)':40} {1:>6} {baseline * 1000:>10.2f} {1:>11.1f}")
    total = 0.0
    for saved in list_queries():
        params = {"result": "kantarjian2016-abs-crcri-ino"} if saved.name == "result-provenance" else {}
        rows = len(query(saved.name, built=built, **params))

        def run(name: str = saved.name, params: dict[str, str] = params) -> object:
            return query(name, built=built, **params)

        seconds = median_seconds(run, args.repeat)
        total += seconds
        print(f"{saved.name:40} {rows:>6} {seconds * 1000:>10.2f} {seconds / baseline:>11.1f}")
    print(f"{'whole library':40} {'':>6} {total * 1000:>10.2f} {total / baseline:>11.1f}")


if __name__ == "__main__":
    main()
