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
    "id-with-spaces": (
        lambda t: t.replace("- id: mini2020-cr-x", "- id: mini2020 cr x", 1),
        r":97: result: id 'mini2020 cr x' must be letters, digits, '\.', '-' or '_' \(no spaces\)",
    ),
    "unknown-grade": (
        lambda t: t.replace("- id: mini2020-cr-x", "- id: mini2020-cr-x\n    grade: severe", 1),
        r":97: result 'mini2020-cr-x': field 'grade' is 'severe', not one of any, 1, 2, 3, 4, 5, 1-2, 3-4",
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


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("    n: 80\n", "    n: 70\n"), "mini2020-cr-x"),
        (("    N: 100\n", "    N: 0\n"), "mini2020-cr-x"),
        (("    n: 80\n", "    n: -80\n"), "mini2020-cr-x"),
    ],
    ids=["percentage-disagrees-with-n-over-N", "zero-denominator", "negative-count"],
)
def test_check_evidence_runs_the_shapes_where_curators_work(
    edit: tuple[str, str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from inograph.cli import main

    path = tmp_path / "mini2020.yaml"
    path.write_text(MINI.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")
    sources = MINI.parent.parent / "sources"
    with pytest.raises(SystemExit) as exit_info:
        main(["check-evidence", str(path), "--sources", str(sources)])
    out = capsys.readouterr().out.splitlines()
    assert exit_info.value.code == 1
    flagged = [line for line in out if line.startswith("Violation: ") and message in line]
    assert flagged, out
    assert all(line.endswith("[evidence/mini2020.yaml:97]") for line in flagged)
    assert out[-1].endswith(" problem(s)")
    assert out[-1] != "6 results checked (values, quotes and SHACL shapes), 0 problem(s)"


def test_check_evidence_passes_a_clean_file(capsys: pytest.CaptureFixture[str]) -> None:
    from inograph.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["check-evidence", str(MINI), "--sources", str(MINI.parent.parent / "sources")])
    out = capsys.readouterr().out.splitlines()
    assert exit_info.value.code == 0
    assert out[-1].endswith(" results checked (values, quotes and SHACL shapes), 0 problem(s)")


def test_a_source_text_that_is_not_utf8_is_named_with_its_line(tmp_path: Path) -> None:
    from inograph.anchoring import read_source

    (tmp_path / "paper.txt").write_bytes(b"first line\nsecond \xff line\n")
    with pytest.raises(
        LoadError, match=r"paper\.txt:2: the source text is not UTF-8 \(invalid start byte at byte 18\)"
    ):
        read_source(tmp_path, "paper.txt")
