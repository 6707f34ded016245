"""The SPARQL question library: ``queries/*.rq`` read, parameters bound as RDF terms, run on Oxigraph.

Each library file asks one question and says so in a comment header the tool reads::

    # title: Hazard ratios for OS, PFS and remission duration
    # question: Which hazard ratios ... ?
    # param: endpoint (type: endpoint, default: os) the endpoint, as an id or an IRI

Parameters are never spliced into the query text.  They become RDF terms (an IRI, a typed
literal) and are handed to Oxigraph's ``substitutions``, which binds a variable as if by a
``VALUES`` clause.  Oxigraph binds only variables of the SELECT projection, so a parameter's
variable must be projected (see ``queries/README.md``); a parameter that is not given and has
no default stays unbound, so the query then answers for every value of that variable.

Example::

    >>> from inograph.queries import query
    >>> rows = query("endpoint-results", endpoint="pfs")          # doctest: +SKIP
    >>> rows[0]["value"]                                          # doctest: +SKIP
    Decimal('0.45')
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from inograph.errors import QueryError
from inograph.query_limits import QueryLimits, check_service, run_limited
from inograph.rdf_terms import from_oxigraph, to_oxigraph
from inograph.resources import queries_dir
from inograph.result_formats import ResultFormat, format_result
from inograph.result_terms import XSD_NAMESPACE, Printed, printed

if TYPE_CHECKING:
    from rdflib.term import Node

    from inograph.build import BuiltDataset

__all__ = [
    "ID_TYPES",
    "ParamType",
    "Parameter",
    "QueryResult",
    "ResultFormat",
    "Row",
    "SavedQuery",
    "bind_parameters",
    "default_built",
    "format_result",
    "get_query",
    "list_queries",
    "parse_query_file",
    "query",
    "run_query",
    "sparql",
]


class ParamType(StrEnum):
    """What a parameter's value is; the type decides the RDF term the value becomes."""

    IRI = "iri"
    LITERAL = "literal"
    DECIMAL = "decimal"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    DATE = "date"
    ENDPOINT = "endpoint"
    ARM = "arm"
    POPULATION = "population"
    PUBLICATION = "publication"
    TRIAL = "trial"
    CUTOFF = "cutoff"
    RESULT = "result"


#: id types: a short id ``os`` becomes ``inod:endpoint/os``, as graph_builder mints them
ID_TYPES: Mapping[ParamType, str] = {
    ParamType.ENDPOINT: "endpoint",
    ParamType.ARM: "arm",
    ParamType.POPULATION: "population",
    ParamType.PUBLICATION: "publication",
    ParamType.TRIAL: "trial",
    ParamType.CUTOFF: "cutoff",
    ParamType.RESULT: "result",
}

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_HEADER = re.compile(r"^#\s*(title|question|param|narrow)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<spec>[^)]*)\)\s*(?P<description>.*)$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Parameter:
    """One declared parameter: its name is also the SPARQL variable it binds."""

    name: str
    type: ParamType
    default: str | None = None
    description: str = ""
    #: without a default, a parameter left out stays unbound (the query answers for every
    #: value) unless the header marks it ``required``
    required: bool = False


@dataclass(frozen=True)
class SavedQuery:
    """A query file: its header read into fields, its text kept verbatim for Oxigraph."""

    name: str
    title: str
    question: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path | None = None
    narrow: tuple[str, ...] = ()
    """Columns a narrow terminal keeps longest (header ``# narrow: a, b, c``): what tells rows apart."""

    def parameter(self, name: str) -> Parameter:
        for param in self.parameters:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")


def _parse_param(text: str, where: str) -> Parameter:
    match = _PARAM.match(text)
    if match is None:
        raise QueryError(f"{where}: bad param line {text!r} (want: name (type: T, default: D) text)")
    fields: dict[str, str] = {}
    flags: set[str] = set()
    for part in (p.strip() for p in match["spec"].split(",")):
        if not part:
            continue
        key, sep, value = part.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
        else:
            flags.add(key.strip())
    try:
        kind = ParamType(fields.get("type", "literal"))
    except ValueError:
        known = ", ".join(t.value for t in ParamType)
        raise QueryError(
            f"{where}: parameter {match['name']!r} has unknown type {fields.get('type')!r} (known: {known})"
        ) from None
    return Parameter(
        name=match["name"],
        type=kind,
        default=fields.get("default"),
        description=match["description"],
        required="required" in flags,
    )


def parse_query_file(path: Path, *, name: str | None = None) -> SavedQuery:
    """Read a ``.rq`` file and its comment header (title, question, param lines)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"{path}: cannot read query file ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        reason = f"{exc.reason} at byte {exc.start}"
        raise QueryError(f"{path}: not UTF-8 text ({reason}); save it as UTF-8") from None
    return parse_query_text(text, name=name or Path(path).stem, path=Path(path))


def parse_query_text(text: str, *, name: str, path: Path | None = None) -> SavedQuery:
    """The header is the leading block of ``#`` lines; ``title`` and ``question`` may be absent."""
    where = str(path) if path is not None else name
    header: dict[str, str] = {}
    params: list[Parameter] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER.match(stripped)
        if match is None:
            continue
        key, value = match.groups()
        if key == "param":
            param = _parse_param(value, where)
            if any(p.name == param.name for p in params):
                raise QueryError(f"{where}: parameter {param.name!r} declared twice")
            params.append(param)
        else:
            header[key] = value
    return SavedQuery(
        name=name,
        title=header.get("title", name),
        question=header.get("question", ""),
        parameters=tuple(params),
        text=text,
        path=path,
        narrow=tuple(c.strip().lstrip("?") for c in header.get("narrow", "").split(",") if c.strip()),
    )


@lru_cache(maxsize=1)
def _library(directory: Path) -> Mapping[str, SavedQuery]:
    queries: dict[str, SavedQuery] = {}
    for path in sorted(directory.glob("*.rq")):
        if not _NAME.match(path.stem):
            raise QueryError(f"{path}: query file names are lower-case words joined by '-'")
        queries[path.stem] = parse_query_file(path)
    return queries


def list_queries() -> list[SavedQuery]:
    """The library, sorted by name."""
    return list(_library(queries_dir()).values())


def get_query(name: str) -> SavedQuery:
    """A library query by name; an unknown name says which names exist."""
    library = _library(queries_dir())
    try:
        return library[name]
    except KeyError:
        close = [n for n in library if name in n or n in name]
        hint = f" (did you mean: {', '.join(close)}?)" if close else ""
        raise QueryError(f"unknown query {name!r}{hint}; 'inograph queries' lists the library") from None


def _to_term(param: Parameter, value: object) -> Any:
    """Turn a user's value into the RDF term (pyoxigraph's) of the parameter's type, or say why
    it cannot.  Values become the lexical forms rdflib gives them (``Decimal`` with ``:f``)."""
    import pyoxigraph as ox

    from inograph.build import PREFIXES

    bad = f"parameter {param.name!r} ({param.type.value}): "
    # RDF terms from Python callers are taken as they are when their kind fits the type (an
    # rdflib term means rdflib is imported already)
    rdflib = sys.modules.get("rdflib")
    if rdflib is not None:
        if isinstance(value, rdflib.URIRef) and (param.type is ParamType.IRI or param.type in ID_TYPES):
            return _checked_iri(str(value), bad)
        if isinstance(value, rdflib.Literal) and param.type is ParamType.LITERAL:
            return to_oxigraph(value)
    if param.type is ParamType.IRI or param.type in ID_TYPES:
        text = str(value)
        if param.type in ID_TYPES and _ID.match(text):
            return ox.NamedNode(f"{PREFIXES['inod']}{ID_TYPES[param.type]}/{text}")
        if "://" in text:
            return _checked_iri(text, bad)
        if param.type in ID_TYPES:
            raise QueryError(bad + f"{text!r} is neither an id (letters, digits, '.', '_', '-') nor an IRI")
        raise QueryError(bad + f"{text!r} is not an absolute IRI")
    if param.type is ParamType.LITERAL:
        return ox.Literal(str(value))
    if param.type is ParamType.DECIMAL:
        try:
            number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
        except InvalidOperation:
            raise QueryError(bad + f"{value!r} is not a decimal number") from None
        if not number.is_finite():
            raise QueryError(bad + f"{value!r} is not a finite decimal number")
        return _typed(_lexical(number), "decimal")
    if param.type is ParamType.INTEGER:
        try:
            integer = value if isinstance(value, int) else int(str(value).strip())
        except ValueError:
            raise QueryError(bad + f"{value!r} is not an integer") from None
        return _typed(_lexical(integer), "integer")
    if param.type is ParamType.BOOLEAN:
        if isinstance(value, bool):
            return _typed(_lexical(value), "boolean")
        text = str(value).strip().lower()
        if text not in ("true", "false"):
            raise QueryError(bad + f"{value!r} is not true or false")
        return _typed(text, "boolean")
    # ParamType.DATE
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value).strip())
    except ValueError:
        raise QueryError(bad + f"{value!r} is not a date (YYYY-MM-DD)") from None
    return _typed(day.isoformat(), "date")


def _lexical(value: Decimal | int) -> str:
    """rdflib's lexical form of a Python value (``bool`` is an ``int``: ``true``/``false``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def _typed(text: str, xsd_name: str) -> Any:
    import pyoxigraph as ox

    return ox.Literal(text, datatype=ox.NamedNode(XSD_NAMESPACE + xsd_name))


def _checked_iri(text: str, bad: str) -> Any:
    import pyoxigraph as ox

    try:
        return ox.NamedNode(text)
    except ValueError as exc:
        raise QueryError(bad + f"{text!r} is not a valid IRI ({exc})") from None


def bind_parameters(saved: SavedQuery, given: Mapping[str, object]) -> dict[str, Node]:
    """The RDF term (rdflib's) for each parameter: given values, else defaults; unknown names
    are errors."""
    return {name: _as_rdflib(term) for name, term in _bind(saved, given).items()}


def _as_rdflib(term: Any) -> Node:
    node = from_oxigraph(term)
    assert node is not None
    return node


def _bind(saved: SavedQuery, given: Mapping[str, object]) -> dict[str, Any]:
    """:func:`bind_parameters` with pyoxigraph's terms, as the store takes them."""
    for name in given:
        saved.parameter(name)
    bound: dict[str, Any] = {}
    for param in saved.parameters:
        value = given.get(param.name, param.default)
        if value is None:
            if param.required:
                raise QueryError(
                    f"query {saved.name!r} needs parameter {param.name!r} ({param.type.value}): "
                    f"give it with --param {param.name}=VALUE"
                )
            continue
        bound[param.name] = _to_term(param, value)
    return bound


class Row:
    """One solution: Python values by variable (``row["value"]``), RDF terms via :meth:`term`.

    Values are typed: IRIs stay :class:`rdflib.URIRef`, ``xsd:decimal`` is :class:`Decimal`,
    ``xsd:integer`` is ``int``, ``xsd:date`` is :class:`datetime.date`, strings are ``str``;
    an unbound variable is ``None``.  A row of the store's answer keeps pyoxigraph's terms and
    makes the rdflib ones (:attr:`terms`) on first use: the command line prints :attr:`cells`,
    made from pyoxigraph's terms, and so never imports rdflib.
    """

    __slots__ = ("_cells", "_native", "_shared", "_terms", "variables")

    def __init__(self, variables: tuple[str, ...], terms: tuple[Node | None, ...]) -> None:
        self.variables = variables
        self._terms: tuple[Node | None, ...] | None = terms
        self._native: tuple[Any, ...] | None = None
        self._shared: _Conversions | None = None
        self._cells: tuple[Printed | None, ...] | None = None

    @classmethod
    def _of_store(cls, variables: tuple[str, ...], native: tuple[Any, ...], shared: _Conversions) -> Row:
        row = cls.__new__(cls)
        row.variables = variables
        row._terms = None
        row._native = native
        row._shared = shared
        row._cells = None
        return row

    @property
    def terms(self) -> tuple[Node | None, ...]:
        """The values as rdflib terms, in projection order (``None`` when unbound)."""
        if self._terms is None:
            assert self._native is not None and self._shared is not None
            self._terms = self._shared.rdflib_terms(self._native)
        return self._terms

    @property
    def cells(self) -> tuple[Printed | None, ...]:
        """The values as the result formats print them (:mod:`inograph.result_terms`)."""
        if self._cells is None:
            if self._native is not None and self._shared is not None:
                self._cells = self._shared.printed_terms(self._native)
            else:
                self._cells = tuple(printed(t) for t in self.terms)
        return self._cells

    def select(self, variables: tuple[str, ...]) -> Row:
        """Only these variables' values, in this order."""
        index = [self._index(v) for v in variables]
        if self._native is not None and self._shared is not None:
            return Row._of_store(variables, tuple(self._native[i] for i in index), self._shared)
        terms = self.terms
        return Row(variables, tuple(terms[i] for i in index))

    def term(self, variable: str) -> Node | None:
        return self.terms[self._index(variable)]

    def _index(self, variable: str) -> int:
        try:
            return self.variables.index(variable)
        except ValueError:
            raise KeyError(f"no variable {variable!r} (variables: {', '.join(self.variables)})") from None

    def __getitem__(self, variable: str) -> Any:
        return _python(self.term(variable))

    def as_dict(self) -> dict[str, Any]:
        return {v: _python(t) for v, t in zip(self.variables, self.terms, strict=True)}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Row):
            return NotImplemented
        return self.variables == other.variables and self.terms == other.terms

    def __hash__(self) -> int:
        return hash((self.variables, self.terms))

    def __repr__(self) -> str:
        return f"Row(variables={self.variables!r}, terms={self.terms!r})"


class _Conversions:
    """The terms of one answer converted, each once: a term repeated across rows (an arm, a
    publication, a unit) costs one conversion (rdflib parses every literal's value on
    construction, the bulk of the time for a thousand-row answer)."""

    __slots__ = ("_printed", "_rdflib")

    def __init__(self) -> None:
        self._rdflib: dict[Any, Node | None] = {None: None}
        self._printed: dict[Any, Printed | None] = {None: None}

    def rdflib_terms(self, native: tuple[Any, ...]) -> tuple[Node | None, ...]:
        return _each_once(self._rdflib, from_oxigraph, native)

    def printed_terms(self, native: tuple[Any, ...]) -> tuple[Printed | None, ...]:
        return _each_once(self._printed, printed, native)


_Converted = TypeVar("_Converted")


def _each_once(
    done: dict[Any, _Converted | None], convert: Callable[[Any], _Converted], native: tuple[Any, ...]
) -> tuple[_Converted | None, ...]:
    """``native`` converted term by term, each distinct term once (``done`` remembers them)."""
    converted = []
    for term in native:
        value = done.get(term, _MISSING)
        if value is _MISSING:
            value = done[term] = convert(term)
        converted.append(value)
    return tuple(converted)


def _python(term: Node | None) -> Any:
    from rdflib import BNode, Literal, URIRef

    from inograph.namespaces import XSD

    if term is None or isinstance(term, (URIRef, BNode)):
        return term
    if isinstance(term, Literal):
        if term.datatype == XSD.decimal:
            return Decimal(str(term))  # exact: rdflib would keep it, but say so explicitly
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return term


@dataclass(frozen=True)
class QueryResult(Sequence[Row]):
    """The rows of a SELECT (or the answer of an ASK) with the variables in projection order."""

    variables: tuple[str, ...]
    rows: tuple[Row, ...] = field(default=())
    boolean: bool | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: Any) -> Any:
        return self.rows[index]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def column(self, variable: str) -> list[Any]:
        return [row[variable] for row in self.rows]


def _rows(variables: tuple[str, ...], solutions: Any) -> Iterator[Row]:
    """The solutions as rows of pyoxigraph's terms.  A solution is read by iterating it (its
    values in projection order, ``None`` when unbound): looking a value up by variable costs
    pyoxigraph about 2 µs, 40 ms for a 1,500-row answer of 12 columns.  A solution belongs to
    the thread that made it; its terms do not, so the rows may leave the worker thread."""
    shared = _Conversions()
    for solution in solutions:
        yield Row._of_store(variables, tuple(solution), shared)


_MISSING: Any = object()


@lru_cache(maxsize=1)
def default_built() -> BuiltDataset:
    """The evidence built once per process (a build takes ~3 s; queries take ms); without the
    source texts, the packaged dataset (:mod:`inograph.packaged`)."""
    from inograph.packaged import read_built

    return read_built()


def _store(built: BuiltDataset | None) -> Any:
    store = (built if built is not None else default_built()).store
    if store is None:
        raise QueryError("queries run on the Oxigraph store: build the dataset with store=oxigraph")
    return store


def sparql(
    text: str,
    bindings: Mapping[str, Node] | None = None,
    *,
    built: BuiltDataset | None = None,
    name: str = "query",
    limits: QueryLimits | None = None,
) -> QueryResult:
    """Run SPARQL text on the dataset (default graph = union of the named graphs).

    ``bindings`` maps projected variable names to RDF terms; Oxigraph substitutes them as
    values, so no value ever becomes query syntax.  ``limits`` (default: from the environment,
    see :mod:`inograph.query_limits`) bound the time, the rows and network access.
    """
    substitutions = {k: to_oxigraph(v) for k, v in (bindings or {}).items()}
    return _evaluate(text, substitutions, built=built, name=name, limits=limits)


def _evaluate(
    text: str,
    bindings: Mapping[str, Any],
    *,
    built: BuiltDataset | None,
    name: str,
    limits: QueryLimits | None,
) -> QueryResult:
    """:func:`sparql` with pyoxigraph's terms as ``bindings``."""
    import pyoxigraph as ox

    limits = limits if limits is not None else QueryLimits.from_environment()
    check_service(text, limits, name)
    store = _store(built)

    def evaluate() -> QueryResult:
        # pyoxigraph's query solutions belong to the thread that made them: all of it here
        substitutions = {ox.Variable(k): v for k, v in bindings.items()}
        answer = store.query(text, use_default_graph_as_union=True, substitutions=substitutions)
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult(variables=(), boolean=bool(answer))
        if not isinstance(answer, ox.QuerySolutions):
            raise QueryError(f"{name}: only SELECT and ASK queries are supported, not CONSTRUCT/DESCRIBE")
        variables = tuple(v.value for v in answer.variables)
        rows = limits.take(_rows(variables, answer), name)
        return QueryResult(variables=variables, rows=tuple(rows))

    try:
        return run_limited(evaluate, limits, name)
    except SyntaxError as exc:
        raise QueryError(f"{name}: SPARQL syntax error: {_one_line(exc)}") from None
    except (RuntimeError, ValueError, OSError) as exc:
        message = _one_line(exc)
        if "SELECT projection" in message:
            message += " (a parameter's variable must be in the SELECT clause: see queries/README.md)"
        raise QueryError(f"{name}: {message}") from None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def run_query(
    saved: SavedQuery,
    params: Mapping[str, object] | None = None,
    *,
    built: BuiltDataset | None = None,
    limits: QueryLimits | None = None,
) -> QueryResult:
    """Bind ``params`` (ids, numbers or RDF terms) to the query's declared parameters and run it."""
    bindings = _bind(saved, params or {})
    _check_known(saved, bindings, built)
    return _evaluate(saved.text, bindings, built=built, name=saved.name, limits=limits)


def _check_known(saved: SavedQuery, bindings: Mapping[str, Any], built: BuiltDataset | None) -> None:
    """An id that names nothing in the graph is a typo, not a question with no answer."""
    import pyoxigraph as ox

    store = _store(built)
    for param in saved.parameters:
        term = bindings.get(param.name)
        if param.type not in ID_TYPES or not isinstance(term, ox.NamedNode):
            continue
        if next(iter(store.quads_for_pattern(term, None, None)), None) is None:
            raise QueryError(
                f"query {saved.name!r}: parameter {param.name!r} ({param.type.value}): "
                f"nothing in the graph is <{term.value}>"
            )


def query(name: str, /, *, built: BuiltDataset | None = None, **params: object) -> QueryResult:
    """Run the library query ``name``; keyword arguments are its parameters.

    >>> rows = query("hazard-ratios")                      # doctest: +SKIP
    >>> [(r["result"].split("/")[-1], r["value"]) for r in rows][:1]   # doctest: +SKIP
    [('kantarjian2016-abs-dor-hr', Decimal('0.55'))]
    """
    return run_query(get_query(name), params, built=built)
