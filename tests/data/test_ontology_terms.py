"""Discoverable terms (issue 16): every own property says what it connects (schema:domainIncludes and
schema:rangeIncludes), each class or datatype it names exists, the built data agrees with them, they change no
inference, and the ontology page shows each term's labels, local name, CURIE, domain, range and one example
triple of the data, with a term filter that works from the keyboard and leaves the page whole without JavaScript."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, QB, RDF, RDFS, SDO, SKOS, TIME, XSD, DefinedNamespaceMeta

from ecograph.docs import ontology as ontodoc
from ecograph.http import pages
from ecograph.http.language import html_context
from ecograph.namespaces import ECO, FRAPO, INTERPRETED, ONTOLOGY, SD, STATED
from ecograph.pipeline.load import load_sources
from ecograph.pipeline.reason import reason
from ecograph.rdf.terms import to_rdflib
from ecograph.settings import load_settings
from tests.helpers.browser import CHROMIUM, browser_page, describe, run_axe
from tests.helpers.html import StrictHTML
from tests.helpers.paths import FIXTURES
from tests.helpers.rdfload import graphs as read_graphs

DOMAIN = (SDO.domainIncludes, RDFS.domain)
RANGE = (SDO.rangeIncludes, RDFS.range)
PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
# rdfs:domain / rdfs:range put on purpose (each with a test of what it makes a reasoner infer): none so far.
DELIBERATE_DOMAIN_RANGE: set[tuple[URIRef, URIRef]] = set()
# Classes of vocabularies whose axioms are not loaded here, as their specifications state them.
VOCABULARY_SUBCLASSES = {
    OWL.ObjectProperty: {RDF.Property}, OWL.DatatypeProperty: {RDF.Property}, OWL.AnnotationProperty: {RDF.Property},
    QB.MeasureProperty: {QB.ComponentProperty}, QB.DimensionProperty: {QB.ComponentProperty},
    QB.AttributeProperty: {QB.ComponentProperty}, QB.ComponentProperty: {RDF.Property},
    SKOS.OrderedCollection: {SKOS.Collection},
}
ANYTHING = {OWL.Thing, RDFS.Resource}
DATATYPES_OUTSIDE_XSD = {RDF.langString, RDF.HTML, RDF.XMLLiteral, RDFS.Literal}
CLOSED = (DCTERMS, SKOS, PROV, ORG, FOAF, QB, TIME, RDF, RDFS, OWL, SDO)
# SPARQL 1.1 Service Description, section 3.2 (rdflib ships no closed namespace for it)
SD_CLASSES = {"Service", "Feature", "Language", "Function", "Aggregate", "EntailmentRegime", "EntailmentProfile",
              "GraphCollection", "Dataset", "NamedGraph", "Graph"}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(load_settings().ontology_dir / "ecograph.ttl", format="turtle")


@pytest.fixture(scope="module")
def built(built_root) -> dict:
    """The graphs of the session's build, by name (dist/dataset.nq)."""
    return read_graphs(built_root / "dist" / "dataset.nq")


@pytest.fixture(scope="module")
def examples(built) -> ontodoc.Examples:
    return ontodoc.examples_from(built[ONTOLOGY], {str(STATED): built[STATED], str(INTERPRETED): built[INTERPRETED]})


def own_properties(ontology: Graph) -> list[URIRef]:
    found = {s for kind in PROPERTY_KINDS for s in ontology.subjects(RDF.type, kind) if str(s).startswith(str(ECO))}
    return sorted(found, key=str)


def values(graph: Graph, prop: URIRef, axioms) -> set:
    return {o for axiom in axioms for o in graph.objects(prop, axiom)}


def _exists_as_class(node, ontology: Graph) -> bool:
    if node in ANYTHING or node == RDF.Property or (node, RDF.type, OWL.Class) in ontology:
        return True
    local = str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    if str(node).startswith(str(SD)):
        return local in SD_CLASSES
    if str(node).startswith(str(FRAPO)):
        frapo = {line.strip() for line in (FIXTURES / "frapo-terms.txt").read_text(encoding="utf-8").splitlines()}
        return local in frapo and local[:1].isupper()
    vocabulary = next((ns for ns in CLOSED if str(node).startswith(str(ns))), None)
    return isinstance(vocabulary, DefinedNamespaceMeta) and node in vocabulary and local[:1].isupper()


def _exists_as_datatype(node) -> bool:
    return node in DATATYPES_OUTSIDE_XSD or (str(node).startswith(str(XSD)) and node in XSD and str(node)[len(str(XSD)):][:1].islower())


# ------------------------------------------------------------------ the ontology says what each property connects


def test_every_own_property_has_a_domain_and_a_range(ontology):
    properties = own_properties(ontology)
    assert len(properties) >= 77
    missing = [f"{p}: no {name}" for p in properties for name, axioms in (("domain", DOMAIN), ("range", RANGE))
               if not values(ontology, p, axioms)]
    assert missing == []


def test_domain_and_range_name_classes_and_datatypes_that_exist(ontology):
    problems = []
    for prop in own_properties(ontology):
        datatype_property = (prop, RDF.type, OWL.DatatypeProperty) in ontology
        for node in values(ontology, prop, DOMAIN):
            if not _exists_as_class(node, ontology):
                problems.append(f"{prop} domain {node}: not a class of the ontology or of a vocabulary it uses")
        for node in values(ontology, prop, RANGE):
            fits = _exists_as_datatype(node) if datatype_property else _exists_as_class(node, ontology)
            if not fits:
                problems.append(f"{prop} range {node}: not a {'datatype' if datatype_property else 'class'} that exists")
    assert problems == []


def test_rdfs_domain_and_range_only_on_purpose(ontology):
    """rdfs:domain and rdfs:range make a reasoner type whatever a property links (ONTOLOGY.md): each one needs a
    test of its inference, like tests/pipeline/test_reason.py, and its place in DELIBERATE_DOMAIN_RANGE."""
    stated = {(s, p) for p in (RDFS.domain, RDFS.range) for s in ontology.subjects(p, None) if str(s).startswith(str(ECO))}
    assert stated == DELIBERATE_DOMAIN_RANGE


def test_the_annotations_change_no_inference(built_settings):
    sources = load_sources(built_settings)
    annotated = reason(sources)
    bare = Graph()
    for triple in sources.ontology:
        if triple[1] not in (SDO.domainIncludes, SDO.rangeIncludes):
            bare.add(triple)
    assert len(bare) < len(sources.ontology)
    sources.ontology = bare
    plain = reason(sources)
    assert set(annotated.parsed("stated")) == set(plain.parsed("stated"))
    assert set(annotated.parsed("interpreted")) == set(plain.parsed("interpreted"))


# ------------------------------------------------------------------ the data agrees


def _classes_of(built: dict) -> tuple[dict, dict]:
    """Every node's classes (all graphs of the build, the ontology's own typing of properties included), and
    each class with all its superclasses (the ontology's rdfs:subClassOf and VOCABULARY_SUBCLASSES)."""
    types: dict = {}
    for graph in built.values():
        for s, o in graph.subject_objects(RDF.type):
            types.setdefault(s, set()).add(o)
    direct: dict = {c: set(supers) for c, supers in VOCABULARY_SUBCLASSES.items()}
    for s, o in built[ONTOLOGY].subject_objects(RDFS.subClassOf):
        direct.setdefault(s, set()).add(o)
    closure: dict = {}
    for cls in {c for cs in types.values() for c in cs} | set(direct):
        seen, todo = {cls}, [cls]
        while todo:
            for sup in direct.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        closure[cls] = seen
    return types, closure


def _fits(node, allowed: set, types: dict, closure: dict) -> bool:
    if isinstance(node, Literal):
        datatype = RDF.langString if node.language else (node.datatype or XSD.string)
        return datatype in allowed or RDFS.Literal in allowed
    if allowed & ANYTHING:
        return True
    return any(closure.get(cls, {cls}) & allowed for cls in types.get(node, ()))


def test_the_built_data_agrees_with_domains_and_ranges(ontology, built):
    """For every triple of the build whose predicate is an own property: the subject has a class that is (a
    subclass of) one of the domain's, and the object fits the range (its datatype, or a class of it)."""
    types, closure = _classes_of(built)
    properties = set(own_properties(ontology))
    problems, checked = set(), 0
    for name, graph in built.items():
        for s, p, o in graph:
            if p not in properties:
                continue
            checked += 1
            if not _fits(s, values(ontology, p, DOMAIN), types, closure):
                problems.add(f"{name}: {p} on {s}, typed {sorted(types.get(s, ()))}: outside the domain")
            if not _fits(o, values(ontology, p, RANGE), types, closure):
                what = o.datatype or ("rdf:langString" if isinstance(o, Literal) and o.language else sorted(types.get(o, ())))
                problems.add(f"{name}: {p} to {o!r} ({what}): outside the range")
    assert checked > 2000
    assert sorted(problems) == []


def test_the_service_description_agrees_with_domains_and_ranges(ontology, client):
    """The endpoint's limits (ecograph:maxRows …) live in the service description, not in the build."""
    described = Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).data, format="turtle")
    types, closure = _classes_of({ONTOLOGY: ontology, None: described})
    used = [(s, p, o) for s, p, o in described if str(p).startswith(str(ECO))]
    assert {p for _, p, _ in used} == {ECO.queryTimeoutSeconds, ECO.maxRows, ECO.maxRequestBytes}
    for s, p, o in used:
        assert _fits(s, values(ontology, p, DOMAIN), types, closure), (s, p)
        assert _fits(o, values(ontology, p, RANGE), types, closure), (p, o)


# ------------------------------------------------------------------ the page shows it


def _section(page: str, local: str) -> str:
    match = re.search(rf'<section class="term" id="{local}".*?</section>', page, re.DOTALL)
    assert match, f"no section for {local}"
    return match.group(0)




def _strict(page: str) -> None:
    parser = StrictHTML()
    parser.feed(page)
    parser.close()
    assert parser.errors == [] and parser.stack == [], (parser.errors, parser.stack)


@pytest.mark.parametrize("order", [("ja", "en"), ("en", "ja")])
def test_each_term_shows_names_domain_range_and_an_example(built, examples, order):
    ontology = built[ONTOLOGY]
    page = ontodoc.render(ontology, order, examples)
    _strict(page)
    assert f'<html lang="{order[0]}">' in page
    stakeholder = _section(page, "stakeholder")
    assert "<code>stakeholder</code>" in stakeholder and "<code>ecograph:stakeholder</code>" in stakeholder
    assert 'href="#SupportLine"' in stakeholder                                   # the domain, an own class
    assert f'href="{SKOS.Concept}"' in stakeholder                                # the range, a reused class
    assert "ステークホルダー" in stakeholder and ">stakeholder<" in stakeholder    # both labels
    assert 'href="#stakeholder"' in _section(page, "SupportLine")                 # the class lists its properties
    for term, example in examples.triples.items():
        local = term[len(str(ECO)):]
        shown = _section(page, local)
        assert 'class="example"' in shown, local
        assert escape(ontodoc._curie(example.subject)) in shown, local


def test_each_example_is_the_first_triple_of_the_data_in_sorted_order(built, examples):
    terms = {str(t) for t in built[ONTOLOGY].subjects(RDF.type, None) if str(t).startswith(str(ECO))}
    missing = sorted(t[len(str(ECO)):] for t in terms - set(examples.triples))
    assert missing == ["maxRequestBytes", "maxRows", "queryTimeoutSeconds"]   # used only by the service description
    for term, example in examples.triples.items():
        graph = built[URIRef(example.graph)]
        obj = to_rdflib(example.object)
        assert (URIRef(example.subject), URIRef(example.predicate), obj) in graph, term
        if example.predicate == str(RDF.type):
            firsts = sorted(str(s) for s in graph.subjects(RDF.type, URIRef(term)) if isinstance(s, URIRef))
        else:
            firsts = sorted(str(s) for s in graph.subjects(URIRef(term), None) if isinstance(s, URIRef))
        assert example.subject == firsts[0], term
        if example.graph == str(INTERPRETED):
            assert (None, URIRef(term), None) not in built[STATED], f"{term}: the stated graph comes first"


def test_examples_from_the_builds_quads_are_the_same(built_settings, examples):
    """publish holds the data as pyoxigraph Quads: examples_from reads them without an rdflib copy."""
    sources = load_sources(built_settings)
    graphs = {str(STATED): sources.parsed("stated"), str(INTERPRETED): sources.parsed("interpreted")}
    assert ontodoc.examples_from(sources.ontology, graphs) == examples


def test_the_served_page_shows_the_same_examples(client, built, examples):
    """The server finds its examples with SPARQL (linked.py); they are the ones examples_from finds."""
    page = client.get("/ontology?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    with client.application.test_request_context("/ontology?lang=en"):
        h = html_context()
        chrome = (pages.site_head(h), pages.site_nav(h, "/ontology"))
    assert page == ontodoc.render(built[ONTOLOGY], ("en", "ja"), examples, chrome=chrome)


def test_the_filter_is_labelled_inline_and_hidden_without_javascript(built, examples):
    page = ontodoc.render(built[ONTOLOGY], ("ja", "en"), examples)
    box = re.search(r'<div class="filter" role="search" hidden><label for="term-filter">.*?</label> <input type="search" id="term-filter"', page)
    assert box, "a labelled search box, hidden until the script shows it"
    assert re.findall(r"<script[^>]*>", page) == ["<script>"] and " src=" not in page
    script = page.split("<script>", 1)[1].split("</script>", 1)[0]
    assert script == ontodoc.SCRIPT and "</" not in script
    assert not re.search(r'<section class="term"[^>]* hidden', page), "every term is shown without JavaScript"
    assert page.count('<section class="term"') == len({t for k, *_ in ontodoc.KINDS for t in ontodoc._Page(built[ONTOLOGY], ()).terms(k)})


def test_everything_on_the_page_is_escaped():
    hostile = '<script>alert(1)</script>"&'
    ontology = Graph().parse(format="turtle", data=f"""
        @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix schema: <https://schema.org/> . @prefix vann: <http://purl.org/vocab/vann/> .
        <https://example.org/o> a owl:Ontology ; vann:preferredNamespaceUri "https://example.org/o#" .
        <https://example.org/o#C> a owl:Class ; rdfs:label {Literal(hostile).n3()}@en .
        <https://example.org/o#p> a owl:DatatypeProperty ; rdfs:label "p"@en ;
            schema:domainIncludes <https://example.org/o#C> ; schema:rangeIncludes <https://example.org/x?a=1&b='2'> .""")
    subject = "https://example.org/s?a=1&b='2'"
    found = ontodoc.Examples(ontodoc.pick_examples(
        [("g", subject, "https://example.org/o#p", ("literal", hostile + "</script>", None, "en"))],
        {"https://example.org/o#p"}, ("g",)), {subject: [("en", hostile)]})
    page = ontodoc.render(ontology, ("en",), found)
    _strict(page)
    assert "<script>alert" not in page and page.count("</script>") == 1
    assert escape(hostile) in page                                                   # a label
    assert escape('"' + hostile.replace('"', '\\"') + '</script>"') + "</span>@en" in page  # a literal, as Turtle writes it
    assert 'href="https://example.org/x?a=1&amp;b=&#x27;2&#x27;"' in page and "s?a=1&amp;b=&#x27;2&#x27;" in page
    assert re.search(r'data-search="[^"<>]*&lt;script&gt;alert\(1\)&lt;/script&gt;&quot;&amp;"', page)  # what the filter reads


# ------------------------------------------------------------------ in a browser


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed (tests/helpers/browser.py)")
def test_the_filter_works_from_the_keyboard(built, examples, tmp_path):
    path = tmp_path / "ontology.html"
    path.write_text(ontodoc.render(built[ONTOLOGY], ("en", "ja"), examples), encoding="utf-8")
    total = len({t for k, *_ in ontodoc.KINDS for t in ontodoc._Page(built[ONTOLOGY], ()).terms(k)})
    with browser_page(tmp_path / "profile", width=390) as page:
        page.goto(path.as_uri())
        assert page.get_by_label("Filter terms").is_visible()
        for _ in range(40):  # Tab from the top reaches the box
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "term-filter":
                break
        assert page.evaluate("document.activeElement.id") == "term-filter"
        page.keyboard.type("Stake")
        assert page.locator("section.term:visible").count() == 4
        assert page.locator("#term-count").inner_text() == f"4 of {total} terms"
        first = page.locator("section.term:visible").first.get_attribute("id")
        page.keyboard.press("Enter")                                   # to the first term shown, focus and all
        assert page.evaluate("[location.hash, document.activeElement.id]") == ["#" + first, first]
        page.get_by_label("Filter terms").focus()
        page.keyboard.press("Escape")                                  # the search box's own: clears the filter
        assert page.locator("section.term:visible").count() == total
        found = run_axe(page)
        assert not found, describe(found)
