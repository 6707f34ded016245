"""Re-resolving every published anchor against the source texts (``inograph verify-sources``).

The anchors are read from the graph (W3C Web Annotation: TextQuoteSelector and
TextPositionSelector on a source document with its SHA-256), not recomputed from the YAML,
so this checks what was published.  Each anchor is resolved with
:func:`inograph.anchoring.check_anchor`: text at the offsets, prefix and suffix.

The checksum belongs to the source document, not to an anchor: a one-character change in
a text changes the SHA-256 for all its anchors, but breaks only the anchors whose quote or
context covers the change.  So a changed checksum is reported once per source, and an
anchor fails only when its own text no longer resolves -- exactly the affected anchors.
Both make the check fail.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset

from inograph.anchoring import Anchor, AnchorCheck, AnchorProblem, SourceText, check_anchor, read_source
from inograph.errors import LoadError
from inograph.provenance import trace_query

__all__ = [
    "AnchorVerdict",
    "PublishedAnchor",
    "SourceStatus",
    "SourceVerification",
    "published_anchors",
    "verify_sources",
]


@dataclass(frozen=True)
class PublishedAnchor:
    """One result's anchor as the graph states it."""

    result: str  # the result IRI
    id: str  # the result's identifier
    annotation: str
    anchor: Anchor


@dataclass(frozen=True)
class SourceStatus:
    """One source document: the checksum the graph records and the one of the file on disk."""

    name: str
    recorded_sha256: str
    actual_sha256: str | None  # None: the file is missing or unreadable
    anchors: int

    @property
    def ok(self) -> bool:
        return self.actual_sha256 == self.recorded_sha256

    def __str__(self) -> str:
        if self.actual_sha256 is None:
            return f"{self.name}: source text missing ({self.anchors} anchors)"
        if not self.ok:
            return (
                f"{self.name}: checksum differs: graph {self.recorded_sha256[:12]}…, "
                f"file {self.actual_sha256[:12]}… ({self.anchors} anchors)"
            )
        return f"{self.name}: checksum ok ({self.anchors} anchors)"


@dataclass(frozen=True)
class AnchorVerdict:
    """The outcome for one anchor; ``problems`` leave out the per-source checksum."""

    published: PublishedAnchor
    check: AnchorCheck
    relocated_line: int | None = None

    @property
    def problems(self) -> tuple[AnchorProblem, ...]:
        return tuple(p for p in self.check.problems if p is not AnchorProblem.CHECKSUM)

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        a = self.published.anchor
        reasons = "; ".join(p.value for p in self.problems) or "ok"
        moved = self.check.relocated_start
        if moved is not None:
            reasons += f"; the quote is now at {moved}-{moved + len(a.exact)} (line {self.relocated_line})"
        return f"{self.published.id}: {a.source} [{a.start}:{a.end}]: {reasons}"


@dataclass(frozen=True)
class SourceVerification:
    sources: tuple[SourceStatus, ...]
    verdicts: tuple[AnchorVerdict, ...]
    seconds: float

    @property
    def failures(self) -> tuple[AnchorVerdict, ...]:
        return tuple(v for v in self.verdicts if not v.ok)

    @property
    def changed_sources(self) -> tuple[SourceStatus, ...]:
        return tuple(s for s in self.sources if not s.ok)

    @property
    def ok(self) -> bool:
        return not self.failures and not self.changed_sources

    def summary(self) -> str:
        head = (
            f"{len(self.verdicts)} anchors in {len(self.sources)} sources checked in {self.seconds:.2f} s: "
        )
        if self.ok:
            return head + "all resolve"
        return head + (
            f"{len(self.failures)} failed, {len(self.changed_sources)} source(s) changed or missing"
        )


def published_anchors(dataset: Dataset) -> tuple[PublishedAnchor, ...]:
    """Every anchor in ``dataset`` (``queries/trace/anchors.rq``), by source and offset."""
    found = []
    for row in dataset.query(trace_query("anchors")):
        r = row.asdict()  # type: ignore[union-attr]
        anchor = Anchor(
            source=str(r["sourceFile"]),
            sha256=str(r.get("sha256", "")),
            exact=str(r["exact"]),
            prefix=str(r.get("prefix", "")),
            suffix=str(r.get("suffix", "")),
            start=int(str(r["start"])),
            end=int(str(r["end"])),
        )
        found.append(PublishedAnchor(str(r["result"]), str(r["id"]), str(r["annotation"]), anchor))
    return tuple(found)


def verify_sources(dataset: Dataset, directory: Path) -> SourceVerification:
    """Resolve every anchor of ``dataset`` against the texts in ``directory``."""
    started = time.perf_counter()
    if not Path(directory).is_dir():
        raise LoadError(f"{directory}: no such folder of source texts")
    anchors = published_anchors(dataset)
    texts: dict[str, SourceText] = {}
    recorded: dict[str, str] = {}
    counts: dict[str, int] = {}
    for item in anchors:
        name = item.anchor.source
        counts[name] = counts.get(name, 0) + 1
        recorded.setdefault(name, item.anchor.sha256)
        if name not in texts:
            # a missing text is reported as such, and as MISSING_SOURCE on its anchors
            with contextlib.suppress(LoadError):
                texts[name] = read_source(Path(directory), name)
    verdicts = tuple(_verdict(item, texts) for item in anchors)
    sources = tuple(
        SourceStatus(name, recorded[name], texts[name].sha256 if name in texts else None, counts[name])
        for name in sorted(counts)
    )
    return SourceVerification(sources, verdicts, time.perf_counter() - started)


def _verdict(item: PublishedAnchor, texts: Mapping[str, SourceText]) -> AnchorVerdict:
    check = check_anchor(item.id, item.anchor, texts)
    line = None
    if check.relocated_start is not None:
        line = texts[item.anchor.source].text.count("\n", 0, check.relocated_start) + 1
    return AnchorVerdict(item, check, line)
