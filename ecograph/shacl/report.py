"""The SHACL validation report of the oxigraph validator (shacl.py), and the messages of constraints that
give none: the same report graph as pyshacl writes (sh:ValidationReport, sh:ValidationResult with focus node,
path, value, severity, source shape and constraint component, messages, sh:detail under sh:node), so that
everything downstream reads either."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from ecograph.namespaces import bind_all
from ecograph.rdf.terms import ox_to_rdflib
from ecograph.shacl.shapes import ComponentUse, Shapes, SparqlConstraint

# English and Japanese messages for a constraint whose shape has no sh:message; {p} is the constraint's value.
DEFAULT_MESSAGES = {
    SH.minCount: ("Has fewer than {p} values (sh:minCount {p}).", "値が {p} 個より少ない（sh:minCount {p}）。"),
    SH.maxCount: ("Has more than {p} values (sh:maxCount {p}).", "値が {p} 個より多い（sh:maxCount {p}）。"),
    SH.datatype: ("The value is not a well-formed literal of datatype {p}.", "値がデータ型 {p} の正しい形のリテラルではない。"),
    SH["class"]: ("The value is not an instance of {p}.", "値が {p} のインスタンスではない。"),
    SH.nodeKind: ("The value is not of node kind {p}.", "値のノードの種類が {p} ではない。"),
    SH.node: ("The value does not conform to the shape {p}.", "値がシェイプ {p} に適合しない。"),
    SH["in"]: ("The value is not one of {p}.", "値が {p} のどれでもない。"),
    SH.hasValue: ("The value {p} is missing.", "値 {p} がない。"),
    SH.languageIn: ("The value is not text in one of the languages {p}.", "値が言語 {p} のどれかの文字列ではない。"),
    SH.uniqueLang: ("More than one value in the same language.", "同じ言語の値が二つ以上ある。"),
    SH["or"]: ("The value conforms to none of the shapes of sh:or.", "値が sh:or のどのシェイプにも適合しない。"),
    SH.xone: ("The value does not conform to exactly one of the shapes of sh:xone.", "値が sh:xone のシェイプのちょうど一つに適合しない。"),
    SH.pattern: ("The value does not match the pattern {p}.", "値がパターン {p} に合わない。"),
    SH.minInclusive: ("The value is not at least {p}.", "値が {p} 以上ではない。"),
    SH.maxInclusive: ("The value is not at most {p}.", "値が {p} 以下ではない。"),
    SH.disjoint: ("The value is also a value of {p}.", "値が {p} の値でもある。"),
    SH.minExclusive: ("The value is not greater than {p}.", "値が {p} より大きくない。"),
    SH.maxExclusive: ("The value is not less than {p}.", "値が {p} より小さくない。"),
    SH.minLength: ("The value is shorter than {p} characters.", "値が {p} 文字より短い。"),
    SH.maxLength: ("The value is longer than {p} characters.", "値が {p} 文字より長い。"),
    SH["and"]: ("The value does not conform to every shape of sh:and.", "値が sh:and のすべてのシェイプには適合しない。"),
    SH["not"]: ("The value conforms to the shape {p}, which sh:not forbids.", "値が sh:not で禁じたシェイプ {p} に適合する。"),
    SH.equals: ("The values differ from those of {p}.", "値が {p} の値と一致しない。"),
    SH.lessThan: ("The value is not less than a value of {p}.", "値が {p} の値より小さくない。"),
    SH.lessThanOrEquals: ("The value is greater than a value of {p}.", "値が {p} の値より大きい。"),
    SH.closed: ("The property is not allowed by the closed shape.", "閉じたシェイプに許されていないプロパティ。"),
    SH.QualifiedMinCountConstraintComponent: ("Fewer than {p} values conform to the qualified shape.", "限定シェイプに適合する値が {p} 個より少ない。"),
    SH.QualifiedMaxCountConstraintComponent: ("More than {p} values conform to the qualified shape.", "限定シェイプに適合する値が {p} 個より多い。"),
    SH.sparql: ("The SPARQL constraint {p} found a problem.", "SPARQL 制約 {p} が問題を見つけた。"),
    SH.ConstraintComponent: ("The value does not satisfy the constraint component {p}.", "値が制約コンポーネント {p} を満たさない。"),
}


def _written(shapes: Shapes, term) -> str:
    """The value of a constraint as a steward reads it: a prefixed name, a literal, or a list in parentheses."""
    if isinstance(term, BNode):
        if (term, RDF.first, None) in shapes.graph:
            return "(" + " ".join(_written(shapes, t) for t in Collection(shapes.graph, term)) + ")"
        return "[…]"
    return shapes.name(term) if not isinstance(term, Literal) else f'"{term}"' if isinstance(term.value, str) else str(term)


def default_messages(shapes: Shapes, shape, constraint, hit) -> list[Literal]:
    """The en and ja messages of a result whose shape gives no sh:message."""
    if isinstance(constraint, ComponentUse):
        key, written = SH.ConstraintComponent, _written(shapes, constraint.component)
    elif isinstance(constraint, SparqlConstraint):
        key, written = SH.sparql, _written(shapes, constraint.node)
    elif constraint.parameter == SH.qualifiedValueShape:
        key = hit.component
        low, high = constraint.value[1:3]
        written = str(low if key == SH.QualifiedMinCountConstraintComponent else high)
    else:
        key, written = constraint.parameter, _written(shapes, constraint.term)
    en, ja = DEFAULT_MESSAGES[key]
    return [Literal(en.format(p=written), lang="en"), Literal(ja.format(p=written), lang="ja")]


def report_graph(hits: list, shapes: Shapes, conforms: bool, to_rdflib=ox_to_rdflib) -> Graph:
    """The SHACL validation report of hits (components.Hit), as an rdflib Graph; to_rdflib converts their terms."""
    graph = Graph()
    bind_all(graph)
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(conforms)))
    copied: set = set()
    for hit in hits:
        graph.add((report, SH.result, _result(graph, hit, shapes, copied, to_rdflib)))
    return graph


def _result(graph: Graph, hit, shapes: Shapes, copied: set, to_rdflib) -> BNode:
    node = BNode()
    shape = hit.shape
    path = hit.path if hit.path is not None else (shape.path.node if shape.path is not None else None)
    graph.add((node, RDF.type, SH.ValidationResult))
    graph.add((node, SH.focusNode, to_rdflib(hit.focus)))
    graph.add((node, SH.resultSeverity, shape.severity))
    graph.add((node, SH.sourceShape, shape.node))
    graph.add((node, SH.sourceConstraintComponent, hit.component))
    constraint = hit.rule.node if isinstance(hit.rule, SparqlConstraint) else None
    for predicate, term in ((SH.resultPath, path), (SH.sourceConstraint, constraint)):
        if term is not None:
            graph.add((node, predicate, term))
    if hit.value is not None:
        graph.add((node, SH.value, to_rdflib(hit.value)))
    for message in hit.messages or shape.messages or default_messages(shapes, shape, hit.rule, hit):
        graph.add((node, SH.resultMessage, message))
    for term in (shape.node, constraint):
        _copy_blank(shapes.graph, term, graph, copied)
    _copy_path(shapes.graph, path, graph)
    for detail in hit.details:
        graph.add((node, SH.detail, _result(graph, detail, shapes, copied, to_rdflib)))
    return node


def _copy_blank(source: Graph, term, target: Graph, copied: set) -> None:
    """A blank shape, path or constraint is copied into the report with what hangs from it (as pyshacl does),
    so that the report says what it was."""
    if not isinstance(term, BNode) or term in copied:
        return
    copied.add(term)
    for predicate, value in source.predicate_objects(term):
        target.add((term, predicate, value))
        _copy_blank(source, value, target, copied)


def _copy_path(source: Graph, term, target: Graph) -> None:
    """A blank path node with the structure that makes it a path, as the validator read it: a list's rdf:first and
    rdf:rest (and nothing else on the node: W3C path-strange-001), or the one SHACL path term of the node."""
    if not isinstance(term, BNode):
        return
    if (term, RDF.first, None) in source:
        for predicate in (RDF.first, RDF.rest):
            for value in source.objects(term, predicate):
                target.add((term, predicate, value))
                _copy_path(source, value, target)
        return
    for predicate, value in source.predicate_objects(term):
        if str(predicate).startswith(str(SH)):
            target.add((term, predicate, value))
            _copy_path(source, value, target)
