"""GET /report: the coverage-and-gaps report, the same HTML as `ecograph report` (ecograph/report/page.py).

The report runs its named queries with queries.run_named, the CLI's path: an in-memory pyoxigraph store loaded
from the served release's dataset.nq, in this process, not through the worker pool. That is deliberate: the
queries are the project's own fixed files with fixed parameters (no user text reaches them), the release is
immutable and small (about 10k triples; loading and the whole report take well under a second), and using
the very same function as the CLI is what makes /report byte-identical to `ecograph report` (which always
reads the release with pyoxigraph, whatever the `store` setting). The guard, time limit and worker isolation of /sparql exist for queries from users; none
comes here. The page is rendered once per release and language order and then served from memory, with an
ETag; a server started on other data files (`serve --data`) has no release and answers 404.

The language is the site's (language.py): ?lang=, else the browser's Accept-Language, else Japanese. Every link
of the page is relative (the site's navigation, the named queries under the charts), so that it works behind a
script root and the page stays the CLI's bytes (issue 16).
"""

from __future__ import annotations

import threading
from dataclasses import replace

from flask import Blueprint, Response, current_app, request

from ecograph.errors import UsageError
from ecograph.http.language import language

blueprint = Blueprint("report", __name__)

_LOCK = threading.Lock()


class NoReport(UsageError):
    status = 404
    hint = "The report is made from a build: run `ecograph serve` without --data."


@blueprint.route("/report")
def report():
    from ecograph.report.page import render

    served = current_app.extensions["ecograph"].served
    if served.dist is None:
        raise NoReport("this server serves data files, not a release: there is no report")
    order, _ = language()
    cache = current_app.extensions.setdefault("ecograph.report", {})  # (release id, language order) -> HTML
    key = (served.release, order)
    with _LOCK:
        if key not in cache:
            for old in [k for k in cache if k[0] != served.release]:
                del cache[old]
            cache[key] = render(replace(current_app.extensions["ecograph"].settings, dist=served.dist), order)
        html = cache[key]
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Vary"] = "Accept-Language"
    response.add_etag()
    return response.make_conditional(request)
