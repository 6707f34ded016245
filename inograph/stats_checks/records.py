"""The results as check-stats reads them from the graph (``queries/stats-checks/results.rq``).

The checks work on the RDF, not on the curation files, so ``--dataset FILE`` checks a published
build exactly as it was published.  Numbers stay :class:`~decimal.Decimal`; the printed text of
each number (its precision) comes from :mod:`inograph.stats_checks.printed`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Final

from rdflib import Dataset

from inograph.export.records import short_id as records_short_id
from inograph.graph_builder import MEASURE_CLASSES
from inograph.resources import internal_query
from inograph.store import select_values

__all__ = ["CheckedResult", "read_results", "short_id"]

_MEASURE_OF_CLASS: Final = {str(iri): name for name, iri in MEASURE_CLASSES.items()}


def short_id(iri: str | None) -> str | None:
    """The curated id at the end of an inograph IRI (``…/arm/inovate-ino`` → ``inovate-ino``)."""
    return None if iri is None else records_short_id(iri)


@dataclass(frozen=True)
class CheckedResult:
    """One ino:Result with the facts the checks use; entity ids are the curated short ids."""

    iri: str
    result_id: str
    publication: str
    measure: str
    endpoint: str
    trial: str | None = None
    population: str | None = None
    population_parent: str | None = None
    arm: str | None = None
    comparator: str | None = None
    value: Decimal | None = None
    n: int | None = None
    N: int | None = None
    ci_lower: Decimal | None = None
    ci_upper: Decimal | None = None
    ci_level: Decimal | None = None
    p_value: str | None = None  # as printed: "<0.001", "0.047"
    p_sided: str | None = None
    test: str | None = None
    category: str | None = None
    grade: str | None = None
    serious: str | None = None
    setting: str | None = None
    timepoint: str | None = None
    cutoff: str | None = None
    range_lower: Decimal | None = None
    range_upper: Decimal | None = None
    quote: str | None = None
    source_inconsistency: str | None = None
    endpoint_kind: str | None = None  # efficacy, safety, adverse-event, baseline, ...
    unit: str | None = None  # a count with a unit counts events, cycles, cells: not patients
    cited_origin: str | None = None  # a restated figure's cited work
    table: str | None = None  # "Table 1": rows of one table are summed together

    @property
    def has_ci(self) -> bool:
        return self.ci_lower is not None and self.ci_upper is not None

    @property
    def row(self) -> tuple[str, ...]:
        """What places a result among the rows of one table or sentence (all but arm and value)."""
        return tuple(
            x or ""
            for x in (self.publication, self.trial, self.endpoint, self.population, self.category,
                      self.grade, self.serious, self.setting, self.timepoint, self.cutoff,
                      self.cited_origin)
        )  # fmt: skip


@cache
def _query() -> str:
    return internal_query("stats-checks", "results")


def _dec(row: dict[str, str], key: str) -> Decimal | None:
    text = row.get(key)
    return None if text is None else Decimal(text)


def _int(row: dict[str, str], key: str) -> int | None:
    text = row.get(key)
    return None if text is None else int(Decimal(text))


def _measure(row: dict[str, str]) -> str:
    found = sorted({_MEASURE_OF_CLASS[c] for c in row.get("measures", "").split() if c in _MEASURE_OF_CLASS})
    return found[0] if len(found) == 1 else "other"


def read_results(dataset: Dataset) -> list[CheckedResult]:
    """Every result of ``dataset`` (not modified; or of a pyoxigraph Store), in publication and
    id order."""
    results: dict[str, CheckedResult] = {}
    for row in select_values(dataset, _query()):
        record = CheckedResult(
            iri=row["result"],
            result_id=row["resultId"],
            publication=row["publication"],
            measure=_measure(row),
            endpoint=short_id(row["endpoint"]) or "",
            trial=short_id(row.get("trial")),
            population=short_id(row.get("population")),
            population_parent=short_id(row.get("populationParent")),
            arm=short_id(row.get("arm")),
            comparator=short_id(row.get("comparator")),
            value=_dec(row, "value"),
            n=_int(row, "numerator"),
            N=_int(row, "denominator"),
            ci_lower=_dec(row, "ciLower"),
            ci_upper=_dec(row, "ciUpper"),
            ci_level=_dec(row, "ciLevel"),
            p_value=row.get("pValue"),
            p_sided=row.get("pSided"),
            test=row.get("test"),
            category=row.get("category"),
            grade=row.get("grade"),
            serious=row.get("serious"),
            setting=row.get("setting"),
            timepoint=row.get("timepoint"),
            cutoff=short_id(row.get("cutoff")),
            range_lower=_dec(row, "rangeLower"),
            range_upper=_dec(row, "rangeUpper"),
            quote=row.get("quote"),
            source_inconsistency=row.get("sourceInconsistency"),
            endpoint_kind=row.get("endpointKind"),
            unit=row.get("unit"),
            cited_origin=short_id(row.get("citedOrigin")),
            table=row.get("table"),
        )
        results.setdefault(record.result_id, record)
    return list(results.values())
