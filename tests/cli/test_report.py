"""The coverage-and-gaps report (issue 4): its charts are the named queries' answers, drawn with titles, axis
labels and units; `ecograph report` and GET /report give the same bytes; everything is escaped; the output
is deterministic; and a real browser renders it to a readable picture.

Issue 16: every key in the reader's language, yen beside 億円 for an English reader, a header on every column,
the queries linked (relatively), each chart's numbers in a table, the site's navigation and landmarks, text of
at least 11 px on a 390 px phone with no sideways scrolling of the page, and no serious or critical axe-core
violation, in ja and en.

The browser tests are skipped only when /usr/bin/chromium is absent and CI is not set (tests/helpers/browser.py)."""

from __future__ import annotations

import re
import struct
import urllib.request
import xml.etree.ElementTree as ET
import zlib
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from ecograph.cli import main
from ecograph.engine import local
from ecograph.queries import run_named
from ecograph.report import page as report
from ecograph.report.charts import MIN_FONT, wrap
from ecograph.report.markup import yen
from tests.helpers.browser import axe_violations, browser_page, describe, require_chromium, run_axe

SVG = "{http://www.w3.org/2000/svg}"
CHARTS = {  # chart id -> texts its title and axis labels must hold (both languages; 億円 where money)
    "heatmap": ["ステークホルダーの種類×フェーズ", "Stakeholder type × phase", "研究開発フェーズ / R&D phase",
                "ステークホルダーの種類 / kind of stakeholder", "事業の数 / number of programs"],
    "money-support-kind": ["支援の種類ごとの金額", "Money by kind of support: annual amounts (億円)", "支援の種類 / kind of support",
                           "単年度額の合計（億円） / sum of annual amounts (億円)"],
    "money-support-kind-totals": ["totals over years (shown apart)", "総額の合計（複数年、億円） / sum of totals over years (億円)"],
    "money-ministry": ["所管省庁ごとの金額", "Money by ministry: annual amounts (億円)", "所管省庁 / ministry",
                       "単年度額の合計（億円） / sum of annual amounts (億円)"],
    "money-ministry-totals": ["Money by ministry: totals over years (shown apart)", "sum of totals over years (億円)"],
    "cicle-funnel": ["CiCLE：公募回ごとの応募→採択", "CiCLE: applications → adopted per round", "課題数（件） / number of projects",
                     "公募回（年度） / round (fiscal year)", "うち ViCLE / of which ViCLE"],
    "aimgain-trend": ["AIMGAIN：公募ごとの申請と採択", "AIMGAIN: applications and adoptions per call", "件数 / number of proposals",
                      "call (month opened)", "申請 / applications", "採択 / adopted"],
}
ENGLISH_AXES = {"money-support-kind": "sum of annual amounts (¥ billion) / 単年度額の合計（十億円）",
                "money-ministry-totals": "sum of totals over years (¥ billion) / 総額の合計（複数年、十億円）"}


def rows(name: str, settings, **params) -> list[dict]:
    return run_named(name, params, settings).values()


def charts_of(html: str) -> dict[str, ET.Element]:
    """Every inline SVG of the page, parsed as XML, by id."""
    found = [ET.fromstring(m) for m in re.findall(r"<svg .*?</svg>", html, flags=re.DOTALL)]
    return {svg.get("id"): svg for svg in found}


def texts(element: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in element.iter(SVG + "text")]


VOID = ("br", "meta", "rect", "line", "path", "circle", "link", "img", "input")


class Tables(HTMLParser):
    """The tables of a page: for each, the name of the box around it (its aria-labelledby: the id of the data
    table's summary, or of the heading above the table), the texts of its header cells (thead) and of its rows."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: list[dict] = []
        self._ids: list[str | None] = []
        self._cell: list[str] | None = None
        self._head = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self._ids.append(dict(attrs).get("aria-labelledby"))
        if tag == "table":
            self.tables.append({"id": next((i for i in reversed(self._ids[:-1]) if i), None), "head": [], "rows": []})
        elif tag == "thead":
            self._head = True
        elif tag == "tr" and not self._head:
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        self._ids.pop()
        if tag == "thead":
            self._head = False
        elif tag in ("th", "td"):
            text = " ".join("".join(self._cell).split())
            (self.tables[-1]["head"] if self._head else self.tables[-1]["rows"][-1]).append(text)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables_of(html: str) -> list[dict]:
    return Tables(html).tables


@pytest.fixture(scope="module")
def html(built_settings) -> str:
    return report.render(built_settings)


@pytest.fixture(scope="module")
def english(built_settings) -> str:
    return report.render(built_settings, ("en", "ja"))


def test_every_chart_has_a_title_axis_labels_and_units(html, english):
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
        assert f'<figcaption id="{chart_id}-caption"><span lang="ja">{title.split(" / ")[0]}' in html   # the title is visible too
    for money in ("money-support-kind", "money-ministry", "money-support-kind-totals", "money-ministry-totals"):
        labels = [t for t in texts(charts[money]) if "件）" in t]
        assert labels and all(re.fullmatch(r"[\d.]+ 億円（\d+ 件）", t) for t in labels), labels
        labels = [t for t in texts(charts_of(english)[money]) if "n=" in t]
        assert labels and all(re.fullmatch(r"¥[\d.,]+ (billion|million) \([\d.]+ 億円\), n=\d+", t) for t in labels), labels
    for chart_id, axis in ENGLISH_AXES.items():
        assert axis in texts(charts_of(english)[chart_id]), chart_id                     # an English reader's axis is in ¥ billion


def test_issue_16_wrapped_labels_keep_their_text():
    for line, width in (("drug-discovery technology development", 120), ("インキュベーションラボ・アクセラレーター", 90),
                        ("ベンチャーキャピタル（VC）", 60), ("Ministry of Education, Culture, Sports, Science and Technology (MEXT)", 150)):
        parts = wrap(line, width, 12)
        assert "".join(parts) == line and len(parts) > 1, parts
        assert not any(p.startswith(("）", "、", "・")) for p in parts[1:]), parts       # no line starts with closing punctuation


def test_heatmap_cells_show_the_coverage_query(html, english, built_settings):
    expected = {(r["stakeholder_en"], r["phase_en"]): (r["programs"], r["annual_oku_yen"]) for r in rows("coverage-stakeholder-phase", built_settings)}
    for page in (html, english):
        cells = [g for g in charts_of(page)["heatmap"].iter(SVG + "g") if g.get("class") == "cell"]
        shown = {}
        for cell in cells:
            number = next(t for t in cell.iter(SVG + "text") if t.get("class") == "n").text
            sub = [t.text for t in cell.iter(SVG + "text") if t.get("class") == "sub"]
            shown[(cell.get("data-row"), cell.get("data-col"))] = (number, cell.get("data-annual"))
            if number != "0" and sub and "?" not in sub[0]:                          # "? 億円": no annual amount known
                amount = cell.get("data-annual")
                assert (sub[0] == yen(amount) and sub[1].startswith(f"({amount} 億円)") if page is english
                        else sub[0].split(" 億円")[0] == amount), sub
        assert shown == expected and len(cells) == 36
    assert shown[("startup", "preclinical")] == ("7", "146")               # hand-worked in test_gap_queries.py
    gaps = {(r["stakeholder_en"], r["phase_en"]) for r in rows("gaps-stakeholder-phase", built_settings)}
    assert {k for k, (n, _) in shown.items() if n == "0"} == gaps
    assert f"{len(gaps)} of 36 cells are gaps" in html


def test_money_is_the_query_answer_and_unlike_kinds_are_never_added(html, english, built_settings):
    kinds = {r["amount_kind"]: r for r in rows("money-by-kind", built_settings)}
    for page, lang in ((html, "ja"), (english, "en")):
        charts = charts_of(page)
        for name, chart in (("money-by-support-kind", "money-support-kind"), ("money-by-ministry", "money-ministry")):
            shown = texts(charts[chart]) + texts(charts[chart + "-totals"])
            for r in rows(name, built_settings):
                if r["amount_kind"] in ("annual", "total"):
                    label = f"{r['oku_yen']} 億円（{r['programs']} 件）" if lang == "ja" else f"{yen(r['oku_yen'])} ({r['oku_yen']} 億円), n={r['programs']}"
                    assert label in shown, r
                else:   # counted only, named in the reader's language (issue 16: not `fund ×1` for a Japanese reader)
                    assert any(f"{kinds[r['amount_kind']]['label_' + lang]} ×{r['programs']}" in t for t in shown), r
    assert (kinds["annual"]["oku_yen"], kinds["total"]["oku_yen"]) == ("492", "383")
    assert "875" not in html                                                # 492 + 383: annual and total never added
    assert [t for t in texts(charts_of(html)["money-ministry"]) if "件）" in t] == ["492 億円（20 件）"]
    assert "31 programs have no known ministry" in html


def test_issue_16_keys_are_in_the_readers_language(html, english, built_settings):
    """A Japanese reader sees no English key (`fund ×1`, `part-of ×1`, `n=`, `query:`), an English reader no yen-less
    amount: ¥ figures stand beside 億円 (1 億円 = ¥100 million)."""
    kinds = rows("money-by-kind", built_settings)
    svg_ja = "\n".join(t for chart in charts_of(html).values() for t in texts(chart))
    for r in kinds:
        assert not re.search(rf"(?<![\w-]){re.escape(r['amount_kind'])} ×", svg_ja + html), r["amount_kind"]
        assert f"<code>{r['amount_kind']}</code>" not in html and f"<code>{r['amount_kind']}</code>" not in english
    assert "n=" not in svg_ja and "query:" not in html and "名前付きクエリ（layer=all）：" in html
    assert "足さない：" in svg_ja and "not added: " in "\n".join(t for c in charts_of(english).values() for t in texts(c))
    assert "¥" not in html                                                  # a Japanese reader keeps 億円
    assert "¥49.2 billion (492 億円)" in english and "¥38.3 billion (383 億円)" in english and "Named queries (layer=all): " in english
    assert (yen("32"), yen("9.3"), yen("0.6"), yen("10"), yen("1234.5")) == (
        "¥3.2 billion", "¥930 million", "¥60 million", "¥1 billion", "¥123.45 billion")


def test_issue_16_every_column_has_a_header(html, english):
    for page in (html, english):
        tables = tables_of(page)
        assert len(tables) == len(CHARTS) + 3                               # a data table per chart; kinds of amount, gaps, issue groups
        for table in tables:
            assert table["head"] and all(table["head"]), table["head"]
            assert all(len(row) == len(table["head"]) for row in table["rows"]), (table["id"], table["head"])
    groups = next(t for t in tables_of(html) if t["id"] == "issue-groups")
    assert groups["head"][3] == "空白か / gap?" and {row[3] for row in groups["rows"]} <= {"空白", "事業あり"}


def test_issue_16_every_chart_has_its_numbers_in_a_table(html, english, built_settings):
    for page in (html, english):
        charts, tables = charts_of(page), {t["id"]: t for t in tables_of(page)}
        for chart_id, svg in charts.items():
            title = svg.find(SVG + "title").text.split(" / ")[0]
            summary = re.search(rf'<details id="{chart_id}-data"><summary id="{chart_id}-summary"><span lang="(ja|en)">(.*?)</span>', page)
            assert summary and summary.group(2) in (f"データ表：{title}", f"Data table: {title}"), chart_id
            assert tables[f"{chart_id}-summary"]["rows"], chart_id
    cells = tables["heatmap-summary"]["rows"]                                   # the English page's
    assert len(cells) == 36 and ["startup", "preclinical", "7", "¥14.6 billion (146 億円)", "5"] in cells
    funnel = tables_of(html)
    funnel = next(t for t in funnel if t["id"] == "cicle-funnel-summary")["rows"]
    expected = [[f"第{r['round']}回", r["fiscal_year"], r["applications"], r["applications_vicle"] or "—", r["adopted"], r["adopted_vicle"] or "—",
                 r["adoption_pct"]] for r in rows("cicle-adoption", built_settings) if r["round"]]
    assert funnel == expected
    trend = next(t for t in tables_of(english) if t["id"] == "aimgain-trend-summary")["rows"]
    assert [row[:4] for row in trend][-1] == ["call 5", "2025-06", "unknown", "unknown"]


def test_issue_16_queries_and_pages_are_linked_relatively(html, english, client):
    """Query names under the charts link to GET /queries/<name>, and the site's navigation to its pages, all with
    relative links: they work behind a script root and from the file `ecograph report` writes."""
    for page in (html, english):
        hrefs = re.findall(r'href="([^"]*)"', page)
        assert hrefs and not [h for h in hrefs if h.startswith(("/", "http:", "https:", "//"))]
        named = sorted({h for h in hrefs if h.startswith("queries/")})
        under = "".join(re.findall(r'<p class="src"><span lang=.*?</p>', page))          # the queries named under each section
        shown = set(re.findall(r"<code>([a-z0-9-]+)</code>", under))
        assert {urlsplit(h).path.removeprefix("queries/") for h in named} == shown
        assert len(shown) > 10 and not re.search(r"<code>[a-z0-9-]+</code>(?!</a>)", under)
        nav = re.search(r'<nav class="site-nav".*?</nav>', page).group(0)
        for target in ("./", "./queries", "./ontology", "./report", "./sparql"):
            assert f'href="{target}"' in nav, target
        assert all(f'id="{h[1:]}"' in page for h in hrefs if h.startswith("#"))
    base = "http://example.org/ecograph/report"                              # behind a script root
    assert urljoin(base, "queries/cicle-adoption") == "http://example.org/ecograph/queries/cicle-adoption"
    assert urljoin(base, "./queries") == "http://example.org/ecograph/queries"
    for href in sorted({h for h in re.findall(r'href="([^"]*)"', html) if h.startswith("queries/")}):
        response = client.get("/" + href, headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200, (href, response.get_data(as_text=True)[:300])


def test_issue_16_page_structure(html, english):
    for page, lang in ((html, "ja"), (english, "en")):
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
        assert page.count("<header") == 1 and page.count("<main>") == 1 and page.count("<footer>") == 1
        assert page.index("<header") < page.index("<main>") < page.index("</main>") < page.index("<footer>")
        assert re.search(r'<nav class="site-nav" aria-label="[^"]+">', page) and '<nav class="toc" aria-label=' in page
        assert '<a href="./report" aria-current="page">' in page and f'aria-current="true">{"日本語" if lang == "ja" else "English"}</a>' in page
        assert page.count("<summary") == len(CHARTS)
        assert page.count('role="group" tabindex="0"') == len(CHARTS) * 2 + 3   # each chart and each table scrolls in its own box


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
    assert '<a href="queries/gaps-stakeholder-phase?layer=stated">' in html   # the stated section links its own answers


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
    browser = client.get("/report", headers={"Accept-Language": "en-US,en;q=0.8"})    # the site's language: the browser's
    assert browser.get_data(as_text=True) == english and browser.headers["Vary"] == "Accept-Language"
    assert client.get("/report?lang=ja", headers={"Accept-Language": "en"}).get_data(as_text=True) == html


def test_a_server_of_data_files_has_no_report(tmp_path):
    from ecograph.http import create_app
    from tests.helpers.project import settings_for

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
    monkeypatch.setattr(local, "_ENGINES", {})                             # load the release afresh
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

# The smallest text of each chart as drawn: its computed font size times the scale of the SVG on the screen (the
# length of the text's transformation's first column, so that a rotated label counts too).
SMALLEST_CHART_TEXT = """() => Object.fromEntries(Array.from(document.querySelectorAll('svg.chart'), svg => {
  let smallest = Infinity;
  for (const t of svg.querySelectorAll('text, tspan')) {
    if (!Array.from(t.childNodes).some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim())) continue;
    const m = t.getScreenCTM();
    smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b));
  }
  return [svg.id, smallest];
}))"""


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


@pytest.fixture(scope="module")
def served(built_root, html):
    """A real server (`ecograph serve`) on the session's build; it gives the CLI's bytes."""
    require_chromium()
    from tests.helpers.servers import running_server

    with running_server(built_root) as (base, _):
        with urllib.request.urlopen(base + "/report", timeout=30) as r:
            assert r.read().decode("utf-8") == html
        yield base


def test_the_report_renders_readably_in_chromium(served, tmp_path):
    with browser_page(tmp_path / "profile", locale="ja-JP", width=1400, height=1000) as page:
        requests: list[str] = []
        page.context.on("request", lambda request: requests.append(request.url))
        page.goto(served + "/report", wait_until="load")
        heatmap = page.locator("#heatmap")
        box = heatmap.bounding_box()
        assert box["width"] == float(heatmap.get_attribute("width")) > 600 and box["height"] > 400   # at its own size, not squeezed
        assert page.evaluate("document.documentElement.scrollWidth") <= 1400   # no sideways scrolling
        whole, cells = tmp_path / "report.png", tmp_path / "heatmap.png"
        page.screenshot(path=str(whole), full_page=True)
        heatmap.screenshot(path=str(cells))
    assert whole.stat().st_size > 50_000 and cells.stat().st_size > 5_000 and whole.stat().st_size != cells.stat().st_size
    _, _, pixels = png_pixels(cells.read_bytes())
    colours = {line[i:i + 3] for line in pixels[::4] for i in range(0, len(line), 12)}
    assert len(colours) > 8                                                  # not one colour: a scale, text, outlines
    assert bytes((8, 69, 148)) in {line[i:i + 3] for line in pixels for i in range(0, len(line), 3)}  # the darkest cell (7 programs)
    assert {urlsplit(url).hostname for url in requests} == {"127.0.0.1"}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_issue_16_readable_on_a_phone_and_accessible(served, lang, tmp_path):
    """At 390 px and at 1280 px: the page never scrolls sideways (a wide chart or table scrolls in its own box, which
    a keyboard can focus), no chart text is drawn under 11 px, and axe-core finds no serious or critical violation,
    with every data table closed and open."""
    with browser_page(tmp_path / "profile", locale="ja-JP" if lang == "ja" else "en-US", width=390, height=844) as page:
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 844})
            found = axe_violations(page, f"{served}/report?lang={lang}")
            assert not found, describe(found)
            sizes = page.evaluate(SMALLEST_CHART_TEXT)
            assert set(sizes) == set(CHARTS) and min(sizes.values()) >= MIN_FONT - 0.01, sizes
            page.screenshot(path=str(tmp_path / f"report-{lang}-{width}.png"), full_page=True)
            page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
            assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth"), width
            found = run_axe(page)
            assert not found, describe(found)
            if width == 390:
                scrolled = page.evaluate("""() => Array.from(document.querySelectorAll('.chart-box, .table-box'))
                    .filter(b => b.scrollWidth > b.clientWidth).map(b => [b.tabIndex, b.getAttribute('aria-labelledby')])""")
                assert ["heatmap-caption"] in [[label] for _, label in scrolled]       # the heatmap scrolls in its box …
                assert all(index == 0 and label for index, label in scrolled)           # … as every box that does: focusable, named
            summary = page.locator("summary").first
            summary.focus()
            assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
