"""Bad input: one clear line naming file and line, exit code 2, no traceback, nothing half-written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from inograph.cli import main
from inograph.errors import AnchorError, EvidenceError, LoadError
from inograph.evidence import load_curation
from inograph.store import parse_rdf_file

MINI = Path(__file__).parent / "data" / "mini"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    captured = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 0), captured.out, captured.err


def _mini_copy(tmp_path: Path) -> tuple[Path, Path]:
    evidence = tmp_path / "mini2020.yaml"
    shutil.copy(MINI / "evidence" / "mini2020.yaml", evidence)
    return evidence, MINI / "sources"


def test_malformed_turtle_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b \n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"bad\.ttl:3: turtle syntax error"):
        parse_rdf_file(bad)


def test_validate_data_with_malformed_turtle_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "curator.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ;\n .\n ex:x", encoding="utf-8")
    evidence, sources = _mini_copy(tmp_path)
    code, _out, err = run_cli(
        [
            "validate",
            "--no-reasoner",
            "--evidence",
            str(evidence),
            "--sources",
            str(sources),
            "--data",
            str(bad),
        ],
        capsys,
    )
    assert code == 2
    assert err.startswith("inograph: error: ") and "curator.ttl:" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("publication:\n  id: x\n  title: [unclosed\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match=r"bad\.yaml:\d+: YAML syntax error"):
        load_curation(bad)


def test_unknown_result_field_names_line(tmp_path: Path) -> None:
    evidence, _ = _mini_copy(tmp_path)
    text = evidence.read_text(encoding="utf-8").replace("    value: 0.77\n", "    vlaue: 0.77\n")
    evidence.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  - id: mini2020-os-hr") + 1
    with pytest.raises(
        EvidenceError, match=rf"mini2020\.yaml:{line}: result 'mini2020-os-hr': unknown field\(s\) 'vlaue'"
    ):
        load_curation(evidence)


def test_quote_missing_from_source_is_a_build_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evidence, sources = _mini_copy(tmp_path)
    text = evidence.read_text(encoding="utf-8").replace(
        'quote: "80.0% (95% CI, 71.0 to 87.0)"', 'quote: "80.0% (95% CI, 71.0 to 88.0)"'
    )
    evidence.write_text(text, encoding="utf-8")
    out_dir = tmp_path / "out"
    code, _out, err = run_cli(
        ["build", "-o", str(out_dir), "--evidence", str(evidence), "--sources", str(sources)], capsys
    )
    assert code == 2
    assert "mini2020-cr-x: quote '80.0% (95% CI, 71.0 to 88.0)' is not in mini.txt" in err
    assert not out_dir.exists()  # nothing half-written


def test_ambiguous_quote_is_a_build_error(tmp_path: Path) -> None:
    from inograph.build import build_dataset

    evidence, sources = _mini_copy(tmp_path)
    text = evidence.read_text(encoding="utf-8").replace(
        'quote: "100 were assigned to drug X"', 'quote: "drug X"'
    )
    evidence.write_text(text, encoding="utf-8")
    with pytest.raises(
        AnchorError, match=r"mini2020-itt-size-x: quote 'drug X' occurs \d+ times in mini\.txt; add a prefix"
    ):
        build_dataset(evidence_paths=[evidence], sources_dir=sources)


def test_failed_build_keeps_previous_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    evidence, sources = _mini_copy(tmp_path)
    out_dir = tmp_path / "out"
    code, _, _ = run_cli(
        ["build", "-o", str(out_dir), "--evidence", str(evidence), "--sources", str(sources)], capsys
    )
    assert code == 0
    before = (out_dir / "inograph.trig").read_bytes()
    evidence.write_text(
        evidence.read_text(encoding="utf-8").replace("measure: count", "measure: tally", 1), encoding="utf-8"
    )
    code, _, err = run_cli(
        ["build", "-o", str(out_dir), "--evidence", str(evidence), "--sources", str(sources)], capsys
    )
    assert code == 2 and "field 'measure' is 'tally'" in err
    assert (out_dir / "inograph.trig").read_bytes() == before
    assert sorted(p.name for p in out_dir.iterdir()) == ["inograph.nq", "inograph.trig"]


def test_missing_sources_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    evidence, _ = _mini_copy(tmp_path)
    code, _, err = run_cli(
        [
            "build",
            "-o",
            str(tmp_path / "o"),
            "--evidence",
            str(evidence),
            "--sources",
            str(tmp_path / "nowhere"),
        ],
        capsys,
    )
    assert code == 2
    assert err.strip() == (
        "inograph: error: source texts not found: pass --sources DIR (or set INOGRAPH_SOURCES) pointing at the "
        "folder with the four publications' text files (../shared/sources in a checkout)"
    )


def test_inputs_are_never_modified(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    evidence, sources = _mini_copy(tmp_path)
    before = evidence.read_bytes(), (sources / "mini.txt").read_bytes()
    run_cli(
        ["build", "-o", str(tmp_path / "o"), "--evidence", str(evidence), "--sources", str(sources)], capsys
    )
    assert (evidence.read_bytes(), (sources / "mini.txt").read_bytes()) == before
