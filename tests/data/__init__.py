"""Tests of the real graph: its named queries, checks, ontology and facts, on the project's own data."""
