"""Reasoning: the compiled reasoner (`reasonable`, the default) and owlrl (the pure-Python reference) give the
same closure on the seed graph, triple for triple, and both keep inferences apart from what was asserted."""

from __future__ import annotations

import pytest

from ecograph.errors import UsageError
from ecograph.pipeline.load import load_sources
from ecograph.pipeline.reason import reason


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
