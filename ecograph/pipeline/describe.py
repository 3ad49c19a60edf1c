"""The dataset description (VoID + DCAT) of a build, with counts computed from the graphs themselves.

A published release is described as such (issue 16): its id and date (dcat:version, owl:versionInfo,
dcterms:issued, dcterms:modified), and each of its files (but void.ttl, build.json, SHA256SUMS and LICENSE) as a
dcat:Distribution with its versioned download URL, media type, size and SHA-256 (spdx:checksum, as DCAT 3 models
it: https://www.w3.org/TR/vocab-dcat-3/#Property:distribution_checksum). The dumps of the whole dataset (graph.ttl,
dataset.*) are distributions of the dataset; the files of one named graph, of its subset; the alignments and the
validation report, of datasets of their own (RELATED). dataset.trig, .nq and .jsonld hold this description (the metadata graph)
themselves, so their size and checksum cannot be in it: `with_checksums` adds them to the copy written as void.ttl."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, VOID, XSD

from ecograph.namespaces import BASE, ECO, ID, ONTOLOGY_IRI, bind_all
from ecograph.rdf import formats
from ecograph.rdf.serialize import Quads
from ecograph.rdf.terms import ox_to_rdflib, rdflib_to_ox
from ecograph.version import __version__

SPDX = Namespace("http://spdx.org/rdf/terms#")
DCAT3 = Namespace(str(DCAT))  # DCAT 3 terms (dcat:version), which rdflib's DCAT 2 namespace warns about
DATASET = ID["dataset/ecograph"]
ALIGNMENTS = ID["dataset/ecograph/alignments"]
REPORT = ID["dataset/ecograph/validation-report"]
CATALOG = ID["catalog"]
SERVICE = ID["service/sparql"]
DUMPS = BASE + "dumps/"
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")  # the data's: dataset, distributions, Link headers
EMBEDDING = ("dataset.jsonld", "dataset.nq", "dataset.trig")  # the dumps that hold the metadata graph itself
IANA = "https://www.iana.org/assignments/media-types/"
_SUBJECT, _OBJECT = attrgetter("subject"), attrgetter("object")
MEDIA = formats.MEDIA
FILE_MEDIA = {**MEDIA, ".html": "text/html", ".json": "application/json", ".txt": "text/plain"}  # every file of a release
# Datasets beside the dataset, each of its own files: the ontology's mappings to other vocabularies (kept out of the
# dataset and of its core ontology) and the SHACL report of the release.
RELATED = {ALIGNMENTS: ("alignments", "ecograph アラインメント：オントロジーと他の語彙との対応づけ",
                        "ecograph alignments: mappings of the ontology to other vocabularies"),
           REPORT: ("validation-report", "ecograph 検証レポート：このリリースのデータの SHACL 検証結果",
                    "ecograph validation report: the SHACL validation of the data of this release")}


@dataclass(frozen=True)
class Stamp:
    """What names a release: its id (the name of its folder, and of its URLs /dumps/<release>/<file>) and when
    it was published."""

    release: str
    published: datetime  # aware; written in UTC to the second

    @property
    def iso(self) -> str:
        """The publication time in ISO 8601, UTC, e.g. 2026-12-07T02:08:18Z."""
        return self.published.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def download_url(name: str, release: str | None = None) -> URIRef:
    """The URL of a dump: in that release (/dumps/<release>/<name>, which never changes), or the latest (/dumps/<name>)."""
    return URIRef(DUMPS + (f"{release}/{name}" if release else name))


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


def describe(graphs: dict[URIRef, Graph | Quads], files: dict[str, tuple[int, str] | None], stamp: Stamp | None = None) -> Graph:
    """VoID + DCAT for the named graphs.

    Args:
        graphs: the named graphs of the release, the metadata graph excepted.
        files: each file's name -> (byte size, sha256), or None for a dump that holds this description itself
            (EMBEDDING: its size and checksum are added to void.ttl by with_checksums).
        stamp: the release; without one (graphs never published) there is no version, no date, and the URLs
            are the latest ones.
    """
    meta = Graph()
    bind_all(meta)
    keys = {name: _keys(graph) for name, graph in graphs.items()}
    tallies = {name: _tally(k) for name, k in keys.items()}
    release = stamp.release if stamp else None
    _describe_dataset(meta, stamp)
    _add_counts(meta, DATASET, _counts(_union(list(keys.values()), list(tallies.values()))), partitions=True)
    subsets = {}
    for name, graph in graphs.items():
        stem = str(name).rsplit("/", 1)[-1]
        subset = subsets[stem] = URIRef(f"{DATASET}/graph/{stem}")
        meta.add((DATASET, VOID.subset, subset))
        meta.add((subset, RDF.type, VOID.Dataset))
        meta.add((subset, RDF.type, DCAT.Dataset))  # the domain of dcat:distribution: a graph's own dumps
        meta.add((subset, DCTERMS.identifier, Literal(str(name))))
        meta.add((subset, DCTERMS.license, LICENSE))
        _add_counts(meta, subset, _counts(tallies[name], len(graph)), partitions=False)
    _describe_catalog(meta, stamp)
    stems = {name.rsplit(".", 1)[0] for name in files}
    for node, (stem, ja, en) in RELATED.items():
        if stem in stems:
            _describe_related(meta, node, ja, en)
    for name, known in sorted(files.items()):
        _add_distribution(meta, _owner(name, subsets), name, release)
        if known is None:
            _add_embedding_note(meta, _distribution(name))
        else:
            _add_checksum(meta, _distribution(name), *known)
    _explain_counts(meta, sum(len(graph) for graph in graphs.values()))
    return meta


def with_checksums(meta: Graph, files: dict[str, tuple[int, str]]) -> Graph:
    """A copy of meta with the size and checksum of the dumps that hold meta itself: what void.ttl is."""
    out = Graph()
    bind_all(out)
    for triple in meta:
        out.add(triple)
    for name, (size, digest) in sorted(files.items()):
        _add_checksum(out, _distribution(name), size, digest)
    return out


def _describe_dataset(meta: Graph, stamp: Stamp | None) -> None:
    meta.add((DATASET, RDF.type, VOID.Dataset))
    meta.add((DATASET, RDF.type, DCAT.Dataset))
    meta.add((DATASET, DCTERMS.title, Literal("ecograph: 日本の創薬エコシステムの知識グラフ", lang="ja")))
    meta.add((DATASET, DCTERMS.title, Literal("ecograph: a knowledge graph of Japan's drug-discovery ecosystem", lang="en")))
    meta.add((DATASET, RDFS.label, Literal("ecograph データセット", lang="ja")))
    meta.add((DATASET, RDFS.label, Literal("ecograph dataset", lang="en")))
    meta.add((DATASET, DCTERMS.license, LICENSE))
    meta.add((DATASET, DCTERMS.source, ID["source/document"]))
    meta.add((DATASET, DCTERMS.hasVersion, Literal(__version__)))
    meta.add((DATASET, VOID.uriSpace, Literal(str(ID))))
    meta.add((DATASET, VOID.vocabulary, URIRef(ONTOLOGY_IRI)))
    meta.add((DATASET, VOID.sparqlEndpoint, URIRef(BASE + "sparql")))
    meta.add((DATASET, VOID.dataDump, download_url("dataset.nq", stamp.release if stamp else None)))
    meta.add((DATASET, ECO.slide, ID["source/slide/1"]))
    if stamp is None:
        return
    # A release never changes once published, so it was last modified when it was issued (DCAT 3 §11: dcat:version
    # names the version, dcterms:issued dates it). owl:versionInfo: the code's SemVer with the release as build metadata.
    published = Literal(stamp.iso, datatype=XSD.dateTime, normalize=False)  # as written: ...Z, not rdflib's +00:00
    meta.add((DATASET, DCTERMS.issued, published))
    meta.add((DATASET, DCTERMS.modified, published))
    meta.add((DATASET, DCAT3.version, Literal(stamp.release)))
    meta.add((DATASET, OWL.versionInfo, Literal(f"{__version__}+{stamp.release}")))


def _describe_catalog(meta: Graph, stamp: Stamp | None) -> None:
    meta.add((CATALOG, RDF.type, DCAT.Catalog))
    meta.add((CATALOG, DCTERMS.title, Literal("ecograph カタログ", lang="ja")))
    meta.add((CATALOG, DCTERMS.title, Literal("ecograph catalogue", lang="en")))
    meta.add((CATALOG, DCAT.dataset, DATASET))
    meta.add((CATALOG, DCAT.service, SERVICE))
    if stamp is not None:
        meta.add((CATALOG, DCTERMS.modified, Literal(stamp.iso, datatype=XSD.dateTime, normalize=False)))
    meta.add((SERVICE, RDF.type, DCAT.DataService))
    meta.add((SERVICE, DCAT.endpointURL, URIRef(BASE + "sparql")))
    meta.add((SERVICE, DCAT.servesDataset, DATASET))
    meta.add((SERVICE, DCTERMS.title, Literal("ecograph SPARQL エンドポイント", lang="ja")))
    meta.add((SERVICE, DCTERMS.title, Literal("ecograph SPARQL endpoint", lang="en")))


def _describe_related(meta: Graph, node: URIRef, ja: str, en: str) -> None:
    meta.add((CATALOG, DCAT.dataset, node))
    meta.add((node, RDF.type, DCAT.Dataset))
    meta.add((node, DCTERMS.title, Literal(ja, lang="ja")))
    meta.add((node, DCTERMS.title, Literal(en, lang="en")))
    meta.add((node, DCTERMS.license, LICENSE))
    meta.add((node, DCTERMS.relation, DATASET))


def _owner(name: str, subsets: dict[str, URIRef]) -> URIRef:
    """The dataset a file is a distribution of: the whole dataset, a subset (one named graph: its dumps, and for the
    ontology its documentation), or a dataset beside it (RELATED)."""
    if name == "graph.ttl" or name.startswith("dataset."):
        return DATASET
    stem = name.rsplit(".", 1)[0]
    related = {stem: node for node, (stem, _, _) in RELATED.items()}
    return related.get(stem) or subsets.get(stem, DATASET)


def _distribution(name: str) -> URIRef:
    return URIRef(f"{DATASET}/distribution/{name}")


def _add_distribution(meta: Graph, owner: URIRef, name: str, release: str | None) -> None:
    dist = _distribution(name)
    meta.add((owner, DCAT.distribution, dist))
    meta.add((dist, RDF.type, DCAT.Distribution))
    meta.add((dist, DCTERMS.title, Literal(name)))
    meta.add((dist, DCAT.downloadURL, download_url(name, release)))
    meta.add((dist, DCAT.mediaType, URIRef(IANA + FILE_MEDIA["." + name.rsplit(".", 1)[-1]])))
    meta.add((dist, DCTERMS.license, LICENSE))


def _add_checksum(meta: Graph, dist: URIRef, size: int, digest: str) -> None:
    meta.add((dist, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
    checksum = URIRef(f"{dist}/checksum")
    meta.add((dist, SPDX.checksum, checksum))
    meta.add((checksum, RDF.type, SPDX.Checksum))
    meta.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    meta.add((checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)))


def _add_embedding_note(meta: Graph, dist: URIRef) -> None:
    meta.add((dist, RDFS.comment, Literal("このファイルはメタデータグラフ（この記述）を含むため、自身のサイズとチェックサムは "
                                          "void.ttl（/.well-known/void）と SHA256SUMS にのみ記載する。", lang="ja")))
    meta.add((dist, RDFS.comment, Literal("This file holds the metadata graph (this description), so its own size and checksum "
                                          "are given only in void.ttl (/.well-known/void) and in SHA256SUMS.", lang="en")))


def _explain_counts(meta: Graph, quads_outside: int) -> None:
    """What void:triples counts, beside the number of quads of dataset.nq (every graph, this one included)."""
    triples = int(meta.value(DATASET, VOID.triples))
    quads = quads_outside + len(meta) + 2  # the two comments below are triples of this graph too
    meta.add((DATASET, RDFS.comment, Literal(
        f"void:triples（{triples}）は、メタデータグラフを除く名前付きグラフの和集合（graph.ttl の内容）の異なるトリプルの数で"
        f"（複数のグラフにあるトリプルは1回と数える）、dataset.nq の {quads} クワッドはトリプルをそれが入っている名前付きグラフごとに"
        "このメタデータグラフも含めて数えたもの、各サブセットの void:triples はその名前付きグラフのトリプルの数である。", lang="ja")))
    meta.add((DATASET, RDFS.comment, Literal(
        f"void:triples ({triples}) counts the distinct triples of the union of the named graphs but the metadata graph "
        f"(what graph.ttl holds), a triple in several graphs counted once; dataset.nq holds {quads} quads, one for each "
        "triple and each named graph it is in, this metadata graph included; and the void:triples of each subset counts "
        "the triples of its named graph.", lang="en")))
