"""The build pipeline: load -> validate -> reason -> publish. See README.md beside this file."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off for a step of the build. The steps make millions of small acyclic objects
    (terms, tuples), and each full collection walks every live object: at a million triples that cost as much as
    the work itself (reason 22 -> 14 s, publish 62 -> 44 s). Reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
