"""The ``inograph`` command line.

Exit codes: 0 success (or the data conforms), 1 validation or verification failures found,
2 an error in the input or the invocation (one line on stderr, no traceback).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeVar

import click

from inograph.completion import complete_param, complete_publication, complete_query_name, complete_result_id
from inograph.errors import InographError

if TYPE_CHECKING:
    from rdflib import Dataset

    from inograph.build import BuiltDataset
    from inograph.evidence import Evidence

__all__ = ["cli", "main"]

F = TypeVar("F", bound=Callable[..., Any])

sources_option = click.option(
    "--sources",
    "sources_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder with the source texts (default: $INOGRAPH_SOURCES or ../shared/sources).",
)
evidence_option = click.option(
    "--evidence",
    "evidence_paths",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="Curation files to use instead of evidence/*.yaml of the checkout (or of the installed copy) "
    "(repeatable).",
)


dataset_file_option = click.option(
    "--dataset",
    "dataset_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A built dataset (.trig or .nq) to read instead of building from the evidence.",
)


#: the limits of one query (inograph/query_limits.py), for ``query`` and ``serve`` alike
query_timeout_option = click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=None,
    metavar="SECONDS",
    help="Stop a query after this long (default 30, or $INOGRAPH_QUERY_TIMEOUT; 0 = no limit).",
)
max_rows_option = click.option(
    "--max-rows",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Refuse answers longer than N rows or triples (default 100000, or $INOGRAPH_MAX_ROWS; 0 = no cap).",
)


endpoint_option = click.option(
    "--endpoint",
    "endpoint_url",
    metavar="URL",
    default=None,
    help="Ask a SPARQL 1.1 endpoint that holds the dataset (e.g. http://127.0.0.1:7878/query) "
    "instead of the local graph; the inograph named graphs it holds form the default graph.",
)


def _graph(
    dataset_file: Path | None,
    sources_dir: Path | None,
    evidence_paths: tuple[Path, ...],
    endpoint_url: str | None = None,
) -> Dataset:
    """The graph a command works on: a published file when ``--dataset`` names one, a copy of
    a store's graphs with ``--endpoint``, else the (cached) build of the evidence."""
    from inograph.packaged import read_built
    from inograph.published import load_dataset

    # --sources may come along: trace reads the quote's context from the texts
    given = [o for o, v in (("--dataset", dataset_file), ("--endpoint", endpoint_url)) if v is not None]
    if len(given) > 1 or (given and evidence_paths):
        raise click.UsageError("give one of --dataset, --endpoint or --evidence")
    if endpoint_url is not None:
        from inograph.remote import Endpoint, fetch_dataset

        dataset: Dataset = fetch_dataset(Endpoint(endpoint_url))
        return dataset
    if dataset_file is not None:
        return load_dataset(dataset_file)
    return read_built(evidence_paths=evidence_paths or None, sources_dir=sources_dir).dataset


def _examples(*lines: str) -> str:
    """An epilog of examples that click prints as written (``\b`` stops its re-wrapping)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def _say_checkout(folder: Path) -> None:
    """One line on stderr, on a terminal only, so pipes and scripts see only the answer."""
    if sys.stderr.isatty():
        import shutil

        line = f"inograph: using the checkout {folder}"
        hint = " (its evidence/, ontology/, shapes/, queries/; --installed: the installed copy)"
        width = shutil.get_terminal_size().columns
        for extra in (hint, " (--installed: the installed copy)", ""):
            if len(line + extra) <= width or not extra:
                click.echo(line + extra, err=True)
                break


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=_examples(
        "inograph query remission-rates              # a table on a terminal, TSV when piped",
        "inograph query hazard-ratios --param endpoint=os --format csv > hr.csv",
        "inograph trace kantarjian2016-t2-crcri-ino  # the sentence behind a number",
        "inograph check-evidence evidence/kantarjian2016.yaml",
        "",
        "Run from a checkout (a folder with evidence/ and pyproject.toml, found from the current",
        "directory upwards), every command reads that checkout's evidence, ontology, shapes and",
        "queries and says so on stderr; elsewhere the installed copy is used.",
        'Shell completion: eval "$(_INOGRAPH_COMPLETE=bash_source inograph)" (zsh: zsh_source).',
    ),
)
@click.version_option(package_name="inograph")
@click.option(
    "--checkout",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Read evidence, ontology, shapes and queries from this checkout "
    "(default: the checkout holding the current directory, if any).",
)
@click.option("--installed", is_flag=True, help="Use the installed copy even inside a checkout.")
@click.option("--no-pager", is_flag=True, help="Never page long answers (default: like git, on a terminal).")
@click.pass_context
def cli(ctx: click.Context, checkout: Path | None, installed: bool, no_pager: bool) -> None:
    """inograph: the evidence on inotuzumab ozogamicin in R/R ALL as a queryable knowledge graph."""
    from inograph.resources import choose_checkout, find_checkout, installed_dir, use_checkout

    if checkout is not None and installed:
        raise click.UsageError("give --checkout DIR or --installed, not both")
    folder = choose_checkout(checkout, installed=installed)
    use_checkout(folder, announce=_say_checkout)
    ctx.meta["inograph.no_pager"] = no_pager
    if installed and sys.stderr.isatty() and (here := find_checkout()) is not None:
        copy = installed_dir("evidence").parent
        click.echo(f"inograph: using the installed copy ({copy}), not the checkout {here}", err=True)


@cli.command(epilog=_examples("inograph build", "inograph build -o /tmp/release"))
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Folder for inograph.trig and inograph.nq.",
)
@sources_option
@evidence_option
def build(out_dir: Path, sources_dir: Path | None, evidence_paths: tuple[Path, ...]) -> None:
    """Build the dataset from ontology and curated evidence; write TriG and N-Quads."""
    from inograph.build import build as run_build
    from inograph.progress import progress_display

    with progress_display("inograph build"):
        outputs = run_build(out_dir, evidence_paths=evidence_paths or None, sources_dir=sources_dir)
    click.echo(
        f"built {outputs.results} results, {outputs.quads} quads in {outputs.seconds:.1f} s\n"
        f"  {outputs.trig}\n  {outputs.nquads}"
    )


@cli.command(epilog=_examples("inograph validate", "inograph validate --no-reasoner --data my-additions.ttl"))
@click.option(
    "--data",
    "data_files",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="A curator's own RDF file to validate together with the graph (repeatable).",
)
@click.option("--no-reasoner", is_flag=True, help="Skip the OWL consistency check (HermiT).")
@click.option(
    "--shacl-engine",
    type=click.Choice(["sparql", "pyshacl"]),
    default="sparql",
    show_default=True,
    help="Run the shapes as SPARQL on the Oxigraph store (fast) or with pySHACL (the reference).",
)
@click.option(
    "--allow-remote-context",
    is_flag=True,
    help="Let a JSON-LD --data file fetch its @context from the network (refused by default).",
)
@dataset_file_option
@endpoint_option
@sources_option
@evidence_option
def validate(
    data_files: tuple[Path, ...],
    no_reasoner: bool,
    shacl_engine: str,
    allow_remote_context: bool,
    dataset_file: Path | None,
    endpoint_url: str | None,
    sources_dir: Path | None,
    evidence_paths: tuple[Path, ...],
) -> None:
    """Check the graph against the SHACL shapes and the OWL ontology; exit 1 on violations."""
    from inograph.progress import phase, progress_display
    from inograph.reasoning import java_available
    from inograph.validation import ShaclEngine, validate_dataset

    with progress_display("inograph validate"):
        with phase("loading the graph"):
            dataset = _graph(dataset_file, sources_dir, evidence_paths, endpoint_url)
        report = validate_dataset(
            dataset,
            extra_files=data_files,
            reasoner=not no_reasoner,
            allow_remote_context=allow_remote_context,
            engine=ShaclEngine(shacl_engine),
        )
    for violation in report.violations:
        click.echo(str(violation))
    shacl = sum(v.severity == "Violation" for v in report.violations)
    click.echo(
        f"SHACL: {report.triples} triples, {shacl} violation(s), "
        f"{len(report.violations) - shacl} other result(s) in {report.shacl_seconds:.1f} s"
    )
    if report.reasoner is not None:
        r = report.reasoner
        # a verdict from the cache says so: HermiT judged this exact input before
        where = "; verdict from the cache, same input as an earlier run" if r.cached else ""
        click.echo(f"OWL ({r.reasoner}): {r.message} ({r.axioms} axioms, {r.seconds:.1f} s{where})")
        if r.skipped and report.conforms:
            # half a check is not a pass: say so, and let a script see it
            remedy = (
                "install a Java runtime (e.g. apt-get install default-jre-headless)"
                if not java_available()
                else "check the Java runtime and any JAVA_TOOL_OPTIONS"
            )
            raise InographError(
                f"the OWL check did not run ({r.message}); {remedy} or pass --no-reasoner to validate "
                "with SHACL alone"
            )
    click.echo("conforms" if report.conforms else "does not conform")
    sys.exit(0 if report.conforms else 1)


@cli.command(
    "check-evidence",
    epilog=_examples(
        "inograph check-evidence                                # every file in evidence/",
        "inograph check-evidence evidence/kantarjian2019.yaml   # the file you are editing",
    ),
)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--no-shapes",
    is_flag=True,
    help="Skip the SHACL shapes (arithmetic, vocabularies, cardinalities): a quicker, partial check.",
)
@sources_option
def check_evidence(files: tuple[Path, ...], no_shapes: bool, sources_dir: Path | None) -> None:
    """Check curation files: fields, ids, quotes anchored in their sources, values printed in
    their quotes, and the SHACL shapes (the same ones `validate` runs) on the graph they build."""
    from inograph.build import load_sources
    from inograph.graph_builder import anchor_results
    from inograph.value_check import check_printed_values

    paths, evidence = _evidence_to_check(files)
    sources = load_sources(sources_dir, (c.publication.source_file for c in evidence.curations))
    anchor_results(evidence, sources)
    chosen = {f.name for f in files}
    checked = [r for r in evidence.results.values() if not files or r.origin.file.name in chosen]
    problems = [str(p) for p in check_printed_values(checked)]
    if not no_shapes:
        from inograph.build import build_dataset
        from inograph.validation import validate_dataset

        built = build_dataset(evidence_paths=paths, sources_dir=sources_dir)
        report = validate_dataset(built.dataset, reasoner=False)
        for violation in report.violations:
            file_name = (violation.origin or "").removeprefix("evidence/").split(":", 1)[0]
            if violation.severity == "Violation" and (not files or file_name in chosen):
                problems.append(str(violation))
    for problem in problems:
        click.echo(problem)
    shapes = "" if no_shapes else " (values, quotes and SHACL shapes)"
    click.echo(f"{len(checked)} results checked{shapes}, {len(problems)} problem(s)")
    sys.exit(1 if problems else 0)


@cli.command(
    "check-drift",
    epilog=_examples("inograph check-drift", "inograph check-drift --reviewed my-reviewed.yaml"),
)
@click.option(
    "--reviewed",
    "reviewed_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The reviewed-pairs list (default: the packaged evidence/reviewed/drift.yaml).",
)
@evidence_option
def check_drift(reviewed_file: Path | None, evidence_paths: tuple[Path, ...]) -> None:
    """List results of two reports that may be one quantity curated under two identities."""
    from inograph.drift import find_drift, load_reviewed
    from inograph.evidence import load_evidence
    from inograph.resources import evidence_files, reviewed_drift_file

    evidence = load_evidence(list(evidence_paths) or evidence_files())
    path = reviewed_file if reviewed_file is not None else reviewed_drift_file()
    report = find_drift(evidence, load_reviewed(path))
    for candidate in report.open:
        click.echo(str(candidate))
    for entry in report.stale:
        pair = " ".join(sorted(entry.results))
        click.echo(f"{entry.origin}: reviewed pair {pair} is no longer a candidate")
    click.echo(report.summary())
    sys.exit(0 if report.ok else 1)


def _evidence_to_check(files: tuple[Path, ...]) -> tuple[list[Path], Evidence]:
    """The curation files to check and their evidence, read once: the given files alone when they
    define every id they use (a test file, a new study), else with the other curated files that
    define the shared entities they refer to; all packaged files when none are given."""
    from inograph.evidence import load_curation, load_evidence
    from inograph.resources import evidence_files

    paths = list(files) or evidence_files()
    try:
        return paths, load_evidence(paths)
    except InographError:
        if not files:
            raise
        # ids defined elsewhere: read again with the other curated files
    for other in evidence_files():
        if other.name in {f.name for f in files}:
            continue
        try:
            load_curation(other)
        except InographError as exc:
            click.echo(f"warning: not using {other.name} for shared ids: {exc}", err=True)
        else:
            paths.append(other)
    return paths, load_evidence(paths)


@cli.command(
    "queries",
    epilog=_examples("inograph queries", "inograph query hazard-ratios --param endpoint=pfs"),
)
@click.pass_context
def list_queries_command(ctx: click.Context) -> None:
    """List the SPARQL question library: name, title and parameters (with defaults) of each query."""
    from inograph.queries import list_queries
    from inograph.terminal import detect_terminal, page

    lines: list[str] = []
    for saved in list_queries():
        lines.append(f"{saved.name}\n  {saved.title}")
        for param in saved.parameters:
            default = (
                "required"
                if param.required
                else (f"default: {param.default}" if param.default is not None else "optional")
            )
            lines.append(f"  --param {param.name}=<{param.type.value}> ({default})  {param.description}")
    page("\n".join(lines) + "\n", detect_terminal(), enabled=not ctx.meta.get("inograph.no_pager"))


@cli.command(
    "query",
    epilog=_examples(
        "inograph query remission-rates",
        "inograph query remission-rates --columns publication,population,arm,value,n,N",
        "inograph query endpoint-results --param endpoint=pfs --format json",
        "inograph query --file my-question.rq | sort -t$'\\t' -k2",
    ),
)
@click.argument("name", required=False, shell_complete=complete_query_name)
@click.option(
    "--file",
    "query_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Run your own .rq file instead of a library query.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    shell_complete=complete_param,
    help="A parameter value (repeatable); ids like endpoint=os become IRIs.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json"]),
    default=None,
    help="Default: table on a terminal, tsv when the output is piped or redirected. table shows "
    "labels and short ids and fits the terminal width; csv, tsv and json (SPARQL 1.1 results) "
    "keep full IRIs.",
)
@click.option(
    "--columns",
    metavar="COL,COL,…",
    default=None,
    help="Only these columns, in this order (any format).",
)
@query_timeout_option
@max_rows_option
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let a --file query call other SPARQL servers with SERVICE (refused by default).",
)
@dataset_file_option
@endpoint_option
@sources_option
@evidence_option
@click.pass_context
def query_command(
    ctx: click.Context,
    name: str | None,
    query_file: Path | None,
    params: tuple[str, ...],
    fmt: str | None,
    columns: str | None,
    timeout: float | None,
    max_rows: int | None,
    allow_service: bool,
    dataset_file: Path | None,
    endpoint_url: str | None,
    sources_dir: Path | None,
    evidence_paths: tuple[Path, ...],
) -> None:
    """Ask the graph a question: a library query by NAME, or --file FILE.rq; on the local graph,
    a --dataset file or a remote --endpoint."""
    from inograph.errors import QueryError
    from inograph.queries import (
        ResultFormat,
        format_result,
        get_query,
        parse_query_file,
        run_query,
    )

    if (name is None) == (query_file is None):
        raise QueryError("give either a query NAME or --file FILE.rq ('inograph queries' lists names)")
    saved = parse_query_file(query_file) if query_file is not None else get_query(str(name))
    given: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param {item!r}: write it as KEY=VALUE")
        given[key.strip()] = value
    sources = [o for o, v in (("--dataset", dataset_file), ("--endpoint", endpoint_url)) if v is not None]
    if len(sources) > 1 or (sources and (sources_dir is not None or evidence_paths)):
        raise click.UsageError("give one of --dataset, --endpoint, or --sources/--evidence (a build)")
    from inograph.query_limits import QueryLimits

    limits = QueryLimits.from_environment(timeout=timeout, max_rows=max_rows, allow_service=allow_service)
    built: BuiltDataset | None = None
    if endpoint_url is not None:
        from inograph.remote import Endpoint, run_remote

        result = run_remote(Endpoint(endpoint_url), saved, given, limits=limits)
    else:
        if dataset_file is not None:
            from inograph.published import load_built

            built = load_built(dataset_file)
        elif sources_dir is None and not evidence_paths:
            from inograph.packaged import read_built

            built = read_built(read_only=True)  # a query changes nothing: the on-disk copy will do
        else:
            from inograph.build import build_dataset

            built = build_dataset(
                evidence_paths=evidence_paths or None, sources_dir=sources_dir, read_only=True
            )
        result = run_query(saved, given, built=built, limits=limits)
    if columns is not None:
        from inograph.terminal import select_columns

        result = select_columns(result, [c.strip() for c in columns.split(",") if c.strip()])
    from inograph.terminal import detect_terminal, fetch_labels, page, render_table

    terminal = detect_terminal()
    default = ResultFormat.TABLE if terminal.is_tty else ResultFormat.TSV
    chosen = ResultFormat(fmt) if fmt is not None else default
    if chosen is not ResultFormat.TABLE:
        click.echo(format_result(result, chosen), nl=False)
        return
    from inograph.result_terms import TermKind

    iris = [c.text for row in result for c in row.cells if c is not None and c.kind is TermKind.IRI]
    labels = fetch_labels(built, iris) if built is not None else {}
    text = render_table(result, width=terminal.width, color=terminal.color, labels=labels, keep=saved.narrow)
    page(text, terminal, enabled=not ctx.meta.get("inograph.no_pager"))


@cli.command(epilog=_examples("inograph links --kind conflict", "inograph links --format json > links.json"))
@click.option(
    "--kind",
    "kinds",
    type=click.Choice(
        [
            "conflict",
            "within_source_conflict",
            "undecided",
            "different_definition",
            "different_population",
            "updated",
            "agrees",
        ]
    ),
    multiple=True,
    help="Only pairs of this classification (repeatable); all when left out.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A readable table, or JSON {clusters: [{members, pairs}]}.",
)
@dataset_file_option
@endpoint_option
@sources_option
@evidence_option
def links(
    kinds: tuple[str, ...],
    fmt: str,
    dataset_file: Path | None,
    endpoint_url: str | None,
    sources_dir: Path | None,
    evidence_paths: tuple[Path, ...],
) -> None:
    """Report results that measure the same quantity, conflicts first, each pair classified."""
    from inograph.links import Classification, find_links, render_json, render_table

    report = find_links(_graph(dataset_file, sources_dir, evidence_paths, endpoint_url))
    if kinds:
        report = report.only(Classification(kind) for kind in kinds)
    click.echo(render_json(report) if fmt == "json" else render_table(report))


@cli.command(
    epilog=_examples(
        "inograph trace kantarjian2016-t2-crcri-ino",
        "inograph trace kantarjian2019-os-hr --format turtle",
    )
)
@click.argument("ident", metavar="ID|IRI", shell_complete=complete_result_id)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="A readable view, JSON, or the PROV-O subgraph as Turtle.",
)
@dataset_file_option
@endpoint_option
@sources_option
@evidence_option
def trace(
    ident: str,
    fmt: str,
    dataset_file: Path | None,
    endpoint_url: str | None,
    sources_dir: Path | None,
    evidence_paths: tuple[Path, ...],
) -> None:
    """Trace a result back to the sentence that reports it; --sources adds the quote in context."""
    from inograph.provenance import TraceFormat, format_trace

    dataset = _graph(dataset_file, sources_dir, evidence_paths, endpoint_url)
    text = format_trace(dataset, ident, TraceFormat(fmt), sources_dir=sources_dir)
    click.echo(text, nl=False)


@cli.command(
    "verify-sources",
    epilog=_examples("inograph verify-sources", "inograph verify-sources --sources ~/new-texts"),
)
@dataset_file_option
@sources_option
@evidence_option
def verify_sources(
    dataset_file: Path | None, sources_dir: Path | None, evidence_paths: tuple[Path, ...]
) -> None:
    """Resolve every anchor in the graph against the source texts; exit 1 when any fails.

    Without --dataset the graph is built from the evidence, with the source texts from the
    default location ($INOGRAPH_SOURCES or ../shared/sources), and checked against DIR.
    """
    from inograph.resources import default_sources_dir
    from inograph.source_check import verify_sources as run_verify

    directory = sources_dir if sources_dir is not None else default_sources_dir()
    if directory is None:
        raise click.UsageError("no source texts: pass --sources DIR (or set INOGRAPH_SOURCES)")
    # the graph is built with the texts at the default place, then checked against DIR
    dataset = _graph(dataset_file, None, evidence_paths)
    report = run_verify(dataset, directory)
    for source in report.changed_sources:
        click.echo(str(source))
    for verdict in report.failures:
        click.echo(str(verdict))
    click.echo(report.summary())
    sys.exit(0 if report.ok else 1)


@cli.command(epilog=_examples("inograph stats", "inograph stats --format json"))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@dataset_file_option
@endpoint_option
@sources_option
@evidence_option
def stats(
    fmt: str,
    dataset_file: Path | None,
    endpoint_url: str | None,
    sources_dir: Path | None,
    evidence_paths: tuple[Path, ...],
) -> None:
    """Count results per publication, measure and analysis kind; quotes, citations and shapes."""
    from inograph.stats import graph_stats, render_text
    from inograph.validation import load_shapes

    numbers = graph_stats(_graph(dataset_file, sources_dir, evidence_paths, endpoint_url), load_shapes())
    click.echo(numbers.to_json() if fmt == "json" else render_text(numbers))


_EXPORT_FORMATS = (
    "csv", "turtle", "trig", "nquads", "jsonld", "graphml", "gexf", "cytoscape", "html",
    "forest-png", "forest-svg", "fhir",
)  # fmt: skip


@cli.command(
    "export",
    epilog=_examples(
        "inograph export csv -o evidence.csv",
        "inograph export graphml --view citation -o citations.graphml",
        "inograph export forest-svg -o plots/",
    ),
)
@click.argument("fmt", metavar="FORMAT", type=click.Choice(_EXPORT_FORMATS))
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="The file to write, or - for standard output (a folder for forest-png and forest-svg).",
)
@click.option(
    "--view",
    type=click.Choice(["evidence", "citation", "comparison", "same-quantity"]),
    default="evidence",
    show_default=True,
    help="The network that graphml, gexf and cytoscape export.",
)
@click.option(
    "--publication",
    "publications",
    multiple=True,
    metavar="ID",
    help="fhir only: just the results of this publication (short id; repeatable).",
)
@click.option(
    "--trial",
    "trials",
    multiple=True,
    metavar="ID",
    help="fhir only: just the results about this trial (short id, e.g. inovate; repeatable).",
)
@dataset_file_option
@endpoint_option
@sources_option
@evidence_option
def export_command(
    fmt: str,
    out: Path,
    view: str,
    publications: tuple[str, ...],
    trials: tuple[str, ...],
    dataset_file: Path | None,
    endpoint_url: str | None,
    sources_dir: Path | None,
    evidence_paths: tuple[Path, ...],
) -> None:
    """Export the graph: csv, turtle, trig, nquads, jsonld, graphml, gexf, cytoscape, html,
    forest-png, forest-svg, fhir (an HL7 FHIR R5 Bundle)."""
    from inograph.errors import ExportError
    from inograph.export import ExportFormat, GraphView, export

    if (publications or trials) and fmt != "fhir":
        raise ExportError(f"--publication and --trial apply to the fhir export, not to {fmt}")
    to_stdout = str(out) == "-"
    if to_stdout and fmt.startswith("forest-"):
        raise ExportError(f"{fmt} writes one file per plot: give a folder with -o, not -")
    dataset = _graph(dataset_file, sources_dir, evidence_paths, endpoint_url)
    if to_stdout:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="inograph-export-") as scratch:
            staged = Path(scratch) / f"export.{fmt}"
            summary = export(
                dataset,
                ExportFormat(fmt),
                staged,
                view=GraphView(view),
                publications=publications,
                trials=trials,
            )
            sys.stdout.buffer.write(staged.read_bytes())
            sys.stdout.flush()
        click.echo(
            f"exported {summary.items} {summary.what} in {summary.seconds:.1f} s to standard output", err=True
        )
        return
    summary = export(
        dataset, ExportFormat(fmt), out, view=GraphView(view), publications=publications, trials=trials
    )
    shown = "\n".join(f"  {p}" for p in summary.paths)
    click.echo(f"exported {summary.items} {summary.what} in {summary.seconds:.1f} s\n{shown}")


@cli.command(
    "check-stats",
    epilog=_examples(
        "inograph check-stats",
        "inograph check-stats --publication kantarjian2019 --format csv > findings.csv",
        "inograph check-stats --dataset build/inograph.trig --format json",
    ),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table: counts and every finding that is not consistent; json and csv: every finding.",
)
@click.option("--publication", default=None, help="Only the results of this publication (short id).")
@dataset_file_option
@sources_option
@evidence_option
def check_stats(
    fmt: str,
    publication: str | None,
    dataset_file: Path | None,
    sources_dir: Path | None,
    evidence_paths: tuple[Path, ...],
) -> None:
    """Recompute every number that can be recomputed; exit 1 on an unexplained inconsistency."""
    from inograph.stats_checks.records import read_results
    from inograph.stats_checks.render import ReportFormat, render
    from inograph.stats_checks.run import run_checks

    dataset = _graph(dataset_file, sources_dir, evidence_paths)
    if publication is not None:
        known = sorted({r.publication for r in read_results(dataset)})
        if publication not in known:
            shown = ", ".join(known)
            raise InographError(f"--publication: unknown publication {publication!r} (in the graph: {shown})")
    report = run_checks(dataset, publication=publication)
    click.echo(render(report, ReportFormat(fmt)), nl=False)
    sys.exit(1 if report.unexplained else 0)


@cli.command(
    "coverage",
    epilog=_examples("inograph coverage --summary", "inograph coverage --publication kantarjian2019"),
)
@click.option(
    "--publication",
    "publications",
    multiple=True,
    shell_complete=complete_publication,
    help="Only these publications (short ids).",
)
@click.option("--summary", is_flag=True, help="Only the counts, not the uncovered numbers.")
@sources_option
@evidence_option
def coverage_command(
    publications: tuple[str, ...],
    summary: bool,
    sources_dir: Path | None,
    evidence_paths: tuple[Path, ...],
) -> None:
    """List the numbers of each source text that no curated quote covers (a curator's gap list)."""
    from inograph.build import build_dataset
    from inograph.coverage import coverage

    built = build_dataset(evidence_paths=evidence_paths or None, sources_dir=sources_dir)
    unknown = sorted(set(publications) - set(built.evidence.publications))
    if unknown:
        known = ", ".join(sorted(built.evidence.publications))
        raise click.UsageError(f"unknown publication(s) {', '.join(unknown)} (curated: {known})")
    for curation in built.evidence.curations:
        if publications and curation.publication.id not in publications:
            continue
        report = coverage(built.sources[curation.publication.source_file], built.anchors.values())
        click.echo(
            f"{curation.publication.id} ({report.source}): {report.covered} of {report.numbers} "
            f"numbers covered ({report.fraction:.1%}), {len(report.uncovered)} not"
        )
        if not summary:
            for gap in report.uncovered:
                click.echo(f"  line {gap.line}: {gap.text!r} in …{gap.context}…")


@cli.command(
    "serve",
    epilog=_examples(
        "inograph serve                                # http://127.0.0.1:7878/sparql",
        "inograph serve --port 8000 --dataset build/inograph.nq --timeout 10 --max-rows 10000",
        "curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 3' "
        "http://127.0.0.1:7878/sparql",
    ),
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (local only by default)."
)
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="Port.")
@query_timeout_option
@max_rows_option
@click.option(
    "--workers", default=4, show_default=True, type=click.IntRange(1, 64), help="Queries evaluated at once."
)
@dataset_file_option
@sources_option
@evidence_option
def serve_command(
    host: str,
    port: int,
    timeout: float | None,
    max_rows: int | None,
    workers: int,
    dataset_file: Path | None,
    sources_dir: Path | None,
    evidence_paths: tuple[Path, ...],
) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint (/sparql), the library at /queries."""
    from inograph.packaged import read_built
    from inograph.published import load_built
    from inograph.query_limits import QueryLimits
    from inograph.server import ServerSettings, serve

    built = (
        load_built(dataset_file)
        if dataset_file is not None
        else read_built(evidence_paths=evidence_paths or None, sources_dir=sources_dir)
    )
    limits = QueryLimits.from_environment(timeout=timeout, max_rows=max_rows)
    serve(built, ServerSettings(host=host, port=port, limits=limits, workers=workers))


@cli.command(
    "publish",
    epilog=_examples(
        "inograph publish --endpoint http://127.0.0.1:7878/query --graph-store http://127.0.0.1:7878/store",
        "INOGRAPH_STORE_USER=dba INOGRAPH_STORE_PASSWORD=… INOGRAPH_STORE_AUTH=digest inograph publish \\",
        "    --endpoint http://localhost:8890/sparql --graph-store http://localhost:8890/sparql-graph-crud-auth",
        "inograph publish --endpoint http://fuseki:3030/inograph/query "
        "--graph-store http://fuseki:3030/inograph/data --dataset build/inograph.nq",
    ),
)
@click.option(
    "--endpoint",
    "endpoint_url",
    metavar="URL",
    required=True,
    help="The store's SPARQL query endpoint: the loaded graphs are counted there afterwards.",
)
@click.option(
    "--graph-store",
    "graph_store_url",
    metavar="URL",
    default=None,
    help="The store's Graph Store Protocol URL, when it is not the query endpoint's "
    "(Oxigraph: …/store; Fuseki: …/DATASET/data; Virtuoso: …/sparql-graph-crud-auth).",
)
@click.option(
    "--body",
    "body_format",
    type=click.Choice(["nt", "turtle"]),
    default="nt",
    show_default=True,
    help="Send each graph as N-Triples or Turtle.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=300,
    show_default=True,
    help="Seconds to wait for each request.",
)
@dataset_file_option
@sources_option
@evidence_option
def publish_command(
    endpoint_url: str,
    graph_store_url: str | None,
    body_format: str,
    timeout: float,
    dataset_file: Path | None,
    sources_dir: Path | None,
    evidence_paths: tuple[Path, ...],
) -> None:
    """Load the dataset into your SPARQL store, one Graph Store Protocol PUT per named graph
    (a graph already there is replaced), then count each graph's triples at --endpoint.

    Credentials come from the environment: INOGRAPH_STORE_TOKEN (bearer), or
    INOGRAPH_STORE_USER and INOGRAPH_STORE_PASSWORD (basic; INOGRAPH_STORE_AUTH=digest for
    digest authentication)."""
    from inograph.errors import PublishError
    from inograph.publish import BodyFormat, GraphLoad, publish

    def said(load: GraphLoad) -> None:
        click.echo(f"inograph: loaded <{load.graph}> ({load.sent} triples)", err=True)

    dataset = _graph(dataset_file, sources_dir, evidence_paths)
    report = publish(
        dataset,
        endpoint_url,
        graph_store_url,
        body=BodyFormat(body_format),
        timeout=timeout,
        progress=said,
        source=None if dataset_file is None else str(dataset_file),
    )
    click.echo(report.render(), nl=False)
    if not report.ok:
        wrong = [g.graph for g in report.graphs if not g.verified]
        raise PublishError(f"the store holds other triple counts than were sent for: {', '.join(wrong)}")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI under one error contract: bad input is one line on stderr and exit code 2.

    ``--debug`` (anywhere on the command line) or ``INOGRAPH_DEBUG=1`` lets an unexpected
    exception show its traceback; without it, it is reported as an internal error in one line.
    """
    import os

    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or os.environ.get("INOGRAPH_DEBUG", "") not in ("", "0")
    args = [a for a in args if a != "--debug"]
    stderr = sys.stderr
    sys.stderr = _Forgiving(stderr)
    try:
        _run(args, debug)
    finally:
        sys.stderr = stderr
        if argv is None:  # the process's own run: its answer is out, its exit code decided;
            import signal  # a Ctrl-C during the interpreter's shutdown would only add a traceback

            with contextlib.suppress(ValueError):  # not the main thread
                signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Forgiving:
    """stderr whose failures (closed by ``2>&-``, a full disk) lose the message, never change
    the command's outcome: a warning does not stop the work, an error still exits 2."""

    def __init__(self, stream: TextIO | None) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            if self._stream is not None:
                self._stream.write(text)
                self._stream.flush()
        except (OSError, ValueError):
            self._stream = None  # once failed, the rest is dropped too (no half lines later)
        return len(text)

    def flush(self) -> None:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            self._stream.flush()  # type: ignore[union-attr]

    def isatty(self) -> bool:
        try:
            return self._stream is not None and self._stream.isatty()
        except (OSError, ValueError):
            return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _run(args: list[str], debug: bool) -> None:
    import os

    try:
        cli.main(args=args, prog_name="inograph", standalone_mode=False)
        sys.stdout.flush()  # a closed pipe shows here, inside the contract, not at interpreter exit
        sys.exit(0)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except SystemExit as exc:
        if exc.code == 1 and isinstance(sys.stdout, click.utils.PacifyFlushWrapper):
            sys.exit(141)  # click's own answer to a closed pipe; 1 is kept for violations found
        raise
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx is not None else "inograph"
        _fail(f"{_one_line(exc.format_message())} (see '{command} --help')")
    except click.ClickException as exc:
        _fail(_one_line(exc.format_message()))
    except click.exceptions.Abort:  # click's form of Ctrl-C
        click.echo("inograph: interrupted", err=True)
        sys.exit(130)
    except InographError as exc:
        _fail(_one_line(str(exc)))
    except KeyboardInterrupt:
        click.echo("inograph: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:  # `inograph query … | head`: the reader has what it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)
    except OSError as exc:  # full disk, permissions, … outside the places that name them already
        where = f"{exc.filename}: " if exc.filename else ""
        _fail(f"{where}{exc.strerror or exc}")
    except Exception as exc:
        if debug:
            raise
        reason = f"{type(exc).__name__}: {_one_line(str(exc))}"
        _fail(f"internal error ({reason}); run again with --debug for the traceback")


def _fail(message: str) -> NoReturn:
    click.echo(f"inograph: error: {message}", err=True)
    sys.exit(2)


def _one_line(text: str) -> str:
    return " ".join(text.split())
