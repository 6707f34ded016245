"""Modelling drift between reports (``inograph check-drift``): crafted curations that must and
must not be flagged, the reviewed list, and the packaged evidence with no open candidate."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from inograph.cli import cli, main
from inograph.drift import DriftKind, find_drift, load_reviewed
from inograph.errors import EvidenceError
from inograph.evidence import load_evidence
from inograph.resources import evidence_files, reviewed_drift_file

FIRST = """\
publication:
  id: first2020
  title: First report
  year: 2020
  source_file: first.txt
  kind: primary-report
  reports_trials: [tiny]
trials:
  - id: tiny
    label: TINY
    arms:
      - {id: tiny-x, label: Drug X}
      - {id: tiny-soc, label: Standard therapy}
cutoffs:
  - {id: tiny-2020, trial: tiny, date: 2020-01-01, label: first cutoff}
populations:
  - {id: tiny-itt, trial: tiny, kind: itt, label: All randomized}
  - {id: tiny-safety, trial: tiny, kind: safety, label: Treated}
endpoints:
  - {id: cr, label: Complete remission, kind: efficacy}
  - {id: hsct, label: Stem-cell transplantation, kind: efficacy}
  - {id: bl-age, label: Age, kind: baseline}
  - {id: ae-nausea, label: Nausea, kind: adverse-event}
  - {id: ae-rash, label: Rash, kind: adverse-event}
results:
  - {id: first2020-cr-x, measure: percentage, endpoint: cr, trial: tiny, population: tiny-itt, arm: tiny-x,
     value: 80.7, unit: '%', n: 88, N: 109, cutoff: tiny-2020, location: {section: Results}, quote: "80.7%"}
  - {id: first2020-hsct-x, measure: percentage, endpoint: hsct, trial: tiny, population: tiny-itt, arm: tiny-x,
     value: 41, unit: '%', setting: directly after treatment, location: {section: Results}, quote: "41%"}
  - {id: first2020-age-x, measure: percentage, endpoint: bl-age, trial: tiny, population: tiny-itt, arm: tiny-x,
     value: 24, unit: '%', category: '>=55 yr', location: {section: Table 1}, quote: "24%"}
  - {id: first2020-nausea-x, measure: count, endpoint: ae-nausea, trial: tiny, population: tiny-safety,
     arm: tiny-x, value: 2, location: {section: Results}, quote: "2 patients"}
  - {id: first2020-cr-soc, measure: percentage, endpoint: cr, trial: tiny, population: tiny-itt, arm: tiny-soc,
     value: 29.4, unit: '%', n: 32, N: 109, location: {section: Results}, quote: "29.4%"}
  - {id: first2020-t3-nausea-x, measure: percentage, endpoint: ae-nausea, trial: tiny, population: tiny-safety,
     arm: tiny-x, value: 12, unit: '%', grade: any, serious: true, setting: during treatment,
     location: {section: Table 3}, quote: "12"}
"""

# the same quantities, curated under other identities: must be flagged
DRIFTING = """\
publication:
  id: second2021
  title: Second report
  year: 2021
  source_file: second.txt
  kind: final-report
  reports_trials: [tiny]
populations:
  - {id: second2021-tiny-itt, trial: tiny, kind: itt, label: All randomized (review's copy)}
endpoints:
  - {id: complete-remission, label: Complete remission, kind: efficacy}
  - {id: hsct, label: Stem-cell transplantation, kind: efficacy}
  - {id: ae-nausea, label: Nausea, kind: adverse-event}
results:
  - {id: second2021-cr-x, measure: percentage, endpoint: complete-remission, trial: tiny,
     population: second2021-tiny-itt, arm: tiny-x, value: 80.7, unit: '%', location: {section: Intro},
     quote: "80.7%"}
  - {id: second2021-hsct-x, measure: percentage, endpoint: hsct, trial: tiny, population: tiny-itt,
     arm: tiny-x, value: 41, unit: '%', category: proceeded directly to transplant, location: {section: Intro},
     quote: "41%"}
  - {id: second2021-t4-nausea-x, measure: percentage, endpoint: ae-nausea, trial: tiny, population: tiny-safety,
     arm: tiny-x, value: 11.6, unit: '%', grade: any, serious: true, category: Nausea,
     location: {section: Table 4}, quote: "11.6"}
"""

# equal numbers that say nothing, or the same identities: must not be flagged
CLEAN = """\
publication:
  id: second2021
  title: Second report
  year: 2021
  source_file: second.txt
  kind: final-report
  reports_trials: [tiny]
endpoints:
  - {id: cr, label: Complete remission, kind: efficacy}
  - {id: ae-rash, label: Rash, kind: adverse-event}
  - {id: ae-nausea, label: Nausea, kind: adverse-event}
  - {id: hsct, label: Stem-cell transplantation, kind: efficacy}
results:
  - {id: second2021-cr-x, measure: percentage, endpoint: cr, trial: tiny, population: tiny-itt, arm: tiny-x,
     value: 80.7, unit: '%', location: {section: Intro}, quote: "80.7%"}
  - {id: second2021-hsct-x, measure: percentage, endpoint: hsct, trial: tiny, population: tiny-itt,
     arm: tiny-x, value: 41, unit: '%', setting: directly after treatment, location: {section: Intro},
     quote: "41%"}
  - {id: second2021-rash-x, measure: percentage, endpoint: ae-rash, trial: tiny, population: tiny-itt,
     arm: tiny-x, value: 24, unit: '%', location: {section: Table 3}, quote: "24%"}
  - {id: second2021-rash-count-x, measure: count, endpoint: ae-rash, trial: tiny, population: tiny-safety,
     arm: tiny-x, value: 2, location: {section: Results}, quote: "2 patients"}
  - {id: second2021-cr-soc, measure: percentage, endpoint: cr, trial: tiny, population: tiny-itt,
     arm: tiny-soc, value: 29.4, unit: '%', n: 31, N: 109, location: {section: Results}, quote: "29.4%"}
  - {id: second2021-t4-nausea-x, measure: percentage, endpoint: ae-nausea, trial: tiny, population: tiny-safety,
     arm: tiny-x, value: 11.6, unit: '%', grade: any, serious: true, setting: during treatment,
     location: {section: Table 4}, quote: "11.6"}
"""


def _write(tmp_path: Path, second: str) -> list[Path]:
    (tmp_path / "first2020.yaml").write_text(FIRST, encoding="utf-8")
    (tmp_path / "second2021.yaml").write_text(second, encoding="utf-8")
    return [tmp_path / "first2020.yaml", tmp_path / "second2021.yaml"]


def test_drifting_identities_are_flagged(tmp_path: Path) -> None:
    report = find_drift(load_evidence(_write(tmp_path, DRIFTING)))
    found = {(c.first.id, c.second.id, c.kinds) for c in report.candidates}
    assert found == {
        ("first2020-cr-x", "second2021-cr-x", (DriftKind.ENDPOINT, DriftKind.POPULATION)),
        ("first2020-hsct-x", "second2021-hsct-x", (DriftKind.FIELD,)),
        # a table filed under setting in one report and under category in the other, values aside
        ("first2020-t3-nausea-x", "second2021-t4-nausea-x", (DriftKind.FIELD_SPLIT,)),
    }
    assert not report.ok


def test_coincidences_and_equal_identities_are_not_flagged(tmp_path: Path) -> None:
    # 24% of a baseline row vs 24% of an adverse event (different endpoint kinds), a count of 2
    # (too common to mean anything), equal ids, and different n (88 vs 31) are no candidates
    report = find_drift(load_evidence(_write(tmp_path, CLEAN)))
    assert report.candidates == ()
    assert report.ok


def test_cli_lists_both_places_and_fails(tmp_path: Path) -> None:
    paths = _write(tmp_path, DRIFTING)
    reviewed = tmp_path / "reviewed.yaml"
    reviewed.write_text("[]\n", encoding="utf-8")
    args = ["check-drift", "--reviewed", str(reviewed)] + [a for p in paths for a in ("--evidence", str(p))]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{paths[0]}:26: first2020-cr-x" in lines
    assert f"{paths[1]}:15: second2021-cr-x" in lines
    assert (
        "  tiny · tiny-x · percentage 80.7 %: endpoint cr | complete-remission; "
        "population tiny-itt | second2021-tiny-itt" in lines
    )
    assert (
        "  tiny · tiny-x · percentage 41 %: row detail in setting 'directly after treatment' | "
        "category 'proceeded directly to transplant'" in lines
    )
    assert (
        "  tiny · tiny-x · percentage 12 %: row detail in setting 'during treatment' | category 'Nausea'"
        in lines
    )
    assert lines[-1] == "3 candidate pair(s): 0 reviewed, 3 open; 0 stale reviewed entries"


def test_cli_passes_when_every_candidate_is_reviewed(tmp_path: Path) -> None:
    paths = _write(tmp_path, DRIFTING)
    reviewed = tmp_path / "reviewed.yaml"
    reviewed.write_text(
        "- results: [second2021-cr-x, first2020-cr-x]\n  reason: crafted\n"
        "- results: [first2020-hsct-x, second2021-hsct-x]\n  reason: crafted\n"
        "- results: [first2020-t3-nausea-x, second2021-t4-nausea-x]\n  reason: crafted\n",
        encoding="utf-8",
    )
    args = ["check-drift", "--reviewed", str(reviewed)] + [a for p in paths for a in ("--evidence", str(p))]
    result = CliRunner().invoke(cli, args)
    assert (result.exit_code, result.output) == (
        0,
        "3 candidate pair(s): 3 reviewed, 0 open; 0 stale reviewed entries\n",
    )


def test_a_stale_reviewed_entry_fails(tmp_path: Path) -> None:
    paths = _write(tmp_path, CLEAN)
    reviewed = tmp_path / "reviewed.yaml"
    reviewed.write_text(
        "- results: [first2020-cr-x, second2021-cr-x]\n  reason: was drift\n", encoding="utf-8"
    )
    args = ["check-drift", "--reviewed", str(reviewed)] + [a for p in paths for a in ("--evidence", str(p))]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{reviewed}:1: reviewed pair first2020-cr-x second2021-cr-x is no longer a candidate",
        "0 candidate pair(s): 0 reviewed, 0 open; 1 stale reviewed entry",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- results: [a]\n  reason: x\n", "reviewed.yaml:1: 'results' must list two result ids"),
        (
            "- results: [a, b]\n",
            "reviewed.yaml:1: an entry has exactly the keys 'results' (two ids) and 'reason'",
        ),
        (
            "- results: [a, b]\n  reason: x\n- results: [b, a]\n  reason: y\n",
            "reviewed.yaml:3: pair already reviewed at",
        ),
        ("- results: [a, b]\n  reason: '  '\n", "reviewed.yaml:1: 'reason' must say why"),
    ],
)
def test_bad_reviewed_entries_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    reviewed = tmp_path / "reviewed.yaml"
    reviewed.write_text(text, encoding="utf-8")
    with pytest.raises(EvidenceError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_reviewed(reviewed)


def test_unknown_result_in_reviewed_list_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = _write(tmp_path, CLEAN)
    reviewed = tmp_path / "reviewed.yaml"
    reviewed.write_text("- results: [first2020-cr-x, nowhere-1]\n  reason: x\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(
            ["check-drift", "--reviewed", str(reviewed)] + [a for p in paths for a in ("--evidence", str(p))]
        )
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == f"inograph: error: {reviewed}:1: unknown result id 'nowhere-1'\n"


def test_packaged_evidence_has_no_open_drift() -> None:
    report = find_drift(load_evidence(evidence_files()), load_reviewed(reviewed_drift_file()))
    assert report.open == ()
    assert report.stale == ()
    # every remaining candidate was read in the sources: 22 pairs, each with its reason
    assert len(report.candidates) == 22
    assert all(entry.reason for entry in report.reviewed)
