"""NamedQuery: reads queries/*.rq and its header, binds typed parameters, runs it on the built graph.

A query file opens with a header that the docs, the CLI and the server all read:

    # title: Programs ① to ㉜
    # title@ja: 事業①〜㉜
    # description: One row per program resource …
    # description@ja: …
    # param: stakeholder (iri) = stakeholder:startup : the kind of stakeholder
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ecograph.engine.store import Result, Term, open_store
from ecograph.errors import NotBuiltError, UsageError
from ecograph.namespaces import PREFIXES, sparql_prefixes
from ecograph.settings import Settings, load_settings

XSD = "http://www.w3.org/2001/XMLSchema#"
_HEADER = re.compile(r"^#\s*(title|description)(?:@(ja|en))?\s*:\s*(.*)$")
_PARAM = re.compile(r"^#\s*param\s*:\s*(\w+)\s*\((\w+(?:\|[\w-]+)*)\)\s*(?:=\s*(\S+))?\s*(?::\s*(.*))?$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class Param:
    """A typed parameter of a named query."""

    name: str
    type: str  # iri, string, integer, boolean, or a choice a|b|c
    default: str | None
    description: str

    def choices(self) -> list[str] | None:
        return self.type.split("|") if "|" in self.type else None

    def bind(self, raw: str) -> Term:
        """Check a raw value against the type and make it an RDF term; a bad value is a UsageError."""
        if self.choices():
            if raw not in self.choices():
                raise UsageError(f"parameter '{self.name}' must be one of {', '.join(self.choices())}, not '{raw}'")
            return Term("literal", raw, datatype=XSD + "string")
        if self.type == "iri":
            return Term("uri", expand_iri(raw, self.name))
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?[0-9]{1,12}", raw):
                raise UsageError(f"parameter '{self.name}' must be an integer, not '{raw}'")
            return Term("literal", str(int(raw)), datatype=XSD + "integer")
        if self.type == "boolean":
            if raw not in ("true", "false"):
                raise UsageError(f"parameter '{self.name}' must be true or false, not '{raw}'")
            return Term("literal", raw, datatype=XSD + "boolean")
        if len(raw) > 1000:
            raise UsageError(f"parameter '{self.name}' is too long (over 1000 characters)")
        return Term("literal", raw, datatype=XSD + "string")


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
                query.params.append(Param(m.group(1), m.group(2), m.group(3), (m.group(4) or "").strip()))
        return query

    def bindings(self, values: dict[str, str]) -> dict[str, Term]:
        """Typed bindings for the given raw values, defaults filled in; unknown names are an error."""
        known = {p.name: p for p in self.params}
        unknown = set(values) - set(known)
        if unknown:
            raise UsageError(f"query '{self.name}' has no parameter {', '.join(sorted(unknown))}",
                             f"Its parameters: {', '.join(known) or 'none'}.")
        out = {}
        for p in self.params:
            raw = values.get(p.name, p.default)
            if raw is None:
                raise UsageError(f"query '{self.name}' needs the parameter '{p.name}' ({p.type})")
            out[p.name] = p.bind(raw)
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


_STORES: dict[tuple, object] = {}


def built_store(settings: Settings):
    """The built dataset loaded into a store (cached per release)."""
    dump = settings.dist / "dataset.nq"
    if not dump.exists():
        raise NotBuiltError(f"there is no build in {settings.dist}")
    key = (str(dump.resolve()), settings.store)
    if key not in _STORES:
        store = open_store(settings.store)
        store.load(dump.resolve())
        _STORES.clear()
        _STORES[key] = store
    return _STORES[key]


def run(query: NamedQuery, values: dict[str, str], settings: Settings) -> Result:
    """Run a named query with parameter values on the built graph."""
    bindings = query.bindings(values)
    return built_store(settings).query(sparql_prefixes() + query.text, bindings)


def run_named(name_or_file: str, values: dict[str, str] | None = None, settings: Settings | None = None) -> Result:
    """Find and run a named query (or a .rq file)."""
    settings = settings or load_settings()
    return run(find(name_or_file, settings), values or {}, settings)


# ------------------------------------------------------------------ output formats

def _cell(term: Term | None) -> str:
    return "" if term is None else term.plain()


def to_csv(result: Result, delimiter: str = ",") -> str:
    """CSV (or TSV) with a header of variable names; IRIs in full, literals as their lexical form."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_cell(t) for t in row])
    return out.getvalue()


def to_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
    bindings = []
    for row in result.rows:
        b = {}
        for var, term in zip(result.variables, row):
            if term is None:
                continue
            entry = {"type": term.kind, "value": term.value}
            if term.language:
                entry["xml:lang"] = term.language
            elif term.kind == "literal" and term.datatype:
                entry["datatype"] = term.datatype
            b[var] = entry
        bindings.append(b)
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1) + "\n"


def to_table(result: Result) -> str:
    """An aligned text table for people."""
    if result.kind == "ask":
        return ("yes" if result.boolean else "no") + "\n"
    cells = [result.variables] + [[_cell(t) for t in row] for row in result.rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(result.variables))]
    lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + f"\n({len(result.rows)} rows)\n"


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


FORMATTERS = {"table": to_table, "csv": to_csv, "tsv": lambda r: to_csv(r, "\t"), "json": to_json}
