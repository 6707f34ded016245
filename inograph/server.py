"""``inograph serve``: a read-only SPARQL 1.1 Protocol endpoint over the dataset.

Starlette (ASGI) served by uvicorn, answering from the in-memory Oxigraph store:

- ``GET|POST /sparql``: the query operation of the SPARQL 1.1 Protocol (§2.1): ``query`` as a
  GET parameter, a form field, or an ``application/sparql-query`` body; ``default-graph-uri``
  and ``named-graph-uri`` (repeatable) choose the dataset, else the default graph is the union
  of the named graphs, as in-process.  Without a query it returns the service description
  (SPARQL 1.1 Service Description, Turtle).
- updates are refused with **403** (an ``update`` field or an ``application/sparql-update``
  body); an update sent as ``query`` is a syntax error (**400**): the store is never written.
- content negotiation (``Accept``): SPARQL results as JSON (default), XML, CSV or TSV; graphs
  (CONSTRUCT, DESCRIBE) as Turtle (default), N-Triples, JSON-LD or RDF/XML; else **406**.
- limits (:class:`~inograph.query_limits.QueryLimits`): a time limit per query (**503** when
  passed) and a cap on result rows or triples (**413**, "narrow the query"); at most
  ``workers`` evaluations at once, counting ones abandoned at their time limit (Oxigraph cannot
  stop an evaluation), so runaway queries cannot pile up: a request finding no free slot within
  the time limit gets **503**.  ``SERVICE`` is refused (**400**) unless limits allow it.
- ``GET /queries`` lists the question library (JSON); ``GET|POST /queries/NAME?param=value``
  runs one library query with its parameters bound as RDF terms (never spliced into text);
  ``GET /queries/NAME/text`` is its SPARQL text.
- CORS: every origin may read (``Access-Control-Allow-Origin: *``), for browser clients.
- ``GET /`` is a small offline page for writing and running queries.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef

from inograph.errors import QueryError
from inograph.queries import (
    QueryResult,
    ResultFormat,
    Row,
    bind_parameters,
    format_result,
    get_query,
    list_queries,
)
from inograph.query_limits import QueryLimits, check_service

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from inograph.build import BuiltDataset

__all__ = ["ServerSettings", "create_app", "negotiate", "serve"]

RESULT_TYPES: Mapping[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES: Mapping[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
_FIRST_RESULT, _FIRST_GRAPH = "application/sparql-results+json", "text/turtle"


@dataclass(frozen=True)
class ServerSettings:
    """Where to listen and what each query may use."""

    host: str = "127.0.0.1"
    port: int = 7878
    limits: QueryLimits = field(default_factory=QueryLimits)
    #: evaluations at once, abandoned ones included
    workers: int = 4


class _RefusalError(Exception):
    """An answer with an HTTP error status and a one-line reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def negotiate(accept: str, offered: Mapping[str, str], first: str) -> str:
    """The media type of ``offered`` the ``Accept`` header prefers (q-values, ``*/*``,
    ``type/*``); ``first`` when the header is empty; :class:`_RefusalError` 406 when none fits.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES, "x")
    'application/sparql-results+xml'
    """
    if not accept.strip():
        return first
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        if media in ("*/*", "*"):
            choices.append((quality, -index, first))
        elif media.endswith("/*"):
            family = media[:-1]
            matches = [m for m in offered if m.startswith(family)]
            if first in matches:
                choices.append((quality, -index, first))
            elif matches:
                choices.append((quality, -index, matches[0]))
        elif media.lower() in offered:
            choices.append((quality, -index, media.lower()))
    if not choices:
        raise _RefusalError(406, f"none of the accepted types ({accept}) is offered: {', '.join(offered)}")
    return max(choices)[2]


def _xml_term(term: Any) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
    if term.datatype is not None:
        return f"<literal datatype={quoteattr(str(term.datatype))}>{escape(str(term))}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def results_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format (second edition)."""
    head = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
    if result.boolean is not None:
        return head + f"  <head/>\n  <boolean>{'true' if result.boolean else 'false'}</boolean>\n</sparql>\n"
    lines = [head + "  <head>"]
    lines += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
    lines.append("  </head>\n  <results>")
    for row in result.rows:
        lines.append("    <result>")
        for variable, term in zip(row.variables, row.terms, strict=True):
            if term is not None:
                lines.append(f"      <binding name={quoteattr(variable)}>{_xml_term(term)}</binding>")
        lines.append("    </result>")
    lines.append("  </results>\n</sparql>\n")
    return "\n".join(lines)


def _serialise_result(result: QueryResult, media: str) -> bytes:
    kind = RESULT_TYPES[media]
    if kind == "xml":
        return results_xml(result).encode("utf-8")
    fmt = {"json": ResultFormat.JSON, "csv": ResultFormat.CSV, "tsv": ResultFormat.TSV}[kind]
    return format_result(result, fmt).encode("utf-8")


class _Evaluator:
    """Runs queries on the store in worker threads, under the limits and a bounded pool."""

    def __init__(self, built: BuiltDataset, settings: ServerSettings) -> None:
        store = built.store
        if store is None:
            raise QueryError("inograph serve needs the dataset in an Oxigraph store")
        self.store = store
        self.limits = settings.limits
        self.slots = threading.BoundedSemaphore(settings.workers)

    def _acquire(self) -> None:
        wait = self.limits.timeout if self.limits.timeout is not None else 30.0
        if not self.slots.acquire(timeout=wait):
            raise _RefusalError(503, "the server is busy with earlier queries; try again later")

    def run(
        self,
        text: str,
        *,
        name: str,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        substitutions: Mapping[str, Any] | None = None,
        media: Mapping[str, str],
    ) -> tuple[bytes, str]:
        """The serialised answer and its media type, from the ``Accept`` header in ``media``."""
        import pyoxigraph as ox

        from inograph.rdf_terms import from_oxigraph, to_oxigraph

        try:
            check_service(text, self.limits, name)
        except QueryError as exc:
            raise _RefusalError(400, str(exc)) from None
        limits = self.limits
        self._acquire()

        def evaluate() -> tuple[bytes, str]:
            try:
                options: dict[str, Any] = {}
                if default_graphs or named_graphs:
                    options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
                    options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
                else:
                    options["use_default_graph_as_union"] = True
                if substitutions:
                    options["substitutions"] = {
                        ox.Variable(k): to_oxigraph(v) for k, v in substitutions.items()
                    }
                answer = self.store.query(text, **options)
                if isinstance(answer, ox.QueryTriples):
                    chosen = negotiate(media.get("accept", ""), GRAPH_TYPES, _FIRST_GRAPH)
                    triples = limits.take(answer, name)
                    fmt = {
                        "turtle": ox.RdfFormat.TURTLE,
                        "nt": ox.RdfFormat.N_TRIPLES,
                        "jsonld": ox.RdfFormat.JSON_LD,
                        "rdfxml": ox.RdfFormat.RDF_XML,
                    }[GRAPH_TYPES[chosen]]
                    return bytes(ox.serialize(triples, format=fmt) or b""), chosen
                chosen = negotiate(media.get("accept", ""), RESULT_TYPES, _FIRST_RESULT)
                if isinstance(answer, ox.QueryBoolean):
                    return _serialise_result(QueryResult((), boolean=bool(answer)), chosen), chosen
                variables = tuple(v.value for v in answer.variables)
                rows = limits.take(
                    (Row(variables, tuple(from_oxigraph(s[v]) for v in answer.variables)) for s in answer),
                    name,
                )
                return _serialise_result(QueryResult(variables, tuple(rows)), chosen), chosen
            finally:
                self.slots.release()  # when the evaluation ends, even one abandoned at its limit

        from inograph.query_limits import run_limited

        try:
            return run_limited(evaluate, limits, name)
        except _RefusalError:
            raise
        except SyntaxError as exc:
            if _is_update(text):
                raise _RefusalError(403, "this endpoint is read-only: SPARQL updates are refused") from None
            raise _RefusalError(400, f"SPARQL syntax error: {' '.join(str(exc).split())}") from None
        except QueryError as exc:
            message = str(exc)
            if "time limit" in message:
                raise _RefusalError(503, message) from None
            if "rows" in message:
                raise _RefusalError(413, message.replace("rows", "rows or triples", 1)) from None
            raise _RefusalError(400, message) from None
        except (RuntimeError, ValueError, OSError) as exc:
            raise _RefusalError(400, " ".join(str(exc).split()) or type(exc).__name__) from None


def _is_update(text: str) -> bool:
    """Whether ``text`` parses as a SPARQL update (asked only of text that is not a query)."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:  # any parse failure: not an update
        return False
    return True


def _service_description(base: str) -> str:
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<{base}> a sd:Service ;
    rdfs:label "inograph: the evidence on inotuzumab ozogamicin in R/R ALL (read-only)" ;
    sd:endpoint <{base}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>,
        <http://www.w3.org/ns/formats/SPARQL_Results_XML>, <http://www.w3.org/ns/formats/SPARQL_Results_CSV>,
        <http://www.w3.org/ns/formats/SPARQL_Results_TSV>, <http://www.w3.org/ns/formats/Turtle>,
        <http://www.w3.org/ns/formats/N-Triples>, <http://www.w3.org/ns/formats/JSON-LD>,
        <http://www.w3.org/ns/formats/RDF_XML> .
"""


def create_app(built: BuiltDataset, settings: ServerSettings | None = None) -> Starlette:
    """The ASGI application (for uvicorn, or Starlette's TestClient in tests)."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    settings = settings if settings is not None else ServerSettings()
    evaluator = _Evaluator(built, settings)

    def refusal(exc: _RefusalError) -> Response:
        return PlainTextResponse(exc.reason + "\n", status_code=exc.status)

    async def fields(request: Request) -> dict[str, list[str]]:
        """Protocol fields from the URL and, for a POST, from the form or the query body."""
        found: dict[str, list[str]] = {}
        for key, value in request.query_params.multi_items():
            found.setdefault(key, []).append(value)
        if request.method == "POST":
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind == "application/sparql-update":
                raise _RefusalError(403, "this endpoint is read-only: SPARQL updates are refused")
            if kind == "application/sparql-query":
                found.setdefault("query", []).append((await request.body()).decode("utf-8"))
            elif kind == "application/x-www-form-urlencoded":
                from urllib.parse import parse_qsl

                body = (await request.body()).decode("utf-8")
                for key, item in parse_qsl(body, keep_blank_values=True):
                    found.setdefault(key, []).append(item)
            else:
                raise _RefusalError(
                    415, f"POST a form or application/sparql-query, not {kind or 'no content type'}"
                )
        if "update" in found:
            raise _RefusalError(403, "this endpoint is read-only: SPARQL updates are refused")
        return found

    async def sparql_endpoint(request: Request) -> Response:
        try:
            given = await fields(request)
            queries = given.get("query", [])
            if not queries:
                if request.method == "GET":
                    base = str(request.url.replace(query=""))
                    return Response(_service_description(base), media_type="text/turtle")
                raise _RefusalError(
                    400, "no query: send it as the 'query' field or an application/sparql-query body"
                )
            if len(queries) > 1:
                raise _RefusalError(400, "give one query per request")
            body, media = await run_in_threadpool(
                evaluator.run,
                queries[0],
                name="query",
                default_graphs=given.get("default-graph-uri", []),
                named_graphs=given.get("named-graph-uri", []),
                media={"accept": request.headers.get("accept", "")},
            )
        except _RefusalError as exc:
            return refusal(exc)
        return Response(body, media_type=media)

    async def library(request: Request) -> Response:
        entries = [
            {
                "name": q.name,
                "title": q.title,
                "question": q.question,
                "url": str(request.url_for("library_query", name=q.name)),
                "parameters": [
                    {"name": p.name, "type": p.type.value, "default": p.default, "required": p.required,
                     "description": p.description}
                    for p in q.parameters
                ],
            }
            for q in list_queries()
        ]  # fmt: skip
        return JSONResponse(entries)

    async def library_query(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            try:
                saved = get_query(name)
            except QueryError as exc:
                raise _RefusalError(404, str(exc)) from None
            given = await fields(request)
            params = {k: v[-1] for k, v in given.items()}
            try:
                bindings = bind_parameters(saved, params)
            except QueryError as exc:
                raise _RefusalError(400, str(exc)) from None
            body, media = await run_in_threadpool(
                evaluator.run,
                saved.text,
                name=saved.name,
                substitutions=bindings,
                media={"accept": request.headers.get("accept", "")},
            )
        except _RefusalError as exc:
            return refusal(exc)
        return Response(body, media_type=media)

    async def library_text(request: Request) -> Response:
        try:
            saved = get_query(request.path_params["name"])
        except QueryError as exc:
            return PlainTextResponse(str(exc) + "\n", status_code=404)
        return Response(saved.text, media_type="application/sparql-query")

    async def page(request: Request) -> Response:
        from inograph.server_page import PAGE

        return HTMLResponse(PAGE)

    routes = [
        Route("/", page, methods=["GET"]),
        Route("/sparql", sparql_endpoint, methods=["GET", "POST"]),
        Route("/queries", library, methods=["GET"]),
        Route("/queries/{name}", library_query, methods=["GET", "POST"], name="library_query"),
        Route("/queries/{name}/text", library_text, methods=["GET"]),
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Accept", "Content-Type"],
        )
    ]
    return Starlette(routes=routes, middleware=middleware)


def serve(built: BuiltDataset, settings: ServerSettings) -> None:
    """Serve until interrupted (uvicorn; one process, requests on a thread pool)."""
    import uvicorn

    started = time.perf_counter()
    app = create_app(built, settings)
    print(
        f"inograph: SPARQL endpoint at http://{settings.host}:{settings.port}/sparql "
        f"(library at /queries, page at /; ready in {time.perf_counter() - started:.1f} s; Ctrl-C stops)",
        flush=True,
    )
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
