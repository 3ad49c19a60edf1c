"""Harvesting: the build's dumps under /dumps/ (ETag, Last-Modified, gzip, Cache-Control, 304), the dumps of each
release kept under /dumps/<release>/ (issue 16: URLs a harvester can cite, whose bytes never change), the VoID and
DCAT description at /.well-known/void, the changelog at /changelog, /healthz, and `Link: <CC BY 4.0>; rel="license"`
on the dumps, the VoID and every HTML page."""

from __future__ import annotations

import gzip
import hashlib
from email.utils import formatdate
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, jsonify, redirect, request

from ecograph.engine import results
from ecograph.http.error_handlers import error_response
from ecograph.pipeline.describe import FILE_MEDIA, LICENSE
from ecograph.pipeline.publish import publication_of, release_folders
from ecograph.settings import PROJECT_ROOT

blueprint = Blueprint("data", __name__)

DUMP_TYPES = FILE_MEDIA
NAMED_TYPES = {"LICENSE": "text/plain"}
LICENSE_LINK = f'<{LICENSE}>; rel="license"'  # RFC 8288; "license" is registered by HTML
IMMUTABLE = "public, max-age=31536000, immutable"  # a release's files never change (RFC 8246)
NO_RELEASE_HINT = "The releases kept on this server are listed at /dumps/ (releases); /dumps/<file> is the latest release."
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


def _media(path: Path) -> str:
    return NAMED_TYPES.get(path.name) or DUMP_TYPES.get(path.suffix, "application/octet-stream")


def _files(folder: Path, prefix: str) -> list[dict]:
    """The files of a release, each with its URL (prefix + name), size, SHA-256 and media type."""
    sums = dict(reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines())
    return [{"name": p.name, "url": prefix + p.name, "bytes": p.stat().st_size, "sha256": sums.get(p.name), "media_type": _media(p)}
            for p in sorted(folder.iterdir()) if p.is_file()]


def _releases() -> dict[str, Path]:
    """The releases this server has files of, by id: those publish keeps, and the one it serves."""
    dist = _dist()
    engine = current_app.extensions["ecograph"]
    return {**release_folders(engine.settings), engine.served.release: dist}


def _send(folder: Path, name: str, missing: str, hint: str) -> Response:
    """The file name of folder: the folder's listing is the allow-list, so no path ever leaves it."""
    try:
        allowed = {p.name: p for p in folder.iterdir() if p.is_file()}
        if name not in allowed:
            return error_response(404, missing, hint)
        return send_file_cached(allowed[name], _media(allowed[name]))
    except (FileNotFoundError, NotADirectoryError):  # a release pruned by a build while it was read
        return error_response(404, f"{missing}: the release was removed by a newer build", NO_RELEASE_HINT)


@blueprint.route("/dumps/")
def dumps_index():
    dist = _dist()
    served = current_app.extensions["ecograph"].served
    releases = sorted(((publication_of(folder), release) for release, folder in _releases().items()), reverse=True)
    return jsonify({"release": served.release, "published": publication_of(dist), "files": _files(dist, "/dumps/"),
                    "releases": [{"release": r, "published": when, "url": f"/dumps/{r}/"} for when, r in releases]})


@blueprint.route("/dumps/<name>")
def dump(name: str):
    """A file of the latest release (the one this server serves)."""
    dist = _dist()
    if not (dist / name).is_file() and name in _releases():
        return redirect(f"{request.script_root}/dumps/{name}/", code=308)
    return _send(dist, name, f"no dump named '{name}'", "The dumps are listed at /dumps/.")


@blueprint.route("/dumps/<release>/")
def release_index(release: str):
    folder = _releases().get(release)
    if folder is None:
        return error_response(404, f"no release '{release}' on this server", NO_RELEASE_HINT)
    return jsonify({"release": release, "published": publication_of(folder), "files": _files(folder, f"/dumps/{release}/")})


@blueprint.route("/dumps/<release>/<name>")
def release_dump(release: str, name: str):
    """A file of a release kept on this server, at a URL whose bytes never change."""
    folder = _releases().get(release)
    if folder is None:
        return error_response(404, f"no release '{release}' on this server", NO_RELEASE_HINT)
    response = _send(folder, name, f"no dump named '{name}' in release {release}", f"The dumps of this release are listed at /dumps/{release}/.")
    if response.status_code in (200, 304):
        response.headers["Cache-Control"] = IMMUTABLE
    return response


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


@blueprint.route("/changelog")
def changelog():
    """CHANGELOG.md (Keep a Changelog) of the project root, else of the code's checkout, as text/markdown."""
    settings = current_app.extensions["ecograph"].settings
    for root in (settings.root, PROJECT_ROOT):
        if (root / "CHANGELOG.md").is_file():
            return send_file_cached(root / "CHANGELOG.md", "text/markdown")
    return error_response(404, "there is no CHANGELOG.md on this server", "The changelog is CHANGELOG.md in the source repository.")


@blueprint.route("/healthz")
def healthz():
    engine = current_app.extensions["ecograph"]
    served = engine.served
    pool = engine.pool
    return jsonify({"ok": True, "release": served.release, "graphs": len(served.graphs), "workers": pool.size,
                    "worker_restarts": pool.restarts})


@blueprint.after_app_request
def license_link(response: Response) -> Response:
    """The data's licence as a Link header on the dumps, the VoID and every HTML page (added to any Link already set)."""
    status = response.status_code
    if not (200 <= status < 300 or status == 304):
        return response
    path = request.path
    if path.startswith("/dumps/") or path == "/.well-known/void" or (response.content_type or "").startswith("text/html"):
        existing = response.headers.get("Link")
        response.headers["Link"] = f"{existing}, {LICENSE_LINK}" if existing else LICENSE_LINK
    return response
