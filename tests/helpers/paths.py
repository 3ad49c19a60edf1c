"""Test helper: the folders the tests read, found from this file, so a test module may sit at any depth."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]  # tests/
REPO = TESTS.parent  # the checkout: scripts/, .venv/
FIXTURES = TESTS / "fixtures"  # small Turtle and TriG written for tests
MINI = FIXTURES / "mini.trig"  # a stated and an interpreted graph, a few dozen triples: the engine tests' data
EXPECTED = TESTS / "expected"  # the named queries' answers, written by hand from the source
SHAPE_FIXTURES = TESTS / "shapes"  # tests/shapes/<Shape>/valid-*.ttl and invalid-*.ttl
W3C = TESTS / "w3c"  # the standards' own suites, vendored
COMUNICA = TESTS / "comunica"  # the Comunica client's lock file and its loopback guard
