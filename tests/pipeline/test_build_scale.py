"""The build at scale (issue 5, part 4) reads the data with pyoxigraph and carries it as Quads through validate,
reason and publish. These tests show that nothing changes for users: the same graphs as rdflib reads (or rdflib
itself, with its error messages, where the two could differ), the same validation report, and the same bytes in
every published file, whether the data are held as Quads or as rdflib Graphs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from ecograph.errors import DataSyntaxError
from ecograph.pipeline import validate as validate_module
from ecograph.pipeline.load import DATA_GRAPHS, Sources, _files, load_graph, load_quads, load_sources
from ecograph.pipeline.publish import write_release
from ecograph.pipeline.reason import Inferences, reason
from ecograph.pipeline.validate import validate
from ecograph.rdf.serialize import Quads, rdflib_graph
from ecograph.settings import PROJECT_ROOT
from ecograph.tools.synth import synthesize
from tests.helpers.project import settings_for

PREFIXES = "@prefix ex: <http://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"


@pytest.fixture(scope="module")
def synth_root(tmp_path_factory):
    return synthesize(PROJECT_ROOT, tmp_path_factory.mktemp("scale") / "root", 2_000, seed=1).out


def _groups(root):
    settings = settings_for(root)
    return settings, {"stated": _files(settings.data_dir), "interpreted": _files(settings.data_dir / "interpreted", recursive=True),
                      "ontology": _files(settings.ontology_dir), "shapes": _files(settings.shapes_dir)}


def _same_graph(quads_and_names: tuple[Quads, Graph], expected: Graph) -> None:
    graph = rdflib_graph(*quads_and_names)
    assert set(graph) == set(expected)
    assert sorted(t.n3() for triple in graph for t in triple) == sorted(t.n3() for triple in expected for t in triple)  # as written
    assert list(graph.namespaces()) == list(expected.namespaces())


@pytest.mark.parametrize("which", ["seed", "synthetic"])
def test_pyoxigraph_reads_what_rdflib_reads(which, synth_root):
    settings, groups = _groups(PROJECT_ROOT if which == "seed" else synth_root)
    for paths in groups.values():
        loaded = load_quads(paths, settings)
        assert isinstance(loaded, tuple), paths  # read by pyoxigraph
        _same_graph(loaded, load_graph(paths, settings))


def test_literals_blank_nodes_and_prefixes_as_rdflib_reads_them(tmp_path):
    one, two = tmp_path / "one.ttl", tmp_path / "two.ttl"
    one.write_text(PREFIXES + 'ex:a ex:n 007, "01"^^xsd:integer, 1.0e3, .5 ; ex:b [ ex:c "x"@ja ] ; ex:d _:b1 .\n'
                   '_:b1 ex:e ( ex:f ex:g ) .\n', encoding="utf-8")
    two.write_text("@prefix zz: <http://example.org/z/> .\n" + PREFIXES + "ex:h ex:d _:b1 . _:b1 ex:e ex:i .\n", encoding="utf-8")
    settings = settings_for(tmp_path)
    loaded = load_quads([one, two], settings)
    assert isinstance(loaded, tuple)
    _same_graph(loaded, load_graph([one, two], settings))


@pytest.mark.parametrize("text", ['ex:a ex:b "x"@EN .', 'ex:a ex:b "x"^^xsd:string .', "ex:a ex:b <http://example.org/a b> .",
                                  "ex:a ex:b ex:.c ."],
                         ids=["language tag with capitals", "explicit xsd:string", "IRI that pyoxigraph refuses", "name that pyoxigraph refuses"])
def test_where_the_parsers_differ_rdflib_reads_the_file(tmp_path, text):
    path = tmp_path / "data.ttl"
    path.write_text(PREFIXES + text + "\n", encoding="utf-8")
    settings = settings_for(tmp_path)
    loaded = load_quads([path], settings)
    assert isinstance(loaded, Graph)
    assert set(loaded) == set(load_graph([path], settings))


@pytest.mark.parametrize(("text", "suffix"), [
    ("ex:a ex:b ex:c\nex:d ex:e ex:f .", ".ttl"), ("ex:a frapox:b ex:c .", ".ttl"), ("ex:a ex:b \"unclosed .", ".ttl"),
    # RDF 1.2, which pyoxigraph reads and rdflib does not
    ("ex:a ex:b << ex:c ex:d ex:e >> .", ".ttl"), ("ex:a ex:b ex:c ~ ex:r .", ".ttl"), ('ex:a ex:b "x"@en--ltr .', ".ttl"),
    ('VERSION "1.2"\nex:a ex:b ex:c .', ".ttl"),
    ("<http://example.org/a> <http://example.org/b> <<( <http://example.org/c> <http://example.org/d> <http://example.org/e> )>> .", ".nt"),
])
def test_a_syntax_error_is_rdflibs_with_line_and_column(tmp_path, text, suffix):
    path = tmp_path / f"broken{suffix}"
    path.write_text((PREFIXES if suffix == ".ttl" else "\n\n") + text + "\n", encoding="utf-8")
    settings = settings_for(tmp_path)
    with pytest.raises(DataSyntaxError) as fast:
        load_quads([path], settings)
    with pytest.raises(DataSyntaxError) as reference:
        load_graph([path], settings)
    assert str(fast.value) == str(reference.value)
    if suffix == ".ttl":  # rdflib's N-Triples parser names no line (pyoxigraph reads RDF 1.2 and cannot either)
        assert fast.value.line and fast.value.line >= 3


def test_the_rdflib_graph_is_made_on_first_use_and_is_then_the_data(synth_root):
    sources = load_sources(settings_for(synth_root))
    assert isinstance(sources.parsed("stated"), Quads)
    count = len(sources.parsed("stated"))
    graph = sources.stated
    assert isinstance(graph, Graph) and len(graph) == count and sources.parsed("stated") is graph
    graph.add((URIRef("https://w3id.org/ecograph/id/x"), RDFS.label, URIRef("https://w3id.org/ecograph/id/y")))
    assert len(sources.parsed("stated")) == count + 1


def _as_rdflib(sources: Sources) -> Sources:
    """The same sources with the data as rdflib Graphs, as they were before Quads."""
    return Sources(ontology=sources.ontology, shapes=sources.shapes, stated=sources.stated, interpreted=sources.interpreted,
                   files=sources.files, alignments=sources.alignments)


@pytest.mark.parametrize("which", ["seed", "synthetic"])
def test_the_same_validation_report_from_quads_and_from_graphs(which, synth_root):
    sources = load_sources(settings_for(PROJECT_ROOT if which == "seed" else synth_root))
    fast = validate(sources, "oxigraph")
    assert all(isinstance(sources.parsed(name), Quads) for name in DATA_GRAPHS)
    reference = validate(_as_rdflib(sources), "oxigraph")
    assert fast.results, "the seed has warnings, with labels and slides to look up"
    assert (fast.to_text(), fast.to_json(), fast.to_ntriples()) == (reference.to_text(), reference.to_json(), reference.to_ntriples())


def test_the_same_validation_report_with_prefixes_of_the_data(tmp_path):
    path = tmp_path / "data" / "x.ttl"
    path.parent.mkdir()
    path.write_text("@prefix ecograph: <https://w3id.org/ecograph/ontology#> .\n@prefix mine: <https://w3id.org/ecograph/id/mine/> .\n"
                    'mine:p a ecograph:SupportProgram ; ecograph:programNumber 99 .\n', encoding="utf-8")
    sources = load_sources(settings_for(PROJECT_ROOT), [path])
    assert isinstance(sources.parsed("stated"), Quads)
    fast = validate_module.validate(sources, "oxigraph")
    reference = validate_module.validate(_as_rdflib(sources), "oxigraph")
    assert "mine:p" in fast.to_text()
    assert fast.to_text() == reference.to_text()


def test_the_same_release_from_quads_and_from_graphs(synth_root, tmp_path):
    sources = load_sources(settings_for(synth_root))
    report, inferences = validate(sources, "oxigraph"), reason(sources)
    fast, reference = tmp_path / "fast", tmp_path / "reference"
    fast.mkdir(), reference.mkdir()
    published = datetime(2026, 1, 1, tzinfo=UTC)  # the date is the one input a release has beside the graphs
    write_release(fast, sources, inferences, report, published)
    graphs = Inferences(stated=inferences.stated, interpreted=inferences.interpreted)
    write_release(reference, _as_rdflib(sources), graphs, report, published)
    names = sorted(p.name for p in fast.iterdir())
    assert names == sorted(p.name for p in reference.iterdir())
    for name in names:
        assert (fast / name).read_bytes() == (reference / name).read_bytes(), name


def test_void_counts_of_graphs_that_share_triples_are_rdflibs(synth_root):
    """describe() counts the union from the tallies of each graph, and reads the triples again only when two
    graphs share one: the counts are those of rdflib graphs in both cases."""
    from rdflib.namespace import VOID

    from ecograph.pipeline.describe import DATASET, describe
    from ecograph.rdf.serialize import quads

    sources = load_sources(settings_for(synth_root))
    stated, interpreted = sources.parsed("stated"), sources.parsed("interpreted")
    shared = Quads([*interpreted, *stated[:50]])
    for graphs in ({URIRef("urn:a"): stated, URIRef("urn:b"): interpreted}, {URIRef("urn:a"): stated, URIRef("urn:b"): shared}):
        as_graphs = {name: rdflib_graph(g) for name, g in graphs.items()}
        meta = describe(graphs, {})
        assert set(meta) == set(describe(as_graphs, {}))
        assert set(describe({name: quads(g) for name, g in as_graphs.items()}, {})) == set(meta)
        union = Graph()
        for g in as_graphs.values():
            for t in g:
                union.add(t)
        assert int(meta.value(DATASET, VOID.triples)) == len(union)
        for part in meta.objects(DATASET, VOID.propertyPartition):
            prop = meta.value(part, VOID.property)
            assert int(meta.value(part, VOID.triples)) == len(list(union.triples((None, prop, None)))), prop


def test_a_syntax_error_in_n_triples_names_line_and_column(tmp_path):
    """rdflib's N-Triples parser says only "Invalid line" (it used to escape as a traceback): the line and column
    are pyoxigraph's."""
    path = tmp_path / "broken.nt"
    path.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"
                    "<http://example.org/a> <http://example.org/b> .\n", encoding="utf-8")
    settings = settings_for(tmp_path)
    for load in (load_graph, load_quads):
        with pytest.raises(DataSyntaxError, match="broken.nt, line 2, column 47: The object of a triple must be"):
            load([path], settings)
