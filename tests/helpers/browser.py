"""Test helper: Debian's Chromium driven by the playwright package (never a browser it downloads), and axe-core
(vendored by scripts/vendor-axe into .axe/, gitignored) run inside a page to find accessibility violations.

    from tests.helpers.browser import axe_violations, browser_page, describe, require_chromium

    require_chromium()                                   # at module level: skip (or fail under CI) without Chromium
    with browser_page(tmp_path, locale="ja-JP") as page:
        found = axe_violations(page, base + "/report")   # the serious and critical ones, [] when there are none
        assert not found, describe(found)

axe is injected with page.evaluate (a DevTools call), so a page's Content-Security-Policy (the report's
`default-src 'none'`) does not stop it, and the page itself never loads it: what is tested is what users get.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ecograph.settings import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_JS = PROJECT_ROOT / ".axe" / "axe.min.js"
BLOCKING = ("serious", "critical")
# WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices (region, landmark-one-main, heading order …)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def _missing(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message, allow_module_level=True)


def require_chromium() -> None:
    """Skip the calling test module (fail under CI) when Debian's Chromium is absent."""
    if not Path(CHROMIUM).exists():
        _missing(f"{CHROMIUM} is not installed (Debian package chromium; scripts/test installs it)")


def require_axe() -> None:
    """Skip the calling test (fail under CI) when axe-core is not vendored."""
    if not AXE_JS.is_file():
        _missing("axe-core is not vendored: run scripts/vendor-axe (scripts/test does; it needs npm)")


@contextlib.contextmanager
def browser_page(profile: Path, locale: str = "en-US", width: int = 1280, height: int = 800) -> Iterator:
    """A page of a fresh Chromium profile (in the folder `profile`) with that locale (its Accept-Language) and
    viewport; the browser is closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, locale=locale,
            viewport={"width": width, "height": height})
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def run_axe(page, impacts: tuple[str, ...] = BLOCKING, exclude: tuple[str, ...] = ()) -> list[dict]:
    """axe-core's violations on the page as it is now, those of the given impacts only.

    Args:
        page: a playwright page, already loaded (and, for a page built by scripts, ready).
        impacts: which impacts count ("minor", "moderate", "serious", "critical").
        exclude: CSS selectors of parts axe should not look at.

    Returns:
        One dict per rule violated: id, impact, help, helpUrl and nodes (target, html, failureSummary).
    """
    require_axe()
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    context = {"exclude": [[s] for s in exclude]} if exclude else None
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    violations = page.evaluate("async ([context, options]) => (await window.axe.run(context || document, options)).violations",
                               [context, options])
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"], "helpUrl": v["helpUrl"],
             "nodes": [{"target": n["target"], "html": n["html"][:300], "failureSummary": n.get("failureSummary", "")}
                       for n in v["nodes"]]}
            for v in violations if v["impact"] in impacts]


def axe_violations(page, url: str, ready: str | None = None, impacts: tuple[str, ...] = BLOCKING,
                   exclude: tuple[str, ...] = ()) -> list[dict]:
    """Load url in the page, wait for the selector `ready` (when given), and return run_axe's violations."""
    page.goto(url, wait_until="load")
    if ready:
        page.wait_for_selector(ready, timeout=20_000)
    return run_axe(page, impacts, exclude)


def describe(violations: list[dict]) -> str:
    """Violations as lines a person reads in an assertion message: rule, impact, help, and the first nodes."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            lines.extend(f"        {line}" for line in node["failureSummary"].splitlines()[:4])
    return "\n".join(lines)
