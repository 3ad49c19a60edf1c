"""The checklist "What a well-published ontology carries" (ONTOLOGY.md), one test per item, against
ontology/ecograph.ttl and shapes/; plus the alignments file, which must stay out of the core ontology.

Item 14 (DCAT + VoID counts) and 15 (example queries) are tested elsewhere."""

from __future__ import annotations

import os
import re
import shutil
from html import escape

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, QB, RDF, RDFS, SDO, SH, SKOS, TIME, VANN, VOID, XSD, DefinedNamespaceMeta

from ecograph.docs import ontology as ontodoc
from ecograph.namespaces import BASE, ECO, FRAPO, ONTOLOGY_IRI, PREFIXES
from ecograph.pipeline.load import load_sources
from ecograph.rdf import serialize
from ecograph.settings import load_settings
from tests.helpers.html import StrictHTML
from tests.helpers.paths import FIXTURES

ONT = URIRef(ONTOLOGY_IRI)
ALIGNMENTS_IRI = URIRef(ONTOLOGY_IRI + "/alignments")
EURIO = "http://data.europa.eu/s66#"
WIKIDATA = "http://www.wikidata.org/entity/"
CLASS_TYPES = (OWL.Class,)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
TERM_TYPES = CLASS_TYPES + PROPERTY_TYPES + (RDF.Property,)
BUILTIN = (str(RDF), str(RDFS), str(OWL))
# https://semver.org/#is-there-a-suggested-regular-expression-regex-to-check-a-semver-string
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
                    r"(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$")
FILE_EXTENSION = re.compile(r"\.(ttl|owl|rdf|xml|nt|n3|jsonld|json|html?|trig|nq)$", re.IGNORECASE)
# Closed vocabularies that rdflib ships. Membership is tested with `in`: attribute access raises
# AttributeError only where rdflib sets _fail (SDO, TIME, DCAT and XSD only warn).
CLOSED = (DCTERMS, SKOS, PROV, ORG, FOAF, QB, TIME, VANN, VOID, DCAT, RDF, RDFS, OWL, XSD, SH, SDO)


def _term_list(name: str) -> set[str]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


@pytest.fixture(scope="module")
def settings():
    return load_settings()


@pytest.fixture(scope="module")
def ontology(settings) -> Graph:
    return Graph().parse(settings.ontology_dir / "ecograph.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes(settings) -> Graph:
    graph = Graph()
    for path in sorted(settings.shapes_dir.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def alignments(settings) -> Graph:
    return Graph().parse(settings.ontology_dir / "alignments" / "ecograph-alignments.ttl", format="turtle")


def own_terms(graph: Graph, types=TERM_TYPES) -> list[URIRef]:
    found = {s for t in types for s in graph.subjects(RDF.type, t) if isinstance(s, URIRef) and str(s).startswith(str(ECO))}
    return sorted(found, key=str)


def langs(graph: Graph, subject, prop) -> list[str | None]:
    return sorted(o.language or "" for o in graph.objects(subject, prop) if isinstance(o, Literal))


def one(graph: Graph, subject, prop):
    values = list(graph.objects(subject, prop))
    assert len(values) == 1, f"{prop} of {subject}: expected exactly one value, got {values}"
    return values[0]


# 1 ------------------------------------------------------------------------------------------------


def test_01_one_ontology_with_a_persistent_iri_and_no_file_extensions(ontology):
    assert list(ontology.subjects(RDF.type, OWL.Ontology)) == [ONT]
    iris = [ONT, *own_terms(ontology), *(o for o in ontology.objects(ONT, OWL.versionIRI))]
    assert [str(i) for i in iris if FILE_EXTENSION.search(str(i))] == []


# 2 ------------------------------------------------------------------------------------------------


def test_02_version_iri_ends_with_the_semver_version_info(ontology):
    version_iri = one(ontology, ONT, OWL.versionIRI)
    version = str(one(ontology, ONT, OWL.versionInfo))
    assert isinstance(version_iri, URIRef)
    assert SEMVER.match(version), f"owl:versionInfo {version!r} is not SemVer"
    assert str(version_iri).startswith(ONTOLOGY_IRI + "/")
    assert str(version_iri).rstrip("/").rsplit("/", 1)[-1] == version
    for prior in ontology.objects(ONT, OWL.priorVersion):  # from the second release on
        assert isinstance(prior, URIRef) and prior != version_iri


# 3 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("prop", [DCTERMS.title, DCTERMS.description], ids=["title", "description"])
def test_03_title_and_description_once_per_language(ontology, prop):
    assert langs(ontology, ONT, prop) == ["en", "ja"]


# 4 ------------------------------------------------------------------------------------------------


def test_04_licence_is_an_iri_and_rights_name_source_and_processing(ontology):
    assert isinstance(one(ontology, ONT, DCTERMS.license), URIRef)
    rights = {o.language: str(o) for o in ontology.objects(ONT, DCTERMS.rights)}
    assert set(rights) == {"ja", "en"}
    assert "出典" in rights["ja"] and "加工" in rights["ja"], rights["ja"]
    assert "source" in rights["en"].lower() and "processed" in rights["en"].lower(), rights["en"]


# 5 ------------------------------------------------------------------------------------------------


def test_05_creator_publisher_and_dates(ontology):
    for prop in (DCTERMS.creator, DCTERMS.publisher):
        assert list(ontology.objects(ONT, prop)), f"no {prop}"
    dates = {}
    for prop in (DCTERMS.created, DCTERMS.issued, DCTERMS.modified):
        value = one(ontology, ONT, prop)
        assert isinstance(value, Literal) and value.datatype == XSD.date, f"{prop} must be an xsd:date, got {value!r}"
        assert value.ill_typed is False, f"{prop} {value} is not a valid date"
        dates[prop] = value.toPython()
    assert dates[DCTERMS.created] <= dates[DCTERMS.issued] <= dates[DCTERMS.modified]


# 6 ------------------------------------------------------------------------------------------------


def test_06_preferred_prefix_and_namespace_match_the_terms_and_a_citation_exists(ontology):
    prefix = str(one(ontology, ONT, VANN.preferredNamespacePrefix))
    namespace = str(one(ontology, ONT, VANN.preferredNamespaceUri))
    assert namespace == str(ECO) and str(PREFIXES[prefix]) == namespace
    assert dict(ontology.namespaces()).get(prefix) == URIRef(namespace), "the file binds a different prefix"
    assert own_terms(ontology) and all(str(t).startswith(namespace) for t in own_terms(ontology))
    citations = [str(c) for c in ontology.objects(ONT, DCTERMS.bibliographicCitation)]
    assert citations, "no dcterms:bibliographicCitation"
    version = str(one(ontology, ONT, OWL.versionInfo))
    assert all(ONTOLOGY_IRI in c and version in c for c in citations), citations


# 7 ------------------------------------------------------------------------------------------------


def test_07_every_own_term_has_labels_definitions_and_is_defined_by(ontology):
    problems = []
    for term in own_terms(ontology):
        for prop in (RDFS.label, SKOS.definition):
            if langs(ontology, term, prop) != ["en", "ja"]:
                problems.append(f"{term}: {prop} languages {langs(ontology, term, prop)}, want exactly one ja and one en")
        if list(ontology.objects(term, RDFS.isDefinedBy)) != [ONT]:
            problems.append(f"{term}: rdfs:isDefinedBy must be <{ONT}>")
    declared = set(own_terms(ontology))
    used = {n for t in ontology for n in t if isinstance(n, URIRef) and str(n).startswith(str(ECO))}
    problems += [f"{t}: used but not declared" for t in sorted(used - declared)]
    assert problems == []


# 8 ------------------------------------------------------------------------------------------------


def test_08_naming_conventions(ontology):
    local = {t: str(t)[len(str(ECO)):] for t in own_terms(ontology)}
    classes = set(own_terms(ontology, CLASS_TYPES))
    bad = [f"class {n}" for t, n in local.items() if t in classes and not re.fullmatch(r"[A-Z][A-Za-z0-9]*", n)]
    bad += [f"property {n}" for t, n in local.items() if t not in classes and not re.fullmatch(r"[a-z][A-Za-z0-9]*", n)]
    assert bad == []


# 9 ------------------------------------------------------------------------------------------------


def test_09_no_terms_defined_in_namespaces_we_do_not_own(ontology):
    """A foreign term may be declared (its OWL kind, for OWL 2 DL) but never given labels, axioms or definitions."""
    allowed = {(RDF.type, t) for t in CLASS_TYPES + PROPERTY_TYPES}
    defined = sorted({f"{s} {p} {o}" for s, p, o in ontology
                      if isinstance(s, URIRef) and not str(s).startswith(BASE) and (p, o) not in allowed})
    assert defined == []


def _vocabulary(iri: str):
    for ns in CLOSED:
        if iri.startswith(str(ns)):
            return ns
    if iri.startswith(str(FRAPO)):
        return {str(FRAPO) + t for t in _term_list("frapo-terms.txt")}
    return None


def test_09_every_reused_term_exists_in_its_vocabulary(ontology):
    annotation_props = set(ontology.subjects(RDF.type, OWL.AnnotationProperty)) | {DCTERMS.license, DCTERMS.source}
    missing, unchecked = [], []
    for s, p, o in ontology:
        for position, node in (("s", s), ("p", p), ("o", o)):
            if not isinstance(node, URIRef) or str(node).startswith(BASE):
                continue
            vocabulary = _vocabulary(str(node))
            if vocabulary is None:
                # links such as the licence are values of annotations, not reused terms
                if not (position == "o" and p in annotation_props):
                    unchecked.append(str(node))
            elif isinstance(vocabulary, DefinedNamespaceMeta):
                if node not in vocabulary:
                    missing.append(str(node))
            elif str(node) not in vocabulary:
                missing.append(str(node))
    assert sorted(set(missing)) == [], "terms not in their vocabulary (FRAPO: tests/fixtures/frapo-terms.txt)"
    assert sorted(set(unchecked)) == [], "terms of a vocabulary this test cannot check; add a term list for it"


# 10 -----------------------------------------------------------------------------------------------


def test_10_stays_in_owl2_dl_every_property_and_class_declared_once(ontology):
    builtin = lambda n: str(n).startswith(BUILTIN)
    props = {p for p in ontology.predicates() if not builtin(p)}
    for axiom in (RDFS.subPropertyOf, OWL.inverseOf, OWL.equivalentProperty, RDFS.domain, RDFS.range):
        props |= {s for s in ontology.subjects(axiom, None) if not builtin(s)}
    props |= {o for o in ontology.objects(None, RDFS.subPropertyOf)} | set(ontology.objects(None, OWL.onProperty))
    props |= {s for t in PROPERTY_TYPES + (RDF.Property,) for s in ontology.subjects(RDF.type, t)}
    problems = []
    for prop in sorted(props, key=str):
        kinds = [t for t in PROPERTY_TYPES if (prop, RDF.type, t) in ontology]
        if len(kinds) != 1:
            problems.append(f"property {prop}: declared as {kinds or 'nothing'}, want exactly one OWL property kind")
    classes = {o for o in ontology.objects(None, RDF.type) if isinstance(o, URIRef) and not builtin(o)}
    classes |= {n for s, o in ontology.subject_objects(RDFS.subClassOf) for n in (s, o) if isinstance(n, URIRef)}
    for cls in sorted(classes, key=str):
        if (cls, RDF.type, OWL.Class) not in ontology or any((cls, RDF.type, t) in ontology for t in PROPERTY_TYPES):
            problems.append(f"class {cls}: must be declared owl:Class (and nothing else)")
    assert problems == []


def test_10_consistent_with_no_unsatisfiable_classes_under_hermit(ontology, tmp_path):
    owlready2 = pytest.importorskip("owlready2")
    if shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail("HermiT needs Java; install a headless JRE in CI")
        pytest.skip("HermiT needs Java (java is not on PATH)")
    path = tmp_path / "ecograph.rdf"
    path.write_text(serialize.rdfxml(ontology), encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    try:
        owlready2.sync_reasoner(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError as exc:
        pytest.fail(f"HermiT finds the ontology inconsistent: {exc}")
    assert [str(c) for c in world.inconsistent_classes()] == []


# 11 -----------------------------------------------------------------------------------------------


# rdflib's JSON-LD parser builds a ConjunctiveGraph internally, which rdflib itself deprecates.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("fmt", ["turtle", "xml", "json-ld", "nt"])
def test_11_serialisations_are_isomorphic(ontology, fmt):
    text = {"turtle": serialize.turtle, "xml": serialize.rdfxml, "json-ld": serialize.jsonld, "nt": serialize.ntriples}[fmt](ontology)
    back = Graph().parse(data=text, format=fmt)
    assert len(back) == len(ontology)
    assert isomorphic(back, ontology)


# 12 -----------------------------------------------------------------------------------------------




def test_12_html_documentation_from_the_ontology_itself(ontology):
    page = ontodoc.render(ontology)
    parser = StrictHTML()
    parser.feed(page)
    parser.close()
    assert parser.errors == [] and parser.stack == [], (parser.errors, parser.stack)
    for term in own_terms(ontology):
        labels = [str(o) for o in ontology.objects(term, RDFS.label) if isinstance(o, Literal) and o.language == "ja"]
        assert labels, f"{term} has no ja label to show"
        assert f'id="{str(term)[len(str(ECO)):]}"' in page and str(term) in page, term
        assert all(escape(ja) in page for ja in labels), labels
    assert not re.search(r"<link|@import|url\(|\ssrc=", page), "the page must be self-contained"
    assert re.findall(r"<script[^>]*>", page) == ["<script>"], "one inline script (the term filter), nothing loaded"
    reordered = Graph().parse(data=serialize.ntriples(ontology), format="nt")
    assert ontodoc.render(reordered) == page, "the page must not depend on triple order"


# 13 -----------------------------------------------------------------------------------------------


def test_13_shapes_have_names_descriptions_messages_and_severities(shapes):
    problems = []
    node_shapes = sorted((s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)), key=str)
    assert node_shapes, "no named node shapes in shapes/"
    for shape in node_shapes:
        for prop in (SH.name, SH.description):
            if langs(shapes, shape, prop) != ["en", "ja"]:
                problems.append(f"{shape}: {prop} languages {langs(shapes, shape, prop)}")
    # Property shapes that report results: named ones and those hung directly on a named shape. Helpers nested
    # in sh:node / sh:or report through their parent's message.
    reporting = set(shapes.subjects(RDF.type, SH.PropertyShape))
    reporting |= {o for s, o in shapes.subject_objects(SH.property) if isinstance(s, URIRef)}
    reporting |= set(shapes.objects(None, SH.sparql))
    for shape in sorted(reporting, key=lambda n: (isinstance(n, BNode), str(n))):
        if not {"ja", "en"} <= set(langs(shapes, shape, SH.message)):
            where = shape if isinstance(shape, URIRef) else f"[ sh:path {shapes.value(shape, SH.path)} ] or a SPARQL constraint"
            problems.append(f"{where}: sh:message needs ja and en")
    severities = set(shapes.objects(None, SH.severity))
    assert severities <= {SH.Violation, SH.Warning, SH.Info}, severities  # absent means sh:Violation
    assert problems == []


def _meta_shacl(shapes: Graph) -> None:
    """Validate a shapes graph against SHACL-SHACL. With meta_shacl=True pyshacl checks the shapes graph first
    and raises ReportableRuntimeError if it does not conform; the data graph is empty, so the data result
    (which shapes with sh:targetNode may still produce) is beside the point and ignored."""
    from pyshacl import validate

    validate(Graph(), shacl_graph=shapes, meta_shacl=True, advanced=True)


def test_13_shapes_pass_shacl_for_shacl(shapes):
    from pyshacl.errors import ReportableRuntimeError

    try:
        _meta_shacl(shapes)
    except ReportableRuntimeError as exc:
        pytest.fail(str(exc))


def test_13_shacl_for_shacl_catches_a_broken_shape():
    """The check above would pass vacuously if meta-SHACL did not run; a malformed shape must be rejected."""
    from pyshacl.errors import ReportableRuntimeError

    broken = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount "one" ] .""")
    with pytest.raises(ReportableRuntimeError, match="SHACL"):
        _meta_shacl(broken)


# 16 -----------------------------------------------------------------------------------------------


def test_16_changelog_exists(settings):
    changelog = settings.root / "CHANGELOG.md"
    assert changelog.is_file(), "CHANGELOG.md is missing (Keep a Changelog)"
    assert changelog.read_text(encoding="utf-8").strip()


def test_16_deprecated_terms_are_marked_true(ontology):
    for term, flag in ontology.subject_objects(OWL.deprecated):
        assert isinstance(flag, Literal) and flag.datatype == XSD.boolean and flag.toPython() is True, term


# alignments ---------------------------------------------------------------------------------------


def test_alignments_are_a_separate_ontology_that_requires_the_core(alignments):
    assert list(alignments.subjects(RDF.type, OWL.Ontology)) == [ALIGNMENTS_IRI]
    assert list(alignments.objects(ALIGNMENTS_IRI, DCTERMS.requires)) == [ONT]
    assert list(alignments.objects(ALIGNMENTS_IRI, OWL.imports)) == []
    assert SEMVER.match(str(one(alignments, ALIGNMENTS_IRI, OWL.versionInfo)))
    assert langs(alignments, ALIGNMENTS_IRI, RDFS.label) == ["en", "ja"]


def test_alignments_never_leak_into_the_core_ontology(alignments, settings):
    core = load_sources(settings, data_files=[]).ontology
    leaked = [t for t in alignments if not any(isinstance(n, BNode) for n in t) and t in core]
    # declarations of reused annotation properties may legitimately be in both files
    leaked = [t for t in leaked if t[1] != RDF.type]
    assert leaked == []
    assert (ALIGNMENTS_IRI, None, None) not in core
    foreign = [n for t in core for n in t if str(n).startswith((EURIO, WIKIDATA)) or n == SDO.FundingScheme]
    assert foreign == []


def test_alignments_use_only_skos_mappings_to_terms_that_exist(alignments, ontology):
    mappings = {SKOS.closeMatch, SKOS.exactMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch}
    eurio = {EURIO + t for t in _term_list("eurio-terms.txt")}
    declared = set(own_terms(ontology))
    problems = []
    for s, p, o in alignments:
        if not str(s).startswith(str(ECO)):
            continue
        if p not in mappings:
            problems.append(f"{s} {p}: only SKOS mapping properties keep alignments out of reasoning")
        if s not in declared:
            problems.append(f"{s}: not a term of the core ontology")
        if str(o).startswith(str(SDO)) and o not in SDO:
            problems.append(f"{o}: not a schema.org term")
        elif str(o).startswith(EURIO) and str(o) not in eurio:
            problems.append(f"{o}: not in tests/fixtures/eurio-terms.txt")
        elif str(o).startswith(WIKIDATA) and not re.fullmatch(r"Q[1-9]\d*", str(o)[len(WIKIDATA):]):
            problems.append(f"{o}: not a Wikidata item IRI")
        elif not str(o).startswith((str(SDO), EURIO, WIKIDATA)):
            problems.append(f"{o}: an alignment target outside schema.org, EURIO and Wikidata")
    for prop in mappings & set(alignments.predicates()):
        if (prop, RDF.type, OWL.AnnotationProperty) not in alignments:
            problems.append(f"{prop}: declare it owl:AnnotationProperty")
    assert problems == []
