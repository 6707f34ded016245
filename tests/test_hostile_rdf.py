"""A curator's RDF files: ill-typed literals and remote JSON-LD contexts are clear errors, offline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from inograph.errors import LoadError
from inograph.store import parse_rdf_file


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('<http://e/a> <http://e/p> "abc"^^<http://www.w3.org/2001/XMLSchema#integer> .\n', '"abc"^^'),
        (
            '<http://e/a> <http://e/p> "2014-02-30"^^<http://www.w3.org/2001/XMLSchema#date> .\n',
            '"2014-02-30"^^',
        ),
    ],
)
def test_an_ill_typed_literal_is_an_error(
    text: str, message: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "extraction.ttl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError, match=rf"^{re.escape(str(path))}: {re.escape(message)}.* is not a valid "):
        parse_rdf_file(path)
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize(
    "document",
    [
        '{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://e/a", "http://e/p": "x"}',
        '{"@context": [{"ex": "http://e/"}, "http://127.0.0.1:9/c.jsonld"], "@id": "http://e/a"}',
        '{"@graph": [{"@context": "http://127.0.0.1:9/c.jsonld", "@id": "http://e/a"}]}',
    ],
)
def test_a_remote_jsonld_context_is_refused_before_any_request(document: str, tmp_path: Path) -> None:
    path = tmp_path / "extraction.jsonld"
    path.write_text(document, encoding="utf-8")
    with pytest.raises(LoadError, match=r"would be fetched from the network; inline the context"):
        parse_rdf_file(path)


def test_an_inline_jsonld_context_is_read(tmp_path: Path) -> None:
    path = tmp_path / "extraction.jsonld"
    path.write_text('{"@context": {"ex": "http://e/"}, "@id": "ex:a", "ex:p": "x"}', encoding="utf-8")
    graph = parse_rdf_file(path)
    assert [(str(s), str(p), str(o)) for s, p, o in graph] == [("http://e/a", "http://e/p", "x")]


def test_a_remote_context_is_allowed_only_on_request(tmp_path: Path) -> None:
    path = tmp_path / "extraction.jsonld"
    path.write_text('{"@context": "http://127.0.0.1:9/c.jsonld", "@id": "http://e/a"}', encoding="utf-8")
    with pytest.raises(LoadError, match=r"or allow it with --allow-remote-context$"):
        parse_rdf_file(path)
    with pytest.raises(LoadError, match=r"json-ld syntax error"):  # it tried: nothing listens on port 9
        parse_rdf_file(path, allow_remote_context=True)


@pytest.mark.parametrize(
    ("text", "line", "iri"),
    [
        (
            "@prefix ex: <http://example.org/> .\n\n<http://example.org/a b> ex:p ex:o .\n",
            3,
            "http://example.org/a b",
        ),
        (
            "@prefix ex: <http://example.org/> .\nex:a ex:p <http://example.org/x\ty> .\n",
            2,
            "http://example.org/x\ty",
        ),
    ],
    ids=["space", "tab"],
)
def test_an_iri_with_a_space_is_an_error_at_its_line(text: str, line: int, iri: str, tmp_path: Path) -> None:
    # rdflib only warns; Oxigraph (which validate's SHACL engine reads) refuses such an IRI
    path = tmp_path / "extraction.ttl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        parse_rdf_file(path)
    assert (
        str(info.value) == f"{path}:{line}: <{iri}> is not a valid IRI (Invalid IRI code point '{iri[-2]}')"
    )


def test_validate_names_the_file_of_an_iri_with_a_space(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_errors import run_cli

    path = tmp_path / "space.ttl"
    path.write_text(
        "<http://example.org/a b> <http://example.org/p> <http://example.org/o> .\n", encoding="utf-8"
    )
    code, out, err = run_cli(["validate", "--no-reasoner", "--data", str(path)], capsys)
    assert (code, out) == (2, "")
    assert (
        err
        == f"inograph: error: {path}:1: <http://example.org/a b> is not a valid IRI (Invalid IRI code point ' ')\n"
    )
