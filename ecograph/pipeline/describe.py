"""The dataset description (VoID + DCAT) of a build, with counts computed from the graphs themselves."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from operator import attrgetter

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, VOID, XSD

from ecograph.namespaces import BASE, ECO, ID, ONTOLOGY_IRI, bind_all
from ecograph.rdf import formats
from ecograph.rdf.serialize import Quads
from ecograph.rdf.terms import ox_to_rdflib, rdflib_to_ox
from ecograph.version import __version__

SPDX = Namespace("http://spdx.org/rdf/terms#")
DATASET = ID["dataset/ecograph"]
CATALOG = ID["catalog"]
SERVICE = ID["service/sparql"]
DUMPS = BASE + "dumps/"
_SUBJECT, _OBJECT = attrgetter("subject"), attrgetter("object")
MEDIA = formats.MEDIA


def _keys(graph: Graph | Quads) -> list:
    """The triples of graph, each once, as pyoxigraph quads: what a union counts. A literal that rdflib types
    xsd:string explicitly (pyoxigraph cannot tell it from a plain one) is keyed (quad, "xsd:string"), so that
    the counts stay rdflib's."""
    if isinstance(graph, Quads):
        return graph
    keys = []
    for s, p, o in graph:
        quad = ox.Quad(rdflib_to_ox(s), rdflib_to_ox(p), rdflib_to_ox(o))
        keys.append((quad, "xsd:string") if isinstance(o, Literal) and o.datatype == XSD.string else quad)
    return keys


@dataclass
class _Tally:
    """What the VoID counts of some triples are made from, as sets: the tallies of several graphs merge into the
    tally of their union without reading the triples again."""

    triples: int
    typings: set  # the rdf:type triples
    properties: Counter  # predicate -> triples
    subjects: set
    objects: set  # not literals


def _tally(keys: list) -> _Tally:
    """The tally of triples given by _keys, each once."""
    quads = keys if isinstance(keys, Quads) else Quads(k if type(k) is ox.Quad else k[0] for k in keys)
    terms = quads.terms()  # kept with Quads: the writers read the same terms for their prefixes
    objects = {o for o in terms.objects if not isinstance(o, ox.Literal)}
    return _Tally(len(keys), set(terms.typings), terms.predicates, terms.subjects, objects)


def _union(keys: list[list], tallies: list[_Tally]) -> _Tally:
    """The tally of the union of the triples of keys, whose tallies are tallies."""
    union = set().union(*keys)
    if len(union) == sum(len(k) for k in keys):  # no triple in two graphs
        properties = sum((t.properties for t in tallies), Counter())
    else:
        properties = Counter(k.predicate if type(k) is ox.Quad else k[0].predicate for k in union)
    return _Tally(len(union), set().union(*(t.typings for t in tallies)), properties,
                  set().union(*(t.subjects for t in tallies)), set().union(*(t.objects for t in tallies)))


def _counts(tally: _Tally, triples: int | None = None) -> dict:
    """VoID counts of a tally; classes and properties as rdflib terms."""
    classes = Counter(map(_OBJECT, tally.typings))
    return {"triples": tally.triples if triples is None else triples,
            "classes": Counter({ox_to_rdflib(c): n for c, n in classes.items()}),
            "properties": Counter({ox_to_rdflib(p): n for p, n in tally.properties.items()}),
            "subjects": len(tally.subjects), "objects": len(tally.objects), "entities": len(set(map(_SUBJECT, tally.typings)))}


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


def describe(graphs: dict[URIRef, Graph | Quads], files: dict[str, tuple[int, str]]) -> Graph:
    """VoID + DCAT for the named graphs; files maps a dump's name to (byte size, sha256)."""
    meta = Graph()
    bind_all(meta)
    keys = {name: _keys(graph) for name, graph in graphs.items()}
    tallies = {name: _tally(k) for name, k in keys.items()}
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
    _add_counts(meta, DATASET, _counts(_union(list(keys.values()), list(tallies.values()))), partitions=True)
    for name, graph in graphs.items():
        subset = URIRef(f"{DATASET}/graph/{str(name).rsplit('/', 1)[-1]}")
        meta.add((DATASET, VOID.subset, subset))
        meta.add((subset, RDF.type, VOID.Dataset))
        meta.add((subset, DCTERMS.identifier, Literal(str(name))))
        _add_counts(meta, subset, _counts(tallies[name], len(graph)), partitions=False)
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
