"""Queries run in worker processes, so that a time limit really stops the work and an engine crash
(pyoxigraph can die with a segmentation fault) never takes the server down: the worker is killed or dies,
a fresh one takes its place, and the client gets a clear error.

Each worker opens the on-disk store read-only. The parent never touches the engine."""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ecograph.errors import EcographError, QueryError


class QueryTimeout(EcographError):
    status = 503
    exit_code = 2
    hint = "Make the query more selective, or ask for fewer rows with LIMIT."


class EngineCrashed(EcographError):
    status = 500
    exit_code = 2
    hint = "The query engine died on this query; the server replaced it and goes on serving. Please report the query."


class Busy(EcographError):
    status = 503
    exit_code = 2
    hint = "All query workers are busy; retry in a moment."


@dataclass
class Answer:
    """A worker's answer: form, variables, rows (term tuples), boolean, or triples/quads (term tuples)."""

    form: str
    variables: list[str]
    rows: list[tuple]
    boolean: bool | None
    truncated: bool


def _term(t):
    import pyoxigraph as ox

    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return ("uri", t.value, None, None)
    if isinstance(t, ox.BlankNode):
        return ("bnode", t.value, None, None)
    if isinstance(t, ox.Literal):
        return ("literal", t.value, None if t.language else t.datatype.value, t.language)
    return ("literal", str(t), None, None)


def _run(store, job: dict) -> Answer:
    import pyoxigraph as ox

    kwargs = {"prefixes": job.get("prefixes") or None}
    if job.get("base_iri"):
        kwargs["base_iri"] = job["base_iri"]
    if job.get("empty_default_graph"):
        kwargs["default_graph"] = []  # an empty default graph (not the store's own default graph)
    elif job.get("default_graphs") is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job["default_graphs"]] or ox.DefaultGraph()
    else:
        kwargs["use_default_graph_as_union"] = True
    if job.get("named_graphs") is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
    if job.get("substitutions"):
        kwargs["substitutions"] = {ox.Variable(k): _to_ox(v) for k, v in job["substitutions"].items()}
    result = store.query(job["query"], **kwargs)
    limit = job["max_rows"]
    if isinstance(result, ox.QueryBoolean) or isinstance(result, bool):
        return Answer("ASK", [], [], bool(result), False)
    rows = []
    truncated = False
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        for solution in result:
            if len(rows) >= limit:
                truncated = True
                break
            rows.append(tuple(_term(solution[v]) for v in variables))
        return Answer("SELECT", variables, rows, None, truncated)
    for triple in result:
        if len(rows) >= limit:
            truncated = True
            break
        rows.append((_term(triple.subject), _term(triple.predicate), _term(triple.object)))
    return Answer("GRAPH", [], rows, None, truncated)


def _to_ox(term: tuple):
    import pyoxigraph as ox

    kind, value, datatype, language = term
    if kind == "uri":
        return ox.NamedNode(value)
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype or "http://www.w3.org/2001/XMLSchema#string"))


def _short_syntax_error(message: str) -> str:
    """pyoxigraph's message ("error at 3:14: expected one of …") with the list of expected characters cut short."""
    first = message.splitlines()[0] if message else "syntax error"
    return first if len(first) <= 160 else first[:157] + "…"


def _worker_main(store_path: str, conn) -> None:
    import pyoxigraph as ox

    store = ox.Store.read_only(store_path)
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", _run(store, job)))
        except SyntaxError as exc:
            conn.send(("syntax", _short_syntax_error(str(exc))))
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            conn.send(("error", str(exc)))


class _Worker:
    def __init__(self, ctx, store_path: Path):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(str(store_path), child), daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(60):
            self.kill()
            raise EcographError("a query worker did not start within 60 s")
        try:
            kind, payload = self.conn.recv()
        except EOFError as exc:
            self.kill()
            raise EcographError("a query worker died while starting (is the store readable?)") from exc
        if kind != "ready":
            raise EcographError(f"a query worker failed to start: {payload}")

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """A fixed number of worker processes over one read-only store."""

    def __init__(self, store_path: Path, size: int = 2):
        self.store_path = store_path
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self.size = size
        self.restarts = 0
        for _ in range(size):
            self._idle.put(_Worker(self._ctx, store_path))

    def run(self, job: dict, timeout_s: float, wait_s: float = 30.0) -> Answer:
        """Run one job; QueryTimeout kills the worker at the limit, EngineCrashed if it died."""
        try:
            worker = self._idle.get(timeout=wait_s)
        except queue.Empty as exc:
            raise Busy("every query worker is busy") from exc
        replace = False
        try:
            worker.conn.send(job)
            if not worker.conn.poll(timeout_s):
                replace = True
                raise QueryTimeout(f"the query was stopped at the time limit of {timeout_s:g} s")
            try:
                kind, payload = worker.conn.recv()
            except (EOFError, OSError) as exc:
                replace = True
                raise EngineCrashed("the query engine crashed on this query") from exc
        except (BrokenPipeError, OSError) as exc:
            if isinstance(exc, EcographError):
                raise
            replace = True
            raise EngineCrashed("the query worker was gone; it has been replaced") from exc
        finally:
            if replace:
                worker.kill()
                with self._lock:
                    self.restarts += 1
                worker = _Worker(self._ctx, self.store_path)
            self._idle.put(worker)
        if kind == "syntax":
            raise QueryError(f"SPARQL syntax error: {payload}", "See https://www.w3.org/TR/sparql11-query/#grammar")
        if kind == "error":
            raise QueryError(f"the query failed: {payload}")
        return payload

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                break


def wait_ready(pool: QueryPool, timeout: float = 30.0) -> None:
    """Block until an idle worker exists (used by health checks)."""
    deadline = time.time() + timeout
    while pool._idle.empty() and time.time() < deadline:
        time.sleep(0.05)
