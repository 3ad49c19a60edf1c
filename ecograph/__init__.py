"""ecograph: a knowledge graph of Japan's drug-discovery support ecosystem.

The public API is small: build(), validate() and run_query(). Everything else is reachable from
the modules named in docs/architecture.md.
"""

from ecograph.version import __version__

__all__ = ["__version__", "build", "run_query", "validate"]


def build(settings=None):
    """Load, validate, reason and publish the graph into dist/ (see ecograph.pipeline.build)."""
    from ecograph.pipeline.build import build as _build

    return _build(settings)


def validate(files=None, settings=None):
    """Validate data files (default: the project's data) against the shapes."""
    from ecograph.pipeline.validate import validate_files

    return validate_files(files, settings)


def run_query(name_or_file, params=None, settings=None):
    """Run a named query (or a .rq file) against the built graph."""
    from ecograph.queries import run_named

    return run_named(name_or_file, params or {}, settings)
