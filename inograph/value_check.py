"""Does each value's printed form occur in its quote?  Artefact-aware.

The quote is what the article printed; the value is what the curator read from it.  If the
number cannot be found in the quote, either the quote is the wrong one or the value was mistyped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from inograph.evidence import Result

__all__ = ["check_printed_values", "printed_forms"]


def printed_forms(value: float) -> set[str]:
    """The ways an article may print ``value``.

    >>> sorted(printed_forms(0.55))
    ['.55', '0.55']
    >>> sorted(printed_forms(3500))
    ['3,500', '3500', '3\u2009500']
    """
    text = repr(value)
    if value == int(value) and abs(value) < 1e15:
        text = str(int(value))
    forms = {text}
    if text.startswith("0."):
        forms.add(text[1:])
    if text.startswith("-"):
        forms.update({"\u2212" + text[1:], "\u2013" + text[1:]})
        if text.startswith("-0."):
            forms.add("\u2212" + text[2:])
    whole = text.lstrip("-").split(".")[0]
    if len(whole) > 3:
        groups = f"{int(whole):,}"
        rest = text.lstrip("-")[len(whole) :]
        forms.update({groups + rest, groups.replace(",", "\u2009") + rest})
    if value > 0 and value != 1:
        exponent = math.log10(value)
        if exponent == int(exponent):
            # superscripts are flattened: 10^6 reads "106", 10^-4 reads "1024" (minus lost)
            forms.add(f"10{abs(int(exponent))}")
            forms.add(f"10{2 if exponent < 0 else ''}{abs(int(exponent))}")
    return forms


_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(value: float) -> set[str]:
    """English words for whole numbers below 100, as articles spell them out.

    >>> sorted(number_words(34))
    ['thirty four', 'thirty-four', 'thirtyfour']
    """
    if value != int(value) or not 0 <= value < 100:
        return set()
    number = int(value)
    if number < 20:
        words = {_UNITS[number]}
        if number == 0:
            words |= {"no ", "none"}
        return words
    tens, units = divmod(number, 10)
    if units == 0:
        return {_TENS[tens]}
    return {f"{_TENS[tens]}{sep}{_UNITS[units]}" for sep in (" ", "-", "")}


_FRACTION_WORDS = {25.0: {"quarter"}, 50.0: {"half"}, 100.0: {"all "}, 1e6: {"million"}}


def _occurs(value: float, quote: str) -> bool:
    if any(form in quote for form in printed_forms(value)):
        return True
    lowered = quote.lower()
    words = number_words(value) | _FRACTION_WORDS.get(value, set())
    return any(word in lowered for word in words)


def check_printed_values(results: Iterable[Result]) -> list[str]:
    """One line per result whose value or CI bound is not printed in its quote."""
    problems = []
    for result in results:
        if result.quote is None:
            continue
        numbers = [("value", result.value)]
        if result.ci is not None:
            numbers += [("ci lower", result.ci[0]), ("ci upper", result.ci[1])]
        if result.range is not None:
            numbers += [("range min", result.range[0]), ("range max", result.range[1])]
        for name, number in numbers:
            if number is not None and not _occurs(number, result.quote):
                problems.append(
                    f"{result.origin}: {result.id}: {name} {number:g} is not printed in its quote"
                )
    return problems
