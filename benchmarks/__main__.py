"""`python -m benchmarks` (scripts/bench): run the side-by-side benchmark and write latest.{md,svg,json}."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from benchmarks import ratios, report
from benchmarks import virtuoso as vt
from benchmarks.measure import MOST_RUNS
from benchmarks.run import ENGINES, Options, default_engines, run
from benchmarks.workload import GROUPS

RESULTS = Path(__file__).resolve().parent / "results"


def _csv(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/bench", description="Serve the same data through ecograph, raw pyoxigraph, "
                                     "rdflib-endpoint, rdflib and Virtuoso; measure load, named queries, throughput, build and memory.")
    parser.add_argument("--scales", default="10k,100k",
                        help="synthetic triples added to the seed build: seed, 2k, 10k, 100k, 1M, 10M (default 10k,100k)")
    parser.add_argument("--repeats", type=int, default=5, help="measured runs per query after the warm-up (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up runs per query, not counted (default 1)")
    parser.add_argument("--seconds", type=float, default=10, help="duration of each throughput phase (default 10)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent loopback clients in the throughput phases (default 8)")
    parser.add_argument("--limit", type=float, default=30, help="time limit of one query run, in seconds (default 30)")
    parser.add_argument("--query-budget", type=float, default=15,
                        help="stop repeating a query once its runs took this many seconds (default 15)")
    parser.add_argument("--sample-seconds", type=float, default=1.0,
                        help="a query whose runs are quick is run on until they took this many seconds, up to "
                             f"{MOST_RUNS} runs: a p50 of 1 ms from a few runs moves by tenths of a millisecond (default 1; 0: "
                             "only --repeats)")
    parser.add_argument("--build-budget", type=float, default=300, help="time budget of a build, in seconds (default 300)")
    parser.add_argument("--engines", default="", help=f"engines to run, of {','.join(ENGINES)} (default: all; "
                        f"{' and '.join(vt.ENGINES)} only where Virtuoso is installed)")
    parser.add_argument("--one-at-a-time", action="store_true",
                        help="serve one engine after the other; by default ecograph, ecograph-uncached, bare, wire, pyoxigraph, "
                             "pyoxigraph-json and pyoxigraph-disk are all up at once and measured taking turns (each query's runs, the HTTP floor "
                             "and the throughput spells go round them), so their ratios share the machine's good and bad minutes")
    parser.add_argument("--groups", default=",".join(GROUPS), help=f"named-query groups (default {','.join(GROUPS)})")
    parser.add_argument("--queries", default="", help="only these named queries (comma-separated)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic data and of the clients' choices")
    parser.add_argument("--out", type=Path, default=RESULTS,
                        help="where latest.md, latest.svg and latest.json go (default benchmarks/results)")
    parser.add_argument("--work", type=Path, help="keep the data, stores and logs here (default: a temporary folder, removed)")
    parser.add_argument("--render", type=Path, metavar="JSON",
                        help="run nothing: write the Markdown and SVG again from a results JSON (e.g. benchmarks/results/latest.json)")
    args = parser.parse_args(argv)
    if not args.engines:
        args.engines = ",".join(default_engines())
        if vt.missing():
            print(f"{', '.join(vt.ENGINES)} skipped: {vt.missing()}", file=sys.stderr)
    unknown = set(_csv(args.engines)) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engines: {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    if args.render:
        results = json.loads(args.render.read_text(encoding="utf-8"))
        ratios.compare(results)
        paths = report.write(results, args.out)
        print(report.summary(results))
        print("wrote " + ", ".join(p.name for p in paths.values()) + f" in {args.out}")
        return
    options = Options(scales=_csv(args.scales), repeats=args.repeats, warmup=args.warmup, seconds=args.seconds, clients=args.clients,
                      limit=args.limit, query_budget=args.query_budget, sample_s=args.sample_seconds, build_budget=args.build_budget,
                      engines=tuple(e for e in ENGINES if e in _csv(args.engines)), groups=tuple(_csv(args.groups)),
                      queries=tuple(_csv(args.queries)), seed=args.seed, work=args.work, side_by_side=not args.one_at_a_time)
    machine = report.machine()  # the commit measured: the tree as the run starts (servers are started from it later)
    results = run(options)
    results["command"] = "scripts/bench " + " ".join("DIR" if Path(a).is_absolute() else shlex.quote(a) for a in argv)
    results["machine"] = machine
    ratios.compare(results)
    paths = report.write(results, args.out)
    print(report.summary(results))
    print("wrote " + ", ".join(p.name for p in paths.values()) + f" in {args.out}")


if __name__ == "__main__":
    main()
