"""A program, not a test: a bounded loopback load generator (issue 7). N clients for S seconds mixing named
queries and ad-hoc queries, plus one runaway query a second, against a real `ecograph serve`. Reports p50/p99 of
the light queries with and without the runaway queries, errors, and the server's peak memory. Sends traffic only
to 127.0.0.1 and stops by itself.

    python -m tests.helpers.load_generator --clients 32 --seconds 60        # the long run (scripts/load-test)

tests/http/test_load.py runs a short variant in CI; it asserts correctness (no unexpected status), never times."""

from __future__ import annotations

import argparse
import json
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers.paths import REPO

LIGHT = [
    "/queries/programs?format=json",
    "/queries/cicle-rounds?format=csv",
    "/queries/coverage-stakeholder-phase?format=json",
    "/sparql?" + urllib.parse.urlencode({"query": "ASK { program:13 ?p ?o }"}),
    "/sparql?" + urllib.parse.urlencode({"query": "SELECT ?n ?l WHERE { ?p ecograph:programNumber ?n ; rdfs:label ?l } LIMIT 50"}),
    "/doc/id/program/2",
]
RUNAWAY = "/sparql?" + urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
                                                "timeout": "2"})


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)
    runaway_statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def percentile(self, q: float) -> float:
        xs = sorted(self.latencies)
        return xs[min(len(xs) - 1, int(len(xs) * q))] * 1000 if xs else float("nan")


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        e.read()
        return e.code


def _client(base: str, stop: float, stats: Stats, seed: int) -> None:
    rng = random.Random(seed)
    while time.time() < stop:
        path = rng.choice(LIGHT)
        started = time.perf_counter()
        status = _get(base + path)
        took = time.perf_counter() - started
        with stats.lock:
            stats.latencies.append(took)
            stats.statuses[status] = stats.statuses.get(status, 0) + 1
            if status != 200:
                stats.unexpected.append(f"{status} {path}")


def _runaway(base: str, stop: float, stats: Stats) -> None:
    while time.time() < stop:
        started = time.time()
        status = _get(base + RUNAWAY)
        with stats.lock:
            stats.runaway_statuses[status] = stats.runaway_statuses.get(status, 0) + 1
            if status not in (503,):
                stats.unexpected.append(f"runaway answered {status}")
        time.sleep(max(0.0, 1.0 - (time.time() - started)))


def run(base: str, clients: int, seconds: float, runaway: bool) -> Stats:
    """Drive the server at base for `seconds` with `clients` threads (and one runaway query a second)."""
    stats = Stats()
    stop = time.time() + seconds
    threads = [threading.Thread(target=_client, args=(base, stop, stats, i)) for i in range(clients)]
    if runaway:
        threads.append(threading.Thread(target=_runaway, args=(base, stop, stats)))
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    return stats


def peak_rss_kb(pid: int) -> int:
    """The peak resident memory (VmHWM) of a process and its children (the query workers), in KiB."""
    import subprocess

    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], check=False, capture_output=True, text=True).stdout.split()]
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def server_pid(port: int) -> int | None:
    import subprocess

    found = subprocess.run(["pgrep", "-f", "--", f"--port {port}"], check=False, capture_output=True, text=True).stdout.split()
    return int(found[0]) if found else None


def measure(base: str, port: int, clients: int, seconds: float) -> tuple[dict, Stats, Stats]:
    """Half of the time without runaway queries, half with; the report and the two runs' statistics."""
    quiet = run(base, clients, seconds / 2, runaway=False)
    loaded = run(base, clients, seconds / 2, runaway=True)
    pid = server_pid(port)
    rss = peak_rss_kb(pid) if pid else 0
    report = {
        "clients": clients, "seconds": seconds,
        "without_runaway": {"requests": len(quiet.latencies), "p50_ms": round(quiet.percentile(0.5), 1), "p99_ms": round(quiet.percentile(0.99), 1)},
        "with_runaway": {"requests": len(loaded.latencies), "p50_ms": round(loaded.percentile(0.5), 1), "p99_ms": round(loaded.percentile(0.99), 1),
                         "runaway_statuses": loaded.runaway_statuses},
        "p99_ratio": round(loaded.percentile(0.99) / quiet.percentile(0.99), 2),
        "unexpected": quiet.unexpected + loaded.unexpected,
        "server_peak_rss_mib": round(rss / 1024, 1),
    }
    return report, quiet, loaded


def main() -> None:
    from tests.helpers.servers import running_server

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--root", type=Path, default=REPO)
    args = parser.parse_args()
    with running_server(args.root, env={"ECOGRAPH_THREADS": "16"}) as (base, port):
        report, _, _ = measure(base, port, args.clients, args.seconds)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
