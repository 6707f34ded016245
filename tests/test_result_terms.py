"""Answers printed from pyoxigraph's terms (inograph/result_terms.py) print as through rdflib's,
and a warm ``inograph query`` imports neither rdflib nor any other heavy dependency.

The command line prints an answer straight from the store's terms; the Python API converts
them to rdflib terms.  Both must give the same text in every format, byte for byte, for every
library query and for the terms no library query returns (doubles, language tags, blank nodes,
unbound values, escapes): the printing from rdflib's terms is the reference, as it was the
command line's until the import of rdflib was taken off its path.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib.term
from rdflib import XSD, BNode, Literal, URIRef

import inograph
from inograph.build import BuiltDataset
from inograph.queries import QueryResult, ResultFormat, Row, format_result, list_queries, query, sparql
from inograph.result_terms import (
    RDFLIB_REWRITES,
    XSD_NAMESPACE,
    Printed,
    TermKind,
    lexical_as_printed,
    printed,
)
from inograph.terminal import render_table, select_columns

CODE_ROOT = Path(inograph.__file__).resolve().parent.parent
REQUIRED = {"result-provenance": {"result": "kantarjian2016-abs-crcri-ino"}}


def _through_rdflib(result: QueryResult) -> QueryResult:
    """The same answer made of rdflib terms, as the Python API returns it."""
    return QueryResult(result.variables, tuple(Row(row.variables, row.terms) for row in result.rows))


def _all_printings(result: QueryResult) -> dict[str, str]:
    printings = {fmt.value: format_result(result, fmt) for fmt in ResultFormat}
    printings["terminal table"] = render_table(result, width=100)
    return printings


def test_namespace_and_rewritten_datatypes_match_rdflib() -> None:
    assert str(XSD) == XSD_NAMESPACE
    # rdflib's own list of the datatypes it reads into Python values (and prints back changed)
    converted = {str(datatype) for datatype in rdflib.term.XSDToPython if datatype is not None}
    assert converted - {str(XSD.string)} == RDFLIB_REWRITES


# lexical forms rdflib prints unchanged and forms it rewrites, of the datatypes taken as they are
_FORMS = {
    "decimal": ["75", "75.0", "0.45", "-12.250", "-0", "-0.0", "075.50", "+1.0", "1.", ".5", "1e3", "abc", "٣"],
    "integer": ["0", "42", "-3", "10000000000000000000001", "007", "+5", "-0", " 5", "1.0", "٣", "x"],
    "int": ["12", "012", "-7"],
    "nonNegativeInteger": ["12", "0012", "-1"],
    "unsignedByte": ["255", "300", "+1"],
    "boolean": ["true", "false", "TRUE", "1", "0", "yes", ""],
    "date": ["2016-08-25", "0001-01-01", "2016-02-30", "2016-08-25Z", "2016-08-25+01:00", "2016-8-25", "٢٠١٦-08-25"],
    "double": ["1.5", "6", "1e20", "INF", "NaN", "1_0"],
    "dateTime": ["2016-08-25T10:00:00", "2016-08-25T10:00:00.500Z"],
    "gYear": ["2016", "016"],
    "token": [" a  b "],
    "hexBinary": ["AB"],
}  # fmt: skip


@pytest.mark.filterwarnings("ignore:Parsing weird boolean")
@pytest.mark.parametrize("name", sorted(_FORMS))
def test_lexical_forms_as_rdflib_prints_them(name: str) -> None:
    datatype = XSD_NAMESPACE + name
    for text in _FORMS[name]:
        expected = str(Literal(text, datatype=URIRef(datatype)))
        assert lexical_as_printed(text, datatype) == expected, (name, text)


def test_terms_of_both_libraries_print_alike() -> None:
    decimal = ox.NamedNode(XSD_NAMESPACE + "decimal")
    assert printed(ox.NamedNode("http://example.org/a")) == Printed(TermKind.IRI, "http://example.org/a")
    assert printed(ox.BlankNode("b1")) == printed(BNode("b1")) == Printed(TermKind.BLANK, "b1")
    assert printed(ox.Literal("75", datatype=decimal)) == printed(
        Literal(Decimal("75"), datatype=XSD.decimal)
    )
    assert printed(ox.Literal("Hello", language="en-us")) == Printed(TermKind.LITERAL, "Hello", None, "en-us")
    # a store's xsd:string comes back plain, as rdflib's terms read from a store do
    assert printed(ox.Literal("x", datatype=ox.NamedNode(XSD_NAMESPACE + "string"))) == Printed(
        TermKind.LITERAL, "x"
    )
    assert printed(ox.Literal("6", datatype=ox.NamedNode(XSD_NAMESPACE + "double"))).text == "6.0"  # type: ignore[union-attr]
    assert printed(None) is None


@pytest.mark.parametrize("saved", list_queries(), ids=lambda saved: saved.name)
def test_library_answers_print_as_through_rdflib(built: BuiltDataset, saved: object) -> None:
    name = saved.name  # type: ignore[attr-defined]
    result = query(name, built=built, **REQUIRED.get(name, {}))
    assert len(result) > 0
    assert _all_printings(result) == _all_printings(_through_rdflib(result))
    narrowed = select_columns(result, list(reversed(result.variables))[:3])
    assert _all_printings(narrowed) == _all_printings(_through_rdflib(narrowed))


_EDGE_CASES = """
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?k ?v ?b WHERE {
  VALUES (?k ?v) {
    ("plain" "a plain string") ("string" "typed"^^xsd:string) ("lang" "Hello"@en-US)
    ("escapes" "tab\\there \\"quoted\\" back\\\\slash\\r\\nnewline"@de) ("decimal" 75.0)
    ("integer" "007"^^xsd:integer) ("double" 1.5e0) ("computed" "6"^^xsd:double) ("boolean" true)
    ("date" "2016-08-25Z"^^xsd:date) ("dateTime" "2016-08-25T10:00:00Z"^^xsd:dateTime)
    ("gYear" "2016"^^xsd:gYear) ("iri" <https://w3id.org/inograph/id/result/kantarjian2016-t2-crcri-ino>)
    ("custom" "abc"^^<http://example.org/dt>) ("unbound" UNDEF)
  }
  BIND(IF(?k = "plain", BNODE("x"), ?nothing) AS ?b)
}
"""


def test_edge_cases_print_as_through_rdflib(built: BuiltDataset) -> None:
    result = sparql(_EDGE_CASES, built=built)
    assert _all_printings(result) == _all_printings(_through_rdflib(result))
    lines = format_result(result, ResultFormat.TSV).splitlines()
    assert lines[3:11] == [
        '"lang"\t"Hello"@en-us\t',
        '"escapes"\t"tab\\there \\"quoted\\" back\\\\slash\\r\\nnewline"@de\t',
        '"decimal"\t75\t',
        '"integer"\t7\t',
        '"double"\t"1.5"^^<http://www.w3.org/2001/XMLSchema#double>\t',
        '"computed"\t"6.0"^^<http://www.w3.org/2001/XMLSchema#double>\t',
        '"boolean"\t"true"^^<http://www.w3.org/2001/XMLSchema#boolean>\t',
        '"date"\t"2016-08-25"^^<http://www.w3.org/2001/XMLSchema#date>\t',  # rdflib drops the Z
    ]
    assert lines[1].startswith('"plain"\t"a plain string"\t_:') and lines[-1] == '"unbound"\t\t'


# heavy dependencies the query path must not import (rich only draws the terminal table)
_HEAVY = ("rdflib", "pyshacl", "owlready2", "scipy", "statsmodels", "numpy", "matplotlib", "networkx",
          "requests", "yaml", "starlette", "uvicorn", "oxrdflib", "rich")  # fmt: skip
_IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \| +(\S+)$", re.MULTILINE)


def _imported(args: list[str], sources_dir: Path, **env: str) -> set[str]:
    """The top-level packages a whole ``inograph`` process imports."""
    environment = {**os.environ, "PYTHONPATH": str(CODE_ROOT), "INOGRAPH_SOURCES": str(sources_dir), **env}
    process = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "inograph", *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=CODE_ROOT,
        check=False,
    )
    assert process.returncode == 0, process.stderr[-2000:]
    return {name.split(".")[0] for name in _IMPORTED.findall(process.stderr)}


@pytest.mark.parametrize(
    "args",
    [
        ["query", "remission-rates"],
        ["query", "hazard-ratios", "--param", "endpoint=os", "--format", "json"],
        ["query", "serious-adverse-events", "--param", "threshold=7.5", "--format", "csv"],
        ["query", "remission-rates", "--columns", "value,arm", "--max-rows", "500", "--timeout", "20"],
        ["queries"],
        ["--version"],
    ],
    ids=" ".join,
)
def test_warm_query_path_imports_no_heavy_module(
    built: BuiltDataset, sources_dir: Path, args: list[str]
) -> None:
    _imported(["query", "publications"], sources_dir)  # warm: the build cache and its on-disk copy
    heavy = _imported(args, sources_dir) & set(_HEAVY)
    assert heavy == set(), f"inograph {' '.join(args)} imported {sorted(heavy)}"


def test_query_on_a_dataset_file_imports_no_heavy_module(
    built: BuiltDataset, sources_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "inograph.nq"
    built.store.dump(str(path), format=ox.RdfFormat.N_QUADS)
    heavy = _imported(["query", "remission-rates", "--dataset", str(path)], sources_dir) & set(_HEAVY)
    assert heavy == set()


def test_table_imports_rich_but_not_rdflib(built: BuiltDataset, sources_dir: Path) -> None:
    imported = _imported(["query", "hazard-ratios", "--format", "table"], sources_dir)
    assert "rich" in imported and imported & set(_HEAVY) == {"rich"}


def test_completion_imports_no_rdflib(sources_dir: Path) -> None:
    words = {"COMP_WORDS": "inograph query ", "COMP_CWORD": "2", "_INOGRAPH_COMPLETE": "bash_complete"}
    assert "rdflib" not in _imported([], sources_dir, **words)
