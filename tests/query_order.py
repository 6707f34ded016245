"""The sort keys of a library query, as projected columns (for the tests of a total order)."""

from __future__ import annotations

import re

#: ``(IRI(MIN(…)) AS ?result)``: the first printing by id, written so that rdflib and Virtuoso
#: answer an IRI too; the query sorts on ``ASC(MIN(…))``, which orders as ``?result`` does
_FIRST_PRINTING = re.compile(r"\(IRI\((MIN\((?:[^()]|\([^()]*\))*\))\) AS \?(\w+)\)")


def order_variables(text: str) -> list[str]:
    """The variables of the last ORDER BY, a key ``ASC(MIN(…))`` read as the column it makes.

    >>> order_variables("SELECT ?a (IRI(MIN(STR(?x))) AS ?r) WHERE {} ORDER BY ?a ASC(MIN(STR(?x)))")
    ['a', 'r']
    """
    clause = text[text.rindex("ORDER BY") :]
    for expression, column in _FIRST_PRINTING.findall(text):
        clause = clause.replace(f"ASC({expression})", f"?{column}")
    return re.findall(r"\?(\w+)", clause)
