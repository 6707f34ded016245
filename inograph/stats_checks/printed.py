"""The printed form of a number, and the interval of true values that rounds to it.

The graph stores values as ``xsd:decimal``, which drops trailing zeros ("0.70" is stored as 0.7),
so the precision a number was printed with is read back from the result's quote.
:func:`printed_text` is the one place that does this; once the graph carries the printed text
itself (an as-printed literal), only this function needs to change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

__all__ = ["Printed", "p_interval", "printed", "printed_text"]

# a number as articles print it: "80.7", ".047", "1,234", "3 500" (thin space)
_NUMBER: Final = re.compile(r"(?<![\d.])(?:\d{1,3}(?:[,\u2009]\d{3})+|\d+)?(?:\.\d+)?(?![\d])")


def _tokens(quote: str) -> list[str]:
    return [m.group(0) for m in _NUMBER.finditer(quote) if m.group(0) not in ("", ".")]


def _as_decimal(token: str) -> Decimal:
    return Decimal(token.replace(",", "").replace("\u2009", ""))


def printed_text(number: Decimal, quote: str | None) -> str:
    """The text that printed ``number`` in ``quote``: with its trailing zeros ("5.0", "0.70").

    When the quote prints the number more than once, the form with the most decimals wins
    (the table cell "5.0" over a "5" elsewhere in the row); when it is not found (a number written
    as a word, "10^-4" flattened to "1024"), the stored form.

    >>> printed_text(Decimal("5"), "5.0 months (95% CI, 3.7 to 6.7)")
    '5.0'
    >>> printed_text(Decimal("0.047"), "P 5 .047")
    '.047'
    """
    if quote:
        matches = [t for t in _tokens(quote) if _as_decimal(t) == number]
        if matches:
            return max(matches, key=lambda t: len(t.split(".")[1]) if "." in t else 0)
    return format(number, "f")


@dataclass(frozen=True)
class Printed:
    """A printed number and the interval of values that round to it (half a unit of its last digit)."""

    text: str
    value: Decimal
    decimals: int

    @property
    def half_unit(self) -> Decimal:
        return Decimal(5) * Decimal(10) ** -(self.decimals + 1)

    @property
    def low(self) -> Decimal:
        return self.value - self.half_unit

    @property
    def high(self) -> Decimal:
        return self.value + self.half_unit

    def admits(self, x: float) -> bool:
        """Does ``x`` round to the printed number?  (Ties and float noise count as rounding to it.)"""
        slack = 1e-9
        return float(self.low) - slack <= x <= float(self.high) + slack


def printed(number: Decimal, quote: str | None) -> Printed:
    """``number`` with the precision of its print in ``quote``."""
    text = printed_text(number, quote)
    digits = text.split(".")[1] if "." in text else ""
    return Printed(text, number, len(digits))


def p_interval(p_value: str) -> tuple[float, float, bool]:
    """The values a printed P value allows: ``(low, high, is_bound)``.

    "0.04" allows [0.035, 0.045]; "<0.001" allows (0, 0.001]; ">0.05" allows [0.05, 1].

    >>> p_interval("<0.001")
    (0.0, 0.001, True)
    >>> p_interval("0.04")
    (0.035, 0.045, False)
    """
    text = p_value.replace(" ", "").replace("≤", "<=").replace("≥", ">=")
    relation = ""
    for symbol in ("<=", ">=", "<", ">", "="):
        if text.startswith(symbol):
            relation, text = symbol, text[len(symbol) :]
            break
    number = Decimal(text)
    if relation.startswith("<"):
        return 0.0, float(number), True
    if relation.startswith(">"):
        return float(number), 1.0, True
    shown = printed(number, text)
    return float(shown.low), float(shown.high), False
