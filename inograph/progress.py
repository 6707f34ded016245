"""Progress on stderr for work that takes seconds: a live display on a terminal, nothing elsewhere.

Library code marks its phases with :func:`phase` (a no-op unless a display is open) and its
long loops with :func:`track`; a command opens the display once with :func:`progress_display`
around the work.  The display (rich.progress) is drawn only when stderr is a terminal, never
into a pipe, a file or a CI log, and never with ``TERM=dumb``; it is transient, so what stays
on the screen afterwards is the command's own output.

Example::

    with progress_display("inograph build"):
        with phase("reading evidence"):
            ...
        for item in track(items, "checking"):
            ...
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sized
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

__all__ = ["phase", "progress_display", "progress_wanted", "track"]

T = TypeVar("T")

_active: Progress | None = None


def progress_wanted() -> bool:
    """Whether a display would be drawn: stderr is a terminal (not dumb), CI is not set."""
    if os.environ.get("TERM") == "dumb" or os.environ.get("CI"):
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stderr
        return False


@contextmanager
def progress_display(title: str, *, enabled: bool | None = None) -> Iterator[None]:
    """Show the phases and loops marked inside this block, under ``title``, while it runs.

    ``enabled=None`` decides by :func:`progress_wanted`; nested displays reuse the outer one.
    """
    global _active
    if _active is not None or not (progress_wanted() if enabled is None else enabled):
        yield
        return
    from rich.console import Console, RenderableType
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.table import Table
    from rich.text import Text

    class CountedBar(ProgressColumn):
        """A bar and "done/total" for loops of known length; nothing for a phase."""

        bar = BarColumn(bar_width=24)

        def render(self, task: Task) -> RenderableType:
            if task.total is None:
                return Text("")
            row = Table.grid(padding=(0, 1))
            row.add_row(self.bar.render(task), Text(f"{int(task.completed)}/{int(task.total)}"))
            return row

    display = Progress(
        SpinnerColumn(),
        TextColumn(f"{title}: " + "{task.description}"),
        CountedBar(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    _active = display
    try:
        with display:
            yield
    finally:
        _active = None


@contextmanager
def phase(description: str) -> Iterator[None]:
    """Mark one step of the work (its elapsed time runs while the step does)."""
    display = _active
    if display is None:
        yield
        return
    task: TaskID = display.add_task(description, total=None)
    try:
        yield
    finally:
        display.remove_task(task)


def track(items: Iterable[T], description: str, *, total: int | None = None) -> Iterator[T]:
    """Iterate over ``items``, advancing a bar (of ``total``, else ``len(items)`` when sized)."""
    display = _active
    if display is None:
        yield from items
        return
    size = total if total is not None else (len(items) if isinstance(items, Sized) else None)
    task = display.add_task(description, total=size)
    try:
        for item in items:
            yield item
            display.advance(task)
    finally:
        display.remove_task(task)
