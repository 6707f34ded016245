"""The FHIR R5 export (``inograph export fhir``): valid R5, exact round trips, ids, filters, CLI.

Validation uses the ``fhir.resources`` models (R5, 5.0.0), which check every element, cardinality
and datatype of every resource in the Bundle.  The round-trip tests read the numbers back through
those models and compare them with the sentences of the source texts.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

fhir_resources = pytest.importorskip(
    "fhir.resources", reason="the FHIR tests need fhir.resources (test extra)"
)
from fhir.resources.bundle import Bundle  # noqa: E402
from fhir.resources.evidence import Evidence  # noqa: E402
from pydantic import ValidationError  # noqa: E402

from inograph.build import BuiltDataset, write_dataset  # noqa: E402
from inograph.cli import main  # noqa: E402
from inograph.errors import ExportError  # noqa: E402
from inograph.export.fhir import bundle_json, fhir_bundle  # noqa: E402
from inograph.export.fhir_terms import fhir_id  # noqa: E402
from inograph.namespaces import DATA, INO, RDF  # noqa: E402

EXT = "https://w3id.org/inograph/fhir/StructureDefinition/"
STAT = "http://terminology.hl7.org/CodeSystem/statistic-type"
ESTIMATE = "http://terminology.hl7.org/CodeSystem/attribute-estimate-type"
ROLE = "http://terminology.hl7.org/CodeSystem/variable-role"


@pytest.fixture(scope="module")
def text(built: BuiltDataset) -> str:
    return bundle_json(fhir_bundle(built.dataset))


@pytest.fixture(scope="module")
def data(text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@pytest.fixture(scope="module")
def model(data: dict[str, Any]) -> Bundle:
    return Bundle.model_validate(data)


@pytest.fixture(scope="module")
def evidence(model: Bundle) -> dict[str, Evidence]:
    return {e.resource.id: e.resource for e in model.entry if e.resource.get_resource_type() == "Evidence"}


@pytest.fixture(scope="module")
def trig(built: BuiltDataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path, _ = write_dataset(built.dataset, tmp_path_factory.mktemp("published"))
    return path


def _ext(element: Any, name: str) -> Any:
    found = [e for e in element.extension or [] if e.url == EXT + name]
    assert len(found) == 1, name
    return found[0]


def _roles(resource: Evidence) -> dict[str, str]:
    return {v.variableRole.coding[0].code: v.observed.reference for v in resource.variableDefinition}


def _estimate(resource: Evidence, code: str) -> Any:
    found = [a for a in resource.statistic[0].attributeEstimate if a.type.coding[0].code == code]
    assert len(found) == 1
    return found[0]


# -- validity -----------------------------------------------------------------------------


def test_the_library_validates_r5() -> None:
    assert fhir_resources.__fhir_version__ == "5.0.0"


def test_bundle_is_a_valid_r5_collection_with_the_documented_counts(
    data: dict[str, Any], model: Bundle
) -> None:
    assert model.type == "collection"
    assert model.id == "inograph"
    counts = Counter(e["resource"]["resourceType"] for e in data["entry"])
    # 4 reports + 26 cited works whose figures a result restates; 1,578 results (inograph stats; 11
    # methods numbers and covariate codings are no results)
    # ArtifactAssessment: 5 documented source inconsistencies (the 5th, a truncated P of the 2013
    # Table 1, found by check-stats) and 2 conflicts within one publication (inograph links finds
    # none across publications)
    assert counts == {"Citation": 30, "EvidenceVariable": 235, "Evidence": 1578, "ArtifactAssessment": 7}
    assert [e.resource.get_resource_type() for e in model.entry] == [
        e["resource"]["resourceType"] for e in data["entry"]
    ]


def test_validation_is_not_a_formality(data: dict[str, Any]) -> None:
    broken = copy.deepcopy(data)
    first = next(e["resource"] for e in broken["entry"] if e["resource"]["resourceType"] == "Evidence")
    first["statistic"][0]["attributeEstimate"] = [{"level": "ninety-five"}]
    with pytest.raises(ValidationError, match="level"):
        Bundle.model_validate(broken)


def test_one_evidence_per_result_with_its_iri_as_identifier(
    built: BuiltDataset, evidence: dict[str, Evidence]
) -> None:
    results = {str(r) for r in built.dataset.subjects(RDF.type, INO.Result)}
    identifiers = {e.identifier[0].value for e in evidence.values()}
    assert identifiers == results
    assert all(e.identifier[0].system == "urn:ietf:rfc:3986" for e in evidence.values())
    assert {e.identifier[1].value for e in evidence.values()} == {r.rsplit("/", 1)[1] for r in results}


def test_ids_are_valid_unique_and_full_urls_match(data: dict[str, Any]) -> None:
    keys = [(e["resource"]["resourceType"], e["resource"]["id"]) for e in data["entry"]]
    assert len(set(keys)) == len(keys)
    assert all(re.fullmatch(r"[A-Za-z0-9\-.]{1,64}", ident) for _, ident in keys)
    for entry in data["entry"]:
        r = entry["resource"]
        assert entry["fullUrl"] == f"https://w3id.org/inograph/fhir/{r['resourceType']}/{r['id']}"


def test_every_reference_resolves_inside_the_bundle(text: str, data: dict[str, Any]) -> None:
    present = {f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in data["entry"]}
    references = set(re.findall(r'"reference": "([^"]+)"', text))
    assert references
    assert references <= present


def test_long_graph_ids_get_a_stable_hashed_fhir_id(evidence: dict[str, Evidence]) -> None:
    long_id = "kantarjian2013-hsct-donor-weekly-haploidentical-related-donor"
    assert len(long_id) == 61  # fits the 64 characters of a FHIR id as it is
    assert fhir_id(long_id) == long_id
    hashed = fhir_id("conflict", "kantarjian2016-abs-crcri-soc", "morley2016-inovate-crcri-soc")
    assert hashed == "conflict-kantarjian2016-abs-crcri-soc-morley2016-inov-68fccdac7a"
    assert fhir_id("a b/c") == "a-b-c-" + hashlib.sha256(b"a b/c").hexdigest()[:10]


def test_statistic_types_come_from_the_r5_code_system(data: dict[str, Any]) -> None:
    codes = Counter(
        (c["system"], c["code"], c.get("display"))
        for e in data["entry"]
        if e["resource"]["resourceType"] == "Evidence"
        for c in e["resource"]["statistic"][0]["statisticType"].get("coding", [])
    )
    # measure counts of inograph stats: percentage 765 + rate 22, count 363, median 112, HR 28,
    # OR 6, and the 6 differences in percentage points (the 7th is an RMST gain in months)
    assert codes == {
        (STAT, "C44256", "Proportion"): 787,
        (STAT, "C25463", "Count"): 363,
        (STAT, "C28007", "Median"): 112,
        (STAT, "C93150", "Hazard Ratio"): 28,
        (STAT, "C16932", "Odds Ratio"): 6,
        (STAT, "0000424", "Risk Difference"): 6,
    }


# -- exact round trips, checked against the source texts -----------------------------------


def _source_text(sources_dir: Path, prefix: str) -> str:
    return next(sources_dir.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def test_os_hazard_ratio_2016_round_trips(evidence: dict[str, Evidence], sources_dir: Path) -> None:
    # NEJM 2016: "the hazard ratio for death was 0.77 (97.5% CI, 0.58 to 1.03) ($P=0.04$)",
    # two-sided (the paper's rule), survival cutoff March 8, 2016
    hr = evidence["kantarjian2016-res-os-hr"]
    quote = _ext(hr, "verbatim-quote").valueString
    assert quote == "the hazard ratio for death was 0.77 (97.5% CI, 0.58 to 1.03) ($P=0.04$)"
    assert quote in _source_text(sources_dir, "000")
    statistic = hr.statistic[0]
    assert (statistic.statisticType.coding[0].system, statistic.statisticType.coding[0].code) == (
        STAT,
        "C93150",
    )
    assert statistic.quantity.value == Decimal("0.77")
    ci = _estimate(hr, "C53324")
    assert ci.type.coding[0].system == ESTIMATE
    assert (ci.level, ci.range.low.value, ci.range.high.value) == (
        Decimal("0.975"),
        Decimal("0.58"),
        Decimal("1.03"),
    )
    assert ci.description == "97.5% confidence interval"
    p = _estimate(hr, "C44185")
    assert (p.quantity.value, p.quantity.comparator) == (Decimal("0.04"), None)
    assert _ext(p, "p-value-sidedness").valueCode == "two"
    assert p.description.startswith("two-sided P value")
    cutoff = _ext(hr, "data-cutoff")
    assert {e.url: (e.valueDate or e.valueUri or e.valueString) for e in cutoff.extension}[
        "date"
    ].isoformat() == ("2016-03-08")
    assert _roles(hr) == {
        "population": "EvidenceVariable/population-inovate-itt",
        "exposure": "EvidenceVariable/arm-inovate-ino",
        "referenceExposure": "EvidenceVariable/arm-inovate-soc",
        "measuredVariable": "EvidenceVariable/endpoint-os",
    }
    assert hr.variableDefinition[0].variableRole.coding[0].system == ROLE
    assert hr.citeAsReference.reference == "Citation/kantarjian2016"
    assert statistic.modelCharacteristic[0].code.text.startswith("Cox proportional-hazards regression")
    assert hr.description == (
        "Overall survival: hazard ratio, Inotuzumab ozogamicin vs Standard therapy (investigator's choice: "
        "FLAG, cytarabine plus mitoxantrone, or high-dose cytarabine): 0.77; 97.5% CI 0.58 to 1.03; "
        "two-sided P = 0.04"
    )


def test_os_hazard_ratio_2019_round_trips(evidence: dict[str, Evidence], sources_dir: Path) -> None:
    # Cancer 2019: "(HR, 0.75 [97.5% CI, 0.57-0.99]; 1-sided P = .0105;", final cutoff 2017-01-04
    hr = evidence["kantarjian2019-os-hr"]
    quote = _ext(hr, "verbatim-quote").valueString
    assert quote == "(HR, 0.75 [97.5% CI, 0.57-0.99]; 1-sided P = .0105;"
    assert quote in _source_text(sources_dir, "002")
    statistic = hr.statistic[0]
    assert statistic.statisticType.coding[0].code == "C93150"
    assert statistic.quantity.value == Decimal("0.75")
    ci = _estimate(hr, "C53324")
    assert (ci.level, ci.range.low.value, ci.range.high.value) == (
        Decimal("0.975"),
        Decimal("0.57"),
        Decimal("0.99"),
    )
    p = _estimate(hr, "C44185")
    assert (p.quantity.value, p.quantity.comparator) == (Decimal("0.0105"), None)
    assert _ext(p, "p-value-sidedness").valueCode == "one"
    assert p.description == "one-sided P value, as curated from the text: 0.0105"
    assert statistic.modelCharacteristic[0].code.text == "stratified log-rank"
    dates = {e.url: e for e in _ext(hr, "data-cutoff").extension}
    assert dates["date"].valueDate.isoformat() == "2017-01-04"
    assert dates["cutoff"].valueUri == str(DATA["cutoff/inovate-2017-01-04"])
    assert hr.citeAsReference.reference == "Citation/kantarjian2019"
    # the earlier report of the same quantity (the linker's "updated") is its predecessor
    predecessors = {a.resourceReference.reference for a in hr.relatedArtifact if a.type == "predecessor"}
    assert "Evidence/kantarjian2016-res-os-hr" in predecessors
    assert "Evidence/kantarjian2016-abs-os-hr" in predecessors


def test_grade_3_adverse_event_proportion_round_trips(
    evidence: dict[str, Evidence], sources_dir: Path
) -> None:
    # Cancer 2019 Table 4 (serious AEs), InO (n = 164), febrile neutropenia, Grade 3: 16 (9.8)
    fn = evidence["kantarjian2019-t4-fn-ino-g3"]
    quote = _ext(fn, "verbatim-quote").valueString
    assert quote == (
        "Febrile neutropenia 19 (11.6) 19 (11.6) 16 (9.8) 3 (1.8) 0 (0) 27 (18.9) 27 (18.9) 20 (14.0) 7 (4.9) 0 (0)"
    )
    source = _source_text(sources_dir, "002")
    assert quote in source
    assert "Any Grade Grade ≥3 Grade 3 Grade 4 Grade 5" in source
    statistic = fn.statistic[0]
    assert (statistic.statisticType.coding[0].code, statistic.statisticType.coding[0].display) == (
        "C44256",
        "Proportion",
    )
    q = statistic.quantity
    assert (q.value, q.unit, q.system, q.code) == (Decimal("9.8"), "%", "http://unitsofmeasure.org", "%")
    assert statistic.numberAffected == 16
    assert statistic.sampleSize.numberOfParticipants == 164
    assert statistic.numberOfEvents is None
    assert _ext(statistic, "adverse-event-grade").valueString == "3"
    assert _ext(statistic, "serious").valueBoolean is True
    # the row label is the endpoint (measuredVariable below), not a category
    assert statistic.category.text == "grade 3; serious adverse events"
    assert _roles(fn) == {
        "population": "EvidenceVariable/population-inovate-safety",
        "exposure": "EvidenceVariable/arm-inovate-ino",
        "measuredVariable": "EvidenceVariable/endpoint-ae-febrile-neutropenia",
    }
    assert fn.text.status == "generated"
    assert "<p>Quote: \u201cFebrile neutropenia 19 (11.6) 19 (11.6) 16 (9.8)" in fn.text.div
    location = next(a for a in fn.relatedArtifact if a.type == "derived-from")
    assert (
        location.label == "Results; Table 4; row Febrile neutropenia; column InO (n = 164), No. (%): Grade 3"
    )


def test_p_below_a_bound_keeps_its_comparator(evidence: dict[str, Evidence]) -> None:
    # NEJM Table 2: CR/CRi between-group difference 51.4 (97.5% CI 38.4-64.3), P <0.001
    diff = evidence["kantarjian2016-t2-crcri-diff"]
    statistic = diff.statistic[0]
    assert statistic.statisticType.coding[0].code == "0000424"
    assert (statistic.quantity.value, statistic.quantity.unit, statistic.quantity.code) == (
        Decimal("51.4"),
        "percentage points",
        None,
    )
    p = _estimate(diff, "C44185")
    assert (p.quantity.value, p.quantity.comparator) == (Decimal("0.001"), "<")


def test_median_in_months_is_ucum_mo(evidence: dict[str, Evidence]) -> None:
    median = evidence["kantarjian2019-os-median-ino"]
    q = median.statistic[0].quantity
    assert (q.value, q.unit, q.system, q.code) == (
        Decimal("7.7"),
        "months",
        "http://unitsofmeasure.org",
        "mo",
    )
    ci = _estimate(median, "C53324")
    assert (ci.level, ci.range.low.value, ci.range.low.code, ci.range.high.value) == (
        Decimal("0.95"),
        Decimal("6"),
        "mo",
        Decimal("9.2"),
    )


def test_subgroup_evidence_names_parent_and_subpopulation(
    evidence: dict[str, Evidence], data: dict[str, Any]
) -> None:
    hr = evidence["kantarjian2019-os-hr-phneg"]
    roles = _roles(hr)
    assert roles["population"] == "EvidenceVariable/population-inovate-itt"
    assert roles["subpopulation"] == "EvidenceVariable/population-inovate-sg-ph-neg"
    variable = next(
        e["resource"] for e in data["entry"] if e["resource"]["id"] == "population-inovate-sg-ph-neg"
    )
    assert variable["characteristic"][0]["definitionReference"] == {
        "reference": "EvidenceVariable/population-inovate-itt"
    }


def test_restated_figure_points_to_its_cited_origin(
    evidence: dict[str, Evidence], data: dict[str, Any]
) -> None:
    restated = evidence["morley2016-inovate-vod-ino"]
    origins = [a for a in restated.relatedArtifact if a.label == "cited origin"]
    assert [a.resourceReference.reference for a in origins] == ["Citation/deangelo2015"]
    by_id = {e["resource"]["id"]: e["resource"] for e in data["entry"]}
    # the linker finds no conflict across publications (inograph links); the review's VOD "13
    # patients" are the NEJM's grade >=3 count, so no conflict assessment names them
    assert sorted(i for i in by_id if i.startswith("conflict-")) == sorted(
        fhir_id("conflict", bound, "kantarjian2019-t3-plt-ino")
        for bound in ("kantarjian2019-os-predictors-p-abs", "kantarjian2019-txt-os-predictors-p")
    )
    # a conflict within one publication: "all 2-sided P values < .05" vs Table 3's P = .0729
    within = by_id[fhir_id("conflict", "kantarjian2019-os-predictors-p-abs", "kantarjian2019-t3-plt-ino")]
    assert within["artifactReference"] == {"reference": "Evidence/kantarjian2019-os-predictors-p-abs"}
    assert within["content"][0]["relatedArtifact"][0]["resourceReference"] == {
        "reference": "Evidence/kantarjian2019-t3-plt-ino"
    }
    assert within["title"] == (
        "Within-source conflict: kantarjian2019-os-predictors-p-abs vs kantarjian2019-t3-plt-ino"
    )
    assert within["content"][0]["classifier"] == [{"text": "within_source_conflict"}]
    assert within["content"][0]["relatedArtifact"][0]["label"] == (
        "conflicting report of the same quantity in the same publication"
    )


def test_citation_of_the_final_report(data: dict[str, Any]) -> None:
    citation = next(e["resource"] for e in data["entry"] if e["resource"]["id"] == "kantarjian2019")
    artifact = citation["citedArtifact"]
    assert {i["system"]: i["value"] for i in artifact["identifier"]} == {
        "urn:ietf:rfc:3986": "https://w3id.org/inograph/id/publication/kantarjian2019",
        "https://doi.org": "10.1002/cncr.32116",
        "https://pubmed.ncbi.nlm.nih.gov": "30920645",
    }
    assert artifact["publicationForm"] == [
        {
            "publishedIn": {"title": "Cancer"},
            "volume": "125",
            "articleDate": "2019",
            "publicationDateText": "2019",
            "pageString": "2474-87",
            "firstPage": "2474",
            "lastPage": "2487",
        }
    ]
    assert artifact["contributorship"]["entry"][0] == {
        "contributor": {"display": "Kantarjian HM"},
        "rankingOrder": 1,
    }


# -- determinism, filters, CLI ------------------------------------------------------------


def _run(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_two_exports_are_byte_identical_also_from_the_published_dataset(
    text: str, trig: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert _run(["export", "fhir", "--dataset", str(trig), "-o", str(first)]) == 0
    assert capsys.readouterr().out.startswith(
        "exported 1850 FHIR resources (30 Citation, 235 EvidenceVariable, 1578 Evidence, 7 ArtifactAssessment)"
    )
    assert _run(["export", "fhir", "--dataset", str(trig), "-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes() == text.encode("utf-8")


def test_export_is_identical_under_another_hash_seed(text: str, trig: Path, tmp_path: Path) -> None:
    out = tmp_path / "seeded.json"
    subprocess.run(
        [sys.executable, "-m", "inograph", "export", "fhir", "--dataset", str(trig), "-o", str(out)],
        env={**os.environ, "PYTHONHASHSEED": "7"},
        check=True,
        capture_output=True,
    )
    assert out.read_text(encoding="utf-8") == text


def test_publication_filter(built: BuiltDataset) -> None:
    bundle = fhir_bundle(built.dataset, publications=["kantarjian2019"]).bundle
    resources = [e["resource"] for e in bundle["entry"]]
    evidence = [r for r in resources if r["resourceType"] == "Evidence"]
    assert len(evidence) == 557  # inograph stats: kantarjian2019 total
    assert {r["citeAsReference"]["reference"] for r in evidence} == {"Citation/kantarjian2019"}
    assert bundle["id"] == "inograph-kantarjian2019"
    present = {f"{r['resourceType']}/{r['id']}" for r in resources}
    assert set(re.findall(r'"reference": "([^"]+)"', json.dumps(bundle))) <= present
    Bundle.model_validate(bundle)


def test_trial_filter_keeps_only_results_about_the_trial(built: BuiltDataset) -> None:
    about = {
        str(r)
        for r in built.dataset.subjects(INO.aboutTrial, DATA["trial/inovate"])
        if (r, RDF.type, INO.Result) in built.dataset
    }
    bundle = fhir_bundle(built.dataset, trials=["inovate"]).bundle
    evidence = {
        e["resource"]["identifier"][0]["value"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Evidence"
    }
    assert evidence == about
    both = fhir_bundle(built.dataset, publications=["morley2016"], trials=["inovate"]).bundle
    assert {
        e["resource"]["citeAsReference"]["reference"]
        for e in both["entry"]
        if e["resource"]["resourceType"] == "Evidence"
    } == {"Citation/morley2016"}


def test_unknown_ids_are_clear_errors(built: BuiltDataset) -> None:
    with pytest.raises(
        ExportError,
        match=r"^unknown publication 'nejm2016' \(known: kantarjian2013, kantarjian2016, kantarjian2019, morley2016\)$",
    ):
        fhir_bundle(built.dataset, publications=["nejm2016"])
    with pytest.raises(ExportError, match=r"^unknown trial 'ino-vate' \(known: .*inovate.*\)$"):
        fhir_bundle(built.dataset, trials=["ino-vate"])


def test_cli_unknown_publication_leaves_the_old_file(
    trig: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "evidence.json"
    out.write_text("old", encoding="utf-8")
    assert _run(["export", "fhir", "--dataset", str(trig), "--publication", "nope", "-o", str(out)]) == 2
    assert capsys.readouterr().err == (
        "inograph: error: unknown publication 'nope' "
        "(known: kantarjian2013, kantarjian2016, kantarjian2019, morley2016)\n"
    )
    assert out.read_text(encoding="utf-8") == "old"
    assert list(tmp_path.iterdir()) == [out]


def test_cli_refuses_filters_for_other_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["export", "csv", "--publication", "kantarjian2016", "-o", str(tmp_path / "x.csv")]) == 2
    assert (
        capsys.readouterr().err
        == "inograph: error: --publication and --trial apply to the fhir export, not to csv\n"
    )


def test_every_number_keeps_its_stored_digits(built: BuiltDataset, text: str) -> None:
    # JSON numbers parsed as decimals equal the graph's xsd:decimal values, for all results
    from inograph.export.sparql import select

    parsed = json.loads(text, parse_float=Decimal)
    by_id = {
        e["resource"]["id"]: e["resource"]
        for e in parsed["entry"]
        if e["resource"]["resourceType"] == "Evidence"
    }
    checked = 0
    for row in select(built.dataset, "fhir-results"):
        statistic = by_id[fhir_id(row["resultId"])]["statistic"][0]
        if "value" in row:
            assert statistic["quantity"]["value"] == Decimal(row["value"]), row["resultId"]
            checked += 1
        if "ciLower" in row:
            ci = next(a for a in statistic["attributeEstimate"] if a["type"]["coding"][0]["code"] == "C53324")
            assert (ci["range"]["low"]["value"], ci["range"]["high"]["value"]) == (
                Decimal(row["ciLower"]),
                Decimal(row["ciUpper"]),
            )
            if "ciLevel" in row:
                assert ci["level"] == Decimal(row["ciLevel"]) / 100
        if "pNumber" in row:
            p = next(a for a in statistic["attributeEstimate"] if a["type"]["coding"][0]["code"] == "C44185")
            assert p["quantity"]["value"] == Decimal(row["pNumber"])
    assert checked == 1529  # 1,578 results less the 49 without a value (45 ranges, 4 dose statements)
