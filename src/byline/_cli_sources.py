"""``byline export``, ``sources``, ``duplicates``: the archive out, where each post came from.

Registered onto the ``byline`` group by ``byline.cli`` (one import).  Each
command parses its options and calls one ``Archive`` method (see
``byline._api_sources``); docs/importing.md describes what they print.
"""

from __future__ import annotations

import json
from typing import Any, Literal, cast

import click

from byline._api_sources import EXPORT_FORMATS, ExportFormat
from byline.cli import db_option, friendly_errors, main, open_archive, table_or_json
from byline.store._source_base import MergedPost, PostSourceInfo

KIND_WIDTH = 12  # characters of a source kind shown in a table
MATCH_WIDTH = 10


@main.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="wxr: a WordPress export (WXR 1.2); markdown: a folder of files; json: every field.",
)
@click.option(
    "--out",
    required=True,
    help="The file to write (a folder for markdown); - writes WXR or JSON to standard output.",
)
@click.option(
    "--style",
    type=click.Choice(["hugo", "pelican"]),
    default="hugo",
    show_default=True,
    help="Markdown front matter: Hugo's YAML or Pelican's headers.",
)
@click.option("--published-only", is_flag=True, help="Only public posts (default: every status).")
@db_option
@click.pass_context
@friendly_errors
def export_command(
    ctx: click.Context, fmt: str, out: str, style: str, published_only: bool, db: str | None
) -> None:
    """Write the archive out as WXR, Markdown or JSON, for other tools (and byline) to read.

    Every post with its categories (and their parents), tags, authors, dates,
    status, excerpt, old addresses, comments and attachments; byline imports
    what it exports back to the same archive.
    """
    with open_archive(ctx, db) as archive:
        count = archive.export(
            cast(ExportFormat, fmt),
            out,
            style=cast(Literal["hugo", "pelican"], style),
            include_all=not published_only,
        )
    if out != "-":
        click.echo(f"Exported {count} post{'s' if count != 1 else ''} as {fmt} to {out}.")


@main.command("sources")
@click.argument("post_id", metavar="POST", type=int)
@table_or_json
@db_option
@click.pass_context
@friendly_errors
def sources_command(ctx: click.Context, post_id: int, fmt: str, db: str | None) -> None:
    """Show every source of POST: kind, address or file, date, how it was matched.

    GIVES names the post's fields taken from each source: piece (headline,
    standfirst, body), preface, record (status, type, excerpt), date, outlet.
    """
    with open_archive(ctx, db) as archive:
        post = archive.post(post_id)
        found = archive.sources(post_id)
    if fmt == "json":
        click.echo(json.dumps([source_json(s) for s in found], ensure_ascii=False, indent=1))
        return
    click.echo(f"#{post_id}  {post.post.title}")
    click.echo(_header())
    for source in found:
        click.echo(_row(source))


@main.command("duplicates")
@click.option("--near", "near_only", is_flag=True, help="Only posts joined as near-duplicates.")
@click.option(
    "--split",
    nargs=2,
    type=int,
    metavar="POST SOURCE",
    default=None,
    help="Undo a wrong merge: SOURCE's version of POST becomes a post of its own.",
)
@table_or_json
@db_option
@click.pass_context
@friendly_errors
def duplicates_command(
    ctx: click.Context,
    near_only: bool,
    split: tuple[int, int] | None,
    fmt: str,
    db: str | None,
) -> None:
    """List the posts joined from more than one source, or split a wrong merge.

    Every source is listed with how it was matched: first (the post was made
    from it), same (the same text), near (a near-duplicate, with how alike the
    texts and headlines are, 0-100).  byline duplicates --split POST SOURCE
    takes SOURCE's version out of POST as a post of its own.
    """
    with open_archive(ctx, db) as archive:
        if split:
            post_id, source_id = split
            new_id = archive.split(post_id, source_id)
            click.echo(f"Split source {source_id} out of post {post_id} as post {new_id}.")
            return
        merged = archive.duplicates(near_only=near_only)
    if fmt == "json":
        click.echo(json.dumps([merged_json(m) for m in merged], ensure_ascii=False, indent=1))
        return
    if not merged:
        click.echo("No post has more than one source.")
        return
    for post in merged:
        click.echo(f"#{post.id}  {post.title}")
        for source in post.sources:
            click.echo("  " + _row(source))
    click.echo(
        f"{len(merged)} post{'s' if len(merged) != 1 else ''} from more than one source;"
        " split a wrong merge with: byline duplicates --split POST SOURCE"
    )


def source_json(source: PostSourceInfo) -> dict[str, Any]:
    return {
        "source": source.source_id,
        "kind": source.kind,
        "path": source.path,
        "url": source.url,
        "captured_at": source.captured_at.isoformat() if source.captured_at else None,
        "published": source.published.isoformat() if source.published else None,
        "published_at": source.published_at.isoformat() if source.published_at else None,
        "imported_at": source.imported_at,
        "matched": source.matched,
        "similarity": source.similarity,
        "title_similarity": source.title_similarity,
        "headline": source.headline,
        "words": source.words,
        "gives": list(source.gives),
    }


def merged_json(post: MergedPost) -> dict[str, Any]:
    return {"id": post.id, "title": post.title, "sources": [source_json(s) for s in post.sources]}


def _header() -> str:
    return (
        f"{'SOURCE':>6}  {'KIND':{KIND_WIDTH}}  {'MATCHED':{MATCH_WIDTH}}  {'DATE':10}  "
        f"{'GIVES':26}  WHERE"
    )


def _row(source: PostSourceInfo) -> str:
    matched: str = source.matched
    if source.matched == "near" and source.similarity is not None:
        matched = f"near {source.similarity:.0f}"
    when = source.published.isoformat() if source.published else "-"
    where = source.url or source.path
    if source.captured_at:
        where += f" (captured {source.captured_at.date().isoformat()})"
    gives = ",".join(source.gives) or "-"
    return (
        f"{source.source_id:>6}  {source.kind:{KIND_WIDTH}}  {matched:{MATCH_WIDTH}}  "
        f"{when:10}  {gives:26}  {where}"
    )
