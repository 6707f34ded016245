"""The build cache proves itself: a damaged entry is never trusted, it is discarded and rebuilt."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from inograph.build import build_dataset
from inograph.cache import seal, verify

Damage = Callable[[bytes], bytes]


def test_a_sealed_entry_verifies_and_any_damage_is_named() -> None:
    entry = seal("<a:s> <a:p> <a:o> <a:g> .\n<a:s> <a:p> <a:o2> <a:g> .\n")
    assert verify(entry) is None
    assert verify(b"") == "empty file"
    assert verify(entry.split(b"\n", 1)[1]) == "no checksum line"
    assert verify(entry[: entry.rindex(b"<a:s>")]) == "1 lines where 2 were written"
    assert verify(entry.replace(b"<a:o2>", b"<a:o3>")) == "content does not match its checksum"
    assert verify(entry[:-1]) == "1 lines where 2 were written"


def _drop_last_lines(entry: bytes) -> bytes:  # truncated at a line boundary
    lines = entry.splitlines(keepends=True)
    return b"".join(lines[: len(lines) // 2])


def _cut_mid_line(entry: bytes) -> bytes:
    return entry[: len(entry) // 2 + 7]


def _flip_a_digit(entry: bytes) -> bytes:  # same size and line count, one value changed
    position = entry.index(b'"0.77"') if b'"0.77"' in entry else entry.rindex(b"1")
    return entry[:position] + entry[position:].replace(b"7", b"8", 1)


@pytest.mark.parametrize(
    "damage",
    [lambda _entry: b"", _drop_last_lines, _cut_mid_line, _flip_a_digit],
    ids=["empty", "truncated-at-line", "truncated-mid-line", "one-value-changed"],
)
def test_a_damaged_entry_is_discarded_rebuilt_and_reported(
    damage: Damage,
    sources_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("INOGRAPH_CACHE", str(tmp_path))
    fresh = build_dataset(sources_dir=sources_dir)
    (entry,) = tmp_path.glob("*.nq")
    good = entry.read_bytes()
    assert verify(good) is None
    entry.write_bytes(damage(good))

    rebuilt = build_dataset(sources_dir=sources_dir)

    assert len(rebuilt.dataset) == len(fresh.dataset)
    assert entry.read_bytes() == good  # rebuilt and sealed again
    warning = capsys.readouterr().err.strip()
    assert warning.startswith(f"inograph: warning: {entry}: damaged build cache entry (")
    assert warning.endswith("); discarded, rebuilding")
    assert "\n" not in warning


def test_a_verified_entry_is_served(
    sources_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("INOGRAPH_CACHE", str(tmp_path))
    fresh = build_dataset(sources_dir=sources_dir)
    cached = build_dataset(sources_dir=sources_dir)
    assert len(cached.dataset) == len(fresh.dataset)
    assert capsys.readouterr().err == ""
