"""Every shape has fixtures that it accepts and fixtures that it rejects.

tests/shapes/<Shape>/valid-*.ttl must draw no result from ecosh:<Shape>; tests/shapes/<Shape>/invalid-*.ttl start
with `# expect: <text>` and must draw a result from ecosh:<Shape> whose message (en or ja) contains <text>.
Each fixture is validated together with the ontology, the code lists (data/vocabularies.ttl, and the interpreted
order of the drug milestones) and data/source.ttl (the slides every resource points to). The shapes graph is the folder's shape with everything it refers to
(its property shapes, the code-list shapes it names with sh:node, its SPARQL constraints and their prefixes), taken
from all of shapes/*.ttl: a shape's results do not depend on unrelated shapes, and validating each fixture against
every shape cost about a second per fixture. Generic shapes are tested in their own folders (LabelShape,
ProvenanceShape), so a fixture need not satisfy them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, URIRef
from rdflib.namespace import SH

from ecograph.pipeline.validate import validate_graph
from tests.helpers.shapes import ECOSH, FIXTURES, HELPER_SHAPES, ONTOLOGY, SHAPES, SHARED, TARGETS
from tests.helpers.shapes import fixtures as _fixtures
from tests.helpers.shapes import parse as _parse
from tests.helpers.shapes import shape_graph as _shape_graph


def _expectation(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name}: an invalid fixture starts with '# expect: <message text>'"
    return first.removeprefix("# expect: ").strip()


def _targeted_node_shapes() -> set[str]:
    """Local names of the named node shapes that select their own focus nodes (code-list members excluded)."""
    names = set()
    for shape in set(SHAPES.subjects(RDF.type, SH.NodeShape)):
        if not isinstance(shape, URIRef) or not str(shape).startswith(ECOSH):
            continue
        name = str(shape).removeprefix(ECOSH)
        if name.endswith("Member") or name in HELPER_SHAPES:
            continue
        if any(SHAPES.value(shape, target) is not None for target in TARGETS):
            names.add(name)
    return names


@pytest.mark.parametrize("path", _fixtures())
def test_shape_fixture(path: Path) -> None:
    shape = f"ecosh:{path.parent.name}"
    data = _parse([path]) + SHARED
    results = [r for r in validate_graph(data, _shape_graph(path.parent.name), ONTOLOGY).results if r.shape == shape]
    if path.name.startswith("valid-"):
        assert not results, f"{shape} rejects {path.name}:\n" + "\n".join(f"  {r.focus}: {r.message_en}" for r in results)
    else:
        expected = _expectation(path)
        messages = [m for r in results for m in (r.message_en, r.message_ja) if m]
        assert any(expected in m for m in messages), f"{shape} gave no message containing {expected!r}; it gave: {messages}"


def test_every_shape_has_fixtures() -> None:
    missing = []
    for name in sorted(_targeted_node_shapes()):
        folder = FIXTURES / name
        kinds = {p.name.split("-", 1)[0] for p in folder.glob("*.ttl")} if folder.is_dir() else set()
        if not {"valid", "invalid"} <= kinds:
            missing.append(f"{name} (has: {', '.join(sorted(kinds)) or 'nothing'})")
    assert not missing, "shapes without a valid and an invalid fixture in tests/shapes/: " + "; ".join(missing)


def test_every_fixture_folder_names_a_shape() -> None:
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert folders <= _targeted_node_shapes(), f"fixture folders without a shape: {sorted(folders - _targeted_node_shapes())}"


def test_every_class_the_data_uses_is_the_target_of_a_shape():
    """"A shape for every class the data uses": each rdf:type in the stated and interpreted data is the target
    class of some shape, directly or through a superclass in the ontology."""
    import rdflib
    from rdflib.namespace import RDFS, SH

    from ecograph.pipeline.load import load_sources
    from ecograph.settings import load_settings

    sources = load_sources(load_settings())
    targets = set(sources.shapes.objects(None, SH.targetClass))
    supers: dict = {}
    for sub, sup in sources.ontology.subject_objects(RDFS.subClassOf):
        supers.setdefault(sub, set()).add(sup)

    def ancestors(cls, seen=None):
        seen = set() if seen is None else seen
        for parent in supers.get(cls, ()):
            if parent not in seen:
                seen.add(parent)
                ancestors(parent, seen)
        return seen

    used = set(sources.data().objects(None, rdflib.RDF.type))
    missing = sorted(str(c) for c in used if c not in targets and not ancestors(c) & targets)
    assert missing == []
