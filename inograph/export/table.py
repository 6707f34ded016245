"""The evidence table: one CSV row per reported result (UTF-8, RFC 4180, CRLF line ends).

Columns, in this order (empty where not applicable):

============== ===============================================================================
result_id      the curated result id
publication    the reporting publication's short id (kantarjian2016, ...); ``doi`` its DOI
trial ...      trial, population, arm, comparator, endpoint: curated short ids; ``arm`` is the
               arm or cohort the value belongs to, ``comparator`` the other arm of a
               between-arm statistic (hazard ratio, difference, P value)
measure        one of the curation measures: count, percentage, median, mean, range,
               hazard_ratio, odds_ratio, rate_at_timepoint, rmst, difference, p_value, dose,
               duration, other (mapped from the result's ino measure class)
value          a plain number as printed (80.7 for "80.7%", with unit ``%``)
n, N           numerator and denominator
ci_*           confidence interval bounds and level (95, 97.5)
p_value        as printed (``<0.001``); ``p_sided`` one or two
cutoff         the data cutoff date, YYYY-MM-DD (empty if the source prints none)
location       where in the publication (section; table; row; column)
quote          the verbatim quote
cited_origin   for a figure restated from another study: its DOI, else its citation
checks         the statistical check findings on the result (``inograph check-stats``), as
               ``check: verdict`` joined by ``; `` (e.g. ``proportion-ci: consistent``); always
               the last column
============== ===============================================================================
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Final

from inograph.atomic import write_text_atomically
from inograph.export.records import EvidenceTable, ResultRecord, format_number

__all__ = ["COLUMNS", "csv_text", "row_values", "write_csv"]

COLUMNS: Final = (
    "result_id",
    "publication",
    "doi",
    "trial",
    "population",
    "arm",
    "comparator",
    "endpoint",
    "measure",
    "value",
    "unit",
    "n",
    "N",
    "ci_lower",
    "ci_upper",
    "ci_level",
    "p_value",
    "p_sided",
    "timepoint",
    "cutoff",
    "location",
    "quote",
    "cited_origin",
    "checks",  # keep last: the statistical check findings
)


def row_values(record: ResultRecord) -> list[str]:
    """The CSV cells of one result, in :data:`COLUMNS` order."""
    cells: list[str] = []
    for column in COLUMNS:
        value = getattr(record, column)
        if value is None:
            cells.append("")
        elif isinstance(value, str):
            cells.append(value)
        elif isinstance(value, int):
            cells.append(str(value))
        else:
            cells.append(format_number(value))
    return cells


def csv_text(table: EvidenceTable) -> str:
    """The whole table as RFC 4180 text: header, then one row per result in table order."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for record in table.results:
        writer.writerow(row_values(record))
    return buffer.getvalue()


def write_csv(table: EvidenceTable, path: Path) -> int:
    """Write the table to ``path`` atomically; return the number of result rows."""
    write_text_atomically(Path(path), csv_text(table))
    return len(table.results)
