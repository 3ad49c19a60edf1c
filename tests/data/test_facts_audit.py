"""Issue 16, item 7 ("Facts"): the fact corrections of the independent audit, read back from the built graph.

Each test reads the session's build (the stated and interpreted graphs of dist/dataset.nq) and checks one
correction: stated facts stay in the stated graph with their slide, readings the text does not state stay in
the interpreted graph with an ecograph:Interpretation record.
"""

from __future__ import annotations

import re

import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from ecograph.namespaces import ECO, ID, INTERPRETED, STATED
from tests.helpers import rdfload

SLIDE = ID["source/slide/"]
FOOTNOTE = ID["footnote/main-programs-milestones"]


@pytest.fixture(scope="module")
def graphs(built_settings):
    return rdfload.graphs(built_settings.dist / "dataset.nq")


@pytest.fixture(scope="module")
def stated(graphs):
    return graphs[STATED]


@pytest.fixture(scope="module")
def interpreted(graphs):
    return graphs[INTERPRETED]


def _text(graph, subject, prop, lang):
    values = [o for o in graph.objects(subject, prop) if isinstance(o, Literal) and o.language == lang]
    assert len(values) == 1, (subject, prop, lang, values)
    return str(values[0])


def _records(graph, resource, prop):
    return [
        r
        for r in graph.subjects(ECO.interpretsResource, resource)
        if (r, ECO.interpretsProperty, prop) in graph and (r, RDF.type, ECO.Interpretation) in graph
    ]


def _circled(n: int) -> str:
    """The circled numeral the source writes for program n (① to ㉜)."""
    return chr(0x2460 + n - 1) if n <= 20 else chr(0x3251 + n - 21)


def test_issue_16_program_11_is_delivered_through_dbj_and_jic(stated, interpreted):
    program, implementer = ID["program/11"], ID["role/implementer"]
    # the name as written on slide 10 names the funds: 官民ファンドによる資金供給支援(DBJ・JIC等)
    assert "DBJ・JIC等" in _text(stated, program, ECO.asWritten, "ja")
    assert set(stated.objects(program, PROV.wasAttributedTo)) == {ID["agent/dbj"], ID["agent/jic"]}
    agents = set()
    for attribution in stated.objects(program, PROV.qualifiedAttribution):
        agent = stated.value(attribution, PROV.agent)
        if stated.value(attribution, PROV.hadRole) == implementer:
            agents.add(agent)
            assert (attribution, ECO.slide, SLIDE + "10") in stated
    assert agents == {ID["agent/dbj"], ID["agent/jic"]}
    assert (implementer, RDF.type, PROV.Role) in stated
    # stated, not a reading; and DBJ and JIC are no longer orphans
    assert not _records(interpreted, program, PROV.wasAttributedTo)
    for agent in (ID["agent/dbj"], ID["agent/jic"]):
        assert list(stated.subjects(None, agent)), agent


def test_issue_16_milestone_note_is_a_resource_the_milestone_readings_derive_from(stated, interpreted):
    assert (FOOTNOTE, RDF.type, ECO.Footnote) in stated
    assert (FOOTNOTE, ECO.slide, SLIDE + "10") in stated
    assert str(stated.value(FOOTNOTE, ECO.footnoteMark)) == "※"
    assert _text(stated, FOOTNOTE, ECO.asWritten, "ja").startswith("※創薬・事業化マイルストーンは一般的な時期をイメージとして記載したもの")
    assert "illustration" in _text(stated, FOOTNOTE, RDFS.label, "en")
    # the 7 program → milestone links are interpretations, and each one's record derives from the note
    links = [(p, m) for p, m in interpreted.subject_objects(ECO.milestone) if (p, RDF.type, ECO.SupportProgram) in stated]
    assert len(links) == 7
    for program, _ in links:
        records = _records(interpreted, program, ECO.milestone)
        assert records, program
        for record in records:
            assert (record, PROV.wasDerivedFrom, FOOTNOTE) in interpreted, record
            assert "※" in _text(interpreted, record, ECO.reason, "ja")
    # the order of the drug-discovery milestones cites the same note in its reasons
    order = _records(interpreted, ID["scheme/milestone-drug"], SKOS.memberList)
    assert order and all((r, PROV.wasDerivedFrom, FOOTNOTE) in interpreted for r in order)


def test_issue_16_the_text_states_a_creator_only_for_slide_12(stated, interpreted):
    document, cabinet_office, amed = ID["source/document"], ID["agent/cabinet-office"], ID["agent/amed"]
    # 11の企業等にヒアリングを実施の上、内閣府で作成: stated for slide 12
    assert set(stated.objects(SLIDE + "12", DCTERMS.creator)) == {cabinet_office}
    assert "内閣府で作成" in _text(stated, SLIDE + "12", ECO.asWritten, "ja")
    # the document's creators are a reading, never stated; AMED is a creator only there
    assert not list(stated.objects(document, DCTERMS.creator))
    assert not list(stated.subjects(DCTERMS.creator, amed))
    assert set(interpreted.objects(document, DCTERMS.creator)) == {cabinet_office, amed}
    records = _records(interpreted, document, DCTERMS.creator)
    assert len(records) == 1
    assert "内閣府で作成" in _text(interpreted, records[0], ECO.reason, "ja")


@pytest.mark.parametrize(
    ("resource", "official", "literal", "see_also"),
    [
        ("program/32", "Innovation Box regime", "Innovation Hub Tax Scheme", None),
        (
            "program/10",
            "Cyclic Innovation for Clinical Empowerment (CiCLE/ViCLE)",
            "Medical R&D Innovation Platform Creation Program (CiCLE/ViCLE)",
            "https://www.amed.go.jp/en/program/list/17/01/001.html",
        ),
        (
            "program/5",
            "Basis for Supporting Innovative Drug Discovery and Life Science Research (BINDS)",
            "Life Science and Drug Discovery Research Support Platform (BINDS)",
            None,
        ),
        (
            "plan/3rd",
            "Plan for Promotion of Medical Research and Development Phase III",
            "3rd Medical R&D Promotion Plan",
            "https://japan.kantei.go.jp/103/actions/202502/18kenkouiryou.html",
        ),
    ],
)
def test_issue_16_official_english_names(stated, resource, official, literal, see_also):
    node = ID[resource]
    assert _text(stated, node, RDFS.label, "en") == official
    assert Literal(literal, lang="en") in set(stated.objects(node, SKOS.altLabel))
    # where the official name came from, in both languages
    assert _text(stated, node, SKOS.editorialNote, "en").startswith("The source gives no English name.")
    assert _text(stated, node, SKOS.editorialNote, "ja").startswith("英語名は資料には書かれていない。")
    if see_also:
        assert (node, RDFS.seeAlso, URIRef(see_also)) in stated
    # the amount of a program is named after it
    for amount in stated.objects(node, ECO.amount):
        assert _text(stated, amount, RDFS.label, "en") == f"Amount of {official}"
    # the literal translation is no label anywhere any more
    assert not list(stated.subjects(RDFS.label, Literal(literal, lang="en")))


def test_issue_16_commercialisation_reasons_cite_lines_that_name_the_program(stated, interpreted):
    commercialisation = ID["support-kind/commercialisation"]
    programs = set(interpreted.subjects(ECO.supportKind, commercialisation))
    assert {ID["program/8"], ID["program/9"], ID["program/10"], ID["program/12"]} <= programs
    cited = {}
    for program in programs:
        mark = _circled(int(stated.value(program, ECO.programNumber)))
        (record,) = _records(interpreted, program, ECO.supportKind)
        for lang in ("ja", "en"):
            lines = re.findall(r"実用化支援（([^）]*)）", _text(interpreted, record, ECO.reason, lang))
            assert lines, (program, lang)
            for numbers in lines:
                assert mark in numbers, f"{program}: its reason cites 実用化支援（{numbers}）, which does not name {mark}"
        cited[program] = set(lines)
    assert cited[ID["program/9"]] == {"⑨"}
    assert cited[ID["program/10"]] == {"⑥⑦⑧⑩⑫⑬⑭", "⑩"}
    assert cited[ID["program/8"]] == cited[ID["program/12"]] == {"⑥⑦⑧⑩⑫⑬⑭"}
