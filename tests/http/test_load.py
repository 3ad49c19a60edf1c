"""The short CI variant of the load test (tests/helpers/load_generator.py; scripts/load-test runs the long one):
8 clients for a few seconds, half of the time with a runaway query a second, against a real server. It asserts
that nothing unexpected happened, never a time, and prints its figures."""

from __future__ import annotations

import json

from tests.helpers import load_generator as load
from tests.helpers.servers import running_server


def test_short_load_with_runaway_queries(built_root, capsys):
    with running_server(built_root) as (base, port):
        report, quiet, loaded = load.measure(base, port, clients=8, seconds=6)
        assert load._get(base + load.LIGHT[0]) == 200
    with capsys.disabled():  # shown with or without -s
        print("\nload (short variant): " + json.dumps(report))
    assert report["unexpected"] == []
    assert len(quiet.latencies) > 20 and len(loaded.latencies) > 20
    assert set(loaded.runaway_statuses) == {503}
    assert report["server_peak_rss_mib"] > 0
