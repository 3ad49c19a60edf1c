"""CORS on every answer of the app (https://fetch.spec.whatwg.org/#http-cors-protocol), as WSGI middleware.

Any origin may read any answer: the data is public and nothing is sent with credentials. A preflight (OPTIONS with
Access-Control-Request-Method) is answered with the route's methods (Flask's automatic OPTIONS answer lists them in
Allow) and the request headers a query needs, for instance POST with Content-Type application/sparql-query, which
is not a "simple" request and so is preflighted.

Middleware rather than a Flask after_request hook: it works on the plain list of header pairs the app hands to
start_response, which costs a few microseconds per request where looking headers up in werkzeug's Headers cost
tens (issue 15: every request pays it). A header a view set itself is kept."""

from __future__ import annotations

# What a cross-origin page may send: Content-Type (application/sparql-query, a form), Accept (result formats),
# Accept-Language (the pages) and the validators of a conditional GET (dumps, static files).
PREFLIGHT_HEADERS = "Accept, Accept-Language, Content-Type, If-Modified-Since, If-None-Match"
PREFLIGHT_MAX_AGE_S = 7200  # Chromium's cap; browsers keep the answer that long
EXPOSED = "X-Ecograph-Truncated, X-Ecograph-Cache, Server-Timing, ETag, Content-Length, Link"
ALWAYS = (("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", EXPOSED))


class Cors:
    """Wraps a WSGI app: adds the CORS headers to each answer, and a preflight's to the answer of one."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        asked = environ["REQUEST_METHOD"] == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in environ

        def start(status, headers, exc_info=None):
            names = {name.lower() for name, _ in headers}
            headers.extend(pair for pair in ALWAYS if pair[0].lower() not in names)
            if asked and int(status[:3]) < 400:
                preflight(headers)
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


def preflight(headers: list) -> None:
    """The headers of a preflight's answer, set on the list of header pairs (replacing any the app set)."""
    methods = next((value for name, value in headers if name.lower() == "allow"), None)
    answer = {"access-control-allow-headers": ("Access-Control-Allow-Headers", PREFLIGHT_HEADERS),
              "access-control-max-age": ("Access-Control-Max-Age", str(PREFLIGHT_MAX_AGE_S))}
    if methods:
        answer["access-control-allow-methods"] = ("Access-Control-Allow-Methods", ", ".join(sorted(m.strip() for m in methods.split(","))))
    headers[:] = [pair for pair in headers if pair[0].lower() not in answer]
    headers.extend(answer.values())
