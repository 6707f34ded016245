"""Terms between rdflib and pyoxigraph, converted through both libraries' public classes.

oxrdflib has a converter, but in a private module (``oxrdflib._converter``) that also imports
rdflib's SPARQL engine; these two functions are all inograph needs.  An ``xsd:string`` literal
comes back plain: the same term in RDF 1.1, and what rdflib matches in ``sh:in`` and in sets.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from inograph.errors import QueryError

if TYPE_CHECKING:
    from rdflib.term import Node

__all__ = ["from_oxigraph", "to_oxigraph"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"  # a string: importing rdflib costs ~50 ms


def to_oxigraph(term: Node) -> Any:
    """An rdflib IRI, blank node or literal as the pyoxigraph term."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = ox.NamedNode(str(term.datatype)) if term.datatype is not None else None
        return ox.Literal(str(term), datatype=datatype)
    raise QueryError(f"unsupported RDF term: {term!r}")


@lru_cache(maxsize=1)
def _term_classes() -> tuple[Any, ...]:
    """pyoxigraph's and rdflib's term classes, imported once (:func:`from_oxigraph` runs per term
    of a query's answer: importing them per call was a third of its time)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    return ox.NamedNode, ox.BlankNode, ox.Literal, URIRef, BNode, Literal


def from_oxigraph(term: Any) -> Node | None:
    """A pyoxigraph IRI, blank node or literal as the rdflib term; None stays None (unbound)."""
    if term is None:
        return None
    named_node, blank_node, literal, uri_ref, bnode, rdflib_literal = _term_classes()
    kind = type(term)  # pyoxigraph's term classes are final
    if kind is named_node:
        return uri_ref(term.value)  # type: ignore[no-any-return]
    if kind is blank_node:
        return bnode(term.value)  # type: ignore[no-any-return]
    if kind is literal:
        if term.language:
            return rdflib_literal(term.value, lang=term.language)  # type: ignore[no-any-return]
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return rdflib_literal(term.value)  # type: ignore[no-any-return]
        return rdflib_literal(term.value, datatype=uri_ref(datatype))  # type: ignore[no-any-return]
    raise QueryError(f"unsupported RDF term: {term!r}")
