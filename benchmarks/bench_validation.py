"""Benchmark: does validation stay linear in the size of the graph?

The evidence graph is replicated k times (every node under inod: gets a copy tag after the
namespace, so the copies are disjoint and still match the shapes), then SHACL validation runs on
each size.  Times are printed as ratios to the 1x run measured in the same process, next to the
ratio of triples: linear scaling shows as time ratio ~ triple ratio.  Machines here are shared
and noisy, so read ratios, not seconds.

    python benchmarks/bench_validation.py [--sizes 1 2 4] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench_scale import copy_iri  # the scale benchmark's copy tag (benchmarks/ is on sys.path)
from rdflib import Graph, URIRef

from inograph.build import build_dataset
from inograph.store import plain_literal
from inograph.validation import load_shapes, run_shacl


def replicated(base: Graph, copies: int) -> Graph:
    """``copies`` disjoint copies of the instance data (the ontology terms are shared).

    Copy k tags its IRIs right after the namespace (``.../id/c7/result/x``, see
    :func:`bench_scale.copy_iri`), so every copy still matches the shapes and queries that look
    at IRIs; a tag at the end (``.../result/x/copy-7``) would not.
    """
    graph = Graph()
    for k in range(copies):

        def rename(node: object, k: int = k) -> object:
            return URIRef(copy_iri(str(node), k)) if isinstance(node, URIRef) else node

        for s, p, o in base:
            graph.add((rename(s), p, rename(o)))  # type: ignore[arg-type]
    return graph


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    built = build_dataset()
    base = Graph()
    for s, p, o, _g in built.dataset.quads():
        base.add((s, p, plain_literal(o)))
    shapes = load_shapes()

    baseline: tuple[int, float] | None = None
    header = ("copies", "triples", "median s", "triples x", "time x", "violations")
    print("  ".join(f"{h:>{w}}" for h, w in zip(header, (6, 9, 9, 9, 7, 10), strict=True)))
    for copies in args.sizes:
        graph = replicated(base, copies)
        times = []
        violations = 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            violations = len(run_shacl(graph, shapes))
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        if baseline is None:
            baseline = (len(graph), median)
        print(
            f"{copies:>6}  {len(graph):>9}  {median:>9.2f}  {len(graph) / baseline[0]:>9.2f}  "
            f"{median / baseline[1]:>7.2f}  {violations:>10}"
        )


if __name__ == "__main__":
    main()
