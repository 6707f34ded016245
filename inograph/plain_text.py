"""Plain text for people: the LaTeX markup the PDF extraction left in the sources, rendered.

The NEJM text came out of its PDF with inline LaTeX (``$P<0.001$``, ``$\\geq 90\\%$``,
``$>100\\text{ng/mL}$``).  Quotes keep it, because a quote must match its source character for
character; every other text a person reads (CSV columns other than ``quote``, the evidence
map's cards, ``inograph trace``, forest plot labels) goes through :func:`plain_text` so that it
reads "P<0.001", "≥90%", ">100 ng/mL".

>>> plain_text("$P<0.001$")
'P<0.001'
>>> plain_text("platelets $\\\\geq 100 \\\\times 10^9/L$")
'platelets ≥100 × 10^9/L'
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["plain_text"]

# commands as they occur in the four sources and the curators' notes; the space after a
# command word is part of the command in LaTeX, so it goes with it
_SYMBOLS: Final = {
    "geq": "≥",
    "ge": "≥",
    "leq": "≤",
    "le": "≤",
    "times": "×",
    "pm": "±",
    "sim": "~",
    "approx": "≈",
    "neq": "≠",
    "mu": "μ",
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "kappa": "κ",
    "cdot": "·",
}
# operators between two numbers keep a space on both sides ("100 × 10^9/L", "13.9 ± 1.10")
_BINARY: Final = frozenset({"times", "pm", "cdot"})
_COMMAND: Final = re.compile(r"\\([A-Za-z]+) ?")
_TEXT: Final = re.compile(r"\\(?:text|mathrm|textrm|mbox)\{([^{}]*)\}")
_ESCAPED: Final = re.compile(r"\\([%$&#_{}])")
_GROUP: Final = re.compile(r"([\^_])\{([^{}]*)\}")
# an inline formula: $...$ on one line, not starting or ending with a space (so "$5 and $6"
# prices, were there any, stay as they are)
_MATH: Final = re.compile(r"\$(?=\S)([^$\n]*?)(?<=\S)\$")


def _math(match: re.Match[str]) -> str:
    return _render(match.group(1), math=True)


def _command(match: re.Match[str]) -> str:
    name = match.group(1)
    if name not in _SYMBOLS:
        return match.group(0)
    return f" {_SYMBOLS[name]} " if name in _BINARY else _SYMBOLS[name]


def _render(text: str, *, math: bool) -> str:
    # \text{ng/mL} is a word set upright: keep a space before it when the formula glued it on
    text = _TEXT.sub(lambda m: (" " if math else "") + m.group(1), text)
    text = _COMMAND.sub(_command, text)
    text = _ESCAPED.sub(r"\1", text)
    text = _GROUP.sub(lambda m: m.group(1) + m.group(2), text)
    return re.sub(r"(?<=\S) {2,}(?=\S)", " ", text.strip() if math else text)


def plain_text(text: str | None) -> str | None:
    """``text`` with inline LaTeX turned into the characters it stands for; ``None`` stays.

    Only markup is touched: tabs, line breaks and every other character are kept.

    >>> plain_text("$>100\\\\text{ng/mL}$")
    '>100 ng/mL'
    >>> plain_text("grade \\\\geq3 (lost sign)")
    'grade ≥3 (lost sign)'
    """
    if text is None:
        return None
    if "$" not in text and "\\" not in text:
        return text
    text = _MATH.sub(_math, text)
    return _render(text, math=False)
