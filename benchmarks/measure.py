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
              skip: dict[str, str], sample_s: float = 0.0) -> dict[str, dict]:
    """Each query: `warmup` runs not counted, then `repeats` runs (fewer once `budget_s` of measured time is spent,
    at least one; more while they took under `sample_s`: QueryRuns). A run stopped at the limit counts as the
    limit, and the query is marked `limit`; a query in `skip` (query → why) is not run and counts as the limit."""
    client = Client(engine.port) if engine.http else None
    results = {}
    for q in queries:
        if q.name in skip:
            results[q.name] = _skipped(skip[q.name], limit)
            continue
        results[q.name] = _measure(engine, q, client, limit, warmup, repeats, budget_s, sample_s)
    if client is not None:
        client.close()
    return results


def _measure(engine, q: Named, client, limit: float, warmup: int, repeats: int, budget_s: float,
             sample_s: float) -> dict:
    runs = QueryRuns(engine, q, client, limit, warmup, repeats, budget_s, sample_s)
    while runs.step():
        pass
    return runs.result()


MOST_RUNS = 101  # the runs of a query on one engine that sample_s may ask for at the most


class QueryRuns:
    """The runs of one query on one engine: the warm-up, then `repeats` measured runs (fewer once `budget_s` of
    measured time is spent, at least one), one per step(), so that the runs of several engines can take turns
    (side_by_side). A query whose runs are quick goes on until they took `sample_s` in all (or MOST_RUNS were made):
    the p50 of 9 runs of a 1 ms query moves by a few tenths of a millisecond from one run of the benchmark to the
    next on a shared machine, which is the size of what issue 15 measures (ms added over raw pyoxigraph)."""

    def __init__(self, engine, q: Named, client, limit: float, warmup: int, repeats: int, budget_s: float,
                 sample_s: float = 0.0):
        self.engine, self.q, self.client, self.limit = engine, q, client, limit
        self.warmup, self.repeats, self.budget_s, self.sample_s = warmup, repeats, budget_s, sample_s
        self.first: Outcome | None = None
        self.stopped: Outcome | None = None
        self.times: list[float] = []
        self.rows: set = set()
        self.caches: list[str] = []
        self.status, self.note = "ok", ""
        self.done = False

    def step(self) -> bool:
        """The warm-up (on the first step) or one measured run; False once no run is left."""
        if self.done:
            return False
        if self.first is None:
            for _ in range(max(self.warmup, 1)):
                outcome = _once(self.engine, self.q, self.client)
                self.first = self.first or outcome
                if outcome.status != "ok":
                    self.stopped, self.done = outcome, True
                    return False
            self.rows.add(self.first.rows)
            self.caches = [self.first.cache] if self.first.cache else []
            return True
        outcome = _once(self.engine, self.q, self.client)
        if outcome.status == "limit":
            self.times.append(self.limit)
            self.status, self.note, self.done = "limit", outcome.message, True
        elif outcome.status != "ok":
            self.status, self.note, self.done = "error", outcome.message, True
        else:
            self.times.append(outcome.seconds)
            self.rows.add(outcome.rows)
            if outcome.cache:
                self.caches.append(outcome.cache)
        spent = sum(self.times)
        if spent >= self.budget_s or (len(self.times) >= max(self.repeats, 1)
                                      and (spent >= self.sample_s or len(self.times) >= MOST_RUNS)):
            self.done = True
        return not self.done

    def result(self) -> dict:
        if self.stopped is not None:
            return _stopped(self.stopped, self.limit, self.first)
        times, note = self.times, self.note
        if len(self.rows) > 1:
            note = f"row counts differ between runs: {sorted(self.rows)}"
        out = {"status": self.status, "note": note, "first_ms": ms(self.first.seconds if self.warmup else None),
               "p50_ms": ms(percentile(times, 0.5)), "p95_ms": ms(percentile(times, 0.95)), "runs": len(times),
               "rows": self.first.rows, "runs_ms": [ms(t) for t in times]}
        if self.caches:
            out["cache"] = self.caches  # the warm-up's, then each measured run's
        return out


def side_by_side(engines: list, queries: list[Named], limit: float, warmup: int, repeats: int, budget_s: float,
                 skips: dict[str, dict[str, str]], sample_s: float = 0.0) -> dict[str, dict[str, dict]]:
    """latencies() of several engines that are all up, taking turns: each query is warmed up on every engine, then
    its measured runs go round the engines (the first engine of a round moves on by one each round), so that a
    slower or faster minute of a shared machine falls on all of them alike. engine name → query → result."""
    clients = {e.name: Client(e.port) if e.http else None for e in engines}
    results: dict[str, dict[str, dict]] = {e.name: {} for e in engines}
    try:
        for q in queries:
            runs = []
            for e in engines:
                if q.name in skips.get(e.name, {}):
                    results[e.name][q.name] = _skipped(skips[e.name][q.name], limit)
                else:
                    runs.append(QueryRuns(e, q, clients[e.name], limit, warmup, repeats, budget_s, sample_s))
            turn = 0
            while any(not r.done for r in runs):
                for r in in_turn(runs, turn):
                    r.step()
                turn += 1
            for r in runs:
                results[r.engine.name][q.name] = r.result()
    finally:
        for client in clients.values():
            if client is not None:
                client.close()
    return results


def in_turn(items: list, turn: int) -> list:
    """items, the first of them moved on by `turn` (round `turn` of engines taking turns starts with a later one)."""
    k = turn % len(items)
    return items[k:] + items[:k]


def _skipped(why: str, limit: float) -> dict:
    return {"status": "limit", "note": f"not run: {why}", "first_ms": None, "p50_ms": ms(limit), "p95_ms": ms(limit), "runs": 0, "rows": None}


def _stopped(outcome: Outcome, limit: float, first: Outcome) -> dict:
    if outcome.status == "limit":
        return {"status": "limit", "note": outcome.message, "first_ms": ms(limit), "p50_ms": ms(limit), "p95_ms": ms(limit),
                "runs": 0, "rows": None}
    return {"status": "error", "note": outcome.message, "first_ms": ms(first.seconds), "p50_ms": None, "p95_ms": None,
            "runs": 0, "rows": None}


# ------------------------------------------------------------------ the HTTP floor

def floors(engines: list, n: int = 400, turns: int = 8) -> dict[str, dict]:
    """The round trip of the cheapest query, ASK {} (it reads no data), on each engine's query endpoint
    (engine.floor_request), one client on one keep-alive connection per engine, n times after a warm-up, the engines
    taking turns (n / turns requests each): p50 and p10 in ms, engine name → result. What any query over loopback
    HTTP costs at the least with this client on this machine, beside what raw pyoxigraph in process takes (with an
    answer cache, ASK {} is answered from it after the warm-up)."""
    clients, times, out = {}, {e.name: [] for e in engines}, {}
    try:
        for e in engines:
            ready(e)
            clients[e.name] = Client(e.port)
            for _ in range(20):  # the warm-up
                timed(clients[e.name], e.floor_request(), e.limit)
        for turn in range(turns):
            for e in in_turn(engines, turn):
                if e.name in out:
                    continue
                for _ in range(n // turns):
                    outcome = timed(clients[e.name], e.floor_request(), e.limit)
                    if outcome.status != "ok":
                        out[e.name] = {"status": outcome.status, "note": outcome.message}
                        break
                    times[e.name].append(outcome.seconds)
    finally:
        for client in clients.values():
            client.close()
    for e in engines:
        t = times[e.name]
        out.setdefault(e.name, {"status": "ok", "runs": len(t), "p50_ms": ms(percentile(t, 0.5)), "p10_ms": ms(percentile(t, 0.1))})
    return out


# ------------------------------------------------------------------ throughput

def throughput(engine, requests: list[Request], clients: int, seconds: float, limit: float, seed: int) -> dict:
    """`clients` threads, each with its own keep-alive connection, send requests drawn (seeded) from `requests`
    for `seconds`; a request still running at the end is waited for (at most the limit). Counts answers that
    are ok; a request stopped at the limit or failing is counted apart, never as throughput."""
    return _summary(clients, [_load(engine, requests, clients, seconds, limit, seed)])


def throughput_turns(engines: list, requests: dict[str, list[Request]], clients: int, seconds: float, limit: float,
                     seed: int, turns: int = 4) -> dict[str, dict]:
    """throughput() of several engines that are all up, taking turns: `turns` spells of seconds / turns each, the
    engines in turn (the first of a round moving on by one each round), summed per engine. engine name → result."""
    spells: dict[str, list] = {e.name: [] for e in engines}
    for turn in range(turns):
        for e in in_turn(engines, turn):
            spells[e.name].append(_load(e, requests[e.name], clients, seconds / turns, limit, seed + turn))
    return {name: {**_summary(clients, done), "turns": turns} for name, done in spells.items()}


def _load(engine, requests: list[Request], clients: int, seconds: float, limit: float, seed: int) -> dict:
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
    return {"counts": counts, "latencies": latencies, "errors": errors, "elapsed": elapsed}


def _summary(clients: int, spells: list[dict]) -> dict:
    counts = {k: sum(s["counts"][k] for s in spells) for k in ("ok", "limit", "error")}
    latencies = [x for s in spells for x in s["latencies"]]
    errors = [x for s in spells for x in s["errors"]][:5]
    elapsed = sum(s["elapsed"] for s in spells)
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
