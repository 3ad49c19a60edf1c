"""What a validation says, for people and for machines: the SHACL report graph of validate.py flattened into
Results (severity, shape, focus node with its label and slide, path, value, the message in English and Japanese,
the constraint components behind it), one per problem, and the ValidationReport that holds them with the graph
(its text, JSON and canonical N-Triples forms)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

from ecograph.namespaces import ECO
from ecograph.pipeline.load import blank_labels
from ecograph.rdf.serialize import Quads
from ecograph.rdf.terms import ox_to_rdflib, rdflib_to_ox

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
    node: object = field(default=None, repr=False, compare=False)  # the focus node (an rdflib term)
    value_term: dict | None = None  # the value as in SPARQL JSON results: type, value, datatype or xml:lang
    components: list[str] = field(default_factory=list)  # the constraint components (MinCount, Datatype, …) behind it

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "node"}


@dataclass
class ValidationReport:
    """What validate() returns: conformance, the flattened results and the SHACL report graph."""

    conforms: bool
    results: list[Result] = field(default_factory=list)
    graph: Graph | None = None
    validator: str = ""  # the engine that made the report: "oxigraph" or "pyshacl"
    why: str = ""  # why the auto validator handed the shapes to pyshacl, or notes of the oxigraph engine on how it worked
    context: str = ""  # what the data was validated with: "alone", or the project's context
    shapes: str = ""  # which shapes: the project's, or the steward's files

    def only_about(self, nodes: set) -> ValidationReport:
        """The report restricted to the results whose focus node is one of nodes (conformance recomputed)."""
        keep = {rdflib_to_ox(n) for n in nodes}
        graph = Graph()
        for prefix, namespace in self.graph.namespaces():
            graph.bind(prefix, namespace)
        kept = [r for r in self.graph.objects(None, SH.result) if rdflib_to_ox(self.graph.value(r, SH.focusNode)) in keep]
        conforms = not kept
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(conforms)))
        for r in kept:
            graph.add((report, SH.result, r))
            _copy_result(self.graph, r, graph)
        results = [r for r in self.results if rdflib_to_ox(r.node) in keep]
        return ValidationReport(conforms, results, graph, self.validator, self.why, self.context, self.shapes)

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def passes(self, fail_on: str = "Violation") -> bool:
        """No result at fail_on's severity or above ("Violation", "Warning" or "Info"). The build and the CLI's exit
        code ask this (the project's warnings are recommendations); SHACL's sh:conforms is false on any result."""
        levels = ("Violation", "Warning", "Info")
        return not any(self.count(level) for level in levels[:levels.index(fail_on) + 1])

    def summary(self) -> str:
        counts = f"{self.count('Violation')} violation(s), {self.count('Warning')} warning(s), {self.count('Info')} info"
        if self.conforms:
            return f"conforms: {counts}"
        if self.passes():
            return f"no violations: {counts} (SHACL's sh:conforms is false: it counts results of every severity)"
        return f"does NOT conform: {counts}"

    def about(self) -> list[str]:
        """What made the report: the engine (and why auto chose pyshacl), the shapes and the context."""
        handed = self.validator == "pyshacl" and self.why
        lines = [f"validator: {self.validator}" + (f" (the oxigraph engine does not handle this: {self.why})" if handed else "")]
        if self.why and not handed:
            lines.append(f"note: {self.why}")
        if self.shapes:
            lines.append(f"shapes: {self.shapes}")
        if self.context:
            lines.append(f"data: {self.context}")
        return lines

    def to_text(self, max_results: int | None = None) -> str:
        """Grouped severity -> shape -> focus node, with the focus node's label and source slide; at most max_results
        results of each shape are written out (the counts are always whole)."""
        lines = [self.summary(), *self.about()]
        grouped: dict = defaultdict(lambda: defaultdict(list))
        for r in self.results:
            grouped[r.severity][r.shape].append(r)
        for severity in ("Violation", "Warning", "Info"):
            if severity not in grouped:
                continue
            lines.append(f"\n{severity} ({self.count(severity)})")
            for shape in sorted(grouped[severity]):
                found = sorted(grouped[severity][shape], key=lambda r: (r.focus, r.path, r.value, r.message_en))
                lines.append(f"  {shape} ({len(found)})")
                for r in found[:max_results]:
                    where = f"{r.focus}" + (f" «{r.focus_label}»" if r.focus_label else "") + (f" [{r.slide}]" if r.slide else "")
                    lines.append(f"    {where}")
                    detail = (f"{r.path}: " if r.path else "") + (r.message_en or r.message_ja)
                    if r.value and r.value not in detail:
                        detail += f" (value: {r.value})"
                    lines.append(f"      {detail}")
                    if r.message_ja and r.message_ja != r.message_en:
                        lines.append(f"      {r.message_ja}")
                if max_results is not None and len(found) > max_results:
                    lines.append(f"    … and {len(found) - max_results} more of this shape (--max-results to see more)")
        return "\n".join(lines) + "\n"

    def to_json(self, max_results: int | None = None) -> str:
        by_shape: dict = defaultdict(int)
        for r in self.results:
            by_shape[f"{r.severity} {r.shape}"] += 1
        shown, kept = defaultdict(int), []
        for r in self.results:
            key = (r.severity, r.shape)
            shown[key] += 1
            if max_results is None or shown[key] <= max_results:
                kept.append(r.to_dict())
        body = {"conforms": self.conforms, "violations": self.count("Violation"), "summary": self.summary(), "validator": self.validator, "why": self.why,
                "shapes": self.shapes, "context": self.context, "counts": dict(sorted(by_shape.items())),
                "results": kept, "results_total": len(self.results)}
        return json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    def to_ntriples(self) -> str:
        """The SHACL report graph with blank-node labels made from what each node holds and where it hangs
        (load.blank_labels), so that equal reports are equal bytes. Linear in the report, unlike a full canonical
        labelling (rdflib's to_canonical_graph took minutes on reports whose focus nodes are blank); results that
        are the same in every way (SHACL counts each) keep a label each."""
        if self.graph is None:
            return ""
        # the data's blank nodes (focus nodes, values) keep their labels (the loader makes a file's stable) and stand
        # for themselves in the labels of the report's own blank nodes (the report and its results)
        data = {o for p in (SH.focusNode, SH.value) for o in self.graph.objects(None, p) if isinstance(o, BNode)}
        named = {b: URIRef(f"urn:x-blank:{b}") for b in data}
        shown = Graph()
        for s, p, o in self.graph:
            shown.add((named.get(s, s), p, named.get(o, o)))
        labels, taken = {}, defaultdict(int)
        for node, label in sorted(blank_labels(shown).items(), key=lambda item: (str(item[1]), str(item[0]))):
            taken[label] += 1
            labels[node] = label if taken[label] == 1 else BNode(f"{label}x{taken[label]}")
        labels.update({iri: b for b, iri in named.items()})
        graph = Graph()
        for s, p, o in shown:
            graph.add((labels.get(s, s), p, labels.get(o, o)))
        lines = sorted(line for line in graph.serialize(format="nt").splitlines() if line.strip())
        return "\n".join(lines) + "\n"


def _copy_result(source: Graph, node, target: Graph) -> None:
    """A result node of a report graph with everything that hangs from it (details, blank shapes and paths)."""
    todo, seen = [node], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for p, o in source.predicate_objects(current):
            target.add((current, p, o))
            if isinstance(o, BNode):
                todo.append(o)


def _short(graph: Graph, node) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # noqa: BLE001 - rdflib raises several types for IRIs it cannot shorten
            return str(node)
    return str(node)


class Lookup:
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
        self._nodes = None if nodes is None else {rdflib_to_ox(node) for node in nodes}
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
        return [ox_to_rdflib(o) for o in self._read[id(graph)].get((rdflib_to_ox(node), rdflib_to_ox(predicate)), ())]

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


def _value(data: Lookup, term) -> str:
    """A value as a steward reads it: a prefixed name, or a literal with its datatype or language ("33"^^xsd:string)."""
    if not isinstance(term, Literal):
        return data.short(term)
    text = json.dumps(str(term), ensure_ascii=False)
    if term.language:
        return f"{text}@{term.language}"
    return f"{text}^^{data.short(term.datatype or XSD.string)}"


def _value_term(term) -> dict | None:
    """A value in the form of SPARQL 1.1 JSON results (type, value, and datatype or xml:lang)."""
    if term is None:
        return None
    if isinstance(term, Literal):
        extra = {"xml:lang": term.language} if term.language else {"datatype": str(term.datatype or XSD.string)}
        return {"type": "literal", "value": str(term), **extra}
    return {"type": "uri" if isinstance(term, URIRef) else "bnode", "value": str(term)}


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


def flatten(report: Graph, data: Lookup, shapes: Graph) -> list[Result]:
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
                value=_value(data, report.value(node, SH.value)),
                message_en=messages.get("en", ""),
                message_ja=messages.get("ja", ""),
                node=focus,
                value_term=_value_term(report.value(node, SH.value)),
                components=[_component_name(report.value(node, SH.sourceConstraintComponent))],
            )
        )
        _explain_datatype(results[-1], report.value(node, SH.sourceConstraintComponent), report.value(node, SH.sourceShape), shapes, data)
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return _one_per_problem(sorted(results, key=lambda r: (order.get(r.severity, 3), r.shape, r.focus, r.path, r.value, r.message_en)))


def _component_name(component) -> str:
    return str(component).removeprefix(str(SH)).removesuffix("ConstraintComponent") if component is not None else ""


def _explain_datatype(result: Result, component, shape, shapes: Graph, data: Lookup) -> None:
    """A datatype result says what was expected and what the data wrote: expected xsd:integer, got "33"^^xsd:string."""
    expected = shapes.value(shape, SH.datatype) if component == SH.DatatypeConstraintComponent else None
    if expected is None:
        return
    got = result.value or "(no value)"
    result.message_en = (result.message_en + " " if result.message_en else "") + f"(expected {data.short(expected)}, got {got})"
    result.message_ja = (result.message_ja + " " if result.message_ja else "") + f"（{data.short(expected)} が必要、値は {got}）"


def _one_per_problem(results: list[Result]) -> list[Result]:
    """One result per problem: the results of one shape about the same value of the same focus node and path (a
    string program number fails sh:datatype, sh:minInclusive and sh:maxInclusive at once) become one, listing
    every constraint component, with the datatype's message, which says the most."""
    merged: dict = {}
    for r in results:
        key = (r.severity, r.shape, r.focus, r.path, r.value)
        first = merged.get(key)
        separate = not (r.path and r.value) or "SPARQL" in r.components or set(r.components) & set(first.components if first else ())
        if first is None or separate:  # a SPARQL constraint's results, or two of one component, are problems of their own
            merged[key if first is None else (*key, len(merged))] = r
            continue
        first.components += [c for c in r.components if c not in first.components]
        if "Datatype" in r.components:
            first.message_en, first.message_ja = r.message_en, r.message_ja
    return list(merged.values())
