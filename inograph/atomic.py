"""Safe file output: a reader sees the old file or the new one, never half of one.

What each kind of target gets:

- a regular file (or a new path): the content goes to a temporary file beside it, which is
  renamed over the target only when complete; the target's permission bits are kept;
- a symbolic link: followed, so the file it points to is replaced and the link stays a link;
- a regular file with other hard links: the content is prepared completely first, then written
  into the file in place, so every link still sees it (the one case that is not atomic);
- a FIFO, a character or block device, a socket (``-o /dev/null``, ``-o /dev/stdout``, a pipe):
  written straight through, never replaced by a regular file.

Outputs that belong together (the TriG and N-Quads of one build, a folder of forest plots) are
written by :func:`write_files_together`: every file is complete on disk before the first one
is renamed into place, so a failure or a kill while writing leaves all the old files.

A process killed while writing leaves a temporary file named ``.NAME.PID-XXXX.tmp``; the next
write to the same target removes those whose process is gone.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO

from inograph.errors import InographError

__all__ = ["atomic_open", "write_bytes_atomically", "write_files_together", "write_text_atomically"]

_NAME_PART = 80  # keep temporary names short enough for any file name the target may have


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "w", **kwargs: object) -> Iterator[IO[str]]:
    """Open ``path`` for writing so that a failure leaves the old content untouched."""
    target = Path(os.path.realpath(path))  # a symlink is written through, not replaced
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InographError(f"{path}: cannot write: {exc.strerror}") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISDIR(info.st_mode):
            raise InographError(f"{path}: is a folder; give a file name")
        with _failures_named(path), target.open(mode, **kwargs) as stream:  # type: ignore[call-overload]
            yield stream
        return
    with _failures_named(path):
        handle, temporary = _temporary_beside(target)
    try:
        with _failures_named(path):
            temporary.chmod(stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask())
            with os.fdopen(handle, mode, **kwargs) as stream:  # type: ignore[call-overload]
                yield stream
                stream.flush()
                os.fsync(stream.fileno())
            _publish(temporary, target, info)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def write_text_atomically(path: Path, text: str) -> None:
    with atomic_open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def write_bytes_atomically(path: Path, data: bytes) -> None:
    with atomic_open(path, "wb") as handle:
        handle.write(data)  # type: ignore[arg-type]


def write_files_together(contents: Mapping[Path, bytes]) -> None:
    """Write several files so that either all of them are replaced or none is."""
    staged: list[tuple[Path, Path, os.stat_result | None]] = []
    try:
        for path, data in contents.items():
            target = Path(os.path.realpath(path))
            with _failures_named(path):
                try:
                    info: os.stat_result | None = target.stat()
                except FileNotFoundError:
                    info = None
            if info is not None and not stat.S_ISREG(info.st_mode):
                raise InographError(f"{path}: not a regular file; outputs written together must be files")
            with _failures_named(path):
                handle, temporary = _temporary_beside(target)
                staged.append((temporary, target, info))
                temporary.chmod(stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask())
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                    stream.flush()
                    os.fsync(stream.fileno())
        for temporary, target, info in staged:  # all complete: now publish them, quickly
            with _failures_named(target):
                _publish(temporary, target, info)
    finally:
        for temporary, _target, _info in staged:
            with contextlib.suppress(OSError):
                temporary.unlink()


def _publish(temporary: Path, target: Path, info: os.stat_result | None) -> None:
    """Put the complete temporary file in the target's place (in place when hard links share it)."""
    if info is not None and info.st_nlink > 1:
        with temporary.open("rb") as source, target.open("r+b") as sink:
            shutil.copyfileobj(source, sink)
            sink.truncate()
        temporary.unlink()
    else:
        temporary.replace(target)


@contextlib.contextmanager
def _failures_named(path: Path) -> Iterator[None]:
    """An operating-system failure (full disk, no permission, name too long) as one clear error."""
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InographError(f"{path}: cannot write: {reason}") from None


def _temporary_beside(target: Path) -> tuple[int, Path]:
    target.parent.mkdir(parents=True, exist_ok=True)
    stem = target.name[:_NAME_PART]
    _remove_abandoned(target.parent, stem)
    handle, name = tempfile.mkstemp(prefix=f".{stem}.{os.getpid()}-", suffix=".tmp", dir=target.parent)
    return handle, Path(name)


def _remove_abandoned(folder: Path, stem: str) -> None:
    """Delete temporary files of this target left by processes that no longer exist."""
    for leftover in folder.glob(f".{glob.escape(stem)}.*-*.tmp"):
        pid_text = leftover.name[len(stem) + 2 :].split("-", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            leftover.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
