"""HermiT runs beside SHACL (a second thread, its own JVM options) and changes nothing it reports."""

from __future__ import annotations

import os
import shutil
import stat
import threading
from pathlib import Path

import pytest
from rdflib import Dataset

import inograph.reasoning
import inograph.validation
from inograph.build import build_dataset
from inograph.errors import ShapeError
from inograph.reasoning import HERMIT_JVM_OPTIONS, ReasonerReport, check_consistency, java_available
from inograph.validation import validate_dataset
from tests.test_errors import MINI

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _mini_dataset() -> Dataset:
    return build_dataset(
        evidence_paths=[MINI / "evidence" / "mini2020.yaml"], sources_dir=MINI / "sources"
    ).dataset


def test_the_reasoner_runs_while_shacl_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    # SHACL waits until the reasoner has started: run one after the other, this would time out
    reasoner_started = threading.Event()
    threads: dict[str, str] = {}

    def reasoner() -> ReasonerReport:
        threads["reasoner"] = threading.current_thread().name
        reasoner_started.set()
        return ReasonerReport("HermiT", True, "consistent", 0.0, 7)

    def shacl(*_args: object, **_kwargs: object) -> tuple[()]:
        threads["shacl"] = threading.current_thread().name
        assert reasoner_started.wait(timeout=30), "the reasoner did not start while SHACL ran"
        return ()

    monkeypatch.setattr(inograph.validation, "consistency_check", lambda *_a, **_k: reasoner)
    monkeypatch.setattr(inograph.validation, "run_shacl", shacl)
    report = validate_dataset(_mini_dataset())
    assert report.reasoner == ReasonerReport("HermiT", True, "consistent", 0.0, 7)
    assert report.conforms
    assert threads["shacl"] == threading.main_thread().name
    assert threads["reasoner"].startswith("inograph-owl")


def test_a_shacl_error_still_reaches_the_caller_and_leaves_no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    def shacl(*_args: object, **_kwargs: object) -> tuple[()]:
        raise ShapeError("shapes/x.ttl: sh:severity is not supported")

    monkeypatch.setattr(inograph.validation, "run_shacl", shacl)
    monkeypatch.setattr(
        inograph.validation,
        "consistency_check",
        lambda *_a, **_k: lambda: ReasonerReport("HermiT", True, "consistent", 0.0, 1),
    )
    with pytest.raises(ShapeError, match="sh:severity"):
        validate_dataset(_mini_dataset())
    assert not [t for t in threading.enumerate() if t.name.startswith("inograph-owl")]


@pytest.mark.parametrize("user_options", [None, "-Dinograph.test=1"])
def test_jvm_options_come_first_and_the_environment_is_restored(
    user_options: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if user_options is None:
        monkeypatch.delenv("JAVA_TOOL_OPTIONS", raising=False)
    else:
        monkeypatch.setenv("JAVA_TOOL_OPTIONS", user_options)
    with inograph.reasoning._jvm_options(HERMIT_JVM_OPTIONS):
        expected = HERMIT_JVM_OPTIONS + (f" {user_options}" if user_options else "")
        assert os.environ["JAVA_TOOL_OPTIONS"] == expected
    assert os.environ.get("JAVA_TOOL_OPTIONS") == user_options


@pytest.mark.java
@pytest.mark.skipif(not java_available(), reason="HermiT needs a Java runtime")
def test_hermit_jvm_gets_the_options_and_keeps_the_users(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a `java` first on PATH that notes what it was given, then runs the real one
    real_java = shutil.which("java")
    assert real_java is not None
    seen = tmp_path / "seen.txt"
    wrapper = tmp_path / "bin" / "java"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\nprintf "%s" "$JAVA_TOOL_OPTIONS" > "{seen}"\nexec "{real_java}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("JAVA_TOOL_OPTIONS", "-Dinograph.test=1")
    monkeypatch.setenv("INOGRAPH_CACHE", "off")

    report = check_consistency(_mini_dataset())

    assert (report.consistent, report.cached) == (True, False)
    assert seen.read_text() == f"{HERMIT_JVM_OPTIONS} -Dinograph.test=1"
    assert os.environ["JAVA_TOOL_OPTIONS"] == "-Dinograph.test=1"


def test_the_reasoner_never_sees_what_shacl_writes_into_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    # the SHACL engine keeps scratch graphs (shapes, focus pairs) in the data's own store while
    # it runs; the reasoner's input is the data's alone, selected before SHACL starts
    import pyoxigraph as ox

    from inograph.reasoning import reasoner_input
    from inograph.store import backing_store

    dataset = _mini_dataset()
    expected = reasoner_input(dataset)
    store = backing_store(dataset)
    assert store is not None
    judged = threading.Event()
    inputs: list[bytes] = []

    def judge(text: bytes, _started: float) -> ReasonerReport:
        inputs.append(text)
        judged.set()
        return ReasonerReport("HermiT", True, "consistent", 0.0, text.count(b"\n"))

    scratch = ox.Quad(
        ox.NamedNode("urn:x:shape"),
        ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
        ox.NamedNode("urn:x:other"),
        ox.NamedNode("urn:x:scratch"),
    )

    def shacl(*_args: object, **_kwargs: object) -> tuple[()]:
        store.add(scratch)  # as the engine's scratch graph, present while the reasoner runs
        try:
            assert judged.wait(timeout=30)
        finally:
            store.remove(scratch)
        return ()

    monkeypatch.setattr(inograph.reasoning, "_judge", judge)
    monkeypatch.setattr(inograph.reasoning, "java_available", lambda: True)
    monkeypatch.setattr(inograph.validation, "run_shacl", shacl)
    validate_dataset(dataset)
    assert inputs == [expected]
