"""The question library on any SPARQL 1.1 store: the SPARQL 1.1 Protocol query operation.

A library query runs on a remote endpoint (an Oxigraph server, Virtuoso, Fuseki, GraphDB, …)
with the same answer as in-process, because nothing in it depends on the engine:

- **the dataset is sent with the request**: in-process the default graph is the union of the
  named graphs; a store's default graph is usually its own (empty) one, so each request carries
  one ``default-graph-uri`` per inograph named graph (SPARQL 1.1 Protocol §2.1.4).  The graphs
  are the ones the store holds under ``https://w3id.org/inograph/graph/``
  (``queries/protocol/graphs.rq``, else ``graphs-by-triples.rq``), or those given.
- **parameters travel as a ``VALUES`` block** (SPARQL 1.1 Query §10.2.1), the standard way to
  hand bindings to an engine without a substitution API, placed first in the query's WHERE
  group, so a FILTER on a parameter (``?value > ?threshold``) sees it as it does in-process
  (a decimal inside a union with an empty pattern, for Virtuoso 7: :func:`_binding_pattern`).
  Each value is an RDF term written by rdflib's N-Triples serialiser (IRIs checked first), so
  a value never becomes query syntax.  The WHERE group is found by :func:`where_group`, a
  scanner that skips comments, strings and IRIs; the tests check it on every library query.
- credentials for a store that asks for them come from the environment
  (:mod:`inograph.credentials`: ``INOGRAPH_STORE_TOKEN``, or ``INOGRAPH_STORE_USER`` and
  ``INOGRAPH_STORE_PASSWORD``).
- the answer is read as SPARQL 1.1 JSON results (§3 of that format) into the same
  :class:`~inograph.queries.QueryResult` as in-process.

Example::

    >>> from inograph.remote import Endpoint, run_remote
    >>> from inograph.queries import get_query
    >>> endpoint = Endpoint("http://127.0.0.1:7878/query")            # doctest: +SKIP
    >>> len(run_remote(endpoint, get_query("publications")))         # doctest: +SKIP
    4
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from inograph.credentials import store_auth
from inograph.errors import QueryError
from inograph.namespaces import XSD
from inograph.queries import QueryResult, Row, SavedQuery, bind_parameters
from inograph.query_limits import QueryLimits, check_service

__all__ = [
    "GRAPH_NAMESPACE",
    "Endpoint",
    "dataset_graphs",
    "fetch_dataset",
    "run_remote",
    "run_remote_text",
    "values_block",
    "where_group",
    "with_bindings",
]

#: the named graphs of the dataset all live under this namespace
GRAPH_NAMESPACE = "https://w3id.org/inograph/graph/"

_RESULTS_JSON = "application/sparql-results+json"
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL 1.1 query endpoint; ``graphs`` are the named graphs that form the default graph
    of each request (``None``: ask the endpoint which inograph graphs it holds)."""

    url: str
    graphs: tuple[str, ...] | None = None
    #: seconds for the whole exchange; the endpoint's own limits apply as well
    timeout: float = 60.0

    def __post_init__(self) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise QueryError(f"endpoint {self.url!r}: give an http:// or https:// URL of a SPARQL endpoint")


def values_block(bindings: Mapping[str, Node]) -> str:
    """A ``VALUES`` block binding each variable to its term (empty without bindings).

    >>> values_block({"endpoint": URIRef("https://w3id.org/inograph/id/endpoint/os")})
    ' VALUES (?endpoint) { (<https://w3id.org/inograph/id/endpoint/os>) } '
    """
    if not bindings:
        return ""
    names = sorted(bindings)
    for name in names:
        if not _VARIABLE.match(name):
            raise QueryError(f"{name!r} is not a SPARQL variable name")
    terms = " ".join(_term(bindings[name]) for name in names)
    variables = " ".join(f"?{name}" for name in names)
    return f" VALUES ({variables}) {{ ({terms}) }} "


def _binding_pattern(bindings: Mapping[str, Node]) -> str:
    """The ``VALUES`` block; with a decimal value, inside ``{ … } UNION { FILTER (1 = 0) }``.

    The union with an empty pattern has the same solutions (SPARQL 1.1 Query §18.5: a union with
    the empty multiset), but keeps Virtuoso 7 from treating the decimal as a constant of a
    zero-precision numeric column, which fails any sorted answer that carries it ("SR128: Numeric
    value out of range for <temporary space column>", e.g. ``serious-adverse-events --param
    threshold=10.5``).  The empty branch is ``FILTER (1 = 0)``, not ``FILTER (false)``: rdflib's
    engine drops a FILTER whose one expression is a constant Python takes as false
    (RDFLib/rdflib#3381), and the empty branch then joins as a solution with nothing bound.

    >>> _binding_pattern({"threshold": Literal("10.5", datatype=XSD.decimal)})[:36]
    ' { VALUES (?threshold) { ("10.5"^^<h'
    """
    block = values_block(bindings)
    if any(isinstance(t, Literal) and t.datatype == XSD.decimal for t in bindings.values()):
        return f" {{{block}}} UNION {{ FILTER (1 = 0) }} "
    return block


def with_bindings(text: str, bindings: Mapping[str, Node]) -> str:
    """``text`` with ``bindings`` as a ``VALUES`` block first in its WHERE group: the query
    text sent to an endpoint, which any SPARQL 1.1 engine answers as the library's own
    substitution does (rdflib's included, without its ``initBindings``).

    >>> with_bindings("SELECT ?x WHERE { ?x ?p ?o }", {"x": URIRef("https://w3id.org/x")})
    'SELECT ?x WHERE { VALUES (?x) { (<https://w3id.org/x>) }  ?x ?p ?o }'
    """
    if not bindings:
        return text
    at = where_group(text)
    return text[:at] + _binding_pattern(bindings) + text[at:]


_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_LONG_STRING = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'', re.S)
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')


def where_group(text: str) -> int:
    """The offset just after the ``{`` that opens the query's WHERE group.

    The first ``{`` after the keyword ``WHERE`` (else the first ``{``) that is not in a
    comment, a string or an IRI: a CONSTRUCT template comes before ``WHERE``, and the prologue
    and a SELECT clause hold no brace unless a projected expression uses EXISTS, which no
    library query does.

    >>> text = 'PREFIX a: <http://x/#> # a { in a comment\\nSELECT ?s WHERE { ?s a:p "{" }'
    >>> text[where_group(text) - 7 :]
    'WHERE { ?s a:p "{" }'
    >>> text = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
    >>> text[where_group(text) - 7 :]
    'WHERE { GRAPH ?g { ?s ?p ?o } }'
    """
    first_brace: int | None = None
    after_where = False
    i = 0
    while i < len(text):
        char = text[i]
        if char == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end + 1
            continue
        if char == "<" and (match := _IRI.match(text, i)) is not None:
            i = match.end()
            continue
        if char in "\"'" and (match := _LONG_STRING.match(text, i) or _STRING.match(text, i)) is not None:
            i = match.end()
            continue
        if char == "{":
            if after_where:
                return i + 1
            if first_brace is None:
                first_brace = i + 1
        elif (
            text[i : i + 5].upper() == "WHERE"
            and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_:?$"))
            and not (text[i + 5 : i + 6].isalnum() or text[i + 5 : i + 6] in ("_", ":"))
        ):
            after_where = True
            i += 5
            continue
        i += 1
    if first_brace is not None:
        return first_brace
    raise QueryError("the query has no WHERE group ({ … }) to bind parameters in")


def _term(term: Node) -> str:
    if isinstance(term, URIRef):
        import pyoxigraph as ox

        try:
            ox.NamedNode(str(term))  # the IRI grammar: no space, '>', '"', '{', … can pass
        except ValueError as exc:
            raise QueryError(f"{str(term)!r} is not a valid IRI ({exc})") from None
        return f"<{term}>"
    if isinstance(term, Literal):
        return str(term.n3())  # N-Triples escapes: a valid SPARQL literal
    raise QueryError(f"cannot send {term!r} as a parameter value")


def _post(endpoint: Endpoint, text: str, graphs: Sequence[str], name: str) -> dict[str, Any]:
    import requests

    form: list[tuple[str, str]] = [("query", text)]
    form += [("default-graph-uri", graph) for graph in graphs]
    try:
        response = requests.post(
            endpoint.url,
            data=form,
            headers={"Accept": _RESULTS_JSON, "User-Agent": "inograph"},
            auth=store_auth(),
            timeout=endpoint.timeout,
        )
    except requests.Timeout:
        raise QueryError(f"{name}: {endpoint.url} did not answer within {endpoint.timeout:g} s") from None
    except requests.RequestException as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise QueryError(f"{name}: cannot reach {endpoint.url}: {reason}") from None
    if response.status_code != 200:
        detail = " ".join(response.text.split())[:300]
        raise QueryError(f"{name}: {endpoint.url} answered HTTP {response.status_code}: {detail}")
    try:
        document = response.json()
    except ValueError:
        kind = response.headers.get("Content-Type", "no content type")
        raise QueryError(f"{name}: {endpoint.url} did not answer SPARQL JSON results ({kind})") from None
    if not isinstance(document, dict):
        raise QueryError(f"{name}: {endpoint.url} answered JSON that is not a SPARQL result")
    return document


def _node(cell: Mapping[str, str]) -> Node:
    kind, value = cell.get("type"), cell.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):  # typed-literal: the 2008 format some stores still write
        if "xml:lang" in cell:
            return Literal(value, lang=cell["xml:lang"])
        datatype = cell.get("datatype")
        if datatype is None or datatype == str(XSD.string):
            return Literal(value)
        return Literal(value, datatype=URIRef(datatype))
    raise QueryError(f"unknown term type {kind!r} in a SPARQL JSON result")


def _result(document: Mapping[str, Any], limits: QueryLimits, name: str) -> QueryResult:
    if "boolean" in document:
        return QueryResult(variables=(), boolean=bool(document["boolean"]))
    try:
        variables = tuple(str(v) for v in document["head"]["vars"])
        bindings = document["results"]["bindings"]
    except (KeyError, TypeError):
        raise QueryError(f"{name}: the endpoint's JSON has no head/vars or results/bindings") from None
    rows = limits.take(
        (Row(variables, tuple(_node(b[v]) if v in b else None for v in variables)) for b in bindings),
        name,
    )
    return QueryResult(variables=variables, rows=tuple(rows))


@lru_cache(maxsize=8)
def _discovered(endpoint: Endpoint) -> tuple[str, ...]:
    from inograph.resources import internal_query

    limits = QueryLimits(timeout=endpoint.timeout, max_rows=None)
    graphs: tuple[str, ...] = ()
    for name in ("graphs", "graphs-by-triples"):
        text = internal_query("protocol", name)
        graphs = tuple(str(row["graph"]) for row in _result(_post(endpoint, text, (), name), limits, name))
        if graphs:
            break
    if not graphs:
        raise QueryError(
            f"{endpoint.url} holds no graph under {GRAPH_NAMESPACE}: load the dataset first "
            "(e.g. inograph export nquads -o inograph.nq, then your store's loader)"
        )
    return graphs


def dataset_graphs(endpoint: Endpoint) -> tuple[str, ...]:
    """The named graphs whose union is the default graph of every request to ``endpoint``."""
    return endpoint.graphs if endpoint.graphs is not None else _discovered(endpoint)


def run_remote_text(
    endpoint: Endpoint,
    text: str,
    bindings: Mapping[str, Node] | None = None,
    *,
    name: str = "query",
    limits: QueryLimits | None = None,
) -> QueryResult:
    """Run SPARQL ``text`` on ``endpoint`` over the inograph graphs; a :class:`QueryResult`."""
    limits = limits if limits is not None else QueryLimits.from_environment()
    check_service(text, limits, name)
    timeout = min(endpoint.timeout, limits.timeout) if limits.timeout is not None else endpoint.timeout
    if timeout != endpoint.timeout:
        endpoint = Endpoint(endpoint.url, endpoint.graphs, timeout)
    document = _post(endpoint, with_bindings(text, bindings or {}), dataset_graphs(endpoint), name)
    return _result(document, limits, name)


def run_remote(
    endpoint: Endpoint,
    saved: SavedQuery,
    params: Mapping[str, object] | None = None,
    *,
    limits: QueryLimits | None = None,
) -> QueryResult:
    """A library query with its parameters bound; an id parameter that names nothing in the
    store's inograph graphs is an error, as in-process (a typo, not a question with no answer)."""
    from inograph.queries import ID_TYPES
    from inograph.resources import internal_query

    bindings = bind_parameters(saved, params or {})
    known = internal_query("protocol", "id-known")
    for param in saved.parameters:
        term = bindings.get(param.name)
        if param.type not in ID_TYPES or not isinstance(term, URIRef):
            continue
        if not len(run_remote_text(endpoint, known, {"id": term}, name=saved.name, limits=limits)):
            raise QueryError(
                f"query {saved.name!r}: parameter {param.name!r} ({param.type.value}): "
                f"nothing in the graph is {term.n3()}"
            )
    return run_remote_text(endpoint, saved.text, bindings, name=saved.name, limits=limits)


_GRAPH_TYPES = {
    "application/n-triples": "N_TRIPLES",
    "text/plain": "N_TRIPLES",
    "text/turtle": "TURTLE",
    "application/x-turtle": "TURTLE",
}


def fetch_dataset(endpoint: Endpoint) -> Any:
    """A local copy of the inograph graphs ``endpoint`` holds (one CONSTRUCT per graph), for
    the commands that read the whole graph: their answers are then those of the local build."""
    import pyoxigraph as ox
    import requests

    from inograph.resources import internal_query
    from inograph.store import dataset_over

    template = internal_query("protocol", "graph-triples")
    store = ox.Store()
    dataset = dataset_over(store)
    for graph in dataset_graphs(endpoint):
        at = where_group(template)
        text = template[:at] + values_block({"graph": URIRef(graph)}) + template[at:]
        try:
            response = requests.post(
                endpoint.url,
                data={"query": text},
                headers={"Accept": "application/n-triples, text/turtle;q=0.9", "User-Agent": "inograph"},
                auth=store_auth(),
                timeout=endpoint.timeout,
            )
        except requests.RequestException as exc:
            raise QueryError(f"cannot reach {endpoint.url}: {' '.join(str(exc).split())}") from None
        kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if response.status_code != 200 or kind not in _GRAPH_TYPES:
            detail = " ".join(response.text.split())[:200]
            raise QueryError(
                f"{endpoint.url} did not send the graph <{graph}> "
                f"(HTTP {response.status_code}, {kind or 'no content type'}): {detail}"
            )
        rdf_format = getattr(ox.RdfFormat, _GRAPH_TYPES[kind])
        try:
            store.load(response.content, format=rdf_format, to_graph=ox.NamedNode(graph))
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"{endpoint.url}: the graph <{graph}> does not parse: {exc}") from None
    return dataset
