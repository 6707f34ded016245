"""Property-based hostile input (Hypothesis): whatever a careless or malicious user feeds in,
inograph answers or refuses with an InographError; it never fails with anything else.
Derandomized, so CI sees the same examples on every run.

The CLI turns an InographError into one line and exit code 2 (tests/test_error_contract.py), so
"raises InographError or succeeds" here means "a clean error or a correct result" there.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inograph.build import BuiltDataset
from inograph.errors import InographError
from inograph.evidence import load_curation
from inograph.queries import get_query, parse_query_text, run_query, sparql
from inograph.query_limits import QueryLimits
from inograph.store import parse_rdf_file

MINI = Path(__file__).parent / "data" / "mini" / "evidence" / "mini2020.yaml"
MINI_LINES = MINI.read_text(encoding="utf-8").splitlines(keepends=True)
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# what a hand edit or a bad copy-paste puts into a YAML value
yaml_values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            ".nan",
            ".inf",
            "-1",
            "0",
            "1e999",
            "2014-02-30",
            "[1, 2, 3]",
            "{a: b}",
            "*alias",
            "&anchor x",
            "null",
            "!!python/object:os.system",
            "'unterminated",
            "yes",
            "~",
            "[.nan, 1]",
            "- x",
            "|",
            ">",
            "\t",
        ]
    ),
)


@SETTINGS
@given(line=st.integers(min_value=0, max_value=len(MINI_LINES) - 1), value=yaml_values)
def test_a_changed_value_is_read_or_refused_cleanly(line: int, value: str, tmp_path: Path) -> None:
    original = MINI_LINES[line]
    key, sep, _old = original.partition(": ")
    changed = f"{key}{sep}{value}\n" if sep else f"{original.rstrip()} {value}\n"
    path = tmp_path / "mini2020.yaml"
    path.write_text("".join([*MINI_LINES[:line], changed, *MINI_LINES[line + 1 :]]), encoding="utf-8")
    try:
        load_curation(path)
    except InographError as error:
        assert str(error).startswith(f"{path}"), str(error)
        assert "\n" not in str(error)


@SETTINGS
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_as_a_curation_file(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "mini2020.yaml"
    path.write_bytes(data)
    try:
        load_curation(path)
    except InographError as error:
        assert str(error).startswith(f"{path}")


@SETTINGS
@given(
    suffix=st.sampled_from([".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"]),
    text=st.one_of(
        st.text(max_size=200),
        st.builds(
            lambda lexical, datatype: (
                f'<http://e/a> <http://e/p> "{lexical}"^^<http://www.w3.org/2001/XMLSchema#{datatype}> .\n'
            ),
            st.text(alphabet="0123456789-:.TZabc+e", max_size=12),
            st.sampled_from(["integer", "decimal", "date", "dateTime", "boolean", "gYear", "double"]),
        ),
    ),
)
def test_arbitrary_rdf_files_parse_or_fail_cleanly(suffix: str, text: str, tmp_path: Path) -> None:
    path = tmp_path / f"extraction{suffix}"
    path.write_text(text, encoding="utf-8")
    try:
        parse_rdf_file(path)
    except InographError as error:
        assert str(error).startswith(f"{path}")


@SETTINGS
@given(
    name=st.sampled_from(["hazard-ratios", "endpoint-results", "adverse-events", "result-provenance"]),
    value=st.one_of(
        st.text(max_size=40), st.sampled_from(["os", "<http://e/x>", "os> } #", '" . ?s ?p ?o', "\x00"])
    ),
)
def test_any_parameter_value_answers_or_is_refused(name: str, value: str, built: BuiltDataset) -> None:
    saved = get_query(name)
    for parameter in saved.parameters:
        with contextlib.suppress(InographError):
            run_query(saved, {parameter.name: value}, built=built)


@SETTINGS
@given(
    text=st.one_of(
        st.text(max_size=120),
        st.builds(
            lambda body: f"SELECT * WHERE {{ {body} }}",
            st.text(alphabet="?abcsxyz <>{}.;,()\"'#:/", max_size=60),
        ),
    )
)
def test_any_query_file_answers_or_is_refused(text: str, built: BuiltDataset) -> None:
    try:
        saved = parse_query_text(text, name="mine")
        sparql(saved.text, built=built, name="mine", limits=QueryLimits(timeout=5, max_rows=1000))
    except InographError:
        pass
