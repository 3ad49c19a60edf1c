"""One benchmark run: at each scale, the same N-Quads file served by every engine, each measured for load time, the
named queries, throughput (the HTTP engines) and peak memory; and the build of the scale's project with its time
budget. The engines the targets compare (SIDE_BY_SIDE: ecograph, its bare and wire peers, raw pyoxigraph reading rows
or writing its answer) are all up at once and take turns, request by request for the named queries and in short
spells for throughput, so that a slower or faster minute of a shared machine falls on all of them alike; the others
(rdflib, rdflib-endpoint, Virtuoso) run one at a time. Only one engine is ever asked something at a time, so none
shares the two cores with another's work."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import data as datasets
from benchmarks import measure
from benchmarks import virtuoso as vt
from benchmarks.engines import BareServer, EcographServer, RdflibEndpointServer, WireServer
from benchmarks.inprocess import InProcess
from benchmarks.workload import GROUPS, POINT_FORMS, TARGET_GROUPS, Named, at_point, named_queries, point_query
from ecograph.settings import PROJECT_ROOT

# rdflib runs before rdflib-endpoint: a query rdflib in memory could not answer within the limit is not sent to
# rdflib-endpoint (the same engine behind HTTP) at that scale, which would only cost a restart and a reload.
# virtuoso runs before ecograph-virtuoso for the same reason (the same engine behind ecograph's front).
ENGINES = ("ecograph", "ecograph-uncached", "bare", "wire", "pyoxigraph", "pyoxigraph-json", "pyoxigraph-disk", "rdflib", "rdflib-endpoint", *vt.ENGINES)
# Measured side by side (all up at once, taking turns; run_side_by_side): the engines whose ratios the targets are
# stated in, all fast enough that none is left busy with a query nobody waits for while another is measured.
SIDE_BY_SIDE = ("ecograph", "ecograph-uncached", "bare", "wire", "pyoxigraph", "pyoxigraph-json", "pyoxigraph-disk")


def default_engines() -> tuple[str, ...]:
    """Every engine, the Virtuoso ones only where Virtuoso is installed."""
    return ENGINES if vt.missing() is None else tuple(e for e in ENGINES if e not in vt.ENGINES)


@dataclass
class Options:
    scales: list[str]
    repeats: int = 5
    warmup: int = 1
    seconds: float = 10.0
    clients: int = 8
    limit: float = 30.0
    query_budget: float = 15.0
    sample_s: float = 1.0  # a quick query runs on until its runs took this long (measure.QueryRuns)
    build_budget: float = 300.0
    engines: tuple[str, ...] = ENGINES
    queries: tuple[str, ...] = ()  # names; empty: every query of the groups
    groups: tuple[str, ...] = tuple(GROUPS)
    lookups: int = 200
    seed: int = 0
    work: Path | None = None
    side_by_side: bool = True  # the SIDE_BY_SIDE engines all up at once, taking turns (False: one engine after the other)


def side_by_side_engines(options: Options) -> list[str]:
    """The engines of the run measured side by side: those of SIDE_BY_SIDE it has, if two or more (else none)."""
    paired = [name for name in options.engines if name in SIDE_BY_SIDE] if options.side_by_side else []
    return paired if len(paired) >= 2 else []


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def select_queries(options: Options) -> list[Named]:
    queries = named_queries(PROJECT_ROOT / "queries", options.groups)
    if options.queries:
        unknown = set(options.queries) - {q.name for q in queries}
        if unknown:
            raise SystemExit(f"unknown or excluded queries: {', '.join(sorted(unknown))}")
        queries = [q for q in queries if q.name in options.queries]
    return queries


def make_engine(name: str, scale: datasets.ScaleData, logs: Path, limit: float):
    if name == "virtuoso":
        return vt.VirtuosoServer(scale.nquads, scale.root, logs, limit, logs.parent / f"virtuoso-{scale.label}")
    if name == "ecograph-virtuoso":
        return vt.EcographVirtuosoServer(scale.nquads, scale.root, logs, limit, logs.parent / f"virtuoso-{scale.label}")
    if name.startswith("ecograph"):
        shutil.rmtree(scale.root / ".dist" / "stores", ignore_errors=True)  # the store is made from the file, every time
        return EcographServer(scale.nquads, scale.root, logs, limit, name)
    if name == "rdflib-endpoint":
        return RdflibEndpointServer(scale.nquads, scale.root, logs, limit)
    if name == "bare":
        return BareServer(scale.nquads, scale.root, logs, limit)
    if name == "wire":
        return WireServer(scale.nquads, scale.root, logs, limit)
    return InProcess(name, scale.nquads, limit, logs.parent / f"scratch-{name}")


def run_engine(engine, scale: datasets.ScaleData, queries: list[Named], options: Options, skip: dict[str, str]) -> dict:
    """Load, the named queries, throughput (HTTP engines) and peak RSS of one engine at one scale."""
    out: dict = {}
    try:
        _start(engine, scale, out)
        say(f"{scale.label}: {engine.name}: loaded in {engine.load_s:.2f} s; {len(queries)} named queries")
        with measure.MemorySampler(engine) as sampler:
            out["queries"] = measure.latencies(engine, queries, options.limit, options.warmup, options.repeats,
                                               options.query_budget, skip, options.sample_s)
            engine.pss_kib()
            if engine.http:
                out["http_floor"] = measure.floors([engine])[engine.name]
                out["throughput"] = throughput(engine, scale, queries, options)
                engine.pss_kib()
        out["serving_rss_mib"] = round(sampler.peak_kib / 1024, 1)
        out["processes"] = engine.processes()
        engine.rss_kib()
    except RuntimeError as exc:
        out["failed"] = str(exc)[-2000:]
        say(f"{scale.label}: {engine.name}: FAILED: {str(exc)[:300]}")
    finally:
        _finish(engine, out)
    return out


def mixes(engine, scale: datasets.ScaleData, queries: list[Named]) -> dict[str, list]:
    """The requests of the throughput mixes, as the engine is asked them."""
    point = [engine.point(point_query(form, iri), form == "describe") for iri in scale.lookups for form in POINT_FORMS]
    analytic = ([engine.named(q) for q in queries if q.group in TARGET_GROUPS]
                or [engine.named(q) for q in queries if q.group != "point"] or [engine.request(q) for q in queries])
    return {"point": point, "analytic": analytic}


def throughput(engine, scale: datasets.ScaleData, queries: list[Named], options: Options) -> dict:
    out = {}
    for mix, requests in mixes(engine, scale, queries).items():
        say(f"{scale.label}: {engine.name}: {options.clients} clients, {mix} mix, {options.seconds:g} s")
        out[mix] = measure.throughput(engine, requests, options.clients, options.seconds, options.limit, options.seed)
        out[mix]["requests_in_mix"] = len(requests)
    return out


def run_side_by_side(names: list[str], scale: datasets.ScaleData, queries: list[Named], options: Options, logs: Path,
                     skips: dict[str, dict[str, str]]) -> dict[str, dict]:
    """The engines of SIDE_BY_SIDE, all up at once and measured taking turns (measure.side_by_side, floors,
    throughput_turns), so that their ratios do not ride on a slower or faster minute of a shared machine: each
    loaded in turn, then each query's runs go round them, then the HTTP floor and each throughput mix in spells
    that go round the HTTP engines. Memory is sampled per engine all along (each engine's own processes)."""
    outs: dict[str, dict] = {name: {} for name in names}
    engines = []
    with contextlib.ExitStack() as stack:
        try:
            for name in names:
                engine = make_engine(name, scale, logs, options.limit)
                engines.append(engine)
                stack.callback(_finish, engine, outs[name])
                _start(engine, scale, outs[name])
            samplers = {e.name: stack.enter_context(measure.MemorySampler(e)) for e in engines}
            say(f"{scale.label}: {', '.join(names)} side by side: {len(queries)} named queries")
            for name, results in measure.side_by_side(engines, queries, options.limit, options.warmup, options.repeats,
                                                      options.query_budget, skips, options.sample_s).items():
                outs[name]["queries"] = results
            web = [e for e in engines if e.http]
            if web:
                for name, floor in measure.floors(web).items():
                    outs[name]["http_floor"] = floor
                asked = {e.name: mixes(e, scale, queries) for e in web}
                for mix in ("point", "analytic"):
                    say(f"{scale.label}: {', '.join(e.name for e in web)}: {options.clients} clients, {mix} mix, "
                        f"{options.seconds:g} s each, in turns")
                    done = measure.throughput_turns(web, {n: a[mix] for n, a in asked.items()}, options.clients, options.seconds,
                                                    options.limit, options.seed)
                    for name, result in done.items():
                        outs[name].setdefault("throughput", {})[mix] = {**result, "requests_in_mix": len(asked[name][mix])}
            for e in engines:
                e.pss_kib()
                outs[e.name]["serving_rss_mib"] = round(samplers[e.name].peak_kib / 1024, 1)
                outs[e.name]["processes"] = e.processes()
                e.rss_kib()
                outs[e.name]["side_by_side"] = names
        except RuntimeError as exc:
            for name in names:
                outs[name].setdefault("failed", str(exc)[-2000:])
            say(f"{scale.label}: side by side: FAILED: {str(exc)[:300]}")
    return outs


def _start(engine, scale: datasets.ScaleData, out: dict) -> None:
    """Start an engine (it loads the scale's file) and note how long that took and the memory it holds then."""
    say(f"{scale.label}: {engine.name}: loading {scale.quads:,} quads")
    engine.start()
    out["load_s"] = round(engine.load_s, 3)
    out["rss_after_load_mib"] = round(engine.rss_now_kib() / 1024, 1)


def _finish(engine, out: dict) -> None:
    """Stop an engine and note what it used."""
    engine.stop(force=engine.busy)  # busy with requests nobody waits for after the last phase: killed
    engine.finish()
    out["peak_rss_mib"] = round(engine.peak_kib / 1024, 1)
    if engine.pss_peak_kib:
        out["serving_pss_mib"] = round(engine.pss_peak_kib / 1024, 1)
    out["restarts"] = engine.restarts
    out["pids"] = sorted(set(engine.started_pids))


def build_scale(scale: datasets.ScaleData, options: Options, logs: Path, previous: dict) -> dict:
    """The build of the scale's project, unless a smaller scale showed it cannot fit the budget: it was stopped
    there, or growing linearly from there it would take more than twice the budget."""
    if previous["result"]["status"].startswith("not run"):
        return {"status": f"not run: over budget (as at {previous['label']})"}
    estimate = previous["result"]["seconds"] * scale.quads / previous["quads"]
    if estimate > 2 * options.build_budget:
        return {"status": f"not run: over budget (estimated {estimate:.0f} s from {previous['label']}, growing linearly)"}
    say(f"{scale.label}: build (validate + reason + publish), budget {options.build_budget:g} s")
    return measure.build(scale.root, options.build_budget, logs / f"build-{scale.label}.log")


def _check_build(build: dict, seed_build: dict, scale: datasets.ScaleData) -> None:
    """Say so when a build did not take in the synthetic triples (its stated graph is no larger than the seed's)."""
    stated, seed = build.get("graphs", {}).get("stated", 0), seed_build.get("graphs", {}).get("stated", 0)
    if scale.stated and stated < seed + scale.stated:
        build["note"] = (f"its stated graph has {stated:,} triples, the seed's {seed:,}: the {scale.stated:,} synthetic stated "
                         "triples were not all loaded, so this is not the build of this scale")


def _skips(name: str, label: str, limited: dict, engines: dict) -> dict[str, str]:
    """The queries an engine is not asked at this scale, as query → why: it reached the limit at a smaller scale,
    or (rdflib-endpoint, ecograph-virtuoso) the same engine without the HTTP front reached it on that query at this
    scale."""
    skip = {q: f"it reached the limit at {at}" for q, at in limited[name].items()}
    for front, inner, said in (("rdflib-endpoint", "rdflib", "rdflib in memory"), ("ecograph-virtuoso", "virtuoso", "Virtuoso")):
        if name == front:
            for q, result in engines.get(inner, {}).get("queries", {}).items():
                if result["status"] == "limit" and q not in skip:
                    skip[q] = f"{said} reached the limit on it at {label}"
    return skip


def run(options: Options) -> dict:
    """Every scale, every engine; returns the raw results (report.py writes them)."""
    work = options.work or Path(tempfile.mkdtemp(prefix="ecograph-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    logs = work / "logs"
    queries = select_queries(options)
    started = time.perf_counter()
    load_before = [round(x, 2) for x in os.getloadavg()]
    say(f"work folder {work}; seed build first")
    seed_root = datasets.copy_project(work / "root-seed") if not (work / "root-seed").exists() else work / "root-seed"
    seed_build = measure.build(seed_root, max(options.build_budget, 120), logs / "build-seed.log")
    if seed_build["status"] != "ok":
        raise SystemExit(f"the seed build failed: {seed_build}")
    seed_nq = seed_root / "dist" / "dataset.nq"
    limited: dict[str, dict[str, str]] = {name: {} for name in options.engines}
    scales = []
    previous_build = {"label": "seed", "quads": sum(1 for _ in seed_nq.open(encoding="utf-8")), "result": seed_build}
    pids = [seed_build["pid"]]
    try:
        for label in options.scales:
            n = datasets.parse_scale(label)
            say(f"{label}: preparing the data")
            t0 = time.perf_counter()
            scale = (datasets.seed_scale(seed_root, options.lookups, options.seed) if n == 0 else
                     datasets.synthetic_scale(label, n, seed_nq, work, options.lookups, options.seed))
            prepare_s = time.perf_counter() - t0
            build = seed_build if n == 0 else build_scale(scale, options, logs, previous_build)
            if n and build["status"] == "ok":
                _check_build(build, seed_build, scale)
            if "pid" in build:
                pids.append(build["pid"])
            if build["status"] == "ok" or build["status"].startswith("not run"):
                previous_build = {"label": label, "quads": scale.quads, "result": build}
            engines = {}
            scale_queries = at_point(queries, scale.lookups)  # the point lookups of one of this scale's resources
            paired = side_by_side_engines(options)
            for name in options.engines:
                if name in paired and name in engines:
                    continue
                if name in paired:
                    engines.update(run_side_by_side(paired, scale, scale_queries, options, logs,
                                                     {n: _skips(n, label, limited, engines) for n in paired}))
                    done = paired
                else:
                    engine = make_engine(name, scale, logs, options.limit)
                    engines[name] = run_engine(engine, scale, scale_queries, options, _skips(name, label, limited, engines))
                    done = [name]
                for n in done:
                    pids.extend(engines[n].get("pids", []))
                    for q, result in engines[n].get("queries", {}).items():
                        if result["status"] == "limit" and q not in limited[n] and not result["note"].startswith("not run"):
                            limited[n][q] = label
            scales.append({"label": label, "synthetic_triples": n, "quads": scale.quads, "synthetic_stated": scale.stated,
                           "synthetic_interpreted": scale.interpreted, "prepare_s": round(prepare_s, 2),
                           "build": {k: v for k, v in build.items() if k != "pid"}, "engines": engines})
    finally:
        if options.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return {"queries": [{"name": q.name, "group": q.group} for q in queries], "scales": scales, "pids": sorted(set(pids)),
            "seconds": round(time.perf_counter() - started, 1),
            "seed_build": {k: v for k, v in seed_build.items() if k != "pid"},
            "load_average": {"start": load_before, "end": [round(x, 2) for x in os.getloadavg()]},
            "settings": {"repeats": options.repeats, "warmup": options.warmup, "seconds": options.seconds, "clients": options.clients,
                         "limit_s": options.limit, "query_budget_s": options.query_budget, "sample_s": options.sample_s,
                         "build_budget_s": options.build_budget,
                         "lookups": options.lookups, "seed": options.seed, "engines": list(options.engines),
                         "side_by_side": side_by_side_engines(options)}}
