"""Shell completion of query names, query parameters and ids, through click's mechanism.

Click completes commands, options and choices by itself; these functions add what only
inograph knows.  They read the same checkout a command would (``--checkout``, ``--installed``,
else the one holding the current directory), and never build the graph: ids come from the
curation files, so completing an id takes as long as reading the YAML (under a second).

Enable it once per shell (see the README)::

    eval "$(_INOGRAPH_COMPLETE=bash_source inograph)"      # bash, in ~/.bashrc
    eval "$(_INOGRAPH_COMPLETE=zsh_source inograph)"       # zsh, in ~/.zshrc
    _INOGRAPH_COMPLETE=fish_source inograph | source       # fish
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.shell_completion import CompletionItem

from inograph.errors import InographError

if TYPE_CHECKING:
    from inograph.evidence import Evidence

__all__ = [
    "complete_param",
    "complete_publication",
    "complete_query_name",
    "complete_result_id",
    "ids_of_kind",
]


def _select_resources(ctx: click.Context) -> None:
    from inograph.resources import choose_checkout, use_checkout

    root = ctx.find_root().params
    checkout = root.get("checkout")
    try:
        use_checkout(
            choose_checkout(
                Path(checkout) if checkout is not None else None, installed=bool(root.get("installed"))
            )
        )
    except InographError:
        use_checkout(None)


def _evidence(ctx: click.Context) -> Evidence | None:
    from inograph.evidence import load_evidence
    from inograph.resources import evidence_files

    _select_resources(ctx)
    try:
        return load_evidence(evidence_files())
    except (InographError, OSError):
        return None  # a file being edited may not parse: complete nothing rather than fail


def ids_of_kind(evidence: Evidence, kind: str) -> Mapping[str, str]:
    """Ids of one kind (endpoint, arm, population, publication, trial, cutoff, result) with a
    short description each."""
    if kind == "publication":
        return {p.id: p.title for p in evidence.publications.values()}
    if kind == "result":
        return dict.fromkeys(evidence.results, "")
    table: Mapping[str, object] = {
        "endpoint": evidence.endpoints,
        "arm": evidence.arms,
        "population": evidence.populations,
        "trial": evidence.trials,
        "cutoff": evidence.cutoffs,
    }.get(kind, {})
    assert isinstance(table, Mapping)
    return {key: str(getattr(value, "label", "") or "") for key, value in table.items()}


def _items(ids: Mapping[str, str], incomplete: str, prefix: str = "") -> list[CompletionItem]:
    return [
        CompletionItem(prefix + key, help=text or None)
        for key, text in sorted(ids.items())
        if key.startswith(incomplete)
    ]


def complete_query_name(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from inograph.queries import list_queries

    _select_resources(ctx)
    try:
        return [CompletionItem(q.name, help=q.title) for q in list_queries() if q.name.startswith(incomplete)]
    except InographError:
        return []


def complete_param(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """``--param`` of the query named before it: ``KEY=`` first, then ids of the key's type."""
    from inograph.queries import ID_TYPES, get_query

    # the query's name, also when a pending option value stopped click before processing it
    name = ctx.params.get("name") or next((a for a in ctx.args if not a.startswith("-")), None)
    if not name:
        return []
    _select_resources(ctx)
    try:
        saved = get_query(str(name))
    except InographError:
        return []
    key, sep, value = incomplete.partition("=")
    if not sep:
        return [
            CompletionItem(f"{p.name}=", help=p.description or None)
            for p in saved.parameters
            if p.name.startswith(key)
        ]
    chosen = next((p for p in saved.parameters if p.name == key), None)
    if chosen is None or chosen.type not in ID_TYPES:
        return []
    evidence = _evidence(ctx)
    if evidence is None:
        return []
    return _items(ids_of_kind(evidence, ID_TYPES[chosen.type]), value, prefix=f"{key}=")


def complete_result_id(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    evidence = _evidence(ctx)
    return [] if evidence is None else _items(ids_of_kind(evidence, "result"), incomplete)


def complete_publication(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    evidence = _evidence(ctx)
    return [] if evidence is None else _items(ids_of_kind(evidence, "publication"), incomplete)
