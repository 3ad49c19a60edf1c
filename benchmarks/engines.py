"""The engines, each serving the same N-Quads file:

- `ecograph`: a real `ecograph serve --data FILE` subprocess (waitress, query workers over the pyoxigraph store it
  makes from the file: forked from the process holding it in memory, or over an on-disk store, as its storage
  setting says), queried over loopback HTTP: named queries at /queries/NAME; as shipped, with its answer cache, so
  a repeated query is answered from memory;
- `ecograph-uncached`: the same with the answer cache off (ECOGRAPH_QUERY_CACHE_BYTES=0): every run is engine work;
- `pyoxigraph`, `pyoxigraph-json`, `pyoxigraph-disk` and `rdflib`: in process, each in a child process
  (benchmarks/inprocess.py);
- `rdflib-endpoint`: `python -m rdflib_endpoint serve FILE` (uvicorn; an rdflib Dataset with a union default
  graph), queried over loopback HTTP with the parameters written into the text;
- `bare`: benchmarks/bare.py, the least an endpoint over pyoxigraph can be (Flask under gunicorn, two pre-forked
  workers), queried over loopback HTTP like rdflib-endpoint: what ecograph's request path costs beyond serving;
- `wire`: benchmarks/wire.py, raw pyoxigraph behind the standard library's HTTP server, asked what raw pyoxigraph
  is asked (named queries at /queries/NAME): what answering over loopback HTTP costs at the least on this machine;
- `virtuoso` and `ecograph-virtuoso`: Virtuoso's own endpoint, and ecograph's front over it (benchmarks/virtuoso.py).

Every server listens on 127.0.0.1 and is started and stopped by its process id. What every engine shares (an
outcome, memory by process) is here too."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from benchmarks.workload import Named

JSON_RESULTS = "application/sparql-results+json"
SLACK_S = 2.0  # beyond the time limit, before the client gives up on an engine that does not stop by itself


@dataclass
class Outcome:
    """One run of one query: ok (with its row count), limit (stopped at the time limit) or error."""

    status: str
    seconds: float
    rows: int | None = None
    message: str = ""
    stuck: bool = False  # the engine may still be working on it: it must be started again before the next query
    cache: str | None = None  # ecograph's X-Ecograph-Cache answer (hit or miss)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def vm_kib(pid: int, field: str = "VmHWM") -> int:
    """A memory figure of one process from /proc (VmHWM: its peak resident memory; VmRSS: now), in KiB; 0 once
    it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kib(pid: int) -> int:
    """The proportional set size of one process (a page shared by n processes counts 1/n in each), in KiB; 0 once
    it is gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _cmdline(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def role(pid: int) -> str:
    """What a process of an engine is, from its command line (no paths kept). `ecograph serve` on the embedded store
    is an arbiter ("main") and HTTP workers forked from it (the same command line, the arbiter as parent), each
    holding the store and running its queries; a store served otherwise has spawned holders and query workers."""
    cmd = _cmdline(pid)
    if cmd is None:
        return "gone"
    if "spawn_main" not in cmd and _cmdline(_parent(pid)) == cmd:
        return "HTTP worker"
    if "resource_tracker" in cmd:
        return "multiprocessing resource tracker"
    if "virtuoso-t" in cmd:
        return "virtuoso"
    if "spawn_main" in cmd:
        if "spawn_main" in (_cmdline(_parent(pid)) or ""):
            return "query worker"
        children = descendants(pid)
        return "holder" if any("spawn_main" in (_cmdline(c) or "") for c in children) else "query worker"
    return "main"


class Memory:
    """The memory of an engine's processes: peak (VmHWM, the largest seen, across restarts), now (VmRSS), and the
    peak of their summed PSS (each shared page counted once in all: the memory they really use together)."""

    peak_kib = 0
    pss_peak_kib = 0

    def pids(self) -> list[int]:
        raise NotImplementedError

    def rss_kib(self) -> int:
        """The summed VmHWM of its processes (for ecograph: the server and its workers), the largest seen so far;
        samples the summed PSS as well."""
        self.peak_kib = max(self.peak_kib, sum(vm_kib(p) for p in self.pids()))
        self.pss_kib()
        return self.peak_kib

    def rss_now_kib(self) -> int:
        return sum(vm_kib(p, "VmRSS") for p in self.pids())

    def pss_kib(self) -> int:
        """The summed PSS of its processes now; the largest seen is kept in pss_peak_kib."""
        now = sum(pss_kib(p) for p in self.pids())
        self.pss_peak_kib = max(self.pss_peak_kib, now)
        return now

    def processes(self) -> list[dict]:
        return [{"role": role(p), "peak_mib": round(vm_kib(p) / 1024, 1), "rss_mib": round(vm_kib(p, "VmRSS") / 1024, 1),
                 "pss_mib": round(pss_kib(p) / 1024, 1)} for p in self.pids()]

    def finish(self) -> None:
        """After the engine's last stop (Virtuoso drops its database here)."""


def descendants(pid: int) -> list[int]:
    """The process ids below pid (children, their children, …), from /proc."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found.extend(children)
            todo.extend(children)
    return found


def alive(pid: int) -> bool:
    """True while pid is a running process (a zombie counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


# ------------------------------------------------------------------ HTTP

class Client:
    """One keep-alive HTTP connection to 127.0.0.1:port (one per client thread)."""

    def __init__(self, port: int):
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None, headers: dict, timeout: float) -> tuple[int, bytes, dict]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        self.conn.timeout = timeout
        if self.conn.sock is not None:
            self.conn.sock.settimeout(timeout)
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
            if response.will_close:
                self.close()
            return response.status, data, {k.lower(): v for k, v in response.getheaders()}
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


@dataclass
class Request:
    """An HTTP request of the workload, and what a good answer is."""

    method: str
    path: str
    body: bytes | None
    headers: dict
    limit_statuses: tuple[int, ...] = ()  # statuses that mean "stopped at the time limit" (ecograph: 503)
    stopped: Callable[[dict], bool] | None = None  # from the headers: a partial answer stopped at the limit (Virtuoso)


def count_rows(data: bytes) -> int:
    """The rows of a SPARQL JSON result (1 for an ASK)."""
    doc = json.loads(data)
    return 1 if "boolean" in doc else len(doc["results"]["bindings"])


def count_triples(data: bytes, content_type: str | None) -> int | None:
    """The triples of an RDF answer in the syntax its Content-Type names (None for one pyoxigraph does not read)."""
    syntax = ox.RdfFormat.from_media_type((content_type or "").split(";")[0].strip())
    return None if syntax is None else sum(1 for _ in ox.parse(data, format=syntax))


def timed(client: Client, req: Request, limit: float, graphs: bool = False) -> Outcome:
    """Send one request; the time is the full answer read off the socket (JSON parsing is not counted). With graphs,
    an answer that is not SPARQL JSON results has its triples counted (after the time is taken)."""
    started = time.perf_counter()
    try:
        status, data, headers = client.request(req.method, req.path, req.body, req.headers, limit + SLACK_S)
    except TimeoutError:
        return Outcome("limit", time.perf_counter() - started, message="no answer within the time limit", stuck=True)
    except (OSError, http.client.HTTPException) as exc:
        return Outcome("error", time.perf_counter() - started, message=f"{type(exc).__name__}: {exc}", stuck=True)
    took = time.perf_counter() - started
    if status in req.limit_statuses or took >= limit:
        return Outcome("limit", took, message=f"HTTP {status}")
    if req.stopped is not None and req.stopped(headers):
        return Outcome("limit", took, message="a partial answer, stopped by the engine at its time limit")
    if status != 200:
        return Outcome("error", took, message=f"HTTP {status}: {data[:300].decode(errors='replace')}")
    cache = headers.get("x-ecograph-cache")
    try:
        if req.headers.get("Accept") == JSON_RESULTS:
            return Outcome("ok", took, count_rows(data), cache=cache)
        if graphs:
            return Outcome("ok", took, count_triples(data, headers.get("content-type")), cache=cache)
    except (ValueError, KeyError, SyntaxError) as exc:
        return Outcome("error", took, message=f"unreadable result: {exc}")
    return Outcome("ok", took, None, cache=cache)


class Server(Memory):
    """A server subprocess on a free loopback port, started and stopped by its process id."""

    name = "server"
    http = True

    def __init__(self, data: Path, root: Path, logs: Path, limit: float, name: str | None = None):
        self.data, self.root, self.logs, self.limit = data, root, logs, limit
        self.name = name or self.name
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.started_pids: list[int] = []
        self.peak_kib = 0
        self.restarts = 0
        self.busy = False
        self.load_s: float | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def env(self) -> dict:
        return dict(os.environ)

    def ready_request(self) -> Request:
        raise NotImplementedError

    def floor_request(self) -> Request:
        """The cheapest query there is, ASK {} (it reads no data), on the query endpoint: the HTTP floor's request
        (measure.floors): what every query over HTTP pays at the least."""
        return self.ready_request()

    def start(self, timeout: float = 3600) -> float:
        """Start the server and wait until it answers; returns the seconds from spawn to the first answer."""
        self.port = free_port()
        self.logs.mkdir(parents=True, exist_ok=True)
        log = self.logs / f"{self.name}-{self.port}.log"
        started = time.perf_counter()
        with log.open("wb") as out:
            self.proc = subprocess.Popen(self.command(), env=self.env(), stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, cwd=str(self.root))
        self.started_pids.append(self.proc.pid)
        client = Client(self.port)
        while True:
            try:
                req = self.ready_request()
                status, _, _ = client.request(req.method, req.path, req.body, req.headers, 10)
                if status == 200:
                    break
            except (OSError, http.client.HTTPException):
                client.close()
            if self.proc.poll() is not None or time.perf_counter() - started > timeout:
                self.stop()
                raise RuntimeError(f"{self.name} did not start; its log:\n" + log.read_text(errors="replace")[-3000:])
            time.sleep(0.1)
        client.close()
        took = time.perf_counter() - started
        if self.load_s is None:
            self.load_s = took
        self.started_pids.extend(descendants(self.proc.pid))
        return took

    def pids(self) -> list[int]:
        return [self.proc.pid, *descendants(self.proc.pid)] if self.proc and self.proc.poll() is None else []

    def stop(self, force: bool = False) -> None:
        """SIGTERM by process id (SIGKILL when forced: it is busy with a query nobody waits for), then SIGKILL
        after a grace time; then any of its processes still running, by id."""
        if self.proc is None:
            return
        self.rss_kib()
        below = descendants(self.proc.pid)
        self.started_pids.extend(p for p in below if p not in self.started_pids)
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL if force else signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        deadline = time.time() + 10
        for pid in below:
            while alive(pid) and time.time() < deadline:
                time.sleep(0.05)
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        self.proc = None

    def restart(self) -> float:
        """After a query was stopped at the limit on the client side (the server may still be busy with it)."""
        self.stop(force=True)
        self.restarts += 1
        self.busy = False
        return self.start()

    # the workload as requests
    def named(self, q: Named) -> Request:
        raise NotImplementedError

    def point(self, text: str, describe: bool) -> Request:
        raise NotImplementedError

    def request(self, q: Named) -> Request:
        """How this engine is asked q: a named query as named(), a point lookup as point()."""
        return self.point(q.text, q.graph) if q.group == "point" else self.named(q)

    def run(self, q: Named, client: Client) -> Outcome:
        return timed(client, self.request(q), self.limit, graphs=True)


class EcographServer(Server):
    """`ecograph serve --data FILE`: its own time limit is set to the benchmark's, and no row limit cuts a result."""

    name = "ecograph"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "ecograph.cli", "--root", str(self.root), "serve", "--data", str(self.data),
                "--host", "127.0.0.1", "--port", str(self.port)]

    def env(self) -> dict:
        env = {**os.environ, "ECOGRAPH_ROOT": str(self.root), "ECOGRAPH_QUERY_TIMEOUT_S": f"{self.limit:g}",
               "ECOGRAPH_MAX_ROWS": "100000000"}
        if self.name == "ecograph-uncached":
            env["ECOGRAPH_QUERY_CACHE_BYTES"] = "0"
        return env

    def ready_request(self) -> Request:
        return Request("GET", "/healthz", None, {"Accept": "application/json"})

    def floor_request(self) -> Request:
        return self.point("ASK {}", False)

    def named(self, q: Named) -> Request:
        return Request("GET", f"/queries/{q.name}?format=json", None, {"Accept": JSON_RESULTS}, (503,))

    def point(self, text: str, describe: bool) -> Request:
        accept = "text/turtle" if describe else JSON_RESULTS
        return Request("GET", "/sparql?" + urllib.parse.urlencode({"query": text}), None, {"Accept": accept}, (503,))



class RdflibEndpointServer(Server):
    """`python -m rdflib_endpoint serve FILE` as its README runs it (uvicorn, one process)."""

    name = "rdflib-endpoint"
    endpoint = "/"  # where it answers SPARQL: named queries are POSTed there with their parameters written in

    def command(self) -> list[str]:
        return [sys.executable, "-m", "rdflib_endpoint", "serve", "--host", "127.0.0.1", "--port", str(self.port), str(self.data)]

    def ready_request(self) -> Request:
        return Request("GET", "/?" + urllib.parse.urlencode({"query": "ASK {}"}), None, {"Accept": JSON_RESULTS})

    def named(self, q: Named) -> Request:
        return Request("POST", self.endpoint, q.inlined.encode("utf-8"),
                       {"Accept": JSON_RESULTS, "Content-Type": "application/sparql-query; charset=utf-8"})

    def point(self, text: str, describe: bool) -> Request:
        accept = "text/turtle" if describe else JSON_RESULTS
        return Request("GET", f"{self.endpoint}?" + urllib.parse.urlencode({"query": text}), None, {"Accept": accept})


class BareServer(RdflibEndpointServer):
    """benchmarks/bare.py under gunicorn (two pre-forked workers of four threads, the store loaded before the fork):
    the least an endpoint over pyoxigraph can be, the peer of ecograph's request path; asked as rdflib-endpoint is."""

    name = "bare"
    endpoint = "/sparql"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "gunicorn", "--preload", "--workers", "2", "--threads", "4", "--bind",
                f"127.0.0.1:{self.port}", "--timeout", f"{self.limit + 30:g}", "--log-level", "warning", "benchmarks.bare:app"]

    def env(self) -> dict:
        return {**os.environ, "BARE_DATA": str(self.data), "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}

    def ready_request(self) -> Request:
        return Request("GET", "/healthz", None, {"Accept": "application/json"})

    def floor_request(self) -> Request:
        return self.point("ASK {}", False)


class WireServer(BareServer):
    """benchmarks/wire.py: raw pyoxigraph behind the standard library's HTTP server (two processes sharing the store,
    a thread per connection): what answering over loopback HTTP costs at the least on this machine. Asked as the
    bare peer is, but its named queries by name (GET /queries/NAME), with the substitutions raw pyoxigraph runs."""

    name = "wire"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "benchmarks.wire", str(self.port), str(self.data)]

    def named(self, q: Named) -> Request:
        return Request("GET", f"/queries/{q.name}", None, {"Accept": JSON_RESULTS})
