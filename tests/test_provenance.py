"""trace: a table cell, a text statement and a restated figure, field by field, in all formats."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from inograph.build import BuiltDataset, write_dataset
from inograph.cli import cli
from inograph.correspondence import ReportedQuantity, find_originals, same_quantity
from inograph.errors import QueryError
from inograph.namespaces import DATA, GRAPH, INO, OA, PROV, XSD
from inograph.provenance import (
    Relation,
    TraceFormat,
    format_trace,
    render_json,
    render_text,
    resolve_result,
    trace,
    trace_subgraph,
    with_context,
)
from inograph.published import load_dataset

K2016_SHA = "fa7ef893708b622a7b3eea328f76675fd4906490a86566b8dde5604a1b6cf03e"
TABLE_ROW = "Total\t88/109\t80.7 (72.1–87.7)\t32/109\t29.4 (21.0–38.8)\t51.4 (38.4–64.3)\t<0.001"


@pytest.fixture(scope="module")
def trig(built: BuiltDataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    trig, _ = write_dataset(built.dataset, tmp_path_factory.mktemp("published"))
    return trig


def test_trace_of_a_table_cell(built: BuiltDataset) -> None:
    r = trace(built.dataset, "kantarjian2016-t2-crcri-ino")
    assert r.iri == "https://w3id.org/inograph/id/result/kantarjian2016-t2-crcri-ino"
    s = r.statistic
    assert (s.measure, s.value, s.unit, s.n, s.N) == ("Percentage", Decimal("80.7"), "%", 88, 109)
    assert (s.ci_lower, s.ci_upper, s.ci_level, s.p_value) == (
        Decimal("72.1"),
        Decimal("87.7"),
        Decimal("95"),
        None,
    )
    assert (r.endpoint.id, r.trial and r.trial.id, r.arm and r.arm.id, r.comparator) == (
        "cr-cri",
        "inovate",
        "inovate-ino",
        None,
    )
    assert (r.population and r.population.id, r.population_kind) == ("inovate-itt218", "remission-analysis")
    assert (r.cutoff and r.cutoff.id, r.cutoff_date) == ("inovate-2014-10-02", "2014-10-02")
    assert (r.publication.id, r.publication.doi, r.publication.year) == (
        "kantarjian2016",
        "10.1056/NEJMoa1509277",
        2016,
    )
    assert r.publication.citation == (
        "Kantarjian HM, DeAngelo DJ, Stelljes M, et al. Inotuzumab Ozogamicin versus Standard "
        "Therapy for Acute Lymphoblastic Leukemia. N Engl J Med 2016;375:740-53."
    )
    loc = r.location
    assert (loc.section, loc.table, loc.figure) == ("Results", "Table 2", None)
    assert loc.row == "Complete remission or complete remission with incomplete hematologic recovery / Total"
    assert loc.column == "Inotuzumab Ozogamicin Group (no./total no.; % (95% CI))"
    assert r.quote == TABLE_ROW
    a = r.anchor
    assert a is not None
    assert (a.source_file, a.sha256, a.start, a.end, a.exact) == (
        "000_4bc9747dee4c5d0d.txt",
        K2016_SHA,
        27952,
        28029,
        TABLE_ROW,
    )
    assert (a.prefix, a.suffix) == (
        "lete hematologic recovery\t\t\t\t\t\t\n",
        "\nBone marrow blast results below",
    )
    assert a.annotation == "https://w3id.org/inograph/id/annotation/kantarjian2016-t2-crcri-ino"
    assert r.cited_origin is None and r.originals == ()
    # from the linker's triples (graph inog:links), which the build now writes
    assert [(o.id, o.relation, o.basis, o.value) for o in r.other_reports] == [
        ("kantarjian2019-prior-crcri-ino-itt218", Relation.LATER, "ino:agreesWith", Decimal("80.7")),
        ("kantarjian2019-crcri-ino-itt", Relation.LATER, "ino:sameQuantityAs", Decimal("73.8")),
        ("kantarjian2019-crcri-ino-mitt", Relation.LATER, "ino:sameQuantityAs", Decimal("73.8")),
        ("kantarjian2016-abs-crcri-ino", Relation.SAME_PUBLICATION, "ino:agreesWith", Decimal("80.7")),
        (
            "kantarjian2016-res-crcri-astreated-ino",
            Relation.SAME_PUBLICATION,
            "ino:sameQuantityAs",
            Decimal("80.7"),
        ),
        ("kantarjian2016-res-crcri-ino", Relation.SAME_PUBLICATION, "ino:agreesWith", Decimal("80.7")),
        # the review's 80.7% vs 33.3% is the as-treated analysis: the same quantity, another population
        ("morley2016-inovate-crcri-ino", Relation.UNORDERED, "ino:sameQuantityAs", Decimal("80.7")),
    ]
    curation = (Path(__file__).parents[1] / "evidence" / "kantarjian2016.yaml").read_text(encoding="utf-8")
    line = curation.splitlines().index("- id: kantarjian2016-t2-crcri-ino") + 1
    assert r.curated_at == f"kantarjian2016.yaml:{line}"
    assert r.context is None  # only with the source texts


def test_trace_of_a_text_statement_in_context(built: BuiltDataset, sources_dir: Path) -> None:
    r = with_context(trace(built.dataset, "kantarjian2016-disc-mda-or"), sources_dir, width=40)
    assert (r.statistic.value, r.statistic.unit, r.endpoint.id) == (Decimal("58"), "%", "overall-response")
    # the NEJM restates the phase 2 study's overall response on that study's own trial and population
    assert (r.trial and r.trial.id, r.population and r.population.id, r.arm, r.cutoff) == (
        "mda-phase2",
        "mda-phase2-all",
        None,
        None,
    )
    assert (r.location.section, r.location.table) == ("Discussion", None)
    assert r.quote == "higher than a previously reported rate of 58%,³⁰"
    assert r.anchor is not None and (r.anchor.start, r.anchor.end) == (37848, 37896)
    c = r.context
    assert c is not None
    assert (c.source_file, c.line, c.problems, c.start) == ("000_4bc9747dee4c5d0d.txt", 275, (), 37848)
    assert (c.before, c.quote, c.after) == (
        "cin that was observed in this trial was ",
        "higher than a previously reported rate of 58%,³⁰",
        " possibly because the patients involved ",
    )
    # a restatement of kantarjian2013 on its trial and population: the linker links it to the
    # originals, and the 2013 Discussion's "58% of patients achieved a bone marrow CR" is the
    # overall response (52/90) too
    assert r.cited_origin is not None and r.cited_origin.id == "kantarjian2013"
    assert r.cited_origin.doi == "10.1002/cncr.28136"
    assert [(o.id, o.relation, o.basis) for o in r.originals] == [
        ("kantarjian2013-abs-orr", Relation.ORIGINAL, "ino:agreesWith"),
        ("kantarjian2013-disc-marrow-cr", Relation.ORIGINAL, "ino:agreesWith"),
        ("kantarjian2013-orr", Relation.ORIGINAL, "ino:agreesWith"),
    ]


def test_trace_of_a_restated_figure(built: BuiltDataset) -> None:
    r = trace(built.dataset, "inod:result/kantarjian2019-prior-crcri-ino-itt218")
    assert (r.statistic.value, r.publication.id, r.location.section) == (
        Decimal("80.7"),
        "kantarjian2019",
        "Introduction",
    )
    assert r.quote == "(80.7% vs 29.4% with SoC)"
    assert r.anchor is not None and (r.anchor.start, r.anchor.end) == (4463, 4488)
    assert r.cited_origin is not None
    assert (r.cited_origin.iri, r.cited_origin.id, r.cited_origin.doi) == (
        str(DATA["publication/kantarjian2016"]),
        "kantarjian2016",
        "10.1056/NEJMoa1509277",
    )
    assert [(o.id, o.value, o.cutoff_date, o.basis) for o in r.originals] == [
        ("kantarjian2016-abs-crcri-ino", Decimal("80.7"), "2014-10-02", "ino:agreesWith"),
        ("kantarjian2016-res-crcri-astreated-ino", Decimal("80.7"), "2014-10-02", "ino:sameQuantityAs"),
        ("kantarjian2016-res-crcri-ino", Decimal("80.7"), "2014-10-02", "ino:agreesWith"),
        ("kantarjian2016-t2-crcri-ino", Decimal("80.7"), "2014-10-02", "ino:agreesWith"),
    ]
    assert [(o.id, o.relation) for o in r.other_reports] == [
        ("morley2016-inovate-crcri-ino", Relation.EARLIER),
        ("kantarjian2019-crcri-ino-itt", Relation.SAME_PUBLICATION),
        ("kantarjian2019-crcri-ino-mitt", Relation.SAME_PUBLICATION),
    ]


def test_text_view(built: BuiltDataset, sources_dir: Path) -> None:
    text = format_trace(
        built.dataset, "kantarjian2016-t2-crcri-ino", TraceFormat.TEXT, sources_dir=sources_dir
    )
    lines = text.splitlines()
    assert lines[:4] == [
        "kantarjian2016-t2-crcri-ino",
        "  <https://w3id.org/inograph/id/result/kantarjian2016-t2-crcri-ino>",
        "",
        "  value        80.7%  (88/109)  95% CI 72.1 to 87.7",
    ]
    assert "  doi          10.1056/NEJMoa1509277  (https://doi.org/10.1056/NEJMoa1509277)" in lines
    assert f"  quote        {json.dumps(TABLE_ROW, ensure_ascii=False)}" in lines
    assert "  in context   000_4bc9747dee4c5d0d.txt, line 203 (anchor verified)" in lines
    assert f"    »{TABLE_ROW}«" in lines
    assert (
        "    later            kantarjian2019-prior-crcri-ino-itt218  80.7%  "
        "(kantarjian2019, cutoff 2014-10-02; ino:agreesWith)"
    ) in lines


def test_json_view_is_the_record(built: BuiltDataset) -> None:
    record = trace(built.dataset, "kantarjian2016-t2-crcri-ino")
    data = json.loads(render_json(record))
    assert data["statistic"]["value"] == 80.7 and data["statistic"]["n"] == 88
    assert data["anchor"]["start"] == 27952 and data["anchor"]["sha256"] == K2016_SHA
    assert data["location"]["table"] == "Table 2"
    assert data["other_reports"][0]["relation"] == "later"
    assert render_text(record).startswith("kantarjian2016-t2-crcri-ino\n")


def test_turtle_view_is_the_prov_subgraph(built: BuiltDataset) -> None:
    turtle = format_trace(built.dataset, "kantarjian2016-t2-crcri-ino", TraceFormat.TURTLE)
    g = Graph().parse(data=turtle, format="turtle")
    r = DATA["result/kantarjian2016-t2-crcri-ino"]
    ann = DATA["annotation/kantarjian2016-t2-crcri-ino"]
    target = DATA["annotation/kantarjian2016-t2-crcri-ino/target"]
    position = DATA["annotation/kantarjian2016-t2-crcri-ino/position-selector"]
    quote = DATA["annotation/kantarjian2016-t2-crcri-ino/quote-selector"]
    source = DATA["source/kantarjian2016"]
    pub = DATA["publication/kantarjian2016"]
    assert (r, PROV.wasDerivedFrom, ann) in g
    assert (ann, OA.hasTarget, target) in g
    assert (target, OA.hasSource, source) in g
    assert (target, OA.hasSelector, quote) in g
    assert (quote, OA.exact, Literal(TABLE_ROW)) in g
    assert (position, OA.start, Literal(27952, datatype=XSD.integer)) in g
    assert (position, OA.end, Literal(28029, datatype=XSD.integer)) in g
    assert (source, INO.sha256, Literal(K2016_SHA)) in g
    assert (r, INO.reportedIn, pub) in g
    assert (pub, INO.doi, Literal("10.1056/NEJMoa1509277")) in g
    assert (DATA["result/kantarjian2016-t2-crcri-ino/location"], INO.table, Literal("Table 2")) in g
    assert len(g) == len(trace_subgraph(built.dataset, str(r)))


def test_without_linker_triples_the_matching_rule_decides(trig: Path) -> None:
    dataset = load_dataset(trig)  # a private copy: the session's dataset stays unchanged
    dataset.remove_graph(GRAPH["links"])
    r = trace(dataset, "kantarjian2019-prior-crcri-ino-itt218")
    assert [(o.id, o.basis) for o in r.originals] == [
        ("kantarjian2016-abs-crcri-ino", "matching rule"),
        ("kantarjian2016-res-crcri-ino", "matching rule"),
        ("kantarjian2016-t2-crcri-ino", "matching rule"),
    ]
    # the review's as-treated 80.7% is another population than the first 218, so the rule leaves it out
    assert [(o.id, o.relation) for o in r.other_reports] == []
    t = trace(dataset, "kantarjian2016-t2-crcri-ino")
    assert [(o.id, o.relation) for o in t.other_reports] == [
        ("kantarjian2019-prior-crcri-ino-itt218", Relation.LATER),
        ("kantarjian2016-abs-crcri-ino", Relation.SAME_PUBLICATION),
        ("kantarjian2016-res-crcri-ino", Relation.SAME_PUBLICATION),
    ]
    m = trace(dataset, "morley2016-inovate-crcri-ino")
    assert ("kantarjian2016-res-crcri-astreated-ino", Relation.UNORDERED) in [
        (o.id, o.relation) for o in m.other_reports
    ]


def test_result_ids_iris_and_unknown_results(built: BuiltDataset) -> None:
    iri = "https://w3id.org/inograph/id/result/x"
    assert resolve_result("x") == resolve_result("inod:result/x") == resolve_result(f"<{iri}>") == URIRef(iri)
    with pytest.raises(QueryError, match="no result 'nope' in the graph"):
        trace(built.dataset, "nope")


def test_cli_trace_reads_a_published_file(trig: Path, sources_dir: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["trace", "kantarjian2016-t2-crcri-ino", "--dataset", str(trig), "-f", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["anchor"]["end"] == 28029
    text = runner.invoke(
        cli, ["trace", "kantarjian2016-t2-crcri-ino", "--dataset", str(trig), "--sources", str(sources_dir)]
    )
    assert "  in context   000_4bc9747dee4c5d0d.txt, line 203 (anchor verified)" in text.output.splitlines()


def _q(ident: str, pub: str, **fields: object) -> ReportedQuantity:
    return ReportedQuantity(ident, ident, pub, pub, 2016, "cr", **fields)  # type: ignore[arg-type]


def test_matching_rule() -> None:
    a = _q("a", "p1", trial="t", arm="x", population="t-itt", population_kind="itt", value=Decimal(1))
    b = _q("b", "p2", trial="t", arm="x", population="p2-itt", population_kind="itt", value=Decimal(2))
    assert same_quantity(a, b)  # the value is not part of the quantity
    assert not same_quantity(a, _q("c", "p2", trial="t", arm="y", population="t-itt"))
    sub1 = _q("d", "p1", trial="t", population="s1", population_kind="subgroup", characteristic="Age >=55")
    sub2 = _q("e", "p2", trial="t", population="s2", population_kind="subgroup", characteristic="Age <55")
    assert not same_quantity(sub1, sub2)
    restated = _q("r", "p3", value=Decimal(2), origin="p2")  # no trial, arm, population: wildcards
    assert find_originals(restated, [a, b]) == (b,)
