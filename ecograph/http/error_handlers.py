"""One error shape for every HTTP error: {"ok": false, "status": …, "error": …, "hint": …}. Flask's errors get it
here; the errors waitress answers itself, before the app sees the request (a body past its own size limit, a
request that is not HTTP), get it from server.py."""

from __future__ import annotations

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from ecograph.errors import EcographError

HINTS = {413: "The request body is larger than the server accepts (setting max_request_bytes).",
         404: "See / for what this server offers.", 405: "See the README for the methods each path accepts."}


# An error body stays small whatever the request held: a message that quotes a header or a parameter (5,000 media
# ranges, a format= of 100 KB) is cut, never echoed back whole.
MAX_TEXT = 2000
MAX_QUOTED = 200  # a request's value (an Accept header) inside a message


def bounded(text, limit: int = MAX_TEXT):
    """text, or its first `limit` characters and how many more there were (anything but a string as it is)."""
    if not isinstance(text, str) or len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} characters more)"


def quoted(value: str | None) -> str:
    """A request's value as a message quotes it: at most MAX_QUOTED characters."""
    return bounded(value or "", MAX_QUOTED)


def error_response(status: int, error: str, hint: str = ""):
    response = jsonify({"ok": False, "status": status, "error": bounded(error), "hint": bounded(hint)})
    response.status_code = status
    return response


def exception_response(exc: EcographError):
    """The one shape for an EcographError, plus what its class adds (a syntax error's line and column)."""
    body = exc.to_dict()
    response = jsonify({k: bounded(v) for k, v in body.items()})
    response.status_code = exc.status
    return response


def register(app: Flask) -> None:
    @app.errorhandler(EcographError)
    def ecograph_error(exc: EcographError):
        return exception_response(exc)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return error_response(exc.code or 500, exc.description or exc.name, HINTS.get(exc.code, ""))
