"""The build: load -> validate -> reason -> publish into dist/, atomically and reproducibly."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import rdflib
import rdflib.compare
from rdflib.namespace import RDF, VOID

from ecograph.cli import main
from ecograph.errors import BuildError
from ecograph.namespaces import ECO, FRAPO, ID, INFERRED, INFERRED_INTERPRETED, INTERPRETED, METADATA, STATED
from ecograph.pipeline.build import build
from tests.helpers import rdfload
from tests.helpers.project import settings_for

GRAPH_STEMS = ("stated", "interpreted", "inferred", "inferred-interpreted", "ontology", "shapes")


class _Graphs(dict):
    def graph(self, name):
        return self.get(name, rdflib.Graph())

    def graphs(self):
        return [g for name, g in self.items() if name is not None]


def _dataset(dist: Path) -> _Graphs:
    return _Graphs(rdfload.graphs(dist / "dataset.nq"))


def _fingerprint(dist: Path) -> tuple[str, str]:
    return str(dist.resolve()), (dist / "SHA256SUMS").read_text()


@pytest.fixture
def built_copy(built_root, tmp_path) -> Path:
    """A private copy of the built project (sources and releases) that a test may break."""
    target = tmp_path / "copy"
    shutil.copytree(built_root, target, symlinks=True)
    return target


def test_release_has_every_dump_and_checksums(built_settings):
    dist = built_settings.dist
    assert dist.is_symlink(), "dist/ is a link to the current release, switched atomically"
    names = {p.name for p in dist.iterdir()}
    for stem in GRAPH_STEMS:
        assert {f"{stem}.ttl", f"{stem}.nt"} <= names
    assert {"dataset.trig", "dataset.nq", "dataset.jsonld", "void.ttl", "ontology.rdf", "ontology.jsonld",
            "validation-report.txt", "validation-report.json", "validation-report.nt", "build.json", "SHA256SUMS"} <= names
    for line in (dist / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest, name


def test_dumps_agree_with_each_other(built_settings):
    dist = built_settings.dist
    ds = _dataset(dist)
    trig = _Graphs(rdfload.graphs(dist / "dataset.trig"))
    jsonld = _Graphs(rdfload.graphs(dist / "dataset.jsonld"))
    for name in (STATED, INTERPRETED, INFERRED, METADATA):
        g = ds.graph(name)
        assert len(g) > 0
        assert rdflib.compare.isomorphic(g, trig.graph(name)), name
        assert rdflib.compare.isomorphic(g, jsonld.graph(name)), name
    stated_ttl = rdflib.Graph().parse(dist / "stated.ttl")
    assert rdflib.compare.isomorphic(stated_ttl, ds.graph(STATED))


def test_asserted_interpreted_and_inferred_are_apart(built_settings):
    ds = _dataset(built_settings.dist)
    stated, interpreted = ds.graph(STATED), ds.graph(INTERPRETED)
    inferred, inferred_interp = ds.graph(INFERRED), ds.graph(INFERRED_INTERPRETED)
    program1 = ID["program/1"]
    # the ontology says SupportProgram ⊑ frapo:FundingProgramme; only reasoning adds the type
    assert (program1, RDF.type, FRAPO.FundingProgramme) in inferred
    assert (program1, RDF.type, FRAPO.FundingProgramme) not in stated
    for t in inferred:
        assert t not in stated
    for t in inferred_interp:
        assert t not in inferred and t not in interpreted
    # interpretations are never stated
    assert not set(interpreted) & set(stated)
    assert (ID["program/2"], ECO.phase, ID["phase/basic-applied"]) in interpreted


def test_void_counts_are_the_real_counts(built_settings):
    ds = _dataset(built_settings.dist)
    meta = ds.graph(METADATA)
    dataset = ID["dataset/ecograph"]
    union = rdflib.Graph()
    for name, g in ds.items():
        if name == METADATA:
            continue
        for t in g:
            union.add(t)
    assert int(meta.value(dataset, VOID.triples)) == len(union)
    for subset in meta.objects(dataset, VOID.subset):
        name = rdflib.URIRef(str(meta.value(subset, rdflib.namespace.DCTERMS.identifier)))
        assert int(meta.value(subset, VOID.triples)) == len(ds.graph(name)), name
    for part in meta.objects(dataset, VOID.classPartition):
        cls = meta.value(part, VOID["class"])
        assert int(meta.value(part, VOID.entities)) == len(list(union.triples((None, RDF.type, cls)))), cls


def test_same_inputs_give_byte_identical_dumps(built_settings, tmp_path):
    """A second build in a fresh process with another hash seed writes exactly the same bytes, given the same
    publication date: SOURCE_DATE_EPOCH, set here to the first build's (issue 16); the release id never depends on it."""
    from datetime import datetime

    root = tmp_path / "again"
    for part in ("ontology", "shapes", "data", "queries"):
        shutil.copytree(built_settings.root / part, root / part)
    published = json.loads((built_settings.dist / "build.json").read_text())["published"]
    epoch = int(datetime.fromisoformat(published).timestamp())
    env = {**os.environ, "PYTHONHASHSEED": "12345", "ECOGRAPH_ROOT": str(root), "SOURCE_DATE_EPOCH": str(epoch)}
    done = subprocess.run([sys.executable, "-m", "ecograph.cli", "build"], check=False, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (root / "dist").resolve().name == built_settings.dist.resolve().name
    assert (root / "dist" / "SHA256SUMS").read_text() == (built_settings.dist / "SHA256SUMS").read_text()


def test_build_refuses_a_violation_and_keeps_the_last_good_release(built_copy, runner):
    before = _fingerprint(built_copy / "dist")
    programs = built_copy / "data" / "programs.ttl"
    programs.write_text(programs.read_text(encoding="utf-8").replace("ecograph:programNumber 13 ;", "ecograph:programNumber 33 ;"),
                        encoding="utf-8")
    result = runner.invoke(main, ["--root", str(built_copy), "build"])
    assert result.exit_code == 1
    assert "does not conform" in result.stderr
    assert "program:13" in result.stderr and "from 1 to 32" in result.stderr
    assert _fingerprint(built_copy / "dist") == before


def test_syntax_error_names_file_line_and_column_and_keeps_dist(built_copy, runner):
    before = _fingerprint(built_copy / "dist")
    broken = built_copy / "data" / "agents.ttl"
    lines = broken.read_text(encoding="utf-8").splitlines()
    lines[20] = lines[20] + " oops"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["--root", str(built_copy), "build"])
    assert result.exit_code == 2
    assert "data/agents.ttl, line 21, column" in result.stderr
    assert _fingerprint(built_copy / "dist") == before


def test_unknown_prefix_is_named_with_a_hint(project, runner):
    path = project / "data" / "agents.ttl"
    path.write_text(path.read_text(encoding="utf-8") + "\nagent:x frapox:y agent:z .\n", encoding="utf-8")
    result = runner.invoke(main, ["--root", str(project), "validate"])
    assert result.exit_code == 2
    assert "data/agents.ttl, line" in result.stderr and 'Prefix "frapox:" not bound' in result.stderr
    assert "hint: Declare it with @prefix frapox:" in result.stderr


def test_failed_publish_keeps_the_last_good_release(built_copy, monkeypatch):
    from ecograph.rdf import serialize

    before = _fingerprint(built_copy / "dist")
    # make the source different, so that the release would be new
    path = built_copy / "data" / "agents.ttl"
    path.write_text(path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(serialize, "rdfxml", disk_full)
    with pytest.raises(BuildError, match="No space left on device"):
        build(settings_for(built_copy))
    assert _fingerprint(built_copy / "dist") == before
    assert not list((built_copy / ".dist").glob("tmp-*")), "a failed build cleans up after itself"


def _verify_checksums(dist: Path) -> None:
    for line in (dist / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest, name


def _ask(base: str) -> int:
    import urllib.parse
    import urllib.request

    with urllib.request.urlopen(base + "/sparql?" + urllib.parse.urlencode({"query": "ASK { program:13 ?p ?o }"}), timeout=30) as r:
        assert json.load(r)["boolean"] is True
        return r.status


def test_killed_build_never_replaces_dist_and_serving_goes_on(built_copy, capsys):
    """kill -9 a build at random points (20 by default; ECOGRAPH_BUILD_KILLS sets how many): dist/ is always
    the last good release with its checksums intact, and a server on the project answers throughout."""
    import random

    from tests.helpers.servers import running_server

    kills = int(os.environ.get("ECOGRAPH_BUILD_KILLS", "20"))
    seed = int(os.environ.get("ECOGRAPH_BUILD_KILLS_SEED", str(random.SystemRandom().randrange(10**6))))
    rng = random.Random(seed)
    env = {**os.environ, "ECOGRAPH_ROOT": str(built_copy)}
    path = built_copy / "data" / "agents.ttl"
    command = [sys.executable, "-m", "ecograph.cli", "build"]
    with running_server(built_copy) as (base, _):
        assert _ask(base) == 200
        # one whole build, to know how long a build takes here: the kill points are drawn across it
        path.write_text(path.read_text(encoding="utf-8") + "\n# changed so the release would differ\n", encoding="utf-8")
        started = time.monotonic()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        duration = time.monotonic() - started
        finished = survived = 0
        for kill in range(kills):
            before = _fingerprint(built_copy / "dist")
            path.write_text(path.read_text(encoding="utf-8") + f"\n# change {kill}\n", encoding="utf-8")
            proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0, duration))
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            dist = built_copy / "dist"
            if proc.returncode == 0:  # the build got to finish first: then its release must be complete
                finished += 1
            else:
                assert _fingerprint(dist) == before, f"kill {kill} (seed {seed}) changed dist/"
                survived += 1
            _verify_checksums(dist)
            assert _ask(base) == 200
        with capsys.disabled():  # shown with or without -s
            print(f"\nbuild kills: {survived} killed builds survived, {finished} finished before the kill; "
                  f"seed {seed}, kill points drawn over {duration:.1f} s")
        assert survived >= kills // 4, "the kill points should mostly fall inside a build"
    # the next build cleans up whatever the killed ones left
    build(settings_for(built_copy))
    assert not list((built_copy / ".dist").glob("tmp-*"))
    _verify_checksums(built_copy / "dist")


def test_build_summary_on_stderr(built_copy, runner):
    result = runner.invoke(main, ["--root", str(built_copy), "build"])
    assert result.exit_code == 0, result.output
    assert "published release" in result.stderr and "conforms" in result.stderr
    # the time of each step is shown (its figures are never asserted) and kept out of the release
    assert re.search(r"^time: load [\d.]+ s, validate [\d.]+ s, reason [\d.]+ s, publish [\d.]+ s \([\d.]+ s\)$",
                     result.stderr, re.MULTILINE), result.stderr
    info = json.loads((built_copy / "dist" / "build.json").read_text())
    assert info["graphs"][str(STATED)] > 1000
    assert "seconds" not in info and "time" not in info


def test_build_follows_the_validator_setting(built_copy, monkeypatch):
    """Regression: build() used the default validator whatever Settings.validator said."""
    import pyshacl

    def refuse(*args, **kwargs):
        raise RuntimeError("pyshacl was called")

    monkeypatch.setattr(pyshacl, "validate", refuse)
    build(settings_for(built_copy, validator="oxigraph"))
    with pytest.raises(RuntimeError, match="pyshacl was called"):
        build(settings_for(built_copy, validator="pyshacl"))
