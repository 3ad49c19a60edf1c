"""Hand-written SVG charts: a heatmap, horizontal bars (with an optional darker part, e.g. ViCLE within CiCLE)
and vertical grouped bars. Pure functions from values to SVG text, no plotting library.

Every text is escaped; every mark carries a <title> tooltip; coordinates are rounded to one decimal, so the
same values always give the same bytes. Labels are lists of lines (the report passes one line per language).
A value of None is unknown and is drawn as a dashed outline marked "?", never as 0."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape

FONT = "sans-serif"
INK, GRID, MUTED = "#222", "#ccc", "#666"
DASHED = ' stroke="#888" stroke-dasharray="3 2"'


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def num(x: float) -> str:
    """A coordinate, deterministic and short."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def fmt(value: float) -> str:
    """A tick value: no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def text(x: float, y: float, content: str, size: int = 12, anchor: str = "start", fill: str = INK,
         weight: str = "normal", cls: str = "", extra: str = "") -> str:
    attrs = f' class="{esc(cls)}"' if cls else ""
    bold = ' font-weight="bold"' if weight != "normal" else ""
    return (f'<text x="{num(x)}" y="{num(y)}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{bold}{attrs}{extra}>'
            f"{esc(content)}</text>")


def lines(x: float, y: float, parts: list[str], anchor: str = "start", size: int = 12) -> str:
    """Label lines: the first in ink, the others smaller and grey (the second language)."""
    out = []
    for i, part in enumerate(parts):
        out.append(text(x, y + i * (size + 2), part, size if i == 0 else size - 1, anchor, INK if i == 0 else MUTED))
    return "".join(out)


def wrap(line: str, width: float, size: int = 12) -> list[str]:
    """Split a label line at spaces so that it fits width pixels (a rough measure: CJK characters are wider)."""
    words, out = line.split(" "), [""]
    for word in words:
        candidate = (out[-1] + " " + word).strip()
        if out[-1] and sum(size if ord(c) > 0x2E80 else size * 0.56 for c in candidate) > width:
            out.append(word)
        else:
            out[-1] = candidate
    return out


def rect(x: float, y: float, w: float, h: float, fill: str, extra: str = "") -> str:
    return f'<rect x="{num(x)}" y="{num(y)}" width="{num(max(w, 0))}" height="{num(max(h, 0))}" fill="{fill}"{extra}/>'


def svg(chart_id: str, width: float, height: float, title: str, body: str) -> str:
    """The root element: an accessible image with its title first."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" id="{esc(chart_id)}" class="chart" role="img" '
            f'aria-labelledby="{esc(chart_id)}-title" width="{num(width)}" height="{num(height)}" '
            f'viewBox="0 0 {num(width)} {num(height)}" font-family="{FONT}">'
            f'<title id="{esc(chart_id)}-title">{esc(title)}</title>{body}</svg>')


def ticks(maximum: float, count: int = 5) -> list[float]:
    """Round tick values from 0 covering maximum (steps of 1, 2, 2.5 or 5 times a power of ten)."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return [i * step for i in range(math.ceil(maximum / step - 1e-9) + 1)]


def legend(x: float, y: float, items: list[tuple[str, str]], width: float) -> tuple[str, float]:
    """Colour swatches with their texts, wrapped to width; returns the SVG and the height used."""
    out, cx, cy = [], x, y
    for colour, label in items:
        w = 22 + 7 * len(label)
        if cx + w > x + width and cx > x:
            cx, cy = x, cy + 18
        dashed = ' stroke="#555" stroke-dasharray="3 2"' if colour == "none" else ""
        out.append(f'<g class="legend-item">{rect(cx, cy, 12, 12, colour, dashed)}{text(cx + 16, cy + 10, label, 11)}</g>')
        cx += w
    return "".join(out), cy - y + 18


@dataclass
class Bar:
    """One bar: value None is unknown (drawn dashed with '?'); part is a darker share of it (e.g. ViCLE)."""

    value: float | None
    label: str
    tooltip: str
    colour: str = "#4e79a7"
    part: float | None = None
    part_colour: str = "#1f4e79"


@dataclass
class Group:
    """A row of a bar chart: its label lines, its bars, and a note written to the right of the plot."""

    label: list[str]
    bars: list[Bar]
    note: str = ""
    key: str = ""


@dataclass
class Cell:
    value: int
    lines: list[str]
    tooltip: str
    row: str = ""
    col: str = ""
    extra: dict = field(default_factory=dict)


def hbars(chart_id: str, title: str, groups: list[Group], x_label: str, y_label: str, legend_items=(),
          label_width: int = 270, plot_width: int = 380, note_width: int = 250, bar_height: int = 15, label_room: int = 150, note_label: tuple = ()) -> str:
    """Horizontal bars, one row per group (the funnel is two bars per round: applications, then adopted)."""
    values = [b.value for g in groups for b in g.bars if b.value is not None]
    scale = ticks(max(values, default=0))
    top_value = scale[-1]
    width = label_width + plot_width + label_room + note_width + 10
    legend_svg, legend_h = legend(label_width, 8, list(legend_items), plot_width + label_room) if legend_items else ("", 0)
    y = 8 + legend_h + 22
    head = text(10, y - 8, y_label, 12, weight="bold", cls="axis-label")
    head += lines(label_width + plot_width + label_room, y - 22, list(note_label), size=11)
    body, x0 = [], label_width
    for g in groups:
        label = [part for line in g.label for part in wrap(line, label_width - 16)]
        group_h = max(len(g.bars) * (bar_height + 3), 14 * len(label) + 2)
        marks = [lines(10, y + 12, label)]
        for i, b in enumerate(g.bars):
            by = y + i * (bar_height + 3)
            marks.append(_hbar(b, x0, by, bar_height, plot_width, top_value))
        if not g.bars:
            marks.append(text(x0 + 6, y + 12, "—", 11, fill=MUTED))
        if g.note:
            marks.append(text(x0 + plot_width + label_room, y + 12, g.note, 11, fill=MUTED, cls="side"))
        body.append(f'<g class="row" data-key="{esc(g.key)}">{"".join(marks)}</g>')
        body.append(f'<line x1="10" x2="{num(width - 10)}" y1="{num(y + group_h + 4)}" y2="{num(y + group_h + 4)}" stroke="#eee"/>')
        y += group_h + 9
    axis = [f'<line x1="{x0}" x2="{x0}" y1="{num(8 + legend_h + 18)}" y2="{num(y)}" stroke="{INK}"/>',
            f'<line x1="{x0}" x2="{x0 + plot_width}" y1="{num(y)}" y2="{num(y)}" stroke="{INK}"/>']
    for t in scale:
        tx = x0 + plot_width * t / top_value
        axis.append(f'<line x1="{num(tx)}" x2="{num(tx)}" y1="{num(y)}" y2="{num(y + 4)}" stroke="{INK}"/>')
        axis.append(text(tx, y + 16, fmt(t), 11, "middle"))
    axis.append(text(x0 + plot_width / 2, y + 34, x_label, 12, "middle", weight="bold", cls="axis-label"))
    return svg(chart_id, width, y + 44, title, legend_svg + head + "".join(body) + "".join(axis))


def _hbar(b: Bar, x0: float, y: float, h: float, plot_width: float, top_value: float) -> str:
    tip = f"<title>{esc(b.tooltip)}</title>"
    if b.value is None:
        box = rect(x0, y, 28, h, "none", DASHED)
        return f'<g class="bar unknown">{tip}{box}{text(x0 + 14, y + h - 3, "?", 11, "middle")}{text(x0 + 34, y + h - 3, b.label, 11)}</g>'
    w = plot_width * b.value / top_value
    part = rect(x0, y, plot_width * b.part / top_value, h, b.part_colour) if b.part else ""
    label = text(x0 + w + 4, y + h - 3, b.label, 11)
    return f'<g class="bar">{tip}{rect(x0, y, w, h, b.colour)}{part}{label}</g>'


def vbars(chart_id: str, title: str, groups: list[Group], x_label: str, y_label: str, legend_items=(),
          plot_height: int = 240, group_width: int = 120, bar_width: int = 30) -> str:
    """Vertical grouped bars, one group per category (a trend: the categories are in order)."""
    values = [b.value for g in groups for b in g.bars if b.value is not None]
    scale = ticks(max(values, default=0))
    top_value = scale[-1]
    left, width = 70, 70 + group_width * len(groups) + 20
    legend_svg, legend_h = legend(left, 8, list(legend_items), width - left) if legend_items else ("", 0)
    y0 = 8 + legend_h + 16
    base = y0 + plot_height
    out = [legend_svg]
    for t in scale:
        ty = base - plot_height * t / top_value
        out.append(f'<line x1="{left}" x2="{num(width - 20)}" y1="{num(ty)}" y2="{num(ty)}" stroke="{GRID}" stroke-width="0.5"/>')
        out.append(text(left - 6, ty + 4, fmt(t), 11, "end"))
    for i, g in enumerate(groups):
        gx = left + i * group_width + (group_width - bar_width * len(g.bars)) / 2
        marks = []
        for j, b in enumerate(g.bars):
            bx = gx + j * bar_width
            tip = f"<title>{esc(b.tooltip)}</title>"
            if b.value is None:
                h = plot_height * 0.3
                marks.append(f'<g class="bar unknown">{tip}{rect(bx + 2, base - h, bar_width - 4, h, "none", DASHED)}'
                             f'{text(bx + bar_width / 2, base - h / 2, "?", 13, "middle")}</g>')
                continue
            h = plot_height * b.value / top_value
            marks.append(f'<g class="bar">{tip}{rect(bx + 2, base - h, bar_width - 4, h, b.colour)}'
                         f'{text(bx + bar_width / 2, base - h - 4, b.label, 11, "middle")}</g>')
        marks.append(lines(left + i * group_width + group_width / 2, base + 16, g.label, "middle", 11))
        if g.note:
            marks.append(text(left + i * group_width + group_width / 2, base + 64, g.note, 12, "middle", MUTED, cls="side"))
        out.append(f'<g class="group" data-key="{esc(g.key)}">{"".join(marks)}</g>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{num(y0)}" y2="{num(base)}" stroke="{INK}"/>')
    out.append(f'<line x1="{left}" x2="{num(width - 20)}" y1="{num(base)}" y2="{num(base)}" stroke="{INK}"/>')
    out.append(text(left + (width - left - 20) / 2, base + 88, x_label, 12, "middle", weight="bold", cls="axis-label"))
    out.append(text(16, y0 + plot_height / 2, y_label, 12, "middle", weight="bold", cls="axis-label",
                    extra=f' transform="rotate(-90 16 {num(y0 + plot_height / 2)})"'))
    return svg(chart_id, width, base + 100, title, "".join(out))


def shade(value: float, maximum: float) -> str:
    """A sequential blue from pale (small) to dark (the maximum); 0 is white (a gap)."""
    if value <= 0 or maximum <= 0:
        return "#ffffff"
    t = 0.15 + 0.85 * min(value / maximum, 1)
    lo, hi = (222, 235, 247), (8, 69, 148)
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(lo, hi))


def heatmap(chart_id: str, title: str, row_labels: list[list[str]], col_labels: list[list[str]], cells: list[list[Cell]],
            x_label: str, y_label: str, legend_label: str, gap_label: str,
            label_width: int = 270, cell_width: int = 180, cell_height: int = 50) -> str:
    """A grid of cells coloured by value, the value written in each, a 0 cell outlined in red as a gap."""
    maximum = max((c.value for row in cells for c in row), default=0)
    width = label_width + cell_width * len(col_labels) + 20
    top = 86
    out = [text(label_width + cell_width * len(col_labels) / 2, 18, x_label, 12, "middle", weight="bold", cls="axis-label"),
           text(10, top - 8, y_label, 12, weight="bold", cls="axis-label")]
    for j, col in enumerate(col_labels):
        out.append(lines(label_width + cell_width * (j + 0.5), 44, col, "middle"))
    for i, (row, row_cells) in enumerate(zip(row_labels, cells)):
        y = top + i * cell_height
        out.append(lines(10, y + cell_height / 2 - 2, row))
        for j, c in enumerate(row_cells):
            x = label_width + j * cell_width
            fill = shade(c.value, maximum)
            dark = c.value > 0 and c.value / maximum > 0.5
            ink = "#ffffff" if dark else INK
            stroke = ' stroke="#c0392b" stroke-width="1.5" stroke-dasharray="4 3"' if c.value == 0 else ' stroke="#ffffff"'
            data = "".join(f' data-{esc(k)}="{esc(v)}"' for k, v in sorted({"row": c.row, "col": c.col, **c.extra}.items()))
            marks = [f"<title>{esc(c.tooltip)}</title>", rect(x + 1, y + 1, cell_width - 2, cell_height - 2, fill, stroke),
                     text(x + cell_width / 2, y + 24, str(c.value), 18, "middle", ink, "bold", "n")]
            for k, line in enumerate(c.lines):
                marks.append(text(x + cell_width / 2, y + 40 + k * 12, line, 11, "middle", ink, cls="sub"))
            out.append(f'<g class="cell"{data}>{"".join(marks)}</g>')
    y = top + len(row_labels) * cell_height + 16
    out.append(text(label_width, y + 10, legend_label, 11, weight="bold"))
    steps = list(range(maximum + 1)) if maximum <= 8 else sorted({0, *(round(maximum * k / 5) for k in range(1, 6))})
    for k, v in enumerate(steps):
        x = label_width + k * 44
        stroke = ' stroke="#c0392b" stroke-dasharray="4 3"' if v == 0 else ' stroke="#999"'
        out.append(f'<g class="legend-item">{rect(x, y + 18, 34, 16, shade(v, maximum), stroke)}{text(x + 17, y + 48, str(v), 11, "middle")}</g>')
    out.append(text(label_width, y + 68, gap_label, 11, fill="#c0392b"))
    return svg(chart_id, width, y + 80, title, "".join(out))
