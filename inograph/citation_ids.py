"""One citation id per work: two printed references that share an id must cite the same work.

Reference ids (``gokbuget2012``) are global: the build turns each into one work IRI, and a
restated figure's ``cited_origin`` resolves through it.  When two reference lists give one id to
two different works (the same first author and year: ``jabbour2015`` for a Blood review and for an
EHA abstract), their restated figures resolve to the wrong origin.  :func:`check_citation_ids`
refuses such evidence, naming both references by file and line; the curator then gives one of
them a letter (``jabbour2015b``), as docs/curation.md asks.

Two printed references are taken to cite the same work when

* both print a DOI: the DOIs are equal (case-insensitive); otherwise
* both print a journal locator (``2015;125:4010``: year, volume, first page): the volume and
  first page are equal; otherwise
* their titles share most words: the Jaccard overlap of the words of 4+ letters (accents
  folded, author names included, as printed) is at least one half.

A reference whose id is a curated publication's id is compared with that publication the same
way (its DOI and its title), so a reference list cannot point a curated id at another work.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from inograph.errors import EvidenceError
from inograph.evidence import Curation, Origin, Reference

__all__ = ["PrintedWork", "check_citation_ids", "same_work"]

# "2015;125:4010-6", "2015; 100(S1):S114", "Cancer. 2008;113:3186-3191"
_LOCATOR = re.compile(r"(?:19|20)\d{2}\s*;\s*([0-9A-Za-z]+)\s*(?:\([^)]*\))?\s*:\s*([A-Za-z]*\d+)")
_WORD = re.compile(r"[a-z]{4,}")
_TITLE_OVERLAP = 0.5


@dataclass(frozen=True)
class PrintedWork:
    """A work as one reference list (or a curated publication) prints it."""

    id: str
    text: str
    doi: str | None
    origin: Origin

    @property
    def locator(self) -> tuple[str, str] | None:
        match = _LOCATOR.search(self.text)
        return (match.group(1).lower(), match.group(2).lower()) if match else None

    @property
    def words(self) -> frozenset[str]:
        folded = unicodedata.normalize("NFKD", self.text).encode("ascii", "ignore").decode().lower()
        return frozenset(_WORD.findall(folded))


def same_work(a: PrintedWork, b: PrintedWork) -> bool:
    """Whether two printed references cite one work (rules in the module docstring)."""
    if a.doi and b.doi:
        return a.doi.lower() == b.doi.lower()
    if a.locator and b.locator:
        return a.locator == b.locator
    union = a.words | b.words
    return bool(union) and len(a.words & b.words) / len(union) >= _TITLE_OVERLAP


def _printed(ref: Reference) -> PrintedWork:
    return PrintedWork(ref.id, ref.citation, ref.doi, ref.origin)


def check_citation_ids(curations: Iterable[Curation]) -> None:
    """Raise :class:`EvidenceError` (file:line of both) when one id names two different works."""
    curations = tuple(curations)
    seen: dict[str, PrintedWork] = {
        c.publication.id: PrintedWork(
            c.publication.id,
            f"{c.publication.citation}",
            c.publication.doi,
            c.publication.origin,
        )
        for c in curations
    }
    for curation in curations:
        for ref in curation.references:
            printed = _printed(ref)
            first = seen.get(ref.id)
            if first is None:
                seen[ref.id] = printed
            elif first.origin.file == printed.origin.file and first.origin.line == printed.origin.line:
                continue
            elif not same_work(first, printed):
                raise EvidenceError(
                    f"{printed.origin}: reference id {ref.id!r} cites a different work than at "
                    f"{first.origin} "
                    f"({_short(printed.text)!r} vs {_short(first.text)!r}); give one of them its own id "
                    f"(first author + year + a letter)"
                )


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
