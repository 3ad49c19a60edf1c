"""What POST /validate reads and writes, without Flask (each validation's own process runs it, see
validation_workers.py): the upload parsed by its media type into an rdflib Graph, and the report in the format
asked for.

Uploads come from strangers, so the parsers never reach out: RDF/XML is refused (415) rather than handing XML to a
parser that might expand entities; JSON-LD is read by pyoxigraph, which has no document loader and so never
fetches a remote @context (a document that needs one is a 400 saying so). Nesting deeper than the parsers take is
a 400 before any parser sees it (nesting.py)."""

from __future__ import annotations

import re

import pyoxigraph as ox
from markupsafe import escape
from rdflib import Graph, URIRef

from ecograph.errors import DataSyntaxError, UsageError
from ecograph.namespaces import bind_all
from ecograph.pipeline.load import parse_bytes
from ecograph.pipeline.validation_report import ValidationReport
from ecograph.rdf.nesting import check_nesting
from ecograph.rdf.terms import ox_to_rdflib

UPLOAD = "upload"  # how a syntax error names the body
UPLOAD_BASE = "http://upload.invalid/"  # relative IRIs resolve here (.invalid never resolves: RFC 2606)

# Turtle goes through the project's own loader (same line/column and prefix hints as `ecograph validate`);
# the formats that may carry named graphs, and JSON-LD, through pyoxigraph (every graph is validated).
RDFLIB_TYPES = {"text/turtle": "turtle", "application/x-turtle": "turtle"}
OX_TYPES = {"application/trig": ox.RdfFormat.TRIG, "application/n-triples": ox.RdfFormat.N_TRIPLES,
            "application/n-quads": ox.RdfFormat.N_QUADS, "application/ld+json": ox.RdfFormat.JSON_LD}
NESTING = {"text/turtle": "turtle", "application/x-turtle": "turtle", "application/trig": "trig", "application/ld+json": "json-ld"}
ACCEPTED = [*RDFLIB_TYPES, *OX_TYPES]
REFUSED_XML = {"application/rdf+xml", "application/xml", "text/xml"}
REPORT_TYPES = ["application/json", "text/turtle", "text/html", "text/plain"]
REPORT_FORMATS = {"json": "application/json", "ttl": "text/turtle", "turtle": "text/turtle", "html": "text/html",
                  "txt": "text/plain", "text": "text/plain"}


class UnsupportedUpload(UsageError):
    """The body is in a media type the service does not read."""

    status = 415
    hint = f"Send the graph with Content-Type {', '.join(ACCEPTED)}."


def check_media_type(media: str) -> None:
    """Refuse (415) a body the service does not read, before reading it."""
    if media in REFUSED_XML:
        raise UnsupportedUpload(f"{media} uploads are refused: XML from the network is never parsed here",
                                "Convert the file to Turtle (for example `riot --output=turtle file.rdf`) and send that.")
    if media not in ACCEPTED:
        raise UnsupportedUpload(f"unsupported Content-Type '{media or '(none)'}' for a graph to validate")


def parse_upload(raw: bytes, media: str) -> Graph:
    """The uploaded graph; a syntax error (nesting too deep included) is a DataSyntaxError naming line and column,
    an unread type a 415."""
    check_media_type(media)
    check_nesting(raw, NESTING.get(media, ""), UPLOAD)
    if media in RDFLIB_TYPES:
        graph = Graph()
        bind_all(graph)
        return _check_iris(parse_bytes(raw, RDFLIB_TYPES[media], graph, UPLOAD, UPLOAD_BASE), raw)
    return _parse_ox(raw, OX_TYPES[media], media)


def _from_ox(term):
    try:
        return ox_to_rdflib(term)
    except ValueError as exc:
        raise DataSyntaxError(UPLOAD, None, None, "quoted triples (RDF-star) are not supported", "Send plain RDF 1.1.") from exc


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


def render(report: ValidationReport, media: str) -> str:
    """The report in one of REPORT_TYPES."""
    if media == "text/turtle":
        return report.to_ntriples()  # N-Triples is Turtle; it holds sh:conforms
    if media == "text/html":
        return report_html(report)
    if media == "text/plain":
        return report.to_text()
    return report.to_json()
