"""The query UI in a real browser: `ecograph serve` on a free loopback port, Debian's Chromium driven by the
playwright package (never a browser it downloads), a named-query tab run, its rows read from the result table,
and not one request to any host but the server.

Skipped only when /usr/bin/chromium is absent and CI is not set: under CI (scripts/test installs Chromium and
vendors YASGUI) it must run."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ecograph.http import ui
from tests.servers import running_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytest.skip(f"{CHROMIUM} is not installed (Debian package chromium; scripts/test installs it)", allow_module_level=True)


@pytest.fixture(scope="module")
def server(built_root):
    if not ui.has_yasgui():
        pytest.fail("YASGUI is not vendored: run scripts/vendor-ui (scripts/test does)")
    with running_server(built_root) as (base, _):
        yield base


@pytest.fixture
def page(tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            locale="en-US", viewport={"width": 1400, "height": 1000})
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def test_a_named_query_tab_runs_and_shows_its_rows_offline(server, page, tmp_path):
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(server + "/?lang=en", wait_until="load")
    page.wait_for_selector("#yasgui[data-ready=true]", timeout=20_000)
    tab = page.locator("#tab-q-cicle-rounds")
    assert tab.inner_text().startswith("CiCLE rounds")
    tab.click()
    panel = page.locator("#q-cicle-rounds")
    assert "PREFIX ecograph:" in panel.locator(".CodeMirror").inner_text()
    panel.locator(".yasqe_queryButton").click()
    rows = panel.locator(".yasr_results table tbody tr")
    rows.first.wait_for(timeout=20_000)
    assert rows.count() == 7
    # a literal shows as "value"^^datatype (the project's prefixes shorten the datatype) or, untyped, as its value
    cells = [re.sub(r'^"(.*)"\^\^.*$', r"\1", c.strip(), flags=re.DOTALL) for c in panel.locator(".yasr_results table tbody td").all_inner_texts()]
    assert "333" in cells and "2017" in cells            # round 1's contract amount (億円) and fiscal year
    assert any("xsd:decimal" in c for c in panel.locator(".yasr_results table tbody td").all_inner_texts())

    shot = tmp_path / "query-ui.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000

    assert not errors, errors
    hosts = {urlsplit(url).hostname for url in requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")}
    assert hosts == {"127.0.0.1"}, sorted(url for url in requests if urlsplit(url).hostname != "127.0.0.1")
    assert any(urlsplit(url).path == "/sparql" for url in requests)


def test_an_error_is_shown_as_text_that_fits_the_page(server, page, tmp_path):
    """A query with an unknown prefix: the result area shows the message, the place (a link that puts the cursor
    there) and the hint as wrapped text, not YASR's one raw line of JSON running off the screen."""
    page.goto(server + "/?lang=en", wait_until="load")
    page.wait_for_selector("#yasgui[data-ready=true]", timeout=20_000)
    page.evaluate("text => window.ecographYasgui.getTab().getYasqe().setValue(text)", "SELECT * WHERE {\n  ?s zzq:name ?o\n}")
    panel = page.locator("#query")
    panel.locator(".yasqe_queryButton").click()
    box = panel.locator(".ecograph-error")
    box.wait_for(timeout=20_000)
    assert box.locator(".ecograph-error-title").inner_text() == "Error 400"
    assert box.locator(".ecograph-error-message").inner_text() == "SPARQL syntax error at line 2, column 6: unknown prefix zzq: (in zzq:name)"
    assert box.locator(".ecograph-error-place").inner_text() == "At: line 2, column 6"
    assert "ecograph:, ecosh:" in box.locator(".ecograph-error-hint").inner_text()
    assert '{"' not in panel.locator(".yasr").inner_text()  # no JSON shown anywhere
    widths = box.evaluate("el => [el.scrollWidth, el.clientWidth, document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1] and widths[2] <= widths[3], widths  # nothing runs off the box or the page
    assert box.bounding_box()["height"] > 2 * box.locator(".ecograph-error-message").bounding_box()["height"]  # the hint wraps below
    box.locator(".ecograph-error-link").click()
    cursor = page.evaluate("() => { const c = window.ecographYasgui.getTab().getYasqe().getCursor(); return [c.line, c.ch]; }")
    assert cursor == [1, 5]  # CodeMirror counts from 0: line 2, column 6
    page.screenshot(path=str(tmp_path / "query-ui-error.png"))
