"""The ``inograph`` command line.

Exit codes: 0 success (or the data conforms), 1 validation or verification failures found,
2 an error in the input or the invocation (one line on stderr, no traceback).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rdflib import Dataset

from inograph.errors import InographError

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
    help="Curation files to use instead of the packaged evidence/*.yaml (repeatable).",
)


def _graph(dataset_file: Path | None, sources_dir: Path | None, evidence_paths: tuple[Path, ...]) -> Dataset:
    """The graph a command works on: a published file when ``--dataset`` names one, else the
    (cached) build of the evidence."""
    from inograph.build import build_dataset
    from inograph.published import load_dataset

    if dataset_file is not None:
        return load_dataset(dataset_file)
    return build_dataset(evidence_paths=evidence_paths or None, sources_dir=sources_dir).dataset


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="inograph")
def cli() -> None:
    """inograph: the evidence on inotuzumab ozogamicin in R/R ALL as a queryable knowledge graph."""


@cli.command()
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

    outputs = run_build(out_dir, evidence_paths=evidence_paths or None, sources_dir=sources_dir)
    click.echo(
        f"built {outputs.results} results, {outputs.quads} quads in {outputs.seconds:.1f} s\n"
        f"  {outputs.trig}\n  {outputs.nquads}"
    )


@cli.command()
@click.option(
    "--data",
    "data_files",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="A curator's own RDF file to validate together with the graph (repeatable).",
)
@click.option("--no-reasoner", is_flag=True, help="Skip the OWL consistency check (HermiT).")
@sources_option
@evidence_option
def validate(
    data_files: tuple[Path, ...],
    no_reasoner: bool,
    sources_dir: Path | None,
    evidence_paths: tuple[Path, ...],
) -> None:
    """Check the graph against the SHACL shapes and the OWL ontology; exit 1 on violations."""
    from inograph.build import build_dataset
    from inograph.validation import validate_dataset

    built = build_dataset(evidence_paths=evidence_paths or None, sources_dir=sources_dir)
    report = validate_dataset(built.dataset, extra_files=data_files, reasoner=not no_reasoner)
    for violation in report.violations:
        click.echo(str(violation))
    shacl = sum(v.severity == "Violation" for v in report.violations)
    click.echo(
        f"SHACL: {report.triples} triples, {shacl} violation(s), "
        f"{len(report.violations) - shacl} other result(s) in {report.shacl_seconds:.1f} s"
    )
    if report.reasoner is not None:
        r = report.reasoner
        click.echo(f"OWL ({r.reasoner}): {r.message} ({r.axioms} axioms, {r.seconds:.1f} s)")
    click.echo("conforms" if report.conforms else "does not conform")
    sys.exit(0 if report.conforms else 1)


@cli.command("check-evidence")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@sources_option
def check_evidence(files: tuple[Path, ...], sources_dir: Path | None) -> None:
    """Check curation files: fields, ids, and that every quote is anchored in its source."""
    from inograph.build import load_sources
    from inograph.evidence import load_curation, load_evidence
    from inograph.graph_builder import anchor_results
    from inograph.resources import evidence_files
    from inograph.value_check import check_printed_values

    paths = list(files) or evidence_files()
    if files:
        # the other curated files define the shared entities a single file refers to
        for other in evidence_files():
            if other.name in {f.name for f in files}:
                continue
            try:
                load_curation(other)
            except InographError as exc:
                click.echo(f"warning: not using {other.name} for shared ids: {exc}", err=True)
            else:
                paths.append(other)
    evidence = load_evidence(paths)
    sources = load_sources(sources_dir, (c.publication.source_file for c in evidence.curations))
    anchor_results(evidence, sources)
    chosen = {f.name for f in files}
    checked = [r for r in evidence.results.values() if not files or r.origin.file.name in chosen]
    problems = check_printed_values(checked)
    for problem in problems:
        click.echo(problem)
    click.echo(f"{len(checked)} results checked, {len(problems)} problem(s)")
    sys.exit(1 if problems else 0)


@cli.command("queries")
def list_queries_command() -> None:
    """List the SPARQL question library: name, title and parameters of each query."""
    from inograph.queries import list_queries

    for saved in list_queries():
        click.echo(f"{saved.name}\n  {saved.title}")
        for param in saved.parameters:
            default = (
                " (required)"
                if param.required
                else (f" (default: {param.default})" if param.default is not None else "")
            )
            click.echo(f"  --param {param.name}=<{param.type.value}>{default}  {param.description}")


@cli.command("query")
@click.argument("name", required=False)
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
    help="A parameter value (repeatable); ids like endpoint=os become IRIs.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json"]),
    default="table",
    show_default=True,
    help="table for a terminal; csv, tsv and json (SPARQL 1.1 results) for pipelines.",
)
@sources_option
@evidence_option
def query_command(
    name: str | None,
    query_file: Path | None,
    params: tuple[str, ...],
    fmt: str,
    sources_dir: Path | None,
    evidence_paths: tuple[Path, ...],
) -> None:
    """Ask the graph a question: a library query by NAME, or --file FILE.rq."""
    from inograph.errors import QueryError
    from inograph.queries import (
        ResultFormat,
        default_built,
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
    if sources_dir is None and not evidence_paths:
        built = default_built()
    else:
        from inograph.build import build_dataset

        built = build_dataset(evidence_paths=evidence_paths or None, sources_dir=sources_dir)
    result = run_query(saved, given, built=built)
    click.echo(format_result(result, ResultFormat(fmt)), nl=False)


@cli.command()
@click.option(
    "--kind",
    "kinds",
    type=click.Choice(
        ["conflict", "undecided", "different_definition", "different_population", "updated", "agrees"]
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
@sources_option
@evidence_option
def links(
    kinds: tuple[str, ...], fmt: str, sources_dir: Path | None, evidence_paths: tuple[Path, ...]
) -> None:
    """Report results that measure the same quantity, conflicts first, each pair classified."""
    from inograph.build import build_dataset
    from inograph.links import Classification, find_links, render_json, render_table

    built = build_dataset(evidence_paths=evidence_paths or None, sources_dir=sources_dir)
    report = find_links(built.dataset)
    if kinds:
        report = report.only(Classification(kind) for kind in kinds)
    click.echo(render_json(report) if fmt == "json" else render_table(report))


dataset_file_option = click.option(
    "--dataset",
    "dataset_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A built dataset (.trig or .nq) to read instead of building from the evidence.",
)


@cli.command()
@click.argument("ident", metavar="ID|IRI")
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
@sources_option
@evidence_option
def trace(
    ident: str,
    fmt: str,
    dataset_file: Path | None,
    sources_dir: Path | None,
    evidence_paths: tuple[Path, ...],
) -> None:
    """Trace a result back to the sentence that reports it; --sources adds the quote in context."""
    from inograph.provenance import TraceFormat, format_trace

    dataset = _graph(dataset_file, sources_dir, evidence_paths)
    text = format_trace(dataset, ident, TraceFormat(fmt), sources_dir=sources_dir)
    click.echo(text, nl=False)


@cli.command("verify-sources")
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


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@sources_option
@evidence_option
def stats(fmt: str, sources_dir: Path | None, evidence_paths: tuple[Path, ...]) -> None:
    """Count results per publication and kind, quotes, citations and shapes."""
    from inograph.build import build_dataset
    from inograph.stats import graph_stats, render_text
    from inograph.validation import load_shapes

    built = build_dataset(evidence_paths=evidence_paths or None, sources_dir=sources_dir)
    numbers = graph_stats(built.dataset, load_shapes())
    click.echo(numbers.to_json() if fmt == "json" else render_text(numbers))


_EXPORT_FORMATS = (
    "csv", "turtle", "trig", "nquads", "jsonld", "graphml", "gexf", "cytoscape", "html",
    "forest-png", "forest-svg",
)  # fmt: skip


@cli.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(_EXPORT_FORMATS))
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="The file to write (a folder for forest-png and forest-svg: one plot per endpoint).",
)
@click.option(
    "--view",
    type=click.Choice(["evidence", "citation", "comparison", "same-quantity"]),
    default="evidence",
    show_default=True,
    help="The network that graphml, gexf and cytoscape export.",
)
@dataset_file_option
@sources_option
@evidence_option
def export_command(
    fmt: str,
    out: Path,
    view: str,
    dataset_file: Path | None,
    sources_dir: Path | None,
    evidence_paths: tuple[Path, ...],
) -> None:
    """Export the graph: csv, turtle, trig, nquads, jsonld, graphml, gexf, cytoscape, html,
    forest-png, forest-svg."""
    from inograph.export import ExportFormat, GraphView, export

    dataset = _graph(dataset_file, sources_dir, evidence_paths)
    summary = export(dataset, ExportFormat(fmt), out, view=GraphView(view))
    shown = "\n".join(f"  {p}" for p in summary.paths)
    click.echo(f"exported {summary.items} {summary.what} in {summary.seconds:.1f} s\n{shown}")


@cli.command("check-stats")
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


@cli.command("coverage")
@click.option("--publication", "publications", multiple=True, help="Only these publications (short ids).")
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


def main(argv: list[str] | None = None) -> None:
    """Run the CLI, turning inograph errors into one line on stderr and exit code 2."""
    try:
        cli.main(args=argv, prog_name="inograph", standalone_mode=False)
        sys.exit(0)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("inograph: aborted", err=True)
        sys.exit(2)
    except InographError as exc:
        click.echo(f"inograph: error: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
