"""Write the RDF/XML copy of the ontology, ``ontology/inograph.owl``, from ``ontology/inograph.ttl``.

Tools that read no Turtle (owlready2 0.51, Protégé's older plugins) load the RDF/XML copy; it is
generated, never edited by hand: triples sorted, so the same Turtle gives the same bytes.
``tests/test_ontology_files.py`` fails while the copy is out of date::

    python tools/ontology_rdfxml.py            # rewrite ontology/inograph.owl
    python tools/ontology_rdfxml.py --check    # exit 1 if it is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

CHECKOUT = Path(__file__).resolve().parent.parent
TURTLE = CHECKOUT / "ontology" / "inograph.ttl"
RDFXML = CHECKOUT / "ontology" / "inograph.owl"
PREFIXES = {
    "ino": "https://w3id.org/inograph/ontology#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
}


def rdfxml(turtle: Path = TURTLE) -> bytes:
    """The ontology's triples as RDF/XML (subjects, then predicates and objects, sorted)."""
    triples = list(ox.parse(path=str(turtle), format=ox.RdfFormat.TURTLE))
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples):
        raise SystemExit(f"{turtle}: blank nodes would get new labels each run; name them")
    triples.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    header = (
        "<!-- Generated from inograph.ttl by tools/ontology_rdfxml.py: do not edit; "
        "edit the Turtle and run the tool. -->\n"
    ).encode()
    body = ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=PREFIXES)
    assert body is not None
    declaration, _, rest = body.partition(b"\n")
    return declaration + b"\n" + header + rest


def main(argv: list[str]) -> int:
    wanted = rdfxml()
    if "--check" in argv:
        if not RDFXML.is_file() or RDFXML.read_bytes() != wanted:
            print(f"{RDFXML} is out of date: run python tools/ontology_rdfxml.py", file=sys.stderr)
            return 1
        return 0
    RDFXML.write_bytes(wanted)
    print(f"{RDFXML.relative_to(CHECKOUT)}: {len(wanted)} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
