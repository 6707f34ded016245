"""A content-addressed cache of built datasets, so every CLI call does not rebuild the graph.

The key hashes everything the dataset is made from: the evidence files, the ontology, the source
texts and inograph's own code (the build and link rules live there).  Any change gives a new
key; a stale graph is never served.  The cache holds N-Quads, which Oxigraph bulk-loads in a
fraction of the time the build takes.  ``INOGRAPH_CACHE=off`` disables it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

__all__ = ["CACHE_ENV", "cache_dir", "cache_key", "cached_nquads", "seal", "store_nquads", "verify"]

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


def cache_key(inputs: Iterable[Path], source_hashes: Iterable[str]) -> str:
    digest = hashlib.sha256()
    code = sorted(_PACKAGE.rglob("*.py"))
    for path in [*code, *sorted(Path(p) for p in inputs)]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for value in sorted(source_hashes):
        digest.update(value.encode())
    return digest.hexdigest()[:32]


def seal(nquads: str) -> bytes:
    """The cache entry for ``nquads``: a checksum line, then the N-Quads themselves."""
    body = nquads.encode("utf-8")
    lines = body.count(b"\n")
    header = f"# inograph-cache sha256={hashlib.sha256(body).hexdigest()} lines={lines}\n"
    return header.encode("ascii") + body


def verify(entry: bytes) -> str | None:
    """Why ``entry`` cannot be trusted, or None when its content matches its checksum."""
    match = _SEAL.match(entry)
    if match is None:
        return "no checksum line" if entry else "empty file"
    body = entry[match.end() :]
    lines, written = body.count(b"\n"), int(match.group(2))
    if lines != written:
        return f"{lines} lines where {written} were written"
    if hashlib.sha256(body).hexdigest() != match.group(1).decode("ascii"):
        return "content does not match its checksum"
    return None


def cached_nquads(key: str) -> Path | None:
    """The verified cache entry for ``key``; a damaged one is removed (with a warning) and None returned."""
    directory = cache_dir()
    if directory is None:
        return None
    path = directory / f"{key}.nq"
    try:
        entry = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        _warn(f"{path}: cannot read the build cache ({exc.strerror}); rebuilding")
        return None
    problem = verify(entry)
    if problem is None:
        return path
    _warn(f"{path}: damaged build cache entry ({problem}); discarded, rebuilding")
    with contextlib.suppress(OSError):
        path.unlink()
    return None


def store_nquads(key: str, text: str) -> None:
    """Keep the build for next time, sealed and written atomically; an unwritable cache is skipped."""
    from inograph.atomic import write_bytes_atomically
    from inograph.errors import InographError

    directory = cache_dir()
    if directory is None:
        return
    try:
        write_bytes_atomically(directory / f"{key}.nq", seal(text))
    except (InographError, OSError):
        return


def _warn(message: str) -> None:
    print(f"inograph: warning: {message}", file=sys.stderr)
