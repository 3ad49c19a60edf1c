"""Operations: GET /metrics in the Prometheus text format, and one access-log line per request (logger
`ecograph.access`) holding the method, path, status and duration only: no address, query string, header or
body, so the log never keeps what a client asked.

Metrics are per process and start at zero: requests by method, path template (never the raw path, so a
scanner cannot blow up the series) and status; a latency histogram by path template; refusals (4xx) by
reason; query timeouts and engine crashes; the query workers and their restarts."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import Counter
from http import HTTPStatus

from flask import Blueprint, Response, current_app, g, request

from ecograph.engine import guard
from ecograph.engine.workers import Busy, EngineCrashed, QueryTimeout
from ecograph.errors import DataSyntaxError, EcographError, NotBuiltError, QueryError, UsageError
from ecograph.http.error_handlers import exception_response

blueprint = Blueprint("ops", __name__)
access_log = logging.getLogger("ecograph.access")

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
UNMATCHED = "(unmatched)"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    """Counters and a histogram, guarded by one lock (requests are served on several threads)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests: Counter = Counter()  # (method, path template, status)
        self.refusals: Counter = Counter()  # (status, reason)
        self.buckets: dict[str, list[int]] = {}  # path template -> cumulative counts per bucket
        self.sums: Counter = Counter()
        self.counts: Counter = Counter()
        self.timeouts = 0
        self.crashes = 0

    def observe(self, method: str, path: str, status: int, seconds: float, reason: str | None) -> None:
        with self.lock:
            self.requests[(method, path, str(status))] += 1
            counts = self.buckets.setdefault(path, [0] * len(BUCKETS))
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    counts[i] += 1
            self.sums[path] += seconds
            self.counts[path] += 1
            if 400 <= status < 500:
                self.refusals[(str(status), reason or "unknown")] += 1
            if reason == "query_timeout":
                self.timeouts += 1
            elif reason == "engine_crashed":
                self.crashes += 1

    def render(self, workers: int, restarts: int, cache: dict | None = None) -> str:
        """The Prometheus text exposition format (version 0.0.4)."""
        out: list[str] = []
        with self.lock:
            _family(out, "ecograph_http_requests_total", "counter", "HTTP requests answered, by method, path template and status.",
                    [({"method": m, "path": p, "status": s}, n) for (m, p, s), n in sorted(self.requests.items())])
            _family(out, "ecograph_http_request_duration_seconds", "histogram",
                    "Time from receiving a request to having its response ready, by path template.", [])
            for path in sorted(self.buckets):
                for bound, n in zip(BUCKETS, self.buckets[path]):
                    out.append(_sample("ecograph_http_request_duration_seconds_bucket", {"path": path, "le": f"{bound:g}"}, n))
                out.append(_sample("ecograph_http_request_duration_seconds_bucket", {"path": path, "le": "+Inf"}, self.counts[path]))
                out.append(_sample("ecograph_http_request_duration_seconds_sum", {"path": path}, round(self.sums[path], 6)))
                out.append(_sample("ecograph_http_request_duration_seconds_count", {"path": path}, self.counts[path]))
            _family(out, "ecograph_http_refusals_total", "counter", "Requests refused with a 4xx status, by status and reason.",
                    [({"status": s, "reason": r}, n) for (s, r), n in sorted(self.refusals.items())])
            _family(out, "ecograph_query_timeouts_total", "counter", "Queries stopped at the time limit.", [({}, self.timeouts)])
            _family(out, "ecograph_query_engine_crashes_total", "counter", "Queries on which the query engine died.", [({}, self.crashes)])
        _family(out, "ecograph_query_workers", "gauge", "Query worker processes (0 until the first query starts them).", [({}, workers)])
        _family(out, "ecograph_worker_restarts_total", "counter", "Query workers replaced after a timeout or a crash.", [({}, restarts)])
        cache = cache or {}
        _family(out, "ecograph_query_cache_requests_total", "counter", "Queries looked up in the answer cache, by result.",
                [({"result": "hit"}, cache.get("hits", 0)), ({"result": "miss"}, cache.get("misses", 0))])
        _family(out, "ecograph_query_cache_bytes", "gauge", "Bytes of answers held in the answer cache.", [({}, cache.get("bytes", 0))])
        return "\n".join(out) + "\n"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _sample(name: str, labels: dict, value) -> str:
    inner = ",".join(f'{k}="{_escape(str(v))}"' for k, v in labels.items())
    return f"{name}{{{inner}}} {value}" if inner else f"{name} {value}"


def _family(out: list[str], name: str, kind: str, help_text: str, samples: list[tuple[dict, object]]) -> None:
    out.append(f"# HELP {name} {help_text}")
    out.append(f"# TYPE {name} {kind}")
    out.extend(_sample(name, labels, value) for labels, value in samples)


def _metrics(app=None) -> Metrics:
    return (app or current_app).extensions["ecograph.metrics"]


@blueprint.record_once
def _install(state) -> None:
    state.app.extensions.setdefault("ecograph.metrics", Metrics())


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
    g.ecograph_started = time.perf_counter()


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
    started = g.get("ecograph_started")
    seconds = time.perf_counter() - started if started is not None else 0.0
    template = request.url_rule.rule if request.url_rule is not None else UNMATCHED
    reason = g.get("ecograph_reason")
    if reason is None and response.status_code >= 400:
        reason = _status_name(response.status_code)
    _metrics().observe(request.method, template, response.status_code, seconds, reason)
    access_log.info("%s %s %d %.1fms", request.method, _printable(request.path), response.status_code, seconds * 1000)
    return response


@blueprint.route("/metrics")
def metrics():
    """Prometheus metrics of this process."""
    engine = current_app.extensions["ecograph"]
    pool = engine._pool  # read, never start: a scrape must not spawn the query workers
    workers = pool.size if pool is not None else 0
    restarts = pool.restarts if pool is not None else 0
    return Response(_metrics().render(workers, restarts, engine.cache.stats()), content_type=CONTENT_TYPE)
