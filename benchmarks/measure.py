"""Measurements: query latency (a warm-up, then repeated runs: p50 and p95), concurrent throughput of loopback
clients for a bounded time, and the build (validate + reason + publish) with its peak memory. Nothing here
asserts a time: every number is a result."""

from __future__ import annotations

import json
import math
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Self

from benchmarks.engines import Client, Outcome, Request, timed
from benchmarks.workload import Named


def percentile(xs: list[float], q: float) -> float | None:
    """The nearest-rank percentile (q in 0..1) of xs, None when empty."""
    if not xs:
        return None
    ordered = sorted(xs)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 3)


def ready(engine, client: Client | None = None) -> None:
    """An engine left busy with a query nobody waits for is started again (on a new port) before it is asked
    anything else (lazily: after the last question it is only stopped)."""
    if engine.busy:
        engine.restart()
        if client is not None:
            client.close()
            client.port = engine.port


def _once(engine, q: Named, client: Client | None) -> Outcome:
    ready(engine, client)
    outcome = engine.run(q, client)
    if outcome.stuck:
        engine.busy = True
        if client is not None:
            client.close()
    return outcome


def latencies(engine, queries: list[Named], limit: float, warmup: int, repeats: int, budget_s: float,
              skip: dict[str, str]) -> dict[str, dict]:
    """Each query: `warmup` runs not counted, then up to `repeats` runs (fewer once `budget_s` of measured time is
    spent, at least one). A run stopped at the limit counts as the limit, and the query is marked `limit`; a query
    in `skip` (query → why) is not run and counts as the limit."""
    client = Client(engine.port) if engine.http else None
    results = {}
    for q in queries:
        if q.name in skip:
            results[q.name] = {"status": "limit", "note": f"not run: {skip[q.name]}",
                               "first_ms": None, "p50_ms": ms(limit), "p95_ms": ms(limit), "runs": 0, "rows": None}
            continue
        results[q.name] = _measure(engine, q, client, limit, warmup, repeats, budget_s)
    if client is not None:
        client.close()
    return results


def _measure(engine, q: Named, client, limit: float, warmup: int, repeats: int, budget_s: float) -> dict:
    first: Outcome | None = None
    for _ in range(max(warmup, 1)):
        outcome = _once(engine, q, client)
        first = first or outcome
        if outcome.status != "ok":
            return _stopped(outcome, limit, first)
    times: list[float] = []
    rows = {first.rows}
    caches = [first.cache] if first.cache else []
    status, note = "ok", ""
    while len(times) < max(repeats, 1) and (not times or sum(times) < budget_s):
        outcome = _once(engine, q, client)
        if outcome.status == "limit":
            times.append(limit)
            status, note = "limit", outcome.message
            break
        if outcome.status != "ok":
            status, note = "error", outcome.message
            break
        times.append(outcome.seconds)
        rows.add(outcome.rows)
        if outcome.cache:
            caches.append(outcome.cache)
    if len(rows) > 1:
        note = f"row counts differ between runs: {sorted(rows)}"
    out = {"status": status, "note": note, "first_ms": ms(first.seconds if warmup else None), "p50_ms": ms(percentile(times, 0.5)),
           "p95_ms": ms(percentile(times, 0.95)), "runs": len(times), "rows": first.rows, "runs_ms": [ms(t) for t in times]}
    if caches:
        out["cache"] = caches  # the warm-up's, then each measured run's
    return out


def _stopped(outcome: Outcome, limit: float, first: Outcome) -> dict:
    if outcome.status == "limit":
        return {"status": "limit", "note": outcome.message, "first_ms": ms(limit), "p50_ms": ms(limit), "p95_ms": ms(limit),
                "runs": 0, "rows": None}
    return {"status": "error", "note": outcome.message, "first_ms": ms(first.seconds), "p50_ms": None, "p95_ms": None,
            "runs": 0, "rows": None}


# ------------------------------------------------------------------ the HTTP floor

def floor(engine, n: int = 400) -> dict:
    """The round trip of a request that runs no query (the engine's readiness request: GET /healthz, or ASK {} for
    rdflib-endpoint), one client on one keep-alive connection, n times after a warm-up: p50 and p10 in ms. What
    any query over loopback HTTP costs at the least with this client on this machine, beside what raw pyoxigraph
    in process takes."""
    ready(engine)
    client = Client(engine.port)
    req = engine.ready_request()
    times = []
    try:
        for i in range(n + 20):
            outcome = timed(client, req, engine.limit)
            if outcome.status != "ok":
                return {"status": outcome.status, "note": outcome.message}
            if i >= 20:
                times.append(outcome.seconds)
    finally:
        client.close()
    return {"status": "ok", "runs": n, "p50_ms": ms(percentile(times, 0.5)), "p10_ms": ms(percentile(times, 0.1))}


# ------------------------------------------------------------------ throughput

def throughput(engine, requests: list[Request], clients: int, seconds: float, limit: float, seed: int) -> dict:
    """`clients` threads, each with its own keep-alive connection, send requests drawn (seeded) from `requests`
    for `seconds`; a request still running at the end is waited for (at most the limit). Counts answers that
    are ok; a request stopped at the limit or failing is counted apart, never as throughput."""
    ready(engine)
    lock = threading.Lock()
    latencies: list[float] = []
    counts = {"ok": 0, "limit": 0, "error": 0}
    errors: list[str] = []
    stuck = threading.Event()
    stop_at = time.perf_counter() + seconds

    def client_loop(index: int) -> None:
        rng = random.Random(f"{seed}-{index}")
        client = Client(engine.port)
        while time.perf_counter() < stop_at:
            outcome = timed(client, rng.choice(requests), limit)
            with lock:
                counts[outcome.status] += 1
                if outcome.status == "ok":
                    latencies.append(outcome.seconds)
                elif len(errors) < 5 and outcome.status == "error":
                    errors.append(outcome.message)
            if outcome.stuck:
                stuck.set()
        client.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + limit + 30)
    elapsed = time.perf_counter() - started
    if stuck.is_set():
        engine.busy = True
    return {"clients": clients, "seconds": round(elapsed, 2), "ok": counts["ok"], "limit": counts["limit"],
            "errors": counts["error"], "req_per_s": round(counts["ok"] / elapsed, 2) if elapsed else None,
            "p50_ms": ms(percentile(latencies, 0.5)), "p95_ms": ms(percentile(latencies, 0.95)), "error_samples": errors}


# ------------------------------------------------------------------ the build

def build(root: Path, budget_s: float, log: Path) -> dict:
    """`ecograph --root ROOT build` (validate + reason + publish) as a subprocess, stopped at the budget; its
    wall time and peak RSS (from wait4: the process and the children it waited for)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "ecograph.cli", "--root", str(root), "build"],
                                env={**os.environ, "ECOGRAPH_ROOT": str(root)}, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    over = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - started > budget_s:
            over = True
            os.kill(proc.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    took = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait for it again
    result = {"seconds": round(took, 2), "peak_rss_mib": round(usage.ru_maxrss / 1024, 1), "pid": proc.pid}
    if over:
        return {**result, "status": f"not run: over budget (stopped at {budget_s:g} s)"}
    if proc.returncode != 0:
        return {**result, "status": f"failed (exit {proc.returncode})", "log_tail": log.read_text(errors="replace")[-1500:]}
    info = json.loads((root / "dist" / "build.json").read_text(encoding="utf-8"))
    return {**result, "status": "ok", "graphs": {g.rsplit("/", 1)[-1]: n for g, n in info.get("graphs", {}).items()},
            "validator": info.get("validator", "")}


class MemorySampler:
    """The summed VmRSS of an engine's processes, sampled in a thread every `interval` seconds: the peak while
    it serves (VmHWM would also hold what loading the data took). Their summed PSS is sampled every
    `pss_every` samples (reading smaps_rollup walks the page tables: dearer than VmRSS); the engine keeps its peak."""

    def __init__(self, engine, interval: float = 0.25, pss_every: int = 4):
        self.engine, self.interval, self.pss_every = engine, interval, pss_every
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        tick = 0
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, self.engine.rss_now_kib())
            if tick % self.pss_every == 0:
                self.engine.pss_kib()
            tick += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)


def geomean(values: list[float]) -> float | None:
    """The geometric mean of positive values (None when there are none)."""
    values = [v for v in values if v and v > 0]
    return math.exp(statistics.fmean(math.log(v) for v in values)) if values else None
