"""Queries run in worker processes, so that a time limit really stops the work and an engine crash
(pyoxigraph can die with a segmentation fault) never takes the server down: the worker is killed or dies,
a fresh one takes its place, and the client gets a clear error.

Each worker opens the on-disk pyoxigraph store read-only, or (store = "rdflib", the slower fallback) loads the
served RDF files into an in-memory rdflib Dataset once, at start (stores.py: how each opens and runs a job). Both
answer the same jobs with the same Answer. The parent never touches the engine."""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
import time
from pathlib import Path

import pyoxigraph as ox

# The answer of a worker, its term tuples and its errors live in answers.py (results.py and remote.py read them too).
from ecograph.engine.answers import Answer, Busy, EngineCrashed, QueryTimeout
from ecograph.engine.job import Job
from ecograph.engine.stores import ENGINES
from ecograph.errors import EcographError, QueryError, QuerySyntaxError, UsageError
from ecograph.processes import HolderProcess, end


def _syntax_error(job: Job, exc: SyntaxError) -> dict:
    """A query that does not parse, explained (query_syntax.py: the offending token at its line and column, an
    unknown prefix with the known ones) instead of the parser's list of expected characters."""
    from ecograph.engine import query_syntax

    try:
        return query_syntax.explain(job.query, str(exc), job.prefixes or None, job.base_iri)
    except (ValueError, IndexError):  # never lose the error itself to its explanation
        first = str(exc).splitlines()[0] if str(exc) else "syntax error"
        return {"message": f"SPARQL syntax error: {first[:160]}", "hint": query_syntax.GRAMMAR, "line": None, "column": None}


def _worker_main(engine: str, source, conn) -> None:
    open_store, run = ENGINES[engine]
    _serve_jobs(open_store(source), run, conn)


def _serve_jobs(store, run, conn) -> None:
    """A worker's loop: say ready, then answer jobs until the server closes the pipe."""
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        conn.send(outcome(store, run, job))


def outcome(store, run, job: Job) -> tuple[str, object]:
    """Run a job on an engine's store: ("ok", the Answer, serialised if the job names a media type), ("syntax", the
    error explained) or ("error", its message). What a worker sends back, and what the in-process engine reads."""
    try:
        started = time.perf_counter()
        answer = run(store, job)
        answer.engine_ms = (time.perf_counter() - started) * 1000 - (answer.render_ms or 0)
        return ("ok", _rendered(answer, job))
    except SyntaxError as exc:
        return ("syntax", _syntax_error(job, exc))
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        return ("error", str(exc))


def answer_of(kind: str, payload) -> Answer:
    """The Answer of an outcome, or its error raised."""
    if kind == "syntax":
        raise QuerySyntaxError(payload["message"], payload["hint"], payload["line"], payload["column"])
    if kind == "error":
        raise QueryError(f"the query failed: {payload}")
    return payload


def _rendered(answer: Answer, job: Job) -> Answer:
    """With job.media, the answer serialised here, in the worker: the server process (one interpreter for
    every request) then only passes bytes on, and a large answer crosses the pipe as one string."""
    media = job.media
    if not media or answer.body is not None:  # no format asked for, or written already (a graph, by pyoxigraph)
        return answer
    from ecograph.engine import results

    started = time.perf_counter()
    body = results.render(answer, media, job.max_rows)
    return Answer(answer.form, answer.variables, [], answer.boolean, answer.truncated, body, answer.engine_ms,
                  (time.perf_counter() - started) * 1000)


# ------------------------------------------------------------------ in memory: one loaded copy, forked workers

def _holder_main(files: list, conn) -> None:
    """The holder: load the files into an in-memory pyoxigraph store once, then fork a query worker whenever the
    server asks (it sends one end of a fresh pipe). A forked worker starts at once and shares the holder's memory
    copy-on-write; the holder itself never queries. It reaps its workers and kills one only on the server's word."""
    import os
    import signal
    from multiprocessing.connection import Connection
    from multiprocessing.reduction import recv_handle

    from ecograph.engine import results  # noqa: F401  (imported once here, not in every forked worker's first answer)
    from ecograph.rdf.sources import as_source, load_into

    store = ox.Store()
    try:
        for source in map(as_source, files):
            load_into(store, source)
    except (SyntaxError, OSError, ValueError) as exc:
        conn.send(("failed", f"{source.path.name}: {exc}"))
        return
    graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    conn.send(("ready", {"graphs": graphs, "quads": len(store)}))
    children: set[int] = set()
    while True:
        try:
            message = conn.recv()
        except EOFError:  # the server has gone: its workers see their own pipes close and end by themselves
            return
        for pid in list(children):  # reap the workers that ended by themselves (a crash, a kill from outside)
            try:
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    children.discard(pid)
            except ChildProcessError:
                children.discard(pid)
        if message[0] == "fork":
            fd = recv_handle(conn)
            pid = os.fork()
            if pid == 0:  # the worker: only its own pipe, then jobs until the server closes it
                code = 0
                try:
                    # keep only its own pipe: an inherited descriptor (the holder's pipe, or the one its parent
                    # watches to know the holder ended) would keep them open after the holder is gone
                    os.closerange(3, fd)
                    os.closerange(fd + 1, os.sysconf("SC_OPEN_MAX"))
                    signal.signal(signal.SIGINT, signal.SIG_DFL)
                    _serve_jobs(store, ENGINES["oxigraph"][1], Connection(fd))
                except BaseException:  # noqa: BLE001  (the forked child must end by os._exit, whatever happened)
                    code = 1
                finally:
                    os._exit(code)
            os.close(fd)
            children.add(pid)
            conn.send(pid)
        elif message[0] == "kill":
            pid = message[1]
            if pid in children:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                children.discard(pid)
            conn.send(True)


class Holder(HolderProcess):
    """The process that holds the release in memory and forks the query workers (storage = "memory")."""

    def __init__(self, files: list, start_timeout_s: float = 3600.0):
        """files: serving.Source (or paths, read with their own file: URL as base)."""
        self.files = list(files)
        super().__init__(_holder_main, (self.files,), start_timeout_s, "the store")
        kind, payload = self.started
        if kind != "ready":
            self.close()
            raise UsageError(f"the data cannot be served: {payload}", "Fix the file, or build again.")
        self.graphs: list[str] = payload["graphs"]
        self.quads: int = payload["quads"]

    def fork(self) -> _Forked:
        """A new query worker, forked from the holder and connected to this process by a pipe of its own."""
        try:
            pid, ours = self.fork_child()
        except (EOFError, OSError) as exc:
            raise EngineCrashed("the process holding the store has died") from exc
        worker = _Forked(self, pid, ours)
        if not ours.poll(60):
            worker.kill()
            raise EcographError("a query worker did not start within 60 s")
        try:
            ours.recv()
        except EOFError as exc:
            worker.kill()
            raise EcographError("a query worker died while starting") from exc
        return worker


class _Forked:
    """A query worker forked by the holder: the same pipe protocol as a spawned worker."""

    def __init__(self, holder: Holder, pid: int, conn):
        self.holder, self.pid, self.conn = holder, pid, conn

    def alive(self) -> bool:
        import os

        try:
            with open(f"/proc/{self.pid}/stat", "rb") as f:  # a worker that died is a zombie until the holder reaps it
                return f.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
        except (FileNotFoundError, ProcessLookupError):
            return False
        except OSError:
            return os.path.exists(f"/proc/{self.pid}")

    def kill(self) -> None:
        self.holder.kill(self.pid)
        self.conn.close()


class _Worker:
    def __init__(self, ctx, engine: str, source):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(engine, source, child), daemon=True)
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

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> None:
        end(self.process, self.conn)




class QueryPool:
    """A fixed number of worker processes over one read-only store. source is what the engine reads:
    'oxigraph', the on-disk store's folder; 'rdflib', the RDF files (a list), loaded by each worker; 'memory', a
    Holder whose in-memory copy of the files the workers are forked from (and share)."""

    def __init__(self, source: Path | list[Path] | Holder, size: int = 2, engine: str = "oxigraph"):
        if engine not in (*ENGINES, "memory"):
            raise UsageError(f"unknown store '{engine}'", "Use 'oxigraph' or 'rdflib'.")
        self.engine = engine
        if engine == "memory":
            self.holder = source
        else:
            self.source = list(source) if isinstance(source, list) else str(source)
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self.size = size
        self.restarts = 0
        self._workers: dict = {}  # pid -> worker, for pids()
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self):
        if self.engine != "memory":
            worker = _Worker(self._ctx, self.engine, self.source)
        else:
            with self._lock:
                if not self.holder.alive():  # killed (an operator, the OOM killer): load the data again
                    self.holder.close()
                    self.holder = Holder(self.holder.files)
                holder = self.holder
            worker = holder.fork()
        with self._lock:
            self._workers[worker.pid] = worker
        return worker

    def pids(self) -> list[int]:
        """The process ids of the query workers (and of the holder of the in-memory store, first, if any)."""
        with self._lock:
            workers = sorted(self._workers)
        return ([self.holder.process.pid] if self.engine == "memory" else []) + workers

    def run(self, job: Job, timeout_s: float, wait_s: float = 30.0) -> Answer:
        """Run one job; QueryTimeout kills the worker at the limit, EngineCrashed if it died."""
        try:
            worker = self._idle.get(timeout=wait_s)
        except queue.Empty as exc:
            raise Busy("every query worker is busy") from exc
        # killed from outside while idle (an operator, the OOM killer): its pipe has closed, or it has been reaped
        if worker.conn.poll(0) or not worker.alive():
            worker = self._replace(worker)
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
        except BaseException:
            replace = True  # anything else after the job was sent: its answer may still come, so never reuse the worker
            raise
        finally:
            if replace:
                worker = self._replace(worker)
            self._idle.put(worker)
        return answer_of(kind, payload)

    def _replace(self, worker):
        worker.kill()
        with self._lock:
            self.restarts += 1
            self._workers.pop(worker.pid, None)
        try:
            return self._start()
        except EcographError:
            self._idle.put(worker)  # keep the pool's size: the dead one is replaced on its next turn
            raise

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                break
        if self.engine == "memory":
            self.holder.close()


def wait_ready(pool: QueryPool, timeout: float = 30.0) -> None:
    """Block until an idle worker exists (used by health checks)."""
    deadline = time.time() + timeout
    while pool._idle.empty() and time.time() < deadline:
        time.sleep(0.05)
