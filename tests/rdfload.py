"""Test helper: read a dataset dump with pyoxigraph into rdflib graphs by graph name (rdflib's own Dataset
parsers call deprecated APIs of rdflib, which our warnings-as-errors policy rejects)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import rdflib

FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD}


def _term(t):
    if isinstance(t, ox.NamedNode):
        return rdflib.URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return rdflib.BNode(t.value)
    if t.language:
        return rdflib.Literal(t.value, lang=t.language)
    if t.datatype.value == str(rdflib.XSD.string):
        return rdflib.Literal(t.value)  # rdflib keeps simple literals without a datatype
    return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))


def graphs(path: Path) -> dict[rdflib.URIRef, rdflib.Graph]:
    """Named graphs of a dump, as rdflib graphs."""
    out: dict = {}
    for q in ox.parse(path=str(path), format=FORMATS[path.suffix]):
        name = rdflib.URIRef(q.graph_name.value) if isinstance(q.graph_name, ox.NamedNode) else None
        out.setdefault(name, rdflib.Graph()).add((_term(q.subject), _term(q.predicate), _term(q.object)))
    return out
