"""Publish a build into dist/. The only step that writes to disk.

A release is written into a fresh folder under .dist/, checked, then made current by replacing the dist
link atomically (os.replace of a symlink). A build that fails or is killed part-way leaves dist/ pointing
at the last good release; the next build removes its leftovers."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from ecograph.docs import ontology as ontodoc
from ecograph.errors import BuildError
from ecograph.namespaces import INFERRED, INFERRED_INTERPRETED, INTERPRETED, METADATA, ONTOLOGY, SHAPES, STATED
from ecograph.pipeline import no_cycle_collection
from ecograph.pipeline.describe import describe
from ecograph.pipeline.load import Sources
from ecograph.pipeline.reason import Inferences
from ecograph.pipeline.validate import ValidationReport
from ecograph.rdf import serialize
from ecograph.rdf.serialize import Quads
from ecograph.settings import Settings
from ecograph.version import __version__

GRAPH_FILES = {STATED: "stated", INTERPRETED: "interpreted", INFERRED: "inferred",
               INFERRED_INTERPRETED: "inferred-interpreted", ONTOLOGY: "ontology", SHAPES: "shapes"}


@dataclass
class Release:
    """A published release: its folder, its id (a content hash) and its file list."""

    path: Path
    release_id: str
    files: list[str]


def _write(folder: Path, name: str, text: str) -> tuple[int, str]:
    data = text.encode("utf-8")
    path = folder / name
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return len(data), hashlib.sha256(data).hexdigest()


def _render(sources: Sources, inferences: Inferences) -> dict[URIRef, Graph | Quads]:
    """The graphs of a release, each in order (sorted once here; every dump of it is written from that order)."""
    graphs = {STATED: sources.parsed("stated"), INTERPRETED: sources.parsed("interpreted"), INFERRED: inferences.parsed("stated"),
              INFERRED_INTERPRETED: inferences.parsed("interpreted"), ONTOLOGY: sources.ontology, SHAPES: sources.shapes}
    return {name: graph if isinstance(graph, Graph) else serialize.in_order(graph) for name, graph in graphs.items()}


def write_release(folder: Path, sources: Sources, inferences: Inferences, report: ValidationReport) -> list[str]:
    """Write every file of a release into folder; returns the file names."""
    with no_cycle_collection():
        return _write_release(folder, sources, inferences, report)


def _write_release(folder: Path, sources: Sources, inferences: Inferences, report: ValidationReport) -> list[str]:
    graphs = _render(sources, inferences)
    sizes: dict[str, tuple[int, str]] = {}
    for name, graph in graphs.items():
        stem = GRAPH_FILES[name]
        sizes[f"{stem}.ttl"] = _write(folder, f"{stem}.ttl", serialize.turtle(graph))
        sizes[f"{stem}.nt"] = _write(folder, f"{stem}.nt", serialize.ntriples(graph))
    sizes["ontology.rdf"] = _write(folder, "ontology.rdf", serialize.rdfxml(graphs[ONTOLOGY]))
    sizes["ontology.jsonld"] = _write(folder, "ontology.jsonld", serialize.jsonld(graphs[ONTOLOGY]))
    _write(folder, "ontology.html", ontodoc.render(graphs[ONTOLOGY]))
    if sources.alignments is not None and len(sources.alignments):
        sizes["alignments.ttl"] = _write(folder, "alignments.ttl", serialize.turtle(sources.alignments))
    metadata = describe(graphs, sizes)
    _write(folder, "void.ttl", serialize.turtle(metadata))
    everything = {**graphs, METADATA: metadata}
    _write(folder, "dataset.trig", serialize.trig(everything))
    _write(folder, "dataset.nq", serialize.nquads(everything))
    _write(folder, "dataset.jsonld", serialize.jsonld(everything))
    _write(folder, "validation-report.txt", report.to_text())
    _write(folder, "validation-report.json", report.to_json())
    _write(folder, "validation-report.nt", report.to_ntriples())
    counts = {str(name): len(g) for name, g in everything.items()}
    _write(folder, "build.json", json.dumps({"version": __version__, "graphs": counts,
                                             "validation": report.summary(), "validator": report.validator},
                                            indent=2, sort_keys=True) + "\n")
    names = sorted(p.name for p in folder.iterdir())
    sums = "".join(f"{hashlib.sha256((folder / n).read_bytes()).hexdigest()}  {n}\n" for n in names)
    _write(folder, "SHA256SUMS", sums)
    return sorted(p.name for p in folder.iterdir())


def _release_id(folder: Path) -> str:
    return hashlib.sha256((folder / "SHA256SUMS").read_bytes()).hexdigest()[:16]


def cleanup(settings: Settings) -> None:
    """Remove what interrupted builds left behind (temporary folders and links)."""
    base = settings.root / ".dist"
    if not base.exists():
        return
    for leftover in base.glob("tmp-*"):
        if leftover.is_symlink() or leftover.is_file():
            leftover.unlink(missing_ok=True)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _prune(releases: Path, keep: int, current: Path) -> None:
    olds = sorted((p for p in releases.iterdir() if p.is_dir() and p != current), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in olds[max(keep - 1, 0):]:
        shutil.rmtree(old, ignore_errors=True)


def current_release(settings: Settings) -> Path | None:
    """The folder dist/ points at, or None before the first build."""
    dist = settings.dist
    return dist.resolve() if dist.exists() else None


def publish(sources: Sources, inferences: Inferences, report: ValidationReport, settings: Settings) -> Release:
    """Write a release and make it current atomically; the previous release stays until pruned."""
    base = settings.root / ".dist"
    releases = base / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    cleanup(settings)
    tmp = Path(tempfile.mkdtemp(prefix="tmp-", dir=base))
    try:
        files = write_release(tmp, sources, inferences, report)
        release_id = _release_id(tmp)
        final = releases / release_id
        if final.exists():
            shutil.rmtree(tmp)
        else:
            os.rename(tmp, final)
        os.utime(final)
        link = base / f"tmp-link-{os.getpid()}"
        link.unlink(missing_ok=True)
        link.symlink_to(os.path.relpath(final, settings.dist.parent))
        dist = settings.dist
        if dist.exists() and not dist.is_symlink():
            # a dist/ folder from elsewhere: keep it as a release, then switch to the link layout
            os.rename(dist, releases / f"previous-{os.getpid()}")
        os.replace(link, dist)
        dir_fd = os.open(dist.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BuildError(f"could not publish into {settings.dist} ({exc.strerror or exc})") from exc
    _prune(releases, settings.keep_releases, final)
    return Release(path=final, release_id=release_id, files=files)
