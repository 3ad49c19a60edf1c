"""A corpus of hostile inputs for the HTTP server (issue 7): each case names the request, the status (or
statuses) it must get and a substring of the answer. tests/http/test_hostile.py runs them all against the app
with real query workers.

Anything that could reach the network aims at a loopback listener only: the text `@PORT@` is replaced at
run time by the port of a socket on 127.0.0.1 that counts connections (it must count none)."""

from __future__ import annotations

from dataclasses import dataclass, field

PORT = "@PORT@"
LOOP = f"http://127.0.0.1:{PORT}/"   # the only address a case ever names

READ_ONLY = "read-only"
DEEP = "nested more than 64 levels deep"
LONG = "more than 1500 operations"
TIME_LIMIT = "stopped at the time limit"
NO_OUTBOUND = "never opens outbound connections"
REMOTE_GRAPH = "never fetches remote graphs"
NOT_KEY = "not an ecograph instance IRI"
TOO_LARGE = "exceeds the capacity limit"
BAD_UTF8 = "not valid UTF-8"
SYNTAX = "SPARQL syntax error"
NOT_ACCEPTABLE = "is available"
MUST_BE_IRI = "must be an IRI"


@dataclass(frozen=True)
class Case:
    id: str
    category: str
    method: str
    path: str
    status: int | frozenset
    message: str                        # a substring of the answer's body
    headers: dict = field(default_factory=dict)
    query: dict | None = None           # the query string (a dict; or the raw text is in path)
    body: bytes | str | dict | None = None   # a dict is sent as a form
    content_type: str | None = None
    target: str = "main"                # main: the build; evil: serve --data with hostile labels
    absent: tuple[str, ...] = ()        # substrings that must not be in the answer (escaping)
    timeout: float | None = None        # the case's own time limit (timeout=), if any
    time_limited: bool = False          # 503 is the expected answer: the query is stopped at its time limit

    def statuses(self) -> frozenset:
        return self.status if isinstance(self.status, frozenset) else frozenset({self.status})


def _sparql_get(id, category, text, status, message, **kw):
    return Case(id, category, "GET", "/sparql", status, message, query={"query": text, **kw.pop("extra", {})}, **kw)


def _sparql_post(id, category, text, status, message, **kw):
    return Case(id, category, "POST", "/sparql", status, message, body=text.encode() if isinstance(text, str) else text,
                content_type="application/sparql-query", **kw)


CASES: list[Case] = []
add = CASES.append

# ------------------------------------------------------------------ malformed SPARQL
for i, (text, where) in enumerate([
    ("SELECT * WHERE { ?s ?p }", "1:"),
    ("SELEC * WHERE { }", "1:"),
    ('SELECT * WHERE { ?s ?p "unterminated }', "1:"),
    ("SELECT * WHERE { { ?s ?p ?o }", "1:"),
    ("SELECT * WHERE } } } {", "1:"),
    ("SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(\n}", "4:"),
    ("PREFIX : SELECT * WHERE {}", "1:"),
    ("ASK {} ; DROP ALL", "1:"),
    ("SELECT * WHERE { \\u0053ERVICE <" + LOOP + "sparql> { ?s ?p ?o } }", "1:"),  # \u escapes are not keywords
    ("SELECT ?x WHERE { ?x ?p ?o } GROUP BY", "1:"),
]):
    add(_sparql_get(f"malformed-{i}", "malformed SPARQL", text, 400, f"{SYNTAX} at line {where.rstrip(':')}, column "))
add(_sparql_get("empty-query", "malformed SPARQL", "   ", 400, "the query is empty"))
add(Case("no-query-post", "malformed SPARQL", "POST", "/sparql", 400, "no query", body={"nothing": "here"}))
add(Case("two-queries", "malformed SPARQL", "GET", "/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D", 400, "2 'query' parameters"))
add(Case("query-in-url-and-body", "malformed SPARQL", "POST", "/sparql?query=ASK%20%7B%7D", 400, "both the URL and the body",
         body=b"ASK {}", content_type="application/sparql-query"))

# ------------------------------------------------------------------ every SPARQL Update form, sent every way
UPDATES = {
    "insert-data": "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "delete-data": "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "delete-where": "DELETE WHERE { ?s ?p ?o }",
    "modify": "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "with-modify": "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "load": f"LOAD <{LOOP}data.ttl>",
    "load-into": f"LOAD SILENT <{LOOP}data.ttl> INTO GRAPH <urn:g>",
    "clear": "CLEAR ALL",
    "drop": "DROP GRAPH <https://w3id.org/ecograph/graph/stated>",
    "create": "CREATE GRAPH <urn:g>",
    "copy": "COPY DEFAULT TO <urn:g>",
    "move": "MOVE DEFAULT TO <urn:g>",
    "add": "ADD DEFAULT TO <urn:g>",
    "prefixed-lowercase": "PREFIX x: <urn:x#>\n# a comment\ninsert data { x:a x:b x:c }",
}
for name, text in UPDATES.items():
    add(Case(f"update-form-{name}", "SPARQL Update", "POST", "/sparql", 403, READ_ONLY, body={"update": text}))
    add(Case(f"update-body-{name}", "SPARQL Update", "POST", "/sparql", 403, READ_ONLY, body=text.encode(),
             content_type="application/sparql-update"))
    add(_sparql_get(f"update-as-query-{name}", "SPARQL Update", text, 403, READ_ONLY))
add(Case("update-get", "SPARQL Update", "GET", "/sparql", 403, READ_ONLY, query={"update": "DROP ALL"}))
add(_sparql_post("update-as-query-body", "SPARQL Update", "CLEAR DEFAULT", 403, READ_ONLY))

# ------------------------------------------------------------------ SERVICE, LOAD, FROM aimed at the loopback listener
for name, text in {
    "service": f"SELECT * WHERE {{ SERVICE <{LOOP}sparql> {{ ?s ?p ?o }} }}",
    "service-silent": f"SELECT * WHERE {{ SERVICE SILENT <{LOOP}sparql> {{ ?s ?p ?o }} }}",
    "service-variable": f"SELECT * WHERE {{ BIND(<{LOOP}sparql> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "service-pname": f"PREFIX e: <{LOOP}> SELECT * WHERE {{ SERVICE e:sparql {{ ?s ?p ?o }} }}",
    "service-lowercase-comment": f"select * where {{ service #x\n <{LOOP}sparql> {{ ?s ?p ?o }} }}",
    "service-relative": f"BASE <{LOOP}> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
}.items():
    add(_sparql_get(f"outbound-{name}", "outbound", text, 400, NO_OUTBOUND))
add(_sparql_post("outbound-service-post", "outbound", f"ASK {{ SERVICE <{LOOP}> {{ ?s ?p ?o }} }}", 400, NO_OUTBOUND))
for name, text in {
    "from": f"SELECT * FROM <{LOOP}data.ttl> WHERE {{ ?s ?p ?o }}",
    "from-named": f"SELECT * FROM NAMED <{LOOP}data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "from-relative": f"BASE <{LOOP}> SELECT * FROM <data.ttl> WHERE {{ ?s ?p ?o }}",
    "from-construct": f"CONSTRUCT {{ ?s ?p ?o }} FROM <{LOOP}data.ttl> WHERE {{ ?s ?p ?o }}",
}.items():
    add(_sparql_get(f"outbound-{name}", "outbound", text, 400, REMOTE_GRAPH))
add(_sparql_get("outbound-default-graph-uri", "outbound", "ASK {}", 400, REMOTE_GRAPH, extra={"default-graph-uri": LOOP + "g"}))
add(_sparql_get("outbound-named-graph-uri", "outbound", "ASK {}", 400, REMOTE_GRAPH, extra={"named-graph-uri": LOOP + "g"}))
add(Case("outbound-default-graph-uri-post", "outbound", "POST", "/sparql", 400, REMOTE_GRAPH,
         body={"query": "ASK {}", "default-graph-uri": LOOP + "g"}))
add(Case("outbound-graph-store", "outbound", "GET", "/rdf-graph-store", 404, "no graph", query={"graph": LOOP + "g"},
         headers={"Accept": "text/turtle"}))
add(_sparql_get("outbound-graph-pattern", "outbound", f"ASK {{ GRAPH <{LOOP}g> {{ ?s ?p ?o }} }}", 200, '"boolean": false'))

# ------------------------------------------------------------------ size: huge literals, many UNIONs, oversize bodies
BIG = "a" * 900_000
add(_sparql_post("huge-literal-900k", "size", f'ASK {{ FILTER(STRLEN("{BIG}") = 900000) }}', 200, '"boolean": true'))
add(Case("huge-literal-900k-form", "size", "POST", "/sparql", 200, '"boolean": true',
         body={"query": f'ASK {{ FILTER(STRLEN("{"b" * 800_000}") > 0) }}'}))
add(_sparql_post("oversize-2mb-query", "size", f'ASK {{ FILTER(STRLEN("{"a" * 2_000_000}") > 0) }}', 413, TOO_LARGE))
add(Case("oversize-2mb-form", "size", "POST", "/sparql", 413, TOO_LARGE, body={"query": "ASK {}", "pad": "x" * 2_000_000}))
add(Case("oversize-2mb-validate", "size", "POST", "/validate", 413, TOO_LARGE, body=b"#" * 2_000_000, content_type="text/turtle"))
add(_sparql_post("unions-500", "size", "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 500) + " } LIMIT 1",
                 200, '"bindings"'))
# long chains nest in the engine's algebra as deeply as brackets do (pyoxigraph crashed at 3,000 MINUS or BIND
# and 10,000 UNIONs, triple patterns or `+`): refused before the engine
for name, text in {
    "unions-3000": "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 3000) + " } LIMIT 1",
    "unions-20000": "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 20000) + " } LIMIT 1",
    "minus-3000": "SELECT * WHERE { ?s ?p ?o " + " ".join(["MINUS { ?s ?p ?o }"] * 3000) + " }",
    "bind-3000": "SELECT * WHERE { ?s ?p ?o " + " ".join(f"BIND(1 AS ?v{i})" for i in range(3000)) + " }",
    "triple-patterns-10000": "SELECT * WHERE { " + " ".join(f"?s <urn:b> ?o{i} ." for i in range(10000)) + " }",
    "plus-10000": "ASK { FILTER(" + "+".join(["1"] * 10000) + " > 0) }",
    "or-10000": "SELECT * WHERE { ?s ?p ?o FILTER(" + "||".join(["?o"] * 10000) + ") }",
}.items():
    add(_sparql_post(f"long-{name}", "size", text, 400, LONG))
add(_sparql_post("values-50000", "size", "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { " + " ".join(str(i) for i in range(50000)) + " } }",
                 200, '"50000"'))

# ------------------------------------------------------------------ deep nesting: refused before the engine
for name, text in {
    "braces": "SELECT * WHERE " + "{ " * 200 + "?s ?p ?o" + " }" * 200,
    "parentheses": "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 200 + "1" + ")" * 200 + ") }",
    "functions": "SELECT * WHERE { ?s ?p ?o FILTER(" + "STR(" * 200 + "?o" + ")" * 200 + ") }",
    "sub-selects": "SELECT * WHERE " + "{ SELECT * WHERE " * 100 + "{ ?s ?p ?o }" + " }" * 100,
    "not-exists-3000": "SELECT * WHERE { " + "FILTER NOT EXISTS { " * 3000 + "?s ?p ?o" + " }" * 3000 + " }",
    "blank-node-brackets": "SELECT * WHERE { ?s ?p " + "[ ?p " * 200 + "?o" + " ]" * 200 + " }",
    "optional": "SELECT * WHERE { " + "OPTIONAL { ?s ?p ?o " * 100 + "}" * 100 + " }",
    "unbalanced-openers": "SELECT * WHERE " + "{" * 100_000,
}.items():
    add(_sparql_post(f"deep-{name}", "deep nesting", text, 400, DEEP))
add(_sparql_post("deep-64-allowed", "deep nesting", "ASK " + "{ " * 63 + "?s ?p ?o" + " }" * 63, 200, '"boolean": true'))

# ------------------------------------------------------------------ runaway queries: stopped at the time limit (503), never a hang
for name, text in {
    "cartesian": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "regex-cartesian": 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?s2 ?p2 ?o2 FILTER(REGEX(CONCAT(STR(?o), STR(?o2), "aaaaaaaaaaaaaaaaaaaaaaaaaaab"), "(a+)+$")) }',
    "property-path-star": "SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:x>|!<urn:y>)* ?b . ?c ?d ?e }",
}.items():
    add(_sparql_get(f"runaway-{name}", "runaway", text, 503, TIME_LIMIT, extra={"timeout": "1"}, timeout=1, time_limited=True))
add(_sparql_get("runaway-regex-all-literals", "runaway", 'SELECT ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o) && REGEX(STR(?o), "(a+)+$")) }',
                frozenset({200, 503}), "", extra={"timeout": "1"}, timeout=1, time_limited=True))
add(_sparql_get("timeout-not-a-number", "runaway", "ASK {}", 400, "timeout must be a number", extra={"timeout": "soon"}))
add(_sparql_get("timeout-negative", "runaway", "ASK {}", 400, "more than 0 seconds", extra={"timeout": "-1"}))
add(_sparql_get("timeout-nan", "runaway", "ASK {}", 400, "timeout", extra={"timeout": "nan"}))
add(_sparql_get("timeout-huge", "runaway", "ASK {}", 200, '"boolean": true', extra={"timeout": "1e308"}))

# ------------------------------------------------------------------ encodings and content types
add(Case("utf8-get-percent", "encoding", "GET", "/sparql?query=ASK%20%7B%7D%ff", 400, BAD_UTF8))
add(Case("utf8-get-overlong", "encoding", "GET", "/sparql?query=ASK%20%7B%7D%c0%af", 400, BAD_UTF8))
add(Case("utf8-get-surrogate", "encoding", "GET", "/sparql?query=ASK%20%7B%7D%ed%a0%80", 400, BAD_UTF8))
add(Case("utf8-post-body", "encoding", "POST", "/sparql", 400, BAD_UTF8, body=b"ASK {} \xff\xfe", content_type="application/sparql-query"))
add(Case("utf8-post-form", "encoding", "POST", "/sparql", 400, BAD_UTF8, body=b"query=ASK%20%7B%7D%C3%28",
         content_type="application/x-www-form-urlencoded"))
add(Case("utf8-post-form-raw", "encoding", "POST", "/sparql", 400, BAD_UTF8, body=b"query=ASK {}\xc3",
         content_type="application/x-www-form-urlencoded"))
add(Case("utf8-validate", "encoding", "POST", "/validate", 400, BAD_UTF8, body=b'<http://e/a> <http://e/b> "\xff\xfe" .',
         content_type="text/turtle", headers={"Accept": "application/json"}))
add(Case("nul-after-query", "encoding", "GET", "/sparql?query=ASK%20%7B%7D%00", 400, SYNTAX))
add(Case("nul-in-query", "encoding", "GET", "/sparql?query=ASK%20%7B%00%7D", 400, SYNTAX))
add(Case("ctype-missing", "content type", "POST", "/sparql", 400, "unsupported Content-Type", body=b"ASK {}"))
for ctype in ("text/plain", "application/json", "multipart/form-data; boundary=x", "application/sparql-results+json", "application/x-www-form-urlencoded; charset=latin-1\x00"):
    add(Case(f"ctype-{ctype.split(';')[0]}", "content type", "POST", "/sparql",
             400, "", body=b"ASK {}", content_type=ctype))
add(Case("ctype-validate-missing", "content type", "POST", "/validate", 415, "unsupported Content-Type", body=b"<a> <b> <c> ."))
add(Case("ctype-validate-html", "content type", "POST", "/validate", 415, "unsupported Content-Type", body=b"<html>",
         content_type="text/html"))

# ------------------------------------------------------------------ odd Accept headers: a clear status, never a 5xx
for name, accept, status, message in [
    ("empty", "", 200, '"boolean": true'),
    ("garbage", "garbage", 200, '"boolean": true'),
    ("punctuation", ";;;,,,", 200, '"boolean": true'),
    ("nothing-acceptable", "*/*;q=0", 406, NOT_ACCEPTABLE),
    ("bad-q", "application/sparql-results+json;q=abc", 406, NOT_ACCEPTABLE),
    ("q-above-one", "text/csv;q=7, application/sparql-results+json;q=0.5", 200, "true"),
    ("very-long", "a/" * 4000, 406, NOT_ACCEPTABLE),
    ("many-ranges", ", ".join(f"type{i}/sub{i};q=0.{i % 9 + 1}" for i in range(2000)), 406, NOT_ACCEPTABLE),
    ("image", "image/png", 406, NOT_ACCEPTABLE),
]:
    add(_sparql_get(f"accept-{name}", "Accept", "ASK {}", status, message, headers={"Accept": accept}))
add(Case("accept-sd-nothing", "Accept", "GET", "/sparql", 200, "sparql-service-description", headers={"Accept": "*/*;q=0"}))
add(Case("accept-validate", "Accept", "POST", "/validate", 406, NOT_ACCEPTABLE, body=b"<http://e/a> <http://e/b> <http://e/c> .",
         content_type="text/turtle", headers={"Accept": "*/*;q=0"}))
add(Case("accept-queries", "Accept", "GET", "/queries", 406, NOT_ACCEPTABLE, headers={"Accept": "image/png"}))
add(Case("format-unknown", "Accept", "GET", "/sparql", 406, "not available", query={"query": "ASK {}", "format": "<script>"}))

# ------------------------------------------------------------------ validation uploads
V_JSON = {"Accept": "application/json"}
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
          + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="http://e/a">'
            '<rdf:value>&lol9;</rdf:value></rdf:Description></rdf:RDF>')
XXE = (f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "{LOOP}secret">]>\n'
       '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="http://e/a">'
       '<rdf:value>&x;</rdf:value></rdf:Description></rdf:RDF>')
for name, body, ctype, status, message in [
    ("turtle-syntax", "@prefix ex: <http://e/> .\nex:a ex:b ex:c ;\n ex:d .", "text/turtle", 400, '"line":3'),
    ("turtle-undeclared-prefix", "ex:a ex:b ex:c .", "text/turtle", 400, "not bound"),
    ("turtle-iri-with-space", "<http://e/a b> <http://e/p> <http://e/c> .", "text/turtle", 400, "IRI"),
    ("turtle-iri-with-quote", '<http://e/p> <http://e/p> <http://e/a"b> .', "text/turtle", 400, "IRI"),
    ("ntriples-syntax", "<http://e/a> <http://e/b> .\n", "application/n-triples", 400, '"line":1'),
    ("trig-syntax", "GRAPH <http://e/g> { <a> <b> ", "application/trig", 400, '"column":30'),
    ("nquads-syntax", "<http://e/a> <http://e/b> <http://e/c> <http://e/g> <x> .\n", "application/n-quads", 400, '"line":1'),
    ("jsonld-syntax", '{"@id": ', "application/ld+json", 400, '"column":9'),
    ("billion-laughs-rdfxml", LAUGHS, "application/rdf+xml", 415, "never parsed"),
    ("billion-laughs-xml", LAUGHS, "application/xml", 415, "never parsed"),
    ("billion-laughs-text-xml", LAUGHS, "text/xml", 415, "never parsed"),
    ("external-entity-rdfxml", XXE, "application/rdf+xml", 415, "never parsed"),
    ("external-entity-as-turtle", XXE, "text/turtle", 400, '"line":'),
    ("remote-context", f'{{"@context": "{LOOP}ctx.jsonld", "@id": "http://e/a", "name": "x"}}', "application/ld+json", 400, "never fetched"),
    ("remote-context-list", f'{{"@context": ["{LOOP}ctx.jsonld", {{}}], "@id": "http://e/a"}}', "application/ld+json", 400, "never fetched"),
    ("remote-context-import", f'{{"@context": {{"@version": 1.1, "@import": "{LOOP}ctx.jsonld"}}, "@id": "http://e/a"}}',
     "application/ld+json", 400, "never fetched"),
    ("jsonld-huge-literal", '{"@id": "http://e/a", "http://e/p": "' + "x" * 900_000 + '"}', "application/ld+json", 200, '"conforms"'),
    ("jsonld-huge-over-cap", "[" + ",".join(f'{{"@id":"http://e/a{i}","http://e/p":"v"}}' for i in range(60000)) + "]",
     "application/ld+json", 413, TOO_LARGE),
    ("jsonld-deep-arrays", '{"@id":"http://e/a","http://e/p":' + "[" * 5000 + "1" + "]" * 5000 + "}", "application/ld+json", 200, '"conforms"'),
]:
    add(Case(f"validate-{name}", "validation upload", "POST", "/validate", status, message,
             body=body.encode() if isinstance(body, str) else body, content_type=ctype, headers=V_JSON))
add(Case("validate-get", "validation upload", "GET", "/validate", 405, "not allowed"))

# ------------------------------------------------------------------ named-query parameters carrying injections
for name, params, status, message in [
    ("iri-close-and-drop", {"stakeholder": "<x> } ; DROP ALL ; {"}, 400, MUST_BE_IRI),
    ("iri-union", {"stakeholder": "stakeholder:startup> } UNION { ?s ?p ?o } #"}, 400, MUST_BE_IRI),
    ("iri-newline", {"stakeholder": "https://example.org/a\n} UNION { ?s ?p ?o"}, 400, MUST_BE_IRI),
    ("iri-javascript", {"stakeholder": "javascript:alert(1)"}, 400, MUST_BE_IRI),
    ("iri-file", {"stakeholder": "file:///etc/passwd"}, 400, MUST_BE_IRI),
    ("iri-nul", {"stakeholder": "stakeholder:startup\x00"}, 400, MUST_BE_IRI),
    ("iri-control", {"stakeholder": "https://e/a\x01b"}, 400, MUST_BE_IRI),
    ("iri-nbsp", {"stakeholder": "https://e/\u00a0x"}, 400, MUST_BE_IRI),
    ("iri-line-separator", {"stakeholder": "https://e/x\u2028y"}, 400, MUST_BE_IRI),
    ("iri-loopback-is-just-a-term", {"stakeholder": LOOP + "x"}, 200, '"bindings":[]'),
    ("integer-exponent", {"from_number": "1e3"}, 400, "must be an integer"),
    ("integer-huge", {"from_number": "9" * 30}, 400, "must be an integer"),
    ("integer-arabic-indic", {"from_number": "\u0661\u0662"}, 400, "must be an integer"),
    ("integer-injection", {"from_number": "0) || true || (0"}, 400, "must be an integer"),
    ("choice-nul", {"lang": "en\x00"}, 400, "must be one of"),
    ("choice-injection", {"lang": 'en") || true || ("'}, 400, "must be one of"),
    ("boolean-uppercase", {"audience_only": "TRUE"}, 400, "must be true or false"),
    ("layer-traversal", {"layer": "../../etc"}, 400, "unknown layer"),
    ("format-script", {"format": "<script>"}, 406, "not available"),
    ("unknown-parameter", {"default-graph-uri": LOOP + "g"}, 400, "has no parameter"),
]:
    add(Case(f"named-{name}", "named-query parameters", "GET", "/queries/lines-of", status, message, query=params))
for name, needle in [("string-close", '" } UNION { ?s ?p ?o'), ("string-service", f'") }} SERVICE <{LOOP}> {{ ?s ?p ?o }} #'),
                     ("string-triple-quote", '"""} UNION { ?resource ?p ?label }"""'), ("string-regex", "(a+)+$")]:
    add(Case(f"named-{name}", "named-query parameters", "GET", "/queries/label-search", 200, '"bindings":[]', query={"needle": needle}))
add(Case("named-string-too-long", "named-query parameters", "GET", "/queries/label-search", 400, "too long", query={"needle": "a" * 1001}))
add(Case("named-repeated", "named-query parameters", "GET", "/queries/lines-of?lang=ja&lang=en", 400, "2 values"))
add(Case("named-traversal-name", "named-query parameters", "GET", "/queries/..%2f..%2fpyproject.toml", 404, "not found"))
add(Case("named-unknown-name-script", "named-query parameters", "GET", "/queries/%3Cscript%3E", 404, "no named query"))

# ------------------------------------------------------------------ linked-data paths: traversal and odd encodings
HTML = {"Accept": "text/html"}
for name, path in [
    ("encoded-slash-dotdot", "/id/..%2f..%2fetc/passwd"),
    ("encoded-dots", "/id/program/%2e%2e/%2e%2e/etc"),
    ("dotdot", "/id/program/.."),
    ("nul", "/id/program/%00"),
    ("nul-before-ext", "/id/program/2%00.ttl"),
    ("overlong-utf8-dots", "/id/program/%c0%ae%c0%ae"),
    ("overlong-key", "/id/" + "a" * 5000),
    ("backslashes", "/id/program\\..\\..\\x"),
    ("fullwidth-digit", "/id/program/\uff12"),
    ("bidi-override", "/id/program/\u202e2"),
    ("invalid-utf8", "/id/%ff%fe"),
    ("doc-dots", "/doc/id/program/%2e%2e"),
    ("data-traversal", "/data/id/program/../../../etc/passwd.ttl"),
    ("semicolon", "/id/program/2;rm"),
    ("double-slash", "/id/program//2"),
]:
    add(Case(f"path-{name}", "linked-data paths", "GET", path, 404, NOT_KEY, headers=HTML))
for name, path, message in [
    ("data-nul-ext", "/data/id/program/2.ttl%00.html", "no document"),
    ("data-exe", "/data/id/program/2.exe", "no document"),
    ("ontology-traversal", "/ontology/..%2f..%2fsettings", "no ontology version"),
    ("graph-traversal", "/graph/..%2fstated", "not found"),
    ("dumps-traversal", "/dumps/..%2f..%2fpyproject.toml", "not found"),
    ("static-traversal", "/static/..%2f..%2fsettings.py", "not found"),
]:
    add(Case(f"path-{name}", "linked-data paths", "GET", path, 404, message, headers=HTML))
add(Case("path-lang-script", "linked-data paths", "GET", "/doc/id/program/2?lang=%3Cscript%3Ealert(1)%3C/script%3E", 200, "<!DOCTYPE html>",
         headers=HTML, absent=("<script>alert",)))

# ------------------------------------------------------------------ labels holding HTML and script, shown escaped
SCRIPT_ABSENT = ("<script>alert", "<img src=x", "</td><script")
add(Case("labels-page", "escaping", "GET", "/doc/id/program/evil", 200, "&lt;script&gt;alert(1)&lt;/script&gt;",
         headers=HTML, target="evil", absent=SCRIPT_ABSENT + ('href="javascript:',)))
add(Case("labels-page-en", "escaping", "GET", "/doc/id/program/evil?lang=en", 200, "&lt;img src=x onerror=alert(2)&gt;",
         headers=HTML, target="evil", absent=SCRIPT_ABSENT))
add(Case("labels-incoming", "escaping", "GET", "/doc/id/program/other", 200, "&lt;/td&gt;&lt;script&gt;alert(4)&lt;/script&gt;",
         headers=HTML, target="evil", absent=SCRIPT_ABSENT))
add(Case("labels-home", "escaping", "GET", "/", 200, "<html", headers=HTML, target="evil", absent=SCRIPT_ABSENT))
add(Case("labels-queries-html", "escaping", "GET", "/queries", 200, "&lt;script&gt;alert(",
         headers=HTML, absent=("<script>alert",)))
add(Case("labels-validate-html", "escaping", "POST", "/validate", 200, "&lt;script&gt;alert(5)&lt;/script&gt;",
         query={"format": "html"}, content_type="text/turtle", absent=("<script>alert", "<img src=x"),
         body=(b'@prefix ecograph: <https://w3id.org/ecograph/ontology#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
               b'@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n<https://w3id.org/ecograph/id/fiscal-year/2031> a ecograph:FiscalYear ;\n'
               b'  rdfs:label "<script>alert(5)</script>"@ja ; ecograph:fiscalYearStart "2031-04-01"^^xsd:date ;\n'
               b'  ecograph:fiscalYearEnd "2032-03-31"^^xsd:date .\n')))

# The data served for target="evil" (serve --data), and a named query whose header holds markup.
EVIL_DATA = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ecograph: <https://w3id.org/ecograph/ontology#> .
<https://w3id.org/ecograph/id/program/evil> a ecograph:SupportProgram ;
    rdfs:label "<script>alert(1)</script>"@en , "\\"><img src=x onerror=alert(2)>"@ja ;
    rdfs:seeAlso <javascript:alert(3)> ;
    ecograph:asWritten "a & b < c" .
<https://w3id.org/ecograph/id/program/other> rdfs:label "</td><script>alert(4)</script>"@en ;
    rdfs:seeAlso <https://w3id.org/ecograph/id/program/evil> .
"""
EVIL_QUERY = """\
# title: <script>alert('q')</script>
# title@ja: <img src=x onerror=alert('q')>
# description: a header with markup "</p><script>alert('q')</script>
# description@ja: テスト
SELECT ?s WHERE { ?s ?p ?o } LIMIT 1
"""
