"""The errors of reading a shapes graph (shapes.py, prebinding.py) and of validating with it (validator.py)."""

from __future__ import annotations

from ecograph.errors import EcographError


class ShapesError(EcographError):
    """The shapes graph is not usable SHACL (or uses a feature the chosen validator does not support)."""

    status = 500
    exit_code = 2
    hint = "Check the shapes with SHACL-for-SHACL (tests/data/test_ontology.py does)."


class UnsupportedShapes(ShapesError):
    """The shapes use a SHACL feature the oxigraph validator does not read: the `auto` validator hands them to
    pyshacl; with `validator = "oxigraph"` it is an error (never a silent skip)."""


UNSUPPORTED_HINT = ("The oxigraph validator reads SHACL Core and SPARQL constraints (no custom components); "
                    "the default validator = \"auto\" hands other shapes to pyshacl, as does validator = \"pyshacl\".")
