"""The dataset description (VoID + DCAT) of a build, with counts computed from the graphs themselves."""

from __future__ import annotations

from collections import Counter

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, VOID, XSD

from ecograph import __version__
from ecograph.namespaces import BASE, ECO, ID, ONTOLOGY_IRI, bind_all

SPDX = Namespace("http://spdx.org/rdf/terms#")
DATASET = ID["dataset/ecograph"]
CATALOG = ID["catalog"]
SERVICE = ID["service/sparql"]
DUMPS = BASE + "dumps/"
MEDIA = {".trig": "application/trig", ".nq": "application/n-quads", ".jsonld": "application/ld+json",
         ".ttl": "text/turtle", ".nt": "application/n-triples", ".rdf": "application/rdf+xml"}


def _counts(graph: Graph) -> dict:
    classes = Counter(o for s, p, o in graph.triples((None, RDF.type, None)))
    properties = Counter(p for s, p, o in graph)
    subjects = {s for s in graph.subjects()}
    objects = {o for o in graph.objects() if not isinstance(o, Literal)}
    typed = {s for s in graph.subjects(RDF.type, None)}
    return {"triples": len(graph), "classes": classes, "properties": properties, "subjects": len(subjects),
            "objects": len(objects), "entities": len(typed)}


def _add_counts(meta: Graph, node: URIRef, counts: dict, partitions: bool) -> None:
    meta.add((node, VOID.triples, Literal(counts["triples"])))
    meta.add((node, VOID.entities, Literal(counts["entities"])))
    meta.add((node, VOID.distinctSubjects, Literal(counts["subjects"])))
    meta.add((node, VOID.distinctObjects, Literal(counts["objects"])))
    meta.add((node, VOID.classes, Literal(len(counts["classes"]))))
    meta.add((node, VOID.properties, Literal(len(counts["properties"]))))
    if not partitions:
        return
    for cls, n in sorted(counts["classes"].items()):
        part = URIRef(f"{node}/class/{_key(cls)}")
        meta.add((node, VOID.classPartition, part))
        meta.add((part, VOID["class"], cls))
        meta.add((part, VOID.entities, Literal(n)))
    for prop, n in sorted(counts["properties"].items()):
        part = URIRef(f"{node}/property/{_key(prop)}")
        meta.add((node, VOID.propertyPartition, part))
        meta.add((part, VOID.property, prop))
        meta.add((part, VOID.triples, Literal(n)))


def _key(iri: URIRef) -> str:
    """An ASCII key for a partition IRI, stable across builds."""
    import hashlib

    text = str(iri)
    tail = text.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in tail)[:40]
    return f"{safe}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def describe(graphs: dict[URIRef, Graph], files: dict[str, tuple[int, str]]) -> Graph:
    """VoID + DCAT for the named graphs; files maps a dump's name to (byte size, sha256)."""
    meta = Graph()
    bind_all(meta)
    union = Graph()
    for g in graphs.values():
        for t in g:
            union.add(t)
    meta.add((DATASET, RDF.type, VOID.Dataset))
    meta.add((DATASET, RDF.type, DCAT.Dataset))
    meta.add((DATASET, DCTERMS.title, Literal("ecograph: 日本の創薬エコシステムの知識グラフ", lang="ja")))
    meta.add((DATASET, DCTERMS.title, Literal("ecograph: a knowledge graph of Japan's drug-discovery ecosystem", lang="en")))
    meta.add((DATASET, RDFS.label, Literal("ecograph データセット", lang="ja")))
    meta.add((DATASET, RDFS.label, Literal("ecograph dataset", lang="en")))
    meta.add((DATASET, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    meta.add((DATASET, DCTERMS.source, ID["source/document"]))
    meta.add((DATASET, DCTERMS.hasVersion, Literal(__version__)))
    meta.add((DATASET, VOID.uriSpace, Literal(str(ID))))
    meta.add((DATASET, VOID.vocabulary, URIRef(ONTOLOGY_IRI)))
    meta.add((DATASET, VOID.sparqlEndpoint, URIRef(BASE + "sparql")))
    meta.add((DATASET, VOID.dataDump, URIRef(DUMPS + "dataset.nq")))
    meta.add((DATASET, ECO.slide, ID["source/slide/1"]))
    _add_counts(meta, DATASET, _counts(union), partitions=True)
    for name, graph in graphs.items():
        subset = URIRef(f"{DATASET}/graph/{str(name).rsplit('/', 1)[-1]}")
        meta.add((DATASET, VOID.subset, subset))
        meta.add((subset, RDF.type, VOID.Dataset))
        meta.add((subset, DCTERMS.identifier, Literal(str(name))))
        _add_counts(meta, subset, _counts(graph), partitions=False)
    meta.add((CATALOG, RDF.type, DCAT.Catalog))
    meta.add((CATALOG, DCTERMS.title, Literal("ecograph カタログ", lang="ja")))
    meta.add((CATALOG, DCTERMS.title, Literal("ecograph catalogue", lang="en")))
    meta.add((CATALOG, DCAT.dataset, DATASET))
    meta.add((CATALOG, DCAT.service, SERVICE))
    meta.add((SERVICE, RDF.type, DCAT.DataService))
    meta.add((SERVICE, DCAT.endpointURL, URIRef(BASE + "sparql")))
    meta.add((SERVICE, DCAT.servesDataset, DATASET))
    meta.add((SERVICE, DCTERMS.title, Literal("ecograph SPARQL エンドポイント", lang="ja")))
    meta.add((SERVICE, DCTERMS.title, Literal("ecograph SPARQL endpoint", lang="en")))
    for name, (size, digest) in sorted(files.items()):
        dist = URIRef(f"{DATASET}/distribution/{name}")
        suffix = "." + name.rsplit(".", 1)[-1]
        meta.add((DATASET, DCAT.distribution, dist))
        meta.add((dist, RDF.type, DCAT.Distribution))
        meta.add((dist, DCAT.downloadURL, URIRef(DUMPS + name)))
        meta.add((dist, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/" + MEDIA[suffix])))
        meta.add((dist, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
        checksum = URIRef(f"{dist}/checksum")
        meta.add((dist, SPDX.checksum, checksum))
        meta.add((checksum, RDF.type, SPDX.Checksum))
        meta.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        meta.add((checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)))
        meta.add((dist, DCTERMS.title, Literal(name)))
    return meta
