"""Synthetic ecosystems for scale work (issue 5): synthesize() writes a project root whose data/ holds the seed and,
beside it, N-Triples of invented programs, amounts, support lines, calls with their statistics tables, funded
projects, organisations, people and hearings, shaped like the seed and conforming to the shapes.

Everything invented lives under https://w3id.org/ecograph/id/synthetic/ and traces to a synthetic source document
that says so in its label and comment, so it can never pass for the real document. Interpretations go to
data/interpreted/synthetic.nt, each with its ecograph:Interpretation record, in about the seed's proportion.
Lines are written as they are made (no rdflib graph): memory stays flat and 10M triples take about half a minute.
The same triples and seed give the same bytes (one random.Random, no clock, no hash order)."""

from __future__ import annotations

import functools
import math
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ecograph.errors import UsageError

MIN_TRIPLES = 2_000
PARTS = ("ontology", "shapes", "queries", "data")
ID = "https://w3id.org/ecograph/id/"
SYN = ID + "synthetic/"
NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
      "xsd": "http://www.w3.org/2001/XMLSchema#", "ecograph": "https://w3id.org/ecograph/ontology#",
      "dcterms": "http://purl.org/dc/terms/", "schema": "https://schema.org/", "qb": "http://purl.org/linked-data/cube#",
      "prov": "http://www.w3.org/ns/prov#", "foaf": "http://xmlns.com/foaf/0.1/", "org": "http://www.w3.org/ns/org#",
      "id": ID}

# The synthetic source's slides: 1 cover, 2 programs and amounts, 3 overview (support lines), 4 calls,
# 5 statistics tables, 6 funded projects and organisations, 7 hearings.
SLIDES = (("表紙", "cover"), ("事業と金額", "programs and amounts"), ("支援の全体像", "support overview"),
          ("公募と採択状況", "calls and adoptions"), ("採択状況の統計表", "statistics tables"),
          ("採択課題と機関", "funded projects and organisations"), ("ヒアリング", "hearings"))
STAKEHOLDERS = ("academia", "startup", "pharma", "cro", "cdmo-cmo", "trial-site", "pmda", "vc", "accelerator")
# Kind of support: weight (as in the seed), phases, stakeholders (first most often), ministries, milestones,
# integrated project, program-name suffix and support-line name (ja, en). Nothing targets accelerators and no
# program reaches the IPO or profitability milestones, so the gap queries keep answers; PMDA lines are MHLW's only.
KINDS = {
    "technology": (5, ("basic-applied", "preclinical"), ("academia", "pharma"), ("mext", "meti", "mhlw"),
                   ("candidate-selected", "nonclinical-poc"), 6, ("基盤技術開発事業", "Platform Technology Development Program"),
                   ("創薬シーズ・技術開発支援", "support for drug-discovery seeds and technology")),
    "commercialisation": (9, ("basic-applied", "preclinical", "clinical-manufacturing"), ("startup", "academia", "vc"),
                          ("cabinet-office", "meti", "mext", "mhlw"), ("founding", "series-a", "series-b", "fih"), 8,
                          ("実用化促進事業", "Commercialisation Promotion Program"), ("実用化・資金支援", "commercialisation and funding support")),
    "matching": (1, ("preclinical",), ("startup", "pharma"), ("mhlw",), ("licence-out",), 8,
                 ("マッチング支援事業", "Matching Support Program"), ("マッチング支援", "matching support")),
    "human-resources": (3, ("clinical-manufacturing",), ("cdmo-cmo", "trial-site", "academia"), ("mhlw", "meti"), (), 7,
                        ("人材育成支援事業", "Human Resource Development Program"), ("人材育成支援", "human-resource development support")),
    "trial-sites": (2, ("clinical-manufacturing",), ("trial-site", "cro"), ("mhlw",), ("fih", "clinical-poc"), 7,
                    ("治験体制整備事業", "Clinical Trial Capacity Program"), ("治験体制整備支援", "support for clinical-trial sites")),
    "manufacturing": (2, ("clinical-manufacturing",), ("cdmo-cmo",), ("meti",), ("process-validation",), 3,
                      ("製造基盤整備事業", "Manufacturing Base Development Program"), ("製造設備投資支援", "support for manufacturing facilities")),
    "pmda": (3, ("clinical-manufacturing", "approval-market"), ("pmda",), ("mhlw",), ("approval",), 1,
             ("薬事相談支援事業", "Regulatory Consultation Support Program"), ("薬事・規制等の相談支援", "regulatory consultation support")),
    "global": (3, ("approval-market",), ("startup",), ("meti", "cabinet-office"), ("licence-out",), 8,
               ("海外展開支援事業", "Overseas Expansion Support Program"), ("海外展開支援", "support for overseas expansion")),
    "tax": (6, (), ("pharma", "vc", "startup"), ("meti",), (), 0,
            ("投資促進税制", "Investment Promotion Tax Scheme"), ("税制による資金支援", "funding support through tax measures")),
}
# The amount kinds of the seed's non-tax programs, with their weights (20 annual, 1 total, 2 parts, 3 funds, …).
AMOUNTS = (("annual", 20), ("total", 1), ("part-of", 2), ("fund", 3), ("investment", 1), ("none", 2))
# The first programs cover every kind of support and of amount, with a ministry, whatever the seed.
FIRST = (("technology", "annual"), ("commercialisation", "fund"), ("commercialisation", "investment"),
         ("commercialisation", "part-of"), ("manufacturing", "total"), ("pmda", "annual"), ("tax", "tax"),
         ("global", "none"), ("human-resources", "annual"), ("trial-sites", "annual"), ("matching", "annual"))
MEASURES = ("applications", "adopted", "contractAmount", "achieved", "notAchieved", "inProgress", "discontinued", "otherStatus")
VICLE = ("applications", "adopted", "achieved", "notAchieved", "inProgress", "discontinued")
STATUS = ("achieved", "notAchieved", "inProgress", "discontinued", "otherStatus")

THEMES = (("抗体医薬", "antibody drugs"), ("核酸医薬", "nucleic-acid drugs"), ("再生医療", "regenerative medicine"),
          ("遺伝子治療", "gene therapy"), ("細胞治療", "cell therapy"), ("低分子創薬", "small-molecule drug discovery"),
          ("AI創薬", "AI drug discovery"), ("感染症ワクチン", "infectious-disease vaccines"), ("希少疾病", "rare diseases"),
          ("小児医薬品", "paediatric medicines"), ("中分子医薬", "mid-size molecule drugs"), ("がん免疫", "cancer immunotherapy"))
PREFIXES = (("革新的", "Innovative"), ("次世代", "Next-Generation"), ("戦略的", "Strategic"), ("先端", "Advanced"),
            ("国際", "International"), ("地域", "Regional"), ("産学連携", "Industry–Academia"), ("加速化", "Accelerated"))
TARGETS = (("KRAS", "KRAS"), ("PD-L1", "PD-L1"), ("GLP-1受容体", "the GLP-1 receptor"), ("アミロイドβ", "amyloid beta"),
           ("タウ蛋白質", "tau protein"), ("HER2", "HER2"), ("IL-6", "IL-6"), ("ジストロフィン", "dystrophin"), ("TNF-α", "TNF-alpha"))
MODALITIES = (("低分子化合物", "small molecules"), ("抗体", "antibodies"), ("アンチセンス核酸", "antisense oligonucleotides"),
              ("siRNA", "siRNA"), ("CAR-T細胞", "CAR-T cells"), ("AAVベクター", "AAV vectors"), ("mRNAワクチン", "mRNA vaccines"),
              ("環状ペプチド", "cyclic peptides"))
ACTIVITIES = (("探索研究", "Exploratory research"), ("非臨床試験", "Non-clinical studies"), ("第1相臨床試験", "A phase 1 trial"),
              ("製造法開発", "Manufacturing process development"), ("薬効評価系の構築", "An efficacy assay"),
              ("実用化開発", "Development for practical use"))
PLACES = (("札幌", "Sapporo"), ("仙台", "Sendai"), ("つくば", "Tsukuba"), ("東京", "Tokyo"), ("横浜", "Yokohama"),
          ("名古屋", "Nagoya"), ("京都", "Kyoto"), ("大阪", "Osaka"), ("神戸", "Kobe"), ("広島", "Hiroshima"), ("福岡", "Fukuoka"))
WORDS = (("アステル", "Astel"), ("ルミナ", "Lumina"), ("ネオジェン", "Neogen"), ("ソラ", "Sola"), ("ミライ", "Mirai"),
         ("ヒカリ", "Hikari"), ("カナデ", "Kanade"), ("ツバサ", "Tsubasa"))
ORG_NAMES = {
    "academia": ("{p}{w}大学", "{W} University of {P}"), "startup": ("株式会社{w}バイオ{p}", "{W} Bio {P} Inc."),
    "pharma": ("{w}製薬", "{W} Pharmaceutical"), "cro": ("{w}リサーチ", "{W} Research (CRO)"),
    "cdmo-cmo": ("{w}バイオロジクス製造", "{W} Biologics Manufacturing"), "trial-site": ("{p}{w}臨床研究センター", "{P} {W} Clinical Research Center"),
    "pmda": ("{p}薬事相談センター", "{P} Regulatory Consultation Center"), "vc": ("{w}キャピタル", "{W} Capital"),
    "accelerator": ("{p}{w}インキュベーションラボ",
        "{W} Incubation Lab {P}"),
}
FAMILY = (("佐藤", "Sato"), ("鈴木", "Suzuki"), ("高橋", "Takahashi"), ("田中", "Tanaka"), ("伊藤", "Ito"), ("渡辺", "Watanabe"),
          ("山本", "Yamamoto"), ("中村", "Nakamura"), ("小林", "Kobayashi"), ("加藤", "Kato"))
GIVEN = (("健", "Ken"), ("陽子", "Yoko"), ("大輔", "Daisuke"), ("美咲", "Misaki"), ("翔", "Sho"), ("由紀", "Yuki"), ("誠", "Makoto"))
ISSUES = (("創薬シーズの質にばらつきがあり、投資判断が難しい", "Seed quality varies, which makes investment decisions hard", "seeds"),
          ("非臨床データの取得に必要な資金が不足している", "Money for obtaining non-clinical data is lacking", "funding"),
          ("経営人材・開発人材が不足している", "Managers and development staff are lacking", "human-resources"),
          ("薬事相談の窓口が分かりにくい", "It is unclear where to seek regulatory advice", "regulation"),
          ("海外での臨床開発の資金調達が難しい", "Funding clinical development abroad is hard", "funding"),
          ("製造を担う人材の確保が難しい", "Securing manufacturing staff is hard", "human-resources"),
          ("大学発シーズの知財の扱いが定まっていない", "The handling of IP from university seeds is unsettled", "seeds"),
          ("承認審査の予見性が低い", "Approval review is hard to predict", "regulation"))
TRACKS = {"covid-1": ("コロナ一次", "COVID-19 first track"), "covid-2": ("コロナ二次", "COVID-19 second track"), "regular": ("通常", "regular track")}
DECISIONS = (("継続", "continue"), ("計画変更の上継続", "continue with a changed plan"), ("中止", "discontinue"))
# Why a synthetic value is interpreted, or unknown (ja, en), by property.
REASONS = {
    "supportKind": ("合成データ：事業名と公募の内容から支援の種類を読んだ（生成規則）。",
        "Synthetic data: the kind of support is read from the program's name and calls (a rule of the generator)."),
    "phase": ("合成データ：図の位置から支援フェーズを読んだ（生成規則）。",
        "Synthetic data: the phases are read from the program's position on a chart (a rule of the generator)."),
    "milestone": ("合成データ：図の位置からマイルストーンを読んだ（生成規則）。",
        "Synthetic data: the milestones are read from the program's position on a chart (a rule of the generator)."),
    "ministry": ("合成データ：図の色から所管省庁を読んだ（生成規則）。",
        "Synthetic data: the ministry is read from the program's colour on a chart (a rule of the generator)."),
    "stakeholder": ("合成データ：行の位置からステークホルダーを読んだ（生成規則）。",
        "Synthetic data: the stakeholder is read from the line's position on the overview (a rule of the generator)."),
    "classification": ("合成データ：機関名からステークホルダーの種類を読んだ（生成規則）。",
        "Synthetic data: the kind of stakeholder is read from the organisation's name (a rule of the generator)."),
    "subject": ("合成データ：課題の内容から分類を読んだ（生成規則）。",
        "Synthetic data: the group is read from the content of the issue (a rule of the generator)."),
}
UNKNOWN = {
    "ministry": ("合成資料は所管省庁を書いていない。",
        "The synthetic source does not name the responsible ministry."),
    "phase": ("合成資料は支援フェーズを示していない。",
        "The synthetic source does not show the phases."),
    "milestone": ("合成資料はマイルストーンを示していない。",
        "The synthetic source does not show the milestones."),
    "amountOf": ("合成資料はこの金額がどの事業のものかを書いていない。",
        "The synthetic source does not say which program this amount belongs to."),
    "applications": ("予定の公募で、合成資料の時点ではまだ行われていない。",
        "The call is planned; it had not been held at the time of the synthetic source."),
}
UNKNOWN["adopted"] = UNKNOWN["researchStarted"] = UNKNOWN["applications"]


@dataclass
class SynthResult:
    """What synthesize() wrote: the project root, the synthetic triple counts and the synthetic files."""

    out: Path
    stated: int
    interpreted: int
    files: list[Path] = field(default_factory=list)
    seed: int = 0
    target: int = 0

    @property
    def total(self) -> int:
        return self.stated + self.interpreted


@functools.cache
def n(curie: str) -> str:
    """A CURIE of a vocabulary term (ecograph:slide, id:phase/preclinical) as an N-Triples IRI."""
    prefix, local = curie.split(":", 1)
    return f"<{NS[prefix]}{local}>"


def syn(local: str) -> str:
    """A synthetic instance IRI (not cached: there are millions)."""
    return f"<{SYN}{local}>"


def _escape(text: str) -> str:
    if '"' in text or "\\" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return text


def lit(text: str, lang: str | None = None) -> str:
    """A string literal, language-tagged if lang is given (else xsd:string)."""
    return f'"{_escape(text)}"@{lang}' if lang else f'"{_escape(text)}"'


def typed(value, datatype: str) -> str:
    """A typed literal: typed(3, "integer"), typed("2024-05", "gYearMonth")."""
    return f'"{value}"^^<{NS["xsd"]}{datatype}>'


def _oku(tenths: int) -> str:
    """Tenths of 億円 as written: 93 → 9.3, 300 → 30."""
    return f"{tenths // 10}.{tenths % 10}" if tenths % 10 else str(tenths // 10)


def _months(ym: tuple[int, int], months: int) -> tuple[int, int]:
    index = ym[0] * 12 + ym[1] - 1 + months
    return index // 12, index % 12 + 1


class _Sink:
    """Buffers the lines of the stated (0) and interpreted (1) graphs and writes them in blocks."""

    def __init__(self, stated, interpreted, progress: Callable[[int], None] | None):
        self.files, self.buffers, self.counts, self.progress = (stated, interpreted), ([], []), [0, 0], progress

    def add(self, s: str, p: str, o: str, graph: int = 0) -> None:
        self.buffers[graph].append(f"{s} {p} {o} .\n")

    @property
    def written(self) -> int:
        return self.counts[0] + self.counts[1] + len(self.buffers[0]) + len(self.buffers[1])

    def flush(self) -> None:
        done = 0
        for graph in (0, 1):
            lines = self.buffers[graph]
            if lines:
                self.files[graph].write("".join(lines))
                self.counts[graph] += len(lines)
                done += len(lines)
                lines.clear()
        if self.progress and done:
            self.progress(done)


class _Ecosystem:
    """Writes one synthetic ecosystem of about `target` triples into a sink."""

    PROJECT_COST = 17  # triples per funded project with its share of organisations, people and evaluations

    def __init__(self, sink: _Sink, rng: random.Random, target: int, seed: int):
        self.sink, self.rng, self.target, self.seed = sink, rng, target, seed
        self.count: dict[str, int] = {}
        # numbers, not IRIs, so that memory stays small at 10M triples
        self.orgs: dict[str, list[int]] = {s: [] for s in STAKEHOLDERS}
        self.units: list[int] = []
        self.people: list[int] = []
        self.lines: dict[tuple[str, str], list] = {}
        self.kinds = [k for k in KINDS for _ in range(KINDS[k][0])]
        self.amounts = [k for k, w in AMOUNTS for _ in range(w)]

    def next(self, kind: str) -> int:
        self.count[kind] = self.count.get(kind, 0) + 1
        return self.count[kind]

    def slide(self, number: int) -> str:
        return syn(f"source/slide/{number}")

    def add(self, s: str, p: str, o: str, graph: int = 0) -> None:
        self.sink.add(s, n(p), o, graph)

    def resource(self, iri: str, cls: str, ja: str, en: str, slide: int, graph: int = 0) -> None:
        """Type, the two labels and the source slide: what every resource of the data has."""
        self.add(iri, "rdf:type", n(cls), graph)
        self.add(iri, "rdfs:label", lit(ja, "ja"), graph)
        self.add(iri, "rdfs:label", lit(en, "en"), graph)
        self.add(iri, "ecograph:slide", self.slide(slide), graph)

    def fact(self, iri: str, key: str, prop: str, values: list[str], stated: float, slide: int) -> None:
        """Values of prop for iri: stated with probability `stated`, else interpreted with a record saying why."""
        if self.rng.random() < stated:
            for v in values:
                self.add(iri, prop, v)
            return
        for v in values:
            self.add(iri, prop, v, 1)
        local = prop.split(":", 1)[1]
        record = syn(f"interpretation/{key}-{local}")
        self.resource(record, "ecograph:Interpretation", f"合成データ {key} の {local} の解釈",
                      f"Interpretation of {local} of synthetic {key}", slide, 1)
        self.add(record, "ecograph:interpretsResource", iri, 1)
        self.add(record, "ecograph:interpretsProperty", n(prop), 1)
        reason = REASONS[local]
        self.add(record, "ecograph:reason", lit(reason[0], "ja"), 1)
        self.add(record, "ecograph:reason", lit(reason[1], "en"), 1)

    def unknown(self, iri: str, key: str, prop: str, slide: int) -> None:
        """An ecograph:Unknown: the synthetic source leaves prop of iri unknown."""
        local = prop.split(":", 1)[1]
        record = syn(f"unknown/{key}-{local}")
        self.resource(record, "ecograph:Unknown", f"合成データ {key} の {local} は不明",
                      f"The {local} of synthetic {key} is unknown", slide)
        self.add(record, "ecograph:unknownResource", iri)
        self.add(record, "ecograph:unknownProperty", n(prop))
        self.add(record, "ecograph:reason", lit(UNKNOWN[local][0], "ja"))
        self.add(record, "ecograph:reason", lit(UNKNOWN[local][1], "en"))

    # ------------------------------------------------------------------ the whole ecosystem

    def write(self) -> None:
        self.header()
        planned = max(12, round(math.sqrt(self.target) / 5))  # programs grow slower than projects, as in real data
        i = 0
        while True:
            pending = sum(15 + len(progs) for progs in self.lines.values())
            remaining = self.target - self.sink.written - pending
            if i >= len(FIRST) and remaining < 60:
                break
            self.program(i, remaining / max(1, planned - i))
            if i % 12 == 0:
                self.hearing()
            i += 1
            self.sink.flush()
        for (kind, stakeholder), progs in list(self.lines.items()):
            self.close_line(kind, stakeholder, progs)
        self.sink.flush()

    def header(self) -> None:
        doc = syn("source/document")
        self.resource(doc, "ecograph:SourceDocument",
                      f"合成データ（実在しない資料）：ecograph synth、シード {self.seed}、約 {self.target} 三つ組",
                      f"Synthetic data (not a real document): ecograph synth, seed {self.seed}, about {self.target} triples", 1)
        self.add(doc, "rdfs:comment", lit("この資料とそれをたどるすべての事実は ecograph synth が乱数で作ったもので、"
                                          "実在の事業・組織・人物を表さない。", "ja"))
        self.add(doc, "rdfs:comment", lit("This document and every fact traced to it were made at random by ecograph synth; "
                                          "they describe no real program, organisation or person.", "en"))
        self.add(doc, "dcterms:creator", n("id:agent/ecograph-project"))
        for number, (ja, en) in enumerate(SLIDES, 1):
            slide = self.slide(number)
            self.resource(slide, "ecograph:Slide", f"合成スライド{number}：{ja}", f"Synthetic slide {number}: {en}", number)
            self.add(slide, "ecograph:slideNumber", typed(number, "integer"))
            self.add(slide, "ecograph:numberPrinted", typed("false", "boolean"))
            self.add(slide, "ecograph:document", doc)
        self.structure("simple", ("applications", "adopted"), 4)
        self.structure("full", [m for m in MEASURES] + [m + "ViCLE" for m in VICLE], 5)
        for stakeholder in STAKEHOLDERS:  # an organisation of every stakeholder type, whatever the size
            self.organisation(stakeholder)

    def structure(self, key: str, measures, slide: int) -> None:
        """A qb:DataStructureDefinition: the call as dimension, then the measures."""
        dsd = syn(f"structure/{key}")
        self.resource(dsd, "qb:DataStructureDefinition", f"合成統計表の構造（{key}）", f"Structure of synthetic tables ({key})", slide)
        for order, (role, prop) in enumerate([("dimension", "call")] + [("measure", m) for m in measures], 1):
            component = syn(f"structure/{key}-{prop}")
            self.add(dsd, "qb:component", component)
            role_ja = "次元" if role == "dimension" else "測度"
            self.resource(component, "qb:ComponentSpecification", f"{prop}（{role_ja}）", f"{prop} ({role})", slide)
            self.add(component, f"qb:{role}", n(f"ecograph:{prop}"))
            self.add(component, "qb:order", typed(order, "integer"))

    # ------------------------------------------------------------------ programs, amounts and readings

    def program(self, i: int, budget: float) -> None:
        """One program with its amount, readings, support line and, for most, calls, statistics and projects."""
        start, rng = self.sink.written, self.rng
        kind, amount_kind = FIRST[i] if i < len(FIRST) else (rng.choice(self.kinds), None)
        amount_kind = amount_kind or ("tax" if kind == "tax" else rng.choice(self.amounts))
        _, _phases, stakeholders, _ministries, _milestones, pj, suffix, _ = KINDS[kind]
        number = self.next("program")
        iri, key = syn(f"program/{number}"), f"program-{number}"
        (pre_ja, pre_en), (theme_ja, theme_en) = rng.choice(PREFIXES), rng.choice(THEMES)
        name_ja, name_en = f"{pre_ja}{theme_ja}{suffix[0]}（合成{number}）", f"{pre_en} {suffix[1]} for {theme_en} (synthetic {number})"
        self.resource(iri, "ecograph:SupportProgram", name_ja, name_en, 2)
        self.add(iri, "ecograph:programNumber", typed(i % 32 + 1, "integer"))  # the shapes allow the chart's numbers 1–32 only
        self.add(iri, "ecograph:programKey", lit(str(i % 32 + 1)))
        written = self.amount(iri, number, amount_kind, name_ja, name_en)
        self.add(iri, "ecograph:asWritten", lit(f"{name_ja}（{written}）" if written else name_ja, "ja"))
        if pj:
            self.add(iri, "dcterms:isPartOf", n(f"id:pj/{pj}"))
        sure = i < len(FIRST)  # the first programs are typical of their kind: main stakeholder, every phase and milestone
        main = stakeholders[0] if sure else rng.choice(stakeholders)
        own = list(dict.fromkeys([main] + [s for s in stakeholders if rng.random() < 0.3]))
        self.readings(iri, key, kind, own, sure)
        self.join_line(kind, own[0], iri, i % 32 + 1)
        if kind != "tax" and (sure or rng.random() < (0.3 if kind == "pmda" else 0.9)):
            left = budget - (self.sink.written - start)
            if amount_kind in ("fund", "investment") or rng.random() < 0.2:
                self.calls_full(iri, number, own, left)
            else:
                self.calls_simple(iri, number, own, left, sure or rng.random() < 0.5)

    def amount(self, program: str, number: int, kind: str, name_ja: str, name_en: str) -> str:
        """The program's schema:MonetaryAmount of the given kind; returns the amount as written ('' if none)."""
        if kind == "none":
            return ""
        iri, rng = syn(f"amount/{number}"), self.rng
        self.add(program, "ecograph:amount", iri)
        self.resource(iri, "schema:MonetaryAmount", f"{name_ja}の金額", f"Amount of {name_en}", 2)
        self.add(iri, "ecograph:amountKind", n(f"id:amount-kind/{kind}"))
        written = {"fund": "基金事業", "investment": "出資金事業", "tax": ""}.get(kind, "")
        if kind in ("annual", "total"):
            tenths = rng.randint(5, 1000) if kind == "annual" else rng.randint(50, 600) * 10
            self.add(iri, "schema:value", typed(f"{tenths * 10_000_000}", "decimal"))
            self.add(iri, "schema:currency", lit("JPY"))
            written = ("総額" if kind == "total" else "") + f"{_oku(tenths)}億円"
        elif kind == "part-of":
            parent, tenths = syn(f"amount/{number}-parent"), rng.randint(20, 200) * 10
            self.add(iri, "ecograph:partOfAmount", parent)
            self.resource(parent, "schema:MonetaryAmount", f"{name_ja}を内数とする金額", f"The amount that {name_en} is a part of", 2)
            self.add(parent, "ecograph:amountKind", n("id:amount-kind/annual"))
            self.add(parent, "schema:value", typed(f"{tenths * 10_000_000}", "decimal"))
            self.add(parent, "schema:currency", lit("JPY"))
            self.add(parent, "ecograph:asWritten", lit(f"{_oku(tenths)}億円", "ja"))
            self.unknown(parent, f"amount-{number}-parent", "ecograph:amountOf", 2)
            written = f"{_oku(tenths)}億円の内数"
        if written:
            self.add(iri, "ecograph:asWritten", lit(written, "ja"))
        return written

    def readings(self, iri: str, key: str, kind: str, own: list[str], sure: bool) -> None:
        """Kind of support, phases, milestones, ministry and audience: stated, interpreted or unknown."""
        rng = self.rng
        _, phases, _, ministries, milestones, *_ = KINDS[kind]
        self.fact(iri, key, "ecograph:supportKind", [n(f"id:support-kind/{kind}")], 0.3, 2)
        if phases:
            chosen = [p for p in phases if sure or rng.random() < 0.6] or [rng.choice(phases)]
            self.fact(iri, key, "ecograph:phase", [n(f"id:phase/{p}") for p in chosen], 0.3, 2)
        else:
            self.unknown(iri, key, "ecograph:phase", 2)
        if milestones and (sure or rng.random() < 0.5):
            chosen = milestones if sure else rng.sample(milestones, rng.randint(1, len(milestones)))
            self.fact(iri, key, "ecograph:milestone", [n(f"id:milestone/{m}") for m in chosen], 0.1, 2)
        elif milestones:
            self.unknown(iri, key, "ecograph:milestone", 2)
        mode, ministry = rng.random(), n(f"id:agent/{rng.choice(ministries)}")
        if mode < 0.15 and not sure:
            self.attribution(iri, key, ministry)
        elif mode < 0.55 or sure:
            self.fact(iri, key, "ecograph:ministry", [ministry], 0.0, 2)
        else:
            self.unknown(iri, key, "ecograph:ministry", 2)
        if rng.random() < 0.3:
            for stakeholder in own:
                self.add(iri, "dcterms:audience", n(f"id:stakeholder/{stakeholder}"))
        if kind == "commercialisation" and rng.random() < 0.2:
            for stage in rng.sample(("nonclinical-study", "phase-1", "phase-2", "exploratory-clinical"), 2):
                self.add(iri, "ecograph:developmentStage", n(f"id:stage/{stage}"))

    def attribution(self, iri: str, key: str, ministry: str) -> None:
        """A stated ministry, with its prov:Attribution as in the seed."""
        attribution = syn(f"attribution/{key}-ministry")
        self.add(iri, "ecograph:ministry", ministry)
        self.add(iri, "prov:qualifiedAttribution", attribution)
        self.resource(attribution, "prov:Attribution", f"合成データ {key} の所管", f"Responsibility for synthetic {key}", 2)
        self.add(attribution, "prov:agent", ministry)
        self.add(attribution, "prov:hadRole", n("id:role/responsible-ministry"))

    def join_line(self, kind: str, stakeholder: str, program: str, number: int) -> None:
        """Put the program on the open support line of its kind and stakeholder; close the line when full."""
        line = self.lines.setdefault((kind, stakeholder), [self.rng.randint(2, 6)])
        line.append((program, number))
        if len(line) > line[0]:
            self.close_line(kind, stakeholder, line)

    def close_line(self, kind: str, stakeholder: str, line: list) -> None:
        del self.lines[(kind, stakeholder)]
        number, (ja, en) = self.next("line"), KINDS[kind][7]
        iri = syn(f"support-line/{number}")
        self.resource(iri, "ecograph:SupportLine", f"{ja}（合成{number}）", f"{en} (synthetic {number})", 3)
        self.add(iri, "ecograph:asWritten", lit(f"{ja}（{'・'.join(str(num) for _, num in line[1:])}）", "ja"))
        self.add(iri, "ecograph:position", typed(number, "integer"))
        for program, _ in line[1:]:
            self.add(iri, "ecograph:program", program)
        self.fact(iri, f"support-line-{number}", "ecograph:stakeholder", [n(f"id:stakeholder/{stakeholder}")], 0.1, 3)

    # ------------------------------------------------------------------ calls and their statistics

    def adoptions(self, calls: int, budget: float, overhead: int) -> list[int]:
        """Adopted projects per call, from the budget left for projects; later calls adopt more (as in the seed)."""
        projects = max(0, int((budget - overhead * calls) / self.PROJECT_COST))
        weights = [self.rng.uniform(0.5, 1.5) * (1 + 0.3 * k) for k in range(calls)]
        counts = [int(projects * w / sum(weights)) for w in weights]
        counts[-1] += projects - sum(counts)
        return counts

    def dataset(self, program: str, number: int, structure: str, slide: int) -> str:
        iri = syn(f"dataset/{number}")
        self.resource(iri, "qb:DataSet", f"合成事業{number}の採択状況", f"Adoptions of synthetic program {number}", slide)
        self.add(iri, "qb:structure", syn(f"structure/{structure}"))
        self.add(iri, "dcterms:subject", program)
        return iri

    def calls_simple(self, program: str, number: int, own: list[str], budget: float, table: bool) -> None:
        """Calls like AIMGAIN's: applicant types, months and adopted projects; a last one may be planned. About
        half of these programs publish a table of applications and adoptions (a dataset) as AIMGAIN does."""
        rng = self.rng
        dataset = self.dataset(program, number, "simple", 4) if table else None
        calls = max(1, min(7, int(budget // 120)))
        adopted_list, planned = self.adoptions(rng.randint(min(2, calls), calls), budget - 8, 24), rng.random() < 0.3
        ym = (rng.randint(2017, 2020), rng.randint(1, 12))
        for k, adopted in enumerate(adopted_list + ([None] if planned else []), 1):
            call = syn(f"call/{number}-{k}")
            self.resource(call, "ecograph:Call", f"合成事業{number} {k}次公募", f"Synthetic program {number}, call {k}", 4)
            self.add(call, "dcterms:isPartOf", program)
            self.add(call, "ecograph:callNumber", typed(k, "integer"))
            for stakeholder in rng.sample(own, rng.randint(1, len(own))):
                self.add(call, "ecograph:applicantType", n(f"id:stakeholder/{stakeholder}"))
            self.add(call, "ecograph:opened", typed(f"{ym[0]}-{ym[1]:02d}", "gYearMonth"))
            self.add(call, "ecograph:planned", typed("true" if adopted is None else "false", "boolean"))
            self.add(call, "ecograph:asWritten", lit(f"{k}次公募 {ym[0]}年{ym[1]}月{'（予定）' if adopted is None else ''}", "ja"))
            if adopted is None:
                for prop in ("researchStarted", "applications", "adopted"):
                    self.unknown(call, f"call-{number}-{k}", f"ecograph:{prop}", 4)
                break
            started = _months(ym, rng.randint(4, 8))
            self.add(call, "ecograph:researchStarted", typed(f"{started[0]}-{started[1]:02d}", "gYearMonth"))
            applications = adopted + rng.randint(adopted, 4 * adopted + 3)
            if dataset:
                self.observation(f"{number}-{k}", dataset, call, {"applications": applications, "adopted": adopted},
                                 f"合成事業{number} {k}次公募の申請数・採択数",
                                 f"Synthetic program {number}, call {k}: applications and adoptions", 4)
            self.projects(call, adopted, own, started)
            ym = _months(ym, rng.randint(5, 10))

    def observation(self, key: str, dataset: str, call: str, figures: dict, ja: str, en: str, slide: int) -> None:
        """One row of a statistics table, with its figures as written (contract amounts in 億円)."""
        obs = syn(f"observation/{key}")
        self.resource(obs, "qb:Observation", ja, en, slide)
        self.add(obs, "qb:dataSet", dataset)
        self.add(obs, "ecograph:call", call)
        shown = []
        for measure in MEASURES:
            if measure in figures:
                value = figures[measure]
                amount = measure == "contractAmount"
                self.add(obs, f"ecograph:{measure}", typed(f"{value}", "decimal") if amount else typed(value, "integer"))
                shown.append(str(value // 100_000_000) if amount else str(value))
            if measure + "ViCLE" in figures:
                self.add(obs, f"ecograph:{measure}ViCLE", typed(figures[measure + "ViCLE"], "integer"))
                shown.append(f"({figures[measure + 'ViCLE']})")
        self.add(obs, "ecograph:asWritten", lit(" ".join(shown), "ja"))

    def figures(self, adopted: int, vicle: bool) -> dict:
        """A CiCLE-like row whose statuses add up to the adoptions, ViCLE (startup-type) parts included."""
        rng = self.rng
        av = rng.randint(0, adopted) if vicle else 0
        f = {"applications": adopted + rng.randint(adopted, 4 * adopted + 3), "adopted": adopted,
             "contractAmount": (adopted * rng.randint(3, 30) + rng.randint(0, 9) if adopted else 0) * 100_000_000}
        f.update({s: 0 for s in STATUS})
        if vicle:
            f.update({"applicationsViCLE": av + rng.randint(0, min(f["applications"] - adopted, 3 * av + 2)), "adoptedViCLE": av})
            f.update({s + "ViCLE": 0 for s in STATUS[:4]})
        for project in range(adopted):
            status = rng.choice(STATUS[:4]) if project < av else rng.choice(STATUS[:4] * 8 + STATUS[4:])
            f[status] += 1
            if project < av:
                f[status + "ViCLE"] += 1
        return f

    def calls_full(self, program: str, number: int, own: list[str], budget: float) -> None:
        """Rounds like CiCLE's: fiscal years, ViCLE parts, contract amounts, statuses, tracks and a total row."""
        rng = self.rng
        dataset = self.dataset(program, number, "full", 5)
        self.add(dataset, "ecograph:asOf", typed("2025-03-31", "date"))
        year, vicle_from, totals = rng.randint(2017, 2020), rng.randint(1, 3), {}
        rounds = max(1, min(8, int(budget // 200)))
        for k, adopted in enumerate(self.adoptions(rng.randint(min(3, rounds), rounds), budget - 40, 40), 1):
            call = syn(f"call/{number}-{k}")
            self.resource(call, "ecograph:Call", f"合成事業{number} 第{k}回公募", f"Synthetic program {number}, round {k}", 5)
            self.add(call, "dcterms:isPartOf", program)
            self.add(call, "ecograph:callNumber", typed(k, "integer"))
            self.add(call, "ecograph:fiscalYear", n(f"id:fiscal-year/{year}"))  # the seed's fiscal years 2017–2022
            self.add(call, "ecograph:planned", typed("false", "boolean"))
            self.add(call, "ecograph:asWritten", lit(f"第{k}回公募 {year}年度", "ja"))
            f = self.figures(adopted, k >= vicle_from)
            self.observation(f"{number}-{k}", dataset, call, f, f"合成事業{number} 第{k}回公募の採択状況",
                             f"Synthetic program {number}, round {k}: adoptions", 5)
            for measure, value in f.items():
                totals[measure] = totals.get(measure, 0) + value
            if adopted >= 2 and (rng.random() < 0.2 or "track" not in self.count):  # at least one split round
                self.tracks(number, k, dataset, call, f, own, (year, 4))
            else:
                self.projects(call, adopted, own, (year, 4))
            year = min(2022, year + (rng.random() < 0.7))
        total = syn(f"call/{number}-total")
        self.resource(total, "ecograph:CallTotal", f"合成事業{number} 合計", f"Synthetic program {number}: total", 5)
        self.add(total, "dcterms:isPartOf", program)
        self.add(total, "ecograph:asWritten", lit("合計", "ja"))
        self.observation(f"{number}-total", dataset, total, totals, f"合成事業{number} 合計の採択状況",
                         f"Synthetic program {number}, total: adoptions", 5)

    def split(self, total: int, parts: int) -> list[int]:
        cuts = sorted(self.rng.randint(0, total) for _ in range(parts - 1))
        return [b - a for a, b in zip([0] + cuts, cuts + [total])]

    def tracks(self, number: int, k: int, dataset: str, call: str, f: dict, own: list[str], started) -> None:
        """Split a round into COVID-19 and regular tracks whose figures add up to the round's."""
        names = ("covid-1", "regular") if self.rng.random() < 0.6 else ("covid-1", "covid-2", "regular")
        av, vicle = f.get("adoptedViCLE", 0), "adoptedViCLE" in f
        parts = [self.split(v, len(names)) for v in (av, f["adopted"] - av, f.get("applicationsViCLE", 0) - av,
                                                     f["applications"] - f.get("applicationsViCLE", 0) - (f["adopted"] - av),
                                                     f["contractAmount"] // 100_000_000)]
        for t, name in enumerate(names):
            self.next("track")
            a_v, a_n, e_v, e_n, oku = (p[t] for p in parts)
            track = syn(f"call/{number}-{k}-{name}")
            (t_ja, t_en), label = TRACKS[name], f"合成事業{number} 第{k}回公募（{TRACKS[name][0]}）"
            self.resource(track, "ecograph:CallTrack", label, f"Synthetic program {number}, round {k} ({t_en})", 5)
            self.add(track, "dcterms:isPartOf", call)
            self.add(track, "ecograph:callNumber", typed(k, "integer"))
            self.add(track, "ecograph:track", n(f"id:track/{name}"))
            self.add(track, "ecograph:planned", typed("false", "boolean"))
            self.add(track, "ecograph:asWritten", lit(t_ja, "ja"))
            figures = {"applications": a_v + a_n + e_v + e_n, "adopted": a_v + a_n, "contractAmount": oku * 100_000_000}
            if vicle:
                figures.update({"applicationsViCLE": a_v + e_v, "adoptedViCLE": a_v})
            self.observation(f"{number}-{k}-{name}", dataset, track, figures, f"{label}の採択状況",
                             f"Synthetic program {number}, round {k} ({t_en}): adoptions", 5)
            self.projects(track, a_v + a_n, own, started)

    # ------------------------------------------------------------------ funded projects, organisations, people

    def projects(self, call: str, count: int, own: list[str], started: tuple[int, int]) -> None:
        """`count` funded projects adopted in the call, each with a lead institution and a principal investigator."""
        rng = self.rng
        for _ in range(count):
            number = self.next("project")
            iri = syn(f"project/{number}")
            (t_ja, t_en), (m_ja, m_en), (a_ja, a_en) = rng.choice(TARGETS), rng.choice(MODALITIES), rng.choice(ACTIVITIES)
            title = f"{t_ja}を標的とする{m_ja}の{a_ja}（合成）"
            self.resource(iri, "ecograph:FundedProject", title, f"{a_en} of {m_en} targeting {t_en} (synthetic)", 6)
            self.add(iri, "dcterms:title", lit(title, "ja"))
            self.add(iri, "ecograph:adoptedIn", call)
            self.add(iri, "ecograph:leadInstitution", self.lead(own))
            self.add(iri, "ecograph:principalInvestigator", self.person())
            if rng.random() < 0.1:
                self.evaluation(iri, number, _months(started, rng.randint(12, 30)))
            if number % 2_000 == 0:  # keep the buffers small and the progress bar moving inside a large program
                self.sink.flush()

    def evaluation(self, project: str, number: int, when: tuple[int, int]) -> None:
        iri, (ja, en) = syn(f"evaluation/{number}"), self.rng.choice(DECISIONS)
        self.resource(iri, "ecograph:Evaluation", f"合成課題{number}の中間評価", f"Interim evaluation of synthetic project {number}", 6)
        self.add(iri, "ecograph:evaluated", project)
        self.add(iri, "ecograph:evaluationDate", typed(f"{when[0]}-{when[1]:02d}", "gYearMonth"))
        self.add(iri, "ecograph:decision", lit(ja, "ja"))
        self.add(iri, "ecograph:decision", lit(en, "en"))

    def lead(self, own: list[str]) -> str:
        """A lead institution: mostly an organisation of the program's stakeholders, reused across projects."""
        rng = self.rng
        stakeholder = rng.choice(own) if rng.random() < 0.9 else rng.choice(STAKEHOLDERS)
        pool = self.orgs[stakeholder]
        org = syn(f"organisation/{self.organisation(stakeholder) if not pool or rng.random() < 0.4 else rng.choice(pool)}")
        if rng.random() >= 0.1:
            return org
        if self.units and rng.random() < 0.7:
            return syn(f"unit/{rng.choice(self.units)}")
        number = self.next("unit")
        unit = syn(f"unit/{number}")
        self.resource(unit, "org:OrganizationalUnit", f"合成研究室{number}", f"Synthetic laboratory {number}", 6)
        self.add(unit, "org:unitOf", org)
        self.units.append(number)
        return unit

    def organisation(self, stakeholder: str) -> int:
        """A fictitious organisation (its number); its kind of stakeholder (org:classification) is mostly read from its name."""
        number, rng = self.next("organisation"), self.rng
        (p_ja, p_en), (w_ja, w_en) = rng.choice(PLACES), rng.choice(WORDS)
        ja, en = ORG_NAMES[stakeholder]
        iri = syn(f"organisation/{number}")
        self.resource(iri, "org:FormalOrganization", ja.format(p=p_ja, w=w_ja) + f"（架空{number}）",
                      en.format(P=p_en, W=w_en) + f" (fictitious {number})", 6)
        self.fact(iri, f"organisation-{number}", "org:classification", [n(f"id:stakeholder/{stakeholder}")], 0.1, 6)
        self.orgs[stakeholder].append(number)
        return number

    def person(self) -> str:
        rng = self.rng
        if self.people and rng.random() < 0.5:
            return syn(f"person/{rng.choice(self.people)}")
        number = self.next("person")
        (f_ja, f_en), (g_ja, g_en) = rng.choice(FAMILY), rng.choice(GIVEN)
        iri, name = syn(f"person/{number}"), f"{f_ja} {g_ja}（架空{number}）"
        self.resource(iri, "foaf:Person", name, f"{g_en} {f_en} (fictitious {number})", 6)
        self.add(iri, "rdf:type", n("prov:Agent"))
        self.add(iri, "foaf:name", lit(name, "ja"))
        self.people.append(number)
        return iri

    def hearing(self) -> None:
        """A hearing and the issues heard in it; each issue's group is mostly an interpretation."""
        rng, number = self.rng, self.next("hearing")
        iri, group = syn(f"hearing/{number}"), syn(f"agent/hearing-{number}")
        participants = rng.randint(5, 30)
        self.resource(iri, "ecograph:Hearing", f"合成ヒアリング{number}", f"Synthetic hearing {number}", 7)
        self.add(iri, "ecograph:participantCount", typed(participants, "integer"))
        self.add(iri, "ecograph:asWritten", lit(f"{participants}の企業等にヒアリングを実施（合成）", "ja"))
        self.add(iri, "prov:wasAssociatedWith", n(f"id:agent/{rng.choice(('cabinet-office', 'meti', 'mhlw', 'mext'))}"))
        self.resource(group, "prov:Agent", f"合成ヒアリング{number}の参加者（{participants}の企業等）", f"Participants of synthetic hearing {number}", 7)
        self.add(group, "rdf:type", n("foaf:Group"))
        for position in range(1, rng.randint(6, 14) + 1):
            ja, en, subject = rng.choice(ISSUES)
            issue_number = self.next("issue")
            issue = syn(f"hearing-issue/{issue_number}")
            self.resource(issue, "ecograph:HearingIssue", f"{ja}（合成{issue_number}）", f"{en} (synthetic {issue_number})", 7)
            self.add(issue, "prov:wasGeneratedBy", iri)
            self.add(issue, "prov:wasAttributedTo", group)
            self.add(issue, "ecograph:position", typed(position, "integer"))
            self.fact(issue, f"hearing-issue-{issue_number}", "dcterms:subject", [n(f"id:issue-group/{subject}")], 0.1, 7)


# ---------------------------------------------------------------------- the entry points

def check_out(out: Path, force: bool = False) -> None:
    """Refuse an output that exists and is not an empty directory, unless force."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise UsageError(f"{out} is not empty",
                         "Choose a new directory, or pass --force to replace its ontology/, shapes/, queries/ and data/.")


def _copy_project(root: Path, out: Path) -> None:
    """Copy the inputs of a build from root into out, replacing out's own copies; never root's."""
    src, dst = root.resolve(), out.resolve()
    if dst == src or any(src == dst / part or (dst / part) in src.parents for part in PARTS):
        raise UsageError(f"{out} would overwrite the project at {root}", "Choose an output directory outside the project.")
    out.mkdir(parents=True, exist_ok=True)
    for part in PARTS:
        shutil.rmtree(out / part, ignore_errors=True)
        shutil.copytree(root / part, out / part, ignore=shutil.ignore_patterns("synthetic.nt"))
    (out / "data" / "interpreted").mkdir(exist_ok=True)


def synthesize(root: Path, out: Path, triples: int, seed: int = 0,
               progress: Callable[[int], None] | None = None) -> SynthResult:
    """Write a project root at out: root's ontology/, shapes/, queries/ and data/, plus about `triples` synthetic
    triples (within ±10%) in data/synthetic.nt and data/interpreted/synthetic.nt.

    Args:
        progress: called with the number of triples written since its last call.
    Returns:
        the counts of synthetic stated and interpreted triples, and the two files.
    """
    if triples < MIN_TRIPLES:
        raise UsageError(f"--triples must be at least {MIN_TRIPLES}",
                         "The first programs, one of every kind, and the fixed part take about that many.")
    root, out = Path(root), Path(out)
    _copy_project(root, out)
    files = [out / "data" / "synthetic.nt", out / "data" / "interpreted" / "synthetic.nt"]
    with files[0].open("w", encoding="utf-8", newline="\n") as stated, files[1].open("w", encoding="utf-8", newline="\n") as interpreted:
        sink = _Sink(stated, interpreted, progress)
        _Ecosystem(sink, random.Random(seed), triples, seed).write()
    return SynthResult(out=out, stated=sink.counts[0], interpreted=sink.counts[1], files=files, seed=seed, target=triples)
