"""Tracing a number back to the sentence that reports it (PROV-O and W3C Web Annotation).

Every result in the graph is ``prov:wasDerivedFrom`` an ``oa:Annotation`` whose target is a
span of the publication's source text, selected by a TextQuoteSelector (exact, prefix,
suffix) and a TextPositionSelector (start, end) on a source document identified by its file
and SHA-256.  :func:`trace` reads that chain *from the graph* -- the built dataset or a
published TriG file -- never from the YAML, so a reviewer checks what was published.  The
SPARQL lives in ``queries/trace/*.rq``; the result IRI is bound as an RDF term.

>>> from inograph.build import build_dataset               # doctest: +SKIP
>>> record = trace(build_dataset().dataset, "kantarjian2016-t2-crcri-ino")  # doctest: +SKIP
>>> record.statistic.value, record.location.table         # doctest: +SKIP
(Decimal('80.7'), 'Table 2')
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, Final

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from inograph.anchoring import Anchor, SourceText, check_anchor, read_source
from inograph.correspondence import ReportedQuantity, find_originals, same_quantity
from inograph.errors import QueryError
from inograph.namespaces import DATA, INO, PROV
from inograph.plain_text import plain_text
from inograph.resources import internal_query

__all__ = [
    "CONTEXT_WIDTH",
    "CheckNote",
    "Entity",
    "Location",
    "PublicationRef",
    "QuoteContext",
    "RelatedReport",
    "Relation",
    "Statistic",
    "TextAnchor",
    "TraceFormat",
    "TraceRecord",
    "format_trace",
    "quote_context",
    "render_json",
    "render_text",
    "render_turtle",
    "resolve_result",
    "trace",
    "trace_query",
    "trace_subgraph",
    "with_context",
]

CONTEXT_WIDTH = 100  # characters shown on each side of a quote: ~200 around it


class TraceFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    TURTLE = "turtle"


class Relation(StrEnum):
    """How another report of the same quantity stands to the traced result."""

    ORIGINAL = "original"  # the cited origin's result a restated figure corresponds to
    EARLIER = "earlier"
    LATER = "later"
    SAME_PUBLICATION = "same publication"  # abstract, text and table of one article
    UNORDERED = "same year"  # different publications, same year, no cutoff to order them


@dataclass(frozen=True)
class Entity:
    """A node the result is about (trial, arm, population, ...): IRI, short id and label."""

    iri: str
    id: str
    label: str | None


@dataclass(frozen=True)
class Statistic:
    measure: str | None  # the measure class's local name: Percentage, HazardRatio, ...
    value: Decimal | None
    unit: str | None
    n: int | None
    N: int | None
    ci_lower: Decimal | None
    ci_upper: Decimal | None
    ci_level: Decimal | None
    p_value: str | None  # as printed, with its relation: "<0.001"
    p_sided: str | None
    test: str | None
    timepoint: str | None
    range_lower: Decimal | None
    range_upper: Decimal | None
    value_as_printed: str | None = None  # "0.70": the digits as printed, zeros kept
    ci_lower_as_printed: str | None = None
    ci_upper_as_printed: str | None = None
    qualifier: str | None = None  # <, <=, >, >=, ~, at least, at most, nearly
    analysis: str | None = None  # analysis kind: primary, sensitivity, design-assumption, ...
    analysis_basis: str | None = None  # curated, or the rule that gave the kind
    threshold: Decimal | None = None  # the prespecified significance threshold, if stated
    threshold_sided: str | None = None
    threshold_quote: str | None = None


@dataclass(frozen=True)
class PublicationRef:
    iri: str
    id: str | None
    citation: str | None
    doi: str | None
    year: int | None


@dataclass(frozen=True)
class Location:
    section: str | None
    subsection: str | None
    table: str | None
    figure: str | None
    row: str | None
    column: str | None
    label: str | None


@dataclass(frozen=True)
class TextAnchor:
    """The Web Annotation as the graph states it (selectors and the source document)."""

    annotation: str
    source: str
    source_file: str | None
    sha256: str | None
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int

    def as_anchor(self) -> Anchor:
        return Anchor(
            self.source_file or "",
            self.sha256 or "",
            self.exact,
            self.prefix,
            self.suffix,
            self.start,
            self.end,
        )


@dataclass(frozen=True)
class QuoteContext:
    """The quote in its surroundings in the source text, and whether the anchor still holds."""

    source_file: str
    line: int  # 1-based line of the quote's first character in the source file
    before: str
    quote: str
    after: str
    problems: tuple[str, ...]  # empty when the anchor resolves exactly
    start: int  # where the quote was found (moved, if the anchor drifted)


@dataclass(frozen=True)
class RelatedReport:
    iri: str
    id: str
    publication: str | None
    year: int | None
    value: Decimal | None
    unit: str | None
    cutoff_date: str | None
    relation: Relation
    basis: str  # "matching rule", or the linker's predicate, e.g. "ino:conflictsWith"


@dataclass(frozen=True)
class CheckNote:
    """A statistical check finding about this result (``inograph check-stats``)."""

    check: str
    verdict: str  # consistent, inconsistent, not checkable
    explained: bool  # an inconsistency the curator explained (ino:sourceInconsistency)
    method: str | None
    detail: str
    role: str  # "subject": this result's own number was recomputed; "source": it was used
    subject: str  # the result the finding is about


@dataclass(frozen=True)
class TraceRecord:
    """Everything needed to check one number, from its value to the sentence that prints it."""

    iri: str
    id: str
    statistic: Statistic
    endpoint: Entity
    trial: Entity | None
    population: Entity | None
    population_kind: str | None
    arm: Entity | None
    comparator: Entity | None
    cutoff: Entity | None
    cutoff_date: str | None
    category: str | None
    grade: str | None
    serious: bool | None
    setting: str | None
    note: str | None
    source_inconsistency: str | None
    publication: PublicationRef
    location: Location
    quote: str | None
    anchor: TextAnchor | None
    context: QuoteContext | None
    cited_origin: PublicationRef | None
    originals: tuple[RelatedReport, ...]
    other_reports: tuple[RelatedReport, ...]
    derived_from: tuple[str, ...]
    derivation_method: str | None
    curated_at: str | None  # curation file and line, for the reviewer who fixes it
    checks: tuple[CheckNote, ...] = ()  # statistical check findings (graph inog:stats-checks)


# --------------------------------------------------------------------------- queries


@cache
def trace_query(name: str) -> str:
    """The text of ``queries/trace/<name>.rq``."""
    return internal_query("trace", name)


def _rows(dataset: Dataset, name: str, **bindings: Identifier) -> list[dict[str, Node]]:
    result = dataset.query(trace_query(name), initBindings=bindings)
    return [{str(k): v for k, v in row.asdict().items()} for row in result]  # type: ignore[union-attr]


def _str(row: Mapping[str, Node], key: str) -> str | None:
    node = row.get(key)
    return None if node is None else str(node)


def _int(row: Mapping[str, Node], key: str) -> int | None:
    node = row.get(key)
    return None if node is None else int(str(node))


def _dec(row: Mapping[str, Node], key: str) -> Decimal | None:
    node = row.get(key)
    return None if node is None else Decimal(str(node))


def _bool(row: Mapping[str, Node], key: str) -> bool | None:
    node = row.get(key)
    return None if node is None else bool(node.toPython()) if isinstance(node, Literal) else None


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _entity(row: Mapping[str, Node], key: str, label: str) -> Entity | None:
    iri = _str(row, key)
    return None if iri is None else Entity(iri, _local(iri), _str(row, label))


def resolve_result(ident: str) -> URIRef:
    """The result IRI for an id (``kantarjian2016-t2-crcri-ino``), a CURIE or a full IRI.

    >>> str(resolve_result("inod:result/x"))
    'https://w3id.org/inograph/id/result/x'
    """
    ident = ident.strip().strip("<>")
    if ident.startswith(("http://", "https://")):
        return URIRef(ident)
    if ident.startswith("inod:"):
        return URIRef(str(DATA) + ident.removeprefix("inod:"))
    return DATA[f"result/{ident.removeprefix('result/')}"]


# --------------------------------------------------------------------------- trace


def trace(
    dataset: Dataset,
    ident: str,
    *,
    sources: Mapping[str, SourceText] | None = None,
    width: int = CONTEXT_WIDTH,
) -> TraceRecord:
    """The whole provenance chain of one result, read from ``dataset``.

    With ``sources`` (file name → text), the quote is also shown in its context and its
    anchor re-checked against the text.  Raises :class:`QueryError` for an unknown result.
    """
    iri = resolve_result(ident)
    rows = _rows(dataset, "result", result=iri)
    if not rows:
        raise QueryError(f"no result {ident!r} in the graph (looked for <{iri}>)")
    row = rows[0]
    anchor = _anchor(row)
    context = None
    if (
        anchor is not None
        and anchor.source_file is not None  # an anchor without a source file has no text to show
        and sources is not None
        and anchor.source_file in sources
    ):
        context = quote_context(anchor, sources[anchor.source_file], width=width)
    origin = None
    if (origin_iri := _str(row, "origin")) is not None:
        origin = PublicationRef(
            origin_iri,
            _str(row, "originId"),
            _str(row, "originCitation"),
            _str(row, "originDoi"),
            None,
        )
    originals, others = _related(dataset, iri, URIRef(str(row["endpoint"])))
    derived = tuple(_str(r, "fromId") or "" for r in _rows(dataset, "derived", result=iri))
    checks = tuple(
        CheckNote(
            check=str(r["check"]),
            verdict=str(r["verdict"]),
            explained=str(r["verdict"]) == "inconsistent" and r.get("explanation") is not None,
            method=_str(r, "method"),
            detail=str(r["detail"]),
            role=str(r["role"]),
            subject=str(r["subjectId"]),
        )
        for r in _rows(dataset, "checks", result=iri)
    )
    curation_file, curation_line = _str(row, "curationFile"), _int(row, "curationLine")
    return TraceRecord(
        iri=str(iri),
        id=str(row["id"]),
        statistic=Statistic(
            measure=_local(m) if (m := _str(row, "measure")) else None,
            value=_dec(row, "value"),
            unit=_str(row, "unit"),
            n=_int(row, "numerator"),
            N=_int(row, "denominator"),
            ci_lower=_dec(row, "ciLower"),
            ci_upper=_dec(row, "ciUpper"),
            ci_level=_dec(row, "ciLevel"),
            p_value=_str(row, "pValue"),
            p_sided=_str(row, "pSided"),
            test=_str(row, "test"),
            timepoint=_str(row, "timepoint"),
            range_lower=_dec(row, "rangeLower"),
            range_upper=_dec(row, "rangeUpper"),
            value_as_printed=_str(row, "valueAsPrinted"),
            ci_lower_as_printed=_str(row, "ciLowerAsPrinted"),
            ci_upper_as_printed=_str(row, "ciUpperAsPrinted"),
            qualifier=_str(row, "qualifier"),
            analysis=_str(row, "analysis"),
            analysis_basis=_str(row, "analysisBasis"),
            threshold=_dec(row, "threshold"),
            threshold_sided=_str(row, "thresholdSided"),
            threshold_quote=_str(row, "thresholdQuote"),
        ),
        endpoint=Entity(str(row["endpoint"]), _local(str(row["endpoint"])), _str(row, "endpointLabel")),
        trial=_entity(row, "trial", "trialLabel"),
        population=_entity(row, "population", "populationLabel"),
        population_kind=_str(row, "populationKind"),
        arm=_entity(row, "arm", "armLabel"),
        comparator=_entity(row, "comparator", "comparatorLabel"),
        cutoff=_entity(row, "cutoff", "cutoffLabel"),
        cutoff_date=_str(row, "cutoffDate"),
        category=_str(row, "category"),
        grade=_str(row, "grade"),
        serious=_bool(row, "serious"),
        setting=_str(row, "setting"),
        note=_str(row, "note"),
        source_inconsistency=_str(row, "inconsistency"),
        publication=PublicationRef(
            str(row["publication"]),
            _str(row, "publicationId"),
            _str(row, "citation"),
            _str(row, "doi"),
            _int(row, "year"),
        ),
        location=Location(
            section=_str(row, "section"),
            subsection=_str(row, "subsection"),
            table=_str(row, "table"),
            figure=_str(row, "figure"),
            row=_str(row, "row"),
            column=_str(row, "column"),
            label=_str(row, "locationLabel"),
        ),
        quote=_str(row, "quote"),
        anchor=anchor,
        context=context,
        cited_origin=origin,
        originals=originals,
        other_reports=others,
        derived_from=derived,
        derivation_method=_str(row, "derivationMethod"),
        curated_at=f"{curation_file}:{curation_line}" if curation_file and curation_line else None,
        checks=checks,
    )


def _anchor(row: Mapping[str, Node]) -> TextAnchor | None:
    if row.get("annotation") is None:
        return None
    return TextAnchor(
        annotation=str(row["annotation"]),
        source=str(row["source"]),
        source_file=_str(row, "sourceFile"),
        sha256=_str(row, "sha256"),
        exact=str(row["exact"]),
        prefix=_str(row, "prefix") or "",
        suffix=_str(row, "suffix") or "",
        start=int(str(row["start"])),
        end=int(str(row["end"])),
    )


def quote_context(anchor: TextAnchor, source: SourceText, *, width: int = CONTEXT_WIDTH) -> QuoteContext:
    """``width`` characters either side of the quote, found where the anchor says it is.

    If the anchor has drifted but the quote is unique in the text, the context is shown
    where the quote now stands, and the problems say so.
    """
    check = check_anchor(anchor.annotation, anchor.as_anchor(), {source.name: source})
    problems = tuple(p.value for p in check.problems)
    start = anchor.start
    if check.relocated_start is not None:
        start = check.relocated_start
        problems += (f"quote now at {start}-{start + len(anchor.exact)}",)
    elif source.text[anchor.start : anchor.end] != anchor.exact:
        start = -1
    if start < 0:
        return QuoteContext(source.name, 0, "", anchor.exact, "", problems, -1)
    end = start + len(anchor.exact)
    text = source.text
    return QuoteContext(
        source_file=source.name,
        line=text.count("\n", 0, start) + 1,
        before=text[max(0, start - width) : start],
        quote=text[start:end],
        after=text[end : end + width],
        problems=problems,
        start=start,
    )


# --------------------------------------------------------------------------- other reports


_LINK_PRIORITY = {INO.conflictsWith: 0, INO.agreesWith: 1, PROV.wasRevisionOf: 2, INO.sameQuantityAs: 3}
_LINK_NAMES = {
    INO.sameQuantityAs: "ino:sameQuantityAs",
    INO.agreesWith: "ino:agreesWith",
    INO.conflictsWith: "ino:conflictsWith",
    PROV.wasRevisionOf: "prov:wasRevisionOf",
}


def _quantity(row: Mapping[str, Node]) -> ReportedQuantity:
    return ReportedQuantity(
        result=str(row["result"]),
        id=str(row["id"]),
        publication=str(row["publication"]),
        publication_id=_str(row, "publicationId"),
        year=_int(row, "year"),
        endpoint=str(row["endpoint"]),
        measure=_str(row, "measure"),
        trial=_str(row, "trial"),
        arm=_str(row, "arm"),
        comparator=_str(row, "comparator"),
        population=_str(row, "population"),
        population_kind=_str(row, "populationKind"),
        characteristic=_str(row, "characteristic"),
        category=_str(row, "category"),
        grade=_str(row, "grade"),
        timepoint=_str(row, "timepoint"),
        setting=_str(row, "setting"),
        serious=_bool(row, "serious"),
        value=_dec(row, "value"),
        unit=_str(row, "unit"),
        cutoff_date=_str(row, "cutoffDate"),
        origin=_str(row, "origin"),
    )


def _quantities(dataset: Dataset, endpoint: URIRef) -> dict[str, ReportedQuantity]:
    rows = _rows(dataset, "quantities", endpoint=endpoint)
    found: dict[str, ReportedQuantity] = {}
    for row in rows:
        found.setdefault(str(row["result"]), _quantity(row))  # first row: results are single-valued
    return found


def _relation(me: ReportedQuantity, other: ReportedQuantity) -> Relation:
    if other.publication == me.publication:
        return Relation.SAME_PUBLICATION
    mine, theirs = (me.year or 0, me.cutoff_date or ""), (other.year or 0, other.cutoff_date or "")
    if me.year == other.year and (me.cutoff_date is None or other.cutoff_date is None):
        return Relation.UNORDERED
    if theirs == mine:
        return Relation.UNORDERED
    return Relation.EARLIER if theirs < mine else Relation.LATER


def _report(q: ReportedQuantity, relation: Relation, basis: str) -> RelatedReport:
    return RelatedReport(
        q.result, q.id, q.publication_id, q.year, q.value, q.unit, q.cutoff_date, relation, basis
    )


def _related(
    dataset: Dataset, iri: URIRef, endpoint: URIRef
) -> tuple[tuple[RelatedReport, ...], tuple[RelatedReport, ...]]:
    """(originals of a restated figure, other reports of the same quantity).

    The linker's triples are used when the graph has any for this result; otherwise the
    matching rule of :mod:`inograph.correspondence`.
    """
    known = _quantities(dataset, endpoint)
    me = known[str(iri)]
    links = _rows(dataset, "links", result=iri)
    if links:
        for link in links:
            other_endpoint = URIRef(str(link["otherEndpoint"]))
            if str(link["other"]) not in known:
                known.update(_quantities(dataset, other_endpoint))
        grouped: dict[str, list[dict[str, Node]]] = {}
        for link in links:
            grouped.setdefault(str(link["other"]), []).append(link)
        originals: list[RelatedReport] = []
        others: list[RelatedReport] = []
        for other_iri, its_links in grouped.items():
            other = known[other_iri]
            predicates = {URIRef(str(link["predicate"])) for link in its_links}
            # the most specific statement names the link: a conflict or agreement over "same"
            best = min(predicates, key=lambda p: _LINK_PRIORITY.get(p, len(_LINK_PRIORITY)))
            basis = _LINK_NAMES.get(best, str(best))
            revisions = {str(k["direction"]) for k in its_links if k["predicate"] == PROV.wasRevisionOf}
            if revisions == {"forward"}:
                relation = Relation.EARLIER  # the traced result revises the other
            elif revisions == {"backward"}:
                relation = Relation.LATER
            else:
                relation = _relation(me, other)
            if me.origin is not None and other.publication == me.origin:
                originals.append(_report(other, Relation.ORIGINAL, basis))
            else:
                others.append(_report(other, relation, basis))
        return _sorted(originals), _sorted(others)
    candidates = [q for q in known.values() if q.result != me.result]
    found = find_originals(me, candidates) if me.origin is not None else ()
    origin_iris = {q.result for q in found}
    rule = "matching rule"
    same = [
        _report(q, _relation(me, q), rule)
        for q in candidates
        if q.result not in origin_iris and same_quantity(me, q)
    ]
    return _sorted([_report(q, Relation.ORIGINAL, rule) for q in found]), _sorted(same)


_ORDER = {r: i for i, r in enumerate(Relation)}


def _sorted(reports: list[RelatedReport]) -> tuple[RelatedReport, ...]:
    return tuple(sorted(reports, key=lambda r: (_ORDER[r.relation], r.year or 0, r.cutoff_date or "", r.id)))


# --------------------------------------------------------------------------- formats


def trace_subgraph(dataset: Dataset, ident: str) -> Graph:
    """The PROV-O / Web Annotation triples behind one result, as a graph of its own."""
    from inograph.build import PREFIXES
    from inograph.store import plain_literal

    iri = resolve_result(ident)
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for row in _rows(dataset, "subgraph", result=iri):
        graph.add((row["s"], row["p"], plain_literal(row["o"])))
    if not graph:
        raise QueryError(f"no result {ident!r} in the graph (looked for <{iri}>)")
    return graph


def render_turtle(graph: Graph) -> str:
    return graph.serialize(format="turtle")


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def render_json(record: TraceRecord) -> str:
    """The record as JSON: field names as in :class:`TraceRecord`, numbers as numbers."""
    data: dict[str, Any] = asdict(record)
    return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"


def _num(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _named(entity: Entity | None, extra: str | None = None) -> str:
    if entity is None:
        return "-"
    bracket = ", ".join(x for x in (entity.id, extra) if x)
    return f"{entity.label or entity.id}  [{bracket}]"


def _value_line(s: Statistic) -> str:
    """The value as printed ("0.70"), with its qualifier (">40%") and CI bounds as printed."""
    value = s.value_as_printed or _num(s.value) if s.value is not None else ""
    if value and s.qualifier:
        value = f"{s.qualifier} {value}" if s.qualifier[0].isalpha() else f"{s.qualifier}{value}"
    parts = [f"{value}{' ' + s.unit if s.unit and s.unit != '%' else s.unit or ''}".strip() or "-"]
    if s.n is not None or s.N is not None:
        parts.append(f"({'' if s.n is None else s.n}/{'' if s.N is None else s.N})")
    if s.ci_lower is not None:
        level = f"{_num(s.ci_level)}% " if s.ci_level is not None else ""
        lower = s.ci_lower_as_printed or _num(s.ci_lower)
        upper = s.ci_upper_as_printed or _num(s.ci_upper)
        parts.append(f"{level}CI {lower} to {upper}")
    if s.range_lower is not None:
        parts.append(f"range {_num(s.range_lower)} to {_num(s.range_upper)}")
    return "  ".join(parts)


_VERBATIM_FIELDS: Final = frozenset({"quote", "prefix", "suffix"})


def render_text(record: TraceRecord) -> str:
    """The readable terminal view: the value first, then what, where, and the sentence."""
    s = record.statistic
    lines = [f"{record.id}", f"  <{record.iri}>", ""]

    def field(name: str, text: object) -> None:
        # the quote and its anchor stay verbatim; everything else reads as plain text ("P<0.001")
        if text not in (None, "", ()):
            shown = text if name in _VERBATIM_FIELDS else plain_text(str(text))
            lines.append(f"  {name:<13}{shown}")

    field("value", _value_line(s))
    if s.p_value is not None:
        field("p-value", s.p_value + (f" ({s.p_sided}-sided)" if s.p_sided else ""))
    field("measure", s.measure)
    if s.analysis is not None:
        field("analysis", f"{s.analysis}  ({s.analysis_basis})" if s.analysis_basis else s.analysis)
    if s.threshold is not None:
        field("threshold", f"{_num(s.threshold)} ({s.threshold_sided}-sided): {s.threshold_quote}")
    field("test", s.test)
    field("timepoint", s.timepoint)
    lines.append("")
    field("endpoint", _named(record.endpoint))
    trial = record.trial
    field("trial", _named(trial) if trial else None)
    field("population", _named(record.population, record.population_kind) if record.population else None)
    field("arm", _named(record.arm) if record.arm else None)
    field("comparator", _named(record.comparator) if record.comparator else None)
    if record.cutoff is not None:
        field(
            "cutoff", f"{record.cutoff_date or 'no date'}  {record.cutoff.label or ''}  [{record.cutoff.id}]"
        )
    field("category", record.category)
    field("grade", record.grade)
    field("serious", record.serious)
    field("setting", record.setting)
    lines.append("")
    pub = record.publication
    field("publication", f"{pub.id}  {pub.citation or ''}".rstrip())
    field("doi", f"{pub.doi}  (https://doi.org/{pub.doi})" if pub.doi else None)
    field("location", record.location.label)
    field("quote", json.dumps(record.quote, ensure_ascii=False) if record.quote is not None else None)
    if record.anchor is not None:
        a = record.anchor
        field("source", f"{a.source_file}  characters {a.start}-{a.end}  sha256 {a.sha256}")
        field("annotation", f"<{a.annotation}>")
        field("prefix", json.dumps(a.prefix, ensure_ascii=False))
        field("suffix", json.dumps(a.suffix, ensure_ascii=False))
    elif record.quote is None:
        field("quote", "(none: a derived value)" if record.derived_from else "(none)")
    if record.context is None and record.anchor is not None:
        field("in context", "(needs the source texts: give --sources DIR)")
    if record.context is not None:
        c = record.context
        status = "anchor verified" if not c.problems else "; ".join(c.problems)
        lines += ["", f"  in context   {c.source_file}, line {c.line} ({status})"]
        snippet = f"…{c.before}»{c.quote}«{c.after}…"
        lines += [f"    {line}" for line in snippet.split("\n")]
    if record.derived_from:
        lines.append("")
        field("derived from", ", ".join(record.derived_from))
        field("method", record.derivation_method)
    if record.cited_origin is not None:
        o = record.cited_origin
        lines.append("")
        field("cited origin", f"{o.id or _local(o.iri)}  {o.citation or ''}".rstrip())
        field("origin doi", o.doi)
        if record.originals:
            for r in record.originals:
                field("original", _related_line(r))
        else:
            field("original", "(not in the graph)")
    if record.other_reports:
        lines.append("")
        lines.append("  same quantity reported elsewhere")
        lines += [f"    {r.relation.value:<17}{_related_line(r)}" for r in record.other_reports]
    if record.checks:
        lines.append("")
        lines.append("  statistical checks (inograph check-stats)")
        for note in record.checks:
            verdict = f"{note.verdict} (explained)" if note.explained else note.verdict
            used = "" if note.role == "subject" else f"  [as a source of {note.subject}]"
            lines.append(f"    {verdict:<26}{note.check}{used}")
            lines.append(f"      {note.detail}" + (f" [{note.method}]" if note.method else ""))
    lines.append("")
    field("note", record.note)
    field("inconsistency", record.source_inconsistency)
    field("curated at", record.curated_at)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def _related_line(r: RelatedReport) -> str:
    value = f"{_num(r.value)}{' ' + r.unit if r.unit and r.unit != '%' else r.unit or ''}"
    when = ", ".join(x for x in (r.publication, r.cutoff_date and f"cutoff {r.cutoff_date}") if x)
    return f"{r.id}  {value}  ({when}; {r.basis})"


def with_context(record: TraceRecord, directory: Path, *, width: int = CONTEXT_WIDTH) -> TraceRecord:
    """``record`` with its quote shown in context from the source text in ``directory``.

    Only the one file the anchor names is read; a record without an anchor is returned as is.
    """
    if record.anchor is None or record.anchor.source_file is None:
        return record
    source = read_source(Path(directory), record.anchor.source_file)
    return replace(record, context=quote_context(record.anchor, source, width=width))


def format_trace(
    dataset: Dataset,
    ident: str,
    fmt: TraceFormat,
    *,
    sources_dir: Path | None = None,
) -> str:
    """``inograph trace`` in one call: the record (or subgraph) in the chosen format."""
    if fmt is TraceFormat.TURTLE:
        return render_turtle(trace_subgraph(dataset, ident))
    record = trace(dataset, ident)
    if sources_dir is not None:
        record = with_context(record, sources_dir)
    return render_json(record) if fmt is TraceFormat.JSON else render_text(record)
