"""create_app(): the Flask application. Blueprints: sparql.py (the SPARQL 1.1 Protocol endpoint and its
service description), data.py (dumps, VoID, health), linked.py (every ecograph IRI dereferences; pages.py
and resource_page.py render the HTML), ontology.py (the ontology, negotiated), ui.py (the query UI at / and the
static files), named.py (named queries as an API), validation.py (POST /validate), report.py (GET /report), ops.py
(metrics and the access log). In front of Flask, as WSGI middleware: lane.py (SPARQL queries answered without
Flask's per-request cost, by the views' own code) and cors.py (CORS on every answer). Errors have one JSON shape
(errors.py)."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask

from ecograph.engine.cache import AnswerCache
from ecograph.http.cors import Cors
from ecograph.settings import Settings, load_settings


class Engine:
    """The served store and its worker pool, started on first use (so that creating an app is cheap).
    settings.store picks the engine of the workers: pyoxigraph (default; in memory or on disk, see
    settings.storage), rdflib in memory, or a remote SPARQL endpoint."""

    def __init__(self, settings: Settings, data_files: list[Path] | None = None):
        self.settings = settings
        self.data_files = data_files
        self.in_process = False  # the prefork arbiter loads an in-memory store itself (no holder process)
        self._served = None
        self._pool = None
        self._lock = threading.Lock()
        self.cache = AnswerCache(settings.query_cache_bytes)

    @property
    def served(self):
        if self._served is None:
            with self._lock:
                if self._served is None:
                    from ecograph.engine.serving import serve_files, serve_release

                    self._served = (serve_files(self.data_files, self.settings, self.in_process) if self.data_files
                                    else serve_release(self.settings, self.in_process))
        return self._served

    @property
    def pool(self):
        if self._pool is None:
            served = self.served
            with self._lock:
                if self._pool is None:
                    from ecograph.engine.serving import is_remote
                    from ecograph.engine.workers import QueryPool

                    if is_remote(self.settings.store):  # a SPARQL endpoint behind this front (ecograph/engine/remote.py)
                        from ecograph.engine.remote import RemotePool

                        self._pool = RemotePool(self.settings.store, served.graphs, self.settings.workers)
                    elif self.settings.store == "rdflib":  # the fallback: each worker loads the files into memory
                        self._pool = QueryPool(served.files, self.settings.workers, engine="rdflib")
                    elif served.holder is not None:  # the default: workers forked from the in-memory store
                        self._pool = QueryPool(served.holder, self.settings.workers, engine="memory")
                    else:
                        self._pool = QueryPool(served.store, self.settings.workers)
        return self._pool

    def use(self, pool) -> None:
        """Run queries on this engine from now on (a prefork worker's in-process engine, http/prefork.py)."""
        self._pool = pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
        elif self._served is not None and self._served.holder is not None:
            self._served.holder.close()


def create_app(settings: Settings | None = None, data_files: list[Path] | None = None) -> Flask:
    """The WSGI application serving the built graph (or data_files instead)."""
    from ecograph.http import data, gsp, lane, linked, named, ontology, ops, report, sparql, ui, validation
    from ecograph.http import error_handlers as errors

    settings = settings or load_settings()
    app = Flask(__name__, static_folder=None)  # ui.py serves static/ with caching headers
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.extensions["ecograph"] = Engine(settings, data_files)
    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(data.blueprint)
    app.register_blueprint(gsp.blueprint)
    app.register_blueprint(linked.blueprint)
    app.register_blueprint(ontology.blueprint)
    app.register_blueprint(named.blueprint)
    app.register_blueprint(validation.blueprint)
    app.register_blueprint(report.blueprint)
    app.register_blueprint(ops.blueprint)
    app.register_blueprint(ui.blueprint)
    errors.register(app)

    lane.install(app)  # queries answered in front of Flask's views (lane.py)
    app.wsgi_app = Cors(app.wsgi_app)  # CORS on every answer (cors.py)
    return app

