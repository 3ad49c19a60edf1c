"""The query UI (ecograph/http/ui.py) and the site's chrome (issue 16): the page at / and at a browser's GET /sparql,
its static files and favicon, the plain form when YASGUI is not vendored, the menu of named queries (grouped by
kind; each one's text must answer as GET /queries/NAME does), ?query= and ?named=, the ontology's terms for the
editor's autocompletion, the shared navigation, the /queries page and the resource pages' "Open in SPARQL"."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs, urlsplit

from ecograph.http import pages, resource_page, ui
from ecograph.queries import catalogue

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def _config(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="ecograph-ui-config">(.*?)</script>', page, re.DOTALL)
    assert match, "no UI configuration on the page"
    return json.loads(match.group(1))


def _result(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    if "boolean" in body:
        return body["boolean"]
    # GROUP_CONCAT's order is not defined by SPARQL and follows the plan, which the written-in terms change
    rows = [{k: {**v, "value": " ".join(sorted(v["value"].split(" ")))} for k, v in b.items()} for b in body["results"]["bindings"]]
    return body["head"]["vars"], sorted(json.dumps(b, sort_keys=True) for b in rows)


def _home(client, query: str = "", accept_language: str | None = None) -> str:
    headers = {"Accept": BROWSER_ACCEPT, **({"Accept-Language": accept_language} if accept_language else {})}
    response = client.get("/" + query, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


# ------------------------------------------------------------------ named queries in the editor

def test_named_queries_in_the_editor_answer_as_the_named_query_api(client, built_settings):
    with client.application.test_request_context("/"):
        entries = {e["name"]: e for e in ui.menu("en")}
    assert set(entries) == set(catalogue(built_settings))
    for name, entry in entries.items():
        assert entry["text"].startswith("PREFIX ") and "# title" not in entry["text"], name  # no header: the menu shows it
        assert "PREFIX ecograph: <https://w3id.org/ecograph/ontology#>" in entry["text"]
        from_editor = client.post("/sparql", data={"query": entry["text"]}, headers={"Accept": "application/sparql-results+json"})
        from_api = client.get(f"/queries/{name}", headers={"Accept": "application/sparql-results+json"})
        assert _result(from_editor) == _result(from_api), name


def test_parameters_are_written_in_with_their_defaults():
    text = """# title: t
SELECT ?a ?layer (COUNT(?x) AS ?n) WHERE {
  { SELECT ?s ?layer WHERE { ?s ?p ?o FILTER (?layer = "all") } GROUP BY ?s ?layer }
  BIND ("#not ?layer" AS ?c) VALUES ?layer { "x" }
} GROUP BY ?a ?layer ORDER BY ?layer"""
    written = ui.write_parameters(text, {"layer": '"all"'})
    assert 'SELECT ?a ("all" AS ?layer) (COUNT(?x) AS ?n)' in written
    assert 'SELECT ?s  WHERE { ?s ?p ?o FILTER ("all" = "all") } GROUP BY ?s ("all") }' in written   # a subquery drops it
    assert '"#not ?layer"' in written and 'VALUES ?layer { "x" }' in written      # strings and VALUES untouched
    assert written.endswith('GROUP BY ?a ("all") ORDER BY "all"')


def test_every_named_query_is_in_one_group_of_the_menu(client, built_settings):
    names = set(catalogue(built_settings))
    expected = {"coverage-program-phase": "coverage", "gaps-milestones": "gaps", "money-by-phase": "money",
                "support-finder": "support", "stakeholder-programs": "support", "cicle-rounds": "programs",
                "programs": "programs", "plan-targets": "programs", "unknowns": "quality", "facts-per-slide": "quality"}
    assert {n: ui.query_group(n).key for n in expected if n in names} == {n: g for n, g in expected.items() if n in names}
    page = _home(client, "?lang=en")
    menu = re.search(r'<select id="named-query" name="named">(.*?)</select>', page, re.DOTALL).group(1)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', menu, re.DOTALL)
    assert [label for label, _ in groups] == [g.en for g in ui.QUERY_GROUPS if any(ui.query_group(n) is g for n in names)]
    listed = [v for _, options in groups for v in re.findall(r'<option value="([^"]+)"', options)]
    assert sorted(listed) == sorted(names)                                        # each query once
    assert ">program × phase</option>" in menu and "Coverage: program" not in menu  # the group's word is not repeated
    assert menu.startswith('<option value="">(your own query)</option>')


def test_home_is_the_query_ui_with_the_named_queries(client):
    response = client.get("/", headers={"Accept": BROWSER_ACCEPT})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.content_type.startswith("text/html")
    assert "Accept-Language" in response.headers["Vary"]
    config = _config(page)
    assert config["endpoint"] == "/sparql" and config["terms"].startswith("/ontology/terms.json")
    assert config["prefixes"]["ecograph"] == "https://w3id.org/ecograph/ontology#"
    order = list(config["prefixes"])
    assert order.index("program") < order.index("id")                      # the longest namespace first
    assert "cicle-rounds" in [q["name"] for q in config["queries"]] and config["named"] == ""
    assert config["lang"] == "ja" and config["labels"]["editor"] == "SPARQL クエリエディタ"
    assert "</script>" not in page.split('id="ecograph-ui-config">', 1)[1].split("</script>", 1)[0]
    assert '<label for="named-query">' in page and '<details id="named-about" hidden>' in page
    assert 'id="editor-keys"' in page and "Ctrl+]" in page                        # the keyboard hint the editor points at
    assert 'autofocus' not in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))], "the page loads something from another host"
    for src in re.findall(r'<script defer src="([^"]+)"', page) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', page):
        assert src.startswith("/static/") and "?v=" in src
        assert client.get(src).status_code == 200


def test_query_and_named_open_the_editor_with_that_text(client):
    config = _config(_home(client, "?query=ASK%20%7B%7D"))
    assert config["initialQuery"] == "ASK {}" and config["named"] == ""
    page = _home(client, "?named=cicle-rounds&lang=en")
    config = _config(page)
    chosen = next(q for q in config["queries"] if q["name"] == "cicle-rounds")
    assert config["named"] == "cicle-rounds" and config["initialQuery"] == chosen["text"]
    assert '<option value="cicle-rounds" selected>' in page
    assert '<details id="named-about">' in page and html.escape(chosen["description"]) in page
    assert 'href="/queries/cicle-rounds"' in page and 'href="/queries#cicle-rounds"' in page
    assert _config(_home(client, "?named=no-such-query"))["named"] == ""       # an unknown name: the first query


def test_browsers_get_the_ui_at_sparql_and_rdf_clients_the_service_description(client):
    assert "ecograph-ui-config" in client.get("/sparql", headers={"Accept": BROWSER_ACCEPT}).get_data(as_text=True)
    for accept in (None, "*/*", "text/turtle", "text/turtle,text/html;q=0.5"):
        response = client.get("/sparql", headers={"Accept": accept} if accept else {})
        assert response.content_type.startswith("text/turtle"), accept
        assert b"sparql-service-description" in response.data
    assert client.get("/sparql", headers={"Accept": "application/ld+json"}).content_type.startswith("application/ld+json")
    assert client.get("/sparql", headers={"Accept": "application/rdf+xml"}).content_type.startswith("application/rdf+xml")


def test_static_files_are_cached_and_confined(client):
    with client.application.test_request_context("/"):
        url = ui.static_url(ui.UI_JS)
    response = client.get(url)
    assert response.status_code == 200 and response.content_type.startswith("text/javascript")
    assert "max-age=" in response.headers["Cache-Control"] and response.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    for bad in ("/static/../ui.py", "/static/%2e%2e/ui.py", "/static/nope.js", "/static/"):
        assert client.get(bad).status_code == 404, bad


def test_without_yasgui_the_page_is_a_plain_form(client, monkeypatch):
    monkeypatch.setattr(ui, "has_yasgui", lambda: False)
    page = client.get("/?lang=en").get_data(as_text=True)
    assert "ecograph-ui-config" not in page and "<script" not in page
    assert '<form class="plain" method="post" action="/sparql">' in page and 'name="query"' in page and 'name="format"' in page
    assert '<form class="query-menu" method="get" action="/">' in page and '<button type="submit" class="menu-open">' in page
    assert "scripts/vendor-ui" in page
    assert 'href="/dumps/"' in page and 'href="/.well-known/void"' in page
    query = re.search(r'<textarea id="query" name="query"[^>]*>(.*?)</textarea>', page, re.DOTALL).group(1)
    response = client.post("/sparql", data={"query": html.unescape(query), "format": "csv"})
    assert response.status_code == 200 and response.content_type.startswith("text/csv")
    assert response.get_data(as_text=True).count("\n") > 30
    opened = client.get("/?named=cicle-rounds&lang=en").get_data(as_text=True)  # the menu, without scripts
    assert "ecograph:callNumber" in html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", opened, re.DOTALL).group(1))


def test_named_query_listing_has_the_text(client, built_settings):
    listed = {q["name"]: q for q in client.get("/queries", headers={"Accept": "application/json"}).get_json()["queries"]}
    for name, query in catalogue(built_settings).items():
        assert listed[name]["text"] == query.text


# ------------------------------------------------------------------ the ontology's terms, the favicon

def test_terms_for_autocompletion_come_from_the_ontology(client):
    response = client.get("/ontology/terms.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "max-age=" in response.headers["Cache-Control"]
    body = response.get_json()
    terms = {t["curie"]: t for t in body["terms"]}
    assert terms["ecograph:SupportProgram"]["kind"] == "class"
    assert terms["ecograph:SupportProgram"]["iri"] == "https://w3id.org/ecograph/ontology#SupportProgram"
    assert set(terms["ecograph:SupportProgram"]["label"]) == {"ja", "en"}
    assert terms["ecograph:programNumber"]["kind"] == "datatype-property"
    assert any(t["kind"] == "object-property" for t in body["terms"])
    assert [t["kind"] == "class" for t in body["terms"]] == sorted((t["kind"] == "class" for t in body["terms"]), reverse=True)
    assert {"prefix": "ecograph", "iri": "https://w3id.org/ecograph/ontology#"} in body["prefixes"]
    assert client.get("/ontology/terms.json", headers={"Accept": "text/html"}).mimetype == "application/json"


def test_favicon_is_served_and_linked(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.data.startswith(b"<svg") and b"<title>ecograph</title>" in response.data
    for path in ("/", "/queries", "/doc/id/program/2"):
        page = client.get(path, headers={"Accept": BROWSER_ACCEPT}).get_data(as_text=True)
        assert '<link rel="icon" type="image/svg+xml" href="/favicon.ico">' in page, path


# ------------------------------------------------------------------ the site's chrome on every page

def _nav(page: str) -> str:
    match = re.search(r'<header class="site-header">.*?</header>', page, re.DOTALL)
    assert match, "no site navigation"
    return match.group(0)


def test_the_navigation_is_one_and_marks_the_current_page(client):
    seen = {}
    for path in ("/", "/queries", "/doc/id/program/2"):
        page = client.get(path + "?lang=en", headers={"Accept": BROWSER_ACCEPT}).get_data(as_text=True)
        nav = _nav(page)
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page and "<main>" in page
        for href in ("/", "/queries", "/ontology", "/report", "/sparql"):
            assert f'href="{href}"' in nav, (path, href)
        current = re.findall(r'<a href="([^"]+)" aria-current="page">', nav)
        assert current == ([path] if path != "/doc/id/program/2" else []), path
        seen[path] = re.sub(r' aria-current="page"', "", nav)
    assert len(set(seen.values())) == 1                       # one navigation, the same markup everywhere
    with client.application.test_request_context("/"):
        assert pages.site_nav(pages.Html(("en", "ja")), "/queries") in client.get(
            "/queries?lang=en", headers={"Accept": BROWSER_ACCEPT}).get_data(as_text=True)


def test_queries_page_follows_the_browsers_language(client):
    for accept_language, first in ((None, "ja"), ("en-US,en;q=0.9", "en"), ("ja,en;q=0.5", "ja")):
        headers = {"Accept": BROWSER_ACCEPT, **({"Accept-Language": accept_language} if accept_language else {})}
        page = client.get("/queries", headers=headers).get_data(as_text=True)
        assert page.startswith(f'<!DOCTYPE html>\n<html lang="{first}">'), accept_language
        heading = re.search(r"<h1>(.*?)</h1>", page).group(1)
        assert heading.startswith(f'<span lang="{first}">'), heading
    page = client.get("/queries?lang=en", headers={"Accept": BROWSER_ACCEPT}).get_data(as_text=True)
    assert [label for label in re.findall(r'<section id="group-([a-z]+)">', page)] == [
        g.key for g in ui.QUERY_GROUPS if f'id="group-{g.key}"' in page]
    assert 'href="/?named=cicle-rounds&amp;lang=en"' in page                 # open it in the editor
    assert '<details><summary><span lang="en">Description</span>' in page    # descriptions folded
    assert 'href="/queries/openapi.json"' in page and 'href="/queries?format=json"' in page


# ------------------------------------------------------------------ "Open in SPARQL" on a resource page

def test_open_in_sparql_opens_the_editor_with_a_query_about_the_resource(client):
    page = client.get("/doc/id/program/13?lang=en").get_data(as_text=True)
    href = html.unescape(re.search(r'<a href="(/\?query=[^"]+)">(?:<span[^>]*>)?Open in SPARQL', page).group(1))
    args = parse_qs(urlsplit(href).query)
    assert args["lang"] == ["en"] and "program:13 ?property ?value" in args["query"][0]
    assert _config(_home(client, "?" + urlsplit(href).query))["initialQuery"] == args["query"][0]
    rows = client.post("/sparql", data={"query": args["query"][0]}, headers={"Accept": "application/sparql-results+json"}).get_json()
    bindings = rows["results"]["bindings"]
    assert any(b["property"]["value"].endswith("#label") for b in bindings)
    assert all(b["graph"]["value"].startswith("https://w3id.org/ecograph/graph/") for b in bindings)
    assert resource_page.sparql_name("https://w3id.org/ecograph/id/amount/2") == "<https://w3id.org/ecograph/id/amount/2>"
    assert resource_page.sparql_name("https://w3id.org/ecograph/id/stakeholder/startup") == "stakeholder:startup"
