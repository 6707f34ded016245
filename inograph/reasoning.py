"""OWL 2 DL consistency of the ontology and the typed individuals, checked by HermiT via owlready2.

HermiT sees the ontology's axioms plus every class assertion and object-property assertion of
the data: that is what disjointness, domains, ranges and functional properties constrain.
Literal values are left out: OWL's datatype map lacks xsd:date and xsd:gYear, and SHACL already
checks every literal.  On an Oxigraph store the input is selected by one CONSTRUCT
(``queries/reasoning/reasoner-input.rq``) and written by pyoxigraph, without a Python copy.

The verdict depends only on that input, so it is kept in the cache (:mod:`inograph.cache`)
under the SHA-256 of the exact N-Triples HermiT reads (sorted, one triple per line) and of the
reasoner's version: HermiT runs again only when the ontology or the assertions it sees change.
A consistent and an inconsistent verdict (with its explanation) are both kept; a run that could
not happen (no Java, a Java error) is not.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inograph.progress import phase

if TYPE_CHECKING:
    from rdflib import Dataset, Graph

__all__ = ["ReasonerReport", "check_consistency", "consistency_check", "java_available", "reasoner_input"]


@dataclass(frozen=True)
class ReasonerReport:
    """``consistent`` is None when the reasoner could not run (``skipped`` says why).

    ``cached`` says the verdict was read from the cache: HermiT judged this exact input before
    (``seconds`` is then the time it took to find it).
    """

    reasoner: str
    consistent: bool | None
    message: str
    seconds: float
    axioms: int
    cached: bool = False

    @property
    def skipped(self) -> bool:
        return self.consistent is None


def java_available() -> bool:
    return shutil.which("java") is not None


_OWL = "http://www.w3.org/2002/07/owl#"
_RDFS_RANGE = "http://www.w3.org/2000/01/rdf-schema#range"
# XSD types outside the OWL 2 datatype map; HermiT refuses axioms that mention them
_NON_OWL2_DATATYPES = frozenset(
    f"http://www.w3.org/2001/XMLSchema#{name}"
    for name in ("date", "gYear", "gYearMonth", "gMonth", "gDay", "time", "duration")
)


def _kept(triple: tuple[Any, Any, Any]) -> bool:
    """The Python form of reasoner-input.rq, for rdflib graphs."""
    from rdflib import Literal

    _s, p, o = triple
    if str(p) == _RDFS_RANGE and str(o) in _NON_OWL2_DATATYPES:
        return False
    return not isinstance(o, Literal) or str(p).startswith(_OWL)


def _selected(data: Graph | Dataset) -> Iterable[Any]:
    """The reasoner's triples of ``data`` as pyoxigraph triples (duplicates possible)."""
    import pyoxigraph as ox

    from inograph.store import backing_store

    store = backing_store(data)
    if store is not None:
        from inograph.resources import internal_query

        text = internal_query("reasoning", "reasoner-input")
        triples = store.query(text, use_default_graph_as_union=True)
        assert isinstance(triples, ox.QueryTriples)
        return triples
    from inograph.rdf_terms import to_oxigraph

    found = data.triples((None, None, None))
    return [
        ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in found if _kept((s, p, o))
    ]


def reasoner_input(data: Graph | Dataset, extra: Sequence[Graph] = ()) -> bytes:
    """What HermiT reads: the axioms and non-literal assertions of ``data`` (the union of its
    graphs) and ``extra``, as N-Triples, one distinct triple per line in sorted order, so the
    same content always gives the same bytes."""
    import pyoxigraph as ox

    lines: set[bytes] = set()
    for source in (data, *extra):
        written = ox.serialize(_selected(source), format=ox.RdfFormat.N_TRIPLES)
        assert written is not None
        lines.update(bytes(written).splitlines())
    lines.discard(b"")
    return b"".join(line + b"\n" for line in sorted(lines))


def _key(text: bytes) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        owlready = version("owlready2")
    except PackageNotFoundError:
        owlready = "unknown"
    digest = hashlib.sha256(f"HermiT via owlready2 {owlready}\n".encode())
    digest.update(text)
    return digest.hexdigest()[:32]


def _cached_verdict(key: str) -> ReasonerReport | None:
    from inograph.cache import body_start, discard_entry, read_entry

    entry = read_entry(f"{key}.owl", what="reasoner cache", redo="running the reasoner")
    if entry is None:
        return None
    try:
        data = json.loads(entry[body_start(entry) :])
    except ValueError:
        data = None
    fields = {"reasoner": str, "consistent": bool, "message": str, "axioms": int}
    if isinstance(data, dict) and all(type(data.get(name)) is kind for name, kind in fields.items()):
        return ReasonerReport(data["reasoner"], data["consistent"], data["message"], 0.0, data["axioms"])
    # sealed (written whole) but no verdict: never trusted, as any damaged entry
    discard_entry(f"{key}.owl", what="reasoner cache", problem="not a verdict", redo="running the reasoner")
    return None


def _keep_verdict(key: str, report: ReasonerReport) -> None:
    from inograph.cache import write_entry

    document = {
        "reasoner": report.reasoner,
        "consistent": report.consistent,
        "message": report.message,
        "axioms": report.axioms,
        "seconds": round(report.seconds, 3),
    }
    write_entry(f"{key}.owl", json.dumps(document, indent=1, sort_keys=True) + "\n")


def check_consistency(data: Graph | Dataset, *, extra: Sequence[Graph] = ()) -> ReasonerReport:
    """Run HermiT over ``data`` and ``extra`` (not modified); report inconsistency with
    owlready2's explanation.  A verdict on the same input is read from the cache."""
    return consistency_check(data, extra=extra)()


def consistency_check(data: Graph | Dataset, *, extra: Sequence[Graph] = ()) -> Callable[[], ReasonerReport]:
    """:func:`check_consistency` in two steps: the input is selected from ``data`` now, and
    the returned function judges it, in any thread, at any later time: whatever is written
    into the store meanwhile (the SHACL engine's scratch graphs) is not part of it."""
    started = time.perf_counter()
    if not java_available():  # checked first: a warm cache must not hide a missing runtime
        return lambda: ReasonerReport("HermiT", None, "skipped: no Java runtime on PATH", 0.0, 0)
    with phase("OWL: selecting the reasoner's input"):
        text = reasoner_input(data, extra)
    return lambda: _judge(text, started)


def _judge(text: bytes, started: float) -> ReasonerReport:
    axioms = text.count(b"\n")
    key = _key(text)
    cached = _cached_verdict(key)
    if cached is not None:
        return ReasonerReport(
            cached.reasoner, cached.consistent, cached.message, time.perf_counter() - started, axioms, True
        )
    with phase("OWL: HermiT"):
        report = _run_hermit(text, axioms, started)
    if not report.skipped:
        _keep_verdict(key, report)
    return report


#: HermiT runs for a second or two: the JVM's quick compiler alone and the serial collector
#: start and finish it sooner, on less CPU (measured on the real graph: 2.2 -> 1.7 s wall,
#: 3.8 -> 1.9 s CPU), which leaves the other core to SHACL
HERMIT_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
_JAVA_OPTIONS_VARIABLE = "JAVA_TOOL_OPTIONS"
_environment = threading.Lock()


@contextlib.contextmanager
def _jvm_options(options: str) -> Iterator[None]:
    """Give the JVMs started in this block ``options``, before any the user set (later wins).

    owlready2 starts Java with the process's environment, so the standard variable every JVM
    reads is the one way in; it is set for this block only, under a lock.
    """
    with _environment:
        before = os.environ.get(_JAVA_OPTIONS_VARIABLE)
        os.environ[_JAVA_OPTIONS_VARIABLE] = f"{options} {before}" if before else options
        try:
            yield
        finally:
            if before is None:
                os.environ.pop(_JAVA_OPTIONS_VARIABLE, None)
            else:
                os.environ[_JAVA_OPTIONS_VARIABLE] = before


#: what Java and owlready2 add around the cause of a failure: owlready2's header, the JVM's note
#: of the options it picked up, and the lines of a stack trace
_NOT_THE_CAUSE = ("Java error message is", "Picked up JAVA_TOOL_OPTIONS", "NOTE: Picked up", "\tat ", "\t...")


def _java_failure(output: str) -> str:
    """The line of a failed Java run that says why: the first that is not decoration (the JVM's
    ``Unrecognized VM option …``, HermiT's exception), not the JVM's closing ``Error: …``."""
    lines = [
        line.strip() for line in output.splitlines() if line.strip() and not line.startswith(_NOT_THE_CAUSE)
    ]
    return lines[0] if lines else "Java error"


def _run_hermit(text: bytes, axioms: int, started: float) -> ReasonerReport:
    import owlready2

    with tempfile.TemporaryDirectory(prefix="inograph-owl-") as tmp:
        path = Path(tmp) / "reasoner-input.nt"
        path.write_bytes(text)
        world = owlready2.World()
        try:
            ontology = world.get_ontology(path.as_uri()).load()
            with _jvm_options(HERMIT_JVM_OPTIONS):
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyJavaError as exc:
            return ReasonerReport(
                "HermiT",
                None,
                "skipped: the reasoner failed: " + _java_failure(str(exc)),
                time.perf_counter() - started,
                axioms,
            )
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            explanation = str(exc).strip().splitlines()[-1] if str(exc).strip() else ""
            return ReasonerReport(
                "HermiT",
                False,
                "the ontology and data are inconsistent" + (f": {explanation}" if explanation else ""),
                time.perf_counter() - started,
                axioms,
            )
        finally:
            world.close()
        del ontology
    return ReasonerReport("HermiT", True, "consistent", time.perf_counter() - started, axioms)
