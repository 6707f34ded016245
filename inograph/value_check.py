"""Does each value's printed form occur in its quote?  Artefact-aware.

The quote is what the article printed; the value is what the curator read from it.  If the
number cannot be found in the quote, either the quote is the wrong one or the value was mistyped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from inograph.evidence import Result

__all__ = ["check_printed_values", "printed_as", "printed_forms"]


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


def _numeral_forms(value: float) -> list[str]:
    """The numeral spellings of :func:`printed_forms`, longest first; not the flattened powers
    of ten ("1024" for 10^-4), which are artefacts and no way to print the number."""
    forms = printed_forms(value)
    if value > 0 and value != 1 and math.log10(value) == int(math.log10(value)):
        exponent = abs(int(math.log10(value)))
        forms -= {f"10{exponent}", f"102{exponent}"} - {repr(value), str(int(value))}
    return sorted(forms, key=lambda f: (-len(f), f))


def printed_as(value: float, quote: str) -> str | None:
    """The number exactly as ``quote`` prints ``value``, trailing zeros and all; ``None`` when
    the quote prints it in no numeral form (words, flattened powers of ten).

    A form must stand alone: not inside a longer number ("7" is not found in "17", "7.5" or
    "3,700").  After a form, zeros that do not change the value belong to it ("0.7" is printed
    "0.70", "1" is printed "1.00").  The first such occurrence in the quote is taken.

    >>> printed_as(0.7, "HR, 0.70 [97.5% CI, 0.50-0.99]")
    '0.70'
    >>> printed_as(7, "17 of 70 (7.0%)")
    '7.0'
    >>> printed_as(0.0105, "1-sided P = .0105")
    '.0105'
    >>> printed_as(0.016, "salvage 2 (P 5.016)")
    '.016'
    >>> printed_as(0.0001, "<1024 lymphocytic cells") is None
    True
    """
    for form in _numeral_forms(value):
        zeros = r"0*" if "." in form else r"(?:\.0+)?"
        # "P 5.003": the extraction's "5" for "=" may sit right before a leading-dot P value
        pattern = rf"(?:(?<![\d.])(?<!\d,)|(?<=[Pp] 5)){re.escape(form)}{zeros}(?!\d|[.,]\d)"
        match = re.search(pattern, quote)
        if match:
            return match.group(0)
    return None


def check_printed_values(results: Iterable[Result]) -> list[str]:
    """One line per result whose value or CI bound is not printed in its quote, whose
    ``value_as_printed`` is not that value in its quote, or whose alpha is not in its
    ``alpha_quote``."""
    results = list(results)
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
        printed = result.value_as_printed
        if printed is not None and (printed not in result.quote or not _same_number(printed, result.value)):
            problems.append(
                f"{result.origin}: {result.id}: value_as_printed {printed!r} is not the value "
                "as its quote prints it"
            )
    for result in results:
        if (
            result.alpha is not None
            and result.alpha_quote is not None
            and not _occurs(result.alpha, result.alpha_quote)
        ):
            problems.append(
                f"{result.origin}: {result.id}: alpha {result.alpha:g} is not printed in its alpha_quote"
            )
    return problems


def _same_number(printed: str, value: float | None) -> bool:
    text = printed.replace(",", "").replace("\u2009", "").replace("\u2212", "-").replace("\u2013", "-")
    try:
        return value is not None and float(text) == value
    except ValueError:
        return False
