"""Check data against the shapes. Non-conformance is a result, not an exception."""

from __future__ import annotations

import functools
from pathlib import Path

import pyshacl
import rdflib
import rdflib.query
from pyshacl.errors import ReportableRuntimeError
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH
from rdflib.plugins.sparql.processor import SPARQLProcessor, prepareQuery

from ecograph.errors import UsageError
from ecograph.namespaces import bind_all
from ecograph.pipeline.load import DATA_GRAPHS, Sources, load_sources
from ecograph.pipeline.validation_report import Lookup, ValidationReport, flatten
from ecograph.rdf.serialize import Quads, rdflib_graph
from ecograph.settings import Settings, load_settings
from ecograph.shacl import validator as shacl
from ecograph.shacl.errors import ShapesError, UnsupportedShapes

VALIDATORS = ("auto", "oxigraph", "pyshacl")
@functools.lru_cache(maxsize=512)
def _prepared(query: str, namespaces: tuple):
    return prepareQuery(query, initNs=dict(namespaces))


class _CachingProcessor(SPARQLProcessor):
    """rdflib's SPARQL processor, but each query text is parsed once. pyshacl runs every SPARQL constraint
    once per focus node with the same text, and parsing (pyparsing) cost about a third of validation."""

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
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
            allow_warnings=False,  # SHACL §3.6.2: any result, of any severity, means the data do not conform
            allow_infos=False,
        )
    except (NotImplementedError, ReportableRuntimeError) as exc:  # e.g. $shapesGraph, which pyshacl does not implement
        raise ShapesError(f"pyshacl cannot use these shapes: {str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}",
                          "SHACL lets a processor refuse what it does not support; no engine of ecograph supports this.") from exc
    finally:
        rdflib.plugin.register("sparql", rdflib.query.Processor, previous.__module__, previous.__name__)
    if not isinstance(report_graph, Graph):  # pyshacl returns a failure object when the shapes themselves are broken
        raise ShapesError(f"the shapes could not be used: {str(report_text).strip().splitlines()[-1]}")
    return bool(conforms), report_graph


def _validate(data: list[Graph | Quads], shapes: Graph, ontology: Graph, validator: str | None,
              namespaces: list[tuple[str, URIRef]] | None = None) -> ValidationReport:
    """Validate the data graphs with the chosen validator (default: the validator setting) and flatten the report.
    Quads are for the oxigraph validator only; namespaces are theirs (see validation_report.Lookup)."""
    validator = validator or load_settings().validator
    if validator not in VALIDATORS:
        raise UsageError(f"unknown validator '{validator}'", f"Use one of {', '.join(VALIDATORS)} (the validator setting).")
    used, why = ("pyshacl" if validator == "pyshacl" else "oxigraph"), ""
    if used == "oxigraph":
        try:
            conforms, report_graph, notes = shacl.validate_graphs(data, ontology, shapes)
            why = "; ".join(notes)
        except UnsupportedShapes as exc:
            if validator == "oxigraph":
                raise
            used, why = "pyshacl", exc.message
    if used == "pyshacl":
        graphs = [rdflib_graph(part) if isinstance(part, Quads) else part for part in data]
        merged = graphs[0] if len(graphs) == 1 else functools.reduce(lambda a, b: a + b, graphs)
        conforms, report_graph = _pyshacl(merged, shapes, ontology)
    bind_all(report_graph)
    lookup = Lookup([*data, ontology], namespaces, set(report_graph.objects(None, SH.focusNode)))
    return ValidationReport(conforms=conforms, results=flatten(report_graph, lookup, shapes), graph=report_graph,
                            validator=used, why=why)


def validate_graph(data: Graph, shapes: Graph, ontology: Graph, validator: str | None = None) -> ValidationReport:
    """Validate one data graph against shapes, with the ontology mixed in for class hierarchy.

    Args:
        validator: "auto" (the oxigraph engine, or pyshacl for shapes or data it does not handle: the report says which),
            "oxigraph" (refuses what it does not handle: UnsupportedShapes) or "pyshacl" (the reference); by default the
            validator setting.
    """
    return _validate([data], shapes, ontology, validator)


def validate(sources: Sources, validator: str | None = None) -> ValidationReport:
    """Check the stated and interpreted data against the shapes (validator: as in validate_graph). The oxigraph
    validator takes the data as loaded (Quads at scale: no rdflib Graph is made); pyshacl, rdflib Graphs."""
    validator = validator or load_settings().validator
    if validator == "pyshacl":
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
    """Validate a steward's graph (a file, an upload) as the new description of the resources it describes.

    In context (the default), the project's triples about the upload's subjects (and the blank nodes that hang from
    them) are replaced by the upload's; everything else of the project stays around it (ontology, code lists,
    slides, programs…), and the report keeps only the results whose focus node the upload describes.

    Args:
        alone: validate the graph by itself (no project data around it).
        shapes: the steward's own shapes graph, replacing the project's shapes (then no ontology is mixed in).
        reference: the project's sources, loaded once by a caller that validates many graphs (the server).
    """
    settings = settings or load_settings()
    if reference is None and not (alone and shapes is not None):  # any data against any shapes needs nothing of the project
        reference = load_sources(settings, data_files=[] if alone else None)
    ontology = Graph() if shapes is not None else reference.ontology
    shapes_graph = shapes if shapes is not None else reference.shapes
    validator = validator or settings.validator
    shown = "the project's (shapes/)" if shapes is None else "the steward's own (the project's ontology is not mixed in)"
    if alone:
        report = validate_graph(upload, shapes_graph, ontology, validator)
        report.context, report.shapes = "alone (no project data around it)", shown
        return report
    described = set(upload.subjects())
    context = [_without(reference.parsed(name), described) for name in DATA_GRAPHS]
    report = _validate([*context, upload], shapes_graph, ontology, validator)
    report = report.only_about(described)
    report.shapes = shown
    report.context = f"in the project's context ({sum(len(g) for g in context)} triples of {', '.join(DATA_GRAPHS)} data around the upload)"
    return report


def _without(graph: Graph | Quads, subjects: set) -> Graph:
    """graph without the triples about subjects, nor those of the blank nodes that hang only from them."""
    if isinstance(graph, Quads):
        graph = rdflib_graph(graph)
    dropped = {s for s in subjects if (s, None, None) in graph}
    todo = [o for s in dropped for o in graph.objects(s, None) if isinstance(o, BNode)]
    while todo:
        node = todo.pop()
        if node in dropped:
            continue
        if all(parent in dropped for parent in graph.subjects(None, node)):
            dropped.add(node)
            todo += [o for o in graph.objects(node, None) if isinstance(o, BNode)]
    kept = Graph()
    for prefix, namespace in graph.namespaces():
        kept.bind(prefix, namespace)
    for triple in graph:
        if triple[0] not in dropped:
            kept.add(triple)
    return kept
