"""The words and terms of tools/synth.py's synthetic ecosystem: its namespaces, the seed's slides, stakeholders and
kinds of program, the word lists its names are made from, and the N-Triples terms it writes (IRIs and literals)."""

from __future__ import annotations

import functools

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


@functools.cache
def n(curie: str) -> str:
    """A CURIE of a vocabulary term (ecograph:slide, id:phase/preclinical) as an N-Triples IRI."""
    prefix, local = curie.split(":", 1)
    return f"<{NS[prefix]}{local}>"


def syn(local: str) -> str:
    """A synthetic instance IRI (not cached: there are millions)."""
    return f"<{SYN}{local}>"


def escape(text: str) -> str:
    if '"' in text or "\\" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return text


def lit(text: str, lang: str | None = None) -> str:
    """A string literal, language-tagged if lang is given (else xsd:string)."""
    return f'"{escape(text)}"@{lang}' if lang else f'"{escape(text)}"'


def typed(value, datatype: str) -> str:
    """A typed literal: typed(3, "integer"), typed("2024-05", "gYearMonth")."""
    return f'"{value}"^^<{NS["xsd"]}{datatype}>'


def oku(tenths: int) -> str:
    """Tenths of 億円 as written: 93 → 9.3, 300 → 30."""
    return f"{tenths // 10}.{tenths % 10}" if tenths % 10 else str(tenths // 10)


def months(ym: tuple[int, int], months: int) -> tuple[int, int]:
    index = ym[0] * 12 + ym[1] - 1 + months
    return index // 12, index % 12 + 1
