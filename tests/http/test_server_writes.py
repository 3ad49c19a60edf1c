"""How `ecograph serve`'s waitress writes a response (http/server.py, WatchedTask): a whole body of known length is
sent with its head in one call, past waitress's output buffers; everything else goes waitress's way. What a client
reads must be byte for byte what plain waitress sends, whatever the response and however slowly the client reads.

Each test runs ecograph's server and plain waitress side by side in this process, on the same WSGI app, and
compares the raw bytes read off the socket (but for the Date and Server headers)."""

from __future__ import annotations

import re
import socket
import threading
import time

import pytest
import waitress
from waitress import buffers, wasyncore

from ecograph.http.server import create_server
from ecograph.settings import Settings

BIG = bytes(range(256)) * 8192  # 2 MiB
HUGE = bytes(range(255, -1, -1)) * 65536  # 16 MiB: more than a socket takes at once (Linux's most is 4 MiB by default)


def _app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/small":
        body = b'{"head":{},"boolean":true}'
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]
    if path == "/big":
        start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(len(BIG)))])
        return [BIG]
    if path == "/huge":
        start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(len(HUGE)))])
        return [HUGE]
    if path == "/unsized":  # one chunk, no Content-Length: waitress sets it (a list of one)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"one chunk"]
    if path == "/streamed":  # a generator of chunks, no Content-Length: chunked transfer coding
        start_response("200 OK", [("Content-Type", "text/plain")])
        return (part for part in (b"a" * 10, b"b" * 70_000, b"c"))
    if path == "/parts":  # a known length in several writes
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "6")])
        return [b"abc", b"def"]
    if path == "/short":  # fewer bytes than announced: waitress closes the connection
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "10")])
        return [b"abc"]
    if path == "/long":  # more bytes than announced: waitress cuts them
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "3")])
        return [b"abcdef"]
    if path == "/not-modified":
        start_response("304 Not Modified", [("ETag", '"x"'), ("Content-Length", "5")])
        return [b"12345"]
    if path == "/no-content":
        start_response("204 No Content", [])
        return []
    start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
    return [b"not found"]


def _run(server) -> threading.Thread:
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    return thread


def _stop(server, thread: threading.Thread) -> None:
    """Close the server from its own loop thread (a trigger thunk), so the loop never waits in select on a descriptor
    another thread closed (EBADF in the server thread: pytest reports it at the next test); the loop ends when its
    map is empty."""
    server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
    thread.join(10)
    assert not thread.is_alive(), "the server's loop did not end"
    server.task_dispatcher.shutdown()


@pytest.fixture(scope="module")
def servers():
    """(ecograph's port, plain waitress's port), both serving _app."""
    ours = create_server(_app, Settings(host="127.0.0.1", port=0, threads=2))
    plain = waitress.create_server(_app, host="127.0.0.1", port=0, threads=2)
    threads = [_run(server) for server in (ours, plain)]
    yield ours.effective_port, plain.effective_port
    for server, thread in zip((ours, plain), threads):
        _stop(server, thread)


def _exchange(port: int, raw: bytes, expect_close: bool = False, read_after_s: float = 0.0) -> bytes:
    """Send raw request bytes, wait read_after_s before reading, and read until the connection closes (the last
    request asks for that) or, with keep-alive, until nothing comes for a moment."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(raw)
        time.sleep(read_after_s)
        got = bytearray()
        sock.settimeout(10 if expect_close else 0.5)
        try:
            while chunk := sock.recv(65536):
                got += chunk
        except TimeoutError:
            assert not expect_close, "the server did not close the connection"
        return bytes(got)


def _normalised(response: bytes) -> bytes:
    return re.sub(rb"(?m)^(Date|Server): [^\r]*\r\n", b"", response)


def _request(path: str, method: str = "GET", close: bool = True) -> bytes:
    return (f"{method} {path} HTTP/1.1\r\nHost: localhost\r\n" + ("Connection: close\r\n" if close else "") + "\r\n").encode()


@pytest.mark.parametrize("path", ["/small", "/big", "/unsized", "/streamed", "/parts", "/short", "/long", "/not-modified",
                                  "/no-content", "/missing"])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_client_reads_what_plain_waitress_sends(servers, path, method):
    ours, plain = servers
    raw = _request(path, method)
    expected = _normalised(_exchange(plain, raw, expect_close=True))
    assert expected.startswith(b"HTTP/1.1 ")
    assert _normalised(_exchange(ours, raw, expect_close=True)) == expected


def test_keep_alive_and_pipelined_requests_answer_in_order(servers):
    ours, plain = servers
    raw = b"".join(_request(p, close=False) for p in ("/big", "/small", "/parts", "/big", "/unsized", "/missing")) + _request("/small")
    expected = _normalised(_exchange(plain, raw, expect_close=True))
    assert expected.count(b"HTTP/1.1 200 OK") == 6 and expected.count(b"HTTP/1.1 404") == 1
    assert _normalised(_exchange(ours, raw, expect_close=True)) == expected


def test_a_client_that_reads_late_gets_the_whole_body(servers, monkeypatch):
    """The socket takes part of 16 MiB at once; the rest is sent from waitress's buffers as the client reads."""
    ours, plain = servers
    raw = _request("/huge", close=False) + _request("/small")
    expected = _normalised(_exchange(plain, raw, expect_close=True, read_after_s=0.3))
    appended: list[int] = []
    original = buffers.OverflowableBuffer.append
    monkeypatch.setattr(buffers.OverflowableBuffer, "append", lambda self, s: appended.append(len(s)) or original(self, s))
    got = _normalised(_exchange(ours, raw, expect_close=True, read_after_s=0.3))
    assert len(got) == len(expected) and got == expected
    assert HUGE in got
    assert 0 < sum(appended) < len(HUGE), "part sent at once, the rest from the buffers"


def test_a_whole_body_is_sent_without_waitress_buffers(servers, monkeypatch):
    """The point of the change: the body of a response of known length in one write is never copied into
    waitress's output buffers (it would be: see the plain server), while one in parts still is."""
    ours, plain = servers
    appended: list[int] = []
    original = buffers.OverflowableBuffer.append

    def counting(self, s):
        appended.append(len(s))
        return original(self, s)

    monkeypatch.setattr(buffers.OverflowableBuffer, "append", counting)
    _exchange(plain, _request("/big"), expect_close=True)
    assert sum(appended) >= len(BIG)
    appended.clear()
    assert BIG in _exchange(ours, _request("/big"), expect_close=True)
    assert sum(appended) < len(BIG)
    appended.clear()
    _exchange(ours, _request("/parts"), expect_close=True)
    assert appended, "a body in parts goes through waitress's buffers"
