"""`export FORMAT -o -` writes to standard output, byte for byte what the file export writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from inograph.build import BuiltDataset


@pytest.mark.usefixtures("built")
@pytest.mark.parametrize("fmt", ["csv", "nquads"])
def test_export_to_stdout_equals_the_file_export(fmt: str, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "inograph", "export", fmt]
    env = dict(os.environ)
    piped = subprocess.run([*command, "-o", "-"], capture_output=True, env=env, cwd=tmp_path, check=True)
    subprocess.run([*command, "-o", str(tmp_path / "out")], capture_output=True, env=env, check=True)
    assert piped.stdout == (tmp_path / "out").read_bytes()
    assert piped.stderr.decode().endswith(" to standard output\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_forest_plots_to_stdout_are_refused(built: BuiltDataset, tmp_path: Path) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "inograph", "export", "forest-svg", "-o", "-"], capture_output=True, text=True
    )
    assert process.returncode == 2
    assert process.stdout == ""
    assert (
        process.stderr
        == "inograph: error: forest-svg writes one file per plot: give a folder with -o, not -\n"
    )
