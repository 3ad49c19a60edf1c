"""The shapes graph read into plain objects for the oxigraph validator (shacl.py).

SHACL Core and SHACL-SPARQL are read (shapes, targets, every path, every core constraint, SPARQL constraints
with pre-binding as §5.2.1 defines it, custom constraint components). Any other SHACL term on a shape, a path
or a SPARQL constraint raises UnsupportedShapes naming it, so that nothing is ever skipped silently: the "auto"
validator then hands the shapes to pyshacl, the reference."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from ecograph.rdf.terms import rdflib_to_ox
from ecograph.shacl.errors import UNSUPPORTED_HINT, ShapesError, UnsupportedShapes
from ecograph.shacl.prebinding import check_prebinding, in_code, needs_prebinding, prebinding_by_substitution

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
ALL_TARGETS = (*TARGETS, SH.target)  # sh:target (SHACL-AF SPARQL targets) is not read: a shape with one is refused
# Constraint parameters read one value at a time; each value is a constraint of its own.
SIMPLE = {SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.nodeKind, SH.node, SH["in"], SH.hasValue, SH.languageIn,
          SH.uniqueLang, SH["or"], SH.xone, SH["and"], SH["not"], SH.pattern, SH.minInclusive, SH.maxInclusive,
          SH.minExclusive, SH.maxExclusive, SH.minLength, SH.maxLength, SH.disjoint, SH.equals, SH.lessThan,
          SH.lessThanOrEquals, SH.closed}
QUALIFIED = (SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint)
# parameters read with another one (sh:flags with sh:pattern, sh:ignoredProperties with sh:closed)
COMPANIONS = {SH.flags, SH.ignoredProperties}
# SHACL terms that a shape may carry and that constrain nothing by themselves.
STRUCTURE = {SH.name, SH.description, SH.message, SH.severity, SH.deactivated, SH.order, SH.group, SH.path, SH.property,
             SH.sparql, SH.prefixes, SH.declare, SH.select, *TARGETS, *QUALIFIED, *COMPANIONS}
SPARQL_TERMS = {SH.select, SH.message, SH.prefixes, SH.deactivated, SH.severity, SH.name, SH.description}
NODE_KINDS = {SH.IRI, SH.BlankNode, SH.Literal, SH.BlankNodeOrIRI, SH.BlankNodeOrLiteral, SH.IRIOrLiteral}


@dataclass(frozen=True)
class Path:
    """A SHACL property path (§2.3.1): its node in the shapes graph (for sh:resultPath), its SPARQL form (also the
    key under which its values are kept), and its structure: kind is "predicate", "inverse" (of a predicate),
    "sequence", "alternative", "zeroOrMore", "oneOrMore" or "zeroOrOne", with the predicate or the steps."""

    node: URIRef | BNode
    sparql: str
    predicate: str | None = None
    inverse: bool = False
    kind: str = "predicate"
    steps: tuple = ()


@dataclass(eq=False)
class Constraint:
    """One constraint of a shape: its parameter (sh:minCount, sh:node, …) and the value, ready to use."""

    parameter: URIRef
    value: object
    term: object = None  # the parameter's value as written, for default messages


@dataclass(eq=False)
class SparqlConstraint:
    """An sh:sparql constraint (SHACL §5): the SELECT with its PREFIX lines, its messages, and how to run it."""

    node: URIRef | BNode
    query: str
    messages: list[Literal]
    deactivated: bool
    per_focus: bool  # True: run once per focus node with $this pre-bound; False: once, keeping focus-node rows
    substitutable: bool = True  # pyoxigraph's substitutions pre-bind $this everywhere it occurs (see prebinding_by_substitution)


@dataclass(eq=False)
class Component:
    """A SHACL-SPARQL constraint component (§6): parameters as (path, variable name, optional), its validators."""

    node: URIRef | BNode
    parameters: list[tuple]
    validators: dict
    messages: list[Literal]


@dataclass(eq=False)
class ComponentUse:
    """A component as one shape uses it: the validator's query and the values of the parameters on the shape."""

    component: URIRef | BNode
    query: str
    ask: bool  # an ASK validator: run per value node with $value pre-bound; else a SELECT, per focus node
    bindings: dict  # parameter variable name -> its value on the shape (an rdflib term)
    messages: list[Literal]
    substitutable: bool = True


@dataclass(eq=False)
class Shape:
    """A node or property shape with what this validator evaluates of it."""

    node: URIRef | BNode
    path: Path | None = None
    severity: URIRef = SH.Violation
    messages: list[Literal] = field(default_factory=list)
    deactivated: bool = False
    target_classes: list[URIRef] = field(default_factory=list)
    target_nodes: list = field(default_factory=list)
    target_subjects_of: list[URIRef] = field(default_factory=list)
    target_objects_of: list[URIRef] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    sparql: list[SparqlConstraint] = field(default_factory=list)
    components: list[ComponentUse] = field(default_factory=list)

    @property
    def targeted(self) -> bool:
        return bool(self.target_classes or self.target_nodes or self.target_subjects_of or self.target_objects_of)


class Shapes:
    """Every shape of a shapes graph, read once. `targeted` lists the shapes that select their own focus nodes."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self._shapes: dict = {}
        self.components = _read_components(graph)
        starts = {s for t in ALL_TARGETS for s in graph.subjects(t, None)}
        starts |= {s for t in (SH.NodeShape, SH.PropertyShape) for s in graph.subjects(RDF.type, t)}
        for node in sorted(starts, key=str):
            self.shape(node)
        self.targeted = [s for s in sorted(self._shapes.values(), key=lambda s: str(s.node)) if s.targeted]

    def shape(self, node) -> Shape:
        """The shape at node, read on first use (shapes refer to each other with sh:node, sh:or, …)."""
        if node not in self._shapes:
            self._shapes[node] = shape = Shape(node)  # registered first: a shape may refer to itself
            _read_shape(self, shape)
        return self._shapes[node]

    def name(self, node) -> str:
        """A node as the shapes file writes it (xsd:integer), for messages."""
        if isinstance(node, URIRef):
            try:
                return self.graph.namespace_manager.normalizeUri(node)
            except Exception:  # noqa: BLE001 - rdflib raises several types for IRIs it cannot shorten
                return f"<{node}>"
        return str(node)


def _read_components(graph: Graph) -> list[Component]:
    """The SHACL-SPARQL constraint components (§6) of the shapes graph, instances of sh:ConstraintComponent or
    of a subclass, with their parameters and validators."""
    kinds = {SH.ConstraintComponent} | set(graph.transitive_subjects(RDFS.subClassOf, SH.ConstraintComponent))
    found = []
    for node in sorted({c for kind in kinds for c in graph.subjects(RDF.type, kind)}, key=str):
        parameters = []
        for parameter in graph.objects(node, SH.parameter):
            path = _one(graph, parameter, SH.path)
            if not isinstance(path, URIRef):
                raise ShapesError(f"a parameter of the constraint component {node} needs one IRI as sh:path")
            parameters.append((path, _local_name(path), _boolean(graph, parameter, SH.optional)))
        validators = {p: _one(graph, node, p) for p in (SH.validator, SH.nodeValidator, SH.propertyValidator)}
        found.append(Component(node, sorted(parameters), validators, sorted(graph.objects(node, SH.message))))
    return found


def _local_name(iri: URIRef) -> str:
    """A parameter's variable name: the local name of its path (SHACL §6.2.1)."""
    return re.split(r"[#/:]", str(iri))[-1]


def _uses(shapes: Shapes, shape: Shape) -> list[ComponentUse]:
    """The components a shape uses: those whose every required parameter has a value on the shape (§6.2)."""
    g, uses = shapes.graph, []
    for component in shapes.components:
        values = {path: list(g.objects(shape.node, path)) for path, _, _ in component.parameters}
        if not component.parameters or any(not values[p] for p, _, optional in component.parameters if not optional):
            continue
        if any(len(v) > 1 for v in values.values()):
            raise _unsupported(f"several values of a parameter of the constraint component {component.node}", shape.node)
        kind = SH.propertyValidator if shape.path is not None else SH.nodeValidator
        validator = component.validators.get(kind) or component.validators.get(SH.validator)
        if validator is None:
            continue  # §6.2.3: a component with no validator for this kind of shape is ignored for it
        uses.append(_read_validator(shapes, shape, component, validator,
                                    {name: v[0] for (path, name, _), v in zip(component.parameters, values.values()) if v}))
    return uses


def _read_validator(shapes: Shapes, shape: Shape, component: Component, validator, bindings: dict) -> ComponentUse:
    g = shapes.graph
    ask, select = _one(g, validator, SH.ask), _one(g, validator, SH.select)
    if (ask is None) == (select is None):
        raise ShapesError(f"the validator {validator} of {component.node} needs one sh:ask or one sh:select")
    if ask is not None and shape.path is not None and _one(g, component.node, SH.propertyValidator) == validator:
        raise ShapesError(f"the property validator {validator} of {component.node} must be a SELECT (SHACL §6.2.3)")
    text = str(ask if ask is not None else select)
    if re.search(r"\$PATH\b", text):
        if shape.path is None:
            raise ShapesError(f"the validator {validator} uses $PATH on the node shape {shape.node}")
        text = in_code(text, re.compile(r"\$PATH\b"), shape.path.sparql)
    for variable in ("shapesGraph", "currentShape"):
        if re.search(rf"\${variable}\b", text):
            raise _unsupported(f"${variable} in a validator", validator)
    prebound = {"this", *bindings, *(("value",) if ask is not None else ())}
    check_prebinding(text, validator, prebound)
    messages = sorted(g.objects(validator, SH.message)) or component.messages
    # pyoxigraph's substitutions bind only projected variables (an ASK has none): the terms are written into the text
    return ComponentUse(component.node, _prefix_lines(g, validator) + text, ask is not None, bindings, messages, substitutable=False)


def _unsupported(what: str, where) -> UnsupportedShapes:
    return UnsupportedShapes(f"{what} on {where} is not supported by the oxigraph validator", UNSUPPORTED_HINT)


def _one(graph: Graph, node, predicate):
    values = list(graph.objects(node, predicate))
    if len(values) > 1:
        raise ShapesError(f"{node} has {len(values)} values of {predicate}; SHACL allows one")
    return values[0] if values else None


def _boolean(graph: Graph, node, predicate) -> bool:
    value = _one(graph, node, predicate)
    if value is not None and not (isinstance(value, Literal) and isinstance(value.value, bool)):
        raise ShapesError(f"{predicate} of {node} must be true or false")
    return bool(value is not None and value.value)


def _integer(value, node, predicate) -> int:
    if not (isinstance(value, Literal) and isinstance(value.value, int) and not isinstance(value.value, bool)):
        raise ShapesError(f"{predicate} of {node} must be an integer")
    return value.value


def _read_shape(shapes: Shapes, shape: Shape) -> None:
    g, node = shapes.graph, shape.node
    types = set(g.objects(node, RDF.type))
    for predicate in set(g.predicates(node, None)):
        if str(predicate).startswith(str(SH)) and predicate not in STRUCTURE | SIMPLE:
            raise _unsupported(f"sh:{predicate.removeprefix(str(SH))}", node)
    path = _one(g, node, SH.path)
    shape.path = read_path(g, path) if path is not None else None
    shape.severity = _one(g, node, SH.severity) or SH.Violation
    shape.messages = sorted(g.objects(node, SH.message))
    shape.deactivated = _boolean(g, node, SH.deactivated)
    implicit = [node] if types & {RDFS.Class, OWL.Class} and types & {SH.NodeShape, SH.PropertyShape} else []
    shape.target_classes = sorted({*g.objects(node, SH.targetClass), *implicit})
    shape.target_nodes = sorted(g.objects(node, SH.targetNode))
    shape.target_subjects_of = sorted(g.objects(node, SH.targetSubjectsOf))
    shape.target_objects_of = sorted(g.objects(node, SH.targetObjectsOf))
    for predicate, value in sorted(g.predicate_objects(node)):
        if predicate in SIMPLE:
            ready = _constraint_value(shapes, node, predicate, value)
            if not (predicate == SH.closed and ready is None):  # sh:closed false constrains nothing
                shape.constraints.append(Constraint(predicate, ready, value))
    qualified = _one(g, node, SH.qualifiedValueShape)
    if qualified is not None:
        low, high = _one(g, node, SH.qualifiedMinCount), _one(g, node, SH.qualifiedMaxCount)
        if low is None and high is None:
            raise ShapesError(f"{node} has sh:qualifiedValueShape but neither sh:qualifiedMinCount nor sh:qualifiedMaxCount")
        bounds = tuple(None if v is None else _integer(v, node, p) for v, p in ((low, SH.qualifiedMinCount), (high, SH.qualifiedMaxCount)))
        siblings = []
        if _boolean(g, node, SH.qualifiedValueShapesDisjoint):  # §4.7.3: the qualified shapes of the parents' other properties
            siblings = [shapes.shape(q) for parent in g.subjects(SH.property, node) for other in g.objects(parent, SH.property)
                        if other != node for q in g.objects(other, SH.qualifiedValueShape)]
        shape.constraints.append(Constraint(SH.qualifiedValueShape, (shapes.shape(qualified), *bounds, siblings), qualified))
    shape.properties = [shapes.shape(p) for p in sorted(g.objects(node, SH.property))]
    shape.sparql = [_read_sparql(g, shape, c) for c in sorted(g.objects(node, SH.sparql))]
    shape.components = _uses(shapes, shape)


def _constraint_value(shapes: Shapes, node, predicate, value):
    g = shapes.graph
    if predicate in (SH.minCount, SH.maxCount):
        return _integer(value, node, predicate)
    if predicate in (SH.node,):
        return shapes.shape(value)
    if predicate in (SH["or"], SH.xone, SH["and"]):
        return [shapes.shape(member) for member in Collection(g, value)]
    if predicate == SH["not"]:
        return shapes.shape(value)
    if predicate in (SH.minLength, SH.maxLength):
        return _integer(value, node, predicate)
    if predicate == SH.closed:
        if not _boolean(g, node, SH.closed):
            return None
        allowed = {p for prop in g.objects(node, SH.property) for p in g.objects(prop, SH.path) if isinstance(p, URIRef)}
        for ignored in g.objects(node, SH.ignoredProperties):
            allowed |= set(Collection(g, ignored))
        return frozenset(rdflib_to_ox(p) for p in allowed)
    if predicate == SH["in"]:
        return frozenset(rdflib_to_ox(member) for member in Collection(g, value))
    if predicate == SH.hasValue:
        return rdflib_to_ox(value)
    if predicate == SH.languageIn:
        return [str(tag).lower() for tag in Collection(g, value)]
    if predicate == SH.uniqueLang:
        return bool(value.value)
    if predicate == SH.nodeKind and value not in NODE_KINDS:
        raise ShapesError(f"sh:nodeKind of {node} must be one of the six SHACL node kinds, not {value}")
    if predicate == SH.pattern:
        return _regex(str(value), _one(g, node, SH.flags), node)
    if predicate in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive) and not isinstance(value, Literal):
        raise ShapesError(f"{predicate} of {node} must be a literal")
    return value  # sh:datatype, sh:class, sh:nodeKind, sh:disjoint (an IRI), sh:minInclusive, sh:maxInclusive


PATH_TERMS = {SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath}
_REPEAT = {SH.zeroOrMorePath: ("zeroOrMore", "*"), SH.oneOrMorePath: ("oneOrMore", "+"), SH.zeroOrOnePath: ("zeroOrOne", "?")}


_FLAGS = {"i": re.IGNORECASE, "s": re.DOTALL, "m": re.MULTILINE, "x": re.VERBOSE}


def _regex(pattern: str, flags, node) -> re.Pattern:
    """An XPath regular expression with its flags (SPARQL REGEX: i, s, m, x, q) as a Python pattern."""
    flags = str(flags or "")
    unknown = set(flags) - set(_FLAGS) - {"q"}
    if unknown:
        raise ShapesError(f"sh:flags of {node} holds {''.join(sorted(unknown))}; SPARQL REGEX knows i, s, m, x and q")
    value = 0
    for flag in flags:
        value |= _FLAGS.get(flag, 0)
    try:
        return re.compile(re.escape(pattern) if "q" in flags else pattern, value)
    except re.error as exc:
        raise ShapesError(f"sh:pattern of {node} is not a regular expression: {exc}") from exc


def read_path(g: Graph, node, inverse: bool = False) -> Path:
    """Any SHACL path (§2.3.1), its inverses pushed down to the predicates (^(a/b) is ^b/^a)."""
    if isinstance(node, URIRef):
        return Path(node, f"^<{node}>" if inverse else f"<{node}>", predicate=str(node), inverse=inverse,
                    kind="inverse" if inverse else "predicate")
    if (node, RDF.first, None) in g:
        steps = [read_path(g, step, inverse) for step in Collection(g, node)]
        if len(steps) < 2:
            raise ShapesError(f"the sequence path {node} needs at least two steps")
        steps = steps[::-1] if inverse else steps
        return Path(node, "(" + "/".join(step.sparql for step in steps) + ")", kind="sequence", steps=tuple(steps))
    terms = {p for p in g.predicates(node, None) if str(p).startswith(str(SH))}
    if len(terms) != 1 or not terms <= PATH_TERMS:
        written = ", ".join("sh:" + t.removeprefix(str(SH)) for t in sorted(terms)) or "no SHACL path term"
        raise ShapesError(f"{node} is not a SHACL path ({written})", "A path is an IRI, a list (sequence) or a node with one of "
                          "sh:inversePath, sh:alternativePath, sh:zeroOrMorePath, sh:oneOrMorePath, sh:zeroOrOnePath.")
    (term,) = terms
    value = _one(g, node, term)
    if term == SH.inversePath:
        inner = read_path(g, value, not inverse)
        return Path(node, inner.sparql, inner.predicate, inner.inverse, inner.kind, inner.steps)
    if term == SH.alternativePath:
        steps = tuple(read_path(g, step, inverse) for step in Collection(g, value))
        if len(steps) < 2:
            raise ShapesError(f"the alternative path {node} needs at least two members")
        return Path(node, "(" + "|".join(step.sparql for step in steps) + ")", kind="alternative", steps=steps)
    kind, mark = _REPEAT[term]
    inner = read_path(g, value, inverse)
    return Path(node, f"({inner.sparql}){mark}", kind=kind, steps=(inner,))


def _prefix_lines(g: Graph, constraint) -> str:
    declared: dict[str, str] = {}
    holders, todo = [], list(g.objects(constraint, SH.prefixes))
    while todo:  # §5.2.1 (sh:prefixes): the declarations of each holder and of what it owl:imports, transitively
        holder = todo.pop(0)
        if holder not in holders:
            holders.append(holder)
            todo += list(g.objects(holder, OWL.imports))
    for holder in holders:
        for declaration in g.objects(holder, SH.declare):
            prefix, namespace = _one(g, declaration, SH.prefix), _one(g, declaration, SH.namespace)
            if prefix is None or namespace is None:
                raise ShapesError(f"an sh:declare of {holder} needs one sh:prefix and one sh:namespace")
            if declared.get(str(prefix), str(namespace)) != str(namespace):
                raise ShapesError(f"the prefix {prefix}: is declared twice with different namespaces on {holder}")
            declared[str(prefix)] = str(namespace)
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(declared.items()))


def _read_sparql(g: Graph, shape: Shape, node) -> SparqlConstraint:
    for predicate in set(g.predicates(node, None)):
        if str(predicate).startswith(str(SH)) and predicate not in SPARQL_TERMS | STRUCTURE | SIMPLE:  # a shape may be its own constraint
            raise _unsupported(f"sh:{predicate.removeprefix(str(SH))}", node)
    select = _one(g, node, SH.select)
    if select is None:
        raise _unsupported("a SPARQL constraint without sh:select (sh:ask?)", node)
    severity = _one(g, node, SH.severity)
    if severity is not None and severity != shape.severity:
        # SHACL takes a result's severity from the shape; a different one on the constraint would be ignored.
        raise ShapesError(f"the SPARQL constraint {node} says sh:severity {severity}, its shape {shape.node} {shape.severity}",
                          "Put sh:severity on the shape that holds the sh:sparql constraint.")
    select = str(select)
    if re.search(r"\$PATH\b", select):
        if shape.path is None:
            raise ShapesError(f"the SPARQL constraint {node} uses $PATH, but its shape {shape.node} has no sh:path (SHACL §5.2.2)")
        select = in_code(select, re.compile(r"\$PATH\b"), shape.path.sparql)  # §5.2.2: substituted by the path
    for variable in ("shapesGraph", "currentShape"):
        if re.search(rf"\${variable}\b", select):
            raise _unsupported(f"${variable} in a SPARQL constraint", node)
    check_prebinding(select, node)
    return SparqlConstraint(node, _prefix_lines(g, node) + select, sorted(g.objects(node, SH.message)),
                            _boolean(g, node, SH.deactivated), per_focus=needs_prebinding(select),
                            substitutable=prebinding_by_substitution(select))
