"""The rows of a query on a pyoxigraph store, comparable across engines and bindings (tests/engine/test_remote_bind.py,
tests/engine/test_query_scaling.py)."""

from __future__ import annotations

import pyoxigraph as ox

from ecograph.namespaces import PREFIXES
from ecograph.rdf.terms import to_ox


def oxigraph_rows(store, text, substitutions=None, graphs=None):
    """(variables, sorted rows of cells) of a SELECT, the union of the graphs as its default graph; or, with graphs
    (a layer's, engine/job.py), those graphs as both the default graph and the named graphs."""
    kwargs = {"prefixes": {p: str(ns) for p, ns in PREFIXES.items()}}
    if graphs is None:
        kwargs["use_default_graph_as_union"] = True
    else:
        kwargs["default_graph"] = kwargs["named_graphs"] = [ox.NamedNode(g) for g in graphs]
    if substitutions:
        kwargs["substitutions"] = {ox.Variable(k): to_ox(v) for k, v in substitutions.items()}
    result = store.query(text, **kwargs)
    variables = [v.value for v in result.variables]
    return variables, sorted(tuple(cell(s[v]) for v in variables) for s in result)


def cell(term) -> str:
    """A term as text; a plain string's words sorted, as GROUP_CONCAT gives them in no fixed order."""
    if isinstance(term, ox.Literal) and not term.language and term.datatype.value.endswith("#string"):
        return " ".join(sorted(term.value.split()))
    return str(term)
