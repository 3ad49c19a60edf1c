"""Accessibility (issue 16): axe-core 4 (vendored by scripts/vendor-axe), run in Debian's Chromium on the query
editor (as it opens, with a result table, with an error), /queries, /ontology and two resource pages, in Japanese
and in English, finds no serious or critical violation of WCAG 2.x A/AA or of axe's best practices; and the
keyboard is never trapped in the editor (WCAG 2.1.2): focus does not start there, Tab and Shift+Tab leave it, and
indenting stays possible with Ctrl+] (as the hint beside the editor says).

Skipped only when /usr/bin/chromium is absent and CI is not set (as test_ui_browser.py)."""

from __future__ import annotations

import pytest

from ecograph.http import ui
from tests.helpers.browser import axe_violations, browser_page, describe, require_axe, require_chromium, run_axe
from tests.helpers.servers import running_server

require_chromium()

READY = "#yasgui[data-ready=true]"
LOCALES = {"ja": "ja-JP", "en": "en-US"}
PAGES = ("/queries", "/ontology", "/doc/id/program/13", "/doc/id/stakeholder/startup", "/doc/id/agent/amed")


@pytest.fixture(scope="module")
def server(built_root):
    require_axe()
    if not ui.has_yasgui():
        pytest.fail("YASGUI is not vendored: run scripts/vendor-ui (scripts/test does)")
    with running_server(built_root) as (base, _):
        yield base


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_serious_violation_on_the_pages(server, tmp_path, lang):
    found = {}
    with browser_page(tmp_path / "profile", locale=LOCALES[lang]) as page:
        for path in PAGES:
            found[path] = axe_violations(page, server + path)
            assert page.evaluate("() => document.documentElement.lang") == lang, path
    assert not any(found.values()), "\n".join(f"{path}:\n{describe(v)}" for path, v in found.items() if v)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_serious_violation_in_the_query_editor(server, tmp_path, lang):
    found = {}
    with browser_page(tmp_path / "profile", locale=LOCALES[lang]) as page:
        found["as it opens"] = axe_violations(page, server + "/", READY)
        page.select_option("#named-query", "cicle-rounds")            # a long query, its description open, a wide table
        page.locator("#named-about summary").click()
        page.locator(".yasqe_queryButton").click()
        page.wait_for_selector(".yasr_results table tbody tr", timeout=20_000)
        found["with results"] = run_axe(page)
        page.evaluate("() => window.ecographYasgui.getTab().getYasqe().setValue('SELECT * WHERE { ?s zzq:p ?o }')")
        page.locator(".yasqe_queryButton").click()
        page.wait_for_selector(".ecograph-error", timeout=20_000)
        found["with an error"] = run_axe(page)
    assert not any(found.values()), "\n".join(f"/ {state}:\n{describe(v)}" for state, v in found.items() if v)


def test_the_keyboard_is_not_trapped_in_the_editor(server, tmp_path):
    with browser_page(tmp_path / "profile") as page:
        page.goto(server + "/?lang=en", wait_until="load")
        page.wait_for_selector(READY, timeout=20_000)
        # the editable part (the run and share buttons sit inside CodeMirror's box, after it in the tab order)
        in_editor = "() => document.activeElement === window.ecographYasgui.getTab().getYasqe().getInputField()"
        assert not page.evaluate(in_editor)                              # focus does not start in the editor
        text = page.evaluate("() => window.ecographYasgui.getTab().getYasqe().getValue()")
        for key in ("Tab", "Shift+Tab"):
            page.locator("#yasgui .CodeMirror-code").click()
            page.wait_for_function(in_editor)
            page.wait_for_timeout(300)                                   # as a person would: CodeMirror settles its focus
            page.keyboard.press(key)
            assert not page.evaluate(in_editor), key                     # focus moved on, out of the editor
        assert page.evaluate("() => window.ecographYasgui.getTab().getYasqe().getValue()") == text  # nothing indented
        page.locator("#yasgui .CodeMirror-code").click()
        page.wait_for_function(in_editor)
        page.keyboard.press("Control+]")
        assert page.evaluate("() => window.ecographYasgui.getTab().getYasqe().getValue()") != text  # Ctrl+] indents
        editor = page.locator("#yasgui .CodeMirror-code")
        assert editor.get_attribute("aria-describedby") == "editor-keys" and editor.get_attribute("role") == "textbox"
        assert "Ctrl+]" in page.locator("#editor-keys").inner_text()
