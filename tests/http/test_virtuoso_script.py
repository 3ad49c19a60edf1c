"""The one command of the README's operations section: `scripts/virtuoso serve` installs Virtuoso if missing,
starts it on loopback, bulk-loads the build, serves ecograph on it, and stops Virtuoso when the server ends."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import urllib.parse
import urllib.request

import pytest

from tests.helpers.paths import REPO
from tests.helpers.servers import free_port, wait_healthy


def _status(env: dict) -> dict:
    out = subprocess.run([str(REPO / ".venv" / "bin" / "python"), "-m", "ecograph.tools.virtuoso", "status"], env=env,
                         capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(out.stdout)


def test_scripts_virtuoso_serve_brings_up_both_and_stops_both(built_root, tmp_path):
    if shutil.which("virtuoso-t") is None:
        if os.environ.get("CI"):
            pytest.fail("virtuoso-t is missing: scripts/test installs virtuoso-opensource-7-bin")
        pytest.skip("virtuoso-t is not installed (scripts/test installs it)")
    if not (REPO / ".venv" / "bin" / "python").exists():
        pytest.skip("scripts/virtuoso runs the project's .venv (made by scripts/test)")
    env = {**os.environ, "ECOGRAPH_ROOT": str(built_root), "ECOGRAPH_VIRTUOSO_HTTP": str(free_port()),
           "ECOGRAPH_VIRTUOSO_ISQL": str(free_port())}
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([str(REPO / "scripts" / "virtuoso"), "serve", "--port", str(port)], env=env,
                                stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc, log, timeout_s=180)  # installing and loading come first
        status = _status(env)
        assert status["running"] and status["endpoint"].startswith("http://127.0.0.1:")
        assert status["endpoint"] in log.read_text(errors="replace")  # ecograph serves on that Virtuoso
        query = urllib.parse.urlencode({"query": "ASK { program:13 ?p ?o }", "format": "json"})
        with urllib.request.urlopen(f"{base}/sparql?{query}", timeout=30) as r:
            assert json.load(r)["boolean"] is True
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            subprocess.run([str(REPO / "scripts" / "virtuoso"), "down"], env=env, cwd=REPO, check=False)
    assert proc.returncode == 143, log.read_text(errors="replace")
    assert _status(env) == {"running": False}, "Virtuoso is stopped with the server"
