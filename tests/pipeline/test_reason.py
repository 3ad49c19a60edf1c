"""Reasoning: the compiled reasoner (`reasonable`, the default) and owlrl (the pure-Python reference) give the
same closure on the seed graph, triple for triple, and both keep inferences apart from what was asserted."""

from __future__ import annotations

import pytest
from rdflib import Literal

from ecograph.errors import UsageError
from ecograph.pipeline.load import load_sources
from ecograph.pipeline.reason import _useful, reason
from ecograph.rdf.serialize import Quads
from ecograph.settings import PROJECT_ROOT
from ecograph.tools.synth import synthesize
from tests.helpers.project import settings_for


@pytest.fixture(scope="module")
def sources(built_settings):
    return load_sources(built_settings)


@pytest.fixture(scope="module")
def both(sources):
    return reason(sources, "reasonable"), reason(sources, "owlrl")


def test_reasonable_and_owlrl_agree_on_the_seed(both):
    fast, reference = both
    assert len(reference.stated) > 500 and len(reference.interpreted) > 100
    assert set(fast.stated) == set(reference.stated)
    assert set(fast.interpreted) == set(reference.interpreted)


def test_inferences_are_never_asserted_triples(sources, both):
    fast, _ = both
    assert not [t for t in fast.stated if t in sources.stated or t in sources.ontology]
    assert not [t for t in fast.interpreted if t in sources.interpreted or t in fast.stated]


def test_an_unknown_reasoner_is_a_usage_error(sources):
    with pytest.raises(UsageError, match="unknown reasoner"):
        reason(sources, "hermit")


def _closures_from_scratch(sources) -> tuple[set, set]:
    """The inferred triples as reason() computed them before the data came as Quads: reasonable run twice from
    scratch on rdflib triples (ontology + stated, then ontology + stated + interpreted), set differences."""
    import reasonable

    def closure(triples: list) -> set:
        engine = reasonable.PyReasoner()
        engine.from_graph(triples)
        return set(triples).union(engine.reason())

    ontology, stated, interpreted = ([t for t in g if not isinstance(t[2], Literal)]
                                     for g in (sources.ontology, sources.stated, sources.interpreted))
    closure_stated = closure(ontology + stated)
    inferred = {t for t in closure_stated.difference(ontology, stated) if _useful(t)}
    closure_all = closure(ontology + stated + interpreted)
    return inferred, {t for t in closure_all.difference(closure_stated, interpreted) if _useful(t)}


@pytest.mark.parametrize("which", ["seed", "synthetic"])
def test_incremental_reasoning_on_quads_infers_what_two_runs_from_scratch_did(which, tmp_path):
    root = PROJECT_ROOT if which == "seed" else synthesize(PROJECT_ROOT, tmp_path / "root", 2_000, seed=1).out
    sources = load_sources(settings_for(root))
    assert isinstance(sources.parsed("stated"), Quads)
    fast = reason(sources, "reasonable")
    inferred, inferred_interpreted = _closures_from_scratch(sources)
    assert len(inferred) > 500 and len(inferred_interpreted) > 100
    assert set(fast.stated) == inferred
    assert set(fast.interpreted) == inferred_interpreted
