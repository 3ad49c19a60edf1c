"""The in-process engine: the release loaded into this process, queries run here with no worker and no time limit.
The CLI (`ecograph query`, `ecograph check`) and the report use it; the server uses the worker pool (workers.py) or a
remote store (remote.py). All three take the same Job and give the same Answer (the Engine protocol, engine/__init__.py)."""

from __future__ import annotations

import json
import sys

from ecograph.engine.answers import Answer
from ecograph.engine.job import Job
from ecograph.engine.stores import ENGINES
from ecograph.engine.workers import answer_of, outcome
from ecograph.errors import NotBuiltError, UsageError
from ecograph.rdf.sources import as_source, load_into
from ecograph.settings import Settings

NO_CAP = sys.maxsize - 1  # the CLI and the report read every row (the reader takes one row more than the cap)


class LocalEngine:
    """A store in this process and the function that runs a Job on it (stores.ENGINES)."""

    def __init__(self, store, run, graphs: list[str]):
        self._store, self._run = store, run
        self.graphs = graphs

    def run(self, job: Job, timeout_s: float | None = None) -> Answer:
        """The answer to a job; timeout_s is not enforced in process (the CLI's user can press Ctrl-C)."""
        return answer_of(*outcome(self._store, self._run, job))

    def close(self) -> None:
        self._store = None


def over_files(files: list) -> LocalEngine:
    """An in-process engine over RDF files (paths or rdf/sources.Source): a release and extra data, a fixture."""
    import pyoxigraph as ox

    memory = ox.Store()
    for source in map(as_source, files):
        load_into(memory, source)
    graphs = sorted(g.value for g in memory.named_graphs() if isinstance(g, ox.NamedNode))
    return LocalEngine(memory, ENGINES["oxigraph"][1], graphs)


_ENGINES: dict[tuple, object] = {}


def for_release(settings: Settings):
    """The engine of the current release (built once per release and store setting): pyoxigraph in memory, rdflib
    (store = "rdflib"), or the remote store a build was loaded into (store = a URL)."""
    dump = settings.dist / "dataset.nq"
    if not dump.exists():
        raise NotBuiltError(f"there is no build in {settings.dist}")
    key = (str(dump.resolve()), settings.store)
    if key not in _ENGINES:
        for engine in _ENGINES.values():
            engine.close()
        _ENGINES.clear()
        _ENGINES[key] = _open(settings, dump.resolve())
    return _ENGINES[key]


def _open(settings: Settings, dump):
    import pyoxigraph as ox

    store = settings.store
    if store == "oxigraph":
        return over_files([dump])
    described = dump.parent / "build.json"
    if described.exists():
        graphs = sorted(json.loads(described.read_text(encoding="utf-8"))["graphs"])
    else:  # a build written without its description (tools/synth.py's fast path): the graphs of the dump itself
        graphs = sorted({q.graph_name.value for q in ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS)
                         if isinstance(q.graph_name, ox.NamedNode)})
    if store.startswith(("http://", "https://")):
        from ecograph.engine.remote import RemotePool

        return RemotePool(store, graphs, 1)
    if store == "rdflib":
        open_store, run = ENGINES["rdflib"]
        return LocalEngine(open_store([dump]), run, graphs)
    raise UsageError(f"unknown store '{store}'", "Use 'oxigraph', 'rdflib' or the URL of a SPARQL endpoint.")
