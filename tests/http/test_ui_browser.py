"""The query UI in a real browser: `ecograph serve` on a free loopback port, Debian's Chromium driven by the
playwright package (never a browser it downloads; tests/helpers/browser.py): a named query opened from the menu and
run, its rows read from the result table in compact terms, an error shown as text, the editor's autocompletion of
the project's terms, "Open in SPARQL" from a resource page, and not one request to any host but the server. Then
screenshots of /, /queries and a resource page in Japanese and English at 1280 and 390 px wide: no page wider than
the window, the editor in sight at 1280×800 (set ECOGRAPH_SCREENSHOTS to a folder to keep them and look).

Skipped only when /usr/bin/chromium is absent and CI is not set: under CI (scripts/test installs Chromium and
vendors YASGUI) it must run."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ecograph.http import ui
from tests.helpers.browser import browser_page, require_chromium
from tests.helpers.servers import running_server

require_chromium()

READY = "#yasgui[data-ready=true]"
RESULTS = ".yasr_results table tbody tr, .ecograph-error"


@pytest.fixture(scope="module")
def server(built_root):
    if not ui.has_yasgui():
        pytest.fail("YASGUI is not vendored: run scripts/vendor-ui (scripts/test does)")
    with running_server(built_root) as (base, _):
        yield base


@pytest.fixture
def page(tmp_path):
    with browser_page(tmp_path / "profile", locale="en-US", width=1400, height=1000) as page:
        yield page


def _editor(page) -> str:
    return page.evaluate("() => window.ecographYasgui.getTab().getYasqe().getValue()")


def _run(page):
    page.locator(".yasqe_queryButton").click()
    page.wait_for_selector(RESULTS, timeout=20_000)


def _no_wider_than_the_window(page) -> None:
    widths = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide in a {widths[1]} px window"


def test_a_named_query_from_the_menu_runs_and_shows_compact_terms_offline(server, page):
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(server + "/?lang=en", wait_until="load")
    page.wait_for_selector(READY, timeout=20_000)
    assert page.locator("#yasgui .tabsList").is_hidden()                # one editor: the menu replaces the tabs
    assert page.locator("#named-about").is_hidden()
    page.select_option("#named-query", "cicle-rounds")
    assert "PREFIX ecograph:" in _editor(page) and "# title" not in _editor(page)
    assert page.locator("#named-about summary").is_visible()
    page.locator("#named-about summary").click()
    assert "CiCLE" in page.locator("#named-about .about-description").inner_text()
    assert urlsplit(page.url).query == "lang=en&named=cicle-rounds"     # a reload or a bookmark keeps the choice
    _run(page)
    rows = page.locator(".yasr_results table tbody tr")
    assert rows.count() == 7
    cells = page.locator(".yasr_results table tbody td").all_inner_texts()
    assert "333" in cells and "2017" in cells                          # numbers as they are: no quotes, no ^^xsd:
    assert not [c for c in cells if "xsd:" in c or "^^" in c or c.startswith('"')]

    page.select_option("#named-query", "coverage-stakeholder-phase")   # IRIs as CURIEs, linked to this server
    _run(page)
    link = page.locator(".yasr_results a.iri", has_text=re.compile(r"^stakeholder:[a-z-]+$")).first
    assert urlsplit(link.get_attribute("href")).path.startswith("/id/stakeholder/")
    cells = page.locator(".yasr_results table tbody td").all_inner_texts()
    assert any(c.endswith("\u00a0@ja") for c in cells)                  # a language tag stays, small, beside its text
    page.select_option("#named-query", "")                             # "(your own query)" brings the first text back
    assert "ecograph:programNumber ?number" in _editor(page)

    assert not errors, errors
    hosts = {urlsplit(url).hostname for url in requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")}
    assert hosts == {"127.0.0.1"}, sorted(url for url in requests if urlsplit(url).hostname != "127.0.0.1")
    assert any(urlsplit(url).path == "/sparql" for url in requests)


def test_an_error_is_shown_as_text_that_fits_the_page(server, page, tmp_path):
    """A query with an unknown prefix: the result area shows the message, the place (a link that puts the cursor
    there) and the hint as wrapped text, not YASR's one raw line of JSON running off the screen."""
    page.goto(server + "/?lang=en", wait_until="load")
    page.wait_for_selector(READY, timeout=20_000)
    page.evaluate("text => window.ecographYasgui.getTab().getYasqe().setValue(text)", "SELECT * WHERE {\n  ?s zzq:name ?o\n}")
    _run(page)
    box = page.locator(".ecograph-error")
    assert box.locator(".ecograph-error-title").inner_text() == "Error 400"
    assert box.locator(".ecograph-error-message").inner_text() == "SPARQL syntax error at line 2, column 6: unknown prefix zzq: (in zzq:name)"
    assert box.locator(".ecograph-error-place").inner_text() == "At: line 2, column 6"
    assert "ecograph:, ecosh:" in box.locator(".ecograph-error-hint").inner_text()
    assert '{"' not in page.locator(".yasr").inner_text()              # no JSON shown anywhere
    widths = box.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert widths[0] <= widths[1], widths
    _no_wider_than_the_window(page)
    assert box.bounding_box()["height"] > 2 * box.locator(".ecograph-error-message").bounding_box()["height"]  # the hint wraps below
    box.locator(".ecograph-error-link").click()
    cursor = page.evaluate("() => { const c = window.ecographYasgui.getTab().getYasqe().getCursor(); return [c.line, c.ch]; }")
    assert cursor == [1, 5]  # CodeMirror counts from 0: line 2, column 6
    page.screenshot(path=str(tmp_path / "query-ui-error.png"))


def test_the_editor_completes_the_projects_terms_from_this_server(server, page):
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    page.goto(server + "/?lang=en", wait_until="load")
    page.wait_for_selector(READY, timeout=20_000)
    page.evaluate("() => { const y = window.ecographYasgui.getTab().getYasqe(); y.setValue(''); y.focus(); }")
    page.keyboard.type("SELECT * WHERE {\n?s ecograph:")
    hints = page.locator(".CodeMirror-hints li")
    hints.first.wait_for(timeout=10_000)
    shown = hints.all_inner_texts()
    assert shown and all(h.startswith("ecograph:") and h.endswith("(property)") for h in shown), shown
    assert any(h.startswith("ecograph:programNumber  program number") for h in shown), shown  # with its label
    page.keyboard.press("Escape")
    page.keyboard.type("programNumber ?n .\n?s a ecograph:SupportP")
    # The list is redrawn on each key: wait until it answers the last one ("SupportP"), not "Support", whose list
    # also holds ecograph:SupportLine. A list that never narrows fails here, with what it showed.
    narrowed = "() => { const l = [...document.querySelectorAll('.CodeMirror-hints li')]; return l.length > 0 && l.every(li => li.textContent.startsWith('ecograph:SupportP')); }"
    try:
        page.wait_for_function(narrowed, timeout=10_000)
    except PlaywrightTimeout:
        pass
    assert [h.split("  ")[0] for h in hints.all_inner_texts()] == ["ecograph:SupportProgram"]
    assert hints.first.inner_text().endswith("(class)")
    page.keyboard.press("Enter")
    assert _editor(page).rstrip().endswith("?s a ecograph:SupportProgram")
    page.wait_for_timeout(300)                                         # as a person would: CodeMirror settles its focus
    page.keyboard.press("Tab")                                         # Tab leaves, even had a list of suggestions opened
    assert page.evaluate("() => document.activeElement.classList.contains('yasqe_share')")  # the next control
    assert [urlsplit(u).path for u in requests if "terms" in u] == ["/ontology/terms.json"]
    assert {urlsplit(u).hostname for u in requests} == {"127.0.0.1"}


def test_open_in_sparql_from_a_resource_page_shows_its_statements(server, page):
    page.goto(server + "/doc/id/program/13?lang=en", wait_until="load")
    page.get_by_role("link", name=re.compile("Open in SPARQL")).click()
    page.wait_for_selector(READY, timeout=20_000)
    assert "GRAPH ?graph { program:13 ?property ?value }" in _editor(page)
    _run(page)
    cells = page.locator(".yasr_results table tbody td").all_inner_texts()
    assert "rdfs:label" in cells and "stakeholder:startup" in cells and "<https://w3id.org/ecograph/graph/stated>" in cells
    assert any(c.startswith("Drug-Discovery Venture Ecosystem Strengthening Program") for c in cells)


def test_wide_results_scroll_inside_their_own_box(server, tmp_path):
    for width in (1280, 390):
        with browser_page(tmp_path / f"profile-{width}", width=width, height=800) as page:
            page.goto(server + "/?named=cicle-rounds&lang=en", wait_until="load")
            page.wait_for_selector(READY, timeout=20_000)
            _run(page)
            assert page.locator(".yasr_results table thead th").count() >= 14
            _no_wider_than_the_window(page)
            box = page.evaluate("() => { const r = document.querySelector('.yasr_results'); return [r.scrollWidth, r.clientWidth, getComputedStyle(r).overflowX]; }")
            table = page.evaluate("() => document.querySelector('.yasr_results table').getBoundingClientRect().width")
            assert box[2] == "auto" and box[0] <= table + 1, (box, table)     # it scrolls as far as the table, no further
            assert box[0] > box[1] or width == 1280, box


_YASR_WORDS = """() => { const yasr = document.querySelector('.yasr'); const out = [];
  const walker = document.createTreeWalker(yasr, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement.closest('td, th, pre, .CodeMirror') && n.nodeValue.trim()) out.push(n.nodeValue.trim());
  }
  yasr.querySelectorAll('[title], [placeholder], [aria-label]').forEach(e => ['title', 'placeholder', 'aria-label']
    .forEach(a => { if (e.getAttribute(a)) out.push(e.getAttribute(a)); }));
  return out; }"""
# what YASGUI writes in English around its results (its tabs, controls, buttons, DataTables' lines and labels)
_YASGUI_ENGLISH = re.compile(r"\b(Table|Response|Simple view|Ellipse|Page size|All|results? in|seconds?|Showing|entries|"
                             r"Download|Show all|Filter|Activate to sort|pagination|First|Previous|Next|Last|documentation)\b")


def test_yasguis_own_words_are_in_the_pages_language(server, tmp_path):
    """On a Japanese page YASGUI's result views, controls and what a screen reader reads of them are Japanese; the
    results themselves are never touched (an English label stays English); on an English page nothing changes."""
    seen = {}
    for lang in ("ja", "en"):
        with browser_page(tmp_path / f"profile-{lang}", locale={"ja": "ja-JP", "en": "en-US"}[lang], width=1280) as page:
            page.goto(server + "/?named=coverage-stakeholder-phase", wait_until="load")
            page.wait_for_selector(READY, timeout=20_000)
            _run(page)
            page.wait_for_function("() => /件|results/.test(document.querySelector('.yasr').innerText)", timeout=5_000)
            seen[lang] = page.evaluate(_YASR_WORDS)
            cells = page.locator(".yasr_results table tbody td").all_inner_texts()
            assert any(c.startswith("academia") for c in cells) and any(c.startswith("アカデミア") for c in cells)
    english = [w for w in seen["ja"] if _YASGUI_ENGLISH.search(w)]
    assert not english, english
    for word in ("表", "応答", "簡易表示", "1ページの行数:", "すべて", "36 件中 1–36 件", "結果を絞り込む", "結果をダウンロード",
                 "stakeholder_en: 選択すると並べ替えます", "次のページ"):
        assert word in seen["ja"], (word, seen["ja"])
    assert any(re.fullmatch(r"36 件・[\d.]+ 秒", w) for w in seen["ja"]), seen["ja"]
    for word in ("Table", "Response", "Simple view", "Page size:", "All", "Showing 1 to 36 of 36 entries", "Download result"):
        assert word in seen["en"], (word, seen["en"])
    assert any(re.fullmatch(r"36 results in [\d.]+ seconds?", w) for w in seen["en"]), seen["en"]


# ------------------------------------------------------------------ screenshots

PAGES = (("home", "/"), ("queries", "/queries"), ("program-13", "/doc/id/program/13"))


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_fit_the_window(server, tmp_path, lang, width):
    keep = os.environ.get("ECOGRAPH_SCREENSHOTS")
    folder = Path(keep) if keep else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    with browser_page(tmp_path / "profile", locale={"ja": "ja-JP", "en": "en-US"}[lang], width=width, height=800) as page:
        for name, path in PAGES:
            page.goto(server + path, wait_until="load")
            if path == "/":
                page.wait_for_selector(READY, timeout=20_000)
            assert page.evaluate("() => document.documentElement.lang") == lang, path   # the browser's language first
            shot = folder / f"{name}-{lang}-{width}.png"
            page.screenshot(path=str(shot))
            assert shot.stat().st_size > 10_000
            _no_wider_than_the_window(page)
            if path == "/" and width == 1280:                          # the editor in sight without scrolling
                editor = page.locator("#yasgui .CodeMirror").bounding_box()
                assert editor["y"] + 150 <= 800, editor
