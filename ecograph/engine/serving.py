"""The serving store of the build's dataset (or, with `serve --data FILE…`, of arbitrary files):
- storage = "memory" (default): the files are loaded into an in-memory pyoxigraph store: by `ecograph serve`'s
  arbiter itself, which forks the HTTP workers from it (http/prefork.py); or, for an app served otherwise (the
  test client, `waitress-serve server:app`), by a holder process that forks the query workers (workers.Holder);
- storage = "disk": an on-disk pyoxigraph store, one per release, made once and then opened read-only by the
  query workers;
- store = "rdflib": no store is made: the workers load the files themselves (workers.py);
- store = a URL: a remote SPARQL endpoint that holds the build (remote.py)."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ecograph.errors import UsageError

# What a store serves, and how each file is read, live in sources.py (workers.py reads them too).
from ecograph.rdf.sources import DEFAULT_GRAPH_IRI, FORMATS, QUAD_FORMATS, Source, as_source, load_into, quads_of  # noqa: F401
from ecograph.rdf.sources import file_format as _format
from ecograph.settings import Settings


@dataclass
class Served:
    """What a server serves: the store folder (None with the rdflib store), the graph names in it, the release
    id, the dist folder (if any) and the RDF files the data comes from."""

    store: Path | None
    graphs: list[str]
    release: str
    dist: Path | None
    files: list[Source]
    holder: object | None = None  # workers.Holder: the in-memory store (storage = "memory")
    memory: object | None = None  # the in-memory store loaded in this process (storage = "memory", in_process)


def _graph_names(store_path: Path) -> list[str]:
    store = ox.Store.read_only(str(store_path))
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


def _check(sources: list[Source]) -> None:
    """Usage errors before anything is loaded: an unknown file type, a graph file that holds graphs of its own."""
    for source in sources:
        if _format(source.path) in QUAD_FORMATS and source.graph:
            raise UsageError(f"{source.path}: a TriG or N-Quads file names its own graphs and cannot be loaded into <{source.graph}>",
                             "Serve it with --data; --named-graph takes Turtle, N-Triples, RDF/XML or JSON-LD.")
        if source.graph == DEFAULT_GRAPH_IRI:
            raise UsageError(f"<{DEFAULT_GRAPH_IRI}> names the store's default graph", "Serve the file with --data, or name its graph otherwise.")


def _graph_names_in(files: list[Source]) -> list[str]:
    """The named graphs of RDF files (read through once, so that a syntax error is reported before serving)."""
    names = {source.graph for source in files if source.graph}
    for source in files:
        try:
            names.update(q.graph_name.value for q in quads_of(source) if isinstance(q.graph_name, ox.NamedNode))
        except SyntaxError as exc:
            raise UsageError(f"{source.path}: {exc}") from exc
    return sorted(names)


def _make_store(target: Path, files: list[Source]) -> None:
    """Load files into a fresh store at target, atomically (a half-loaded store is never left behind)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="tmp-store-", dir=target.parent))
    try:
        store = ox.Store(str(tmp / "db"))
        for source in files:
            try:
                load_into(store, source)
            except SyntaxError as exc:
                raise UsageError(f"{source.path}: {exc}") from exc
        store.flush()
        store.optimize()
        del store
        os.rename(tmp / "db", target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def is_remote(store: str) -> bool:
    return store.startswith(("http://", "https://"))


def _serve_remote(settings: Settings, dist: Path | None, files: list[Source], release: str) -> Served:
    """A remote SPARQL store serving a build that `ecograph load --into` put there: its graphs must hold
    exactly the triples of this build (counted per graph), or the server refuses to start."""
    import json

    from ecograph.engine.remote import check_counts

    if dist is None:
        raise UsageError("a remote store serves a build: --data cannot be used with --store URL",
                         "Build, load it with `ecograph load --into …`, then `ecograph serve --store URL`.")
    counts = json.loads((dist / "build.json").read_text(encoding="utf-8"))["graphs"]
    check_counts(settings.store, counts)
    return Served(store=None, graphs=sorted(counts), release=release, dist=dist, files=files)


def load_memory(files: list[Source]) -> ox.Store:
    """The files in an in-memory pyoxigraph store of this process; a file that cannot be read is a UsageError."""
    from ecograph.rdf.sources import load_into

    store = ox.Store()
    for source in files:
        try:
            load_into(store, source)
        except (SyntaxError, OSError, ValueError) as exc:
            raise UsageError(f"the data cannot be served: {source.path.name}: {exc}", "Fix the file, or build again.") from exc
    return store


def _serve(settings: Settings, files: list[Source], release: str, dist: Path | None, in_process: bool = False) -> Served:
    if settings.default_graph not in ("union", "default"):
        raise UsageError(f"unknown default_graph '{settings.default_graph}'", "Use 'union' or 'default'.")
    _check(files)
    if is_remote(settings.store):
        return _serve_remote(settings, dist, files, release)
    if settings.store == "rdflib":
        return Served(store=None, graphs=_graph_names_in(files), release=release, dist=dist, files=files)
    if settings.store != "oxigraph":
        raise UsageError(f"unknown store '{settings.store}'", "Use 'oxigraph', 'rdflib' or the URL of a SPARQL endpoint.")
    if settings.storage == "memory" and in_process:
        store = load_memory(files)
        graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
        return Served(store=None, graphs=graphs, release=release, dist=dist, files=files, memory=store)
    if settings.storage == "memory":
        from ecograph.engine.workers import Holder

        holder = Holder(files)
        return Served(store=None, graphs=holder.graphs, release=release, dist=dist, files=files, holder=holder)
    if settings.storage != "disk":
        raise UsageError(f"unknown storage '{settings.storage}'", "Use 'memory' or 'disk'.")
    target = settings.root / ".dist" / "stores" / release
    if not target.exists():
        _make_store(target, files)
    try:
        graphs = _graph_names(target)
    except (OSError, RuntimeError) as exc:  # pyoxigraph reports RocksDB corruption as RuntimeError
        # the store is derived data: a damaged one (a crash, a full disk, a stray edit) is made again from the dumps
        logging.getLogger("ecograph.engine.serving").warning("the store %s cannot be opened (%s); making it again", target.name, exc)
        shutil.rmtree(target, ignore_errors=True)
        _make_store(target, files)
        try:
            graphs = _graph_names(target)
        except (OSError, RuntimeError) as again:
            raise UsageError(f"the store made from {', '.join(p.name for p in files)} cannot be opened: {again}",
                             "Check the disk (space, permissions) and run `ecograph build` again.") from again
    return Served(store=target, graphs=graphs, release=release, dist=dist, files=files)


def serve_release(settings: Settings, in_process: bool = False) -> Served:
    """The store of the current release in dist/ (made on first use); in_process: an in-memory store is loaded
    into this process (the prefork arbiter), not by a holder process."""
    dist = settings.dist
    if not (dist / "dataset.nq").exists():
        from ecograph.errors import NotBuiltError

        raise NotBuiltError(f"there is no build in {dist}")
    dist = dist.resolve()
    return _serve(settings, [as_source(dist / "dataset.nq")], dist.name, dist, in_process)


def serve_files(files: list[Path | Source], settings: Settings, in_process: bool = False) -> Served:
    """A store made from arbitrary RDF files (named graphs from TriG / N-Quads are kept; a Source may name the
    graph of a file's triples); relative IRIs in them are resolved against the base setting, else each file's URL."""
    digest = hashlib.sha256()
    sources = []
    for item in files:
        path = item.path if isinstance(item, Source) else Path(item)
        if not path.exists():
            raise UsageError(f"{path}: no such file")
        source = as_source(item, settings.base_iri)
        sources.append(source)
        digest.update(f"{source.path}\n{source.graph or ''}\n{source.base}\n".encode())
        with path.open("rb") as f:  # in chunks: a data file of a million triples is 200 MB
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    return _serve(settings, sources, "data-" + digest.hexdigest()[:16], None, in_process)
