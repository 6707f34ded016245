"""The terms of a query answer as the result formats print them, read without rdflib.

``inograph query`` prints answers (tsv, csv, json, table) straight from pyoxigraph's terms:
importing rdflib costs 60–90 ms, a third of a warm ``inograph query``.  Each term becomes a
:class:`Printed`: its kind, its text (an IRI, a blank node's id, a literal's lexical form), its
datatype and its language tag, which is all the result formats need.  An answer made of rdflib
terms (a remote endpoint's, one built by hand) prints through the same function, the same way.

The text of a literal is the one rdflib gives, because answers were printed through rdflib
terms before and must print the same.  rdflib rewrites the lexical form of the XSD datatypes it
converts to Python values when it reads them (``"6"^^xsd:double`` prints ``6.0``,
``"2016-08-25Z"^^xsd:date`` prints ``2016-08-25``, ``"TRUE"^^xsd:boolean`` prints ``true``).
Oxigraph already stores strings, integers, decimals, booleans and dates in the form rdflib
prints, and that is checked (:data:`_AS_RDFLIB_PRINTS`) before a term is taken as it is: every
library query's answer is made of those and of IRIs.  A literal of another datatype rdflib
rewrites (a double, a dateTime, a duration, …) is read through rdflib, imported then, so that it
prints exactly as before.

Example::

    >>> import pyoxigraph as ox
    >>> cell = printed(ox.Literal("0.45", datatype=ox.NamedNode(XSD_NAMESPACE + "decimal")))
    >>> cell.kind.value, cell.text, cell.datatype
    ('literal', '0.45', 'http://www.w3.org/2001/XMLSchema#decimal')
    >>> printed(ox.Literal("tab", language="en")).language
    'en'
"""

from __future__ import annotations

import re
import sys
from enum import StrEnum
from functools import lru_cache
from typing import Any, NamedTuple

from inograph.errors import QueryError

__all__ = ["RDFLIB_REWRITES", "XSD_NAMESPACE", "Printed", "TermKind", "lexical_as_printed", "printed"]

#: the XSD namespace as a string (rdflib's ``XSD`` is not at hand without importing rdflib)
XSD_NAMESPACE = "http://www.w3.org/2001/XMLSchema#"
_RDF_NAMESPACE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD_STRING = XSD_NAMESPACE + "string"


class TermKind(StrEnum):
    """What a term is; the values are the ``type`` names of the SPARQL 1.1 JSON results."""

    IRI = "uri"
    BLANK = "bnode"
    LITERAL = "literal"


class Printed(NamedTuple):
    """One term of an answer as text.  ``datatype`` is None for a plain string and for a
    language-tagged string (a store's ``xsd:string``, as rdflib's terms read from a store)."""

    kind: TermKind
    text: str
    datatype: str | None = None
    language: str | None = None


#: the datatypes whose lexical forms rdflib rewrites when it reads them (``rdflib.term``'s
#: ``XSDToPython``, less ``xsd:string``; a test checks the list against the installed rdflib)
RDFLIB_REWRITES = frozenset(
    [XSD_NAMESPACE + name for name in (
        "anyURI", "base64Binary", "boolean", "byte", "date", "dateTime", "dayTimeDuration", "decimal",
        "double", "duration", "float", "hexBinary", "int", "integer", "language", "long",
        "negativeInteger", "nonNegativeInteger", "nonPositiveInteger", "normalizedString",
        "positiveInteger", "short", "time", "token", "unsignedByte", "unsignedInt", "unsignedLong",
        "unsignedShort", "yearMonthDuration",
    )]
    + [_RDF_NAMESPACE + "HTML", _RDF_NAMESPACE + "XMLLiteral"]
)  # fmt: skip

_INTEGER = re.compile(r"0|-?[1-9][0-9]*")
#: for these datatypes, the lexical forms rdflib prints unchanged (its own output for the value:
#: ``Decimal(text)`` formatted with ``:f``, ``str(int(text))``, ``date.isoformat()``, ``true``)
_AS_RDFLIB_PRINTS: dict[str, re.Pattern[str]] = {
    XSD_NAMESPACE + "decimal": re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"),
    XSD_NAMESPACE + "boolean": re.compile(r"true|false"),
    XSD_NAMESPACE + "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    **{
        XSD_NAMESPACE + name: _INTEGER
        for name in (
            "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
            "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort",
            "unsignedByte",
        )
    },
}  # fmt: skip


def lexical_as_printed(text: str, datatype: str) -> str:
    """The lexical form ``text`` of a ``datatype`` literal as rdflib prints it."""
    if datatype not in RDFLIB_REWRITES:
        return text
    kept = _AS_RDFLIB_PRINTS.get(datatype)
    if kept is not None and kept.fullmatch(text):
        return text
    from rdflib import Literal, URIRef

    return str(Literal(text, datatype=URIRef(datatype)))


@lru_cache(maxsize=1)
def _oxigraph_classes() -> tuple[type[Any], type[Any], type[Any]]:
    import pyoxigraph as ox

    return ox.NamedNode, ox.BlankNode, ox.Literal


def printed(term: object) -> Printed | None:
    """``term`` (pyoxigraph's or rdflib's, or already :class:`Printed`) as text; None (an
    unbound variable) stays None."""
    if term is None or isinstance(term, Printed):
        return term
    named_node, blank_node, literal = _oxigraph_classes()
    kind = type(term)  # pyoxigraph's term classes are final
    if kind is named_node:
        return Printed(TermKind.IRI, term.value)  # type: ignore[attr-defined]
    if kind is blank_node:
        return Printed(TermKind.BLANK, term.value)  # type: ignore[attr-defined]
    if kind is literal:
        text: str = term.value  # type: ignore[attr-defined]
        language: str | None = term.language  # type: ignore[attr-defined]
        if language:
            return Printed(TermKind.LITERAL, text, None, language)
        datatype: str = term.datatype.value  # type: ignore[attr-defined]
        if datatype == _XSD_STRING:
            return Printed(TermKind.LITERAL, text)
        return Printed(TermKind.LITERAL, lexical_as_printed(text, datatype), datatype)
    return _from_rdflib(term)


def _from_rdflib(term: object) -> Printed:
    # a term of rdflib's means rdflib is imported already: no import is paid here
    rdflib = sys.modules.get("rdflib")
    if rdflib is not None:
        if isinstance(term, rdflib.URIRef):
            return Printed(TermKind.IRI, str(term))
        if isinstance(term, rdflib.BNode):
            return Printed(TermKind.BLANK, str(term))
        if isinstance(term, rdflib.Literal):
            if term.language:
                return Printed(TermKind.LITERAL, str(term), None, str(term.language))
            datatype = None if term.datatype is None else str(term.datatype)
            return Printed(TermKind.LITERAL, str(term), datatype)
    raise QueryError(f"unsupported RDF term: {term!r}")
