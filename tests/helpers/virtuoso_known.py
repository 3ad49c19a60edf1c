"""The named queries whose answers differ on Virtuoso 7.2.5, with what it does; listed in the README too. None at
present: the named queries avoid each pattern Virtuoso evaluates wrongly (the README's table says which, and how).
tests/http/test_virtuoso.py checks the list against a real Virtuoso; the benchmark reads it from this file (without
importing it) and keeps it in its results."""

KNOWN_DIFFERENCES: dict[str, str] = {}
