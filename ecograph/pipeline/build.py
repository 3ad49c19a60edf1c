"""build(): load -> validate -> reason -> publish, in that order, readable top to bottom."""

from __future__ import annotations

from dataclasses import dataclass

from ecograph.errors import NotConformingError
from ecograph.pipeline.load import load_sources
from ecograph.pipeline.publish import Release, publish
from ecograph.pipeline.reason import reason
from ecograph.pipeline.validate import ValidationReport, validate
from ecograph.settings import Settings, load_settings


@dataclass
class BuildResult:
    """What a build produced: the validation report and the published release."""

    report: ValidationReport
    release: Release


def build(settings: Settings | None = None) -> BuildResult:
    """Build the graph into dist/. Refuses to publish data with a Violation (NotConformingError)."""
    settings = settings or load_settings()
    sources = load_sources(settings)
    report = validate(sources, settings.validator)
    if not report.conforms:
        raise NotConformingError(f"the data does not conform: {report.summary()}; nothing was published", report)
    inferences = reason(sources, settings.reasoner)
    release = publish(sources, inferences, report, settings)
    return BuildResult(report=report, release=release)
