"""The ``byline`` command: a thin layer over the Python API.

Each command parses its options, calls one library function and turns a
``BylineError`` into a one-line message and a non-zero exit.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from byline.api import DEFAULT_SEARCH_LIMIT, Archive, sample_path
from byline.errors import BylineError
from byline.publish import archive_json, hit_json, render_html, render_text, summary_json

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
    """Import archive pages from files and folders (searched for *.txt).

    Files are read and recovered before anything is written, and each page is
    stored in one transaction; importing a page again changes nothing, and a
    post found on two pages is stored once with both pages' categories and
    tags.  A file that cannot be imported is reported on stderr and the rest go
    on; the exit status is 1 if any was refused.  When no file can be imported
    the database is not touched (not even created).
    """
    with open_archive(ctx, db) as archive:
        report = archive.import_paths(paths)
    if report.stored:
        files = len(report.stored)
        click.echo(
            f"Imported {files} file{'s' if files != 1 else ''}: {report.new} new posts, "
            f"{report.merged} merged, {report.unchanged} unchanged; "
            f"{len(report.refused)} refused."
        )
    for refusal in report.refused:
        click.echo(f"Error: {refusal.message}", err=True)
    if report.refused:
        ctx.exit(1)


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people, json for programs.",
)
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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people, json for programs.",
)
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


@main.command("sample-path")
def sample_path_command() -> None:
    """Print the folder of the sample archive pages byline ships.

    Try it: byline import "$(byline sample-path)" && byline posts
    """
    click.echo(str(sample_path()))


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


if __name__ == "__main__":
    main()
