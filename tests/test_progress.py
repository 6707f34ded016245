"""Progress output: drawn on a terminal's stderr while work runs, never into a pipe or a log."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from inograph.progress import phase, progress_display, progress_wanted, track
from tests.test_terminal import ANSI, _env, _inograph, run_in_pty

MINI = Path(__file__).parent / "data" / "mini"
BUILD_MINI = [
    "build",
    "--evidence",
    str(MINI / "evidence" / "mini2020.yaml"),
    "--sources",
    str(MINI / "sources"),
]


def test_without_a_terminal_nothing_is_drawn(capsys: pytest.CaptureFixture[str]) -> None:
    with progress_display("inograph test"):
        with phase("a step"):
            pass
        assert list(track([1, 2, 3], "a loop")) == [1, 2, 3]
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(("variable", "value"), [("TERM", "dumb"), ("CI", "true")])
def test_a_dumb_terminal_or_a_ci_run_gets_no_display(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert progress_wanted() is True
    monkeypatch.setenv(variable, value)
    assert progress_wanted() is False


def test_build_shows_its_phases_on_a_terminal_and_not_in_a_pipe(tmp_path: Path) -> None:
    env = _env(MINI / "sources", INOGRAPH_CACHE="off")
    env.pop("CI", None)
    code, screen = run_in_pty(_inograph(*BUILD_MINI, "-o", str(tmp_path / "tty")), width=120, env=env)
    assert code == 0
    plain = ANSI.sub("", screen)
    for step in ("reading evidence", "anchoring quotes", "building the graph", "writing TriG and N-Quads"):
        assert f"inograph build: {step}" in plain
    assert "built 6 results, " in plain

    piped = subprocess.run(
        _inograph(*BUILD_MINI, "-o", str(tmp_path / "pipe")),
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert piped.stderr == ""
    assert piped.stdout.startswith("built 6 results, ")
    assert (tmp_path / "tty" / "inograph.nq").read_bytes() == (tmp_path / "pipe" / "inograph.nq").read_bytes()
