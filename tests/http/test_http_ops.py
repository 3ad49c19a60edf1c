"""Operations: /metrics in the Prometheus text format (requests, latency, refusals by reason, timeouts,
worker restarts) and one access-log line per request with no client data."""

from __future__ import annotations

import logging
import re

import pytest

from ecograph.http import create_app

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ecograph:SupportProgram }"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+-]+|\+Inf|NaN)$')


def _metrics(client) -> dict[str, float]:
    """Samples by their full name with labels, after checking every line's syntax."""
    r = client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    samples = {}
    for line in r.get_data(as_text=True).splitlines():
        if line.startswith(("# HELP ", "# TYPE ")):
            continue
        match = SAMPLE.match(line)
        assert match, f"not a Prometheus sample line: {line!r}"
        labels = dict(LABEL.findall(match.group(2) or ""))
        samples[_key(match.group(1), labels)] = float(line.rsplit(" ", 1)[1])
    return samples


LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\.)*)"')


def _key(name: str, labels: dict) -> str:
    """A sample's name with its labels in one order (the exposition format fixes none)."""
    inner = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    return f"{name}{{{inner}}}" if inner else name


def _value(samples: dict, name: str, **labels) -> float:
    return samples.get(_key(name, labels), 0.0)


def test_a_scrape_does_not_start_the_workers(built_settings):
    app = create_app(built_settings)
    try:
        samples = _metrics(app.test_client())
        assert _value(samples, "ecograph_query_workers") == 0
        assert _value(samples, "ecograph_worker_restarts_total") == 0
        assert app.extensions["ecograph"]._pool is None
    finally:
        app.extensions["ecograph"].close()


def test_every_family_has_help_and_type(client):
    text = client.get("/metrics").get_data(as_text=True)
    for family, kind in [("ecograph_http_requests_total", "counter"), ("ecograph_http_request_duration_seconds", "histogram"),
                         ("ecograph_http_refusals_total", "counter"), ("ecograph_query_timeouts_total", "counter"),
                         ("ecograph_worker_restarts_total", "counter"), ("ecograph_query_workers", "gauge")]:
        assert f"# HELP {family} " in text and f"# TYPE {family} {kind}\n" in text


def test_requests_are_counted_by_path_template_and_status(client):
    before = _metrics(client)
    assert client.get("/sparql", query_string={"query": COUNT}).status_code == 200
    assert client.get("/queries/aimgain-calls").status_code == 200
    assert client.get("/queries/cicle-rounds").status_code == 200
    assert client.get("/no/such/page").status_code == 404
    after = _metrics(client)

    def delta(**labels):
        return (_value(after, "ecograph_http_requests_total", **labels)
                - _value(before, "ecograph_http_requests_total", **labels))

    assert delta(method="GET", path="/sparql", status="200") == 1
    assert delta(method="GET", path="/queries/<name>", status="200") == 2  # the template, not each name
    assert delta(method="GET", path="(unmatched)", status="404") == 1
    assert not [k for k in after if "/no/such/page" in k]  # raw paths never become series


def test_latency_histogram_is_cumulative(client):
    client.get("/queries")
    samples = _metrics(client)
    buckets = [(k, v) for k, v in samples.items()
               if k.startswith("ecograph_http_request_duration_seconds_bucket{") and k.endswith(',path="/queries"}')]
    values = [v for _, v in buckets]
    assert len(values) >= 2 and values == sorted(values)
    assert buckets[-1][0].startswith('ecograph_http_request_duration_seconds_bucket{le="+Inf",')
    count = _value(samples, "ecograph_http_request_duration_seconds_count", path="/queries")
    assert values[-1] == count >= 1
    assert _value(samples, "ecograph_http_request_duration_seconds_sum", path="/queries") > 0


@pytest.mark.parametrize("request_kwargs, status, reason", [
    ({"path": "/sparql", "query_string": {"query": "SELECT WHERE {"}}, "400", "query_syntax_error"),
    ({"path": "/sparql", "query_string": {"query": "DROP ALL"}}, "403", "update_refused"),
    ({"path": "/sparql", "query_string": {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}}, "400", "refused"),
    ({"path": "/sparql", "query_string": {"query": COUNT}, "headers": {"Accept": "image/png"}}, "406", "not_acceptable"),
    ({"path": "/queries/no-such-query"}, "404", "unknown_query"),
    ({"path": "/queries/programs", "query_string": {"colour": "blue"}}, "400", "usage_error"),
    ({"path": "/validate", "method": "POST", "data": b"<rdf/>", "content_type": "application/rdf+xml"}, "415", "unsupported_upload"),
    ({"path": "/validate", "method": "POST", "data": b"<a> <b> .", "content_type": "text/turtle"}, "400", "data_syntax_error"),
    ({"path": "/nowhere"}, "404", "not_found"),
    ({"path": "/validate"}, "405", "method_not_allowed"),
])
def test_refusals_are_counted_by_reason(client, request_kwargs, status, reason):
    before = _value(_metrics(client), "ecograph_http_refusals_total", status=status, reason=reason)
    r = client.open(**request_kwargs)
    assert str(r.status_code) == status, r.get_data(as_text=True)
    after = _value(_metrics(client), "ecograph_http_refusals_total", status=status, reason=reason)
    assert after == before + 1


def test_refusals_answer_in_the_one_error_shape(client):
    body = client.get("/sparql", query_string={"query": "DROP ALL"}).get_json()
    assert set(body) == {"ok", "status", "error", "hint"} and body["status"] == 403 and body["hint"]


def test_timeouts_and_worker_restarts(client):
    before = _metrics(client)
    r = client.get("/sparql", query_string={"query": HEAVY, "timeout": "0.3"})
    assert r.status_code == 503 and "time limit" in r.get_json()["error"]
    assert set(r.get_json()) == {"ok", "status", "error", "hint"}
    after = _metrics(client)
    assert _value(after, "ecograph_query_timeouts_total") == _value(before, "ecograph_query_timeouts_total") + 1
    assert _value(after, "ecograph_worker_restarts_total") == _value(before, "ecograph_worker_restarts_total") + 1
    assert _value(after, "ecograph_query_workers") == client.application.extensions["ecograph"].pool.size
    assert _value(after, "ecograph_http_requests_total", method="GET", path="/sparql", status="503") >= 1
    # a timeout is the server's limit, not a refusal of the request
    assert not [k for k in after if k.startswith("ecograph_http_refusals_total") and 'status="503"' in k]


def test_one_access_log_line_per_request_without_client_data(client, caplog):
    with caplog.at_level(logging.INFO, logger="ecograph.access"):
        client.get("/sparql", query_string={"query": COUNT + " # secret-in-the-query"},
                   headers={"User-Agent": "secret-agent", "Cookie": "session=secret-cookie"})
        client.get("/queries/no-such-query", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    records = [r for r in caplog.records if r.name == "ecograph.access"]
    assert len(records) == 2
    lines = [r.getMessage() for r in records]
    assert re.fullmatch(r"GET /sparql 200 \d+\.\dms", lines[0]), lines[0]
    assert re.fullmatch(r"GET /queries/no-such-query 404 \d+\.\dms", lines[1]), lines[1]
    text = "\n".join(lines)
    for secret in ("secret", "203.0.113.7", "SELECT", "?"):
        assert secret not in text


def test_access_log_cannot_be_forged(client, caplog):
    with caplog.at_level(logging.INFO, logger="ecograph.access"):
        client.get("/x%0AGET%20/forged%20200%201.0ms")
    lines = [r.getMessage() for r in caplog.records if r.name == "ecograph.access"]
    assert len(lines) == 1 and "\n" not in lines[0] and "\\x0a" in lines[0]


def test_metrics_are_per_app(built_settings, client):
    client.get("/queries")
    app = create_app(built_settings)
    try:
        samples = _metrics(app.test_client())
        assert _value(samples, "ecograph_http_requests_total", method="GET", path="/queries", status="200") == 0
    finally:
        app.extensions["ecograph"].close()


def test_the_metrics_folder_of_a_server_killed_outright_is_removed_by_the_next(tmp_path, monkeypatch):
    """`ecograph serve` sums its workers' metrics in a temporary folder named by its pid; SIGKILL leaves it behind,
    and the next server to start removes it (and never the folder of a server still running)."""
    import os
    import subprocess
    import tempfile

    from ecograph.http import ops

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    ended = subprocess.Popen(["true"])
    ended.wait()
    orphan = tmp_path / f"{ops.SHARED_PREFIX}{ended.pid}-abc"
    alive = tmp_path / f"{ops.SHARED_PREFIX}{os.getppid()}-def"
    orphan.mkdir()
    alive.mkdir()
    try:
        ops.share_metrics()
        mine = os.environ[ops.SHARED_DIR]
        assert not orphan.exists() and alive.exists()
        assert os.path.basename(mine).startswith(f"{ops.SHARED_PREFIX}{os.getpid()}-")
    finally:
        ops.unshare_metrics()
    assert not os.path.exists(mine) and ops.SHARED_DIR not in os.environ
