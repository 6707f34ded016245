"""The evidence graph as one HL7 FHIR R5 Bundle (EBM on FHIR): ``inograph export fhir``.

The Bundle (type ``collection``) holds a ``Citation`` per publication that reports results and
per cited work a result restates, an ``EvidenceVariable`` per population, arm and endpoint those
results use, an ``Evidence`` per result, and an ``ArtifactAssessment`` per documented source
inconsistency and per conflict the linker found.  Everything is read from the RDF graph by the
SPARQL files ``queries/export/fhir-*.rq``; the element-by-element mapping, and where FHIR has no
home for a graph field, is in docs/fhir-mapping.md.

Ids derive from the graph's ids (:func:`~inograph.export.fhir_terms.fhir_id`), entries are
sorted, numbers keep their stored decimal text and nothing depends on the clock, so the same
graph always gives byte-identical JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from rdflib import Dataset

from inograph.atomic import write_text_atomically
from inograph.errors import ExportError
from inograph.export.fhir_evidence import (
    EvidenceContext,
    conflict_assessment,
    evidence_resource,
    inconsistency_assessment,
)
from inograph.export.fhir_terms import (
    BASE,
    JSON,
    coding,
    concept,
    fhir_id,
    iri_identifier,
    narrative,
    variable_id,
    variable_ref,
)
from inograph.export.records import short_id
from inograph.export.sparql import Row, select

__all__ = ["FhirBundle", "bundle_json", "fhir_bundle", "write_fhir"]

_DOI: Final = "https://doi.org"
_PUBMED: Final = "https://pubmed.ncbi.nlm.nih.gov"
_ORDER: Final = ("Citation", "EvidenceVariable", "Evidence", "ArtifactAssessment")
# the EBM IG's classification of a journal article (profile journal-article-citation)
_CLASSIFICATION_TYPE: Final = "http://hl7.org/fhir/cited-artifact-classification-type"
_ARTIFACT_CLASSIFIER: Final = "http://hl7.org/fhir/citation-artifact-classifier"


@dataclass(frozen=True)
class FhirBundle:
    """The Bundle as a JSON object, and how many resources of each type it holds."""

    bundle: JSON
    counts: Mapping[str, int]


# -- Citation ------------------------------------------------------------------------------


def _citation(row: Row) -> JSON:
    ident = fhir_id(row["shortId"])
    artifact: JSON = {}
    identifiers = [iri_identifier(row["publication"])]
    if "doi" in row:
        identifiers.append({"system": _DOI, "value": row["doi"]})
    if "pmid" in row:
        identifiers.append({"system": _PUBMED, "value": row["pmid"]})
    artifact["identifier"] = identifiers
    if "title" in row:
        artifact["title"] = [{"text": row["title"]}]
    form: JSON = {}
    if "journal" in row:
        form["publishedIn"] = {"title": row["journal"]}
    if "volume" in row:
        form["volume"] = row["volume"]
    if "year" in row:
        form["articleDate"] = row["year"]
        form["publicationDateText"] = row["year"]
    if "pages" in row:
        form["pageString"] = row["pages"]
        first, _, last = row["pages"].partition("-")
        form["firstPage"] = first
        if last:
            # "2474-87" prints the last page abbreviated: 2487
            form["lastPage"] = first[: max(len(first) - len(last), 0)] + last
    if form:
        artifact["publicationForm"] = [form]
    if "kind" in row:
        # the EBM IG's journal-article classification, and inograph's own kind as text
        artifact["classification"] = [
            {
                "type": concept(
                    "Knowledge Artifact Type",
                    coding(_CLASSIFICATION_TYPE, "knowledge-artifact-type"),
                ),
                "classifier": [
                    concept(
                        "Journal Article",
                        coding(_ARTIFACT_CLASSIFIER, "D016428", "Journal Article"),
                    )
                ],
            },
            {"type": {"text": "inograph publication kind"}, "classifier": [{"text": row["kind"]}]},
        ]
    if "authors" in row:
        authors = [a for a in row["authors"].split("; ") if a]
        artifact["contributorship"] = {
            "entry": [
                {"contributor": {"display": name}, "rankingOrder": rank}
                for rank, name in enumerate(authors, start=1)
            ]
        }
    resource: JSON = {
        "resourceType": "Citation",
        "id": ident,
        "url": f"{BASE}Citation/{ident}",
        "identifier": [iri_identifier(row["publication"])],
        "title": row.get("title") or row.get("citation") or row["shortId"],
        "status": "active",
    }
    if "citation" in row:
        resource["summary"] = [{"text": row["citation"]}]
    resource["citedArtifact"] = artifact
    return resource


# -- EvidenceVariable ----------------------------------------------------------------------


def _texts(row: Row) -> list[str]:
    return sorted(t for t in row.get("texts", "").split("\x1f") if t)


def _regimen_lines(rows: Sequence[Row]) -> list[str]:
    lines = []
    for row in sorted(rows, key=lambda r: int(r["order"])):
        parts = [row["drug"]]
        if "dose" in row:
            parts.append(f"{row['dose']} {row.get('unit', '')}".strip())
        if "route" in row:
            parts.append(row["route"])
        if row.get("days"):
            days = sorted({int(d) for d in row["days"].split(",")})
            parts.append(("day " if len(days) == 1 else "days ") + ", ".join(map(str, days)))
        cycle = row.get("cycleText") or (f"{row['cycleDays']}" if "cycleDays" in row else None)
        if cycle:
            parts.append(f"cycle length {cycle} days")
        if "maxCycles" in row:
            parts.append(f"up to {row['maxCycles']} cycles")
        lines.append(", ".join(parts))
    return lines


def _evidence_variable(row: Row, roles: Mapping[str, list[Row]], regimens: Mapping[str, list[Row]]) -> JSON:
    kind, iri = row["kind"], row["entity"]
    ident = variable_id(kind, iri)
    resource: JSON = {
        "resourceType": "EvidenceVariable",
        "id": ident,
        "url": f"{BASE}EvidenceVariable/{ident}",
        "identifier": [iri_identifier(iri)],
        "title": row["label"],
        "status": "active",
    }
    notes: list[str] = []
    if kind == "population":
        detail = row.get("detail")
        resource["description"] = (
            f"{row['label']}: {detail} analysis population of {row['trialLabel']}"
            if detail
            else f"{row['label']}: analysis population of {row['trialLabel']}"
        )
        resource["actual"] = True
        characteristics: list[JSON] = []
        if "parent" in row:
            characteristics.append(
                {
                    "linkId": "parent-population",
                    "description": "member of the parent population",
                    "definitionReference": variable_ref("population", row["parent"]),
                }
            )
        if "characteristic" in row:
            characteristics.append({"linkId": "subgroup", "description": row["characteristic"]})
        if characteristics:
            resource["characteristic"] = characteristics
    elif kind == "arm":
        lines = _regimen_lines(regimens.get(iri, []))
        description = f"{row['label']} (arm of {row['trialLabel']})"
        if lines:
            description += "\n\n" + "\n".join(f"- {line}" for line in lines)
        resource["description"] = description
        notes.extend(_texts(row))
    else:
        definitions = _texts(row)
        resource["description"] = "\n\n".join(definitions) if definitions else row["label"]
        if "detail" in row:
            notes.append(f"endpoint kind: {row['detail']}")
        notes.extend(f"{r['role']} endpoint of {r['trialLabel']}" for r in roles.get(iri, []))
    if notes:
        resource["note"] = [{"text": text} for text in notes]
    return resource


# -- the Bundle ----------------------------------------------------------------------------


def _select_results(rows: Sequence[Row], publications: Iterable[str], trials: Iterable[str]) -> list[Row]:
    publications, trials = sorted(set(publications)), sorted(set(trials))
    known_publications = sorted({r["publication"] for r in rows})
    known_trials = sorted({short_id(r["trial"]) for r in rows if "trial" in r})
    for name, wanted, known in (
        ("publication", publications, known_publications),
        ("trial", trials, known_trials),
    ):
        unknown = [w for w in wanted if w not in known]
        if unknown:
            raise ExportError(f"unknown {name} {', '.join(map(repr, unknown))} (known: {', '.join(known)})")
    return [
        r
        for r in rows
        if (not publications or r["publication"] in publications)
        and (not trials or ("trial" in r and short_id(r["trial"]) in trials))
    ]


def fhir_bundle(
    dataset: Dataset, *, publications: Iterable[str] = (), trials: Iterable[str] = ()
) -> FhirBundle:
    """The FHIR R5 Bundle of ``dataset``'s evidence, optionally of some publications or trials.

    An unknown publication or trial id raises :class:`~inograph.errors.ExportError` naming the
    known ones; a selection that matches no result (a trial no chosen publication reports)
    raises too, rather than writing an empty Bundle.
    """
    results = _select_results(select(dataset, "fhir-results"), publications, trials)
    if not results:
        raise ExportError("no result matches the chosen --publication and --trial")
    variables = select(dataset, "fhir-variables")
    roles: dict[str, list[Row]] = {}
    for row in select(dataset, "fhir-endpoint-roles"):
        roles.setdefault(row["endpoint"], []).append(row)
    regimens: dict[str, list[Row]] = {}
    for row in select(dataset, "fhir-regimens"):
        regimens.setdefault(row["arm"], []).append(row)

    ctx = EvidenceContext(
        labels={r["entity"]: r["label"] for r in variables},
        parents={r["entity"]: r["parent"] for r in variables if "parent" in r},
        kinds={r["entity"]: r["detail"] for r in variables if r["kind"] == "population" and "detail" in r},
        characteristics={r["entity"]: r["characteristic"] for r in variables if "characteristic" in r},
        roles=roles,
        citation_ids={},
    )
    # the variables the chosen results use, with the parents of their subgroups
    used: set[str] = set()
    for row in results:
        used.update(row[k] for k in ("arm", "comparator", "endpoint", "population") if k in row)
    pending = [p for p in used if p in ctx.parents]
    while pending:
        parent = ctx.parents[pending.pop()]
        if parent not in used:
            used.add(parent)
            if parent in ctx.parents:
                pending.append(parent)

    pubs_used = {r["publication"] for r in results}
    cited_used = {r["cited"] for r in results if "cited" in r}
    citations: list[JSON] = []
    citation_ids: dict[str, str] = {}
    for row in select(dataset, "fhir-publications"):
        reported = row["shortId"] in pubs_used and row["publication"].endswith("/" + row["shortId"])
        if reported or row["publication"] in cited_used:
            resource = _citation(row)
            citations.append(resource)
            citation_ids[row["publication"]] = resource["id"]
            if reported:
                citation_ids[row["shortId"]] = resource["id"]
    ctx = EvidenceContext(ctx.labels, ctx.parents, ctx.kinds, ctx.characteristics, ctx.roles, citation_ids)
    missing = sorted((pubs_used | cited_used) - set(citation_ids))
    if missing:
        raise ExportError(f"publications without bibliographic data in the graph: {', '.join(missing)}")

    chosen = {r["resultId"] for r in results}
    predecessors: dict[str, list[tuple[str, str]]] = {}
    assessments = [inconsistency_assessment(r) for r in results if "inconsistency" in r]
    for link in select(dataset, "fhir-links"):
        source, target = link["source"], link["target"]
        if source not in chosen or target not in chosen:
            continue
        if link["classification"] == "updated":
            predecessors.setdefault(target, []).append((source, link["reason"]))
        else:
            assessments.append(conflict_assessment(source, target, link["reason"], link["classification"]))

    resources: list[JSON] = [*citations]
    resources += [_evidence_variable(r, roles, regimens) for r in variables if r["entity"] in used]
    resources += [evidence_resource(r, ctx, predecessors.get(r["resultId"], [])) for r in results]
    resources += assessments
    return _assemble(resources, publications, trials)


def _with_narrative(resource: JSON) -> JSON:
    """The resource with a generated ``text`` (after ``id``): its title, description, quote."""
    quote = next(
        (e["valueString"] for e in resource.get("extension", []) if e["url"].endswith("/verbatim-quote")),
        None,
    )
    summaries = [c.get("summary") for c in resource.get("content", [])]
    text = narrative(
        resource.get("title"),
        resource.get("description"),
        f"Quote: \u201c{quote}\u201d" if quote else None,
        *summaries,
    )
    head = {"resourceType": resource["resourceType"], "id": resource["id"], "text": text}
    return head | {k: v for k, v in resource.items() if k not in head}


def _assemble(resources: list[JSON], publications: Iterable[str], trials: Iterable[str]) -> FhirBundle:
    resources = [_with_narrative(r) for r in resources]
    keyed = sorted(
        resources,
        key=lambda r: (_ORDER.index(r["resourceType"]), "" if r["resourceType"] == "Evidence" else r["id"]),
    )
    seen: set[tuple[str, str]] = set()
    for resource in keyed:
        key = (resource["resourceType"], resource["id"])
        if key in seen:
            raise ExportError(f"two FHIR resources share the id {key[0]}/{key[1]}")
        seen.add(key)
    scope = "-".join(["inograph", *sorted(set(publications)), *sorted(set(trials))])
    counts = {t: sum(r["resourceType"] == t for r in keyed) for t in _ORDER}
    bundle: JSON = {
        "resourceType": "Bundle",
        "id": fhir_id(scope),
        "type": "collection",
        "entry": [{"fullUrl": f"{BASE}{r['resourceType']}/{r['id']}", "resource": r} for r in keyed],
    }
    return FhirBundle(bundle, counts)


def bundle_json(bundle: FhirBundle) -> str:
    """The Bundle as JSON text: two-space indent, keys in resource order, numbers as stored."""
    text = json.dumps(bundle.bundle, ensure_ascii=False, indent=2)
    return text + "\n"


def write_fhir(
    dataset: Dataset, out: Path, *, publications: Iterable[str] = (), trials: Iterable[str] = ()
) -> FhirBundle:
    """Write the Bundle to ``out`` atomically; return it (with its counts per resource type)."""
    bundle = fhir_bundle(dataset, publications=publications, trials=trials)
    write_text_atomically(Path(out), bundle_json(bundle))
    return bundle
