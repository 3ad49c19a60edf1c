"""Load the sources of a build: ontology, shapes, stated and interpreted data, each into its own graph.

The data (issue 5, part 4: a million triples) are read by pyoxigraph, about thirty times faster than by rdflib,
into Quads that validate, reason and publish take as they are; their rdflib Graphs are made only when a caller
asks (pyshacl, owlrl, tests). Every file is read as rdflib would read it: where the two parsers could differ, and
for any syntax error (whose message rdflib gives with line and column), the file's graph is read by rdflib."""

from __future__ import annotations

import hashlib
import re
from operator import attrgetter
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.namespace import RDF, XSD
from rdflib.plugins.parsers.notation3 import BadSyntax

from ecograph.errors import DataSyntaxError
from ecograph.namespaces import bind_all
from ecograph.pipeline import no_cycle_collection
from ecograph.rdf import formats
from ecograph.rdf.nesting import check_nesting
from ecograph.rdf.serialize import Quads, rdflib_graph
from ecograph.rdf.terms import rdflib_to_ox
from ecograph.settings import Settings

FORMATS = formats.RDFLIB
OX_FORMATS = {suffix: formats.OXIGRAPH[suffix] for suffix in (".ttl", ".nt")}  # the data's files, which pyoxigraph reads
DATA_GRAPHS = ("stated", "interpreted")


class Sources:
    """The parsed inputs of a build. ontology, shapes and alignments are rdflib Graphs. stated and interpreted are
    held as parsed (see parsed()); reading either attribute gives its rdflib Graph, made on first use, which from
    then on is the graph (a caller may change it)."""

    def __init__(self, ontology: Graph, shapes: Graph, stated: Graph | Quads, interpreted: Graph | Quads,
                 files: list[Path], alignments: Graph | None = None, namespaces: dict[str, Graph] | None = None):
        """namespaces: for data given as Quads, the empty Graph, with namespaces bound, that its triples go into."""
        self.ontology, self.shapes, self.files, self.alignments = ontology, shapes, files, alignments
        self._held: dict[str, Graph | Quads] = {"stated": stated, "interpreted": interpreted}
        self._namespaces = namespaces or {}

    def parsed(self, name: str) -> Graph | Quads:
        """The data graph name ("stated" or "interpreted") as held: Quads as loaded, or the rdflib Graph once made."""
        return self._held[name]

    def _graph(self, name: str) -> Graph:
        held = self._held[name]
        if isinstance(held, Quads):
            held = self._held[name] = rdflib_graph(held, self._namespaces.pop(name, None))
        return held

    @property
    def stated(self) -> Graph:
        return self._graph("stated")

    @stated.setter
    def stated(self, graph: Graph) -> None:
        self._held["stated"] = graph

    @property
    def interpreted(self) -> Graph:
        return self._graph("interpreted")

    @interpreted.setter
    def interpreted(self, graph: Graph) -> None:
        self._held["interpreted"] = graph

    def namespaces(self, name: str) -> list[tuple[str, URIRef]]:
        """The namespaces of the data graph name, as its rdflib Graph has them (without making it)."""
        held = self._held[name]
        source = held if isinstance(held, Graph) else self._namespaces.get(name, Graph())
        return list(source.namespaces())

    def data(self) -> Graph:
        """Stated and interpreted data together (what the shapes validate)."""
        g = Graph()
        bind_all(g)
        for name in DATA_GRAPHS:
            for t in self._graph(name):
                g.add(t)
        return g


def _position(error: BadSyntax) -> tuple[int | None, int | None]:
    text = error._str.decode("utf-8", "replace") if isinstance(error._str, bytes) else str(error._str)
    offset = min(error._i, len(text))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _hint(reason: str) -> str:
    match = re.search(r'Prefix "([^"]+):" not bound', reason)
    if match:
        return f"Declare it with @prefix {match.group(1)}: <...> . in the file, or use a prefix from ecograph/namespaces.py."
    return "Fix the syntax at that place; see https://www.w3.org/TR/turtle/ for the grammar."


def parse_file(path: Path, graph: Graph | None = None, display: str | None = None) -> Graph:
    """Parse one RDF file into graph (a new one by default); a syntax error names file, line and column."""
    shown = display or str(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise DataSyntaxError(shown, None, None, f"unknown RDF file type '{path.suffix}'", f"Use one of {', '.join(sorted(FORMATS))}.")
    return parse_bytes(_read(path, shown), fmt, graph, shown, path.resolve().as_uri())


def _read(path: Path, shown: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DataSyntaxError(shown, None, None, f"cannot read the file ({exc.strerror})") from exc


def _check_utf8(raw: bytes, display: str) -> None:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DataSyntaxError(display, line, None, "the file is not valid UTF-8", "Save the file as UTF-8.") from exc


def parse_bytes(raw: bytes, fmt: str, graph: Graph | None = None, display: str = "input", base: str | None = None) -> Graph:
    """Parse RDF bytes in an rdflib format (turtle, nt, …) into graph; a syntax error names display, line and column.

    Args:
        base: the base IRI of relative IRIs (parse_file uses the file's URI; an upload, a placeholder).
    """
    graph = graph if graph is not None else Graph()
    _check_utf8(raw, display)
    check_nesting(raw, fmt, display)  # rdflib's Turtle parser recurses on [ ] and ( ): refused past 64 levels, with the place
    try:
        graph.parse(data=raw, format=fmt, publicID=base)
    except BadSyntax as exc:
        line, column = _position(exc)
        raise DataSyntaxError(display, line, column, exc._why, _hint(exc._why)) from exc
    except (ValueError, SyntaxError) as exc:  # other parsers (N-Triples, JSON-LD, RDF/XML)
        match = re.search(r"line (\d+)", str(exc))
        raise DataSyntaxError(display, int(match.group(1)) if match else None, None, str(exc).strip().splitlines()[0]) from exc
    except ParserError as exc:  # rdflib's N-Triples and N-Quads parsers: "Invalid line", without saying which
        raise _located(raw, fmt, display, exc) from exc
    return graph


def _located(raw: bytes, fmt: str, display: str, error: ParserError) -> DataSyntaxError:
    """The error rdflib found in N-Triples or N-Quads, with the line and column where pyoxigraph finds it."""
    try:
        if fmt in ("nt", "nquads"):
            list(ox.parse(raw, format=ox.RdfFormat.N_QUADS if fmt == "nquads" else ox.RdfFormat.N_TRIPLES))
    except SyntaxError as exc:
        reason = re.sub(r"^Parser error at line \d+ (?:between )?columns? [\d and]+: ", "", exc.msg)
        return DataSyntaxError(display, exc.lineno, exc.offset, reason, "Fix the syntax at that place; see https://www.w3.org/TR/n-triples/.")
    return DataSyntaxError(display, None, None, str(error).strip().splitlines()[0])


def _files(directory: Path, recursive: bool = False) -> list[Path]:
    """The RDF files of a folder: Turtle and N-Triples (synthetic data comes as N-Triples)."""
    found = [p for suffix in (".ttl", ".nt") for p in directory.glob(("**/*" if recursive else "*") + suffix)]
    return sorted(p for p in found if p.is_file())


def relative(path: Path, settings: Settings) -> str:
    """A path as users should see it: relative to the project root where possible."""
    try:
        return str(path.resolve().relative_to(settings.root.resolve()))
    except ValueError:
        return str(path)


def load_graph(paths: list[Path], settings: Settings) -> Graph:
    """Parse several files into one graph, with stable blank-node labels."""
    graph = Graph()
    for path in paths:
        parse_file(path, graph, relative(path, settings))
    return stabilise_blank_nodes(graph)


def stabilise_blank_nodes(graph: Graph) -> Graph:
    """Relabel blank nodes from what they hold and where they hang, so that the same input always gives
    the same labels (and dumps the same bytes) in any process. Parsers label blank nodes at random.

    A blank node's label is a hash of its parents (subject and predicate, recursively for blank parents)
    and of its content (its predicates and objects, recursively). Two blank nodes with the same parents
    and the same content are the same statement written twice, and become one."""
    label = blank_labels(graph)
    if not label:
        bind_all(graph)
        return graph
    out = Graph()
    bind_all(out)
    for s, p, o in graph:
        out.add((label.get(s, s), p, label.get(o, o)))
    return out


def blank_labels(graph: Graph) -> dict[BNode, BNode]:
    """Each blank node of graph -> its stable label (see stabilise_blank_nodes). It reads only the triples with a
    blank subject or object, so graph may hold just those."""
    blanks = {t for triple in graph for t in (triple[0], triple[2]) if isinstance(t, BNode)}
    content = _digests(blanks, lambda n: [(p, o) for p, o in graph.predicate_objects(n)], lambda p, o: f"{p.n3()} {o}")
    anchor = _digests(blanks, lambda n: [(p, s) for s, p in graph.subject_predicates(n)], lambda p, s: f"{s} {p.n3()}")
    return {b: BNode("b" + hashlib.sha256((anchor[b] + content[b]).encode()).hexdigest()[:20]) for b in blanks}


def _digests(blanks, neighbours, line) -> dict:
    """node -> the sha256 of its sorted lines, one per (predicate, neighbour): a blank neighbour stands by its own
    digest, or "(cycle)" when it is on the path being walked. Walked with a stack, not by recursion, so that a chain
    or list of 10,000 blank nodes is read like any other (a recursive walk ran out of stack)."""
    memo: dict = {}
    for root in blanks:
        if root in memo:
            continue
        stack, path = [(root, neighbours(root), [], 0)], {root}
        while stack:
            node, items, parts, i = stack.pop()
            while i < len(items):
                predicate, other = items[i]
                if isinstance(other, BNode) and other not in memo and other not in path:
                    stack.append((node, items, parts, i))  # come back to this neighbour once its digest is known
                    stack.append((other, neighbours(other), [], 0))
                    path.add(other)
                    break
                text = memo[other] if other in memo else "(cycle)" if isinstance(other, BNode) else other.n3()
                parts.append(line(predicate, text))
                i += 1
            else:
                memo[node] = hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()
                path.discard(node)
    return memo


# Where rdflib and pyoxigraph read the same text differently: rdflib keeps a language tag as written (pyoxigraph
# writes it in lower case) and keeps an explicit ^^xsd:string (pyoxigraph cannot tell it from a plain literal).
_RDFLIB_ONLY = (re.compile(rb'"@[A-Za-z0-9-]*[A-Z]'), re.compile(rb"'@[A-Za-z0-9-]*[A-Z]"),
                re.compile(rb"\^\^\s*(?:<[^>]*#string>|[^\s<>]*:string\b)"))
# pyoxigraph reads RDF 1.2, rdflib refuses it: the VERSION directive of Turtle (found here), triple terms and
# literals with a base direction (found in what pyoxigraph reads: see _rdf_1_2).
_VERSION = re.compile(rb"(?i)(?:^|[\s.])@?version\s*[\"']")
_PREFIX_LINE = re.compile(rb"(?:@prefix|(?i:prefix))\s+([^\s:]*):")
_SUBJECT, _OBJECT = attrgetter("subject"), attrgetter("object")
_PLAIN = {str(XSD.string), str(RDF.langString)}


def _read_ox(path: Path, display: str) -> tuple[list[ox.Quad], list[tuple[str, str]], bool] | None:
    """The quads of a Turtle or N-Triples file as rdflib reads them, the prefixes its parser binds (in order), and
    whether it has blank nodes; None when rdflib must read the file: a syntax error (rdflib then names line and
    column, or reads what pyoxigraph refuses) or text that the two read differently (_RDFLIB_ONLY)."""
    fmt = OX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        return None
    raw = _read(path, display)
    _check_utf8(raw, display)
    if any(pattern.search(raw) for pattern in _RDFLIB_ONLY):
        return None
    if fmt == ox.RdfFormat.TURTLE and b"version" in raw.lower() and _VERSION.search(raw):
        return None
    parser = ox.parse(raw, format=fmt, base_iri=path.resolve().as_uri(), rename_blank_nodes=True)
    try:
        found = list(parser)
    except SyntaxError:
        return None
    # rdflib binds a file's prefixes in the order they are declared; pyoxigraph gives them by name
    order = {m.group(1).decode("utf-8", "replace"): m.start() for m in reversed(list(_PREFIX_LINE.finditer(raw)))} if parser.prefixes else {}
    prefixes = sorted(parser.prefixes.items(), key=lambda item: (order.get(item[0], len(raw)), item[0]))
    objects = set(map(_OBJECT, found))
    if _rdf_1_2(objects):
        return None
    blank = (fmt == ox.RdfFormat.TURTLE or b"_:" in raw) and any(isinstance(t, ox.BlankNode) for t in objects | set(map(_SUBJECT, found)))
    return _as_rdflib_reads(found, objects), prefixes, blank


def _rdf_1_2(objects: set) -> bool:
    """Whether objects hold RDF 1.2 terms (a triple term, a literal with a base direction)."""
    return any(isinstance(o, ox.Triple) or (isinstance(o, ox.Literal) and o.direction) for o in objects)


def _as_rdflib_reads(found: list[ox.Quad], objects: set) -> list[ox.Quad]:
    """found (whose objects are objects) with each typed literal in the lexical form rdflib gives it ("01"^^xsd:integer
    is "1")."""
    changed = {}
    for o in objects:
        if isinstance(o, ox.Literal) and not o.language and o.datatype.value not in _PLAIN:
            written = str(Literal(o.value, datatype=URIRef(o.datatype.value)))
            if written != o.value:
                changed[o] = ox.Literal(written, datatype=o.datatype)
    if not changed:
        return found
    return [ox.Quad(q.subject, q.predicate, changed[q.object]) if q.object in changed else q for q in found]


def load_quads(paths: list[Path], settings: Settings) -> tuple[Quads, Graph] | Graph:
    """Read several files into one graph as load_graph does: (its Quads, an empty Graph with the namespaces
    load_graph's Graph has), or that Graph itself when a file needs rdflib (see _read_ox)."""
    files, names = [], Graph()
    for path in paths:
        read = _read_ox(path, relative(path, settings))
        if read is None:
            return load_graph(paths, settings)
        files.append(read)
        for prefix, namespace in read[1]:
            names.bind(prefix, namespace)
    blank = {q: None for found, _, has_blank in files if has_blank for q in found if _touches_blank(q)}
    if blank:  # stable labels, as stabilise_blank_nodes gives them; only the files with blank nodes change
        names = Graph()
        label = {rdflib_to_ox(b): rdflib_to_ox(stable) for b, stable in blank_labels(rdflib_graph(Quads(blank))).items()}
        files = [([_relabel(q, label) for q in found] if has_blank else found, _, has_blank) for found, _, has_blank in files]
    bind_all(names)
    return Quads(dict.fromkeys(q for found, _, _ in files for q in found)), names


def _touches_blank(q: ox.Quad) -> bool:
    return isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)


def _relabel(q: ox.Quad, label: dict) -> ox.Quad:
    return ox.Quad(label.get(q.subject, q.subject), q.predicate, label.get(q.object, q.object)) if _touches_blank(q) else q


def load_sources(settings: Settings, data_files: list[Path] | None = None) -> Sources:
    """Load the project's ontology and shapes, and the data (default: everything under data/).

    Files directly in data/ are stated facts; files under data/interpreted/ are interpretations.
    Explicit data_files are read as stated unless they lie under an 'interpreted' folder. The alignments
    (ontology/alignments/) are loaded apart from the core ontology, so that their typing never reaches
    validation or reasoning; they are only published.
    """
    ontology_files = _files(settings.ontology_dir)
    shape_files = _files(settings.shapes_dir)
    if data_files is None:
        stated_files = _files(settings.data_dir)
        interpreted_files = _files(settings.data_dir / "interpreted", recursive=True)
    else:
        interpreted_files = [p for p in data_files if "interpreted" in Path(p).parts]
        stated_files = [p for p in data_files if p not in interpreted_files]
    alignment_files = _files(settings.ontology_dir / "alignments")
    data, namespaces = {}, {}
    with no_cycle_collection():
        for name, paths in (("stated", stated_files), ("interpreted", interpreted_files)):
            loaded = load_quads(paths, settings)
            data[name], namespaces[name] = loaded if isinstance(loaded, tuple) else (loaded, None)
        return Sources(
            alignments=load_graph(alignment_files, settings),
            ontology=load_graph(ontology_files, settings),
            shapes=load_graph(shape_files, settings),
            **data,
            files=[*ontology_files, *alignment_files, *shape_files, *stated_files, *interpreted_files],
            namespaces={name: names for name, names in namespaces.items() if names is not None},
        )
