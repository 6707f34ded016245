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
value_as_      the value exactly as printed, trailing zeros kept ("0.70"); empty when the quote
printed        prints it only in words or as a flattened power of ten
value_         a sign or word the source prints with the value: <, <=, >, >=, ~, at least,
qualifier      at most, nearly (">40%" is value 40 with qualifier >)
range_lower,   a printed range: "18 to 25%", or the range of a "median (range)"
range_upper
grade          adverse events: any, 1, 2, 3, 4, 5, >=3, 3-4, 1-2, >=2
serious        adverse events: true for a serious-AE table
setting        the analysis or time frame ("OS censored at the date of any HSCT")
category       the row of a table ("Age: <55 y", "White")
analysis       the analysis kind: primary, secondary, sensitivity, subgroup, post-hoc,
               exploratory, design-assumption, baseline-test, descriptive (inograph.analysis)
test           the statistical test or model
note           the curator's note
source_        how the source's own numbers disagree, when they do
inconsistency
checks         the statistical check findings on the result (``inograph check-stats``), as
               ``check: verdict`` joined by ``; `` (e.g. ``proportion-ci: consistent``); always
               the last column
============== ===============================================================================

Every text column except ``quote`` is plain text: the LaTeX the PDF extraction left in some
notes and labels (``$P<0.001$``, ``\\geq``) is rendered ("P<0.001", "≥"); ``quote`` stays verbatim.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Final

from inograph.atomic import write_text_atomically
from inograph.export.records import EvidenceTable, ResultRecord, format_number
from inograph.plain_text import plain_text

__all__ = ["COLUMNS", "VERBATIM_COLUMNS", "csv_text", "row_values", "write_csv"]

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
    "value_as_printed",
    "value_qualifier",
    "range_lower",
    "range_upper",
    "grade",
    "serious",
    "setting",
    "category",
    "analysis",
    "test",
    "note",
    "source_inconsistency",
    "checks",  # keep last: the statistical check findings
)
VERBATIM_COLUMNS: Final = frozenset({"quote"})


def row_values(record: ResultRecord) -> list[str]:
    """The CSV cells of one result, in :data:`COLUMNS` order."""
    cells: list[str] = []
    for column in COLUMNS:
        value = getattr(record, column)
        if value is None:
            cells.append("")
        elif isinstance(value, bool):
            cells.append("true" if value else "false")
        elif isinstance(value, str):
            cells.append(value if column in VERBATIM_COLUMNS else plain_text(value) or "")
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
