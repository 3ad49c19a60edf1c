"""Named queries as an API: /queries (JSON and HTML), /queries/openapi.json, and /queries/NAME with typed
parameters bound by the engine, never pasted into the text."""

from __future__ import annotations

import csv
import io
import shutil

import pytest

from ecograph.cli import main
from ecograph.http import create_app
from ecograph.settings import Settings
from tests.helpers.named_queries import LABEL_SEARCH, LINES_OF
from tests.helpers.paths import EXPECTED


@pytest.fixture(scope="module")
def settings(built_root, tmp_path_factory):
    """The built release, with the project's queries plus the two test queries."""
    root = tmp_path_factory.mktemp("named") / "project"
    shutil.copytree(built_root / "queries", root / "queries")
    (root / "queries" / "lines-of.rq").write_text(LINES_OF, encoding="utf-8")
    (root / "queries" / "label-search.rq").write_text(LABEL_SEARCH, encoding="utf-8")
    return Settings(root=root, dist=built_root / "dist")


@pytest.fixture(scope="module")
def app(settings):
    app = create_app(settings)
    yield app
    app.extensions["ecograph"].close()


def _rows(text: str) -> list[list[str]]:
    """CSV rows, whatever the line ends (SPARQL CSV uses CRLF, the CLI LF)."""
    return list(csv.reader(io.StringIO(text, newline="")))


def _unordered(rows: list[list[str]]) -> list[list[str]]:
    """Rows up to what SPARQL leaves undefined: the order of rows that tie, and of GROUP_CONCAT's parts
    (the CLI's in-memory store and the server's on-disk store may concatenate in different orders)."""
    return [rows[0]] + sorted([" ".join(sorted(cell.split(" "))) for cell in row] for row in rows[1:])


def _bindings(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["results"]["bindings"]


# ------------------------------------------------------------------ listing

def test_listing_as_json(client):
    r = client.get("/queries")
    assert r.status_code == 200 and r.mimetype == "application/json"
    entries = {e["name"]: e for e in r.get_json()["queries"]}
    assert {"programs", "aimgain-calls", "cicle-rounds", "stakeholder-programs", "unknowns", "lines-of"} <= set(entries)
    programs = entries["programs"]
    assert programs["url"] == "/queries/programs"
    assert programs["title"]["en"] and programs["title"]["ja"] and programs["description"]["ja"]
    assert programs["parameters"] == [] and "csv" in programs["formats"]
    params = {p["name"]: p for p in entries["lines-of"]["parameters"]}
    assert params["stakeholder"] == {"name": "stakeholder", "type": "iri", "default": "stakeholder:startup",
                                     "description": "the kind of stakeholder", "required": False}
    assert params["lang"]["choices"] == ["ja", "en"]
    assert entries["label-search"]["parameters"][0]["required"] is True
    assert r.get_json()["openapi"] == "/queries/openapi.json"


def test_listing_as_html_is_escaped(client):
    r = client.get("/queries", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    page = r.get_data(as_text=True)
    assert '<a href="/queries/programs">programs</a>' in page
    assert "事業①〜㉜" in page
    assert "the text to look for &lt;b&gt;in&lt;/b&gt; labels" in page and "<b>in</b>" not in page
    assert client.get("/queries", query_string={"format": "html"}).mimetype == "text/html"


def test_listing_406(client):
    r = client.get("/queries", headers={"Accept": "image/png"})
    assert r.status_code == 406 and r.get_json()["ok"] is False


# ------------------------------------------------------------------ OpenAPI

def test_openapi_document(client):
    r = client.get("/queries/openapi.json")
    assert r.status_code == 200
    doc = r.get_json()
    assert doc["openapi"].startswith("3.0")
    listed = {e["name"] for e in client.get("/queries").get_json()["queries"]}
    assert set(doc["paths"]) == {f"/queries/{name}" for name in listed}
    op = doc["paths"]["/queries/lines-of"]["get"]
    params = {p["name"]: p for p in op["parameters"]}
    assert params["stakeholder"]["schema"] == {"type": "string", "format": "iri", "default": "stakeholder:startup"}
    assert params["lang"]["schema"] == {"type": "string", "enum": ["ja", "en"], "default": "en"}
    assert params["from_number"]["schema"] == {"type": "integer", "default": 0}
    assert params["audience_only"]["schema"] == {"type": "boolean", "default": False}
    assert params["layer"]["schema"]["enum"] == ["stated", "interpreted", "inferred", "all"]
    assert "csv" in params["format"]["schema"]["enum"] and params["timeout"]["schema"]["type"] == "number"
    assert all(p["in"] == "query" for p in op["parameters"])
    search = {p["name"]: p for p in doc["paths"]["/queries/label-search"]["get"]["parameters"]}
    assert search["needle"]["required"] is True and search["needle"]["schema"]["type"] == "string"
    assert "text/csv" in op["responses"]["200"]["content"]
    assert op["responses"]["400"] == {"$ref": "#/components/responses/Error"}
    assert "Error" in doc["components"]["schemas"]


# ------------------------------------------------------------------ running

@pytest.mark.parametrize("name", sorted(p.stem for p in EXPECTED.glob("*.csv")))
def test_api_csv_matches_the_expected_rows(client, name):
    r = client.get(f"/queries/{name}", query_string={"format": "csv"})
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert _rows(r.get_data(as_text=True)) == _rows((EXPECTED / f"{name}.csv").read_text(encoding="utf-8"))


def test_api_and_cli_give_the_same_rows_for_every_query(client, built_root, runner):
    names = [e["name"] for e in client.get("/queries").get_json()["queries"]]
    for name in names:
        if name in ("lines-of", "label-search"):  # test-only queries, not in the built project
            continue
        cli = runner.invoke(main, ["--root", str(built_root), "query", name, "--format", "csv"])
        assert cli.exit_code == 0, cli.output
        api = client.get(f"/queries/{name}", headers={"Accept": "text/csv"})
        assert api.status_code == 200
        assert _unordered(_rows(api.get_data(as_text=True))) == _unordered(_rows(cli.stdout)), name


def test_every_result_format(client):
    for fmt, media in [("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
                       ("csv", "text/csv"), ("tsv", "text/tab-separated-values")]:
        r = client.get("/queries/aimgain-calls", query_string={"format": fmt})
        assert r.status_code == 200 and r.mimetype == media, fmt
    r = client.get("/queries/aimgain-calls", headers={"Accept": "application/sparql-results+xml"})
    assert r.mimetype == "application/sparql-results+xml" and r.headers["X-Ecograph-Truncated"] == "false"
    assert client.get("/queries/aimgain-calls", query_string={"format": "ttl"}).status_code == 406


def test_defaults_and_typed_parameters(client):
    default = _bindings(client.get("/queries/lines-of"))
    assert default and all(b["label"]["xml:lang"] == "en" for b in default)
    ja = _bindings(client.get("/queries/lines-of", query_string={"lang": "ja"}))
    assert len(ja) == len(default) and all(b["label"]["xml:lang"] == "ja" for b in ja)
    numbers = [int(b["program_number"]["value"]) for b in _bindings(client.get("/queries/lines-of", query_string={"from_number": "10"}))]
    assert numbers and min(numbers) >= 10
    stated = _bindings(client.get("/queries/lines-of", query_string={"audience_only": "true"}))
    assert 0 < len(stated) < len(default)


def test_iri_parameter_in_every_spelling(client):
    base = "https://w3id.org/ecograph/id/stakeholder/academia"
    answers = [_bindings(client.get("/queries/lines-of", query_string={"stakeholder": s}))
               for s in ("stakeholder:academia", base, f"<{base}>")]
    assert answers[0] and answers[0] == answers[1] == answers[2]
    assert answers[0] != _bindings(client.get("/queries/lines-of"))  # startup, by default


def test_layer_and_timeout_pass_through(client):
    # the support lines' stakeholders are interpretations: the stated layer alone has none
    assert _bindings(client.get("/queries/lines-of", query_string={"layer": "stated"})) == []
    assert _bindings(client.get("/queries/lines-of", query_string={"layer": "interpreted"}))
    assert client.get("/queries/lines-of", query_string={"layer": "dreamt"}).status_code == 400
    assert client.get("/queries/lines-of", query_string={"timeout": "5"}).status_code == 200
    r = client.get("/queries/lines-of", query_string={"timeout": "soon"})
    assert r.status_code == 400 and "timeout" in r.get_json()["error"]


def test_unknown_query_is_404_json(client):
    r = client.get("/queries/no-such-query")
    assert r.status_code == 404 and r.mimetype == "application/json"
    body = r.get_json()
    assert body["ok"] is False and "no-such-query" in body["error"] and body["hint"]


@pytest.mark.parametrize("query, needle", [
    ({"from_number": "ten"}, "parameter 'from_number' must be an integer, not 'ten'"),
    ({"audience_only": "yes"}, "parameter 'audience_only' must be true or false, not 'yes'"),
    ({"lang": "fr"}, "parameter 'lang' must be one of ja, en, not 'fr'"),
    ({"stakeholder": "startup"}, "parameter 'stakeholder' must be an IRI"),
    ({"colour": "blue"}, "has no parameter colour"),
    ({"default-graph-uri": "https://w3id.org/ecograph/graph/stated"}, "has no parameter default-graph-uri"),
])
def test_bad_or_unknown_parameter_is_400(client, query, needle):
    r = client.get("/queries/lines-of", query_string=query)
    assert r.status_code == 400
    assert needle in r.get_json()["error"]


def test_missing_required_parameter_and_repeated_parameter(client):
    r = client.get("/queries/label-search")
    assert r.status_code == 400 and "needs the parameter 'needle'" in r.get_json()["error"]
    r = client.get("/queries/lines-of?lang=ja&lang=en")
    assert r.status_code == 400 and "2 values for the parameter 'lang'" in r.get_json()["error"]


# ------------------------------------------------------------------ injection

@pytest.mark.parametrize("attempt", [
    "<x> } ; DROP ALL ; {",
    "stakeholder:startup> } UNION { ?s ?p ?o } #",
    "https://w3id.org/ecograph/id/stakeholder/startup> } UNION { ?line ?p ?label",
    "https://example.org/a\n} UNION { ?s ?p ?o",
])
def test_iri_injection_fails_validation(client, attempt):
    r = client.get("/queries/lines-of", query_string={"stakeholder": attempt})
    assert r.status_code == 400
    assert "must be an IRI" in r.get_json()["error"]


@pytest.mark.parametrize("field, attempt", [
    ("lang", 'en") || true || ("'),
    ("from_number", "0) || true || (0"),
    ("audience_only", "false || true"),
])
def test_typed_injection_fails_validation(client, field, attempt):
    assert client.get("/queries/lines-of", query_string={field: attempt}).status_code == 400


@pytest.mark.parametrize("attempt", [
    '" } UNION { ?s ?p ?o',
    '") || true || ("',
    "' } UNION { ?resource ?p ?label } #",
    '"""} UNION { ?resource ?p ?label }"""',
])
def test_string_injection_stays_a_literal(client, attempt):
    honest = client.get("/queries/label-search", query_string={"needle": "AIMGAIN"})
    honest_body = honest.get_json()
    assert honest_body["results"]["bindings"]
    r = client.get("/queries/label-search", query_string={"needle": attempt})
    assert r.status_code == 200
    body = r.get_json()
    assert body["head"] == honest_body["head"] == {"vars": ["needle", "resource", "label"]}
    assert body["results"]["bindings"] == []  # no label contains the text: nothing else leaks


def test_update_through_a_parameter_changes_nothing(client):
    before = client.get("/queries/programs", query_string={"format": "csv"}).get_data()
    client.get("/queries/lines-of", query_string={"stakeholder": "<x> } ; DROP ALL ; {"})
    client.get("/queries/label-search", query_string={"needle": "\" } } ; DROP ALL ; { {"})
    assert client.get("/queries/programs", query_string={"format": "csv"}).get_data() == before


def test_layer_means_the_same_over_http_and_on_the_cli(built_settings):
    """`layer` is the dataset a query runs over (engine/job.py), for every entry point: /queries/NAME?layer=…
    answers as `ecograph query NAME -p layer=…` does, for each of the four layers, and ?layer shows its name."""
    from ecograph.http import create_app
    from ecograph.queries import run_named

    app = create_app(built_settings)
    try:
        client = app.test_client()
        for layer in ("stated", "interpreted", "inferred", "all"):
            r = client.get("/queries/gaps-stakeholder-phase", query_string={"layer": layer, "format": "json"})
            assert r.status_code == 200
            bindings = r.get_json()["results"]["bindings"]
            assert len(bindings) == len(run_named("gaps-stakeholder-phase", {"layer": layer}, built_settings).rows)
            assert {b["layer"]["value"] for b in bindings} == {layer}
    finally:
        app.extensions["ecograph"].close()


def test_a_query_file_added_or_changed_is_seen_without_a_restart(built_root, tmp_path):
    """The catalogue is kept between requests and read again when a query file changes (seen within a second:
    the folder is looked at no more than once a second)."""
    root = tmp_path / "project"
    shutil.copytree(built_root / "queries", root / "queries")
    app = create_app(Settings(root=root, dist=built_root / "dist"))
    try:
        client = app.test_client()
        assert client.get("/queries/added?format=csv").status_code == 404
        path = root / "queries" / "added.rq"
        path.write_text("# title: Added\n# description: A test query.\nSELECT ?n WHERE { VALUES ?n { 1 } }\n", encoding="utf-8")
        assert _eventually_rows(client, "/queries/added?format=csv") == [["n"], ["1"]]
        path.write_text("# title: Added\n# description: A test query, changed.\nSELECT ?n WHERE { VALUES ?n { 2 } }\n", encoding="utf-8")
        assert _eventually_rows(client, "/queries/added?format=csv", [["n"], ["1"]]) == [["n"], ["2"]]
    finally:
        app.extensions["ecograph"].close()


def _eventually_rows(client, url: str, old: list | None = None) -> list:
    """The rows of url once it answers otherwise than 404 or old (the catalogue is looked at again within a second)."""
    import time

    for _ in range(50):
        r = client.get(url)
        if r.status_code != 404 and (rows := _rows(r.get_data(as_text=True))) != old:
            return rows
        time.sleep(0.1)
    return []


def test_openapi_lists_each_parameter_once(client):
    """No query declares `layer` (the endpoint's, one meaning): every operation lists it once, with the four layers."""
    doc = client.get("/queries/openapi.json").get_json()
    for path, item in doc["paths"].items():
        names = [p["name"] for p in item["get"]["parameters"]]
        assert len(names) == len(set(names)), f"{path} lists {sorted(n for n in names if names.count(n) > 1)} twice"
    layer = [p for p in doc["paths"]["/queries/gaps-stakeholder-phase"]["get"]["parameters"] if p["name"] == "layer"]
    assert [p["schema"]["enum"] for p in layer] == [["stated", "interpreted", "inferred", "all"]]


def test_a_value_outside_its_code_list_is_a_400_listing_the_allowed_values(client):
    """Issue 16: support-finder with a stakeholder no scheme holds (a typo, a foreign IRI) used to answer 200 with no
    rows; it is a 400 that lists the nine stakeholder types with their ja and en labels."""
    for value in ("stakeholder:nobody", "stakeholder:startupp", "<https://example.org/x>"):
        r = client.get("/queries/support-finder", query_string={"stakeholder": value})
        assert r.status_code == 400, value
        body = r.get_json()
        assert "parameter 'stakeholder' must be one of 9 values" in body["error"]
        assert "stakeholder:startup (ベンチャー企業 / startup)" in body["hint"] and "stakeholder:vc" in body["hint"]
    assert client.get("/queries/support-finder", query_string={"stakeholder": "stakeholder:vc", "phase": "phase:nowhere"}).status_code == 400
    assert client.get("/queries/support-finder", query_string={"stakeholder": "stakeholder:vc"}).status_code == 200


def test_openapi_lists_a_code_list_as_an_enum(client):
    doc = client.get("/queries/openapi.json").get_json()
    params = {p["name"]: p for p in doc["paths"]["/queries/support-finder"]["get"]["parameters"]}
    assert len(params["stakeholder"]["schema"]["enum"]) == 9 and "stakeholder:startup" in params["stakeholder"]["schema"]["enum"]
    assert params["stakeholder"]["schema"]["x-labels"]["stakeholder:pharma"] == {"en": "pharmaceutical company", "ja": "製薬企業"}
    assert len(params["phase"]["schema"]["enum"]) == 4


def test_the_cli_refuses_a_value_outside_its_code_list(built_root, runner):
    from ecograph.cli import main

    result = runner.invoke(main, ["--root", str(built_root), "query", "support-finder", "-p", "stakeholder=stakeholder:nobody"])
    assert result.exit_code == 2
    assert "must be one of 9 values" in result.stderr and "stakeholder:academia (アカデミア / academia)" in result.stderr
