"""The report's HTML pieces and words: both languages (the reader's first), money in 億円 and, for an English
reader, in yen too, data tables, figures, notes, the links to the named queries and to the page's sections.
Pure functions from values to escaped HTML; page.py puts them together."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from ecograph.report import charts


def plain(number: Decimal) -> str:
    """A decimal as written by hand: no exponent, no trailing zeros, thousands separated."""
    return format(number.normalize(), ",f")


def yen(oku: str) -> str:
    """An amount in 億円 as yen (1 億円 = ¥100 million), exactly: ¥ billion from 10 億円 up, else ¥ million."""
    amount = Decimal(oku)
    return f"¥{plain(amount / 10)} billion" if abs(amount) >= 10 else f"¥{plain(amount * 100)} million"


class Text:
    """Words in both languages, the reader's (the first of lang_order) first."""

    def __init__(self, order: tuple[str, str]):
        self.order = order
        self.english = order[0] == "en"

    def pair(self, ja: str, en: str) -> list[str]:
        return [ja, en] if self.order[0] == "ja" else [en, ja]

    def one(self, ja: str, en: str) -> str:
        """The reader's language only (a key, a count, a short note inside a chart)."""
        return en if self.english else ja

    def slash(self, ja: str, en: str) -> str:
        return " / ".join(self.pair(ja, en))

    def bi(self, ja: str, en: str, tag: str = "span") -> str:
        """HTML: the first language, then the second in grey; each escaped and marked with its lang."""
        (a, b), (la, lb) = self.pair(ja, en), self.pair("ja", "en")
        return f'<{tag} lang="{la}">{escape(a)}</{tag}> <{tag} class="alt" lang="{lb}">/ {escape(b)}</{tag}>'

    def lang(self, ja: str, en: str) -> str:
        """HTML: the reader's language only, marked with its lang."""
        return f'<span lang="{self.order[0]}">{escape(self.one(ja, en))}</span>'

    # ------------------------------------------------------------ money

    def money(self, oku: str | None) -> str:
        """An amount in 億円 for the reader: "32 億円", or for an English reader "¥3.2 billion (32 億円)"."""
        if oku is None:
            return "?"
        return f"{yen(oku)} ({oku} 億円)" if self.english else f"{oku} 億円"

    def money_cell(self, oku: str | None) -> str:
        """HTML for a table: money() in pieces that never break inside (a phone's column wraps between them)."""
        if oku is None:
            return "—"
        if not self.english:
            return f'<span class="nw">{escape(oku)} 億円</span>'
        return f'<span class="nw">{escape(yen(oku))}</span> <span class="nw">({escape(oku)} 億円)</span>'

    def money_bar(self, oku: str, programs: str) -> str:
        """A bar's label: the amount and the number of programs whose amounts it adds up."""
        return f"{self.money(oku)}, n={programs}" if self.english else f"{oku} 億円（{programs} 件）"

    def tick(self, oku: float) -> str:
        """An axis value: 億円 for a Japanese reader, ¥ billion (10 億円) for an English one."""
        return charts.fmt(oku / 10) if self.english else charts.fmt(oku)

    def unit(self, ja: str, en: str) -> list[str]:
        """An axis label with its unit: the axis is in 億円 (ja) or ¥ billion (en), and both parts say which."""
        def with_unit(text: str, unit: str) -> str:
            return f"{text[:-1]}、{unit}）" if text.endswith("）") else f"{text}（{unit}）"

        return self.pair(with_unit(ja, "十億円"), f"{en} (¥ billion)") if self.english else self.pair(with_unit(ja, "億円"), f"{en} (億円)")


# ------------------------------------------------------------------ blocks

def table(t: Text, head: list[tuple[str, str]], rows: list[list[str]], numeric: tuple[int, ...] = ()) -> str:
    """A table with a header for every column; the first cell of a row heads it. Cells are HTML, already escaped."""
    ths = "".join(f'<th scope="col"{" class=n" if i in numeric else ""}>{t.bi(ja, en)}</th>' for i, (ja, en) in enumerate(head))
    body = "".join("<tr>" + "".join((f'<th scope="row">{cell}</th>' if i == 0 else f"<td{' class=n' if i in numeric else ''}>{cell}</td>")
                                    for i, cell in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{ths}</tr></thead><tbody>{body}</tbody></table>"


def box(content: str, label_id: str, kind: str = "table-box") -> str:
    """A box that scrolls sideways when its content is wider than the screen (a table, a chart), rather than the
    page; focusable and named (by the element label_id), so that a keyboard can scroll it too (WCAG 2.1.1)."""
    return f'<div class="{kind}" role="group" tabindex="0" aria-labelledby="{label_id}">{content}</div>'


def figure(t: Text, chart_id: str, ja: str, en: str, svg: str, data: str, wide: bool = False) -> str:
    """A chart with its title above it (the same title is the SVG's own <title>) and its numbers in a table
    below, in a <details> named after the chart (issue 16: the numbers exist outside the picture). A wide chart
    (the heatmap) is shown at its own size, scrolling in its box on a phone; the narrow ones grow on a wide screen."""
    caption, summary = f"{chart_id}-caption", f"{chart_id}-summary"
    size = "" if wide else ' class="narrow"'
    return (f'<figure{size} aria-labelledby="{caption}"><figcaption id="{caption}">{t.bi(ja, en)}</figcaption>'
            f'{box(svg, caption, "chart-box")}<details id="{chart_id}-data"><summary id="{summary}">'
            f'{t.bi(f"データ表：{ja}", f"Data table: {en}")}</summary>{box(data, summary)}</details></figure>')


def note(t: Text, ja: str, en: str) -> str:
    first, second = t.pair(ja, en)
    la, lb = t.pair("ja", "en")
    return f'<div class="note"><p lang="{la}">{escape(first)}</p><p lang="{lb}" class="alt">{escape(second)}</p></div>'


def section(t: Text, anchor: str, ja: str, en: str, body: str) -> str:
    return f'<section id="{anchor}" aria-labelledby="{anchor}-h"><h2 id="{anchor}-h">{t.bi(ja, en)}</h2>{body}</section>'


def sources(t: Text, *names: str, layer: str = "all") -> str:
    """The named queries a section shows, each a link to its answer (GET /queries/<name>, relative)."""
    query = "?layer=stated" if layer == "stated" else ""
    links = ", ".join(f'<a href="queries/{escape(n)}{query}"><code>{escape(n)}</code></a>' for n in names)
    lead = t.one(f"名前付きクエリ（layer={layer}）：", f"Named queries (layer={layer}): ")
    return f'<p class="src"><span lang="{t.order[0]}">{escape(lead)}</span>{links}</p>'


def contents_nav(t: Text, sections: list[tuple[str, str, str]]) -> str:
    """Links to the sections of the page."""
    items = "".join(f'<li><a href="#{anchor}">{t.lang(ja, en)}</a></li>' for anchor, ja, en in sections)
    return f'<nav class="toc" aria-label="{t.one("目次", "Contents")}"><ul>{items}</ul></nav>'
