"""The ``byline`` command: a thin layer over the Python API.

Each command parses its options, calls one library function and turns a
``BylineError`` into a one-line message and a non-zero exit.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from byline.api import DEFAULT_SEARCH_LIMIT, Archive, default_db_path, sample_path
from byline.errors import BylineError
from byline.publish import archive_json, hit_json, render_html, render_text, summary_json
from byline.publish.site import BuildReport
from byline.settings import CONFIG_NAME, find_config, load_settings

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(func: F) -> F:
    """Turn byline's errors into ``Error: message`` and exit 1, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BylineError as err:
            raise click.ClickException(str(err)) from err

    return wrapper  # type: ignore[return-value]


DB_HELP = "Archive database file; default $BYLINE_DB, else ./byline.db."
OUT_HELP = "The site's folder."
CONFIG_HELP = f"Settings file; default ./{CONFIG_NAME} when there is one."
DEFAULT_OUT = "site"
OUTLET_WIDTH = 24  # characters of an outlet's name shown in a table


@click.group()
@click.version_option(package_name="byline")
@click.option("--db", type=click.Path(dir_okay=False), default=None, help=DB_HELP)
def main(db: str | None) -> None:
    """Keep a writer's whole archive: recover, store, index and publish.

    Every command that uses the archive takes --db PATH, before or after the
    command name (byline --db a.db posts, byline posts --db a.db); without it
    the BYLINE_DB environment variable names the file, else ./byline.db.
    """


@main.command()
@click.argument("page", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["lines", "json"]),
    default="json",
    show_default=True,
    help="lines: one {line, post, role} object per non-empty line; json: the posts.",
)
@friendly_errors
def recover(page: str, fmt: str) -> None:
    """Recover the posts of an archive PAGE's text, touching no database."""
    from byline.sources.text import read_archive_text

    recovered = read_archive_text(page)
    if fmt == "lines":
        out = sys.stdout
        for row in recovered.line_labels():
            out.write(json.dumps(row) + "\n")
    else:
        click.echo(json.dumps(recovered.to_json(), ensure_ascii=False, indent=1))


table_or_json = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people, json for programs.",
)


def db_option(func: F) -> F:
    """``--db PATH`` on a command; it wins over the group's ``--db`` and $BYLINE_DB."""
    return click.option("--db", type=click.Path(dir_okay=False), default=None, help=DB_HELP)(func)


def open_archive(ctx: click.Context, db: str | None) -> Archive:
    """The archive the command line names: command --db, group --db, $BYLINE_DB, default."""
    return Archive.open(db or ctx.find_root().params.get("db"))


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@click.pass_context
@friendly_errors
def import_(ctx: click.Context, paths: tuple[str, ...], db: str | None) -> None:
    """Import files and folders: WordPress exports, HTML pages, feeds, Markdown, archive text.

    Each file is read by the reader its content calls for (folders: every
    file of a kind byline reads) and stored in one transaction; importing a
    file again changes nothing, and a piece found in several sources is one
    post listing them all (byline sources POST, byline duplicates).  A file
    that cannot be imported is reported on stderr at the end, and the rest go
    on; the exit status is 1 if any was refused.  When no file can be imported
    the database is not touched (not even created).
    """
    from byline._progress import ImportProgress

    with open_archive(ctx, db) as archive, ImportProgress() as progress:
        report = archive.import_paths(paths, progress=progress)
    if report.stored:
        files = len(report.stored)
        click.echo(
            f"Imported {files} file{'s' if files != 1 else ''}: {report.new} new posts, "
            f"{report.merged} merged, {report.unchanged} unchanged; "
            f"{len(report.refused)} refused."
        )
    for refusal in report.refused:
        click.echo(f"Error: {refusal.message}", err=True)
    if report.index_error:
        click.echo(f"Warning: imported but not indexed: {report.index_error}", err=True)
    if report.refused:
        ctx.exit(1)


@main.command()
@table_or_json
@click.option("--all", "include_all", is_flag=True, help="Include drafts and private posts.")
@db_option
@click.pass_context
@friendly_errors
def posts(ctx: click.Context, fmt: str, include_all: bool, db: str | None) -> None:
    """List the posts, newest first (undated posts last)."""
    with open_archive(ctx, db) as archive:
        found = archive.posts(include_all=include_all)
    if fmt == "json":
        click.echo(json.dumps([summary_json(p) for p in found], ensure_ascii=False, indent=1))
        return
    if not found:
        click.echo("No posts.")
        return
    status = f"{'STATUS':8}  " if include_all else ""
    click.echo(f"{'ID':>5}  {'PUBLISHED':10}  {status}{'OUTLET':{OUTLET_WIDTH}}  HEADLINE")
    for post in found:
        published = post.published.isoformat() if post.published else "-"
        status = f"{post.status:8}  " if include_all else ""
        outlet = _clip(post.outlet or "-", OUTLET_WIDTH)
        click.echo(f"{post.id:>5}  {published:10}  {status}{outlet:{OUTLET_WIDTH}}  {post.title}")


@main.command()
@click.option("--category", help="A category's name (case and accents do not matter).")
@click.option("--tag", help="A tag's name.")
@click.option("--outlet", help="An outlet's name or any of its aliases.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "html", "json"]),
    default="text",
    show_default=True,
    help="text: the page as the blog showed it; html: one self-contained page; json.",
)
@click.option("--all", "include_all", is_flag=True, help="Include drafts and private posts.")
@db_option
@click.pass_context
@friendly_errors
def archive(
    ctx: click.Context,
    category: str | None,
    tag: str | None,
    outlet: str | None,
    fmt: str,
    include_all: bool,
    db: str | None,
) -> None:
    """Show a category, tag or outlet archive as the blog showed it.

    The title line, then every line of every post in its original order;
    posts newest first when all are dated, otherwise in page order.
    """
    chosen = [name for name in (category, tag, outlet) if name]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --category, --tag or --outlet")
    with open_archive(ctx, db) as opened:
        page = opened.archive(category=category, tag=tag, outlet=outlet, include_all=include_all)
    if fmt == "json":
        click.echo(json.dumps(archive_json(page), ensure_ascii=False, indent=1))
    elif fmt == "html":
        click.echo(render_html(page), nl=False)
    else:
        click.echo(render_text(page), nl=False)


@main.command()
@click.argument("query")
@table_or_json
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=DEFAULT_SEARCH_LIMIT,
    show_default=True,
    help="Most results to show.",
)
@click.option("--all", "include_all", is_flag=True, help="Include drafts and private posts.")
@db_option
@click.pass_context
@friendly_errors
def search(
    ctx: click.Context, query: str, fmt: str, limit: int, include_all: bool, db: str | None
) -> None:
    """Search headlines, standfirsts and bodies, best match first.

    Every word must match; a trailing * matches word beginnings (russ*).  Any
    other punctuation is taken literally, so any QUERY is safe to type.
    """
    with open_archive(ctx, db) as archive:
        hits = archive.search(query, limit=limit, include_all=include_all)
    if fmt == "json":
        click.echo(json.dumps([hit_json(h) for h in hits], ensure_ascii=False, indent=1))
        return
    if not hits:
        click.echo(f"No posts match {query!r}.")
        return
    for rank, hit in enumerate(hits, start=1):
        facts = ", ".join(
            f for f in (hit.outlet, hit.published.isoformat() if hit.published else None) if f
        )
        click.echo(f"{rank:>2}. {hit.title}" + (f" ({facts})" if facts else ""))
        click.echo(f"    #{hit.id}  score {hit.score:.2f}  {hit.snippet}")


@main.command()
@click.option(
    "--out", type=click.Path(file_okay=False), default=DEFAULT_OUT, show_default=True, help=OUT_HELP
)
@click.option("--config", type=click.Path(dir_okay=False), default=None, help=CONFIG_HELP)
@click.option("--full", is_flag=True, help="Render every page again, not only what changed.")
@db_option
@click.pass_context
@friendly_errors
def build(ctx: click.Context, out: str, config: str | None, full: bool, db: str | None) -> None:
    """Publish the archive as a static site in --out (default ./site).

    Post pages, home and archive pages, feeds, sitemap and redirects; see
    docs/publishing.md for the layout and the byline.toml settings.  A rebuild
    renders only the pages that show something that changed, and a failed
    build leaves the previous site as it was.
    """
    settings = load_settings(config)
    with open_archive(ctx, db) as archive:
        report = archive.build(out, settings, full=full)
    click.echo(describe_build(report))
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)


@main.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free one).",
)
@click.option(
    "--out", type=click.Path(file_okay=False), default=DEFAULT_OUT, show_default=True, help=OUT_HELP
)
@click.option("--config", type=click.Path(dir_okay=False), default=None, help=CONFIG_HELP)
@db_option
@click.pass_context
@friendly_errors
def serve(ctx: click.Context, port: int, out: str, config: str | None, db: str | None) -> None:
    """Build the site, serve it on 127.0.0.1 and rebuild it when anything changes.

    Watches the database, byline.toml and the templates/ folder beside it
    once a second; stop with Ctrl-C.
    """
    from byline.publish.serve import Preview
    from byline.publish.site import BuildCache

    db_path = default_db_path(db or ctx.find_root().params.get("db"))
    config_path = find_config(config)
    cache = BuildCache()  # what one rebuild leaves the next: templates, site model, manifest

    def rebuild() -> str:
        settings = load_settings(config_path)
        with Archive.open(db_path) as archive:
            return describe_build(archive.build(out, settings, cache=cache))

    click.echo(rebuild())
    settings = load_settings(config_path)
    watched = [db_path, db_path.with_name(db_path.name + "-wal")]
    config_file = config_path or Path.cwd() / CONFIG_NAME
    watched += [config_file, config_file.parent / "templates"]
    try:
        preview = Preview(
            out,
            port=port,
            root_path=settings.root_path,
            rebuild=rebuild,
            watch=watched,
            log=click.echo,
        )
    except OSError as exc:
        raise click.ClickException(f"cannot serve on 127.0.0.1:{port} ({exc})") from exc
    click.echo(f"Serving {out} at {preview.url} — Ctrl-C to stop.")
    try:
        preview.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")


def describe_build(report: BuildReport) -> str:
    """One line about a build, for people."""
    return (
        f"Built {report.pages} pages from {report.posts} posts in {report.out_dir}: "
        f"{report.written} files written, {report.unchanged} unchanged, "
        f"{report.removed} removed in {report.seconds:.2f} s."
    )


@main.command("sample-path")
def sample_path_command() -> None:
    """Print the folder of the sample archive pages byline ships.

    Try it: byline import "$(byline sample-path)" && byline posts
    """
    click.echo(str(sample_path()))


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


from byline import (  # noqa: E402  (commands that live in modules of their own)
    _cli_entities,  # noqa: F401  (index, entities, entity, figures, suggest)
    _cli_sources,  # noqa: F401  (export, sources, duplicates)
)

if __name__ == "__main__":
    main()
