"""The terminology of the FHIR export: code systems, statistic types, UCUM units, resource ids,
and the builders of the FHIR datatypes (Coding, CodeableConcept, Quantity, Reference) that use them.

Every code here was checked against the FHIR R5 (5.0.0) value sets that bind the Evidence
elements (see docs/fhir-mapping.md for the sources):

- ``Evidence.statistic.statisticType`` is bound (extensible) to the R5 value set
  ``http://hl7.org/fhir/ValueSet/statistic-type``, whose 22 codes all come from the HL7
  Terminology code system ``http://terminology.hl7.org/CodeSystem/statistic-type``.  That code
  system is the one the EBM-on-FHIR work published with R5; its codes are taken from NCI
  Thesaurus (``C…`` codes) and STATO (seven-digit codes).  The later SEVCO code system is not
  used: it is not in the R5 binding and its codes are not verified here.
- ``Evidence.statistic.attributeEstimate.type``: ``…/CodeSystem/attribute-estimate-type``.
- ``Evidence.variableDefinition.variableRole``: ``…/CodeSystem/variable-role``.

A measure with no code in the bound value set (dose, duration, RMST, a P value alone, ...) gets
a ``CodeableConcept`` with text only: the binding is extensible, and a made-up code would be
worse than none.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from inograph.export.records import short_id

__all__ = [
    "ATTRIBUTE_ESTIMATE_TYPE",
    "BASE",
    "CI_CODE",
    "EXTENSION",
    "JSON",
    "MEASURE_TEXT",
    "PVALUE_CODE",
    "RANGE_CODE",
    "STATISTIC_TYPE",
    "STATISTIC_TYPE_OF_MEASURE",
    "UCUM",
    "UCUM_CODES",
    "VARIABLE_ROLE",
    "coding",
    "concept",
    "fhir_id",
    "iri_identifier",
    "narrative",
    "number",
    "quantity",
    "reference",
    "variable_id",
    "variable_ref",
]

JSON = dict[str, Any]
_URI: Final = "urn:ietf:rfc:3986"

#: the base of every canonical URL, fullUrl and extension of the export
BASE: Final = "https://w3id.org/inograph/fhir/"
UCUM: Final = "http://unitsofmeasure.org"
STATISTIC_TYPE: Final = "http://terminology.hl7.org/CodeSystem/statistic-type"
ATTRIBUTE_ESTIMATE_TYPE: Final = "http://terminology.hl7.org/CodeSystem/attribute-estimate-type"
VARIABLE_ROLE: Final = "http://terminology.hl7.org/CodeSystem/variable-role"

#: statistic-type codes (code, display) per curated measure; measures absent have no code
STATISTIC_TYPE_OF_MEASURE: Final[dict[str, tuple[str, str]]] = {
    "count": ("C25463", "Count"),
    "percentage": ("C44256", "Proportion"),
    "rate_at_timepoint": ("C44256", "Proportion"),
    "median": ("C28007", "Median"),
    "mean": ("C53319", "Mean"),
    "hazard_ratio": ("C93150", "Hazard Ratio"),
    "odds_ratio": ("C16932", "Odds Ratio"),
}
#: a difference of two percentages (unit "percentage points") is a risk difference
RISK_DIFFERENCE: Final = ("0000424", "Risk Difference")

#: the text of each measure's statisticType (and of the Evidence title)
MEASURE_TEXT: Final[dict[str, str]] = {
    "count": "count",
    "percentage": "proportion (percentage)",
    "median": "median",
    "mean": "mean",
    "range": "range",
    "hazard_ratio": "hazard ratio",
    "odds_ratio": "odds ratio",
    "rate_at_timepoint": "rate at a time point (proportion)",
    "rmst": "restricted mean survival time",
    "difference": "difference between arms",
    "p_value": "P value (no other statistic printed)",
    "dose": "dose",
    "duration": "duration",
    "other": "other statistic",
}

CI_CODE: Final = ("C53324", "Confidence interval")
PVALUE_CODE: Final = ("C44185", "P-value")
RANGE_CODE: Final = ("C38013", "Range")

#: the curation's units (inograph/evidence.py UNITS) in UCUM; units absent have text only
UCUM_CODES: Final[dict[str, str]] = {
    "%": "%",
    "days": "d",
    "weeks": "wk",
    "months": "mo",
    "years": "a",
    "hours": "h",
    "mg": "mg",
    "mg/m2": "mg/m2",
    "mg/m2/day": "mg/m2/d",
    "g/m2": "g/m2",
    "g/m2/day": "g/m2/d",
    "ug/kg/day": "ug/kg/d",
    "mg/dL": "mg/dL",
    "g/dL": "g/dL",
    "ng/mL": "ng/mL",
    "x10^9/L": "10*9/L",
    "x10^3 cells/mm3": "10*3/mm3",
    "per mm3": "/mm3",
    "per microliter": "/uL",
    "cells/uL": "/uL",
}

#: the inograph extensions (defined in docs/fhir-mapping.md), by short name
EXTENSION: Final[dict[str, str]] = {
    name: f"{BASE}StructureDefinition/{name}"
    for name in ("verbatim-quote", "data-cutoff", "p-value-sidedness", "adverse-event-grade", "serious")
}

_FHIR_ID: Final = re.compile(r"[A-Za-z0-9\-.]{1,64}")
_NOT_ID: Final = re.compile(r"[^A-Za-z0-9\-.]+")


def fhir_id(*parts: str) -> str:
    """A FHIR resource id (``[A-Za-z0-9-.]{1,64}``) from graph ids, stable across builds.

    The parts are joined with ``-``; an id that would break the FHIR rule keeps a readable
    prefix and ends with 10 hex digits of the SHA-256 of the full text, so two graph ids never
    share a FHIR id.

    >>> fhir_id("population", "inovate-itt")
    'population-inovate-itt'
    >>> len(fhir_id("x" * 80))
    64
    """
    text = "-".join(parts)
    if _FHIR_ID.fullmatch(text):
        return text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    readable = _NOT_ID.sub("-", text)[:53].rstrip("-")
    return f"{readable}-{digest}"


# -- datatype builders ---------------------------------------------------------------------


def number(text: str) -> int | float:
    """A stored decimal as a JSON number with the same digits (``80.7``, ``0.0105``, ``11``).

    A float prints as the shortest text that reads back as itself, which for the at most 15
    significant digits a publication prints is the decimal's own text.
    """
    value = Decimal(text)
    if "." not in text and "E" not in text.upper():
        return int(value)
    return float(value)


def coding(system: str, code: str, display: str | None = None) -> JSON:
    coding: JSON = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return coding


def concept(text: str, coding: JSON | None = None) -> JSON:
    return {"coding": [coding], "text": text} if coding else {"text": text}


def quantity(value: str, unit: str | None) -> JSON:
    quantity: JSON = {"value": number(value)}
    if unit:
        quantity["unit"] = unit
        if unit in UCUM_CODES:
            quantity.update(system=UCUM, code=UCUM_CODES[unit])
    return quantity


def reference(resource_type: str, ident: str, display: str | None = None) -> JSON:
    ref: JSON = {"reference": f"{resource_type}/{ident}"}
    if display:
        ref["display"] = display
    return ref


def iri_identifier(iri: str) -> JSON:
    return {"system": _URI, "value": iri}


def variable_id(kind: str, iri: str) -> str:
    return fhir_id(kind, short_id(iri))


def variable_ref(kind: str, iri: str, labels: Mapping[str, str] | None = None) -> JSON:
    return reference("EvidenceVariable", variable_id(kind, iri), labels.get(iri) if labels else None)


def narrative(*paragraphs: str | None) -> JSON:
    """A generated narrative (``Resource.text``): one XHTML paragraph per non-empty text."""
    body = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs if p)
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'}
