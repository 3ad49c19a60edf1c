"""The SVG chart of a benchmark run: cost against scale for each engine (drawn with ecograph.report.charts)."""

from __future__ import annotations

import math

from benchmarks.measure import geomean
from benchmarks.ratios import p50
from benchmarks.workload import TARGET_GROUPS
from ecograph.report import charts

COLOURS = {"ecograph": "#1f77b4", "ecograph-uncached": "#9467bd", "pyoxigraph": "#2ca02c", "pyoxigraph-json": "#98df8a",
           "pyoxigraph-disk": "#17becf",
           "rdflib-endpoint": "#d62728", "rdflib": "#ff7f0e", "virtuoso": "#8c564b", "ecograph-virtuoso": "#e377c2",
           "bare": "#7f7f7f", "wire": "#bcbd22"}


def svg(results: dict) -> str:
    """Two log-log panels against the quads served: the geometric mean p50 of the coverage and gap queries, and
    the peak RSS, one line per engine. A hollow point reached the time limit (the true cost is at least that)."""
    target = [q["name"] for q in results["queries"] if q["group"] in TARGET_GROUPS] or [q["name"] for q in results["queries"]]
    cost, memory = {}, {}
    for scale in results["scales"]:
        for name, e in scale["engines"].items():
            g = geomean([p50(e, n) for n in target])
            if g:
                limited = any(e.get("queries", {}).get(n, {}).get("status") == "limit" for n in target)
                cost.setdefault(name, []).append((scale["quads"], g, limited))
            if e.get("peak_rss_mib"):
                memory.setdefault(name, []).append((scale["quads"], e["peak_rss_mib"], False))
    width, panel_w, panel_h = 1010, 400, 300
    names = list(dict.fromkeys([*cost, *memory]))
    items = [(COLOURS.get(n, "#555"), n) for n in names] + [("none", "reached the time limit")]
    legend_svg, legend_h = charts.legend(70, 36, items, width - 100)
    top = 36 + legend_h + 20
    body = [charts.text(20, 22, "ecograph benchmark: cost against scale (log-log)", 15, weight="bold"), legend_svg,
            _panel(70, top, panel_w, panel_h, cost, "geomean p50 of the coverage and gap queries (ms)"),
            _panel(70 + panel_w + 110, top, panel_w, panel_h, memory, "peak RSS, VmHWM, loading included (MiB)")]
    return charts.svg("bench-cost", width, top + panel_h + 60, "Query cost and peak memory against the number of quads served",
                      "".join(body)) + "\n"


def _decades(values: list[float]) -> tuple[float, float]:
    lo, hi = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    return (lo, hi) if hi > lo else (lo, lo + 1)


def _panel(x0: float, y0: float, w: float, h: float, series: dict, label: str) -> str:
    """One log-log plot: x = quads, y = the value, a polyline and points per engine."""
    points = [p for s in series.values() for p in s]
    if not points:
        return charts.text(x0, y0 + 20, f"{label}: nothing measured", 12)
    xlo, xhi = _decades([p[0] for p in points])
    ylo, yhi = _decades([p[1] for p in points])

    def px(x):
        return x0 + w * (math.log10(x) - xlo) / (xhi - xlo)

    def py(y):
        return y0 + h - h * (math.log10(y) - ylo) / (yhi - ylo)

    out = [f'<line x1="{x0}" x2="{x0}" y1="{y0}" y2="{y0 + h}" stroke="{charts.INK}"/>',
           f'<line x1="{x0}" x2="{x0 + w}" y1="{y0 + h}" y2="{y0 + h}" stroke="{charts.INK}"/>',
           charts.text(x0 + w / 2, y0 + h + 40, "quads served", 12, "middle", weight="bold", cls="axis-label"),
           charts.text(x0, y0 - 8, label, 12, weight="bold", cls="axis-label")]
    for d in range(int(xlo), int(xhi) + 1):
        x = px(10 ** d)
        out.append(f'<line x1="{charts.num(x)}" x2="{charts.num(x)}" y1="{y0}" y2="{y0 + h}" stroke="{charts.GRID}" stroke-width="0.5"/>')
        out.append(charts.text(x, y0 + h + 16, _si(10 ** d), 11, "middle"))
    for d in range(int(ylo), int(yhi) + 1):
        y = py(10 ** d)
        out.append(f'<line x1="{x0}" x2="{x0 + w}" y1="{charts.num(y)}" y2="{charts.num(y)}" stroke="{charts.GRID}" stroke-width="0.5"/>')
        out.append(charts.text(x0 - 6, y + 4, _si(10 ** d), 11, "end"))
    for name, pts in series.items():
        colour = COLOURS.get(name, "#555")
        coords = " ".join(f"{charts.num(px(x))},{charts.num(py(y))}" for x, y, _ in pts)
        marks = [f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>']
        for x, y, limited in pts:
            fill = "#ffffff" if limited else colour
            tip = f"{name}: {y:,.2f} at {x:,} quads" + (" (reached the time limit)" if limited else "")
            marks.append(f'<circle cx="{charts.num(px(x))}" cy="{charts.num(py(y))}" r="4" fill="{fill}" stroke="{colour}" '
                         f'stroke-width="2"><title>{charts.esc(tip)}</title></circle>')
        out.append(f'<g class="series" data-engine="{charts.esc(name)}">{"".join(marks)}</g>')
    return "".join(out)


def _si(value: float) -> str:
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:g}"
