"""Check data against the shapes. Non-conformance is a result, not an exception."""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import rdflib
import rdflib.query
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDFS, SH
from rdflib.plugins.sparql.processor import SPARQLProcessor, prepareQuery

from ecograph.errors import UsageError
from ecograph.namespaces import ECO, bind_all
from ecograph.pipeline import shacl
from ecograph.pipeline.load import DATA_GRAPHS, Sources, load_sources
from ecograph.pipeline.shacl_shapes import ShapesError
from ecograph.serialize import Quads, from_ox, to_ox
from ecograph.settings import Settings, load_settings

VALIDATORS = ("oxigraph", "pyshacl")
SEVERITY_ORDER = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}
SEVERITY_NAME = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass
class Result:
    """One validation result, flattened for people and for JSON."""

    severity: str
    shape: str
    focus: str
    focus_label: str
    slide: str
    path: str
    value: str
    message_en: str
    message_ja: str

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class ValidationReport:
    """What validate() returns: conformance, the flattened results and the SHACL report graph."""

    conforms: bool
    results: list[Result] = field(default_factory=list)
    graph: Graph | None = None

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def summary(self) -> str:
        state = "conforms" if self.conforms else "does NOT conform"
        return f"{state}: {self.count('Violation')} violation(s), {self.count('Warning')} warning(s), {self.count('Info')} info"

    def to_text(self) -> str:
        """Grouped severity -> shape -> focus node, with the focus node's label and source slide."""
        lines = [self.summary()]
        grouped: dict = defaultdict(lambda: defaultdict(list))
        for r in self.results:
            grouped[r.severity][r.shape].append(r)
        for severity in ("Violation", "Warning", "Info"):
            if severity not in grouped:
                continue
            lines.append(f"\n{severity} ({self.count(severity)})")
            for shape in sorted(grouped[severity]):
                lines.append(f"  {shape}")
                for r in sorted(grouped[severity][shape], key=lambda r: (r.focus, r.path, r.value, r.message_en)):
                    where = f"{r.focus}" + (f" «{r.focus_label}»" if r.focus_label else "") + (f" [{r.slide}]" if r.slide else "")
                    lines.append(f"    {where}")
                    detail = (f"{r.path}: " if r.path else "") + (r.message_en or r.message_ja)
                    if r.value:
                        detail += f" (value: {r.value})"
                    lines.append(f"      {detail}")
                    if r.message_ja and r.message_ja != r.message_en:
                        lines.append(f"      {r.message_ja}")
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        body = {"conforms": self.conforms, "summary": self.summary(), "results": [r.to_dict() for r in self.results]}
        return json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    def to_ntriples(self) -> str:
        """The SHACL report graph with canonical blank-node labels, so that equal reports are equal bytes."""
        if self.graph is None:
            return ""
        canonical = to_canonical_graph(self.graph)
        lines = sorted(line for line in canonical.serialize(format="nt").splitlines() if line.strip())
        return "\n".join(lines) + "\n"


def _short(graph: Graph, node) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # noqa: BLE001 - rdflib raises several types for IRIs it cannot shorten
            return str(node)
    return str(node)


class _Lookup:
    """Labels, source slides and short names of the nodes of a report, read from the data and ontology graphs
    in place (merging them into one graph cost seconds at a million triples). A graph given as Quads is read once,
    for the labels and slides of all its subjects, on the first question."""

    def __init__(self, graphs: list[Graph | Quads], namespaces: list[tuple[str, URIRef]] | None = None, nodes: set | None = None):
        """namespaces: of the graphs given as Quads (which have none of their own); nodes: the only nodes that will be
        asked about (the focus nodes of a report), if known: only their labels and slides are read from Quads."""
        self.graphs = graphs
        self.names = Graph()
        found = {ns for graph in graphs if isinstance(graph, Graph) for ns in graph.namespaces()} | set(namespaces or ())
        for prefix, namespace in sorted(found):
            self.names.bind(prefix, namespace)
        self._nodes = None if nodes is None else {to_ox(node) for node in nodes}
        self._read: dict[int, dict] = {}

    def short(self, node) -> str:
        return _short(self.names, node)

    def _objects(self, graph: Graph | Quads, node, predicate: URIRef) -> list:
        if isinstance(graph, Graph):
            return list(graph.objects(node, predicate))
        if id(graph) not in self._read:
            wanted, nodes, read = {ox.NamedNode(str(RDFS.label)), ox.NamedNode(str(ECO.slide))}, self._nodes, defaultdict(list)
            for q in graph:
                if q.predicate in wanted and (nodes is None or q.subject in nodes):
                    read[(q.subject, q.predicate)].append(q.object)
            self._read[id(graph)] = read
        return [from_ox(o) for o in self._read[id(graph)].get((to_ox(node), to_ox(predicate)), ())]

    def label(self, node, lang: str) -> str:
        for graph in self.graphs:
            for label in self._objects(graph, node, RDFS.label):
                if isinstance(label, Literal) and label.language == lang:
                    return str(label)
        return ""

    def slide(self, node) -> str:
        for graph in self.graphs:
            values = self._objects(graph, node, ECO.slide)
            if values:
                return self.short(values[0])
        return ""


_KANA = re.compile(r"[\u3040-\u30ff]")


def _messages_by_language(literals) -> dict:
    """Messages by language tag. pyshacl drops the tags of SPARQL-constraint messages; an untagged
    message with kana in it is Japanese, otherwise English."""
    messages: dict = {}
    for m in literals:
        if not isinstance(m, Literal):
            continue
        lang = m.language or ("ja" if _KANA.search(str(m)) else "en")
        messages.setdefault(lang, str(m))
    return messages


def _owning_shape(shapes: Graph, shape) -> object:
    parent = next(iter(shapes.subjects(SH.property, shape)), None)
    return parent if parent is not None else shape


def _flatten(report: Graph, data: _Lookup, shapes: Graph) -> list[Result]:
    results = []
    for node in report.subjects(SH.resultSeverity, None):
        severity = report.value(node, SH.resultSeverity)
        focus = report.value(node, SH.focusNode)
        shape = _owning_shape(shapes, report.value(node, SH.sourceShape))
        messages = _messages_by_language(report.objects(node, SH.resultMessage))
        path = report.value(node, SH.resultPath)
        results.append(
            Result(
                severity=SEVERITY_NAME.get(severity, str(severity)),
                shape=_short(shapes, shape) if isinstance(shape, URIRef) else "(anonymous shape)",
                focus=data.short(focus),
                focus_label=data.label(focus, "en") or data.label(focus, "ja"),
                slide=data.slide(focus) if focus is not None else "",
                path=data.short(path) if isinstance(path, URIRef) else ("" if path is None else "(complex path)"),
                value=data.short(report.value(node, SH.value)),
                message_en=messages.get("en", ""),
                message_ja=messages.get("ja", ""),
            )
        )
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(results, key=lambda r: (order.get(r.severity, 3), r.shape, r.focus, r.path, r.value, r.message_en))


@functools.lru_cache(maxsize=512)
def _prepared(query: str, namespaces: tuple):
    return prepareQuery(query, initNs=dict(namespaces))


class _CachingProcessor(SPARQLProcessor):
    """rdflib's SPARQL processor, but each query text is parsed once. pyshacl runs every SPARQL constraint
    once per focus node with the same text, and parsing (pyparsing) cost about a third of validation."""

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803 - rdflib's names
        if isinstance(strOrQuery, str) and base is None:
            strOrQuery = _prepared(strOrQuery, tuple(sorted((initNs or {}).items())))
        return super().query(strOrQuery, initBindings or {}, initNs or {}, base, DEBUG)


def _pyshacl(data: Graph, shapes: Graph, ontology: Graph) -> tuple[bool, Graph]:
    """pyshacl, the reference validator: (conforms, SHACL report graph)."""
    previous = rdflib.plugin.get("sparql", rdflib.query.Processor)
    rdflib.plugin.register("sparql", rdflib.query.Processor, "ecograph.pipeline.validate", "_CachingProcessor")
    try:
        conforms, report_graph, report_text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference="none",
            advanced=True,
            allow_warnings=True,
            allow_infos=True,
        )
    finally:
        rdflib.plugin.register("sparql", rdflib.query.Processor, previous.__module__, previous.__name__)
    if not isinstance(report_graph, Graph):  # pyshacl returns a failure object when the shapes themselves are broken
        raise ShapesError(f"the shapes could not be used: {str(report_text).strip().splitlines()[-1]}")
    return bool(conforms), report_graph


def _validate(data: list[Graph | Quads], shapes: Graph, ontology: Graph, validator: str | None,
              namespaces: list[tuple[str, URIRef]] | None = None) -> ValidationReport:
    """Validate the data graphs with the chosen validator (default: the validator setting) and flatten the report.
    Quads are for the oxigraph validator only; namespaces are theirs (see _Lookup)."""
    validator = validator or load_settings().validator
    if validator == "oxigraph":
        conforms, report_graph = shacl.validate_graphs(data, ontology, shapes)
    elif validator == "pyshacl":
        merged = data[0] if len(data) == 1 else functools.reduce(lambda a, b: a + b, data)
        conforms, report_graph = _pyshacl(merged, shapes, ontology)
    else:
        raise UsageError(f"unknown validator '{validator}'", f"Use one of {', '.join(VALIDATORS)} (the validator setting).")
    bind_all(report_graph)
    lookup = _Lookup([*data, ontology], namespaces, set(report_graph.objects(None, SH.focusNode)))
    return ValidationReport(conforms=conforms, results=_flatten(report_graph, lookup, shapes), graph=report_graph)


def validate_graph(data: Graph, shapes: Graph, ontology: Graph, validator: str | None = None) -> ValidationReport:
    """Validate one data graph against shapes, with the ontology mixed in for class hierarchy.

    Args:
        validator: "oxigraph" or "pyshacl" (the reference); by default the validator setting.
    """
    return _validate([data], shapes, ontology, validator)


def validate(sources: Sources, validator: str | None = None) -> ValidationReport:
    """Check the stated and interpreted data against the shapes (validator: as in validate_graph). The oxigraph
    validator takes the data as loaded (Quads at scale: no rdflib Graph is made); pyshacl, rdflib Graphs."""
    validator = validator or load_settings().validator
    if validator != "oxigraph":
        return _validate([sources.stated, sources.interpreted], sources.shapes, sources.ontology, validator)
    data = [sources.parsed(name) for name in DATA_GRAPHS]
    namespaces = [ns for name in DATA_GRAPHS if isinstance(sources.parsed(name), Quads) for ns in sources.namespaces(name)]
    return _validate(data, sources.shapes, sources.ontology, validator, namespaces)


def validate_files(files: list[Path] | None = None, settings: Settings | None = None) -> ValidationReport:
    """Validate the given files (default: the project's data) against the project's shapes."""
    settings = settings or load_settings()
    return validate(load_sources(settings, [Path(f) for f in files] if files else None), settings.validator)


def validate_in_context(upload: Graph, settings: Settings | None = None, *, alone: bool = False, shapes: Graph | None = None,
                        reference: Sources | None = None, validator: str | None = None) -> ValidationReport:
    """Validate a steward's graph (a file, an upload): in the project's context by default, or alone.

    Args:
        alone: validate the graph by itself (no project data around it).
        shapes: the steward's own shapes graph, replacing the project's shapes.
        reference: the project's sources, loaded once by a caller that validates many graphs (the server).
    """
    settings = settings or load_settings()
    reference = reference or load_sources(settings, data_files=[])
    ontology = reference.ontology if shapes is None else Graph()
    return validate_graph(upload, shapes if shapes is not None else reference.shapes, ontology, validator or settings.validator)
