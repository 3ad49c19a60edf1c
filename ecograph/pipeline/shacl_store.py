"""The store the oxigraph validator (shacl.py) works on: the data and the ontology's axioms, in memory."""

from __future__ import annotations

from operator import attrgetter

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from ecograph.errors import UsageError
from ecograph.serialize import Quads

_OBJECT = attrgetter("object")
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


def load_store(graphs: list[Graph | Quads | list]) -> tuple[ox.Store, dict, dict]:
    """An in-memory store holding the triples of graphs (Quads, or lists of rdflib triples), and two maps of its
    typed literals.

    Oxigraph keeps numbers, booleans and dates as values and gives back their canonical form ("-1" for
    "-1.0"^^xsd:decimal); results must show the data as written, so the second item maps each such canonical
    literal back to the literal of the data. The third maps each typed literal of rdflib data to its rdflib
    literal, whose value (or ill-formedness) rdflib has already read (the validator reads those of Quads itself)."""
    named: dict = {}
    typed: dict = {}
    written: dict = {}  # the typed literals of Quads

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
            return ox.Literal(term, language=term.language)
        datatype = term.datatype
        if datatype is None or datatype == XSD.string:
            return ox.Literal(term)
        literal = typed.get(term)
        if literal is None:
            literal = typed[term] = ox.Literal(term, datatype=iri(datatype))
        return literal

    def quads():
        for graph in graphs:
            if isinstance(graph, Quads):
                written.update(dict.fromkeys(o for o in set(map(_OBJECT, graph)) if isinstance(o, ox.Literal) and o.datatype.value not in _PLAIN))
                yield from graph
                continue
            for s, p, objects in _by_subject(graph):
                subject, predicate = term_of(s), iri(p)
                for o in objects:
                    yield ox.Quad(subject, predicate, term_of(o))

    store = ox.Store()
    try:
        store.bulk_extend(quads())
    except ValueError as exc:  # pyoxigraph refuses terms that rdflib let through (an IRI with a space, …)
        raise UsageError(f"the data cannot be loaded into oxigraph for validation: {exc}", "Fix the term, or set validator = \"pyshacl\".") from exc
    return store, _as_written(list(dict.fromkeys([*typed.values(), *written]))), {literal: term for term, literal in typed.items()}


def _as_written(literals: list) -> dict:
    """canonical literal -> literal as written, for the literals whose form the store changes (a scratch store
    tells which: what goes in as subject i comes out as the canonical form of literals[i])."""
    scratch, p = ox.Store(), ox.NamedNode("urn:x:p")
    scratch.bulk_extend(ox.Quad(ox.NamedNode(f"urn:x:{i}"), p, lit) for i, lit in enumerate(literals))
    written = {}
    for quad in scratch.quads_for_pattern(None, None, None):
        original = literals[int(quad.subject.value[6:])]
        if quad.object.value != original.value:
            written[quad.object] = original
    return written
