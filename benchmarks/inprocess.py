"""The in-process engines of the benchmark, each in a child process (so that a query can be stopped at the time
limit: the child is killed and started again; and so that their peak memory is their own), each query timed inside
the child, so only the engine counts:

- `pyoxigraph`: an in-memory `pyoxigraph.Store`, running the same text with the same substitutions, prefixes and
  union default graph as ecograph's workers, reading every value of every row;
- `pyoxigraph-json`: the same, writing its answer as an endpoint must (SPARQL JSON results, Turtle for a graph), as
  the wire peer does: between it and `pyoxigraph` is what writing the answer costs, between it and `wire` what
  answering over loopback HTTP costs;
- `pyoxigraph-disk`: the same on an on-disk store made and opened read-only as ecograph's serving store is: it
  tells what ecograph adds apart from the storage it chose;
- `rdflib`: an in-memory rdflib Dataset (union default graph), the same text as rdflib-endpoint.

The servers are benchmarks/engines.py's."""

from __future__ import annotations

import multiprocessing as mp
import shutil
import signal
import time
from pathlib import Path

import pyoxigraph as ox

from benchmarks import wire
from benchmarks.engines import SLACK_S, Memory, Outcome
from benchmarks.workload import Named
from ecograph.rdf.terms import to_ox


def _load_pyoxigraph(path: str, scratch: str):
    store = ox.Store()
    store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
    return store


def _load_pyoxigraph_disk(path: str, scratch: str):
    """As ecograph's serving store is made (serving.py): an on-disk store, bulk-loaded, optimised, opened read-only."""
    store = ox.Store(scratch)
    store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
    store.flush()
    store.optimize()
    del store
    return ox.Store.read_only(scratch)


def _substitutions(job: dict) -> dict:
    return {ox.Variable(k): to_ox(v) for k, v in job["substitutions"].items()}


def _query_pyoxigraph(store, job: dict) -> int:
    """One query of the child, timed as a whole: what it needs is imported once, with this module."""
    result = wire.query(store, job["text"], _substitutions(job))
    if isinstance(result, ox.QueryBoolean):
        return 1
    return _read(result)


def _query_pyoxigraph_json(store, job: dict):
    """raw pyoxigraph writing its answer, as an endpoint must and as the wire peer does (benchmarks.wire.answer: SPARQL
    JSON results, Turtle for a graph), timed up to the written bytes; the rows are counted from them after the clock
    stops (a callable, which the child calls once it has taken the time)."""
    body, kind = wire.answer(store, job["text"], _substitutions(job))

    def rows() -> int:
        if kind != wire.JSON:
            return sum(1 for _ in ox.parse(body, format=ox.RdfFormat.TURTLE))
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        return 1 if isinstance(parsed, ox.QueryBoolean) else sum(1 for _ in parsed)
    return rows


def _load_rdflib(path: str, scratch: str):
    import warnings

    from rdflib import Dataset

    warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's own quad parser calls its deprecated API
    dataset = Dataset(default_union=True)
    dataset.parse(path, format="nquads")
    return dataset


def _query_rdflib(dataset, job: dict) -> int:
    result = dataset.query(job["inlined"])
    if result.type == "ASK":
        return 1
    return _read(result)


def _read(rows) -> int:
    """Read every value of every row, as a client would, and count the rows."""
    n = 0
    for row in rows:
        tuple(row)
        n += 1
    return n


CHILD_ENGINES = {"pyoxigraph": (_load_pyoxigraph, _query_pyoxigraph), "pyoxigraph-json": (_load_pyoxigraph, _query_pyoxigraph_json),
                 "pyoxigraph-disk": (_load_pyoxigraph_disk, _query_pyoxigraph), "rdflib": (_load_rdflib, _query_rdflib)}


class _Limit(BaseException):
    """Raised in the child by its alarm at the time limit."""


def _alarm(signum, frame):
    raise _Limit()


def _child_main(kind: str, path: str, scratch: str, conn) -> None:
    """The child: load the file (timed), then answer jobs, each timed around the query and reading its rows (or
    writing its answer). An alarm at the limit stops a query while Python code runs (all of rdflib's work, and
    pyoxigraph's between rows), so the engine goes on without loading the data again; the parent kills the child
    otherwise."""
    load, query = CHILD_ENGINES[kind]
    started = time.perf_counter()
    engine = load(path, scratch)
    conn.send(("loaded", time.perf_counter() - started))
    signal.signal(signal.SIGALRM, _alarm)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        started = time.perf_counter()
        try:
            signal.setitimer(signal.ITIMER_REAL, job["limit"])
            rows = query(engine, job)
            took = time.perf_counter() - started
        except _Limit:
            conn.send(("limit", time.perf_counter() - started, None))
            continue
        except Exception as exc:  # noqa: BLE001 - an engine reports a query it cannot answer in many ways: this is the result
            signal.setitimer(signal.ITIMER_REAL, 0)
            conn.send(("error", time.perf_counter() - started, f"{type(exc).__name__}: {exc}"[:500]))
            continue
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        try:
            conn.send(("ok", took, rows() if callable(rows) else rows))  # counted after the clock (pyoxigraph-json)
        except Exception as exc:  # noqa: BLE001 - the written answer does not read back: an error of the engine's
            conn.send(("error", took, f"{type(exc).__name__}: {exc}"[:500]))


class InProcess(Memory):
    """An in-memory engine in a child process: the query is timed inside the child, so only the engine counts."""

    http = False

    def __init__(self, kind: str, data: Path, limit: float, scratch: Path):
        self.name, self.kind, self.data, self.limit, self.scratch = kind, kind, data, limit, scratch
        self.ctx = mp.get_context("spawn")
        self.process = None
        self.conn = None
        self.started_pids: list[int] = []
        self.peak_kib = 0
        self.restarts = 0
        self.busy = False
        self.load_s: float | None = None

    def start(self, timeout: float = 7200) -> float:
        self.conn, child = self.ctx.Pipe()
        shutil.rmtree(self.scratch, ignore_errors=True)  # an on-disk store is made afresh at every start
        self.process = self.ctx.Process(target=_child_main, args=(self.kind, str(self.data), str(self.scratch), child), daemon=True)
        self.process.start()
        child.close()
        self.started_pids.append(self.process.pid)
        if not self.conn.poll(timeout):
            self.stop()
            raise RuntimeError(f"{self.name} did not load the data within {timeout:g} s")
        _, took = self.conn.recv()
        if self.load_s is None:
            self.load_s = took
        return took

    def pids(self) -> list[int]:
        return [self.process.pid] if self.process is not None and self.process.is_alive() else []

    def run(self, q: Named, client=None) -> Outcome:
        self.conn.send({"text": q.text, "substitutions": q.substitutions, "inlined": q.inlined,
                        "limit": self.limit})
        if not self.conn.poll(self.limit + SLACK_S):
            return Outcome("limit", self.limit, message="stopped at the time limit", stuck=True)
        try:
            status, took, payload = self.conn.recv()
        except EOFError:
            return Outcome("error", 0.0, message="the engine's process died", stuck=True)
        if status == "error":
            return Outcome("error", took, message=payload)
        if status == "limit":
            return Outcome("limit", took, message="stopped at the time limit (by the engine's process)")
        if took >= self.limit:
            return Outcome("limit", took, message="answered after the time limit")
        return Outcome("ok", took, payload)

    def restart(self) -> float:
        self.stop()
        self.restarts += 1
        self.busy = False
        return self.start()

    def stop(self, force: bool = True) -> None:
        """Killed by process id: nothing of it needs a graceful end."""
        if self.process is None:
            return
        self.rss_kib()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(10)
        self.conn.close()
        self.process = None
        shutil.rmtree(self.scratch, ignore_errors=True)
