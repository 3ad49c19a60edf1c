"""The validation service: POST /validate with a graph in the body (Turtle, TriG, N-Triples, N-Quads or
JSON-LD) checks it against the project's shapes and ontology and returns the SHACL report as Turtle, JSON,
HTML or text, by Accept or `format=`.

Uploads come from strangers, so the parsers never reach out: RDF/XML is refused (415) rather than handing
XML to a parser that might expand entities; JSON-LD is read by pyoxigraph, which has no document loader
and so never fetches a remote @context (a document that needs one is a 400 saying so). Everything else
is bounded by the body size (MAX_CONTENT_LENGTH, 413), and validations run one at a time."""

from __future__ import annotations

import re
import threading

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, request
from markupsafe import escape
from rdflib import BNode, Graph, Literal, URIRef

from ecograph import results
from ecograph.errors import DataSyntaxError, UsageError
from ecograph.http.ops import note_reason
from ecograph.namespaces import bind_all
from ecograph.pipeline.load import load_sources, parse_bytes
from ecograph.pipeline.validate import ValidationReport, validate_graph

blueprint = Blueprint("validation", __name__)

UPLOAD = "upload"  # how a syntax error names the body
UPLOAD_BASE = "http://upload.invalid/"  # relative IRIs resolve here (.invalid never resolves: RFC 2606)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# Turtle goes through the project's own loader (same line/column and prefix hints as `ecograph validate`);
# the formats that may carry named graphs, and JSON-LD, through pyoxigraph (every graph is validated).
RDFLIB_TYPES = {"text/turtle": "turtle", "application/x-turtle": "turtle"}
OX_TYPES = {"application/trig": ox.RdfFormat.TRIG, "application/n-triples": ox.RdfFormat.N_TRIPLES,
            "application/n-quads": ox.RdfFormat.N_QUADS, "application/ld+json": ox.RdfFormat.JSON_LD}
ACCEPTED = [*RDFLIB_TYPES, *OX_TYPES]
REFUSED_XML = {"application/rdf+xml", "application/xml", "text/xml"}
REPORT_TYPES = ["application/json", "text/turtle", "text/html", "text/plain"]
REPORT_FORMATS = {"json": "application/json", "ttl": "text/turtle", "turtle": "text/turtle", "html": "text/html",
                  "txt": "text/plain", "text": "text/plain"}


class UnsupportedUpload(UsageError):
    """The body is in a media type the service does not read."""

    status = 415
    hint = f"Send the graph with Content-Type {', '.join(ACCEPTED)}."


class ReportNotAcceptable(UsageError):
    status = 406
    hint = f"Ask for one of {', '.join(REPORT_TYPES)} (or format={'|'.join(sorted(REPORT_FORMATS))})."


class _Reference:
    """The project's shapes and ontology, loaded once per app on first use."""

    def __init__(self):
        self.lock = threading.Lock()  # also serialises validations: validate_graph swaps an rdflib plugin
        self.shapes: Graph | None = None
        self.ontology: Graph | None = None

    def load(self, settings) -> None:
        if self.shapes is None:
            sources = load_sources(settings, data_files=[])
            self.shapes, self.ontology = sources.shapes, sources.ontology


@blueprint.record_once
def _install(state) -> None:
    state.app.extensions.setdefault("ecograph.validation", _Reference())


def _reference() -> _Reference:
    return current_app.extensions["ecograph.validation"]


def _from_ox(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # rdflib tells "x" and "x"^^xsd:string apart; its Turtle parser (and so the shapes' tests) use the first
        return Literal(term.value) if datatype in (XSD_STRING, RDF_LANG_STRING) else Literal(term.value, datatype=URIRef(datatype))
    raise DataSyntaxError(UPLOAD, None, None, "quoted triples (RDF-star) are not supported", "Send plain RDF 1.1.")


def _parse_ox(raw: bytes, fmt, media: str) -> Graph:
    try:
        quads = list(ox.parse(raw, format=fmt, base_iri=UPLOAD_BASE))
    except SyntaxError as exc:
        message = str(exc).splitlines()[0] if str(exc) else "syntax error"
        if "LoadDocumentCallback" in message or "remote context" in message.lower():
            raise DataSyntaxError(UPLOAD, None, None, "the JSON-LD refers to a remote @context, which is never fetched",
                                  "Put the context object itself in the document (\"@context\": {…}), not its URL.") from exc
        hint = "Declare the prefix in the document." if "has not been declared" in message else f"Check the {media} syntax at that place."
        raise DataSyntaxError(UPLOAD, exc.lineno, exc.offset, message, hint) from exc
    graph = Graph()
    bind_all(graph)
    for quad in quads:  # every graph of a dataset is validated together, as the build validates its layers
        graph.add((_from_ox(quad.subject), _from_ox(quad.predicate), _from_ox(quad.object)))
    return graph


def check_media_type(media: str) -> None:
    """Refuse (415) a body the service does not read, before reading it."""
    if media in REFUSED_XML:
        raise UnsupportedUpload(f"{media} uploads are refused: XML from the network is never parsed here",
                                "Convert the file to Turtle (for example `riot --output=turtle file.rdf`) and send that.")
    if media not in ACCEPTED:
        raise UnsupportedUpload(f"unsupported Content-Type '{media or '(none)'}' for a graph to validate")


def parse_upload(raw: bytes, media: str) -> Graph:
    """The uploaded graph; a syntax error is a DataSyntaxError naming line and column, an unread type a 415."""
    check_media_type(media)
    if media in RDFLIB_TYPES:
        graph = Graph()
        bind_all(graph)
        return _check_iris(parse_bytes(raw, RDFLIB_TYPES[media], graph, UPLOAD, UPLOAD_BASE), raw)
    return _parse_ox(raw, OX_TYPES[media], media)


BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _check_iris(graph: Graph, raw: bytes) -> Graph:
    """rdflib's Turtle parser accepts IRIs that Turtle forbids (with a space or a quote in them): refuse them
    as the syntax error they are, with the line and column when the IRI is written out in full."""
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and BAD_IRI_CHARS.search(str(term)):
                line = column = None
                at = raw.find(str(term).encode("utf-8"))
                if at >= 0:
                    line = raw.count(b"\n", 0, at) + 1
                    column = at - (raw.rfind(b"\n", 0, at) + 1)  # the column of the '<' before the IRI (1-based)
                raise DataSyntaxError(UPLOAD, line, column, f"the IRI <{str(term)[:200]}> holds a character IRIs may not hold "
                                      "(a space, a control character or one of <>\"{}|^`\\)",
                                      "Percent-encode the character (a space is %20).")
    return graph


def validate_upload(data: Graph) -> ValidationReport:
    """Validate a graph against the project's shapes and ontology (loaded once per app)."""
    reference = _reference()
    with reference.lock:
        settings = current_app.extensions["ecograph"].settings
        reference.load(settings)
        return validate_graph(data, reference.shapes, reference.ontology, settings.validator)


def _report_type() -> str:
    wanted = request.args.get("format")
    if wanted:
        media = REPORT_FORMATS.get(wanted.lower())
        if media is None:
            raise ReportNotAcceptable(f"unknown report format '{wanted}'")
        return media
    media = results.negotiate(request.headers.get("Accept"), REPORT_TYPES)
    if media is None:
        raise ReportNotAcceptable(f"none of the requested types ({request.headers.get('Accept')}) is available for a report")
    return media


def report_html(report: ValidationReport) -> str:
    """The report as a page; every value from the upload is escaped."""
    state = "conforms" if report.conforms else "does not conform"
    rows = "\n".join(
        "<tr>" + "".join(f"<td>{escape(v)}</td>" for v in (r.severity, r.shape, r.focus, r.focus_label, r.slide, r.path,
                                                             r.value, r.message_en, r.message_ja)) + "</tr>"
        for r in report.results)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>ecograph validation report</title></head>\n'
        f'<body>\n<h1>Validation report</h1>\n<p class="conforms-{str(report.conforms).lower()}">The upload {state}. '
        f"{escape(report.summary())}</p>\n"
        "<table>\n<thead><tr><th>severity</th><th>shape</th><th>focus node</th><th>label</th><th>slide</th><th>path</th>"
        "<th>value</th><th>message</th><th>メッセージ</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody>\n</table>\n</body></html>\n")


def _render(report: ValidationReport, media: str) -> str:
    if media == "text/turtle":
        return report.to_ntriples()  # N-Triples is Turtle; it holds sh:conforms
    if media == "text/html":
        return report_html(report)
    if media == "text/plain":
        return report.to_text()
    return report.to_json()


@blueprint.route("/validate", methods=["POST"])
def validate():
    """Validate the graph in the body against the project's shapes.

    The answer is 200 whether or not the graph conforms: non-conformance is a result, stated in the body
    (`conforms` in JSON, sh:conforms in Turtle, the first line of the text) and in X-Ecograph-Conforms.
    A body that does not parse is a 400 naming line and column; RDF/XML and unknown types are 415; a body
    over the size limit is 413.
    """
    media = (request.mimetype or "").lower()
    report_type = _report_type()
    check_media_type(media)
    try:
        data = parse_upload(request.get_data(cache=False), media)
    except DataSyntaxError as exc:  # the one error shape, plus where, for programs that point at the place
        note_reason("data_syntax_error")
        response = jsonify({**exc.to_dict(), "line": exc.line, "column": exc.column})
        response.status_code = exc.status
        return response
    report = validate_upload(data)
    response = Response(_render(report, report_type), content_type=f"{report_type}; charset=utf-8")
    response.headers["X-Ecograph-Conforms"] = "true" if report.conforms else "false"
    response.headers["Vary"] = "Accept"
    return response
