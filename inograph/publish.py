"""``inograph publish``: load the dataset into a user's store with the SPARQL 1.1 Graph Store
HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/).

- one ``PUT GSP-URL?graph=IRI`` per named graph (§5.3: the graph's content is *replaced*, so
  publishing again never duplicates a triple), body N-Triples (``application/n-triples``, the
  default) or Turtle (``text/turtle``), triples sorted, so the same dataset sends the same bytes;
- the Graph Store Protocol URL is ``graph_store`` (Oxigraph ``…/store``, Fuseki ``…/DATASET/data``,
  GraphDB ``…/repositories/REPO/rdf-graphs/service``, Virtuoso ``…/sparql-graph-crud-auth``),
  else the query endpoint's own URL (stores that serve both at one address);
- credentials from the environment (:mod:`inograph.credentials`);
- afterwards every graph's triples are counted with SPARQL at the query endpoint
  (``queries/protocol/graph-size.rq``) and compared with what was sent.

Any failure is a :class:`~inograph.errors.PublishError` naming the graph, the server's answer
and the graphs already loaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from rdflib import Dataset, URIRef

from inograph.errors import PublishError, QueryError
from inograph.remote import GRAPH_NAMESPACE, Endpoint, run_remote_text

__all__ = ["BodyFormat", "GraphLoad", "PublishReport", "graph_payloads", "publish"]


class BodyFormat(StrEnum):
    NTRIPLES = "nt"
    TURTLE = "turtle"


_MAX_TIMEOUT = 86400  # seconds per request: a day

_CONTENT_TYPES = {BodyFormat.NTRIPLES: "application/n-triples", BodyFormat.TURTLE: "text/turtle"}


@dataclass(frozen=True)
class GraphLoad:
    """One named graph: the triples sent and the triples the store then holds."""

    graph: str
    sent: int
    stored: int | None = None

    @property
    def verified(self) -> bool:
        return self.stored == self.sent


@dataclass(frozen=True)
class PublishReport:
    graph_store: str
    endpoint: str
    graphs: tuple[GraphLoad, ...]

    @property
    def ok(self) -> bool:
        return all(g.verified for g in self.graphs)

    def render(self) -> str:
        width = max(len(g.graph) for g in self.graphs)
        lines = [f"{'graph':<{width}}  {'sent':>7}  {'in store':>8}"]
        for g in self.graphs:
            stored = "?" if g.stored is None else str(g.stored)
            mark = "" if g.verified else "  MISMATCH"
            lines.append(f"{g.graph:<{width}}  {g.sent:>7}  {stored:>8}{mark}")
        sent = sum(g.sent for g in self.graphs)
        stored_total = sum(g.stored or 0 for g in self.graphs)
        lines.append(
            f"{len(self.graphs)} graphs, {sent} triples sent to {self.graph_store}; "
            f"{stored_total} counted at {self.endpoint}"
        )
        return "\n".join(lines) + "\n"


def graph_payloads(
    dataset: Dataset, body: BodyFormat = BodyFormat.NTRIPLES, *, source: str | None = None
) -> list[tuple[str, int, bytes]]:
    """(graph IRI, triples, body) for each named graph of the dataset, in graph order; errors
    name ``source``, the file the dataset was read from, when there is one."""
    where = f"{source}: " if source is not None else ""
    import pyoxigraph as ox

    from inograph.store import oxigraph_quads

    by_graph: dict[str, list[Any]] = {}
    for quad in oxigraph_quads(dataset):
        if isinstance(quad.graph_name, ox.DefaultGraph):
            raise PublishError(f"{where}the dataset has triples outside a named graph; inograph writes none")
        by_graph.setdefault(quad.graph_name.value, []).append(quad)
    payloads: list[tuple[str, int, bytes]] = []
    rdf_format = {BodyFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES, BodyFormat.TURTLE: ox.RdfFormat.TURTLE}[body]
    for graph, quads in by_graph.items():
        triples = sorted({q.triple for q in quads}, key=_ntriples_order)
        data = ox.serialize(triples, format=rdf_format) or b""
        payloads.append((graph, len(triples), data))
    return payloads


def _ntriples_order(triple: Any) -> tuple[str, str, str]:
    return str(triple.subject), str(triple.predicate), str(triple.object)


def _put(
    url: str, graph: str, body: bytes, content_type: str, auth: Any, timeout: float, done: Sequence[str]
) -> None:
    import requests

    loaded = f" (loaded before: {', '.join(done)})" if done else " (no graph was loaded)"
    where = f"PUT <{graph}> to {url}"
    try:
        response = requests.put(
            url,
            params={"graph": graph},
            data=body,
            headers={"Content-Type": f"{content_type}; charset=utf-8", "User-Agent": "inograph"},
            auth=auth,
            timeout=timeout,
        )
    except requests.Timeout:
        raise PublishError(f"{where}: no answer within {timeout:g} s{loaded}") from None
    except requests.ConnectionError as exc:
        reason = "connection refused" if "refused" in str(exc).lower() else " ".join(str(exc).split())
        raise PublishError(f"{where}: cannot reach the store: {reason}{loaded}") from None
    except requests.RequestException as exc:
        raise PublishError(f"{where}: {' '.join(str(exc).split())}{loaded}") from None
    if response.status_code in (200, 201, 204):
        return
    text = response.text
    if "html" in response.headers.get("Content-Type", "").lower() or text.lstrip().startswith("<"):
        text = re.sub(r"<(title|head)\b.*?</\1>|<[^>]*>", " ", text, flags=re.S | re.I)
    detail = " ".join(text.split())[:300] or response.reason
    hint = ""
    if response.status_code in (401, 403):
        hint = " (set INOGRAPH_STORE_USER/INOGRAPH_STORE_PASSWORD or INOGRAPH_STORE_TOKEN)"
    elif response.status_code in (404, 405):
        hint = " (is it the store's Graph Store Protocol URL? see --graph-store)"
    raise PublishError(f"{where}: HTTP {response.status_code}: {detail}{hint}{loaded}")


def _count(endpoint: Endpoint, graph: str) -> int:
    from inograph.query_limits import QueryLimits
    from inograph.resources import internal_query

    text = internal_query("protocol", "graph-size")
    limits = QueryLimits(timeout=endpoint.timeout, max_rows=None)
    try:
        result = run_remote_text(endpoint, text, {"graph": URIRef(graph)}, name="graph-size", limits=limits)
    except QueryError as exc:
        raise PublishError(f"all graphs were loaded, but counting them failed: {exc}") from None
    if not len(result):
        return 0
    count = str(result[0]["triples"])
    if not count.isdigit():
        raise PublishError(
            f"all graphs were loaded, but counting them failed: {endpoint.url} counted {count!r} "
            f"triples in <{graph}>, not a number"
        )
    return int(count)


def publish(
    dataset: Dataset,
    endpoint_url: str,
    graph_store_url: str | None = None,
    *,
    body: BodyFormat = BodyFormat.NTRIPLES,
    timeout: float = 300.0,
    progress: Callable[[GraphLoad], None] | None = None,
    source: str | None = None,
) -> PublishReport:
    """PUT each named graph of ``dataset`` to the store, then count each graph's triples at
    ``endpoint_url``; the report holds both counts.  ``source`` names the dataset's file in
    errors about its content."""
    from inograph.credentials import store_auth

    if not 1 <= timeout <= _MAX_TIMEOUT:  # NaN fails this too; beyond it the socket layer overflows
        raise PublishError(f"timeout {timeout:g} s: give a number of seconds from 1 to {_MAX_TIMEOUT}")
    endpoint = Endpoint(endpoint_url, graphs=(), timeout=timeout)  # the URL check; no dataset sent
    store_url = graph_store_url or endpoint_url
    Endpoint(store_url)  # same check for the Graph Store Protocol URL
    auth = store_auth()
    payloads = graph_payloads(dataset, body, source=source)
    where = f"{source}: " if source is not None else ""
    if not payloads:
        raise PublishError(f"{where}the dataset has no named graph to publish")
    outside = [g for g, _, _ in payloads if not g.startswith(GRAPH_NAMESPACE)]
    if outside:
        raise PublishError(f"{where}graphs outside {GRAPH_NAMESPACE}: {', '.join(outside)}")
    done: list[str] = []
    for graph, triples, data in payloads:
        _put(store_url, graph, data, _CONTENT_TYPES[body], auth, timeout, done)
        done.append(graph.removeprefix(GRAPH_NAMESPACE))
        if progress is not None:
            progress(GraphLoad(graph, triples))
    loads = tuple(GraphLoad(graph, triples, _count(endpoint, graph)) for graph, triples, _ in payloads)
    return PublishReport(store_url, endpoint_url, loads)
