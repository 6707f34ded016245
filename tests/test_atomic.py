"""Output targets of every kind: replaced atomically, written through, or refused; never corrupted."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from inograph.atomic import write_files_together, write_text_atomically
from inograph.errors import InographError


def test_a_regular_file_is_replaced_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    target.write_text("old\n")
    target.chmod(0o600)
    write_text_atomically(target, "new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_text_atomically(link, "new\n")
    assert link.is_symlink()
    assert real.read_text() == "new\n"


def test_hard_links_all_see_the_new_content(tmp_path: Path) -> None:
    first = tmp_path / "a.csv"
    first.write_text("old\n")
    second = tmp_path / "b.csv"
    os.link(first, second)
    write_text_atomically(first, "new content\n")
    assert second.read_text() == "new content\n"
    assert first.stat().st_ino == second.stat().st_ino


def test_a_device_is_written_to_not_replaced() -> None:
    write_text_atomically(Path(os.devnull), "discarded\n")
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)


def test_a_named_pipe_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    write_text_atomically(fifo, "through the pipe\n")
    reader.join(timeout=10)
    assert received == ["through the pipe\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_full_device_is_one_clear_error() -> None:
    with pytest.raises(InographError, match=r"^/dev/full: cannot write: No space left on device$"):
        write_text_atomically(Path("/dev/full"), "x" * 100_000)


def test_a_full_disk_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "inograph.trig"
    target.write_text("old\n")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(InographError, match=r"inograph\.trig: cannot write: No space left on device$"):
        write_text_atomically(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["inograph.trig"]


def test_a_folder_or_an_overlong_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InographError, match=r": is a folder; give a file name$"):
        write_text_atomically(tmp_path, "x")
    with pytest.raises(InographError, match=r": cannot write: File name too long$"):
        write_text_atomically(tmp_path / ("x" * 300), "x")


def test_temporaries_of_a_killed_writer_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    abandoned = tmp_path / f".out.csv.{int(dead.stdout)}-abcd.tmp"
    abandoned.write_text("half")
    live = tmp_path / f".out.csv.{os.getpid()}-efgh.tmp"  # a concurrent writer still at work
    live.write_text("busy")
    write_text_atomically(target, "done\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, "out.csv"])


def test_files_written_together_are_all_replaced(tmp_path: Path) -> None:
    trig, nquads = tmp_path / "inograph.trig", tmp_path / "inograph.nq"
    trig.write_text("old trig\n")
    write_files_together({trig: b"new trig\n", nquads: b"new nq\n"})
    assert (trig.read_text(), nquads.read_text()) == ("new trig\n", "new nq\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inograph.nq", "inograph.trig"]


def test_a_failure_while_writing_together_replaces_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trig, nquads = tmp_path / "inograph.trig", tmp_path / "inograph.nq"
    trig.write_text("old trig\n")
    nquads.write_text("old nq\n")
    calls = []

    def fail_on_second(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fail_on_second)
    with pytest.raises(InographError, match=r"inograph\.nq: cannot write: No space left on device$"):
        write_files_together({trig: b"new trig\n", nquads: b"new nq\n"})
    assert (trig.read_text(), nquads.read_text()) == ("old trig\n", "old nq\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inograph.nq", "inograph.trig"]


def test_a_killed_build_leaves_the_old_pair(tmp_path: Path) -> None:
    """kill -9 while the second file is being written: neither file of the pair has changed."""
    trig, nquads = tmp_path / "inograph.trig", tmp_path / "inograph.nq"
    trig.write_text("old trig\n")
    nquads.write_text("old nq\n")
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from inograph.atomic import write_files_together\n"
        "real = os.fsync\n"
        "calls = []\n"
        "def fsync(fd):\n"
        "    calls.append(fd)\n"
        "    if len(calls) == 2:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    real(fd)\n"
        "os.fsync = fsync\n"
        f"write_files_together({{Path({str(trig)!r}): b'new trig', Path({str(nquads)!r}): b'new nq'}})\n"
    )
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert killed.returncode == -9
    assert (trig.read_text(), nquads.read_text()) == ("old trig\n", "old nq\n")
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp"))
    assert len(leftovers) == 2  # the killed writer's temporaries, until the next write
    write_files_together({trig: b"next trig\n", nquads: b"next nq\n"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inograph.nq", "inograph.trig"]
