"""Deterministic serialisers: the same graph always gives the same bytes, whatever PYTHONHASHSEED is.

Turtle, TriG, N-Triples and N-Quads are written by pyoxigraph from sorted triples (about ten times faster
than rdflib's writers, which dominated the build); RDF/XML and JSON-LD are written here (flat RDF/XML,
expanded JSON-LD without any remote context), since neither writer orders its output.

Every writer takes an rdflib Graph or the Quads of one: the build carries its large graphs as pyoxigraph quads
(issue 5, part 4), and converting a million triples to rdflib terms and back cost more than writing them."""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from itertools import compress
from json.encoder import encode_basestring
from operator import attrgetter, itemgetter
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ecograph.namespaces import bind_all
from ecograph.rdf.terms import ox_to_rdflib, rdflib_to_ox

_XSD_STRING = str(XSD.string)
_SUBJECT, _PREDICATE, _OBJECT = attrgetter("subject"), attrgetter("predicate"), attrgetter("object")
_FIRST = itemgetter(0)
_RDF_TYPE = ox.NamedNode(str(RDF.type))


@dataclass
class Terms:
    """The terms of some triples, read once: what the prefixes of the dumps and the VoID counts are made from."""

    subjects: set
    predicates: Counter  # predicate -> triples
    objects: set
    typings: list  # the rdf:type triples


class Quads(list):
    """The triples of one graph as pyoxigraph quads of the default graph, each once. The build carries its large
    graphs this way (pyoxigraph reads them, its store and writers take them as they are); `in_order` marks quads
    already sorted as the dumps write them, so that the writers sort each graph once. Quads are not changed once
    made: what is computed from them (terms(), _stems) is kept with them."""

    in_order = False
    stems: dict | None = None  # see _stems
    _terms: Terms | None = None

    def terms(self) -> Terms:
        """The subjects, predicates, objects and rdf:type triples of these quads."""
        if self._terms is None:
            predicates = list(map(_PREDICATE, self))
            typings = list(compress(self, map(_RDF_TYPE.__eq__, predicates)))  # in C, not a Python loop
            self._terms = Terms(set(map(_SUBJECT, self)), Counter(predicates), set(map(_OBJECT, self)), typings)
        return self._terms


def quads(graph: Graph | Quads) -> Quads:
    """The triples of graph as Quads (graph itself when it is Quads)."""
    if isinstance(graph, Quads):
        return graph
    return Quads(ox.Quad(rdflib_to_ox(s), rdflib_to_ox(p), rdflib_to_ox(o)) for s, p, o in graph)


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
            found = made[t] = ox_to_rdflib(t)
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


def _stems(triples: Quads) -> dict[str, bool]:
    """Namespace part (up to the last / or #) of each IRI of triples (datatypes included) -> every local name
    after it is plain. Read from the distinct terms, and kept with triples: trig() needs it again."""
    if triples.stems is None:
        terms = triples.terms()
        found = terms.subjects | set(terms.predicates) | terms.objects
        found.update(o.datatype for o in terms.objects if isinstance(o, ox.Literal))
        plain: dict[str, bool] = {}
        for term in found:
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


def _with_prefixes(body: bytes | str, prefixes: dict[str, str]) -> str:
    """pyoxigraph writes its prefix lines in no fixed order: write them sorted instead."""
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    start = 0
    while text.startswith("@prefix ", start):  # pyoxigraph writes them all first
        start = text.index("\n", start) + 1
    head = "\n".join(f"@prefix {prefix}: <{ns}> ." for prefix, ns in sorted(prefixes.items()))
    return (head + "\n\n" if head else "") + text[start:]


def _nt_text(graph: Graph | Quads) -> str:
    """N-Triples of graph in order: one triple a line, each ending " .\n" (a line break in a literal is escaped)."""
    return ox.serialize(in_order(graph), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def _nt_lines(graph: Graph | Quads) -> list[str]:
    return sorted(line for line in _nt_text(graph).splitlines() if line.strip())


def ntriples(graph: Graph | Quads) -> str:
    """Sorted N-Triples."""
    return "\n".join(_nt_lines(graph)) + "\n"


def nquads(named: dict[URIRef, Graph | Quads]) -> str:
    """Sorted N-Quads of several named graphs."""
    text = "".join(_nt_text(graph).replace(" .\n", f" <{name}> .\n") for name, graph in named.items())
    return "\n".join(sorted(line for line in text.splitlines() if line.strip())) + "\n"


def turtle(graph: Graph | Quads) -> str:
    """Turtle with the project's prefixes, subjects in order, each with its predicates and objects in order."""
    triples = in_order(graph)
    prefixes = _prefixes(_stems(triples))
    return _with_prefixes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes), prefixes)


def trig(named: dict[URIRef, Graph | Quads]) -> str:
    """TriG of several named graphs, in order of graph name, prefixes once on top.

    pyoxigraph writes a named graph in TriG as its Turtle, each line indented by a tab, between "<name> {" and
    "}": each graph is written so (making a million quads with a graph name took longer than writing them)."""
    triples = {name: in_order(named[name]) for name in sorted(named)}
    plain: dict[str, bool] = {}
    for ts in triples.values():
        for stem, is_plain in _stems(ts).items():
            plain[stem] = plain.get(stem, True) and is_plain
    prefixes = _prefixes(plain)
    parts = []
    for name, ts in triples.items():
        if not ts:
            continue
        first = ts[0]
        opening = _with_prefixes(ox.serialize([ox.Quad(first.subject, first.predicate, first.object, ox.NamedNode(str(name)))],
                                              format=ox.RdfFormat.TRIG, prefixes=prefixes), {}).split("\n", 1)[0]
        body = _with_prefixes(ox.serialize(ts, format=ox.RdfFormat.TURTLE, prefixes=prefixes), {})
        parts.append(f"{opening}\n\t{body[:-1].replace(chr(10), chr(10) + chr(9))}\n}}\n")
    return _with_prefixes("".join(parts), prefixes)


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


def _nodes(graph: Graph) -> dict[str, dict]:
    """Subject id -> {"@id", "@type": [classes], property: [values]} of graph, in no order."""
    nodes: dict[str, dict] = {}
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


def _nodes_json(graph: Graph) -> list[dict]:
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


def _write_nodes(nodes: list[dict], indent: str, out: list) -> None:
    """nodes (see _nodes_json) as json.dumps(nodes, ensure_ascii=False, indent=1) writes them when they sit at
    indent, appended to out. The json module writes indented JSON with its pure-Python encoder, which took
    minutes at a million triples; this writes the same text for the one shape of data it is given."""
    if not nodes:
        out.append("[]")
        return
    i1, i2, i3, i4 = indent + " ", indent + "  ", indent + "   ", indent + "    "
    enc = encode_basestring
    separator = "[\n"
    for node in nodes:
        out.append(separator + i1 + "{")
        separator = ",\n"
        head = "\n"
        for key, item in node.items():
            out.append(head + i2 + enc(key) + ": ")
            head = ",\n"
            if isinstance(item, str):
                out.append(enc(item))
            elif not item:
                out.append("[]")
            else:
                values = [i3 + enc(v) if isinstance(v, str) else
                          i3 + "{\n" + ",\n".join(i4 + enc(k) + ": " + enc(x) for k, x in v.items()) + "\n" + i3 + "}"
                          for v in item]
                out.append("[\n" + ",\n".join(values) + "\n" + i2 + "]")
        out.append("\n" + i1 + "}")
    out.append("\n" + indent + "]")


def _write_quads(triples: Quads, indent: str, out: list) -> None:
    """_write_nodes(_nodes_json(triples), indent, out) in one pass over the quads in order, each value written as text
    with its sort key (what _value_key gives) rather than built as a dict: the JSON-LD of the dataset was the
    slowest dump at a million triples. In order, the triples of a subject, and of a subject and predicate, are
    next to each other (their N-Triples lines start alike)."""
    i1, i2, i3, i4 = indent + " ", indent + "  ", indent + "   ", indent + "    "
    enc, literal, blank, rdf_type = encode_basestring, ox.Literal, ox.BlankNode, _RDF_TYPE
    nodes: list[tuple[str, list, list]] = []  # (subject id, classes, [(property, [(sort key, text)])])
    subject = predicate = values = None
    for q in in_order(triples):
        s, p, o = q.subject, q.predicate, q.object
        if s != subject:
            subject, predicate = s, None
            node = ("_:" + s.value if type(s) is blank else s.value, [], [])
            nodes.append(node)
        kind = type(o)
        if kind is literal:
            value, language = enc(o.value), o.language
            if language:
                language = enc(language)
                item = (f'{{"@language": {language}, "@value": {value}}}',
                        f'{i3}{{\n{i4}"@value": {value},\n{i4}"@language": {language}\n{i3}}}')
            elif o.datatype.value == _XSD_STRING:
                item = (f'{{"@value": {value}}}', f'{i3}{{\n{i4}"@value": {value}\n{i3}}}')
            else:
                datatype = enc(o.datatype.value)
                item = (f'{{"@type": {datatype}, "@value": {value}}}',
                        f'{i3}{{\n{i4}"@value": {value},\n{i4}"@type": {datatype}\n{i3}}}')
        elif p == rdf_type:
            node[1].append(o.value)
            continue
        else:
            value = enc("_:" + o.value if kind is blank else o.value)
            item = (f'{{"@id": {value}}}', f'{i3}{{\n{i4}"@id": {value}\n{i3}}}')
        if p != predicate:
            predicate, values = p, []
            node[2].append((p.value, values))
        values.append(item)
    if not nodes:
        out.append("[]")
        return
    separator = "[\n"
    for sid, classes, properties in sorted(nodes, key=_FIRST):
        out.append(f'{separator}{i1}{{\n{i2}"@id": {enc(sid)}')
        separator = ",\n"
        if classes:
            out.append(f',\n{i2}"@type": [\n' + ",\n".join(i3 + enc(c) for c in sorted(classes)) + f"\n{i2}]")
        for key, values in sorted(properties, key=_FIRST):
            if len(values) > 1:
                values.sort(key=_FIRST)
            out.append(f",\n{i2}{enc(key)}: [\n" + ",\n".join(text for _, text in values) + f"\n{i2}]")
        out.append(f"\n{i1}}}")
    out.append("\n" + indent + "]")


def jsonld(named: dict[URIRef, Graph | Quads] | Graph | Quads) -> str:
    """Expanded JSON-LD (no @context, so nothing is ever fetched), sorted."""
    out: list[str] = []
    if isinstance(named, Quads):
        _write_quads(named, "", out)
    elif isinstance(named, Graph):
        _write_nodes(_nodes_json(named), "", out)
    elif not named:
        out.append("[]")
    else:
        separator = "[\n"
        for name, graph in sorted(named.items()):
            out.append(f'{separator} {{\n  "@id": {encode_basestring(str(name))},\n  "@graph": ')
            if isinstance(graph, Quads):
                _write_quads(graph, "  ", out)
            else:
                _write_nodes(_nodes_json(graph), "  ", out)
            out.append("\n }")
            separator = ",\n"
        out.append("\n]")
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
