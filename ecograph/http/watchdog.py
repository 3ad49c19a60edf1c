"""The time limit of a prefork HTTP worker's queries, without a second thread per query (issue 15).

A query runs on the request's own waitress thread (no hand-over to a query thread, which cost two switches of
Python's lock per request). Before it starts, the engine gives the watchdog a ticket with its deadline. If the
query is still running at the deadline, the watchdog answers the request itself: it writes the 503, in the one
JSON error shape, on the request's connection (waitress's channel, which it writes through as the request's own
thread would), marks the connection to close once that is sent, counts the request in the metrics, and tells the
process model, which ends the worker (and the runaway query with it) once its other requests are answered. If the
query ends after all, before the worker does, whatever its thread writes is dropped (server.WatchedTask).

Outside a prefork worker's waitress thread (the test client, another WSGI server), there is no task to answer
for, and the engine falls back to running the query on a query thread (engine/threaded.py)."""

from __future__ import annotations

import heapq
import itertools
import json
import logging
import threading
import time
from email.utils import formatdate

from waitress.channel import ClientDisconnected

from ecograph.engine.answers import QueryTimeout

TICK_S = 0.05


class Ticket:
    __slots__ = ("deadline", "finished", "fired", "limit_s", "started", "task")

    def __init__(self, task, limit_s: float):
        self.task, self.limit_s = task, limit_s
        self.started = time.monotonic()
        self.deadline = self.started + limit_s
        self.fired = self.finished = False


class Watchdog:
    """Answers 503 for the requests whose query passes its deadline; on_fire(ticket) is called after each such
    answer (the metrics, and ending the worker). It wakes no more often than every TICK_S, whatever the number of
    requests (a ticket that ends in time is dropped when its deadline comes), so a limit is kept within TICK_S."""

    def __init__(self, current_task, on_fire):
        self._current_task = current_task  # the waitress task of this thread, or None
        self._on_fire = on_fire
        self._cond = threading.Condition()
        self._heap: list = []
        self._order = itertools.count()
        threading.Thread(target=self._loop, name="watchdog", daemon=True).start()

    def watch(self, limit_s: float) -> Ticket | None:
        """A ticket for the query this thread is about to run, or None outside a watched waitress task."""
        task = self._current_task()
        if task is None:
            return None
        ticket = Ticket(task, limit_s)
        with self._cond:
            sooner = not self._heap or ticket.deadline < self._heap[0][0]
            heapq.heappush(self._heap, (ticket.deadline, next(self._order), ticket))
            if sooner:  # otherwise the watchdog wakes in time anyway: no wake-up (and no switch) per request
                self._cond.notify()
        return ticket

    def done(self, ticket: Ticket) -> bool:
        """The query of the ticket ended: True if its thread answers the request, False if the watchdog did."""
        with self._cond:
            if ticket.fired:
                return False
            ticket.finished = True
            # The ticket stays in the heap until its deadline: it must not keep the request (its environ, parser
            # and buffers) alive that long. Under load that was a whole time limit of requests: 40 MiB a worker.
            ticket.task = None
            return True

    def _loop(self) -> None:
        while True:
            with self._cond:
                now = time.monotonic()
                if not self._heap or self._heap[0][0] > now:
                    self._cond.wait(None if not self._heap else max(self._heap[0][0] - now, TICK_S))
                    continue
                expired = []
                while self._heap and self._heap[0][0] <= now:
                    ticket = heapq.heappop(self._heap)[2]
                    if not ticket.finished:
                        ticket.fired = True
                        expired.append(ticket)
            for ticket in expired:
                try:
                    _answer(ticket)
                except ClientDisconnected:  # the client has gone: nothing to answer; the worker still ends
                    pass
                except Exception:  # never lose the watchdog to one answer
                    logging.getLogger("ecograph.prefork").exception("the watchdog could not answer a request")
                self._on_fire(ticket)


def _answer(ticket: Ticket) -> None:
    """The 503 of a query past its limit, written on the request's connection, which then closes."""
    task = ticket.task
    task.answered = True  # from now on its own thread writes nothing (server.WatchedTask)
    channel = task.channel
    body = json.dumps({"ok": False, "status": 503, "error": f"the query was stopped at the time limit of {ticket.limit_s:g} s",
                       "hint": QueryTimeout.hint}).encode()
    head = ("HTTP/1.1 503 Service Unavailable\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Access-Control-Allow-Origin: *\r\n"
            "Connection: close\r\n"
            "Server: ecograph\r\n"
            f"Date: {formatdate(usegmt=True)}\r\n\r\n").encode("latin-1")
    with channel.requests_lock:  # the request is over for the connection: what is queued is sent, then it closes
        channel.requests = []
        channel.close_when_flushed = True
    channel.write_soon(head + body)
    channel.server.pull_trigger()
