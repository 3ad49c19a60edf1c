"""SPARQL syntax errors as a researcher reads them: where (line and column), what is there, what to do.

pyoxigraph's parser says "error at 1:28: expected one of Prefix not found, ['%'], ['-' | '0' ..= '9' | …" and
its position is the furthest any rule of the grammar read, not where the query went wrong: a keyword is
matched by reading as many characters as it has (`i("GROUP_CONCAT")` reads 12 whatever they are), so a
failure at ")" is reported up to 14 characters further on, often at the end of the text. explain() parses the
text again with spaces added between its tokens (where spaces change nothing), so that every such read ends
in the spaces after the token it started on: the token at the reported place is then the offending one. An
unknown prefix is named with the prefixes the endpoint knows; the grammar's expectations are not listed."""

from __future__ import annotations

import difflib
import re

from ecograph.engine import guard

GRAMMAR = "https://www.w3.org/TR/sparql11-query/#grammar"
GAP = " " * 20  # longer than any keyword of the grammar (ENCODE_FOR_URI, GROUP_CONCAT, …)
_ERROR_AT = re.compile(r"error at (\d+):(\d+): expected (?:one of )?(.*)", re.DOTALL)
_ITEM = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]|[^,]+)\s*(?:,|$)""", re.DOTALL)
_LEXEME = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>'{3}(?:[^'\\]|\\.|'(?!''))*'{3}|"{3}(?:[^"\\]|\\.|"(?!""))*"{3}|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<space>\s+)
      | (?P<punct>[{}()\[\],;]|\.(?=\s|$|[}#?$<"'(\[]))
      | (?P<chunk>(?:\\.|[^\s{}()\[\],;\#"'<.\\]|\.(?!\s|$|[}#?$<"'(\[]))+|.)""",
    re.VERBOSE | re.DOTALL,
)
SHOWN_TOKEN = 40  # characters of the offending token shown in the message


def explain(text: str, message: str, prefixes: dict[str, str] | None = None, base_iri: str | None = None) -> dict:
    """The error of a query that did not parse, as {"message", "hint", "line", "column"} (line and column
    1-based, in characters; None when unknown). message is the engine's own; prefixes those the endpoint
    declares for every query."""
    prefixes = prefixes or {}
    spaced, units = _spaced(text)
    found = _ERROR_AT.search(_oxigraph_message(spaced, prefixes, base_iri) or "")
    if found is None:  # another engine's message, or not the grammar's: its first line
        first = message.strip().splitlines()[0] if message.strip() else "syntax error"
        return {"message": f"SPARQL syntax error: {_cut(first, 160)}", "hint": f"See {GRAMMAR}", "line": None, "column": None}
    furthest = _offset(spaced, int(found.group(1)), int(found.group(2)))
    items = [m.group(1).strip() for m in _ITEM.finditer(found.group(3)) if m.group(1).strip()]
    sentences = [i for i in items if " " in i and not i.startswith(("[", '"'))]
    unit = next((u for u in reversed(units) if u[0] <= furthest), None)
    end = len(text.rstrip())
    if "Prefix not found" in sentences and unit is not None:
        return _unknown_prefix(text, unit, prefixes)
    if sentences:  # the grammar's own words: "The SELECT contains a variable that is unbound", …
        reason = sentences[0][0].lower() + sentences[0][1:] if sentences[0][1:2].islower() else sentences[0]
        return _error(text, end if unit is None or furthest >= len(spaced) else unit[1], reason, f"See {GRAMMAR}")
    if unit is None or furthest >= len(spaced):
        return _error(text, end, "the query ends before it is complete",
                      'Look for an unclosed { ( [ " or <, or a part missing at the end. ' f"Grammar: {GRAMMAR}")
    return _error(text, unit[1], f"unexpected '{_cut(text[unit[1]:unit[2]], SHOWN_TOKEN)}'",
                  f"The text there does not fit the SPARQL grammar: check it and what comes just before it (a missing "
                  f"'.', ';' or '}}', a misspelt keyword, an unbalanced bracket). Grammar: {GRAMMAR}")


def _spaced(text: str) -> tuple[str, list[list[int]]]:
    """The text with GAP spaces added to every run of whitespace and around { } ( ) [ ] , ; and a '.' that ends a
    triple, and its units: [start in the spaced text, start and end in text] of each stretch with no space added.
    Spaces there change no query's meaning (strings, IRIs, comments and escapes such as ex:a\\,b are kept
    whole); they make a keyword read end before the next unit."""
    out: list[str] = []
    units: list[list[int]] = []
    size = 0
    current = None
    for m in _LEXEME.finditer(text):
        kind, value = m.lastgroup, m.group()
        if kind in ("space", "comment"):
            out.append(value + GAP)
            size += len(value) + len(GAP)
            current = None
            continue
        if kind == "punct":
            out.append(GAP)
            size += len(GAP)
            current = None
        if current is None:
            current = [size, m.start(), m.end()]
            units.append(current)
        else:
            current[2] = m.end()
        out.append(value)
        size += len(value)
        if kind == "punct":
            out.append(GAP)
            size += len(GAP)
            current = None
    return "".join(out) + GAP, units


def _oxigraph_message(text: str, prefixes: dict[str, str], base_iri: str | None) -> str | None:
    """pyoxigraph's message for the (spaced) text, or None if it parses (then the engine's own message stands:
    it came from another engine, or from something else than the grammar)."""
    import pyoxigraph as ox

    kwargs = {"prefixes": prefixes or None}
    if base_iri:
        kwargs["base_iri"] = base_iri
    try:
        ox.Store().query(text, **kwargs)  # an empty store; the answer is never read
    except SyntaxError as exc:
        return str(exc)
    except (OSError, ValueError, TypeError, RuntimeError):
        return None
    return None


def _unknown_prefix(text: str, unit: list[int], prefixes: dict[str, str]) -> dict:
    """The prefixed name whose prefix is unknown (in the unit the parser stopped at, else the first in the text)."""
    declared = set(prefixes) | {value.split(":")[0] for _, value, _, _ in _declarations(text)}
    unknown = [(value.rstrip("."), start) for kind, value, start, _ in guard.spans(text)
               if kind == "pname" and value.split(":")[0] not in declared]
    here = [u for u in unknown if unit[1] <= u[1] < unit[2]] or unknown
    known = ", ".join(f"{p}:" for p in prefixes)
    if not here:
        return _error(text, unit[1], "unknown prefix", f"Declare it with PREFIX, or use one this endpoint knows: {known}")
    name, start = here[0]
    prefix = name.split(":")[0]
    close = difflib.get_close_matches(prefix, list(prefixes), n=1)
    hint = (f"{'Did you mean ' + close[0] + ':? ' if close else ''}This endpoint knows these prefixes without PREFIX lines: "
            f"{known}. For another vocabulary, declare it: PREFIX {prefix}: <…>")
    return _error(text, start, f"unknown prefix {prefix}: (in {_cut(name, SHOWN_TOKEN)})", hint)


def _declarations(text: str):
    """The prefix names declared by PREFIX lines of the text."""
    toks = [t for t in guard.spans(text) if t[0] != "comment"]
    for i, tok in enumerate(toks[:-1]):
        if tok[0] == "word" and tok[1].upper() == "PREFIX" and toks[i + 1][0] == "pname":
            yield toks[i + 1]


def _error(text: str, at: int, reason: str, hint: str) -> dict:
    line, column = _line_column(text, at)
    return {"message": f"SPARQL syntax error at line {line}, column {column}: {reason}", "hint": hint, "line": line, "column": column}


def _offset(text: str, line: int, column: int) -> int:
    """The index in text of a 1-based line and column (columns count characters)."""
    start = 0
    for _ in range(line - 1):
        found = text.find("\n", start)
        if found < 0:
            break
        start = found + 1
    return min(start + column - 1, len(text))


def _line_column(text: str, at: int) -> tuple[int, int]:
    at = max(0, min(at, len(text)))
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def _cut(value: str, limit: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
