"""The answer cache seen over HTTP: a release never changes, so a repeated query is answered from memory until the
next build. What shapes the answer is in the key; errors are never kept. The cache itself: tests/engine/test_cache.py."""

from __future__ import annotations

import pytest

from ecograph.http import create_app
from tests.helpers.project import settings_for


def test_a_repeated_named_query_is_answered_from_the_cache(client):
    first = client.get("/queries/coverage-stakeholder-phase?format=json")
    second = client.get("/queries/coverage-stakeholder-phase?format=json")
    assert first.status_code == second.status_code == 200
    assert first.headers["X-Ecograph-Cache"] == "miss" and second.headers["X-Ecograph-Cache"] == "hit"
    assert first.data == second.data and first.content_type == second.content_type
    assert second.headers["X-Ecograph-Truncated"] == first.headers["X-Ecograph-Truncated"]


@pytest.mark.parametrize("variant", ["?format=csv", "?format=json&layer=stated", "?format=json&timeout=5"])
def test_what_shapes_the_answer_is_in_the_key(client, variant):
    client.get("/queries/gaps-stakeholder-phase?format=json")
    r = client.get("/queries/gaps-stakeholder-phase" + variant)
    assert r.status_code == 200
    # a time limit does not change a finished answer; format and layer do
    assert r.headers["X-Ecograph-Cache"] == ("hit" if "timeout" in variant else "miss")


def test_parameters_are_in_the_key(client):
    a = client.get("/queries/support-finder?stakeholder=stakeholder:startup&format=csv")
    b = client.get("/queries/support-finder?stakeholder=stakeholder:academia&format=csv")
    assert a.status_code == b.status_code == 200
    assert b.headers["X-Ecograph-Cache"] == "miss" and a.data != b.data


def test_errors_are_never_cached(client):
    for _ in range(2):
        r = client.get("/sparql", query_string={"query": "SELEC nonsense"})
        assert r.status_code == 400 and "X-Ecograph-Cache" not in r.headers


def test_hits_and_bytes_are_in_the_metrics(client):
    client.get("/sparql", query_string={"query": "ASK { ?s ?p 42 }"})
    client.get("/sparql", query_string={"query": "ASK { ?s ?p 42 }"})
    text = client.get("/metrics").get_data(as_text=True)
    hits = next(line for line in text.splitlines() if line.startswith('ecograph_query_cache_requests_total{result="hit"}'))
    assert int(float(hits.split()[-1])) >= 1
    assert "ecograph_query_cache_bytes " in text


def test_a_cache_of_zero_bytes_is_off(built_root):
    app = create_app(settings_for(built_root, query_cache_bytes=0))
    try:
        client = app.test_client()
        for _ in range(2):
            r = client.get("/queries/programs?format=csv")
            assert r.status_code == 200 and r.headers["X-Ecograph-Cache"] == "miss"
    finally:
        app.extensions["ecograph"].close()


def test_server_timing_says_where_the_time_went(client):
    """A computed answer names the worker's round trip, the engine and the serialising; a cached one only the
    whole request, marked as a hit. Durations are numbers (never asserted as times)."""
    import re

    query = {"query": "SELECT ?s WHERE { ?s a ecograph:Program } LIMIT 3 # server-timing", "format": "json"}
    first, second = client.get("/sparql", query_string=query), client.get("/sparql", query_string=query)
    entry = re.compile(r'^(\w+);dur=(\d+\.\d+);desc="([^"]*)"$')
    parsed = [{m.group(1): (float(m.group(2)), m.group(3)) for m in map(entry.match, r.headers["Server-Timing"].split(", "))}
              for r in (first, second)]
    assert set(parsed[0]) == {"worker", "engine", "render", "total"}
    assert "cache miss" in parsed[0]["total"][1]
    assert set(parsed[1]) == {"total"} and "cache hit" in parsed[1]["total"][1]
    assert "Server-Timing" in first.headers["Access-Control-Expose-Headers"]
