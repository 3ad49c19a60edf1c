"""Queries run in this process, under a time limit that the process model enforces (http/prefork.py): the engine
of `ecograph serve`'s HTTP workers, with no hop to another process.

pyoxigraph releases the GIL while it evaluates a query, so queries run side by side with the other requests. In a
prefork worker a query runs on the request's own thread, and the watchdog (http/watchdog.py) answers 503 at the
limit and tells the process model, which ends the worker (and the runaway query with it) once its other requests
are answered. Elsewhere (no watchdog, or a thread it does not watch) the query runs on a query thread while the
request's thread waits until the limit, then answers QueryTimeout and calls on_timeout. Nothing here can stop a
query by itself: without a process model that acts on the limit, a runaway query would run on in the background."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from ecograph.engine.answers import Answer, QueryTimeout
from ecograph.engine.job import Job
from ecograph.engine.workers import answer_of, outcome


class ThreadedEngine:
    """A store of this process and the function that runs a Job on it (stores.ENGINES), on query threads.
    size, restarts and crashes are those of the process model (its worker processes, how many it has replaced, and
    how many of those died), for /healthz and /metrics: counters is the process model's shared [restarts, crashes].

    With a watchdog (http/watchdog.py), a query asked on a thread it watches runs on that thread itself, with no
    hand-over: the watchdog answers the request at the time limit (and tells the process model) if the query is
    still running then. Any other query runs on a query thread, as above."""

    def __init__(self, store, run, threads: int, on_timeout, size: int = 1, counters=(0, 0), watchdog=None):
        self._store, self._run = store, run
        self._threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="query")
        self._on_timeout = on_timeout
        self.size = size
        self._counters = counters
        self._watchdog = watchdog

    @property
    def restarts(self) -> int:
        return self._counters[0]

    @property
    def crashes(self) -> int:
        return self._counters[1]

    def run(self, job: Job, timeout_s: float, wait_s: float = 30.0) -> Answer:
        """The answer to a job, or QueryTimeout at the limit (and the process model is told)."""
        ticket = self._watchdog.watch(timeout_s) if self._watchdog is not None else None
        if ticket is not None:  # on this thread; the watchdog answers at the limit
            try:
                kind, payload = outcome(self._store, self._run, job)
            finally:
                ours = self._watchdog.done(ticket)
            if not ours:  # the watchdog has answered the client: this answer goes nowhere
                raise QueryTimeout(f"the query was stopped at the time limit of {timeout_s:g} s")
            return answer_of(kind, payload)
        future = self._threads.submit(outcome, self._store, self._run, job)
        try:
            kind, payload = future.result(timeout_s)
        except FutureTimeout:
            self._on_timeout()
            raise QueryTimeout(f"the query was stopped at the time limit of {timeout_s:g} s") from None
        return answer_of(kind, payload)

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
