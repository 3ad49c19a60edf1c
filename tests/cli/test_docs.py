"""Documentation is part of the change: the generated pages in docs/ match what the code generates, and
every setting, command and named query appears in them."""

from __future__ import annotations

from dataclasses import fields

import pytest

from ecograph.cli import main
from ecograph.docs import reference as docs
from ecograph.settings import PROJECT_ROOT, Settings

DOCS = PROJECT_ROOT / "docs"


@pytest.mark.parametrize("name", sorted(docs.PAGES))
def test_generated_page_is_up_to_date(name):
    committed = (DOCS / name).read_text(encoding="utf-8")
    assert committed == docs.PAGES[name](main), f"docs/{name} is stale: run `ecograph docs`"


def test_every_setting_command_and_query_is_documented():
    settings_md = (DOCS / "settings.md").read_text(encoding="utf-8")
    for f in fields(Settings):
        assert f"`{f.name}`" in settings_md
    cli_md = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"## ecograph {name}" in cli_md
    queries_md = (DOCS / "queries.md").read_text(encoding="utf-8")
    for path in (PROJECT_ROOT / "queries").rglob("*.rq"):
        assert f"`{path.stem}`" in queries_md


@pytest.mark.parametrize("command", [[]] + [[name] for name in sorted(main.commands)])
def test_every_command_has_help(command, runner):
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
