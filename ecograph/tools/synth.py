"""Synthetic ecosystems for scale work (issue 5): synthesize() writes a project root whose data/ holds the seed and,
beside it, N-Triples of invented programs, amounts, support lines, calls with their statistics tables, funded
projects, organisations, people and hearings, shaped like the seed and conforming to the shapes.

Everything invented lives under https://w3id.org/ecograph/id/synthetic/ and traces to a synthetic source document
that says so in its label and comment, so it can never pass for the real document. Interpretations go to
data/interpreted/synthetic.nt, each with its ecograph:Interpretation record, in about the seed's proportion.
Lines are written as they are made (no rdflib graph): memory stays flat and 10M triples take about half a minute.
The same triples and seed give the same bytes (one random.Random, no clock, no hash order).

Its words and N-Triples terms are synth_terms.py's; the calls, funded projects, organisations, people and hearings
are written by synth_calls.Calls, part of _Ecosystem here."""

from __future__ import annotations

import math
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ecograph.errors import UsageError
from ecograph.tools.synth_calls import Calls
from ecograph.tools.synth_terms import (
    AMOUNTS,
    FIRST,
    KINDS,
    MEASURES,
    PREFIXES,
    REASONS,
    SLIDES,
    STAKEHOLDERS,
    THEMES,
    UNKNOWN,
    VICLE,
    lit,
    n,
    oku,
    syn,
    typed,
)

MIN_TRIPLES = 2_000
PARTS = ("ontology", "shapes", "queries", "data")



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


class _Ecosystem(Calls):
    """Writes one synthetic ecosystem of about `target` triples into a sink."""

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
            written = ("総額" if kind == "total" else "") + f"{oku(tenths)}億円"
        elif kind == "part-of":
            parent, tenths = syn(f"amount/{number}-parent"), rng.randint(20, 200) * 10
            self.add(iri, "ecograph:partOfAmount", parent)
            self.resource(parent, "schema:MonetaryAmount", f"{name_ja}を内数とする金額", f"The amount that {name_en} is a part of", 2)
            self.add(parent, "ecograph:amountKind", n("id:amount-kind/annual"))
            self.add(parent, "schema:value", typed(f"{tenths * 10_000_000}", "decimal"))
            self.add(parent, "schema:currency", lit("JPY"))
            self.add(parent, "ecograph:asWritten", lit(f"{oku(tenths)}億円", "ja"))
            self.unknown(parent, f"amount-{number}-parent", "ecograph:amountOf", 2)
            written = f"{oku(tenths)}億円の内数"
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
