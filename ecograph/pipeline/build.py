"""build(): load -> validate -> reason -> publish, in that order, readable top to bottom."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ecograph.errors import NotConformingError
from ecograph.pipeline.load import load_sources
from ecograph.pipeline.publish import Release, publish
from ecograph.pipeline.reason import reason
from ecograph.pipeline.validate import validate
from ecograph.pipeline.validation_report import ValidationReport
from ecograph.settings import Settings, load_settings


@dataclass
class BuildResult:
    """What a build produced: the validation report and the published release."""

    report: ValidationReport
    release: Release
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each step (never written into the release)


def build(settings: Settings | None = None) -> BuildResult:
    """Build the graph into dist/. Refuses to publish data with a Violation (NotConformingError)."""
    settings = settings or load_settings()
    seconds: dict[str, float] = {}
    started = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal started
        now = time.perf_counter()
        seconds[step] = now - started
        started = now

    sources = load_sources(settings)
    lap("load")
    report = validate(sources, settings.validator)
    lap("validate")
    if not report.passes():
        raise NotConformingError(f"the data does not conform: {report.summary()}; nothing was published", report)
    inferences = reason(sources, settings.reasoner)
    lap("reason")
    release = publish(sources, inferences, report, settings)
    lap("publish")
    return BuildResult(report=report, release=release, seconds=seconds)
