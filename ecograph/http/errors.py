"""One error shape for every HTTP error: {"ok": false, "status": …, "error": …, "hint": …}."""

from __future__ import annotations

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from ecograph.errors import EcographError


def error_response(status: int, error: str, hint: str = ""):
    response = jsonify({"ok": False, "status": status, "error": error, "hint": hint})
    response.status_code = status
    return response


def register(app: Flask) -> None:
    @app.errorhandler(EcographError)
    def ecograph_error(exc: EcographError):
        return error_response(exc.status, exc.message, exc.hint)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        hints = {413: "The request body is larger than the server accepts (setting max_request_bytes).",
                 404: "See / for what this server offers.", 405: "See the README for the methods each path accepts."}
        return error_response(exc.code or 500, exc.description or exc.name, hints.get(exc.code, ""))
