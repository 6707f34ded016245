"""A sweep of hostile inputs through the real CLI, as a careless or malicious user would try them.

Each case runs ``python -m inograph …`` in a scratch folder and is judged by what a user sees:

- clean error: exit 2 and exactly one stderr line ``inograph: error: …`` (or a documented
  warning line before it), no traceback;
- correct result: exit 0 (or 1 where violations are the right answer) and the expected output;
- traceback, wrong exit code, corrupted output (an earlier file changed or torn, a device
  replaced), hang (no answer within the case's time limit): the four that must stay at zero.

Run it from a checkout with the source texts beside it::

    python tools/hostile_sweep.py            # prints one line per case, then the counts
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini"
MINI_YAML = (MINI / "evidence" / "mini2020.yaml").read_text(encoding="utf-8")
XSD = b"http://www.w3.org/2001/XMLSchema#"
CARTESIAN = "SELECT (COUNT(*) AS ?c) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }\n"


@dataclass
class Case:
    name: str
    args: list[str]
    expect: str  # "error", "ok", "violations"
    files: dict[str, bytes] = field(default_factory=dict)
    prepare: Callable[[Path], None] | None = None
    guarded: list[str] = field(default_factory=list)  # files that must not change
    env: dict[str, str] = field(default_factory=dict)
    timeout: float = 120


def _mini_with(old: str, new: str) -> bytes:
    assert old in MINI_YAML, old
    return MINI_YAML.replace(old, new, 1).encode("utf-8")


def _evidence_case(name: str, content: bytes, expect: str = "error") -> Case:
    return Case(
        f"evidence/{name}",
        ["check-evidence", "mini2020.yaml", "--sources", str(MINI / "sources")],
        expect,
        files={"mini2020.yaml": content},
    )


def _build_case(name: str, content: bytes) -> Case:
    return Case(
        f"build/{name}",
        ["build", "-o", "out", "--evidence", "mini2020.yaml", "--sources", str(MINI / "sources")],
        "error",
        files={"mini2020.yaml": content, "out/inograph.trig": b"old trig\n", "out/inograph.nq": b"old nq\n"},
        guarded=["out/inograph.trig", "out/inograph.nq"],
    )


def cases() -> list[Case]:
    broken_yaml: dict[str, bytes] = {
        "nan-value": _mini_with("value: 100", "value: .nan"),
        "inf-value": _mini_with("value: 100", "value: .inf"),
        "nan-ci": _mini_with("ci: [71.0, 87.0]", "ci: [.nan, 87.0]"),
        "one-ci-bound": _mini_with("ci: [71.0, 87.0]", "ci: [71.0]"),
        "text-value": _mini_with("value: 100", "value: many"),
        "february-30": _mini_with("date: 2014-10-02", "date: 2014-02-30"),
        "month-13": _mini_with("date: 2014-10-02", "date: 2014-13-02"),
        "nul-byte": MINI_YAML.replace("value: 100", "value: 1\x0000", 1).encode("utf-8"),
        "complex-key": _mini_with("results:", "? [a, b]\n: 1\nresults:"),
        "billion-laughs": (
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n" + MINI_YAML
        ).encode("utf-8"),
        "id-with-spaces": _mini_with("- id: mini2020-cr-x", "- id: mini2020 cr x"),
        "id-with-slash": _mini_with("- id: mini2020-cr-x", "- id: mini2020/cr/x"),
        "unknown-grade": _mini_with("- id: mini2020-cr-x", "- id: mini2020-cr-x\n    grade: severe"),
        "unknown-measure": _mini_with("measure: percentage", "measure: percentile"),
        "unknown-field": _mini_with("- id: mini2020-cr-x", "- id: mini2020-cr-x\n    valeu: 3"),
        "duplicate-key": _mini_with("    value: 80.0\n", "    value: 80.0\n    value: 81.0\n"),
        "duplicate-id": _mini_with("- id: mini2020-cr-soc", "- id: mini2020-cr-x"),
        "python-tag": _mini_with("value: 100", "value: !!python/object/apply:os.system ['true']"),
        "quote-not-in-source": _mini_with(
            'quote: "80.0% (95% CI, 71.0 to 87.0)"', 'quote: "80.0% (95% CI, 71.0 to 88.0)"'
        ),
        "unknown-endpoint": _mini_with("endpoint: cr\n", "endpoint: crx\n"),
        "tab-indentation": MINI_YAML.replace("  - id: mini2020-cr-x", "\t- id: mini2020-cr-x", 1).encode(),
        "unclosed-bracket": _mini_with("ci: [71.0, 87.0]", "ci: [71.0, 87.0"),
        "empty-file": b"",
        "only-a-comment": b"# nothing here\n",
        "a-list-not-a-mapping": b"- a\n- b\n",
        "latin-1": MINI_YAML.replace("Results", "Résultats", 1).encode("latin-1"),
        "utf-16": MINI_YAML.encode("utf-16"),
        "binary-garbage": bytes(range(256)) * 4,
    }
    arithmetic = {
        "percentage-vs-n-over-N": _mini_with("    n: 80\n", "    n: 70\n"),
        "zero-denominator": _mini_with("    N: 100\n    ci: [71.0", "    N: 0\n    ci: [71.0"),
        "negative-count": _mini_with("    n: 80\n", "    n: -80\n"),
        "numerator-over-denominator": _mini_with("    n: 80\n", "    n: 180\n"),
    }
    found: list[Case] = [_evidence_case(name, content) for name, content in broken_yaml.items()]
    found += [_evidence_case(name, content, "violations") for name, content in arithmetic.items()]
    huge_note = _mini_with("- id: mini2020-cr-x", "- id: mini2020-cr-x\n    note: " + "x" * 2_000_000)
    found.append(_evidence_case("two-megabyte-note", huge_note, "ok"))
    found += [_build_case(name, content) for name, content in list(broken_yaml.items())[:8]]

    rdf = {
        "turtle-syntax.ttl": b"@prefix ex: <http://e/> .\nex:a ex:b \n",
        "ill-typed-integer.ttl": b'<http://e/a> <http://e/p> "abc"^^<' + XSD + b"integer> .\n",
        "impossible-date.ttl": b'<http://e/a> <http://e/p> "2014-02-30"^^<' + XSD + b"date> .\n",
        "remote-context.jsonld": b'{"@context": "http://127.0.0.1:9/c.jsonld", "@id": "http://e/a"}',
        "bad-json.jsonld": b'{"@context": {',
        "latin-1.ttl": '<http://e/a> <http://e/p> "café" .\n'.encode("latin-1"),
        "empty.ttl": b"",
        "unknown-suffix.xyz": b"<a> <b> <c> .",
        "rdfxml-garbage.rdf": b"<rdf:RDF><oops",
        "nquads-garbage.nq": b"<a> <b> .\n",
    }
    for name, content in rdf.items():
        expect = "ok" if name == "empty.ttl" else "error"
        found.append(
            Case(
                f"validate-data/{name}",
                [
                    "validate",
                    "--no-reasoner",
                    "--data",
                    name,
                    "--evidence",
                    str(MINI / "evidence" / "mini2020.yaml"),
                    "--sources",
                    str(MINI / "sources"),
                ],
                expect,
                files={name: content},
            )
        )
    found.append(
        Case("validate-data/missing-file", ["validate", "--no-reasoner", "--data", "nope.ttl"], "error")
    )

    query_files = {
        "syntax.rq": b"SELEC * WHERE { ?s ?p ?o }",
        "latin-1.rq": "# title: café\nSELECT * WHERE { ?s ?p ?o } LIMIT 1\n".encode("latin-1"),
        "service.rq": b"SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "update.rq": b"INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
        "construct.rq": b"CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1",
        "empty.rq": b"",
        "cartesian-rows.rq": b"SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        "binary.rq": bytes(range(256)),
    }
    for name, content in query_files.items():
        found.append(
            Case(
                f"query-file/{name}",
                ["query", "--file", name, "--format", "tsv"],
                "error",
                files={name: content},
            )
        )
    found.append(
        Case(
            "query-file/cartesian-count",
            ["query", "--file", "count.rq"],
            "error",
            files={"count.rq": CARTESIAN.encode()},
            env={"INOGRAPH_QUERY_TIMEOUT": "3"},
            timeout=90,
        )
    )
    found.append(Case("query-file/missing", ["query", "--file", "nope.rq"], "error"))
    params = [
        ["endpoint=nosuch"],
        ["endpoint=<http://e/x>"],
        ["endpoint=os> } #"],
        ["nosuch=1"],
        ["endpoint"],
        ["=os"],
        ["endpoint=" + "x" * 10_000],
    ]
    for index, param in enumerate(params):
        args = ["query", "hazard-ratios", "--format", "tsv"] + [a for p in param for a in ("--param", p)]
        found.append(Case(f"query-param/{index}-{param[0][:20]}", args, "error"))
    usage = [
        ["frobnicate"],
        ["query"],
        ["query", "nosuch"],
        ["query", "remission-rates", "--format", "xml"],
        ["export"],
        ["export", "csv"],
        ["export", "docx", "-o", "x"],
        ["export", "graphml", "-o", "x", "--view", "y"],
        ["trace"],
        ["trace", "no-such-result"],
        ["links", "--kind", "friendship"],
        ["stats", "--format", "yaml"],
        ["coverage", "--publication", "nosuch"],
        ["build", "--no-such-option"],
        ["export", "csv", "-o", "x", "--publication", "p"],
        ["validate", "--data"],
        ["--no-such-global"],
    ]
    found += [Case(f"usage/{' '.join(a)[:40]}", a, "error") for a in usage]

    def make_fifo_reader(folder: Path) -> None:
        os.mkfifo(folder / "pipe")

    outputs = [
        Case("output/to-a-folder", ["export", "csv", "-o", "."], "error"),
        Case("output/over-long-name", ["export", "csv", "-o", "x" * 300 + ".csv"], "error"),
        Case(
            "output/read-only-folder",
            ["export", "csv", "-o", "ro/out.csv"],
            "ok" if os.geteuid() == 0 else "error",  # root writes anyway
            prepare=lambda d: _read_only(d / "ro"),
        ),
        Case("output/full-device", ["export", "csv", "-o", "/dev/full"], "error"),
        Case("output/dev-null", ["export", "csv", "-o", "/dev/null"], "ok"),
        Case("output/symlink", ["export", "csv", "-o", "link.csv"], "ok", prepare=_symlink),
        Case("output/stdout", ["export", "csv", "-o", "-"], "ok"),
        Case("output/forest-to-stdout", ["export", "forest-svg", "-o", "-"], "error"),
        Case(
            "output/failed-export-keeps-old",
            ["export", "graphml", "-o", "old.graphml", "--dataset", "broken.trig"],
            "error",
            files={"old.graphml": b"<old/>", "broken.trig": b"<a> <b> "},
            guarded=["old.graphml"],
        ),
        Case("output/dataset-missing", ["export", "csv", "-o", "x.csv", "--dataset", "nope.nq"], "error"),
        Case(
            "output/dataset-wrong-type",
            ["export", "csv", "-o", "x.csv", "--dataset", "x.txt"],
            "error",
            files={"x.txt": b"hi"},
        ),
    ]
    found += outputs
    return found


def _read_only(folder: Path) -> None:
    folder.mkdir()
    folder.chmod(0o500)


def _symlink(folder: Path) -> None:
    (folder / "real.csv").write_text("old\n")
    (folder / "link.csv").symlink_to(folder / "real.csv")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"


def run(case: Case, scratch: Path) -> tuple[str, str]:
    folder = scratch / case.name.replace("/", "_")
    folder.mkdir()
    for name, content in case.files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    if case.prepare is not None:
        case.prepare(folder)
    before = {name: _digest(folder / name) for name in case.guarded}
    env = {**os.environ, **case.env}
    try:
        process = subprocess.run(
            [sys.executable, "-m", "inograph", *case.args],
            cwd=folder,
            capture_output=True,
            text=True,
            errors="replace",
            env=env,
            timeout=case.timeout,
        )
    except subprocess.TimeoutExpired:
        return "hang", f"no answer in {case.timeout:g} s"
    finally:
        for path in folder.rglob("*"):
            if path.is_dir() and not os.access(path, os.W_OK):
                path.chmod(0o700)
    err_lines = [line for line in process.stderr.splitlines() if line.strip()]
    if "Traceback" in process.stderr:
        return "traceback", err_lines[-1] if err_lines else ""
    if any(_digest(folder / name) != before[name] for name in case.guarded):
        return "corrupted output", "a guarded file changed"
    if case.name == "output/dev-null" and not stat.S_ISCHR(Path("/dev/null").stat().st_mode):
        return "corrupted output", "/dev/null is no longer a device"
    if case.name == "output/symlink" and not (folder / "link.csv").is_symlink():
        return "corrupted output", "the symlink was replaced"
    expected_code = {"error": 2, "ok": 0, "violations": 1}[case.expect]
    if process.returncode != expected_code:
        return (
            "wrong exit code",
            f"exit {process.returncode}, expected {expected_code}: {err_lines[-1:] or ''}",
        )
    if case.expect == "error":
        errors = [line for line in err_lines if not line.startswith("inograph: warning:")]
        if len(errors) != 1 or not errors[0].startswith("inograph: error: "):
            return "unclear error", " | ".join(err_lines)[:200]
        return "clean error", errors[0][:160]
    return "correct result", f"exit {process.returncode}"


def main() -> int:
    outcomes: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(prefix="inograph-sweep-") as scratch:
        all_cases = cases()
        for case in all_cases:
            verdict, detail = run(case, Path(scratch))
            outcomes[verdict] += 1
            print(f"{verdict:16} {case.name:45} {detail}", flush=True)
        shutil.rmtree(scratch, ignore_errors=True)
    print()
    print(f"inputs tried: {len(all_cases)}")
    for verdict in (
        "clean error",
        "correct result",
        "unclear error",
        "traceback",
        "wrong exit code",
        "corrupted output",
        "hang",
    ):
        print(f"{verdict}: {outcomes[verdict]}")
    bad = sum(
        outcomes[v] for v in ("unclear error", "traceback", "wrong exit code", "corrupted output", "hang")
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
