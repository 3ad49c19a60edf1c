"""The query workers: a time limit really stops a query, and an engine that dies (pyoxigraph crashes with a
segmentation fault on queries nested about 2,000 deep) costs only its worker, never the server. On the small fixture
dataset (tests/fixtures/mini.trig), not the real build: the workers do not care what the data says."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ecograph.engine.job import Job
from ecograph.engine.serving import serve_files
from ecograph.engine.workers import EngineCrashed, QueryPool, QueryTimeout
from tests.helpers.paths import MINI
from tests.helpers.project import settings_for

# a cross product of every quad with itself six times: past any time limit here, whatever the size of the data
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?q ?r ?t }"


@pytest.fixture(scope="module")
def mini_settings(tmp_path_factory):
    """Settings whose root is a fresh folder (the on-disk store is made under it)."""
    return settings_for(tmp_path_factory.mktemp("mini"))


@pytest.fixture(scope="module", params=["memory", "disk"])
def pool(request, mini_settings):
    """Both kinds of oxigraph worker: forked from the holder of the in-memory store, and spawned over the on-disk store."""
    served = serve_files([MINI], replace(mini_settings, storage=request.param))
    pool = QueryPool(served.holder, size=1, engine="memory") if served.holder else QueryPool(served.store, size=1)
    yield pool
    pool.close()


def _ask(pool) -> bool:
    return pool.run(Job("ASK { ?s ?p ?o }", 10), 10).boolean


def test_a_crashing_query_kills_only_its_worker(pool):
    # the guard refuses such queries before they reach the engine; here the pool is used directly, to prove
    # that even a query that gets through cannot take the service down
    deep = "SELECT * WHERE { " + "FILTER NOT EXISTS { " * 3000 + "?s ?p ?o" + " }" * 3000 + " }"
    before = pool.restarts
    with pytest.raises(EngineCrashed):
        pool.run(Job(deep, 10), 30)
    assert pool.restarts == before + 1
    assert _ask(pool) is True


def test_the_time_limit_kills_the_worker_and_a_new_one_answers(pool):
    before = pool.restarts
    with pytest.raises(QueryTimeout, match="time limit of 0.5 s"):
        pool.run(Job(HEAVY, 10), 0.5)
    assert pool.restarts == before + 1
    assert _ask(pool) is True


def test_forked_workers_share_the_holders_store_and_a_killed_holder_is_loaded_again(mini_settings):
    """storage = "memory": the workers are children of the holder, so they answer at once from its copy; when the
    holder itself is killed, the workers it forked go on answering, and the next worker to be started brings a
    new holder that loads the data again."""
    import os
    import signal

    served = serve_files([MINI], replace(mini_settings, storage="memory"))
    pool = QueryPool(served.holder, size=2, engine="memory")
    try:
        holder, *workers = pool.pids()
        assert len(workers) == 2 and holder == served.holder.process.pid
        for worker in workers:  # forked by the holder, not spawned by us
            with open(f"/proc/{worker}/stat") as f:
                assert int(f.read().rsplit(")", 1)[1].split()[1]) == holder
        os.kill(holder, signal.SIGKILL)
        served.holder.process.join(10)
        assert _ask(pool) is True and _ask(pool) is True  # both workers outlive their holder
        with pytest.raises(QueryTimeout):  # a timeout replaces its worker: a new holder is started for it
            pool.run(Job(HEAVY, 10), 0.5)
        new_holder = pool.pids()[0]
        assert new_holder != holder and pool.holder.quads == served.holder.quads
        assert _ask(pool) is True and _ask(pool) is True
    finally:
        pool.close()
    for pid in pool.pids():  # closing the pool stops the holder and every worker
        _wait_gone(pid)


def _wait_gone(pid: int) -> None:
    import time

    for _ in range(100):
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                    return
        except (FileNotFoundError, ProcessLookupError):  # reaped before the open, or between the open and the read
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} still runs after close()")


def test_a_file_the_holder_cannot_read_is_a_usage_error(tmp_path):
    from ecograph.errors import UsageError

    broken = tmp_path / "broken.nq"
    broken.write_text("<urn:a> <urn:b> <urn:c> <urn:g> .\n<urn:a> <urn:b> \"unterminated .\n", encoding="utf-8")
    with pytest.raises(UsageError, match="broken.nq") as info:
        serve_files([broken], settings_for(tmp_path, storage="memory"))
    assert "line 2" in str(info.value) or "2:" in str(info.value)
