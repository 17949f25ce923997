"""``byline index``, ``entities``, ``entity``, ``figures``, ``suggest``: what the writing is about.

Registered onto the ``byline`` group by ``byline.cli`` (one import).  Each
command parses its options and calls one ``Archive`` method; the methods and
the JSON they print are documented in ``docs/knowledge.md``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click

from byline._api_entities import ROLE_SETS, EntityReport, parse_roles
from byline._entity_json import (
    entity_json,
    figure_json,
    index_json,
    mention_json,
    suggestions_json,
    summary_json,
    unlinked_json,
)
from byline.cli import db_option, friendly_errors, main, open_archive, table_or_json
from byline.store import UnlinkedName

# As byline.enrich.ENTITY_TYPES; not imported from there, which costs 0.4 s at start-up.
ENTITY_TYPES = ("country", "place", "person", "organisation", "initiative")
FIGURE_KINDS = ("money", "percent", "count")
NAME_WIDTH = 36  # characters of a name shown in a table
BAR_WIDTH = 30  # characters of the longest bar in a text timeline
ROLES_HELP = (
    "Which parts of the post count: all (the default: blogger's note, headline, standfirst,"
    " headings, body, captions), piece (all but the blogger's note), text (piece without"
    f" captions), or a comma-separated list of {', '.join(ROLE_SETS['all'])}."
)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=1))


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@main.command("index")
@click.option("--full", is_flag=True, help="Index every post again, not only what changed.")
@click.option(
    "--knowledge",
    type=click.Path(),
    default=None,
    help="A knowledge.yaml (or its folder) to merge over the built-in file;"
    " default: ./knowledge.yaml, else the one the archive was last indexed with.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for programs.",
)
@db_option
@click.pass_context
@friendly_errors
def index_command(
    ctx: click.Context, full: bool, knowledge: str | None, fmt: str, db: str | None
) -> None:
    """Index entities, figures and dates of the posts that changed.

    Imports index new and changed posts by themselves; run this after editing
    the knowledge file (only the posts it can affect are read again) or with
    --full after upgrading byline.  A post whose fingerprint did not change
    keeps its rows.
    """
    with open_archive(ctx, db) as archive:
        report = archive.index(full=full, knowledge=knowledge)
    if fmt == "json":
        _echo_json(index_json(report))
        return
    source = f" + {report.knowledge_path}" if report.knowledge_path else ""
    click.echo(
        f"Indexed {len(report.indexed)} of {report.posts} posts"
        f" ({len(report.rewritten)} changed, {report.unchanged} unchanged),"
        f" {report.estimated} dates estimated, in {report.seconds:.2f} s;"
        f" knowledge {report.knowledge_version}{source}:"
        f" {report.knowledge_entities} entities, {report.changed_entries} entries changed."
    )


@main.command("entities")
@click.option("--type", "entity_type", type=click.Choice(ENTITY_TYPES), help="Only this type.")
@click.option("--post", "post_id", type=int, help="The entities of this post (an id from posts).")
@click.option("--unlinked", is_flag=True, help="Names the knowledge file does not know.")
@click.option("--roles", default=None, help=ROLES_HELP)
@table_or_json
@click.option("--all", "include_all", is_flag=True, help="Count drafts and private posts too.")
@db_option
@click.pass_context
@friendly_errors
def entities_command(
    ctx: click.Context,
    entity_type: str | None,
    post_id: int | None,
    unlinked: bool,
    roles: str | None,
    fmt: str,
    include_all: bool,
    db: str | None,
) -> None:
    """List the entities the archive names, with how many posts name each.

    With --post ID, the entities of one post and how often it names each;
    with --unlinked, capitalised names no knowledge entry covers, for review
    (add them to knowledge.yaml and run byline index).
    """
    try:
        parse_roles(roles)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--roles") from err
    if roles is not None and post_id is None:
        raise click.UsageError("--roles goes with --post")
    with open_archive(ctx, db) as archive:
        if unlinked:
            names = archive.unlinked(include_all=include_all or post_id is not None)
            if post_id is not None:
                names = [n for n in names if post_id in n.post_ids]
            _show_unlinked(names, fmt)
            return
        if post_id is not None:
            found = archive.post_entities(post_id, roles=roles)
            if entity_type:
                found = [m for m in found if m.type == entity_type]
            if fmt == "json":
                _echo_json([mention_json(m) for m in found])
                return
            rows = [(m.name, m.type, str(m.count), ", ".join(m.roles)) for m in found]
            _table(("ENTITY", "TYPE", "COUNT", "PARTS"), rows, f"Post {post_id} names no entity.")
            return
        summaries = archive.entities(entity_type, include_all=include_all)
    if fmt == "json":
        _echo_json([summary_json(s) for s in summaries])
        return
    rows = [(s.name, s.type, str(s.posts), str(s.mentions)) for s in summaries]
    _table(("ENTITY", "TYPE", "POSTS", "MENTIONS"), rows, "No entities indexed.")


def _show_unlinked(names: Sequence[UnlinkedName], fmt: str) -> None:
    if fmt == "json":
        _echo_json([unlinked_json(n) for n in names])
        return
    rows = [(n.surface, str(n.posts), str(n.count), _clip(n.example, 60)) for n in names]
    _table(("NAME", "POSTS", "COUNT", "EXAMPLE"), rows, "No unlinked names.")


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], empty: str) -> None:
    """Columns padded to fit; the first clipped to NAME_WIDTH, the last left ragged."""
    if not rows:
        click.echo(empty)
        return
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    widths[0] = min(widths[0], NAME_WIDTH)

    def line(cells: tuple[str, ...]) -> str:
        out = [f"{_clip(cells[0], widths[0]):{widths[0]}}"]
        for cell, width in zip(cells[1:-1], widths[1:-1], strict=True):
            out.append(f"{cell:>{width}}" if cell.isdigit() else f"{cell:{width}}")
        out.append(cells[-1])
        return "  ".join(out).rstrip()

    click.echo(line(header))
    for row in rows:
        click.echo(line(row))


@main.command("entity")
@click.argument("name")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for programs.",
)
@click.option("--all", "include_all", is_flag=True, help="Count drafts and private posts too.")
@db_option
@click.pass_context
@friendly_errors
def entity_command(
    ctx: click.Context, name: str, fmt: str, include_all: bool, db: str | None
) -> None:
    """Everything the archive says about one entity, found by any of its names.

    Every post naming it (newest first, with the mention count), a timeline
    of mentions by year, the entities most often named with it and the
    figures stated about it.  Case, accents and punctuation do not matter:
    "nur-sultan" finds Astana, "ISKP" the Islamic State Khorasan Province.
    """
    with open_archive(ctx, db) as archive:
        report = archive.entity(name, include_all=include_all)
    if fmt == "json":
        _echo_json(entity_json(report))
        return
    _show_entity(report)


def _show_entity(report: EntityReport) -> None:
    entity = report.entity
    also = f"; also {', '.join(entity.aliases)}" if entity.aliases else ""
    click.echo(f"{entity.name} ({entity.type}{also})")
    posts = len(report.posts)
    click.echo(
        f"Named in {posts} post{'s' if posts != 1 else ''},"
        f" {report.mentions} mention{'s' if report.mentions != 1 else ''}."
    )
    if report.timeline:
        click.echo("\nBy year:")
        most = max(y.mentions for y in report.timeline) or 1
        for year in report.timeline:
            bar = "█" * round(BAR_WIDTH * year.mentions / most)
            guess = f" ({year.estimated} dated by estimate)" if year.estimated else ""
            click.echo(
                f"  {year.year}  {bar:{BAR_WIDTH}}  {year.posts} posts, {year.mentions} mentions"
                + guess
            )
        if report.undated:
            click.echo(f"  undated  {report.undated} posts")
    if report.posts:
        click.echo("\nPosts:")
        for post in report.posts:
            when = post.published.isoformat() if post.published else f"~{post.year or '?'}"
            click.echo(f"  #{post.post_id:<5} {when:10}  {post.title}  ({post.count})")
    if report.co_mentions:
        click.echo("\nMost often named with it:")
        for other in report.co_mentions:
            click.echo(f"  {other.name} ({other.type}): {other.posts} posts")
    if report.figures:
        click.echo("\nFigures:")
        for figure in report.figures:
            click.echo(f"  {figure.text}  #{figure.post_id}  {figure.sentence}")


@main.command("figures")
@click.option("--entity", help="Only figures whose sentence names this entity (any of its names).")
@click.option("--kind", type=click.Choice(FIGURE_KINDS), help="Only money, percent or count.")
@table_or_json
@click.option("--all", "include_all", is_flag=True, help="Include drafts and private posts.")
@db_option
@click.pass_context
@friendly_errors
def figures_command(
    ctx: click.Context,
    entity: str | None,
    kind: str | None,
    fmt: str,
    include_all: bool,
    db: str | None,
) -> None:
    """List the money amounts, percentages and counts the posts state.

    Each with its amount and currency (or unit), the sentence it belongs to,
    the entities named there, and its post.
    """
    with open_archive(ctx, db) as archive:
        found = archive.figures(entity=entity, kind=kind, include_all=include_all)
    if fmt == "json":
        _echo_json([figure_json(f) for f in found])
        return
    if not found:
        click.echo("No figures.")
        return
    for figure in found:
        amount = f"{figure.value:,.0f}" if figure.value.is_integer() else f"{figure.value:,}"
        what = figure.currency or figure.unit or ""
        click.echo(f"#{figure.post_id:<5} {figure.kind:7}  {figure.text}  = {amount} {what}")
        click.echo(f"        {figure.sentence}")


@main.command("suggest")
@click.argument("post_id", metavar="POST", type=int)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for programs.",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=5, show_default=True, help="Most tags."
)
@db_option
@click.pass_context
@friendly_errors
def suggest_command(ctx: click.Context, post_id: int, fmt: str, limit: int, db: str | None) -> None:
    """Suggest tags for POST from how the archive is tagged, and its outlet from its text.

    A tag is suggested when the entities the post names are ones the
    writer's posts with that tag name much more often than the others; each
    suggestion lists those entities.  The outlet is the one its blogger's
    note (or byline) names.
    """
    with open_archive(ctx, db) as archive:
        found = archive.suggest(post_id, limit=limit)
    if fmt == "json":
        _echo_json(suggestions_json(found))
        return
    click.echo(f"#{found.post_id} {found.title}")
    if found.tags:
        for tag in found.tags:
            click.echo(f"  tag {tag.tag!r} ({tag.score:.2f}): because of {', '.join(tag.because)}")
    else:
        click.echo("  no tag suggested")
    if found.outlet:
        evidence = f": {found.outlet.evidence}" if found.outlet.evidence else ""
        click.echo(f"  outlet {found.outlet.outlet.name}{evidence}")
    else:
        click.echo("  no outlet named in the text")
