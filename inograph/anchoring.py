"""Anchoring verbatim quotes in their source texts (W3C Web Annotation selectors).

Curators type only the quote (and, when it is not unique, a short prefix); offsets, the
context around the quote and the text's SHA-256 are computed here, so they cannot be mistyped
and can be re-checked against the texts at any time (``inograph verify-sources``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from inograph.errors import AnchorError, LoadError

__all__ = [
    "CONTEXT_CHARS",
    "Anchor",
    "AnchorCheck",
    "AnchorProblem",
    "SourceText",
    "anchor_quote",
    "check_anchor",
    "read_source",
]

CONTEXT_CHARS = 32


@dataclass(frozen=True)
class SourceText:
    """One source document: its file name, text and SHA-256 of the UTF-8 bytes."""

    name: str
    text: str
    sha256: str


@dataclass(frozen=True)
class Anchor:
    """Where a quote sits: a TextQuoteSelector and a TextPositionSelector in one record."""

    source: str
    sha256: str
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def read_source(directory: Path, name: str) -> SourceText:
    path = directory / name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"{path}: cannot read source text: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise LoadError(
            f"{path}:{line}: the source text is not UTF-8 ({exc.reason} at byte {exc.start}); "
            "use the text file as distributed"
        ) from None
    return SourceText(name, text, hashlib.sha256(data).hexdigest())


def anchor_quote(source: SourceText, quote: str, *, prefix: str | None, owner: str) -> Anchor:
    """Find ``quote`` (after ``prefix``, if given) exactly once in ``source``.

    >>> text = SourceText("t.txt", "rate 80.7% vs 29.4%; later 80.7%", "0")
    >>> anchor_quote(text, "29.4%", prefix=None, owner="r1").start
    14
    """
    needle = (prefix or "") + quote
    first = source.text.find(needle)
    if first < 0:
        where = "with its prefix " if prefix else ""
        raise AnchorError(f"{owner}: quote {_short(quote)} {where}is not in {source.name}")
    if source.text.find(needle, first + 1) >= 0:
        count = source.text.count(needle)
        raise AnchorError(
            f"{owner}: quote {_short(quote)} occurs {count} times in {source.name}; "
            "add a prefix (the text just before it) or lengthen the quote"
        )
    start = first + len(prefix or "")
    end = start + len(quote)
    return Anchor(
        source=source.name,
        sha256=source.sha256,
        exact=quote,
        prefix=source.text[max(0, start - CONTEXT_CHARS) : start],
        suffix=source.text[end : end + CONTEXT_CHARS],
        start=start,
        end=end,
    )


class AnchorProblem(Enum):
    MISSING_SOURCE = "source text missing"
    CHECKSUM = "checksum differs"
    OFFSETS = "text at the offsets differs from the quote"
    PREFIX = "prefix differs"
    SUFFIX = "suffix differs"
    QUOTE_MISSING = "quote not found in the text"


@dataclass(frozen=True)
class AnchorCheck:
    """The outcome of re-resolving one anchor against the texts on disk."""

    owner: str
    anchor: Anchor
    problems: tuple[AnchorProblem, ...]
    relocated_start: int | None = None  # where a drifted quote now stands, if unique

    @property
    def ok(self) -> bool:
        return not self.problems


def check_anchor(owner: str, anchor: Anchor, sources: Mapping[str, SourceText]) -> AnchorCheck:
    """Resolve ``anchor`` against ``sources``; say every way it fails, and where it moved."""
    source = sources.get(anchor.source)
    if source is None:
        return AnchorCheck(owner, anchor, (AnchorProblem.MISSING_SOURCE,))
    problems: list[AnchorProblem] = []
    if source.sha256 != anchor.sha256:
        problems.append(AnchorProblem.CHECKSUM)
    text = source.text
    if text[anchor.start : anchor.end] != anchor.exact:
        problems.append(AnchorProblem.OFFSETS)
    else:
        if text[max(0, anchor.start - len(anchor.prefix)) : anchor.start] != anchor.prefix:
            problems.append(AnchorProblem.PREFIX)
        if text[anchor.end : anchor.end + len(anchor.suffix)] != anchor.suffix:
            problems.append(AnchorProblem.SUFFIX)
    relocated = None
    if AnchorProblem.OFFSETS in problems:
        count = text.count(anchor.exact)
        if count == 0:
            problems.append(AnchorProblem.QUOTE_MISSING)
        elif count == 1:
            relocated = text.find(anchor.exact)
    return AnchorCheck(owner, anchor, tuple(problems), relocated)


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
