"""The `wire` peer of the benchmark: raw pyoxigraph behind the Python standard library's HTTP server, and nothing
else. `python -m benchmarks.wire PORT FILE` loads the N-Quads file into an in-memory store, then two processes
(forked after the load, so they share it, as ecograph's and the bare peer's) answer HTTP/1.1 with keep-alive, one
thread per connection, each query on its connection's own thread: no framework, no WSGI, no hand-over between
threads, no guard, time limit, row cap, cache, metrics or content negotiation.

It is asked exactly what raw pyoxigraph is asked: GET /queries/NAME runs the named query with its default
parameters as substitutions and the project's prefixes (benchmarks/workload.py; of those, pyoxigraph is given the
ones the text may use, as by ecograph's workers and the in-process engine);
GET /sparql?query= runs a point lookup. The answer is what pyoxigraph writes: SPARQL JSON results, or Turtle for
a graph. So its "ms added over raw pyoxigraph" is what answering over loopback HTTP costs on this machine with the
benchmark's client and nothing more: the part of ecograph's added time that no HTTP server takes away (issue 15)."""

from __future__ import annotations

import os
import signal
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pyoxigraph as ox

from benchmarks.workload import named_queries
from ecograph.engine.stores import prefixes_used
from ecograph.namespaces import PREFIX_MAP
from ecograph.rdf.terms import to_ox
from ecograph.settings import PROJECT_ROOT

PROCESSES = 2
JSON = "application/sparql-results+json"


def jobs() -> dict[str, tuple[str, dict]]:
    """Each named query (the point lookups aside) as raw pyoxigraph runs it: its text and its substitutions."""
    return {q.name: (q.text, {ox.Variable(k): to_ox(v) for k, v in q.substitutions.items()})
            for q in named_queries(PROJECT_ROOT / "queries") if q.group != "point"}


def query(store: ox.Store, text: str, substitutions: dict | None = None):
    """pyoxigraph's result of a query over the union of the graphs, given the project's prefixes the text may use
    (as ecograph's workers give them): how raw pyoxigraph is asked, in process (benchmarks/inprocess.py) and here."""
    return store.query(text, prefixes=prefixes_used(text, PREFIX_MAP), substitutions=substitutions or None,
                       use_default_graph_as_union=True)


def answer(store: ox.Store, text: str, substitutions: dict | None = None) -> tuple[bytes, str]:
    """What pyoxigraph writes for a query over the union of the graphs: (body, Content-Type)."""
    result = query(store, text, substitutions)
    if isinstance(result, ox.QueryTriples):
        return result.serialize(format=ox.RdfFormat.TURTLE), "text/turtle"
    return result.serialize(format=ox.QueryResultsFormat.JSON), JSON


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    disable_nagle_algorithm = True  # the head and the body are two writes
    store: ClassVar[ox.Store]  # set once, before the server starts
    named: ClassVar[dict[str, tuple[str, dict]]]

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        try:
            if path.startswith("/queries/") and path[len("/queries/"):] in self.named:
                body, kind = answer(self.store, *self.named[path[len("/queries/"):]])
            elif path == "/sparql" and (text := urllib.parse.parse_qs(query).get("query")):
                body, kind = answer(self.store, text[0])
            elif path == "/healthz":
                body, kind = b'{"ok": true}', "application/json"
            else:
                self.send_error(404)
                return
        except (SyntaxError, OSError, ValueError) as exc:  # pyoxigraph's errors: a bad query, or an evaluation error
            self.send_error(500, explain=str(exc)[:500])
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:
        pass  # no access log: the peer does nothing a request does not need


def main(argv: list[str]) -> None:
    port, data = int(argv[0]), argv[1]
    Handler.store = ox.Store()
    Handler.store.bulk_load(path=data, format=ox.RdfFormat.N_QUADS)
    Handler.named = jobs()
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    children = []
    for _ in range(PROCESSES - 1):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            server.serve_forever()
            os._exit(0)
        children.append(pid)

    def stop(signum, frame):
        for pid in children:
            os.kill(pid, signal.SIGTERM)
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
