"""The catalogue of named queries: NamedQuery reads queries/*.rq and its header and binds typed parameters; run()
gives a named query to the in-process engine of the release (engine/local.py) as a Job and returns its Answer.

A query file opens with a header that the docs, the CLI and the server all read:

    # title: Programs ① to ㉜
    # title@ja: 事業①〜㉜
    # description: One row per program resource …
    # description@ja: …
    # param: stakeholder (iri) = stakeholder:startup : the kind of stakeholder
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ecograph.engine import guard
from ecograph.engine.answers import Answer
from ecograph.engine.job import DEFAULT_LAYER, Job, checked_layer, layer_graphs
from ecograph.errors import UsageError
from ecograph.namespaces import PREFIX_MAP, PREFIXES, STATED
from ecograph.rdf.terms import XSD_BOOLEAN, XSD_INTEGER, Term
from ecograph.settings import Settings, load_settings

_HEADER = re.compile(r"^#\s*(title|description)(?:@(ja|en))?\s*:\s*(.*)$")
_PARAM = re.compile(r"^#\s*param\s*:\s*(\w+)\s*\((\w+(?:\|[\w-]+)*)(?:\s+in\s+<([^>\s]+)>)?\)\s*(?:=\s*(\S+))?\s*(?::\s*(.*))?$")
SKOS_IN_SCHEME = "http://www.w3.org/2004/02/skos/core#inScheme"
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class Param:
    """A typed parameter of a named query."""

    name: str
    type: str  # iri, string, integer, boolean, or a choice a|b|c
    default: str | None
    description: str
    scheme: str | None = None  # an iri parameter's code list: the SKOS concept scheme its value must be in

    def check(self, term: Term, codes: dict[str, list[Code]] | None) -> Term:
        """A bound IRI checked against the parameter's code list (when the release's code lists are known): a value
        outside it is a UsageError that lists the allowed values, with their ja and en labels."""
        if self.scheme is None or codes is None or self.scheme not in codes:
            return term
        allowed = codes[self.scheme]
        if term.value in {c.iri for c in allowed}:
            return term
        listed = "; ".join(f"{c.curie} ({c.ja} / {c.en})" for c in allowed)
        raise UsageError(f"parameter '{self.name}' must be one of {len(allowed)} values of <{self.scheme}>, not <{term.value}>",
                         f"Allowed: {listed}.")

    def choices(self) -> list[str] | None:
        return self.type.split("|") if "|" in self.type else None

    def bind(self, raw: str) -> Term:
        """Check a raw value against the type and make it an RDF term; a bad value is a UsageError."""
        if self.choices():
            if raw not in self.choices():
                raise UsageError(f"parameter '{self.name}' must be one of {', '.join(self.choices())}, not '{raw}'")
            return Term.literal(raw)
        if self.type == "iri":
            return Term.iri(expand_iri(raw, self.name))
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?[0-9]{1,12}", raw):
                raise UsageError(f"parameter '{self.name}' must be an integer, not '{raw}'")
            return Term.literal(str(int(raw)), XSD_INTEGER)
        if self.type == "boolean":
            if raw not in ("true", "false"):
                raise UsageError(f"parameter '{self.name}' must be true or false, not '{raw}'")
            return Term.literal(raw, XSD_BOOLEAN)
        if len(raw) > 1000:
            raise UsageError(f"parameter '{self.name}' is too long (over 1000 characters)")
        return Term.literal(raw)


def expand_iri(raw: str, name: str = "iri") -> str:
    """Expand prefix:local with the project prefixes; accept <iri> or a plain absolute IRI."""
    value = raw.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    match = re.fullmatch(r"([A-Za-z][\w-]*):([^\x00-\x20\s/<>\"{}|\\^`]*)", value)
    if match and match.group(1) in PREFIXES:
        return str(PREFIXES[match.group(1)]) + match.group(2)
    if re.fullmatch(r"https?://[^\x00-\x20\s<>\"{}|\\^`]+", value):
        return value
    raise UsageError(f"parameter '{name}' must be an IRI (for example stakeholder:startup), not '{raw}'")


@dataclass
class NamedQuery:
    """One queries/*.rq file: its public name, header and SPARQL text."""

    name: str
    path: Path
    text: str
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    params: list[Param] = field(default_factory=list)

    @classmethod
    def from_file(cls, path: Path) -> NamedQuery:
        text = path.read_text(encoding="utf-8")
        query = cls(name=path.stem, path=path, text=text)
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            if m := _HEADER.match(line):
                getattr(query, m.group(1))[m.group(2) or "en"] = m.group(3).strip()
            elif m := _PARAM.match(line):
                query.params.append(Param(m.group(1), m.group(2), m.group(4), (m.group(5) or "").strip(), m.group(3)))
        return query

    @cached_property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword outside comments, strings and IRIs."""
        for kind, value in guard.tokens(self.text):
            if kind == "word" and value.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                return value.upper()
        return "SELECT"

    def substitutions(self, values: dict[str, str], layer: str = DEFAULT_LAYER,
                      codes: dict[str, list[Code]] | None = None) -> dict[str, Term]:
        """The bindings of a run: the typed parameters, and ?layer bound to the layer's name where the query shows it."""
        out = self.bindings(values, codes)
        if self.shows_layer:
            out["layer"] = Term.literal(layer)
        return out

    @cached_property
    def shows_layer(self) -> bool:
        """Whether the text reads ?layer (the engine then binds it to the layer's name)."""
        return re.search(r"[?$]layer\b", self.text) is not None

    def bindings(self, values: dict[str, str], codes: dict[str, list[Code]] | None = None) -> dict[str, Term]:
        """Typed bindings for the given raw values, defaults filled in; unknown names are an error, and so is an IRI
        outside its parameter's code list (codes: the release's, code_lists())."""
        known = {p.name: p for p in self.params}
        unknown = set(values) - set(known)
        if unknown:
            raise UsageError(f"query '{self.name}' has no parameter {', '.join(sorted(unknown))}",
                             f"Its parameters: {', '.join([*known, 'layer']) if known else 'none but layer'}.")
        out = {}
        for p in self.params:
            raw = values.get(p.name, p.default)
            if raw is None:
                raise UsageError(f"query '{self.name}' needs the parameter '{p.name}' ({p.type})")
            out[p.name] = p.check(p.bind(raw), codes)
        return out


def catalogue(settings: Settings | None = None) -> dict[str, NamedQuery]:
    """Every named query, by public name (checks excluded)."""
    settings = settings or load_settings()
    return {p.stem: NamedQuery.from_file(p) for p in sorted(settings.queries_dir.glob("*.rq"))}


def find(name_or_file: str, settings: Settings) -> NamedQuery:
    """A named query by name, or a query file by path."""
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.exists():
        return NamedQuery.from_file(path)
    if not _NAME.match(name_or_file):
        raise UsageError(f"'{name_or_file}' is neither a named query nor an existing .rq file")
    queries = catalogue(settings)
    if name_or_file not in queries:
        raise UsageError(f"no named query '{name_or_file}'", f"Known queries: {', '.join(queries)}.")
    return queries[name_or_file]


@dataclass(frozen=True)
class Code:
    """One allowed value of a code list: a concept of a SKOS scheme, its CURIE and its labels."""

    iri: str
    curie: str
    en: str
    ja: str


_CODE_LISTS: dict[str, dict[str, list[Code]]] = {}
_CODE_LIST_QUERY = f"""SELECT ?scheme ?c (SAMPLE(?en) AS ?l_en) (SAMPLE(?ja) AS ?l_ja) WHERE {{
    GRAPH <{STATED}> {{ ?c <{SKOS_IN_SCHEME}> ?scheme }}
    OPTIONAL {{ ?c <http://www.w3.org/2000/01/rdf-schema#label> ?en FILTER (LANG(?en) = "en") }}
    OPTIONAL {{ ?c <http://www.w3.org/2000/01/rdf-schema#label> ?ja FILTER (LANG(?ja) = "ja") }}
}} GROUP BY ?scheme ?c ORDER BY STR(?c)"""


def code_lists(engine, release: str, timeout_s: float) -> dict[str, list[Code]]:
    """Every concept scheme of the stated graph with its concepts, asked of the engine that serves the release (once
    per release); empty where nothing is stated (served data files), and then no parameter is checked."""
    if release not in _CODE_LISTS:
        found: dict[str, list[Code]] = {}
        for row in engine.run(Job(_CODE_LIST_QUERY, 100_000), timeout_s).values():
            iri = row["c"]
            found.setdefault(row["scheme"], []).append(Code(iri, curie(iri), row["l_en"] or "", row["l_ja"] or ""))
        _CODE_LISTS.clear()
        _CODE_LISTS[release] = found
    return _CODE_LISTS[release]


def curie(iri: str) -> str:
    """prefix:local with the longest project namespace that fits (the IRI itself when none does)."""
    best = max(((p, ns) for p, ns in PREFIX_MAP.items() if iri.startswith(ns)), key=lambda pn: len(pn[1]), default=None)
    return f"{best[0]}:{iri[len(best[1]):]}" if best else iri


def split_layer(values: dict[str, str]) -> tuple[dict[str, str], str]:
    """The parameters without `layer`, and the layer (the default when not given): the CLI takes `-p layer=…` beside
    a query's own parameters."""
    rest = dict(values)
    return rest, checked_layer(rest.pop("layer", None))


def job(query: NamedQuery, values: dict[str, str], graphs: list[str], codes: dict | None = None) -> Job:
    """The Job of a named query run in process: its parameters bound, over the layer among the values (or the
    default), given the graphs the engine serves."""
    from ecograph.engine.local import NO_CAP

    values, layer = split_layer(values)
    bound = Job(query.text, NO_CAP, query.form, PREFIX_MAP, substitutions=query.substitutions(values, layer, codes))
    return bound.in_layer(layer_graphs(layer, graphs))


def run(query: NamedQuery, values: dict[str, str], settings: Settings, engine=None) -> Answer:
    """Run a named query with parameter values (`layer` among them, or the default) on the built graph, in process
    (or on the engine given: engine/local.over_files for a release with extra data)."""
    from ecograph.engine import local

    engine = engine or local.for_release(settings)
    codes = code_lists(engine, str(settings.dist.resolve()), settings.query_timeout_s)
    return engine.run(job(query, values, engine.graphs, codes), settings.query_timeout_s)


def run_named(name_or_file: str, values: dict[str, str] | None = None, settings: Settings | None = None) -> Answer:
    """Find and run a named query (or a .rq file)."""
    settings = settings or load_settings()
    return run(find(name_or_file, settings), values or {}, settings)

