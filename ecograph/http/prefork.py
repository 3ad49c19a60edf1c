"""`ecograph serve`'s process model for the embedded store: one arbiter and pre-forked HTTP workers (issue 15).

The arbiter loads the served data once (the in-memory pyoxigraph store; with storage = "disk" it only makes the
on-disk store), binds the listening socket, freezes its Python objects (gc.freeze: the collector then never writes
to the pages the workers share) and forks `workers` HTTP workers. The arbiter itself never answers a request nor
runs a query: it only replaces a worker that ends, and stops them all on SIGTERM or SIGINT.

Each worker answers HTTP itself (waitress on the shared socket; the kernel hands each connection to one of them)
and runs its queries in its own process, on the request's own thread (engine/threaded.py, http/watchdog.py): no
pipe, no second process, no hand-over between threads per request. What the worker pool gave is kept:
- a time limit that really stops the work: at the limit the watchdog answers the request's 503; the worker stops taking
  connections, closes its idle keep-alive connections, finishes the requests it is answering, and exits, and its
  runaway query with it; the arbiter forks a fresh worker at once;
- a crash costs one worker: an engine that dies (a segmentation fault) takes only its worker process, whose
  open connections are closed; the arbiter forks a fresh worker, and counts the crash for /metrics;
- a worker killed from outside (an operator, the OOM killer) is replaced the same way.
Counters shared by the arbiter and the workers (restarts, crashes) live in a small shared memory block."""

from __future__ import annotations

import gc
import logging
import os
import signal
import socket
import sys
import time
from multiprocessing.sharedctypes import RawArray

from ecograph.settings import Settings

log = logging.getLogger("ecograph.prefork")

RESTARTS, CRASHES = 0, 1  # slots of the shared counters
EXIT_TIMED_OUT = 3  # a worker that ended itself after a query passed the time limit
FRESH_S = 1.0  # how long an ending worker waits for the first request of a connection it has just accepted
QUICK_DEATH_S = 2.0  # a worker that dies sooner than this after its start is restarted after a pause (no fork loop)


class _Stop(Exception):
    pass


def listening_socket(settings: Settings) -> socket.socket:
    """The socket every worker accepts on (bound here, before the workers exist, so a busy port is a clear error)."""
    from ecograph.errors import UsageError

    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((settings.host, settings.port))
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}",
                         "Stop what uses that port, or choose another with --port.") from exc
    sock.listen(1024)
    return sock


class Arbiter:
    """Forks the HTTP workers of app and replaces each one that ends, until stopped."""

    def __init__(self, app, settings: Settings):
        self.app, self.settings = app, settings
        self.engine = app.extensions["ecograph"]
        self.counters = RawArray("q", 2)  # shared with every worker: restarts, crashes
        self.workers: dict[int, float] = {}  # pid -> when it was forked
        self.sock: socket.socket | None = None

    def run(self) -> None:
        """Serve until SIGTERM or SIGINT; then stop every worker (by its pid) and return."""
        self.sock = listening_socket(self.settings)
        gc.collect()
        gc.freeze()  # objects made so far are never traversed again: their pages stay shared with the workers
        _trim_heap()
        stop = _stopper()
        try:
            for _ in range(self.settings.workers):
                self._fork()
            while True:
                pid, status = os.wait()
                self._ended(pid, status)
        except _Stop:
            pass
        finally:
            signal.signal(signal.SIGTERM, stop[0])
            signal.signal(signal.SIGINT, stop[1])
            self._stop_all()
            self.sock.close()

    def _ended(self, pid: int, status: int) -> None:
        started = self.workers.pop(pid, None)
        if started is None:  # not one of ours (a validation holder a worker spawned is the worker's own child)
            return
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, EXIT_TIMED_OUT):  # 0: asked to stop (SIGTERM from outside); 3: after a time limit
            self.counters[CRASHES] += 1
            how = f"killed by signal {-code}" if code < 0 else f"ended with status {code}"
            log.warning("HTTP worker %d %s; starting a new one", pid, how)
        self.counters[RESTARTS] += 1
        _forget_metrics(pid)
        if time.monotonic() - started < QUICK_DEATH_S:
            time.sleep(QUICK_DEATH_S)  # a worker that cannot start is not forked again and again
        self._fork()

    def _fork(self) -> None:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = _worker(self.app, self.engine, self.sock, self.settings, self.counters)
            except BaseException:  # a forked worker must end by os._exit, whatever happened
                logging.getLogger("ecograph.prefork").exception("HTTP worker failed")
            finally:
                os._exit(code)
        self.workers[pid] = time.monotonic()

    def _stop_all(self) -> None:
        for pid in list(self.workers):
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while self.workers and time.monotonic() < deadline:
            for pid in list(self.workers):
                try:
                    done, _ = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    done = pid
                if done == pid:
                    self.workers.pop(pid)
            time.sleep(0.05)
        for pid in list(self.workers):  # past the grace period
            _signal(pid, signal.SIGKILL)
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        self.workers.clear()


def _trim_heap() -> None:
    """Give the memory that loading freed back to the system (glibc's malloc_trim): about a fifth of the arbiter's
    resident memory after loading a million quads, which it would otherwise keep, and every worker inherit, for as
    long as it serves. Nothing where the C library is not glibc."""
    import ctypes

    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _forget_metrics(pid: int) -> None:
    """A worker that ended no longer counts in the gauges summed over live workers (its counters still count)."""
    from ecograph.http import ops

    if ops.shared():
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _stopper():
    """SIGTERM and SIGINT end the arbiter's wait; returns the handlers they had."""
    def stop(signum, frame):
        raise _Stop()
    return signal.signal(signal.SIGTERM, stop), signal.signal(signal.SIGINT, stop)


class _Ending:
    """Whether a worker is ending (after a timeout, or asked to stop), and by when it must be gone."""

    def __init__(self):
        self.since: float | None = None
        self.code = 0
        self.grace_s = 0.0
        self.wake = lambda: None

    def begin(self, code: int, grace_s: float) -> None:
        if self.since is None:
            self.since, self.code, self.grace_s = time.monotonic(), code, grace_s
            self.wake()


def _idle(channel, now: float) -> bool:
    """Whether a connection may be closed by a worker that is ending: nothing half received, nothing being
    answered, and either a request already answered on it (an idle keep-alive connection, which any server may
    close) or silent since it was accepted for a second (a connection accepted just before the worker began to
    end, whose request is on its way, is waited for)."""
    if channel.requests or channel.request is not None:
        return False
    return channel.last_activity > channel.creation_time or now - channel.creation_time > FRESH_S


def _worker(app, engine, sock: socket.socket, settings: Settings, counters) -> int:
    """An HTTP worker: waitress on the shared socket, queries in this process. Returns its exit status."""
    import pyoxigraph as ox
    from waitress import wasyncore
    from waitress.server import BaseWSGIServer

    from ecograph.engine.stores import ENGINES
    from ecograph.engine.threaded import ThreadedEngine
    from ecograph.http import ops
    from ecograph.http.server import create_server, current_task
    from ecograph.http.watchdog import Watchdog

    ending = _Ending()
    grace_s = settings.query_timeout_s + 5  # time for the other requests this worker is answering
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the arbiter, which stops the workers
    signal.signal(signal.SIGTERM, lambda signum, frame: ending.begin(0, 10.0))
    served = engine.served
    store = served.memory if served.memory is not None else ox.Store.read_only(str(served.store))

    def timed_out():
        ending.begin(EXIT_TIMED_OUT, grace_s)

    def answered(ticket):  # the watchdog answered a request at its query's time limit: count it, end the worker
        ops.count_watchdog_answer(app, ticket.task, time.monotonic() - ticket.started)
        timed_out()

    watchdog = Watchdog(current_task, answered)
    engine.use(ThreadedEngine(store, ENGINES["oxigraph"][1], settings.threads, timed_out, size=settings.workers,
                              counters=counters, watchdog=watchdog))
    sockets: dict = {}
    create_server(app, settings, sockets=[sock], socket_map=sockets)
    servers = [d for d in sockets.values() if isinstance(d, BaseWSGIServer)]
    ending.wake = servers[0].pull_trigger
    while True:
        wasyncore.loop(timeout=1.0, map=sockets, use_poll=True, count=1)
        if ending.since is None:
            continue
        channels = [c for s in servers for c in list(s.active_channels.values())]
        for server in servers:
            server.accepting = False  # the other workers take the new connections
        now = time.time()
        for channel in channels:
            if _idle(channel, now):
                channel.close_when_flushed = True
        if not channels or time.monotonic() - ending.since > ending.grace_s:
            sys.stdout.flush()
            sys.stderr.flush()
            return ending.code
