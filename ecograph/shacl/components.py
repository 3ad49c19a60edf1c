"""The SHACL Core constraint components of the oxigraph validator (validator.py), each a check over sets: given
the engine, a shape, one of its constraints and the values of each focus node (focus node -> its value nodes),
the results (Hit) of the values or focus nodes that break it. CHECKS maps each constraint parameter to its check;
COMPONENT names the component a result reports (SHACL §4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from ecograph.rdf.terms import ox_to_rdflib, rdflib_to_ox
from ecograph.shacl.shapes import Shape


@dataclass(eq=False)
class Hit:
    """One validation result, in pyoxigraph terms until the report is written."""

    shape: Shape
    focus: object
    component: URIRef
    value: object = None
    path: object = None  # the sh:resultPath node; the shape's path when None
    messages: list[Literal] = field(default_factory=list)  # a SPARQL result's, filled in; else the shape's (report)
    rule: object = None  # the Constraint or SparqlConstraint that gave the result
    details: list[Hit] = field(default_factory=list)  # results of the value under sh:node (sh:detail)


COMPONENT = {SH.minCount: SH.MinCountConstraintComponent, SH.maxCount: SH.MaxCountConstraintComponent,
             SH.datatype: SH.DatatypeConstraintComponent, SH["class"]: SH.ClassConstraintComponent,
             SH.nodeKind: SH.NodeKindConstraintComponent, SH.node: SH.NodeConstraintComponent, SH["in"]: SH.InConstraintComponent,
             SH.hasValue: SH.HasValueConstraintComponent, SH.languageIn: SH.LanguageInConstraintComponent,
             SH.uniqueLang: SH.UniqueLangConstraintComponent, SH["or"]: SH.OrConstraintComponent, SH.xone: SH.XoneConstraintComponent,
             SH.pattern: SH.PatternConstraintComponent, SH.minInclusive: SH.MinInclusiveConstraintComponent,
             SH.maxInclusive: SH.MaxInclusiveConstraintComponent, SH.disjoint: SH.DisjointConstraintComponent,
             SH.minExclusive: SH.MinExclusiveConstraintComponent, SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
             SH.minLength: SH.MinLengthConstraintComponent, SH.maxLength: SH.MaxLengthConstraintComponent,
             SH["and"]: SH.AndConstraintComponent, SH["not"]: SH.NotConstraintComponent, SH.equals: SH.EqualsConstraintComponent,
             SH.lessThan: SH.LessThanConstraintComponent, SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
             SH.closed: SH.ClosedConstraintComponent}


def _each_value(make, once: bool = False):
    """A check that keeps the values for which test(value) is false, test = make(engine, constraint) being set up
    once per check (once: each distinct value is tested once, for tests dearer than a dictionary look-up)."""
    def check(engine, shape: Shape, constraint, values: dict) -> list[Hit]:
        component, test = COMPONENT[constraint.parameter], make(engine, constraint)
        if once:
            verdicts: dict = {}
            plain = test

            def test(v):
                ok = verdicts.get(v)
                if ok is None:
                    ok = verdicts[v] = plain(v)
                return ok
        return [Hit(shape, f, component, v) for f, vs in values.items() for v in vs if not test(v)]
    return check


def _count(engine, shape, constraint, values):
    least = constraint.parameter == SH.minCount
    return [Hit(shape, f, COMPONENT[constraint.parameter]) for f, vs in values.items()
            if (len(vs) < constraint.value if least else len(vs) > constraint.value)]


_STRINGS = {XSD.string, RDF.langString}  # every lexical form is well-formed
_VALUE_TYPES = {XSD.integer: int, XSD.decimal: Decimal, XSD.boolean: bool, XSD.float: float}


def _datatype(engine, constraint):
    """SHACL 4.2.2: a literal of that datatype whose lexical form is well-formed, as rdflib (and so pyshacl) reads it."""
    datatype, expected, literal = ox.NamedNode(constraint.value), _VALUE_TYPES.get(constraint.value), ox.Literal
    strings = constraint.value in _STRINGS

    def test(v) -> bool:
        if type(v) is not literal or v.datatype != datatype:
            return False
        if strings:
            return True
        lit = engine.literal(v)
        return lit.ill_typed is not True and (expected is None or isinstance(lit.value, expected))
    return test


def _node_kind(engine, constraint):
    kinds = str(constraint.value).removeprefix(str(SH)).split("Or")  # sh:BlankNodeOrIRI: BlankNode, IRI
    allowed = tuple(t for k, t in (("IRI", ox.NamedNode), ("BlankNode", ox.BlankNode), ("Literal", ox.Literal)) if k in kinds)
    return lambda v: isinstance(v, allowed)


def _language_in(engine, constraint):
    """SPARQL langMatches against each basic language range."""
    ranges, exact, literal = constraint.value, set(constraint.value), ox.Literal

    def test(v) -> bool:
        lang = v.language if type(v) is literal else None
        if not lang:
            return False
        if lang in exact or "*" in exact:
            return True
        lang = lang.lower()
        return any(lang == r or lang.startswith(r + "-") for r in ranges)
    return test


def _pattern(engine, constraint):
    return lambda v: not isinstance(v, ox.BlankNode) and constraint.value.search(v.value) is not None


_NUMBERS = (int, float, Decimal)


def _compare(engine, v, bound, operator) -> bool:
    """The SPARQL comparison v operator bound of two terms, false where SPARQL cannot compare them (SHACL §4.3)."""
    if not isinstance(v, ox.Literal) or not isinstance(bound, ox.Literal):
        return False
    left, right = engine.literal(v), engine.literal(bound)
    if left.ill_typed or right.ill_typed:  # an ill-typed literal ("300"^^xsd:byte) has no value to compare
        return False
    a, b = left.value, right.value
    numeric = all(isinstance(x, _NUMBERS) and not isinstance(x, bool) for x in (a, b))
    if a is None or b is None or not (numeric or type(a) is type(b)):
        return False
    if isinstance(a, str) and (v.language or bound.language):  # language-tagged strings do not compare with <
        return False
    try:
        return operator(a, b)
    except TypeError:  # dates with and without a time zone
        return False


_OPERATORS = {SH.minInclusive: lambda v, b: b <= v, SH.maxInclusive: lambda v, b: v <= b,
              SH.minExclusive: lambda v, b: b < v, SH.maxExclusive: lambda v, b: v < b}


def _in_range(engine, constraint):
    """SHACL §4.3: the SPARQL comparison with the bound is true; values that cannot be compared fail."""
    bound, operator = rdflib_to_ox(constraint.term), _OPERATORS[constraint.parameter]
    return lambda v: _compare(engine, v, bound, operator)


def _length(engine, constraint):
    """SHACL §4.4.1–2: the length of str(value), never for a blank node."""
    least = constraint.parameter == SH.minLength
    return lambda v: not isinstance(v, ox.BlankNode) and (len(v.value) >= constraint.value if least else len(v.value) <= constraint.value)


def _not(engine, shape, constraint, values):
    outcome = engine.results_of(constraint.value, [v for vs in values.values() for v in vs])
    return [Hit(shape, f, SH.NotConstraintComponent, v) for f, vs in values.items() for v in vs if not outcome[v]]


def _pairs(engine, shape, constraint, values):
    """sh:equals, sh:lessThan, sh:lessThanOrEquals (§4.5): each value against the focus node's values of the property."""
    others = engine.predicate_values(str(constraint.value))
    hits = []
    for f, vs in values.items():
        theirs = others.get(f, ())
        if constraint.parameter == SH.equals:
            hits += [Hit(shape, f, SH.EqualsConstraintComponent, v) for v in
                     [*[v for v in vs if v not in theirs], *[o for o in theirs if o not in vs]]]
            continue
        strict = constraint.parameter == SH.lessThan
        operator = (lambda a, b: a < b) if strict else (lambda a, b: a <= b)
        hits += [Hit(shape, f, COMPONENT[constraint.parameter], v) for v in vs for o in theirs
                 if not _compare(engine, v, o, operator)]
    return hits


def _closed(engine, shape, constraint, values):
    """sh:closed (§4.8.1): every property of a value node is a property of the shape or ignored; one result per triple."""
    hits = []
    for f, vs in values.items():
        for v in vs:
            if isinstance(v, ox.Literal):
                continue
            for q in engine.store.quads_for_pattern(v, None, None, ox.DefaultGraph()):
                if q.predicate not in constraint.value:
                    for o in engine.overrides.get((q.subject, q.predicate, q.object), (q.object,)):
                        hits.append(Hit(shape, f, SH.ClosedConstraintComponent, o, ox_to_rdflib(q.predicate)))
    return hits


def _class(engine, constraint):
    instances = engine.instances(constraint.value)
    return lambda v: v in instances  # a literal is never an instance


def _in(engine, constraint):
    return lambda v: v in constraint.value


def _unique_lang(engine, shape, constraint, values):
    hits = []
    for f, vs in values.items():
        if len(vs) < 2 or not constraint.value:
            continue
        langs = [v.language.lower() for v in vs if type(v) is ox.Literal and v.language]
        if len(set(langs)) < len(langs):
            hits += [Hit(shape, f, SH.UniqueLangConstraintComponent) for lang in sorted(set(langs)) if langs.count(lang) > 1]
    return hits


def _has_value(engine, shape, constraint, values):
    return [Hit(shape, f, SH.HasValueConstraintComponent) for f, vs in values.items() if constraint.value not in vs]


def _disjoint(engine, shape, constraint, values):
    others = engine.predicate_values(str(constraint.value))
    return [Hit(shape, f, SH.DisjointConstraintComponent, v) for f, vs in values.items() for v in vs if v in others.get(f, ())]


def _node(engine, shape, constraint, values):
    nested = engine.results_of(constraint.value, [v for vs in values.values() for v in vs])
    return [Hit(shape, f, SH.NodeConstraintComponent, v, details=nested[v]) for f, vs in values.items() for v in vs if nested[v]]


def _alternatives(engine, shape, constraint, values):
    """sh:or: at least one member shape holds; sh:xone: exactly one; sh:and: all."""
    nodes = [v for vs in values.values() for v in vs]
    outcomes = [engine.results_of(member, nodes) for member in constraint.value]
    hits = []
    for f, vs in values.items():
        for v in vs:
            holding = sum(1 for outcome in outcomes if not outcome[v])
            wrong = {SH["or"]: holding == 0, SH.xone: holding != 1, SH["and"]: holding != len(outcomes)}[constraint.parameter]
            if wrong:
                hits.append(Hit(shape, f, COMPONENT[constraint.parameter], v))
    return hits


def _qualified(engine, shape, constraint, values):
    member, low, high, siblings = constraint.value
    nodes = [v for vs in values.values() for v in vs]
    outcome = engine.results_of(member, nodes)
    others = [engine.results_of(sibling, nodes) for sibling in siblings]
    hits = []
    for f, vs in values.items():
        holding = sum(1 for v in vs if not outcome[v] and all(other[v] for other in others))
        if high is not None and holding > high:
            hits.append(Hit(shape, f, SH.QualifiedMaxCountConstraintComponent))
        if low is not None and holding < low:
            hits.append(Hit(shape, f, SH.QualifiedMinCountConstraintComponent))
    return hits


CHECKS = {SH.minCount: _count, SH.maxCount: _count, SH.datatype: _each_value(_datatype), SH["class"]: _each_value(_class),
          SH.nodeKind: _each_value(_node_kind), SH.node: _node, SH["in"]: _each_value(_in),
          SH.hasValue: _has_value, SH.languageIn: _each_value(_language_in), SH.uniqueLang: _unique_lang,
          SH["or"]: _alternatives, SH.xone: _alternatives, SH.pattern: _each_value(_pattern, once=True),
          SH.minInclusive: _each_value(_in_range, once=True), SH.maxInclusive: _each_value(_in_range, once=True),
          SH.minExclusive: _each_value(_in_range, once=True), SH.maxExclusive: _each_value(_in_range, once=True),
          SH.minLength: _each_value(_length), SH.maxLength: _each_value(_length), SH["and"]: _alternatives, SH["not"]: _not,
          SH.equals: _pairs, SH.lessThan: _pairs, SH.lessThanOrEquals: _pairs, SH.closed: _closed,
          SH.disjoint: _disjoint, SH.qualifiedValueShape: _qualified}
