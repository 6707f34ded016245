"""``inograph publish``: the dataset into a real store with the Graph Store HTTP Protocol.

A writable Oxigraph server (``oxigraph serve``, empty at start) takes the whole dataset, and then
every library query gives the same rows as in-process; a re-publish replaces graphs (no
duplicated triples); errors are one line with exit 2 and say which graphs were loaded. An
authenticating proxy in front of the Oxigraph server (a plain ``http.server`` that records each
request) checks the credentials sent. Virtuoso 7 takes the dataset at its digest-authenticated
Graph Store endpoint (``/sparql-graph-crud-auth``, dba/dba in the test's own database).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from inograph.build import BuiltDataset, serialize_nquads
from inograph.publish import publish
from inograph.queries import list_queries, run_query
from inograph.remote import Endpoint, run_remote, run_remote_text
from tests.stores import oxigraph_store_server, virtuoso_server
from tests.test_errors import run_cli
from tests.test_portable_queries import REQUIRED, normalised

GRAPH = "https://w3id.org/inograph/graph/"
ALL_QUADS = "SELECT (COUNT(*) AS ?quads) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def nquads(built: BuiltDataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("publish") / "inograph.nq"
    path.write_text(serialize_nquads(built.dataset), encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A fresh, empty, writable Oxigraph server: (query URL, Graph Store URL)."""
    try:
        with oxigraph_store_server(tmp_path) as urls:
            yield urls
    except FileNotFoundError as exc:
        pytest.skip(str(exc))


def _tiny(path: Path, *objects: str) -> Path:
    """A TriG file: graph tiny-a holds one triple per object, graph tiny-b one triple."""
    triples = " ".join(f'<https://w3id.org/inograph/id/x> <https://w3id.org/inograph/ontology#p> "{o}" .'
                       for o in objects)  # fmt: skip
    path.write_text(
        f"<{GRAPH}tiny-a> {{ {triples} }}\n"
        f'<{GRAPH}tiny-b> {{ <https://w3id.org/inograph/id/y> <https://w3id.org/inograph/ontology#p> "b" . }}\n',
        encoding="utf-8",
    )
    return path


def _store_rows(query_url: str, text: str) -> list[tuple[str, ...]]:
    result = run_remote_text(Endpoint(query_url, graphs=()), text)
    return sorted(tuple(str(t) for t in row.terms) for row in result)


# --- the whole dataset ------------------------------------------------------------------------


def _same_library_answers(built: BuiltDataset, url: str, *, ordered: bool) -> None:
    for saved in list_queries():
        params = REQUIRED.get(saved.name, {})
        local = run_query(saved, params, built=built)
        remote = run_remote(Endpoint(url), saved, params)
        assert remote.variables == local.variables, saved.name
        mine, theirs = normalised(saved.name, local), normalised(saved.name, remote)
        if not ordered:
            mine, theirs = sorted(mine, key=repr), sorted(theirs, key=repr)
        assert theirs == mine, saved.name


def test_round_trip_gives_every_library_answer(built: BuiltDataset, store: tuple[str, str]) -> None:
    query_url, store_url = store
    loaded: list[str] = []
    report = publish(built.dataset, query_url, store_url, progress=lambda g: loaded.append(g.graph))
    assert report.ok
    names = [g.graph.removeprefix(GRAPH) for g in report.graphs]
    assert names == [
        "kantarjian2013", "kantarjian2016", "kantarjian2019", "links", "morley2016", "ontology", "stats-checks",
    ]  # fmt: skip
    assert loaded == [g.graph for g in report.graphs]
    quads = serialize_nquads(built.dataset).count("\n")
    assert sum(g.stored or 0 for g in report.graphs) == quads
    assert int(run_remote_text(Endpoint(query_url, graphs=()), ALL_QUADS)[0]["quads"]) == quads
    _same_library_answers(built, query_url, ordered=True)


def test_publishing_again_replaces_graphs(
    nquads: Path, store: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    query_url, store_url = store
    args = ["publish", "--endpoint", query_url, "--graph-store", store_url]
    first = _tiny(tmp_path / "v1.trig", "old", "kept")
    code, out, err = run_cli([*args, "--dataset", str(first)], capsys)
    assert code == 0, err
    assert err.splitlines() == [
        f"inograph: loaded <{GRAPH}tiny-a> (2 triples)",
        f"inograph: loaded <{GRAPH}tiny-b> (1 triples)",
    ]
    assert out.splitlines()[1:] == [
        f"{GRAPH}tiny-a        2         2",
        f"{GRAPH}tiny-b        1         1",
        f"2 graphs, 3 triples sent to {store_url}; 3 counted at {query_url}",
    ]
    second = _tiny(tmp_path / "v2.trig", "kept", "new")
    code, out, err = run_cli([*args, "--dataset", str(second), "--body", "turtle"], capsys)
    assert code == 0, err
    assert _store_rows(query_url, "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }") == [("b",), ("kept",), ("new",)]
    # the whole dataset twice: the same quads, none duplicated
    for _ in range(2):
        code, out, err = run_cli([*args, "--dataset", str(nquads)], capsys)
        assert code == 0, err
    total = int(run_remote_text(Endpoint(query_url, graphs=()), ALL_QUADS)[0]["quads"])
    assert total == nquads.read_text(encoding="utf-8").count("\n") + 3  # the tiny graphs stay


# --- errors -----------------------------------------------------------------------------------


def test_a_wrong_url_is_one_line(tmp_path: Path, store: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    tiny = str(_tiny(tmp_path / "t.trig", "x"))
    code, out, err = run_cli(["publish", "--endpoint", "http://127.0.0.1:9/sparql", "--dataset", tiny], capsys)
    assert (code, out) == (2, "")
    assert err == (
        f"inograph: error: PUT <{GRAPH}tiny-a> to http://127.0.0.1:9/sparql: cannot reach the store: "
        "connection refused (no graph was loaded)\n"
    )
    query_url, _ = store  # the query URL is not a Graph Store: Oxigraph answers 404
    code, out, err = run_cli(["publish", "--endpoint", query_url, "--dataset", tiny], capsys)
    assert code == 2
    assert err.startswith(f"inograph: error: PUT <{GRAPH}tiny-a> to {query_url}: HTTP 404: ")
    assert err.endswith("(is it the store's Graph Store Protocol URL? see --graph-store) (no graph was loaded)\n")
    code, out, err = run_cli(["publish", "--endpoint", "ftp://example.org/x", "--dataset", tiny], capsys)
    assert (code, err) == (2, "inograph: error: endpoint 'ftp://example.org/x': give an http:// or https:// URL "
                              "of a SPARQL endpoint\n")  # fmt: skip


@dataclass
class Proxy:
    """Forwards every request to the Oxigraph server; records method, path and Authorization;
    answers 401 without ``expected`` credentials; can fail or stall the n-th PUT."""

    upstream: str
    expected: str | None = None
    fail_put: int | None = None
    stall_put: float = 0.0
    seen: list[tuple[str, str, str]] = field(default_factory=list)
    puts: int = 0
    url: str = ""


def _handler(proxy: Proxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def _answer(self, status: int, body: bytes, kind: str = "text/plain") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            auth = self.headers.get("Authorization", "")
            proxy.seen.append((self.command, self.path.split("?")[0], auth))
            if proxy.expected is not None and auth != proxy.expected:
                self._answer(401, b"authentication required")
                return
            if self.command == "PUT":
                proxy.puts += 1
                if proxy.puts == proxy.fail_put:
                    self._answer(500, b"disk full")
                    return
                time.sleep(proxy.stall_put)
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
            answer = requests.request(self.command, proxy.upstream + self.path, data=body, headers=headers,
                                      timeout=60)  # fmt: skip
            self._answer(answer.status_code, answer.content, answer.headers.get("Content-Type", "text/plain"))

        do_GET = do_POST = do_PUT = _forward  # noqa: N815

    return Handler


@pytest.fixture
def proxy(store: tuple[str, str]) -> Iterator[Proxy]:
    upstream = store[0].removesuffix("/query")
    state = Proxy(upstream)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _publish_args(proxy: Proxy, dataset: Path) -> list[str]:
    return ["publish", "--endpoint", f"{proxy.url}/query", "--graph-store", f"{proxy.url}/store",
            "--dataset", str(dataset)]  # fmt: skip


def test_credentials_come_from_the_environment(
    proxy: Proxy, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tiny = _tiny(tmp_path / "t.trig", "x")
    for name in ("INOGRAPH_STORE_TOKEN", "INOGRAPH_STORE_USER", "INOGRAPH_STORE_PASSWORD", "INOGRAPH_STORE_AUTH"):
        monkeypatch.delenv(name, raising=False)
    proxy.expected = "Bearer s3cret-token"
    code, _out, err = run_cli(_publish_args(proxy, tiny), capsys)
    assert code == 2
    assert err == (
        f"inograph: error: PUT <{GRAPH}tiny-a> to {proxy.url}/store: HTTP 401: authentication required "
        "(set INOGRAPH_STORE_USER/INOGRAPH_STORE_PASSWORD or INOGRAPH_STORE_TOKEN) (no graph was loaded)\n"
    )
    monkeypatch.setenv("INOGRAPH_STORE_TOKEN", "s3cret-token")
    proxy.seen.clear()
    code, out, err = run_cli(_publish_args(proxy, tiny), capsys)
    assert code == 0, err
    # both PUTs and both counting queries carried the token
    assert [(m, p) for m, p, _ in proxy.seen] == [("PUT", "/store")] * 2 + [("POST", "/query")] * 2
    assert {a for _, _, a in proxy.seen} == {"Bearer s3cret-token"}
    monkeypatch.delenv("INOGRAPH_STORE_TOKEN")
    monkeypatch.setenv("INOGRAPH_STORE_USER", "curator")
    monkeypatch.setenv("INOGRAPH_STORE_PASSWORD", "pa:ss")
    proxy.expected = "Basic Y3VyYXRvcjpwYTpzcw=="  # base64 of curator:pa:ss
    code, out, err = run_cli(_publish_args(proxy, tiny), capsys)
    assert code == 0, err
    assert out.endswith(f"2 graphs, 2 triples sent to {proxy.url}/store; 2 counted at {proxy.url}/query\n")
    monkeypatch.delenv("INOGRAPH_STORE_PASSWORD")
    code, _out, err = run_cli(_publish_args(proxy, tiny), capsys)
    assert (code, err) == (2, "inograph: error: INOGRAPH_STORE_PASSWORD is not set (INOGRAPH_STORE_USER and "
                              "INOGRAPH_STORE_PASSWORD go together)\n")  # fmt: skip


def test_a_failure_says_which_graphs_were_loaded(
    proxy: Proxy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tiny = _tiny(tmp_path / "t.trig", "x")
    proxy.fail_put = 2
    code, out, err = run_cli(_publish_args(proxy, tiny), capsys)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"inograph: loaded <{GRAPH}tiny-a> (1 triples)",
        f"inograph: error: PUT <{GRAPH}tiny-b> to {proxy.url}/store: HTTP 500: disk full "
        "(loaded before: tiny-a)",
    ]


def test_a_store_that_does_not_answer_in_time(proxy: Proxy, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proxy.stall_put = 3.0
    code, _out, err = run_cli([*_publish_args(proxy, _tiny(tmp_path / "t.trig", "x")), "--timeout", "1"], capsys)
    assert code == 2
    assert err == (
        f"inograph: error: PUT <{GRAPH}tiny-a> to {proxy.url}/store: no answer within 1 s (no graph was loaded)\n"
    )


# --- Virtuoso ---------------------------------------------------------------------------------


def test_virtuoso_takes_the_dataset_at_its_graph_store(
    built: BuiltDataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Virtuoso's Graph Store endpoint for writing is ``/sparql-graph-crud-auth`` with digest
    authentication (its unauthenticated ``/sparql-graph-crud`` answers 403 SQ110: the SPARQL user
    may not write)."""
    try:
        server = virtuoso_server(None, tmp_path)
        url = server.__enter__()
    except FileNotFoundError as exc:
        pytest.skip(str(exc))
    try:
        refused = requests.put(f"{url}-graph-crud", params={"graph": f"{GRAPH}x"}, data=b"",
                               headers={"Content-Type": "application/n-triples"}, timeout=30)  # fmt: skip
        assert refused.status_code == 403
        monkeypatch.setenv("INOGRAPH_STORE_USER", "dba")
        monkeypatch.setenv("INOGRAPH_STORE_PASSWORD", "dba")
        monkeypatch.setenv("INOGRAPH_STORE_AUTH", "digest")
        report = publish(built.dataset, url, f"{url}-graph-crud-auth")
        assert report.ok
        assert sum(g.stored or 0 for g in report.graphs) == serialize_nquads(built.dataset).count("\n")
        monkeypatch.delenv("INOGRAPH_STORE_USER")
        monkeypatch.delenv("INOGRAPH_STORE_PASSWORD")
        _same_library_answers(built, url, ordered=False)
    finally:
        server.__exit__(None, None, None)

