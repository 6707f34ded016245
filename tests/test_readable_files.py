"""TriG and Turtle that every tool reads: no ``\\/`` escapes, the same quads back, in Virtuoso too."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from inograph.build import BuiltDataset, serialize_nquads, serialize_trig
from inograph.export import ExportFormat, export
from inograph.turtle import ID_PREFIXES, without_escaped_names
from tests.stores import virtuoso_server


def _quads(data: str, fmt: str) -> set[str]:
    import pyoxigraph as ox

    rdf_format = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "turtle": ox.RdfFormat.TURTLE}[
        fmt
    ]
    return {str(q) for q in ox.parse(data.encode("utf-8"), format=rdf_format)}


def _triples(data: str, fmt: str) -> set[str]:
    import pyoxigraph as ox

    rdf_format = {"nquads": ox.RdfFormat.N_QUADS, "turtle": ox.RdfFormat.TURTLE}[fmt]
    return {
        str(ox.Triple(q.subject, q.predicate, q.object)) for q in ox.parse(data.encode(), format=rdf_format)
    }


def test_rewriting_keeps_literals_and_iris() -> None:
    text = (
        'result:a\\/location result:p "result:a\\/b \\" <x>" , <https://x/y\\z> ;\n\tresult:q result:b\\/c.\n'
    )
    assert without_escaped_names(text, ID_PREFIXES) == (
        '<https://w3id.org/inograph/id/result/a/location> result:p "result:a\\/b \\" <x>" , <https://x/y\\z> ;\n'
        "\tresult:q <https://w3id.org/inograph/id/result/b/c>.\n"
    )


def test_rewriting_reads_a_long_string_across_lines() -> None:
    # the second line alone would read as a prefixed name: the whole text is tokenised instead
    text = '<s> <p> """one\nresult:a\\/b in the string""" .\nresult:c\\/d <p> "x\\"" .\n'
    assert without_escaped_names(text, ID_PREFIXES) == (
        '<s> <p> """one\nresult:a\\/b in the string""" .\n'
        '<https://w3id.org/inograph/id/result/c/d> <p> "x\\"" .\n'
    )


def test_trig_has_no_escaped_names_and_the_same_quads(built: BuiltDataset) -> None:
    trig = serialize_trig(built.dataset)
    assert "\\/" not in trig
    assert "@prefix result: <https://w3id.org/inograph/id/result/> ." in trig
    assert '\tresult:kantarjian2016-t2-crcri-ino dcterms:identifier "kantarjian2016-t2-crcri-ino" ;' in trig
    assert _quads(trig, "trig") == _quads(serialize_nquads(built.dataset), "nquads")


def test_turtle_export_has_no_escaped_names(built: BuiltDataset, tmp_path: Path) -> None:
    out = tmp_path / "inograph.ttl"
    export(built.dataset, ExportFormat.TURTLE, out)
    turtle = out.read_text(encoding="utf-8")
    assert "\\/" not in turtle
    assert _triples(turtle, "turtle") == _triples(serialize_nquads(built.dataset), "nquads")


def test_virtuoso_loads_the_trig_with_the_same_iris(built: BuiltDataset, tmp_path: Path) -> None:
    """Virtuoso 7's TriG reader kept the backslash of ``inod:result\\/x``: now every IRI it
    loads from the TriG is one of the N-Quads' IRIs."""
    trig = tmp_path / "inograph.trig"
    trig.write_text(serialize_trig(built.dataset), encoding="utf-8")
    try:
        server = virtuoso_server(trig, tmp_path / "virtuoso")
        url = server.__enter__()
    except FileNotFoundError as exc:
        pytest.skip(str(exc))
    try:
        query = (
            "SELECT (COUNT(*) AS ?quads) (SUM(IF(CONTAINS(STR(?s), '\\\\'), 1, 0)) AS ?escaped) "
            "WHERE { GRAPH ?g { ?s ?p ?o } FILTER (STRSTARTS(STR(?g), 'https://w3id.org/inograph/graph/')) }"
        )
        answer = requests.post(
            url, data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=60
        ).json()["results"]["bindings"][0]
        assert int(answer["escaped"]["value"]) == 0
        assert int(answer["quads"]["value"]) == serialize_nquads(built.dataset).count("\n")
        subject = requests.post(
            url,
            data={
                "query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { "
                "<https://w3id.org/inograph/id/result/kantarjian2016-t2-crcri-ino> ?p ?o } }"
            },
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        ).json()["results"]["bindings"][0]
        nquads = serialize_nquads(built.dataset)
        subject_iri = "<https://w3id.org/inograph/id/result/kantarjian2016-t2-crcri-ino> "
        stated = sum(line.startswith(subject_iri) for line in nquads.splitlines())
        assert int(subject["n"]["value"]) == stated
    finally:
        server.__exit__(None, None, None)
