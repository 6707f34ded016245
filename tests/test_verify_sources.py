"""verify-sources: the published anchors against the texts, and exactly which ones a corrupted copy breaks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from inograph.anchoring import AnchorProblem
from inograph.build import BuiltDataset, write_dataset
from inograph.cli import cli
from inograph.source_check import verify_sources

K2016 = "000_4bc9747dee4c5d0d.txt"
K2013 = "003_cf0259083aa9f4a3.txt"
INSERTED = "[inserted] "


@pytest.fixture(scope="module")
def trig(built: BuiltDataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    trig, _ = write_dataset(built.dataset, tmp_path_factory.mktemp("published"))
    return trig


def _copy(sources_dir: Path, target: Path) -> Path:
    target.mkdir()
    for path in sources_dir.glob("*.txt"):
        shutil.copyfile(path, target / path.name)
    return target


def _edit(path: Path, offset: int, *, replace: str = "", insert: str = "") -> None:
    text = path.read_text(encoding="utf-8")
    cut = len(replace)
    path.write_text(text[:offset] + (replace or insert) + text[offset + cut :], encoding="utf-8")


def test_every_anchor_resolves_in_the_shared_sources(built: BuiltDataset, sources_dir: Path) -> None:
    report = verify_sources(built.dataset, sources_dir)
    assert report.ok
    assert report.failures == ()
    quoted = [r for r in built.evidence.results.values() if r.quote is not None]
    # 1577: four MRD-assay methods numbers (2013) and seven Cox covariate codings (2019) are no results
    assert len(report.verdicts) == len(built.anchors) == len(quoted) == 1577
    assert [(s.name, s.anchors, s.ok) for s in report.sources] == [
        (K2016, 468, True),
        ("002_542499e59e4c1801.txt", 557, True),
        (K2013, 388, True),
        ("004_6d91043b5e344605.txt", 164, True),
    ]


def test_a_changed_character_fails_exactly_the_anchors_around_it(
    built: BuiltDataset, sources_dir: Path, tmp_path: Path
) -> None:
    copy = _copy(sources_dir, tmp_path / "sources")
    # "Total\t88/109" in Table 2 of kantarjian2016 becomes "Total\t88/1O9"
    _edit(copy / K2016, 27952 + 9, replace="O")
    report = verify_sources(built.dataset, copy)
    assert not report.ok
    assert [s.name for s in report.changed_sources] == [K2016]
    assert {v.published.id: v.problems for v in report.failures} == {
        # the row's quote itself: offsets no longer hold, and the quote is nowhere else
        "kantarjian2016-t2-crcri-diff": (AnchorProblem.OFFSETS, AnchorProblem.QUOTE_MISSING),
        "kantarjian2016-t2-crcri-ino": (AnchorProblem.OFFSETS, AnchorProblem.QUOTE_MISSING),
        "kantarjian2016-t2-crcri-soc": (AnchorProblem.OFFSETS, AnchorProblem.QUOTE_MISSING),
    }


def test_an_insertion_shifts_the_anchors_after_it_and_says_where_they_are(
    built: BuiltDataset, sources_dir: Path, tmp_path: Path
) -> None:
    copy = _copy(sources_dir, tmp_path / "sources")
    _edit(copy / K2013, 26650, insert=INSERTED)
    report = verify_sources(built.dataset, copy)
    assert [str(v) for v in report.failures] == [
        f"kantarjian2013-disc-hsct-gt40: {K2013} [26730:26783]: text at the offsets differs "
        "from the quote; the quote is now at 26741-26794 (line 791)",
        f"kantarjian2013-disc-hist-hsct-cr: {K2013} [26785:26865]: text at the offsets differs "
        "from the quote; the quote is now at 26796-26876 (line 791)",
        f"kantarjian2013-disc-hist-hsct-total: {K2013} [26893:26929]: text at the offsets "
        "differs from the quote; the quote is now at 26904-26940 (line 792)",
    ]


def test_a_missing_text_fails_all_its_anchors(built: BuiltDataset, sources_dir: Path, tmp_path: Path) -> None:
    copy = _copy(sources_dir, tmp_path / "sources")
    (copy / "004_6d91043b5e344605.txt").unlink()
    report = verify_sources(built.dataset, copy)
    missing = list(report.changed_sources)
    assert [(s.name, s.actual_sha256) for s in missing] == [("004_6d91043b5e344605.txt", None)]
    assert {v.problems for v in report.failures} == {(AnchorProblem.MISSING_SOURCE,)}
    assert {v.published.id.split("-")[0] for v in report.failures} == {"morley2016"}
    assert len(report.failures) == missing[0].anchors


def test_cli_reads_the_published_file_and_exits_1_on_failure(
    trig: Path, sources_dir: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    good = runner.invoke(cli, ["verify-sources", "--dataset", str(trig), "--sources", str(sources_dir)])
    assert good.exit_code == 0, good.output
    assert good.output.startswith("1577 anchors in 4 sources checked in ")
    assert good.output.endswith(" s: all resolve\n")

    copy = _copy(sources_dir, tmp_path / "sources")
    _edit(copy / K2016, 27952 + 9, replace="O")
    bad = runner.invoke(cli, ["verify-sources", "--dataset", str(trig), "--sources", str(copy)])
    assert bad.exit_code == 1
    lines = bad.output.splitlines()
    assert lines[0].startswith(f"{K2016}: checksum differs: graph fa7ef893708b…, file ")
    assert lines[1:4] == [
        f"kantarjian2016-t2-crcri-{arm}: {K2016} [27952:28029]: text at the offsets differs "
        "from the quote; quote not found in the text"
        for arm in ("diff", "ino", "soc")
    ]
    assert lines[4].endswith(" s: 3 failed, 1 source(s) changed or missing")
