"""A read-only on-disk Oxigraph copy of a cached dataset, for commands that only ask questions.

Loading a build's 23 MB of N-Quads into memory takes about 0.2 s, most of a warm
``inograph query``; opening an Oxigraph (RocksDB) store on disk takes milliseconds.  The copy
lives in the cache beside the entry it was made from (``KEY.oxigraph/``) and is made once,
the first time a reading command finds the entry without it: written in a scratch folder,
then renamed into place, so a reader never sees half a copy.  It is sealed like every cache
entry: ``inograph-seal`` lists the SHA-256 of each of its files and is checked on every open.
A damaged copy is reported on stderr, removed and made again from the verified N-Quads.
The scratch folder is named ``.KEY.oxigraph.PID-XXXX``: a maker killed mid-copy (SIGKILL, a
power cut) leaves it behind, and the next maker removes every scratch folder whose process is
gone, never one whose process still runs (it may be finishing its copy).

The store is opened read-only, so it serves queries only; commands that change a dataset get
the in-memory store from :func:`inograph.build.build_dataset`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from inograph.cache import cache_dir, mark_used, seal, verify, warn

__all__ = ["make_copy", "open_copy"]

SEAL_NAME = "inograph-seal"


def _folder(name: str) -> Path | None:
    directory = cache_dir()
    return None if directory is None else directory / f"{name}.oxigraph"


def _listing(folder: Path) -> str:
    """``sha256  file`` for every file of the store, sorted by name."""
    lines = []
    for path in sorted(folder.iterdir()):
        if path.name != SEAL_NAME and path.is_file():
            lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n")
    return "".join(lines)


def _problem(folder: Path) -> str | None:
    """Why the copy in ``folder`` cannot be trusted, or None."""
    try:
        entry = (folder / SEAL_NAME).read_bytes()
    except OSError:
        return "no seal"
    problem = verify(entry)
    if problem is not None:
        return f"seal: {problem}"
    for line in entry.decode("utf-8", "replace").splitlines()[1:]:
        digest, _, name = line.partition("  ")
        try:
            data = (folder / name).read_bytes()
        except OSError:
            return f"{name} is missing"
        if hashlib.sha256(data).hexdigest() != digest:
            return f"{name} does not match its checksum"
    return None


def open_copy(name: str) -> Any | None:
    """The verified read-only store of cache entry ``name``, or None (no cache, no copy yet, or
    a damaged copy, which is then removed with a warning)."""
    import pyoxigraph as ox

    folder = _folder(name)
    if folder is None or not folder.is_dir():
        return None
    problem = _problem(folder)
    if problem is None:
        try:
            store = ox.Store.read_only(str(folder))
        except OSError as exc:
            problem = f"cannot be opened: {exc}"
        else:
            mark_used(name)
            return store
    warn(f"{folder}: damaged query store ({problem}); discarded, loading the build instead")
    shutil.rmtree(folder, ignore_errors=True)
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # not ours to signal, but it exists
        return True
    return True


def _remove_stale_scratch(directory: Path) -> None:
    """Delete the scratch folders of makers that no longer run (killed mid-copy)."""
    for leftover in directory.glob(".*.oxigraph.*-*"):
        pid_text = leftover.name.rpartition(".oxigraph.")[2].partition("-")[0]
        if pid_text.isdigit() and leftover.is_dir() and not _alive(int(pid_text)):
            shutil.rmtree(leftover, ignore_errors=True)


def make_copy(name: str, nquads: bytes) -> None:
    """Write the read-only copy of cache entry ``name`` (its verified N-Quads); skipped when the
    cache is off or cannot be written, and left to the first process that finishes it."""
    import pyoxigraph as ox

    folder = _folder(name)
    if folder is None:
        return
    with contextlib.suppress(OSError):
        _remove_stale_scratch(folder.parent)
    if folder.exists():
        return
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{folder.name}.{os.getpid()}-", dir=folder.parent))
    except OSError:
        return
    try:
        staged = scratch / "store"
        store = ox.Store(str(staged))
        store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS, lenient=True)
        store.optimize()
        store.flush()
        del store  # closes the database: every file is final from here on
        (staged / SEAL_NAME).write_bytes(seal(_listing(staged)))
        with contextlib.suppress(OSError):  # another process was first: keep its copy
            staged.rename(folder)
    except OSError:
        pass
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
