"""Terms between rdflib and pyoxigraph, converted through both libraries' public classes.

oxrdflib has a converter, but in a private module (``oxrdflib._converter``) that also imports
rdflib's SPARQL engine; these two functions are all inograph needs.  An ``xsd:string`` literal
comes back plain: the same term in RDF 1.1, and what rdflib matches in ``sh:in`` and in sets.
"""

from __future__ import annotations

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


def from_oxigraph(term: Any) -> Node | None:
    """A pyoxigraph IRI, blank node or literal as the rdflib term; None stays None (unbound)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise QueryError(f"unsupported RDF term: {term!r}")
