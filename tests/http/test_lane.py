"""The query lane (ecograph/http/lane.py): queries answered in front of Flask, by the views' own code.

What a client relies on: the same answers, headers, errors, metrics and log lines as Flask's views give, whichever
way a request goes; what the lane is for: a query that succeeds never enters Flask."""

from __future__ import annotations

import flask
import pytest
from werkzeug.test import Client
from werkzeug.wrappers import Response

from ecograph.http.cors import Cors
from ecograph.http.lane import QueryLane

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } ORDER BY ?s ?c LIMIT 5"
# headers that say when or how an answer was made, not what it is
VARYING = {"date", "server-timing", "x-ecograph-cache"}


@pytest.fixture
def seen_by_flask(app):
    """The requests Flask itself handled (its request_started signal), as (method, path)."""
    seen: list[tuple[str, str]] = []

    def note(sender, **extra):
        seen.append((flask.request.method, flask.request.path))

    flask.request_started.connect(note, app)
    yield seen
    flask.request_started.disconnect(note, app)


def _lane(app) -> QueryLane:
    lane = app.wsgi_app.app
    assert isinstance(app.wsgi_app, Cors) and isinstance(lane, QueryLane)
    return lane


def test_a_query_that_succeeds_never_enters_flask(client, seen_by_flask):
    assert client.get("/sparql", query_string={"query": COUNT}).status_code == 200
    assert client.post("/sparql", data=COUNT, content_type="application/sparql-query").status_code == 200
    assert client.post("/sparql", data={"query": COUNT}).status_code == 200
    assert client.get("/queries/aimgain-calls").status_code == 200
    assert client.get("/queries/programs", query_string={"format": "csv"}).status_code == 200
    assert seen_by_flask == []


@pytest.mark.parametrize("method, path, kwargs, status", [
    ("GET", "/sparql", {"headers": {"Accept": "text/turtle"}}, 200),                        # the service description
    ("HEAD", "/sparql", {"query_string": {"query": COUNT}}, 200),                           # HEAD: Flask's own
    ("GET", "/sparql", {"query_string": {"query": "SELECT WHERE {"}}, 400),                 # an error the lane met
    ("GET", "/sparql", {"query_string": {"query": COUNT, "update": "DROP ALL"}}, 403),      # an update
    ("POST", "/sparql", {"data": {"update": "DROP ALL"}}, 403),                             # ... in a form the lane read
    ("POST", "/sparql", {"data": "SELECT WHERE {", "content_type": "application/sparql-query"}, 400),
    ("GET", "/queries/openapi.json", {}, 200),                                              # not a named query
    ("GET", "/queries/no-such-query", {}, 404),
    ("POST", "/queries/programs", {}, 405),                                                 # the lane takes GET only
    ("GET", "/queries", {}, 200),
])
def test_everything_else_is_flasks(client, seen_by_flask, method, path, kwargs, status):
    r = client.open(path, method=method, **kwargs)
    assert r.status_code == status, r.get_data(as_text=True)
    assert seen_by_flask == [(method, path)]
    if status >= 400:
        assert {"ok", "status", "error", "hint"} <= set(r.get_json())


def test_an_error_the_lane_met_is_answered_as_the_view_raised_it(client):
    """The lane hands Flask the exception itself: the syntax error's line and column, the one shape."""
    body = client.get("/sparql", query_string={"query": "SELECT * WHERE {\n  ?s zzq:p ?o }"}).get_json()
    assert body["status"] == 400 and body["line"] == 2 and body["column"] == 6 and "zzq:" in body["error"]


@pytest.mark.parametrize("method, path, kwargs", [
    ("GET", "/sparql", {"query_string": {"query": COUNT}}),
    ("GET", "/sparql", {"query_string": {"query": COUNT, "format": "xml"}}),
    ("GET", "/sparql", {"query_string": {"query": COUNT}, "headers": {"Accept": "text/csv"}}),
    ("GET", "/sparql", {"query_string": {"query": COUNT, "output": "tsv", "results": "tsv"}}),
    ("GET", "/sparql", {"query_string": {"query": "ASK { ?s ?p ?o }"}}),
    ("GET", "/sparql", {"query_string": {"query": CONSTRUCT}, "headers": {"Accept": "text/turtle"}}),
    ("GET", "/sparql", {"query_string": {"query": CONSTRUCT, "format": "application/ld+json"}}),
    ("GET", "/sparql", {"query_string": {"query": COUNT, "layer": "stated"}}),
    ("GET", "/sparql", {"query_string": {"query": "SELECT ?o WHERE { BIND(<rel> AS ?o) }"}, "headers": {"Host": "example.org:81"}}),
    ("GET", "/sparql", {"query_string": {"query": COUNT, "default-graph-uri": "https://w3id.org/ecograph/graph/stated"}}),
    ("POST", "/sparql", {"data": COUNT, "content_type": "application/sparql-query; charset=utf-8"}),
    ("POST", "/sparql", {"data": {"query": COUNT, "timeout": "20"}}),
    ("GET", "/queries/aimgain-calls", {}),
    ("GET", "/queries/programs", {"query_string": {"format": "csv", "layer": "interpreted"}}),
    ("GET", "/sparql", {"query_string": {"query": COUNT, "timeout": "soon"}}),               # errors too
    ("GET", "/sparql", {"query_string": {"query": COUNT}, "headers": {"Accept": "image/png"}}),
    ("GET", "/queries/programs", {"query_string": {"colour": "blue"}}),
])
def test_the_lane_and_the_flask_view_answer_alike(app, method, path, kwargs):
    """Differential: the same request through the lane and straight to Flask's view (the app without the lane)."""
    through_lane = Client(app.wsgi_app, Response)
    views_only = Client(Cors(_lane(app).app), Response)
    a = through_lane.open(path, method=method, **kwargs)
    b = views_only.open(path, method=method, **kwargs)
    assert a.status_code == b.status_code
    assert a.get_data() == b.get_data()

    def kept(r):
        return sorted((k, v) for k, v in r.headers.items() if k.lower() not in VARYING)

    assert kept(a) == kept(b)
    if a.status_code == 200:
        assert a.headers["Server-Timing"].split(", ")[-1].startswith("total;dur=")


def test_a_body_past_the_size_limit_is_flasks_413(app, seen_by_flask):
    big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    r = app.test_client().post("/sparql", data=big, content_type="application/sparql-query")
    assert r.status_code == 413 and r.get_json()["status"] == 413
    assert seen_by_flask == [("POST", "/sparql")]
