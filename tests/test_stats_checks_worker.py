"""The statistics checks' helper process: its report is the build's own, and when it cannot give
one (no interpreter, dead, another copy of inograph, the checks raising) the build computes it;
no helper outlives its worker."""

from __future__ import annotations

import io
import pickle
import sys
from typing import Any

import pytest

import inograph.stats_checks.run as run
from inograph.build import BuiltDataset
from inograph.stats_checks.findings import Check, CheckReport, Verdict
from inograph.stats_checks.findings_rdf import finding_quads
from inograph.stats_checks.records import CheckedResult, read_results
from inograph.stats_checks.worker import ChecksWorker, serve


def _key(report: CheckReport) -> tuple[Any, ...]:
    """Everything a report says except its running time."""
    return report.findings, report.results, report.ci_methods, report.iris


def _refuse(*args: object, **kwargs: object) -> CheckReport:
    raise AssertionError("the build ran the checks itself")


@pytest.fixture(scope="module")
def results(built: BuiltDataset) -> list[CheckedResult]:
    return read_results(built.store)


@pytest.fixture(scope="module")
def here(results: list[CheckedResult]) -> CheckReport:
    return run.check_results(results)


def test_the_curated_graph_has_these_findings(here: CheckReport) -> None:
    assert here.results == 1578
    assert len(here.findings) == 2020
    counts = here.counts()
    assert counts[(Check.PROPORTION_CI.value, Verdict.CONSISTENT.value)] == 32
    assert counts[(Check.DIFFERENCE_CI.value, Verdict.CONSISTENT.value)] == 6


def test_the_helper_answers_with_the_builds_own_report(
    results: list[CheckedResult], here: CheckReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ChecksWorker() as worker:
        monkeypatch.setattr(run, "check_results", _refuse)  # only the helper may compute
        worker.ask(results)
        report, findings = worker.answer()
    assert _key(report) == _key(here)
    assert findings == finding_quads(here)  # the same terms, in the same order
    assert len(findings) == 18643


def test_without_an_interpreter_the_build_computes_the_report(
    results: list[CheckedResult], here: CheckReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    with ChecksWorker() as worker:
        assert _key(worker.check(results)) == _key(here)


def test_a_dead_helper_leaves_the_build_to_compute_the_report(
    results: list[CheckedResult], here: CheckReport
) -> None:
    with ChecksWorker() as worker:
        process = worker._process
        assert process is not None
        process.kill()
        process.wait()
        assert _key(worker.check(results)) == _key(here)


def test_the_helper_refuses_another_copy_of_inograph(results: list[CheckedResult]) -> None:
    source = io.BytesIO(pickle.dumps(("/elsewhere/inograph/__init__.py", results)))
    sink = io.BytesIO()
    serve(source, sink)
    assert pickle.loads(sink.getvalue()) == (None, [], b"")


def test_answer_needs_a_question() -> None:
    with ChecksWorker() as worker, pytest.raises(RuntimeError, match="before ask"):
        worker.answer()


def test_checks_that_raise_in_the_helper_are_left_to_the_build() -> None:
    import inograph

    source = io.BytesIO(pickle.dumps((inograph.__file__, [object()])))
    sink = io.BytesIO()
    serve(source, sink)
    assert pickle.loads(sink.getvalue()) == (None, [], b"")


def test_a_build_that_ends_without_asking_ends_its_helper() -> None:
    with pytest.raises(KeyError), ChecksWorker() as worker:
        process = worker._process
        raise KeyError("the build failed before its checks")
    assert process is not None
    assert process.returncode is not None  # ended and reaped
    serve(io.BytesIO(), io.BytesIO())  # a helper whose build closed its input just ends
