"""The one writer of query answers: every format the endpoint offers, picked by content negotiation, and the
CLI's (`ecograph query --format table|csv|tsv|json`: the same writers, and an aligned table for people).

SELECT and ASK: SPARQL 1.1 Results JSON, XML, CSV and TSV. CONSTRUCT and DESCRIBE: Turtle, N-Triples,
N-Quads, TriG, JSON-LD and RDF/XML. A result cut at the row cap says so in a header (X-Ecograph-Truncated)
and, where the format has room, in the body (a <link> in the results head, a comment in RDF syntaxes)."""

from __future__ import annotations

import csv
import functools
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ecograph.engine.answers import Answer
from ecograph.namespaces import PREFIX_MAP
from ecograph.rdf.terms import XSD_STRING, to_ox

TRUNCATED_LINK = "https://w3id.org/ecograph/doc/truncated"

RESULT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "ttl", "application/x-turtle": "ttl", "application/n-triples": "nt", "text/plain": "nt",
    "application/n-quads": "nq", "application/trig": "trig", "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
# format= values (also output= and results=, which SPARQLWrapper sends beside format=): short names, compared
# without case. "n3" and "rdf+xml" are SPARQLWrapper's names for Turtle/N3 and RDF/XML.
FORMAT_PARAM = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
                "tsv": "text/tab-separated-values", "ttl": "text/turtle", "turtle": "text/turtle", "n3": "text/turtle",
                "nt": "application/n-triples", "nq": "application/n-quads", "trig": "application/trig",
                "jsonld": "application/ld+json", "json-ld": "application/ld+json", "rdfxml": "application/rdf+xml",
                "rdf": "application/rdf+xml", "xml-rdf": "application/rdf+xml", "rdf+xml": "application/rdf+xml"}
# On CONSTRUCT and DESCRIBE, "xml" and "json" name the graph's XML and JSON syntaxes, as SPARQLWrapper reads
# them (its default format=xml asks for RDF/XML there, and it takes JSON-LD as the answer to JSON), like Fuseki.
GRAPH_FORMAT_PARAM = {"xml": "application/rdf+xml", "json": "application/ld+json"}
OX_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
              "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first; malformed parts are skipped."""
    ranges = []
    for order, part in enumerate((header or "").split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q, order))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(m, q) for m, q, _ in ranges]


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """The offered media type the Accept header likes best (first offered on ties), or None (406)."""
    return _negotiate(accept, tuple(offered))


@functools.lru_cache(maxsize=512)  # a client sends the same Accept header on every request: decided once
def _negotiate(accept: str | None, offered: tuple[str, ...]) -> str | None:
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0]
    best, best_q, best_rank = None, 0.0, None
    for rank, media in enumerate(offered):
        q = _quality(media, ranges)
        if q > best_q or (q == best_q and q > 0 and best_rank is None):
            best, best_q, best_rank = media, q, rank
    return best if best_q > 0 else None


def _quality(media: str, ranges: list[tuple[str, float]]) -> float:
    main = media.partition("/")[0]
    specific = [q for m, q in ranges if m == media]
    if specific:
        return specific[0]
    partial = [q for m, q in ranges if m == f"{main}/*"]
    if partial:
        return partial[0]
    anything = [q for m, q in ranges if m == "*/*"]
    return anything[0] if anything else 0.0


def offered_for(form: str) -> list[str]:
    """The media types offered for a query form, preferred first."""
    if form in ("SELECT", "ASK"):
        return ["application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values",
                "application/json", "application/xml"]
    return ["text/turtle", "application/n-triples", "application/n-quads", "application/trig", "application/ld+json",
            "application/rdf+xml", "text/plain", "application/x-turtle"]


def format_media(value: str, form: str) -> str | None:
    """The media type a format= value names for a query form, or None if it names none. The value is a short name
    or media types (SPARQLWrapper sends its whole Accept header, "application/ld+json,application/x-json+ld")."""
    name = value.strip().lower()
    if "/" in name:
        known = [m for m in (part.split(";")[0].strip() for part in name.split(",")) if m in RESULT_TYPES or m in GRAPH_TYPES]
        return known[0] if known else None
    if form not in ("SELECT", "ASK") and name in GRAPH_FORMAT_PARAM:
        return GRAPH_FORMAT_PARAM[name]
    return FORMAT_PARAM.get(name)


def format_names(form: str) -> list[str]:
    """The short format= names that a query of this form answers to."""
    offered = set(offered_for(form))
    return sorted(name for name in FORMAT_PARAM if format_media(name, form) in offered)


# ------------------------------------------------------------------ writers

def _json_term(term) -> dict:
    kind, value, datatype, language = term
    out = {"type": kind, "value": value}
    if language:
        out["xml:lang"] = language
    elif kind == "literal" and datatype and datatype != XSD_STRING:
        out["datatype"] = datatype
    return out


def to_json(answer: Answer, max_rows: int, indent: int | None = None) -> bytes:
    head: dict = {}
    if answer.form == "ASK":
        return json.dumps({"head": head, "boolean": answer.boolean}, indent=indent).encode()
    head["vars"] = answer.variables
    if answer.truncated:
        head["link"] = [f"{TRUNCATED_LINK}?max-rows={max_rows}"]
    bindings = [{v: _json_term(t) for v, t in zip(answer.variables, row) if t is not None} for row in answer.rows]
    return json.dumps({"head": head, "results": {"bindings": bindings}}, ensure_ascii=False, indent=indent).encode()


def _xml_term(term) -> str:
    kind, value, datatype, language = term
    if kind == "uri":
        return f"<uri>{escape(value)}</uri>"
    if kind == "bnode":
        return f"<bnode>{escape(value)}</bnode>"
    if language:
        return f"<literal xml:lang={quoteattr(language)}>{escape(value)}</literal>"
    if datatype and datatype != XSD_STRING:
        return f"<literal datatype={quoteattr(datatype)}>{escape(value)}</literal>"
    return f"<literal>{escape(value)}</literal>"


def to_xml(answer: Answer, max_rows: int) -> bytes:
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in answer.variables]
    if answer.truncated:
        out.append(f'<link href="{TRUNCATED_LINK}?max-rows={max_rows}"/>')
    out.append("</head>")
    if answer.form == "ASK":
        out.append(f"<boolean>{'true' if answer.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in answer.rows:
            cells = "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>" for v, t in zip(answer.variables, row) if t is not None)
            out.append(f"<result>{cells}</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out).encode()


def to_csv(answer: Answer, newline: str = "\r\n", delimiter: str = ",") -> bytes:
    """SPARQL 1.1 Results CSV: IRIs and literals as plain strings, blank nodes as _:label (lines end in CRLF, as
    the format asks; the CLI writes \\n)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=newline, delimiter=delimiter)
    if answer.form == "ASK":
        writer.writerow(["boolean"])
        writer.writerow(["true" if answer.boolean else "false"])
        return buf.getvalue().encode()
    writer.writerow(answer.variables)
    for row in answer.rows:
        writer.writerow(["" if t is None else (f"_:{t[1]}" if t[0] == "bnode" else t[1]) for t in row])
    return buf.getvalue().encode()


def _tsv_term(term) -> str:
    kind, value, datatype, language = term
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    if language:
        return f'"{text}"@{language}'
    if datatype and datatype != XSD_STRING:
        return f'"{text}"^^<{datatype}>'
    return f'"{text}"'


def to_tsv(answer: Answer) -> bytes:
    if answer.form == "ASK":
        return f"?boolean\n{'true' if answer.boolean else 'false'}\n".encode()
    lines = ["\t".join(f"?{v}" for v in answer.variables)]
    lines += ["\t".join("" if t is None else _tsv_term(t) for t in row) for row in answer.rows]
    return ("\n".join(lines) + "\n").encode()


def to_rdf(answer: Answer, fmt: str, max_rows: int) -> bytes:
    """CONSTRUCT/DESCRIBE triples (term tuples) in an RDF syntax."""
    return rdf_body([ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in answer.rows], fmt, answer.truncated, max_rows)


# Turtle and TriG abbreviate IRIs with the project's prefixes (a reader sees ecograph:phase, not the whole IRI)
PREFIXED = ("ttl", "trig")


def rdf_body(triples: list, fmt: str, truncated: bool, max_rows: int) -> bytes:
    """pyoxigraph triples in an RDF syntax, written by pyoxigraph itself (no term passes through Python); a
    truncated answer says so in a comment where the syntax has one."""
    if fmt in ("nq", "trig"):
        triples = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    body = ox.serialize(triples, format=OX_FORMATS[fmt], prefixes=PREFIX_MAP if fmt in PREFIXED else None)
    if truncated and fmt in ("ttl", "nt", "nq", "trig"):
        body = f"# ecograph: truncated at {max_rows} triples; see {TRUNCATED_LINK}\n".encode() + body
    elif truncated and fmt == "rdfxml":
        body = body.replace(b"?>", f"?>\n<!-- ecograph: truncated at {max_rows} triples -->".encode(), 1)
    return body


def render(answer: Answer, media: str, max_rows: int) -> bytes:
    """The answer in the negotiated media type."""
    if answer.form in ("SELECT", "ASK"):
        kind = RESULT_TYPES[media]
        if kind == "json":
            return to_json(answer, max_rows)
        if kind == "xml":
            return to_xml(answer, max_rows)
        return to_csv(answer) if kind == "csv" else to_tsv(answer)
    return to_rdf(answer, GRAPH_TYPES[media], max_rows)


# ------------------------------------------------------------------ the command line

def _cell(term) -> str:
    """A value as the table shows it: the IRI, the blank node's label or the literal's lexical form."""
    return "" if term is None else (f"_:{term[1]}" if term[0] == "bnode" else term[1])


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def to_table(answer: Answer) -> str:
    """An aligned text table for people (wide characters count two columns); yes or no for ASK."""
    if answer.form == "ASK":
        return ("yes" if answer.boolean else "no") + "\n"
    if answer.form not in ("SELECT",):
        return to_rdf(answer, "ttl", len(answer.rows)).decode()
    cells = [answer.variables] + [[_cell(t) for t in row] for row in answer.rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(answer.variables))]
    lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + f"\n({len(answer.rows)} rows)\n"


CLI_FORMATS = ("table", "csv", "tsv", "json")


def to_text(answer: Answer, fmt: str) -> str:
    """The answer as `ecograph query --format FMT` prints it: the table, or the endpoint's CSV (with \\n line
    ends; tab-separated for tsv) or JSON (indented)."""
    if fmt == "table":
        return to_table(answer)
    if fmt == "csv":
        return to_csv(answer, "\n").decode()
    if fmt == "tsv":  # as the CSV, tab-separated (lexical values, not SPARQL's TSV terms): for spreadsheets and cut
        return to_csv(answer, "\n", "\t").decode()
    if fmt == "json":
        return to_json(answer, len(answer.rows), indent=1).decode() + "\n"
    raise ValueError(f"unknown format {fmt!r}")
