"""``inograph validate``: exit 0 when everything conforms, 1 on violations, with a readable report."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal

from inograph.build import build_dataset
from inograph.namespaces import DATA, INO, OWL, RDF
from inograph.reasoning import check_consistency, java_available
from inograph.validation import validate_dataset
from tests.test_errors import MINI, _mini_copy, run_cli

#: a curator's new extraction with two faults: a p-value above 1 and a percentage without counts
CURATOR_FILE_WITH_VIOLATIONS = (
    "@prefix ino: <https://w3id.org/inograph/ontology#> .\n"
    "<https://w3id.org/inograph/id/result/new-1> a ino:Result , ino:Percentage ;\n"
    "    ino:value 12.5 ; ino:pValueNumeric 2.0 .\n"
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_validate_conforming_graph_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    evidence, sources = _mini_copy(tmp_path)
    code, out, _ = run_cli(
        ["validate", "--no-reasoner", "--evidence", str(evidence), "--sources", str(sources)], capsys
    )
    assert code == 0
    assert out.splitlines()[-1] == "conforms"


def test_validate_curator_file_with_violation_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evidence, sources = _mini_copy(tmp_path)
    extra = tmp_path / "new-extraction.ttl"
    extra.write_text(CURATOR_FILE_WITH_VIOLATIONS, encoding="utf-8")
    code, out, _ = run_cli(
        [
            "validate",
            "--no-reasoner",
            "--evidence",
            str(evidence),
            "--sources",
            str(sources),
            "--data",
            str(extra),
        ],
        capsys,
    )
    assert code == 1
    lines = out.splitlines()
    assert (
        f"Violation: inod:result/new-1 ino:pValueNumeric (value 2.0): A p-value lies in [0, 1]. [{extra}]"
    ) in lines
    assert (
        "Violation: inod:result/new-1 ino:reportedIn: A result belongs to exactly one publication. "
        f"[{extra}]" in lines
    )
    assert lines[-1] == "does not conform"


def test_violation_in_evidence_names_curation_file_and_line() -> None:
    built = build_dataset(evidence_paths=[MINI / "evidence" / "mini2020.yaml"], sources_dir=MINI / "sources")
    result = DATA["result/mini2020-cr-x"]
    graph = next(g for g in built.dataset.graphs() if (result, None, None) in g)
    graph.set((result, INO.numerator, Literal(101)))
    report = validate_dataset(built.dataset, reasoner=False)
    (violation,) = [
        v
        for v in report.violations
        if v.focus == str(result) and v.shape.endswith("#Result-numeratorBelowDenominator")
    ]
    line = (MINI / "evidence" / "mini2020.yaml").read_text(encoding="utf-8").splitlines().index(
        "  - id: mini2020-cr-x"
    ) + 1
    assert violation.origin == f"evidence/mini2020.yaml:{line}"


@pytest.mark.java
@pytest.mark.skipif(not java_available(), reason="HermiT needs a Java runtime")
def test_reasoner_catches_individual_in_disjoint_classes() -> None:
    built = build_dataset(evidence_paths=[MINI / "evidence" / "mini2020.yaml"], sources_dir=MINI / "sources")
    data = Graph()
    for s, p, o, _g in built.dataset.quads():
        data.add((s, p, o))
    assert check_consistency(data).consistent is True
    # a trial that is also an arm: Trial and Arm are disjoint
    data.add((DATA["trial/tiny"], RDF.type, INO.Arm))
    report = check_consistency(data)
    assert report.consistent is False
    assert report.message.startswith("the ontology and data are inconsistent")


@pytest.mark.java
@pytest.mark.skipif(not java_available(), reason="HermiT needs a Java runtime")
def test_reasoner_catches_hazard_ratio_that_is_a_percentage() -> None:
    built = build_dataset(evidence_paths=[MINI / "evidence" / "mini2020.yaml"], sources_dir=MINI / "sources")
    data = Graph()
    for s, p, o, _g in built.dataset.quads():
        data.add((s, p, o))
    data.add((DATA["result/mini2020-os-hr"], RDF.type, INO.Percentage))
    assert check_consistency(data).consistent is False


@pytest.mark.java
@pytest.mark.skipif(not java_available(), reason="HermiT needs a Java runtime")
def test_validate_exits_1_on_owl_inconsistency(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    evidence, sources = _mini_copy(tmp_path)
    extra = tmp_path / "clash.ttl"
    extra.write_text(
        "@prefix ino: <https://w3id.org/inograph/ontology#> .\n"
        "<https://w3id.org/inograph/id/endpoint/cr> a ino:DataCutoff .\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli(
        ["validate", "--evidence", str(evidence), "--sources", str(sources), "--data", str(extra)], capsys
    )
    assert code == 1
    assert any(
        line.startswith("OWL (HermiT): the ontology and data are inconsistent") for line in out.splitlines()
    )
    assert OWL  # namespaces import used


def test_validate_without_java_does_not_claim_conformance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import inograph.reasoning

    monkeypatch.setattr(inograph.reasoning, "java_available", lambda: False)
    evidence, sources = _mini_copy(tmp_path)
    code, out, err = run_cli(["validate", "--evidence", str(evidence), "--sources", str(sources)], capsys)
    assert code == 2
    assert "conforms" not in out.splitlines()
    assert "OWL (HermiT): skipped: no Java runtime on PATH" in out
    assert err == (
        "inograph: error: the OWL check did not run (skipped: no Java runtime on PATH); install a Java "
        "runtime (e.g. apt-get install default-jre-headless) or pass --no-reasoner to validate with SHACL alone\n"
    )


@pytest.mark.java
@pytest.mark.skipif(not java_available(), reason="needs a Java runtime")
def test_a_java_that_cannot_start_is_named_with_its_cause(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the JVM refuses an option of the user's: the message gives the JVM's reason, not its
    # closing "A fatal exception has occurred", and does not tell the user to install Java
    monkeypatch.setenv("JAVA_TOOL_OPTIONS", "-XX:+NoSuchOptionForInograph")
    monkeypatch.setenv("INOGRAPH_CACHE", "off")
    evidence, sources = _mini_copy(tmp_path)
    code, out, err = run_cli(["validate", "--evidence", str(evidence), "--sources", str(sources)], capsys)
    assert code == 2
    reason = "skipped: the reasoner failed: Unrecognized VM option 'NoSuchOptionForInograph'"
    assert f"OWL (HermiT): {reason} (" in out
    assert err == (
        f"inograph: error: the OWL check did not run ({reason}); check the Java runtime and any "
        "JAVA_TOOL_OPTIONS or pass --no-reasoner to validate with SHACL alone\n"
    )
