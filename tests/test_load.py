"""The short CI variant of the load test (tests/load.py): 8 clients for a few seconds with a runaway query a
second, against a real server. It asserts that nothing unexpected happened, never a time."""

from __future__ import annotations

from tests import load
from tests.servers import running_server


def test_short_load_with_runaway_queries(built_root):
    with running_server(built_root) as (base, _):
        stats = load.run(base, clients=8, seconds=4, runaway=True)
        assert stats.unexpected == []
        assert len(stats.latencies) > 50
        assert set(stats.runaway_statuses) == {503}
        assert load._get(base + load.LIGHT[0]) == 200
