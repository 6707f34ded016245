"""Runaway and outward-reaching queries: a time limit, a row cap, SERVICE refused, Ctrl-C prompt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from inograph.build import BuiltDataset
from inograph.errors import QueryError
from inograph.queries import sparql
from inograph.query_limits import QueryLimits

CARTESIAN_ROWS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CARTESIAN_COUNT = "SELECT (COUNT(*) AS ?rows) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_cartesian_select_stops_at_the_row_cap(built: BuiltDataset) -> None:
    with pytest.raises(QueryError, match=r"^mine: more than 1,000 rows; narrow the query"):
        sparql(CARTESIAN_ROWS, built=built, name="mine", limits=QueryLimits(timeout=20, max_rows=1000))


def test_a_cartesian_count_stops_at_the_time_limit(built: BuiltDataset) -> None:
    started = time.monotonic()
    with pytest.raises(QueryError, match=r"^mine: stopped after its time limit of 0\.5 s"):
        sparql(CARTESIAN_COUNT, built=built, name="mine", limits=QueryLimits(timeout=0.5))
    assert time.monotonic() - started < 3


def test_answers_within_the_limits_are_unchanged(built: BuiltDataset) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/inograph/ontology#HazardRatio> }"
    limited = sparql(text, built=built, limits=QueryLimits(timeout=10, max_rows=1))
    unlimited = sparql(text, built=built, limits=QueryLimits(timeout=None, max_rows=None))
    assert limited.rows == unlimited.rows


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * where { ?x ?y ?z OPTIONAL { service silent <http://127.0.0.1:9/s> { ?x ?q ?r } } }",
    ],
)
def test_service_is_refused_before_anything_runs(text: str, built: BuiltDataset) -> None:
    with pytest.raises(QueryError, match=r"SERVICE clauses call other servers and are refused"):
        sparql(text, built=built, name="mine")


def test_the_word_service_in_a_literal_is_not_a_service_call(built: BuiltDataset) -> None:
    text = 'SELECT ?x WHERE { BIND("SERVICE" AS ?x) }'
    assert [str(r["x"]) for r in sparql(text, built=built)] == ["SERVICE"]


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INOGRAPH_QUERY_TIMEOUT", "0")
    monkeypatch.setenv("INOGRAPH_MAX_ROWS", "25")
    monkeypatch.setenv("INOGRAPH_ALLOW_SERVICE", "1")
    assert QueryLimits.from_environment() == QueryLimits(timeout=None, max_rows=25, allow_service=True)
    monkeypatch.setenv("INOGRAPH_MAX_ROWS", "many")
    with pytest.raises(QueryError, match=r"^\$INOGRAPH_MAX_ROWS: 'many' is not a number$"):
        QueryLimits.from_environment()


def _cli(args: list[str], tmp_path: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "inograph", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
        cwd=tmp_path,
    )


@pytest.mark.usefixtures("built")  # the build cache is warm, so the CLI reaches the query at once
def test_cli_time_limit_is_one_line_and_exit_2(tmp_path: Path) -> None:
    query_file = tmp_path / "count.rq"
    query_file.write_text(CARTESIAN_COUNT + "\n", encoding="utf-8")
    process = _cli(["query", "--file", str(query_file)], tmp_path, INOGRAPH_QUERY_TIMEOUT="1")
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 2
    assert err.startswith("inograph: error: count: stopped after its time limit of 1 s;")
    assert err.count("\n") == 1


@pytest.mark.usefixtures("built")
def test_ctrl_c_stops_a_running_query_at_once(tmp_path: Path) -> None:
    query_file = tmp_path / "count.rq"
    query_file.write_text(CARTESIAN_COUNT + "\n", encoding="utf-8")
    process = _cli(["query", "--file", str(query_file)], tmp_path, INOGRAPH_QUERY_TIMEOUT="0")
    time.sleep(8)  # the process has loaded the cached dataset and is counting
    assert process.poll() is None
    interrupted = time.monotonic()
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=30)
    assert time.monotonic() - interrupted < 5
    assert process.returncode == 130
    assert err.strip() == "inograph: interrupted"


@pytest.mark.usefixtures("built")
def test_cli_options_set_the_limits(tmp_path: Path) -> None:
    query_file = tmp_path / "rows.rq"
    query_file.write_text(CARTESIAN_ROWS + "\n", encoding="utf-8")
    process = _cli(["query", "--file", str(query_file), "--max-rows", "10", "--format", "tsv"], tmp_path)
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 2
    assert err.startswith("inograph: error: rows: more than 10 rows; narrow the query")
    service = tmp_path / "service.rq"
    service.write_text(
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }\n", encoding="utf-8"
    )
    refused = _cli(["query", "--file", str(service)], tmp_path)
    _out, err = refused.communicate(timeout=120)
    assert refused.returncode == 2
    assert "allow them with --allow-service" in err
    allowed = _cli(["query", "--file", str(service), "--allow-service", "--format", "tsv"], tmp_path)
    _out, err = allowed.communicate(timeout=120)
    assert "SERVICE clauses call other servers" not in err  # it ran: the local port 9 refuses it
