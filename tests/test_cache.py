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


MINI = Path(__file__).parent / "data" / "mini"


def _mini_read_only() -> int:
    built = build_dataset(
        evidence_paths=[MINI / "evidence" / "mini2020.yaml"], sources_dir=MINI / "sources", read_only=True
    )
    return len(built.store)


def test_a_query_store_is_made_once_and_then_opened_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyoxigraph as ox

    monkeypatch.setenv("INOGRAPH_CACHE", str(tmp_path))
    quads = _mini_read_only()  # a build: the N-Quads entry and the on-disk copy are written
    (entry,) = tmp_path.glob("*.nq")
    (folder,) = tmp_path.glob("*.oxigraph")
    assert folder.name == entry.name.replace(".nq", ".oxigraph")
    assert verify((folder / "inograph-seal").read_bytes()) is None
    entry.unlink()  # the copy alone must serve the next reader

    built = build_dataset(
        evidence_paths=[MINI / "evidence" / "mini2020.yaml"], sources_dir=MINI / "sources", read_only=True
    )
    assert len(built.store) == quads
    assert sorted(built.evidence.results) == [  # the evidence is still read, on demand
        "mini2020-cr-difference",
        "mini2020-cr-soc",
        "mini2020-cr-x",
        "mini2020-itt-size-x",
        "mini2020-os-hr",
        "mini2020-sg-size-x",
    ]
    with pytest.raises(RuntimeError, match="only possible on read-write instances"):
        built.store.add(
            ox.Quad(
                ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("o")
            )
        )
    assert capsys.readouterr().err == ""


def _damage_a_table(folder: Path) -> None:
    table = max(folder.glob("*.sst"), key=lambda p: p.stat().st_size)
    data = bytearray(table.read_bytes())
    data[len(data) // 2] ^= 1
    table.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage",
    [
        _damage_a_table,
        lambda folder: next(folder.glob("*.sst")).unlink(),
        lambda f: (f / "inograph-seal").write_bytes(b""),
    ],
    ids=["one-bit-flipped", "file-missing", "seal-emptied"],
)
def test_a_damaged_query_store_is_discarded_and_made_again(
    damage: Callable[[Path], object],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("INOGRAPH_CACHE", str(tmp_path))
    quads = _mini_read_only()
    (folder,) = tmp_path.glob("*.oxigraph")
    damage(folder)

    assert _mini_read_only() == quads  # loaded from the verified N-Quads instead

    warning = capsys.readouterr().err.strip()
    assert warning.startswith(f"inograph: warning: {folder}: damaged query store (")
    assert warning.endswith("); discarded, loading the build instead")
    assert "\n" not in warning
    assert verify((folder / "inograph-seal").read_bytes()) is None  # made again
    assert _mini_read_only() == quads
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("read_only", [False, True], ids=["cached-build", "query-store"])
def test_evidence_edited_after_a_cache_hit_is_not_mixed_with_the_cached_graph(
    read_only: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from inograph.errors import LoadError

    monkeypatch.setenv("INOGRAPH_CACHE", str(tmp_path / "cache"))
    evidence = tmp_path / "mini2020.yaml"
    shutil.copy(MINI / "evidence" / "mini2020.yaml", evidence)
    build_dataset(evidence_paths=[evidence], sources_dir=MINI / "sources", read_only=read_only)
    hit = build_dataset(evidence_paths=[evidence], sources_dir=MINI / "sources", read_only=read_only)
    # the curator saves an edit while the command runs: the graph came from the old content
    text = evidence.read_text(encoding="utf-8")
    evidence.write_text(text.replace("    value: 0.77\n", "    value: 0.79\n"), encoding="utf-8")

    with pytest.raises(LoadError) as info:
        hit.evidence  # noqa: B018  (read on first use)
    assert str(info.value) == (
        f"{evidence}: changed while inograph ran (its graph came from the cache of the earlier "
        "content); run the command again"
    )
