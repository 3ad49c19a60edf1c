"""The validation service: POST /validate with a graph in the body (Turtle, TriG, N-Triples, N-Quads or
JSON-LD) checks it against the project's shapes and ontology and returns the SHACL report as Turtle, JSON,
HTML or text, by Accept or `format=`.

What a stranger may send is bounded: the body by its size (max_request_bytes, 413), the media types and parsers
by upload.py (RDF/XML refused, no remote JSON-LD context, nesting deeper than the parsers take refused with its
line and column), and the work by a time limit (validate_timeout_s, 503): each validation, parsing included,
runs in a process of its own that is killed at the limit (validation_workers.py)."""

from __future__ import annotations

import weakref

from flask import Blueprint, Response, current_app, jsonify, request

from ecograph.engine import results
from ecograph.errors import UsageError
from ecograph.http.error_handlers import quoted
from ecograph.http.ops import note_reason
from ecograph.http.upload import REPORT_FORMATS, REPORT_TYPES, check_media_type
from ecograph.http.validation_workers import Validations, ValidationTimeout

blueprint = Blueprint("validation", __name__)


class ReportNotAcceptable(UsageError):
    status = 406
    hint = f"Ask for one of {', '.join(REPORT_TYPES)} (or format={'|'.join(sorted(REPORT_FORMATS))})."


@blueprint.record_once
def _install(state) -> None:
    running = state.app.extensions.setdefault("ecograph.validation", Validations(state.app.extensions["ecograph"].settings))
    weakref.finalize(state.app, running.close)  # the holder process goes with the app (and, a daemon, with the server)


def validations() -> Validations:
    """The validations of the current app (its holder process is started by the first one)."""
    return current_app.extensions["ecograph.validation"]


def _report_type() -> str:
    wanted = request.args.get("format")
    if wanted:
        media = REPORT_FORMATS.get(wanted.lower())
        if media is None:
            raise ReportNotAcceptable(f"unknown report format '{wanted}'")
        return media
    media = results.negotiate(request.headers.get("Accept"), REPORT_TYPES)
    if media is None:
        raise ReportNotAcceptable(f"none of the requested types ({quoted(request.headers.get('Accept'))}) is available for a report")
    return media


def _flag(name: str) -> bool:
    value = request.args.get(name, "false").lower()
    if value not in ("true", "false"):
        raise UsageError(f"{name} must be true or false, not '{value[:40]}'")
    return value == "true"


@blueprint.route("/validate", methods=["POST"])
def validate():
    """Validate the graph in the body against the project's shapes, in the project's context: the upload is the
    new description of the resources it describes (the project's triples about them are replaced by the upload's),
    the rest of the project stays around it, and the report holds the results about the upload's subjects only.
    ?alone=true validates the upload by itself.

    The answer is 200 whether or not the graph conforms: non-conformance is a result, stated in the body
    (`conforms` in JSON, sh:conforms in Turtle, the first line of the text) and in X-Ecograph-Conforms.
    A body that does not parse, or nests too deeply, is a 400 naming line and column; RDF/XML and unknown types
    are 415; a body over the size limit is 413; a validation past the time limit is 503.
    """
    media = (request.mimetype or "").lower()
    report_type = _report_type()
    alone = _flag("alone")
    check_media_type(media)
    try:
        outcome = validations().run(request.get_data(cache=False), media, report_type, alone)
    except ValidationTimeout:
        note_reason("validation_timeout")
        raise
    if outcome.error is not None:  # a refusal from the validation's process, in the one error shape
        note_reason("data_syntax_error" if "line" in outcome.error else "validation_refused")
        response = jsonify(outcome.error)
        response.status_code = outcome.status
        return response
    response = Response(outcome.body, content_type=f"{report_type}; charset=utf-8")
    response.headers["X-Ecograph-Conforms"] = "true" if outcome.conforms else "false"  # SHACL's: false on any result
    response.headers["X-Ecograph-Violations"] = str(outcome.violations)
    response.headers["Vary"] = "Accept"
    return response
