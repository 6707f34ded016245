"""A content-addressed cache of built datasets, so every CLI call does not rebuild the graph.

The key hashes everything the dataset is made from: the evidence files, the ontology, the source
texts and inograph's own code (the build and link rules live there).  Any change gives a new
key; a stale graph is never served.  The cache holds N-Quads, which Oxigraph bulk-loads in a
fraction of the time the build takes.  ``INOGRAPH_CACHE=off`` disables it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["CACHE_ENV", "cache_dir", "cache_key", "cached_nquads", "store_nquads"]

CACHE_ENV = "INOGRAPH_CACHE"
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


def cached_nquads(key: str) -> Path | None:
    directory = cache_dir()
    if directory is None:
        return None
    path = directory / f"{key}.nq"
    return path if path.is_file() else None


def store_nquads(key: str, text: str) -> None:
    """Keep the build for next time; a cache that cannot be written is silently skipped."""
    from inograph.atomic import write_text_atomically
    from inograph.errors import InographError

    directory = cache_dir()
    if directory is None:
        return
    try:
        write_text_atomically(directory / f"{key}.nq", text)
    except (InographError, OSError):
        return
