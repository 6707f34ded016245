"""The question library on real SPARQL 1.1 servers: the same rows as in-process.

An Oxigraph server (``pip install oxigraph``) and Virtuoso 7 (``apt-get install
virtuoso-opensource``) are started on 127.0.0.1, each loaded with the dataset's N-Quads, and
every library query is sent with the SPARQL 1.1 Protocol by :mod:`inograph.remote`.

rdflib's own SPARQL engine runs every library query too, in-process over the same N-Quads
(``Dataset(default_union=True)``): the default parameters as ``initBindings``, the explicit ones
written into the text as for an endpoint.  Its rows compare in order, normalised as below.  The
README's portability notes list where rdflib departs from SPARQL and how the library avoids it.

Normalisation, the same for both servers (what is compared is the RDF value, not its spelling):

- numbers compare by value: Virtuoso answers the decimal parameter ``5`` as ``"5"^^xsd:integer``;
- a boolean compares as 1/0: Virtuoso has no boolean type and answers ``EXISTS`` as
  ``"1"^^xsd:integer``;
- ``GROUP_CONCAT`` without an order (``citations``' ``?intents``) compares as a set of words:
  SPARQL leaves the order of the concatenation to the engine.

Row order is compared exactly on the Oxigraph server; on Virtuoso the rows compare as a multiset,
because Virtuoso's ORDER BY is not SPARQL's: it sorts IRIs after literals and does not compare
long stored strings by their text (``"during or shortly after treatment; had received …"`` sorts
before ``"during or shortly after treatment"``).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from inograph.build import BuiltDataset, serialize_nquads
from inograph.errors import QueryError
from inograph.namespaces import XSD
from inograph.queries import QueryResult, Row, bind_parameters, get_query, list_queries, run_query
from inograph.remote import Endpoint, run_remote, run_remote_text, values_block, where_group, with_bindings
from inograph.resources import queries_dir
from tests.stores import oxigraph_server, virtuoso_server

LIBRARY = [q.name for q in list_queries()]
#: parameters for the queries that need one; the rest run with their defaults
REQUIRED = {"result-provenance": {"result": "kantarjian2016-abs-crcri-ino"}}
#: one non-default value for each parameterised query, so binding is compared too
EXPLICIT: Mapping[str, Mapping[str, str]] = {
    "adverse-events": {"grade": "3-4"},
    "analysis-populations": {"trial": "inovate"},
    "citations": {"publication": "kantarjian2016"},
    "dosing-schedules": {"trial": "mda-phase2"},
    "endpoint-results": {"endpoint": "pfs"},
    "endpoints": {"kind": "safety"},
    "hazard-ratios": {"endpoint": "remission-duration"},
    "link-updates": {"publication": "kantarjian2019"},
    "median-times": {"endpoint": "pfs"},
    "remission-rates": {"publication": "kantarjian2013"},
    "result-provenance": {"result": "kantarjian2019-os-hr"},
    "results-missing-ci-or-denominator": {"publication": "morley2016"},
    "review-restated-figures": {"publication": "morley2016"},
    "serious-adverse-events": {"threshold": "10.5"},
    "subgroups-without-benefit": {"alpha": "0.1"},
    "vod-incidence": {"publication": "kantarjian2019"},
}
#: GROUP_CONCAT columns whose order SPARQL leaves to the engine: compared as word sets
UNORDERED_CONCAT = {("citations", "intents")}
_NUMERIC = {
    str(XSD[t])
    for t in (
        "integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
        "positiveInteger", "unsignedInt", "unsignedLong",
    )
}  # fmt: skip


def _cell(term: Node | None, words: bool) -> tuple[Any, ...]:
    if term is None:
        return ("unbound",)
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode",)
    assert isinstance(term, Literal)
    datatype = str(term.datatype) if term.datatype is not None else None
    if datatype == str(XSD.boolean):
        return ("number", Decimal(1 if str(term) in ("true", "1") else 0))
    if datatype in _NUMERIC:
        try:
            return ("number", Decimal(str(term)).normalize())
        except InvalidOperation:
            pass
    if words:
        return ("words", tuple(sorted(str(term).split())))
    return ("literal", str(term), term.language or "", datatype or "")


def normalised(name: str, result: QueryResult) -> list[tuple[tuple[Any, ...], ...]]:
    return [
        tuple(
            _cell(t, (name, v) in UNORDERED_CONCAT) for v, t in zip(result.variables, row.terms, strict=True)
        )
        for row in result
    ]


@pytest.fixture(scope="session")
def nquads(built: BuiltDataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dataset") / "inograph.nq"
    path.write_text(serialize_nquads(built.dataset), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def oxigraph_url(nquads: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    try:
        with oxigraph_server(nquads, tmp_path_factory.mktemp("oxigraph")) as url:
            yield url
    except FileNotFoundError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def virtuoso_url(nquads: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    try:
        with virtuoso_server(nquads, tmp_path_factory.mktemp("virtuoso")) as url:
            yield url
    except FileNotFoundError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def rdflib_dataset(nquads: Path) -> Any:
    """rdflib's memory store over the N-Quads, its default graph the union of the named graphs
    (``Dataset(default_union=True)``; a plain ``Dataset()`` queries an empty default graph)."""
    from rdflib import Dataset

    dataset = Dataset(store="Memory", default_union=True)
    dataset.parse(nquads, format="nquads")
    return dataset


def _rdflib(dataset: Any, text: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
    """A query on rdflib's own SPARQL engine, its answer as a :class:`QueryResult`."""
    answer = dataset.query(text, initBindings=dict(bindings or {}))
    variables = tuple(str(v) for v in answer.vars)
    rows = tuple(Row(variables, tuple(row[v] for v in answer.vars)) for row in answer)
    return QueryResult(variables=variables, rows=rows)


def _compare(name: str, local: QueryResult, remote: QueryResult, *, ordered: bool) -> None:
    assert remote.variables == local.variables
    mine, theirs = normalised(name, local), normalised(name, remote)
    if not ordered:
        mine, theirs = sorted(mine, key=repr), sorted(theirs, key=repr)
    assert len(theirs) == len(mine)
    assert theirs == mine


def _check(name: str, built: BuiltDataset, url: str, params: Mapping[str, str], *, ordered: bool) -> None:
    saved = get_query(name)
    local = run_query(saved, params, built=built)
    remote = run_remote(Endpoint(url), saved, params)
    _compare(name, local, remote, ordered=ordered)


# --- the library ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LIBRARY)
def test_oxigraph_server_gives_the_same_rows(built: BuiltDataset, oxigraph_url: str, name: str) -> None:
    _check(name, built, oxigraph_url, REQUIRED.get(name, {}), ordered=True)


@pytest.mark.parametrize("name", sorted(EXPLICIT))
def test_oxigraph_server_binds_parameters_the_same(built: BuiltDataset, oxigraph_url: str, name: str) -> None:
    _check(name, built, oxigraph_url, EXPLICIT[name], ordered=True)


@pytest.mark.parametrize("name", LIBRARY)
def test_virtuoso_gives_the_same_rows(built: BuiltDataset, virtuoso_url: str, name: str) -> None:
    _check(name, built, virtuoso_url, REQUIRED.get(name, {}), ordered=False)


@pytest.mark.parametrize("name", sorted(EXPLICIT))
def test_virtuoso_binds_parameters_the_same(built: BuiltDataset, virtuoso_url: str, name: str) -> None:
    _check(name, built, virtuoso_url, EXPLICIT[name], ordered=False)


@pytest.mark.parametrize("name", LIBRARY)
def test_rdflib_gives_the_same_rows(built: BuiltDataset, rdflib_dataset: Any, name: str) -> None:
    """rdflib's engine, the parameters given as Python users give them (``initBindings``)."""
    saved = get_query(name)
    params = REQUIRED.get(name, {})
    bindings = bind_parameters(saved, params)
    theirs = _rdflib(rdflib_dataset, saved.text, bindings)
    _compare(name, run_query(saved, params, built=built), theirs, ordered=True)


@pytest.mark.parametrize("name", sorted(EXPLICIT))
def test_rdflib_binds_parameters_the_same(built: BuiltDataset, rdflib_dataset: Any, name: str) -> None:
    """rdflib's engine, the parameters written into the text as for an endpoint (a VALUES block)."""
    saved = get_query(name)
    text = with_bindings(saved.text, bind_parameters(saved, EXPLICIT[name]))
    theirs = _rdflib(rdflib_dataset, text)
    _compare(name, run_query(saved, EXPLICIT[name], built=built), theirs, ordered=True)


def test_the_servers_hold_only_named_graphs(
    built: BuiltDataset, oxigraph_url: str, virtuoso_url: str
) -> None:
    """Without the dataset sent along, a store's own default graph is empty: the client's
    default-graph-uri list is what makes the library answer (not a union setting)."""
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    for url in (oxigraph_url, virtuoso_url):
        sent = run_remote_text(Endpoint(url), text)
        # the default graph sent is the graphs' union as a multiset, as in-process: a triple
        # stated in two graphs (32 are) matches twice, so entity queries use DISTINCT
        assert int(sent[0]["n"]) == serialize_nquads(built.dataset).count("\n")
    import requests

    bare = requests.post(
        oxigraph_url, data={"query": text}, headers={"Accept": "application/sparql-results+json"}, timeout=30
    ).json()
    assert bare["results"]["bindings"][0]["n"]["value"] == "0"


def test_injection_through_a_parameter_stays_a_value(built: BuiltDataset, oxigraph_url: str) -> None:
    hostile = '>=3" } } DROP ALL ; SELECT * { ?s ?p ?o # '
    remote = run_remote(Endpoint(oxigraph_url), get_query("adverse-events"), {"grade": hostile})
    assert len(remote) == 0 == len(run_query(get_query("adverse-events"), {"grade": hostile}, built=built))


@pytest.mark.parametrize("engine", ["oxigraph", "virtuoso"])
def test_an_unknown_id_is_the_same_error_as_in_process(
    built: BuiltDataset, engine: str, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue(f"{engine}_url")
    saved = get_query("result-provenance")
    with pytest.raises(QueryError) as local:
        run_query(saved, {"result": "no-such-result"}, built=built)
    with pytest.raises(QueryError) as remote:
        run_remote(Endpoint(url), saved, {"result": "no-such-result"})
    assert str(remote.value) == str(local.value) == (
        "query 'result-provenance': parameter 'result' (result): nothing in the graph is "
        "<https://w3id.org/inograph/id/result/no-such-result>"
    )


def test_a_bad_endpoint_is_one_clear_error() -> None:
    with pytest.raises(QueryError, match=r"cannot reach http://127\.0\.0\.1:9/sparql"):
        run_remote(Endpoint("http://127.0.0.1:9/sparql", timeout=5), get_query("publications"))
    with pytest.raises(QueryError, match="http:// or https://"):
        Endpoint("ftp://example.org/sparql")


# --- the text of the queries ------------------------------------------------------------------


def _all_query_files() -> list[Path]:
    return sorted(queries_dir().glob("*.rq")) + sorted(queries_dir().glob("*/*.rq"))


def test_parameters_go_first_in_the_where_group() -> None:
    """The VALUES block lands right after ``WHERE {`` in every library query."""
    for saved in list_queries():
        at = where_group(saved.text)
        before = saved.text[:at].rstrip("{").rstrip()
        assert before.endswith("WHERE"), saved.name


def test_values_block_writes_terms_not_syntax() -> None:
    block = values_block({"grade": Literal('3" } DROP ALL'), "endpoint": URIRef("https://w3id.org/x")})
    assert block == ' VALUES (?endpoint ?grade) { (<https://w3id.org/x> "3\\" } DROP ALL") } '
    with pytest.raises(QueryError, match="not a valid IRI"):
        values_block({"endpoint": URIRef("https://w3id.org/x> } DROP ALL <y")})


@pytest.mark.parametrize("path", _all_query_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sparqlwrapper_reads_the_query_type_right(path: Path) -> None:
    """SPARQLWrapper removes only every other comment line before looking for the first query
    keyword anywhere in the text (no word boundary): a header word such as "masking" (ASK) or
    "described" (DESCRIBE) would make it send a SELECT as another kind of request."""
    from SPARQLWrapper import SPARQLWrapper

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        detected = SPARQLWrapper("http://127.0.0.1/sparql")._parseQueryType(path.read_text(encoding="utf-8"))
    body = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    form = next(line.split()[0].upper() for line in body if not line.upper().startswith(("BASE", "PREFIX")))
    assert form in ("SELECT", "CONSTRUCT")
    assert detected == form


@pytest.mark.parametrize("path", _all_query_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_query_text_is_portable(path: Path) -> None:
    """BASE before PREFIX (Virtuoso 7 refuses the other order) and no two variables that differ
    only by case (Virtuoso folds their case: ?n and ?N would be one variable)."""
    import re

    text = path.read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    words = re.findall(r"^\s*(BASE|PREFIX)\b", body, flags=re.M | re.I)
    assert "BASE" not in [w.upper() for w in words[1:]], "BASE must come before every PREFIX"
    variables = set(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", body))
    folded: dict[str, set[str]] = {}
    for variable in variables:
        folded.setdefault(variable.lower(), set()).add(variable)
    assert [sorted(v) for v in folded.values() if len(v) > 1] == []


def test_library_timings_per_engine(built: BuiltDataset, oxigraph_url: str, virtuoso_url: str) -> None:
    """The whole library once per engine (printed with -s; the figures of the closing note)."""
    seconds: dict[str, float] = {}
    for engine, url in (("embedded", None), ("oxigraph-server", oxigraph_url), ("virtuoso", virtuoso_url)):
        started = time.perf_counter()
        for name in LIBRARY:
            saved = get_query(name)
            params = REQUIRED.get(name, {})
            if url is None:
                run_query(saved, params, built=built)
            else:
                run_remote(Endpoint(url), saved, params)
        seconds[engine] = time.perf_counter() - started
    print("\nlibrary timings:", {k: f"{v:.2f} s" for k, v in seconds.items()})
    assert all(v < 120 for v in seconds.values())


# --- the commands that read the whole graph ---------------------------------------------------


def _quads_decimals_rounded(dataset: Any) -> set[str]:
    """The quads, an xsd:decimal to 12 decimal places: Virtuoso 7 keeps 15 places (the
    stats-checks graph's float-born decimals: 0.0049999999999999975 comes back as 0.005,
    7.17248809...e-7 as 0.000000717248809)."""
    import pyoxigraph as ox

    from inograph.store import oxigraph_quads

    def term(t: Any) -> str:
        if isinstance(t, ox.Literal) and t.datatype.value == str(XSD.decimal):
            return f"{Decimal(t.value).quantize(Decimal('1e-12')).normalize()}^^decimal"
        return str(t)

    return {
        " ".join(term(t) for t in (q.subject, q.predicate, q.object, q.graph_name))
        for q in oxigraph_quads(dataset)
    }


@pytest.mark.parametrize("engine", ["oxigraph", "virtuoso"])
def test_whole_graph_commands_give_the_same_answers(
    built: BuiltDataset, engine: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """stats, trace, links and export with --endpoint read a copy of the store's graphs (one
    CONSTRUCT per graph): the same quads, so the same answers as in-process."""
    from inograph.export import ExportFormat, export
    from inograph.links import find_links, render_json
    from inograph.provenance import TraceFormat, format_trace
    from inograph.remote import fetch_dataset
    from inograph.stats import graph_stats
    from inograph.validation import load_shapes

    url = request.getfixturevalue(f"{engine}_url")
    copy = fetch_dataset(Endpoint(url))
    assert _quads_decimals_rounded(copy) == _quads_decimals_rounded(built.dataset)
    shapes = load_shapes()
    assert graph_stats(copy, shapes).to_json() == graph_stats(built.dataset, shapes).to_json()
    for ident in ("kantarjian2016-t2-crcri-ino", "morley2016-inovate-vod-ino"):
        assert format_trace(copy, ident, TraceFormat.JSON) == format_trace(
            built.dataset, ident, TraceFormat.JSON
        )
    assert render_json(find_links(copy)) == render_json(find_links(built.dataset))
    export(copy, ExportFormat.CSV, tmp_path / "remote.csv")
    export(built.dataset, ExportFormat.CSV, tmp_path / "local.csv")
    assert (tmp_path / "remote.csv").read_bytes() == (tmp_path / "local.csv").read_bytes()
