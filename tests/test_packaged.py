"""The released dataset the package carries, and every read command without the source texts."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from inograph.build import BuiltDataset, serialize_nquads
from inograph.packaged import DATASET_NAME, MANIFEST_NAME, inputs_digest
from inograph.resources import evidence_files, ontology_files

CHECKOUT = Path(__file__).resolve().parent.parent
PACKAGED = CHECKOUT / "dataset" / DATASET_NAME
EXPECTED = Path(__file__).parent / "data" / "queries"


def test_packaged_dataset_equals_a_fresh_build(built: BuiltDataset) -> None:
    """Fails after any change to the evidence or ontology until tools/package_dataset.py is run."""
    assert gzip.decompress(PACKAGED.read_bytes()).decode("utf-8") == serialize_nquads(built.dataset)
    manifest = json.loads((PACKAGED.parent / MANIFEST_NAME).read_text(encoding="utf-8"))
    digest, files = inputs_digest([*evidence_files(), *ontology_files()])
    assert (manifest["inputs_sha256"], manifest["files"]) == (digest, list(files))
    quads = serialize_nquads(built.dataset).count("\n")
    assert (manifest["quads"], manifest["results"]) == (quads, len(built.evidence.results))


def test_build_prints_the_number_of_quads(built: BuiltDataset, tmp_path: Path) -> None:
    """Not the number of distinct triples: a triple stated in two graphs is two quads."""
    env = dict(os.environ, PYTHONPATH=str(CHECKOUT))
    done = subprocess.run(
        [sys.executable, "-m", "inograph", "build", "-o", str(tmp_path)],
        capture_output=True, text=True, env=env, cwd=CHECKOUT, timeout=300, check=True,
    )  # fmt: skip
    lines = (tmp_path / "inograph.nq").read_text(encoding="utf-8").count("\n")
    assert f"results, {lines} quads in " in done.stdout
    assert lines > len(built.dataset)  # 32 triples are stated in two graphs


@pytest.fixture(scope="module")
def no_texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a machine without the texts: INOGRAPH_SOURCES is an empty folder."""
    env = dict(os.environ)
    env["INOGRAPH_SOURCES"] = str(tmp_path_factory.mktemp("no-sources"))
    env["INOGRAPH_CACHE"] = "off"
    env["PYTHONPATH"] = str(CHECKOUT)
    return env


def _inograph(env: dict[str, str], *args: str, cwd: Path = CHECKOUT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "inograph", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def test_query_answers_without_the_texts(no_texts: dict[str, str]) -> None:
    done = _inograph(no_texts, "query", "remission-rates", "--format", "tsv")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (EXPECTED / "remission-rates.tsv").read_text(encoding="utf-8")


def test_read_commands_work_without_the_texts(
    built: BuiltDataset, no_texts: dict[str, str], tmp_path: Path
) -> None:
    """Each read command gives, without the texts, what it gives on a fresh build with them."""
    with_texts = dict(no_texts)
    with_texts.pop("INOGRAPH_SOURCES")
    for args in (("stats", "--format", "json"), ("links", "--format", "json"), ("queries",)):
        alone = _inograph(no_texts, *args)
        assert alone.returncode == 0, alone.stderr
        assert alone.stdout == _inograph(with_texts, *args).stdout, args
    assert json.loads(_inograph(no_texts, "stats", "--format", "json").stdout)["results"] == len(
        built.evidence.results
    )
    trace = _inograph(no_texts, "trace", "kantarjian2016-t2-crcri-ino")
    assert trace.returncode == 0, trace.stderr
    assert '  quote        "Total\\t88/109\\t80.7 (72.1–87.7)\\t32/109\\t29.4 (21.0–38.8)' in trace.stdout
    assert "sha256 fa7ef893708b622a7b3eea328f76675fd4906490a86566b8dde5604a1b6cf03e" in trace.stdout
    assert "  in context   (needs the source texts: give --sources DIR)" in trace.stdout
    for env, name in ((no_texts, "alone.csv"), (with_texts, "built.csv")):
        export = _inograph(env, "export", "csv", "-o", str(tmp_path / name))
        assert export.returncode == 0, export.stderr
        assert export.stdout.startswith(f"exported {len(built.evidence.results)} result rows")
    assert (tmp_path / "alone.csv").read_bytes() == (tmp_path / "built.csv").read_bytes()


def test_validate_works_without_the_texts(no_texts: dict[str, str]) -> None:
    done = _inograph(no_texts, "validate", "--no-reasoner")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "conforms"


def test_changed_evidence_without_texts_is_refused(no_texts: dict[str, str], tmp_path: Path) -> None:
    """A curator's edit cannot be answered from the packaged graph: one clear error, exit 2."""
    copy = tmp_path / "checkout"
    for name in ("evidence", "ontology", "shapes", "queries", "dataset"):
        shutil.copytree(CHECKOUT / name, copy / name)
    shutil.copy(CHECKOUT / "pyproject.toml", copy / "pyproject.toml")
    edited = copy / "evidence" / "kantarjian2016.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    done = _inograph(no_texts, "query", "publications", cwd=copy)
    assert done.returncode == 2
    assert done.stderr.startswith("inograph: error: ")
    assert "the evidence or ontology changed since this dataset was packaged" in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_the_wheel_alone_answers(tmp_path: Path) -> None:
    """`pip wheel` + a fresh venv: the installed wheel answers with no checkout and no texts.

    The venv sees the system's site-packages for the dependencies (rdflib, pyoxigraph, …) and
    gets inograph itself only from the wheel (``--no-deps``), run from an empty folder.
    """
    wheels = tmp_path / "wheels"
    made = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(CHECKOUT), "--no-deps", "-q", "-w", str(wheels)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if made.returncode != 0:
        pytest.skip(f"pip wheel could not build the wheel here (no package index?): {made.stderr[-300:]}")
    (wheel,) = wheels.glob("inograph-*.whl")
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=300
    )
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", str(wheel)]
    subprocess.run(pip, check=True, capture_output=True, timeout=300)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(INOGRAPH_SOURCES=str(tmp_path / "no-sources"), INOGRAPH_CACHE="off")
    (tmp_path / "no-sources").mkdir()
    done = subprocess.run(
        [str(venv / "bin" / "inograph"), "query", "remission-rates", "--format", "tsv"],
        capture_output=True, text=True, env=env, cwd=elsewhere, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == (EXPECTED / "remission-rates.tsv").read_text(encoding="utf-8")
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import inograph.packaged as p; print(p.packaged_path())"],
        capture_output=True, text=True, env=env, cwd=elsewhere, timeout=60, check=True,
    )  # fmt: skip
    assert where.stdout.strip() == str(
        venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
        / "inograph" / "_data" / "dataset" / DATASET_NAME
    )  # fmt: skip
