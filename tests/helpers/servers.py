"""Test helper: run `ecograph serve` as a real subprocess on a free loopback port, wait until /healthz
answers, and always stop it by its process id."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen, log: Path, timeout_s: float = 60) -> None:
    """Until base/healthz says ok; a clear error with the server's log if it ends or does not answer in time."""
    deadline = time.time() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if json.load(r)["ok"]:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if proc.poll() is not None or time.time() > deadline:
            raise RuntimeError("the server did not start:\n" + log.read_text(errors="replace"))
        time.sleep(0.2)


@contextlib.contextmanager
def running_server(root: Path, args: tuple[str, ...] = (), env: dict | None = None, log: Path | None = None):
    """Yields (base URL, port) of a server for the project at root; the server's output goes to log."""
    port = free_port()
    scratch = None
    if log is None:  # beside the project, never inside it: a run against the checkout leaves no file behind
        scratch = Path(tempfile.mkdtemp(prefix="ecograph-server-"))
        log = scratch / f"server-{port}.log"
    environment = {**os.environ, "ECOGRAPH_ROOT": str(root), **(env or {})}
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "ecograph.cli", "serve", "--host", "127.0.0.1", "--port", str(port), *args],
                                env=environment, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc, log)
        yield base, port
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


class Listener:
    """A loopback socket that counts whatever connects to it (a server must never open a connection to it)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join(2)
        self.sock.close()
