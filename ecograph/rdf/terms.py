"""The one term model and every conversion between it, pyoxigraph and rdflib.

A term of an answer is a `Term`: (kind, value, datatype, language), kind "uri", "bnode" or "literal"; a literal has
a language or a datatype, never both. The hot path (every value of every row a query worker reads) builds plain
4-tuples of the same shape, which every function here accepts: a `Term` is only the named view of one.

Conversions, each once:
- `from_ox` / `to_ox`: pyoxigraph terms;
- `from_rdflib` / `to_rdflib`: rdflib terms (rdflib writes an xsd:string literal without a datatype);
- `ox_to_rdflib` / `rdflib_to_ox`: straight between the two libraries (the pipeline's terms);
- `from_json`: a term of SPARQL 1.1 Results JSON; `to_sparql`: a term as escaped SPARQL (or N-Triples) text.
"""

from __future__ import annotations

import re
import warnings
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_BOOLEAN = XSD + "boolean"
XSD_INTEGER = XSD + "integer"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class Term(NamedTuple):
    """An RDF term of an answer, independent of the engine that found it."""

    kind: str  # "uri", "bnode" or "literal"
    value: str  # the IRI, the blank node's label, or the literal's lexical form
    datatype: str | None = None  # a literal's datatype IRI (None with a language)
    language: str | None = None

    @classmethod
    def iri(cls, value: str) -> Term:
        return cls("uri", value)

    @classmethod
    def literal(cls, value: str, datatype: str = XSD_STRING, language: str | None = None) -> Term:
        return cls("literal", value, None if language else datatype, language)


# ------------------------------------------------------------------ pyoxigraph

_NAMED, _LITERAL, _BLANK = ox.NamedNode, ox.Literal, ox.BlankNode


def from_ox(t) -> tuple | None:
    """A pyoxigraph term as a term tuple (None stays None: an unbound value). Classes are compared by identity:
    this runs for every value of every row, and is twice as fast as a chain of isinstance."""
    cls = t.__class__
    if cls is _NAMED:
        return ("uri", t.value, None, None)
    if cls is _LITERAL:
        language = t.language
        return ("literal", t.value, None if language else t.datatype.value, language)
    if t is None:
        return None
    if cls is _BLANK:
        return ("bnode", t.value, None, None)
    return ("literal", str(t), None, None)  # a quoted triple (RDF-star), as text


def to_ox(term: tuple):
    """A term tuple as a pyoxigraph term; a literal with neither datatype nor language is an xsd:string."""
    kind, value, datatype, language = term
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype or XSD_STRING))


# ------------------------------------------------------------------ rdflib

def to_rdflib(term: tuple):
    """A term tuple as an rdflib term; an xsd:string literal without a datatype, as rdflib parses "text"."""
    kind, value, datatype, language = term
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if language:
        return Literal(value, lang=language)
    return Literal(value, datatype=None if datatype in (None, XSD_STRING) else URIRef(datatype))


def from_rdflib(t) -> tuple | None:
    """An rdflib term as a term tuple, the same as from_ox gives for the same term from pyoxigraph."""
    if t is None:
        return None
    if isinstance(t, URIRef):
        return ("uri", str(t), None, None)
    if isinstance(t, BNode):
        return ("bnode", str(t), None, None)
    if t.language:
        return ("literal", str(t), None, t.language)
    return ("literal", str(t), str(t.datatype or XSD_STRING), None)


def rdflib_to_ox(term):
    """An rdflib term as a pyoxigraph term (a plain literal is an xsd:string, as in RDF 1.1)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD_STRING)))


def ox_to_rdflib(term):
    """A pyoxigraph term as an rdflib term. An xsd:string (or rdf:langString without a tag, which no parser
    gives) has no datatype, as rdflib parses "text"; a quoted triple (RDF-star) is a ValueError."""
    cls = term.__class__
    if cls is _NAMED:
        return URIRef(term.value)
    if cls is _BLANK:
        return BNode(term.value)
    if cls is not _LITERAL:
        raise ValueError("quoted triples (RDF-star) are not supported")
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    with warnings.catch_warnings():  # rdflib warns about (and logs) lexical forms it cannot read; data checks report them
        warnings.simplefilter("ignore")
        return Literal(term.value, datatype=None if datatype in (XSD_STRING, RDF_LANG_STRING) else URIRef(datatype))


# ------------------------------------------------------------------ text

def from_json(t: dict | None) -> tuple | None:
    """A term of SPARQL 1.1 Query Results JSON; language tags in lower case, as pyoxigraph gives them."""
    if t is None:
        return None
    kind = t["type"]
    if kind == "uri":
        return ("uri", t["value"], None, None)
    if kind == "bnode":
        return ("bnode", t["value"], None, None)
    language = t.get("xml:lang")
    if language:
        return ("literal", t["value"], None, language.lower())
    return ("literal", t["value"], t.get("datatype") or XSD_STRING, None)


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANGUAGE = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")


def to_sparql(term: tuple) -> str:
    """A term as SPARQL (and N-Triples) text, escaped: never raw input. A blank node, an IRI with a character no
    IRI may hold or a malformed language tag is a ValueError."""
    kind, value, datatype, language = term
    if kind == "uri":
        if _IRI_FORBIDDEN.search(value):
            raise ValueError(f"not a valid IRI: {value!r}")
        return f"<{value}>"
    if kind != "literal":
        raise ValueError(f"cannot bind a {kind} here: a parameter is an IRI or a literal")
    text = '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + '"'
    if language:
        if not _LANGUAGE.fullmatch(language):
            raise ValueError(f"not a valid language tag: {language!r}")
        return f"{text}@{language}"
    if datatype and datatype != XSD_STRING:
        return f"{text}^^{to_sparql(('uri', datatype, None, None))}"
    return text
