"""Every literal of data/*.ttl and data/interpreted/*.ttl reaches users exactly as written, lexical form and
datatype (issue 13): in the published dumps (dist/stated.*, dist/interpreted.*, dist/dataset.*) and on the
linked-data pages (/data/id/….ttl, served from the store).

The literals are read with pyoxigraph's parser, which keeps a lexical form as written ("007"^^xsd:integer stays
"007"); pyoxigraph's store does not: it keeps a typed literal in its canonical form ("7"), so a page or an answer
would show "7" (README, "Terms"). The project writes its data in canonical form so that nothing changes on the way;
this test is what says it does. (Language tags are compared in lower case, as RDF 1.1 compares them.)"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from ecograph.namespaces import BASE, INTERPRETED, STATED

FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
           ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD}
GRAPHS = {"stated": str(STATED), "interpreted": str(INTERPRETED)}


def _triples(path: Path, graph: str | None = None) -> set[tuple]:
    """The triples of an RDF file (of one graph of a dataset file) whose object is a literal."""
    parsed = ox.parse(path=str(path), format=FORMATS[path.suffix], base_iri=path.resolve().as_uri())
    return {(q.subject, q.predicate, q.object) for q in parsed
            if isinstance(q.object, ox.Literal) and (graph is None or getattr(q.graph_name, "value", None) == graph)}


def written(root: Path) -> dict[str, set[tuple]]:
    """The literal triples of the data as written: data/*.ttl are stated, data/interpreted/*.ttl interpreted."""
    data = root / "data"
    return {"stated": set().union(*(_triples(p) for p in sorted(data.glob("*.ttl")))),
            "interpreted": set().union(*(_triples(p) for p in sorted((data / "interpreted").glob("*.ttl"))))}


def _missing(wanted: set[tuple], found: set[tuple]) -> list[str]:
    return sorted(f"<{s.value}> <{p.value}> {o}" for s, p, o in wanted - found)[:10]


@pytest.fixture(scope="module")
def data_literals(built_root) -> dict[str, set[tuple]]:
    found = written(built_root)
    assert all(not isinstance(s, ox.BlankNode) for triples in found.values() for s, _, _ in triples), "pages: see the test of pages"
    assert sum(map(len, found.values())) > 2000  # the seed: 2,940 literals, of 640 resources
    return found


@pytest.mark.parametrize("name", ["stated", "interpreted"])
@pytest.mark.parametrize("suffix", [".ttl", ".nt"])
def test_every_literal_is_in_its_graphs_dump(built_root, data_literals, name, suffix):
    dump = built_root / "dist" / f"{name}{suffix}"
    assert not _missing(data_literals[name], _triples(dump)), f"dist/{dump.name} changed literals of the data"


@pytest.mark.parametrize("suffix", [".nq", ".trig", ".jsonld"])
def test_every_literal_is_in_the_dataset_dump(built_root, data_literals, suffix):
    dump = built_root / "dist" / f"dataset{suffix}"
    for name, graph in GRAPHS.items():
        assert not _missing(data_literals[name], _triples(dump, graph)), f"dist/{dump.name}, graph {name}: literals changed"


def test_every_literal_is_on_its_linked_data_page(client, data_literals):
    by_subject: dict[str, set[tuple]] = {}
    for triples in data_literals.values():
        for triple in triples:
            by_subject.setdefault(triple[0].value, set()).add(triple)
    changed = []
    for iri, wanted in sorted(by_subject.items()):
        assert iri.startswith(BASE + "id/"), f"<{iri}> has no linked-data page"
        response = client.get(f"/data/id/{iri[len(BASE + 'id/'):]}.ttl")
        assert response.status_code == 200, iri
        page = {(q.subject, q.predicate, q.object) for q in ox.parse(response.get_data(), format=ox.RdfFormat.TURTLE)}
        changed += _missing(wanted, page)
    assert not changed, f"{len(changed)} literals are not on their page as written, e.g. {changed[:5]}"
