"""Tests of the build: load, validate, reason, publish (ecograph/pipeline/), releases, scale and synthetic data."""
