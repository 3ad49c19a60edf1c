"""The query UI (ecograph/http/ui.py): the page at / and at a browser's GET /sparql, its static files, the
plain form when YASGUI is not vendored, and the named-query tabs, which must answer as GET /queries/NAME does."""

from __future__ import annotations

import html
import json
import re

from ecograph.http import ui
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


def test_named_query_tabs_answer_as_the_named_query_api(client, built_settings):
    with client.application.test_request_context("/"):
        tabs = {t["name"]: t for t in ui.tabs("en")}
    assert set(tabs) == set(catalogue(built_settings))
    for name, tab in tabs.items():
        assert "PREFIX ecograph: <https://w3id.org/ecograph/ontology#>" in tab["text"]
        from_tab = client.post("/sparql", data={"query": tab["text"]}, headers={"Accept": "application/sparql-results+json"})
        from_api = client.get(f"/queries/{name}", headers={"Accept": "application/sparql-results+json"})
        assert _result(from_tab) == _result(from_api), name


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


def test_home_is_the_query_ui_with_the_named_queries(client):
    response = client.get("/", headers={"Accept": BROWSER_ACCEPT})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.content_type.startswith("text/html")
    assert "Accept-Language" in response.headers["Vary"]
    config = _config(page)
    assert config["endpoint"] == "/sparql"
    assert config["prefixes"]["ecograph"] == "https://w3id.org/ecograph/ontology#"
    assert "cicle-rounds" in [t["name"] for t in config["tabs"]]
    assert "</script>" not in page.split('id="ecograph-ui-config">', 1)[1].split("</script>", 1)[0]
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))], "the page loads something from another host"
    for src in re.findall(r'<script defer src="([^"]+)"', page) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', page):
        assert src.startswith("/static/") and "?v=" in src
        assert client.get(src).status_code == 200


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
    assert "scripts/vendor-ui" in page
    assert 'href="/dumps/"' in page and 'href="/.well-known/void"' in page
    query = re.search(r'<textarea id="query" name="query"[^>]*>(.*?)</textarea>', page, re.DOTALL).group(1)
    response = client.post("/sparql", data={"query": html.unescape(query), "format": "csv"})
    assert response.status_code == 200 and response.content_type.startswith("text/csv")
    assert response.get_data(as_text=True).count("\n") > 30


def test_named_query_listing_has_the_text(client, built_settings):
    listed = {q["name"]: q for q in client.get("/queries", headers={"Accept": "application/json"}).get_json()["queries"]}
    for name, query in catalogue(built_settings).items():
        assert listed[name]["text"] == query.text
