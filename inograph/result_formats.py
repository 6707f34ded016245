"""A query answer as a document: the SPARQL 1.1 Query Results JSON, CSV and TSV formats, or a
plain-text table (the command line's terminal table is :func:`inograph.terminal.render_table`).

Every format prints each term from :attr:`inograph.queries.Row.cells`
(:mod:`inograph.result_terms`), so an answer from the store prints without importing rdflib,
and one made of rdflib terms (a remote endpoint's) prints the same way.

Example::

    >>> from inograph.queries import query
    >>> print(format_result(query("publications"), ResultFormat.CSV))   # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING

from inograph.result_terms import XSD_NAMESPACE, Printed, TermKind

if TYPE_CHECKING:
    from inograph.queries import QueryResult

__all__ = ["ResultFormat", "format_result"]


class ResultFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"


def format_result(
    result: QueryResult,
    fmt: ResultFormat,
    *,
    prefixes: Mapping[str, str] | None = None,
    max_width: int = 60,
) -> str:
    """Serialise ``result``: CSV/TSV/JSON per the SPARQL 1.1 result formats, or a terminal table."""
    if fmt is ResultFormat.JSON:
        return _json(result)
    if fmt is ResultFormat.CSV:
        return _csv(result)
    if fmt is ResultFormat.TSV:
        return _tsv(result)
    return _table(result, prefixes, max_width)


def _json_term(cell: Printed) -> dict[str, str]:
    out = {"type": cell.kind.value, "value": cell.text}
    if cell.language:
        out["xml:lang"] = cell.language
    elif cell.datatype is not None:
        out["datatype"] = cell.datatype
    return out


def _json(result: QueryResult) -> str:
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}, indent=2) + "\n"
    bindings = [
        {v: _json_term(c) for v, c in zip(row.variables, row.cells, strict=True) if c is not None}
        for row in result.rows
    ]
    doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _csv(result: QueryResult) -> str:
    # SPARQL 1.1 CSV: plain values, CRLF line ends (the csv module's default)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if result.boolean is not None:
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
        return buffer.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if c is None else c.text for c in row.cells])
    return buffer.getvalue()


_BARE_NUMBERS = (XSD_NAMESPACE + "integer", XSD_NAMESPACE + "decimal")


def _tsv_term(cell: Printed | None) -> str:
    if cell is None:
        return ""
    if cell.kind is TermKind.IRI:
        return f"<{cell.text}>"
    if cell.kind is TermKind.BLANK:
        return f"_:{cell.text}"
    if cell.datatype in _BARE_NUMBERS and cell.language is None:
        return cell.text  # SPARQL 1.1 TSV allows bare numbers, which are what a reader wants
    # N-Triples escapes: quotes from table rows carry tabs and line breaks, which must not
    # split a TSV row (rdflib's n3() would write a long literal with raw line breaks)
    text = cell.text.translate(_NT_ESCAPES)
    if cell.language:
        return f'"{text}"@{cell.language}'
    if cell.datatype is not None and cell.datatype != XSD_NAMESPACE + "string":
        return f'"{text}"^^<{cell.datatype}>'
    return f'"{text}"'


_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv(result: QueryResult) -> str:
    # SPARQL 1.1 TSV: terms in N-Triples/Turtle form, so the exact term survives a round trip
    if result.boolean is not None:
        return "true\n" if result.boolean else "false\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_term(c) for c in row.cells) for row in result.rows]
    return "\n".join(lines) + "\n"


def _short(cell: Printed | None, prefixes: Mapping[str, str]) -> str:
    if cell is None:
        return ""
    if cell.kind is TermKind.IRI:
        text = cell.text
        for prefix, namespace in prefixes.items():
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{prefix}:{text[len(namespace) :]}"
        return f"<{text}>"
    return " ".join(cell.text.split())


def _table(result: QueryResult, prefixes: Mapping[str, str] | None, max_width: int) -> str:
    if result.boolean is not None:
        return ("yes" if result.boolean else "no") + "\n"
    if prefixes is None:
        from inograph.build import PREFIXES

        prefixes = PREFIXES
    cells = [[_short(c, prefixes) for c in row.cells] for row in result.rows]
    if max_width > 1:
        cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in r] for r in cells]
    header = list(result.variables)
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(header)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    count = len(result.rows)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(lines) + "\n"
