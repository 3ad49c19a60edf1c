"""What a run found, written three ways: the raw JSON (with the machine it ran on), a Markdown report and an SVG
chart of cost against scale. The ratios are computed from the raw results (benchmarks/ratios.py); the Markdown of each
scale is benchmarks/tables.py's, the targets' rows benchmarks/targets.py's, the chart benchmarks/chart.py's. Nothing
is asserted."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from benchmarks.chart import svg
from benchmarks.measure import MOST_RUNS, percentile
from benchmarks.ratios import PEERS, SERVING_PEERS, VIRTUOSO, unexplained_mismatches
from benchmarks.tables import fmt, scale_md, virtuoso_text
from benchmarks.targets import targets_md
from ecograph.settings import PROJECT_ROOT

LIBRARIES = ("ecograph", "pyoxigraph", "rdflib", "rdflib-endpoint", "uvicorn", "fastapi", "starlette", "waitress", "gunicorn", "flask",
             "pyshacl", "owlrl")


def machine() -> dict:
    """CPU model, cores, RAM, OS, Python and library versions, and the commit measured."""
    cpu = ""
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    except OSError:
        pass
    ram = None
    try:
        kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal:"))
        ram = round(kib / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {"cpu": cpu or platform.processor(), "cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)),
            "ram_gib": ram, "os": platform.platform(), "python": platform.python_version(), "versions": versions,
            "commit": _commit()}


def _commit() -> str | None:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], check=False, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], check=False, cwd=PROJECT_ROOT, capture_output=True,
                               text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    if head.returncode:
        return None
    return head.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def markdown(results: dict) -> str:
    """The Markdown report: machine, settings, then per scale the summary, the queries, throughput and the build;
    then issue 5's targets against the largest scale measured."""
    m, st = results["machine"], results["settings"]
    limit_ms = st["limit_s"] * 1000
    load = results.get("load_average", {})
    lines = ["# ecograph benchmark", "",
             f"Run with `{results.get('command', 'scripts/bench')}` in {results['seconds']:,.0f} s "
             f"(load average {load.get('start', ['?'])[0]} at the start, {load.get('end', ['?'])[0]} at the end). "
             f"Machine: {m['cpu']}, {m['usable_cores']} of {m['cores']} cores, {m['ram_gib']} GiB RAM, {m['os']}, Python {m['python']}; "
             + ", ".join(f"{k} {v}" for k, v in m["versions"].items() if v) + f". Commit {m['commit']}.", "",
             f"Each query: {st['warmup']} warm-up run, then {st['repeats']} runs (fewer once {st['query_budget_s']:g} s are spent"
             + (f"; more while they took under {st['sample_s']:g} s in all, up to {MOST_RUNS}" if st.get("sample_s") else "") + "), "
             f"p50 / p95 in ms; time limit {st['limit_s']:g} s per run (a run stopped at the limit counts as the limit; "
             "* = not run because it reached the limit at a smaller scale; † = rdflib-endpoint not sent a query that rdflib in "
             "memory, the same engine without HTTP, could not answer within the limit at that scale). ecograph is `ecograph serve --data` over loopback HTTP "
             "(GET /queries/NAME, JSON), as shipped (its answer cache answers a repeated query from memory: the p50 of repeated "
             "runs is a cached answer) and with the cache off (ecograph-uncached: every run is engine work; the ratios use it). "
             "pyoxigraph and rdflib are in-process (in a child process, query + reading every row); "
             + ("pyoxigraph-json is pyoxigraph in process writing its answer instead (SPARQL JSON results, Turtle for a "
                "graph: what an endpoint must write, and what the wire peer writes); " if "pyoxigraph-json" in st.get("engines", []) else "")
             + "pyoxigraph-disk is pyoxigraph on an on-disk store made and opened read-only as ecograph's serving store is. "
             "rdflib-endpoint is `python -m rdflib_endpoint serve` over loopback HTTP (POST, JSON). "
             + (virtuoso_text() if set(VIRTUOSO) & set(st.get("engines", [])) else "") + "Throughput: "
             f"{st['clients']} loopback clients for {st['seconds']:g} s. "
             "Peak RSS is VmHWM (for ecograph: the arbiter that holds the data plus its HTTP workers), summed over an engine's processes. "
             "That sum counts a page shared by several processes once in each: ecograph's HTTP workers are forked from "
             "the arbiter and share its pages copy-on-write, so it overstates what they use together. "
             "PSS (proportional set size, /proc/PID/smaps_rollup) counts a page shared by n processes as 1/n in each, "
             "so the sum of PSS over an engine's processes is the memory they really use; \"PSS serving, peak\" is the "
             "largest such sum sampled while the engine served (every second, and at the end of each phase). The machine's "
             "two cores may be shared with other work: single numbers are noisy."
             + (f" {', '.join(st['side_by_side'])} were measured side by side: all up at once, each query's runs going round "
                "them one request at a time, the HTTP floor and each throughput mix in four spells going round them, so "
                "that their ratios share the machine's slower and faster minutes (only one is asked anything at a time). "
                "The others ran one after the other." if st.get("side_by_side") else
                " The engines ran one after the other."), ""]
    for scale in results["scales"]:
        lines += scale_md(scale, results, limit_ms)
    lines += targets_md(results)
    return "\n".join(lines) + "\n"


def write(results: dict, out: Path) -> dict[str, Path]:
    """latest.json, latest.md and latest.svg in out."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "latest.json", "md": out / "latest.md", "svg": out / "latest.svg"}
    paths["json"].write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    paths["md"].write_text(markdown(results), encoding="utf-8")
    paths["svg"].write_text(svg(results), encoding="utf-8")
    return paths


def summary(results: dict) -> str:
    """The ratios against each peer, for the terminal."""
    lines = []
    for scale in results["scales"]:
        r = scale.get("ratios", {})
        parts = [f"{scale['label']} ({scale['quads']:,} quads), {r.get('ecograph', 'ecograph')}:"]
        for p in PEERS:
            if p in r:
                parts.append(f"vs {p} geomean {fmt(r[p]['geomean_target'], 1)}× (least {fmt(r[p]['min_target'], 1)}×)")
        if "virtuoso" in r:
            parts.append(f"÷ virtuoso geomean {fmt(r['virtuoso']['geomean_target'], 3)} (coverage + gaps)")
        if "pyoxigraph" in r:
            added = [v["added_ms"] for v in r["pyoxigraph"]["per_query"].values()]
            parts.append(f"vs raw pyoxigraph: {r['pyoxigraph']['meets']}/{r['pyoxigraph']['of']} within target, "
                         f"added ms median {fmt(percentile(added, 0.5), 2)}")
        for name in ("ecograph", "ecograph-uncached", *SERVING_PEERS, "virtuoso"):
            for mix, t in scale["engines"].get(name, {}).get("throughput", {}).items():
                parts.append(f"{name} {mix} {fmt(t['req_per_s'])} req/s")
        lines.append("  ".join(parts))
        for name, v in r.get("pyoxigraph", {}).get("per_query", {}).items():
            lines.append(f"    {name}: {r['ecograph']} ÷ pyoxigraph {fmt(v['x'], 2)} ({v['added_ms']:+,.1f} ms)"
                         + ("" if v["meets"] else " — over the target"))
    bad = unexplained_mismatches(results)
    lines.append("row counts: " + ("all engines agree (apart from known departures of rdflib and Virtuoso)" if not bad
                                   else "MISMATCH " + ", ".join(bad)))
    return "\n".join(lines)
