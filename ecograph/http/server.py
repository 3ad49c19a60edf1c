"""`ecograph serve`'s WSGI server: waitress, with every error it answers itself in the one JSON error shape.

Flask refuses a body over max_request_bytes with a JSON 413 (errors.py). waitress reads a whole body before the
app sees the request, so it needs a limit of its own to bound what it holds (in memory up to its inbuf_overflow,
512 KB by default, then in a temporary file): it accepts MARGIN_BYTES more than Flask, so that a body somewhat
over the limit still reaches Flask (the access log and the metrics then count it too). A body past waitress's own
limit (a Content-Length far too large, or a chunked body that never ends), and a request that is not HTTP, are
answered by waitress itself: with the same JSON shape as Flask's, from JsonErrorTask.

A response whose whole body comes in one write of known length (every Flask view's and the query lane's) is sent
with its head in one call, past waitress's output buffers (WatchedTask._send_whole); any other goes waitress's way."""

from __future__ import annotations

import json
import logging
import threading
import time

import waitress
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask, ThreadedTaskDispatcher, WSGITask
from werkzeug.exceptions import default_exceptions

from ecograph.http.error_handlers import HINTS
from ecograph.settings import Settings

MARGIN_BYTES = 65_536
WAITRESS_HINTS = {**HINTS, 400: "The request is not valid HTTP/1.1 (https://www.rfc-editor.org/rfc/rfc9112).",
                  431: "Send fewer or shorter headers."}


class JsonErrorTask(ErrorTask):
    """waitress's error answer (ErrorTask.execute), with a JSON body in the one error shape."""

    def execute(self):
        error = self.request.error
        known = default_exceptions.get(error.code)
        message = known.description if known is not None else error.reason
        if error.code != 413 and error.body:  # waitress's detail ("bad chunked encoding"…); for 413 it names its own limit
            message = f"{message} ({error.body})"
        body = json.dumps({"ok": False, "status": error.code, "error": message, "hint": WAITRESS_HINTS.get(error.code, "")})
        self.status = f"{error.code} {error.reason}"
        self.response_headers.extend([("Content-Type", "application/json"), ("Access-Control-Allow-Origin", "*")])
        self.set_close_on_finish()
        self.content_length = len(body.encode())
        self.write(body.encode())


_this = threading.local()  # the WatchedTask a waitress thread is running


class WatchedTask(WSGITask):
    """A request whose thread is known while it runs (current_task()), so that the watchdog of a prefork worker can
    answer it at a query's time limit (http/watchdog.py); once it has (answered), whatever the request's own thread
    writes is dropped, and its connection closes. method and template name the request for the metrics."""

    answered = False
    template: str | None = None

    def execute(self):
        _this.task = self
        try:
            super().execute()
        finally:
            _this.task = None

    def write(self, data):
        if self.answered:
            return
        if not self.wrote_header and data.__class__ is bytes and self._whole(data):
            self._send_whole(data)
        else:
            super().write(data)

    def _whole(self, data: bytes) -> bool:
        """Whether data is the whole body of a response whose length is known (what a Flask view and the query lane
        answer): not empty, not a HEAD's, and of a status that has a body."""
        return (bool(data) and self.complete and self.content_length == len(data) and self.has_body
                and self.request.command != "HEAD")

    def _send_whole(self, data: bytes) -> None:
        """The response head and its whole body, sent on the connection in one call (sendmsg), past waitress's output
        buffers when nothing is waiting in them. waitress copies every write into a buffer (a BytesIO) and out of it
        again to send it, a cost that grows with the answer and that every request pays on the shared cores. Measured
        at 1M triples, ecograph with and without this, side by side: 8 clients asking a 100-row SELECT, 1,726-1,828
        -> 2,144-2,229 req/s; one client, a 117 KB answer, 0.02-0.2 ms less. What the socket does not take at once
        (its send buffer full: a client that reads slowly), and any error, goes the way waitress goes (write_soon):
        the rest is sent from its buffers by the main loop as before (tests/http/test_server_writes.py)."""
        head = self.build_response_header()
        self.wrote_header = True
        self.content_bytes_written = len(data)
        channel = self.channel
        sent = 0
        with channel.outbuf_lock:  # the main loop flushes under this lock too
            if self.answered:  # the watchdog has answered in the meantime
                return
            if channel.connected and channel.total_outbufs_len == 0:
                try:
                    sent = channel.socket.sendmsg([head, data])
                except OSError:  # would block, or a connection gone: left to waitress, which knows both
                    sent = 0
                if sent == len(head) + len(data):
                    channel.last_activity = time.time()
                    return
        if sent == 0:  # nothing went out: both to waitress's buffers, as it writes them
            channel.write_soon(head)
            channel.write_soon(data)
        elif sent < len(head):
            channel.write_soon(head[sent:] + data)
        else:  # the rest of the body, copied once
            channel.write_soon(data[sent - len(head):])

    def finish(self):
        if self.answered:
            self.close_on_finish = True
        else:
            super().finish()


class _LastInFirstOut(threading.Condition):
    """A condition whose notify wakes the thread that began to wait last (threading.Condition wakes the first)."""

    def notify(self, n=1):
        if not self._is_owned():
            raise RuntimeError("cannot notify on un-acquired lock")
        waiters = self._waiters
        while n > 0 and waiters:
            waiter = waiters.pop()
            try:
                waiter.release()
            except RuntimeError:  # released already by a notify interrupted before it removed it (as the stdlib's)
                continue
            n -= 1


class WarmFirstDispatcher(ThreadedTaskDispatcher):
    """waitress's request threads, of which the one that finished last takes the next request. waitress itself wakes
    the thread that has waited longest, so that one after the other every thread runs a query; the C library gives each thread
    an arena of its own, which it fills on first use (at a million quads a query's first run on a thread took over
    a hundred page faults: about a millisecond on this kind of machine). The thread that just finished has its
    memory and caches warm; the others are only woken when requests come in together."""

    def __init__(self, threads: int):
        super().__init__()
        self.queue_cv = _LastInFirstOut(self.lock)
        self.set_thread_count(threads)


def current_task() -> WatchedTask | None:
    """The waitress task this thread is running (None outside waitress, e.g. the test client)."""
    return getattr(_this, "task", None)


class JsonErrorChannel(HTTPChannel):
    error_task_class = JsonErrorTask
    task_class = WatchedTask


def waitress_options(settings: Settings) -> dict:
    """The options of waitress.create_server for the settings."""
    return {"host": settings.host, "port": settings.port, "threads": settings.threads, "ident": "ecograph",
            "max_request_body_size": settings.max_request_bytes + MARGIN_BYTES}


def create_server(app, settings: Settings, sockets: list | None = None, socket_map: dict | None = None):
    """A waitress server for app whose own errors are JSON (not yet running: call .run()); on the given listening
    sockets instead of settings.host and port (a prefork worker, http/prefork.py), registered in socket_map (waitress's
    map of dispatchers: every listening server registers itself in it) if given."""
    socket_map = {} if socket_map is None else socket_map
    options = waitress_options(settings)
    if sockets is not None:
        del options["host"], options["port"]
        options["sockets"] = sockets
    # _dispatcher: waitress's own way to hand a server its request threads
    server = waitress.create_server(app, map=socket_map, _dispatcher=WarmFirstDispatcher(options["threads"]), **options)
    for dispatcher in socket_map.values():
        if isinstance(dispatcher, BaseWSGIServer):
            dispatcher.channel_class = JsonErrorChannel
    return server


def serve(app, settings: Settings) -> None:
    """Serve app with waitress until interrupted (as waitress.serve does)."""
    logging.basicConfig()
    server = create_server(app, settings)
    server.print_listen("Serving on http://{}:{}")
    server.run()
