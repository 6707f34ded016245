"""Query answers for people: a table that fits the terminal, with labels and short ids, paged.

What a person reads differs from what a program reads.  The table format (the default on a
terminal) shows each IRI as its ``rdfs:label`` when the label is short, else as its short id
(``inod:result/kantarjian2016-t2-crcri-ino`` → ``kantarjian2016-t2-crcri-ino``, the id that
``inograph trace`` takes).  The csv, tsv and json formats keep full IRIs.

The table never breaks a number: numeric, date and boolean columns keep their full width,
numbers right-aligned.  Text columns share the rest of the width: labels and ids wrap inside
their cell, long free text (quotes) is cut to one line with an ellipsis.  When even the
narrowest text columns cannot fit, columns are left out and the footer names them: empty ones
first, then free text that would squeeze the labels and ids to its left, then columns with one
value in every row (the footer gives the value), then the rest from the right, numbers last.
Layout is ours; rich does the cell wrapping, character widths, alignment and colour (none when
``NO_COLOR`` is set or the output is not a terminal).

Long answers on a terminal go through a pager as ``git`` does: ``$INOGRAPH_PAGER``, else
``$PAGER``, else ``less`` with ``LESS=FRX`` unless ``LESS`` is set.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, TextIO

from inograph.result_terms import XSD_NAMESPACE, Printed, TermKind, printed

if TYPE_CHECKING:
    from inograph.build import BuiltDataset
    from inograph.queries import QueryResult

__all__ = [
    "LABEL_MAX",
    "TableLayout",
    "Terminal",
    "detect_terminal",
    "display_text",
    "fetch_labels",
    "layout_columns",
    "page",
    "render_table",
    "select_columns",
    "wrap_cell",
    "wrap_header",
]

#: a label longer than this shows as the short id instead (a population's label is a sentence)
LABEL_MAX = 30
#: a text column is never made narrower than this (or its widest cell, when narrower)
MIN_TEXT_WIDTH = 8
#: a literal column whose widest cell is longer than this is free text, cut to one line
FREE_TEXT = 40
#: a column of free text narrower than this says nothing: it is left out instead
MIN_FREE_TEXT = 20
#: a text column need not be wider than this to keep its longest word (an id) whole
LONG_WORD = 16
#: labels and ids get up to this width before free text gets any room beyond its minimum
COMFORTABLE = 24
#: two spaces between columns
GAP = 2
FALLBACK_SIZE = (80, 24)

_NUMERIC_TYPES = (
    "integer", "decimal", "double", "float", "int", "long", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
    "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
)  # fmt: skip


@cache
def _datatypes() -> tuple[frozenset[str], frozenset[str]]:
    """The numeric and the atomic (numeric, date, boolean) XSD datatypes' IRIs."""
    numeric = frozenset(XSD_NAMESPACE + name for name in _NUMERIC_TYPES)
    return numeric, numeric | {XSD_NAMESPACE + name for name in ("date", "dateTime", "gYear", "boolean")}


_PREFIXED = {
    "https://w3id.org/inograph/ontology#": "",
    "http://purl.org/spar/cito/": "cito:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
}


@dataclass(frozen=True)
class Terminal:
    """Where the answer goes: a terminal (its size, whether to colour) or a pipe or file."""

    is_tty: bool
    width: int
    height: int
    color: bool


def detect_terminal(stream: TextIO | None = None) -> Terminal:
    """Size from ``$COLUMNS``/``$LINES`` or the terminal, else 80×24; colour only on a terminal
    without ``NO_COLOR`` (https://no-color.org) and not ``TERM=dumb``."""
    out = stream if stream is not None else sys.stdout
    try:
        is_tty = out.isatty()
    except (AttributeError, ValueError):
        is_tty = False
    size = shutil.get_terminal_size(FALLBACK_SIZE)
    color = is_tty and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    return Terminal(is_tty=is_tty, width=max(size.columns, 20), height=max(size.lines, 5), color=color)


def _short_id(iri: str) -> str:
    """``…/id/result/kantarjian2016-t2-crcri-ino`` → ``kantarjian2016-t2-crcri-ino``;
    ontology terms lose their namespace; other IRIs stay whole."""
    from inograph.build import PREFIXES

    data = PREFIXES["inod"]
    if iri.startswith(data):
        local = iri[len(data) :]
        _kind, sep, rest = local.partition("/")
        return rest if sep and rest else local
    for namespace, prefix in _PREFIXED.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return prefix + iri[len(namespace) :]
    return iri


def display_text(term: object, labels: Mapping[str, str]) -> str:
    """What a table cell shows for ``term`` (any term :func:`~inograph.result_terms.printed`
    takes): a short label, a short id, or the literal on one line."""
    cell = printed(term)
    if cell is None:
        return ""
    if cell.kind is TermKind.IRI:
        label = labels.get(cell.text)
        if label and len(label) <= LABEL_MAX:
            return label
        return _short_id(cell.text)
    if cell.kind is TermKind.BLANK:
        return f"_:{cell.text}"
    return " ".join(cell.text.split())


def fetch_labels(built: BuiltDataset, iris: Iterable[str]) -> dict[str, str]:
    """The ``rdfs:label`` (else ``skos:prefLabel``) of each IRI that has one, from the store."""
    import pyoxigraph as ox

    store = built.store
    if store is None:
        return {}
    predicates = (
        ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
        ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
    )
    labels: dict[str, str] = {}
    for iri in sorted(set(iris)):
        for predicate in predicates:
            found = sorted(
                " ".join(quad.object.value.split())
                for quad in store.quads_for_pattern(ox.NamedNode(iri), predicate, None)
                if isinstance(quad.object, ox.Literal)
            )
            if found:
                labels[iri] = min(found, key=lambda text: (len(text), text))
                break
    return labels


@dataclass(frozen=True)
class TableLayout:
    """Which columns are shown, how wide, and how each behaves."""

    shown: tuple[int, ...]
    widths: tuple[int, ...]
    numeric: tuple[bool, ...]
    atomic: tuple[bool, ...]
    free_text: tuple[bool, ...]
    hidden: tuple[str, ...]
    #: hidden columns that hold one value in every row, with that value
    hidden_constants: tuple[tuple[str, str], ...] = ()
    #: hidden columns without a value in any row
    hidden_empty: tuple[str, ...] = ()


def _cell_len(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


# a word of an id breaks after its hyphens: "mda-phase2-weekly" → "mda-" "phase2-" "weekly"
_TOKEN = re.compile(r"[^\s-]*-+|[^\s-]+|\s+")


def _longest_token(text: str) -> int:
    return max((_cell_len(t) for t in _TOKEN.findall(text) if not t.isspace()), default=0)


def wrap_cell(text: str, width: int) -> str:
    """Break ``text`` into lines of at most ``width`` at spaces, or after a hyphen inside an id;
    a token still too long is left for rich to fold."""
    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(text):
        if token.isspace():
            line += " " if line else ""
            continue
        if not line.strip() or _cell_len(line + token) <= width:
            line += token
        else:
            lines.append(line.rstrip())
            line = token
    lines.append(line.rstrip())
    return "\n".join(lines)


_CAMEL = re.compile(r"[A-Z]+[a-z0-9]*|[a-z0-9]+|[^A-Za-z0-9]+")


def _header_parts(name: str) -> list[str]:
    """``ciLower`` → ``ci``, ``Lower``: where a narrow numeric column's header may break."""
    return _CAMEL.findall(name) or [name]


def wrap_header(name: str, width: int) -> str:
    lines = [""]
    for part in _header_parts(name):
        if lines[-1] and _cell_len(lines[-1] + part) > width:
            lines.append(part)
        else:
            lines[-1] += part
    return "\n".join(lines)


_CI_COLUMNS = frozenset({"ciLower", "ciUpper", "ciLevel"})


def _is_kind(column: Sequence[Printed | None], kinds: frozenset[str]) -> bool:
    present = [t for t in column if t is not None]
    return bool(present) and all(
        t.kind is TermKind.LITERAL and t.datatype is not None and t.datatype in kinds for t in present
    )


def layout_columns(
    header: Sequence[str],
    terms: Sequence[Sequence[object]],
    cells: Sequence[Sequence[str]],
    width: int,
    *,
    keep: Sequence[str] = (),
) -> TableLayout:
    """Fit the columns into ``width``: atomic columns whole, text columns shared fairly.
    ``terms`` are the answer's terms (any :func:`~inograph.result_terms.printed` takes),
    ``cells`` the text shown for each."""
    count = len(header)
    columns = [[printed(row[i]) for row in terms] for i in range(count)]
    numeric_types, atomic_types = _datatypes()
    numeric = [_is_kind(c, numeric_types) for c in columns]
    atomic = [_is_kind(c, atomic_types) for c in columns]
    natural = [max([_cell_len(header[i]), *(_cell_len(r[i]) for r in cells)]) for i in range(count)]
    free = [
        not atomic[i]
        and natural[i] > FREE_TEXT
        and all(t is None or t.kind is not TermKind.IRI for t in columns[i])
        for i in range(count)
    ]

    def narrowest(i: int) -> int:
        if atomic[i]:  # whole values; the header may break at its camelCase words
            return max([*(_cell_len(p) for p in _header_parts(header[i])), *(_cell_len(r[i]) for r in cells)])
        if i == 0:
            return min(natural[i], 20)
        if free[i]:
            return min(natural[i], max(_cell_len(header[i]), MIN_FREE_TEXT))
        longest = max([0, *(_longest_token(r[i]) for r in cells)])
        return min(natural[i], max(_cell_len(header[i]), MIN_TEXT_WIDTH, min(longest, LONG_WORD)))

    minimum = [narrowest(i) for i in range(count)]
    shown = list(range(count))

    def needed() -> int:
        return sum(minimum[i] for i in shown) + GAP * (len(shown) - 1)

    # empty columns go first, then free text when it would squeeze labels and ids below a
    # comfortable width, then columns with one value in every row (the footer gives it)
    empty = [all(t is None for t in columns[i]) for i in range(count)]
    constant = [len(cells) > 1 and not empty[i] and len({r[i] for r in cells}) == 1 for i in range(count)]
    for candidate in (i for i in reversed(range(1, count)) if empty[i]):
        if needed() > width:
            shown.remove(candidate)
    comfortable = [
        minimum[i] if atomic[i] or free[i] else max(minimum[i], min(natural[i], COMFORTABLE))
        for i in range(count)
    ]
    # (the columns to its left matter more: the query put them first; numbers are kept anyway)
    for candidate in (i for i in reversed(range(1, count)) if free[i] and i in shown):
        left = [i for i in shown if i < candidate]
        numbers = [i for i in shown if i > candidate and atomic[i]]
        wanted = sum(comfortable[i] for i in left) + sum(minimum[i] for i in [candidate, *numbers])
        if wanted + GAP * (len(left) + len(numbers)) > width:
            shown.remove(candidate)
    # then leave out the rest from the right, numbers and dates last; never the first column
    kept = {i for i in range(count) if header[i] in keep}
    order = (
        [i for i in reversed(range(count)) if constant[i] and i not in kept]
        + [i for i in reversed(range(count)) if not atomic[i] and i not in kept]
        + [i for i in reversed(range(count)) if atomic[i] and i not in kept]
        + [i for i in reversed(range(count)) if i in kept]
    )
    for candidate in order:
        if needed() <= width or len(shown) == 1:
            break
        if candidate != 0 and candidate in shown:
            shown.remove(candidate)
    # a confidence interval is shown whole or not at all: a lone lower bound misleads
    bounds = [i for i in range(count) if header[i] in _CI_COLUMNS]
    if any(i not in shown for i in bounds if header[i] != "ciLevel"):
        shown = [i for i in shown if i not in bounds]
    widths = {i: minimum[i] for i in shown}
    room = width - needed()
    # numeric headers whole when there is room, then water-filling in tiers: labels and ids up
    # to 24 characters, free text up to 40, then everyone towards their natural width
    whole_headers = sum(natural[i] - widths[i] for i in shown if atomic[i])
    if whole_headers <= room:  # all or none, so that ciLower, ciUpper and ciLevel look alike
        room -= whole_headers
        widths.update({i: natural[i] for i in shown if atomic[i]})
    text = [i for i in shown if not atomic[i] and not free[i]]
    long_text = [i for i in shown if free[i]]
    for group, cap in ((text, COMFORTABLE), (long_text, 40), (text + long_text, None)):
        target = {i: min(natural[i], cap or natural[i]) for i in group}
        # whole columns first, the smallest shortfall first: one column shown whole reads better
        # than two half-wrapped; what is left is shared evenly
        for i in sorted(group, key=lambda i: (target[i] - widths[i], i)):
            if 0 < target[i] - widths[i] <= room:
                room -= target[i] - widths[i]
                widths[i] = target[i]
        growing = [i for i in group if target[i] > widths[i]]
        while growing and room > 0:
            for i in list(growing):
                if room == 0:
                    break
                widths[i] += 1
                room -= 1
                if widths[i] == target[i]:
                    growing.remove(i)
    return TableLayout(
        shown=tuple(shown),
        widths=tuple(widths[i] for i in shown),
        numeric=tuple(numeric[i] for i in shown),
        atomic=tuple(atomic[i] for i in shown),
        free_text=tuple(free[i] for i in shown),
        hidden=tuple(header[i] for i in range(count) if i not in shown and not constant[i] and not empty[i]),
        hidden_empty=tuple(header[i] for i in range(count) if i not in shown and empty[i]),
        hidden_constants=tuple(
            (header[i], cells[0][i]) for i in range(count) if i not in shown and constant[i]
        ),
    )


def render_table(
    result: QueryResult,
    *,
    width: int,
    color: bool = False,
    labels: Mapping[str, str] | None = None,
    keep: Sequence[str] = (),
) -> str:
    """The answer as a table at most ``width`` characters wide, with a footer line.

    ``keep`` names the columns that tell rows apart (a query's ``# narrow:`` header): on a
    narrow terminal they are left out last.
    """
    import textwrap

    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if result.boolean is not None:
        return ("yes" if result.boolean else "no") + "\n"
    labels = labels or {}
    header = list(result.variables)
    terms = [row.cells for row in result.rows]
    cells = [[display_text(t, labels) for t in row] for row in terms]
    layout = layout_columns(header, terms, cells, width, keep=keep)
    table = Table(
        box=box.SIMPLE_HEAD,
        padding=(0, GAP - 1, 0, 0),
        pad_edge=False,
        show_edge=False,
        header_style="bold" if color else "",
        border_style="dim" if color else "",
    )
    for i, column_width, numeric, atomic, free in zip(
        layout.shown, layout.widths, layout.numeric, layout.atomic, layout.free_text, strict=True
    ):
        table.add_column(
            Text(wrap_header(header[i], column_width)),
            width=column_width,
            justify="right" if numeric else "left",
            no_wrap=atomic or free,
            overflow="ellipsis" if free else "fold",
        )
    for row in cells:
        table.add_row(
            *(
                Text(row[i] if free else wrap_cell(row[i], column_width))
                for i, column_width, free in zip(layout.shown, layout.widths, layout.free_text, strict=True)
            )
        )
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        soft_wrap=False,
        emoji=False,
        markup=False,
    )
    console.print(table)
    lines = [_strip_trailing_spaces(line) for line in buffer.getvalue().splitlines()]
    count = len(result.rows)
    footer = f"({count} row{'s' if count != 1 else ''}"
    if layout.hidden_empty:
        footer += f"; empty: {', '.join(layout.hidden_empty)}"
    if layout.hidden_constants:
        same = ", ".join(f"{name} = {value}" for name, value in layout.hidden_constants)
        footer += f"; in every row: {same}"
    if layout.hidden:
        footer += f"; not shown at {width} columns: {', '.join(layout.hidden)}"
    if layout.hidden or layout.hidden_constants or layout.hidden_empty:
        footer += "; see --columns, --format tsv"
    lines += textwrap.wrap(footer + ")", width=width, break_on_hyphens=False)
    return "\n".join(lines) + "\n"


_SGR = re.compile(r"\x1b\[[0-9;]*m")
_TAIL = re.compile(r"(?: |\x1b\[[0-9;]*m)+$")


def _strip_trailing_spaces(line: str) -> str:
    """Drop the padding at the end of a line, keeping any colour codes there."""
    tail = _TAIL.search(line)
    if tail is None:
        return line
    return line[: tail.start()] + "".join(_SGR.findall(tail.group(0)))


def select_columns(result: QueryResult, columns: Sequence[str]) -> QueryResult:
    """Only ``columns`` of ``result``, in that order; an unknown name says which exist."""
    from inograph.errors import QueryError
    from inograph.queries import QueryResult

    if result.boolean is not None:
        return result
    unknown = [c for c in columns if c not in result.variables]
    if unknown or not columns:
        known = ", ".join(result.variables)
        missing = ", ".join(map(repr, unknown)) or "given"
        raise QueryError(f"--columns: no column {missing} (columns: {known})")
    variables = tuple(columns)
    return QueryResult(variables=variables, rows=tuple(row.select(variables) for row in result.rows))


def _pager_command() -> str | None:
    command = os.environ.get("INOGRAPH_PAGER", os.environ.get("PAGER", "less"))
    if not command.strip() or command.strip() == "cat":
        return None
    return command


def page(text: str, terminal: Terminal, *, enabled: bool = True) -> None:
    """Write ``text`` to stdout, through the pager when it is taller than the terminal."""
    command = _pager_command() if enabled and terminal.is_tty else None
    if command is None or text.count("\n") < terminal.height:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # quit if one screen, keep colours, leave the text on screen
    env.setdefault("LV", "-c")
    sys.stdout.flush()
    import shlex
    import subprocess  # here, for the pager alone: importing it costs ~2 ms on every query

    try:
        pager = subprocess.Popen(shlex.split(command), stdin=subprocess.PIPE, env=env)
    except OSError:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    assert pager.stdin is not None
    try:
        pager.stdin.write(text.encode(sys.stdout.encoding or "utf-8", errors="replace"))
        pager.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit the pager before the end
    while True:
        try:
            pager.wait()
            break
        except KeyboardInterrupt:
            continue  # like git: the pager handles ^C; wait until it exits
