"""The store the oxigraph validator (shacl.py) works on: the data and the ontology's axioms, in memory."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from ecograph.errors import UsageError
from ecograph.rdf.serialize import Quads

_PLAIN = {str(XSD.string), str(RDF.langString)}


def ontology_axioms(ontology: Graph) -> list[tuple]:
    """The part of the ontology that validation sees, as pyshacl mixes an ont_graph into the data: triples whose
    predicate is an RDFS or OWL term (labels, rdfs:subClassOf, …), rdf:type triples whose class is an RDFS or OWL
    term, all about owl:NamedIndividuals, and the blank nodes these reach. An individual that the ontology types
    with a domain class (the project's foaf:Organization) is not data, and is not a focus node."""
    vocabularies = (str(RDFS), str(OWL))
    axioms: dict = {}  # ordered, without repeats

    def add(triple) -> None:
        if triple not in axioms:
            axioms[triple] = None
            for node in (triple[0], triple[2]):
                if isinstance(node, BNode):
                    for p, o in ontology.predicate_objects(node):
                        add((node, p, o))

    individuals = set(ontology.subjects(RDF.type, OWL.NamedIndividual))
    for s, p, o in ontology:
        if str(p).startswith(vocabularies) or (p == RDF.type and str(o).startswith(vocabularies)) or s in individuals or o in individuals:
            add((s, p, o))
    return list(axioms)


def _by_subject(graph: Graph | list):
    """(subject, predicate, objects) of a graph or a list of triples. rdflib's in-memory store keeps a subject
    index: walking it converts each subject and predicate once and is several times faster than iterating the
    graph. It is used only when the store holds this graph's triples and no others (then both count the same)."""
    index = getattr(getattr(graph, "store", None), "_Memory__spo", None)
    if index is not None and type(graph) is Graph and len(graph.store) == len(graph):
        for s, po in index.items():
            for p, objects in po.items():
                yield s, p, objects
    else:
        for s, p, o in graph:
            yield s, p, (o,)


@dataclass
class Loaded:
    """What the oxigraph validator reads: the store, and how to see its literals as the data writes them.

    Oxigraph keeps numbers, booleans and dates as values: "007"^^xsd:integer comes back as "7", "1"^^xsd:int as
    "1"^^xsd:integer, and "2"^^xsd:int beside "2"^^xsd:integer become one triple. SHACL judges terms as written
    (sh:datatype, sh:in, counts…), so every triple whose literal the store changes or merges is listed in
    overrides with the literals as written; written maps a canonical literal back where one form alone maps to it."""

    store: ox.Store
    written: dict  # canonical literal -> the one literal as written that the store turned into it
    literals: dict  # typed literal of rdflib data -> its rdflib literal (value and ill-formedness already read)
    overrides: dict = field(default_factory=dict)  # (subject, predicate, canonical literal) -> [literals as written]
    rewritten: set = field(default_factory=set)  # predicates (IRIs as str) of the triples whose literal changed datatype or merged
    relexed: set = field(default_factory=set)  # predicates of the others: one literal, same datatype, canonical lexical form
    inputs: list = field(default_factory=list)  # the graphs as given (Graph, Quads or lists of rdflib triples)


def load_store(graphs: list[Graph | Quads | list]) -> Loaded:
    """An in-memory store holding the triples of graphs (Quads, or lists of rdflib triples), with the maps that
    give its typed literals back as written (Loaded)."""
    named: dict = {}
    typed: dict = {}
    written: dict = {}  # the typed literals of Quads
    with_literal: list = []  # (subject, predicate, literal) of every triple with a typed, non-string literal

    def iri(term):  # IRIs repeat (subjects, classes, datatypes): make each NamedNode once
        node = named.get(term)
        if node is None:
            node = named[term] = ox.NamedNode(term)
        return node

    def term_of(term):
        kind = type(term)
        if kind is URIRef:
            return iri(term)
        if kind is BNode:
            return ox.BlankNode(term)
        if term.language:
            literal = ox.Literal(term, language=term.language)
            if term.language != literal.language:  # pyoxigraph writes tags in lower case: the report shows the data's
                typed.setdefault(term, literal)
            return literal
        datatype = term.datatype
        if datatype is None or datatype == XSD.string:
            return ox.Literal(term)
        literal = typed.get(term)
        if literal is None:
            literal = typed[term] = ox.Literal(term, datatype=iri(datatype))
        return literal

    def quads():
        literal = ox.Literal
        for graph in graphs:
            if isinstance(graph, Quads):
                for q in graph:
                    o = q.object
                    if type(o) is literal and o.datatype.value not in _PLAIN:
                        written[o] = None
                        with_literal.append((q.subject, q.predicate, o))
                    yield q
                continue
            for s, p, objects in _by_subject(graph):
                subject, predicate = term_of(s), iri(p)
                for o in objects:
                    obj = term_of(o)
                    if type(o) is not URIRef and type(o) is not BNode and obj.datatype.value not in _PLAIN:
                        with_literal.append((subject, predicate, obj))
                    yield ox.Quad(subject, predicate, obj)

    store = ox.Store()
    try:
        store.bulk_extend(quads())
    except ValueError as exc:  # pyoxigraph refuses terms that rdflib let through (an IRI with a space, …)
        raise UsageError(f"the data cannot be loaded into oxigraph for validation: {exc}", "Fix the term, or set validator = \"pyshacl\".") from exc
    canonical = _canonical(list(dict.fromkeys([*typed.values(), *written])))
    forms: dict = defaultdict(set)  # canonical literal -> the literals as written that the store keeps as it
    for original, stored in canonical.items():
        forms[stored].add(original)
    unsure = {lit for stored, originals in forms.items() if originals != {stored} for lit in (*originals, stored)}
    overrides: dict = defaultdict(list)
    for s, p, o in with_literal:
        if o in unsure:
            kept = overrides[(s, p, canonical.get(o, o))]
            if o not in kept:
                kept.append(o)
    single = {stored: next(iter(originals)) for stored, originals in forms.items() if len(originals) == 1 and originals != {stored}}
    hard = {p.value for (s, p, o), kept in overrides.items() if len(kept) > 1 or any(k.datatype != o.datatype for k in kept)}
    soft = {p.value for (s, p, o), kept in overrides.items() if kept != [o]} - hard
    return Loaded(store, single, {literal: term for term, literal in typed.items()}, dict(overrides), hard, soft, list(graphs))


def _canonical(literals: list) -> dict:
    """literal as written -> the literal the store keeps for it, for the literals whose form the store changes (a
    scratch store tells which: what goes in as subject i comes out as the canonical form of literals[i])."""
    scratch, p = ox.Store(), ox.NamedNode("urn:x:p")
    scratch.bulk_extend(ox.Quad(ox.NamedNode(f"urn:x:{i}"), p, lit) for i, lit in enumerate(literals))
    changed = {}
    for quad in scratch.quads_for_pattern(None, None, None):
        original = literals[int(quad.subject.value[6:])]
        if quad.object != original:
            changed[original] = quad.object
    return changed
