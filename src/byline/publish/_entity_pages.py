"""Entity pages and the entity index, rendered only where their signature changed.

An entity page (``entity.html``) shows every published post naming the
entity, a timeline of mentions by year (a bar list in HTML and CSS), the
entities most often named with it and the figures stated about it.  Its
signature hashes the entity's own record and, for each post it lists, the
post's digest (which carries what pages show of the post's entities, see
``_entities``) and mention count: so a page is rendered again when a post
naming the entity changes or comes or goes, and written only if its bytes differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from byline.publish._entities import (
    ENTITIES_PAGE,
    ENTITY_DIR,
    TYPE_LABELS,
    TYPE_NAMES,
    EntityEntry,
    EntityLink,
    EntitySite,
)
from byline.publish._model import PostInfo, digest
from byline.publish._render import TermCount
from byline.publish._urls import INDEX_FILE
from byline.store import StoredFigure, mention_timeline

if TYPE_CHECKING:
    from byline.publish._pages import PageBuilder

ENTITY_TEMPLATE = "entity.html"
INDEX_TEMPLATE = "entities.html"
POST_LINE_TEMPLATE = "_entity_post.html"  # a post in an entity page's list, rendered once
ENTITIES_KEY = "#entities"  # the manifest's key for what every entity page shares
INDEX_TITLE = "Entities"
CO_MENTIONS = 12  # entities listed as most often mentioned with this one
FIGURES_SHOWN = 50  # newest first; the rest are counted
WIKIDATA = "https://www.wikidata.org/wiki/"
MIN_BAR = 1  # percent: a year with any mention shows a sliver of bar


@dataclass(frozen=True)
class EntityView:
    """An entity as its page shows it."""

    id: str
    name: str
    type: str
    type_name: str  # "place", "initiative or project"
    aliases: tuple[str, ...]
    wikidata: str | None
    posts: int
    mentions: int


@dataclass(frozen=True)
class MentionItem:
    """A post naming the entity, how often, its estimated year when it has no date,
    and ``line``: the post as the list shows it (``_entity_post.html``)."""

    post: PostInfo
    count: int
    estimated_year: int | None
    line: Markup


@dataclass(frozen=True)
class TimelineBar:
    """One year of the timeline; ``width`` is the bar's length in percent of the longest."""

    year: int
    posts: int
    mentions: int
    estimated: int
    width: int


@dataclass(frozen=True)
class CoMentionItem:
    link: EntityLink
    posts: int


@dataclass(frozen=True)
class FigureItem:
    """A figure stated about the entity, with the post it is in."""

    kind: str
    text: str
    sentence: str
    post: PostInfo


@dataclass(frozen=True)
class EntityGroup:
    """One type's section of the entity index."""

    type: str
    label: str
    terms: tuple[TermCount, ...]


def entity_pages(builder: PageBuilder) -> None:
    """Every entity page whose signature changed, then the entity index."""
    site = builder.model.entities
    if not site:
        return
    shared = digest(builder.site_sig, "entities", site.slugs_sig)
    builder.listings[ENTITIES_KEY] = shared
    if _carried(builder, shared):
        return
    digests = builder.model.digests
    todo: list[tuple[EntityEntry, str]] = []
    for entry in sorted(site.entries.values(), key=lambda e: e.path):
        info = entry.info
        signature = digest(
            shared,
            "entity",
            entry.path,
            info.name,
            info.type,
            info.qid or "",
            *info.aliases,
            "\x1d",
            *(f"{digests[post_id]}:{count}" for post_id, count in entry.posts),
        )
        builder._page(entry.path)
        if not (builder.reuse and builder.writer.keep(entry.path, signature)):
            todo.append((entry, signature))
    if todo:
        figures = _figures_by_entity(builder, [entry.info.id for entry, _ in todo])
        lines: dict[int, Markup] = {}
        for entry, signature in todo:
            found = figures.get(entry.info.id, [])
            html = _render_entity(builder, site, entry, found, lines)
            builder.writer.put(entry.path, html, signature)
    _index_page(builder, site)


def _carried(builder: PageBuilder, shared: str) -> bool:
    """Keep every entity page of the last build as it is, when nothing they show changed.

    No post is new, changed or gone (a post's digest carries what pages show
    of its entities) and what all entity pages share is the same: then the
    per-entity work is skipped, rows and all.
    """
    if not builder.reuse or builder.previous_listings.get(ENTITIES_KEY) != shared:
        return False
    if builder.changed or set(builder.writer.previous.posts) - set(builder.model.digests):
        return False
    entity_files = sorted(
        relative
        for relative in builder.writer.previous.files
        if relative.startswith(f"{ENTITY_DIR}/") and relative.endswith(f"/{INDEX_FILE}")
    )
    urls = ["/" + relative[: -len(INDEX_FILE)] for relative in entity_files]
    if not builder.writer.carry([*urls, ENTITIES_PAGE]):
        return False
    for url in [*urls, ENTITIES_PAGE]:
        builder._page(url)
    return True


def _figures_by_entity(
    builder: PageBuilder, entity_ids: list[str]
) -> dict[str, list[StoredFigure]]:
    listed = builder.model.listed
    found: dict[str, list[StoredFigure]] = {}
    wanted = set(entity_ids)
    for figure in builder.store.figures(entity_ids):
        if figure.post_id not in listed:
            continue
        for entity_id in figure.entity_ids:
            if entity_id in wanted:
                found.setdefault(entity_id, []).append(figure)
    return found


def _render_entity(
    builder: PageBuilder,
    site: EntitySite,
    entry: EntityEntry,
    figures: list[StoredFigure],
    lines: dict[int, Markup],
) -> bytes:
    model = builder.model
    info = model.info
    listed = model.listed
    view = EntityView(
        id=entry.info.id,
        name=entry.info.name,
        type=entry.info.type,
        type_name=TYPE_NAMES.get(entry.info.type, entry.info.type),
        aliases=entry.info.aliases,
        wikidata=WIKIDATA + entry.info.qid if entry.info.qid else None,
        posts=len(entry.posts),
        mentions=entry.mentions,
    )
    filed = [(site.year_of(post_id, listed[post_id].published), n) for post_id, n in entry.posts]
    years, undated = mention_timeline((year, n, guessed) for (year, guessed), n in filed)
    most = max((y.mentions for y in years), default=0) or 1
    timeline = [
        TimelineBar(
            y.year,
            y.posts,
            y.mentions,
            y.estimated,
            max(MIN_BAR, round(100 * y.mentions / most)) if y.mentions else 0,
        )
        for y in years
    ]
    co_mentions = [
        CoMentionItem(site.link(e), n) for e, n in site.co_mentioned(entry.info.id, CO_MENTIONS)
    ]
    position = {post_id: i for i, (post_id, _) in enumerate(entry.posts)}
    figures = sorted(figures, key=lambda f: (position.get(f.post_id, len(position)), f.id))
    shown = [FigureItem(f.kind, f.text, f.sentence, info[f.post_id]) for f in figures]
    posts_word = "post" if view.posts == 1 else "posts"
    page = builder.renderer.page(
        "entity",
        entry.path,
        entry.info.name,
        description=f"{entry.info.name}: {view.posts} {posts_word} in the archive name it.",
    )
    return builder.renderer.render(
        ENTITY_TEMPLATE,
        page,
        entity=view,
        posts=[
            _item(builder, lines, info[post_id], count, year if guessed else None)
            for (post_id, count), ((year, guessed), _) in zip(entry.posts, filed, strict=True)
        ],
        timeline=timeline,
        undated=undated,
        co_mentions=co_mentions,
        figures=shown[:FIGURES_SHOWN],
        more_figures=max(0, len(shown) - FIGURES_SHOWN),
    )


def _item(
    builder: PageBuilder,
    lines: dict[int, Markup],
    post: PostInfo,
    count: int,
    estimated_year: int | None,
) -> MentionItem:
    """A post in an entity page's list; its line is rendered once however many list it."""
    line = lines.get(post.id)
    if line is None:
        line = lines[post.id] = builder.renderer.fragment(
            POST_LINE_TEMPLATE, post=post, estimated_year=estimated_year
        )
    return MentionItem(post, count, estimated_year, line)


def _index_page(builder: PageBuilder, site: EntitySite) -> None:
    """``/entities/``: every entity with a page, by type, with its number of posts."""
    groups = [
        EntityGroup(
            kind,
            TYPE_LABELS.get(kind, kind.capitalize()),
            tuple(
                TermCount(builder.model.link(e.info.name, e.path), len(e.posts)) for e in entries
            ),
        )
        for kind, entries in site.by_type()
    ]
    signature = digest(builder.site_sig, "entities", repr(groups))

    def render() -> bytes:
        page = builder.renderer.page("entities", ENTITIES_PAGE, INDEX_TITLE)
        return builder.renderer.render(INDEX_TEMPLATE, page, groups=groups)

    builder.emit(ENTITIES_PAGE, signature, render)
    builder._page(ENTITIES_PAGE)
