"""Hostile curation files: each is refused with one line naming file and line, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from inograph.errors import EvidenceError, LoadError
from inograph.evidence import load_curation

MINI = Path(__file__).parent / "data" / "mini" / "evidence" / "mini2020.yaml"
LAUGHS = (
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b]\n"
)


def _first_value(text: str, replacement: str) -> str:
    return re.sub(r"value: [0-9.]+", replacement, text, count=1)


CASES = {
    "nan-value": (
        lambda t: _first_value(t, "value: .nan"),
        r":77: .*field 'value' must be a finite number, got nan$",
    ),
    "infinite-value": (
        lambda t: _first_value(t, "value: -.inf"),
        r":77: .*'value' must be a finite number, got -inf$",
    ),
    "nan-ci": (
        lambda t: re.sub(r"value: ([0-9.]+)", r"value: \1\n    ci: [.nan, 3]", t, count=1),
        r":77: .*field 'ci' must be a list of two finite numbers$",
    ),
    "february-30": (
        lambda t: re.sub(r"date: [0-9-]+", "date: 2014-02-30", t, count=1),
        r":47: field 'date': not a valid value: day is out of range for month$",
    ),
    "nul-byte": (
        lambda t: t.replace("value:", "va\x00lue:", 1),
        r":83: character U\+0000 is not allowed in YAML$",
    ),
    "complex-key": (
        lambda t: t.replace("results:", "? [a, b]\n: 1\nresults:", 1),
        r":\d+: a key must be a plain word, not a sequence$",
    ),
    "billion-laughs": (
        lambda t: LAUGHS + t,
        r":1: YAML anchors and aliases \(&name, \*name\) are not allowed$",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_curation_is_one_clear_error(case: str, tmp_path: Path) -> None:
    damage, message = CASES[case]
    path = tmp_path / "mini2020.yaml"
    path.write_text(damage(MINI.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises((EvidenceError, LoadError)) as error:
        load_curation(path)
    text = str(error.value)
    assert text.startswith(f"{path}:")
    assert "\n" not in text
    assert re.search(message, text), text
