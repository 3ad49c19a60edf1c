"""Deterministic serialisers: the same graph always gives the same bytes, whatever PYTHONHASHSEED is.

Turtle, TriG, N-Triples and N-Quads are written by pyoxigraph from sorted triples (about ten times faster
than rdflib's writers, which dominated the build); RDF/XML and JSON-LD are written here (flat RDF/XML,
expanded JSON-LD without any remote context), since neither writer orders its output.

Every writer takes an rdflib Graph or the Quads of one: the build carries its large graphs as pyoxigraph quads
(issue 5, part 4), and converting a million triples to rdflib terms and back cost more than writing them."""

from __future__ import annotations

import functools
import re
import warnings
from json.encoder import encode_basestring
from operator import attrgetter
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ecograph.namespaces import bind_all

_XSD_STRING = str(XSD.string)


def to_ox(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term (a plain literal is an xsd:string, as in RDF 1.1)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))


def from_ox(term):
    """A pyoxigraph term as an rdflib term (an xsd:string literal has no datatype, as rdflib parses "text")."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    with warnings.catch_warnings():  # rdflib warns about (and logs) lexical forms it cannot read; data checks report them
        warnings.simplefilter("ignore")
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))


class Quads(list):
    """The triples of one graph as pyoxigraph quads of the default graph, each once. The build carries its large
    graphs this way (pyoxigraph reads them, its store and writers take them as they are); `in_order` marks quads
    already sorted as the dumps write them, so that the writers sort each graph once."""

    in_order = False
    stems: dict | None = None  # see _stems, kept with the quads it was computed from


def quads(graph: Graph | Quads) -> Quads:
    """The triples of graph as Quads (graph itself when it is Quads)."""
    if isinstance(graph, Quads):
        return graph
    return Quads(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)


def in_order(graph: Graph | Quads) -> Quads:
    """The quads of graph in the order of their N-Triples text, sorted once."""
    if isinstance(graph, Quads) and graph.in_order:
        return graph
    ordered = Quads(sorted(quads(graph), key=str))
    ordered.in_order = True
    return ordered


def rdflib_graph(triples: Quads, graph: Graph | None = None) -> Graph:
    """An rdflib Graph of triples (into graph, which may carry namespaces). Terms repeat (a subject has several
    triples, a class many instances): each is converted once."""
    graph = graph if graph is not None else Graph()
    made: dict = {}

    def term(t):
        found = made.get(t)
        if found is None:
            found = made[t] = from_ox(t)
        return found

    add = graph.add
    for q in triples:
        add((term(q.subject), term(q.predicate), term(q.object)))
    return graph


@functools.lru_cache(maxsize=1)
def _known_prefixes() -> tuple[tuple[str, str], ...]:
    g = Graph()
    bind_all(g)
    return tuple((prefix, str(ns)) for prefix, ns in g.namespaces() if prefix)


_LOCAL = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_SUBJECT, _PREDICATE, _OBJECT = attrgetter("subject"), attrgetter("predicate"), attrgetter("object")


def _stems(triples: Quads) -> dict[str, bool]:
    """Namespace part (up to the last / or #) of each IRI of triples (datatypes included) -> every local name
    after it is plain. Read from the distinct terms, and kept with triples: trig() needs it again."""
    if triples.stems is None:
        objects = set(map(_OBJECT, triples))
        terms = set(map(_SUBJECT, triples)) | set(map(_PREDICATE, triples)) | objects
        terms.update(o.datatype for o in objects if isinstance(o, ox.Literal))
        plain: dict[str, bool] = {}
        for term in terms:
            if isinstance(term, ox.NamedNode):
                iri = term.value
                cut = max(iri.rfind("/"), iri.rfind("#")) + 1
                stem = iri[:cut]
                plain[stem] = plain.get(stem, True) and bool(_LOCAL.fullmatch(iri[cut:]))
        triples.stems = plain
    return triples.stems


def _prefixes(plain: dict[str, bool]) -> dict[str, str]:
    """The project's prefixes that shorten the IRIs (plain: see _stems) to plain prefixed names. A namespace that
    would need escapes (id: before agent/amed) is left out, so that such IRIs are written whole."""
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


def _nt_lines(graph: Graph | Quads) -> list[str]:
    text = ox.serialize(in_order(graph), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return sorted(line for line in text.splitlines() if line.strip())


def ntriples(graph: Graph | Quads) -> str:
    """Sorted N-Triples."""
    return "\n".join(_nt_lines(graph)) + "\n"


def nquads(named: dict[URIRef, Graph | Quads]) -> str:
    """Sorted N-Quads of several named graphs."""
    lines = []
    for name, graph in named.items():
        for line in _nt_lines(graph):
            lines.append(f"{line[:-1].rstrip()} <{name}> .")
    return "\n".join(sorted(lines)) + "\n"


def turtle(graph: Graph | Quads) -> str:
    """Turtle with the project's prefixes, subjects in order, each with its predicates and objects in order."""
    triples = in_order(graph)
    prefixes = _prefixes(_stems(triples))
    return _with_prefixes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes), prefixes)


def trig(named: dict[URIRef, Graph | Quads]) -> str:
    """TriG of several named graphs, in order of graph name, prefixes once on top."""
    triples = {name: in_order(named[name]) for name in sorted(named)}
    plain: dict[str, bool] = {}
    for ts in triples.values():
        for stem, is_plain in _stems(ts).items():
            plain[stem] = plain.get(stem, True) and is_plain
    prefixes = _prefixes(plain)
    named_quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(name))) for name, ts in triples.items() for t in ts]
    return _with_prefixes(ox.serialize(named_quads, format=ox.RdfFormat.TRIG, prefixes=prefixes), prefixes)


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


def _ox_json(term) -> dict:
    """_term_json of the rdflib term that term stands for (an xsd:string literal has no datatype there)."""
    if isinstance(term, ox.Literal):
        value: dict = {"@value": term.value}
        if term.language:
            value["@language"] = term.language
        elif term.datatype.value != _XSD_STRING:
            value["@type"] = term.datatype.value
        return value
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    return {"@id": term.value}


def _nodes(graph: Graph | Quads) -> dict[str, dict]:
    """Subject id -> {"@id", "@type": [classes], property: [values]} of graph, in no order."""
    nodes: dict[str, dict] = {}
    if isinstance(graph, Quads):
        rdf_type = ox.NamedNode(str(RDF.type))
        for q in graph:
            s, p, o = q.subject, q.predicate, q.object
            sid = f"_:{s.value}" if isinstance(s, ox.BlankNode) else s.value
            node = nodes.get(sid) or nodes.setdefault(sid, {"@id": sid})
            if p == rdf_type and not isinstance(o, ox.Literal):
                node.setdefault("@type", []).append(o.value)
            else:
                node.setdefault(p.value, []).append(_ox_json(o))
        return nodes
    for s, p, o in graph:
        sid = f"_:{s}" if isinstance(s, BNode) else str(s)
        node = nodes.setdefault(sid, {"@id": sid})
        if p == RDF.type and not isinstance(o, Literal):
            node.setdefault("@type", []).append(str(o))
        else:
            node.setdefault(str(p), []).append(_term_json(o))
    return nodes


def _value_key(value: dict) -> str:
    """json.dumps(value, sort_keys=True, ensure_ascii=False) of a value of _term_json, written directly."""
    return "{" + ", ".join(f"{encode_basestring(k)}: {encode_basestring(value[k])}" for k in sorted(value)) + "}"


def _nodes_json(graph: Graph | Quads) -> list[dict]:
    nodes = _nodes(graph)
    out = []
    for sid in sorted(nodes):
        node = nodes[sid]
        ordered = {"@id": sid}
        if "@type" in node:
            ordered["@type"] = sorted(node["@type"])
        for key in sorted(k for k in node if not k.startswith("@")):
            values = node[key]
            ordered[key] = sorted(values, key=_value_key) if len(values) > 1 else values
        out.append(ordered)
    return out


def _json_text(value, indent: str, out: list) -> None:
    """value as json.dumps(value, ensure_ascii=False, indent=1) writes it, appended to out in pieces. The json
    module writes indented JSON with its pure-Python encoder, which took minutes for a million triples."""
    if isinstance(value, str):
        out.append(encode_basestring(value))
        return
    if not value:
        out.append("{}" if isinstance(value, dict) else "[]")
        return
    inner = indent + " "
    if isinstance(value, dict):
        out.append("{")
        separator = "\n" + inner
        for key, item in value.items():
            out.append(separator)
            out.append(encode_basestring(key) + ": ")
            _json_text(item, inner, out)
            separator = ",\n" + inner
        out.append("\n" + indent + "}")
        return
    out.append("[")
    separator = "\n" + inner
    for item in value:
        out.append(separator)
        _json_text(item, inner, out)
        separator = ",\n" + inner
    out.append("\n" + indent + "]")


def jsonld(named: dict[URIRef, Graph | Quads] | Graph | Quads) -> str:
    """Expanded JSON-LD (no @context, so nothing is ever fetched), sorted."""
    if isinstance(named, (Graph, Quads)):
        body: list = _nodes_json(named)
    else:
        body = [{"@id": str(name), "@graph": _nodes_json(graph)} for name, graph in sorted(named.items())]
    out: list[str] = []
    _json_text(body, "", out)
    return "".join(out) + "\n"


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
