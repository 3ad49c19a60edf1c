"""Test helper: read a dataset dump with pyoxigraph into rdflib graphs by graph name (rdflib's own Dataset
parsers call deprecated APIs of rdflib, which our warnings-as-errors policy rejects)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import rdflib

from ecograph.rdf.terms import ox_to_rdflib

FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD}


_term = ox_to_rdflib  # the project's one conversion (ecograph/rdf/terms.py)


def graphs(path: Path) -> dict[rdflib.URIRef, rdflib.Graph]:
    """Named graphs of a dump, as rdflib graphs."""
    out: dict = {}
    for q in ox.parse(path=str(path), format=FORMATS[path.suffix]):
        name = rdflib.URIRef(q.graph_name.value) if isinstance(q.graph_name, ox.NamedNode) else None
        out.setdefault(name, rdflib.Graph()).add((_term(q.subject), _term(q.predicate), _term(q.object)))
    return out
