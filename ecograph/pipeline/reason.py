"""OWL-RL reasoning. The closure goes into graphs of its own, so asserted and inferred triples can always
be told apart: `inferred` holds what follows from the ontology and the stated facts; `inferred-interpreted`
holds what follows only once the interpretations are added.

Two reasoners compute the same closure: `reasonable` (compiled, the default: about 20 times faster) and
owlrl (pure Python, the reference). tests/test_reason.py shows they agree triple for triple on the seed."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS

from ecograph.errors import UsageError
from ecograph.namespaces import BASE, bind_all
from ecograph.pipeline.load import Sources

# Triples that the OWL-RL rules add to every graph and that tell a user nothing about the ecosystem.
_TRIVIAL_PREDICATES = {OWL.sameAs}
_TRIVIAL_OBJECTS = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}


@dataclass
class Inferences:
    """What reason() returns: the two inferred graphs."""

    stated: Graph
    interpreted: Graph


REASONERS = ("reasonable", "owlrl")


def _structural(graphs: tuple[Graph, ...]) -> Graph:
    g = Graph()
    for graph in graphs:
        for t in graph:
            if not isinstance(t[2], Literal):
                g.add(t)
    return g


def _closure(*graphs: Graph, reasoner: str = "reasonable") -> Graph:
    """OWL-RL closure of the structural triples of graphs.

    Triples with a literal object (labels, definitions, figures, text as written) are left out of the
    input: the ontology puts no axioms on datatype properties (no domain, range, keys or functional
    datatype properties), so they take part in no rule, and leaving them out makes the closure about
    three times faster."""
    g = _structural(graphs)
    if reasoner == "owlrl":
        import owlrl

        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)
        return g
    if reasoner != "reasonable":
        raise UsageError(f"unknown reasoner '{reasoner}'", f"Use one of {', '.join(REASONERS)}.")
    import reasonable

    engine = reasonable.PyReasoner()
    engine.from_graph(g)
    for t in engine.reason():
        g.add(t)
    return g


def _useful(triple) -> bool:
    s, p, o = triple
    if isinstance(s, (Literal, BNode)) or isinstance(o, BNode):
        return False
    if p in _TRIVIAL_PREDICATES or (p in (RDF.type, RDFS.subClassOf) and o in _TRIVIAL_OBJECTS):
        return False
    if p in (RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf, OWL.equivalentProperty) and s == o:
        return False
    # Keep only what is about our resources (schema-level facts about other vocabularies are noise here).
    return str(s).startswith(BASE)


def reason(sources: Sources, reasoner: str = "reasonable") -> Inferences:
    """Compute the OWL-RL closure of ontology + stated data, then of ontology + all data, and keep only the new
    triples. reasoner: 'reasonable' (compiled, default) or 'owlrl' (the pure-Python reference)."""
    asserted_stated = sources.ontology + sources.stated
    closure_stated = _closure(sources.ontology, sources.stated, reasoner=reasoner)
    inferred = Graph()
    bind_all(inferred)
    for t in closure_stated:
        if t not in asserted_stated and _useful(t):
            inferred.add(t)
    closure_all = _closure(sources.ontology, sources.stated, sources.interpreted, reasoner=reasoner)
    inferred_interpreted = Graph()
    bind_all(inferred_interpreted)
    for t in closure_all:
        if t not in closure_stated and t not in sources.interpreted and _useful(t):
            inferred_interpreted.add(t)
    return Inferences(stated=inferred, interpreted=inferred_interpreted)
