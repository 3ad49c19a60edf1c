"""The query lane: SPARQL queries answered in front of Flask, by the same code (issue 15).

GET and POST /sparql with a query, and GET /queries/NAME, are most of what the server is asked, and most such
answers take a millisecond or two. Flask's share of one (its request context, routing, hooks and Response object)
measured 0.5–0.7 ms over loopback HTTP, as much as a small query itself. This WSGI middleware answers those
requests with the code the Flask views call (sparql.answer, named.answer, both ending in sparql.execute: the
same guard, dataset, formats, time limit, cache and headers) and counts each answer in the metrics and the access
log as Flask's hooks do (ops.observe), under the route's own template.

Everything else goes to Flask, as before: other paths and methods (HEAD, OPTIONS), /sparql with no query (the
service description, the query UI) or with an update, a name that is not a named query (/queries/openapi.json,
a 404), a POST whose body has no Content-Length or is over max_request_bytes (Flask's 413). So does every error:
the lane hands the request to Flask with the exception in its environ, and a hook of Flask's raises it before any
view runs (raise_stashed), so that an error is answered, counted and logged exactly as any other (errors.py,
ops.py), and no query runs twice. A POST's body, once read here, is put back for Flask to read."""

from __future__ import annotations

import io
import time

from flask import request

from ecograph.http import named, sparql
from ecograph.http.ops import STARTED, observe
from ecograph.http.server import current_task

ERROR = "ecograph.lane.error"  # in the environ of a request handed to Flask: the exception to answer
NAMED_PREFIX = "/queries/"


def install(app) -> None:
    """Put the lane in front of a Flask app's views (app.wsgi_app), and Flask's side of the hand-over: a request the
    lane hands on with an error raises it before any view runs (after the hooks that start the metrics' clock)."""
    app.before_request(raise_stashed)
    app.wsgi_app = QueryLane(app)


class QueryLane:
    """Wraps a Flask app's WSGI callable (app.wsgi_app): answers queries itself, hands everything else on."""

    def __init__(self, app):
        self.flask, self.app = app, app.wsgi_app
        self.engine = app.extensions["ecograph"]
        self.max_body = app.config["MAX_CONTENT_LENGTH"]
        rules = {rule.endpoint: rule.rule for rule in app.url_map.iter_rules()}  # the metrics' templates, as Flask's
        self.sparql_template, self.named_template = rules["sparql.sparql"], rules["named.run_query"]

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        query = None
        if path == "/sparql" and method in ("GET", "POST"):
            template = self.sparql_template
        elif method == "GET" and path.startswith(NAMED_PREFIX) and (query := named.find(self.engine, path[len(NAMED_PREFIX):])):
            template = self.named_template
        else:
            return self.app(environ, start_response)
        started = time.perf_counter()
        task = current_task()
        if task is not None:  # the watchdog counts a 503 it answers under this template (ops.count_watchdog_answer)
            task.template = template
        try:
            body = self._body(environ) if method == "POST" else b""
            if body is None:
                return self.app(environ, start_response)
            params = sparql.protocol_params(method, environ.get("QUERY_STRING", "").encode("latin-1"),
                                            environ.get("CONTENT_TYPE"), body)
            accept = environ.get("HTTP_ACCEPT")
            if query is not None:
                reply = named.answer(self.engine, environ, query, params, accept, started)
            elif sparql.wants_query(params):
                reply = sparql.answer(self.engine, environ, params, accept, started)
            else:
                return self.app(environ, start_response)
        except Exception as exc:  # noqa: BLE001 - any error is Flask's to answer, as if its view had raised it
            environ[ERROR], environ[STARTED] = exc, started
            return self.app(environ, start_response)
        start_response("200 OK", list(reply.headers))
        observe(self.flask, method, template, path, 200, time.perf_counter() - started, None)
        return [reply.body]

    def _body(self, environ) -> bytes | None:
        """A POST's body (put back into the environ for Flask), or None to leave the request to Flask."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return None
        if length < 0 or (self.max_body is not None and length > self.max_body):
            return None
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        return body


def raise_stashed() -> None:
    """Flask's hook before any view: raise the exception the lane met on this request, if it met one."""
    exc = request.environ.pop(ERROR, None)
    if exc is not None:
        raise exc
