"""The processes of ours that hold something loaded once (the query store, the validation reference): started
with `spawn`, waited for until they say they are ready, and ended by their process id. Shared by workers.py and
http/validation_workers.py."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal

from ecograph.errors import EcographError


def end(process, conn) -> None:
    """Kill a process of ours, wait for it, close its pipe."""
    if process.is_alive():
        process.kill()
    process.join(5)
    conn.close()


def kill(pid: int) -> None:
    """Stop a process of ours by its id (one a holder forked, when the holder is gone), if it is still there."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def start_holder(target, args: tuple, timeout_s: float, what: str, name: str | None = None):
    """Spawn target(*args, conn) and wait for its first word, (kind, payload): (process, conn, kind, payload).
    A holder that does not answer within timeout_s, or dies first, is ended and an EcographError names what it
    was loading (what: "the store", "the validation service")."""
    ctx = mp.get_context("spawn")
    conn, child = ctx.Pipe()
    process = ctx.Process(target=target, args=(*args, child), daemon=True, name=name)
    process.start()
    child.close()
    if not conn.poll(timeout_s):
        end(process, conn)
        raise EcographError(f"{what} did not start within {timeout_s:g} s")
    try:
        kind, payload = conn.recv()
    except EOFError as exc:
        end(process, conn)
        raise EcographError(f"the process starting {what} died (out of memory?)") from exc
    return process, conn, kind, payload
