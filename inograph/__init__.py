"""inograph: the clinical evidence on inotuzumab ozogamicin in R/R ALL as an RDF knowledge graph.

The public API is the functions the CLI calls::

    from inograph import build, build_dataset, validate
    built = build_dataset()                 # rdflib Dataset, one named graph per publication
    report = validate(built.dataset)        # ValidationReport (SHACL + OWL consistency)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# imported at once (it is light): the function ``build`` must win over the submodule's name
from inograph.build import BuildOutputs, BuiltDataset, build, build_dataset

if TYPE_CHECKING:
    from inograph.errors import (
        AnchorError,
        EvidenceError,
        ExportError,
        InographError,
        LoadError,
        QueryError,
        ShapeError,
    )
    from inograph.evidence import Evidence, Result, load_evidence
    from inograph.queries import QueryResult, list_queries, query, sparql
    from inograph.stats_checks import CheckReport, Finding, run_checks
    from inograph.validation import ValidationReport, Violation
    from inograph.validation import validate_dataset as validate

#: where each public name lives; imported on first use, so that ``import inograph`` (and every
#: command line call, which imports the package first) does not load rdflib, YAML or scipy
_HOMES = {
    "AnchorError": "inograph.errors",
    "EvidenceError": "inograph.errors",
    "ExportError": "inograph.errors",
    "InographError": "inograph.errors",
    "LoadError": "inograph.errors",
    "QueryError": "inograph.errors",
    "ShapeError": "inograph.errors",
    "Evidence": "inograph.evidence",
    "Result": "inograph.evidence",
    "load_evidence": "inograph.evidence",
    "QueryResult": "inograph.queries",
    "list_queries": "inograph.queries",
    "query": "inograph.queries",
    "sparql": "inograph.queries",
    "CheckReport": "inograph.stats_checks",
    "Finding": "inograph.stats_checks",
    "run_checks": "inograph.stats_checks",
    "ValidationReport": "inograph.validation",
    "Violation": "inograph.validation",
}


def __getattr__(name: str) -> Any:
    if name == "validate":
        return import_module("inograph.validation").validate_dataset
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'inograph' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "AnchorError",
    "BuildOutputs",
    "BuiltDataset",
    "CheckReport",
    "Evidence",
    "EvidenceError",
    "ExportError",
    "Finding",
    "InographError",
    "LoadError",
    "QueryError",
    "QueryResult",
    "Result",
    "ShapeError",
    "ValidationReport",
    "Violation",
    "build",
    "build_dataset",
    "list_queries",
    "load_evidence",
    "query",
    "run_checks",
    "sparql",
    "validate",
]

__version__ = "0.1.0"
