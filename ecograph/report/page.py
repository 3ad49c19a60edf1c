"""The coverage-and-gaps report: one self-contained HTML page (ja and en) whose SVG charts are drawn from the
named queries' answers (run_named on the built release; one source of truth: no figure is computed here from
the data files, only laid out). Used by `ecograph report` and by GET /report.

It shows: a heatmap of stakeholder type × phase coverage, money by kind of support and by ministry (annual
amounts; totals over years apart; kinds that cannot be added only counted), the CiCLE funnel per round, the
AIMGAIN trend, the gap list, and how the picture changes with layer=stated. The charts use layer=all (stated
facts and interpretations), as the queries do by default. Each chart has its numbers in a table beside it and
names the queries it draws, linked. The output depends only on the release and the language order: no clock,
no randomness, every text escaped, no script, no external resource, and only relative links, so that the
page `ecograph report` writes and the page GET /report serves are the same bytes (issue 16)."""

from __future__ import annotations

from dataclasses import replace
from html import escape

from ecograph.queries import run_named
from ecograph.report import charts
from ecograph.report.charts import Bar, Cell, Group
from ecograph.report.markup import Text, box, contents_nav, figure, note, section, sources, table, yen
from ecograph.settings import Settings

STYLE = """body{font-family:sans-serif;max-width:76em;margin:0 auto;padding:0 1em 1.5em;line-height:1.5;color:#222}
a{color:#0645ad}:focus-visible{outline:2px solid #0645ad;outline-offset:2px}
nav.toc ul{list-style:none;margin:.8em 0;padding:0;display:flex;flex-wrap:wrap;gap:.2em 1.2em;font-size:.9em}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}.alt{color:#666}code{background:#f4f4f4;padding:0 .2em}
.figures{display:flex;flex-wrap:wrap;gap:0 3em;align-items:flex-start}figure{margin:1em 0;min-width:0;max-width:100%}
.figures>figure{flex:0 1 27em}.chart-box,.table-box{overflow-x:auto;max-width:100%}svg.chart{display:block;max-width:none;margin:.5em 0}
figcaption{font-weight:bold}details{margin:.3em 0 1em}summary{cursor:pointer;color:#0645ad}
.src{font-size:.9em;color:#555;overflow-wrap:anywhere}
.note{background:#f8f6ee;border-left:3px solid #f0c36d;padding:.4em .8em;font-size:.9em}
table{border-collapse:collapse;margin:.5em 0}th,td{border-top:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top;overflow-wrap:break-word}
tbody th{font-weight:normal}.nw{white-space:nowrap}.n{text-align:right}.gap{color:#c0392b;font-weight:bold}ul.cell{margin:0;padding-left:1.1em}
@media (max-width:30em){body{padding:0 .5em 1em}th,td{padding:.25em .3em}}
@media (min-width:60em){figure.narrow svg.chart{width:27em;height:auto}}"""
KIND_COLOURS = {"applications": ("#9ecae1", "#3182bd"), "adopted": ("#fdae6b", "#e6550d")}
SECTIONS = (("coverage", "カバレッジ", "Coverage"), ("money", "金額", "Money"), ("cicle", "CiCLE", "CiCLE"),
            ("aimgain", "AIMGAIN", "AIMGAIN"), ("gaps", "空白の一覧", "Gap list"), ("layers", "記載と解釈", "Stated vs interpreted"))


class Answers:
    """Runs named queries on the release and gives rows as dicts of lexical values (None when unbound).

    The report's one call into the query API (issue 16: easy to adapt while that API changes)."""

    def __init__(self, settings: Settings):
        # always pyoxigraph: rdflib's SPARQL engine answers some of these queries wrongly (README: the fallback store)
        self.settings = replace(settings, store="oxigraph")

    def __call__(self, name: str, **params: str) -> list[dict]:
        result = run_named(name, params, self.settings)
        return result.values()


def _unique(items):
    return list(dict.fromkeys(items))


def _e(value: object) -> str:
    return escape("—" if value is None else str(value))


# ------------------------------------------------------------------ sections

def coverage(q: Answers, t: Text) -> str:
    rows = q("coverage-stakeholder-phase")
    gaps = q("gaps-stakeholder-phase")
    no_phase = [r["program_key"] for r in q("coverage-program-phase") if r["phases"] == "0"]
    unknowns = {r["property"]: r for r in q("unknowns-by-property")}
    stakeholders = _unique((r["stakeholder"], r["stakeholder_ja"], r["stakeholder_en"]) for r in rows)
    phases = sorted(_unique((int(r["phase_position"]), r["phase"], r["phase_ja"], r["phase_en"]) for r in rows))
    by_cell = {(r["stakeholder"], r["phase"]): r for r in rows}
    grid, data = [], []
    for s_iri, s_ja, s_en in stakeholders:
        line = []
        for _, p_iri, p_ja, p_en in phases:
            r = by_cell[(s_iri, p_iri)]
            n, missing, amount = int(r["programs"]), int(r["programs_without_annual"]), r["annual_oku_yen"]
            known = n > missing
            more = f" +{missing}?" if missing and known else ""
            sub = [] if n == 0 else ([yen(amount), f"({amount} 億円){more}"] if t.english and known
                                     else [f"{amount} 億円{more}" if known else t.one("? 億円", "¥? (unknown)")])
            tip = t.slash(f"{s_ja} × {p_ja}：事業 {n} 件、単年度額の合計 {amount} 億円（単年度額のない事業 {missing} 件）",
                          f"{s_en} × {p_en}: {n} programs, annual amounts {t.money(amount) if t.english else amount + ' 億円'} "
                          f"({missing} without an annual amount)")
            line.append(Cell(n, sub, tip, s_en, p_en, {"annual": amount, "without-annual": missing}))
            data.append([t.lang(s_ja, s_en), t.lang(p_ja, p_en), str(n), t.money_cell(amount) if known else ("—" if n == 0 else "?"), str(missing)])
        grid.append(line)
    ja, en = "ステークホルダーの種類×フェーズ：支援する事業の数", "Stakeholder type × phase: number of programs"
    svg = charts.heatmap("heatmap", t.slash(ja, en), [t.pair(ja, en) for _, ja, en in stakeholders], [t.pair(ja, en) for _, _, ja, en in phases],
                         grid, t.pair("研究開発フェーズ", "R&D phase"), t.pair("ステークホルダーの種類", "kind of stakeholder"),
                         t.pair("事業の数", "number of programs"), t.pair("赤い破線＝空白（事業の記録なし）", "red dashed = gap (no program recorded)"))
    numbers = table(t, [("ステークホルダーの種類", "kind of stakeholder"), ("フェーズ", "phase"), ("事業", "programs"),
                        ("単年度額の合計", "sum of annual amounts"), ("単年度額のない事業", "programs without an annual amount")], data, (2, 3, 4))
    fy = unknowns.get("ecograph:fiscalYear", {}).get("resources") or "0"
    explain = note(t, f"マスの数字は事業の数、下の段は単年度額の合計（億円）。「+n?」は単年度額のない事業（基金・出資金・税制・内数・総額・記載なし）で、その金額は足していない（不明）。"
                      f"{len(gaps)} / {len(rows)} マスが空白。フェーズが不明な事業 {len(no_phase)} 件（{', '.join(no_phase)}）はどのマスにも入らない。"
                      f"複数フェーズにまたがる事業は各マスで数えるので、マスどうしを足さないこと。金額の年度は不明（{fy} 件）。",
                   f"The number in a cell is its programs; below, the sum of their annual amounts ({'in yen, and in 億円 as the source writes it' if t.english else '億円'}). “+n?”: n programs with no annual amount (fund, investment, tax, part of a parent amount, total over years, none "
                   f"written), whose money is unknown and not added. {len(gaps)} of {len(rows)} cells are gaps. {len(no_phase)} programs have "
                   f"no known phase ({', '.join(no_phase)}) and are in no cell. A program spanning several phases counts in each cell: do not "
                   f"add cells. The fiscal year of the amounts is unknown ({fy} amounts).")
    body = (figure(t, "heatmap", ja, en, svg, numbers, wide=True) + explain
            + sources(t, "coverage-stakeholder-phase", "gaps-stakeholder-phase", "coverage-program-phase", "unknowns-by-property"))
    return section(t, "coverage", "カバレッジ：ステークホルダー×フェーズ", "Coverage: stakeholder type × phase", body)


def _kind_label(t: Text, kinds: dict[str, tuple[str, str]], kind: str) -> str:
    """A kind of amount (annual, total, part-of, fund, …) in the reader's language, from money-by-kind's labels."""
    ja, en = kinds.get(kind, (kind, kind))
    return t.one(ja, en)


def _money_chart(q: Answers, t: Text, kinds: dict, name: str, dim: str, chart_id: str, ja: str, en: str, y_ja: str, y_en: str) -> str:
    rows = q(name)
    dims = _unique((r[f"{dim}_en"], r[f"{dim}_ja"]) for r in rows)
    annual, totals, annual_rows, total_rows = [], [], [], []
    for d_en, d_ja in dims:
        mine = {r["amount_kind"]: r for r in rows if r[f"{dim}_en"] == d_en}
        apart = t.one("、", ", ").join(f"{_kind_label(t, kinds, kind)} ×{r['programs']}" for kind, r in mine.items() if kind not in ("annual", "total"))
        bars = []
        a = mine.get("annual")
        if a:
            tip = t.slash(f"{d_ja}：単年度額 {a['oku_yen']} 億円（事業 {a['programs']} 件）", f"{d_en}: annual {t.money(a['oku_yen'])} ({a['programs']} programs)")
            bars.append(Bar(float(a["oku_yen"]), t.money_bar(a["oku_yen"], a["programs"]), tip))
        annual.append(Group(t.pair(d_ja, d_en), bars, t.one(f"足さない：{apart}", f"not added: {apart}") if apart else "", d_en))
        annual_rows.append([t.lang(d_ja, d_en), t.money_cell(a["oku_yen"] if a else None), _e(a["programs"] if a else None), _e(apart or None)])
        if "total" in mine:
            r = mine["total"]
            tip = t.slash(f"{d_ja}：総額 {r['oku_yen']} 億円（複数年）", f"{d_en}: total over years {t.money(r['oku_yen'])}")
            totals.append(Group(t.pair(d_ja, d_en), [Bar(float(r["oku_yen"]), t.money_bar(r["oku_yen"], r["programs"]), tip, "#76b7b2")], "", d_en))
            total_rows.append([t.lang(d_ja, d_en), t.money_cell(r["oku_yen"]), _e(r["programs"])])
    cja, cen = f"{ja}：単年度額（億円）", f"{en}: annual amounts ({'¥, ' if t.english else ''}億円)"
    svg = charts.hbars(chart_id, t.slash(cja, cen), annual, t.unit("単年度額の合計", "sum of annual amounts"), t.pair(y_ja, y_en),
                       [("#4e79a7", t.slash("単年度額", "annual amount"))], tick_label=t.tick)
    numbers = table(t, [(y_ja, y_en), ("単年度額の合計", "sum of annual amounts"), ("単年度額のある事業", "programs with an annual amount"),
                        ("足さない金額（種類 ×事業数）", "not added (kind × programs)")], annual_rows, (1, 2))
    out = figure(t, chart_id, cja, cen, svg, numbers)
    if totals:
        tja, ten = f"{ja}：総額（複数年、別に示す）", f"{en}: totals over years (shown apart)"
        svg = charts.hbars(chart_id + "-totals", t.slash(tja, ten), totals, t.unit("総額の合計（複数年）", "sum of totals over years"),
                           t.pair(y_ja, y_en), [("#76b7b2", t.slash("総額（複数年）", "total over years"))], tick_label=t.tick)
        numbers = table(t, [(y_ja, y_en), ("総額の合計（複数年）", "sum of totals over years"), ("事業", "programs")], total_rows, (1, 2))
        out += figure(t, chart_id + "-totals", tja, ten, svg, numbers)
    return f'<div class="figures">{out}</div>'


def money(q: Answers, t: Text) -> str:
    by_kind = q("money-by-kind")
    kinds = {r["amount_kind"]: (r["label_ja"], r["label_en"]) for r in by_kind}
    unknowns = {r["property"]: r for r in q("unknowns-by-property")}
    listed = table(t, [("金額の種類", "kind of amount"), ("事業", "programs"), ("合計", "sum")],
                   [[t.bi(r["label_ja"], r["label_en"]), _e(r["programs"]), t.money_cell(r["oku_yen"])] for r in by_kind], (1, 2))
    ministry = unknowns.get("ecograph:ministry", {}).get("resources") or "0"
    fy = unknowns.get("ecograph:fiscalYear", {}).get("resources") or "0"
    fund = kinds.get("fund", ("基金事業", "fund-based program"))
    explain = note(t, "単年度額と総額（複数年）は別々に合計し、互いに足さない。基金・出資金・税制・内数・記載なしは足せないので、棒の下に事業の数だけ示す"
                      f"（例：「{fund[0]} ×1」は{fund[0]} 1 件）。支援の種類はすべて解釈、「不明」は記録のない事業。所管省庁が不明な事業は {ministry} 件"
                      f"（図は所管を色で示し、色は失われた）。金額の年度は不明（{fy} 件）。棒の（n 件）は単年度額のある事業の数。",
                   "Annual amounts and totals over years are summed apart and never added together. Funds, investment programs, tax "
                   "measures, parts of a parent amount and programs with no amount cannot be added: they are only counted, below the bars "
                   f"(e.g. “{fund[1]} ×1” = one {fund[1]}). Every kind of support is an interpretation; “unknown” holds programs with none "
                   f"recorded. {ministry} programs have no known ministry (the chart colour-coded ministries, and the colours are lost). "
                   f"The fiscal year of the amounts is unknown ({fy} amounts). n is the number of programs with an annual amount."
                   + (" 1 億円 (oku yen) = ¥100 million; the axes are in ¥ billion." if t.english else ""))
    body = (_money_chart(q, t, kinds, "money-by-support-kind", "support_kind", "money-support-kind", "支援の種類ごとの金額", "Money by kind of support",
                         "支援の種類", "kind of support")
            + _money_chart(q, t, kinds, "money-by-ministry", "ministry", "money-ministry", "所管省庁ごとの金額", "Money by ministry", "所管省庁", "ministry")
            + explain + f"<h3 id=\"money-kinds\">{t.bi('金額の種類ごと', 'By kind of amount')}</h3>{box(listed, 'money-kinds')}"
            + sources(t, "money-by-support-kind", "money-by-ministry", "money-by-kind", "unknowns-by-property"))
    return section(t, "money", "金額（億円）", "Money (¥ and 億円)" if t.english else "Money (億円)", body)


def _vicle(count: str | None) -> str:
    return f" (ViCLE {count})" if count is not None else ""


def cicle(q: Answers, t: Text) -> str:
    rows = q("cicle-adoption")
    groups, no_vicle, data = [], [], []
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
        data.append([t.lang(f"第{r['round']}回", f"round {r['round']}"), _e(r["fiscal_year"]), _e(apps), _e(av), _e(adopted), _e(dv), _e(r["adoption_pct"])])
    legend = [(KIND_COLOURS["applications"][0], t.slash("応募", "applications")), (KIND_COLOURS["applications"][1], t.slash("うち ViCLE", "of which ViCLE")),
              (KIND_COLOURS["adopted"][0], t.slash("採択", "adopted")), (KIND_COLOURS["adopted"][1], t.slash("うち ViCLE", "of which ViCLE"))]
    ja, en = "CiCLE：公募回ごとの応募→採択", "CiCLE: applications → adopted per round"
    svg = charts.hbars("cicle-funnel", t.slash(ja, en), groups, t.pair("課題数（件）", "number of projects"), t.pair("公募回（年度）", "round (fiscal year)"), legend)
    numbers = table(t, [("公募回", "round"), ("年度", "fiscal year"), ("応募", "applications"), ("うち ViCLE", "of which ViCLE"), ("採択", "adopted"),
                        ("うち ViCLE", "of which ViCLE"), ("採択率（%）", "adoption rate (%)")], data, (1, 2, 3, 4, 5, 6))
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
    explain = note(t, "".join(a for a, _ in lines), "".join(b for _, b in lines))
    return section(t, "cicle", "CiCLE の応募と採択", "CiCLE: applications and adoptions",
                   figure(t, "cicle-funnel", ja, en, svg, numbers) + explain + sources(t, "cicle-adoption"))


def aimgain(q: Answers, t: Text) -> str:
    rows = q("aimgain-trend")
    groups, planned, growth, data = [], [], [], []
    for r in rows:
        apps, adopted = r["applications"], r["adopted"]
        if apps is None:
            planned.append(f"{r['call']} ({r['opened']})")
        if r["applications_growth_pct"] is not None:
            growth.append(f"{r['call']}: {r['applications_growth_pct']}%")
        bars = [Bar(float(apps) if apps else None, apps or "?", t.slash(f"申請 {apps or '不明'} 件", f"applications {apps or 'unknown'}"), "#9ecae1"),
                Bar(float(adopted) if adopted else None, adopted or "?", t.slash(f"採択 {adopted or '不明'} 件", f"adopted {adopted or 'unknown'}"), "#e6550d")]
        rate = f"{r['adoption_pct']}%" if r["adoption_pct"] else t.one("予定", "planned")
        groups.append(Group(t.pair(f"第{r['call']}次", f"call {r['call']}") + [r["opened"] or ""], bars, rate, r["call"]))
        data.append([t.lang(f"第{r['call']}次", f"call {r['call']}"), _e(r["opened"]), _e(apps or t.one("不明", "unknown")),
                     _e(adopted or t.one("不明", "unknown")), _e(r["adoption_pct"]), _e(r["applications_growth_pct"])])
    ja, en = "AIMGAIN：公募ごとの申請と採択", "AIMGAIN: applications and adoptions per call"
    svg = charts.vbars("aimgain-trend", t.slash(ja, en), groups, t.pair("公募（開始年月）、下段は採択率", "call (month opened); below, the adoption rate"),
                       t.pair("件数", "number of proposals"),
                       [("#9ecae1", t.slash("申請", "applications")), ("#e6550d", t.slash("採択", "adopted")), ("none", t.slash("不明", "unknown"))])
    numbers = table(t, [("公募", "call"), ("開始年月", "month opened"), ("申請", "applications"), ("採択", "adopted"), ("採択率（%）", "adoption rate (%)"),
                        ("前の公募からの申請数の伸び（%）", "growth in applications from the previous call (%)")], data, (2, 3, 4, 5))
    explain = note(t, f"前の公募からの申請数の伸び：{', '.join(growth)}。数が不明な公募（予定）：{', '.join(planned) or 'なし'}。破線の「?」は不明で、0 ではない。",
                   f"Growth in applications from the previous call: {', '.join(growth)}. Calls whose figures are unknown (planned): "
                   f"{', '.join(planned) or 'none'}. A dashed “?” is unknown, not 0.")
    return section(t, "aimgain", "AIMGAIN の推移", "AIMGAIN trend", figure(t, "aimgain-trend", ja, en, svg, numbers) + explain + sources(t, "aimgain-trend"))


def gap_list(q: Answers, t: Text) -> str:
    gaps = q("gaps-stakeholder-phase")
    by_stakeholder: dict[tuple, list] = {}
    for r in gaps:
        by_stakeholder.setdefault((r["stakeholder_ja"], r["stakeholder_en"]), []).append((r["phase_ja"], r["phase_en"]))
    cells = table(t, [("ステークホルダー", "stakeholder"), ("事業のないフェーズ", "phases with no program")],
                  [[t.bi(*s), '<ul class="cell">' + "".join(f"<li>{t.bi(*p)}</li>" for p in phases) + "</ul>"] for s, phases in by_stakeholder.items()])
    milestones = "".join(f"<li>{t.bi(r['milestone_ja'], r['milestone_en'])} <small>({escape(r['milestone_row'] or '—')})</small></li>"
                         for r in q("gaps-milestones"))
    groups = q("coverage-issue-groups")
    issue_rows = [[t.bi(r["group_ja"], r["group_en"]), _e(r["issues"]), _e(r["programs"]),
                   '<span class="gap">' + t.lang("空白", "gap") + "</span>" if r["gap"] == "true" else t.lang("事業あり", "addressed")] for r in groups]
    open_groups = [r["group_en"] for r in groups if r["gap"] == "true"]
    issues = [r["position"] for r in q("coverage-hearing-issues") if r["gap"] == "true"]
    body = (f"<h3 id=\"gap-cells\">{t.bi('事業のないステークホルダー×フェーズ', 'Stakeholder × phase cells with no program')} ({len(gaps)})</h3>"
            + box(cells, "gap-cells")
            + f"<h3>{t.bi('事業のないマイルストーン', 'Milestones with no program')}</h3><ul>{milestones}</ul>"
            f"<h3 id=\"issue-groups\">{t.bi('ヒアリング課題の分類と応える事業（解釈）', 'Hearing-issue groups and the programs addressing them (interpretation)')}</h3>"
            + box(table(t, [("分類", "group"), ("課題", "issues"), ("事業", "programs"), ("空白か", "gap?")], issue_rows, (1, 2)), "issue-groups")
            + note(t, f"事業のない分類：{', '.join(open_groups) or 'なし'}。事業のない課題：{', '.join(issues) or 'なし'}。どの事業が課題に応えるかは出典になく、"
                      "支援の種類の対応表と支援の記載行の言葉から導いた解釈。空白は記録された事業がないことで、事業が存在しないことではない。",
                   f"Groups with no program: {', '.join(open_groups) or 'none'}. Issues with no program: {', '.join(issues) or 'none'}. Which "
                   "program addresses which issue is not in the source: it is derived (an interpretation) from a table of kinds of support and "
                   "the words of the support lines. A gap means no program is recorded, not that none exists.")
            + sources(t, "gaps-stakeholder-phase", "gaps-milestones", "coverage-issue-groups", "coverage-hearing-issues"))
    return section(t, "gaps", "空白の一覧", "Gap list", body)


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
    body = note(t, f"この報告は layer=all（記載された事実と解釈）を使う。layer=stated（事実のみ）では：ステークホルダー×フェーズの {len(cov)} マスのうち事業のあるマスは {filled}"
                   f"{why[0]}、空白は {gaps[0]} マス（all では {gaps[1]}）。事業のないマイルストーンは {miles[0]}（all では {miles[1]}）。"
                   f"事業のない課題の分類：{ja(groups, 'なし')}。支援の種類：{ja(kinds, 'なし')}。所管省庁が分かる事業の省庁：{ja(ministries, 'なし')}。",
                f"This report uses layer=all (stated facts and interpretations). With layer=stated (facts only): of the {len(cov)} stakeholder × "
                f"phase cells, {filled} have a program{why[1]}, so {gaps[0]} cells are gaps ({gaps[1]} with all); "
                f"{miles[0]} milestones have no program ({miles[1]} with all); issue groups with no program: {en(groups, 'none')}; "
                f"kinds of support: {en(kinds, 'none')}; ministries known: {en(ministries, 'none')}.")
    return section(t, "layers", "記載と解釈", "Stated vs interpreted", body + sources(
        t, "coverage-stakeholder-phase", "gaps-stakeholder-phase", "gaps-milestones", "coverage-issue-groups", "money-by-support-kind",
        "money-by-ministry", layer="stated"))


def site_header(order: tuple[str, str]) -> tuple[str, str]:
    """The site's navigation, the one every page of the server shows (ecograph/http/pages.py: site_nav), and its CSS.

    Its links are relative ("./queries", "?lang=en"): /report sits at the server's root, so they work behind a
    script root, and the file `ecograph report` writes holds the very same links (issue 16). It is called here, not
    in http/report.py, so that the CLI's page and the server's stay the same bytes."""
    from ecograph.http.pages import NAV_STYLE, Html, site_nav  # pure HTML functions, no Flask

    return site_nav(Html(order, "."), "/report"), NAV_STYLE


def render(settings: Settings, lang_order: tuple[str, str] = ("ja", "en")) -> str:
    """The report as one HTML page, the first language of lang_order first. Runs the named queries on the release."""
    q, t = Answers(settings), Text(lang_order)
    release = settings.dist.resolve().name
    title = t.slash("創薬支援エコシステム：カバレッジと空白", "Drug-discovery support: coverage and gaps")
    intro = note(t, "出典：第1回イノベーション・エコシステム協議会 資料1-1（内閣府・AMED、2025-05-28）。図の数はすべて名前付きクエリの答え（各図の下に名前とリンク、"
                    "数は各図の「データ表」にも）。金額の単位は億円（1 億円＝10^8 円）。",
                 "Source: 資料1-1 of the first Innovation Ecosystem Council (Cabinet Office and AMED, 2025-05-28). Every figure is the answer "
                 "of a named query (named and linked under each chart; each chart's numbers are also in its “data table”). "
                 + ("Amounts are in yen and in 億円 (oku yen), the source's unit: 1 億円 = ¥100 million (10^8 yen)." if t.english
                    else "億円 (oku yen) is the unit of 10^8 yen."))
    body = "".join(f(q, t) for f in (coverage, money, cicle, aimgain, gap_list, layers))
    header, header_style = site_header(lang_order)
    footer = f'<footer><p class="src">ecograph release <code>{escape(release)}</code> · CC BY 4.0</p></footer>'
    return (f'<!DOCTYPE html>\n<html lang="{lang_order[0]}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
            f"<style>{STYLE}\n{header_style}</style></head><body>{header}<main>"
            f'<h1>{t.bi("創薬支援エコシステム：カバレッジと空白", "Drug-discovery support: coverage and gaps")}</h1>'
            f"{intro}{contents_nav(t, list(SECTIONS))}{body}</main>{footer}</body></html>\n")
