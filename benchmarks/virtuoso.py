"""The Virtuoso rows of the benchmark (issue 6, item 3): Debian's Virtuoso Open Source 7, started, bulk-loaded and
stopped by ecograph/tools/virtuoso.py, as

- `virtuoso`: Virtuoso's own /sparql endpoint over loopback HTTP (POST, JSON), sent exactly what ecograph's front
  sends it (ecograph/engine/remote.py: the prologue, the parameters bound as BINDs, the union of the file's graphs as the
  default graph by default-graph-uri);
- `ecograph-virtuoso`: ecograph's front (`ecograph --store URL serve`, answer cache off) over that Virtuoso.

Both load the scale's N-Quads file with Virtuoso's bulk loader (ld_dir + rdf_loader_run) into a fresh database,
and check its triples per graph against counts made from the file. The load time is Virtuoso's start plus the
bulk load (plus ecograph's start for ecograph-virtuoso). A query Virtuoso stops at its MaxQueryExecutionTime comes
back as a partial answer marked X-SQL-State: S1TAT: it counts as the limit."""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import sys
import time
import urllib.parse
from collections import Counter
from pathlib import Path

from benchmarks.engines import JSON_RESULTS, Client, EcographServer, Outcome, Request, Server, alive, descendants, free_port, timed
from benchmarks.workload import Named, prefixes
from ecograph.engine.job import Job
from ecograph.engine.remote import bind, dataset, prologue
from ecograph.tools import virtuoso as vt

ENGINES = ("virtuoso", "ecograph-virtuoso")
DESCRIBE_ACCEPT = "application/n-triples, text/turtle;q=0.5"  # what ecograph's remote store asks for (remote.py)
MEMORY_GB = 2.0  # ecograph/tools/virtuoso.py's default: Virtuoso's buffers sized for 2 GB


def missing() -> str | None:
    """Why the Virtuoso engines cannot run here (None when they can)."""
    for binary in (vt.BINARY, vt.ISQL):
        if shutil.which(binary) is None:
            return f"{binary} is not installed (scripts/virtuoso up installs Debian's virtuoso-opensource-7-bin)"
    return None


def make_dist(nquads: Path, folder: Path) -> Path:
    """A dist folder for the file, as `ecograph load` and `serve --store` expect one: dataset.nq (a hard link to
    the file, or a copy) and build.json whose "graphs" holds the triples per named graph, counted from the file."""
    dist = folder / "dist"
    if (dist / "build.json").exists():
        return dist
    dist.mkdir(parents=True, exist_ok=True)
    target = dist / "dataset.nq"
    target.unlink(missing_ok=True)
    try:
        os.link(nquads, target)
    except OSError:
        shutil.copyfile(nquads, target)
    import pyoxigraph as ox

    counts: Counter = Counter()
    for quad in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise RuntimeError(f"{nquads.name} has triples in the default graph: the union of named graphs would miss them")  # noqa: TRY004 - the data, not a type, is wrong
        counts[quad.graph_name.value] += 1
    (dist / "build.json").write_text(json.dumps({"graphs": dict(sorted(counts.items()))}, indent=1) + "\n", encoding="utf-8")
    return dist


def stopped_by_virtuoso(headers: dict) -> bool:
    """Virtuoso's partial ("anytime") answer at its MaxQueryExecutionTime."""
    return headers.get("x-sql-state", "").upper() == "S1TAT"


class VirtuosoServer(Server):
    """Virtuoso on loopback with the scale's file bulk-loaded; queried at its /sparql endpoint as ecograph's remote
    store queries it. Restarted (after a query nobody waits for any more) on the same database, without loading."""

    name = "virtuoso"

    def __init__(self, data: Path, root: Path, logs: Path, limit: float, folder: Path, name: str | None = None):
        super().__init__(data, root, logs, limit, name)
        self.folder = folder
        self.db = folder / f"db-{self.name}"
        self.pid: int | None = None
        self.isql = 0
        self.graphs: list[str] = []
        self.loaded = False

    def start(self, timeout: float = 3600) -> float:
        """Start Virtuoso (a fresh database at the first start) and bulk-load the file; returns the seconds taken."""
        why = missing()
        if why:
            raise RuntimeError(why)
        dist = make_dist(self.data, self.folder)  # preparing the input, not the engine's work: not timed
        self.graphs = sorted(json.loads((dist / "build.json").read_text(encoding="utf-8"))["graphs"])
        if not self.loaded:
            shutil.rmtree(self.db, ignore_errors=True)
        started = time.perf_counter()
        try:
            state = vt.start(self.db, free_port(), free_port(), allowed=[dist], max_seconds=max(1, math.ceil(self.limit)),
                             memory_gb=MEMORY_GB)
            self.pid, self.port, self.isql = state["pid"], state["http"], state["isql"]
            self.started_pids.append(self.pid)
            if not self.loaded:
                vt.bulk_load(f"isql://127.0.0.1:{self.isql}", dist)  # checks the triples per graph against build.json
                self.loaded = True
        except vt.VirtuosoError as exc:
            self.stop()
            raise RuntimeError(f"{self.name}: {exc}" + (f" ({exc.hint})" if getattr(exc, "hint", None) else "")) from exc
        took = time.perf_counter() - started
        if self.load_s is None:
            self.load_s = took
        return took

    def pids(self) -> list[int]:
        return [self.pid, *descendants(self.pid)] if self.pid and alive(self.pid) else []

    def stop(self, force: bool = False) -> None:
        """By its process id (ecograph/tools/virtuoso.py: SIGTERM, SIGKILL after a grace time); SIGKILL at once when forced."""
        if self.pid is None:
            return
        self.rss_kib()
        if force and alive(self.pid):
            os.kill(self.pid, signal.SIGKILL)
        vt.stop(self.db)
        self.pid = None

    def finish(self) -> None:
        """After the last stop: keep Virtuoso's log, drop its database."""
        self.logs.mkdir(parents=True, exist_ok=True)
        for log in ("virtuoso.log", "server.out"):
            if (self.db / log).exists():
                shutil.copyfile(self.db / log, self.logs / f"{self.name}-{log}")
        shutil.rmtree(self.db, ignore_errors=True)

    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _post(self, text: str, accept: str) -> Request:
        fields = [("query", text), *dataset(Job("", 1), self.graphs)]  # the union of the file's graphs, as ecograph names them
        return Request("POST", "/sparql", urllib.parse.urlencode(fields).encode(),
                       {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}, stopped=stopped_by_virtuoso)

    def ready_request(self) -> Request:
        return self._post("ASK {}", JSON_RESULTS)

    def named(self, q: Named) -> Request:
        """What ecograph's front sends for GET /queries/NAME (ecograph/engine/remote.py RemotePool._run)."""
        job = Job("", 1, prefixes=prefixes(), base_iri=self.endpoint())
        return self._post(prologue(job) + bind(q.text, q.substitutions), JSON_RESULTS)

    def point(self, text: str, describe: bool) -> Request:
        job = Job("", 1, prefixes=prefixes(), base_iri=self.endpoint())
        return self._post(prologue(job) + text, DESCRIBE_ACCEPT if describe else JSON_RESULTS)


class EcographVirtuosoServer(EcographServer):
    """`ecograph --dist DIST --store URL serve` (answer cache off) over its own VirtuosoServer. The load time is
    Virtuoso's start and bulk load plus the front's start; the memory is the front's processes and Virtuoso's."""

    name = "ecograph-virtuoso"

    def __init__(self, data: Path, root: Path, logs: Path, limit: float, folder: Path):
        super().__init__(data, root, logs, limit, self.name)
        self.store = VirtuosoServer(data, root, logs, limit, folder, name=self.name + "-store")
        self.folder = folder

    def command(self) -> list[str]:
        return [sys.executable, "-m", "ecograph.cli", "--root", str(self.root), "--dist", str(self.folder / "dist"),
                "--store", self.store.endpoint(), "serve", "--host", "127.0.0.1", "--port", str(self.port)]

    def env(self) -> dict:
        return {**super().env(), "ECOGRAPH_QUERY_CACHE_BYTES": "0"}

    def start(self, timeout: float = 3600) -> float:
        first = self.load_s is None
        took = self.store.start(timeout) + super().start(timeout)
        self.started_pids.extend(p for p in self.store.started_pids if p not in self.started_pids)
        if first:
            self.load_s = took
        return took

    def pids(self) -> list[int]:
        return super().pids() + self.store.pids()

    def stop(self, force: bool = False) -> None:
        super().stop(force)
        self.store.stop(force)

    def finish(self) -> None:
        self.store.finish()

    def run(self, q: Named, client: Client) -> Outcome:
        """A query stopped at the limit by the front may still run in Virtuoso (its MaxQueryExecutionTime does not
        stop every plan): Virtuoso is started again before the next query, as after a client-side timeout."""
        outcome = timed(client, self.request(q), self.limit, graphs=True)
        if outcome.status == "limit":
            outcome.stuck = True
        return outcome
