"""The calls of tools/synth.py's synthetic ecosystem and what follows from them: each call's statistics (datasets
and observations), funded projects with their evaluations, the organisations and people that lead them, and the
hearings. Calls is part of synth._Ecosystem, whose state (the sink, the random generator, the counters) and
writers (add, resource, fact, unknown) its methods use."""

from __future__ import annotations

from ecograph.tools.synth_terms import (
    ACTIVITIES,
    DECISIONS,
    FAMILY,
    GIVEN,
    ISSUES,
    MEASURES,
    MODALITIES,
    ORG_NAMES,
    PLACES,
    STAKEHOLDERS,
    STATUS,
    TARGETS,
    TRACKS,
    WORDS,
    lit,
    months,
    n,
    syn,
    typed,
)


class Calls:
    """The calls, funded projects, organisations, people and hearings of a synthetic ecosystem (synth._Ecosystem)."""

    PROJECT_COST = 17  # triples per funded project with its share of organisations, people and evaluations

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
            started = months(ym, rng.randint(4, 8))
            self.add(call, "ecograph:researchStarted", typed(f"{started[0]}-{started[1]:02d}", "gYearMonth"))
            applications = adopted + rng.randint(adopted, 4 * adopted + 3)
            if dataset:
                self.observation(f"{number}-{k}", dataset, call, {"applications": applications, "adopted": adopted},
                                 f"合成事業{number} {k}次公募の申請数・採択数",
                                 f"Synthetic program {number}, call {k}: applications and adoptions", 4)
            self.projects(call, adopted, own, started)
            ym = months(ym, rng.randint(5, 10))

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
                self.evaluation(iri, number, months(started, rng.randint(12, 30)))
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
