"""OWL-RL reasoning. The closure goes into graphs of its own, so asserted and inferred triples can always
be told apart: `inferred` holds what follows from the ontology and the stated facts; `inferred-interpreted`
holds what follows only once the interpretations are added.

Two reasoners compute the same closure: `reasonable` (compiled, the default: about 20 times faster) and
owlrl (pure Python, the reference). tests/test_reason.py shows they agree triple for triple on the seed."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS

from ecograph.errors import UsageError
from ecograph.namespaces import BASE, bind_all
from ecograph.pipeline.load import Sources
from ecograph.serialize import Quads, quads, rdflib_graph

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


def _useful_keys(closure: list[tuple]) -> set[tuple[str, str, str]]:
    """The triples of closure (rdflib terms, as reasonable gives them) that _useful keeps, as tuples of strings."""
    kept = set()
    for s, p, o in closure:
        if isinstance(o, BNode) or isinstance(s, BNode):
            continue
        s, p, o = str(s), str(p), str(o)
        if not s.startswith(BASE) or p == _SAME_AS or (p in _TYPING and o in _TRIVIAL) or (s == o and p in _REFLEXIVE_KEYS):
            continue
        kept.add((s, p, o))
    return kept


def _keys(triples: Quads) -> set[tuple[str, str, str]]:
    """The triples of IRIs of triples, as tuples of strings (what _useful_keys compares them with)."""
    iri = ox.NamedNode
    return {(q.subject.value, q.predicate.value, q.object.value) for q in triples
            if type(q.subject) is iri and type(q.object) is iri}


def _quads(keys: set[tuple[str, str, str]]) -> Quads:
    made: dict[str, ox.NamedNode] = {}

    def iri(value: str) -> ox.NamedNode:
        node = made.get(value)
        if node is None:
            node = made[value] = ox.NamedNode(value)
        return node

    return Quads(ox.Quad(iri(s), iri(p), iri(o)) for s, p, o in sorted(keys))


def _reason_reasonable(sources: Sources) -> Inferences:
    """The same as _reason_owlrl, with one run of reasonable: the closure of ontology + stated, then, by
    reasonable's incremental materialisation, the closure with the interpretations added (the same triples as a
    run from scratch: tests/test_reason.py). The structural triples reach reasonable as N-Triples files, which it
    reads itself: handing it a million rdflib tuples cost more than the reasoning."""
    import reasonable

    ontology = quads(_structural([sources.ontology]))
    stated, interpreted = ([q for q in quads(sources.parsed(name)) if not isinstance(q.object, ox.Literal)]
                           for name in ("stated", "interpreted"))
    engine = reasonable.PyReasoner()
    with tempfile.TemporaryDirectory(prefix="ecograph-reason-") as folder:
        def load(triples: list[ox.Quad], name: str) -> None:
            path = Path(folder) / f"{name}.n3"  # reasonable reads a .n3 file as N-Triples
            ox.serialize(triples, path, format=ox.RdfFormat.N_TRIPLES)
            engine.load_file(str(path))

        load(ontology + stated, "stated")
        closure_stated = _useful_keys(engine.reason())
        load(interpreted, "interpreted")
        closure_all = _useful_keys(engine.reason())
    inferred = closure_stated - _keys(ontology) - _keys(Quads(stated))
    inferred_interpreted = closure_all - closure_stated - _keys(Quads(interpreted))
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
    return _reason_reasonable(sources)
