"""Tests of the command line, the generated docs and the report."""
