"""The side-by-side benchmark (benchmarks/, scripts/bench) run end to end at the smallest scale, the seed build,
through the real subprocesses (Virtuoso, and ecograph's front over it, where Virtuoso is installed): every engine
answers every query with the same number of rows (or is stopped at the time limit, or departs from SPARQL in a way
the benchmark knows and reports), the Markdown, SVG and JSON are written and well-formed, and no process is left
running. It asserts no time."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from benchmarks import ratios, tables, targets
from benchmarks import virtuoso as vt
from benchmarks.data import combine, parse_scale
from benchmarks.engines import alive
from benchmarks.workload import POINT_LOOKUPS, at_point, inline, named_queries
from ecograph.settings import PROJECT_ROOT

VIRTUOSO = vt.ENGINES if vt.missing() is None else ()  # run where Virtuoso is installed (scripts/test installs it)
ENGINES = ("ecograph", "ecograph-uncached", "bare", "wire", "pyoxigraph", "pyoxigraph-json", "pyoxigraph-disk", "rdflib-endpoint", "rdflib",
           *VIRTUOSO)
HTTP = ("ecograph", "ecograph-uncached", "bare", "wire", "rdflib-endpoint", *VIRTUOSO)
# quick on every engine, plus one that rdflib takes seconds over (so the time limit may be exercised), one where
# rdflib departs from SPARQL (money-by-kind: a sub-SELECT inside OPTIONAL), and the point lookups as rows and as a graph
QUERIES = ("coverage-program-phase", "coverage-stakeholder-phase", "gaps-milestones", "gaps-stakeholder-phase", "money-by-kind",
           "point-select", "point-construct")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    """One run of scripts/bench at the seed (1 repeat, 1 s of throughput, a 2 s limit): (results, out, work)."""
    base = tmp_path_factory.mktemp("bench")
    out, work = base / "results", base / "work"
    command = [sys.executable, "-m", "benchmarks", "--scales", "seed", "--repeats", "1", "--sample-seconds", "0", "--seconds", "1", "--limit", "2",
               "--queries", ",".join(QUERIES), "--engines", ",".join(ENGINES), "--out", str(out), "--work", str(work)]
    run = subprocess.run(command, check=False, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-4000:]
    return json.loads((out / "latest.json").read_text(encoding="utf-8")), out, work


def test_every_engine_answers_every_query_with_the_same_rows(bench):
    results, _, _ = bench
    [scale] = results["scales"]
    engines = scale["engines"]
    assert set(engines) == set(ENGINES)
    for name, engine in engines.items():
        assert "failed" not in engine, (name, engine.get("failed"))
        assert set(engine["queries"]) == set(QUERIES)
        assert engine["load_s"] > 0 and engine["peak_rss_mib"] > 0 and engine["serving_rss_mib"] > 0 and engine["serving_pss_mib"] > 0
    for query in QUERIES:
        answers = {name: engines[name]["queries"][query] for name in ENGINES}
        assert answers["ecograph"]["status"] == "ok" and answers["pyoxigraph"]["status"] == "ok", answers
        assert answers["ecograph"]["rows"] == answers["pyoxigraph"]["rows"] > 0
        rows = scale["rows"][query]
        for name, answer in answers.items():
            assert answer["status"] in ("ok", "limit"), (query, name, answer)  # a peer may be stopped at the limit
            if answer["status"] == "ok" and answer["rows"] != answers["ecograph"]["rows"]:
                assert rows["explained"], (query, name, rows)  # a known departure of rdflib, reported as one
    assert scale["rows"]["coverage-program-phase"]["agree"]
    assert set(scale["ratios"]) == {"ecograph", "rdflib-endpoint", "rdflib", "pyoxigraph", "pyoxigraph-json", "pyoxigraph-disk", *VIRTUOSO}
    assert scale["ratios"]["ecograph"] == "ecograph-uncached"  # engine work is compared, not cached answers
    assert all(engines["ecograph"]["queries"][q]["cache"] for q in QUERIES)  # the answer cache's header is recorded


def test_throughput_build_and_machine_are_recorded(bench):
    results, _, _ = bench
    engines = results["scales"][0]["engines"]
    for name in HTTP:
        assert set(engines[name]["throughput"]) == {"point", "analytic"}
        floor = engines[name]["http_floor"]  # the cheapest query (ASK {}), for the "ms added" targets
        assert floor["status"] == "ok" and floor["runs"] == 400 and 0 < floor["p10_ms"] <= floor["p50_ms"]
    for name in ("ecograph", "ecograph-uncached", "bare", "wire", *VIRTUOSO):
        for mix in ("point", "analytic"):
            assert engines[name]["throughput"][mix]["ok"] > 0
            assert engines[name]["throughput"][mix]["errors"] == 0, engines[name]["throughput"][mix]["error_samples"]
    assert results["scales"][0]["build"]["status"] == "ok" and results["seed_build"]["status"] == "ok"
    assert {"main", "HTTP worker"} <= {p["role"] for p in engines["ecograph"]["processes"]}  # memory per process
    # PSS counts a page shared by n processes 1/n in each: less than the processes' RSS summed
    assert engines["ecograph"]["serving_pss_mib"] < engines["ecograph"]["peak_rss_mib"]
    assert all(p["pss_mib"] <= p["rss_mib"] for p in engines["ecograph"]["processes"])
    if VIRTUOSO:
        assert "virtuoso" in {p["role"] for p in engines["virtuoso"]["processes"]}
        assert {"main", "virtuoso"} <= {p["role"] for p in engines["ecograph-virtuoso"]["processes"]}
    assert {"cpu", "cores", "ram_gib", "python", "versions"} <= set(results["machine"])
    # the engines the targets compare were up at once and took turns (their ratios share the machine's minutes)
    paired = ["ecograph", "ecograph-uncached", "bare", "wire", "pyoxigraph", "pyoxigraph-json", "pyoxigraph-disk"]
    assert results["settings"]["side_by_side"] == paired
    assert all(engines[name]["side_by_side"] == paired for name in paired)
    assert all(engines[name]["throughput"][mix]["turns"] == 4 for name in ("ecograph", "ecograph-uncached", "bare", "wire") for mix in ("point", "analytic"))
    assert "side_by_side" not in engines["rdflib-endpoint"]


def test_markdown_svg_and_json_are_written_and_well_formed(bench):
    _results, out, work = bench
    markdown = (out / "latest.md").read_text(encoding="utf-8")
    assert "| coverage-program-phase |" in markdown and "| ecograph |" in markdown and "Targets of issues 5 and 15" in markdown
    assert "ecograph-uncached against the bare peer" in markdown and "| issue 15: point lookups at seed" in markdown
    assert "| bare ÷ pyoxigraph (ms added) | wire ÷ pyoxigraph (ms added) |" in markdown  # what serving over HTTP adds
    assert "ecograph-uncached against the wire peer" in markdown and "; the wire peer itself: " in markdown
    assert "| issue 15: ≤ 1 ms added over raw pyoxigraph" in markdown and "| issue 15: serving 10M in ≤ 1.2× the PSS" in markdown
    assert "at seed | – (stated for 10M) |" in markdown  # judged at the scale the issue states, not below
    # against raw pyoxigraph writing its answer too: what ecograph adds beyond the writing any endpoint does
    assert "; over raw pyoxigraph writing its answer (pyoxigraph-json): " in markdown
    assert "| ecograph-uncached ÷ pyoxigraph (ms added) | ecograph-uncached ÷ pyoxigraph-json (ms added) |" in markdown
    assert "were measured side by side: all up at once" in markdown
    assert "HTTP floor, the round trip of the cheapest query, ASK {}" in markdown and "HTTP floor here: ecograph-uncached " in markdown
    assert "PSS serving, peak MiB" in markdown and "1/n" in markdown
    if VIRTUOSO:
        assert "ecograph-uncached ÷ virtuoso (p50): geometric mean" in markdown and "ecograph vs Virtuoso" in markdown
    svg = ET.parse(out / "latest.svg").getroot()
    assert svg.tag == SVG + "svg"
    assert {g.get("data-engine") for g in svg.iter(SVG + "g") if g.get("data-engine")} == set(ENGINES)
    written = markdown + (out / "latest.json").read_text(encoding="utf-8") + (out / "latest.svg").read_text(encoding="utf-8")
    assert str(work.parent) not in written and str(PROJECT_ROOT) not in written  # no path of this machine


def test_no_process_is_left_running(bench):
    results, _, _ = bench
    assert len(results["pids"]) >= 8  # the build, four servers (and ecograph's workers), three engine processes
    assert [pid for pid in results["pids"] if alive(pid)] == []


@pytest.mark.skipif(not VIRTUOSO, reason="Virtuoso is not installed")
def test_virtuoso_is_compared_with_the_known_differences_of_the_virtuoso_tests(bench):
    from tests.helpers.virtuoso_known import KNOWN_DIFFERENCES

    results = bench[0]
    assert ratios.virtuoso_known() == KNOWN_DIFFERENCES == results["virtuoso_known"]  # the one list, read and kept
    scale = results["scales"][0]
    assert scale["rows"]["coverage-program-phase"]["counts"]["virtuoso"] == scale["rows"]["coverage-program-phase"]["counts"]["pyoxigraph"]
    for name in ("virtuoso", "ecograph-virtuoso"):
        assert set(scale["ratios"][name]["per_query"]) <= set(QUERIES) and scale["ratios"][name]["geomean_target"] > 0


def _one(status: str, p50: float, rows: int | None) -> dict:
    return {"status": status, "note": "", "p50_ms": p50, "p95_ms": p50, "rows": rows}


def test_a_known_wrong_answer_of_virtuoso_is_reported_as_known_and_left_out_of_the_ratio():
    results = {"queries": [{"name": "gaps-a", "group": "gaps"}, {"name": "gaps-b", "group": "gaps"}, {"name": "gaps-c", "group": "gaps"},
                           {"name": "coverage-d", "group": "coverage"}],
               "virtuoso_known": {"gaps-a": "no rows"},
               "scales": [{"label": "seed", "engines": {
                   "ecograph-uncached": {"queries": {"gaps-a": _one("ok", 2, 5), "gaps-b": _one("ok", 2, 5), "gaps-c": _one("ok", 4, 1),
                                                     "coverage-d": _one("ok", 1, 3)}},
                   "virtuoso": {"queries": {"gaps-a": _one("ok", 1, 0), "gaps-b": _one("ok", 8, 4), "gaps-c": _one("limit", 2000, None),
                                            "coverage-d": _one("error", None, None)}}}}]}
    ratios.compare(results)
    scale = results["scales"][0]
    assert scale["rows"]["gaps-a"]["explained"].endswith("no rows") and scale["rows"]["gaps-b"]["explained"] is None
    assert ratios.unexplained_mismatches(results) == ["seed: gaps-b", "seed: coverage-d"]
    ratio = scale["ratios"]["virtuoso"]
    assert ratio["left_out"] == {"gaps-a": "rows differ", "gaps-b": "rows differ", "coverage-d": "an error"}
    assert ratio["per_query"]["gaps-c"] == {"x": 0.002, "added_ms": -1996, "limited": False, "peer_limited": True, "rows_differ": False}
    assert ratio["geomean_target"] == 0.002 and ratio["queries_in_target"] == 1
    assert "ecograph-uncached ÷ virtuoso (p50): geometric mean 0.002 over 1 coverage and gap queries" in "\n".join(
        tables._virtuoso_md(scale, "ecograph-uncached"))


def test_a_dist_for_the_file_counts_its_triples_per_graph(tmp_path):
    nq = tmp_path / "all.nq"
    nq.write_text('<https://e.org/a> <https://e.org/p> "x" <https://e.org/g1> .\n'
                  '<https://e.org/a> <https://e.org/p> "y" <https://e.org/g1> .\n'
                  '<https://e.org/b> <https://e.org/p> <https://e.org/a> <https://e.org/g2> .\n', encoding="utf-8")
    dist = vt.make_dist(nq, tmp_path / "virtuoso")
    assert (dist / "dataset.nq").read_bytes() == nq.read_bytes()
    assert json.loads((dist / "build.json").read_text())["graphs"] == {"https://e.org/g1": 2, "https://e.org/g2": 1}


def test_scales_are_counts_of_synthetic_triples():
    assert [parse_scale(s) for s in ("seed", "2k", "10k", "100k", "1M", "10M", "2500")] == [0, 2_000, 10_000, 100_000, 1_000_000,
                                                                                           10_000_000, 2_500]


def test_synthetic_triples_join_the_seed_in_their_graphs(tmp_path):
    seed = tmp_path / "seed.nq"
    seed.write_text('<https://e.org/a> <https://e.org/p> "x" <https://w3id.org/ecograph/graph/ontology> .\n', encoding="utf-8")
    stated = tmp_path / "stated.nt"
    stated.write_text("# a comment\n<https://e.org/s1> <https://e.org/p> <https://e.org/o> .\n"
                      '<https://e.org/s2> <https://e.org/p> "a . b"@en .\n', encoding="utf-8")
    interpreted = tmp_path / "interpreted.nt"
    interpreted.write_text("<https://e.org/s1> <https://e.org/q> <https://e.org/o> .\n", encoding="utf-8")
    count, sample = combine(seed, stated, interpreted, tmp_path / "all.nq", 5, random.Random(0))
    quads = list(ox.parse(path=str(tmp_path / "all.nq"), format=ox.RdfFormat.N_QUADS))
    assert count == len(quads) == 4
    graphs = sorted(q.graph_name.value.rsplit("/", 1)[-1] for q in quads)
    assert graphs == ["interpreted", "ontology", "stated", "stated"]
    assert sample == ["https://e.org/s1", "https://e.org/s2"]


def test_point_lookups_are_asked_of_one_resource_of_each_scale(bench):
    """The point lookups are measured as queries of the first resource the scale sampled, every engine asked the
    same text (HTTP engines as they are asked point lookups: a graph as Turtle, its triples counted)."""
    queries = named_queries(PROJECT_ROOT / "queries")
    assert [q.name for q in queries if q.group == "point"] == list(POINT_LOOKUPS)
    scaled = at_point(queries, ["https://e.org/a", "https://e.org/b"])
    point = {q.name: q for q in scaled if q.group == "point"}
    assert point["point-select"].text == point["point-select"].inlined == "SELECT ?p ?o WHERE { <https://e.org/a> ?p ?o }"
    assert point["point-construct"].graph and "CONSTRUCT { <https://e.org/a> ?p ?o }" in point["point-construct"].text
    assert [q.name for q in scaled if q.group != "point"] == [q.name for q in queries if q.group != "point"]
    assert not [q for q in at_point(queries, []) if q.group == "point"]  # a scale that sampled nothing has none
    [scale] = bench[0]["scales"]
    for name in POINT_LOOKUPS:
        assert scale["rows"][name]["agree"], scale["rows"][name]
        assert scale["engines"]["ecograph-uncached"]["queries"][name]["rows"] > 0


def test_parameters_written_in_give_the_same_answers_on_the_seed(bench):
    """The rdflib engines get the named queries with their parameters written into the text: on pyoxigraph, that
    text gives the same rows as the substitutions ecograph uses (GROUP_CONCAT's order aside)."""
    from ecograph.namespaces import PREFIXES
    from ecograph.rdf.terms import to_ox

    store = ox.Store()
    store.bulk_load(path=str(bench[2] / "root-seed" / "dist" / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}

    def rows(result):
        return sorted(tuple(" ".join(sorted(t.value.split())) if isinstance(t, ox.Literal) else str(t) for t in row) for row in result)

    queries = named_queries(PROJECT_ROOT / "queries")
    assert any(q.substitutions for q in queries)
    for q in queries:
        substituted = store.query(q.text, prefixes=prefixes, use_default_graph_as_union=True,
                                  substitutions={ox.Variable(k): to_ox(v) for k, v in q.substitutions.items()})
        written_in = store.query(q.inlined, use_default_graph_as_union=True)
        assert rows(substituted) == rows(written_in), q.name
    text = "SELECT ?a ?layer WHERE { ?a ?b ?layer } GROUP BY ?a ?layer ORDER BY ?layer"
    expected = 'SELECT ?a ("all" AS ?layer) WHERE { ?a ?b "all" } GROUP BY ?a  ORDER BY ("all")'
    assert inline(text, {"layer": ("literal", "all", None, None)}) == expected


class _Recording:
    """An engine stand-in for measure.side_by_side: answers at once, and notes each question in `log`."""

    http = False
    busy = False

    def __init__(self, name: str, log: list, stop_after: int | None = None):
        self.name, self.log, self.stop_after = name, log, stop_after

    def run(self, q, client):
        from benchmarks.engines import Outcome

        self.log.append(self.name)
        asked = self.log.count(self.name)
        if self.stop_after is not None and asked > self.stop_after:
            return Outcome("limit", 1.0, message="stopped")
        return Outcome("ok", 0.001 * asked, rows=3)


def test_side_by_side_engines_take_turns_request_by_request():
    """Each query is warmed up on every engine, then its runs go round the engines, the first of a round moving on
    by one each round; an engine stopped at the limit leaves the round, the others go on; a skipped query is not asked."""
    from benchmarks import measure

    q = next(iter(named_queries(PROJECT_ROOT / "queries")))
    log: list[str] = []
    engines = [_Recording("a", log), _Recording("b", log), _Recording("c", log, stop_after=2)]
    results = measure.side_by_side(engines, [q], limit=1.0, warmup=1, repeats=3, budget_s=60, skips={})
    # warm-ups a b c; round 1 from b: b c a; round 2 from c: c (its 3rd question, stopped: it leaves) a b; round 3: a b
    assert log == ["a", "b", "c", "b", "c", "a", "c", "a", "b", "a", "b"]
    assert results["a"][q.name]["runs"] == 3 and results["a"][q.name]["status"] == "ok"
    assert results["c"][q.name]["status"] == "limit"
    log.clear()
    skipped = measure.side_by_side(engines[:2], [q], limit=1.0, warmup=1, repeats=2, budget_s=60, skips={"b": {q.name: "too slow"}})
    assert set(log) == {"a"} and skipped["b"][q.name]["note"] == "not run: too slow"


def test_a_quick_query_runs_on_until_its_runs_took_sample_s():
    """After `repeats` runs, a query goes on while its runs took less than sample_s in all, up to MOST_RUNS; a slow
    one stops at `repeats`. (_Recording's k-th answer takes k ms: the warm-up is the 1st.)"""
    from benchmarks import measure

    q = next(iter(named_queries(PROJECT_ROOT / "queries")))

    def runs(sample_s: float, repeats: int = 3) -> int:
        result = measure.side_by_side([_Recording("a", [])], [q], limit=1.0, warmup=1, repeats=repeats, budget_s=60,
                                      skips={}, sample_s=sample_s)["a"][q.name]
        assert len(result["runs_ms"]) == result["runs"]
        return result["runs"]

    assert runs(0.0) == 3 and runs(0.001) == 3
    # measured runs take 2, 3, 4 ... ms: 2 + ... + 10 = 54 ms is the first sum of at least 50 ms, after 9 runs
    assert runs(0.050) == 9
    assert runs(0.050, repeats=12) == 12
    assert runs(100.0) == measure.MOST_RUNS


def test_side_by_side_needs_two_engines():
    from benchmarks.run import Options, side_by_side_engines

    assert side_by_side_engines(Options(scales=["seed"], engines=("ecograph-uncached", "bare", "rdflib"))) == ["ecograph-uncached", "bare"]
    assert side_by_side_engines(Options(scales=["seed"], engines=("ecograph", "rdflib-endpoint"))) == []  # one alone: one at a time
    assert side_by_side_engines(Options(scales=["seed"], engines=("ecograph", "bare"), side_by_side=False)) == []


def test_what_ecograph_adds_beyond_the_wire_peer_is_a_median_as_the_p50s_are():
    """The targets' "beyond the wire peer": the nearest-rank median of ecograph's added ms less wire's, as every p50
    of the report (with an even count, the lower of the two middle values), and the most."""
    added = {"a": 1.0, "b": 2.0, "c": 3.0, "d": 10.0}
    small = {n: {"added_ms": ms} for n, ms in added.items()}
    wire = {"per_query": {n: {"added_ms": 0.5} for n in added}}
    text = targets._beyond_wire({"peer_overhead": {"wire": wire}}, small)
    assert "median +1.50 ms, most +9.50 ms" in text
    assert "the wire peer itself: 4 of 4 within 1 ms" in text
    assert targets._beyond_wire({}, small) == ""


def test_what_ecograph_adds_over_raw_pyoxigraph_writing_its_answer_is_counted_beside_reading_its_rows():
    """The targets' line on small queries also counts them against raw pyoxigraph writing its answer (pyoxigraph-json),
    and says how much longer writing took than reading the rows (nearest-rank median, and the most)."""
    small = {"a": {"added_ms": 1.2, "raw_ms": 1.0}, "b": {"added_ms": 2.0, "raw_ms": 4.0}, "c": {"added_ms": 0.5, "raw_ms": 2.0}}
    written = {"per_query": {"a": {"added_ms": 0.9, "raw_ms": 1.3}, "b": {"added_ms": 1.1, "raw_ms": 4.9},
                             "c": {"added_ms": 0.4, "raw_ms": 2.1}}}
    text = targets._over_written({"ratios": {"pyoxigraph-json": written}}, small)
    assert "(pyoxigraph-json): 2 of 3 within 1 ms (most added +1.10 ms, b)" in text
    assert "a median +0.30 ms, most +0.90 ms over reading its rows" in text
    assert targets._over_written({"ratios": {}}, small) == ""
