"""The terminal experience: tables that fit a real pseudo-terminal, TSV when piped, the checkout
a curator edits, help with examples, and shell completion.

The pseudo-terminal tests run ``inograph`` as a person would: its stdout and stderr are the slave
side of a ``pty`` whose window size is set to 80 or 200 columns (``COLUMNS`` and ``LINES`` are
removed from the environment, so the size comes from the terminal itself).
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import struct
import subprocess
import sys
import termios
from decimal import Decimal
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rich.cells import cell_len

import inograph
from inograph.build import BuiltDataset
from inograph.cli import cli
from inograph.namespaces import DATA, XSD
from inograph.queries import QueryResult, Row, list_queries
from inograph.terminal import display_text, layout_columns, render_table, select_columns, wrap_cell

CODE_ROOT = Path(inograph.__file__).resolve().parent.parent
EXPECTED = Path(__file__).parent / "data" / "queries"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# the parameter a query needs when it has no default
REQUIRED = {"result-provenance": ["--param", "result=kantarjian2016-abs-crcri-ino"]}


def _env(sources_dir: Path, **extra: str) -> dict[str, str]:
    dropped = ("COLUMNS", "LINES", "NO_COLOR", "PAGER", "INOGRAPH_PAGER", "LESS")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(PYTHONPATH=str(CODE_ROOT), INOGRAPH_SOURCES=str(sources_dir), TERM="xterm-256color")
    env.update(extra)
    return env


def run_in_pty(
    argv: list[str], *, width: int, height: int = 40, env: dict[str, str], cwd: Path | None = None
) -> tuple[int, str]:
    """Run ``argv`` with stdin, stdout and stderr on a pseudo-terminal of ``width`` × ``height``;
    the screen text (``\\r\\n`` as ``\\n``) and the exit code."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
    process = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd, close_fds=True
    )
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError as exc:  # EIO: the child closed the terminal
            if exc.errno != errno.EIO:
                raise
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    code = process.wait(timeout=120)
    return code, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def _inograph(*args: str) -> list[str]:
    return [sys.executable, "-m", "inograph", *args]


# one child process per width runs every library query on the same terminal (one graph load)
_ALL_QUERIES = """
import sys
from inograph.cli import main
for name, extra in [{pairs}]:
    print("=== " + name, flush=True)
    try:
        main(["--no-pager", "query", name, *extra])
    except SystemExit as exc:
        print(f"=== exit {{exc.code}}", flush=True)
"""


@pytest.fixture(scope="module")
def screens(built: BuiltDataset, sources_dir: Path) -> dict[int, dict[str, str]]:
    """Every library query's default table as shown on an 80- and a 200-column terminal."""
    pairs = ", ".join(f"({q.name!r}, {REQUIRED.get(q.name, [])!r})" for q in list_queries())
    out: dict[int, dict[str, str]] = {}
    for width in (80, 200):
        code, text = run_in_pty(
            [sys.executable, "-c", _ALL_QUERIES.format(pairs=pairs)], width=width, env=_env(sources_dir)
        )
        assert code == 0, text[-2000:]
        parts = re.split(r"^=== (\S+)\n", text, flags=re.MULTILINE)[1:]
        out[width] = dict(zip(parts[::2], parts[1::2], strict=True))
    return out


@pytest.mark.parametrize("width", [80, 200])
def test_every_library_table_fits_and_shows_no_iri(screens: dict[int, dict[str, str]], width: int) -> None:
    shown = screens[width]
    assert sorted(shown) == sorted(q.name for q in list_queries())
    for name, screen in shown.items():
        assert "=== exit 0" in screen, (name, screen[-500:])
        assert "\x1b[" in screen, f"{name}: a terminal gets colour"
        plain = ANSI.sub("", screen)
        lines = plain.split("\n")
        too_wide = [line for line in lines if cell_len(line) > width]
        assert not too_wide, (name, too_wide[:3])
        assert "https://" not in plain and "inod:" not in plain and "<http" not in plain, name
        assert re.search(r"^\(\d+ rows?[;)]", plain, flags=re.MULTILINE), name


def _table_lines(screen: str) -> list[str]:
    """The table's lines: colour codes, the checkout note and the end marker removed."""
    lines = [line.rstrip() for line in ANSI.sub("", screen).split("\n")]
    assert lines[0].startswith("inograph: using the checkout ")
    assert lines[-2:] == ["=== exit 0", ""]
    return lines[1:-2]


def _remission_rows() -> int:
    """The number of rows of the reviewed expected answer (it follows the evidence)."""
    return len((EXPECTED / "remission-rates.tsv").read_text(encoding="utf-8").splitlines()) - 1


def test_remission_rates_on_80_columns(screens: dict[int, dict[str, str]]) -> None:
    lines = _table_lines(screens[80]["remission-rates"])
    # the query's `# narrow:` columns stay; numbers are right-aligned and whole
    assert lines[0] == "publication     endpoint         arm               value  numerator  denominator"
    # kantarjian2016 Table 2: "Total 88/109 80.7 (72.1–87.7)"; the arm shows its label
    assert "kantarjian2016  CR/CRi           Inotuzumab         80.7         88          109" in lines
    assert " " * 33 + "ozogamicin" in lines
    # a label longer than 30 characters gives way to the short id: inovate-soc, cri
    assert "kantarjian2016  CR/CRi           inovate-soc        29.4         32          109" in lines
    assert "kantarjian2013  cri                                    9          8           90" in lines
    # a confidence interval is shown whole or not at all, and the footer names what is left out
    footer = " ".join(
        lines[lines.index(next(x for x in lines if x.startswith(f"({_remission_rows()} rows;"))) :]
    )
    assert "ciLower, ciUpper, ciLevel" in footer
    assert footer.endswith("see --columns, --format tsv)")


def test_remission_rates_on_200_columns(screens: dict[int, dict[str, str]]) -> None:
    lines = _table_lines(screens[200]["remission-rates"])
    # the header line (numeric headers may break at their camelCase words onto the line above)
    header = next(line for line in lines if line.startswith("publication")).split()
    assert header[:3] == ["publication", "trial", "endpoint"]
    start = header.index("value")
    assert header[start : start + 3] == ["value", "numerator", "denominator"]
    row = next(line for line in lines if "kantarjian2016" in line and " 80.7 " in line and "109" in line)
    assert re.search(r"80\.7 +88 +109 +72\.1 +87\.7 +95 ", row), row
    assert re.match(r"kantarjian2016 +INO-VATE ALL +CR/CRi ", row) and "Inotuzumab" in row
    # the quotes would squeeze the labels and ids, so they give way, and the footer says so
    assert lines[-1].startswith(f"({_remission_rows()} rows; ")
    assert "not shown at 200 columns: " in lines[-1]
    assert lines[-1].endswith("location, quote; see --columns, --format tsv)")


def test_piped_output_is_tsv(built: BuiltDataset, sources_dir: Path) -> None:
    done = subprocess.run(
        _inograph("query", "remission-rates"),
        capture_output=True,
        text=True,
        env=_env(sources_dir),
        check=False,
        cwd=CODE_ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == (EXPECTED / "remission-rates.tsv").read_text(encoding="utf-8")
    assert done.stderr == ""  # the "using the checkout" line is for people at a terminal


def test_pager_for_long_answers_only(built: BuiltDataset, sources_dir: Path) -> None:
    pager = f"{sys.executable} -c \"import sys; sys.stdout.write(''.join('P:' + l for l in sys.stdin))\""
    env = _env(sources_dir, INOGRAPH_PAGER=pager)
    code, long_answer = run_in_pty(_inograph("query", "remission-rates"), width=200, height=20, env=env)
    assert code == 0
    assert ANSI.sub("", long_answer).split("\n")[-2].startswith(f"P:({_remission_rows()} rows; ")
    code, short_answer = run_in_pty(_inograph("query", "publications"), width=200, height=20, env=env)
    assert code == 0
    assert "P:" not in short_answer and "(4 rows)" in short_answer
    code, no_pager = run_in_pty(
        _inograph("--no-pager", "query", "remission-rates"), width=200, height=20, env=env
    )
    assert code == 0 and "P:" not in no_pager


def test_no_color(built: BuiltDataset, sources_dir: Path) -> None:
    code, screen = run_in_pty(
        _inograph("query", "publications"), width=80, env=_env(sources_dir, NO_COLOR="1")
    )
    assert code == 0 and "\x1b[" not in screen and "(4 rows)" in screen


def test_numbers_are_never_broken() -> None:
    variables = ("label", "value", "ciLower")
    long_text = "a long description " * 10
    rows = tuple(
        Row(
            variables,
            (Literal(long_text), Literal(Decimal(v), datatype=XSD.decimal), Literal(Decimal("0.000123"))),
        )
        for v in ("123456.789", "0.5", "-12.25")
    )
    text = render_table(QueryResult(variables, rows), width=45)
    lines = text.splitlines()
    assert all(cell_len(line) <= 45 for line in lines)
    for number in ("123456.789", "0.5", "-12.25", "0.000123"):
        assert any(line.rstrip().endswith(number) or f" {number} " in line for line in lines), number
    # right-aligned: the numbers end in the same column
    ends = {line.index("123456.789") + 10 for line in lines if "123456.789" in line}
    assert ends == {line.index("0.5") + 3 for line in lines if " 0.5 " in line}


def test_display_text_short_ids_and_labels() -> None:
    result = URIRef(DATA["result/kantarjian2016-t2-crcri-ino"])
    arm = URIRef(DATA["arm/inovate-ino"])
    assert display_text(result, {}) == "kantarjian2016-t2-crcri-ino"
    assert display_text(arm, {str(arm): "Inotuzumab ozogamicin"}) == "Inotuzumab ozogamicin"
    assert display_text(arm, {str(arm): "x" * 31}) == "inovate-ino"
    assert display_text(URIRef("https://w3id.org/inograph/ontology#HazardRatio"), {}) == "HazardRatio"
    assert display_text(URIRef("https://doi.org/10.1056/NEJMoa1509277"), {}) == (
        "https://doi.org/10.1056/NEJMoa1509277"
    )
    assert display_text(Literal("two\nlines\tand a tab"), {}) == "two lines and a tab"


def test_ids_wrap_after_hyphens() -> None:
    assert wrap_cell("kantarjian2016-t2-crcri-ino", 16) == "kantarjian2016-\nt2-crcri-ino"
    assert wrap_cell("Inotuzumab ozogamicin", 12) == "Inotuzumab\nozogamicin"


def test_columns_left_out_are_named() -> None:
    variables = ("publication", "value", "quote")
    terms = [[Literal("kantarjian2016"), Literal(Decimal("80.7")), Literal("x " * 40)]]
    cells = [["kantarjian2016", "80.7", "x " * 40]]
    layout = layout_columns(variables, terms, cells, 30)
    assert layout.hidden == ("quote",) and layout.widths == (14, 5)


def test_select_columns_and_unknown_column(built: BuiltDataset) -> None:
    from inograph.errors import QueryError
    from inograph.queries import query

    rows = select_columns(query("hazard-ratios", built=built, endpoint="os"), ["value", "result"])
    assert rows.variables == ("value", "result")
    assert (Decimal("0.77"), DATA["result/kantarjian2016-abs-os-hr"]) in {
        (r["value"], r["result"]) for r in rows
    }
    with pytest.raises(QueryError, match=r"--columns: no column 'colour' \(columns: value, result\)"):
        select_columns(rows, ["colour"])


# --------------------------------------------------------------------------- the curator's checkout


def _copy_checkout(target: Path) -> Path:
    for name in ("evidence", "ontology", "shapes", "queries"):
        shutil.copytree(CODE_ROOT / name, target / name)
    shutil.copy(CODE_ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def test_a_checkout_edit_is_seen(built: BuiltDataset, sources_dir: Path, tmp_path: Path) -> None:
    checkout = _copy_checkout(tmp_path / "my-inograph")
    curation = checkout / "evidence" / "kantarjian2013.yaml"
    text = curation.read_text(encoding="utf-8")
    assert text.count("- id: cr-cri\n  label: CR/CRi\n") == 1
    curation.write_text(
        text.replace("- id: cr-cri\n  label: CR/CRi\n", "- id: cr-cri\n  label: CR or CRi (edited)\n"),
        encoding="utf-8",
    )
    env = _env(sources_dir, INOGRAPH_CACHE=str(tmp_path / "cache"))
    argv = ["--no-pager", "query", "remission-rates", "--columns", "publication,endpoint,value,result"]
    # run from a folder inside the checkout: it is found upwards
    code, screen = run_in_pty(_inograph(*argv), width=120, env=env, cwd=checkout / "evidence")
    plain = ANSI.sub("", screen)
    assert code == 0, plain
    note = plain.split("\n")[0]
    assert note.startswith(f"inograph: using the checkout {checkout.resolve()}") and len(note) <= 120
    assert re.search(r"^kantarjian2013 +CR or CRi \(edited\) +47 +kantarjian2013-disc-crcri$", plain, re.M)
    # --installed reads the copy beside the code, unedited
    code, screen = run_in_pty(_inograph("--installed", *argv), width=120, env=env, cwd=checkout)
    plain = ANSI.sub("", screen)
    assert code == 0, plain
    assert (
        "using the installed copy" in plain.split("\n")[0]
        and f"not the checkout {checkout.resolve()}" in plain
    )
    assert re.search(r"^kantarjian2013 +CR/CRi +47 +kantarjian2013-disc-crcri$", plain, re.M)
    assert "(edited)" not in plain


def test_errors_name_the_checkout_file(sources_dir: Path, tmp_path: Path) -> None:
    checkout = _copy_checkout(tmp_path / "my-inograph")
    curation = checkout / "evidence" / "morley2016.yaml"
    lines = curation.read_text(encoding="utf-8").split("\n")
    lines[1] = "  id: [unclosed"
    curation.write_text("\n".join(lines), encoding="utf-8")
    done = subprocess.run(
        _inograph("check-evidence"),
        capture_output=True,
        text=True,
        env=_env(sources_dir, INOGRAPH_CACHE="off"),
        cwd=checkout,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"inograph: error: {checkout.resolve() / 'evidence' / 'morley2016.yaml'}:")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_checkout_option_must_name_a_checkout(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--checkout", str(tmp_path), "queries"])
    assert result.exit_code != 0
    assert f"{tmp_path}: not a checkout of inograph" in str(result.exception)


# --------------------------------------------------------------------------- help and completion


@pytest.mark.parametrize(
    ("argv", "example"),
    [
        ([], "inograph query remission-rates"),
        (["query"], "inograph query endpoint-results --param endpoint=pfs --format json"),
        (["trace"], "inograph trace kantarjian2016-t2-crcri-ino"),
        (["export"], "inograph export csv -o evidence.csv"),
        (["check-evidence"], "inograph check-evidence evidence/kantarjian2019.yaml"),
    ],
)
def test_help_shows_examples(argv: list[str], example: str) -> None:
    result = CliRunner().invoke(cli, [*argv, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and example in result.output


def test_every_command_help_has_examples() -> None:
    for name in cli.commands:
        output = CliRunner().invoke(cli, [name, "--help"]).output
        examples = output.split("\n  Examples:\n", 1)[-1]
        assert examples != output and f"  inograph {name}" in examples, name


def test_query_help_says_piped_output_is_tsv() -> None:
    text = " ".join(CliRunner().invoke(cli, ["query", "--help"]).output.split())
    assert "Default: table on a terminal, tsv when the output is piped or redirected." in text


def test_queries_lists_titles_and_defaults() -> None:
    output = CliRunner().invoke(cli, ["queries"]).output
    assert "remission-rates\n  Remission and response rates (CR/CRi, CR, CRi, CRp," in output
    assert "  --param threshold=<decimal> (default: 5)" in output
    assert "  --param result=<result> (required)" in output


def _complete(args: list[str], incomplete: str) -> list[str]:
    completer = ShellComplete(cli, {}, "inograph", "_INOGRAPH_COMPLETE")
    return [item.value for item in completer.get_completions(args, incomplete)]


def test_completion_of_commands_queries_params_and_ids() -> None:
    assert _complete([], "que") == ["queries", "query"]
    assert _complete(["query"], "hazard") == ["hazard-ratios"]
    assert _complete(["query", "hazard-ratios", "--param"], "") == ["endpoint="]
    assert _complete(["query", "hazard-ratios", "--param"], "endpoint=remission-d") == [
        "endpoint=remission-duration"
    ]
    assert _complete(["trace"], "kantarjian2016-t2-crcri-i") == ["kantarjian2016-t2-crcri-ino"]
    assert _complete(["coverage", "--publication"], "kantarjian201") == [
        "kantarjian2013", "kantarjian2016", "kantarjian2019",
    ]  # fmt: skip


def test_completion_script_from_click(sources_dir: Path) -> None:
    done = subprocess.run(
        _inograph(),
        capture_output=True,
        text=True,
        env=_env(sources_dir, _INOGRAPH_COMPLETE="bash_source"),
        check=False,
    )
    assert done.returncode == 0
    assert "_inograph_completion()" in done.stdout and "_INOGRAPH_COMPLETE=bash_complete" in done.stdout


def test_narrow_columns_are_projected_variables(built: BuiltDataset) -> None:
    from inograph.queries import run_query

    declared = {q.name: q for q in list_queries() if q.narrow}
    assert len(declared) >= 12
    for name, saved in declared.items():
        params = {k: v for k, _, v in (p.partition("=") for p in REQUIRED.get(name, [])[1::2])}
        variables = run_query(saved, params, built=built).variables
        assert set(saved.narrow) <= set(variables), (name, set(saved.narrow) - set(variables))
