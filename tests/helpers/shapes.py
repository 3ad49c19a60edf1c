"""The project's shapes, ontology and shared data, parsed once per session, and the shape fixtures of tests/shapes/:
what tests/shacl/test_shapes.py and tests/shacl/test_validator_agreement.py both read."""

from __future__ import annotations

import functools

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH

from ecograph.settings import PROJECT_ROOT
from tests.helpers.paths import SHAPE_FIXTURES as FIXTURES

SHARED_DATA = ("data/vocabularies.ttl", "data/interpreted/vocabularies.ttl", "data/source.ttl")
ECOSH = "https://w3id.org/ecograph/shapes#"
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# Used through sh:node or sh:xone by other shapes; they have no target of their own.
HELPER_SHAPES = {"AmountWithValue", "AmountWithoutValue"}


def parse(paths) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


# Parsed once per test session: the shapes, the ontology and the data every fixture is validated with.
SHAPES = parse(sorted((PROJECT_ROOT / "shapes").glob("*.ttl")))
ONTOLOGY = parse(sorted((PROJECT_ROOT / "ontology").glob("*.ttl")))
SHARED = parse(PROJECT_ROOT / name for name in SHARED_DATA)


@functools.cache
def shape_graph(name: str) -> Graph:
    """The shape ecosh:<name> and, transitively, every node of the shapes graph it points to."""
    graph = Graph()
    for prefix, namespace in SHAPES.namespaces():
        graph.bind(prefix, namespace)
    todo, seen = [URIRef(ECOSH + name)], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for predicate, value in SHAPES.predicate_objects(node):
            graph.add((node, predicate, value))
            if isinstance(value, (URIRef, BNode)) and (value, None, None) in SHAPES:
                todo.append(value)
    return graph


def fixtures() -> list:
    return [
        pytest.param(path, id=f"{path.parent.name}/{path.stem}")
        for path in sorted(FIXTURES.glob("*/*.ttl"))
        if path.name.startswith(("valid-", "invalid-"))
    ]
