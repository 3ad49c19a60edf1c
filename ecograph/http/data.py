"""Harvesting: the build's dumps under /dumps/ (ETag, Last-Modified, gzip, Cache-Control, 304), the VoID and
DCAT description at /.well-known/void, and /healthz."""

from __future__ import annotations

import gzip
import hashlib
from email.utils import formatdate
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, jsonify, request

from ecograph.engine import results
from ecograph.http.error_handlers import error_response
from ecograph.rdf import formats

blueprint = Blueprint("data", __name__)

DUMP_TYPES = {**formats.MEDIA, ".html": "text/html", ".json": "application/json", ".txt": "text/plain"}
_ETAGS: dict[Path, tuple[float, str]] = {}


def _dist() -> Path:
    served = current_app.extensions["ecograph"].served
    if served.dist is None:
        abort(404, description="this server serves data files, not a build: there are no dumps")
    return served.dist


def _etag(path: Path) -> str:
    mtime = path.stat().st_mtime
    cached = _ETAGS.get(path)
    if cached is None or cached[0] != mtime:
        cached = (mtime, hashlib.sha256(path.read_bytes()).hexdigest()[:32])
        _ETAGS[path] = cached
    return cached[1]


def send_file_cached(path: Path, media: str) -> Response:
    """A file with a strong ETag, Last-Modified, Cache-Control, 304 on If-None-Match, and gzip when accepted."""
    etag = _etag(path)
    quoted = f'"{etag}"'
    headers = {"ETag": quoted, "Last-Modified": formatdate(path.stat().st_mtime, usegmt=True),
               "Cache-Control": "public, max-age=3600", "Vary": "Accept-Encoding"}
    if quoted in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        return Response(status=304, headers=headers)
    body = path.read_bytes()
    if "gzip" in request.headers.get("Accept-Encoding", "") and len(body) > 1024:
        body = gzip.compress(body, mtime=0)
        headers["Content-Encoding"] = "gzip"
    charset = "; charset=utf-8" if media.startswith(("text/", "application/")) else ""
    return Response(body, content_type=media + charset, headers=headers)


@blueprint.route("/dumps/")
def dumps_index():
    dist = _dist()
    sums = dict(reversed(line.split("  ")) for line in (dist / "SHA256SUMS").read_text().splitlines())
    files = [{"name": p.name, "url": f"/dumps/{p.name}", "bytes": p.stat().st_size, "sha256": sums.get(p.name),
              "media_type": DUMP_TYPES.get(p.suffix, "application/octet-stream")}
             for p in sorted(dist.iterdir()) if p.is_file()]
    return jsonify({"release": current_app.extensions["ecograph"].served.release, "files": files})


@blueprint.route("/dumps/<name>")
def dump(name: str):
    dist = _dist()
    allowed = {p.name: p for p in dist.iterdir() if p.is_file()}
    if name not in allowed:  # the listing is the allow-list: no path ever leaves dist/
        abort(404, description=f"no dump named '{name}'")
    path = allowed[name]
    return send_file_cached(path, DUMP_TYPES.get(path.suffix, "application/octet-stream"))


@blueprint.route("/.well-known/void")
def void():
    dist = _dist()
    media = results.negotiate(request.headers.get("Accept"), ["text/turtle", "application/n-triples", "application/ld+json"])
    if media is None:
        return error_response(406, "VoID is available as Turtle, N-Triples or JSON-LD", "Ask for text/turtle.")
    if media == "text/turtle":
        return send_file_cached(dist / "void.ttl", media)
    import pyoxigraph as ox

    triples = list(ox.parse(path=str(dist / "void.ttl"), format=ox.RdfFormat.TURTLE))
    fmt = ox.RdfFormat.N_TRIPLES if media == "application/n-triples" else ox.RdfFormat.JSON_LD
    return Response(ox.serialize(triples, format=fmt), content_type=f"{media}; charset=utf-8", headers={"Vary": "Accept"})


@blueprint.route("/healthz")
def healthz():
    engine = current_app.extensions["ecograph"]
    served = engine.served
    pool = engine.pool
    return jsonify({"ok": True, "release": served.release, "graphs": len(served.graphs), "workers": pool.size,
                    "worker_restarts": pool.restarts})
