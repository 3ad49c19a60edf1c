"""Hostile uploads for POST /validate: the corpus's (tests/hostile/corpus.py) and deep nesting, long chains and
huge terms, each with the status it must get (never a 5xx) and a substring of the answer. tests/http/test_http_validate.py
sends them all through the Flask test client and through a real `ecograph serve`."""

from __future__ import annotations

import json

from tests.hostile.corpus import CASES, Case

DEEP = "nested more than 64 levels deep"
CONFORMS = '"conforms"'
JSON = {"Accept": "application/json"}
P = "@prefix : <http://e/> .\n"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
N = 10_000


def _case(name: str, body: str, media: str, status: int, message: str) -> Case:
    return Case(f"upload-{name}", "validation upload", "POST", "/validate", status, message, headers=JSON,
                body=body.encode("utf-8"), content_type=media)


def _bnodes(depth: int) -> str:
    return "[ :p " * depth + ":x" + " ]" * depth


def _json_objects(depth: int) -> str:
    return json.dumps({"@id": "http://e/a", "http://e/p": "@@"}).replace('"@@"', '{"http://e/p": ' * depth + '"x"' + "}" * depth)


NESTED = [
    # Turtle: rdflib's parser recursed into a RecursionError (500) from about 100 levels
    _case("turtle-bnodes-10000", P + ":a :p " + _bnodes(N) + " .\n", "text/turtle", 400, DEEP),
    _case("turtle-lists-10000", P + ":a :p " + "( " * N + ":x" + " )" * N + " .\n", "text/turtle", 400, DEEP),
    _case("turtle-subject-bnodes-10000", P + _bnodes(N) + " :q :r .\n", "text/turtle", 400, DEEP),
    _case("turtle-lists-of-bnodes-10000", P + ":a :p " + "( [ :p " * (N // 2) + ":x" + " ] )" * (N // 2) + " .\n", "text/turtle",
          400, DEEP),
    _case("turtle-64-deep", P + ":a :p " + _bnodes(64) + " .\n", "text/turtle", 200, CONFORMS),
    _case("turtle-65-deep", P + ":a :p " + _bnodes(65) + " .\n", "text/turtle", 400, '"line":2,'),
    # TriG and JSON-LD (pyoxigraph: its JSON-LD parser dies of a stack overflow from about 3,000 nested objects)
    _case("trig-bnodes-10000", P + ":g { :a :p " + _bnodes(N) + " . }\n", "application/trig", 400, DEEP),
    _case("trig-lists-10000", P + ":g { :a :p " + "(" * N + ":x" + ")" * N + " . }\n", "application/trig", 400, DEEP),
    _case("jsonld-objects-10000", _json_objects(N), "application/ld+json", 400, DEEP),
    _case("jsonld-lists-10000", '{"@id": "http://e/a", "http://e/p": ' + '{"@list": [' * N + '"x"' + "]}" * N + "}",
          "application/ld+json", 400, DEEP),
    _case("jsonld-json-literal-10000", '{"@id": "http://e/a", "http://e/p": {"@type": "@json", "@value": ' + '{"a": ' * N + "1"
          + "}" * N + "}}", "application/ld+json", 400, DEEP),
    _case("jsonld-64-deep", _json_objects(63), "application/ld+json", 200, CONFORMS),
    # long chains that parse without nesting: the validator and the report writers must not recurse on them
    _case("ntriples-blank-chain-10000", "".join(f"_:b{i} <http://e/p> _:b{i + 1} .\n" for i in range(N)), "application/n-triples",
          200, CONFORMS),
    _case("nquads-list-6000", "<http://e/a> <http://e/p> _:l0 <http://e/g> .\n" + "".join(  # 6,000: 10,000 pass 1 MB
        f"_:l{i} <{RDF}first> \"{i}\" <http://e/g> .\n_:l{i} <{RDF}rest> {f'_:l{i + 1}' if i < 5999 else f'<{RDF}nil>'} <http://e/g> .\n"
        for i in range(6000)), "application/n-quads", 200, CONFORMS),
    _case("jsonld-flat-list-10000", json.dumps({"@id": "http://e/a", "http://e/p": {"@list": list(range(N))}}), "application/ld+json",
          200, CONFORMS),
    _case("turtle-flat-list-10000", P + ":a :p ( " + " ".join(f":x{i}" for i in range(N)) + " ) .\n", "text/turtle", 200, CONFORMS),
    _case("jsonld-list-of-lists-10000", '{"@context": {"p": {"@id": "http://e/p", "@container": "@list"}}, "@id": "http://e/a", "p": '
          + "[" * N + '"x"' + "]" * N + "}", "application/ld+json", 200, CONFORMS),
    # brackets where they open nothing, and huge terms
    _case("turtle-brackets-in-strings", P + ':a :p """' + "[(" * N + '""", "' + "[(" * N + "\", '" + "[(" * N + "' .\n",
          "text/turtle", 200, CONFORMS),
    _case("turtle-brackets-in-iri-and-comment", P + ":a :p <http://e/" + "((" * N + "> . # " + "[(" * N + "\n", "text/turtle",
          200, CONFORMS),
    _case("jsonld-braces-in-strings", json.dumps({"@id": "http://e/a", "http://e/p": "{" * N}), "application/ld+json", 200, CONFORMS),
    _case("turtle-huge-literal", P + ':a :p "' + "x" * 900_000 + '" .\n', "text/turtle", 200, CONFORMS),
    _case("turtle-huge-iri", P + ":a :p <http://e/" + "x" * 900_000 + "> .\n", "text/turtle", 200, CONFORMS),
]

# every upload of the corpus, then the ones above
UPLOADS = [c for c in CASES if c.method == "POST" and c.path == "/validate"] + NESTED
