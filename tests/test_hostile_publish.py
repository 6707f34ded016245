"""``inograph publish`` against careless settings and a store that answers nonsense."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from inograph.credentials import store_auth
from inograph.errors import InographError
from tests.test_errors import run_cli

GRAPH = "https://w3id.org/inograph/graph/"
NOT_A_COUNT = (
    b'{"head": {"vars": ["triples"]}, '
    b'"results": {"bindings": [{"triples": {"type": "literal", "value": "lots"}}]}}'
)


@pytest.fixture
def nonsense() -> Iterator[str]:
    """A store that takes every PUT and answers every query with a count that is not a number."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def _answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            body = b"" if self.command == "PUT" else NOT_A_COUNT
            self.send_response(204 if self.command == "PUT" else 200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_PUT = _answer  # noqa: N815

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/store"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _tiny(tmp_path: Path) -> str:
    path = tmp_path / "t.trig"
    path.write_text(f'<{GRAPH}tiny> {{ <https://w3id.org/inograph/id/x> <https://w3id.org/inograph/ontology#p> "x" . }}\n',
                    encoding="utf-8")  # fmt: skip
    return str(path)


def test_a_count_that_is_not_a_number_is_one_line(
    nonsense: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(["publish", "--endpoint", nonsense, "--dataset", _tiny(tmp_path)], capsys)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == (
        f"inograph: error: all graphs were loaded, but counting them failed: {nonsense} counted "
        f"'lots' triples in <{GRAPH}tiny>, not a number"
    )


@pytest.mark.parametrize("timeout", ["nan", "inf", "1e300"])
def test_a_timeout_that_is_not_a_usable_number_is_refused(
    timeout: str, nonsense: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["publish", "--endpoint", nonsense, "--dataset", _tiny(tmp_path), "--timeout", timeout]
    code, out, err = run_cli(args, capsys)
    assert (code, out) == (2, "")
    assert err == f"inograph: error: timeout {float(timeout):g} s: give a number of seconds from 1 to 86400\n"


def _authorization(auth: object) -> str:
    request = requests.Request("PUT", "http://example.org/store", auth=auth).prepare()  # type: ignore[arg-type]
    return request.headers["Authorization"]


def test_credentials_beyond_latin_1_are_sent_as_utf_8() -> None:
    auth = store_auth({"INOGRAPH_STORE_USER": "用户", "INOGRAPH_STORE_PASSWORD": "密码"})
    expected = base64.b64encode("用户:密码".encode()).decode("ascii")
    assert _authorization(auth) == f"Basic {expected}"
    latin = store_auth({"INOGRAPH_STORE_USER": "usér", "INOGRAPH_STORE_PASSWORD": "pässwört"})
    assert _authorization(latin) == "Basic " + base64.b64encode("usér:pässwört".encode("latin-1")).decode(
        "ascii"
    )


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"INOGRAPH_STORE_TOKEN": "令牌"},
            "INOGRAPH_STORE_TOKEN: a bearer token is printable ASCII without spaces",
        ),
        (
            {"INOGRAPH_STORE_TOKEN": "a\nb"},
            "INOGRAPH_STORE_TOKEN: a bearer token is printable ASCII without spaces",
        ),
        (
            {"INOGRAPH_STORE_USER": "dr:who", "INOGRAPH_STORE_PASSWORD": "x"},
            "INOGRAPH_STORE_USER: a user name for basic authentication has no ':'",
        ),
    ],
    ids=["token-non-ascii", "token-newline", "user-colon"],
)
def test_credentials_that_cannot_be_sent_are_refused(environ: dict[str, str], message: str) -> None:
    with pytest.raises(InographError) as info:
        store_auth(environ)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            f"<http://e/s> <http://e/p> <http://e/o> <{GRAPH}x> .\n<http://e/s> <http://e/p> <http://e/o> .\n",
            "the dataset has triples outside a named graph; inograph writes none",
        ),
        ("<http://e/s> <http://e/p> <http://e/o> <http://e/g> .\n", f"graphs outside {GRAPH}: http://e/g"),
        ("", "the dataset has no named graph to publish"),
    ],
    ids=["default-graph-triple", "foreign-graph", "empty"],
)
def test_a_dataset_file_that_cannot_be_published_is_named(
    text: str, problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.nq"
    path.write_text(text, encoding="utf-8")
    code, out, err = run_cli(
        ["publish", "--endpoint", "http://127.0.0.1:9/q", "--dataset", str(path)], capsys
    )
    assert (code, out, err) == (2, "", f"inograph: error: {path}: {problem}\n")
