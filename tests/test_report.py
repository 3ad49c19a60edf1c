"""The coverage-and-gaps report (issue 4): its charts are the named queries' answers, drawn with titles, axis
labels and units; `ecograph report` and GET /report give the same bytes; everything is escaped; the output
is deterministic; and a real browser renders it to a readable picture.

The browser test is skipped only when /usr/bin/chromium is absent and CI is not set (as test_ui_browser.py)."""

from __future__ import annotations

import os
import re
import struct
import urllib.request
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ecograph.cli import main
from ecograph.engine import local
from ecograph.queries import run_named
from ecograph.report import page as report

SVG = "{http://www.w3.org/2000/svg}"
CHARTS = {  # chart id -> texts its title and axis labels must hold (both languages; 億円 where money)
    "heatmap": ["ステークホルダーの種類×フェーズ", "Stakeholder type × phase", "研究開発フェーズ / R&D phase",
                "ステークホルダーの種類 / kind of stakeholder", "事業の数 / number of programs"],
    "money-support-kind": ["支援の種類ごとの金額", "Money by kind of support: annual amounts (億円)", "支援の種類 / kind of support",
                           "単年度額の合計（億円） / sum of annual amounts (億円)"],
    "money-support-kind-totals": ["totals over years (shown apart)", "総額の合計（億円、複数年） / sum of totals over years (億円)"],
    "money-ministry": ["所管省庁ごとの金額", "Money by ministry: annual amounts (億円)", "所管省庁 / ministry",
                       "単年度額の合計（億円） / sum of annual amounts (億円)"],
    "money-ministry-totals": ["Money by ministry: totals over years (shown apart)", "sum of totals over years (億円)"],
    "cicle-funnel": ["CiCLE：公募回ごとの応募→採択", "CiCLE: applications → adopted per round", "課題数（件） / number of projects",
                     "公募回（年度） / round (fiscal year)", "うち ViCLE / of which ViCLE"],
    "aimgain-trend": ["AIMGAIN：公募ごとの申請と採択", "AIMGAIN: applications and adoptions per call", "件数 / number of proposals",
                      "call (month opened)", "申請 / applications", "採択 / adopted"],
}


def rows(name: str, settings, **params) -> list[dict]:
    return run_named(name, params, settings).values()


def charts_of(html: str) -> dict[str, ET.Element]:
    """Every inline SVG of the page, parsed as XML, by id."""
    found = [ET.fromstring(m) for m in re.findall(r"<svg .*?</svg>", html, flags=re.DOTALL)]
    return {svg.get("id"): svg for svg in found}


def texts(element: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in element.iter(SVG + "text")]


@pytest.fixture(scope="module")
def html(built_settings) -> str:
    return report.render(built_settings)


def test_every_chart_has_a_title_axis_labels_and_units(html):
    charts = charts_of(html)
    assert set(charts) == set(CHARTS)
    for chart_id, expected in CHARTS.items():
        svg = charts[chart_id]
        title = svg.find(SVG + "title").text
        axis = [t for t in svg.iter(SVG + "text") if t.get("class") == "axis-label"]
        assert len(axis) == 2 and all(" / " in "".join(a.itertext()) for a in axis), chart_id   # x and y, ja / en
        shown = title + "\n" + "\n".join(texts(svg))
        for text in expected:
            assert text in shown, (chart_id, text)
        assert f'<figcaption><span lang="ja">{title.split(" / ")[0]}' in html          # the title is visible too
    for money in ("money-support-kind", "money-ministry", "money-support-kind-totals", "money-ministry-totals"):
        labels = [t for t in texts(charts[money]) if "(n=" in t]
        assert labels and all(re.fullmatch(r"[\d.]+ 億円 \(n=\d+\)", t) for t in labels), labels


def test_heatmap_cells_show_the_coverage_query(html, built_settings):
    expected = {(r["stakeholder_en"], r["phase_en"]): (r["programs"], r["annual_oku_yen"]) for r in rows("coverage-stakeholder-phase", built_settings)}
    cells = [g for g in charts_of(html)["heatmap"].iter(SVG + "g") if g.get("class") == "cell"]
    shown = {}
    for cell in cells:
        number = next(t for t in cell.iter(SVG + "text") if t.get("class") == "n").text
        sub = [t.text for t in cell.iter(SVG + "text") if t.get("class") == "sub"]
        shown[(cell.get("data-row"), cell.get("data-col"))] = (number, cell.get("data-annual"))
        if number != "0" and sub and not sub[0].startswith("?"):
            assert sub[0].split(" 億円")[0] == cell.get("data-annual")   # the amount written in the cell
    assert shown == expected and len(cells) == 36
    assert shown[("startup", "preclinical")] == ("7", "146")               # hand-worked in test_gap_queries.py
    gaps = {(r["stakeholder_en"], r["phase_en"]) for r in rows("gaps-stakeholder-phase", built_settings)}
    assert {k for k, (n, _) in shown.items() if n == "0"} == gaps
    assert f"{len(gaps)} of 36 cells are gaps" in html


def test_money_is_the_query_answer_and_unlike_kinds_are_never_added(html, built_settings):
    charts = charts_of(html)
    for name, chart, dim in (("money-by-support-kind", "money-support-kind", "support_kind_en"), ("money-by-ministry", "money-ministry", "ministry_en")):
        shown = texts(charts[chart]) + texts(charts[chart + "-totals"])
        for r in rows(name, built_settings):
            if r["amount_kind"] in ("annual", "total"):
                assert f"{r['oku_yen']} 億円 (n={r['programs']})" in shown, r
            else:
                assert any(f"{r['amount_kind']} ×{r['programs']}" in t for t in shown), r
    kinds = {r["amount_kind"]: r for r in rows("money-by-kind", built_settings)}
    assert (kinds["annual"]["oku_yen"], kinds["total"]["oku_yen"]) == ("492", "383")
    assert "875" not in html                                                # 492 + 383: annual and total never added
    assert [t for t in texts(charts["money-ministry"]) if "億円 (n=" in t] == ["492 億円 (n=20)"]
    assert "31 programs have no known ministry" in html


def test_cicle_funnel_and_aimgain_trend(html, built_settings):
    charts = charts_of(html)
    funnel = texts(charts["cicle-funnel"])
    for r in rows("cicle-adoption", built_settings):
        if r["round"]:
            assert any(t.startswith(r["applications"]) for t in funnel) and any(f"· {r['adoption_pct']}%" in t for t in funnel)
    assert "52 (ViCLE 28)" in funnel and "14 (ViCLE 4) · 26.9%" in funnel
    assert "384 applications → 67 adopted (17.4%)" in html
    trend = charts["aimgain-trend"]
    unknown = [g for g in trend.iter(SVG + "g") if g.get("class") == "bar unknown"]
    assert len(unknown) == 2                                                # call 5: planned, figures unknown, not 0
    assert {"9", "22", "7", "26.7%", "31.8%"} <= set(texts(trend))


def test_gap_list_and_stated_versus_interpreted(html, built_settings):
    assert html.count("</li>") >= len(rows("gaps-milestones", built_settings))
    for r in rows("gaps-milestones", built_settings):
        assert r["milestone_en"] in html
    stated = rows("gaps-stakeholder-phase", built_settings, layer="stated")
    assert len(stated) == 36
    assert "of the 36 stakeholder × phase cells, 0 have a program" in html and "so 36 cells are gaps (20 with all)" in html
    assert "issue groups with no program: regulation etc., seeds" in html


def test_cli_writes_the_same_report_as_the_server(built_root, html, runner, client, tmp_path):
    out = tmp_path / "report.html"
    result = runner.invoke(main, ["--root", str(built_root), "report", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == html
    assert runner.invoke(main, ["--root", str(built_root), "report"]).stdout == html
    response = client.get("/report")
    assert response.status_code == 200 and response.content_type == "text/html; charset=utf-8"
    assert response.get_data(as_text=True) == html
    assert client.get("/report", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    english = client.get("/report?lang=en").get_data(as_text=True)
    assert english.startswith('<!DOCTYPE html>\n<html lang="en">') and english == report.render(client.application.extensions["ecograph"].settings, ("en", "ja"))


def test_a_server_of_data_files_has_no_report(tmp_path):
    from ecograph.http import create_app
    from tests.conftest import settings_for

    path = tmp_path / "some.ttl"
    path.write_text("<https://example.org/a> <https://example.org/b> 1 .\n", encoding="utf-8")
    app = create_app(settings_for(tmp_path, workers=1), data_files=[path])
    try:
        response = app.test_client().get("/report")
    finally:
        app.extensions["ecograph"].close()
    assert response.status_code == 404 and response.get_json()["ok"] is False and "--data" in response.get_json()["hint"]


def test_the_report_is_self_contained_and_deterministic(html, built_settings, monkeypatch):
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html and "src=" not in html
    monkeypatch.setattr(local, "_ENGINES", {})                            # load the release afresh
    assert report.render(built_settings) == html


def test_everything_from_the_data_is_escaped(built_settings, monkeypatch):
    evil = '<script>alert(1)</script> & "q" \'a\''

    def tainted(name, params=None, settings=None):
        result = run_named(name, params, settings)
        result.rows = [tuple(("literal", t[1] + evil, None, t[3]) if t is not None and t[3] else t for t in row) for row in result.rows]
        return result

    monkeypatch.setattr(report, "run_named", tainted)
    page = report.render(built_settings)
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#x27;a&#x27;" in page
    assert len(charts_of(page)) == len(CHARTS)                             # every SVG still parses as XML


# ------------------------------------------------------------------ a real browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """A tiny PNG decoder (8-bit RGB or RGBA, not interlaced): width, height and the unfiltered rows."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        header = struct.unpack(">IIBBBBB", body) if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0
    bpp, raw, out, prev = (3 if colour == 2 else 4), zlib.decompress(idat), [], bytearray(width * (3 if colour == 2 else 4))
    stride = width * bpp
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a, b, c = (line[i - bpp] if i >= bpp else 0), prev[i], (prev[i - bpp] if i >= bpp else 0)
            p = a + b - c
            predictor = (0, a, b, (a + b) // 2, a if abs(p - a) <= min(abs(p - b), abs(p - c)) else (b if abs(p - b) <= abs(p - c) else c))[kind]
            line[i] = (line[i] + predictor) & 0xFF
        out.append(bytes(line) if bpp == 3 else bytes(v for i, v in enumerate(line) if i % 4 != 3))
        prev = line
    return width, height, out


@pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                    reason=f"{CHROMIUM} is not installed (Debian package chromium; scripts/test installs it)")
def test_the_report_renders_readably_in_chromium(built_root, html, tmp_path):
    from playwright.sync_api import sync_playwright

    from tests.servers import running_server

    with running_server(built_root) as (base, _), sync_playwright() as pw:
        with urllib.request.urlopen(base + "/report", timeout=30) as r:
            assert r.read().decode("utf-8") == html                        # the real server gives the CLI's bytes
        context = pw.chromium.launch_persistent_context(str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True,
                                                        args=CHROMIUM_ARGS, locale="ja-JP", viewport={"width": 1400, "height": 1000})
        try:
            page = context.pages[0] if context.pages else context.new_page()
            requests: list[str] = []
            page.context.on("request", lambda request: requests.append(request.url))
            page.goto(base + "/report", wait_until="load")
            heatmap = page.locator("#heatmap")
            box = heatmap.bounding_box()
            assert box["width"] > 700 and box["height"] > 400                 # drawn at a readable size, not squeezed
            assert page.evaluate("document.documentElement.scrollWidth") <= 1400   # no sideways scrolling
            whole, cells = tmp_path / "report.png", tmp_path / "heatmap.png"
            page.screenshot(path=str(whole), full_page=True)
            heatmap.screenshot(path=str(cells))
        finally:
            context.close()
    assert whole.stat().st_size > 50_000 and cells.stat().st_size > 5_000 and whole.stat().st_size != cells.stat().st_size
    _, _, pixels = png_pixels(cells.read_bytes())
    colours = {line[i:i + 3] for line in pixels[::4] for i in range(0, len(line), 12)}
    assert len(colours) > 8                                                  # not one colour: a scale, text, outlines
    assert bytes((8, 69, 148)) in {line[i:i + 3] for line in pixels for i in range(0, len(line), 3)}  # the darkest cell (7 programs)
    assert {urlsplit(url).hostname for url in requests} == {"127.0.0.1"}
