"""The engine of `serve`'s HTTP workers (engine/threaded.py): queries on query threads of this process; at the time
limit the request gets QueryTimeout at once and the process model is told (it ends the worker, and the runaway
query with it: tests/http/test_server_smoke.py). On the small fixture dataset."""

from __future__ import annotations

import threading

import pytest

from ecograph.engine.job import Job
from ecograph.engine.local import over_files
from ecograph.engine.stores import ENGINES
from ecograph.engine.threaded import ThreadedEngine
from ecograph.engine.workers import QueryTimeout
from ecograph.errors import QuerySyntaxError
from tests.helpers.paths import MINI

# a cross product of every quad with itself six times: past any time limit here
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?q ?r ?t }"


@pytest.fixture(scope="module")
def store():
    return over_files([MINI])._store


def test_answers_as_the_in_process_engine(store):
    told = []
    engine = ThreadedEngine(store, ENGINES["oxigraph"][1], 2, lambda: told.append(1), size=2, counters=[3, 1])
    try:
        assert engine.run(Job("ASK { ?s ?p ?o }", 10), 10).boolean is True
        job = Job("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3", 10)
        assert engine.run(job, 10).rows == over_files([MINI]).run(job).rows
        with pytest.raises(QuerySyntaxError):
            engine.run(Job("SELECT WHERE {", 10), 10)
        assert (engine.size, engine.restarts, engine.crashes, told) == (2, 3, 1, [])
    finally:
        engine.close()


def test_the_time_limit_answers_at_once_and_tells_the_process_model(store):
    """In a forked child, as in `serve` (a worker whose query passed the limit ends, and its runaway query with it):
    QueryTimeout at the limit, the process model told, and another query answered while the runaway one runs on."""
    import json
    import os

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what it saw, then end (never return into pytest)
        seen = {}
        try:
            told = threading.Event()
            engine = ThreadedEngine(store, ENGINES["oxigraph"][1], 2, told.set)
            try:
                engine.run(Job(HEAVY, 10), 0.3)
            except QueryTimeout as exc:
                seen["timeout"] = str(exc).splitlines()[0]  # the message, without the hint
            seen["told"] = told.is_set()
            seen["other"] = engine.run(Job("ASK { ?s ?p ?o }", 10), 10).boolean
        except BaseException as exc:  # noqa: BLE001  (reported to the parent, whatever it is)
            seen["error"] = repr(exc)
        finally:
            os.write(write, json.dumps(seen).encode())
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        seen = json.loads(pipe.read() or b"{}")
    os.waitpid(pid, 0)
    assert seen == {"timeout": "the query was stopped at the time limit of 0.3 s", "told": True, "other": True}
