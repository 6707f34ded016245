"""OWL 2 DL consistency of the ontology and the typed individuals, checked by HermiT via owlready2.

HermiT sees the ontology's axioms plus every class assertion and object-property assertion of
the data: that is what disjointness, domains, ranges and functional properties constrain.
Literal values are left out: OWL's datatype map lacks xsd:date and xsd:gYear, and SHACL already
checks every literal.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDFS, XSD, Graph, Literal

__all__ = ["ReasonerReport", "check_consistency", "java_available"]


@dataclass(frozen=True)
class ReasonerReport:
    """``consistent`` is None when the reasoner could not run (``skipped`` says why)."""

    reasoner: str
    consistent: bool | None
    message: str
    seconds: float
    axioms: int

    @property
    def skipped(self) -> bool:
        return self.consistent is None


def java_available() -> bool:
    return shutil.which("java") is not None


# XSD types outside the OWL 2 datatype map; HermiT refuses axioms that mention them
_NON_OWL2_DATATYPES = frozenset(
    XSD[name] for name in ("date", "gYear", "gYearMonth", "gMonth", "gDay", "time", "duration")
)


def _reasoner_input(data: Graph) -> Graph:
    """The axioms and the non-literal assertions of ``data``, minus ranges HermiT cannot read."""
    graph = Graph()
    for triple in data:
        if triple[1] == RDFS.range and triple[2] in _NON_OWL2_DATATYPES:
            continue
        if not isinstance(triple[2], Literal) or _is_axiom_literal(triple):
            graph.add(triple)
    return graph


def _is_axiom_literal(triple: tuple[object, object, object]) -> bool:
    """Literals the OWL structure needs (cardinalities), as opposed to data values."""
    return str(triple[1]).startswith("http://www.w3.org/2002/07/owl#")


def check_consistency(data: Graph) -> ReasonerReport:
    """Run HermiT over ``data`` (not modified); report inconsistency with owlready2's explanation."""
    started = time.perf_counter()
    if not java_available():
        return ReasonerReport("HermiT", None, "skipped: no Java runtime on PATH", 0.0, 0)
    import owlready2

    graph = _reasoner_input(data)
    with tempfile.TemporaryDirectory(prefix="inograph-owl-") as tmp:
        path = Path(tmp) / "reasoner-input.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            ontology = world.get_ontology(path.as_uri()).load()
            sink = io.StringIO()
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyJavaError as exc:
            lines = [x for x in str(exc).splitlines() if x.strip() and not x.startswith("\tat ")]
            return ReasonerReport(
                "HermiT",
                None,
                "skipped: the reasoner failed: " + (lines[-1] if lines else "Java error"),
                time.perf_counter() - started,
                len(graph),
            )
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            explanation = str(exc).strip().splitlines()[-1] if str(exc).strip() else ""
            return ReasonerReport(
                "HermiT",
                False,
                "the ontology and data are inconsistent" + (f": {explanation}" if explanation else ""),
                time.perf_counter() - started,
                len(graph),
            )
        finally:
            world.close()
        del ontology
    return ReasonerReport("HermiT", True, "consistent", time.perf_counter() - started, len(graph))
