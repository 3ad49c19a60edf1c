"""Publish a build into dist/. The only step that writes to disk.

A release is written into a fresh folder under .dist/, checked, then made current by replacing the dist
link atomically (os.replace of a symlink). A build that fails or is killed part-way leaves dist/ pointing
at the last good release; the next build removes its leftovers.

A release is named by its id, a hash of its content (every file but those that carry the id or the date:
void.ttl, dataset.trig/.nq/.jsonld, build.json and SHA256SUMS), so the same inputs give the same release
whenever they are built; the first publication of a content is kept. Its date is SOURCE_DATE_EPOCH when set
(https://reproducible-builds.org/specs/source-date-epoch/, for byte-identical rebuilds), else the clock. The
last keep_releases releases (the current one included) stay in .dist/releases/<id>/, served as /dumps/<id>/<file>."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from ecograph.docs import ontology as ontodoc
from ecograph.errors import BuildError, UsageError
from ecograph.namespaces import INFERRED, INFERRED_INTERPRETED, INTERPRETED, METADATA, ONTOLOGY, ONTOLOGY_IRI, SHAPES, STATED
from ecograph.pipeline import no_cycle_collection
from ecograph.pipeline.describe import EMBEDDING, LICENSE, Stamp, describe, with_checksums
from ecograph.pipeline.load import Sources
from ecograph.pipeline.reason import Inferences
from ecograph.pipeline.validation_report import ValidationReport
from ecograph.rdf import serialize
from ecograph.rdf.serialize import Quads
from ecograph.settings import Settings
from ecograph.version import __version__

GRAPH_FILES = {STATED: "stated", INTERPRETED: "interpreted", INFERRED: "inferred",
               INFERRED_INTERPRETED: "inferred-interpreted", ONTOLOGY: "ontology", SHAPES: "shapes"}
BOOKKEEPING = ("void.ttl", "build.json", "SHA256SUMS", "LICENSE")  # files of a release that are not distributions of data
RELEASE_ID = re.compile(r"[0-9a-f]{16}")


@dataclass
class Release:
    """A published release: its folder, its id (a hash of its content), its file list and when it was published
    (ISO 8601 UTC; for a content published before, the first publication)."""

    path: Path
    release_id: str
    files: list[str]
    published: str


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


def _merged(graphs: dict[URIRef, Graph | Quads]) -> Quads:
    """Every triple of the graphs, each once: the published graph as one graph (graph.ttl)."""
    union: set = set()
    for graph in graphs.values():
        union.update(serialize.quads(graph))
    return serialize.in_order(Quads(union))


def publication_time(environ: Mapping[str, str] | None = None) -> datetime:
    """When a release is published: SOURCE_DATE_EPOCH if set (a reproducible build), else now; UTC, to the second."""
    env = os.environ if environ is None else environ
    value = env.get("SOURCE_DATE_EPOCH", "")
    if not value:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        if not re.fullmatch(r"[0-9]+", value):
            raise ValueError(value)
        return datetime.fromtimestamp(int(value), UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise UsageError(f"SOURCE_DATE_EPOCH={value!r} is not a time: it should be whole seconds since 1970-01-01 UTC",
                         "Set it as `date +%s` prints it (https://reproducible-builds.org/specs/source-date-epoch/), "
                         "or unset it to date the release by the clock.") from exc


def license_text(ontology: Graph) -> str:
    """The LICENSE of a release: the data's licence, the source's terms (the ontology's dcterms:rights) and the code's."""
    rights = sorted((str(o.language or ""), str(o)) for o in ontology.objects(URIRef(ONTOLOGY_IRI), DCTERMS.rights))
    lines = ["ecograph data licence", "",
             "The data of this release (every file listed in SHA256SUMS: the graph dumps, the ontology, the shapes,",
             "the dataset description and the validation report) is licensed under the Creative Commons Attribution",
             "4.0 International licence (CC BY 4.0):", "", f"    {LICENSE}", "    https://creativecommons.org/licenses/by/4.0/legalcode", "",
             "Attribute it to the ecograph project, name the release you used (build.json: release and published;",
             "void.ttl: dcat:version and dcterms:issued) and link https://w3id.org/ecograph/.", ""]
    if rights:
        lines += ["The data is processed from a government source:", "", *(f"    {text}" for _, text in rights), ""]
    lines += ["The software that builds and serves this data (ecograph) is licensed under the MIT licence:",
              "see LICENSE in its source repository.", ""]
    return "\n".join(lines)


def write_release(folder: Path, sources: Sources, inferences: Inferences, report: ValidationReport, published: datetime) -> str:
    """Write every file of a release published at published into folder; returns the release id."""
    with no_cycle_collection():
        return _write_release(folder, sources, inferences, report, published)


def _write_release(folder: Path, sources: Sources, inferences: Inferences, report: ValidationReport, published: datetime) -> str:
    graphs = _render(sources, inferences)
    written = _write_content(folder, graphs, sources, report)
    stamp = Stamp(_content_id(written), published)
    distributed = {name: known for name, known in written.items() if name not in BOOKKEEPING}
    metadata = describe(graphs, {**distributed, **dict.fromkeys(EMBEDDING)}, stamp)  # EMBEDDING: not written yet
    everything = {**graphs, METADATA: metadata}
    written["dataset.trig"] = _write(folder, "dataset.trig", serialize.trig(everything))
    written["dataset.nq"] = _write(folder, "dataset.nq", serialize.nquads(everything))
    written["dataset.jsonld"] = _write(folder, "dataset.jsonld", serialize.jsonld(everything))
    written["void.ttl"] = _write(folder, "void.ttl", serialize.turtle(with_checksums(metadata, {n: written[n] for n in EMBEDDING})))
    info = {"version": __version__, "release": stamp.release, "published": stamp.iso, "graphs": {str(name): len(g) for name, g in everything.items()},
            "validation": report.summary(), "validator": report.validator}
    written["build.json"] = _write(folder, "build.json", json.dumps(info, indent=2, sort_keys=True) + "\n")
    _write(folder, "SHA256SUMS", _sums(written))
    return stamp.release


def _write_content(folder: Path, graphs: dict[URIRef, Graph | Quads], sources: Sources, report: ValidationReport) -> dict[str, tuple[int, str]]:
    """The files of a release that carry neither its id nor its date; returns each one's (byte size, sha256)."""
    written: dict[str, tuple[int, str]] = {}
    for name, graph in graphs.items():
        stem = GRAPH_FILES[name]
        written[f"{stem}.ttl"] = _write(folder, f"{stem}.ttl", serialize.turtle(graph))
        written[f"{stem}.nt"] = _write(folder, f"{stem}.nt", serialize.ntriples(graph))
    written["graph.ttl"] = _write(folder, "graph.ttl", serialize.turtle(_merged(graphs)))
    written["ontology.rdf"] = _write(folder, "ontology.rdf", serialize.rdfxml(graphs[ONTOLOGY]))
    written["ontology.jsonld"] = _write(folder, "ontology.jsonld", serialize.jsonld(graphs[ONTOLOGY]))
    examples = ontodoc.examples_from(graphs[ONTOLOGY], {str(STATED): graphs[STATED], str(INTERPRETED): graphs[INTERPRETED]})
    written["ontology.html"] = _write(folder, "ontology.html", ontodoc.render(graphs[ONTOLOGY], examples=examples))
    if sources.alignments is not None and len(sources.alignments):
        written["alignments.ttl"] = _write(folder, "alignments.ttl", serialize.turtle(sources.alignments))
    written["validation-report.txt"] = _write(folder, "validation-report.txt", report.to_text())
    written["validation-report.json"] = _write(folder, "validation-report.json", report.to_json())
    written["validation-report.nt"] = _write(folder, "validation-report.nt", report.to_ntriples())
    written["LICENSE"] = _write(folder, "LICENSE", license_text(graphs[ONTOLOGY]))
    return written


def _sums(written: dict[str, tuple[int, str]]) -> str:
    """SHA256SUMS of files written (sha256sum's format: `sha256sum -c SHA256SUMS` checks a release)."""
    return "".join(f"{digest}  {name}\n" for name, (_, digest) in sorted(written.items()))


def _content_id(written: dict[str, tuple[int, str]]) -> str:
    """The release id: a hash of the version and of the files that carry neither the id nor the date."""
    return hashlib.sha256(f"ecograph {__version__}\n{_sums(written)}".encode()).hexdigest()[:16]


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
    """Keep keep releases, the current one included (at least the current one)."""
    olds = sorted((p for p in releases.iterdir() if p.is_dir() and p != current), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in olds[max(keep - 1, 0):]:
        shutil.rmtree(old, ignore_errors=True)


def current_release(settings: Settings) -> Path | None:
    """The folder dist/ points at, or None before the first build."""
    dist = settings.dist
    return dist.resolve() if dist.exists() else None


def release_folders(settings: Settings) -> dict[str, Path]:
    """The releases kept in .dist/releases/ (the last keep_releases, the current one included), by release id."""
    base = settings.root / ".dist" / "releases"
    if not base.is_dir():
        return {}
    return {p.name: p for p in sorted(base.iterdir()) if RELEASE_ID.fullmatch(p.name) and p.is_dir() and not p.is_symlink()}


def publication_of(folder: Path) -> str:
    """When the release in folder was published (build.json), or "" for a release from before issue 16."""
    try:
        return json.loads((folder / "build.json").read_text(encoding="utf-8")).get("published", "")
    except (OSError, ValueError):
        return ""


def publish(sources: Sources, inferences: Inferences, report: ValidationReport, settings: Settings) -> Release:
    """Write a release and make it current atomically; the previous release stays until pruned."""
    published = publication_time()
    base = settings.root / ".dist"
    releases = base / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    cleanup(settings)
    tmp = Path(tempfile.mkdtemp(prefix="tmp-", dir=base))
    try:
        release_id = write_release(tmp, sources, inferences, report, published)
        final = releases / release_id
        if final.exists():  # the same content was published before: that release stays, with its date
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
    return Release(path=final, release_id=release_id, files=sorted(p.name for p in final.iterdir()), published=publication_of(final))
