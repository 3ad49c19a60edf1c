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


def _structural(graphs) -> list[tuple]:
    """The triples of graphs without a literal object."""
    return [t for graph in graphs for t in graph if not isinstance(t[2], Literal)]


def _closure(triples: list[tuple], reasoner: str = "reasonable") -> set[tuple]:
    """OWL-RL closure of structural triples (no literal objects: see _structural), as a set of triples.

    Triples with a literal object (labels, definitions, figures, text as written) are left out of the
    input: the ontology puts no axioms on datatype properties (no domain, range, keys or functional
    datatype properties), so they take part in no rule, and leaving them out makes the closure about
    three times faster. Plain Python sets, not rdflib graphs, carry the triples: at a million triples
    copying graphs cost far more than reasoning."""
    if reasoner == "owlrl":
        import owlrl

        g = Graph()
        for t in triples:
            g.add(t)
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)
        return set(g)
    if reasoner != "reasonable":
        raise UsageError(f"unknown reasoner '{reasoner}'", f"Use one of {', '.join(REASONERS)}.")
    import reasonable

    engine = reasonable.PyReasoner()
    engine.from_graph(triples)
    return set(triples).union(engine.reason())


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


def _graph(triples) -> Graph:
    g = Graph()
    bind_all(g)
    for t in triples:
        g.add(t)
    return g


def reason(sources: Sources, reasoner: str = "reasonable") -> Inferences:
    """Compute the OWL-RL closure of ontology + stated data, then of ontology + all data, and keep only the new
    triples. reasoner: 'reasonable' (compiled, default) or 'owlrl' (the pure-Python reference)."""
    ontology, stated, interpreted = (_structural([g]) for g in (sources.ontology, sources.stated, sources.interpreted))
    closure_stated = _closure(ontology + stated, reasoner)
    inferred = {t for t in closure_stated.difference(ontology, stated) if _useful(t)}
    closure_all = _closure(ontology + stated + interpreted, reasoner)
    inferred_interpreted = {t for t in closure_all.difference(closure_stated, interpreted) if _useful(t)}
    return Inferences(stated=_graph(inferred), interpreted=_graph(inferred_interpreted))
