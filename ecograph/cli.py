"""The `ecograph` command. Each command is a thin wrapper around a pipeline or query function.

Data goes to stdout, messages to stderr. Exit codes: 0 ok or conforms; 1 the data does not conform or a
check found violations; 2 usage or runtime error."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click

from ecograph import __version__
from ecograph.errors import EcographError
from ecograph.settings import load_settings


def _fail(error: EcographError) -> None:
    click.echo(f"error: {error.message}", err=True)
    if error.hint:
        click.echo(f"hint: {error.hint}", err=True)
    sys.exit(error.exit_code)


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except EcographError as error:
            _fail(error)


def _store(ctx, param, value: str | None) -> str | None:
    if value is None or value in ("oxigraph", "rdflib") or value.startswith(("http://", "https://")):
        return value
    raise click.BadParameter("use oxigraph, rdflib or the URL of a SPARQL endpoint (serve only)")


def _named_graph(ctx, param, values: tuple[str, ...]) -> list:
    """--named-graph [IRI=]FILE as serving.Source: IRI= only when what stands before the first '=' has a scheme."""
    import re

    from ecograph.engine.serving import Source

    sources = []
    for value in values:
        name, sep, path = value.partition("=")
        if not sep or not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", name):
            name, path = "", value
        file = Path(path)
        if not file.is_file():
            raise click.BadParameter(f"'{path}' is not a file", ctx, param)
        sources.append(Source(file, name or file.resolve().as_uri()))
    return sources


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ecograph")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), envvar="ECOGRAPH_ROOT",
              help="Project root holding ontology/, shapes/, data/ and queries/ (default: this checkout).")
@click.option("--dist", type=click.Path(path_type=Path), help="Where builds are published (default: ROOT/dist).")
@click.option("--store", callback=_store, metavar="oxigraph|rdflib|URL",
              help="Query engine for query and serve: oxigraph (default; see serve --storage), rdflib in memory (a slower "
                   "fallback), or for serve the URL of a SPARQL endpoint holding the build (see `load`).")
@click.pass_context
def main(ctx: click.Context, root: Path | None, dist: Path | None, store: str | None) -> None:
    """ecograph: build, validate and query the knowledge graph of Japan's drug-discovery ecosystem."""
    ctx.obj = load_settings({"root": root, "dist": dist, "store": store})


@main.command()
@click.pass_obj
def build(settings) -> None:
    """Load, validate, reason and publish the graph into dist/ (refuses data with a Violation: exit 1)."""
    from ecograph.errors import NotConformingError
    from ecograph.pipeline.build import build as run_build

    try:
        result = run_build(settings)
    except NotConformingError as error:
        click.echo(error.report.to_text(10), err=True)
        _fail(error)
    info = json.loads((result.release.path / "build.json").read_text(encoding="utf-8"))
    click.echo(f"ecograph {__version__}: published release {result.release.release_id} to {settings.dist}", err=True)
    click.echo(f"validation: {result.report.summary()}", err=True)
    click.echo("           " + "; ".join(result.report.about()), err=True)
    click.echo("time: " + ", ".join(f"{step} {took:.1f} s" for step, took in result.seconds.items())
               + f" ({sum(result.seconds.values()):.1f} s)", err=True)
    for graph, count in sorted(info["graphs"].items()):
        click.echo(f"  {graph.rsplit('/', 1)[-1]:<22} {count:>6} triples", err=True)


@main.command()
@click.pass_obj
def publish(settings) -> None:
    """Validate, reason and publish into dist/: the same as build, since nothing is published unvalidated."""
    click.get_current_context().invoke(build)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "ttl", "json"]), default="text", show_default=True,
              help="Report format: grouped text, the SHACL report graph (N-Triples, a subset of Turtle), or JSON.")
@click.option("--alone", is_flag=True, help="Validate FILES by themselves, without the project's data around them.")
@click.option("--shapes", "shape_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A shapes file of your own (repeatable); replaces the project's shapes (and its ontology is not mixed in).")
@click.option("--max-results", type=click.IntRange(min=0), default=10, show_default=True,
              help="Results written out per shape in text and JSON (the counts are always whole); the ttl report is whole.")
@click.option("--validator", type=click.Choice(["auto", "oxigraph", "pyshacl"]), default=None,
              help="SHACL engine (default: the validator setting, auto).")
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info"]), default="violation", show_default=True,
              help="The least severity that makes the exit code 1 (SHACL's sh:conforms in the report counts every severity).")
@click.pass_obj
def validate(settings, files: tuple[Path, ...], fmt: str, alone: bool, shape_files: tuple[Path, ...], max_results: int,
             validator: str | None, fail_on: str) -> None:
    """Validate FILES (default: the project's data) against the shapes. Exit 0 passes (no result at --fail-on's
    severity or above), 1 does not, 2 cannot validate (a file or the shapes cannot be read).

    FILES are the new description of the resources they describe: the project's triples about those subjects are
    replaced by the files', the rest of the project stays around them, and only results about the files' subjects
    are reported. --alone validates the files by themselves; --shapes uses your shapes instead of the project's
    (`ecograph validate --alone --shapes S.ttl D.ttl --format ttl` validates any data against any shapes).
    """
    from ecograph.pipeline.load import load_graph
    from ecograph.pipeline.validate import validate_files, validate_in_context

    if validator:
        settings = dataclasses.replace(settings, validator=validator)
    shapes = load_graph(list(shape_files), settings) if shape_files else None
    if files:
        report = validate_in_context(load_graph(list(files), settings), settings, alone=alone, shapes=shapes)
    elif alone or shapes is not None:
        raise click.UsageError("--alone and --shapes need FILES to validate.")
    else:
        report = validate_files(None, settings)
    if fmt == "ttl":
        click.echo(report.to_ntriples(), nl=False)
    elif fmt == "json":
        click.echo(report.to_json(max_results), nl=False)
    else:
        click.echo(report.to_text(max_results), nl=False)
    sys.exit(0 if report.passes(fail_on.capitalize()) else 1)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["summary", "ttl"]), default="summary", show_default=True,
              help="A count of inferred triples, or the inferred triples as Turtle.")
@click.pass_obj
def reason(settings, fmt: str) -> None:
    """Run OWL-RL reasoning on the project's data and show what it infers (asserted triples excluded)."""
    from ecograph.pipeline.load import load_sources
    from ecograph.pipeline.reason import reason as run_reason
    from ecograph.rdf import serialize

    inferences = run_reason(load_sources(settings), settings.reasoner)
    if fmt == "ttl":
        click.echo(serialize.turtle(inferences.stated + inferences.interpreted), nl=False)
    else:
        click.echo(f"inferred from stated facts: {len(inferences.stated)} triples")
        click.echo(f"inferred only with interpretations: {len(inferences.interpreted)} triples")


@main.command()
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter; repeat for several.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True,
              help="Output format (json is SPARQL 1.1 Query Results JSON).")
@click.pass_obj
def query(settings, name: str, params: tuple[str, ...], fmt: str) -> None:
    """Run the named query NAME (see `ecograph queries`) or a FILE.rq against the built graph.

    `-p layer=stated|interpreted|inferred|all` (default all) picks the dataset the query runs over, as `layer=` does
    on /sparql: stated is only what the source text states."""
    from ecograph.engine.results import to_text
    from ecograph.errors import UsageError
    from ecograph.queries import run_named

    values = {}
    for item in params:
        if "=" not in item:
            raise UsageError(f"--param '{item}' is not KEY=VALUE")
        key, value = item.split("=", 1)
        values[key.strip()] = value
    click.echo(to_text(run_named(name, values, settings), fmt), nl=False)


@main.command()
@click.pass_obj
def queries(settings) -> None:
    """List the named queries with their titles and parameters."""
    from ecograph.queries import catalogue

    for q in catalogue(settings).values():
        params = ", ".join(f"{p.name} ({p.type}{' = ' + p.default if p.default else ''})" for p in q.params)
        click.echo(f"{q.name}\t{q.title.get('en', '')}" + (f"\t[{params}]" if params else ""))


@main.command()
@click.pass_obj
def check(settings) -> None:
    """Run the quality checks (queries/checks/*-violation.rq) on the built graph; any row is a failure (exit 1)."""
    from ecograph.engine.results import to_table
    from ecograph.queries import NamedQuery, run

    failed = 0
    for path in sorted((settings.queries_dir / "checks").glob("*-violation.rq")):
        q = NamedQuery.from_file(path)
        result = run(q, {}, settings)
        state = "ok" if not result.rows else f"{len(result.rows)} violation(s)"
        click.echo(f"{q.name}: {state} - {q.title.get('en', '')}", err=True)
        if result.rows:
            failed += 1
            click.echo(to_table(result), err=True)
    sys.exit(1 if failed else 0)


@main.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to FILE (default: stdout).")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True, help="The language shown first.")
@click.pass_obj
def report(settings, output: Path | None, lang: str) -> None:
    """Write the coverage-and-gaps report: one self-contained HTML page (ja and en), SVG charts from the named queries."""
    from ecograph.report.page import render

    html = render(settings, (lang, "en" if lang == "ja" else "ja"))
    if output is None:
        click.echo(html, nl=False)
    else:
        output.write_text(html, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


@main.command()
@click.option("--host", help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default 8080).")
@click.option("--data", "data_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Serve these RDF files (TriG/N-Quads keep their named graphs) instead of the build; repeat for several.")
@click.option("--named-graph", "named_graphs", multiple=True, metavar="[IRI=]FILE", callback=_named_graph,
              help="Serve the triples of FILE (Turtle, N-Triples, RDF/XML, JSON-LD) as the named graph IRI (default: the file's "
                   "file: URL, as the W3C tests name a graph by where it is read from); an empty file declares an empty graph. Repeatable.")
@click.option("--base", "base_iri", metavar="IRI",
              help="Base IRI of relative IRIs in the --data and --named-graph files (default: each file's own file: URL).")
@click.option("--default-graph", type=click.Choice(["union", "default"]),
              help="The default graph of a query that names no dataset: union (default: the union of every graph, as the build "
                   "is meant to be queried, its layers being named graphs; a Turtle file answers the same either way, and "
                   "--data dist/dataset.nq answers as the build's server) or default (the store's own default graph, standard "
                   "SPARQL as in the W3C tests, Fuseki and Oxigraph: for TriG / N-Quads whose default graph means something).")
@click.option("--storage", type=click.Choice(["memory", "disk"]),
              help="Where the oxigraph store lives: memory (default: loaded once, shared by the HTTP workers) or disk "
                   "(an on-disk store opened read-only: slower; for data larger than memory).")
@click.pass_obj
def serve(settings, host: str | None, port: int | None, data_files: tuple[Path, ...], storage: str | None, named_graphs: list,
          base_iri: str | None, default_graph: str | None) -> None:
    """Serve the graph over HTTP (SPARQL endpoint, dumps, linked data); builds first if needed.

    On the embedded store: one process loads the data and forks `workers` HTTP workers (waitress, `threads` each)
    that share it and run their queries themselves; a query past the time limit gets 503 and its worker is replaced.
    Stop it with Ctrl-C or SIGTERM."""
    from dataclasses import replace

    from ecograph.http import create_app
    from ecograph.http.server import serve as run_server

    settings = replace(settings, host=host or settings.host, port=port or settings.port, storage=storage or settings.storage,
                       base_iri=base_iri or settings.base_iri, default_graph=default_graph or settings.default_graph)
    data_files = [*data_files, *named_graphs]
    if not data_files and not (settings.dist / "dataset.nq").exists():
        click.echo("no build yet: building first", err=True)
        click.get_current_context().invoke(build)
    if settings.store == "oxigraph":  # the embedded store: pre-forked HTTP workers that query in process
        _serve_prefork(settings, data_files or None)
        return
    app = create_app(settings, data_files or None)
    engine = app.extensions["ecograph"]
    served = engine.served
    where = f"{settings.store} store"
    engine.pool  # noqa: B018  (the property starts the workers before the first request)
    click.echo(f"serving release {served.release} ({len(served.graphs)} graphs, {where}, default graph: {settings.default_graph}) "
               f"on http://{settings.host}:{settings.port}/sparql", err=True)
    try:
        run_server(app, settings)  # waitress; its own errors (a body far over max_request_bytes) in the JSON shape too
    finally:
        engine.close()


def _serve_prefork(settings, data_files) -> None:
    """`serve` on the embedded store: the arbiter and its HTTP workers (http/prefork.py), their metrics summed in a
    folder that is removed however this ends (an error while loading included)."""
    from ecograph.http import create_app, ops
    from ecograph.http.prefork import Arbiter

    ops.share_metrics()  # before the app exists: its metrics are then summed over the workers
    try:
        app = create_app(settings, data_files)
        engine = app.extensions["ecograph"]
        engine.in_process = True
        served = engine.served
        arbiter = Arbiter(app, settings)
        click.echo(f"serving release {served.release} ({len(served.graphs)} graphs, oxigraph store, {settings.storage}, default graph: "
                   f"{settings.default_graph}) on http://{settings.host}:{settings.port}/sparql with {settings.workers} HTTP workers", err=True)
        arbiter.run()
    finally:
        ops.unshare_metrics()


@main.command()
@click.option("--triples", type=click.IntRange(min=2_000), default=10_000, show_default=True,
              help="How many synthetic triples to write, stated and interpreted together (a target: within ±10%).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed: the same --triples and --seed give the same bytes.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Directory to write the new project root into (absent or empty).")
@click.option("--force", is_flag=True, help="Write into a non-empty --out, replacing its ontology/, shapes/, queries/ and data/.")
@click.pass_obj
def synth(settings, triples: int, seed: int, out: Path, force: bool) -> None:
    """Write a project root with the seed plus a synthetic ecosystem shaped like it, for scale tests (build it with --root)."""
    from ecograph.tools.synth import check_out, synthesize

    check_out(out, force)
    with click.progressbar(length=triples, label="synthesising", file=sys.stderr) as bar:
        result = synthesize(settings.root, out, triples, seed, bar.update)
    click.echo(f"wrote {result.stated} stated and {result.interpreted} interpreted synthetic triples into {out}/data", err=True)


@main.command()
@click.option("--into", required=True, metavar="isql://HOST:PORT",
              help="The store to load: Virtuoso's isql address (its bulk loader reads dist/ from disk, so it must run on this machine).")
@click.pass_obj
def load(settings, into: str) -> None:
    """Bulk-load the current build (dist/dataset.nq, named graphs kept) into a SPARQL store, replacing the build's
    graphs there, and check the triples per graph. Then: ecograph --store ENDPOINT serve."""
    from ecograph.tools.virtuoso import bulk_load

    loaded = bulk_load(into, settings.dist)
    for graph, count in sorted(loaded.items()):
        click.echo(f"  {graph.rsplit('/', 1)[-1]:<22} {count:>8} triples", err=True)
    click.echo(f"loaded {sum(loaded.values())} triples into {into}", err=True)


@main.command()
@click.pass_obj
def docs(settings) -> None:
    """Regenerate the generated pages in docs/ (cli.md, queries.md, settings.md, ontology.html)."""
    from ecograph.docs.reference import write_all

    for path in write_all(main, settings.root / "docs"):
        click.echo(f"wrote {path.relative_to(settings.root)}", err=True)


if __name__ == "__main__":
    main()
