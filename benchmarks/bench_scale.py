"""Scale benchmark: the real graph replicated to about 10 k, 100 k and 1 M quads, project vs rdflib.

Sizes: 10 k is the ontology and one publication's graph (morley2016), 100 k the whole built
graph, 1 M the ontology and ten copies of the instance data.  Copy k renames every IRI under
``https://w3id.org/inograph/id/`` to ``https://w3id.org/inograph/id/c<k>/...``: the copy tag
comes right after the namespace, so a copy's IRIs still have the shape that the shapes and
queries expect (``.../id/c7/result/x`` is a result IRI like ``.../id/result/x``); copy 0 keeps
the original IRIs, so the queries' default parameters still name something.

For each size, side by side, in one run:

- **load**: the N-Quads file into the project's store (pyoxigraph, the way inograph loads a
  build-cache entry, and the way it loads a ``--dataset FILE``) and into rdflib's memory store;
- **queries**: every library query (``queries/*.rq``, default parameters) on the project path
  (:func:`inograph.queries.query`) and on rdflib's own SPARQL engine, each rdflib query in a
  forked process given up after ``--rdflib-timeout`` seconds (reported as a time-out; a query
  that timed out at one size is not run at the next);
- **SHACL**: the project's validation entry point
  (:func:`inograph.validation.validate_dataset`, ``reasoner=False``, i.e. ``inograph validate
  --no-reasoner``) and, with ``--shacl-reference``, pySHACL run directly as the reference
  engine; both given up after ``--shacl-timeout`` seconds;
- **growth**: time ratio between sizes next to the data ratio (linear scaling: equal ratios).

Every phase runs in a child process, so peak memory is that process's ``ru_maxrss`` (pyoxigraph
allocates in Rust, out of Python's sight); "+MB" is the peak minus the process's size before
the phase began (imports and, for queries, the loaded store).  The machine is shared and noisy:
read the ratios (rdflib ÷ project, growth), which are measured in the same run.

    python benchmarks/bench_scale.py            # 10 k, 100 k, 1 M (under 15 minutes on 2 cores)
    python benchmarks/bench_scale.py --quick    # 10 k and 100 k only
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["copy_iri", "main", "replicate_nquads"]

DATA_NS = "https://w3id.org/inograph/id/"
ONTOLOGY_GRAPH = b"<https://w3id.org/inograph/graph/ontology> .\n"
SMALL_PUBLICATION = b"<https://w3id.org/inograph/graph/morley2016> .\n"
#: parameters for library queries that need one (as benchmarks/bench_queries.py)
REQUIRED: Mapping[str, Mapping[str, str]] = {"result-provenance": {"result": "kantarjian2016-abs-crcri-ino"}}


def copy_iri(iri: str, copy: int) -> str:
    """The IRI of a node in copy ``copy``: the tag goes right after the namespace.

    >>> copy_iri("https://w3id.org/inograph/id/result/x", 7)
    'https://w3id.org/inograph/id/c7/result/x'
    >>> copy_iri("https://w3id.org/inograph/ontology#Result", 7)
    'https://w3id.org/inograph/ontology#Result'
    """
    if copy and iri.startswith(DATA_NS):
        return f"{DATA_NS}c{copy}/{iri[len(DATA_NS) :]}"
    return iri


def replicate_nquads(nquads: bytes, copies: int) -> bytes:
    """The ontology once and ``copies`` disjoint copies of everything else, as N-Quads.

    Works on the serialisation (pyoxigraph's N-Quads: one quad a line, IRIs in ``<>``), so a
    million quads take a second, not a minute of per-triple Python.
    """
    lines = nquads.splitlines(keepends=True)
    ontology = b"".join(line for line in lines if line.endswith(ONTOLOGY_GRAPH))
    instances = b"".join(line for line in lines if not line.endswith(ONTOLOGY_GRAPH))
    iri = b"<" + DATA_NS.encode()
    parts = [ontology, instances]
    parts += [instances.replace(iri, b"<" + copy_iri(DATA_NS, k).encode()) for k in range(1, copies)]
    return b"".join(parts)


def small_slice(nquads: bytes) -> bytes:
    """About 10 k quads: the ontology and one publication's graph, whole."""
    keep = (ONTOLOGY_GRAPH, SMALL_PUBLICATION)
    return b"".join(line for line in nquads.splitlines(keepends=True) if line.endswith(keep))


# --------------------------------------------------------------------------------------------
# child processes: one phase each, answering with one JSON document


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _current_mb() -> float:
    with Path("/proc/self/statm").open() as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _median_seconds(run: Callable[[], object], repeat: int) -> tuple[float, Any]:
    times, answer = [], None
    for _ in range(repeat):
        answer = None  # the previous answer (a whole store) must not count in this run's memory
        started = time.perf_counter()
        answer = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), answer


def _library() -> list[tuple[str, str, dict[str, Any]]]:
    """(name, text, parameters as RDF terms) for every library query."""
    from inograph.queries import bind_parameters, list_queries

    return [
        (saved.name, saved.text, bind_parameters(saved, REQUIRED.get(saved.name, {})))
        for saved in list_queries()
    ]


def child_project(path: Path, repeat: int) -> dict[str, Any]:
    """Load the file the project's ways, then run the library on it."""
    from inograph.build import BuiltDataset
    from inograph.errors import QueryError
    from inograph.evidence import Evidence
    from inograph.published import load_dataset
    from inograph.queries import query
    from inograph.store import oxigraph_store

    library = _library()
    before = _current_mb()
    trusted, _ = _median_seconds(lambda: load_dataset(path, trusted=True), repeat)
    checked, dataset = _median_seconds(lambda: load_dataset(path), repeat)
    load_peak = _peak_mb()
    built = BuiltDataset(dataset, Evidence(curations=()), {}, {}, checked)
    queries: dict[str, dict[str, Any]] = {}
    for name, _text, _bindings in library:
        params = REQUIRED.get(name, {})
        try:
            query(name, built=built, **params)
        except QueryError as exc:  # a default id that a slice of the graph does not hold
            queries[name] = {"status": "n/a", "message": str(exc)}
            continue

        def run(name: str = name, params: Mapping[str, str] = params) -> Any:
            return query(name, built=built, **params)

        seconds, rows = _median_seconds(run, repeat)
        queries[name] = {"seconds": seconds, "rows": len(rows)}
    return {
        "quads": len(oxigraph_store(dataset)),
        "load_trusted": trusted,
        "load_checked": checked,
        "load_peak_mb": load_peak,
        "load_delta_mb": load_peak - before,
        "queries": queries,
        "peak_mb": _peak_mb(),
    }


def child_rdflib(path: Path, timeout: float, skip: Sequence[str]) -> dict[str, Any]:
    """Load the file into rdflib's memory store, then run each query in a forked process."""
    import multiprocessing

    from rdflib import Dataset

    library = _library()
    before = _current_mb()
    started = time.perf_counter()
    dataset = Dataset(store="Memory", default_union=True)
    dataset.parse(path, format="nquads")
    load = time.perf_counter() - started
    load_peak = _peak_mb()
    context = multiprocessing.get_context("fork")
    queries: dict[str, dict[str, Any]] = {}
    for name, text, bindings in library:
        if name in skip:
            queries[name] = {"status": "skipped"}
            continue
        receiver, sender = context.Pipe(duplex=False)

        def run(text: str = text, bindings: dict[str, Any] = bindings, sender: Any = sender) -> None:
            began = time.perf_counter()
            # rows as iterating gives them: len() of an rdflib result also counts the empty
            # solution rdflib makes for a GROUP BY over no solutions (RDFLib/rdflib#3382), which
            # marked hazard-ratios, phase2-weekly-vs-single and serious-adverse-events ≠ at 10 k
            rows = sum(1 for _ in dataset.query(text, initBindings=bindings))
            sender.send((time.perf_counter() - began, rows))

        worker = context.Process(target=run, daemon=True)
        worker.start()
        sender.close()
        if receiver.poll(timeout):
            seconds, rows = receiver.recv()
            queries[name] = {"seconds": seconds, "rows": rows}
        else:
            queries[name] = {"status": "timeout"}
        worker.kill()
        worker.join()
        receiver.close()
    return {
        "quads": len(dataset),
        "load": load,
        "load_peak_mb": load_peak,
        "load_delta_mb": load_peak - before,
        "queries": queries,
    }


def child_shacl(path: Path, engine: str) -> dict[str, Any]:
    """SHACL on the file: the project's validation entry point, or pySHACL as the reference."""
    from inograph.published import load_dataset

    dataset = load_dataset(path, trusted=True)
    before = _current_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    if engine == "project":
        from inograph.validation import validate_dataset

        violations = len(validate_dataset(dataset, reasoner=False).violations)
    else:
        import pyshacl
        from rdflib import RDF, SH, Graph

        from inograph.store import plain_literal
        from inograph.validation import load_shapes

        union = Graph()
        for s, p, o, _g in dataset.quads((None, None, None, None)):
            union.add((s, p, plain_literal(o)))
        _conforms, report, _text = pyshacl.validate(
            union, shacl_graph=load_shapes(), inference="none", advanced=True, allow_warnings=True
        )
        violations = sum(1 for _ in report.subjects(RDF.type, SH.ValidationResult))
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    peak = _peak_mb()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,  # all threads: what other jobs on the machine do not inflate as much
        "violations": violations,
        "peak_mb": peak,
        "delta_mb": peak - before,
    }


def child_main(args: argparse.Namespace) -> None:
    path = Path(args.file)
    answer: Any
    if args.child == "prepare":
        answer = [vars(size) | {"path": str(size.path)} for size in prepare_sizes(path, args.quick)]
    elif args.child == "project":
        answer = child_project(path, args.repeat)
    elif args.child == "rdflib":
        answer = child_rdflib(path, args.rdflib_timeout, args.skip)
    else:
        answer = child_shacl(path, args.child.removeprefix("shacl-"))
    Path(args.out).write_text(json.dumps(answer), encoding="utf-8")


# --------------------------------------------------------------------------------------------
# the parent: sizes, phases, report


@dataclass(frozen=True)
class Outcome:
    """One child's answer, or why there is none (timeout, crash), with its peak memory."""

    answer: Any
    status: str
    seconds: float
    peak_mb: float


def run_child(argv: Sequence[str], timeout: float | None) -> Outcome:
    """Run this script as a child phase; its rusage comes from wait4, even when it is killed."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        out_path = Path(out.name)
    command = [sys.executable, __file__, *argv, "--out", str(out_path)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
    status = "ok"
    while True:
        pid, code, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if timeout is not None and time.perf_counter() - started > timeout:
            os.killpg(process.pid, signal.SIGKILL)
            pid, code, usage = os.wait4(process.pid, 0)
            status = "timeout"
            break
        time.sleep(0.05)
    process.returncode = os.waitstatus_to_exitcode(code)  # reaped here, not by Popen
    seconds = time.perf_counter() - started
    answer = None
    if status == "ok":
        if process.returncode != 0:
            status = f"failed (exit {process.returncode})"
        else:
            answer = json.loads(out_path.read_text(encoding="utf-8"))
    out_path.unlink(missing_ok=True)
    return Outcome(answer, status, seconds, usage.ru_maxrss / 1024)


@dataclass(frozen=True)
class Size:
    label: str
    path: Path
    quads: int


def prepare_sizes(directory: Path, quick: bool) -> list[Size]:
    """The built graph (the project API, as ``inograph build`` makes it) and its replicas."""
    from inograph.build import serialize_nquads
    from inograph.queries import default_built

    nquads = serialize_nquads(default_built().dataset).encode("utf-8")
    contents = [("10 k", small_slice(nquads)), ("100 k", nquads)]
    if not quick:
        contents.append(("1 M", replicate_nquads(nquads, 10)))
    sizes = []
    for label, data in contents:
        path = directory / f"inograph-{label.replace(' ', '')}.nq"
        path.write_bytes(data)
        sizes.append(Size(label, path, data.count(b"\n")))
    return sizes


@contextmanager
def progress_bar(total: int) -> Iterator[Callable[[str], None]]:
    """A rich progress bar on stderr when it is a terminal; ``step(description)`` advances it."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
        transient=True,
    ) as progress:
        task = progress.add_task("preparing", total=total)
        first = True

        def step(description: str) -> None:
            nonlocal first
            if not first:
                progress.advance(task)
            first = False
            progress.update(task, description=description)

        yield step
        progress.advance(task)


def _s(seconds: float | None, digits: int = 2) -> str:
    return "—" if seconds is None else f"{seconds:.{digits}f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "—" if a is None or b is None or b <= 0 else f"{a / b:.1f}×"


def _query_cell(entry: dict[str, Any] | None, cap: float) -> tuple[str, float | None]:
    if entry is None:
        return "—", None
    if "seconds" in entry:
        return f"{entry['seconds'] * 1000:.1f}", entry["seconds"]
    if entry["status"] == "timeout":
        return f">{cap:g}s", None
    if entry["status"] == "n/a":
        return "n/a", None
    return "skip", None


def report(
    sizes: Sequence[Size],
    results: Mapping[str, Mapping[str, Outcome]],
    args: argparse.Namespace,
    total_seconds: float,
) -> str:
    lines: list[str] = []
    out = lines.append
    from importlib.metadata import version

    out(
        f"inograph scale benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, pyoxigraph {version('pyoxigraph')}, "
        f"rdflib {version('rdflib')}, pySHACL {version('pyshacl')}"
    )
    out("sizes: " + "; ".join(f"{s.label} = {s.quads:,} quads" for s in sizes))
    out("")

    # load
    out(f"LOAD an N-Quads file (project = pyoxigraph, median of {args.repeat}; rdflib = memory store, once)")
    header: tuple[str, ...] = (
        "size",
        "cache hit s",
        "--dataset s",
        "rdflib s",
        "rdflib÷hit",
        "rdflib÷file",
        "MB project",
        "MB rdflib",
    )
    widths: tuple[int, ...] = (6, 12, 12, 9, 11, 12, 11, 10)
    out("  ".join(f"{h:>{w}}" for h, w in zip(header, widths, strict=True)))
    for size in sizes:
        project = results[size.label]["project"].answer or {}
        rdf = results[size.label]["rdflib"].answer or {}
        cells: tuple[str, ...] = (
            size.label,
            _s(project.get("load_trusted")),
            _s(project.get("load_checked")),
            _s(rdf.get("load")),
            _ratio(rdf.get("load"), project.get("load_trusted")),
            _ratio(rdf.get("load"), project.get("load_checked")),
            f"+{project['load_delta_mb']:.0f}" if project else "—",
            f"+{rdf['load_delta_mb']:.0f}" if rdf else "—",
        )
        out("  ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True)))
    out("")

    # queries
    cap = args.rdflib_timeout
    out(
        f"QUERIES, ms (project = inograph.queries.query, median of {args.repeat} after a warm-up; "
        f"rdflib = its SPARQL engine, once, given up after {cap:g} s; skip = timed out at a smaller size)"
    )
    names = sorted(
        {n for size in sizes for n in (results[size.label]["project"].answer or {}).get("queries", {})}
    )
    head = f"{'query':36}" + "".join(f"  {s.label + ' project':>13} {'rdflib':>8} {'×':>7}" for s in sizes)
    out(head)
    totals: dict[str, list[float]] = {s.label: [0.0, 0.0] for s in sizes}
    complete: dict[str, bool] = {s.label: True for s in sizes}
    for name in names:
        row = f"{name:36}"
        for size in sizes:
            project = (results[size.label]["project"].answer or {}).get("queries", {}).get(name)
            rdf = (results[size.label]["rdflib"].answer or {}).get("queries", {}).get(name)
            p_text, p_sec = _query_cell(project, cap)
            r_text, r_sec = _query_cell(rdf, cap)
            if p_sec is not None:
                totals[size.label][0] += p_sec
            if r_sec is not None:
                totals[size.label][1] += r_sec
            else:
                complete[size.label] = False
            mark = ""
            if project and rdf and "rows" in project and "rows" in rdf and project["rows"] != rdf["rows"]:
                mark = "≠"  # rdflib answered a different number of rows
            row += f"  {p_text:>13} {r_text + mark:>8} {_ratio(r_sec, p_sec):>7}"
        out(row)
    row = f"{'whole library':36}"
    for size in sizes:
        project_total, rdf_total = totals[size.label]
        rdf_text = f"{rdf_total * 1000:.0f}" if complete[size.label] else f">{rdf_total * 1000:.0f}"
        ratio = _ratio(rdf_total, project_total)
        ratio = ratio if complete[size.label] else ">" + ratio
        row += f"  {project_total * 1000:>13.1f} {rdf_text:>8} {ratio:>7}"
    out(row)
    rows_line = f"{'rows (project)':36}"
    for size in sizes:
        answered = (results[size.label]["project"].answer or {}).get("queries", {})
        rows = sum(q.get("rows", 0) for q in answered.values())
        rows_line += f"  {rows:>13,} {'':>8} {'':>7}"
    out(rows_line)
    out("≠ after an rdflib time: rdflib answered a different number of rows than the project")
    out("")

    # SHACL
    engines = ["project", *(["reference"] if args.shacl_reference else [])]
    out(
        "SHACL (project = inograph.validation.validate_dataset(reasoner=False); reference = pySHACL "
        f"directly on an rdflib copy; given up after {args.shacl_timeout:g} s)"
    )
    header = ("size", "engine", "seconds", "CPU s", "violations", "peak MB", "+MB", "+MB per M quads")
    widths = (6, 10, 9, 7, 11, 8, 7, 16)
    out("  ".join(f"{h:>{w}}" for h, w in zip(header, widths, strict=True)))
    for size in sizes:
        for engine in engines:
            outcome = results[size.label][f"shacl-{engine}"]
            shacl = outcome.answer
            if shacl is None:
                cells = (
                    size.label,
                    engine,
                    f">{outcome.seconds:.0f}" if outcome.status == "timeout" else "—",
                    "—",
                    outcome.status,
                    f"{outcome.peak_mb:.0f}",
                    "—",
                    "—",
                )
            else:
                cells = (
                    size.label,
                    engine,
                    _s(shacl["seconds"]),
                    _s(shacl.get("cpu_seconds")),  # not in --json files of older runs
                    str(shacl["violations"]),
                    f"{shacl['peak_mb']:.0f}",
                    f"{shacl['delta_mb']:.0f}",
                    # fixed costs dominate a small graph: per million only from half a million up
                    f"{shacl['delta_mb'] / (size.quads / 1e6):.0f}" if size.quads >= 500_000 else "—",
                )
            out("  ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True)))
    out("")

    # growth
    out("GROWTH between sizes: time ratio for the data ratio (linear scaling: time× ≈ data×)")
    metrics: list[tuple[str, Callable[[str], float | None]]] = [
        ("load, cache hit", lambda s: (results[s]["project"].answer or {}).get("load_trusted")),
        ("load, --dataset", lambda s: (results[s]["project"].answer or {}).get("load_checked")),
        ("load, rdflib", lambda s: (results[s]["rdflib"].answer or {}).get("load")),
        ("load memory, project", lambda s: (results[s]["project"].answer or {}).get("load_delta_mb")),
        ("load memory, rdflib", lambda s: (results[s]["rdflib"].answer or {}).get("load_delta_mb")),
        ("library, project", lambda s: totals[s][0]),
        ("library, rdflib", lambda s: totals[s][1] if complete[s] else None),
    ]
    for engine in engines:

        def shacl_seconds(label: str, engine: str = engine) -> float | None:
            return (results[label][f"shacl-{engine}"].answer or {}).get("seconds")

        def shacl_cpu(label: str, engine: str = engine) -> float | None:
            return (results[label][f"shacl-{engine}"].answer or {}).get("cpu_seconds")

        metrics.append((f"SHACL, {engine}", shacl_seconds))
        metrics.append((f"SHACL, {engine}, CPU", shacl_cpu))
    pairs = list(itertools.pairwise(sizes))
    out(f"{'':24}" + "".join(f"  {a.label + ' → ' + b.label:>16}" for a, b in pairs))
    out(f"{'data':24}" + "".join(f"  {b.quads / a.quads:>15.1f}×" for a, b in pairs))
    for label, value in metrics:
        growth = [_ratio(value(b.label), value(a.label)) for a, b in pairs]
        out(f"{label:24}" + "".join(f"  {c:>16}" for c in growth))
    out("")
    out(f"whole run: {total_seconds:.0f} s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 k and 100 k only")
    parser.add_argument("--repeat", type=int, default=3, help="runs per project measurement (median)")
    parser.add_argument("--rdflib-timeout", type=float, default=5.0, help="seconds per rdflib query")
    parser.add_argument("--shacl-timeout", type=float, default=300.0, help="seconds per SHACL run")
    parser.add_argument(
        "--shacl-reference", action="store_true", help="also run pySHACL directly (the reference engine)"
    )
    parser.add_argument("--json", type=Path, help="also write the raw measurements to this file")
    parser.add_argument("--replay", type=Path, help="print the report of a --json file, measure nothing")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--skip", nargs="*", default=[], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args)
        return

    results: dict[str, dict[str, Outcome]] = {}
    if args.replay:
        saved = json.loads(args.replay.read_text(encoding="utf-8"))
        vars(args).update(saved["options"])
        sizes = [Size(s["label"], Path(s["path"]), s["quads"]) for s in saved["sizes"]]
        results = {
            label: {phase: Outcome(**outcome) for phase, outcome in phases.items()}
            for label, phases in saved["results"].items()
        }
        print(report(sizes, results, args, saved["seconds"]))
        return
    started = time.perf_counter()
    engines = ["project", *(["reference"] if args.shacl_reference else [])]
    with tempfile.TemporaryDirectory(prefix="inograph-scale-") as tmp:
        phases_per_size = 2 + len(engines)
        sizes_count = 2 if args.quick else 3
        with progress_bar(1 + sizes_count * phases_per_size) as step:
            step("building the graph and its replicas")
            # in a child too: a child's ru_maxrss starts at its parent's size, so the parent stays small
            prepared = run_child(
                ["--child", "prepare", "--file", tmp, *(["--quick"] if args.quick else [])], None
            )
            if prepared.answer is None:
                raise SystemExit(f"bench_scale: preparing the graph {prepared.status}")
            sizes = [Size(s["label"], Path(s["path"]), s["quads"]) for s in prepared.answer]
            timed_out: list[str] = []
            common = ["--repeat", str(args.repeat), "--rdflib-timeout", str(args.rdflib_timeout)]
            for size in sizes:
                phase: dict[str, Outcome] = {}
                step(f"{size.label}: load and queries, project")
                phase["project"] = run_child(["--child", "project", "--file", str(size.path), *common], None)
                step(f"{size.label}: load and queries, rdflib")
                phase["rdflib"] = run_child(
                    ["--child", "rdflib", "--file", str(size.path), *common, "--skip", *timed_out], None
                )
                rdf_queries = (phase["rdflib"].answer or {}).get("queries", {})
                timed_out = sorted(n for n, q in rdf_queries.items() if "seconds" not in q)
                for engine in engines:
                    step(f"{size.label}: SHACL, {engine}")
                    phase[f"shacl-{engine}"] = run_child(
                        ["--child", f"shacl-{engine}", "--file", str(size.path)], args.shacl_timeout
                    )
                results[size.label] = phase
    seconds = time.perf_counter() - started
    if args.json:
        options = ("quick", "repeat", "rdflib_timeout", "shacl_timeout", "shacl_reference")
        document = {
            "options": {name: getattr(args, name) for name in options},
            "sizes": [{"label": s.label, "path": str(s.path), "quads": s.quads} for s in sizes],
            "results": {label: {k: vars(v) for k, v in phases.items()} for label, phases in results.items()},
            "seconds": seconds,
        }
        args.json.write_text(json.dumps(document, indent=1), encoding="utf-8")
    print(report(sizes, results, args, seconds))


if __name__ == "__main__":
    main()
