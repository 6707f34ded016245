"""The statistical checks in a helper process, so that importing scipy and statsmodels overlaps
the making of the graph.

Importing the two libraries takes about a second, longer than the checks themselves.  A build
that makes its graph starts a :class:`ChecksWorker` first: the helper (a fresh Python running
:func:`serve`) imports them while the build reads the evidence and builds and links the graph,
then runs :func:`~inograph.stats_checks.run.check_results` on the results the build reads from
the graph and sends the report back.

The helper computes with the same code (it checks that it imported the build's own copy of
inograph) and the same libraries, so its findings are the ones the build would compute itself;
the build does compute them itself whenever the helper cannot give them (it could not start,
died, raised or took too long), so the helper changes the time taken, never the answer.  It is
a plain subprocess, not :mod:`multiprocessing`: nothing of the calling program is run again in
it (a script without an ``if __name__ == "__main__"`` guard would be, with ``spawn``) and none of
its threads or stores are copied into it (``fork``).  It ends with the build, and by itself if
the build dies (its input closes).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
import warnings
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from types import TracebackType

    from inograph.stats_checks.findings import CheckReport
    from inograph.stats_checks.records import CheckedResult

__all__ = ["ChecksWorker", "serve"]

#: how long a build waits for the helper's report before computing it itself: the checks take a
#: fraction of a second once the libraries are in, so only a stuck helper reaches it
_PATIENCE_SECONDS = 60.0

#: the helper's program: the build's module search path first, then :func:`serve`
_BOOTSTRAP = (
    "import pickle, sys; sys.path[:] = pickle.load(sys.stdin.buffer); "
    "from inograph.stats_checks.worker import serve; serve()"
)


def _package_file() -> str:
    import inograph

    return str(inograph.__file__)


def serve(source: IO[bytes] | None = None, sink: IO[bytes] | None = None) -> None:
    """The helper's side: import the libraries, then read (the build's inograph, the results)
    and write (report, warnings, the findings graph as N-Quads); the report is None when the
    checks raised (the build then runs them itself and meets the error there) or when this is
    another copy of inograph."""
    source = source if source is not None else sys.stdin.buffer
    if sink is None:  # the answer goes to the real stdout; anything printed, to stderr
        sink = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
        os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    import scipy.stats  # noqa: F401  (what the checks call, imported while the build works)
    import statsmodels.stats.proportion  # noqa: F401

    from inograph.stats_checks.findings_rdf import finding_quads
    from inograph.stats_checks.run import check_results

    try:
        package, results = pickle.load(source)
    except EOFError:  # the build ended without asking
        return
    report: CheckReport | None = None
    findings = b""
    with warnings.catch_warnings(record=True) as caught:
        if package == _package_file():
            try:
                report = check_results(results)
                findings = _as_nquads(finding_quads(report))
            except Exception:  # the build's own run of the checks meets it again
                report = None
    shown = [(str(w.message), w.category, w.filename, w.lineno) for w in caught]
    pickle.dump((report, shown, findings) if report is not None else (None, [], b""), sink)
    sink.flush()


def _as_nquads(quads: list[Any]) -> bytes:
    import pyoxigraph as ox

    return bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")


def _from_nquads(data: bytes) -> list[Any]:
    """The quads of :func:`_as_nquads`, in their order (pyoxigraph wrote them: not re-checked)."""
    import pyoxigraph as ox

    return list(ox.parse(data, format=ox.RdfFormat.N_QUADS, lenient=True))


class ChecksWorker:
    """A helper process importing the statistics libraries from the moment it is made; use as a
    context manager (the helper is ended on leaving it)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._results: list[CheckedResult] | None = None
        if not sys.executable or getattr(sys, "frozen", False):  # no Python to run it with
            return
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", _BOOTSTRAP],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # its failures are met again by the build's own run
            )
        except (OSError, ValueError):  # no interpreter to start: the checks run here
            return
        self._process = process
        try:
            assert process.stdin is not None
            pickle.dump(list(sys.path), process.stdin)
            process.stdin.flush()
        except OSError:
            self.close()

    def check(self, results: Sequence[CheckedResult]) -> CheckReport:
        """The report of every check over ``results``: the helper's, or computed here."""
        self.ask(results)
        return self.answer()[0]

    def ask(self, results: Sequence[CheckedResult]) -> None:
        """Give the helper ``results`` to check; :meth:`answer` gives the report (the caller
        may work in between: the helper checks meanwhile)."""
        self._results = list(results)
        process = self._process
        if process is None or process.stdin is None:
            return
        try:
            pickle.dump((_package_file(), self._results), process.stdin)
            process.stdin.close()
        except OSError:  # the helper died
            self.close()

    def answer(self) -> tuple[CheckReport, list[Any]]:
        """The report on the results given to :meth:`ask` and its findings graph (pyoxigraph
        quads, see :func:`~inograph.stats_checks.findings_rdf.finding_quads`): the helper's, or
        computed here."""
        from inograph.stats_checks.findings_rdf import finding_quads
        from inograph.stats_checks.run import check_results

        if self._results is None:
            raise RuntimeError("ChecksWorker.answer() before ask()")
        reply = self._reply()
        if reply is None:
            report = check_results(self._results)
            return report, finding_quads(report)
        report, shown, findings = reply
        for message, category, filename, line in shown:
            warnings.warn_explicit(message, category, filename, line)
        return report, _from_nquads(findings)

    def _reply(self) -> tuple[CheckReport, list[Any], bytes] | None:
        process = self._process
        if process is None or process.stdout is None:
            return None
        watchdog = threading.Timer(_PATIENCE_SECONDS, process.kill)  # a stuck helper: its answer ends
        watchdog.start()
        try:
            reply: tuple[CheckReport | None, list[Any], bytes] = pickle.load(process.stdout)
        except (OSError, EOFError, pickle.UnpicklingError):
            return None  # the helper died, or was stuck
        finally:
            watchdog.cancel()
            self.close()  # not waiting for it to unload the libraries
        report, shown, findings = reply
        return (report, shown, findings) if report is not None else None

    def close(self) -> None:
        """End the helper (at once: nothing it still does is wanted) and wait for it."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()

    def __enter__(self) -> ChecksWorker:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
