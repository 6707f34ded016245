"""The analysis kind of each result: what a number *means* statistically.

A P value of 0.003 means one thing in a prespecified primary comparison and another in a test
of baseline imbalance; a hazard ratio of 0.67 in the sample-size calculation is an assumption,
not an estimate.  Each result therefore carries one analysis kind (``ino:analysisKind``) from
:data:`inograph.evidence.ANALYSIS_KINDS`:

================== =========================================================================
primary            an analysis of a primary end point of the trial
secondary          an analysis of a secondary end point
exploratory        an analysis the report calls exploratory, or of an exploratory end point
post-hoc           an analysis the report says was not prespecified ("post hoc")
sensitivity        a re-analysis of an end point under other assumptions (e.g. OS censored
                   at subsequent salvage therapy) to test the robustness of the main result
subgroup           an analysis within a subgroup of the population
design-assumption  a number of the trial's design: assumed rates or hazard ratio, power,
                   alpha, sample size, boundaries; never an observed result
baseline-test      a test of imbalance between arms (or cohorts) at baseline
descriptive        a figure reported with no analysis role: baseline characteristics, numbers
                   of patients, disposition, and end points for which no report states a role
================== =========================================================================

``descriptive`` is the one kind beyond the eight the issue names: without it a baseline age or
a count of randomised patients would have to be called "primary" or "secondary", which the
report never says.

The curator's ``analysis:`` always wins.  Otherwise the kind is derived, in this order:

1. the result's population is a subgroup (population kind ``subgroup``) -> ``subgroup``;
2. the end point is a baseline characteristic (end point kind ``baseline``): with a P value
   -> ``baseline-test``, without -> ``descriptive``;
3. the end point has a role (primary, secondary, exploratory) in the result's trial, as stated
   by a primary or final report of that trial (a review's roles are not the trial's) -> that
   role;
4. the end point is an adverse event or a safety measure (end point kind ``adverse-event`` or
   ``safety``) of a trial whose report gives its safety measures a role (trial field
   ``safety_role``: INO-VATE's "Secondary end points included safety measures") -> that role;
5. otherwise -> ``descriptive``.

Rules 1-3 are wrong for sensitivity, post hoc and exploratory re-analyses of a primary end
point and for design numbers; those results carry ``analysis:`` in the curation files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from inograph.evidence import Evidence, Result

__all__ = ["AnalysisBasis", "AssignedKind", "analysis_kind", "analysis_kinds", "endpoint_roles"]


class AnalysisBasis(StrEnum):
    """Why a result has its analysis kind (``ino:analysisKindBasis``)."""

    CURATED = "curated"
    SUBGROUP_POPULATION = "subgroup population"
    BASELINE_WITH_P = "baseline end point with a P value"
    BASELINE = "baseline end point"
    ENDPOINT_ROLE = "end point role in the trial"
    SAFETY_ROLE = "safety measures' role in the trial"
    NO_ROLE = "no stated role"


@dataclass(frozen=True)
class AssignedKind:
    """An analysis kind with the reason it was given."""

    kind: str
    basis: AnalysisBasis


_REPORTS_WITH_ROLES: Final = ("primary-report", "final-report", "phase2-report")
_SAFETY_KINDS: Final = ("adverse-event", "safety")


def endpoint_roles(evidence: Evidence) -> dict[tuple[str, str], str]:
    """``(trial, endpoint) -> role`` as the trial's own reports state it (first report wins)."""
    roles: dict[tuple[str, str], str] = {}
    for curation in sorted(evidence.curations, key=lambda c: (c.publication.year or 0, c.publication.id)):
        if curation.publication.kind not in _REPORTS_WITH_ROLES:
            continue
        for endpoint in curation.endpoints:
            if endpoint.role is None:
                continue
            for trial in curation.publication.reports_trials:
                roles.setdefault((trial, endpoint.id), endpoint.role)
    return roles


def analysis_kind(
    result: Result, evidence: Evidence, roles: Mapping[tuple[str, str], str] | None = None
) -> AssignedKind:
    """The analysis kind of ``result`` by the rules of this module's docstring.

    ``roles`` is :func:`endpoint_roles` of ``evidence``; pass it when classifying many results.
    """
    if result.analysis is not None:
        return AssignedKind(result.analysis, AnalysisBasis.CURATED)
    population = evidence.populations.get(result.population) if result.population else None
    if population is not None and population.kind == "subgroup":
        return AssignedKind("subgroup", AnalysisBasis.SUBGROUP_POPULATION)
    endpoint = evidence.endpoints[result.endpoint]
    if endpoint.kind == "baseline":
        if result.p_value is not None or result.measure == "p_value":
            return AssignedKind("baseline-test", AnalysisBasis.BASELINE_WITH_P)
        return AssignedKind("descriptive", AnalysisBasis.BASELINE)
    if roles is None:
        roles = endpoint_roles(evidence)
    role = roles.get((result.trial, result.endpoint)) if result.trial else None
    if role is not None:
        return AssignedKind(role, AnalysisBasis.ENDPOINT_ROLE)
    trial = evidence.trials.get(result.trial) if result.trial else None
    if endpoint.kind in _SAFETY_KINDS and trial is not None and trial.safety_role is not None:
        return AssignedKind(trial.safety_role, AnalysisBasis.SAFETY_ROLE)
    return AssignedKind("descriptive", AnalysisBasis.NO_ROLE)


def analysis_kinds(evidence: Evidence) -> dict[str, AssignedKind]:
    """Every result's analysis kind, by result id."""
    roles = endpoint_roles(evidence)
    return {ident: analysis_kind(result, evidence, roles) for ident, result in evidence.results.items()}
