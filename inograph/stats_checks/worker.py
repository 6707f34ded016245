"""The statistical checks in a helper process, so that importing scipy and statsmodels overlaps
the making of the graph.

Importing the two libraries takes about a second, longer than the checks themselves.  A build
that makes its graph starts a :class:`ChecksWorker` first: the helper imports them while the
build reads the evidence, builds and links the graph, then runs :func:`check_results` on the
results the build reads from the graph and sends the report back.

The helper computes with the same code and the same libraries, so its findings are the ones the
build would compute itself; and the build does compute them itself whenever the helper cannot
give them (it could not start, died, or raised), so the helper changes the time taken, never the
answer.  The helper is started fresh (``spawn``: nothing of the build's own state, threads or
stores is copied into it), ends when the build ends, and ends by itself if the build dies.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from types import TracebackType

    from inograph.stats_checks.findings import CheckReport
    from inograph.stats_checks.records import CheckedResult

__all__ = ["ChecksWorker"]

#: how long a build waits for the helper's report before computing it itself: the checks take a
#: fraction of a second once the libraries are in, so this is only reached by a stuck helper
_PATIENCE_SECONDS = 60.0


def _serve(connection: Connection) -> None:
    """The helper: import the libraries, wait for the results, send back their report (or None
    when the checks failed: the build then runs them itself and meets the error there)."""
    try:
        import scipy.stats  # noqa: F401  (what the checks call: imported while the build works)
        import statsmodels.stats.proportion  # noqa: F401

        from inograph.stats_checks.run import check_results

        results = connection.recv()
        try:
            report: CheckReport | None = check_results(results)
        except Exception:  # the build's own run of the checks reports it
            report = None
        connection.send(report)
    except (EOFError, OSError, KeyboardInterrupt):  # the build ended without asking
        pass
    finally:
        connection.close()


class ChecksWorker:
    """A helper process importing the statistics libraries from the moment it is made; use as a
    context manager (the helper is ended on leaving it)."""

    def __init__(self) -> None:
        self._connection: Connection | None = None
        self._process: Any = None
        try:
            context = multiprocessing.get_context("spawn")
            ours, theirs = context.Pipe()
            process = context.Process(
                target=_serve, args=(theirs,), name="inograph-stats-checks", daemon=True
            )
            process.start()
            theirs.close()
        except (OSError, RuntimeError, ValueError):  # no process could be started: checks run here
            return
        self._connection, self._process = ours, process

    def check(self, results: Sequence[CheckedResult]) -> CheckReport:
        """The report of every check over ``results``: the helper's, or computed here."""
        from inograph.stats_checks.run import check_results

        report = self._ask(results)
        return report if report is not None else check_results(results)

    def _ask(self, results: Sequence[CheckedResult]) -> CheckReport | None:
        connection = self._connection
        if connection is None:
            return None
        try:
            connection.send(list(results))
            if not connection.poll(_PATIENCE_SECONDS):
                return None
            report: CheckReport | None = connection.recv()
        except (EOFError, OSError):  # the helper died
            return None
        finally:
            self.close()
        return report

    def close(self) -> None:
        """End the helper (at once: nothing it still does is wanted) and wait for it."""
        connection, process = self._connection, self._process
        self._connection = self._process = None
        if connection is not None:
            connection.close()
        if process is not None:
            if process.is_alive():
                process.terminate()
            process.join()
            process.close()

    def __enter__(self) -> ChecksWorker:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
