"""Hand-written SVG charts: a heatmap, horizontal bars (with an optional darker part, e.g. ViCLE within CiCLE)
and vertical grouped bars. Pure functions from values to SVG text, no plotting library.

Every text is escaped; every mark carries a <title> tooltip; coordinates are rounded to one decimal, so the
same values always give the same bytes. A value of None is unknown and is drawn as a dashed outline marked "?",
never as 0.

Charts are drawn at the size they are shown (issue 16): no text is smaller than MIN_FONT, and the report shows
each chart at its own width, never shrunk. The bar charts are narrow enough for a phone (labels above the bars,
wrapped); the heatmap is wider and scrolls within its own box on a narrow screen. Labels are lists of parts
(the report passes one part per language, its reader's first): the first in ink, the others grey, wrapped."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

FONT = "sans-serif"
INK, GRID, MUTED = "#222", "#ccc", "#666"
DASHED = ' stroke="#888" stroke-dasharray="3 2"'
MIN_FONT = 11          # px, at the chart's own size: the smallest text drawn (issue 16: readable on a phone)
PHONE_WIDTH = 340      # the bar charts' width: a 360 px screen less the page's margins


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


# ------------------------------------------------------------------ wrapped text

_WIDE = 0x2E80                                      # CJK and full-width forms: about one em wide
_TOKEN = re.compile(r"[\u2E80-\uFFEF]\s*|[^\s\u2E80-\uFFEF]+\s*|\s+")
_NO_START = set("）」』】〕、。，．・：；？！ー々)]},.:;!?%")  # never at the start of a line (kinsoku)
_NO_END = set("（「『【〔([{")                       # never at the end of a line


def measure(line: str, size: float = 12) -> float:
    """A rough width in px: CJK characters an em, others 0.6 em (generous, so that labels never overflow)."""
    return sum(size if ord(c) >= _WIDE else size * (0.3 if c == " " else 0.6) for c in line)


def _tokens(line: str) -> list[str]:
    """Pieces a line may break between: words with their spaces, single CJK characters; punctuation kept on its side."""
    out: list[str] = []
    for token in _TOKEN.findall(line):
        if out and (token[0] in _NO_START or out[-1].rstrip()[-1:] in _NO_END):
            out[-1] += token
        else:
            out.append(token)
    return out


def wrap(line: str, width: float, size: int = 12) -> list[str]:
    """Split a line so that each part fits width px; "".join of the parts is the line (spaces stay at line ends)."""
    out = [""]
    for token in _tokens(line):
        if out[-1] and measure(out[-1] + token.rstrip(), size) > width:
            out.append("")
        out[-1] += token
    return out


@dataclass(frozen=True)
class Run:
    """A piece of a label in one style."""

    text: str
    size: int = 12
    fill: str = INK
    bold: bool = False
    newline: bool = False   # start on a line of its own


def flow(runs: list[Run], width: float) -> list[list[Run]]:
    """Runs laid out in lines of at most width px (a run is split where it wraps)."""
    lines: list[list[Run]] = [[]]
    used = 0.0
    for run in runs:
        if run.newline and lines[-1]:
            lines.append([])
            used = 0.0
        for token in _tokens(run.text):
            w = measure(token.rstrip(), run.size)
            if lines[-1] and used + w > width:
                lines.append([])
                used = 0.0
            last = lines[-1][-1] if lines[-1] else None
            if last is not None and (last.size, last.fill, last.bold) == (run.size, run.fill, run.bold):
                lines[-1][-1] = Run(last.text + token, run.size, run.fill, run.bold)
            else:
                lines[-1].append(Run(token, run.size, run.fill, run.bold))
            used += measure(token, run.size)
    return lines


HALO = ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'  # text legible over grid lines


def block(x: float, y: float, runs: list[Run], width: float, anchor: str = "start", cls: str = "", halo: bool = False) -> tuple[str, float]:
    """One <text> of wrapped lines (a <tspan> per piece); y is the first baseline. Returns the SVG and its height."""
    lines = [line for line in flow(runs, width) if line]
    if not lines:
        return "", 0.0
    first = lines[0][0]
    attrs = f' class="{esc(cls)}"' if cls else ""
    bold = (' font-weight="bold"' if first.bold else "") + (HALO if halo else "")
    out, height = [], 0.0
    for i, line in enumerate(lines):
        step = max(r.size for r in line) + 4
        for j, run in enumerate(line):
            place = f' x="{num(x)}" dy="{step}"' if i > 0 and j == 0 else ""
            style = (f' font-size="{run.size}"' if run.size != first.size else "") + (f' fill="{run.fill}"' if run.fill != first.fill else "")
            style += (' font-weight="bold"' if run.bold else ' font-weight="normal"') if run.bold != first.bold else ""
            out.append(f"<tspan{place}{style}>{esc(run.text)}</tspan>")
        height += step
    head = f'<text x="{num(x)}" y="{num(y)}" font-size="{first.size}" text-anchor="{anchor}" fill="{first.fill}"{bold}{attrs}>'
    return head + "".join(out) + "</text>", height


def parts_runs(parts: list[str], size: int = 12, bold: bool = False, stack: bool = False) -> list[Run]:
    """A label of several parts (languages): the first in ink, the others grey; stacked on lines of their own, or
    run on after " / " (then the text of the label reads "first / second")."""
    runs = [Run(parts[0], size, INK, bold)] if parts else []
    for part in parts[1:]:
        if part:
            runs.append(Run(part if stack else " / " + part, max(size - 1, MIN_FONT), MUTED, False, stack))
    return runs


def label(x: float, y: float, parts: list[str], width: float, size: int = 12, anchor: str = "start", bold: bool = False,
          cls: str = "", stack: bool = False, halo: bool = False) -> tuple[str, float]:
    """A label of parts (see parts_runs), wrapped to width; returns the SVG and its height."""
    return block(x, y, parts_runs(parts, size, bold, stack), width, anchor, cls, halo)


# ------------------------------------------------------------------ frame, scale, legend

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
    for colour, name in items:
        w = 28 + measure(name, 11)
        if cx + w > x + width and cx > x:
            cx, cy = x, cy + 18
        dashed = ' stroke="#555" stroke-dasharray="3 2"' if colour == "none" else ""
        out.append(f'<g class="legend-item">{rect(cx, cy, 12, 12, colour, dashed)}{text(cx + 16, cy + 10, name, 11)}</g>')
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
    """A row of a bar chart: its label parts, its bars, and a note written below its bars."""

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


# ------------------------------------------------------------------ horizontal bars

def hbars(chart_id: str, title: str, groups: list[Group], x_label: list[str], y_label: list[str], legend_items=(),
          width: int = PHONE_WIDTH, bar_height: int = 14, tick_label: Callable[[float], str] = fmt) -> str:
    """Horizontal bars, one row per group, its label above its bars and its note below (a phone's width: the
    funnel is two bars per round, applications then adopted). tick_label writes an axis value (a unit's scale)."""
    values = [b.value for g in groups for b in g.bars if b.value is not None]
    scale = ticks(max(values, default=0))
    top_value, x0, inner = scale[-1], 8, width - 16
    room = max((measure(b.label, 11) + (34 if b.value is None else 6) for g in groups for b in g.bars), default=0)
    plot = max(inner - room, inner * 0.45)
    out, y = [], 8.0
    if legend_items:
        legend_svg, legend_h = legend(x0, y, list(legend_items), inner)
        out.append(legend_svg)
        y += legend_h + 6
    head, h = label(x0, y + 12, y_label, inner, bold=True, cls="axis-label")
    out.append(head)
    y += h + 6
    rows_top, rows = y, []
    for g in groups:
        name, h = label(x0, y + 12, g.label, inner, stack=True, halo=True)
        marks = [name]
        y += h + 2
        for b in g.bars:
            marks.append(_hbar(b, x0, y, bar_height, plot, top_value))
            y += bar_height + 3
        if not g.bars:
            marks.append(text(x0, y + 12, "—", 11, fill=MUTED))
            y += 16
        if g.note:
            note, h = block(x0, y + 12, [Run(g.note, 11, MUTED)], inner, cls="side", halo=True)
            marks.append(note)
            y += h
        rows.append(f'<g class="row" data-key="{esc(g.key)}">{"".join(marks)}</g>')
        rows.append(f'<line x1="{x0}" x2="{num(width - 8)}" y1="{num(y + 4)}" y2="{num(y + 4)}" stroke="#eee"/>')
        y += 10
    axis = [f'<line x1="{x0}" x2="{num(x0 + plot)}" y1="{num(y)}" y2="{num(y)}" stroke="{INK}"/>']  # the bars start at 0: no y axis under the labels
    for i, t in enumerate(scale):
        tx = x0 + plot * t / top_value
        if t:
            out.append(f'<line x1="{num(tx)}" x2="{num(tx)}" y1="{num(rows_top)}" y2="{num(y)}" stroke="{GRID}" stroke-width="0.5"/>')
        axis.append(f'<line x1="{num(tx)}" x2="{num(tx)}" y1="{num(y)}" y2="{num(y + 4)}" stroke="{INK}"/>')
        axis.append(text(tx, y + 16, tick_label(t), 11, "start" if i == 0 else "middle"))
    foot, h = label(x0, y + 34, x_label, inner, bold=True, cls="axis-label")
    return svg(chart_id, width, y + 26 + h + 6, title, "".join(out) + "".join(rows) + "".join(axis) + foot)


def _hbar(b: Bar, x0: float, y: float, h: float, plot_width: float, top_value: float) -> str:
    tip = f"<title>{esc(b.tooltip)}</title>"
    if b.value is None:
        box = rect(x0, y, 28, h, "none", DASHED)
        return f'<g class="bar unknown">{tip}{box}{text(x0 + 14, y + h - 3, "?", 11, "middle")}{text(x0 + 34, y + h - 3, b.label, 11)}</g>'
    w = plot_width * b.value / top_value
    part = rect(x0, y, plot_width * b.part / top_value, h, b.part_colour) if b.part else ""
    value = text(x0 + w + 4, y + h - 3, b.label, 11)
    return f'<g class="bar">{tip}{rect(x0, y, w, h, b.colour)}{part}{value}</g>'


# ------------------------------------------------------------------ vertical bars

def vbars(chart_id: str, title: str, groups: list[Group], x_label: list[str], y_label: list[str], legend_items=(),
          plot_height: int = 200, group_width: int = 56, bar_width: int = 20) -> str:
    """Vertical grouped bars, one group per category (a trend: the categories are in order); a phone's width."""
    values = [b.value for g in groups for b in g.bars if b.value is not None]
    scale = ticks(max(values, default=0))
    top_value = scale[-1]
    left = 44
    width = left + group_width * len(groups) + 10
    legend_svg, legend_h = legend(8, 8, list(legend_items), width - 16) if legend_items else ("", 0)
    y0 = 8 + legend_h + 16
    base = y0 + plot_height
    out = [legend_svg]
    for t in scale:
        ty = base - plot_height * t / top_value
        out.append(f'<line x1="{left}" x2="{num(width - 10)}" y1="{num(ty)}" y2="{num(ty)}" stroke="{GRID}" stroke-width="0.5"/>')
        out.append(text(left - 5, ty + 4, fmt(t), 11, "end"))
    below = 0.0
    for i, g in enumerate(groups):
        cx = left + i * group_width + group_width / 2
        gx = cx - bar_width * len(g.bars) / 2
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
        name, h = label(cx, base + 16, g.label, group_width - 4, 11, "middle", stack=True)
        marks.append(name)
        if g.note:
            note, nh = block(cx, base + 16 + h + 2, [Run(g.note, 11, MUTED, True)], group_width - 2, "middle", "side")
            marks.append(note)
            h += nh + 2
        below = max(below, h)
        out.append(f'<g class="group" data-key="{esc(g.key)}">{"".join(marks)}</g>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{num(y0)}" y2="{num(base)}" stroke="{INK}"/>')
    out.append(f'<line x1="{left}" x2="{num(width - 10)}" y1="{num(base)}" y2="{num(base)}" stroke="{INK}"/>')
    foot, h = label(8, base + below + 24, x_label, width - 16, bold=True, cls="axis-label")
    out.append(foot)
    side, _ = label(0, 0, y_label, plot_height, anchor="middle", bold=True, cls="axis-label")
    out.append(side.replace("<text ", f'<text transform="translate(16 {num(y0 + plot_height / 2)}) rotate(-90)" ', 1))
    return svg(chart_id, width, base + below + 24 + h, title, "".join(out))


# ------------------------------------------------------------------ heatmap

def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ink_on(fill: str) -> str:
    """Black or white, whichever contrasts more with fill (WCAG 2 relative luminance: at least 4.58:1 either way)."""
    lum = _luminance(fill)
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


def shade(value: float, maximum: float) -> str:
    """A sequential blue from pale (small) to dark (the maximum); 0 is white (a gap)."""
    if value <= 0 or maximum <= 0:
        return "#ffffff"
    t = 0.15 + 0.85 * min(value / maximum, 1)
    lo, hi = (222, 235, 247), (8, 69, 148)
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(lo, hi))


def heatmap(chart_id: str, title: str, row_labels: list[list[str]], col_labels: list[list[str]], cells: list[list[Cell]],
            x_label: list[str], y_label: list[str], legend_label: list[str], gap_label: list[str],
            label_width: int = 170, cell_width: int = 116, cell_height: int = 66) -> str:
    """A grid of cells coloured by value, the value written in each, a 0 cell outlined in red as a gap. Wider
    than a phone: the report lets it scroll in its own box rather than shrink its text."""
    maximum = max((c.value for row in cells for c in row), default=0)
    grid_width = cell_width * len(col_labels)
    width = label_width + grid_width + 10
    # the axis title starts where the grid does: on a phone the grid's right part is scrolled out of sight
    head, y = label(label_width, 20, x_label, grid_width, bold=True, cls="axis-label")
    out = [head]
    heads = [label(label_width + cell_width * (j + 0.5), 20 + y + 12, col, cell_width - 8, anchor="middle", stack=True) for j, col in enumerate(col_labels)]
    heads.append(label(8, 20 + y + 12, y_label, label_width - 12, bold=True, cls="axis-label"))
    top = 20 + y + max(h for _, h in heads) + 10
    out += [svg_text for svg_text, _ in heads]
    for i, (row, row_cells) in enumerate(zip(row_labels, cells)):
        y = top + i * cell_height
        _, h = label(8, 0, row, label_width - 14, stack=True)
        out.append(label(8, y + (cell_height - h) / 2 + 12, row, label_width - 14, stack=True)[0])
        for j, c in enumerate(row_cells):
            x = label_width + j * cell_width
            fill = shade(c.value, maximum)
            ink = ink_on(fill)
            stroke = ' stroke="#c0392b" stroke-width="1.5" stroke-dasharray="4 3"' if c.value == 0 else ' stroke="#ffffff"'
            data = "".join(f' data-{esc(k)}="{esc(v)}"' for k, v in sorted({"row": c.row, "col": c.col, **c.extra}.items()))
            marks = [f"<title>{esc(c.tooltip)}</title>", rect(x + 1, y + 1, cell_width - 2, cell_height - 2, fill, stroke),
                     text(x + cell_width / 2, y + 24, str(c.value), 18, "middle", ink, "bold", "n")]
            for k, line in enumerate(c.lines):
                marks.append(text(x + cell_width / 2, y + 41 + k * 14, line, 11, "middle", ink, cls="sub"))
            out.append(f'<g class="cell"{data}>{"".join(marks)}</g>')
    y = top + len(row_labels) * cell_height + 16
    key, h = label(label_width, y + 10, legend_label, grid_width, 11, bold=True)
    out.append(key)
    y += h
    steps = list(range(maximum + 1)) if maximum <= 8 else sorted({0, *(round(maximum * k / 5) for k in range(1, 6))})
    for k, v in enumerate(steps):
        x = label_width + k * 44
        stroke = ' stroke="#c0392b" stroke-dasharray="4 3"' if v == 0 else ' stroke="#999"'
        out.append(f'<g class="legend-item">{rect(x, y + 4, 34, 16, shade(v, maximum), stroke)}{text(x + 17, y + 34, str(v), 11, "middle")}</g>')
    gap, h = block(label_width, y + 56, [Run(p if i == 0 else " / " + p, 11, "#c0392b") for i, p in enumerate(gap_label)], grid_width)
    out.append(gap)
    return svg(chart_id, width, y + 44 + h + 8, title, "".join(out))
