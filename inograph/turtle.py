"""Turtle and TriG that every parser reads: no ``\\/`` escapes in prefixed names.

pyoxigraph writes ``inod:result\\/kantarjian2016-t2-crcri-ino`` for an IRI under the ``inod:``
namespace whose local part holds a ``/``: legal Turtle 1.1 (a reserved-character escape), but
older parsers (Virtuoso 7's among them) keep the backslash and load a different IRI.  Two steps
avoid it:

- one prefix per kind of id (:data:`ID_PREFIXES`: ``result:``, ``arm:``, …), so a plain id is
  written ``result:kantarjian2016-t2-crcri-ino``;
- :func:`without_escaped_names` rewrites every prefixed name that still needs an escape (the
  nested ids ``result:X/location``, ``annotation:X/quote-selector``, ``publication:X/reference/3``)
  as a full ``<IRI>``.  It reads the text token by token, skipping string literals and IRIs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["ID_KINDS", "ID_PREFIXES", "sorted_prefix_lines", "without_escaped_names"]

ID_NAMESPACE = "https://w3id.org/inograph/id/"
#: the kinds of id graph_builder mints under https://w3id.org/inograph/id/KIND/
ID_KINDS = (
    "annotation", "arm", "cutoff", "drug", "endpoint", "link", "population", "publication", "result",
    "source", "trial",
)  # fmt: skip
ID_PREFIXES: Mapping[str, str] = {kind: f"{ID_NAMESPACE}{kind}/" for kind in ID_KINDS}

# a string literal (short or long, either quote), an IRI, or any other run of non-space text
_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|[^\s"\'<]+',
    re.S,
)
_PNAME = re.compile(r"^([A-Za-z][A-Za-z0-9_.-]*)?:(\S*)$")
_LOCAL_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")


def without_escaped_names(text: str, prefixes: Mapping[str, str]) -> str:
    """``text`` with each prefixed name that holds a ``\\`` escape written as a full IRI."""

    def rewrite(match: re.Match[str]) -> str:
        token = match.group(0)
        if "\\" not in token or token[0] in "\"'<":
            return token
        name = _PNAME.match(token)
        if name is None or (name.group(1) or "") not in prefixes:
            return token
        local = name.group(2)
        trailing = ""
        while local and local[-1] in ";,." and (len(local) < 2 or local[-2] != "\\"):
            trailing, local = local[-1] + trailing, local[:-1]  # a separator written without a space
        iri = prefixes[name.group(1) or ""] + _LOCAL_ESCAPE.sub(r"\1", local)
        return f"<{iri}>{trailing}"

    if '"""' in text or "'''" in text or "\\\n" in text:  # a token may span lines
        return _TOKEN.sub(rewrite, text)
    # no token spans a line (only a long string or an escaped line break could), so only the
    # lines holding a backslash can change: a build's TriG has 10x more lines without one
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if "\\" in line:
            lines[number] = _TOKEN.sub(rewrite, line)
    return "\n".join(lines)


def sorted_prefix_lines(text: str) -> str:
    """pyoxigraph writes the ``@prefix`` lines in hash order: sorted, the header is stable."""
    lines = text.split("\n")
    head = 0
    while head < len(lines) and lines[head].startswith("@prefix"):
        head += 1
    return "\n".join(sorted(lines[:head]) + lines[head:])
