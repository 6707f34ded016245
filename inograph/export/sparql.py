"""Running the export's SPARQL queries (``queries/export/*.rq``) against the built dataset.

Every export is computed from the RDF graph, not from the curation records, so it shows
exactly what was published.  The queries run on the Oxigraph store behind the dataset, with
the default graph as the union of the named graphs; rdflib's own engine would take seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

from rdflib import Dataset

from inograph.errors import ExportError
from inograph.resources import queries_dir
from inograph.store import select_values

__all__ = ["Row", "export_query", "export_query_path", "select"]

#: one solution: variable name → the term's lexical value (IRI string or literal text)
Row = Mapping[str, str]


def export_query_path(name: str) -> Path:
    """The file of the export query ``name`` (``queries/export/<name>.rq``)."""
    return queries_dir() / "export" / f"{name}.rq"


@cache
def export_query(name: str) -> str:
    """The text of an export query, read once per process."""
    path = export_query_path(name)
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        raise ExportError(f"export query {name!r} is missing ({path})") from None


def select(dataset: Dataset, name: str) -> list[Row]:
    """Run the SELECT query ``name``; unbound variables are left out of a row.

    Values are lexical forms: ``"80.7"`` for ``"80.7"^^xsd:decimal``, the IRI for an IRI.
    The callers turn them into typed records.
    """
    return list(select_values(dataset, export_query(name)))
