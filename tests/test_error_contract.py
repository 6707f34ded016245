"""The CLI's error contract: bad input is one line `inograph: error: …` and exit 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import inograph.queries
from inograph.cli import main
from tests.test_errors import run_cli


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["frobnicate"], "No such command 'frobnicate'. (see 'inograph --help')"),
        (["export"], "Missing argument 'FORMAT'."),
        (["export", "csv"], "Missing option '-o' / '--out'. (see 'inograph export --help')"),
        (
            ["query", "remission-rates", "--format", "xml"],
            "Invalid value for '--format': 'xml' is not one of",
        ),
        (["trace"], "Missing argument 'ID|IRI'. (see 'inograph trace --help')"),
        (["stats", "--no-such-option"], "No such option '--no-such-option'. (see 'inograph stats --help')"),
    ],
)
def test_usage_errors_are_one_line_with_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(args, capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("inograph: error: ")
    assert message in err
    assert err.count("\n") == 1
    assert "Usage:" not in err


def test_an_unexpected_exception_is_an_internal_error_not_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> list[object]:
        raise RuntimeError("something\nunforeseen")

    monkeypatch.setattr(inograph.queries, "list_queries", broken)
    code, _out, err = run_cli(["queries"], capsys)
    assert code == 2
    assert err == (
        "inograph: error: internal error (RuntimeError: something unforeseen); "
        "run again with --debug for the traceback\n"
    )
    with pytest.raises(RuntimeError, match="unforeseen"):
        main(["queries", "--debug"])


def test_a_query_file_that_is_not_utf8_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    query_file = tmp_path / "latin1.rq"
    query_file.write_bytes("# title: café\nSELECT * WHERE { ?s ?p ?o } LIMIT 1\n".encode("latin-1"))
    code, _out, err = run_cli(["query", "--file", str(query_file)], capsys)
    assert code == 2
    assert err == (
        f"inograph: error: {query_file}: not UTF-8 text (invalid continuation byte at byte 12); save it as UTF-8\n"
    )


def test_a_closed_pipe_ends_quietly() -> None:
    reader = subprocess.Popen(["head", "-c", "1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    writer = subprocess.run(
        [sys.executable, "-m", "inograph", "queries"], stdout=reader.stdin, stderr=subprocess.PIPE, text=True
    )
    assert reader.stdin is not None
    reader.stdin.close()
    reader.wait()
    assert "Traceback" not in writer.stderr
    assert writer.returncode in (0, 141)
