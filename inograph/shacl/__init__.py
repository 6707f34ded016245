"""SHACL validation as SPARQL on Oxigraph: see :mod:`inograph.shacl.engine`."""

from inograph.shacl.engine import ShaclResult, count_triples, validate_store

__all__ = ["ShaclResult", "count_triples", "validate_store"]
