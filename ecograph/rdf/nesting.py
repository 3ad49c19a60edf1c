"""How deeply an RDF text nests, found before any parser sees it, so that an upload nested deeper than the parsers
can take is a 400 naming the line and column, never a crash.

rdflib's Turtle parser recurses on every `[ … ]` and `( … )` and raises RecursionError from about 100 levels;
pyoxigraph's JSON-LD parser recurses on every JSON object and dies of a stack overflow (a segmentation fault that
takes the process with it) from about 3,000 levels. pyoxigraph's Turtle and TriG parsers take any depth, but a
document gets the same answer in Turtle and TriG. JSON arrays are not counted: pyoxigraph reads them to 65,536
levels and refuses deeper ones itself (and a JSON-LD array nested 5,000 deep is a legal upload).

No Flask here: `ecograph validate FILE` can call check_nesting from the loader too (see parse_bytes)."""

from __future__ import annotations

import re

from ecograph.errors import DataSyntaxError

MAX_DEPTH = 64  # as SPARQL's nesting limit (guard.py); no real document comes near it

# Turtle and TriG: the tokens that may hold a bracket without opening anything (strings, IRIs, comments), and the
# brackets. Strings are read as rdflib reads them: a long string ends at the first three quotes (taking up to two
# more with it), a short one at its quote or at the end of the line. An IRI holds no space: text that rdflib would
# read as an IRI with a space in it is counted here as if it were not one, which can only count more brackets.
_TURTLE = re.compile(r'''
      (?P<long>"""(?:[^"\\]+|\\.|"(?!""))*(?:"{3,5}|\Z)|\'\'\'(?:[^'\\]+|\\.|'(?!''))*(?:'{3,5}|\Z))
    | (?P<short>"(?:[^"\\\n\r]+|\\.)*"?|'(?:[^'\\\n\r]+|\\.)*'?)
    | (?P<iri><[^\x00-\x20<>"{}|^`\\]*>)
    | (?P<comment>\#[^\n]*)
    | (?P<open>[\[({])
    | (?P<close>[\])}])
''', re.VERBOSE | re.DOTALL)

# JSON: strings (which may hold any bracket) and the braces of objects.
_JSON = re.compile(r'(?P<short>"(?:[^"\\]+|\\.)*"?)|(?P<open>\{)|(?P<close>\})', re.DOTALL)

SYNTAXES = {"turtle": _TURTLE, "trig": _TURTLE, "n3": _TURTLE, "json-ld": _JSON}
WHAT = {"turtle": "[ ] and ( )", "trig": "[ ] and ( )", "n3": "[ ] and ( )", "json-ld": "JSON objects"}


def deepest(text: str, syntax: str, limit: int = MAX_DEPTH) -> tuple[int, int | None]:
    """(the deepest nesting of text, up to limit + 1; the offset of the first bracket past limit, or None).

    Args:
        syntax: "turtle", "trig", "n3" or "json-ld"; any other syntax does not nest (0, None).
    """
    pattern = SYNTAXES.get(syntax)
    if pattern is None:
        return 0, None
    depth = deepest_seen = 0
    for match in pattern.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
            if depth > limit:
                return depth, match.start()
            deepest_seen = max(deepest_seen, depth)
        elif kind == "close" and depth:
            depth -= 1
    return deepest_seen, None


def check_nesting(raw: bytes, syntax: str, display: str, limit: int = MAX_DEPTH) -> None:
    """Raise DataSyntaxError (line, column of the first bracket too deep) when raw nests deeper than limit.

    Args:
        raw: the document's bytes (invalid UTF-8 is left for the parser to report).
        syntax: an rdflib format name ("turtle", "trig", "n3", "json-ld"); others never nest and pass.
        display: how the error names the document (a path, "upload").
    """
    if syntax not in SYNTAXES:
        return
    text = raw.decode("utf-8", "replace")
    _, at = deepest(text, syntax, limit)
    if at is None:
        return
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    how = ("give the inner nodes IRIs or blank-node labels (_:b1) and write their triples apart" if syntax != "json-ld"
           else 'give the inner nodes an "@id" and put them beside the outer one, in "@graph"')
    raise DataSyntaxError(display, line, column, f"{WHAT[syntax]} nested more than {limit} levels deep",
                          f"Flatten the document: {how}.")
