"""The real thing: `ecograph serve` (an arbiter and its pre-forked HTTP workers, waitress in each, the in-memory or the
on-disk store) started as a subprocess on a free loopback port, queried by real clients (SPARQLWrapper, rdflib's
SPARQLStore), and always stopped."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import rdflib

from tests.helpers.servers import Listener, running_server


@pytest.fixture(scope="module")
def server(built_root):
    with running_server(built_root, env={"ECOGRAPH_QUERY_TIMEOUT_S": "3"}) as (base, _):
        yield base


def _get(url: str, accept: str = "application/sparql-results+json"):
    req = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_sparqlwrapper_select_and_construct(server):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    sw = SPARQLWrapper(server + "/sparql")
    sw.setQuery("SELECT ?round ?adopted WHERE { ?o ecograph:call ?c ; ecograph:adopted ?adopted . "
                "?c dcterms:isPartOf program:10 ; ecograph:callNumber ?round ; a ecograph:Call } ORDER BY ?round")
    sw.setReturnFormat(JSON)
    rows = sw.queryAndConvert()["results"]["bindings"]
    assert [int(r["adopted"]["value"]) for r in rows] == [7, 10, 14, 9, 17, 5, 5]
    sw.setQuery("CONSTRUCT { program:13 ?p ?o } WHERE { program:13 ?p ?o }")
    sw.setReturnFormat(TURTLE)
    body = sw.queryAndConvert()
    assert b"@prefix program: <https://w3id.org/ecograph/id/program/>" in body and b"program:13" in body  # the project's prefixes
    graph = rdflib.Graph().parse(data=body, format="turtle")
    assert rdflib.URIRef("https://w3id.org/ecograph/id/program/13") in set(graph.subjects()) and len(graph) > 10


def test_rdflib_sparqlstore(server):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(server + "/sparql"))
    rows = list(graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?p <https://w3id.org/ecograph/ontology#programNumber> ?x }"))
    assert int(rows[0][0]) == 35


def test_service_load_and_from_never_connect(server):
    listener = Listener()
    target = f"http://127.0.0.1:{listener.port}/"
    try:
        for query, method in ((f"SELECT * WHERE {{ SERVICE <{target}sparql> {{ ?s ?p ?o }} }}", "GET"),
                              (f"SELECT * FROM <{target}data.ttl> WHERE {{ ?s ?p ?o }}", "GET"),
                              (f"SELECT * FROM NAMED <{target}data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", "GET"),
                              (f"LOAD <{target}data.ttl>", "POST")):
            if method == "GET":
                status, body = _get(server + "/sparql?" + urllib.parse.urlencode({"query": query}))
            else:
                req = urllib.request.Request(server + "/sparql", data=urllib.parse.urlencode({"update": query}).encode())
                try:
                    with urllib.request.urlopen(req, timeout=10) as r:
                        status, body = r.status, r.read()
                except urllib.error.HTTPError as e:
                    status, body = e.code, e.read()
            assert status in (400, 403), (query, status, body)
        status, _ = _get(server + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}", "default-graph-uri": target + "g"}))
        assert status == 400
        time.sleep(0.5)
        assert listener.connections == 0
    finally:
        listener.close()


def test_explosive_query_is_stopped_while_a_simple_one_answers(server):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    outcome = {}

    def run_heavy():
        outcome["heavy"] = _get(server + "/sparql?" + urllib.parse.urlencode({"query": heavy}))[0]

    thread = threading.Thread(target=run_heavy)
    thread.start()
    time.sleep(0.3)
    status, body = _get(server + "/sparql?" + urllib.parse.urlencode({"query": "ASK { program:13 ?p ?o }"}))
    # the order of events, not a time: the simple query was answered while the explosive one was still running
    assert thread.is_alive(), "the simple query waited for the explosive one"
    thread.join(30)
    assert status == 200 and json.loads(body)["boolean"] is True
    assert outcome["heavy"] == 503
    # the worker whose query passed the limit ends (its runaway query with it) and the arbiter forks a new one
    assert _restarts_reach(server, 1)


def _restarts_reach(base: str, n: int) -> bool:
    """Whether /healthz's worker_restarts reaches n (a worker that ends first closes its connections: soon, not at once)."""
    for _ in range(100):
        if json.loads(_get(base + "/healthz", "application/json")[1])["worker_restarts"] >= n:
            return True
        time.sleep(0.1)
    return False


def test_engine_crash_does_not_take_the_server_down(server):
    # nested below the guard's depth limit does not crash; a crash is simulated by killing a worker's engine:
    # the guard refuses the deep query that crashes pyoxigraph, and the server keeps answering.
    deep = "SELECT * WHERE { " + "FILTER NOT EXISTS { " * 3000 + "?s ?p ?o" + " }" * 3000 + " }"
    req = urllib.request.Request(server + "/sparql", data=deep.encode(), headers={"Content-Type": "application/sparql-query"})
    try:
        urllib.request.urlopen(req, timeout=30)
        status = 200
    except urllib.error.HTTPError as e:
        status = e.code
    assert status == 400
    assert _get(server + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}))[0] == 200


def _server_pid(port: int) -> int:
    import subprocess

    return int(subprocess.run(["pgrep", "-f", "--", f"--port {port}"], capture_output=True, text=True, check=True).stdout.split()[0])


def _children(pid: int) -> list[int]:
    import subprocess

    return [int(c) for c in subprocess.run(["pgrep", "-P", str(pid)], check=False, capture_output=True, text=True).stdout.split()]


def _query_workers(pid: int) -> list[int]:
    """The server's HTTP workers, which run the queries: the arbiter's forked children (the same command line as
    the arbiter's), never a process a worker spawned (a validation holder) nor the resource tracker."""
    workers = []
    for child in _children(pid):
        with open(f"/proc/{child}/cmdline", "rb") as f:
            cmdline = f.read().replace(b"\0", b" ")
        if b"multiprocessing" not in cmdline:
            workers.append(child)
    return workers


def _wait_dead(pid: int) -> None:
    """Until the process has ended as a whole: a killed multi-threaded process shows its main thread as a zombie
    while its other threads (the engine's) are still ending, and only then closes its pipe to the server."""
    import os

    for _ in range(200):
        try:
            with open(f"/proc/{pid}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
            if state in ("Z", "X") and len(os.listdir(f"/proc/{pid}/task")) <= 1:
                return
        except (FileNotFoundError, ProcessLookupError):  # reaped before the open, or between the open and the read
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} did not die")


def test_a_worker_killed_from_outside_is_replaced_and_the_next_query_answers(built_root):
    """kill -9 every HTTP worker while idle (an operator, the OOM killer): the arbiter forks new ones, the next
    queries answer 200, and /metrics counts the two that died."""
    import os
    import signal

    with running_server(built_root, env={"ECOGRAPH_WORKERS": "2"}) as (base, port):
        ask = base + "/sparql?" + urllib.parse.urlencode({"query": "ASK { program:13 ?p ?o }"})
        assert _get(ask)[0] == 200
        pid = _server_pid(port)
        workers = _query_workers(pid)
        assert len(workers) == 2, workers
        for worker in workers:
            os.kill(worker, signal.SIGKILL)
        for worker in workers:  # the signal is delivered asynchronously: wait until the kernel has ended them
            _wait_dead(worker)
        for attempt in range(4):  # the connections wait in the socket's queue until a new worker takes them
            # a different text each time, so that the answer cache cannot answer for the workers
            status, body = _get(base + "/sparql?" + urllib.parse.urlencode({"query": f"ASK {{ program:13 ?p ?o }} # {attempt}"}))
            assert status == 200, (attempt, body)
            assert json.loads(body)["boolean"] is True
        assert _restarts_reach(base, 2)
        survivors = _query_workers(pid)
        assert len(survivors) == 2 and not set(survivors) & set(workers)
        metrics = _get(base + "/metrics", "text/plain")[1].decode()
        assert "ecograph_query_engine_crashes_total 2.0" in metrics.splitlines()


def test_a_worker_killed_during_a_query_closes_its_connection_and_the_server_goes_on(built_root):
    """A worker that dies while it answers (an engine crash: a segmentation fault takes the whole process) costs
    that worker only: the client sees its connection close, not a hang, and the next query is answered."""
    import http.client
    import os
    import signal

    with running_server(built_root, env={"ECOGRAPH_WORKERS": "1", "ECOGRAPH_QUERY_TIMEOUT_S": "20"}) as (base, port):
        assert _get(base + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}))[0] == 200
        heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        outcome = {}

        def run_heavy():
            try:
                outcome["r"] = _get(base + "/sparql?" + urllib.parse.urlencode({"query": heavy}))
            except (http.client.HTTPException, ConnectionError, urllib.error.URLError) as exc:
                outcome["error"] = exc

        thread = threading.Thread(target=run_heavy)
        thread.start()
        time.sleep(1.0)
        assert thread.is_alive(), "the heavy query should still be running"
        (worker,) = _query_workers(_server_pid(port))
        os.kill(worker, signal.SIGKILL)
        thread.join(30)
        assert not thread.is_alive() and "r" not in outcome, outcome
        assert isinstance(outcome["error"], (http.client.RemoteDisconnected, ConnectionError, urllib.error.URLError)), outcome
        assert _get(base + "/sparql?" + urllib.parse.urlencode({"query": "ASK { program:13 ?p ?o }"}))[0] == 200
        assert _restarts_reach(base, 1)


def test_serve_on_disk_answers_as_serve_in_memory(server, built_root):
    """`serve --storage disk` (the on-disk store, opened read-only by spawned workers) gives the answers of the
    default in-memory store (forked workers), for every named query."""
    from ecograph.queries import catalogue

    names = sorted(catalogue())
    with running_server(built_root, args=("--storage", "disk")) as (disk, _):
        for name in names:
            a = _get(f"{server}/queries/{name}?format=json")
            b = _get(f"{disk}/queries/{name}?format=json")
            assert a[0] == b[0] == 200, name
            assert _rows(a[1]) == _rows(b[1]), name


def _rows(body: bytes) -> list[str]:
    """The rows of a JSON result, in no order; a GROUP_CONCAT's parts (space-separated keys) in no order either:
    the two stores read the data in different orders, and SPARQL fixes neither."""
    def term(t: dict) -> dict:
        if t["type"] == "literal" and "xml:lang" not in t and "datatype" not in t:
            return {**t, "value": " ".join(sorted(t["value"].split(" ")))}
        return t
    return sorted(json.dumps({k: term(v) for k, v in b.items()}, sort_keys=True) for b in json.loads(body)["results"]["bindings"])


def test_a_worker_ending_after_a_timeout_finishes_what_it_was_answering(built_root):
    """One worker: a request is half sent when another passes the time limit. The worker answers the 503, stops
    taking connections, and still answers the half-sent request once the rest of it arrives; then it is replaced."""
    with running_server(built_root, env={"ECOGRAPH_WORKERS": "1"}) as (base, port):
        query = b"ASK { program:13 ?p ?o }"
        head = (f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/sparql-query\r\n"
                f"Accept: application/sparql-results+json\r\nContent-Length: {len(query)}\r\nConnection: close\r\n\r\n").encode()
        with socket.create_connection(("127.0.0.1", port), timeout=30) as slow:
            slow.sendall(head + query[:5])
            assert _get(base + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}))[0] == 200  # the worker has read it
            heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
            status, body = _get(base + "/sparql?" + urllib.parse.urlencode({"query": heavy, "timeout": "0.5"}))
            assert status == 503 and json.loads(body) == {  # the one error shape, written by the watchdog
                "ok": False, "status": 503, "error": "the query was stopped at the time limit of 0.5 s",
                "hint": "Make the query more selective, or ask for fewer rows with LIMIT."}
            slow.sendall(query[5:])
            answer = b""
            while chunk := slow.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["boolean"] is True
        assert _restarts_reach(base, 1)
        assert _get(base + "/sparql?" + urllib.parse.urlencode({"query": "ASK { program:13 ?p ?o } # after"}))[0] == 200
        lines = _get(base + "/metrics", "text/plain")[1].decode().splitlines()
        assert "ecograph_query_timeouts_total 1.0" in lines  # counted once, by the watchdog
        assert 'ecograph_http_requests_total{method="GET",path="/sparql",status="503"} 1.0' in lines


def test_metrics_are_summed_over_the_http_workers(built_root):
    """Each request is counted once, whichever worker answered it and whichever answers the scrape."""
    with running_server(built_root, env={"ECOGRAPH_WORKERS": "2"}) as (base, _):
        for i in range(30):  # a fresh connection each: the kernel hands them to either worker
            assert _get(base + "/sparql?" + urllib.parse.urlencode({"query": f"ASK {{}} # {i}"}))[0] == 200
        for _ in range(5):
            lines = _get(base + "/metrics", "text/plain")[1].decode().splitlines()
            assert 'ecograph_http_requests_total{method="GET",path="/sparql",status="200"} 30.0' in lines
            assert "ecograph_query_workers 2.0" in lines
            assert 'ecograph_query_cache_requests_total{result="miss"} 30.0' in lines


def test_a_busy_port_is_a_clear_error_and_leaves_nothing_behind(built_root):
    """`serve` on a port already taken: exit status 2 with what to do, and no metrics folder left in the temp dir."""
    import os
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    def folders():
        return set(Path(tempfile.gettempdir()).glob("ecograph-metrics-*"))

    before = folders()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "ecograph.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                              env={**os.environ, "ECOGRAPH_ROOT": str(built_root)}, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "--port" in done.stderr
    assert folders() <= before
