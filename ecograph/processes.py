"""The processes of ours that hold something loaded once (the query store, the validation reference): started
with `spawn`, waited for until they say they are ready, and ended by their process id. Shared by workers.py and
http/validation_workers.py."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading

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


class HolderProcess:
    """A process of ours that loads something once (the query store, the validation reference) and forks children
    that share it. Spawned, then waited for until its first word, (kind, payload), kept in `started`; a holder that
    does not answer within timeout_s, or dies first, is ended and an EcographError names what it was loading.

    The pipe protocol its target speaks: ("fork",) followed by a pipe end sent as a handle, answered with the new
    child's pid; ("kill", pid), answered when the child is killed and reaped."""

    def __init__(self, target, args: tuple, timeout_s: float, what: str, name: str | None = None):
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=target, args=(*args, child), daemon=True, name=name)
        self.process.start()
        child.close()
        self._lock = threading.Lock()
        if not self.conn.poll(timeout_s):
            self.close()
            raise EcographError(f"{what} did not start within {timeout_s:g} s")
        try:
            self.started = self.conn.recv()
        except EOFError as exc:
            self.close()
            raise EcographError(f"the process starting {what} died (out of memory?)") from exc

    def alive(self) -> bool:
        return self.process.is_alive()

    def fork_child(self):
        """(pid, the server's end of its pipe) of a child the holder forks; EOFError or OSError when it is gone."""
        from multiprocessing.connection import Pipe
        from multiprocessing.reduction import send_handle

        ours, theirs = Pipe()
        try:
            with self._lock:
                self.conn.send(("fork",))
                send_handle(self.conn, theirs.fileno(), self.process.pid)
                pid = self.conn.recv()
        except (EOFError, OSError):
            ours.close()
            raise
        finally:
            theirs.close()
        return pid, ours

    def kill(self, pid: int) -> None:
        """Kill (and reap) a child, through the holder, or by its id when the holder is gone."""
        try:
            with self._lock:
                self.conn.send(("kill", pid))
                self.conn.recv()
        except (EOFError, OSError):  # the holder is gone: the orphan is ours to stop
            kill(pid)

    def close(self) -> None:
        end(self.process, self.conn)
