"""A SHACL validator on pyoxigraph that scales: the engine of `validator = "oxigraph"`, and of "auto" where it
handles the shapes.

The data and the ontology's axioms (for the class hierarchy, as pyshacl mixes in its ont_graph) go into one
in-memory Store, and the work is set-based: the focus nodes of a target, the values of a predicate and the
instances of a class are each read once for the whole store (from its predicate index), every SHACL path is
evaluated over those maps, and the constraints are checked in Python over those sets (components.py). Values are
the terms as the data wrote them: the store's canonical literals are mapped back (shacl_store.Loaded). A SPARQL
constraint runs once over the whole store when that gives the same rows as pre-binding $this
(prebinding.needs_prebinding), and once per focus node with $this pre-bound otherwise; one that could see a
literal the store rewrote runs on rdflib. Custom constraint components run their ASK or SELECT validators.

It reads SHACL Core and SHACL-SPARQL but for sh:target, $shapesGraph and $currentShape, which raise
UnsupportedShapes (never a silent skip). pyshacl is the reference: tests/shacl/test_validator_agreement.py,
tests/shacl/test_validator_differential.py and the W3C suite (tests/shacl/test_w3c_shacl.py) keep the two in agreement."""

from __future__ import annotations

import copy
import functools
import re
from collections import Counter, defaultdict

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import SPARQLError

from ecograph.pipeline import no_cycle_collection
from ecograph.rdf.serialize import Quads, rdflib_graph
from ecograph.rdf.terms import ox_to_rdflib, rdflib_to_ox
from ecograph.shacl import report as shacl_report
from ecograph.shacl import store as shacl_store
from ecograph.shacl.components import CHECKS, Hit
from ecograph.shacl.errors import ShapesError, UnsupportedShapes
from ecograph.shacl.prebinding import prebound_text, predicates_of
from ecograph.shacl.shapes import ComponentUse, Path, Shape, Shapes, SparqlConstraint


def validate_graphs(data: list[Graph | Quads], ontology: Graph, shapes_graph: Graph) -> tuple[bool, Graph, list[str]]:
    """Validate the data graphs (rdflib Graphs or Quads), with the ontology's axioms mixed in, against shapes_graph:
    (conforms, report graph, notes on how it was done that a steward should read). As SHACL defines it (§3.6.2), the
    data conform when there is no result at all, of any severity."""
    shapes = Shapes(shapes_graph)
    with no_cycle_collection():
        engine = Engine(shacl_store.load_store([*data, shacl_store.ontology_axioms(ontology)]), shapes)
        hits = engine.run()
    conforms = not hits
    return conforms, shacl_report.report_graph(hits, shapes, conforms, engine.rdflib_term), engine.notes


class Engine:
    """Validates the store against the shapes; run() returns the top-level results."""

    def __init__(self, loaded: shacl_store.Loaded, shapes: Shapes):
        self.store, self.shapes = loaded.store, shapes
        self.written = loaded.written  # canonical literal -> as written, where only one form maps to it
        self.overrides = loaded.overrides  # (subject, predicate, canonical literal) -> the literals as written
        self.rewritten = loaded.rewritten  # the predicates whose literals the store rewrites (datatype, or merged)
        self.relexed = loaded.relexed  # those whose literals it writes in canonical form only
        self._literals = loaded.literals  # typed literal -> the data's rdflib literal
        self.inputs = loaded.inputs  # the graphs as given, for the few queries rdflib runs (rdflib_rows)
        self._graph: Graph | None = None
        self.notes: list[str] = []
        self._paths: dict[str, dict] = {}
        self._instances: dict[str, set] = {}
        self._nested: dict = defaultdict(dict)  # shape -> node -> the results of node against shape
        self._active: list[Shape] = []

    def run(self) -> list[Hit]:
        hits: list[Hit] = []
        for shape in self.shapes.targeted:
            hits += self.validate(shape, self.focus_nodes(shape))
        return hits

    def select(self, query: str, this=None) -> list[dict]:
        """The rows of a SELECT as {variable: term}, unbound variables left out."""
        subs = {ox.Variable("this"): this} if this is not None else None
        try:
            solutions = self.store.query(query, substitutions=subs)
        except SyntaxError as exc:
            raise ShapesError(f"a SPARQL query of the shapes does not parse: {exc}\n{query}") from exc
        names = [v.value for v in solutions.variables]
        return [{n: self.as_written(t) for n, t in zip(names, row) if t is not None} for row in solutions]

    def prebound(self, constraint: SparqlConstraint, focus) -> list[dict]:
        """The rows of a SPARQL constraint with $this pre-bound to focus (SHACL §5.2.1): by pyoxigraph's substitutions
        where they reach every $this, else by writing the focus node into the query (impossible for a blank node)."""
        if constraint.substitutable:
            return self.select(constraint.query, this=focus)
        if isinstance(focus, ox.BlankNode):
            raise UnsupportedShapes(f"the SPARQL constraint {constraint.node} uses $this in a nested group or BIND, and a focus node "
                                    "is a blank node, which the oxigraph validator cannot pre-bind there",
                                    "The default validator = \"auto\" hands such shapes to pyshacl.")
        return self.select(prebound_text(constraint.query, str(focus)))

    def sees_rewritten(self, constraint: SparqlConstraint | ComponentUse) -> bool:
        """Whether the query may read a literal that the store keeps in another form than the data wrote: one whose
        datatype changed ("1"^^xsd:int is kept as "1"^^xsd:integer), that merged with another, or that is kept in
        canonical form ("02" as "2", which then joins with a "2" the data wrote elsewhere)."""
        changed = self.rewritten | self.relexed
        if not changed:
            return False
        named = predicates_of(constraint.query)
        return named is None or bool(named & changed)

    def rdflib_rows(self, constraint: SparqlConstraint, focus: list) -> list[tuple]:
        """(focus node, row) of a SPARQL constraint run by rdflib on the data as written, for the queries that would see
        rewritten literals in the store: once for all focus nodes, or once per focus node with $this pre-bound
        (initBindings, as pyshacl does) where the query needs it (SparqlConstraint.per_focus)."""
        if self._graph is None:
            self._graph = Graph()
            for part in self.inputs:
                for triple in (rdflib_graph(part) if isinstance(part, Quads) else part):
                    self._graph.add(triple)
        query = _rdflib_query(constraint.query)

        def run(**bindings) -> list[dict]:
            result = self._graph.query(query, initBindings=bindings)
            return [{str(k): rdflib_to_ox(v) for k, v in row.asdict().items() if v is not None} for row in result]
        if constraint.per_focus:
            return [(f, row) for f in focus for row in run(this=ox_to_rdflib(f))]
        wanted = set(focus)  # once for all focus nodes where that gives the same rows (rdflib's initBindings lose rows of
        return [(row["this"], row) for row in run() if row.get("this") in wanted]  # a grouped sub-SELECT: W3C-style fixture)

    def quads(self, predicate: str, obj=None):
        """The triples of the store with this predicate (and object), from its index: several times faster than
        reading the same pairs from a SPARQL result."""
        return self.store.quads_for_pattern(None, ox.NamedNode(predicate), obj, ox.DefaultGraph())

    def focus_nodes(self, shape: Shape) -> list:
        """The focus nodes of a shape's targets (SHACL 2.1.3)."""
        nodes = dict.fromkeys(rdflib_to_ox(n) for n in shape.target_nodes)
        for predicate in shape.target_subjects_of:
            nodes.update(dict.fromkeys(quad.subject for quad in self.quads(str(predicate))))
        for predicate in shape.target_objects_of:
            nodes.update(dict.fromkeys(self.predicate_values(str(predicate), inverse=True)))
        for cls in shape.target_classes:
            nodes.update(dict.fromkeys(self.instances(cls)))
        return list(nodes)

    def predicate_values(self, predicate: str, inverse: bool = False) -> dict:
        """Node -> its values of predicate (or of its inverse), every term as the data writes it: one index scan."""
        key = ("^" if inverse else "") + predicate
        if key not in self._paths:
            values: dict = defaultdict(list)
            expand, literal = self.overrides, ox.Literal
            p = ox.NamedNode(predicate)
            for q in self.quads(predicate):
                s, o = q.subject, q.object
                objects = expand.get((s, p, o), (o,)) if type(o) is literal else (o,)
                for o in objects:
                    if inverse:
                        values[o].append(s)
                    else:
                        values[s].append(o)
            self._paths[key] = values
        return self._paths[key]

    def path_values(self, path: Path, nodes) -> dict:
        """node -> its value nodes along path (distinct, in order), for each of nodes (SHACL §2.3.1)."""
        if path.predicate is not None:
            by_node = self.predicate_values(path.predicate, path.inverse)
            return {n: by_node.get(n, ()) for n in nodes}
        if path.kind == "sequence":
            reached = {n: [n] for n in nodes}
            for step in path.steps:
                frontier = list(dict.fromkeys(v for vs in reached.values() for v in vs))
                values = self.path_values(step, frontier)
                reached = {n: list(dict.fromkeys(w for v in vs for w in values[v])) for n, vs in reached.items()}
            return reached
        if path.kind == "alternative":
            each = [self.path_values(step, nodes) for step in path.steps]
            return {n: list(dict.fromkeys(v for values in each for v in values[n])) for n in nodes}
        (step,) = path.steps
        if path.kind == "zeroOrOne":
            once = self.path_values(step, nodes)
            return {n: list(dict.fromkeys([n, *once[n]])) for n in nodes}
        return {n: self._closure(step, n, path.kind == "zeroOrMore") for n in nodes}

    def _closure(self, step: Path, start, reflexive: bool) -> list:
        """The nodes reached from start by one or more steps (and start itself when reflexive)."""
        seen = dict.fromkeys([start] if reflexive else [])
        frontier = [start]
        while frontier:
            found = self.path_values(step, frontier)
            frontier = [v for n in frontier for v in found[n] if v not in seen]
            seen.update(dict.fromkeys(frontier))
        return list(seen)

    def as_written(self, term):
        """A term of a query result as the data writes it (see shacl_store.load_store)."""
        return self.written.get(term, term)

    def instances(self, cls: URIRef) -> set:
        """The SHACL instances of cls (rdf:type/rdfs:subClassOf*), with the ontology's class hierarchy."""
        key = str(cls)
        if key not in self._instances:
            classes, todo = {ox.NamedNode(key)}, [ox.NamedNode(key)]
            while todo:
                for quad in self.quads(str(RDFS.subClassOf), todo.pop()):
                    if quad.subject not in classes:
                        classes.add(quad.subject)
                        todo.append(quad.subject)
            self._instances[key] = {quad.subject for c in classes for quad in self.quads(str(RDF.type), c)}
        return self._instances[key]

    def literal(self, term) -> Literal:
        """An oxigraph literal as rdflib reads it (its value, or None when rdflib finds the lexical form ill-formed)."""
        found = self._literals.get(term)
        if found is None:
            found = self._literals[term] = ox_to_rdflib(term)
        return found

    def rdflib_term(self, term):
        """A term of a result as an rdflib term: the data's own for a typed literal."""
        found = self._literals.get(term) if isinstance(term, ox.Literal) else None
        return found if found is not None else ox_to_rdflib(term)

    def validate(self, shape: Shape, focus: list, shared: dict | None = None) -> list[Hit]:
        """The results of the focus nodes against shape: its constraints, property shapes and SPARQL constraints.

        Args:
            shared: focus -> values of each path, kept by the parent for its property shapes (several share a path).
        """
        if shape.deactivated or not focus:
            return []
        if shape.path is None:
            values = {f: (f,) for f in focus}
        else:
            values = (shared or {}).get(shape.path.sparql)
            if values is None:
                values = self.path_values(shape.path, focus)
                if shared is not None:
                    shared[shape.path.sparql] = values
        hits: list[Hit] = []
        for constraint in shape.constraints:
            for hit in CHECKS[constraint.parameter](self, shape, constraint, values):
                hit.rule = constraint
                hits.append(hit)
        if shape.properties:
            inner = focus if shape.path is None else list(dict.fromkeys(v for vs in values.values() for v in vs))
            siblings: dict = {}
            nested = [hit for prop in shape.properties for hit in self.validate(prop, inner, siblings)]
            if shape.path is not None:  # each value is a focus node once per focus node that has it (W3C property-001)
                times = Counter(v for vs in values.values() for v in vs)
                nested = [copy.copy(hit) if n else hit for hit in nested for n in range(times[hit.focus])]
            hits += nested
        for sparql in shape.sparql:
            hits += self.run_sparql(shape, sparql, focus)
        for use in shape.components:
            hits += self.run_component(shape, use, values)
        return hits

    def run_component(self, shape: Shape, use: ComponentUse, values: dict) -> list[Hit]:
        """A SHACL-SPARQL constraint component (§6.3): an ASK validator per value node (false: a result), a SELECT
        validator per focus node (one result per solution), with $this, $value and the parameters pre-bound."""
        if self.sees_rewritten(use):
                raise UnsupportedShapes(f"the constraint component {use.component} may read literals that pyoxigraph stores rewritten",
                                        "The default validator = \"auto\" hands such data to pyshacl.")
        parameters = {name: rdflib_to_ox(value) for name, value in use.bindings.items()}
        hits = []
        for f, vs in values.items():
            if use.ask:
                for v in vs:
                    if not self.prebound_ask(use, {**parameters, "this": f, "value": v}):
                        hits.append(Hit(shape, f, use.component, v, None, self._messages(use, {**parameters, "this": f, "value": v}), use))
                continue
            for row in self.prebound_rows(use, {**parameters, "this": f}):
                focus_node = row.get("this", f)
                value = row.get("value", focus_node if shape.path is None else None)
                bindings = {**parameters, **row, "this": focus_node, **({"value": value} if value is not None else {})}
                path = ox_to_rdflib(row["path"]) if "path" in row else None
                hits.append(Hit(shape, focus_node, use.component, value, path, self._messages(use, bindings), use))
        return hits

    def _query(self, use, terms: dict):
        """The validator's query with terms pre-bound: by substitutions where they reach every use, else written in."""
        if use.substitutable:
            return self.store.query(use.query, substitutions={ox.Variable(k): v for k, v in terms.items()})
        if any(isinstance(t, ox.BlankNode) for t in terms.values()):
            raise UnsupportedShapes(f"the validator of {use.component} uses a pre-bound variable in a nested group or BIND, and a "
                                    "value is a blank node, which the oxigraph validator cannot pre-bind there",
                                    "The default validator = \"auto\" hands such shapes to pyshacl.")
        return self.store.query(prebound_text(use.query, {k: str(v) for k, v in terms.items()}))

    def prebound_ask(self, use, terms: dict) -> bool:
        try:
            return bool(self._query(use, terms))
        except SyntaxError as exc:
            raise ShapesError(f"the validator of {use.component} does not parse: {exc}\n{use.query}") from exc

    def prebound_rows(self, use, terms: dict) -> list[dict]:
        try:
            solutions = self._query(use, terms)
        except SyntaxError as exc:
            raise ShapesError(f"the validator of {use.component} does not parse: {exc}\n{use.query}") from exc
        names = [v.value for v in solutions.variables]
        return [{n: self.as_written(t) for n, t in zip(names, row) if t is not None} for row in solutions]

    @staticmethod
    def _messages(use, bindings: dict) -> list[Literal]:
        return [_fill(m, bindings) for m in use.messages]

    def results_of(self, shape: Shape, nodes) -> dict:
        """node -> its results against shape (empty: it conforms), for sh:node, sh:or, sh:xone and qualified shapes."""
        known = self._nested[shape]
        todo = [n for n in dict.fromkeys(nodes) if n not in known]
        if todo:
            if shape in self._active:
                raise ShapesError(f"the shape {shape.node} refers to itself", "Recursive shapes are not supported (SHACL leaves them undefined).")
            self._active.append(shape)
            try:
                known.update((node, []) for node in todo)
                for hit in self.validate(shape, todo):
                    known.setdefault(hit.focus, []).append(hit)
            finally:
                self._active.pop()
        return known

    def run_sparql(self, shape: Shape, constraint: SparqlConstraint, focus: list) -> list[Hit]:
        """SHACL §5.3: one result per solution; ?this, ?value and ?path give focus, value and path."""
        if constraint.deactivated:
            return []
        rows = None
        if self.sees_rewritten(constraint):
            try:
                rows = self.rdflib_rows(constraint, focus)
            except (SPARQLError, TypeError, ValueError, AttributeError) as exc:  # rdflib raises where SPARQL says "unbound"
                self.notes.append(f"the SPARQL constraint {constraint.node} ran on pyoxigraph, which reads literals in canonical "
                                  f"form (\"02\" as \"2\"), because rdflib could not evaluate it: {exc}")
        if rows is not None:
            pass
        elif constraint.per_focus:
            rows = [(f, row) for f in focus for row in self.prebound(constraint, f)]
        else:
            wanted = set(focus)
            rows = [(row["this"], row) for row in self.select(constraint.query) if row.get("this") in wanted]
        hits, seen = [], set()
        for f, row in rows:
            if "failure" in row:
                raise ShapesError(f"the SPARQL constraint {constraint.node} reported a failure for {f}")
            key = (f, tuple(sorted((k, str(v)) for k, v in row.items())))
            if key in seen:
                continue
            seen.add(key)
            focus_node = row.get("this", f)
            value = row.get("value", focus_node if shape.path is None else None)
            bindings = {**row, "this": focus_node, **({"value": value} if value is not None else {})}
            messages = [_fill(m, bindings) for m in constraint.messages]
            messages += [_fill(m, bindings) for m in shape.messages if m not in constraint.messages]
            path = ox_to_rdflib(row["path"]) if "path" in row else None
            hits.append(Hit(shape, focus_node, SH.SPARQLConstraintComponent, value, path, messages, constraint))
        return hits


@functools.lru_cache(maxsize=256)
def _rdflib_query(text: str):
    return prepareQuery(text)


_TEMPLATE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


def _fill(message: Literal, bindings: dict) -> Literal:
    """{?var} and {$var} in a message become the variable's value (its lexical form or IRI), SHACL §5.3.2."""
    text = _TEMPLATE.sub(lambda m: bindings[m.group(1)].value if m.group(1) in bindings else m.group(0), str(message))
    return Literal(text, lang=message.language)
