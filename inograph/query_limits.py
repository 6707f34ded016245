"""Limits on a SPARQL evaluation: a time limit, a row cap, no federated ``SERVICE`` calls.

A question typed by a person can be a cartesian product that grows memory until the machine
gives up, or a ``SERVICE`` clause that makes the tool call out to a server nobody chose.  Every
query (library, ``--file``, Python API) runs under :class:`QueryLimits`:

- ``timeout`` seconds (default 30, ``$INOGRAPH_QUERY_TIMEOUT``): Oxigraph evaluates in a worker
  thread (it releases the GIL; a worker is kept for the next query), so the caller gives up
  on time and Ctrl-C is handled at once.
  Oxigraph cannot be told to stop, so the abandoned evaluation finishes in the background; the
  CLI exits right after reporting it, which ends it.
- ``max_rows`` (default 100,000, ``$INOGRAPH_MAX_ROWS``): rows are read lazily, and reading stops
  with an error at the first row past the cap, so memory stays bounded.
- ``allow_service`` (default off, ``$INOGRAPH_ALLOW_SERVICE=1``): a query with a ``SERVICE``
  clause is refused before it runs.

``0`` switches a numeric limit off.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from inograph.errors import QueryError

__all__ = ["QueryLimits", "check_service", "run_limited"]

T = TypeVar("T")

TIMEOUT_ENV = "INOGRAPH_QUERY_TIMEOUT"
MAX_ROWS_ENV = "INOGRAPH_MAX_ROWS"
ALLOW_SERVICE_ENV = "INOGRAPH_ALLOW_SERVICE"


@dataclass(frozen=True)
class QueryLimits:
    """How long a query may run, how many rows it may return, and whether it may call out."""

    timeout: float | None = 30.0
    max_rows: int | None = 100_000
    allow_service: bool = False

    @classmethod
    def from_environment(
        cls, *, timeout: float | None = None, max_rows: int | None = None, allow_service: bool = False
    ) -> QueryLimits:
        """The defaults, as changed by the environment variables named in the module docstring,
        then by explicit values (command-line options): ``None`` keeps the environment's, 0 = off."""
        if timeout is None:
            timeout = _number(TIMEOUT_ENV, float, cls.timeout)
        if max_rows is None:
            max_rows = _number(MAX_ROWS_ENV, int, cls.max_rows)
        allow = allow_service or os.environ.get(ALLOW_SERVICE_ENV, "").lower() in ("1", "true", "yes", "on")
        return cls(timeout=timeout or None, max_rows=max_rows or None, allow_service=allow)

    def take(self, rows: Iterable[T], name: str) -> list[T]:
        """All of ``rows``, or a :class:`QueryError` at the first row past the cap."""
        kept: list[T] = []
        for row in rows:
            if self.max_rows is not None and len(kept) >= self.max_rows:
                raise QueryError(
                    f"{name}: more than {self.max_rows:,} rows; narrow the query (LIMIT, a filter) "
                    f"or raise the cap with ${MAX_ROWS_ENV} (0 = no cap)"
                )
            kept.append(row)
        return kept


def run_limited(work: Callable[[], T], limits: QueryLimits, name: str) -> T:
    """``work()`` in a worker thread, given up after ``limits.timeout`` seconds."""
    job = _Job(work)
    _hand_to_worker(job, name)
    # short waits keep the main thread responsive to Ctrl-C
    deadline = None if limits.timeout is None else _now() + limits.timeout
    while not job.finished.wait(0.05):
        if deadline is not None and _now() > deadline:
            raise QueryError(
                f"{name}: stopped after its time limit of {limits.timeout:g} s; simplify the query "
                f"or raise the limit with ${TIMEOUT_ENV} (0 = no limit)"
            )
    if job.failure is not None:
        raise job.failure
    return job.outcome  # type: ignore[no-any-return]


class _Job:
    """One ``work()`` call and what became of it, filled in by the worker that ran it."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self.work = work
        self.outcome: Any = None
        self.failure: BaseException | None = None
        self.finished = threading.Event()

    def run(self) -> None:
        try:
            self.outcome = self.work()
        except BaseException as exc:  # handed to the caller's thread
            self.failure = exc.with_traceback(None)  # its frames hold thread-bound objects
        finally:
            self.work = _done


def _done() -> None:
    """What a finished job holds instead of its work (which may hold a store)."""


# Workers are kept between queries: starting a thread per query cost ~0.3 ms, and more on a
# loaded machine.  A worker whose query was given up (time limit, Ctrl-C) finishes it in the
# background and only then waits for work again, so a new query never waits behind it.
_idle: list[queue.SimpleQueue[_Job]] = []
_idle_lock = threading.Lock()


def _hand_to_worker(job: _Job, name: str) -> None:
    with _idle_lock:
        inbox = _idle.pop() if _idle else None
    if inbox is None:
        inbox = queue.SimpleQueue()
        threading.Thread(target=_serve, args=(inbox,), name="sparql-worker", daemon=True).start()
    inbox.put(job)


def _serve(inbox: queue.SimpleQueue[_Job]) -> None:
    while True:
        job = inbox.get()
        job.run()
        with _idle_lock:  # idle before the caller hears of it: its next query reuses this worker
            _idle.append(inbox)
        job.finished.set()
        del job  # the answer belongs to the caller now


def check_service(text: str, limits: QueryLimits, name: str) -> None:
    """Refuse a federated ``SERVICE`` call unless the limits allow network access."""
    if limits.allow_service or "service" not in text.lower():
        return
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except Exception:  # Oxigraph reports syntax errors in its own words
        return
    if _mentions(tree, "ServiceGraphPattern"):
        raise QueryError(
            f"{name}: SERVICE clauses call other servers and are refused; "
            f"allow them with --allow-service (or ${ALLOW_SERVICE_ENV}=1)"
        )


def _mentions(node: Any, kind: str) -> bool:
    from pyparsing import ParseResults

    pending = [node]
    while pending:
        current = pending.pop()
        if getattr(current, "name", None) == kind:
            return True
        if isinstance(current, dict):
            pending.extend(current.values())
        elif isinstance(current, (list, tuple, ParseResults)):
            pending.extend(current)
    return False


def _number(variable: str, kind: Callable[[str], Any], default: Any) -> Any:
    raw = os.environ.get(variable)
    if raw is None or not raw.strip():
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise QueryError(f"${variable}: {raw!r} is not a number") from None
    if value < 0:
        raise QueryError(f"${variable}: {raw!r} must not be negative")
    return value


def _now() -> float:
    import time

    return time.monotonic()
