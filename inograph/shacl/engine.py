"""SHACL validation as SPARQL on the project's Oxigraph store (SHACL 1.0 core + SHACL-SPARQL).

The shapes files stay the only source of truth: they are loaded into a scratch named graph of
the store, and one query file per constraint component (``inograph/shacl/queries/``, the
SPARQL meaning SHACL gives each component) reads every shape's parameters from that graph and
returns the violations, the way ontology-development kits run their "violation" queries.  Focus
nodes come from ``sh:targetClass`` / ``sh:targetSubjectsOf`` (a query) and ``sh:SPARQLTarget``
(the shape's own SELECT); they are written to the scratch graph as ``?focus eng:focusOf ?shape``.
Shapes used inside others (``sh:node``, the members of ``sh:or`` / ``sh:xone``,
``sh:qualifiedValueShape``) are checked the same way on the value nodes they are applied to,
and "does value v conform to shape S" is then answered in Python from those findings.

The scratch graph is removed before returning, so the store ends as it began (do not validate
the same store from two threads at once).  Every shape feature this engine does not implement
raises :class:`~inograph.errors.ShapeError` naming the shape (``unsupported.rq``): nothing is
skipped silently.  Results match pySHACL's (same focus node, source shape, component, path,
value, severity, source constraint; messages from ``sh:message`` as pySHACL picks them), which
the tests check on every negative graph.

pyoxigraph terms belong to the thread that made them: the component queries run two at a time
in worker threads (Oxigraph evaluates without the GIL), each turning its rows into strings.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from inograph.collector import collector_paused
from inograph.errors import ShapeError

__all__ = ["ShaclResult", "count_triples", "validate_store"]

_QUERIES = Path(__file__).resolve().parent / "queries"
_SH = "http://www.w3.org/ns/shacl#"
_FOCUS_OF = ox.NamedNode("urn:inograph:shacl-engine#focusOf")
_WORKERS = 2
_DECLARES = ox.NamedNode("urn:inograph:shacl-engine#declares")
_SUBCLASS_OF = ox.NamedNode("urn:inograph:shacl-engine#subClassOf")
_SCRATCH = "urn:inograph:shacl-engine:"

#: query file -> the constraint component its rows violate
_COMPONENT_QUERIES = (
    ("min-count", "MinCountConstraintComponent"),
    ("max-count", "MaxCountConstraintComponent"),
    ("class", "ClassConstraintComponent"),
    ("datatype", "DatatypeConstraintComponent"),
    ("in", "InConstraintComponent"),
    ("pattern", "PatternConstraintComponent"),
    ("min-length", "MinLengthConstraintComponent"),
    ("min-inclusive", "MinInclusiveConstraintComponent"),
    ("min-exclusive", "MinExclusiveConstraintComponent"),
    ("max-inclusive", "MaxInclusiveConstraintComponent"),
    ("max-exclusive", "MaxExclusiveConstraintComponent"),
    ("less-than", "LessThanConstraintComponent"),
    ("less-than-or-equals", "LessThanOrEqualsConstraintComponent"),
    ("has-value", "HasValueConstraintComponent"),
)

#: what every component query returns, in this order, then ``?value`` where SHACL reports one
_COMPONENT_COLUMNS = ["root", "shape", "focus", "path"]

#: what a result says when its shape has no sh:message
_DEFAULT_MESSAGES = {
    "MinCountConstraintComponent": "Fewer values along the path than sh:minCount allows.",
    "MaxCountConstraintComponent": "More values along the path than sh:maxCount allows.",
    "ClassConstraintComponent": "The value is not an instance of the class sh:class names.",
    "DatatypeConstraintComponent": "The value is not a well-formed literal of the sh:datatype.",
    "InConstraintComponent": "The value is not one of those sh:in lists.",
    "PatternConstraintComponent": "The value does not match the sh:pattern.",
    "MinLengthConstraintComponent": "The value is shorter than sh:minLength.",
    "MinInclusiveConstraintComponent": "The value is below sh:minInclusive.",
    "MinExclusiveConstraintComponent": "The value is not above sh:minExclusive.",
    "MaxInclusiveConstraintComponent": "The value is above sh:maxInclusive.",
    "MaxExclusiveConstraintComponent": "The value is not below sh:maxExclusive.",
    "LessThanConstraintComponent": "The value is not less than the value of sh:lessThan.",
    "LessThanOrEqualsConstraintComponent": "The value exceeds the value of sh:lessThanOrEquals.",
    "HasValueConstraintComponent": "The required value (sh:hasValue) is missing.",
    "NodeConstraintComponent": "The value does not conform to the shape sh:node names.",
    "OrConstraintComponent": "The value conforms to none of the shapes of sh:or.",
    "XoneConstraintComponent": "The value does not conform to exactly one of the shapes of sh:xone.",
    "QualifiedMinCountConstraintComponent": "Too few values conform to sh:qualifiedValueShape.",
    "QualifiedMaxCountConstraintComponent": "Too many values conform to sh:qualifiedValueShape.",
    "SPARQLConstraintComponent": "The SPARQL constraint found a violation.",
}

Term = Any  # a pyoxigraph NamedNode, BlankNode or Literal
Pair = tuple[Term, Term]  # (shape, focus node)
Key = tuple[str, str]  # (shape, focus node) in N-Triples form: thread-neutral, hashable fast


@dataclass(frozen=True)
class ShaclResult:
    """One validation result, its terms as strings (an IRI, a literal's lexical form, a blank
    node's id): what ``sh:ValidationResult`` says, with the message pySHACL would pick."""

    focus: str
    shape: str
    component: str
    path: str | None
    value: str | None
    message: str
    severity: str = "Violation"
    constraint: str | None = None


@dataclass(frozen=True)
class _Finding:
    """A constraint a (shape, focus) pair breaks; terms as plain strings (see :func:`_plain`)."""

    shape: str  # N-Triples form: the key messages and nested shapes are looked up by
    shape_name: str  # the IRI or blank node id the report shows
    component: str
    path: str | None
    value: str | None
    constraint: str | None = None
    #: the messages of a SPARQL constraint, already filled in with the solution's values
    messages: tuple[str, ...] | None = None


#: what a pair checked only for a nested shape records of a finding: that there is one
_NESTED = _Finding("", "", "", None, None)


@cache
def _query(name: str) -> str:
    return (_QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def _name(term: Term | None) -> str | None:
    return None if term is None else str(term.value)


def validate_store(
    store: ox.Store,
    shape_quads: Iterable[ox.Quad],
    *,
    extra_triples: Iterable[ox.Triple] = (),
) -> tuple[ShaclResult, ...]:
    """Validate the union of ``store``'s graphs (plus ``extra_triples``) against the shapes.

    ``shape_quads`` are the shapes graph's triples (any graph name: they are moved to a
    scratch graph).  The store is left as it was found.
    """
    # the run's objects die with _validate's frame, before the collector is on again, so its
    # first pass afterwards does not walk them either
    with collector_paused():
        return _validate(store, shape_quads, extra_triples)


def _validate(
    store: ox.Store, shape_quads: Iterable[ox.Quad], extra_triples: Iterable[ox.Triple]
) -> tuple[ShaclResult, ...]:
    run = _Run(store)
    try:
        run.load(shape_quads, extra_triples)
        return run.validate()
    finally:
        run.clean_up()


def count_triples(store: ox.Store, extra_triples: Iterable[ox.Triple] = ()) -> int:
    """Distinct triples in the union of ``store``'s graphs and ``extra_triples``.

    A triple may be stated in several graphs, and counting distinct triples in one pass holds
    them all in one hash set (200 MB and 1.3 s at a million quads, growing faster than the
    data).  Only predicates used in more than one graph can repeat a triple, so only those are
    counted distinctly, one predicate at a time."""
    run = _Run(store)
    try:
        run.load((), extra_triples)
        named = [g for g in run.data_graphs if not isinstance(g, ox.DefaultGraph)]
        count = 0
        repeated = []
        solutions = store.query(
            _query("predicate-counts"), default_graph=ox.DefaultGraph(), named_graphs=named
        )
        assert isinstance(solutions, ox.QuerySolutions)
        for row in solutions:
            if int(row["graphs"].value) > 1:
                repeated.append(row["p"])
            else:
                count += int(row["quads"].value)
        # the union of all graphs when that is the data (twice as fast as naming the graphs)
        union = set(store.named_graphs()) <= set(named)
        for predicate in repeated:
            solutions = store.query(
                _query("predicate-triples"),
                use_default_graph_as_union=union,
                default_graph=None if union else run.data_graphs,
                substitutions={ox.Variable("p"): predicate},
            )
            assert isinstance(solutions, ox.QuerySolutions)
            count += sum(int(row["triples"].value) for row in solutions)
        return count
    finally:
        run.clean_up()


class _Run:
    """One validation: the scratch graphs it writes and what it has learnt so far."""

    def __init__(self, store: ox.Store) -> None:
        tag = uuid.uuid4().hex
        self.store = store
        #: shapes triples and focus pairs: the only named graph the queries' GRAPH ?scratch sees
        self.scratch_iri = f"{_SCRATCH}{tag}"
        self.scratch = ox.NamedNode(self.scratch_iri)
        #: a curator's extra triples, validated with the data
        self.extra_graph = ox.NamedNode(f"{_SCRATCH}{tag}:extra")
        self.data_graphs: list[Any] = []
        self.messages: dict[str, list[tuple[str, str]]] = defaultdict(list)  # node -> (term, text)
        self.evaluated: set[Key] = set()
        #: the shapes alone, for the queries that read nothing else
        self.shapes_store = ox.Store()
        self.sparql_targeted: dict[Key, Pair] = {}
        self.targeted_keys: AbstractSet[Key] = set()
        #: (shape, a shape it declares: itself or one of its sh:property shapes), as N-Triples
        self.declared: list[tuple[str, str]] = []

    # ------------------------------------------------------------------ plumbing

    def load(self, shape_quads: Iterable[ox.Quad], extra_triples: Iterable[ox.Triple]) -> None:
        """Read the shapes (in a store of their own), run the SPARQL targets while the data store
        holds nothing but data (so they may read the union of its graphs: one index instead of
        one per graph), then write the scratch graph into the data store."""
        shapes = [ox.Quad(q.subject, q.predicate, q.object, self.scratch) for q in shape_quads]
        self.shapes_store.extend(shapes)
        self.refuse_unsupported()
        self.store.extend(ox.Quad(t.subject, t.predicate, t.object, self.extra_graph) for t in extra_triples)
        self.data_graphs = [g for g in self.store.named_graphs() if g not in (self.scratch, self.extra_graph)]
        self.data_graphs.append(ox.DefaultGraph())
        if any(self.store.quads_for_pattern(None, None, None, self.extra_graph)):
            self.data_graphs.append(self.extra_graph)
        for row in self.select("sparql-targets", shapes_only=True):
            shape = row["shape"]
            for solution in self.shapes_select(row["select"].value, shape, row["prefixes"], union=True):
                if (focus := solution["this"]) is not None:
                    self.sparql_targeted[(str(shape), str(focus))] = (shape, focus)
        self.store.extend(shapes)
        declared = [(row["root"], row["shape"]) for row in self.select("declared-shapes", shapes_only=True)]
        self.store.extend(ox.Quad(root, _DECLARES, shape, self.scratch) for root, shape in declared)
        self.declared = [(str(root), str(shape)) for root, shape in declared]
        closure = [(row["sub"], row["class"]) for row in self.select("class-closure")]
        self.store.extend(ox.Quad(sub, _SUBCLASS_OF, cls, self.scratch) for sub, cls in closure)

    def clean_up(self) -> None:
        for graph in (self.scratch, self.extra_graph):
            if self.store.contains_named_graph(graph):
                self.store.remove_graph(graph)

    def select(self, name: str, *, shapes_only: bool = False, **bindings: Term) -> Iterator[Any]:
        """Run one of the engine's query files.  Its default graph is the union of all graphs,
        scratch included: Oxigraph answers that from one index instead of one per graph (5x
        faster here), and the scratch triples cannot match a data pattern because their
        predicates are SHACL or engine terms, which ``unsupported.rq`` refuses as paths,
        classes or target predicates."""
        solutions = (self.shapes_store if shapes_only else self.store).query(
            _query(name),
            use_default_graph_as_union=True,
            named_graphs=[self.scratch],
            substitutions={ox.Variable(k): v for k, v in bindings.items()} or None,
        )
        assert isinstance(solutions, ox.QuerySolutions)
        return iter(solutions)

    def shapes_select(
        self, text: str, shape: Term, prefixes: Term | None, this: Term | None = None, *, union: bool = False
    ) -> Any:
        """A SELECT written in the shapes (a SPARQL target or constraint), run on the data graph
        with its declared prefixes and ``$this`` pre-bound (SHACL 5.2, 5.3).  ``union`` reads the
        union of all graphs: only while the store holds no scratch graph."""
        declared = {}
        if prefixes is not None:
            for row in self.select("prefixes", shapes_only=True, prefixes=prefixes):
                declared[row["prefix"].value] = row["namespace"].value
        try:
            return self.store.query(
                text,
                prefixes=declared,
                use_default_graph_as_union=union,
                default_graph=None if union else self.data_graphs,
                named_graphs=[],
                substitutions={ox.Variable("this"): this} if this is not None else None,
            )
        except SyntaxError as exc:
            raise ShapeError(f"shape {shape.value}: its SPARQL does not parse: {exc}") from exc

    def add_focus(self, pairs: dict[Key, Pair]) -> dict[str, Term]:
        """Write the new (shape, focus) pairs as focus pairs; return the shapes they are of."""
        new = {key: pair for key, pair in pairs.items() if key not in self.evaluated}
        self.evaluated.update(new)
        self.store.extend(ox.Quad(focus, _FOCUS_OF, shape, self.scratch) for shape, focus in new.values())
        return {key[0]: shape for key, (shape, _focus) in new.items()}

    # ------------------------------------------------------------------ validation

    def validate(self) -> tuple[ShaclResult, ...]:
        for row in self.select("messages", shapes_only=True):
            self.messages[str(row["node"])].append((str(row["message"]), str(row["message"].value)))
        targeted, target_shapes = self.targets()
        members, qualified = self.logical_shapes()
        value_nodes = self.expand(target_shapes, members)
        findings = self.component_findings()
        self.sparql_findings(findings)
        logic = _Logic(findings, value_nodes, members, qualified)
        # only a targeted pair with a finding or a logical constraint can have a result
        reported = targeted.keys() & (findings.keys() | value_nodes.keys())
        results = [
            self.result(str(targeted[key][1].value), finding)
            for key in reported
            for finding in logic.findings(key)
        ]
        return tuple(sorted(results, key=lambda r: (r.focus, r.shape, r.message, r.component, r.value or "")))

    def refuse_unsupported(self) -> None:
        problems = sorted(
            {
                (str(r["shape"].value) + (f" (in {r['owner'].value})" if r["owner"] is not None else ""),
                 str(r["feature"].value))
                for r in self.select("unsupported", shapes_only=True)
            }
        )  # fmt: skip
        if problems:
            shape, feature = problems[0]
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise ShapeError(
                f"shape {shape}: {feature} is not supported by the SPARQL SHACL engine{more}; "
                "validate with --shacl-engine pyshacl"
            )
        ill_formed = sorted(
            {
                (str(r["shape"].value) + (f" (in {r['owner'].value})" if r["owner"] is not None else ""),
                 str(r["parameter"].value) + ("" if r["value"] is None else f" {r['value']}"),
                 str(r["need"].value))
                for r in self.select("ill-formed", shapes_only=True)
            }
        )  # fmt: skip
        if ill_formed:
            shape, parameter, need = ill_formed[0]
            more = f" (and {len(ill_formed) - 1} more)" if len(ill_formed) > 1 else ""
            raise ShapeError(f"shape {shape}{more}: {parameter} is ill-formed: SHACL needs {need}")

    def targets(self) -> tuple[dict[Key, Pair], dict[str, Term]]:
        """The targeted (shape, focus) pairs, written as focus pairs; and the shapes they are of."""
        pairs = {(str(s), str(f)): (s, f) for s, f in self.select("targets")}
        pairs.update(self.sparql_targeted)
        shapes = self.add_focus(pairs)
        self.targeted_keys = pairs.keys()
        return pairs, shapes

    def logical_shapes(
        self,
    ) -> tuple[dict[str, list[tuple[str, str, Term]]], dict[str, tuple[int | None, int | None]]]:
        members: dict[str, list[tuple[str, str, Term]]] = defaultdict(list)
        for row in self.select("logical-members", shapes_only=True):
            members[str(row["shape"])].append(
                (row["component"].value.removeprefix(_SH), str(row["list"]), row["member"])
            )
        qualified = {
            str(row["shape"]): (_integer(row["min"]), _integer(row["max"]))
            for row in self.select("qualified-counts", shapes_only=True)
        }
        return members, qualified

    def expand(
        self, shapes: dict[str, Term], members: dict[str, list[tuple[str, str, Term]]]
    ) -> dict[Key, dict[str, tuple[str | None, list[str]]]]:
        """Value nodes of the logical constraints, round by round, starting from the targeted
        ``shapes``: the shapes they name become focus shapes of those value nodes, until a round
        adds no new pair.  Each round asks, per shape that gained pairs and has a logical
        constraint (on itself or a sh:property shape), for the value nodes of its focus pairs
        not expanded before."""
        value_nodes: dict[Key, dict[str, tuple[str | None, list[str]]]] = defaultdict(dict)
        expanded: set[Key] = set()
        logical = {root for root, shape in self.declared if shape in members}
        named = {
            shape: [(str(member), member) for _c, _l, member in listed] for shape, listed in members.items()
        }
        while shapes:
            nested: dict[Key, Pair] = {}
            this_round: set[Key] = set()
            for root_key, root in shapes.items():
                if root_key not in logical:
                    continue
                for _root, shape, focus, path, value in self.select("logical-value-nodes", root=root):
                    pair = (root_key, str(focus))
                    if pair in expanded:
                        continue
                    this_round.add(pair)
                    shape_key = str(shape)
                    by_shape = value_nodes[pair]
                    if (entry := by_shape.get(shape_key)) is None:
                        entry = by_shape[shape_key] = (None if path is None else str(path.value), [])
                    if value is None:
                        continue
                    value_key = str(value)
                    entry[1].append(value_key)
                    for member_key, member in named.get(shape_key, ()):
                        nested[(member_key, value_key)] = (member, value)
            expanded |= this_round
            shapes = self.add_focus(nested)
        return value_nodes

    def component_findings(self) -> dict[Key, list[_Finding]]:
        """Every component query, two at a time: Oxigraph evaluates without the GIL, and each
        worker thread turns its rows into plain strings (pyoxigraph terms stay in their thread)."""
        findings: dict[Key, list[_Finding]] = defaultdict(list)
        with ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="shacl") as pool:
            for rows in pool.map(self.component_rows, _COMPONENT_QUERIES, repeat(self.targeted_keys)):
                for key, finding in rows:
                    findings[key].append(finding)
        return findings

    def component_rows(
        self, query: tuple[str, str], targeted: AbstractSet[Key]
    ) -> list[tuple[Key, _Finding]]:
        """One component query's rows; a pair that is only checked for a nested shape needs no
        details (only whether it has a finding), and gets the shared :data:`_NESTED` marker.
        Rows are read by position (a lookup by variable name costs about 2 us a term)."""
        name, component = query
        solutions = self.store.query(
            _query(name), use_default_graph_as_union=True, named_graphs=[ox.NamedNode(self.scratch_iri)]
        )
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        assert names in (_COMPONENT_COLUMNS, [*_COMPONENT_COLUMNS, "value"]), f"{name}.rq returns {names}"
        has_value = len(names) > len(_COMPONENT_COLUMNS)
        rows: list[tuple[Key, _Finding]] = []
        for row in solutions:
            key = (str(row[0]), str(row[2]))
            if key not in targeted:
                rows.append((key, _NESTED))
                continue
            shape, path, value = row[1], row[3], row[4] if has_value else None
            finding = _Finding(
                str(shape),
                str(shape.value),
                component,
                _name(path),
                None if value is None else str(value.value),
            )
            rows.append((key, finding))
        return rows

    def sparql_findings(self, findings: dict[Pair, list[_Finding]]) -> None:
        """SHACL 5.3: each solution of the constraint's SELECT, with $this pre-bound to the focus
        node, is one result; ``?value`` (else the focus node) its value, ``?path`` its path."""
        for row in self.select("sparql-constraints"):
            root, shape, constraint, focus = row["root"], row["shape"], row["constraint"], row["focus"]
            solutions = self.shapes_select(row["select"].value, shape, row["prefixes"], this=focus)
            names = [v.value for v in solutions.variables]
            seen = set()
            for solution in solutions:
                bound = {n: solution[n] for n in names if solution[n] is not None}
                key = tuple(sorted((n, str(t)) for n, t in bound.items()))
                if key in seen:
                    continue
                seen.add(key)
                value = bound.pop("value", None) or focus
                path = bound.pop("path", None)
                this = bound.pop("this", None) or focus
                variables = {**bound, "this": this, "value": value, **({"path": path} if path else {})}
                messages = self.sparql_messages(shape, constraint, variables)
                findings[(str(root), str(focus))].append(
                    _Finding(
                        str(shape),
                        str(shape.value),
                        "SPARQLConstraintComponent",
                        _name(path),
                        _name(value),
                        _name(constraint),
                        messages,
                    )
                )

    def sparql_messages(self, shape: Term, constraint: Term, variables: dict[str, Term]) -> tuple[str, ...]:
        """pySHACL's choice: the constraint's messages not also on the shape, then the shape's,
        each with ``{?name}`` / ``{$name}`` replaced by the solution's value."""
        own = self.messages.get(str(shape), [])
        chosen = [m for m in self.messages.get(str(constraint), []) if m not in own] + list(own)
        texts = []
        for _term, text in chosen:
            for name, term in variables.items():
                text = text.replace("{?" + name + "}", str(term.value)).replace(
                    "{$" + name + "}", str(term.value)
                )
            texts.append(text)
        return tuple(texts)

    def result(self, focus: str, finding: _Finding) -> ShaclResult:
        if finding.messages is not None:
            messages = list(finding.messages)
        else:
            messages = [text for _term, text in self.messages.get(finding.shape, [])]
        if not messages:
            messages = [_DEFAULT_MESSAGES[finding.component]]
        return ShaclResult(
            focus=focus,
            shape=finding.shape_name,
            component=_SH + finding.component,
            path=finding.path,
            value=finding.value,
            message=sorted(messages)[0],
            constraint=finding.constraint,
        )


class _Logic:
    """sh:node, sh:or, sh:xone and qualified cardinality, from the component findings of the
    shapes they name ("v conforms to S" = no finding of S at focus v)."""

    def __init__(
        self,
        findings: dict[Key, list[_Finding]],
        value_nodes: dict[Key, dict[str, tuple[str | None, list[str]]]],
        members: dict[str, list[tuple[str, str, Term]]],
        qualified: dict[str, tuple[int | None, int | None]],
    ) -> None:
        self.raw = findings
        self.value_nodes = value_nodes
        self.lists: dict[str, list[tuple[str, list[str]]]] = {}
        for shape, named in members.items():
            grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
            for component, list_key, member in named:
                grouped[(component, list_key)].append(str(member))
            self.lists[shape] = [(component, shapes) for (component, _l), shapes in sorted(grouped.items())]
        self.qualified = qualified
        self.done: dict[Key, list[_Finding]] = {}
        self.running: set[Key] = set()

    def conforms(self, shape: str, focus: str) -> bool:
        return not self.findings((shape, focus))

    def findings(self, pair: Key) -> Sequence[_Finding]:
        by_shape = self.value_nodes.get(pair)
        if by_shape is None:  # no logical constraint: its component findings are all it has
            return self.raw.get(pair, ())
        if (done := self.done.get(pair)) is not None:
            return done
        if pair in self.running:
            raise ShapeError(f"shape {pair[0]}: recursive shapes are not supported (focus {pair[1]})")
        self.running.add(pair)
        found = list(self.raw.get(pair, ()))
        for declaring, (path, values) in by_shape.items():
            found.extend(self.logical(declaring, path, values))
        self.running.discard(pair)
        self.done[pair] = found
        return found

    def logical(self, shape: str, path: str | None, values: list[str]) -> Iterator[_Finding]:
        name = _value_of(shape)
        for component, shapes in self.lists.get(shape, []):
            if component == "QualifiedValueShape":
                (member,) = shapes
                count = sum(self.conforms(member, v) for v in values)
                low, high = self.qualified[shape]
                if high is not None and count > high:
                    yield _Finding(shape, name, "QualifiedMaxCountConstraintComponent", path, None)
                if low is not None and count < low:
                    yield _Finding(shape, name, "QualifiedMinCountConstraintComponent", path, None)
                continue
            for value in values:
                conforming = sum(self.conforms(member, value) for member in shapes)
                if (
                    (component == "NodeConstraintComponent" and conforming < len(shapes))
                    or (component == "OrConstraintComponent" and conforming == 0)
                    or (component == "XoneConstraintComponent" and conforming != 1)
                ):
                    yield _Finding(shape, name, component, path, _value_of(value))


def _value_of(key: str) -> str:
    """The IRI, blank node id or lexical form inside a term's N-Triples form."""
    if key.startswith("<"):
        return key[1:-1]
    if key.startswith("_:"):
        return key[2:]
    import json

    end = key.rindex('"')
    return str(json.loads(key[: end + 1]))


def _integer(term: Term | None) -> int | None:
    return None if term is None else int(term.value)
