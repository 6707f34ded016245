"""The OWL verdict is cached by content: HermiT runs again only when the input it reads changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

import inograph.reasoning
from inograph.build import BuiltDataset, build_dataset
from inograph.namespaces import DATA, INO, RDF, RDFS
from inograph.reasoning import ReasonerReport, check_consistency, java_available, reasoner_input
from tests.test_errors import MINI, _mini_copy, run_cli

pytestmark = [
    pytest.mark.java,
    pytest.mark.skipif(not java_available(), reason="HermiT needs a Java runtime"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("INOGRAPH_CACHE", str(directory))
    return directory


def _mini() -> BuiltDataset:
    return build_dataset(evidence_paths=[MINI / "evidence" / "mini2020.yaml"], sources_dir=MINI / "sources")


def _no_hermit(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> ReasonerReport:
        raise AssertionError("HermiT ran although its verdict on this input was cached")

    monkeypatch.setattr(inograph.reasoning, "_run_hermit", refuse)


def test_second_validate_takes_the_verdict_from_the_cache(
    cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    evidence, sources = _mini_copy(tmp_path)
    args = ["validate", "--evidence", str(evidence), "--sources", str(sources)]
    code, first, _ = run_cli(args, capsys)
    assert code == 0
    (owl_line,) = [line for line in first.splitlines() if line.startswith("OWL (HermiT)")]
    assert owl_line.startswith("OWL (HermiT): consistent (")
    assert "cache" not in owl_line
    assert len(list(cache.glob("*.owl"))) == 1

    _no_hermit(monkeypatch)
    code, second, err = run_cli(args, capsys)
    assert code == 0
    (cached_line,) = [line for line in second.splitlines() if line.startswith("OWL (HermiT)")]
    axioms = owl_line.split("(")[2].split(" axioms")[0]
    assert cached_line.startswith(f"OWL (HermiT): consistent ({axioms} axioms, ")
    assert cached_line.endswith("; verdict from the cache, same input as an earlier run)")
    assert second.splitlines()[-1] == "conforms"
    assert err == ""


def test_a_changed_ontology_is_reasoned_over_again(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = _mini()
    first = check_consistency(built.dataset)
    assert (first.consistent, first.cached) == (True, False)
    # one more ontology axiom: a new subclass of Arm (consistent, but a new input)
    axiom = Graph()
    axiom.add((URIRef("https://w3id.org/inograph/ontology#ReviewedArm"), RDFS.subClassOf, INO.Arm))
    changed = check_consistency(built.dataset, extra=[axiom])
    assert (changed.consistent, changed.cached) == (True, False)
    assert changed.axioms == first.axioms + 1
    assert len(list(cache.glob("*.owl"))) == 2
    _no_hermit(monkeypatch)
    assert check_consistency(built.dataset, extra=[axiom]).cached is True


def test_an_inconsistent_verdict_is_cached_with_its_explanation(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _mini()
    clash = Graph()
    clash.add((DATA["result/mini2020-os-hr"], RDF.type, INO.Percentage))  # a hazard ratio is no percentage
    first = check_consistency(built.dataset, extra=[clash])
    assert first.consistent is False
    assert first.message.startswith("the ontology and data are inconsistent")
    _no_hermit(monkeypatch)
    again = check_consistency(built.dataset, extra=[clash])
    assert (again.consistent, again.message, again.axioms, again.cached) == (
        False,
        first.message,
        first.axioms,
        True,
    )


@pytest.mark.parametrize(
    "damage",
    [
        lambda entry: b"",
        lambda entry: entry[: len(entry) // 2],
        lambda entry: entry.replace(b"true", b"fals"),
        lambda entry: entry.replace(b'"consistent": true', b'"consistent": false'),
    ],
    ids=["empty", "truncated", "value-changed", "verdict-flipped"],
)
def test_a_damaged_verdict_is_ignored_with_a_warning(
    damage: object, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    built = _mini()
    key = inograph.reasoning._key(reasoner_input(built.dataset))
    from inograph.cache import write_entry

    write_entry(
        f"{key}.owl", '{"axioms": 1, "consistent": true, "message": "consistent", "reasoner": "HermiT"}\n'
    )
    entry = cache / f"{key}.owl"
    assert callable(damage)
    entry.write_bytes(damage(entry.read_bytes()))

    report = check_consistency(built.dataset)

    assert (report.consistent, report.cached) == (True, False)  # HermiT ran again
    warning = capsys.readouterr().err.strip()
    assert warning.startswith(f"inograph: warning: {entry}: damaged reasoner cache entry (")
    assert warning.endswith("); discarded, running the reasoner")
    assert b'"consistent": true' in entry.read_bytes()  # the fresh verdict, sealed again
    assert check_consistency(built.dataset).cached is True


def test_no_verdict_is_kept_with_the_cache_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("INOGRAPH_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    built = _mini()
    assert check_consistency(built.dataset).cached is False
    assert check_consistency(built.dataset).cached is False
    assert list(tmp_path.rglob("*.owl")) == []


@pytest.mark.parametrize(
    "body",
    [
        '{"axioms": 1, "consistent": null, "message": "consistent", "reasoner": "HermiT"}\n',
        '{"axioms": 1, "consistent": "false", "message": "consistent", "reasoner": "HermiT"}\n',
        '{"axioms": "many", "consistent": true, "message": "consistent", "reasoner": "HermiT"}\n',
        '{"axioms": 1, "consistent": true, "message": ["consistent"], "reasoner": "HermiT"}\n',
        "[true]\n",
        "consistent\n",
    ],
    ids=["verdict-null", "verdict-a-string", "axioms-a-string", "message-a-list", "a-list", "not-json"],
)
def test_a_sealed_entry_that_is_no_verdict_is_not_trusted(
    body: str, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the checksum matches (the entry was written whole), but what it holds is no verdict
    built = _mini()
    key = inograph.reasoning._key(reasoner_input(built.dataset))
    from inograph.cache import write_entry

    write_entry(f"{key}.owl", body)

    report = check_consistency(built.dataset)

    assert (report.consistent, report.cached) == (True, False)  # HermiT ran again
    assert capsys.readouterr().err == (
        f"inograph: warning: {cache / f'{key}.owl'}: damaged reasoner cache entry (not a verdict); "
        "discarded, running the reasoner\n"
    )
    assert check_consistency(built.dataset).cached is True
