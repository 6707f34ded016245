"""A population reported at two cutoffs keeps one id and has a size per cutoff (ino:PopulationSize)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal

from inograph.build import BuiltDataset
from inograph.errors import EvidenceError
from inograph.evidence import load_evidence
from inograph.graph_builder import population_iri, result_iri
from inograph.namespaces import DATA, INO, PROV, XSD
from inograph.population_sizes import population_sizes, size_iri
from inograph.resources import evidence_files

SAFETY_SIZES = {
    # kantarjian2016 Results: "139 patients in the inotuzumab ozogamicin group and 120 in the standard-therapy group"
    ("inovate-2014-10-02", None): 259,
    ("inovate-2014-10-02", "inovate-ino"): 139,
    ("inovate-2014-10-02", "inovate-soc"): 120,
    # kantarjian2019: "(n = 164 and 143 in the InO and SoC arms, respectively)"
    ("inovate-2017-01-04", None): 307,
    ("inovate-2017-01-04", "inovate-ino"): 164,
    ("inovate-2017-01-04", "inovate-soc"): 143,
}


def test_safety_population_has_a_size_per_cutoff() -> None:
    sizes = {
        (s.cutoff, s.arm): s.count
        for s in population_sizes(load_evidence(evidence_files()))
        if s.population == "inovate-safety"
    }
    assert sizes == SAFETY_SIZES


def test_transplanted_population_is_one_id_at_both_cutoffs() -> None:
    evidence = load_evidence(evidence_files())
    assert "inovate-safety-hsct-final" not in evidence.populations
    sizes = {
        (s.cutoff, s.arm): s.count
        for s in population_sizes(evidence)
        if s.population == "inovate-safety-hsct"
    }
    assert sizes == {
        ("inovate-2014-10-02", "inovate-ino"): 48,
        ("inovate-2014-10-02", "inovate-soc"): 20,
        ("inovate-abstract-2015", "inovate-ino"): 48,  # the review's "48 compared with 20"
        ("inovate-abstract-2015", "inovate-soc"): 20,
        ("inovate-2017-01-04", "inovate-ino"): 79,
        ("inovate-2017-01-04", "inovate-soc"): 35,
    }
    assert "139" not in evidence.populations["inovate-safety"].label
    assert "48" not in evidence.populations["inovate-safety-hsct"].label


def test_size_nodes_in_the_graph(built: BuiltDataset) -> None:
    g = built.dataset
    node = size_iri("inovate-safety", "inovate-2017-01-04", "inovate-ino")
    assert node == DATA["population/inovate-safety/size/inovate-2017-01-04/inovate-ino"]
    assert (population_iri("inovate-safety"), INO.hasSize, node, None) in g
    assert (node, INO.participantCount, Literal(164, datatype=XSD.integer), None) in g
    assert (node, INO.sizeAtCutoff, DATA["cutoff/inovate-2017-01-04"], None) in g
    assert (node, INO.sizeInArm, DATA["arm/inovate-ino"], None) in g
    derived = {o for _s, _p, o, _g in g.quads((node, PROV.wasDerivedFrom, None, None))}
    assert derived == {
        result_iri("kantarjian2019-safety-n-ino"),
        result_iri("kantarjian2019-safety-n-ino-abs"),
        result_iri("kantarjian2019-t4-n-ino"),
    }
    rows = g.query(
        """
        PREFIX ino: <https://w3id.org/inograph/ontology#>
        SELECT ?cutoff ?arm ?n WHERE {
          <https://w3id.org/inograph/id/population/inovate-safety> ino:hasSize ?size .
          ?size ino:participantCount ?n ; ino:sizeAtCutoff ?c ; ino:sizeInArm ?a .
          BIND(STRAFTER(STR(?c), "/cutoff/") AS ?cutoff)
          BIND(STRAFTER(STR(?a), "/arm/") AS ?arm)
        }
        """
    )
    found = {(str(r[0]), str(r[1]), int(r[2])) for r in rows}  # type: ignore[index]
    assert found == {(c, a, n) for (c, a), n in SAFETY_SIZES.items() if a is not None}


POPULATIONS = """\
publication: {{id: one2020, title: One, year: 2020, source_file: one.txt, kind: primary-report}}
trials:
  - id: tiny
    label: TINY
    arms: [{{id: tiny-x, label: Drug X}}]
cutoffs:
  - {{id: c1, trial: tiny, date: 2014-10-02, label: first}}
  - {{id: c2, trial: tiny, date: 2017-01-04, label: final}}
populations:
  - {{id: tiny-safety, trial: tiny, kind: safety, label: "{label}"}}
endpoints:
  - {{id: population-size, label: Population size, kind: disposition}}
results:
  - {{id: one2020-n1, measure: count, endpoint: population-size, trial: tiny, population: tiny-safety,
     arm: tiny-x, value: 139, cutoff: c1, location: {{section: Results}}, quote: "139"}}
  - {{id: one2020-n2, measure: count, endpoint: population-size, trial: tiny, population: tiny-safety,
     arm: tiny-x, value: {second}, cutoff: {cutoff}, location: {{section: Results}}, quote: "164"}}
"""


def _write(tmp_path: Path, label: str, second: int, cutoff: str) -> Path:
    path = tmp_path / "one2020.yaml"
    path.write_text(POPULATIONS.format(label=label, second=second, cutoff=cutoff), encoding="utf-8")
    return path


def test_a_label_naming_one_cutoffs_count_fails(tmp_path: Path) -> None:
    path = _write(tmp_path, "Safety population (139 treated)", 164, "c2")
    with pytest.raises(EvidenceError) as info:
        population_sizes(load_evidence([path]))
    assert str(info.value) == (
        f"{path}:10: population 'tiny-safety' has different sizes at c1, c2 but its label names 139, "
        "the count of one cutoff; keep counts out of the label (the sizes are recorded per cutoff)"
    )


def test_a_label_without_counts_passes(tmp_path: Path) -> None:
    path = _write(tmp_path, "Safety population (received at least one dose)", 164, "c2")
    sizes = population_sizes(load_evidence([path]))
    assert [(s.cutoff, s.arm, s.count) for s in sizes] == [("c1", "tiny-x", 139), ("c2", "tiny-x", 164)]


def test_two_sizes_at_one_cutoff_fail(tmp_path: Path) -> None:
    path = _write(tmp_path, "Safety population", 164, "c1")
    with pytest.raises(
        EvidenceError, match=r"one2020\.yaml:16: one2020-n2 prints 164 as the size of tiny-safety"
    ):
        population_sizes(load_evidence([path]))
