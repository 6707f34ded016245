"""A content-addressed cache of built datasets (and reasoner verdicts), so every CLI call does
not redo what its inputs have not changed.

The build key hashes the raw bytes of everything the dataset is made from: the evidence files,
the ontology, the SPARQL files the build runs, the source texts and inograph's own code (the
build and link rules live there).  Hashing bytes is cheap; parsing YAML and anchoring quotes is
not, so a cache hit does neither.  Any change gives a new key; a stale graph is never served.
The cache holds N-Quads, which Oxigraph loads in a fraction of the time the build takes, and
the TriG and counts ``inograph build`` writes, so a build that hits writes its files without
loading the graph at all.

Every entry is sealed: a first line with the SHA-256 and line count of the rest.  A damaged
entry (truncated, changed) is reported on stderr, removed, and the work redone.
The cache keeps the :data:`KEEP_BUILDS` builds used most recently; writing a new one removes
the others.  ``INOGRAPH_CACHE=off`` disables the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CACHE_ENV",
    "KEEP_BUILDS",
    "CachedOutputs",
    "body_start",
    "cache_dir",
    "cache_key",
    "cached_nquads",
    "cached_outputs",
    "discard_entry",
    "mark_used",
    "prune",
    "read_entry",
    "seal",
    "store_nquads",
    "store_outputs",
    "verify",
    "warn",
    "write_entry",
]

CACHE_ENV = "INOGRAPH_CACHE"
_SEAL = re.compile(rb"\A# inograph-cache sha256=([0-9a-f]{64}) lines=([0-9]+)\n")
_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    """``$INOGRAPH_CACHE`` (``off`` disables), else ``$XDG_CACHE_HOME/inograph``."""
    setting = os.environ.get(CACHE_ENV)
    if setting is not None and setting.lower() in ("", "0", "off", "no", "false"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "inograph"


def cache_key(inputs: Iterable[Path], extra: Iterable[str] = ()) -> str:
    """One hash over inograph's code, the names and bytes of ``inputs`` and the ``extra`` strings."""
    digest = hashlib.sha256()
    code = sorted(_PACKAGE.rglob("*.py"))
    for path in [*code, *sorted(Path(p) for p in inputs)]:
        digest.update(path.name.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for value in sorted(extra):
        digest.update(value.encode() + b"\0")
    return digest.hexdigest()[:32]


def seal(body: str | bytes) -> bytes:
    """The cache entry for ``body``: a checksum line, then the body itself."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    lines = data.count(b"\n")
    header = f"# inograph-cache sha256={hashlib.sha256(data).hexdigest()} lines={lines}\n"
    return header.encode("ascii") + data


def verify(entry: bytes) -> str | None:
    """Why ``entry`` cannot be trusted, or None when its content matches its checksum."""
    match = _SEAL.match(entry)
    if match is None:
        return "no checksum line" if entry else "empty file"
    start = match.end()
    lines, written = entry.count(b"\n", start), int(match.group(2))
    if lines != written:
        return f"{lines} lines where {written} were written"
    # a view, not a copy: entries are tens of megabytes
    if hashlib.sha256(memoryview(entry)[start:]).hexdigest() != match.group(1).decode("ascii"):
        return "content does not match its checksum"
    return None


def body_start(entry: bytes) -> int:
    """Where the body of a sealed ``entry`` begins (after its checksum line)."""
    return entry.index(b"\n") + 1


def read_entry(name: str, *, what: str, redo: str) -> bytes | None:
    """The verified entry ``name`` (seal line included), or None when there is none or it is
    damaged; a damaged one is removed and reported as ``{what}`` that will be ``{redo}``."""
    directory = cache_dir()
    if directory is None:
        return None
    path = directory / name
    try:
        entry = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        warn(f"{path}: cannot read the {what} ({exc.strerror}); {redo}")
        return None
    problem = verify(entry)
    if problem is None:
        return entry
    discard_entry(name, what=what, problem=problem, redo=redo)
    return None


def discard_entry(name: str, *, what: str, problem: str, redo: str) -> None:
    """Remove the entry ``name``, which cannot be trusted for ``problem`` (damaged, or whole but
    not what it should hold), with a warning that the work will be ``{redo}``."""
    directory = cache_dir()
    if directory is None:
        return
    path = directory / name
    warn(f"{path}: damaged {what} entry ({problem}); discarded, {redo}")
    with contextlib.suppress(OSError):
        path.unlink()


def write_entry(name: str, body: str | bytes) -> None:
    """Keep ``body`` for next time, sealed and written atomically; an unwritable cache is skipped."""
    from inograph.atomic import write_bytes_atomically
    from inograph.errors import InographError

    directory = cache_dir()
    if directory is None:
        return
    try:
        write_bytes_atomically(directory / name, seal(body))
    except (InographError, OSError):
        return


def cached_nquads(key: str) -> bytes | None:
    """The verified build cache entry for ``key`` (its seal line is an N-Quads comment)."""
    entry = read_entry(f"{key}.nq", what="build cache", redo="rebuilding")
    if entry is not None:
        mark_used(key)
    return entry


def store_nquads(key: str, nquads: str | bytes) -> None:
    """Keep the build's N-Quads for next time (see :func:`write_entry`), and let go of the
    builds used least recently beyond :data:`KEEP_BUILDS`."""
    write_entry(f"{key}.nq", nquads)
    prune(keep=key)


#: how many builds the cache keeps: the most recently used (a code or evidence edit makes a new
#: build of about 50 MB with its on-disk copy; without a limit the folder would only grow)
KEEP_BUILDS = 4
#: a build's entries: ``KEY.nq`` (whose time stamp says when the build was last used),
#: ``KEY.trig`` and the ``KEY.oxigraph/`` copy; hidden scratch folders belong to running makers
_BUILD_ENTRY = re.compile(r"\A([0-9a-f]{32})\.(?:nq|trig|oxigraph)\Z")


def mark_used(key: str) -> None:
    """Note that the build ``key`` was just used, so that :func:`prune` keeps it."""
    directory = cache_dir()
    if directory is not None:
        with contextlib.suppress(OSError):
            os.utime(directory / f"{key}.nq")


def prune(*, keep: str) -> None:
    """Remove the entries of every build but ``keep`` and the most recently used others, up to
    :data:`KEEP_BUILDS` in all; what cannot be removed (in use elsewhere, read-only) is left."""
    directory = cache_dir()
    if directory is None:
        return
    entries: dict[str, list[Path]] = {}
    used: dict[str, float] = {}
    with contextlib.suppress(OSError):
        for path in directory.iterdir():
            match = _BUILD_ENTRY.match(path.name)
            if match is None:
                continue
            key = match.group(1)
            entries.setdefault(key, []).append(path)
            if path.suffix == ".nq":
                with contextlib.suppress(OSError):
                    used[key] = path.stat().st_mtime
    others = sorted((k for k in entries if k != keep), key=lambda k: used.get(k, 0.0), reverse=True)
    for key in others[KEEP_BUILDS - 1 :]:
        for path in entries[key]:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    path.unlink()


@dataclass(frozen=True)
class CachedOutputs:
    """What ``inograph build`` writes for a cached build, ready to write again as it is."""

    nquads: memoryview
    trig: memoryview
    quads: int
    results: int


#: the first line of a ``.trig`` entry: a TriG comment holding the build's counts
_COUNTS_LINE = b"# inograph build counts: "


def cached_outputs(key: str) -> CachedOutputs | None:
    """The files and counts of the build ``key``, when both its N-Quads and its TriG entry are
    whole; then ``inograph build`` writes them without loading the graph or reading evidence."""
    nquads = cached_nquads(key)
    if nquads is None:
        return None
    trig = read_entry(f"{key}.trig", what="build cache", redo="writing it again")
    if trig is None:
        return None
    start = body_start(trig)
    end = trig.find(b"\n", start) + 1
    counts = None
    if trig.startswith(_COUNTS_LINE, start) and end > 0:
        with contextlib.suppress(ValueError):
            counts = json.loads(trig[start + len(_COUNTS_LINE) : end])
    if not (isinstance(counts, dict) and all(type(counts.get(n)) is int for n in ("quads", "results"))):
        discard_entry(f"{key}.trig", what="build cache", problem="no counts", redo="writing it again")
        return None
    return CachedOutputs(
        memoryview(nquads)[body_start(nquads) :], memoryview(trig)[end:], counts["quads"], counts["results"]
    )


def store_outputs(key: str, trig: bytes, *, quads: int, results: int) -> None:
    """Keep the TriG and counts of the build ``key`` (its N-Quads are kept by :func:`store_nquads`)."""
    counts = json.dumps({"quads": quads, "results": results}, sort_keys=True).encode()
    write_entry(f"{key}.trig", _COUNTS_LINE + counts + b"\n" + trig)


_warned: set[str] = set()


def warn(message: str) -> None:
    """One warning line on stderr, once per process (a build that looks for an entry twice,
    e.g. in a cache folder that is a file, says so once)."""
    if message in _warned:
        return
    _warned.add(message)
    print(f"inograph: warning: {message}", file=sys.stderr)
