"""The evidence as the graph states it: typed records read from the RDF by SPARQL.

Each export (CSV table, evidence map, forest plots) is written from these records, so all of
them agree with each other and with the published graph.  Numbers stay :class:`~decimal.Decimal`
so that ``80.7`` prints as ``80.7`` (the stored ``xsd:decimal``), never ``80.70000000000002``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Final

from rdflib import Dataset

from inograph.errors import ExportError
from inograph.export.sparql import Row, select
from inograph.graph_builder import MEASURE_CLASSES

__all__ = [
    "ENTITY_KINDS",
    "Entity",
    "EvidenceTable",
    "ResultRecord",
    "format_number",
    "read_evidence_table",
    "short_id",
]

ENTITY_KINDS: Final = ("publication", "trial", "arm", "population", "endpoint", "cutoff")
_MEASURE_OF_CLASS: Final = {str(iri): name for name, iri in MEASURE_CLASSES.items()}


def short_id(iri: str) -> str:
    """The curated id of an inograph IRI: its last path segment (``…/arm/inovate-ino``)."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def format_number(number: Decimal | None) -> str:
    """A decimal as plain text without exponent (``0.0001``, ``80.7``); empty for none."""
    return "" if number is None else format(number, "f")


@dataclass(frozen=True)
class ResultRecord:
    """One ino:Result, one row of the evidence table; ids are the curated short ids."""

    result_id: str
    iri: str
    publication: str
    doi: str | None
    trial: str | None
    population: str | None
    arm: str | None
    comparator: str | None
    endpoint: str
    measure: str
    value: Decimal | None
    unit: str | None
    n: int | None
    N: int | None
    ci_lower: Decimal | None
    ci_upper: Decimal | None
    ci_level: Decimal | None
    p_value: str | None
    p_sided: str | None
    timepoint: str | None
    cutoff_id: str | None
    cutoff: str | None  # the cutoff date, YYYY-MM-DD
    location: str | None
    quote: str | None
    cited_origin: str | None
    category: str | None = None  # the row of a table ("Age: <55 y"); not a table column
    setting: str | None = None  # the analysis ("OS censored at HSCT"); not a table column
    range_lower: Decimal | None = None  # "median (range)" and range results
    range_upper: Decimal | None = None
    value_as_printed: str | None = None  # "0.70": the printed digits that xsd:decimal drops
    ci_lower_as_printed: str | None = None
    ci_upper_as_printed: str | None = None
    value_qualifier: str | None = None  # <, <=, >, >=, ~, at least, at most, nearly
    grade: str | None = None
    serious: bool | None = None
    analysis: str | None = None  # the analysis kind: primary, post-hoc, design-assumption, ...
    test: str | None = None
    note: str | None = None
    source_inconsistency: str | None = None
    threshold: Decimal | None = None  # the prespecified significance threshold, if stated
    threshold_sided: str | None = None
    checks: str | None = None  # the statistical check findings on it ("check: verdict; ...")


@dataclass(frozen=True)
class Entity:
    """A publication, trial, arm, population, endpoint or cutoff, with its label.

    ``detail`` is the one extra fact the exports show: a publication's year, an endpoint's
    kind (efficacy, adverse-event, ...), a cutoff's date, the trial of an arm or population.
    """

    kind: str
    id: str
    label: str
    detail: str | None = None
    doi: str | None = None
    citation: str | None = None


@dataclass(frozen=True)
class EvidenceTable:
    """All results in table order (publication, then result id) and the entities they use."""

    results: tuple[ResultRecord, ...]
    entities: Mapping[tuple[str, str], Entity] = field(default_factory=dict)

    def label(self, kind: str, ident: str | None) -> str:
        """The label of entity ``(kind, ident)``; the id itself when the graph has none."""
        if ident is None:
            return ""
        entity = self.entities.get((kind, ident))
        return entity.label if entity is not None else ident

    def of_kind(self, kind: str) -> list[Entity]:
        return [e for (k, _), e in sorted(self.entities.items()) if k == kind]


def _decimal(row: Row, key: str) -> Decimal | None:
    text = row.get(key)
    return None if text is None else Decimal(text)


def _integer(row: Row, key: str) -> int | None:
    text = row.get(key)
    return None if text is None else int(text)


def _short(row: Row, key: str) -> str | None:
    iri = row.get(key)
    return None if iri is None else short_id(iri)


def _measure(row: Row) -> str:
    found = {_MEASURE_OF_CLASS[c] for c in row.get("measures", "").split() if c in _MEASURE_OF_CLASS}
    if len(found) != 1:
        raise ExportError(f"{row['result']}: expected one measure class, found {sorted(found) or 'none'}")
    return found.pop()


def _result(row: Row) -> ResultRecord:
    return ResultRecord(
        result_id=row["resultId"],
        iri=row["result"],
        publication=row["publication"],
        doi=row.get("doi"),
        trial=_short(row, "trial"),
        population=_short(row, "population"),
        arm=_short(row, "arm"),
        comparator=_short(row, "comparator"),
        endpoint=short_id(row["endpoint"]),
        measure=_measure(row),
        value=_decimal(row, "value"),
        unit=row.get("unit"),
        n=_integer(row, "numerator"),
        N=_integer(row, "denominator"),
        ci_lower=_decimal(row, "ciLower"),
        ci_upper=_decimal(row, "ciUpper"),
        ci_level=_decimal(row, "ciLevel"),
        p_value=row.get("pValue"),
        p_sided=row.get("pSided"),
        timepoint=row.get("timepoint"),
        cutoff_id=_short(row, "cutoff"),
        cutoff=row.get("cutoffDate"),
        location=row.get("location"),
        quote=row.get("quote"),
        cited_origin=row.get("citedOrigin"),
        category=row.get("category"),
        setting=row.get("setting"),
        range_lower=_decimal(row, "rangeLower"),
        range_upper=_decimal(row, "rangeUpper"),
        value_as_printed=row.get("valueAsPrinted"),
        ci_lower_as_printed=row.get("ciLowerAsPrinted"),
        ci_upper_as_printed=row.get("ciUpperAsPrinted"),
        value_qualifier=row.get("qualifier"),
        grade=row.get("grade"),
        serious=None if row.get("serious") is None else row["serious"] == "true",
        analysis=row.get("analysis"),
        test=row.get("test"),
        note=row.get("note"),
        source_inconsistency=row.get("sourceInconsistency"),
        threshold=_decimal(row, "threshold"),
        threshold_sided=row.get("thresholdSided"),
    )


def read_evidence_table(dataset: Dataset) -> EvidenceTable:
    """Every result in ``dataset`` with the entities it refers to (queries results, entities)."""
    from inograph.stats_checks.findings_rdf import read_findings
    from inograph.stats_checks.render import summary_cell

    findings = read_findings(dataset)
    results = tuple(
        replace(record, checks=summary_cell(findings[record.result_id]) or None)
        if record.result_id in findings
        else record
        for record in (_result(row) for row in select(dataset, "results"))
    )
    ids = [r.result_id for r in results]
    if len(set(ids)) != len(ids):
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        raise ExportError(f"results with more than one row (two values?): {', '.join(duplicated[:5])}")
    entities: dict[tuple[str, str], Entity] = {}
    for row in select(dataset, "entities"):
        kind = row["kind"]
        detail = row.get("detail")
        if kind in ("arm", "population") and detail is not None:
            detail = short_id(detail)
        entity = Entity(
            kind, short_id(row["entity"]), row["label"], detail or None, row.get("doi"), row.get("citation")
        )
        entities.setdefault((kind, entity.id), entity)
    return EvidenceTable(results, entities)
