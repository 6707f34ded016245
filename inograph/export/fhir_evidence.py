"""The Evidence resources of the FHIR export (one per result) and the ArtifactAssessments on them.

An Evidence carries the statistic (type, quantity, n/N, CI, P value with its sidedness, test),
the variable definitions (population, exposure, comparator, measured endpoint), the citation of
the reporting publication, the verbatim quote and the data cutoff; docs/fhir-mapping.md gives
the element for every graph field.  Rows come from ``queries/export/fhir-results.rq``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from inograph.errors import ExportError
from inograph.export.fhir_terms import (
    ATTRIBUTE_ESTIMATE_TYPE,
    BASE,
    CI_CODE,
    EXTENSION,
    JSON,
    MEASURE_TEXT,
    PVALUE_CODE,
    RANGE_CODE,
    RISK_DIFFERENCE,
    STATISTIC_TYPE,
    STATISTIC_TYPE_OF_MEASURE,
    VARIABLE_ROLE,
    coding,
    concept,
    fhir_id,
    iri_identifier,
    number,
    quantity,
    reference,
    variable_ref,
)
from inograph.export.records import short_id
from inograph.export.sparql import Row
from inograph.graph_builder import MEASURE_CLASSES

__all__ = ["EvidenceContext", "conflict_assessment", "evidence_resource", "inconsistency_assessment"]

_MEASURE_OF_CLASS: Final = {str(iri): name for name, iri in MEASURE_CLASSES.items()}
_RESULT_ID_SYSTEM: Final = "https://w3id.org/inograph/id/result"
_COMPARATORS: Final = {"<": "<", "<=": "<=", ">": ">", ">=": ">="}


# -- Evidence ------------------------------------------------------------------------------


def _measure(row: Row) -> str:
    found = {_MEASURE_OF_CLASS[c] for c in row.get("measures", "").split() if c in _MEASURE_OF_CLASS}
    if len(found) != 1:
        raise ExportError(f"{row['result']}: expected one measure class, found {sorted(found) or 'none'}")
    return found.pop()


def _statistic_type(measure: str, unit: str | None) -> JSON:
    text = MEASURE_TEXT[measure]
    if measure == "difference" and unit == "percentage points":
        return concept(text, coding(STATISTIC_TYPE, *RISK_DIFFERENCE))
    if measure in STATISTIC_TYPE_OF_MEASURE:
        return concept(text, coding(STATISTIC_TYPE, *STATISTIC_TYPE_OF_MEASURE[measure]))
    return concept(text)


def _p_value_estimate(row: Row) -> JSON | None:
    printed = row.get("pValue")
    if printed is None:
        return None
    sided = row.get("pSided")
    side_text = {"one": "one-sided", "two": "two-sided"}.get(sided or "", "sidedness not stated")
    estimate: JSON = {
        "description": f"{side_text} P value, as curated from the text: {printed}",
        "type": concept("P value", coding(ATTRIBUTE_ESTIMATE_TYPE, *PVALUE_CODE)),
    }
    if sided in ("one", "two"):
        estimate["extension"] = [{"url": EXTENSION["p-value-sidedness"], "valueCode": sided}]
    p_number = row.get("pNumber")
    if p_number is not None:
        p_quantity: JSON = {"value": number(p_number)}
        relation = row.get("pRelation")
        if relation in _COMPARATORS:
            p_quantity["comparator"] = _COMPARATORS[relation]
        estimate["quantity"] = p_quantity
    return estimate


def _attribute_estimates(row: Row, measure: str) -> list[JSON]:
    estimates: list[JSON] = []
    unit = row.get("unit")
    if "ciLower" in row and "ciUpper" in row:
        ci: JSON = {"type": concept("confidence interval", coding(ATTRIBUTE_ESTIMATE_TYPE, *CI_CODE))}
        if "ciLevel" in row:
            ci["description"] = f"{row['ciLevel']}% confidence interval"
            ci["level"] = float(Decimal(row["ciLevel"]) / 100)
        else:
            ci["description"] = "confidence interval; the level is not printed"
        ci["range"] = {"low": quantity(row["ciLower"], unit), "high": quantity(row["ciUpper"], unit)}
        estimates.append(ci)
    if "rangeLower" in row and "rangeUpper" in row:
        estimates.append(
            {
                "description": "range (minimum to maximum)" if measure != "range" else "the range as printed",
                "type": concept("range", coding(ATTRIBUTE_ESTIMATE_TYPE, *RANGE_CODE)),
                "range": {
                    "low": quantity(row["rangeLower"], unit),
                    "high": quantity(row["rangeUpper"], unit),
                },
            }
        )
    p_value = _p_value_estimate(row)
    if p_value is not None:
        estimates.append(p_value)
    return estimates


def _statistic(row: Row, measure: str) -> JSON:
    unit = row.get("unit")
    statistic: JSON = {}
    grade = row.get("grade")
    serious = row.get("serious") == "true"
    extensions: list[JSON] = []
    if grade is not None:
        extensions.append({"url": EXTENSION["adverse-event-grade"], "valueString": grade})
    if "serious" in row:
        extensions.append({"url": EXTENSION["serious"], "valueBoolean": serious})
    if extensions:
        statistic["extension"] = extensions
    if "timepoint" in row:
        statistic["description"] = f"at {row['timepoint']}"
    statistic["statisticType"] = _statistic_type(measure, unit)
    category = [row["category"]] if "category" in row else []
    if grade is not None:
        category.append(f"grade {grade}")
    if serious:
        category.append("serious adverse events")
    if category:
        statistic["category"] = {"text": "; ".join(category)}
    if "value" in row:
        statistic["quantity"] = quantity(row["value"], unit)
    if "numerator" in row:
        statistic["numberAffected"] = int(row["numerator"])
    if "denominator" in row:
        statistic["sampleSize"] = {"numberOfParticipants": int(row["denominator"])}
    estimates = _attribute_estimates(row, measure)
    if estimates:
        statistic["attributeEstimate"] = estimates
    if "test" in row:
        statistic["modelCharacteristic"] = [{"code": {"text": row["test"]}}]
    return statistic


@dataclass(frozen=True)
class EvidenceContext:
    labels: Mapping[str, str]
    parents: Mapping[str, str]
    kinds: Mapping[str, str]
    characteristics: Mapping[str, str]
    roles: Mapping[str, list[Row]]
    citation_ids: Mapping[str, str]  # publication short id or cited IRI → Citation id


def _role(code: str) -> JSON:
    return {"coding": [coding(VARIABLE_ROLE, code)]}


def _variable_definitions(row: Row, ctx: EvidenceContext, measured: str) -> list[JSON]:
    """Population (a subgroup: its parent as population, itself as subpopulation), exposure
    (the arm), reference exposure (the comparator) and the measured variable (the endpoint)."""
    labels = ctx.labels
    definitions: list[JSON] = []
    population = row.get("population")
    if population is not None:
        parent = ctx.parents.get(population) if ctx.kinds.get(population) == "subgroup" else None
        if parent is not None:
            definitions.append(
                {"variableRole": _role("population"), "observed": variable_ref("population", parent, labels)}
            )
            role = "subpopulation"
        else:
            role = "population"
        definitions.append(
            {"variableRole": _role(role), "observed": variable_ref("population", population, labels)}
        )
    for key, role in (("arm", "exposure"), ("comparator", "referenceExposure")):
        if key in row:
            definitions.append(
                {"variableRole": _role(role), "observed": variable_ref("arm", row[key], labels)}
            )
    definitions.append(
        {
            "description": measured,
            "variableRole": _role("measuredVariable"),
            "observed": variable_ref("endpoint", row["endpoint"], labels),
        }
    )
    return definitions


def _summary(row: Row, measure: str, labels: Mapping[str, str]) -> str:
    """One sentence a reader can check against the quote: what, for whom, the numbers."""
    endpoint = labels.get(row["endpoint"], short_id(row["endpoint"]))
    parts = [f"{endpoint}: {MEASURE_TEXT[measure]}"]
    if "arm" in row:
        arm = labels.get(row["arm"], short_id(row["arm"]))
        if "comparator" in row:
            arm += " vs " + labels.get(row["comparator"], short_id(row["comparator"]))
        parts.append(arm)
    numbers = []
    if "value" in row:
        unit = row.get("unit")
        numbers.append(row["value"] + ("" if unit is None else unit if unit == "%" else f" {unit}"))
    if "numerator" in row or "denominator" in row:
        numbers.append(f"{row.get('numerator', '?')}/{row.get('denominator', '?')}")
    if "ciLower" in row:
        level = f"{row['ciLevel']}% CI" if "ciLevel" in row else "CI"
        numbers.append(f"{level} {row['ciLower']} to {row['ciUpper']}")
    if "pValue" in row:
        side = {"one": "one-sided ", "two": "two-sided "}.get(row.get("pSided", ""), "")
        numbers.append(f"{side}P {row['pValue'] if row['pValue'][0] in '<>' else '= ' + row['pValue']}")
    text = ", ".join(parts)
    return f"{text}: {'; '.join(numbers)}" if numbers else text


def _analysis_note(row: Row, kinds: Mapping[str, str], characteristics: Mapping[str, str]) -> str | None:
    population = row.get("population")
    if population is None:
        return None
    kind = kinds.get(population)
    if kind == "subgroup":
        return f"analysis: subgroup ({characteristics.get(population, short_id(population))})"
    return f"analysis: {kind} population" if kind else None


def _cutoff_extension(row: Row) -> JSON | None:
    if "cutoff" not in row:
        return None
    parts: list[JSON] = [{"url": "cutoff", "valueUri": row["cutoff"]}]
    if "cutoffDate" in row:
        parts.append({"url": "date", "valueDate": row["cutoffDate"]})
    if "cutoffLabel" in row:
        parts.append({"url": "label", "valueString": row["cutoffLabel"]})
    return {"url": EXTENSION["data-cutoff"], "extension": parts}


def evidence_resource(row: Row, ctx: EvidenceContext, predecessors: Sequence[tuple[str, str]]) -> JSON:
    measure = _measure(row)
    ident = fhir_id(row["resultId"])
    endpoint_label = ctx.labels.get(row["endpoint"], short_id(row["endpoint"]))
    measured = endpoint_label + (f", at {row['timepoint']}" if "timepoint" in row else "")
    resource: JSON = {"resourceType": "Evidence", "id": ident}
    extensions = []
    if "quote" in row:
        extensions.append({"url": EXTENSION["verbatim-quote"], "valueString": row["quote"]})
    cutoff = _cutoff_extension(row)
    if cutoff is not None:
        extensions.append(cutoff)
    if extensions:
        resource["extension"] = extensions
    citation = ctx.citation_ids[row["publication"]]
    resource.update(
        {
            "url": f"{BASE}Evidence/{ident}",
            "identifier": [
                iri_identifier(row["result"]),
                {"system": _RESULT_ID_SYSTEM, "value": row["resultId"]},
            ],
            "title": f"{endpoint_label}: {MEASURE_TEXT[measure]} ({row['resultId']})",
            "citeAsReference": reference("Citation", citation, row["publication"]),
            "status": "active",
        }
    )
    related: list[JSON] = [
        {
            "type": "derived-from",
            "label": row.get("location", "location not recorded"),
            "display": ("quoted from " if "quote" in row else "derived in ") + row["publication"],
            "resourceReference": reference("Citation", citation),
        }
    ]
    if "cited" in row:
        related.append(
            {
                "type": "derived-from",
                "label": "cited origin",
                "display": f"restated by {row['publication']} from a cited work",
                "resourceReference": reference("Citation", ctx.citation_ids[row["cited"]]),
            }
        )
    for earlier, reason in predecessors:
        related.append(
            {
                "type": "predecessor",
                "label": "earlier report of the same quantity",
                "display": reason,
                "resourceReference": reference("Evidence", fhir_id(earlier)),
            }
        )
    resource["relatedArtifact"] = related
    resource["description"] = _summary(row, measure, ctx.labels)
    notes = [
        text
        for text in (
            _analysis_note(row, ctx.kinds, ctx.characteristics),
            *(
                f"{r['role']} endpoint of {r['trialLabel']}"
                for r in ctx.roles.get(row["endpoint"], [])
                if r["trial"] == row.get("trial")
            ),
            f"setting: {row['setting']}" if "setting" in row else None,
            f"derived by inograph's curators: {row['derivation']}" if "derivation" in row else None,
            f"curator's note: {row['note']}" if "note" in row else None,
        )
        if text
    ]
    if notes:
        resource["note"] = [{"text": text} for text in notes]
    resource["variableDefinition"] = _variable_definitions(row, ctx, measured)
    resource["statistic"] = [_statistic(row, measure)]
    return resource


# -- ArtifactAssessment --------------------------------------------------------------------


def inconsistency_assessment(row: Row) -> JSON:
    evidence = fhir_id(row["resultId"])
    ident = fhir_id(row["resultId"], "inconsistency")
    return {
        "resourceType": "ArtifactAssessment",
        "id": ident,
        "title": f"Inconsistency within the source: {row['resultId']}",
        "artifactReference": reference("Evidence", evidence),
        "content": [
            {
                "informationType": "comment",
                "summary": row["inconsistency"],
                "type": {"text": "source inconsistency (the value is kept as printed)"},
            }
        ],
    }


def conflict_assessment(source: str, target: str, reason: str, classification: str = "conflict") -> JSON:
    """The linker's conflict of two results (``conflict`` across publications, or
    ``within_source_conflict``: one publication prints the quantity twice) on the first result."""
    within = classification == "within_source_conflict"
    return {
        "resourceType": "ArtifactAssessment",
        "id": fhir_id("conflict", source, target),
        "title": f"{'Within-source conflict' if within else 'Conflict'}: {source} vs {target}",
        "artifactReference": reference("Evidence", fhir_id(source)),
        "content": [
            {
                "informationType": "classifier",
                "summary": reason,
                "type": {"text": "cross-source link classification"},
                "classifier": [{"text": classification}],
                "relatedArtifact": [
                    {
                        "type": "similar-to",
                        "label": "conflicting report of the same quantity"
                        + (" in the same publication" if within else ""),
                        "resourceReference": reference("Evidence", fhir_id(target)),
                    }
                ],
            }
        ],
    }
