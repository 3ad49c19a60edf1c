"""Load the sources of a build: ontology, shapes, stated and interpreted data, each into its own graph."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from ecograph.errors import DataSyntaxError
from ecograph.namespaces import bind_all
from ecograph.settings import Settings

FORMATS = {".ttl": "turtle", ".nt": "nt", ".trig": "trig", ".nq": "nquads", ".jsonld": "json-ld", ".rdf": "xml", ".owl": "xml"}


@dataclass
class Sources:
    """The parsed inputs of a build, one rdflib Graph each."""

    ontology: Graph
    shapes: Graph
    stated: Graph
    interpreted: Graph
    files: list[Path]
    alignments: Graph | None = None

    def data(self) -> Graph:
        """Stated and interpreted data together (what the shapes validate)."""
        g = Graph()
        bind_all(g)
        for t in self.stated:
            g.add(t)
        for t in self.interpreted:
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
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataSyntaxError(shown, None, None, f"cannot read the file ({exc.strerror})") from exc
    return parse_bytes(raw, fmt, graph, shown, path.resolve().as_uri())


def parse_bytes(raw: bytes, fmt: str, graph: Graph | None = None, display: str = "input", base: str | None = None) -> Graph:
    """Parse RDF bytes in an rdflib format (turtle, nt, …) into graph; a syntax error names display, line and column.

    Args:
        base: the base IRI of relative IRIs (parse_file uses the file's URI; an upload, a placeholder).
    """
    graph = graph if graph is not None else Graph()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DataSyntaxError(display, line, None, "the file is not valid UTF-8", "Save the file as UTF-8.") from exc
    try:
        graph.parse(data=raw, format=fmt, publicID=base)
    except BadSyntax as exc:
        line, column = _position(exc)
        raise DataSyntaxError(display, line, column, exc._why, _hint(exc._why)) from exc
    except (ValueError, SyntaxError) as exc:  # other parsers (N-Triples, JSON-LD, RDF/XML)
        match = re.search(r"line (\d+)", str(exc))
        raise DataSyntaxError(display, int(match.group(1)) if match else None, None, str(exc).strip().splitlines()[0]) from exc
    return graph


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
    blanks = {t for triple in graph for t in (triple[0], triple[2]) if isinstance(t, BNode)}
    if not blanks:
        bind_all(graph)
        return graph
    content: dict = {}
    anchor: dict = {}

    def content_of(node, seen=frozenset()) -> str:
        if node not in content:
            if node in seen:
                return "(cycle)"
            parts = sorted(f"{p.n3()} {content_of(o, seen | {node}) if isinstance(o, BNode) else o.n3()}"
                           for p, o in graph.predicate_objects(node))
            content[node] = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return content[node]

    def anchor_of(node, seen=frozenset()) -> str:
        if node not in anchor:
            if node in seen:
                return "(cycle)"
            parts = sorted(f"{anchor_of(s, seen | {node}) if isinstance(s, BNode) else s.n3()} {p.n3()}"
                           for s, p in graph.subject_predicates(node))
            anchor[node] = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return anchor[node]

    label = {b: BNode("b" + hashlib.sha256((anchor_of(b) + content_of(b)).encode()).hexdigest()[:20]) for b in blanks}
    out = Graph()
    bind_all(out)
    for s, p, o in graph:
        out.add((label.get(s, s), p, label.get(o, o)))
    return out


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
    return Sources(
        alignments=load_graph(alignment_files, settings),
        ontology=load_graph(ontology_files, settings),
        shapes=load_graph(shape_files, settings),
        stated=load_graph(stated_files, settings),
        interpreted=load_graph(interpreted_files, settings),
        files=[*ontology_files, *alignment_files, *shape_files, *stated_files, *interpreted_files],
    )
