"""Deterministic serialisers: the same graph always gives the same bytes, whatever PYTHONHASHSEED is.

rdflib's Turtle and TriG writers are already deterministic; its RDF/XML and JSON-LD writers are not, so
those two are written here (flat RDF/XML, expanded JSON-LD without any remote context)."""

from __future__ import annotations

import json
import re
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from ecograph.namespaces import bind_all


def _nt_lines(graph: Graph) -> list[str]:
    return sorted(line for line in graph.serialize(format="nt").splitlines() if line.strip())


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
    """Turtle with the project's prefixes."""
    out = Graph()
    bind_all(out)
    for t in graph:
        out.add(t)
    return out.serialize(format="turtle")


def trig(named: dict[URIRef, Graph]) -> str:
    """TriG of several named graphs: each graph's Turtle body inside its GRAPH block, prefixes once on top.
    (rdflib's own TriG writer calls a deprecated API of its own, which our warnings-as-errors policy rejects.)"""
    prefixes: set[str] = set()
    blocks = []
    for name in sorted(named):
        body = []
        for line in turtle(named[name]).splitlines():
            if line.startswith("@prefix"):
                prefixes.add(line)
            elif line.strip():
                body.append(line)
        blocks.append(f"<{name}> {{\n" + "\n".join(body) + "\n}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)


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
