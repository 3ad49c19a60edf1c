"""The coverage-and-gaps report: one self-contained HTML page (ja and en) whose SVG charts are drawn from the
named queries' answers (run_named on the built release; one source of truth: no figure is computed here from
the data files, only laid out). Used by `ecograph report` and by GET /report.

It shows: a heatmap of stakeholder type × phase coverage, money by kind of support and by ministry (annual
amounts; totals over years apart; kinds that cannot be added only counted), the CiCLE funnel per round, the
AIMGAIN trend, the gap list, and how the picture changes with layer=stated. The charts use layer=all (stated
facts and interpretations), as the queries do by default. The output depends only on the release: no clock,
no randomness, every text escaped, no script, no external resource."""

from __future__ import annotations

from dataclasses import replace
from html import escape

from ecograph.queries import run_named
from ecograph.report import charts
from ecograph.report.charts import Bar, Cell, Group
from ecograph.settings import Settings

STYLE = """body{font-family:sans-serif;max-width:76em;margin:1.5em auto;padding:0 1em;line-height:1.5;color:#222}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}.alt{color:#666}code{background:#f4f4f4;padding:0 .2em}
svg.chart{max-width:100%;height:auto;display:block;margin:.5em 0}figure{margin:1em 0}
figcaption{font-weight:bold}.src{font-size:.85em;color:#555}.note{background:#f8f6ee;border-left:3px solid #f0c36d;padding:.4em .8em;font-size:.9em}
table{border-collapse:collapse;margin:.5em 0}th,td{border-top:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
td.n{text-align:right}.gap{color:#c0392b;font-weight:bold}"""
KIND_COLOURS = {"applications": ("#9ecae1", "#3182bd"), "adopted": ("#fdae6b", "#e6550d")}


class Text:
    """Both languages, the first of lang_order first."""

    def __init__(self, order: tuple[str, str]):
        self.order = order

    def pair(self, ja: str, en: str) -> list[str]:
        return [ja, en] if self.order[0] == "ja" else [en, ja]

    def slash(self, ja: str, en: str) -> str:
        return " / ".join(self.pair(ja, en))

    def bi(self, ja: str, en: str, tag: str = "span") -> str:
        """HTML: the first language, then the second in grey; each escaped and marked with its lang."""
        (a, b), (la, lb) = self.pair(ja, en), self.pair("ja", "en")
        return f'<{tag} lang="{la}">{escape(a)}</{tag}> <{tag} class="alt" lang="{lb}">/ {escape(b)}</{tag}>'


class Answers:
    """Runs named queries on the release and gives rows as dicts of lexical values (None when unbound)."""

    def __init__(self, settings: Settings):
        # always pyoxigraph: rdflib's SPARQL engine answers some of these queries wrongly (README: the fallback store)
        self.settings = replace(settings, store="oxigraph")

    def __call__(self, name: str, **params: str) -> list[dict]:
        result = run_named(name, params, self.settings)
        return result.values()


def _unique(items):
    return list(dict.fromkeys(items))


def _src(*names: str, layer: str = "all") -> str:
    queries = ", ".join(f"<code>{escape(n)}</code>" for n in names)
    return f'<p class="src">query: {queries} (layer={escape(layer)}) — docs/queries.md</p>'


def _note(t: Text, ja: str, en: str) -> str:
    return f'<div class="note"><p lang="{t.pair("ja", "en")[0]}">{escape(t.pair(ja, en)[0])}</p>' \
           f'<p lang="{t.pair("ja", "en")[1]}" class="alt">{escape(t.pair(ja, en)[1])}</p></div>'


def _figure(t: Text, ja: str, en: str, svg: str) -> str:
    """A chart with its title shown above it (the same title is the SVG's own <title>)."""
    return f"<figure><figcaption>{t.bi(ja, en)}</figcaption>{svg}</figure>"


def _section(t: Text, anchor: str, ja: str, en: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{t.bi(ja, en)}</h2>{body}</section>'


# ------------------------------------------------------------------ sections

def coverage(q: Answers, t: Text) -> str:
    rows = q("coverage-stakeholder-phase")
    gaps = q("gaps-stakeholder-phase")
    no_phase = [r["program_key"] for r in q("coverage-program-phase") if r["phases"] == "0"]
    unknowns = {r["property"]: r for r in q("unknowns-by-property")}
    stakeholders = _unique((r["stakeholder"], r["stakeholder_ja"], r["stakeholder_en"]) for r in rows)
    phases = sorted(_unique((int(r["phase_position"]), r["phase"], r["phase_ja"], r["phase_en"]) for r in rows))
    by_cell = {(r["stakeholder"], r["phase"]): r for r in rows}
    grid = []
    for s_iri, s_ja, s_en in stakeholders:
        line = []
        for _, p_iri, p_ja, p_en in phases:
            r = by_cell[(s_iri, p_iri)]
            n, missing, amount = int(r["programs"]), int(r["programs_without_annual"]), r["annual_oku_yen"]
            sub = "" if n == 0 else (f"{amount} 億円" if n > missing else "? 億円") + (f" +{missing}?" if missing and n > missing else "")
            tip = t.slash(f"{s_ja} × {p_ja}：事業 {n} 件、単年度額の合計 {amount} 億円（単年度額のない事業 {missing} 件）",
                          f"{s_en} × {p_en}: {n} programs, annual amounts {amount} 億円 ({missing} without an annual amount)")
            line.append(Cell(n, [sub] if sub else [], tip, s_en, p_en, {"annual": amount, "without-annual": missing}))
        grid.append(line)
    ja, en = "ステークホルダーの種類×フェーズ：支援する事業の数", "Stakeholder type × phase: number of programs"
    svg = charts.heatmap("heatmap", t.slash(ja, en), [t.pair(ja, en) for _, ja, en in stakeholders], [t.pair(ja, en) for _, _, ja, en in phases],
                         grid, t.slash("研究開発フェーズ", "R&D phase"), t.slash("ステークホルダーの種類", "kind of stakeholder"),
                         t.slash("事業の数", "number of programs"),
                         t.slash("赤い破線＝空白（事業の記録なし）", "red dashed = gap (no program recorded)"))
    fy = unknowns.get("ecograph:fiscalYear", {}).get("resources") or "0"
    note = _note(t, f"マスの数字は事業の数、下の段は単年度額の合計（億円）。「+n?」は単年度額のない事業（基金・出資金・税制・内数・総額・記載なし）で、その金額は足していない（不明）。"
                    f"{len(gaps)} / {len(rows)} マスが空白。フェーズが不明な事業 {len(no_phase)} 件（{', '.join(no_phase)}）はどのマスにも入らない。"
                    f"複数フェーズにまたがる事業は各マスで数えるので、マスどうしを足さないこと。金額の年度は不明（{fy} 件）。",
                 f"The number in a cell is its programs; below, the sum of their annual amounts (億円). “+n?”: n programs with no annual "
                 f"amount (fund, investment, tax, part of a parent amount, total over years, none written), whose money is unknown and not "
                 f"added. {len(gaps)} of {len(rows)} cells are gaps. {len(no_phase)} programs have no known phase ({', '.join(no_phase)}) and "
                 f"are in no cell. A program spanning several phases counts in each cell: do not add cells. The fiscal year of the "
                 f"amounts is unknown ({fy} amounts).")
    body = f"{_figure(t, ja, en, svg)}{note}{_src('coverage-stakeholder-phase', 'gaps-stakeholder-phase', 'coverage-program-phase', 'unknowns-by-property')}"
    return _section(t, "coverage", "カバレッジ：ステークホルダー×フェーズ", "Coverage: stakeholder type × phase", body)


def _money_chart(q: Answers, t: Text, name: str, dim: str, chart_id: str, ja: str, en: str, y_ja: str, y_en: str) -> str:
    rows = q(name)
    dims = _unique((r[f"{dim}_en"], r[f"{dim}_ja"]) for r in rows)
    annual, totals = [], []
    for d_en, d_ja in dims:
        mine = {r["amount_kind"]: r for r in rows if r[f"{dim}_en"] == d_en}
        other = " · ".join(f"{kind} ×{r['programs']}" for kind, r in mine.items() if kind != "annual")
        bars = []
        if "annual" in mine:
            r = mine["annual"]
            tip = t.slash(f"{d_ja}：単年度額 {r['oku_yen']} 億円（事業 {r['programs']} 件）", f"{d_en}: annual {r['oku_yen']} 億円 ({r['programs']} programs)")
            bars.append(Bar(float(r["oku_yen"]), f"{r['oku_yen']} 億円 (n={r['programs']})", tip))
        annual.append(Group(t.pair(d_ja, d_en), bars, other, d_en))
        if "total" in mine:
            r = mine["total"]
            tip = t.slash(f"{d_ja}：総額 {r['oku_yen']} 億円（複数年）", f"{d_en}: total over years {r['oku_yen']} 億円")
            totals.append(Group(t.pair(d_ja, d_en), [Bar(float(r["oku_yen"]), f"{r['oku_yen']} 億円 (n={r['programs']})", tip, "#76b7b2")], "", d_en))
    y_label = t.slash(y_ja, y_en)
    out = _figure(t, f"{ja}：単年度額（億円）", f"{en}: annual amounts (億円)", charts.hbars(
        chart_id, t.slash(f"{ja}：単年度額（億円）", f"{en}: annual amounts (億円)"), annual,
                       t.slash("単年度額の合計（億円）", "sum of annual amounts (億円)"), y_label,
                       [("#4e79a7", t.slash("単年度額", "annual amount"))],
                       note_label=t.pair("足さない金額（種類 ×事業数）", "not added (kind × programs)")))
    if totals:
        tja, ten = f"{ja}：総額（複数年、別に示す）", f"{en}: totals over years (shown apart)"
        out += _figure(t, tja, ten, charts.hbars(chart_id + "-totals", t.slash(tja, ten), totals,
                                                 t.slash("総額の合計（億円、複数年）", "sum of totals over years (億円)"), y_label,
                                                 [("#76b7b2", t.slash("総額（複数年）", "total over years"))]))
    return out


def money(q: Answers, t: Text) -> str:
    kinds = q("money-by-kind")
    unknowns = {r["property"]: r for r in q("unknowns-by-property")}
    table = "".join(f"<tr><td><code>{escape(r['amount_kind'])}</code></td><td>{t.bi(r['label_ja'], r['label_en'])}</td>"
                    f"<td class=n>{escape(r['programs'])}</td><td class=n>{escape(r['oku_yen'] + ' 億円' if r['oku_yen'] else '—')}</td></tr>"
                    for r in kinds)
    head = f"<tr><th>kind</th><th>{t.bi('金額の種類', 'kind of amount')}</th><th>{t.bi('事業', 'programs')}</th><th>{t.bi('合計', 'sum')}</th></tr>"
    ministry = unknowns.get("ecograph:ministry", {}).get("resources") or "0"
    fy = unknowns.get("ecograph:fiscalYear", {}).get("resources") or "0"
    note = _note(t, "単年度額と総額（複数年）は別々に合計し、互いに足さない。基金・出資金・税制・内数・記載なしは足せないので、右に事業の数だけ示す"
                    f"（例 fund ×1 ＝基金事業 1 件）。支援の種類はすべて解釈、「不明」は記録のない事業。所管省庁が不明な事業は {ministry} 件（図は所管を色で示し、色は失われた）。"
                    f"金額の年度は不明（{fy} 件）。n は単年度額のある事業の数。",
                 "Annual amounts and totals over years are summed apart and never added together. Funds, investment programs, tax "
                 "measures, parts of a parent amount and programs with no amount cannot be added: they are only counted, to the right "
                 f"(e.g. fund ×1 = one fund-based program). Every kind of support is an interpretation; “unknown” holds programs with none "
                 f"recorded. {ministry} programs have no known ministry (the chart colour-coded ministries, and the colours are lost). "
                 f"The fiscal year of the amounts is unknown ({fy} amounts). n is the number of programs with an annual amount.")
    body = (_money_chart(q, t, "money-by-support-kind", "support_kind", "money-support-kind", "支援の種類ごとの金額", "Money by kind of support",
                         "支援の種類", "kind of support")
            + _money_chart(q, t, "money-by-ministry", "ministry", "money-ministry", "所管省庁ごとの金額", "Money by ministry", "所管省庁", "ministry")
            + note + f"<h3>{t.bi('金額の種類ごと', 'By kind of amount')}</h3><table>{head}{table}</table>"
            + _src("money-by-support-kind", "money-by-ministry", "money-by-kind", "unknowns-by-property"))
    return _section(t, "money", "金額（億円）", "Money (億円)", body)


def _vicle(count: str | None) -> str:
    return f" (ViCLE {count})" if count is not None else ""


def cicle(q: Answers, t: Text) -> str:
    rows = q("cicle-adoption")
    groups, no_vicle = [], []
    for r in (r for r in rows if r["round"]):
        apps, adopted, av, dv = r["applications"], r["adopted"], r["applications_vicle"], r["adopted_vicle"]
        if av is None:
            no_vicle.append(r["round"])
        bars = [Bar(float(apps), apps + _vicle(av), t.slash(f"応募 {apps} 件（うち ViCLE {av or '—'}）", f"applications {apps} (ViCLE {av or '—'})"),
                    KIND_COLOURS["applications"][0], float(av) if av else None, KIND_COLOURS["applications"][1]),
                Bar(float(adopted), f"{adopted}{_vicle(dv)} · {r['adoption_pct']}%",
                    t.slash(f"採択 {adopted} 件（うち ViCLE {dv or '—'}）、採択率 {r['adoption_pct']}%", f"adopted {adopted} (ViCLE {dv or '—'}), rate {r['adoption_pct']}%"),
                    KIND_COLOURS["adopted"][0], float(dv) if dv else None, KIND_COLOURS["adopted"][1])]
        groups.append(Group(t.pair(f"第{r['round']}回（{r['fiscal_year']}年度）", f"round {r['round']} (FY{r['fiscal_year']})"), bars, key=r["round"]))
    legend = [(KIND_COLOURS["applications"][0], t.slash("応募", "applications")), (KIND_COLOURS["applications"][1], t.slash("うち ViCLE", "of which ViCLE")),
              (KIND_COLOURS["adopted"][0], t.slash("採択", "adopted")), (KIND_COLOURS["adopted"][1], t.slash("うち ViCLE", "of which ViCLE"))]
    ja, en = "CiCLE：公募回ごとの応募→採択", "CiCLE: applications → adopted per round"
    svg = charts.hbars("cicle-funnel", t.slash(ja, en), groups,
                       t.slash("課題数（件）", "number of projects"), t.slash("公募回（年度）", "round (fiscal year)"), legend)
    total = next((r for r in rows if not r["round"]), None)
    lines = []
    if total:
        lines.append(((f"第1〜{len(groups)}回の合計：応募 {total['applications']} → 採択 {total['adopted']}（{total['adoption_pct']}%）、"
                       f"うち ViCLE 応募 {total['applications_vicle']} → 採択 {total['adopted_vicle']}（採択に占める割合 {total['vicle_share_of_adopted_pct']}%）。"),
                      (f"Rounds 1–{len(groups)}: {total['applications']} applications → {total['adopted']} adopted ({total['adoption_pct']}%); ViCLE "
                       f"{total['applications_vicle']} → {total['adopted_vicle']} ({total['vicle_share_of_adopted_pct']}% of the adopted). ")))
    if no_vicle:
        lines.append((f"第{', '.join(no_vicle)}回には ViCLE の数がない（ViCLE 開始前：空欄であって 0 ではない）。",
                      f"Rounds {', '.join(no_vicle)} have no ViCLE figure (before ViCLE began: empty, not 0). "))
    lines.append(("件数の図で、金額ではない。", "Counts of projects, not money."))
    note = _note(t, "".join(a for a, _ in lines), "".join(b for _, b in lines))
    return _section(t, "cicle", "CiCLE の応募と採択", "CiCLE: applications and adoptions", f"{_figure(t, ja, en, svg)}{note}{_src('cicle-adoption')}")


def aimgain(q: Answers, t: Text) -> str:
    rows = q("aimgain-trend")
    groups, planned, growth = [], [], []
    for r in rows:
        apps, adopted = r["applications"], r["adopted"]
        if apps is None:
            planned.append(f"{r['call']} ({r['opened']})")
        if r["applications_growth_pct"] is not None:
            growth.append(f"{r['call']}: {r['applications_growth_pct']}%")
        bars = [Bar(float(apps) if apps else None, apps or "?", t.slash(f"申請 {apps or '不明'} 件", f"applications {apps or 'unknown'}"), "#9ecae1"),
                Bar(float(adopted) if adopted else None, adopted or "?", t.slash(f"採択 {adopted or '不明'} 件", f"adopted {adopted or 'unknown'}"), "#e6550d")]
        note = f"{r['adoption_pct']}%" if r["adoption_pct"] else t.slash("予定", "planned")
        groups.append(Group(t.pair(f"第{r['call']}次", f"call {r['call']}") + [r["opened"] or ""], bars, note, r["call"]))
    ja, en = "AIMGAIN：公募ごとの申請と採択", "AIMGAIN: applications and adoptions per call"
    svg = charts.vbars("aimgain-trend", t.slash(ja, en), groups,
                       t.slash("公募（開始年月）、下段は採択率", "call (month opened); below, the adoption rate"), t.slash("件数", "number of proposals"),
                       [("#9ecae1", t.slash("申請", "applications")), ("#e6550d", t.slash("採択", "adopted")), ("none", t.slash("不明", "unknown"))])
    note = _note(t, f"前の公募からの申請数の伸び：{', '.join(growth)}。数が不明な公募（予定）：{', '.join(planned) or 'なし'}。破線の「?」は不明で、0 ではない。",
                 f"Growth in applications from the previous call: {', '.join(growth)}. Calls whose figures are unknown (planned): "
                 f"{', '.join(planned) or 'none'}. A dashed “?” is unknown, not 0.")
    return _section(t, "aimgain", "AIMGAIN の推移", "AIMGAIN trend", f"{_figure(t, ja, en, svg)}{note}{_src('aimgain-trend')}")


def gap_list(q: Answers, t: Text) -> str:
    gaps = q("gaps-stakeholder-phase")
    by_stakeholder: dict[tuple, list] = {}
    for r in gaps:
        by_stakeholder.setdefault((r["stakeholder_ja"], r["stakeholder_en"]), []).append((r["phase_ja"], r["phase_en"]))
    cells = "".join(f"<tr><td>{t.bi(*s)}</td><td>{'<br>'.join(t.bi(*p) for p in phases)}</td></tr>" for s, phases in by_stakeholder.items())
    milestones = "".join(f"<li>{t.bi(r['milestone_ja'], r['milestone_en'])} <small>({escape(r['milestone_row'] or '—')})</small></li>"
                         for r in q("gaps-milestones"))
    groups = q("coverage-issue-groups")
    rows = "".join(f"<tr><td>{t.bi(r['group_ja'], r['group_en'])}</td><td class=n>{escape(r['issues'])}</td><td class=n>{escape(r['programs'])}</td>"
                   f"<td>{'<span class=gap>' + t.bi('空白', 'gap') + '</span>' if r['gap'] == 'true' else '—'}</td></tr>" for r in groups)
    open_groups = [r["group_en"] for r in groups if r["gap"] == "true"]
    issues = [r["position"] for r in q("coverage-hearing-issues") if r["gap"] == "true"]
    body = (f"<h3>{t.bi('事業のないステークホルダー×フェーズ', 'Stakeholder × phase cells with no program')} ({len(gaps)})</h3>"
            f"<table><tr><th>{t.bi('ステークホルダー', 'stakeholder')}</th><th>{t.bi('フェーズ', 'phase')}</th></tr>{cells}</table>"
            f"<h3>{t.bi('事業のないマイルストーン', 'Milestones with no program')}</h3><ul>{milestones}</ul>"
            f"<h3>{t.bi('ヒアリング課題の分類と応える事業（解釈）', 'Hearing-issue groups and the programs addressing them (interpretation)')}</h3>"
            f"<table><tr><th>{t.bi('分類', 'group')}</th><th>{t.bi('課題', 'issues')}</th><th>{t.bi('事業', 'programs')}</th><th></th></tr>{rows}</table>"
            + _note(t, f"事業のない分類：{', '.join(open_groups) or 'なし'}。事業のない課題：{', '.join(issues) or 'なし'}。どの事業が課題に応えるかは出典になく、"
                       "支援の種類の対応表と支援の記載行の言葉から導いた解釈。空白は記録された事業がないことで、事業が存在しないことではない。",
                    f"Groups with no program: {', '.join(open_groups) or 'none'}. Issues with no program: {', '.join(issues) or 'none'}. Which "
                    "program addresses which issue is not in the source: it is derived (an interpretation) from a table of kinds of support and "
                    "the words of the support lines. A gap means no program is recorded, not that none exists.")
            + _src("gaps-stakeholder-phase", "gaps-milestones", "coverage-issue-groups", "coverage-hearing-issues"))
    return _section(t, "gaps", "空白の一覧", "Gap list", body)


def layers(q: Answers, t: Text) -> str:
    cov = q("coverage-stakeholder-phase", layer="stated")
    filled = sum(1 for r in cov if r["programs"] != "0")
    gaps = (len(q("gaps-stakeholder-phase", layer="stated")), len(q("gaps-stakeholder-phase")))
    miles = (len(q("gaps-milestones", layer="stated")), len(q("gaps-milestones")))
    groups = [(r["group_ja"], r["group_en"]) for r in q("coverage-issue-groups", layer="stated") if r["gap"] == "true"]
    kinds = _unique((r["support_kind_ja"], r["support_kind_en"]) for r in q("money-by-support-kind", layer="stated"))
    ministries = [m for m in _unique((r["ministry_ja"], r["ministry_en"]) for r in q("money-by-ministry", layer="stated")) if m[1] != "unknown"]
    ja, en = (lambda pairs, none: "、".join(p[0] for p in pairs) or none), (lambda pairs, none: ", ".join(p[1] for p in pairs) or none)
    why = ("（本文は事業のフェーズを明記しない）", " (the text states no program's phase)") if filled == 0 else ("", "")
    body = _note(t, f"この報告は layer=all（記載された事実と解釈）を使う。layer=stated（事実のみ）では：ステークホルダー×フェーズの {len(cov)} マスのうち事業のあるマスは {filled}"
                    f"{why[0]}、空白は {gaps[0]} マス（all では {gaps[1]}）。事業のないマイルストーンは {miles[0]}（all では {miles[1]}）。"
                    f"事業のない課題の分類：{ja(groups, 'なし')}。支援の種類：{ja(kinds, 'なし')}。所管省庁が分かる事業の省庁：{ja(ministries, 'なし')}。",
                 f"This report uses layer=all (stated facts and interpretations). With layer=stated (facts only): of the {len(cov)} stakeholder × "
                 f"phase cells, {filled} have a program{why[1]}, so {gaps[0]} cells are gaps ({gaps[1]} with all); "
                 f"{miles[0]} milestones have no program ({miles[1]} with all); issue groups with no program: {en(groups, 'none')}; "
                 f"kinds of support: {en(kinds, 'none')}; ministries known: {en(ministries, 'none')}.")
    return _section(t, "layers", "記載と解釈", "Stated vs interpreted", body + _src(
        "coverage-stakeholder-phase", "gaps-stakeholder-phase", "gaps-milestones", "coverage-issue-groups", "money-by-support-kind",
        "money-by-ministry", layer="stated"))


def render(settings: Settings, lang_order: tuple[str, str] = ("ja", "en")) -> str:
    """The report as one HTML page, the first language of lang_order first. Runs the named queries on the release."""
    q, t = Answers(settings), Text(lang_order)
    release = settings.dist.resolve().name
    title = t.slash("創薬支援エコシステム：カバレッジと空白", "Drug-discovery support: coverage and gaps")
    intro = _note(t, "出典：第1回イノベーション・エコシステム協議会 資料1-1（内閣府・AMED、2025-05-28）。図の数はすべて名前付きクエリの答え（各図の下に名前）。"
                     "金額の単位は億円（1 億円＝10^8 円）。",
                  "Source: 資料1-1 of the first Innovation Ecosystem Council (Cabinet Office and AMED, 2025-05-28). Every figure is the answer "
                  "of a named query (named under each chart). 億円 (oku yen) is the unit of 10^8 yen.")
    body = "".join(f(q, t) for f in (coverage, money, cicle, aimgain, gap_list, layers))
    footer = f'<footer><p class="src">ecograph release <code>{escape(release)}</code> · CC BY 4.0</p></footer>'
    return (f'<!DOCTYPE html>\n<html lang="{lang_order[0]}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title><style>{STYLE}</style></head>'
            f'<body><header><h1>{t.bi("創薬支援エコシステム：カバレッジと空白", "Drug-discovery support: coverage and gaps")}</h1>{intro}</header>'
            f"<main>{body}</main>{footer}</body></html>\n")
