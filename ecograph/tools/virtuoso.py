"""Virtuoso Open Source (Debian's virtuoso-opensource-7) as a store behind ecograph: write a configuration that
listens on loopback only, start it, bulk-load a build with its named graphs, stop it by its process id.

    python -m ecograph.tools.virtuoso up [--dir .virtuoso] [--http 8890] [--isql 1111]   # start and load dist/
    python -m ecograph.tools.virtuoso status | down

`scripts/virtuoso` installs the Debian package first. `ecograph load --into isql://127.0.0.1:1111` loads a build
into a running Virtuoso with its bulk loader (ld_dir + rdf_loader_run), never row by row."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from ecograph.errors import EcographError, UsageError

BINARY = "virtuoso-t"
ISQL = "isql-vt"

CONFIG = """\
; written by ecograph (ecograph/tools/virtuoso.py): loopback only
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql}
ServerThreads = 20
CheckpointInterval = 60
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = {allowed}
MaxQueryMem = 2G
VectorSize = 1000

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerThreads = 20
MaxClientConnections = 20
KeepAliveTimeout = 10

[SPARQL]
ResultSetMaxRows = 10000000
; ecograph's front enforces its own time limit; this stops the engine's work as well. Virtuoso answers a query
; stopped here with a partial result marked X-SQL-State: S1TAT, which ecograph turns into a 503.
MaxQueryExecutionTime = {max_seconds}
MaxQueryCostEstimationTime = 0
"""


_STARTED: dict[int, subprocess.Popen] = {}  # the servers this process started, kept until stopped


class VirtuosoError(EcographError):
    status = 503
    exit_code = 2
    hint = "See the Virtuoso log in the state folder (virtuoso.log); scripts/virtuoso installs and starts it."


def _state(directory: Path) -> dict:
    path = directory / "state.json"
    return json.loads(path.read_text()) if path.exists() else {}


def endpoint(directory: Path) -> str:
    state = _state(directory)
    if not state:
        raise VirtuosoError(f"no Virtuoso was started in {directory}")
    return f"http://127.0.0.1:{state['http']}/sparql"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def start(directory: Path, http: int, isql: int, allowed: list[Path], max_seconds: int = 30, memory_gb: float = 2.0) -> dict:
    """Start Virtuoso with a fresh loopback-only configuration in directory; returns its state (pid, ports)."""
    if shutil.which(BINARY) is None:
        raise VirtuosoError(f"{BINARY} is not installed", "Run scripts/virtuoso up (it installs Debian's virtuoso-opensource-7-bin).")
    directory = directory.resolve()
    directory.mkdir(parents=True, exist_ok=True)
    old = _state(directory)
    if old and _alive(old["pid"]):
        raise VirtuosoError(f"a Virtuoso already runs from {directory} (pid {old['pid']})", "Stop it first: scripts/virtuoso down")
    buffers = int(memory_gb * 1024 * 1024 * 1024 * 0.66 / 8000)  # Virtuoso's own rule: 8 KB pages, 2/3 of the memory
    (directory / "virtuoso.ini").write_text(CONFIG.format(
        dir=directory, isql=isql, http=http, buffers=buffers, dirty=buffers * 3 // 4, max_seconds=max_seconds,
        allowed=", ".join([str(directory), *(str(p.resolve()) for p in allowed)])))
    with (directory / "server.out").open("wb") as log:
        proc = subprocess.Popen([BINARY, "+configfile", str(directory / "virtuoso.ini"), "+foreground"], cwd=directory,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    _STARTED[proc.pid] = proc
    state = {"pid": proc.pid, "http": http, "isql": isql}
    (directory / "state.json").write_text(json.dumps(state))
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise VirtuosoError(f"Virtuoso stopped at start: {(directory / 'server.out').read_text(errors='replace')[-800:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{http}/sparql?query=ASK%7B%7D", timeout=2):
                return state
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    stop(directory)
    raise VirtuosoError("Virtuoso did not answer within 120 s")


def stop(directory: Path) -> bool:
    """Stop the Virtuoso started from directory, by its process id; True if one was running."""
    state = _state(directory.resolve())
    if not state or not _alive(state["pid"]):
        return False
    os.kill(state["pid"], signal.SIGTERM)
    proc = _STARTED.pop(state["pid"], None)
    if proc is not None:  # started here: wait for it as its parent
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        return True
    for _ in range(300):
        if not _alive(state["pid"]):
            break
        try:
            os.waitpid(state["pid"], os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.1)
    else:
        os.kill(state["pid"], signal.SIGKILL)
    return True


def _isql(address: str, commands: str, user: str, password: str, timeout: float = 3600) -> str:
    if shutil.which(ISQL) is None:
        raise VirtuosoError(f"{ISQL} is not installed", "Run scripts/virtuoso up (it installs Debian's virtuoso-opensource-7-bin).")
    result = subprocess.run([ISQL, address, user, password, "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ERRORS=STDOUT",
                             f"EXEC={commands}"], check=False, capture_output=True, text=True, timeout=timeout)
    out = result.stdout + result.stderr
    if result.returncode != 0 or re.search(r"\*\*\* Error|^Error ", out, re.MULTILINE):
        raise VirtuosoError(f"isql at {address} failed: {out.strip()[-600:]}")
    return out


def bulk_load(into: str, dist: Path, user: str = "dba", password: str | None = None) -> dict[str, int]:
    """Load dist/dataset.nq into the Virtuoso at into (isql://host:port) with its bulk loader, replacing the
    build's graphs; returns the triples per graph, checked against the build's own counts."""
    match = re.fullmatch(r"isql://([^:/]+):(\d+)/?", into)
    if not match:
        raise UsageError(f"cannot load into '{into}'", "Give Virtuoso's isql address, for example isql://127.0.0.1:1111.")
    address = f"{match.group(1)}:{match.group(2)}"
    password = password if password is not None else os.environ.get("ECOGRAPH_VIRTUOSO_PASSWORD", "dba")
    release = dist.resolve()
    if not (release / "dataset.nq").exists():
        raise UsageError(f"there is no build in {dist}", "Run `ecograph build` first.")
    counts: dict[str, int] = json.loads((release / "build.json").read_text(encoding="utf-8"))["graphs"]
    folder = str(release).replace("'", "''")
    clear = " ".join(f"DELETE FROM DB.DBA.RDF_QUAD WHERE G = iri_to_id('{g}');" for g in sorted(counts))
    _isql(address, f"log_enable(3,1); {clear} DELETE FROM DB.DBA.load_list WHERE ll_file LIKE '{folder}/%'; "
                   f"ld_dir('{folder}', 'dataset.nq', 'urn:x-ecograph:unused'); rdf_loader_run(); checkpoint;", user, password)
    errors = _isql(address, f"SELECT ll_error FROM DB.DBA.load_list WHERE ll_file LIKE '{folder}/%' AND ll_error IS NOT NULL;", user, password)
    if "Error" in errors or "SP0" in errors:
        raise VirtuosoError(f"Virtuoso's bulk loader reported: {errors.strip()[-600:]}")
    loaded = {}
    for g in sorted(counts):
        out = _isql(address, f"SELECT COUNT(*) FROM DB.DBA.RDF_QUAD WHERE G = iri_to_id('{g}');", user, password)
        numbers = re.findall(r"^\s*(\d+)\s*$", out, re.MULTILINE)
        loaded[g] = int(numbers[-1]) if numbers else -1
    wrong = {g: (counts[g], n) for g, n in loaded.items() if n != counts[g]}
    if wrong:
        raise VirtuosoError(f"after loading, the graphs hold other counts than the build: {wrong}")
    return loaded


def main(argv: list[str] | None = None) -> None:
    from ecograph.settings import load_settings

    parser = argparse.ArgumentParser(description="Run Virtuoso on loopback for ecograph: up (start and load the build), status, down.")
    parser.add_argument("action", choices=["up", "down", "status"])
    parser.add_argument("--dir", type=Path, default=None, help="State folder (default: ROOT/.virtuoso).")
    parser.add_argument("--http", type=int, default=int(os.environ.get("ECOGRAPH_VIRTUOSO_HTTP", "8890")), help="HTTP port (127.0.0.1).")
    parser.add_argument("--isql", type=int, default=int(os.environ.get("ECOGRAPH_VIRTUOSO_ISQL", "1111")), help="isql port (127.0.0.1).")
    parser.add_argument("--no-load", action="store_true", help="Start without loading dist/.")
    args = parser.parse_args(argv)
    settings = load_settings()
    directory = args.dir or settings.root / ".virtuoso"
    if args.action == "down":
        print("stopped" if stop(directory) else "not running")
        return
    if args.action == "status":
        state = _state(directory.resolve())
        running = bool(state) and _alive(state["pid"])
        print(json.dumps({"running": running, **({"endpoint": endpoint(directory), "pid": state["pid"]} if running else {})}))
        return
    state = start(directory, args.http, args.isql, allowed=[settings.root / ".dist"])
    print(f"Virtuoso {state['pid']} on http://127.0.0.1:{state['http']}/sparql (isql 127.0.0.1:{state['isql']})")
    if not args.no_load:
        loaded = bulk_load(f"isql://127.0.0.1:{state['isql']}", settings.dist)
        print(f"loaded {sum(loaded.values())} triples in {len(loaded)} graphs; serve with: ecograph --store {endpoint(directory)} serve")


if __name__ == "__main__":
    main()
