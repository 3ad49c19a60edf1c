"""The coverage, gap, money, program, plan and data-quality queries (issue 4) answer what the source says.

Every expected value below was worked out by hand from the source text (../shared/seed/000_fa29c3d7c180337a.txt)
and the data files, not copied from a query's output; the comments say how. The whole-table answers of the
numeric queries are in tests/expected/<name>.csv (test_queries.py also runs them through the CLI); the
derivation of those figures is written next to the test of each query here.

Facts the derivations use, read from the data:

* Stakeholder → programs (slide 11; the line's stakeholder is an interpretation, data/interpreted/stakeholders.ttl;
  plus the audiences the text states: ① academia and startup, ⑩ startup, ⑬ startup and VC):
    academia   lines 1–3            ① ② ③ ④ ⑤                      (+ ① stated)
    startup    lines 4, 5, 9–11     ⑥ ⑦a ⑦b ⑧ ⑩ ⑫ ⑬ ⑭ ⑮ ⑨ ㉜ ㉘ ㉖a ㉖b ㉗  (+ ① ⑩ ⑬ stated)  = 16 programs
    pmda       lines 6–8            ㉓ ㉔ ㉕
    pharma     lines 12, 21, 23     ⑩ ㉛a ㉛b ㉚
    cdmo-cmo   lines 13–15          ㉑ ⑳ ㉒ ⑯
    trial-site lines 16–19          ⑨ ⑰ ⑱ ⑲
    cro        line 20              ⑩
    vc         lines 22, 24         ㉙ ⑪                           (+ ⑬ stated)
    accelerator                     none
* Program → phases (all interpretations, data/interpreted/programs.ttl; BA basic-applied, PC preclinical,
  CM clinical-manufacturing, AM approval-market): ① BA PC; ②③④⑤ BA; ⑥ BA PC; ⑦a BA PC CM; ⑦b BA PC;
  ⑧ BA PC CM; ⑨ CM; ⑩ PC CM; ⑬ PC CM; ⑯⑰⑱⑲⑳㉑㉒ CM; ㉓ CM AM; ㉔ PC CM; ㉕ CM AM; the others (⑪⑫⑭⑮㉖a㉖b㉗㉘–㉜)
  none (unknown).
* Amounts (slide 10, 億円): annual ② 30, ③ 58, ④ 15, ⑤ 36, ⑦a 54, ⑧ 92, ⑨ 32, ⑫ 30, ⑭ 70, ⑮ 9.3,
  ⑯ 1.4,
  ⑰ 5.9, ⑱ 7.9, ⑲ 2.7, ⑳ 3.5, ㉒ 39, ㉓ 1.2, ㉔ 0.6, ㉕ 1, ㉖a 2.5 (20 programs, 492 in all); total ㉑ 383;
  part-of ⑥ (of 35), ㉖b (of 44); fund ① ⑦b ⑬; investment ⑩; tax ㉘ ㉙ ㉚ ㉛a ㉛b ㉜; none written ⑪ ㉗.
* Ministries: stated ⑦b MEXT (slide 5, 大学発医療系スタートアップ支援プログラム（文部科学省）); interpreted
  ① ⑩ Cabinet Office, ⑬ METI; the other 31 unknown (colours lost).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from ecograph.engine import local
from ecograph.errors import UsageError
from ecograph.queries import catalogue, run, run_named
from ecograph.settings import PROJECT_ROOT

ID = "https://w3id.org/ecograph/id/"
ECO = "https://w3id.org/ecograph/ontology#"

# The queries of issue 4, and which of them take the layer parameter.
LAYERED = [
    "coverage-stakeholder-phase", "gaps-stakeholder-phase", "coverage-program-phase", "coverage-program-milestone",
    "gaps-milestones", "coverage-stakeholder-ministry", "gaps-single-ministry", "money-by-ministry", "money-by-phase",
    "money-by-support-kind", "coverage-issue-groups", "coverage-hearing-issues", "plan-targets",
]
UNLAYERED = [
    "money-by-kind", "support-finder", "support-finder-milestone", "cicle-adoption", "cicle-outcomes", "cicle-covid-tracks",
    "aimgain-trend", "unknowns-by-property", "interpretations-by-property", "facts-per-slide",
]
NEW = LAYERED + UNLAYERED

# The phases in order, and the 9 × 4 cells of the stakeholder × phase grid.
PHASES = ["basic-applied", "preclinical", "clinical-manufacturing", "approval-market"]
STAKEHOLDERS = ["academia", "accelerator", "cdmo-cmo", "cro", "pharma", "pmda", "startup", "trial-site", "vc"]


def table(settings, name: str, **params) -> list[dict[str, str | None]]:
    """A named query's rows as dicts of plain values (None where unbound)."""
    return run_named(name, params, settings).values()


def key(iri: str | None) -> str | None:
    """The last segment of an instance IRI (stakeholder/startup → startup)."""
    return None if iri is None else iri.rsplit("/", 1)[-1]


def num(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


# ---------------------------------------------------------------- headers, parameters, layers

@pytest.mark.parametrize("name", NEW)
def test_header_has_titles_and_descriptions_in_both_languages(name, built_settings):
    q = catalogue(built_settings)[name]
    assert q.title.get("en") and q.title.get("ja"), name
    assert q.description.get("en") and q.description.get("ja"), name
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", q.title["ja"] + q.description["ja"]), "the ja texts are Japanese"
    for p in q.params:
        assert p.description, f"{name}: parameter {p.name} needs a meaning"


@pytest.mark.parametrize("name", LAYERED)
def test_layered_queries_take_layer_with_default_all(name, built_settings):
    """`layer` is the engine's (engine/job.py), not a parameter of the query: no FILTER of the query picks graphs, and
    the query shows the layer it ran over as ?layer."""
    query = catalogue(built_settings)[name]
    assert "layer" not in {p.name for p in query.params}
    assert not re.search(r"\?layer\s*=", query.text), "a FILTER of the query picks the layer's graphs"
    # the default is all: the same answer as asking for it
    assert table(built_settings, name) == table(built_settings, name, layer="all")
    for layer in ("stated", "interpreted", "inferred", "all"):
        assert {r["layer"] for r in table(built_settings, name, layer=layer)} <= {layer}
    with pytest.raises(UsageError, match="unknown layer 'dreamt'"):
        run_named(name, {"layer": "dreamt"}, built_settings)


@pytest.mark.parametrize("name", [n for n in LAYERED if n != "plan-targets"])
def test_stated_layer_differs_from_all(name, built_settings):
    """Every layered query leans on interpretations somewhere, so facts alone give another answer."""
    def strip(rows):
        return [{k: v for k, v in r.items() if k != "layer"} for r in rows]

    assert strip(table(built_settings, name, layer="stated")) != strip(table(built_settings, name))


def test_gap_queries_scale_without_correlated_not_exists():
    """The issue: MINUS or aggregation with a zero check, never a correlated FILTER NOT EXISTS over a join."""
    for path in (PROJECT_ROOT / "queries").glob("gaps-*.rq"):
        text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#"))
        assert "NOT EXISTS" not in text.upper(), path.name
        assert "MINUS" in text or "HAVING" in text, path.name


def test_support_finder_defaults_are_startup_and_preclinical(built_settings):
    params = {p.name: (p.type, p.default) for p in catalogue(built_settings)["support-finder"].params}
    assert params == {"stakeholder": ("iri", "stakeholder:startup"), "phase": ("iri", "phase:preclinical")}
    assert table(built_settings, "support-finder") == table(
        built_settings, "support-finder", stakeholder=ID + "stakeholder/startup", phase="phase:preclinical")
    with pytest.raises(UsageError, match="must be an IRI"):
        run_named("support-finder", {"phase": "preclinical phase"}, built_settings)


# ---------------------------------------------------------------- coverage and gaps: stakeholder × phase

# Non-empty cells with layer=all: (programs, annual 億円, programs without an annual amount), from the tables in the
# module docstring. Examples: academia × basic-applied = ①②③④⑤, annual 30+58+15+36 = 139, ① is a fund (1 without);
# startup × preclinical = ① ⑥ ⑦a ⑦b ⑧ ⑩ ⑬, annual ⑦a 54 + ⑧ 92 = 146, the other 5 have no annual figure;
# startup × clinical = ⑦a ⑧ ⑨ ⑩ ⑬, 54+92+32 = 178; CDMO × clinical = ⑯ ⑳ ㉑ ㉒, 1.4+3.5+39 = 43.9 (㉑ is a total);
# trial sites × clinical = ⑨ ⑰ ⑱ ⑲, 32+5.9+7.9+2.7 = 48.5; PMDA × clinical = ㉓ ㉔ ㉕, 1.2+0.6+1 = 2.8.
COVERAGE_ALL = {
    ("academia", "basic-applied"): (5, "139", 1),
    ("academia", "preclinical"): (1, "0", 1),          # ① only, a fund
    ("cdmo-cmo", "clinical-manufacturing"): (4, "43.9", 1),
    ("cro", "preclinical"): (1, "0", 1),               # ⑩, an investment program
    ("cro", "clinical-manufacturing"): (1, "0", 1),
    ("pharma", "preclinical"): (1, "0", 1),            # ⑩ (㉚ ㉛ have no phase)
    ("pharma", "clinical-manufacturing"): (1, "0", 1),
    ("pmda", "preclinical"): (1, "0.6", 0),            # ㉔
    ("pmda", "clinical-manufacturing"): (3, "2.8", 0),
    ("pmda", "approval-market"): (2, "2.2", 0),        # ㉓ 1.2 + ㉕ 1
    ("startup", "basic-applied"): (5, "146", 3),       # ① ⑥ ⑦a ⑦b ⑧
    ("startup", "preclinical"): (7, "146", 5),
    ("startup", "clinical-manufacturing"): (5, "178", 2),
    ("trial-site", "clinical-manufacturing"): (4, "48.5", 0),
    ("vc", "preclinical"): (1, "0", 1),                # ⑬, a fund (㉙ ⑪ have no phase)
    ("vc", "clinical-manufacturing"): (1, "0", 1),
}


def test_coverage_stakeholder_phase_all(built_settings):
    rows = table(built_settings, "coverage-stakeholder-phase")
    assert list(rows[0])[:4] == ["stakeholder_en", "phase_en", "programs", "annual_oku_yen"]
    cells = {(key(r["stakeholder"]), key(r["phase"])):
             (int(r["programs"]), num(r["annual_oku_yen"]), int(r["programs_without_annual"])) for r in rows}
    assert len(rows) == 36 and set(cells) == {(s, p) for s in STAKEHOLDERS for p in PHASES}
    for cell, value in cells.items():
        programs, annual, without = COVERAGE_ALL.get(cell, (0, "0", 0))
        assert value == (programs, Decimal(annual), without), cell
    # labels as written in the code lists
    first = rows[0]
    assert (first["stakeholder_en"], first["phase_en"], first["stakeholder_ja"], first["phase_ja"]) == \
        ("academia", "basic and applied research", "アカデミア", "基礎・応用研究")


def test_coverage_stakeholder_phase_stated_is_empty(built_settings):
    """The text states no program's phase (every ecograph:phase is an interpretation), so facts alone cover no cell."""
    rows = table(built_settings, "coverage-stakeholder-phase", layer="stated")
    assert len(rows) == 36
    assert {(r["programs"], r["annual_oku_yen"]) for r in rows} == {("0", "0")}


def test_gaps_stakeholder_phase(built_settings):
    rows = table(built_settings, "gaps-stakeholder-phase")
    assert list(rows[0])[:2] == ["stakeholder_en", "phase_en"]
    gaps = [(key(r["stakeholder"]), key(r["phase"])) for r in rows]
    # the 36 cells minus the 16 covered ones: 20 gaps, in stakeholder-key and phase order
    assert gaps == [
        ("academia", "clinical-manufacturing"), ("academia", "approval-market"),
        ("accelerator", "basic-applied"), ("accelerator", "preclinical"), ("accelerator", "clinical-manufacturing"),
        ("accelerator", "approval-market"),
        ("cdmo-cmo", "basic-applied"), ("cdmo-cmo", "preclinical"), ("cdmo-cmo", "approval-market"),
        ("cro", "basic-applied"), ("cro", "approval-market"),
        ("pharma", "basic-applied"), ("pharma", "approval-market"),
        ("pmda", "basic-applied"),
        ("startup", "approval-market"),
        ("trial-site", "basic-applied"), ("trial-site", "preclinical"), ("trial-site", "approval-market"),
        ("vc", "basic-applied"), ("vc", "approval-market"),
    ]
    assert set(gaps) == {(s, p) for s in STAKEHOLDERS for p in PHASES} - set(COVERAGE_ALL)
    assert (rows[0]["stakeholder_en"], rows[0]["phase_en"]) == ("academia", "clinical trials and manufacturing")
    # facts only: every cell is a gap
    assert len(table(built_settings, "gaps-stakeholder-phase", layer="stated")) == 36


@pytest.mark.parametrize("layer", ["stated", "all"])
def test_gaps_are_the_empty_cells_of_the_coverage(layer, built_settings):
    coverage = table(built_settings, "coverage-stakeholder-phase", layer=layer)
    gaps = table(built_settings, "gaps-stakeholder-phase", layer=layer)
    assert {(r["stakeholder"], r["phase"]) for r in coverage if r["programs"] == "0"} == {(r["stakeholder"], r["phase"]) for r in gaps}


# ---------------------------------------------------------------- support finder

def test_support_finder_startup_preclinical(built_settings):
    rows = table(built_settings, "support-finder")
    assert list(rows[0])[:5] == ["program_number", "name_en", "amount_oku_yen", "amount_kind", "stated"]
    got = [(r["program_key"], r["amount_oku_yen"], r["amount_kind"], r["stated"], r["stakeholder_stated"], r["ministry_en"])
           for r in rows]
    # startup programs (docstring) whose phases include preclinical: ① ⑥ ⑦a ⑦b ⑧ ⑩ ⑬. No phase is stated, so stated is
    # false everywhere; the startup link is stated for ① (slide 7: call 3 is スタートアップ), ⑩ (※1 ViCLE) and ⑬
    # (slide 6: 創薬ベンチャー). ⑥ shows its parent's 35 as in the programs query, with kind part-of.
    mext = "Ministry of Education, Culture, Sports, Science and Technology (MEXT)"
    meti = "Ministry of Economy, Trade and Industry (METI)"
    assert got == [
        ("1", None, "fund", "false", "true", "Cabinet Office"),
        ("6", "35", "part-of", "false", "false", None),
        ("7a", "54", "annual", "false", "false", None),
        ("7b", None, "fund", "false", "false", mext),
        ("8", "92", "annual", "false", "false", None),
        ("10", None, "investment", "false", "true", "Cabinet Office"),
        ("13", None, "fund", "false", "true", meti),
    ]
    assert rows[3]["ministry_stated"] == "true" and rows[0]["ministry_stated"] == "false"  # ⑦b stated; ① interpreted
    assert rows[0]["name_en"].endswith("(AIMGAIN)") and rows[0]["program_number"] == "1"


@pytest.mark.parametrize("stakeholder, phase, expected", [
    ("stakeholder:academia", "phase:basic-applied", ["1", "2", "3", "4", "5"]),   # slide 11 line 1–2 and ① stated
    ("stakeholder:pmda", "phase:approval-market", ["23", "25"]),                 # ㉓ ㉕ span approval
    ("stakeholder:trial-site", "phase:clinical-manufacturing", ["9", "17", "18", "19"]),
    ("stakeholder:vc", "phase:clinical-manufacturing", ["13"]),                  # ⑬ stated audience VC; ㉙ ⑪ have no phase
    ("stakeholder:accelerator", "phase:preclinical", []),                       # no program for accelerators at all
    ("stakeholder:startup", "phase:approval-market", []),                       # the startup gap
])
def test_support_finder_other_cells(stakeholder, phase, expected, built_settings):
    rows = table(built_settings, "support-finder", stakeholder=stakeholder, phase=phase)
    assert [r["program_key"] for r in rows] == expected
    assert all(r["stated"] == "false" for r in rows)


@pytest.mark.parametrize("stakeholder, milestone, expected", [
    ("stakeholder:startup", "milestone:series-a", ["13"]),   # the default: ⑬ around Series A/B (interpretation)
    ("stakeholder:startup", "milestone:founding", ["7b"]),   # ⑦b university startups
    ("stakeholder:vc", "milestone:founding", ["29"]),        # ㉙ angel tax, line 22 (VC)
    ("stakeholder:pmda", "milestone:approval", ["23", "25"]),
    ("stakeholder:startup", "milestone:ipo", []),
])
def test_support_finder_by_milestone(stakeholder, milestone, expected, built_settings):
    rows = table(built_settings, "support-finder-milestone", stakeholder=stakeholder, milestone=milestone)
    assert [r["program_key"] for r in rows] == expected
    assert all(r["stated"] == "false" and r["milestone_stated"] == "false" for r in rows)


def test_support_finder_milestone_default(built_settings):
    rows = table(built_settings, "support-finder-milestone")
    got = [(r["program_number"], r["amount_kind"], r["stated"], r["stakeholder_stated"]) for r in rows]
    assert got == [("13", "fund", "false", "true")]


# ---------------------------------------------------------------- program × phase, program × milestone, milestone gaps

# Transcribed from data/interpreted/programs.ttl (the bars of slide 10 read as phases); every link is "interpreted".
PROGRAM_PHASES = {
    "1": "BA PC", "2": "BA", "3": "BA", "4": "BA", "5": "BA", "6": "BA PC", "7a": "BA PC CM", "7b": "BA PC",
    "8": "BA PC CM", "9": "CM", "10": "PC CM", "13": "PC CM", "16": "CM", "17": "CM", "18": "CM", "19": "CM",
    "20": "CM", "21": "CM", "22": "CM", "23": "CM AM", "24": "PC CM", "25": "CM AM",
}
ABBR = {"basic_applied": "BA", "preclinical": "PC", "clinical_manufacturing": "CM", "approval_market": "AM"}


def test_coverage_program_phase(built_settings):
    rows = table(built_settings, "coverage-program-phase")
    assert len(rows) == 35  # ① to ㉜ with ⑦ ㉖ ㉛ split
    assert [r["program_key"] for r in rows][:9] == ["1", "2", "3", "4", "5", "6", "7a", "7b", "8"]
    for r in rows:
        spans = [ABBR[c] for c in ABBR if r[c] == "interpreted"]
        assert all(r[c] in ("", "interpreted") for c in ABBR), r
        assert " ".join(spans) == PROGRAM_PHASES.get(r["program_key"], ""), r["program_key"]
        assert int(r["phases"]) == len(spans)
    # 22 programs have phases (34 links); 13 have none, as data/unknowns.ttl lists 13 unknown phases
    assert sum(int(r["phases"]) for r in rows) == 34 and sum(r["phases"] == "0" for r in rows) == 13
    stated = table(built_settings, "coverage-program-phase", layer="stated")
    assert {r["phases"] for r in stated} == {"0"} and len(stated) == 35


def test_coverage_program_milestone(built_settings):
    rows = table(built_settings, "coverage-program-milestone")
    # data/interpreted/programs.ttl: ⑦b founding, ⑬ Series A and B, ⑱ FIH, ㉓ ㉕ approval, ㉙ founding
    assert [(r["program_key"], key(r["milestone"]), r["milestone_row"], r["stated"]) for r in rows] == [
        ("7b", "founding", "business", "false"),
        ("13", "series-a", "business", "false"),
        ("13", "series-b", "business", "false"),
        ("18", "fih", "drug-discovery", "false"),
        ("23", "approval", "drug-discovery", "false"),
        ("25", "approval", "drug-discovery", "false"),
        ("29", "founding", "business", "false"),
    ]
    assert table(built_settings, "coverage-program-milestone", layer="stated") == []


def test_gaps_milestones(built_settings):
    rows = table(built_settings, "gaps-milestones")
    # 12 milestones (6 drug-discovery, 5 business, LO) minus the 5 with a program (FIH, approval, founding, Series A, B)
    assert [(key(r["milestone"]), r["milestone_row"], r["position"]) for r in rows] == [
        ("candidate-selected", "drug-discovery", "1"), ("nonclinical-poc", "drug-discovery", "2"),
        ("clinical-poc", "drug-discovery", "4"), ("process-validation", "drug-discovery", "5"),
        ("ipo", "business", "4"), ("profitable", "business", "5"),
        ("licence-out", "", None),  # LO: its place in the rows is unknown (data/unknowns.ttl)
    ]
    assert rows[0]["milestone_ja"] == "開発品決定"
    stated = table(built_settings, "gaps-milestones", layer="stated")
    assert len(stated) == 12  # no milestone link is stated


# ---------------------------------------------------------------- stakeholder × ministry

def test_coverage_stakeholder_ministry(built_settings):
    rows = table(built_settings, "coverage-stakeholder-ministry")
    assert len(rows) == 36  # 9 stakeholders × 4 ministries
    nonzero = {(key(r["stakeholder"]), key(r["ministry"])): int(r["programs"]) for r in rows if r["programs"] != "0"}
    # ① (CO) serves academia and startup; ⑩ (CO) startup, pharma (line 12), CRO (line 20); ⑦b (MEXT) startup;
    # ⑬ (METI) startup and VC
    assert nonzero == {("academia", "cabinet-office"): 1, ("cro", "cabinet-office"): 1, ("pharma", "cabinet-office"): 1,
                       ("startup", "cabinet-office"): 2, ("startup", "meti"): 1, ("startup", "mext"): 1, ("vc", "meti"): 1}
    totals = {key(r["stakeholder"]): (int(r["stakeholder_programs"]), int(r["programs_ministry_unknown"])) for r in rows}
    # programs per stakeholder (docstring) and those among them without ministry
    assert totals == {"academia": (5, 4), "accelerator": (0, 0), "cdmo-cmo": (4, 4), "cro": (1, 0), "pharma": (4, 3),
                      "pmda": (3, 3), "startup": (16, 12), "trial-site": (4, 4), "vc": (3, 2)}
    # facts only: the one stated ministry (⑦b) reaches its stakeholder through an interpreted line, so nothing is counted;
    # the stated audiences give academia ①, startup ① ⑩ ⑬, VC ⑬, none of them with a stated ministry
    stated = table(built_settings, "coverage-stakeholder-ministry", layer="stated")
    assert {r["programs"] for r in stated} == {"0"}
    assert {key(r["stakeholder"]): (r["stakeholder_programs"], r["programs_ministry_unknown"]) for r in stated
            if r["stakeholder_programs"] != "0"} == {"academia": ("1", "1"), "startup": ("3", "3"), "vc": ("1", "1")}


def test_gaps_single_ministry(built_settings):
    rows = table(built_settings, "gaps-single-ministry")
    # from the table above: academia, CRO and pharma see only the Cabinet Office (① or ⑩), VC only METI (⑬);
    # the startup sees three ministries; the others no known ministry
    assert [(key(r["stakeholder"]), key(r["ministry"]), r["programs"], r["programs_ministry_unknown"],
             r["stakeholder_programs"]) for r in rows] == [
        ("academia", "cabinet-office", "1", "4", "5"),
        ("cro", "cabinet-office", "1", "0", "1"),
        ("pharma", "cabinet-office", "1", "3", "4"),
        ("vc", "meti", "1", "2", "3"),
    ]
    assert table(built_settings, "gaps-single-ministry", layer="stated") == []


# ---------------------------------------------------------------- money

def test_money_by_kind(built_settings):
    """tests/expected/money-by-kind.csv: annual 20 programs, 30+58+15+36+54+92+32+30+70+9.3+1.4+5.9+7.9+2.7+3.5+39+1.2
    +0.6+1+2.5 = 492 億円; total ㉑ 383; part-of ⑥ ㉖b; fund ① ⑦b ⑬; investment ⑩; tax ㉘ ㉙ ㉚ ㉛a ㉛b ㉜; none ⑪ ㉗."""
    rows = table(built_settings, "money-by-kind")
    assert list(rows[0])[:3] == ["amount_kind", "programs", "oku_yen"]
    assert [(r["amount_kind"], r["programs"], r["oku_yen"]) for r in rows] == [
        ("annual", "20", "492"), ("total", "1", "383"), ("part-of", "2", None), ("fund", "3", None),
        ("investment", "1", None), ("tax", "6", None), ("none", "2", None),
    ]
    assert sum(int(r["programs"]) for r in rows) == 35  # every program resource once


def money(settings, name, **params):
    column = name.split("money-by-")[1].replace("-", "_")
    return {(key(r[column]) or "unknown", r["amount_kind"]): (r["programs"], r["oku_yen"]) for r in table(settings, name, **params)}


def test_money_by_ministry(built_settings):
    # ① fund and ⑩ investment (Cabinet Office), ⑬ fund (METI), ⑦b fund (MEXT); the 31 others have no ministry, and
    # with them every annual amount (492), the total (383), both parts, the tax measures and ⑪ ㉗
    assert money(built_settings, "money-by-ministry") == {
        ("cabinet-office", "fund"): ("1", None), ("cabinet-office", "investment"): ("1", None),
        ("meti", "fund"): ("1", None), ("mext", "fund"): ("1", None),
        ("unknown", "annual"): ("20", "492"), ("unknown", "total"): ("1", "383"), ("unknown", "part-of"): ("2", None),
        ("unknown", "tax"): ("6", None), ("unknown", "none"): ("2", None),
    }
    # facts only: ⑦b's MEXT stays, ① ⑩ ⑬ move to unknown
    assert money(built_settings, "money-by-ministry", layer="stated") == {
        ("mext", "fund"): ("1", None),
        ("unknown", "annual"): ("20", "492"), ("unknown", "total"): ("1", "383"), ("unknown", "part-of"): ("2", None),
        ("unknown", "fund"): ("2", None), ("unknown", "investment"): ("1", None), ("unknown", "tax"): ("6", None),
        ("unknown", "none"): ("2", None),
    }


def test_money_by_phase(built_settings):
    # BA: ② ③ ④ ⑤ ⑦a ⑧ annual 30+58+15+36+54+92 = 285, ① ⑦b fund, ⑥ part
    # PC: ⑦a ⑧ ㉔ 54+92+0.6 = 146.6, ① ⑦b ⑬ fund, ⑥ part, ⑩ investment
    # CM: ⑦a ⑧ ⑨ ⑯ ⑰ ⑱ ⑲ ⑳ ㉒ ㉓ ㉔ ㉕ 54+92+32+1.4+5.9+7.9+2.7+3.5+39+1.2+0.6+1 = 241.2, ㉑ total 383, ⑬ fund, ⑩ investment
    # AM: ㉓ ㉕ 1.2+1 = 2.2; unknown phase: ⑫ ⑭ ⑮ ㉖a 30+70+9.3+2.5 = 111.8, ㉖b part, six tax measures, ⑪ ㉗
    rows = table(built_settings, "money-by-phase")
    assert [(key(r["phase"]) or "unknown", r["amount_kind"], r["programs"], r["oku_yen"]) for r in rows] == [
        ("basic-applied", "annual", "6", "285"), ("basic-applied", "part-of", "1", None), ("basic-applied", "fund", "2", None),
        ("preclinical", "annual", "3", "146.6"), ("preclinical", "part-of", "1", None), ("preclinical", "fund", "3", None),
        ("preclinical", "investment", "1", None),
        ("clinical-manufacturing", "annual", "12", "241.2"), ("clinical-manufacturing", "total", "1", "383"),
        ("clinical-manufacturing", "fund", "1", None), ("clinical-manufacturing", "investment", "1", None),
        ("approval-market", "annual", "2", "2.2"),
        ("unknown", "annual", "4", "111.8"), ("unknown", "part-of", "1", None), ("unknown", "tax", "6", None),
        ("unknown", "none", "2", None),
    ]
    assert rows[-1]["phase_en"] == "unknown" and rows[-1]["phase_ja"] == "不明"
    # facts only: no phase is stated, so everything is under unknown, as in money-by-kind
    stated = money(built_settings, "money-by-phase", layer="stated")
    assert stated == {("unknown", k): v for k, v in {"annual": ("20", "492"), "total": ("1", "383"), "part-of": ("2", None),
                      "fund": ("3", None), "investment": ("1", None), "tax": ("6", None), "none": ("2", None)}.items()}


def test_money_by_support_kind(built_settings):
    # rows of slide 10 as interpreted: technology ①–⑤ (② ③ ④ ⑤ = 139; ① fund); commercialisation ⑥ ⑦a ⑦b ⑧ ⑨ ⑩ ⑫ ⑬ ⑭
    # (⑦a ⑧ ⑨ ⑫ ⑭ = 54+92+32+30+70 = 278); matching ⑮ 9.3; human resources ⑯ ⑰ ⑳ 1.4+5.9+3.5 = 10.8;
    # trial sites ⑱ ⑲ 7.9+2.7 = 10.6; manufacturing ㉒ 39 and ㉑ total 383; PMDA ㉓ ㉔ ㉕ 2.8; global ㉖a 2.5, ㉖b part, ㉗ none;
    # tax ㉘–㉜ (6); unknown ⑪
    assert money(built_settings, "money-by-support-kind") == {
        ("technology", "annual"): ("4", "139"), ("technology", "fund"): ("1", None),
        ("commercialisation", "annual"): ("5", "278"), ("commercialisation", "part-of"): ("1", None),
        ("commercialisation", "fund"): ("2", None), ("commercialisation", "investment"): ("1", None),
        ("matching", "annual"): ("1", "9.3"), ("human-resources", "annual"): ("3", "10.8"),
        ("trial-sites", "annual"): ("2", "10.6"), ("manufacturing", "annual"): ("1", "39"), ("manufacturing", "total"): ("1", "383"),
        ("pmda", "annual"): ("3", "2.8"), ("global", "annual"): ("1", "2.5"), ("global", "part-of"): ("1", None),
        ("global", "none"): ("1", None), ("tax", "tax"): ("6", None), ("unknown", "none"): ("1", None),
    }
    order = [key(r["support_kind"]) for r in table(built_settings, "money-by-support-kind")]
    assert list(dict.fromkeys(order)) == ["technology", "commercialisation", "matching", "human-resources", "trial-sites",
                                          "manufacturing", "pmda", "global", "tax", None]


@pytest.mark.parametrize("name", ["money-by-ministry", "money-by-support-kind"])
def test_money_partitions_add_up_to_money_by_kind(name, built_settings):
    """Each program has at most one ministry and one kind of support, so these rows partition money-by-kind."""
    by_kind = {r["amount_kind"]: r for r in table(built_settings, "money-by-kind")}
    for kind in ("annual", "total"):
        rows = [r for r in table(built_settings, name) if r["amount_kind"] == kind]
        assert sum(Decimal(r["oku_yen"]) for r in rows) == Decimal(by_kind[kind]["oku_yen"])
        assert sum(int(r["programs"]) for r in rows) == int(by_kind[kind]["programs"])


# ---------------------------------------------------------------- programs: CiCLE and AIMGAIN

def test_cicle_adoption(built_settings):
    """Slide 8. Round 3: 14 adopted of 52 applications = 26.9 %; ViCLE 4 of 28 = 14.3 %, ViCLE share of applications
    28/52 = 53.8 %, of adoptions 4/14 = 28.6 %. Round 1: 7/48 = 14.6 %; round 7: 5/42 = 11.9 %, ViCLE share 37/42 = 88.1 %.
    Total row: 67/384 = 17.4 %; ViCLE 24/185 = 13.0 %, share 185/384 = 48.2 % and 24/67 = 35.8 %."""
    rows = table(built_settings, "cicle-adoption")
    by_round = {r["round"]: r for r in rows}
    assert [r["round"] for r in rows] == ["1", "2", "3", "4", "5", "6", "7", None]
    r3 = by_round["3"]
    assert (num(r3["adoption_pct"]), num(r3["vicle_adoption_pct"]), num(r3["vicle_share_of_applications_pct"]),
            num(r3["vicle_share_of_adopted_pct"])) == (Decimal("26.9"), Decimal("14.3"), Decimal("53.8"), Decimal("28.6"))
    assert num(by_round["1"]["adoption_pct"]) == Decimal("14.6") and by_round["1"]["vicle_adoption_pct"] is None
    assert num(by_round["7"]["vicle_share_of_applications_pct"]) == Decimal("88.1")
    total = by_round[None]
    assert (total["applications"], total["adopted"], num(total["adoption_pct"]), num(total["vicle_adoption_pct"])) == \
        ("384", "67", Decimal("17.4"), Decimal("13.0"))
    # the rounds add up to the total row
    assert sum(int(r["applications"]) for r in rows[:7]) == 384 and sum(int(r["adopted"]) for r in rows[:7]) == 67


def test_cicle_outcomes(built_settings):
    """Slide 8, finished = achieved + not achieved + discontinued + other. Total: 8 + 3 + 22 + 1 = 34 of 67 adopted
    (33 in progress); achieved 8/34 = 23.5 %, not achieved 3/34 = 8.8 %, discontinued 22/34 = 64.7 %, other 1/34 = 2.9 %.
    Round 1: 1 + 0 + 4 = 5 finished, 1/5 = 20 % achieved, 4/5 = 80 % discontinued. Round 5: 5 discontinued and 1
    contract cancelled (※2) of 6 finished = 83.3 % and 16.7 %. Round 7: all 5 in progress, so no shares."""
    rows = {r["round"]: r for r in table(built_settings, "cicle-outcomes")}
    total = rows[None]
    finished = (total["finished"], total["achieved"], total["not_achieved"], total["discontinued"], total["other"])
    assert finished == ("34", "8", "3", "22", "1")
    assert [num(total[c]) for c in ("achieved_pct", "not_achieved_pct", "discontinued_pct", "other_pct")] == \
        [Decimal("23.5"), Decimal("8.8"), Decimal("64.7"), Decimal("2.9")]
    assert (rows["1"]["finished"], num(rows["1"]["achieved_pct"]), num(rows["1"]["discontinued_pct"])) == ("5", 20, 80)
    assert (num(rows["5"]["discontinued_pct"]), num(rows["5"]["other_pct"])) == (Decimal("83.3"), Decimal("16.7"))
    assert rows["7"]["finished"] == "0" and rows["7"]["achieved_pct"] is None
    # ViCLE: round 3 achieved 3, discontinued 1 (in brackets); total 4 + 1 + 5 = 10 finished
    assert (rows["3"]["finished_vicle"], total["finished_vicle"]) == ("4", "10")
    assert sum(int(r["finished"]) for k, r in rows.items() if k) == 34


def test_cicle_covid_tracks(built_settings):
    """Slide 8: round 5 = コロナ一次 4 (3) / 1 (0) / 62, コロナ二次 12 (10) / 2 (2) / 11, 通常 56 (41) / 14 (9) / 249;
    round 6 = コロナ一次 11 (4) / 0 (0) / 0, 通常 46 (34) / 5 (3) / 49. COVID tracks together: 27 applications, 3 adopted."""
    rows = table(built_settings, "cicle-covid-tracks")
    assert [(r["round"], r["track"], r["applications"], r["applications_vicle"], r["adopted"], r["adopted_vicle"],
             r["contract_oku_yen"]) for r in rows] == [
        ("5", "covid-1", "4", "3", "1", "0", "62"), ("5", "covid-2", "12", "10", "2", "2", "11"),
        ("5", "regular", "56", "41", "14", "9", "249"),
        ("6", "covid-1", "11", "4", "0", "0", "0"), ("6", "regular", "46", "34", "5", "3", "49"),
    ]
    covid = [r for r in rows if r["track"].startswith("covid")]
    assert sum(int(r["applications"]) for r in covid) == 27 and sum(int(r["adopted"]) for r in covid) == 3
    # the tracks add up to their round, except round 5's rounded contract amounts (62 + 11 + 249 = 322, round 321)
    for rnd in ("5", "6"):
        tracks = [r for r in rows if r["round"] == rnd]
        assert sum(int(r["applications"]) for r in tracks) == int(tracks[0]["round_applications"])
        assert sum(int(r["adopted"]) for r in tracks) == int(tracks[0]["round_adopted"])
    assert sum(num(r["contract_oku_yen"]) for r in rows if r["round"] == "5") == 322
    assert rows[0]["round_contract_oku_yen"] == "321"
    assert num(rows[4]["adoption_pct"]) == Decimal("10.9")  # 5/46


def test_aimgain_trend(built_settings):
    """Slide 7: calls 1–4 had 9, 9, 15, 22 applications and 1, 1, 4, 7 adoptions. Adoption rates 1/9 = 11.1 %, 11.1 %,
    4/15 = 26.7 %, 7/22 = 31.8 %; growth in applications 0 %, (15−9)/9 = 66.7 %, (22−15)/15 = 46.7 %. Call 5 is planned
    (令和7年6月（予定）): unknown, empty."""
    rows = table(built_settings, "aimgain-trend")
    got = [(r["call"], r["applications"], r["adopted"], num(r["adoption_pct"]), num(r["applications_growth_pct"])) for r in rows]
    assert got == [
        ("1", "9", "1", Decimal("11.1"), None),
        ("2", "9", "1", Decimal("11.1"), Decimal(0)),
        ("3", "15", "4", Decimal("26.7"), Decimal("66.7")),
        ("4", "22", "7", Decimal("31.8"), Decimal("46.7")),
        ("5", None, None, None, None),
    ]
    assert rows[4]["planned"] == "true" and rows[4]["opened"] == "2025-06"


# ---------------------------------------------------------------- hearing issues (interpretation) and the plan

# Derivation (the query's own table, an interpretation): human resources ← kind 人材育成 (⑯ ⑰ ⑳) and the lines whose label
# contains 人材 (line 2 ⑤, line 10 ㉘, line 14 ⑳ ㉒, line 15 ⑯, line 17 ⑰); seeds ← technology ①–⑤, commercialisation
# ⑥ ⑦a ⑦b ⑧ ⑨ ⑩ ⑫ ⑬ ⑭, matching ⑮; funding ← commercialisation (9), tax ㉘–㉜ (6), global ㉖a ㉖b ㉗ and line 24
# 資金供給 ⑪; regulation ← PMDA ㉓ ㉔ ㉕. Issues per group (interpreted): funding 1–3, seeds 4–6, human resources 7–9,
# regulation 10–11.
COMMERCIALISATION = {"6", "7a", "7b", "8", "9", "10", "12", "13", "14"}
TAX = {"28", "29", "30", "31a", "31b", "32"}
GROUP_PROGRAMS = {
    "human-resources": {"5", "16", "17", "20", "22", "28"},
    "seeds": {"1", "2", "3", "4", "5", "15"} | COMMERCIALISATION,
    "funding": COMMERCIALISATION | TAX | {"26a", "26b", "27", "11"},
    "regulation": {"23", "24", "25"},
}


def test_coverage_issue_groups(built_settings):
    rows = table(built_settings, "coverage-issue-groups")
    got = {key(r["group"]): (r["issues"], int(r["programs"]), set((r["program_keys"] or "").split()), r["gap"]) for r in rows}
    assert got == {"funding": ("3", 19, GROUP_PROGRAMS["funding"], "false"),
                   "human-resources": ("3", 6, GROUP_PROGRAMS["human-resources"], "false"),
                   "regulation": ("2", 3, GROUP_PROGRAMS["regulation"], "false"),
                   "seeds": ("3", 15, GROUP_PROGRAMS["seeds"], "false")}
    # facts only: the issues' groups are interpretations (0 issues each), kinds of support too; only the words of the
    # stated support lines remain: 人材 (⑤ ⑯ ⑰ ⑳ ㉒ ㉘) and 資金 (⑪); seeds and regulation become gaps
    stated_rows = table(built_settings, "coverage-issue-groups", layer="stated")
    stated = {key(r["group"]): (r["issues"], r["programs"], r["gap"]) for r in stated_rows}
    assert stated == {"funding": ("0", "1", "false"), "human-resources": ("0", "6", "false"),
                      "regulation": ("0", "0", "true"), "seeds": ("0", "0", "true")}


def test_coverage_hearing_issues(built_settings):
    rows = table(built_settings, "coverage-hearing-issues")
    groups = ["funding"] * 3 + ["seeds"] * 3 + ["human-resources"] * 3 + ["regulation"] * 2
    assert [r["position"] for r in rows] == [str(i) for i in range(1, 12)]
    for r, g in zip(rows, groups):
        assert set(r["program_keys"].split()) == GROUP_PROGRAMS[g] and r["gap"] == "false", r["position"]
    assert rows[6]["issue_ja"] == "成功体験を有する経営人材の不足" and rows[6]["group_en"] == "human resources"
    stated = table(built_settings, "coverage-hearing-issues", layer="stated")
    assert [(r["group_en"], r["programs"], r["gap"]) for r in stated] == [(None, "0", "true")] * 11


def test_plan_targets_show_that_the_text_links_none(built_settings):
    """Slide 3 names 5 aims (目指すもの) and 5 observed indicators (推移の観測), no managed target, and attaches them to the
    plan, not to any PJ or program: every count is 0, and the managed kind shows as one empty row."""
    rows = table(built_settings, "plan-targets")
    assert [(r["target_kind"], r["position"], r["projects"], r["programs"]) for r in rows] == \
        [("aim", str(i), "0", "0") for i in range(1, 6)] + [("managed", None, "0", "0")] + \
        [("observed", str(i), "0", "0") for i in range(1, 6)]
    assert (rows[3]["target_ja"], rows[3]["target_value"], rows[3]["unit"]) == ("企業導出件数", "130", "件/年")
    assert {r["plan_projects"] for r in rows if r["target"]} == {"8"}
    assert [r["projects"] for r in table(built_settings, "plan-targets", layer="stated")] == ["0"] * 11


def test_plan_targets_would_find_a_link(built_settings, tmp_path):
    """The zeros come from the data, not from the query: add one interpreted link PJ8 → target 4 in a private store, and
    target 4 gets PJ8 and its four programs (① ⑦b ⑩ ⑬, dcterms:isPartOf pj:8 on slide 5) with layer=all only."""
    extra = tmp_path / "extra.nq"
    extra.write_text(f"<{ID}pj/8> <http://www.w3.org/2004/02/skos/core#related> <{ID}plan/3rd-target-4> "
                     "<https://w3id.org/ecograph/graph/interpreted> .\n", encoding="utf-8")
    engine = local.over_files([Path(built_settings.dist / "dataset.nq").resolve(), extra])
    query = catalogue(built_settings)["plan-targets"]
    for layer, expected in (("all", ("1", "4")), ("stated", ("0", "0"))):
        rows = run(query, {"layer": layer}, built_settings, engine).values()
        target4 = next(r for r in rows if r["target"] == f"{ID}plan/3rd-target-4")
        assert (target4["projects"], target4["programs"]) == expected, layer
        assert all(r["projects"] == "0" for r in rows if r is not target4)


# ---------------------------------------------------------------- data quality

def test_unknowns_by_property(built_settings):
    # counted in data/*.ttl (ecograph:unknownProperty): ministry 31 (35 programs − ⑦b stated − ① ⑩ ⑬ interpreted),
    # milestone 29 (35 − 6 with one), fiscalYear 23 (the 20 annual amounts, ㉑'s total, and the two parent amounts
    # of ⑥ and ㉖b), phase 13, isPartOf 5 (the four viewpoints; A–D事業 of slide 4), targetKind 2 (both about
    # plan:3rd), and one each for the rest: 111 in all
    rows = table(built_settings, "unknowns-by-property")
    assert [(r["property"], r["unknowns"], r["resources"]) for r in rows] == [
        ("ecograph:ministry", "31", "31"), ("ecograph:milestone", "29", "29"), ("ecograph:fiscalYear", "23", "23"),
        ("ecograph:phase", "13", "13"), ("dcterms:isPartOf", "5", "5"), ("ecograph:targetKind", "2", "1"),
        ("ecograph:adopted", "1", "1"), ("ecograph:amountOf", "1", "1"), ("ecograph:applications", "1", "1"),
        ("ecograph:fromStakeholder", "1", "1"), ("ecograph:position", "1", "1"), ("ecograph:researchStarted", "1", "1"),
        ("ecograph:supportKind", "1", "1"), ("ecograph:toStakeholder", "1", "1"),
    ]
    assert sum(int(r["unknowns"]) for r in rows) == len(run_named("unknowns", {}, built_settings).rows) == 111


def test_interpretations_by_property(built_settings):
    # counted in data/interpreted/*.ttl: 34 kinds of support, 22 programs with 34 phase values, 24 support-line
    # stakeholders, 11 issue groups, 7 + 7 relation ends, 6 programs with 7 milestones (⑬ has two), 6 milestone
    # positions, 3 ministries, 1 memberList, 1 document creator (the Cabinet Office and AMED; issue 16): 122 records
    rows = table(built_settings, "interpretations-by-property")
    assert {r["property"]: (r["interpretations"], r["triples"]) for r in rows} == {
        "ecograph:phase": ("22", "34"), "ecograph:supportKind": ("34", "34"), "ecograph:stakeholder": ("24", "24"),
        "dcterms:subject": ("11", "11"), "ecograph:fromStakeholder": ("7", "7"), "ecograph:toStakeholder": ("7", "7"),
        "ecograph:milestone": ("6", "7"), "ecograph:position": ("6", "6"), "ecograph:ministry": ("3", "3"),
        "skos:memberList": ("1", "1"), "dcterms:creator": ("1", "2"),
    }
    assert sum(int(r["interpretations"]) for r in rows) == 122


def _stated_triples_per_slide() -> dict[int, tuple[int, int]]:
    """Resources and stated triples per slide, counted from data/*.ttl with a plain parser (no SPARQL)."""
    triples = []
    for path in sorted((PROJECT_ROOT / "data").glob("*.ttl")):
        triples += [(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    slide_of: dict = {}
    for s, p, o in triples:
        if p.value == ECO + "slide":
            slide_of.setdefault(s, set()).add(int(o.value.rsplit("/", 1)[1]))
    out = {}
    for n in range(1, 13):
        subjects = {s for s, slides in slide_of.items() if n in slides}
        out[n] = (len(subjects), sum(1 for t in set(triples) if t[0] in subjects))
    return out


def test_facts_per_slide(built_settings):
    rows = table(built_settings, "facts-per-slide")
    assert [r["slide"] for r in rows] == [str(n) for n in range(1, 13)]
    assert [r["number_printed"] for r in rows] == ["false"] * 6 + ["true"] + ["false"] * 5
    counted = _stated_triples_per_slide()
    assert {int(r["slide"]): (int(r["resources"]), int(r["stated_triples"])) for r in rows} == counted
    # by hand: slide 7 = data/aimgain.ttl's 19 resources + 3 agents (unit, university, PI) + slide 7 itself = 23;
    # slide 12 = the hearing, its participants, 11 issues, the issue-group scheme and its 4 groups, slide 12 = 19
    assert counted[7][0] == 23 and counted[12][0] == 19
    # interpretations: slide 10 = 65 − 3 (programs, the ministries cite slide 5) + 7 (milestone order) = 69; slide 11 = 38
    # (24 lines + 14 relation ends); slide 12 = 11 issue groups + the document's creators (issue 16), which also cite
    # slide 1 = 12. Unknowns: slide 3 = 3, slide 4 = 4 (A–D事業),
    # slide 5 = 2 (連携・協力), slide 7 = 3 (call 5), slide 10 = 99 (data/unknowns.ttl)
    records = {r["slide"]: (r["interpretations"], r["unknowns"]) for r in rows}
    assert {k: v for k, v in records.items() if v != ("0", "0")} == {
        "3": ("0", "3"), "4": ("0", "4"), "5": ("3", "2"), "7": ("0", "3"), "10": ("69", "99"), "11": ("38", "0"), "12": ("12", "0"),
        "1": ("1", "0"),
    }


# ---------------------------------------------------------------- queries that scale

def test_gap_and_coverage_queries_stay_linear(built_settings, tmp_path):
    """Issue 4, item 4: on a graph grown with 5,000 synthetic programs (30,000 more quads), every layered query answers,
    with the right rows. A join placed after a UNION, or a correlated NOT EXISTS, makes oxigraph loop over pairs of
    programs: measured while writing them, the first took 17 s at 4,000 programs while this form takes 0.02 s (and
    1 s at 200,000). Times are for the benchmarks (issue 5); this test checks the answers."""
    stated, interpreted = (ox.NamedNode(f"https://w3id.org/ecograph/graph/{g}") for g in ("stated", "interpreted"))
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    kinds = ["academia", "startup", "pharma", "vc"]
    quads = []
    for i in range(5000):
        p, line = ox.NamedNode(f"{ID}program/synthetic-{i}"), ox.NamedNode(f"{ID}support-line/synthetic-{i}")
        quads += [
            ox.Quad(p, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(ECO + "SupportProgram"), stated),
            ox.Quad(p, ox.NamedNode(ECO + "programNumber"), ox.Literal(str(100 + i), datatype=integer), stated),
            ox.Quad(line, ox.NamedNode(ECO + "program"), p, stated),
            ox.Quad(line, ox.NamedNode(ECO + "stakeholder"), ox.NamedNode(f"{ID}stakeholder/{kinds[i % 4]}"), interpreted),
            ox.Quad(p, ox.NamedNode(ECO + "phase"), ox.NamedNode(f"{ID}phase/{PHASES[i % 3]}"), interpreted),
            ox.Quad(p, ox.NamedNode(ECO + "ministry"), ox.NamedNode(f"{ID}agent/{['mext', 'meti'][i % 2]}"), interpreted),
        ]
    synthetic = tmp_path / "synthetic.nq"
    ox.serialize(quads, output=str(synthetic), format=ox.RdfFormat.N_QUADS)
    engine = local.over_files([Path(built_settings.dist / "dataset.nq").resolve(), synthetic])
    queries = catalogue(built_settings)
    # every query answers on the larger graph (their cost at scale is measured by the benchmarks, not asserted here)
    for name in [*LAYERED, "support-finder", "support-finder-milestone", "money-by-kind"]:
        assert run(queries[name], {}, built_settings, engine).form == "SELECT", name
    # and the answers follow the new data: VCs (i % 4 == 3, so i % 3 takes every value) now reach basic research too,
    # which the real data leaves as a gap; approval and market stays one
    gaps = run(queries["gaps-stakeholder-phase"], {}, built_settings, engine).values()
    vc_gaps = {key(r["phase"]) for r in gaps if key(r["stakeholder"]) == "vc"}
    assert vc_gaps == {"approval-market"}
