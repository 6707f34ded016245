"""The published ontology as other tools read it: the OWL API's OWL 2 DL profile checker, and
owlready2 (which reads no Turtle) loading the RDF/XML copy and running its HermiT on it."""

from __future__ import annotations

import runpy
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
CHECKER = Path(__file__).parent / "java" / "ProfileCheck.java"
#: Debian's libowlapi-java (OWL API 5.1) and its dependencies
OWLAPI = Path("/usr/share/java/owlapi-distribution.jar")


def _profile_check(document: Path) -> list[str]:
    if shutil.which("java") is None:
        pytest.skip("no Java runtime on PATH: apt-get install default-jre-headless")
    if not OWLAPI.is_file():
        pytest.skip(f"the OWL API is not installed ({OWLAPI}): apt-get install libowlapi-java")
    done = subprocess.run(
        ["java", "-cp", f"{OWLAPI.parent}/*", str(CHECKER), str(document)],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    return done.stdout.splitlines()


@pytest.mark.parametrize("name", ["inograph.ttl", "mappings.ttl", "inograph.owl"])
def test_the_ontology_is_owl2_dl(name: str) -> None:
    """No violation at all: every PROV, SKOS and DCTERMS term is declared, and no range names a
    datatype outside OWL 2's datatype map (xsd:gYear and xsd:date ranges are rdfs:Literal in
    OWL; the SHACL shapes keep sh:datatype xsd:gYear / xsd:date)."""
    assert _profile_check(ONTOLOGY / name) == ["IN PROFILE"]


def test_the_checker_finds_violations(tmp_path: Path) -> None:
    """The check can fail: the ontology as it was (an xsd:gYear range, undeclared PROV terms)."""
    broken = tmp_path / "broken.ttl"
    text = (ONTOLOGY / "inograph.ttl").read_text(encoding="utf-8")
    text = text.replace("rdfs:domain ino:Publication ; rdfs:range rdfs:Literal", "rdfs:domain ino:Publication ; "
                        "rdfs:range xsd:gYear").replace("prov:Entity a owl:Class .", "")  # fmt: skip
    broken.write_text(text, encoding="utf-8")
    lines = _profile_check(broken)
    assert lines[-1] == "NOT IN PROFILE"
    assert any(line.startswith("Use of undeclared datatype: xsd:gYear") for line in lines)
    assert any(line.startswith("Use of undeclared class: <http://www.w3.org/ns/prov#Entity>") for line in lines)


def test_the_rdfxml_copy_is_up_to_date() -> None:
    tool = runpy.run_path(str(ROOT / "tools" / "ontology_rdfxml.py"))
    assert (ONTOLOGY / "inograph.owl").read_bytes() == tool["rdfxml"](ONTOLOGY / "inograph.ttl"), (
        "ontology/inograph.owl is out of date: run python tools/ontology_rdfxml.py"
    )
    assert isomorphic(
        Graph().parse(ONTOLOGY / "inograph.owl", format="xml"), Graph().parse(ONTOLOGY / "inograph.ttl")
    )


def test_owlready2_and_hermit_read_the_published_copy() -> None:
    """owlready2 0.51 loads ontology/inograph.owl as published, and its HermiT finds it
    consistent with no unsatisfiable class."""
    if shutil.which("java") is None:
        pytest.skip("no Java runtime on PATH: HermiT needs one (apt-get install default-jre-headless)")
    import owlready2

    world = owlready2.World()
    try:
        onto = world.get_ontology((ONTOLOGY / "inograph.owl").as_uri()).load()
        assert onto.base_iri == "https://w3id.org/inograph/ontology#"
        assert onto.Result is not None and onto.HazardRatio is not None
        assert [c.iri for c in onto.Result.is_a] == ["http://www.w3.org/ns/prov#Entity"]
        assert onto.HazardRatio in onto.Result.descendants()
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        assert list(world.inconsistent_classes()) == []
    finally:
        world.close()
