"""The version of ecograph (one place: the package, the build metadata and the docs read it here)."""

__version__ = "0.1.0"
