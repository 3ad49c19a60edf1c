"""Generated documentation: docs/cli.md from --help, docs/queries.md from the query headers,
docs/settings.md from the Settings dataclass, docs/ontology.html from the ontology. tests/cli/test_docs.py
fails when a committed page differs from what this module generates (run `ecograph docs` to refresh)."""

from __future__ import annotations

from dataclasses import MISSING, fields
from pathlib import Path

from ecograph.docs import ontology as ontodoc
from ecograph.namespaces import PREFIXES
from ecograph.pipeline.load import load_graph
from ecograph.queries import NamedQuery
from ecograph.settings import PROJECT_ROOT, Settings


def cli_md(main) -> str:
    """Every command's --help, in order; main is the `ecograph` click group (given by the caller: cli.py imports
    this module for `ecograph docs`, so this module does not import it back)."""
    import click

    out = ["# ecograph command line", "", "Generated from `--help` by `ecograph docs`; do not edit by hand.", ""]
    ctx = click.Context(main, info_name="ecograph", terminal_width=100, max_content_width=100,
                        help_option_names=["-h", "--help"])
    out += ["## ecograph", "", "```", main.get_help(ctx), "```", ""]
    for name in sorted(main.commands):
        cmd = main.commands[name]
        sub = click.Context(cmd, info_name=f"ecograph {name}", parent=ctx, terminal_width=100, max_content_width=100,
                        help_option_names=["-h", "--help"])
        out += [f"## ecograph {name}", "", "```", cmd.get_help(sub), "```", ""]
    return "\n".join(out)


def _query_section(q: NamedQuery, level: str) -> list[str]:
    out = [f"{level} `{q.name}`: {q.title.get('en', '')}", "", f"{q.title.get('ja', '')}", "",
           q.description.get("en", ""), "", q.description.get("ja", ""), ""]
    if q.params:
        out += ["| parameter | type | default | meaning |", "|---|---|---|---|"]
        out += [f"| `{p.name}` | {p.type} | {p.default or ''} | {p.description} |" for p in q.params]
        out.append("")
    out += [f"Run: `ecograph query {q.name}`" if level == "##" else "Run: `ecograph check`", ""]
    return out


def queries_md(root: Path = PROJECT_ROOT) -> str:
    """The catalogue of named queries and quality checks, from their headers."""
    out = ["# Named queries", "", "Generated from the headers of `queries/*.rq` by `ecograph docs`; do not edit by hand.", "",
           "Every query may use these prefixes without declaring them:", "", "```"]
    out += [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()]
    out += ["```", "", ("Every query runs over a layer, the dataset the engine gives it (`-p layer=…` on the CLI, `?layer=…` over "
                        "HTTP, as on /sparql; default `all`): its default graph is the merge of the layer's graphs, and GRAPH sees "
                        "only those graphs. A query that shows the layer reads its name as `?layer`."), "",
            "| layer | graphs | what it holds |", "|---|---|---|",
            "| `stated` | stated | what the source text states |",
            "| `interpreted` | stated, interpreted | and the interpretations (readings the text does not state) |",
            "| `inferred` | stated, inferred, ontology | the stated facts, OWL-RL's inferences from them, and the ontology |",
            "| `all` | every graph | everything, the default |", ""]
    for path in sorted((root / "queries").glob("*.rq")):
        out += _query_section(NamedQuery.from_file(path), "##")
    out += ["# Quality checks", "", "Any row returned by one of these fails `ecograph check` and CI.", ""]
    for path in sorted((root / "queries" / "checks").glob("*-violation.rq")):
        out += _query_section(NamedQuery.from_file(path), "##" + "#")
    return "\n".join(out)


def settings_md() -> str:
    """Every setting with its default and help text."""
    out = ["# Settings", "", "Generated from `ecograph/settings.py` by `ecograph docs`; do not edit by hand.", "",
           "Later sources override earlier ones: defaults, then `ecograph.toml` in the project root, then",
           "`ECOGRAPH_<NAME>` environment variables, then command-line flags.", "",
           "| setting | environment variable | default | meaning |", "|---|---|---|---|"]
    for f in fields(Settings):
        default = f.default if f.default is not MISSING else ""
        if isinstance(default, Path):
            default = default.relative_to(PROJECT_ROOT) if default.is_relative_to(PROJECT_ROOT) else default
            default = f"`{default or '.'}` (in the project root)"
        out.append(f"| `{f.name}` | `ECOGRAPH_{f.name.upper()}` | {default} | {f.metadata.get('help', '')} |")
    return "\n".join(out) + "\n"


def ontology_html(root: Path = PROJECT_ROOT) -> str:
    settings = Settings(root=root)
    return ontodoc.render(load_graph(sorted(settings.ontology_dir.glob("*.ttl")), settings))


# each page from the `ecograph` click group (only the command line's page reads it)
PAGES = {"cli.md": cli_md, "queries.md": lambda main: queries_md(), "settings.md": lambda main: settings_md(),
         "ontology.html": lambda main: ontology_html()}


def write_all(main, target: Path = PROJECT_ROOT / "docs") -> list[Path]:
    """Regenerate every generated page into target; main is the `ecograph` click group."""
    written = []
    for name, make in PAGES.items():
        path = target / name
        path.write_text(make(main), encoding="utf-8")
        written.append(path)
    return written
