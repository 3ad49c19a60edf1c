"""The hostile-input corpus (tests/hostile/corpus.py) against the app with real query workers: every case gets
its expected status and message, never a 5xx (503 only where a query is stopped at its time limit), never a
hang; nothing ever connects to the loopback listener; afterwards the server still answers and the dataset is
unchanged."""

from __future__ import annotations

import shutil
import time
from collections import Counter

import pytest

from ecograph.settings import Settings
from tests.helpers.named_queries import LABEL_SEARCH, LINES_OF
from tests.helpers.project import PROJECT_PARTS, data_app
from tests.helpers.servers import Listener
from tests.hostile.corpus import CASES, EVIL_DATA, EVIL_QUERY, PORT, Case

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }"
OUTCOMES: Counter = Counter()


@pytest.fixture(scope="module")
def listener():
    listening = Listener()
    yield listening
    listening.close()


@pytest.fixture(scope="module")
def hostile_app(built_root, tmp_path_factory):
    """The build, with the project's queries plus two with typed parameters and one whose header holds markup."""
    from ecograph.http import create_app

    root = tmp_path_factory.mktemp("hostile") / "project"
    for part in PROJECT_PARTS:  # the shapes and ontology too: /validate checks uploads against them
        shutil.copytree(built_root / part, root / part)
    (root / "queries" / "lines-of.rq").write_text(LINES_OF, encoding="utf-8")
    (root / "queries" / "label-search.rq").write_text(LABEL_SEARCH, encoding="utf-8")
    (root / "queries" / "markup-header.rq").write_text(EVIL_QUERY, encoding="utf-8")
    app = create_app(Settings(root=root, dist=built_root / "dist"))
    yield app
    app.extensions["ecograph"].close()


@pytest.fixture(scope="module")
def evil_app(tmp_path_factory):
    """serve --data over a file whose labels hold HTML and script."""
    with data_app(tmp_path_factory.mktemp("hostile-data"), "evil.ttl", EVIL_DATA) as app:
        yield app


@pytest.fixture(scope="module")
def clients(hostile_app, evil_app):
    return {"main": hostile_app.test_client(), "evil": evil_app.test_client()}


def _count(client) -> int:
    r = client.get("/sparql", query_string={"query": COUNT})
    assert r.status_code == 200, r.get_data(as_text=True)
    return int(r.get_json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def triples_before(clients):
    return _count(clients["main"])


def _fill(value, port: str):
    if isinstance(value, str):
        return value.replace(PORT, port)
    if isinstance(value, bytes):
        return value.replace(PORT.encode(), port.encode())
    if isinstance(value, dict):
        return {k: _fill(v, port) for k, v in value.items()}
    return value


def send(client, case: Case, port: int):
    p = str(port)
    kwargs = {"headers": _fill(case.headers, p)}
    if case.query is not None:
        kwargs["query_string"] = _fill(case.query, p)
    if case.body is not None:
        kwargs["data"] = _fill(case.body, p)
    if case.content_type is not None:
        kwargs["content_type"] = case.content_type
    return client.open(_fill(case.path, p), method=case.method, **kwargs)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, clients, listener, triples_before):
    response = send(clients[case.target], case, listener.port)
    status = response.status_code
    OUTCOMES[status] += 1
    body = response.get_data(as_text=True)
    assert status < 500 or (status == 503 and case.time_limited), (status, body[:500])
    assert status in case.statuses(), (status, body[:500])
    assert case.message in body, body[:500]
    for needle in case.absent:
        assert needle not in body, f"{needle!r} in the answer"


def test_nothing_connected_to_the_listener(listener):
    time.sleep(0.3)
    assert listener.connections == 0


def test_server_still_answers_and_the_data_is_unchanged(clients, triples_before):
    r = clients["main"].get("/sparql", query_string={"query": "ASK { program:13 ?p ?o }"})
    assert r.status_code == 200 and r.get_json()["boolean"] is True
    assert _count(clients["main"]) == triples_before > 0
    r = clients["evil"].get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert r.status_code == 200 and r.get_json()["boolean"] is True


def test_summary(listener, capsys):
    by_status = ", ".join(f"{status}: {n}" for status, n in sorted(OUTCOMES.items()))
    with capsys.disabled():  # shown with or without -s
        print(f"\nhostile corpus: {sum(OUTCOMES.values())} cases tried ({by_status}); "
              f"{sum(n for s, n in OUTCOMES.items() if s >= 500 and s != 503)} server errors; "
              f"{listener.connections} outbound connections")
