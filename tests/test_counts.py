"""Quads and triples are told apart: a triple stated in two named graphs is two quads."""

from __future__ import annotations

from inograph.build import BuiltDataset, serialize_nquads
from inograph.stats import graph_stats, render_text
from inograph.validation import load_shapes


def test_stats_counts_quads_and_distinct_triples(built: BuiltDataset) -> None:
    lines = serialize_nquads(built.dataset).splitlines()
    triples = {line.rsplit(" ", 2)[0] for line in lines}  # "<s> <p> o <g> ." without "<g> ."
    stats = graph_stats(built.dataset, load_shapes())
    assert (stats.quads, stats.triples) == (len(lines), len(triples))
    assert stats.quads > stats.triples  # some triples are stated in two graphs (ontology terms, links)
    assert render_text(stats).endswith(f"quads: {len(lines)} in the named graphs ({len(triples)} distinct triples)")
