"""Operations: GET /metrics in the Prometheus text format, and one access-log line per request (logger
`ecograph.access`) holding the method, path, status and duration only: no address, query string, header or
body, so the log never keeps what a client asked.

Metrics (prometheus_client) start at zero: requests by method, path template (never the raw path, so a scanner
cannot blow up the series) and status; a latency histogram by path template; refusals (4xx) by reason; query
timeouts and engine crashes; the query workers and their restarts; the answer cache. They are per app, and
`ecograph serve` sums them over its HTTP workers (share_metrics: prometheus_client's multiprocess mode, each worker
writing its own memory-mapped file in a folder of the server's, read together by whichever worker is scraped)."""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import threading
import time
from http import HTTPStatus

import prometheus_client
from flask import Blueprint, Response, current_app, g, request
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, multiprocess, values
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from ecograph.engine import guard
from ecograph.engine.workers import Busy, EngineCrashed, QueryTimeout
from ecograph.errors import DataSyntaxError, EcographError, NotBuiltError, QueryError, UsageError
from ecograph.http.error_handlers import exception_response
from ecograph.http.server import current_task

blueprint = Blueprint("ops", __name__)
access_log = logging.getLogger("ecograph.access")

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
UNMATCHED = "(unmatched)"
# In a request's WSGI environ: when it came in, if something in front of Flask took it first (the query lane, lane.py)
STARTED = "ecograph.started"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"  # what generate_latest writes; every Prometheus reads it
SERIES_KEPT = 1024  # labelled series remembered by observe (the methods a client sends are not bounded)
SHARED_DIR = "PROMETHEUS_MULTIPROC_DIR"  # prometheus_client's own variable

prometheus_client.disable_created_metrics()  # no *_created series: a counter is its value


SHARED_PREFIX = "ecograph-metrics-"


def share_metrics() -> None:
    """From now on, metrics made in this process and in the processes it forks are written to a fresh folder and
    read together (`ecograph serve`'s arbiter calls it before it makes the app). The folder is named by this
    process's id, so that the folders of servers killed outright (SIGKILL leaves no chance to remove one) are
    removed by the next server that starts."""
    _remove_orphans()
    os.environ[SHARED_DIR] = tempfile.mkdtemp(prefix=f"{SHARED_PREFIX}{os.getpid()}-")
    values.ValueClass = values.get_value_class()


def _remove_orphans() -> None:
    """The metrics folders whose server is gone."""
    from pathlib import Path

    for folder in Path(tempfile.gettempdir()).glob(f"{SHARED_PREFIX}*-*"):
        pid = folder.name[len(SHARED_PREFIX):].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:  # no such process: its server has ended
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:  # someone else's live process
            pass


def unshare_metrics() -> None:
    """The folder of share_metrics removed (when the server stops)."""
    folder = os.environ.pop(SHARED_DIR, None)
    values.ValueClass = values.get_value_class()
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def shared() -> bool:
    return SHARED_DIR in os.environ


class Metrics:
    """The metrics of one app, in a registry of its own."""

    def __init__(self, engine):
        self.engine = engine
        self.registry = r = CollectorRegistry()
        self.requests = Counter("ecograph_http_requests", "HTTP requests answered, by method, path template and status.",
                                ["method", "path", "status"], registry=r)
        self.duration = Histogram("ecograph_http_request_duration_seconds",
                                  "Time from receiving a request to having its response ready, by path template.",
                                  ["path"], buckets=BUCKETS, registry=r)
        self.refusals = Counter("ecograph_http_refusals", "Requests refused with a 4xx status, by status and reason.",
                                ["status", "reason"], registry=r)
        self.timeouts = Counter("ecograph_query_timeouts", "Queries stopped at the time limit.", registry=r)
        self.cache_requests = Counter("ecograph_query_cache_requests", "Queries looked up in the answer cache, by result.",
                                      ["result"], registry=r)
        self.cache_bytes = Gauge("ecograph_query_cache_bytes", "Bytes of answers held in the answer cache (summed over the HTTP workers).",
                                 registry=r, multiprocess_mode="livesum")
        self._series: dict[tuple, tuple] = {}  # (method, path, status) -> its request counter and latency histogram
        self.crash_errors = 0  # queries whose worker process died under them (the worker pool), under _lock
        self._lock = threading.Lock()
        self._cache_series = {result: self.cache_requests.labels(result) for result in ("hit", "miss")}
        engine.cache.observer = self.cache_observed
        r.register(_EngineCollector(self))

    def cache_observed(self, result: str | None, held: int) -> None:
        if result is not None:  # a lookup: the bytes held are unchanged, so no second write on every request
            self._cache_series[result].inc()
        else:
            self.cache_bytes.set(held)

    def observe(self, method: str, path: str, status: int, seconds: float, reason: str | None) -> None:
        series = self._series.get((method, path, status))
        if series is None:  # looking a labelled series up costs more than counting in it: found once, kept
            series = (self.requests.labels(method, path, str(status)), self.duration.labels(path))
            if len(self._series) < SERIES_KEPT:
                self._series[(method, path, status)] = series
        series[0].inc()
        series[1].observe(seconds)
        if 400 <= status < 500:
            self.refusals.labels(str(status), reason or "unknown").inc()
        if reason == "query_timeout":
            self.timeouts.inc()
        elif reason == "engine_crashed":
            with self._lock:
                self.crash_errors += 1

    def render(self) -> bytes:
        """The Prometheus text exposition format (version 0.0.4): this app's metrics, or with share_metrics those
        of every HTTP worker of the server, summed."""
        if not shared():
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_EngineCollector(self))
        return generate_latest(registry)


class _EngineCollector:
    """The query workers, their restarts and the engine's crashes, read from the engine at each scrape (never
    starting it: a scrape must not spawn the query workers)."""

    def __init__(self, metrics: Metrics):
        self.metrics = metrics

    def collect(self):
        pool = self.metrics.engine._pool
        workers = pool.size if pool is not None else 0
        restarts = pool.restarts if pool is not None else 0
        crashes = self.metrics.crash_errors + (getattr(pool, "crashes", 0) if pool is not None else 0)
        yield GaugeMetricFamily("ecograph_query_workers", "Query worker processes (0 until the first query starts them).", value=workers)
        yield CounterMetricFamily("ecograph_worker_restarts", "Query workers replaced after a timeout or a crash.", value=restarts)
        yield CounterMetricFamily("ecograph_query_engine_crashes", "Queries on which the query engine died, or HTTP workers that died.",
                                  value=crashes)


def _metrics(app=None) -> Metrics:
    return (app or current_app).extensions["ecograph.metrics"]


@blueprint.record_once
def _install(state) -> None:
    state.app.extensions.setdefault("ecograph.metrics", Metrics(state.app.extensions["ecograph"]))


def note_reason(reason: str) -> None:
    """Name why this request is refused (for the refusals metric); views that answer an error themselves call it."""
    g.ecograph_reason = reason


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# Flask sends no signal for an exception that a handler answers, so the metrics could not tell a timeout from
# any other 503. These handlers, more specific than errors.py's EcographError handler, answer exactly as it
# does (the same exception_response) and note the exception's class as the reason. Subclasses are covered.
NOTED = (QueryTimeout, Busy, EngineCrashed, guard.Refused, QueryError, UsageError, DataSyntaxError, NotBuiltError)


def _noted_error(exc: EcographError):
    note_reason(_snake(type(exc).__name__))
    return exception_response(exc)


for _cls in NOTED:
    blueprint.app_errorhandler(_cls)(_noted_error)


@blueprint.before_app_request
def _start_clock() -> None:
    g.ecograph_started = request.environ.get(STARTED) or time.perf_counter()
    task = current_task()
    if task is not None:  # for the watchdog, should it answer this request (http/watchdog.py)
        rule = request.url_rule
        task.template = rule.rule if rule is not None else UNMATCHED


def count_watchdog_answer(app, task, seconds: float) -> None:
    """A request the watchdog answered with 503 at its query's time limit: counted and logged as Flask's would be."""
    observe(app, task.request.command, task.template or UNMATCHED, task.request.path, 503, seconds, "query_timeout")


def observe(app, method: str, template: str, path: str, status: int, seconds: float, reason: str | None) -> None:
    """One answered request in the metrics (by its route's template) and the access log: Flask's answers, the query
    lane's (lane.py) and the watchdog's."""
    _metrics(app).observe(method, template, status, seconds, reason)
    if access_log.isEnabledFor(logging.INFO):
        access_log.info("%s %s %d %.1fms", method, _printable(path), status, seconds * 1000)


def _printable(path: str) -> str:
    """The path for a log line: control characters escaped, so that no request can forge a line."""
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in path)
    return shown if len(shown) <= 300 else shown[:300] + "…"


def _status_name(code: int) -> str:
    try:
        return HTTPStatus(code).name.lower()
    except ValueError:
        return "unknown"


@blueprint.after_app_request
def _record(response: Response) -> Response:
    task = current_task()
    if task is not None and task.answered:  # the watchdog answered and counted it; this response goes nowhere
        return response
    state, req = g._get_current_object(), request._get_current_object()  # each proxy lookup costs: once
    started = getattr(state, "ecograph_started", None)
    seconds = time.perf_counter() - started if started is not None else 0.0
    rule = req.url_rule
    template = rule.rule if rule is not None else UNMATCHED
    reason = getattr(state, "ecograph_reason", None)
    status = response.status_code
    if reason is None and status >= 400:
        reason = _status_name(status)
    observe(current_app, req.method, template, req.path, status, seconds, reason)
    return response


@blueprint.route("/metrics")
def metrics():
    """Prometheus metrics of the server."""
    return Response(_metrics().render(), content_type=CONTENT_TYPE)
