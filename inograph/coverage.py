"""Curation coverage: which numbers printed in a source text no quote of the graph covers.

A curator's completeness check: every number in the text, tables and legends should sit inside
the quote of some result (or be knowingly skipped: reference numbers, dates, page furniture).
The report lists the uncovered numbers line by line, so a reviewer can walk the gaps.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from inograph.anchoring import Anchor, SourceText

__all__ = ["CoverageReport", "UncoveredNumber", "body_end", "coverage", "coverage_by_source"]

# a number as articles print it: 12, 3.5, 47,400, 0.001 (not a digit inside a word like CD22)
_NUMBER = re.compile(r"(?<![A-Za-z0-9.])\d+(?:[.,]\d+)*(?![A-Za-z0-9])")
_REFERENCES = re.compile(r"^\s*(REFERENCES|References)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class UncoveredNumber:
    text: str
    start: int
    line: int
    context: str


@dataclass(frozen=True)
class CoverageReport:
    source: str
    numbers: int
    covered: int
    uncovered: tuple[UncoveredNumber, ...]

    @property
    def fraction(self) -> float:
        return self.covered / self.numbers if self.numbers else 1.0


def body_end(text: str) -> int:
    """Where the reference list starts (numbers after it are citations, not evidence)."""
    match = _REFERENCES.search(text)
    return match.start() if match else len(text)


def coverage(source: SourceText, anchors: Iterable[Anchor]) -> CoverageReport:
    """Numbers of the source's body that fall outside every anchored quote."""
    spans = sorted((a.start, a.end) for a in anchors if a.source == source.name)
    covered_chars = bytearray(len(source.text))
    for start, end in spans:
        covered_chars[start:end] = b"\x01" * (end - start)
    text, end_of_body = source.text, body_end(source.text)
    total, hits, gaps = 0, 0, []
    for match in _NUMBER.finditer(text, 0, end_of_body):
        total += 1
        if any(covered_chars[match.start() : match.end()]):
            hits += 1
            continue
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end < 0 else line_end
        left = max(line_start, match.start() - 50)
        right = min(line_end, match.end() + 50)
        gaps.append(
            UncoveredNumber(
                text=match.group(),
                start=match.start(),
                line=text.count("\n", 0, match.start()) + 1,
                context=text[left:right].replace("\t", " "),
            )
        )
    return CoverageReport(source.name, total, hits, tuple(gaps))


def coverage_by_source(sources: Mapping[str, SourceText], anchors: Iterable[Anchor]) -> list[CoverageReport]:
    anchor_list = list(anchors)
    return [coverage(source, anchor_list) for _name, source in sorted(sources.items())]
