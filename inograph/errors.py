"""The exceptions inograph raises, one hierarchy so the CLI can map them to exit codes.

Exit codes (see README): 0 success/conforms, 1 violations found, 2 any :class:`InographError`.
"""

from __future__ import annotations

__all__ = [
    "AnchorError",
    "EvidenceError",
    "ExportError",
    "InographError",
    "LoadError",
    "PublishError",
    "QueryError",
    "ShapeError",
]


class InographError(Exception):
    """Base class: a problem the user can fix, reported as one line without a traceback."""


class LoadError(InographError):
    """An input file (Turtle, YAML, TriG) cannot be read or parsed; the message names file and line."""


class EvidenceError(LoadError):
    """Curated evidence breaks the curation rules (unknown id, bad field, duplicate)."""


class AnchorError(EvidenceError):
    """A verbatim quote cannot be anchored uniquely in its source text."""


class ShapeError(InographError):
    """The SHACL shapes or the ontology themselves are unusable."""


class QueryError(InographError):
    """A query is unknown, malformed, or given bad parameters."""


class ExportError(InographError):
    """An export cannot be produced (unknown format, unwritable path)."""


class PublishError(InographError):
    """The dataset could not be loaded into a store (``inograph publish``)."""
