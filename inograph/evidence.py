"""The curated evidence: typed records read from the YAML curation files (docs/curation.md).

Curators write YAML because a reviewer can read and diff it line by line; everything else in
inograph (RDF, exports, checks) is generated from the records defined here.  Every record
remembers the file and line it came from, so each error message can point at it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml

from inograph.errors import EvidenceError, LoadError

__all__ = [
    "ANALYSIS_KINDS",
    "CITO_PROPERTIES",
    "ENDPOINT_KINDS",
    "GRADES",
    "ID_PATTERN",
    "MEASURES",
    "POPULATION_KINDS",
    "QUALIFIERS",
    "UNITS",
    "Arm",
    "Curation",
    "Cutoff",
    "Derivation",
    "Endpoint",
    "Evidence",
    "Location",
    "Origin",
    "Population",
    "Publication",
    "Reference",
    "Regimen",
    "Result",
    "Trial",
    "load_curation",
    "load_evidence",
]

MEASURES: Final = (
    "count",
    "percentage",
    "median",
    "mean",
    "range",
    "hazard_ratio",
    "odds_ratio",
    "rate_at_timepoint",
    "rmst",
    "difference",
    "p_value",
    "dose",
    "duration",
    "other",
)
POPULATION_KINDS: Final = (
    "itt",
    "mitt",
    "safety",
    "remission-analysis",
    "as-treated",
    "per-protocol",
    "subgroup",
    "responders",
    "treated",
    "other",
)
GRADES: Final = ("any", "1", "2", "3", "4", "5", "1-2", "3-4", ">=2", ">=3")
"""Adverse-event grades (CTCAE) as the curation writes them: one grade, a band, or a floor."""
ID_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
"""Every id: letters, digits, dots, hyphens and underscores, so it can stand in an IRI unescaped."""
ENDPOINT_KINDS: Final = (
    "efficacy",
    "safety",
    "adverse-event",
    "baseline",
    "pharmacokinetic",
    "disposition",
    "other",
)
ENDPOINT_ROLES: Final = ("primary", "secondary", "exploratory")
PUBLICATION_KINDS: Final = (
    "primary-report",
    "final-report",
    "phase2-report",
    "review",
    "cited-work",
)
CITO_PROPERTIES: Final = (
    "cites",
    "citesForInformation",
    "citesAsDataSource",
    "citesAsEvidence",
    "usesMethodIn",
    "extends",
    "updates",
    "discusses",
    "reviews",
    "citesAsRelated",
    "obtainsBackgroundFrom",
    "citesAsAuthority",
    "usesDataFrom",
    "confirms",
    "supports",
    "disputes",
    "citesAsRecommendedReading",
    "critiques",
    "agreesWith",
    "disagreesWith",
)
P_SIDES: Final = ("one", "two")
# what kind of analysis a result comes from (docs/curation.md, "Analysis kind"); curated as
# `analysis:` or derived by inograph.analysis.analysis_kind
ANALYSIS_KINDS: Final = (
    "primary",
    "secondary",
    "sensitivity",
    "subgroup",
    "post-hoc",
    "exploratory",
    "design-assumption",
    "baseline-test",
    "descriptive",
)
# a sign or word printed before the value that bounds it (">40%", "approximately 50%")
QUALIFIERS: Final = ("<", "<=", ">", ">=", "~", "at least", "at most", "nearly")
# units as curated (docs/curation.md); one spelling each, so that equal quantities compare equal
UNITS: Final = (
    "%",
    "percentage points",
    "days",
    "weeks",
    "months",
    "years",
    "hours",
    "cycles",
    "courses",
    "doses",
    "lines",
    "events",
    "cells",
    "mg",
    "mg/m2",
    "mg/m2/day",
    "g/m2",
    "g/m2/day",
    "ug/kg/day",
    "mg/dL",
    "g/dL",
    "ng/mL",
    "x ULN",
    "x10^9/L",
    "x10^3 cells/mm3",
    "per mm3",
    "per microliter",
    "cells/uL",
    "new cases per year per 100,000 population",
)


@dataclass(frozen=True)
class Origin:
    """Where a record was written: curation file and line (1-based)."""

    file: Path
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Reference:
    number: int | None
    id: str
    citation: str
    doi: str | None
    cito: tuple[str, ...]
    origin: Origin


@dataclass(frozen=True)
class Publication:
    id: str
    title: str
    authors: tuple[str, ...]
    journal: str | None
    year: int | None
    volume: str | None
    issue: str | None
    pages: str | None
    doi: str | None
    pmid: str | None
    source_file: str
    kind: str
    reports_trials: tuple[str, ...]
    origin: Origin

    @property
    def citation(self) -> str:
        """A Vancouver-style citation assembled from the printed metadata."""
        authors = ", ".join(self.authors[:3]) + (", et al." if len(self.authors) > 3 else ".")
        where = f"{self.journal} {self.year}" if self.journal else str(self.year or "")
        if self.volume:
            where += f";{self.volume}" + (f"({self.issue})" if self.issue else "")
        if self.pages:
            where += f":{self.pages}"
        return f"{authors} {self.title}. {where}."


@dataclass(frozen=True)
class Regimen:
    drug: str
    dose: float | None
    unit: str | None
    days: tuple[int, ...]
    route: str | None
    cycle_length: str | None
    max_cycles: int | None
    note: str | None
    quote: str | None


@dataclass(frozen=True)
class Arm:
    id: str
    trial: str
    label: str
    regimens: tuple[Regimen, ...]
    note: str | None
    quote: str | None
    origin: Origin


@dataclass(frozen=True)
class Trial:
    id: str
    label: str
    registry_id: str | None
    phase: str | None
    design: str | None
    randomisation: str | None
    masking: str | None
    stratification: tuple[str, ...]
    arms: tuple[str, ...]
    note: str | None
    quote: str | None
    origin: Origin
    # the role the trial's report gives its safety measures ("Secondary end points included
    # safety measures"), with those words: the role of its adverse-event and safety end points
    safety_role: str | None = None
    safety_role_quote: str | None = None


@dataclass(frozen=True)
class Cutoff:
    id: str
    trial: str
    date: dt.date | None
    label: str
    quote: str | None
    origin: Origin


@dataclass(frozen=True)
class Population:
    id: str
    trial: str
    kind: str
    label: str
    parent: str | None
    characteristic: str | None
    note: str | None
    origin: Origin


@dataclass(frozen=True)
class Endpoint:
    id: str
    label: str
    kind: str
    role: str | None
    definition: str | None
    origin: Origin


@dataclass(frozen=True)
class Location:
    section: str | None = None
    subsection: str | None = None
    table: str | None = None
    figure: str | None = None
    row: str | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = [
            f"{name} {value}" if name in ("row", "column") else value
            for name, value in (
                ("section", self.section),
                ("subsection", self.subsection),
                ("table", self.table),
                ("figure", self.figure),
                ("row", self.row),
                ("column", self.column),
            )
            if value
        ]
        return "; ".join(parts)


@dataclass(frozen=True)
class Derivation:
    sources: tuple[str, ...]
    method: str


@dataclass(frozen=True)
class Result:
    """One reported quantity, exactly as one publication printed it."""

    id: str
    publication: str
    measure: str
    endpoint: str
    value: float | None
    location: Location
    quote: str | None
    origin: Origin
    trial: str | None = None
    population: str | None = None
    arm: str | None = None
    comparator: str | None = None
    unit: str | None = None
    n: int | None = None
    N: int | None = None
    ci: tuple[float, float] | None = None
    ci_level: float | None = None
    p_value: str | None = None
    p_sided: str | None = None
    test: str | None = None
    timepoint: str | None = None
    range: tuple[float, float] | None = None
    category: str | None = None
    grade: str | None = None
    serious: bool | None = None
    setting: str | None = None
    cutoff: str | None = None
    prefix: str | None = None
    cited_origin: str | None = None
    derived: Derivation | None = None
    source_inconsistency: str | None = None
    note: str | None = None
    analysis: str | None = None  # curated analysis kind (ANALYSIS_KINDS); else derived
    alpha: float | None = None  # prespecified significance threshold, as the text states it
    alpha_sided: str | None = None
    alpha_quote: str | None = None  # verbatim words of the same source stating the threshold
    qualifier: str | None = None  # QUALIFIERS: ">" for ">40%"
    value_as_printed: str | None = None  # override of the printed form found in the quote

    @property
    def p_relation_and_number(self) -> tuple[str, float] | None:
        """Split a printed P value such as ``<0.001`` into (relation, number)."""
        if self.p_value is None:
            return None
        text = self.p_value.strip().replace(" ", "")
        relation = "="
        for symbol in ("<=", ">=", "≤", "≥", "<", ">", "="):
            if text.startswith(symbol):
                relation, text = symbol, text[len(symbol) :]
                break
        relation = {"≤": "<=", "≥": ">="}.get(relation, relation)
        return relation, float(text)


@dataclass(frozen=True)
class Curation:
    """Everything one curation file holds: one publication's evidence."""

    path: Path
    publication: Publication
    references: tuple[Reference, ...]
    trials: tuple[Trial, ...]
    arms: tuple[Arm, ...]
    cutoffs: tuple[Cutoff, ...]
    populations: tuple[Population, ...]
    endpoints: tuple[Endpoint, ...]
    results: tuple[Result, ...]


@dataclass(frozen=True)
class Evidence:
    """All curation files merged: entities by id, each defined once; results by id."""

    curations: tuple[Curation, ...]
    trials: Mapping[str, Trial] = field(default_factory=dict)
    arms: Mapping[str, Arm] = field(default_factory=dict)
    cutoffs: Mapping[str, Cutoff] = field(default_factory=dict)
    populations: Mapping[str, Population] = field(default_factory=dict)
    endpoints: Mapping[str, Endpoint] = field(default_factory=dict)
    results: Mapping[str, Result] = field(default_factory=dict)

    @property
    def publications(self) -> dict[str, Publication]:
        return {c.publication.id: c.publication for c in self.curations}

    def curation_of(self, publication_id: str) -> Curation:
        for curation in self.curations:
            if curation.publication.id == publication_id:
                return curation
        raise KeyError(publication_id)


# --------------------------------------------------------------------------- YAML reading


class _Mapping(dict[str, Any]):
    """A YAML mapping that remembers the line it starts on."""

    line: int = 0


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's fast parser when available; it reports the same marks as the Python one."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        where = f"{loader.name}:{key_node.start_mark.line + 1}"
        if not isinstance(key_node, yaml.ScalarNode):
            raise EvidenceError(f"{where}: a key must be a plain word, not a {key_node.id}")
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise EvidenceError(f"{where}: duplicate key {key!r}")
        try:
            mapping[key] = loader.construct_object(value_node, deep=True)
        except ValueError as exc:  # e.g. 2014-02-30, which YAML reads as a date
            line = value_node.start_mark.line + 1
            raise EvidenceError(f"{loader.name}:{line}: field {key!r}: not a valid value: {exc}") from None
    return mapping


def _refuse_aliases(node: yaml.Node, path: Path) -> None:
    """Curation files are plain trees: an alias (``*name``) could expand without bound ("billion laughs")."""
    seen: set[int] = set()
    pending = [node]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            line = current.start_mark.line + 1
            raise EvidenceError(f"{path}:{line}: YAML anchors and aliases (&name, *name) are not allowed")
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            pending.extend(part for pair in current.value for part in pair)
        elif isinstance(current, yaml.SequenceNode):
            pending.extend(current.value)


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


class _Reader:
    """Typed access to one YAML mapping, with errors that name file, line and field."""

    def __init__(self, data: Any, path: Path, what: str, allowed: Iterable[str]) -> None:
        self.path = path
        self.line = getattr(data, "line", 0)
        self.what = what
        if not isinstance(data, dict):
            raise self.error(f"{what} must be a mapping, got {type(data).__name__}")
        self.data = data
        if data.get("id") is not None:
            ident = data["id"]
            if not isinstance(ident, str) or not ID_PATTERN.fullmatch(ident):
                raise self.error(
                    f"{what}: id {ident!r} must be letters, digits, '.', '-' or '_' (no spaces), "
                    "starting with a letter or digit"
                )
            self.what = what = f"{what} {ident!r}"
        unknown = sorted(set(data) - set(allowed))
        if unknown:
            raise self.error(f"{what}: unknown field(s) {', '.join(map(repr, unknown))}")

    @property
    def origin(self) -> Origin:
        return Origin(self.path, self.line)

    def error(self, message: str) -> EvidenceError:
        return EvidenceError(f"{self.path}:{self.line}: {message}")

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.error(f"{self.what}: field {key!r} is required")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float, dt.date)):
            raise self.error(f"{self.what}: field {key!r} must be text, got {value!r}")
        return str(value)

    def required_text(self, key: str) -> str:
        value = self.text(key, required=True)
        assert value is not None
        return value

    def number(self, key: str) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.error(f"{self.what}: field {key!r} must be a finite number, got {value!r}")
        return float(value)

    def integer(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"{self.what}: field {key!r} must be a whole number, got {value!r}")
        return value

    def choice(self, key: str, choices: Iterable[str], *, required: bool = False) -> str | None:
        value = self.text(key, required=required)
        allowed = tuple(choices)
        if value is not None and value not in allowed:
            raise self.error(f"{self.what}: field {key!r} is {value!r}, not one of {', '.join(allowed)}")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, (str, int, float)):
            return (str(value),)
        if not isinstance(value, list):
            raise self.error(f"{self.what}: field {key!r} must be a list")
        return tuple(str(item) for item in value)

    def pair(self, key: str) -> tuple[float, float] | None:
        value = self.data.get(key)
        if value is None:
            return None
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value
            )
        ):
            raise self.error(f"{self.what}: field {key!r} must be a list of two finite numbers")
        return float(value[0]), float(value[1])

    def records(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(f"{self.what}: field {key!r} must be a list")
        return value


_COMMON = ("note", "quote", "prefix")


def _read_publication(data: Any, path: Path) -> Publication:
    r = _Reader(
        data,
        path,
        "publication",
        (
            "id",
            "title",
            "authors",
            "journal",
            "year",
            "volume",
            "issue",
            "pages",
            "doi",
            "pmid",
            "source_file",
            "kind",
            "reports_trials",
            "note",
        ),
    )
    return Publication(
        id=r.required_text("id"),
        title=r.required_text("title"),
        authors=r.texts("authors"),
        journal=r.text("journal"),
        year=r.integer("year"),
        volume=r.text("volume"),
        issue=r.text("issue"),
        pages=r.text("pages"),
        doi=r.text("doi"),
        pmid=r.text("pmid"),
        source_file=r.required_text("source_file"),
        kind=r.choice("kind", PUBLICATION_KINDS, required=True) or "",
        reports_trials=r.texts("reports_trials"),
        origin=r.origin,
    )


def _read_reference(data: Any, path: Path) -> Reference:
    r = _Reader(data, path, "reference", ("number", "id", "citation", "doi", "cito", "note"))
    cito = r.texts("cito") or ("cites",)
    for prop in cito:
        if prop not in CITO_PROPERTIES:
            raise r.error(f"reference {r.get('id')!r}: unknown CiTO property {prop!r}")
    return Reference(
        number=r.integer("number"),
        id=r.required_text("id"),
        citation=r.required_text("citation"),
        doi=r.text("doi"),
        cito=cito,
        origin=r.origin,
    )


def _read_regimen(data: Any, path: Path) -> Regimen:
    r = _Reader(
        data,
        path,
        "regimen",
        (
            "drug",
            "dose",
            "unit",
            "days",
            "route",
            "cycle_length_days",
            "max_cycles",
            *_COMMON,
        ),
    )
    days = r.get("days")
    if days is None:
        day_list: tuple[int, ...] = ()
    elif isinstance(days, list) and all(isinstance(d, int) for d in days):
        day_list = tuple(days)
    else:
        raise r.error(f"regimen of {r.get('drug')!r}: days must be a list of day numbers")
    return Regimen(
        drug=r.required_text("drug"),
        dose=r.number("dose"),
        unit=r.text("unit"),
        days=day_list,
        route=r.text("route"),
        cycle_length=r.text("cycle_length_days"),
        max_cycles=r.integer("max_cycles"),
        note=r.text("note"),
        quote=r.text("quote"),
    )


def _read_trial(data: Any, path: Path) -> tuple[Trial, list[Arm]]:
    r = _Reader(
        data,
        path,
        "trial",
        (
            "id",
            "label",
            "registry_id",
            "phase",
            "design",
            "randomisation",
            "masking",
            "stratification",
            "arms",
            "safety_role",
            "safety_role_quote",
            *_COMMON,
        ),
    )
    trial_id = r.required_text("id")
    safety_role = r.choice("safety_role", ENDPOINT_ROLES)
    safety_role_quote = r.text("safety_role_quote")
    if (safety_role is None) != (safety_role_quote is None):
        raise r.error(
            f"{r.what}: safety_role and safety_role_quote go together (the role and the words stating it)"
        )
    arms = []
    for arm_data in r.records("arms"):
        a = _Reader(arm_data, path, "arm", ("id", "label", "regimens", *_COMMON))
        arms.append(
            Arm(
                id=a.required_text("id"),
                trial=trial_id,
                label=a.required_text("label"),
                regimens=tuple(_read_regimen(x, path) for x in a.records("regimens")),
                note=a.text("note"),
                quote=a.text("quote"),
                origin=a.origin,
            )
        )
    trial = Trial(
        id=trial_id,
        label=r.required_text("label"),
        registry_id=r.text("registry_id"),
        phase=r.text("phase"),
        design=r.text("design"),
        randomisation=r.text("randomisation"),
        masking=r.text("masking"),
        stratification=r.texts("stratification"),
        arms=tuple(a.id for a in arms),
        note=r.text("note"),
        quote=r.text("quote"),
        origin=r.origin,
        safety_role=safety_role,
        safety_role_quote=safety_role_quote,
    )
    return trial, arms


def _read_cutoff(data: Any, path: Path) -> Cutoff:
    r = _Reader(data, path, "cutoff", ("id", "trial", "date", "label", *_COMMON))
    date = r.get("date")
    if date is not None and not isinstance(date, dt.date):
        try:
            date = dt.date.fromisoformat(str(date))
        except ValueError:
            raise r.error(f"cutoff {r.get('id')!r}: date {date!r} is not YYYY-MM-DD") from None
    return Cutoff(
        id=r.required_text("id"),
        trial=r.required_text("trial"),
        date=date,
        label=r.required_text("label"),
        quote=r.text("quote"),
        origin=r.origin,
    )


def _read_population(data: Any, path: Path) -> Population:
    r = _Reader(
        data,
        path,
        "population",
        ("id", "trial", "kind", "label", "parent", "characteristic", *_COMMON),
    )
    return Population(
        id=r.required_text("id"),
        trial=r.required_text("trial"),
        kind=r.choice("kind", POPULATION_KINDS, required=True) or "",
        label=r.required_text("label"),
        parent=r.text("parent"),
        characteristic=r.text("characteristic"),
        note=r.text("note"),
        origin=r.origin,
    )


def _read_endpoint(data: Any, path: Path) -> Endpoint:
    r = _Reader(data, path, "endpoint", ("id", "label", "kind", "role", "definition", *_COMMON))
    return Endpoint(
        id=r.required_text("id"),
        label=r.required_text("label"),
        kind=r.choice("kind", ENDPOINT_KINDS, required=True) or "",
        role=r.choice("role", ENDPOINT_ROLES),
        definition=r.text("definition"),
        origin=r.origin,
    )


_RESULT_FIELDS = (
    "id",
    "measure",
    "endpoint",
    "trial",
    "population",
    "arm",
    "comparator",
    "value",
    "unit",
    "n",
    "N",
    "ci",
    "ci_level",
    "p_value",
    "p_sided",
    "test",
    "timepoint",
    "range",
    "category",
    "grade",
    "serious",
    "setting",
    "cutoff",
    "location",
    "quote",
    "prefix",
    "cited_origin",
    "derived",
    "source_inconsistency",
    "note",
    "analysis",
    "alpha",
    "alpha_sided",
    "alpha_quote",
    "qualifier",
    "value_as_printed",
)


def _read_result(data: Any, path: Path, publication: str) -> Result:
    r = _Reader(data, path, "result", _RESULT_FIELDS)
    result_id = r.required_text("id")
    what = r.what
    location_data = r.get("location")
    if isinstance(location_data, str):
        location = Location(section=location_data)
    else:
        loc = _Reader(location_data, path, f"{what} location", Location.__dataclass_fields__)
        location = Location(**{k: loc.text(k) for k in Location.__dataclass_fields__})
    if not any((location.section, location.table, location.figure)):
        raise r.error(f"{what}: location needs a section, table or figure")
    derived = None
    if r.get("derived") is not None:
        d = _Reader(r.get("derived"), path, f"{what} derived", ("from", "method"))
        derived = Derivation(sources=d.texts("from"), method=d.required_text("method"))
        if not derived.sources:
            raise r.error(f"{what}: derived.from must name the results it is computed from")
    quote = r.text("quote")
    if quote is None and derived is None:
        raise r.error(f"{what}: a quote is required (or mark the result as derived)")
    serious = r.get("serious")
    if serious is not None and not isinstance(serious, bool):
        raise r.error(f"{what}: serious must be true or false")
    p_value = r.text("p_value")
    result = Result(
        id=result_id,
        publication=publication,
        measure=r.choice("measure", MEASURES, required=True) or "",
        endpoint=r.required_text("endpoint"),
        value=r.number("value"),
        location=location,
        quote=quote,
        origin=r.origin,
        trial=r.text("trial"),
        population=r.text("population"),
        arm=r.text("arm"),
        comparator=r.text("comparator"),
        unit=r.choice("unit", UNITS),
        n=r.integer("n"),
        N=r.integer("N"),
        ci=r.pair("ci"),
        ci_level=r.number("ci_level"),
        p_value=p_value,
        p_sided=r.choice("p_sided", P_SIDES),
        test=r.text("test"),
        timepoint=r.text("timepoint"),
        range=r.pair("range"),
        category=r.text("category"),
        grade=r.choice("grade", GRADES),
        serious=serious,
        setting=r.text("setting"),
        cutoff=r.text("cutoff"),
        prefix=r.text("prefix"),
        cited_origin=r.text("cited_origin"),
        derived=derived,
        source_inconsistency=r.text("source_inconsistency"),
        note=r.text("note"),
        analysis=r.choice("analysis", ANALYSIS_KINDS),
        alpha=r.number("alpha"),
        alpha_sided=r.choice("alpha_sided", P_SIDES),
        alpha_quote=r.text("alpha_quote"),
        qualifier=r.choice("qualifier", QUALIFIERS),
        value_as_printed=_printed_text(r, "value_as_printed"),
    )
    if not result_id.startswith(publication + "-"):
        raise r.error(f"{what}: result ids start with the publication id {publication!r}-")
    if result.value is None and result.range is None and result.measure != "p_value":
        raise r.error(f"{what}: value is required (or range for measure range)")
    if result.alpha is not None and not (0 < result.alpha < 1):
        raise r.error(f"{what}: alpha {result.alpha:g} is not a probability between 0 and 1")
    if len({result.alpha is None, result.alpha_sided is None, result.alpha_quote is None}) > 1:
        raise r.error(
            f"{what}: alpha, alpha_sided and alpha_quote go together (the threshold, its "
            "sidedness and the verbatim sentence stating it)"
        )
    if result.qualifier is not None and result.value is None:
        raise r.error(f"{what}: qualifier {result.qualifier!r} needs a value to qualify")
    if p_value is not None:
        try:
            result.p_relation_and_number  # noqa: B018 - parse to validate
        except ValueError:
            raise r.error(f"{what}: p_value {p_value!r} is not a number like 0.04 or <0.001") from None
    return result


def _printed_text(r: _Reader, key: str) -> str | None:
    """A number exactly as printed; must be written as a YAML string ("0.70") to keep its zeros."""
    value = r.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise r.error(f'{r.what}: {key} must be quoted text such as "0.70", got {value!r}')
    return value


def load_curation(path: Path) -> Curation:
    """Read one curation file; raise :class:`EvidenceError` naming file and line on any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LoadError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise LoadError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    loader = _LineLoader(text)
    loader.name = str(path)
    try:
        node = loader.get_single_node()
        if node is not None:
            _refuse_aliases(node, path)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise EvidenceError(f"{path}:{line}: YAML syntax error: {exc.problem}") from None
    except yaml.reader.ReaderError as exc:  # control characters such as NUL
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise EvidenceError(f"{path}:{line}: character U+{code:04X} is not allowed in YAML") from None
    finally:
        loader.dispose()
    top = _Reader(
        data,
        path,
        "curation file",
        ("publication", "references", "trials", "cutoffs", "populations", "endpoints", "results"),
    )
    publication = _read_publication(top.get("publication"), path)
    trials, arms = [], []
    for item in top.records("trials"):
        trial, trial_arms = _read_trial(item, path)
        trials.append(trial)
        arms.extend(trial_arms)
    return Curation(
        path=path,
        publication=publication,
        references=tuple(_read_reference(x, path) for x in top.records("references")),
        trials=tuple(trials),
        arms=tuple(arms),
        cutoffs=tuple(_read_cutoff(x, path) for x in top.records("cutoffs")),
        populations=tuple(_read_population(x, path) for x in top.records("populations")),
        endpoints=tuple(_read_endpoint(x, path) for x in top.records("endpoints")),
        results=tuple(_read_result(x, path, publication.id) for x in top.records("results")),
    )


def _merge(kind: str, records: Iterable[Any], *, agree_on: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Index records by id.

    Strict kinds (``agree_on`` None): the same id twice must describe the same thing.  Shared
    vocabulary (endpoints, populations): the first definition is authoritative and a later one
    need only agree on ``agree_on``; its own label and definition are kept as alternatives.
    """
    merged: dict[str, Any] = {}
    for record in records:
        previous = merged.get(record.id)
        if previous is None:
            merged[record.id] = record
            continue
        fields = agree_on if agree_on is not None else tuple(k for k in vars(record) if k != "origin")
        differing = [k for k in fields if getattr(previous, k) != getattr(record, k)]
        if differing:
            raise EvidenceError(
                f"{record.origin}: {kind} {record.id!r} differs in {', '.join(differing)} from its "
                f"definition at {previous.origin}; define it once and reference it by id"
            )
    return merged


def _canonical_order(curations: Iterable[Curation]) -> list[Curation]:
    """Earlier publications define shared vocabulary first."""
    return sorted(curations, key=lambda c: (c.publication.year or 9999, c.publication.id))


def load_evidence(paths: Iterable[Path]) -> Evidence:
    """Read and merge curation files, then check that every id a record uses is defined."""
    curations = tuple(load_curation(Path(p)) for p in paths)
    ids = [c.publication.id for c in curations]
    for curation in curations:
        if ids.count(curation.publication.id) > 1:
            raise EvidenceError(f"{curation.path}: publication {curation.publication.id!r} is curated twice")
    ordered = _canonical_order(curations)
    evidence = Evidence(
        curations=curations,
        trials=_merge("trial", (t for c in ordered for t in c.trials)),
        arms=_merge("arm", (a for c in ordered for a in c.arms)),
        cutoffs=_merge("cutoff", (x for c in ordered for x in c.cutoffs)),
        populations=_merge("population", (x for c in ordered for x in c.populations), agree_on=("trial",)),
        endpoints=_merge("endpoint", (x for c in ordered for x in c.endpoints), agree_on=("kind",)),
        results=_merge("result", (x for c in ordered for x in c.results)),
    )
    _check_references(evidence)
    from inograph.citation_ids import check_citation_ids  # it reads this module's records

    check_citation_ids(evidence.curations)
    return evidence


def _check_references(evidence: Evidence) -> None:
    def need(origin: Origin, what: str, ident: str | None, table: Mapping[str, Any]) -> None:
        if ident is not None and ident not in table:
            raise EvidenceError(f"{origin}: unknown {what} {ident!r}")

    for population in evidence.populations.values():
        need(population.origin, "trial", population.trial, evidence.trials)
        need(population.origin, "parent population", population.parent, evidence.populations)
    for cutoff in evidence.cutoffs.values():
        need(cutoff.origin, "trial", cutoff.trial, evidence.trials)
    for curation in evidence.curations:
        for trial_id in curation.publication.reports_trials:
            need(curation.publication.origin, "trial", trial_id, evidence.trials)
        reference_ids = {r.id for r in curation.references}
        for result in curation.results:
            o = result.origin
            need(o, "endpoint", result.endpoint, evidence.endpoints)
            need(o, "trial", result.trial, evidence.trials)
            need(o, "population", result.population, evidence.populations)
            need(o, "arm", result.arm, evidence.arms)
            need(o, "comparator arm", result.comparator, evidence.arms)
            need(o, "cutoff", result.cutoff, evidence.cutoffs)
            if result.cited_origin is not None and result.cited_origin not in reference_ids:
                raise EvidenceError(f"{o}: cited_origin {result.cited_origin!r} is not in the reference list")
            if result.derived is not None:
                for source in result.derived.sources:
                    need(o, "result (derived.from)", source, evidence.results)
