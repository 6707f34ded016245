"""A build that hits the cache writes the earlier build's files as they were, without loading
the graph or reading the evidence; a damaged TriG entry is discarded and written again."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

import pytest

from inograph.build import BuildOutputs, build
from tests.test_errors import MINI

Damage = Callable[[bytes], bytes]


def _build(out: Path, evidence: Path) -> BuildOutputs:
    return build(out, evidence_paths=[evidence], sources_dir=MINI / "sources")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("INOGRAPH_CACHE", str(directory))
    return directory


@pytest.fixture
def evidence(tmp_path: Path) -> Path:
    copy = tmp_path / "mini2020.yaml"
    copy.write_bytes((MINI / "evidence" / "mini2020.yaml").read_bytes())
    return copy


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _no_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> object:
        raise AssertionError("the graph was built or loaded although the cache held the files")

    # the module (``inograph.build`` the attribute is the function)
    monkeypatch.setattr(importlib.import_module("inograph.build"), "_build_dataset", refuse)


def test_a_hit_writes_the_same_files_and_counts_without_building(
    cache: Path, evidence: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _build(tmp_path / "first", evidence)
    assert sorted(p.suffix for p in cache.iterdir()) == [".nq", ".trig"]
    _no_build(monkeypatch)
    second = _build(tmp_path / "second", evidence)
    assert _files(tmp_path / "second") == _files(tmp_path / "first")
    assert (second.quads, second.results) == (first.quads, first.results)
    assert first.results == 6
    assert first.quads == (tmp_path / "first" / "inograph.nq").read_bytes().count(b"\n")


def test_the_files_match_a_build_without_the_cache(
    cache: Path, evidence: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _build(tmp_path / "warm-up", evidence)
    _build(tmp_path / "hit", evidence)
    monkeypatch.setenv("INOGRAPH_CACHE", "off")
    uncached = _build(tmp_path / "uncached", evidence)
    assert _files(tmp_path / "hit") == _files(tmp_path / "uncached")
    assert uncached.results == 6


def test_changed_evidence_is_built_again(cache: Path, evidence: Path, tmp_path: Path) -> None:
    _build(tmp_path / "first", evidence)
    text = evidence.read_text(encoding="utf-8")
    assert "value: 0.77" in text
    evidence.write_text(text.replace("value: 0.77", "value: 0.78", 1), encoding="utf-8")
    _build(tmp_path / "second", evidence)
    assert b'"0.78"' in (tmp_path / "second" / "inograph.nq").read_bytes()
    assert len(list(cache.glob("*.trig"))) == 2


def _drop_the_counts(entry: bytes) -> bytes:  # re-sealed: whole, but not what build wrote
    from inograph.cache import body_start, seal

    body = entry[body_start(entry) :]
    return seal(body[body.index(b"\n") + 1 :])


@pytest.mark.parametrize(
    "damage",
    [
        lambda _entry: b"",
        lambda entry: entry[: len(entry) // 2],
        lambda entry: entry.replace(b"ino:", b"inx:", 1),
        _drop_the_counts,
    ],
    ids=["empty", "truncated", "one-name-changed", "sealed-without-counts"],
)
def test_a_damaged_trig_entry_is_discarded_and_written_again(
    damage: Damage,
    cache: Path,
    evidence: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _build(tmp_path / "first", evidence)
    (entry,) = cache.glob("*.trig")
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    capsys.readouterr()

    again = _build(tmp_path / "second", evidence)

    assert _files(tmp_path / "second") == _files(tmp_path / "first")
    assert again.results == 6
    assert entry.read_bytes() == good  # written again, sealed
    warning = capsys.readouterr().err.strip()
    assert warning.startswith(f"inograph: warning: {entry}: damaged build cache entry (")
    assert warning.endswith("); discarded, writing it again")
    assert "\n" not in warning


def test_without_its_nquads_the_trig_entry_is_not_used(
    cache: Path, evidence: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _build(tmp_path / "first", evidence)
    (cache / next(p.name for p in cache.glob("*.nq"))).unlink()
    again = _build(tmp_path / "second", evidence)
    assert _files(tmp_path / "second") == _files(tmp_path / "first")
    assert again.results == 6
    assert sorted(p.suffix for p in cache.iterdir()) == [".nq", ".trig"]
    assert capsys.readouterr().err == ""


def test_with_the_cache_off_nothing_is_kept(
    evidence: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INOGRAPH_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    _build(tmp_path / "first", evidence)
    _build(tmp_path / "second", evidence)
    assert not (tmp_path / "xdg").exists()


def _variant(evidence: Path, tmp_path: Path, k: int) -> Path:
    """The mini evidence with one value changed: a build of its own (a cache key of its own)."""
    copy = tmp_path / f"variant-{k}" / "mini2020.yaml"
    copy.parent.mkdir()
    text = evidence.read_text(encoding="utf-8")
    copy.write_text(text.replace("value: 0.77", f"value: 0.7{k}", 1), encoding="utf-8")
    return copy


def _keys(cache: Path) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for path in sorted(cache.iterdir()):
        if path.suffix in (".nq", ".trig", ".oxigraph"):
            keys.setdefault(path.stem, []).append(path.suffix)
    return keys


def test_the_cache_keeps_the_builds_used_most_recently(
    cache: Path, evidence: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inograph.build import build_dataset
    from inograph.cache import KEEP_BUILDS

    variants = [_variant(evidence, tmp_path, k) for k in range(KEEP_BUILDS + 2)]
    first_key = None
    for k, variant in enumerate(variants):
        _build(tmp_path / f"out-{k}", variant)
        # the first build is used again (its on-disk query copy too) after each of the others
        built = build_dataset(evidence_paths=[variants[0]], sources_dir=MINI / "sources", read_only=True)
        assert len(built.store) > 0
        if first_key is None:
            (first_key,) = _keys(cache)
    kept = _keys(cache)
    assert len(kept) == KEEP_BUILDS
    assert kept[first_key] == [".nq", ".oxigraph", ".trig"]  # used last, though made first
    assert all(suffixes[0] == ".nq" for suffixes in kept.values())
    # the newest builds are the others kept; the ones in between are gone
    _no_build(monkeypatch)
    for k in range(3, KEEP_BUILDS + 2):
        _build(tmp_path / f"again-{k}", variants[k])
        assert _files(tmp_path / f"again-{k}") == _files(tmp_path / f"out-{k}")


def test_pruning_leaves_other_files_and_unknown_names_alone(
    cache: Path, evidence: Path, tmp_path: Path
) -> None:
    from inograph.cache import KEEP_BUILDS

    cache.mkdir()
    (cache / "notes.txt").write_text("mine\n", encoding="utf-8")
    (cache / ("a" * 32 + ".owl")).write_text("a verdict\n", encoding="utf-8")
    scratch = cache / (".%s.oxigraph.123-x" % ("b" * 32))
    scratch.mkdir()
    for k in range(KEEP_BUILDS + 1):
        _build(tmp_path / f"out-{k}", _variant(evidence, tmp_path, k))
    assert len(_keys(cache)) == KEEP_BUILDS
    assert (cache / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert (cache / ("a" * 32 + ".owl")).exists()
    assert scratch.is_dir()
