"""Deterministic serialisers: the same graph always gives the same bytes, whatever PYTHONHASHSEED is.

Turtle, TriG, N-Triples and N-Quads are written by pyoxigraph from sorted triples (about ten times faster
than rdflib's writers, which dominated the build); RDF/XML and JSON-LD are written here (flat RDF/XML,
expanded JSON-LD without any remote context), since neither writer orders its output."""

from __future__ import annotations

import functools
import json
import re
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ecograph.namespaces import bind_all


def to_ox(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term (a plain literal is an xsd:string, as in RDF 1.1)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))


def _ox_triples(graph: Graph) -> list[ox.Triple]:
    """The triples of graph as pyoxigraph triples, in the order of their N-Triples text."""
    return sorted((ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph), key=str)


@functools.lru_cache(maxsize=1)
def _known_prefixes() -> tuple[tuple[str, str], ...]:
    g = Graph()
    bind_all(g)
    return tuple((prefix, str(ns)) for prefix, ns in g.namespaces() if prefix)


_LOCAL = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def _prefixes(triples: list[ox.Triple]) -> dict[str, str]:
    """The project's prefixes that shorten the IRIs of triples to plain prefixed names. A namespace that would
    need escapes (id: before agent/amed) is left out, so that such IRIs are written whole."""
    plain: dict[str, bool] = {}  # namespace part (up to the last / or #) -> every local name after it is plain
    for t in triples:
        for term in (t.subject, t.predicate, t.object, getattr(t.object, "datatype", None)):
            if isinstance(term, ox.NamedNode):
                iri = term.value
                cut = max(iri.rfind("/"), iri.rfind("#")) + 1
                stem = iri[:cut]
                plain[stem] = plain.get(stem, True) and bool(_LOCAL.fullmatch(iri[cut:]))
    chosen = {}
    for prefix, ns in _known_prefixes():
        if plain.get(ns) and not any(stem != ns and stem.startswith(ns) for stem in plain):
            chosen[prefix] = ns
    return chosen


def _with_prefixes(body: bytes, prefixes: dict[str, str]) -> str:
    """pyoxigraph writes its prefix lines in no fixed order: write them sorted instead."""
    lines = body.decode("utf-8").split("\n")
    rest = [line for line in lines if not line.startswith("@prefix ")]
    head = [f"@prefix {prefix}: <{ns}> ." for prefix, ns in sorted(prefixes.items())]
    return "\n".join(head + ([""] if head else []) + rest)


def _nt_lines(graph: Graph) -> list[str]:
    text = ox.serialize(_ox_triples(graph), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return sorted(line for line in text.splitlines() if line.strip())


def ntriples(graph: Graph) -> str:
    """Sorted N-Triples."""
    return "\n".join(_nt_lines(graph)) + "\n"


def nquads(named: dict[URIRef, Graph]) -> str:
    """Sorted N-Quads of several named graphs."""
    lines = []
    for name, graph in named.items():
        for line in _nt_lines(graph):
            lines.append(f"{line[:-1].rstrip()} <{name}> .")
    return "\n".join(sorted(lines)) + "\n"


def turtle(graph: Graph) -> str:
    """Turtle with the project's prefixes, subjects in order, each with its predicates and objects in order."""
    triples = _ox_triples(graph)
    prefixes = _prefixes(triples)
    return _with_prefixes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes), prefixes)


def trig(named: dict[URIRef, Graph]) -> str:
    """TriG of several named graphs, in order of graph name, prefixes once on top."""
    triples = {name: _ox_triples(named[name]) for name in sorted(named)}
    prefixes = _prefixes([t for ts in triples.values() for t in ts])
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(name))) for name, ts in triples.items() for t in ts]
    return _with_prefixes(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes), prefixes)


def _term_json(term) -> dict:
    if isinstance(term, Literal):
        value: dict = {"@value": str(term)}
        if term.language:
            value["@language"] = term.language
        elif term.datatype:
            value["@type"] = str(term.datatype)
        return value
    if isinstance(term, BNode):
        return {"@id": f"_:{term}"}
    return {"@id": str(term)}


def _nodes_json(graph: Graph) -> list[dict]:
    nodes: dict[str, dict] = {}
    for s, p, o in graph:
        sid = f"_:{s}" if isinstance(s, BNode) else str(s)
        node = nodes.setdefault(sid, {"@id": sid})
        if p == RDF.type and not isinstance(o, Literal):
            node.setdefault("@type", []).append(str(o))
        else:
            node.setdefault(str(p), []).append(_term_json(o))
    out = []
    for sid in sorted(nodes):
        node = nodes[sid]
        ordered = {"@id": sid}
        if "@type" in node:
            ordered["@type"] = sorted(node["@type"])
        for key in sorted(k for k in node if not k.startswith("@")):
            ordered[key] = sorted(node[key], key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        out.append(ordered)
    return out


def jsonld(named: dict[URIRef, Graph] | Graph) -> str:
    """Expanded JSON-LD (no @context, so nothing is ever fetched), sorted."""
    if isinstance(named, Graph):
        body: list = _nodes_json(named)
    else:
        body = [{"@id": str(name), "@graph": _nodes_json(graph)} for name, graph in sorted(named.items())]
    return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


_SPLIT = re.compile(r"^(.*[#/])([A-Za-z_][A-Za-z0-9_.-]*)$")


def rdfxml(graph: Graph) -> str:
    """Flat RDF/XML: one rdf:Description per subject, properties sorted."""
    namespaces: dict[str, str] = {str(RDF): "rdf"}
    subjects: dict = {}
    for s, p, o in graph:
        subjects.setdefault(s, []).append((p, o))
    body = []
    for s in sorted(subjects, key=lambda n: (isinstance(n, BNode), str(n))):
        about = f"rdf:nodeID={quoteattr(str(s))}" if isinstance(s, BNode) else f"rdf:about={quoteattr(str(s))}"
        body.append(f"  <rdf:Description {about}>")
        for p, o in sorted(subjects[s], key=lambda po: (str(po[0]), po[1].n3())):
            match = _SPLIT.match(str(p))
            if not match:
                raise ValueError(f"cannot write predicate {p} as RDF/XML")
            ns, local = match.groups()
            prefix = namespaces.setdefault(ns, f"ns{len(namespaces)}")
            tag = f"{prefix}:{local}"
            if isinstance(o, Literal):
                attrs = f' xml:lang="{o.language}"' if o.language else (f" rdf:datatype={quoteattr(str(o.datatype))}" if o.datatype else "")
                body.append(f"    <{tag}{attrs}>{escape(str(o))}</{tag}>")
            elif isinstance(o, BNode):
                body.append(f"    <{tag} rdf:nodeID={quoteattr(str(o))}/>")
            else:
                body.append(f"    <{tag} rdf:resource={quoteattr(str(o))}/>")
        body.append("  </rdf:Description>")
    decls = "".join(f"\n    xmlns:{prefix}={quoteattr(ns)}" for ns, prefix in sorted(namespaces.items(), key=lambda kv: kv[1]))
    return f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{decls}>\n' + "\n".join(body) + "\n</rdf:RDF>\n"
