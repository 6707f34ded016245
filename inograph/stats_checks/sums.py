"""Sums and structure: parts do not exceed (and, where complete, add up to) their whole.

- the category rows of a baseline table (one characteristic, one arm, one N) add up to N;
- grade 3 + grade 4 of an adverse event vs grade 3–4 (equal) or grade >= 3 (at most: grade 5);
- the arms' population sizes add up to the population's size;
- a subgroup is not larger than its parent population;
- a count of patients in an arm does not exceed the patients at risk in that arm.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from inograph.stats_checks.findings import Check, Finding, Verdict
from inograph.stats_checks.printed import printed
from inograph.stats_checks.records import CheckedResult

__all__ = [
    "check_arms_sum",
    "check_category_sums",
    "check_events_at_risk",
    "check_grade_sums",
    "check_subgroup_sizes",
    "population_sizes",
]

SIZE_ENDPOINT = "population-size"
#: endpoint kinds whose unitless counts count patients (not cells, cycles or planned sizes)
PATIENT_KINDS = ("efficacy", "safety", "adverse-event")

Sizes = dict[tuple[str, str], tuple[int, str]]


def population_sizes(results: Iterable[CheckedResult]) -> Sizes:
    """(population, arm or "") → (size, result id) from the population-size counts (first by id)."""
    sizes: Sizes = {}
    for r in sorted(results, key=lambda x: x.result_id):
        if r.endpoint != SIZE_ENDPOINT or r.measure != "count" or r.value is None or not r.population:
            continue
        if not r.category and not r.setting and r.value == int(r.value):
            sizes.setdefault((r.population, r.arm or ""), (int(r.value), r.result_id))
    return sizes


def check_category_sums(results: Iterable[CheckedResult]) -> Iterator[Finding]:
    """The categories of one baseline characteristic, arm and N: their n add up to N."""
    groups: dict[tuple[object, ...], list[CheckedResult]] = defaultdict(list)
    for r in results:
        if (
            r.endpoint.startswith("bl-")
            and r.measure == "percentage"
            and r.category
            and r.n is not None
            and r.N
        ):
            key = (r.publication, r.table, r.endpoint, r.population, r.arm, r.cutoff, r.setting, r.N)
            groups[key].append(r)
    for group in groups.values():
        # a sub-row ("S1, CRD1 <12 mo" under "S1"; "Normal, >=20 metaphases" under "Normal")
        # is already counted in its row
        categories = {m.category for m in group}
        members = [m for m in group if not any(str(m.category).startswith(f"{c},") for c in categories)]
        if len({m.category for m in members}) < 2:
            continue
        members.sort(key=lambda m: m.result_id)
        total = members[0].N
        assert total is not None
        parts = sum(m.n or 0 for m in members)
        if parts == total:
            verdict, detail = Verdict.CONSISTENT, f"{len(members)} rows add up to N = {total}"
        elif parts > total:
            verdict, detail = Verdict.INCONSISTENT, f"{len(members)} rows add up to {parts} > N = {total}"
        else:
            verdict = Verdict.NOT_CHECKABLE
            detail = (
                f"{len(members)} rows add up to {parts} of N = {total}: {total - parts} in no printed row "
                "(missing data or rows not printed)"
            )
        yield Finding(
            Check.CATEGORY_SUM,
            tuple(m.result_id for m in members),
            verdict,
            "sum of the rows' n vs N",
            detail + " (" + ", ".join(f"{m.category} {m.n}" for m in members) + ")",
            printed=str(total),
            recomputed=float(parts),
        )


_GRADE_TOTALS = {"3-4": "equal", ">=3": "at most"}


def check_grade_sums(results: Iterable[CheckedResult]) -> Iterator[Finding]:
    """Grade 3 + grade 4 against grade 3–4 (equal) or grade >= 3 (at most; grade 5 counts there)."""
    by_row: dict[tuple[object, ...], dict[str, CheckedResult]] = defaultdict(dict)
    for r in sorted(results, key=lambda x: x.result_id):
        if r.grade and r.value is not None and r.measure in ("percentage", "count"):
            key = (r.publication, r.endpoint, r.population, r.arm, r.category, r.serious, r.setting,
                   r.cutoff, r.measure, r.N)  # fmt: skip
            by_row[key].setdefault(r.grade, r)
    for grades in by_row.values():
        three, four = grades.get("3"), grades.get("4")
        if three is None or four is None:
            continue
        for grade, relation in _GRADE_TOTALS.items():
            whole = grades.get(grade)
            if whole is None:
                continue
            ids = (whole.result_id, three.result_id, four.result_id)
            use_counts = all(x.n is not None or x.measure == "count" for x in (whole, three, four))
            if use_counts:

                def count(x: CheckedResult) -> int:
                    return x.n if x.n is not None else int(x.value or 0)

                parts, total = count(three) + count(four), count(whole)
                ok = parts == total if relation == "equal" else parts <= total
                slack = 0.0
                what = "patients"
            else:
                p3, p4, pw = (printed(x.value, x.quote) for x in (three, four, whole) if x.value is not None)
                slack = float(p3.half_unit + p4.half_unit + pw.half_unit)
                parts_f, total_f = float(p3.value + p4.value), float(pw.value)
                ok = (abs(parts_f - total_f) <= slack) if relation == "equal" else parts_f <= total_f + slack
                parts, total = parts_f, total_f  # type: ignore[assignment]
                what = "%"
            yield Finding(
                Check.GRADE_SUM,
                ids,
                Verdict.CONSISTENT if ok else Verdict.INCONSISTENT,
                f"grade 3 + grade 4 {'=' if relation == 'equal' else '<='} grade {grade}",
                f"{parts:g} {what} in grades 3 and 4 vs {total:g} in grade {grade}",
                printed=f"{total:g}",
                recomputed=float(parts),
                tolerance=slack or None,
            )


def check_arms_sum(results: Iterable[CheckedResult], sizes: Sizes) -> Iterator[Finding]:
    """The arms of a population add up to its size (population-size counts)."""
    arms: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    for (population, arm), (size, rid) in sizes.items():
        if arm:
            arms[population].append((arm, size, rid))
    for population, parts in sorted(arms.items()):
        whole = sizes.get((population, ""))
        if whole is None or len(parts) < 2:
            continue
        total = sum(size for _, size, _ in parts)
        yield Finding(
            Check.ARMS_SUM,
            (whole[1], *(rid for _, _, rid in sorted(parts))),
            Verdict.CONSISTENT if total == whole[0] else Verdict.INCONSISTENT,
            "sum of the arms' sizes = the population's size",
            " + ".join(f"{size} ({arm})" for arm, size, _ in sorted(parts))
            + f" = {total}; printed {whole[0]}",
            printed=str(whole[0]),
            recomputed=float(total),
        )


def check_subgroup_sizes(results: Iterable[CheckedResult], sizes: Sizes) -> Iterator[Finding]:
    """A population's size does not exceed its parent's, arm by arm."""
    parents = {r.population: r.population_parent for r in results if r.population and r.population_parent}
    for (population, arm), (size, rid) in sorted(sizes.items()):
        parent = parents.get(population)
        whole = sizes.get((parent, arm)) if parent else None
        if whole is None:
            continue
        yield Finding(
            Check.SUBGROUP_SIZE,
            (rid, whole[1]),
            Verdict.CONSISTENT if size <= whole[0] else Verdict.INCONSISTENT,
            "subgroup size <= parent size",
            f"{population} {size} vs its parent {parent} {whole[0]}" + (f" ({arm})" if arm else ""),
            printed=str(size),
            recomputed=float(whole[0]),
        )


def check_events_at_risk(results: Iterable[CheckedResult], sizes: Sizes) -> Iterator[Finding]:
    """A count (or n) of patients in a population and arm does not exceed the patients at risk."""
    for r in results:
        if r.endpoint == SIZE_ENDPOINT or not r.population or r.N is not None:
            continue
        if r.unit is not None or r.endpoint_kind not in PATIENT_KINDS:
            continue
        number = (
            r.n
            if r.n is not None
            else (int(r.value) if r.measure == "count" and r.value is not None else None)
        )
        at_risk = sizes.get((r.population, r.arm or ""))
        if number is None or at_risk is None:
            continue
        yield Finding(
            Check.EVENTS_AT_RISK,
            (r.result_id, at_risk[1]),
            Verdict.CONSISTENT if number <= at_risk[0] else Verdict.INCONSISTENT,
            "patients with the event <= patients at risk",
            f"{number} of {at_risk[0]} at risk in {r.population}" + (f" ({r.arm})" if r.arm else ""),
            printed=str(number),
            recomputed=float(at_risk[0]),
        )
