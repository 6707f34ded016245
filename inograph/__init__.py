"""inograph: the clinical evidence on inotuzumab ozogamicin in R/R ALL as an RDF knowledge graph.

The public API is the functions the CLI calls::

    from inograph import build, build_dataset, validate
    built = build_dataset()                 # rdflib Dataset, one named graph per publication
    report = validate(built.dataset)        # ValidationReport (SHACL + OWL consistency)
"""

from __future__ import annotations

from inograph.build import BuildOutputs, BuiltDataset, build, build_dataset
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
