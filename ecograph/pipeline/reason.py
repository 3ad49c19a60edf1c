"""OWL-RL reasoning. The closure goes into graphs of its own, so asserted and inferred triples can always
be told apart: `inferred` holds what follows from the ontology and the stated facts; `inferred-interpreted`
holds what follows only once the interpretations are added.

Two reasoners compute the same closure: `reasonable` (compiled, the default: about 20 times faster) and
owlrl (pure Python, the reference). tests/pipeline/test_reason.py shows they agree triple for triple on the seed."""

from __future__ import annotations

import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS

from ecograph.errors import UsageError
from ecograph.namespaces import BASE, bind_all
from ecograph.pipeline import no_cycle_collection
from ecograph.pipeline.load import Sources
from ecograph.rdf.serialize import Quads, quads, rdflib_graph

# Triples that the OWL-RL rules add to every graph and that tell a user nothing about the ecosystem.
_TRIVIAL_PREDICATES = {OWL.sameAs}
_TRIVIAL_OBJECTS = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
_REFLEXIVE = (RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf, OWL.equivalentProperty)


class Inferences:
    """What reason() returns: the two inferred graphs, `stated` and `interpreted`, as rdflib Graphs (made on first
    use from the Quads that publish writes; see parsed())."""

    def __init__(self, stated: Graph | Quads, interpreted: Graph | Quads):
        self._held: dict[str, Graph | Quads] = {"stated": stated, "interpreted": interpreted}

    def parsed(self, name: str) -> Graph | Quads:
        """The inferred graph name ("stated" or "interpreted") as held: Quads, or the rdflib Graph once made."""
        return self._held[name]

    def _graph(self, name: str) -> Graph:
        held = self._held[name]
        if isinstance(held, Quads):
            names = Graph()
            bind_all(names)
            held = self._held[name] = rdflib_graph(held, names)
        return held

    @property
    def stated(self) -> Graph:
        return self._graph("stated")

    @property
    def interpreted(self) -> Graph:
        return self._graph("interpreted")


REASONERS = ("reasonable", "owlrl")


def _structural(graphs) -> list[tuple]:
    """The triples of graphs without a literal object."""
    return [t for graph in graphs for t in graph if not isinstance(t[2], Literal)]


def _owlrl_closure(triples: list[tuple]) -> set[tuple]:
    """OWL-RL closure of structural triples (no literal objects: see reason), as a set of triples."""
    import owlrl

    g = Graph()
    for t in triples:
        g.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)
    return set(g)


def _useful(triple) -> bool:
    s, p, o = triple
    if isinstance(s, (Literal, BNode)) or isinstance(o, BNode):
        return False
    if p in _TRIVIAL_PREDICATES or (p in (RDF.type, RDFS.subClassOf) and o in _TRIVIAL_OBJECTS):
        return False
    if p in _REFLEXIVE and s == o:
        return False
    # Keep only what is about our resources (schema-level facts about other vocabularies are noise here).
    return str(s).startswith(BASE)


def _graph(triples) -> Graph:
    g = Graph()
    bind_all(g)
    for t in triples:
        g.add(t)
    return g


def _reason_owlrl(sources: Sources) -> Inferences:
    ontology, stated, interpreted = (_structural([g]) for g in (sources.ontology, sources.stated, sources.interpreted))
    closure_stated = _owlrl_closure(ontology + stated)
    inferred = {t for t in closure_stated.difference(ontology, stated) if _useful(t)}
    closure_all = _owlrl_closure(ontology + stated + interpreted)
    inferred_interpreted = {t for t in closure_all.difference(closure_stated, interpreted) if _useful(t)}
    return Inferences(stated=_graph(inferred), interpreted=_graph(inferred_interpreted))


# reason() on plain strings: the same filter as _useful, for triples of IRIs.
_SAME_AS = str(OWL.sameAs)
_TYPING = {str(RDF.type), str(RDFS.subClassOf)}
_TRIVIAL = {str(o) for o in _TRIVIAL_OBJECTS}
_REFLEXIVE_KEYS = {str(p) for p in _REFLEXIVE}


def _useful_keys(closure) -> set[tuple[str, str, str]]:
    """The triples of closure (see _plain) that _useful keeps."""
    bnode = BNode
    return {(s, p, o) for s, p, o in closure if type(o) is not bnode and type(s) is not bnode and s.startswith(BASE)
            and p != _SAME_AS and not (p in _TYPING and o in _TRIVIAL) and not (s == o and p in _REFLEXIVE_KEYS)}


def _plain(closure: list[tuple]) -> list[tuple]:
    """reasonable's closure with IRIs as plain strings and blank nodes as BNodes: as it gives them under
    _iris_as_strings (converted here should it make rdflib URIRefs all the same)."""
    if not closure or type(closure[0][1]) is str:
        return closure
    return [tuple(t if type(t) is BNode else str(t) for t in triple) for triple in closure]


_PATCH = threading.Lock()


@contextmanager
def _iris_as_strings():
    """While it runs, reasonable's results come back with plain strings for IRIs. reasonable makes each term of its
    results by calling rdflib.URIRef, whose checks were most of the time of reasoning at a million triples (five
    million IRIs for two closures); only strings are compared here. rdflib.URIRef is str meanwhile: no code of
    ecograph calls rdflib.URIRef by that name (modules bind URIRef at import). Blank nodes stay BNodes."""
    import rdflib

    with _PATCH:
        original = rdflib.URIRef
        rdflib.URIRef = str
        try:
            yield
        finally:
            rdflib.URIRef = original


def _split(triples: Quads) -> tuple[list[ox.Quad], set[tuple[str, str, str]]]:
    """The triples without a literal object (what reasonable reads), and, as tuples of strings (what
    _useful_keys gives), those of IRIs only, in one pass."""
    structural, keys = [], set()
    literal, iri = ox.Literal, ox.NamedNode
    for q in triples:
        o = q.object
        if type(o) is literal:
            continue
        structural.append(q)
        s = q.subject
        if type(s) is iri and type(o) is iri:
            keys.add((s.value, q.predicate.value, o.value))
    return structural, keys


def _quads(keys: set[tuple[str, str, str]]) -> Quads:
    """Triples of IRIs given as tuples of strings, as Quads in the order the dumps write them."""
    nodes = {value: ox.NamedNode(value) for value in {value for key in keys for value in key}}
    ordered = Quads(sorted((ox.Quad(nodes[s], nodes[p], nodes[o]) for s, p, o in keys), key=str))
    ordered.in_order = True
    return ordered


def _reason_reasonable(sources: Sources) -> Inferences:
    """The same as _reason_owlrl, with one run of reasonable: the closure of ontology + stated, then, by
    reasonable's incremental materialisation, the closure with the interpretations added (the same triples as a
    run from scratch: tests/pipeline/test_reason.py). The structural triples reach reasonable as Turtle files, which it
    reads itself: handing it a million rdflib tuples cost more than the reasoning."""
    import reasonable

    (ontology, ontology_keys), (stated, stated_keys), (interpreted, interpreted_keys) = (
        _split(quads(graph)) for graph in (sources.ontology, sources.parsed("stated"), sources.parsed("interpreted")))
    engine = reasonable.PyReasoner()
    with tempfile.TemporaryDirectory(prefix="ecograph-reason-") as folder:
        def closure(triples: list[ox.Quad], name: str) -> list[tuple]:
            """Add triples and reason. reasonable reads Turtle faster than N-Triples (a third less text)."""
            path = Path(folder) / f"{name}.ttl"
            ox.serialize(triples, path, format=ox.RdfFormat.TURTLE)
            engine.load_file(str(path))
            with _iris_as_strings():
                return _plain(engine.reason())

        closure_stated = set(closure(ontology + stated, "stated"))
        inferred = _useful_keys(closure_stated.difference(ontology_keys, stated_keys))
        # what the interpretations add to the closure (reasonable gives the whole closure again)
        added = [t for t in closure(interpreted, "interpreted") if t not in closure_stated]
    inferred_interpreted = _useful_keys(added) - interpreted_keys
    return Inferences(stated=_quads(inferred), interpreted=_quads(inferred_interpreted))


def reason(sources: Sources, reasoner: str = "reasonable") -> Inferences:
    """Compute the OWL-RL closure of ontology + stated data, then of ontology + all data, and keep only the new
    triples. reasoner: 'reasonable' (compiled, default) or 'owlrl' (the pure-Python reference).

    Triples with a literal object (labels, definitions, figures, text as written) are left out of the input: the
    ontology puts no axioms on datatype properties (no domain, range, keys or functional datatype properties), so
    they take part in no rule, and leaving them out makes the closure about three times faster."""
    if reasoner == "owlrl":
        return _reason_owlrl(sources)
    if reasoner != "reasonable":
        raise UsageError(f"unknown reasoner '{reasoner}'", f"Use one of {', '.join(REASONERS)}.")
    with no_cycle_collection():
        return _reason_reasonable(sources)
