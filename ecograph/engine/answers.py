"""What every engine answers: the Answer (rows of term tuples, see rdf/terms.py; or a boolean; or triples), and
the errors of running a query (a time limit, a crashed worker, a busy pool). Below workers.py, local.py, remote.py
and results.py, which all read them."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ecograph.errors import EcographError
from ecograph.rdf.terms import Term


class QueryTimeout(EcographError):
    status = 503
    exit_code = 2
    hint = "Make the query more selective, or ask for fewer rows with LIMIT."


class EngineCrashed(EcographError):
    status = 503  # the server is fine and the worker replaced; the request could not be served this time
    exit_code = 2
    hint = ("The query's worker process died (killed, or the engine crashed); the server replaced it and goes on serving. "
            "Try again; if the same query fails twice, please report it.")


class Busy(EcographError):
    status = 503
    exit_code = 2
    hint = "All query workers are busy; retry in a moment."


@dataclass
class Answer:
    """A worker's answer: form, variables, rows (term tuples), boolean, or triples/quads (term tuples)."""

    form: str
    variables: list[str]
    rows: list[tuple]
    boolean: bool | None
    truncated: bool
    body: bytes | None = None  # the answer already serialised (a job that names its media type), rows then empty
    engine_ms: float | None = None  # time in the worker: evaluating the query and reading its rows
    render_ms: float | None = None  # time in the worker: serialising the answer

    def records(self) -> list[dict[str, Term | None]]:
        """The rows as dicts of variable -> Term (the named view of the term tuples), for readers other than the writers."""
        return [{v: (None if t is None else Term._make(t)) for v, t in zip(self.variables, row)} for row in self.rows]

    def values(self) -> list[dict[str, str | None]]:
        """The rows as dicts of variable -> lexical value (the IRI, label or lexical form; None when unbound)."""
        return [{v: (None if t is None else t[1]) for v, t in zip(self.variables, row)} for row in self.rows]


def answer(form: str, variables: list[str], rows, limit: int, boolean: bool | None = None) -> Answer:
    """The answer of either engine: an ASK boolean, or at most `limit` of the rows (read lazily from an
    iterable of term tuples), marked truncated when there were more."""
    if form == "ASK":
        return Answer("ASK", [], [], bool(boolean), False)
    taken = list(itertools.islice(rows, limit + 1))
    return Answer(form, variables, taken[:limit], None, len(taken) > limit)
