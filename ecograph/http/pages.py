"""HTML pages of the linked-data views: the site's chrome and its rendering context (Html), the home page, the /queries
page and the note on truncated results; the page of one resource is resource_page.py's.

Pure functions from values to HTML strings (no Flask), so that they can be tested and reused. Every text that
comes from the data is escaped with html.escape; only http(s) IRIs become links (a `javascript:` IRI is valid
RDF and must never be clickable); ecograph IRIs are mapped onto this server's paths. Pages are self-contained:
inline CSS, no scripts, no external fonts or stylesheets. Both languages are always shown, the chosen one first,
except in the site's navigation (site_nav), which names each page in the chosen language only so that it stays one or
two lines on a phone, and offers the other language beside it.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote, urlencode

from ecograph.namespaces import BASE, PREFIXES

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREFLABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
RDF_TYPE = RDF_NS + "type"

STYLE = """body{font-family:sans-serif;max-width:64em;margin:1.5em auto;padding:0 1em;line-height:1.5;color:#222}
a{color:#0645ad}code{background:#f4f4f4;padding:0 .2em;word-break:break-all}.alt{color:#666}
table{border-collapse:collapse;width:100%}th,td{border-top:1px solid #ddd;padding:.3em .5em;vertical-align:top;text-align:left}
th{width:14em;font-weight:normal}ul.v{list-style:none;margin:0;padding:0}ul.v li{margin:.15em 0}
.g{font-size:.75em;border-radius:.3em;padding:0 .35em;margin-left:.4em;white-space:nowrap;text-decoration:none}
a.g{display:inline-block;min-height:24px;line-height:24px;vertical-align:middle}
.g-stated{background:#e3f2e3;color:#1b5e20}.g-interpreted{background:#fff3cd;color:#7a4f00}
.g-inferred{background:#e3ecfa;color:#0d3c8c}.g-other{background:#eee;color:#444}
.why{margin:.2em 0 .4em 1em;padding-left:.6em;border-left:3px solid #f0c36d;font-size:.9em}
small{color:#595959}dl.kv dt{font-weight:bold}dl.kv dd{margin:0 0 .3em 1.5em}
@media (max-width:40em){body{margin:.5em auto;padding:0 .6em}h1{font-size:1.5em}}"""

# The site's navigation (issue 16), one copy for every page: (path, Japanese, English). The query editor is the home
# page; a browser asking for /sparql gets the editor too, and RDF clients its service description.
SITE_NAV = (
    ("/", "クエリエディタ", "Query editor"),
    ("/queries", "名前付きクエリ", "Named queries"),
    ("/ontology", "オントロジー", "Ontology"),
    ("/report", "レポート", "Report"),
    ("/sparql", "SPARQL エンドポイント", "SPARQL endpoint"),
)
LANGUAGE_NAMES = (("ja", "日本語"), ("en", "English"))
# Scoped to .site-header, so that a page with a stylesheet of its own (the report, the ontology) can add it as it is.
# Each link is at least 24 px high (WCAG 2.5.8); the current page is marked by more than colour.
NAV_STYLE = """.site-header{border-bottom:1px solid #ddd;margin:0 0 1em;padding:0 0 .2em;font-family:sans-serif;line-height:1.4}
.site-nav{display:flex;flex-wrap:wrap;align-items:center;gap:0 1em;font-size:.95em}
.site-nav ul{display:flex;flex-wrap:wrap;gap:0 1em;list-style:none;margin:0;padding:0}
.site-nav a{display:inline-block;padding:.3em 0;color:#0645ad}
.site-nav a[aria-current]{color:#222;font-weight:bold;text-decoration:none;box-shadow:inset 0 -3px #0b5563}
.site-nav a.brand{font-weight:bold;color:#0b5563;text-decoration:none}
.site-nav .langs{margin-left:auto;display:flex;gap:0 .8em}"""
FAVICON = "/favicon.ico"


def site_head(h: Html) -> str:
    """What <head> needs for the site's chrome: the favicon's link and NAV_STYLE (for a page with a stylesheet of its own)."""
    return f'<link rel="icon" type="image/svg+xml" href="{esc(h.root + FAVICON)}"><style>{NAV_STYLE}</style>'


def site_nav(h: Html, current: str | None = None) -> str:
    """The site's navigation bar, the same on every page: a <header> landmark holding a labelled <nav>.

    Args:
        h: the rendering context (language order, root path).
        current: the path of the page it is on ("/", "/queries", "/ontology", "/report"), marked aria-current.

    Returns:
        HTML for the start of <body>; its CSS is NAV_STYLE, for the page's <style>.
    """
    first = h.order[0]

    def link(path: str, text: str) -> str:
        mark = ' aria-current="page"' if path == current else ""
        return f'<a href="{esc(h.root + path)}"{mark}>{esc(text)}</a>'

    items = "".join(f"<li>{link(path, ja if first == 'ja' else en)}</li>" for path, ja, en in SITE_NAV)
    langs = "".join(f'<a href="?lang={lang}" lang="{lang}" hreflang="{lang}"' + (' aria-current="true"' if lang == first else "")
                    + f">{name}</a>" for lang, name in LANGUAGE_NAMES)
    label, language = ("サイト", "言語") if first == "ja" else ("Site", "Language")
    return (f'<header class="site-header"><nav class="site-nav" aria-label="{label}">'
            f'<a class="brand" href="{esc(h.root)}/" lang="en">ecograph</a><ul>{items}</ul>'
            f'<span class="langs" role="group" aria-label="{language}">{langs}</span></nav></header>')


class Html:
    """Rendering context: the language order, the server's root path and whether ?lang= was given."""

    def __init__(self, order: tuple[str, str], root: str = "", explicit_lang: bool = False):
        self.order = order
        self.root = root
        self.explicit = explicit_lang

    # ------------------------------------------------------------ text

    def bi(self, ja: str, en: str) -> str:
        """A bilingual text, the chosen language first."""
        texts = {"ja": ja, "en": en}
        first, second = self.order
        return f'<span lang="{first}">{esc(texts[first])}</span><span class="alt" lang="{second}"> / {esc(texts[second])}</span>'

    def ordered(self, texts: list[tuple]) -> list[tuple]:
        """(language, text) pairs, the chosen language first, then the other, then any others."""
        rank = {lang: i for i, lang in enumerate(self.order)}
        return sorted(texts, key=lambda lt: (rank.get(lt[0] or "", 2), lt[0] or "", lt[1]))

    # ------------------------------------------------------------ links

    def local(self, iri: str) -> str | None:
        """This server's path for an ecograph IRI (the persistent base maps onto the server root), else None."""
        if not iri.startswith(BASE):
            return None
        rest = iri[len(BASE):]
        path, hashmark, fragment = rest.partition("#")
        href = self.root + "/" + quote(path, safe="/:~._-")
        if self.explicit and path.startswith("id/"):
            href += f"?lang={self.order[0]}"
        return href + (hashmark + quote(fragment, safe="") if hashmark else "")

    def href(self, iri: str) -> str | None:
        local = self.local(iri)
        if local is not None:
            return local
        return iri if iri.lower().startswith(("http://", "https://")) else None

    def iri_link(self, iri: str, labels: dict[str, list[tuple]] | None = None) -> str:
        """An IRI as a link (when http(s)), showing its label in the chosen language and its short name."""
        short = f"<code>{esc(curie(iri))}</code>"
        named = self.ordered((labels or {}).get(iri, []))
        text = f'<span lang="{esc(named[0][0])}">{esc(named[0][1])}</span> <small>{short}</small>' if named else short
        target = self.href(iri)
        return f'<a href="{esc(target)}">{text}</a>' if target else text

    # ------------------------------------------------------------ page

    def page(self, title: str, body: str, head: str = "", current: str | None = None) -> str:
        """A whole page: the site's navigation (current: this page's path, see site_nav), then body."""
        return (f'<!DOCTYPE html>\n<html lang="{self.order[0]}"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(title)}</title>'
                f"<style>{STYLE}</style>{site_head(self)}{head}</head><body>{site_nav(self, current)}{body}</body></html>\n")


# ------------------------------------------------------------------ helpers

def esc(text: object) -> str:
    return escape(str(text), quote=True)


def curie(iri: str) -> str:
    """The shortest prefixed name of an IRI under the project prefixes, or the IRI itself."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: (-len(str(kv[1])), kv[0])):
        ns = str(ns)
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


HOME_LINKS = (
    ("/sparql", "SPARQL エンドポイント", "SPARQL endpoint", False),
    ("/queries", "名前付きクエリ", "Named queries", False),
    ("/report", "カバレッジと空白のレポート（図）", "Coverage and gaps report (charts)", True),
    ("/ontology", "オントロジー", "Ontology", False),
    ("/dumps/", "ダンプ（全グラフのファイル）", "Dumps (every graph as files)", True),
    ("/.well-known/void", "VoID / DCAT によるデータセット記述", "VoID / DCAT description of the dataset", True),
)
EXAMPLES = (
    ("id/program/2", "支援事業 ②", "Support program ②"),
    ("id/pj/1", "統合プロジェクト PJ1", "Integrated project PJ1"),
    ("id/call/cicle-1", "CiCLE 第1回公募", "CiCLE call 1"),
    ("id/stakeholder/startup", "ステークホルダー: スタートアップ", "Stakeholder: start-up"),
    ("id/agent/amed", "AMED", "AMED"),
    ("id/source/slide/10", "出典スライド 10", "Source slide 10"),
)


def home_page(h: Html, release: str, has_build: bool, query_ui: str = "", head: str = "") -> str:
    """The home page: what this server offers, in Japanese and English, and a few example resources.

    Args:
        h: the rendering context.
        release: the served release id.
        has_build: False when serving data files (serve --data): no dumps, no VoID, no examples.
        query_ui: HTML of the query UI (ecograph/http/ui.py), shown after the introduction.
        head: extra elements for <head> (the query UI's stylesheet and scripts).
    """
    services = "".join(f'<li><a href="{esc(h.root + path)}">{h.bi(ja, en)}</a> <code>{esc(path)}</code></li>'
                       for path, ja, en, needs_build in HOME_LINKS if has_build or not needs_build)
    examples = "".join(f'<li><a href="{esc(h.local(BASE + path))}">{h.bi(ja, en)}</a> <code>{esc(BASE + path)}</code></li>'
                       for path, ja, en in EXAMPLES) if has_build else ""
    intro = h.bi("日本の創薬エコシステムの知識グラフ（第1回イノベーション・エコシステム協議会 資料1-1 より）",
                 "A knowledge graph of Japan's drug-discovery ecosystem (from 資料1-1 of the first Innovation Ecosystem Council)")
    how = h.bi("すべての ecograph IRI はこのサーバーで解決できます: https://w3id.org/ecograph/ 以下のパスを付けてください。",
               "Every ecograph IRI resolves on this server: append the path after https://w3id.org/ecograph/.")
    body = (f"<main><h1>ecograph</h1><p>{intro}</p>{query_ui}<p>{how}</p>"
            f"<h2>{h.bi('サービス', 'Services')}</h2><ul>{services}</ul>"
            + (f"<h2>{h.bi('例', 'Examples')}</h2><ul>{examples}</ul>" if examples else "")
            + f'<p><small>{h.bi("リリース", "Release")}: <code>{esc(release)}</code></small></p></main>')
    return h.page("ecograph", body, head, current="/")


LISTING_STYLE = """.scroll{overflow-x:auto;max-width:100%}.scroll table th{width:auto}
.query-index{columns:16em auto;padding-left:1.2em}section.query{border-top:1px solid #ddd;margin:1em 0}
section.query h3{margin:.6em 0 .2em;font-family:monospace;font-size:1.1em}section.query p{margin:.3em 0}
section.query summary{cursor:pointer;color:#0645ad;min-height:24px;line-height:24px}"""


def queries_page(h: Html, groups: list[tuple], openapi_href: str) -> str:
    """The named queries as a page (GET /queries for a browser), grouped as in the query editor's menu.

    Args:
        h: the rendering context.
        groups: (group, entries) pairs: group has key, ja and en; each entry is the listing's JSON of a query
            (name, url, title, description, formats) plus params_html, its parameters as HTML.
        openapi_href: the OpenAPI description of the queries.
    """
    index, sections = [], []
    for group, entries in groups:
        if not entries:
            continue
        index.append(f'<li><a href="#group-{esc(group.key)}">{h.bi(group.ja, group.en)}</a> ({len(entries)})</li>')
        items = "".join(_query_section(h, e) for e in entries)
        sections.append(f'<section id="group-{esc(group.key)}"><h2>{h.bi(group.ja, group.en)}</h2>{items}</section>')
    intro = h.bi("名前付きクエリは GET /queries/名前?パラメータ=… で実行でき、/sparql と同じ形式（format=json, csv, …）で答えます。",
                 "Each named query runs as GET /queries/NAME?param=… and answers in the formats of /sparql (format=json, csv, …).")
    links = (f'<a href="{esc(openapi_href)}">{h.bi("OpenAPI による記述", "OpenAPI description")}</a> · '
             f'<a href="{esc(h.root)}/queries?format=json">{h.bi("JSON による一覧", "The listing as JSON")}</a>')
    body = (f'<main><h1>{h.bi("名前付きクエリ", "Named queries")}</h1><p>{intro}</p><p>{links}</p>'
            f'<ul class="query-index">{"".join(index)}</ul>{"".join(sections)}</main>')
    return h.page("ecograph: " + ("名前付きクエリ" if h.order[0] == "ja" else "named queries"), body,
                  f"<style>{LISTING_STYLE}</style>", current="/queries")


def _query_section(h: Html, e: dict) -> str:
    """One named query of the listing: name (its API link), titles, description folded, parameters, formats."""
    titles = h.ordered([(lang, text) for lang, text in e["title"].items() if text])
    shown = "".join(f'<span lang="{esc(lang)}" class="alt"> / {esc(text)}</span>' if i else f'<span lang="{esc(lang)}">{esc(text)}</span>'
                    for i, (lang, text) in enumerate(titles))
    said = "".join(f'<p lang="{esc(lang)}">{esc(text)}</p>' for lang, text in h.ordered(list(e["description"].items())) if text)
    editor = f'{h.root}/?{urlencode({"named": e["name"], **({"lang": h.order[0]} if h.explicit else {})})}'
    return (f'<section class="query" id="{esc(e["name"])}"><h3><a href="{esc(e["url"])}">{esc(e["name"])}</a></h3>'
            f'<p>{shown}</p><details><summary>{h.bi("説明", "Description")}</summary>{said}</details>{e["params_html"]}'
            f'<p>{h.bi("形式", "Formats")}: {esc(", ".join(e["formats"]))} · '
            f'<a href="{esc(editor)}">{h.bi("クエリエディタで開く", "Open in the query editor")}</a></p></section>')


def truncated_page(h: Html) -> str:
    """The page behind https://w3id.org/ecograph/doc/truncated, linked from results cut at the row cap."""
    text = h.bi("この結果は行数の上限（設定 max_rows）で打ち切られています。LIMIT / OFFSET で分けて取得するか、ダンプを使ってください。",
                "This result was cut at the row cap (setting max_rows). Page through it with LIMIT / OFFSET, or use the dumps.")
    return h.page("ecograph: truncated results", f'<main><h1>{h.bi("打ち切られた結果", "Truncated results")}</h1><p>{text}</p>'
                  f'<p><a href="{esc(h.root)}/dumps/">/dumps/</a></p></main>')
