"""The error contract when stderr cannot be written: closed (``2>&-``) or full (``2>/dev/full``).

A message that cannot be shown must not change the answer: the exit code stays the one the
contract gives (2 for bad input), and a warning that cannot be written does not stop the work.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }\n"


def _close_stderr() -> None:
    os.close(2)


def _run(args: list[str], cache: Path, stderr: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INOGRAPH_CACHE": str(cache), "PYTHONPATH": str(ROOT)}
    env.pop("INOGRAPH_DEBUG", None)
    before: Callable[[], None] | None = _close_stderr if stderr == "closed" else None
    with Path(os.devnull if stderr == "closed" else "/dev/full").open("w") as sink:
        return subprocess.run(
            [sys.executable, "-m", "inograph", *args],
            input=stdin,
            stdout=subprocess.PIPE,
            stderr=sink,
            preexec_fn=before,
            env=env,
            text=True,
            check=False,
        )


@pytest.mark.parametrize("stderr", ["closed", "full"])
def test_bad_input_exits_2_when_stderr_cannot_be_written(stderr: str, tmp_path: Path) -> None:
    done = _run(["query", "no-such-query"], tmp_path, stderr)
    assert (done.returncode, done.stdout) == (2, "")


@pytest.mark.parametrize("stderr", ["closed", "full"])
def test_a_warning_that_cannot_be_written_does_not_stop_the_query(stderr: str, tmp_path: Path) -> None:
    args = [
        "query",
        "--file",
        "/dev/stdin",
        "--format",
        "tsv",
        "--evidence",
        str(MINI / "evidence" / "mini2020.yaml"),
    ]
    args += ["--sources", str(MINI / "sources")]
    first = _run(args, tmp_path, "full", COUNT)
    assert (first.returncode, first.stdout) == (0, "?n\n1512\n")
    (seal,) = tmp_path.glob("*.oxigraph/inograph-seal")
    seal.unlink()  # the next run warns that the query store is damaged

    done = _run(args, tmp_path, stderr, COUNT)

    assert (done.returncode, done.stdout) == (0, "?n\n1512\n")


def test_ctrl_c_after_the_work_is_done_changes_nothing(tmp_path: Path) -> None:
    # Ctrl-C that lands while the interpreter shuts down (after the answer was written) must not
    # print a traceback ("Exception ignored in threading._shutdown") nor change the exit code
    script = (
        "import os, signal, sys, time\n"
        "from inograph.cli import main\n"
        "sys.argv = ['inograph', 'queries']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    time.sleep(0.5)\n"
        "    raise\n"
    )
    env = {**os.environ, "INOGRAPH_CACHE": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("adverse-events\n")
