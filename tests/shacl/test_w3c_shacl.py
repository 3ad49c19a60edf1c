"""The W3C SHACL test suite (w3c/data-shapes, vendored unedited in tests/w3c/shacl/, see its NOTICE.md), run through
the validator's entry points: the Python API `validate_graph` with each validator, and `ecograph validate --alone`.

The cases: every sht:Validate entry reachable from tests/manifest.ttl through mf:include (120), plus
sparql/component/nodeValidator-001.ttl, which is in the suite but in no manifest (121). Each file is parsed as
Turtle with its own file URI as base, so that <> and relative IRIs resolve as the suite means them.

A case passes as the suite defines it (https://w3c.github.io/data-shapes/data-shapes-test-suite/): sh:conforms
must match, and the results must match as a multiset (see report_difference). A case whose mf:result is
sht:Failure expects the shapes to be refused: ShapesError in Python, exit 2 on the command line. On the command
line, conformance is the report's sh:conforms (exit 1 means a result at --fail-on's severity, by default Violation).

Two rules hold for every validator, with no exception list:
- never a FALSE CONFORMS: conforms true where the suite expects results or a failure;
- the expected failures below are strict: a listed case that starts passing fails, so the lists stay true.
The oxigraph validator (the fast engine alone) may refuse shapes it does not support (UnsupportedShapes); a
refusal passes, since it says so instead of answering wrongly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH

from ecograph.cli import main
from ecograph.pipeline.validate import validate_graph
from ecograph.settings import load_settings
from ecograph.shacl.errors import ShapesError, UnsupportedShapes
from tests.helpers.paths import W3C

SUITE = W3C / "shacl" / "tests"
UNLISTED = ("sparql/component/nodeValidator-001.ttl",)  # in the suite, in no manifest
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
REFUSAL = "not supported by the oxigraph validator"  # in UnsupportedShapes' message: how the command line shows a refusal

# The cases each validator is known to get wrong, with the reason. Strict: see the module docstring.
UNIQUE_LANG_1 = ('sh:uniqueLang "1"^^xsd:boolean: the validator reads the value (true) and applies the constraint; the suite '
                 'says only the literal true activates it. Disputable: "1" is a lexical form of true.')
SHAPES_GRAPH = ("$shapesGraph: pyshacl raises NotImplementedError, which ecograph reports as a ShapesError (a failure: the "
                "command exits 2); SHACL makes $shapesGraph optional (§5.3.1: a processor may not support it), the suite "
                "expects it supported. Disputable.")
EXPECTED_FAILURES = {
    "pyshacl": {"core/property/uniqueLang-002": UNIQUE_LANG_1, "sparql/pre-binding/shapesGraph-001": SHAPES_GRAPH},
    "oxigraph": {"core/property/uniqueLang-002": UNIQUE_LANG_1},  # it refuses shapesGraph-001 (UnsupportedShapes)
    "auto": {"core/property/uniqueLang-002": UNIQUE_LANG_1, "sparql/pre-binding/shapesGraph-001": SHAPES_GRAPH},  # pyshacl's run
}


# --- The cases -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    id: str  # the entry's IRI relative to SUITE, e.g. "core/node/and-001"
    data: Path
    shapes: Path
    manifest: Graph  # the graph of the file holding the entry, where the expected report is
    result: URIRef | BNode  # the entry's mf:result: an sh:ValidationReport node, or sht:Failure

    @property
    def failure(self) -> bool:
        return self.result == SHT.Failure

    @property
    def expects_conforms(self) -> bool:
        return not self.failure and self.manifest.value(self.result, SH.conforms).toPython() is True

    def __str__(self) -> str:
        return self.id


def _parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle", publicID=path.as_uri())


def _path(iri) -> Path:
    """The vendored file that a suite IRI names."""
    prefix = SUITE.as_uri() + "/"
    assert str(iri).startswith(prefix), f"{iri} is outside the suite"
    return SUITE / str(iri)[len(prefix):]


def collect_cases() -> list[Case]:
    """Every sht:Validate entry, in manifest order: follow mf:include from manifest.ttl, then the unlisted files."""
    cases, seen, todo = [], set(), [SUITE / "manifest.ttl", *(SUITE / name for name in UNLISTED)]
    while todo:
        path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        graph = _parse(path)
        for manifest in graph.subjects(RDF.type, MF.Manifest):
            todo += [_path(included) for included in graph.objects(manifest, MF.include)]
            for entries in graph.objects(manifest, MF.entries):
                for entry in Collection(graph, entries):
                    if (entry, RDF.type, SHT.Validate) not in graph:
                        continue
                    action = graph.value(entry, MF.action)
                    case_id = str(entry)[len(SUITE.as_uri()) + 1:]
                    cases.append(Case(case_id, _path(graph.value(action, SHT.dataGraph)), _path(graph.value(action, SHT.shapesGraph)),
                                      graph, graph.value(entry, MF.result)))
    return cases


CASES = collect_cases()


def test_the_suite_has_121_cases():
    assert len(CASES) == 121 and len({c.id for c in CASES}) == 121
    assert sum(c.failure for c in CASES) == 7
    listed = set(EXPECTED_FAILURES["pyshacl"]) | set(EXPECTED_FAILURES["oxigraph"]) | set(EXPECTED_FAILURES["auto"])
    assert listed <= {c.id for c in CASES}, "an expected failure names no case"


# --- Comparing a report with the expected one -------------------------------------------------------------------

# What a result is compared on (sh:resultMessage is not: messages are free text).
RESULT_KEYS = (SH.focusNode, SH.resultPath, SH.resultSeverity, SH.sourceShape, SH.sourceConstraintComponent, SH.value)
# Blank values of these keys are compared by what hangs from them; a blank focus node or value is data, which a
# report need not copy (the suite's own expected graph leaves it out), so it matches any blank node.
DESCRIBED_KEYS = (SH.resultPath, SH.sourceShape)


def _unfold(graph: Graph, node, out: Graph, context: Graph | None, above=()) -> BNode:
    """Copy what hangs from the blank node into out as a tree (a fresh node for every occurrence), and return the
    copy. A tree, because a blank node used twice and two equal blank nodes are the same path or shape: the
    shapes of core/path/path-complex-002 write ( _:pinv _:pinv ), its expected report ( [ ... ] [ ... ] ).
    The graph's own description of the node is used if it has one (pyshacl copies a blank path into the report
    under the shapes graph's node but with new list nodes: merging both descriptions would double the path),
    else context's (the shapes graph)."""
    copy = BNode()
    source = graph if (node, None, None) in graph or context is None else context
    for p, o in source.predicate_objects(node):
        if isinstance(o, BNode):
            o = dict(above).get(o) or _unfold(graph, o, out, context, (*above, (node, copy)))  # a cycle links back
        out.add((copy, p, o))
    return copy


def _result_graph(graph: Graph, result, keys, context: Graph | None = None) -> Graph:
    """One result as a small graph of its own: a fresh blank node with the compared properties, and under a blank
    path or source shape what hangs from it (_unfold). Two results are equal when these graphs are isomorphic:
    blank nodes match by structure, and a blank node used twice in one result (focus = value) stays one node."""
    out, node = Graph(), BNode()
    for key in keys:
        for value in graph.objects(result, key):
            if key in DESCRIBED_KEYS and isinstance(value, BNode):
                value = _unfold(graph, value, out, context)
            out.add((node, key, value))
    return out


def _show(graph: Graph) -> str:
    return "    " + "\n    ".join(sorted(graph.serialize(format="nt").strip().splitlines()))


def report_difference(expected: Graph, expected_report, actual: Graph, context: Graph | None = None) -> str | None:
    """None when the actual SHACL report graph matches the expected report (the node expected_report of the graph
    expected) as the suite defines it; otherwise what differs, for the failure message.

    sh:conforms must match. The results are compared as a multiset of their focus node, path, severity, source
    shape, constraint component and value, and sh:sourceConstraint where the expected results have it (the suite
    gives it on every result of a SPARQL test, on none of the others). Blank nodes match by structure
    (_result_graph): what hangs from a blank path or shape is read from actual or, if actual does not describe
    it, from context (the shapes graph)."""
    reports = list(actual.subjects(RDF.type, SH.ValidationReport))
    if len(reports) != 1:
        return f"the report graph has {len(reports)} sh:ValidationReport nodes, not one"
    want, got = expected.value(expected_report, SH.conforms), actual.value(reports[0], SH.conforms)
    if not (isinstance(got, Literal) and got.toPython() is want.toPython()):
        return f"sh:conforms is {got}, expected {want}"
    wanted = list(expected.objects(expected_report, SH.result))
    keys = RESULT_KEYS + ((SH.sourceConstraint,) if any(expected.value(r, SH.sourceConstraint) for r in wanted) else ())
    missing = [_result_graph(expected, r, keys) for r in wanted]
    extra = []
    for result in actual.objects(reports[0], SH.result):
        graph = _result_graph(actual, result, keys, context)
        # Isomorphism is an equivalence, so taking the first match pairs the two multisets exactly.
        match = next((i for i, want_graph in enumerate(missing) if isomorphic(graph, want_graph)), None)
        if match is None:
            extra.append(graph)
        else:
            del missing[match]
    if not missing and not extra:
        return None
    return "\n".join([f"{len(missing)} expected result(s) missing, {len(extra)} unexpected:",
                      *(f"  missing:\n{_show(g)}" for g in missing), *(f"  unexpected:\n{_show(g)}" for g in extra)])


EXPECTED_TTL = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:report a sh:ValidationReport ; sh:conforms false ;
  sh:result [ sh:focusNode ex:a ; sh:resultPath ( ex:p _:inv _:inv ) ; sh:resultSeverity sh:Violation ; sh:value ex:v ;
              sh:sourceShape [ sh:path ex:p ; sh:minCount 1 ] ; sh:sourceConstraintComponent sh:MinCountConstraintComponent ] ,
            [ sh:focusNode _:b ; sh:value _:b ; sh:resultSeverity sh:Violation ; sh:sourceShape ex:S ;
              sh:sourceConstraintComponent sh:ClassConstraintComponent ] .
_:inv sh:inversePath ex:q .
_:b ex:p 1 .
"""
# The same report as a validator may write it: other blank nodes (the path as a tree), a blank data node without
# what hangs from it, a message, the results in the other order.
ACTUAL_TTL = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
[] a sh:ValidationReport ; sh:conforms false ;
  sh:result [ sh:focusNode _:x ; sh:value _:x ; sh:resultSeverity sh:Violation ; sh:sourceShape ex:S ;
              sh:sourceConstraintComponent sh:ClassConstraintComponent ; sh:resultMessage "no class" ] ,
            [ sh:focusNode ex:a ; sh:resultPath ( ex:p [ sh:inversePath ex:q ] [ sh:inversePath ex:q ] ) ; sh:resultSeverity sh:Violation ;
              sh:value ex:v ; sh:sourceShape [ sh:minCount 1 ; sh:path ex:p ] ; sh:sourceConstraintComponent sh:MinCountConstraintComponent ] .
"""
ANOTHER_RESULT = ("sh:result [", "sh:result [ sh:focusNode ex:c ; sh:resultSeverity sh:Violation ; sh:sourceShape ex:S ; "
                                 + "sh:sourceConstraintComponent sh:ClassConstraintComponent ] , [")


@pytest.mark.parametrize("edit, matches", [
    (None, True),
    (("sh:conforms false", "sh:conforms true"), False),
    (("( ex:p [ sh:inversePath ex:q ]", "( ex:p [ sh:inversePath ex:p ]"), False),  # another path
    (("sh:minCount 1 ; sh:path", "sh:minCount 2 ; sh:path"), False),  # another blank source shape
    (("sh:focusNode ex:a", "sh:focusNode ex:b"), False),
    (("sh:value ex:v", "sh:value ex:w"), False),
    (("sh:value _:x", "sh:value _:y"), False),  # focus and value are one blank node in the expected result
    (("sh:value _:x", "sh:value ex:x"), False),
    (("sh:focusNode _:x ; sh:value _:x", "sh:focusNode [ ex:p 2 ] ; sh:value _:x"), False),
    (("sh:focusNode _:x", "sh:focusNode _:x ; sh:resultPath ex:p"), False),  # a path the expected result does not give
    (("sh:resultSeverity sh:Violation ; sh:sourceShape ex:S", "sh:resultSeverity sh:Warning ; sh:sourceShape ex:S"), False),
    (("sh:sourceConstraintComponent sh:ClassConstraintComponent", "sh:sourceConstraintComponent sh:NodeConstraintComponent"), False),
    (ANOTHER_RESULT, False),
    (("sh:result [", "sh:result [ sh:focusNode ex:a ] , ["), False),  # a result with less in it
    (("sh:sourceConstraintComponent sh:ClassConstraintComponent ;", "sh:sourceConstraint ex:C ; sh:sourceConstraintComponent "
      + "sh:ClassConstraintComponent ;"), True),  # an sh:sourceConstraint that the expected report does not give
])
def test_report_difference(edit, matches):
    actual_ttl = ACTUAL_TTL if edit is None else ACTUAL_TTL.replace(*edit)
    assert actual_ttl != ACTUAL_TTL or edit is None, "the edit changed nothing"
    expected = Graph().parse(data=EXPECTED_TTL, format="turtle")
    difference = report_difference(expected, URIRef("http://example.org/report"), Graph().parse(data=actual_ttl, format="turtle"))
    assert (difference is None) is matches, difference


def test_report_difference_counts_results():
    """The results are a multiset: a result given twice is not the same as given once, either way round."""
    expected, twice = (Graph().parse(data=ttl, format="turtle") for ttl in (EXPECTED_TTL, EXPECTED_TTL.replace(*ANOTHER_RESULT)))
    assert report_difference(twice, URIRef("http://example.org/report"), Graph().parse(data=ACTUAL_TTL, format="turtle"))
    assert report_difference(expected, URIRef("http://example.org/report"),
                             Graph().parse(data=ACTUAL_TTL.replace(*ANOTHER_RESULT).replace("ex:c", "ex:c, ex:d"), format="turtle"))


def test_report_difference_reads_blank_shapes_from_the_context():
    """A report may name a blank source shape of the shapes graph without copying it; the shapes graph says what it is."""
    shapes = Graph().parse(data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> . "
                                "[ sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount 1 ] ] .", format="turtle")
    shape = next(shapes.subjects(SH.path, None))
    actual = Graph().parse(data=ACTUAL_TTL, format="turtle")
    result = actual.value(None, SH.focusNode, URIRef("http://example.org/a"))
    actual.remove((result, SH.sourceShape, None))
    actual.add((result, SH.sourceShape, shape))
    expected = Graph().parse(data=EXPECTED_TTL, format="turtle")
    assert report_difference(expected, URIRef("http://example.org/report"), actual, shapes) is None
    assert report_difference(expected, URIRef("http://example.org/report"), actual) is not None


# --- Running a case and judging the outcome ---------------------------------------------------------------------

@dataclass
class Outcome:
    """What an entry point did with a case: a report (conforms, graph) or an error (the shapes were refused)."""

    conforms: bool | None = None
    graph: Graph | None = None  # the report graph
    context: Graph | None = None  # where the report's blank paths and shapes may be described: the shapes graph
    error: str | None = None  # why the shapes were refused (ShapesError; exit 2)
    refused: bool = False  # the oxigraph validator refused shapes it does not support
    crash: str | None = None  # any other exception: never an expected outcome


def run_python(case: Case, validator: str) -> Outcome:
    data, shapes = _parse(case.data), _parse(case.shapes)
    try:
        report = validate_graph(data, shapes, rdflib.Graph(), validator=validator)
    except ShapesError as error:
        return Outcome(error=error.message, refused=isinstance(error, UnsupportedShapes))
    except Exception as error:  # noqa: BLE001 - judged by problem(), so that a listed crash can be an expected failure
        return Outcome(crash=f"{type(error).__name__}: {error}")
    return Outcome(conforms=report.conforms, graph=report.graph, context=shapes)


def false_conforms(case: Case, outcome: Outcome) -> bool:
    """Conforms where the suite expects results or a failure: never allowed."""
    return outcome.conforms is True and not case.expects_conforms


def problem(case: Case, outcome: Outcome, validator: str) -> str | None:
    """None when the outcome is what the suite expects (or an allowed refusal), else what is wrong."""
    if outcome.crash:
        return f"the validator raised {outcome.crash}"
    if case.failure:
        return None if outcome.error is not None else f"expected the shapes to be refused (sht:Failure), got conforms={outcome.conforms}"
    if outcome.refused and validator == "oxigraph":
        return None
    if outcome.error is not None:
        return f"the shapes were refused: {outcome.error}"
    return report_difference(case.manifest, case.result, outcome.graph, outcome.context)


def check(case: Case, outcome: Outcome, validator: str) -> None:
    assert not false_conforms(case, outcome), f"FALSE CONFORMS: {validator} says {case.id} conforms; the suite expects otherwise"
    wrong = problem(case, outcome, validator)
    reason = EXPECTED_FAILURES[validator].get(case.id)
    if reason:
        assert wrong, f"{case.id} passes now with {validator}: remove it from the expected failures ({reason})"
        pytest.xfail(f"{reason}\n{wrong}")
    assert wrong is None, f"{case.id} with {validator}: {wrong}"


# --- The entry points -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=str)
@pytest.mark.parametrize("validator", ["pyshacl", "auto", "oxigraph"])
def test_python(validator, case):
    check(case, run_python(case, validator), validator)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_oxigraph_never_false_conforms(case):
    """The fast engine alone may refuse shapes, and may be wrong in listed ways, but never says conforms wrongly."""
    outcome = run_python(case, "oxigraph")
    assert not false_conforms(case, outcome), f"FALSE CONFORMS: oxigraph says {case.id} conforms; the suite expects otherwise"


@pytest.fixture(scope="module")
def empty_root(tmp_path_factory) -> Path:
    """A project root with nothing in it. --alone --shapes validates any data against any shapes, whatever the
    project; and reading this checkout's ontology and shapes, unused here, was 95% of each command's time."""
    return tmp_path_factory.mktemp("empty-project")


def run_cli(runner, root: Path, case: Case) -> Outcome:
    """`ecograph validate --alone --shapes SHAPES DATA --format ttl`, through the real command, in process."""
    result = runner.invoke(main, ["--root", str(root), "validate", "--alone", "--shapes", str(case.shapes), str(case.data), "--format", "ttl"])
    if "Usage:" in result.stderr:  # click's usage error (exit 2 too): the command line itself is wrong
        return Outcome(crash=result.stderr.strip())
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return Outcome(crash=f"{type(result.exception).__name__}: {result.exception}")
    if result.exit_code == 2:
        return Outcome(error=result.stderr.strip() or repr(result.exception), refused=REFUSAL in result.stderr)
    assert result.exit_code in (0, 1), f"exit {result.exit_code}: {result.stderr or result.exception!r}"
    graph = Graph().parse(data=result.stdout, format="nt")
    # The report's sh:conforms is SHACL's (false on any result); the exit code is 1 on a result at --fail-on's
    # severity or above, by default sh:Violation.
    conforms = [c.toPython() for c in graph.objects(None, SH.conforms)]
    violations = (None, SH.resultSeverity, SH.Violation) in graph
    assert result.exit_code == int(violations), f"exit {result.exit_code}, but the report has {'a' if violations else 'no'} sh:Violation"
    assert len(conforms) == 1, f"the report has sh:conforms {conforms}"
    return Outcome(conforms=conforms[0], graph=graph)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_cli(runner, empty_root, case):
    validator = load_settings({"root": empty_root}).validator  # the validator setting, as users run the command
    check(case, run_cli(runner, empty_root, case), validator)
