"""``inograph serve`` as a real process on 127.0.0.1: SPARQLWrapper, plain HTTP, limits, load."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from inograph.build import BuiltDataset, serialize_nquads
from inograph.queries import ResultFormat, format_result, get_query, list_queries, run_query
from tests.stores import free_port, stop

CHECKOUT = Path(__file__).resolve().parent.parent
EXPECTED = Path(__file__).parent / "data" / "queries"


@pytest.fixture(scope="module")
def dataset_file(built: BuiltDataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "inograph.nq"
    path.write_text(serialize_nquads(built.dataset), encoding="utf-8")
    return path


def _start(dataset: Path, *options: str) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(CHECKOUT))
    process = subprocess.Popen(
        [sys.executable, "-m", "inograph", "serve", "--port", str(port), "--dataset", str(dataset), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=CHECKOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"inograph serve stopped: {process.stdout.read() if process.stdout else ''}")
        try:
            if requests.get(f"{base}/queries", timeout=2).status_code == 200:
                return process, base
        except requests.RequestException:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("inograph serve did not answer within 60 s")


@pytest.fixture(scope="module")
def server(dataset_file: Path) -> Iterator[str]:
    process, base = _start(dataset_file)
    try:
        yield base
    finally:
        stop(process)


def test_sparqlwrapper_select_ask_construct(server: str) -> None:
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(f"{server}/sparql")
    client.setReturnFormat(JSON)
    client.setQuery(get_query("publications").text)
    answer = client.query().convert()
    assert isinstance(answer, dict)
    ids = [b["publication"]["value"].rsplit("/", 1)[-1] for b in answer["results"]["bindings"]]
    assert ids == ["kantarjian2013", "kantarjian2016", "morley2016", "kantarjian2019"]
    client.setQuery(
        "PREFIX ino: <https://w3id.org/inograph/ontology#> "
        "ASK { <https://w3id.org/inograph/id/result/kantarjian2016-t2-crcri-ino> ino:value 80.7 }"
    )
    assert client.query().convert()["boolean"] is True
    client.setReturnFormat(TURTLE)
    client.setQuery(
        "PREFIX ino: <https://w3id.org/inograph/ontology#> CONSTRUCT { ?r ino:value ?v } WHERE { "
        "<https://w3id.org/inograph/id/result/kantarjian2016-t2-crcri-ino> ino:value ?v . BIND("
        "<https://w3id.org/inograph/id/result/kantarjian2016-t2-crcri-ino> AS ?r) }"
    )
    turtle = client.query().convert()
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import XSD

    graph = Graph().parse(data=turtle, format="turtle")
    assert set(graph) == {
        (
            URIRef("https://w3id.org/inograph/id/result/kantarjian2016-t2-crcri-ino"),
            URIRef("https://w3id.org/inograph/ontology#value"),
            Literal("80.7", datatype=XSD.decimal),
        )
    }


def test_every_library_query_answers_as_in_process(built: BuiltDataset, server: str) -> None:
    """Named endpoints: /queries/NAME gives the in-process answer, as SPARQL TSV."""
    listing = requests.get(f"{server}/queries", timeout=30).json()
    assert [e["name"] for e in listing] == [q.name for q in list_queries()]
    for saved in list_queries():
        params = {"result": "kantarjian2016-abs-crcri-ino"} if saved.name == "result-provenance" else {}
        got = requests.get(
            f"{server}/queries/{saved.name}",
            params=params,
            headers={"Accept": "text/tab-separated-values"},
            timeout=60,
        )
        assert got.status_code == 200, (saved.name, got.text)
        assert got.text == format_result(run_query(saved, params, built=built), ResultFormat.TSV), saved.name
    tsv = requests.get(f"{server}/queries/remission-rates", timeout=60).text  # JSON by default
    assert (
        len(json.loads(tsv)["results"]["bindings"])
        == len((EXPECTED / "remission-rates.tsv").read_text(encoding="utf-8").splitlines()) - 1
    )


def test_protocol_details(built: BuiltDataset, server: str) -> None:
    sparql = f"{server}/sparql"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    # POST with a query body, form and GET give the same answer; the default graph is the union
    body = requests.post(sparql, data=count, headers={"Content-Type": "application/sparql-query",
                                                      "Accept": "text/csv"}, timeout=30)  # fmt: skip
    form = requests.post(sparql, data={"query": count}, headers={"Accept": "text/csv"}, timeout=30)
    get = requests.get(sparql, params={"query": count}, headers={"Accept": "text/csv"}, timeout=30)
    assert body.text == form.text == get.text
    assert body.headers["content-type"].startswith("text/csv")
    # one graph as the default graph: only the ontology's triples
    ontology = requests.get(
        sparql,
        params={"query": count, "default-graph-uri": "https://w3id.org/inograph/graph/ontology"},
        headers={"Accept": "text/csv"},
        timeout=30,
    )
    in_ontology = serialize_nquads(built.dataset).count(" <https://w3id.org/inograph/graph/ontology> .\n")
    assert ontology.text.splitlines()[1] == str(in_ontology)
    named = requests.get(
        sparql,
        params={
            "query": "SELECT ?g WHERE { GRAPH ?g { } } ORDER BY ?g",
            "named-graph-uri": [
                "https://w3id.org/inograph/graph/links",
                "https://w3id.org/inograph/graph/ontology",
            ],
        },
        headers={"Accept": "text/csv"},
        timeout=30,
    )
    assert named.text.splitlines()[1:] == [
        "https://w3id.org/inograph/graph/links",
        "https://w3id.org/inograph/graph/ontology",
    ]
    xml = requests.get(sparql, params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+xml"},
                       timeout=30)  # fmt: skip
    assert "<boolean>true</boolean>" in xml.text
    graph = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 1"
    jsonld = requests.get(
        sparql, params={"query": graph}, headers={"Accept": "application/ld+json"}, timeout=30
    )
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert isinstance(jsonld.json(), (list, dict))
    assert (
        requests.get(
            sparql, params={"query": "ASK {}"}, headers={"Accept": "image/png"}, timeout=30
        ).status_code
        == 406
    )
    description = requests.get(sparql, timeout=30)
    assert description.headers["content-type"].startswith("text/turtle")
    assert "sd:SPARQL11Query" in description.text
    cors = requests.get(
        sparql, params={"query": "ASK {}"}, headers={"Origin": "http://example.org"}, timeout=30
    )
    assert cors.headers["access-control-allow-origin"] == "*"
    assert requests.get(f"{server}/queries/no-such-query", timeout=30).status_code == 404
    assert (
        requests.get(f"{server}/queries/hazard-ratios", params={"endpoint": "a b"}, timeout=30).status_code
        == 400
    )


def test_updates_are_refused(server: str) -> None:
    sparql = f"{server}/sparql"
    count = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
    before = requests.get(sparql, params=count, headers={"Accept": "text/csv"}, timeout=30).text
    attempts = [
        requests.post(sparql, data={"update": "DROP ALL"}, timeout=30),
        requests.post(
            sparql, data="DROP ALL", headers={"Content-Type": "application/sparql-update"}, timeout=30
        ),
        requests.post(
            sparql,
            data="DELETE WHERE { ?s ?p ?o }",
            headers={"Content-Type": "application/sparql-query"},
            timeout=30,
        ),
        requests.get(sparql, params={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}, timeout=30),
    ]
    for answer in attempts:
        assert answer.status_code == 403, answer.text
        assert answer.text == "this endpoint is read-only: SPARQL updates are refused\n"
    assert requests.get(sparql, params=count, headers={"Accept": "text/csv"}, timeout=30).text == before


def test_time_limit_and_result_cap(dataset_file: Path) -> None:
    process, base = _start(dataset_file, "--timeout", "0.5", "--max-rows", "10", "--workers", "2")
    try:
        many = requests.get(f"{base}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, timeout=30)
        assert many.status_code == 413
        assert many.text.startswith("query: more than 10 rows or triples; narrow the query")
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
        started = time.perf_counter()
        answer = requests.get(f"{base}/sparql", params={"query": slow}, timeout=30)
        assert answer.status_code == 503
        assert answer.text.startswith("query: stopped after its time limit of 0.5 s")
        assert time.perf_counter() - started < 5
        service = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
        assert requests.get(f"{base}/sparql", params={"query": service}, timeout=30).status_code == 400
    finally:
        stop(process)


def test_bounded_load(server: str) -> None:
    """16 clients, 25 requests each, a mix of library queries and ad-hoc SPARQL: no error."""
    names = ["publications", "hazard-ratios", "remission-rates", "vod-incidence", "trials"]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?t }"
    session_by_client = [requests.Session() for _ in range(16)]

    def client(number: int) -> list[tuple[float, int]]:
        session, done = session_by_client[number], []
        for i in range(25):
            started = time.perf_counter()
            if i % 2:
                answer = session.get(f"{server}/queries/{names[(number + i) % len(names)]}", timeout=60)
            else:
                answer = session.post(f"{server}/sparql", data={"query": count}, timeout=60)
            done.append((time.perf_counter() - started, answer.status_code))
        return done

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = [o for batch in pool.map(client, range(16)) for o in batch]
    seconds = time.perf_counter() - started
    latencies = sorted(t for t, _ in outcomes)
    p95 = latencies[int(0.95 * len(latencies)) - 1]
    print(
        f"\nload: {len(outcomes)} requests from 16 clients in {seconds:.1f} s = {len(outcomes) / seconds:.0f}/s, "
        f"median {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"errors {sum(code != 200 for _, code in outcomes)}"
    )
    assert [code for _, code in outcomes if code != 200] == []


@pytest.mark.browser
def test_query_page_in_chromium(server: str) -> None:
    """The page lists the library, loads a query's text on click, runs it and shows the rows;
    it asks nothing of any other server and logs no error."""
    import shutil

    from tests.test_export_evidence_map import CHROMIUM, CHROMIUM_ARGS

    if shutil.which(CHROMIUM) is None:
        pytest.skip(f"headless Chromium not found at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            problems: list[str] = []
            asked: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: asked.append(r.url))
            page.goto(f"{server}/")
            page.wait_for_selector("#library button")
            # what the server lists (the in-process library may be another checkout's by now)
            listing = requests.get(f"{server}/queries", timeout=30).json()
            names = page.locator("#library button").all_inner_texts()
            assert names == [e["name"] for e in listing] and "publications" in names
            text = requests.get(f"{server}/queries/publications/text", timeout=30).text
            page.click("#library button[data-name='publications']")
            # the editor starts with an example SELECT: wait for the library text itself, which
            # arrives with the page's own request
            page.wait_for_function("text => document.getElementById('editor').value === text", arg=text)
            assert page.input_value("#editor") == text
            assert page.inner_text("#title") == next(
                e["title"] for e in listing if e["name"] == "publications"
            )
            page.click("#run")
            page.wait_for_selector("#results table")
            header = page.locator("#results tr").first.locator("th").all_inner_texts()
            assert header == ["publication", "year", "kind", "journal", "doi", "trial", "results"]
            rows = page.locator("#results tr").all()[1:]
            assert [r.locator("td").first.inner_text().rsplit("/", 1)[-1] for r in rows] == [
                "kantarjian2013", "kantarjian2016", "morley2016", "kantarjian2019",
            ]  # fmt: skip
            assert page.inner_text("#status") == "4 rows"
            page.fill("#editor", "SELECT * WHERE { ?s ?p }")
            page.click("#run")
            page.wait_for_selector("#results .error")
            assert page.inner_text("#status") == "HTTP 400"
            assert page.inner_text("#results .error").startswith("SPARQL syntax error")
            # the one message: the browser's own note on the refused query
            assert problems == [
                "Failed to load resource: the server responded with a status of 400 (Bad Request)"
            ]
            assert all(url.startswith(server) for url in asked)
        finally:
            browser.close()
