"""Where inograph finds its ontology, shapes, queries and curated evidence.

Two places hold them:

- a **checkout**: a folder with ``evidence/`` and ``pyproject.toml`` (the repository a curator
  edits), found from the current directory upwards by :func:`find_checkout`;
- the **installed copy**: ``inograph/_data/`` inside a wheel, or, for an editable install or a
  run from the source tree, the folders beside the package.

The command line chooses the checkout it is run from (``inograph --installed`` or running it
outside a checkout picks the installed copy) through :func:`use_checkout`; the Python API keeps
the installed copy unless told otherwise.  Code asks this module, never a path.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "RESOURCE_NAMES",
    "SOURCES_ENV",
    "active_checkout",
    "choose_checkout",
    "default_sources_dir",
    "evidence_dir",
    "evidence_files",
    "find_checkout",
    "installed_dir",
    "internal_query",
    "is_checkout",
    "ontology_files",
    "queries_dir",
    "resource_dir",
    "reviewed_drift_file",
    "shape_files",
    "use_checkout",
]

_PACKAGE = Path(__file__).resolve().parent
SOURCES_ENV = "INOGRAPH_SOURCES"
#: the folders a checkout may hold; evidence/ (with pyproject.toml) is what makes a folder one
RESOURCE_NAMES = ("evidence", "ontology", "shapes", "queries")

_checkout: Path | None = None
_announce: Callable[[Path], None] | None = None
_announced = False


def is_checkout(folder: Path) -> bool:
    """A checkout is a folder with ``evidence/`` and ``pyproject.toml``."""
    return (folder / "evidence").is_dir() and (folder / "pyproject.toml").is_file()


def find_checkout(start: Path | None = None) -> Path | None:
    """The checkout holding ``start`` (default: the current directory), searching upwards."""
    here = (start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_checkout(folder):
            return folder
    return None


def choose_checkout(checkout: Path | None = None, *, installed: bool = False) -> Path | None:
    """The checkout a command should read: ``checkout`` when given, none with ``installed``,
    else the one holding the current directory; ``None`` means the installed copy."""
    if installed:
        return None
    if checkout is not None:
        folder = checkout.resolve()
        if not is_checkout(folder):
            from inograph.errors import LoadError

            raise LoadError(f"{checkout}: not a checkout of inograph (no evidence/ and pyproject.toml there)")
        return folder
    return find_checkout()


def use_checkout(folder: Path | None, *, announce: Callable[[Path], None] | None = None) -> None:
    """Read resources from the checkout ``folder`` from now on (``None``: the installed copy).

    ``announce`` is called once, with the folder, the first time a resource is read from it, so
    a command says where its evidence comes from only when it reads any.
    """
    global _checkout, _announce, _announced
    _checkout = folder.resolve() if folder is not None else None
    _announce = announce
    _announced = False


def active_checkout() -> Path | None:
    """The checkout chosen by :func:`use_checkout`, or ``None`` for the installed copy."""
    return _checkout


def installed_dir(name: str) -> Path:
    """The folder ``name`` of the installed copy (wheel data, else beside the package)."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    beside = _PACKAGE.parent / name
    if beside.is_dir():
        return beside
    raise FileNotFoundError(f"inograph resource folder {name!r} is missing from the installation")


def resource_dir(name: str) -> Path:
    """The folder ``name`` (ontology, shapes, queries, evidence) of the checkout in use, else
    of the installed copy."""
    global _announced
    if _checkout is not None:
        folder = _checkout / name
        if folder.is_dir():
            if _announce is not None and not _announced:
                _announced = True
                _announce(_checkout)
            return folder
    return installed_dir(name)


def ontology_files() -> list[Path]:
    return sorted(resource_dir("ontology").glob("*.ttl"))


def shape_files() -> list[Path]:
    return sorted(resource_dir("shapes").glob("*.ttl"))


def queries_dir() -> Path:
    return resource_dir("queries")


def internal_query(folder: str, name: str) -> str:
    """The text of ``queries/<folder>/<name>.rq``, a query inograph runs itself (not a library
    question); a missing file is a damaged installation, said with its path."""
    from inograph.errors import QueryError

    path = queries_dir() / folder / f"{name}.rq"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        raise QueryError(f"{folder} query {name!r} is missing ({path})") from None


def evidence_dir() -> Path:
    return resource_dir("evidence")


def evidence_files() -> list[Path]:
    return sorted(evidence_dir().glob("*.yaml"))


def reviewed_drift_file() -> Path:
    """The curators' list of reviewed drift candidates (``inograph check-drift``)."""
    return evidence_dir() / "reviewed" / "drift.yaml"


def default_sources_dir() -> Path | None:
    """The folder of source texts: ``$INOGRAPH_SOURCES``, else ``shared/sources`` beside the
    checkout in use, the current directory or the package's folder."""
    env = os.environ.get(SOURCES_ENV)
    if env:
        return Path(env)
    bases = [_checkout] if _checkout is not None else []
    for base in (*bases, Path.cwd(), _PACKAGE.parent):
        candidate = base.parent / "shared" / "sources"
        if candidate.is_dir():
            return candidate
    return None
