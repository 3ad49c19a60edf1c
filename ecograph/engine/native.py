"""SELECT answers written by pyoxigraph itself: no value of a row passes through Python when the answer fits the
row cap (job.max_rows).

pyoxigraph writes the solutions as SPARQL Results TSV into a writer of ours that keeps the bytes and counts the
lines: TSV escapes tab, newline and carriage return inside a term (\\t, \\n, \\r), so one row is one line, the first
line is the header and every row ends with "\\n" (a row of no variable, or of only unbound ones, is an empty line).
Once there is one row more than the cap the writer raises, which stops the serialisation (and so the evaluation,
which is lazy): an unbounded answer never builds an unbounded body, at most the cap and one buffered chunk (8 KiB).

- the answer fits: the TSV is the body as it is (text/tab-separated-values), or pyoxigraph reads it back and
  writes it as XML or CSV, all in Rust;
- it does not: the first max_rows rows are read back from the TSV and written by results.render (the Python
  writers), exactly as before, with the truncation marks of results.py.

JSON, the format most clients ask for, is written by pyoxigraph in one pass, with no TSV between: reading TSV back
costs pyoxigraph about 4 µs a row (at a million quads, 1–2 ms of a 160-row answer, more than writing it). Its rows
are counted as they are written: pyoxigraph writes the document without spaces, so one row ends with "}" and the
next begins with "{" right after a comma, and "},{" occurs only there or inside a string. The count is therefore
never below the row boundaries; once it reaches the cap the answer may be over it. The document up to the cap-th
boundary counted, closed, is then read back: if it parses and holds exactly max_rows rows, that boundary was real,
another row follows, and those rows are the truncated answer (written by results.render, as the TSV way does).
Otherwise a boundary counted was in a string, and the query is run again the TSV way above, which counts exactly.
JSON_ROWS checks, on import, that pyoxigraph still writes rows so; if it did not, JSON would go the TSV way too.

Where pyoxigraph's writers and ours differ (both valid SPARQL 1.1 Results), a client sees: TSV numbers (integer,
decimal, boolean, and double where its lexical form is Turtle's) in Turtle's short form, as the W3C's own TSV tests
write them; JSON without spaces; no whitespace between the XML elements, and a literal's leading or trailing space
as &#32; (pyoxigraph's own XML reader trims text); an RDF 1.2 triple term or directional string as itself where the
Python writers flatten it. Every answer still parses to the same solutions (tests/engine/test_native.py). One case
keeps the Python writer: CSV of one column with an unbound row, which pyoxigraph writes as an empty line."""

from __future__ import annotations

import time

import pyoxigraph as ox

from ecograph.engine import results
from ecograph.engine.answers import Answer
from ecograph.engine.job import Job
from ecograph.rdf.terms import from_ox

_TSV = ox.QueryResultsFormat.TSV
# the SELECT formats of results.RESULT_TYPES, as pyoxigraph names them
FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML, "csv": ox.QueryResultsFormat.CSV, "tsv": _TSV}


class _Full(Exception):
    """Raised by the writer at one line more than it may keep: stops pyoxigraph's serialisation."""


class _Lines:
    """A binary writer for pyoxigraph that keeps what it is given until it holds more than `most` lines, then stops
    the writer (raises _Full). pyoxigraph writes through a buffer of 8 KiB, so this is called once per chunk."""

    __slots__ = ("chunks", "full", "lines", "most")

    def __init__(self, most: int):
        self.chunks: list[bytes] = []
        self.lines = 0  # the newlines of every chunk kept
        self.most = most
        self.full = False

    def write(self, data: bytes) -> int:
        if self.full:  # pyoxigraph flushes its buffer once more on the way out: not kept
            return len(data)
        self.chunks.append(data)
        self.lines += data.count(b"\n")
        if self.lines > self.most:
            self.full = True
            raise _Full
        return len(data)

    def flush(self) -> None:
        pass

    def head(self) -> bytes:
        """The first `most` lines (each with its newline) of what was kept: all of it unless full."""
        if not self.full:
            return b"".join(self.chunks)
        last = self.chunks[-1]
        # the lines before the last chunk are all kept; of the last chunk, as many as are missing
        missing = self.most - (self.lines - last.count(b"\n"))
        end = 0
        for _ in range(missing):
            end = last.index(b"\n", end) + 1
        return b"".join(self.chunks[:-1]) + last[:end]


_BOUNDARY = b"},{"


class _JsonRows:
    """A binary writer for pyoxigraph's SPARQL JSON results that keeps what it is given and counts the row
    boundaries ("},{", also across two chunks) until there are `most` of them, then stops the writer (raises
    _Full): from there the answer may have more than `most` rows.

    Counting "},{" costs about a nanosecond a byte (a quarter of a millisecond for a 170 KB answer, measured at 1M
    quads), counting one byte less than half that. Every row opens with "{", so while the answer holds fewer than
    `most` of them it holds fewer than `most` rows, let alone boundaries: those are counted only from then on (from
    the start), so an answer far from the cap is only scanned for "{"."""

    __slots__ = ("boundaries", "chunks", "full", "most", "opened", "tail")

    def __init__(self, most: int):
        self.chunks: list[bytes] = []
        self.opened = 0  # the "{" of every chunk kept, until there are `most`
        self.boundaries = 0  # counted once there are `most` "{"
        self.most = most
        self.full = False
        self.tail = b""  # the last two bytes written, once boundaries are counted: a boundary may begin there

    def write(self, data: bytes) -> int:
        if self.full:
            return len(data)
        self.chunks.append(data)
        if self.opened < self.most:
            self.opened += data.count(b"{")
            if self.opened < self.most:
                return len(data)
            kept = b"".join(self.chunks)  # from here on, the boundaries are counted, from the start
            self.boundaries, self.tail = kept.count(_BOUNDARY), kept[-2:]
        else:
            self.boundaries += (self.tail + data[:2]).count(_BOUNDARY) + data.count(_BOUNDARY)
            self.tail = (self.tail + data[-2:])[-2:]
        if self.boundaries >= self.most:
            self.full = True
            raise _Full
        return len(data)

    def flush(self) -> None:
        pass


def _json_head(kept: bytes, limit: int) -> list[tuple] | None:
    """The first `limit` rows of a JSON answer stopped once it held `limit` row boundaries, as term tuples: the
    document up to the `limit`-th boundary, closed, read back by pyoxigraph. None when it cannot be: a boundary
    counted was inside a string (the cut then falls in a string and the document does not parse, or holds fewer
    rows), and the query must be run again to count exactly."""
    cut = -1
    for _ in range(limit):  # the limit-th boundary (pyoxigraph's chunks hold more rows than the cap may allow)
        cut = kept.find(_BOUNDARY, cut + 1)
        if cut < 0:
            return None
    try:
        rows = [tuple(map(from_ox, s)) for s in ox.parse_query_results(kept[:cut + 1] + b"]}}", format=FORMATS["json"])]
    except (SyntaxError, ValueError):
        return None
    return rows if len(rows) == limit else None  # a real boundary there: another row follows, so it is cut


def _json_rows_hold() -> bool:
    """Whether pyoxigraph writes SPARQL JSON results as _JsonRows counts them: three rows (one of no bound value),
    two boundaries."""
    three = ox.parse_query_results(b'?a\t?b\n<http://example.org/x>\t"}, {"\n\t\n_:b\t1\n', format=_TSV)
    body = three.serialize(format=FORMATS["json"])
    return body.count(_BOUNDARY) == 2 and body.endswith(b"}]}}")


JSON_ROWS = _json_rows_hold()


def select_answer(solutions: ox.QuerySolutions, job: Job, again=None) -> Answer:
    """The Answer of a SELECT query, its body written in job.media (a SELECT media type of results.RESULT_TYPES):
    by pyoxigraph when the answer fits job.max_rows, else by results.render from the first max_rows rows, marked
    truncated. render_ms is the time of the second step (TSV to the asked format, or the Python writers; 0 for JSON
    written in one pass); the rest, evaluating the query and writing its rows, is the engine's time. again() gives
    the query's solutions anew: JSON is written in one pass only with it (should a string hold a row boundary before
    the cap, the query runs again)."""
    kind = results.RESULT_TYPES[job.media]
    limit = job.max_rows
    variables = [v.value for v in solutions.variables]
    if kind == "json" and JSON_ROWS and again is not None:
        counted = _JsonRows(limit)  # at most `limit` rows while fewer than `limit` boundaries
        try:
            solutions.serialize(output=counted, format=FORMATS["json"])
        except Exception:
            if not counted.full:  # a failure of the query itself (or of pyoxigraph), not our stop
                raise
        if not counted.full:
            return Answer("SELECT", variables, [], None, False, b"".join(counted.chunks), None, 0.0)
        started = time.perf_counter()
        rows = _json_head(b"".join(counted.chunks), limit)
        if rows is not None:  # cut at the cap, as the TSV way would have
            body = results.render(Answer("SELECT", variables, rows, None, True), job.media, limit)
            return Answer("SELECT", variables, [], None, True, body, None, (time.perf_counter() - started) * 1000)
        solutions = again()
    writer = _Lines(limit + 1)  # the header and at most `limit` rows
    try:
        solutions.serialize(output=writer, format=_TSV)
    except Exception:
        if not writer.full:  # a failure of the query itself (or of pyoxigraph), not our stop
            raise
    started = time.perf_counter()
    tsv = writer.head()
    # pyoxigraph's CSV writes a row of one unbound value as an empty line, which many readers skip (Python's csv
    # reads [], pandas drops it); ours writes "". Only a one-column TSV has an empty line after its header.
    if writer.full or (kind == "csv" and len(variables) == 1 and b"\n\n" in tsv):
        rows = [tuple(map(from_ox, s)) for s in ox.parse_query_results(tsv, format=_TSV)]
        answer = Answer("SELECT", variables, rows, None, writer.full)
        body = results.render(answer, job.media, limit)
    elif kind == "tsv":
        body = tsv
    else:
        body = ox.parse_query_results(tsv, format=_TSV).serialize(format=FORMATS[kind])
    return Answer("SELECT", variables, [], None, writer.full, body, None, (time.perf_counter() - started) * 1000)
