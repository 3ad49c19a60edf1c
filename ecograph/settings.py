"""Settings, declared once. Later sources override earlier ones: defaults, then ecograph.toml in the
project root, then ECOGRAPH_* environment variables, then CLI flags (passed as overrides)."""

from __future__ import annotations

import functools
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Every setting of ecograph, with its default. docs/settings.md is checked against these fields."""

    root: Path = field(default=PROJECT_ROOT, metadata={"help": "Project root holding ontology/, shapes/, data/ and queries/."})
    dist: Path = field(default=PROJECT_ROOT / "dist", metadata={"help": "Where the build is published (a link to the last good release)."})
    store: str = field(default="oxigraph", metadata={"help": "Query store of the CLI and the server: 'oxigraph' (default; see storage), 'rdflib' (in memory; a slower fallback), or for the server the URL of a SPARQL endpoint holding the build (see `ecograph load`)."})
    storage: str = field(default="memory", metadata={"help": "Where the server's oxigraph store lives: 'memory' (default; `ecograph serve` loads the release once into memory and forks its HTTP workers from it, sharing that copy) or 'disk' (each worker opens an on-disk store, made once per release, read-only: slower, for data larger than memory)."})
    query_timeout_s: float = field(default=10.0, metadata={"help": "Time limit of one SPARQL query, in seconds."})
    validate_timeout_s: float = field(default=30.0, metadata={"help": "Time limit of one validation of an upload (POST /validate: parsing, validating and writing the report, in a process of its own that is killed at the limit; the answer is then 503), in seconds."})
    max_rows: int = field(default=10_000, metadata={"help": "Results beyond this many rows are cut off, and the output says so."})
    reasoner: str = field(default="reasonable", metadata={"help": "OWL 2 RL reasoner of the build: 'reasonable' (compiled, default) or 'owlrl' (pure Python, the reference; same result, about 20 times slower)."})
    validator: str = field(default="auto", metadata={"help": "SHACL validator of the build, `ecograph validate` and POST /validate: 'auto' (default: the oxigraph engine, and pyshacl for shapes or data it does not handle; the report names the engine used and why), 'oxigraph' (set-based, on an in-memory pyoxigraph store; refuses what it does not handle, never skips it) or 'pyshacl' (the reference; same results, tested; about 20 times slower on the seed, 40 times at a million triples)."})
    keep_releases: int = field(default=3, metadata={"help": "How many earlier releases to keep beside dist/."})
    host: str = field(default="127.0.0.1", metadata={"help": "Address the server listens on (loopback only by default)."})
    port: int = field(default=8080, metadata={"help": "Port the server listens on."})
    threads: int = field(default=8, metadata={"help": "Request threads of each HTTP worker (waitress)."})
    workers: int = field(default=2, metadata={"help": "Worker processes: with the embedded store, `ecograph serve`'s HTTP workers, each answering requests and running their queries itself; otherwise the query workers behind one server process. A query past its time limit, or an engine crash, costs only its worker, which is replaced."})
    max_request_bytes: int = field(default=1_000_000, metadata={"help": "Largest request body accepted (queries, uploads), in bytes."})
    query_cache_bytes: int = field(default=64_000_000, metadata={"help": "Memory for answers to repeated queries on the served release, in bytes (0: no cache). A release never changes, so an answer is reused until the next build."})
    service_allow: str = field(default="", metadata={"help": "Space-separated SPARQL endpoints that SERVICE may call; empty: none (no outbound connections)."})
    default_graph: str = field(default="union", metadata={"help": "The default graph of a query that names no dataset (no FROM, default-graph-uri or layer): 'union' (default: the union of every graph, as ecograph's build, which keeps its layers in named graphs, is meant to be queried; a plain Turtle file answers the same either way, and `serve --data dist/dataset.nq` answers as the build's own server) or 'default' (the store's own default graph alone, as SPARQL, the W3C tests, Fuseki and the Oxigraph server have it: for TriG / N-Quads whose default graph means something of its own). Either way `layer=all` is the union and default-graph-uri=urn:x-arq:DefaultGraph the store's own default graph."})
    base_iri: str = field(default="", metadata={"help": "Base IRI of relative IRIs in the files of `serve --data`; empty (default): each file's own file: URL, as rdflib and pyoxigraph read a file."})

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @functools.cached_property  # looked up by every named query's request
    def queries_dir(self) -> Path:
        return self.root / "queries"


def _coerce(kind, value: str):
    if kind in (Path, "Path"):
        return Path(value)
    if kind in (float, "float"):
        return float(value)
    if kind in (int, "int"):
        return int(value)
    return value


def load_settings(overrides: dict | None = None, environ: dict | None = None) -> Settings:
    """Defaults, then ecograph.toml, then ECOGRAPH_* variables, then overrides (CLI flags)."""
    env = os.environ if environ is None else environ
    values: dict = {}
    root = Path(env.get("ECOGRAPH_ROOT", PROJECT_ROOT))
    toml = root / "ecograph.toml"
    if toml.exists():
        with toml.open("rb") as fh:
            values.update(tomllib.load(fh))
    for f in fields(Settings):
        key = "ECOGRAPH_" + f.name.upper()
        if key in env:
            values[f.name] = env[key]
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    known = {f.name: f.type for f in fields(Settings)}
    unknown = set(values) - set(known)
    if unknown:
        from ecograph.errors import UsageError

        raise UsageError(f"unknown setting(s): {', '.join(sorted(unknown))}", "See docs/settings.md for the settings.")
    coerced = {k: _coerce(known[k], v) if isinstance(v, str) else v for k, v in values.items()}
    settings = Settings(**coerced)
    if "root" in coerced and "dist" not in coerced:
        settings = replace(settings, dist=settings.root / "dist")
    return settings
