"""The curated evidence against the source texts: every quote verbatim, every value printed in
its quote, and at least as many results as a count of the sources' own tables finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from inograph.build import BuiltDataset
from inograph.evidence import load_evidence
from inograph.resources import evidence_files
from inograph.stats import graph_stats
from inograph.validation import load_shapes
from inograph.value_check import check_printed_values, number_words, printed_forms

PUBLICATIONS = ("kantarjian2013", "kantarjian2016", "kantarjian2019", "morley2016")


def test_every_publication_is_curated() -> None:
    evidence = load_evidence(evidence_files())
    assert sorted(evidence.publications) == sorted(PUBLICATIONS)


def test_every_quote_is_an_exact_substring_of_its_source(sources_dir: Path) -> None:
    evidence = load_evidence(evidence_files())
    missing = []
    for curation in evidence.curations:
        text = (sources_dir / curation.publication.source_file).read_text(encoding="utf-8")
        for result in curation.results:
            if result.quote is not None and ((result.prefix or "") + result.quote) not in text:
                missing.append(result.id)
    assert missing == []


def test_every_printed_value_occurs_in_its_quote() -> None:
    evidence = load_evidence(evidence_files())
    assert check_printed_values(evidence.results.values()) == []


def test_only_derived_results_lack_a_quote() -> None:
    evidence = load_evidence(evidence_files())
    unquoted = {r.id for r in evidence.results.values() if r.quote is None}
    derived = {r.id for r in evidence.results.values() if r.derived is not None}
    assert unquoted == derived


@pytest.mark.parametrize(
    ("value", "forms"),
    [
        (80.7, {"80.7"}),
        (0.55, {"0.55", ".55"}),
        (3500.0, {"3500", "3,500", "3\u2009500"}),
        (0.0001, {"0.0001", ".0001", "104", "1024"}),
        (-2.5, {"-2.5", "\u22122.5", "\u20132.5"}),
    ],
)
def test_printed_forms(value: float, forms: set[str]) -> None:
    assert printed_forms(value) == forms


def test_number_words() -> None:
    assert number_words(13) == {"thirteen"}
    assert number_words(0) == {"zero", "no ", "none"}
    assert number_words(22) == {"twenty two", "twenty-two", "twentytwo"}
    assert number_words(2.5) == set()


_CELL = re.compile(r"\b\d+ \(\d+(?:\.\d+)?\)")  # "76 (70)": a count with its percentage


@pytest.mark.parametrize("publication", PUBLICATIONS)
def test_no_fewer_n_percent_results_than_n_percent_cells_in_the_source(
    publication: str, sources_dir: Path
) -> None:
    """Each "n (%)" printed in the body (reference list excluded) is one percentage with n."""
    evidence = load_evidence(evidence_files())
    curation = evidence.curation_of(publication)
    text = (sources_dir / curation.publication.source_file).read_text(encoding="utf-8")
    body = re.split(r"\n(?:REFERENCES|References)\s*\n", text)[0]
    cells = len(_CELL.findall(body))
    curated = sum(1 for r in curation.results if r.measure == "percentage" and r.n is not None)
    assert curated >= cells


def test_stats_lower_bounds(built: BuiltDataset) -> None:
    stats = graph_stats(built.dataset, load_shapes())
    by_pub = stats.results_by_publication
    # lower bounds from the sources: the tables alone hold these many cells
    assert sum(by_pub["kantarjian2016"].values()) >= 190 + 104  # Table 1 (84 + headers) and Table 3 (26 x 4)
    assert sum(by_pub["kantarjian2019"].values()) >= 78 + 140  # Table 1 (39 x 2) and Table 4 (14 x 10)
    assert by_pub["kantarjian2019"]["hazard_ratio"] >= 16  # Table 3: InO and SoC columns
    assert by_pub["kantarjian2019"]["odds_ratio"] >= 2  # VOD/SOS risk factors
    assert by_pub["kantarjian2016"]["hazard_ratio"] >= 3  # remission duration, PFS, OS
    assert sum(by_pub["kantarjian2013"].values()) >= 300  # Tables 1-4 of the phase 2 study: ~250 cells
    assert sum(by_pub["morley2016"].values()) >= 100
    assert stats.quotes == stats.anchors == stats.results - stats.derived_results
    assert stats.restated_results >= 150
    assert stats.reference_entries >= 38 + 14 + 28  # NEJM 2016, Cancer 2013, the review
    assert stats.shapes.sparql_constraints >= 7
