"""Running the export's SPARQL queries (``queries/export/*.rq``) against the built dataset.

Every export is computed from the RDF graph, not from the curation records, so it shows
exactly what was published.  The queries run on the Oxigraph store behind the dataset, with
the default graph as the union of the named graphs; rdflib's own engine would take seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import Dataset

from inograph.errors import ExportError
from inograph.resources import queries_dir

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


def _store(dataset: Dataset) -> Any:
    import pyoxigraph as ox

    store = getattr(dataset.store, "_inner", None)
    if not isinstance(store, ox.Store):
        # an rdflib memory dataset (--store memory): copy it into Oxigraph once
        from inograph.store import oxigraph_quads

        store = ox.Store()
        store.extend(oxigraph_quads(dataset))
    return store


def select(dataset: Dataset, name: str) -> list[Row]:
    """Run the SELECT query ``name``; unbound variables are left out of a row.

    Values are lexical forms: ``"80.7"`` for ``"80.7"^^xsd:decimal``, the IRI for an IRI.
    The callers turn them into typed records.
    """
    solutions = _store(dataset).query(export_query(name), use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    rows: list[Row] = []
    for solution in solutions:
        row: dict[str, str] = {}
        for var in names:
            term = solution[var]
            if term is not None:
                row[var] = term.value
        rows.append(row)
    return rows
