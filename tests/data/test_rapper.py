"""Another parser's word on what we publish: Raptor's `rapper` (Debian raptor2-utils) parses every dump of a
build and every RDF body the server returns (CONSTRUCT in each syntax, cut at the row cap or not, the service
description, a resource's documents), with exit code 0 and as many triples as pyoxigraph reads.

rapper has no JSON-LD parser, so .jsonld dumps and JSON-LD responses are left to the rdflib tests.
Skipped only when rapper is missing and CI is not set (scripts/test installs raptor2-utils)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from ecograph.namespaces import BASE
from tests.helpers.project import settings_for

RAPPER = shutil.which("rapper")
if RAPPER is None and not os.environ.get("CI"):
    pytest.skip("rapper is not installed (Debian package raptor2-utils; scripts/test installs it)", allow_module_level=True)

# extension -> (rapper syntax, pyoxigraph format)
SYNTAXES = {
    ".ttl": ("turtle", ox.RdfFormat.TURTLE),
    ".nt": ("ntriples", ox.RdfFormat.N_TRIPLES),
    ".nq": ("nquads", ox.RdfFormat.N_QUADS),
    ".trig": ("trig", ox.RdfFormat.TRIG),
    ".rdf": ("rdfxml", ox.RdfFormat.RDF_XML),
}
MEDIA = {"text/turtle": ".ttl", "application/n-triples": ".nt", "application/n-quads": ".nq", "application/trig": ".trig",
         "application/rdf+xml": ".rdf"}
STATED = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{BASE}graph/stated> {{ ?s ?p ?o }} }}"


def rapper_count(path: Path, base: str = "http://example.org/") -> int:
    """rapper -c on a file: asserts exit 0 and no error or warning, returns the number of triples it read."""
    syntax = SYNTAXES[path.suffix][0]
    done = subprocess.run([RAPPER or "rapper", "-i", syntax, "-c", str(path), base], check=False,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"rapper -i {syntax} {path.name}: exit {done.returncode}\n{done.stderr}"
    assert "Error" not in done.stderr and "Warning" not in done.stderr, done.stderr
    match = re.search(r"Parsing returned (\d+) triples", done.stderr)
    assert match, done.stderr
    return int(match.group(1))


def oxigraph_count(path: Path, base: str = "http://example.org/") -> int:
    return sum(1 for _ in ox.parse(path=str(path), format=SYNTAXES[path.suffix][1], base_iri=base))


def test_every_dump_parses_with_rapper(built_settings):
    dumps = sorted(p for p in built_settings.dist.iterdir() if p.suffix in SYNTAXES)
    assert {p.suffix for p in dumps} == set(SYNTAXES)
    assert any(p.suffix == ".jsonld" for p in built_settings.dist.iterdir())   # not for rapper: no JSON-LD parser
    for path in dumps:
        count = rapper_count(path)
        assert count > 0, path.name
        assert count == oxigraph_count(path), path.name


@pytest.fixture(scope="module")
def clients(built_root):
    """A client of the built graph, and one whose row cap cuts the stated graph (to check the truncation note)."""
    from ecograph.http import create_app

    apps = [create_app(settings_for(built_root)), create_app(settings_for(built_root, max_rows=25))]
    yield [app.test_client() for app in apps]
    for app in apps:
        app.extensions["ecograph"].close()


def _write(tmp_path: Path, name: str, response) -> Path:
    assert response.status_code == 200, response.get_data(as_text=True)
    media = response.mimetype
    path = tmp_path / (name + MEDIA[media])
    path.write_bytes(response.data)
    return path


def test_every_rdf_response_parses_with_rapper(clients, tmp_path):
    client, capped = clients
    for media, ext in MEDIA.items():
        full = _write(tmp_path, "construct", client.post("/sparql", data={"query": STATED}, headers={"Accept": media}))
        assert rapper_count(full) == oxigraph_count(full) > 1000, media
        cut = _write(tmp_path, "construct-cut", capped.post("/sparql", data={"query": STATED}, headers={"Accept": media}))
        assert rapper_count(cut) == oxigraph_count(cut) == 25, media
        assert b"ecograph: truncated at 25 triples" in cut.read_bytes(), media     # the note is a comment in every syntax
        described = _write(tmp_path, "describe", client.get("/sparql", query_string={"query": "DESCRIBE program:13"}, headers={"Accept": media}))
        assert rapper_count(described) == oxigraph_count(described) > 0, media
        document = _write(tmp_path, "program-2", client.get(f"/data/id/program/2{ext}"))
        assert rapper_count(document) == oxigraph_count(document) > 0, media
    for media in ("text/turtle", "application/rdf+xml", "application/n-triples"):
        description = _write(tmp_path, "service", client.get("/sparql", headers={"Accept": media}))
        assert rapper_count(description) == oxigraph_count(description) > 0, media
    void = _write(tmp_path, "void", client.get("/.well-known/void", headers={"Accept": "text/turtle"}))
    assert rapper_count(void) == oxigraph_count(void) > 0
