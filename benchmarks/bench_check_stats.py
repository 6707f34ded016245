"""Benchmark: check-stats on the whole graph, and does it stay linear in the number of results?

Reading the results (one SPARQL query) and running every check are timed on the curated graph;
then the checks run on k disjoint copies of the results (each copy its own publication and
populations, so no group spans two copies).  Times are printed with their ratio to the 1x run
of the same process: linear scaling shows as time ratio ~ k.  Machines here are shared and
noisy, so read ratios, not seconds.

    python benchmarks/bench_check_stats.py [--sizes 1 4 16] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

from inograph.build import build_dataset
from inograph.stats_checks.records import CheckedResult, read_results
from inograph.stats_checks.run import check_results


def copies(results: list[CheckedResult], k: int) -> list[CheckedResult]:
    out = []
    for i in range(k):
        suffix = f"-copy{i}" if i else ""
        out += [
            replace(
                r,
                result_id=r.result_id + suffix,
                iri=r.iri + suffix,
                publication=r.publication + suffix,
                population=(r.population + suffix) if r.population else None,
                population_parent=(r.population_parent + suffix) if r.population_parent else None,
            )
            for r in results
        ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    dataset = build_dataset().dataset
    check_results(read_results(dataset))  # warm up: scipy and statsmodels imports
    reads = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        results = read_results(dataset)
        reads.append(time.perf_counter() - started)
    print(f"read {len(results)} results: median {statistics.median(reads):.3f} s")
    base = None
    for k in args.sizes:
        scaled = copies(results, k)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            report = check_results(scaled)
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        base = base or median
        print(
            f"{k:>3}x  {len(scaled):>6} results  {len(report.findings):>6} findings  "
            f"median {median:.3f} s  ratio {median / base:.2f}"
        )


if __name__ == "__main__":
    main()
