"""The query workers: a time limit really stops a query, and an engine that dies (pyoxigraph crashes with a
segmentation fault on queries nested about 2,000 deep) costs only its worker, never the server."""

from __future__ import annotations

import pytest

from ecograph.serving import serve_release
from ecograph.workers import EngineCrashed, QueryPool, QueryTimeout


@pytest.fixture(scope="module")
def pool(built_settings):
    pool = QueryPool(serve_release(built_settings).store, size=1)
    yield pool
    pool.close()


def _ask(pool) -> bool:
    return pool.run({"query": "ASK { ?s ?p ?o }", "max_rows": 10}, 10).boolean


def test_a_crashing_query_kills_only_its_worker(pool):
    # the guard refuses such queries before they reach the engine; here the pool is used directly, to prove
    # that even a query that gets through cannot take the service down
    deep = "SELECT * WHERE { " + "FILTER NOT EXISTS { " * 3000 + "?s ?p ?o" + " }" * 3000 + " }"
    before = pool.restarts
    with pytest.raises(EngineCrashed):
        pool.run({"query": deep, "max_rows": 10}, 30)
    assert pool.restarts == before + 1
    assert _ask(pool) is True


def test_the_time_limit_kills_the_worker_and_a_new_one_answers(pool):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    before = pool.restarts
    with pytest.raises(QueryTimeout, match="time limit of 0.5 s"):
        pool.run({"query": heavy, "max_rows": 10}, 0.5)
    assert pool.restarts == before + 1
    assert _ask(pool) is True
