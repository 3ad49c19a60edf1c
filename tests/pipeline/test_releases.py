"""Releases a harvester can cite (issue 16, item 4): each kept release's files at /dumps/<release>/<file> (the
latest at /dumps/<file>), the release id and date in build.json and in the VoID, every RDF dump a dcat:Distribution
with its versioned URL, media type, size and SHA-256, graph.ttl (the whole published graph as one Turtle file), what
each count counts, the licence (/dumps/LICENSE, Link rel="license") and the changelog (/changelog)."""

from __future__ import annotations

import hashlib
import http.client
import json
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, VOID, XSD

from ecograph.errors import UsageError
from ecograph.namespaces import BASE, METADATA, ONTOLOGY_IRI, STATED
from ecograph.pipeline.build import build
from ecograph.pipeline.describe import DATASET, EMBEDDING, FILE_MEDIA, IANA, LICENSE, REPORT
from ecograph.pipeline.publish import publication_time
from ecograph.settings import PROJECT_ROOT
from ecograph.version import __version__
from tests.helpers import rdfload
from tests.helpers.project import settings_for

SPDX = Namespace("http://spdx.org/rdf/terms#")
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; rdflib's DCAT namespace (DCAT 2) warns about it
RELEASE_ID = re.compile(r"[0-9a-f]{16}")
ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
LICENSE_LINK = f'<{LICENSE}>; rel="license"'


def _info(dist: Path) -> dict:
    return json.loads((dist / "build.json").read_text(encoding="utf-8"))


def _void(dist: Path) -> Graph:
    return Graph().parse(dist / "void.ttl", format="turtle")


def _sums(dist: Path) -> dict[str, str]:
    return {name: digest for digest, name in (line.split("  ") for line in (dist / "SHA256SUMS").read_text().splitlines())}


def _distributed(dist: Path) -> list[str]:
    """The files of a release but its bookkeeping: the description itself, the checksums, the counts, the licence."""
    return sorted(p.name for p in dist.iterdir() if p.name not in ("void.ttl", "SHA256SUMS", "build.json", "LICENSE"))


def _triples(path: Path, fmt: ox.RdfFormat, skip_graph: str | None = None) -> set:
    return {(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path), format=fmt)
            if skip_graph is None or not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == skip_graph)}


def assert_json_error(response, status: int) -> None:
    assert response.status_code == status, response.data[:300]
    body = response.get_json()
    assert body["ok"] is False and body["status"] == status and body["error"] and body["hint"]


# ------------------------------------------------------------------ the files of a release

def test_build_json_names_the_release_and_when_it_was_published(built_settings):
    dist = built_settings.dist
    info = _info(dist)
    assert RELEASE_ID.fullmatch(info["release"]) and info["release"] == dist.resolve().name
    assert ISO_UTC.fullmatch(info["published"]), info["published"]
    published = datetime.fromisoformat(info["published"])
    assert published.utcoffset() == timedelta(0) and published <= datetime.now(UTC)
    assert info["version"] == __version__


def test_void_dates_and_versions_the_release(built_settings):
    dist = built_settings.dist
    info, void = _info(dist), _void(dist)
    release, published = info["release"], datetime.fromisoformat(info["published"])
    for prop in (DCTERMS.issued, DCTERMS.modified):
        value = void.value(DATASET, prop)
        assert isinstance(value, Literal) and value.datatype == XSD.dateTime and value.toPython() == published, prop
    assert f'"{info["published"]}"^^' in (dist / "void.ttl").read_text(encoding="utf-8"), "written as build.json has it"
    assert str(void.value(DATASET, DCAT_VERSION)) == release
    assert str(void.value(DATASET, OWL.versionInfo)) == f"{__version__}+{release}"
    assert void.value(DATASET, DCTERMS.license) == LICENSE
    assert void.value(DATASET, VOID.dataDump) == URIRef(f"{BASE}dumps/{release}/dataset.nq")


def test_every_dump_is_a_distribution_with_its_versioned_url_size_and_checksum(built_settings):
    dist = built_settings.dist
    release, void, sums = _info(dist)["release"], _void(dist), _sums(dist)
    names = _distributed(dist)
    assert {"graph.ttl", "dataset.nq", "dataset.trig", "dataset.jsonld", "stated.ttl", "ontology.rdf", "ontology.html",
            "validation-report.nt", "validation-report.json"} <= set(names)
    for name in names:
        found = list(void.subjects(DCAT.downloadURL, URIRef(f"{BASE}dumps/{release}/{name}")))
        assert len(found) == 1, name
        distribution = found[0]
        assert (distribution, RDF.type, DCAT.Distribution) in void
        owners = list(void.subjects(DCAT.distribution, distribution))
        assert len(owners) == 1 and (owners[0], RDF.type, DCAT.Dataset) in void, name
        assert void.value(distribution, DCAT.mediaType) == URIRef(IANA + FILE_MEDIA[Path(name).suffix]), name
        assert void.value(distribution, DCTERMS.license) == LICENSE, name
        data = (dist / name).read_bytes()
        assert int(void.value(distribution, DCAT.byteSize)) == len(data), name
        assert void.value(distribution, DCAT.byteSize).datatype == XSD.nonNegativeInteger
        checksum = void.value(distribution, SPDX.checksum)
        assert (checksum, RDF.type, SPDX.Checksum) in void
        assert void.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        value = void.value(checksum, SPDX.checksumValue)
        assert value.datatype == XSD.hexBinary
        assert str(value).lower() == hashlib.sha256(data).hexdigest() == sums[name], name


def test_whole_dataset_dumps_belong_to_the_dataset_and_graph_dumps_to_their_subset(built_settings):
    dist = built_settings.dist
    release, void = _info(dist)["release"], _void(dist)

    def owner(name):
        return void.value(predicate=DCAT.distribution, object=void.value(predicate=DCAT.downloadURL, object=URIRef(f"{BASE}dumps/{release}/{name}")))

    for name in ("graph.ttl", *EMBEDDING):
        assert owner(name) == DATASET, name
    for name in ("stated.ttl", "stated.nt"):
        assert str(void.value(owner(name), DCTERMS.identifier)) == str(STATED)
        assert (DATASET, VOID.subset, owner(name)) in void
    for name in ("validation-report.txt", "validation-report.json", "validation-report.nt"):
        assert owner(name) == REPORT, "the report is a dataset of its own, about the dataset"
    assert (REPORT, DCTERMS.relation, DATASET) in void


def test_the_metadata_graph_is_void_ttl_but_the_checksums_of_the_files_that_hold_it(built_settings):
    """A file cannot hold its own checksum: dataset.trig/.nq/.jsonld, which hold the metadata graph, have their size
    and checksum in void.ttl (and SHA256SUMS) only, and say so."""
    dist = built_settings.dist
    meta = rdfload.graphs(dist / "dataset.nq")[METADATA]
    void = _void(dist)
    assert set(meta) <= set(void)
    extra = set(void) - set(meta)
    distributions = {void.value(predicate=DCAT.downloadURL, object=URIRef(f"{BASE}dumps/{_info(dist)['release']}/{n}")) for n in EMBEDDING}
    assert extra and {s for s, _, _ in extra} <= distributions | {void.value(d, SPDX.checksum) for d in distributions}
    for distribution in distributions:
        assert meta.value(distribution, DCAT.byteSize) is None and void.value(distribution, DCAT.byteSize) is not None
        assert {c.language for c in meta.objects(distribution, RDFS.comment)} == {"ja", "en"}


def test_graph_ttl_is_every_triple_of_the_published_graph_once(built_settings):
    dist = built_settings.dist
    merged = _triples(dist / "graph.ttl", ox.RdfFormat.TURTLE)
    assert merged == _triples(dist / "dataset.nq", ox.RdfFormat.N_QUADS, skip_graph=str(METADATA))
    assert len(merged) == int(_void(dist).value(DATASET, VOID.triples))
    for stem in ("stated", "interpreted", "inferred", "inferred-interpreted", "ontology", "shapes"):
        assert _triples(dist / f"{stem}.nt", ox.RdfFormat.N_TRIPLES) <= merged, stem


def test_the_counts_say_what_they_count(built_settings):
    """void:triples (distinct triples outside the metadata graph) beside the quads of dataset.nq, in ja and en."""
    dist = built_settings.dist
    void = _void(dist)
    triples = int(void.value(DATASET, VOID.triples))
    quads = sum(1 for line in (dist / "dataset.nq").read_text(encoding="utf-8").splitlines() if line.strip())
    assert quads == sum(_info(dist)["graphs"].values()) > triples
    comments = {c.language: str(c) for c in void.objects(DATASET, RDFS.comment)}
    assert set(comments) == {"ja", "en"}
    assert f"void:triples ({triples})" in comments["en"] and f"{quads} quads" in comments["en"] and "graph.ttl" in comments["en"]
    assert f"void:triples（{triples}）" in comments["ja"] and f"{quads} クワッド" in comments["ja"]


def test_sha256sums_lists_every_other_file_with_its_bytes(built_settings):
    dist = built_settings.dist
    sums = _sums(dist)
    assert set(sums) == {p.name for p in dist.iterdir()} - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest, name


def test_license_file_names_the_data_licence_the_source_and_the_code_licence(built_settings):
    text = (built_settings.dist / "LICENSE").read_text(encoding="utf-8")
    assert str(LICENSE) in text and "CC BY 4.0" in text and "MIT" in text
    ontology = Graph().parse(built_settings.dist / "ontology.ttl", format="turtle")
    for rights in ontology.objects(URIRef(ONTOLOGY_IRI), DCTERMS.rights):
        assert str(rights) in text


def test_source_date_epoch_dates_the_release_else_the_clock():
    assert publication_time({"SOURCE_DATE_EPOCH": "1767225600"}) == datetime(2026, 1, 1, tzinfo=UTC)
    for environ in ({}, {"SOURCE_DATE_EPOCH": ""}):
        now = datetime.now(UTC)
        assert now - timedelta(seconds=2) <= publication_time(environ) <= now + timedelta(seconds=1)
        assert publication_time(environ).microsecond == 0
    for bad in ("yesterday", "1.5", "-1", " 12", "9" * 30):
        with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH"):
            publication_time({"SOURCE_DATE_EPOCH": bad})


# ------------------------------------------------------------------ over HTTP (the test client)

def test_versioned_urls_serve_the_bytes_of_the_latest(client, built_settings):
    listing = client.get("/dumps/").get_json()
    release = built_settings.dist.resolve().name
    assert listing["release"] == release and listing["published"] == _info(built_settings.dist)["published"]
    assert {"release": release, "published": listing["published"], "url": f"/dumps/{release}/"} in listing["releases"]
    for item in listing["files"]:
        latest = client.get(item["url"])
        versioned = client.get(f"/dumps/{release}/{item['name']}")
        assert versioned.status_code == latest.status_code == 200, item["name"]
        assert versioned.data == latest.data, item["name"]
        assert versioned.headers["Content-Type"] == latest.headers["Content-Type"]
        assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    stated = client.get(f"/dumps/{release}/stated.ttl")
    assert stated.data == (built_settings.dist / "stated.ttl").read_bytes()
    assert client.get(f"/dumps/{release}/stated.ttl", headers={"If-None-Match": stated.headers["ETag"]}).status_code == 304


def test_a_release_has_its_own_listing(client, built_settings):
    release = built_settings.dist.resolve().name
    redirect = client.get(f"/dumps/{release}")
    assert redirect.status_code == 308 and redirect.headers["Location"] == f"/dumps/{release}/"
    listing = client.get(f"/dumps/{release}/").get_json()
    assert listing["release"] == release
    assert [f["url"] for f in listing["files"]] == [f"/dumps/{release}/{f['name']}" for f in client.get("/dumps/").get_json()["files"]]


def test_unknown_release_or_file_is_a_json_404(client, built_settings):
    release = built_settings.dist.resolve().name
    for path in ("/dumps/0123456789abcdef/stated.ttl", "/dumps/0123456789abcdef/", "/dumps/latest/stated.ttl",
                 f"/dumps/{release}/nope.ttl", f"/dumps/{release}/SHA256SUMS.bak", "/dumps/nope.ttl"):
        assert_json_error(client.get(path), 404)
    assert "0123456789abcdef" in client.get("/dumps/0123456789abcdef/stated.ttl").get_json()["error"]


@pytest.mark.parametrize("path", [
    "/dumps/../pyproject.toml", "/dumps/../../pyproject.toml", "/dumps/%2e%2e/pyproject.toml", "/dumps/..%2f..%2fpyproject.toml",
    "/dumps/RELEASE/../../../pyproject.toml", "/dumps/RELEASE/..%2f..%2f..%2fpyproject.toml", "/dumps/RELEASE/%2e%2e",
    "/dumps/RELEASE/..", "/dumps/releases/RELEASE", "/dumps/.dist/releases", "/dumps/tmp-x/stated.ttl", "/dumps/RELEASE/.",
    "/dumps/./stated.ttl/x", "/dumps/RELEASE/%2fetc%2fpasswd", "/dumps/%2fetc/passwd",
])
def test_path_traversal_is_refused(client, built_settings, path):
    response = client.get(path.replace("RELEASE", built_settings.dist.resolve().name), follow_redirects=True)  # Werkzeug merges "//"
    assert response.status_code == 404, (path, response.status_code)
    assert response.get_json()["ok"] is False
    assert b"[project]" not in response.data and b"root:" not in response.data


def test_every_download_url_of_the_void_answers_its_bytes(client):
    void = Graph().parse(data=client.get("/.well-known/void").data, format="turtle")
    urls = list(void.subject_objects(DCAT.downloadURL))
    assert len(urls) >= 15
    for distribution, url in urls:
        assert str(url).startswith(BASE + "dumps/")
        response = client.get("/" + str(url)[len(BASE):])
        assert response.status_code == 200, url
        checksum = void.value(distribution, SPDX.checksum)
        assert str(void.value(checksum, SPDX.checksumValue)).lower() == hashlib.sha256(response.data).hexdigest(), url
        assert int(void.value(distribution, DCAT.byteSize)) == len(response.data), url


def test_license_link_on_dumps_and_html_pages(client, built_settings):
    release = built_settings.dist.resolve().name
    for path in ("/dumps/", "/dumps/stated.ttl", f"/dumps/{release}/stated.ttl", f"/dumps/{release}/", "/dumps/LICENSE",
                 "/.well-known/void", "/", "/doc/id/program/2"):
        response = client.get(path, headers={"Accept": "text/html"} if path.startswith("/doc") else {})
        assert response.status_code == 200, path
        assert LICENSE_LINK in response.headers.getlist("Link")[0].split(", "), (path, response.headers.get("Link"))
    page = client.get("/doc/id/program/2")
    assert page.headers["Link"].startswith(f'<{BASE}id/program/2>; rel="describes"'), "the page's own Link is kept"
    etag = client.get("/dumps/stated.ttl").headers["ETag"]
    assert LICENSE_LINK in client.get("/dumps/stated.ttl", headers={"If-None-Match": etag}).headers["Link"]
    for path in ("/sparql?query=ASK%7B%7D", "/dumps/nope.ttl", "/healthz"):
        assert "Link" not in client.get(path).headers, path


def test_licence_and_changelog_are_served(client):
    licence = client.get("/dumps/LICENSE")
    assert licence.status_code == 200 and licence.mimetype == "text/plain"
    assert str(LICENSE) in licence.get_data(as_text=True)
    changelog = client.get("/changelog")
    assert changelog.status_code == 200 and changelog.mimetype == "text/markdown" and changelog.mimetype_params["charset"] == "utf-8"
    assert changelog.data == (PROJECT_ROOT / "CHANGELOG.md").read_bytes()  # the session's copy has none: the checkout's


# ------------------------------------------------------------------ later builds: one release per content, old ones kept

@pytest.fixture
def built_copy(built_root, tmp_path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(built_root, target, symlinks=True)
    return target


def _edit(root: Path, n: int) -> None:
    """Change one English label of the data, so that the next build is a new release."""
    path = root / "data" / "agents.ttl"
    path.write_text(re.sub(r'"([^"\\]+)"@en', rf'"\1 (edited {n})"@en', path.read_text(encoding="utf-8"), count=1), encoding="utf-8")


def test_a_content_is_published_once_and_kept_releases_stay_served(built_copy, monkeypatch):
    from ecograph.http import create_app

    settings = settings_for(built_copy, keep_releases=2, workers=1)
    first = _info(built_copy / "dist")
    first_stated = (built_copy / "dist" / "stated.ttl").read_bytes()
    # the same content built again, at another date: the same release, with its first date
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    again = build(settings).release
    assert again.release_id == first["release"] and again.published == first["published"]
    assert _info(built_copy / "dist") == first
    # two new contents: with keep_releases = 2, the first release is pruned, the second stays beside the current
    _edit(built_copy, 1)
    second = build(settings).release
    second_stated = (second.path / "stated.ttl").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")
    _edit(built_copy, 2)
    third = build(settings).release
    assert len({first["release"], second.release_id, third.release_id}) == 3
    assert third.published == "2026-01-02T00:00:00Z" == _info(third.path)["published"]
    assert second_stated != first_stated
    app = create_app(settings)
    try:
        client = app.test_client()
        assert_json_error(client.get(f"/dumps/{first['release']}/stated.ttl"), 404)
        old = client.get(f"/dumps/{second.release_id}/stated.ttl")
        assert old.status_code == 200 and old.data == second_stated
        assert client.get(f"/dumps/{third.release_id}/stated.ttl").data == client.get("/dumps/stated.ttl").data
        listed = client.get("/dumps/").get_json()["releases"]
        assert [r["release"] for r in listed] == [third.release_id, second.release_id]
        void = Graph().parse(data=client.get(f"/dumps/{second.release_id}/void.ttl").data, format="turtle")
        assert str(void.value(DATASET, DCAT_VERSION)) == second.release_id, "an old release keeps its own description"
    finally:
        app.extensions["ecograph"].close()


# ------------------------------------------------------------------ a real server

def test_a_real_server_serves_releases_and_refuses_raw_traversal(built_root):
    """Raw request targets, as a client that does not normalise paths sends them, through waitress."""
    from tests.helpers.servers import running_server

    release = (built_root / "dist").resolve().name
    with running_server(built_root) as (_, port):
        def get(target: str) -> tuple[int, bytes, dict]:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request("GET", target)
                response = connection.getresponse()
                return response.status, response.read(), dict(response.getheaders())
            finally:
                connection.close()

        status, versioned, headers = get(f"/dumps/{release}/stated.ttl")
        assert status == 200 and versioned == get("/dumps/stated.ttl")[1] == (built_root / "dist" / "stated.ttl").read_bytes()
        assert headers["Link"] == LICENSE_LINK
        for target in ("/dumps/../pyproject.toml", f"/dumps/{release}/../../../../pyproject.toml", "/dumps/%2e%2e/%2e%2e/pyproject.toml",
                       f"/dumps/{release}/..%2f..%2f..%2fpyproject.toml", "/dumps/..%5c..%5cpyproject.toml", "/dumps/%2e%2e%2f/stated.ttl"):
            status, body, headers = get(target)
            if status == 308:  # Werkzeug merges "//" (a decoded %2f) with a redirect: follow it
                location = headers["Location"].removeprefix(f"http://127.0.0.1:{port}")
                assert location.startswith("/dumps/"), (target, location)
                status, body, _ = get(location)
            assert status in (400, 404), (target, status)
            assert b"[project]" not in body, target
