"""Limits on a SPARQL evaluation: a time limit, a row cap, no federated ``SERVICE`` calls.

A question typed by a person can be a cartesian product that grows memory until the machine
gives up, or a ``SERVICE`` clause that makes the tool call out to a server nobody chose.  Every
query (library, ``--file``, Python API) runs under :class:`QueryLimits`:

- ``timeout`` seconds (default 30, ``$INOGRAPH_QUERY_TIMEOUT``): Oxigraph evaluates in a worker
  thread (it releases the GIL), so the caller gives up on time and Ctrl-C is handled at once.
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
    outcome: list[Any] = []
    failure: list[BaseException] = []
    finished = threading.Event()

    def target() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:  # handed to the caller's thread
            failure.append(exc.with_traceback(None))  # its frames hold thread-bound objects
        finally:
            finished.set()

    worker = threading.Thread(target=target, name=f"sparql:{name}", daemon=True)
    worker.start()
    # short waits keep the main thread responsive to Ctrl-C
    deadline = None if limits.timeout is None else _now() + limits.timeout
    while not finished.wait(0.05):
        if deadline is not None and _now() > deadline:
            raise QueryError(
                f"{name}: stopped after its time limit of {limits.timeout:g} s; simplify the query "
                f"or raise the limit with ${TIMEOUT_ENV} (0 = no limit)"
            )
    if failure:
        raise failure[0]
    return outcome[0]  # type: ignore[no-any-return]


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
