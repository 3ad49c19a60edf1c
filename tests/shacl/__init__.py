"""Tests of the SHACL layer: the shapes and their fixtures, the validator, its agreement with pyshacl, the W3C suite."""
