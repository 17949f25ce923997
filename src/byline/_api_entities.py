"""The archive's entity, figure and suggestion methods (mixed into ``byline.Archive``).

Everything ``byline index``, ``byline entities``, ``byline entity``, ``byline
figures`` and ``byline suggest`` do, as Python::

    with Archive.open("byline.db") as archive:
        archive.index()                                 # after a knowledge change
        astana = archive.entity("Nur-Sultan")           # any alias, any case or accents
        pairs = archive.post_entities(12)               # what post 12 names
        money = archive.figures(entity="Kyrgyzstan", kind="money")

Names resolve through the knowledge the archive was indexed with: the
canonical name first, then an alias, then any other spelling (a short form,
a demonym, a capital standing for its country).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, cast

from byline._indexing import IndexReport, index_archive
from byline.errors import NotFoundError
from byline.model import fold
from byline.store import (
    CoMention,
    EntityInfo,
    EntitySummary,
    MentioningPost,
    PostMention,
    Store,
    StoredFigure,
    UnlinkedName,
    YearCount,
    mention_timeline,
)

if TYPE_CHECKING:
    from byline.enrich import Knowledge, OutletSuggestion, TagSuggestion

CO_MENTIONS = 10  # entities listed as "most often mentioned with it"
SUGGESTED_TAGS = 5
# The parts of a post, by the names --roles accepts besides the roles themselves.
ROLE_SETS: dict[str, tuple[str, ...]] = {
    "all": ("preface", "headline", "standfirst", "heading", "body", "caption"),
    "piece": ("headline", "standfirst", "heading", "body", "caption"),  # not the blogger's note
    "text": ("headline", "standfirst", "heading", "body"),  # nor the captions
}
ROLE_NAMES = frozenset(ROLE_SETS["all"])
_NOT_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class EntityReport:
    """An entity as its page shows it: its posts, timeline, company and figures."""

    entity: EntityInfo
    posts: tuple[MentioningPost, ...]
    timeline: tuple[YearCount, ...]
    undated: int  # posts with neither a stated nor an estimated year
    co_mentions: tuple[CoMention, ...]
    figures: tuple[StoredFigure, ...]

    @property
    def mentions(self) -> int:
        return sum(p.count for p in self.posts)


@dataclass(frozen=True)
class Suggestions:
    """Tags and an outlet suggested for a post, each with what it rests on."""

    post_id: int
    title: str
    tags: tuple[TagSuggestion, ...]
    existing_tags: tuple[str, ...]
    outlet: OutletSuggestion | None
    current_outlet: str | None


def name_key(text: str) -> str:
    """How a name is looked up: case, accents, punctuation and spacing do not matter."""
    return _NOT_WORD.sub(" ", fold(text)).strip()


def parse_roles(value: str | Collection[str] | None) -> tuple[str, ...]:
    """The post parts a ``--roles`` value names: a preset (all, piece, text) or a list."""
    if value is None:
        return ROLE_SETS["all"]
    names = [v.strip() for v in value.split(",")] if isinstance(value, str) else list(value)
    chosen: dict[str, None] = {}
    for name in names:
        if name in ROLE_SETS:
            chosen.update(dict.fromkeys(ROLE_SETS[name]))
        elif name in ROLE_NAMES:
            chosen[name] = None
        elif name:
            known = ", ".join([*ROLE_SETS, *ROLE_SETS["all"]])
            raise ValueError(f"unknown post part {name!r}; use {known}")
    return tuple(chosen) or ROLE_SETS["all"]


class EntityArchive:
    """Indexing and reading what the archive is about; ``Archive`` mixes this in."""

    store: Store

    def index(
        self,
        *,
        full: bool = False,
        knowledge: Knowledge | str | Path | None = None,
    ) -> IndexReport:
        """Index what changed since the last run (every post with ``full``).

        ``knowledge`` is a :class:`~byline.enrich.Knowledge`, a user
        ``knowledge.yaml`` (or its folder) merged over the built-in file, or
        ``None``: the ``knowledge.yaml`` in the current folder (beside
        ``byline.toml``), else the file the archive was last indexed with.
        Posts whose fingerprint did not change keep their rows.
        """
        if knowledge is None or isinstance(knowledge, str | Path):
            return index_archive(self.store, knowledge_path=knowledge, full=full)
        return index_archive(self.store, knowledge, full=full)

    def entities(
        self, entity_type: str | None = None, include_all: bool = False
    ) -> list[EntitySummary]:
        """Every entity the archive names, with post and mention counts, most posts first."""
        return self.store.entity_summaries(entity_type, include_all=include_all)

    def resolve_entity(self, name: str) -> EntityInfo:
        """The entity a name stands for: its id, canonical name, an alias, then any spelling.

        Raises ``NotFoundError`` when no entity has that name, or when several
        people share it (a bare surname) and the archive names more than one.
        """
        key = name_key(name)
        best: list[tuple[int, EntityInfo]] = []
        for entity in self.store.entity_entries():
            rank = _rank(entity, name, key)
            if rank is not None:
                best.append((rank, entity))
        if not best:
            raise NotFoundError(self._unknown_entity_message(name))
        top = min(rank for rank, _ in best)
        found = [entity for rank, entity in best if rank == top]
        if len(found) == 1:
            return found[0]
        posts = {s.id: s.posts for s in self.store.entity_summaries(include_all=True)}
        named = [entity for entity in found if posts.get(entity.id)]
        if len(named) > 1:
            options = ", ".join(f"{e.name} ({e.type})" for e in named)
            raise NotFoundError(f"{name!r} could be any of: {options}; give the full name")
        return named[0] if named else found[0]

    def entity(self, name: str, include_all: bool = False) -> EntityReport:
        """An entity found by any of its names, with everything its page shows."""
        entity = self.resolve_entity(name)
        posts = self.store.entity_posts(entity.id, include_all=include_all)
        timeline, undated = mention_timeline((p.year, p.count, p.published is None) for p in posts)
        return EntityReport(
            entity=entity,
            posts=tuple(posts),
            timeline=timeline,
            undated=undated,
            co_mentions=tuple(
                self.store.co_mentions(entity.id, include_all=include_all, limit=CO_MENTIONS)
            ),
            figures=tuple(self.store.figures([entity.id], include_all=include_all)),
        )

    def post_entities(
        self, post_id: int, roles: str | Collection[str] | None = None
    ) -> list[PostMention]:
        """The entities of one post, most mentioned first.

        By default every indexed part counts, the blogger's note (preface) and
        captions included; ``roles`` narrows that ("piece" leaves out the
        preface, "text" the captions too, or a list of parts), and each count
        is then of the mentions in those parts.
        """
        wanted = parse_roles(roles)
        self._check_indexed(post_id)
        found = self.store.post_mentions(post_id)
        if set(wanted) >= ROLE_NAMES:
            return found
        by_role = self.store.mention_roles(post_id)
        kept = []
        for mention in found:
            counts = by_role.get(mention.entity_id, {})
            count = sum(n for role, n in counts.items() if role in wanted)
            if count:
                roles_kept = tuple(r for r in mention.roles if r in wanted)
                kept.append(replace(mention, count=count, roles=roles_kept))
        kept.sort(key=lambda m: -m.count)  # stable: the post's own order among equals
        return kept

    def unlinked(self, include_all: bool = False) -> list[UnlinkedName]:
        """Capitalised names no knowledge entry covers, most widespread first: to review."""
        return self.store.unlinked_names(include_all=include_all)

    def figures(
        self, entity: str | None = None, kind: str | None = None, include_all: bool = False
    ) -> list[StoredFigure]:
        """Money, percentages and counts, in page order; those about ``entity`` if given."""
        ids = [self.resolve_entity(entity).id] if entity else None
        return self.store.figures(ids, kind=kind, include_all=include_all)

    def suggest(self, post_id: int, limit: int = SUGGESTED_TAGS) -> Suggestions:
        """Tags the archive's own tagging suggests for a post, and the outlet its text names.

        Tags are learned from every other indexed post (so a post's own tags
        do not vote for themselves) and explained by the entities behind them.
        """
        from byline.enrich import PostEntity, learn_tags, suggest_outlet, suggest_tags

        stored = self.store.get_post(post_id)
        if stored is None:
            raise NotFoundError(f"no post with id {post_id}")
        self._check_indexed(post_id)

        def as_entities(mentions: Sequence[PostMention]) -> list[PostEntity]:
            return [
                PostEntity(
                    entity_id=m.entity_id,
                    name=m.name,
                    type=cast("EntityType", m.type),
                    count=m.count,
                    surfaces=m.surfaces,
                    roles=cast("tuple[Role, ...]", m.roles),
                )
                for m in mentions
            ]

        examples = [
            (tags, as_entities(mentions))
            for other, tags, mentions in self.store.tag_examples()
            if other != post_id
        ]
        model = learn_tags(examples)
        own = as_entities(self.store.post_mentions(post_id))
        tags = suggest_tags(model, own, existing=stored.post.tags, limit=limit)
        return Suggestions(
            post_id=post_id,
            title=stored.post.title,
            tags=tuple(tags),
            existing_tags=tuple(stored.post.tags),
            outlet=suggest_outlet(stored.post),
            current_outlet=stored.post.outlet.name if stored.post.outlet else None,
        )

    def _check_indexed(self, post_id: int) -> None:
        if self.store.get_post(post_id) is None:
            raise NotFoundError(f"no post with id {post_id}")
        if not self.store.post_indexed(post_id):
            raise NotFoundError(f"post {post_id} is not indexed yet; run byline index")

    def _unknown_entity_message(self, name: str) -> str:
        key = name_key(name)
        for unlinked in self.store.unlinked_names(include_all=True):
            if name_key(unlinked.surface) == key:
                return (
                    f"no entity named {name!r}; it appears unlinked in {unlinked.posts} "
                    "post(s): add it to knowledge.yaml and run byline index"
                )
        return f"no entity named {name!r}"


def _rank(entity: EntityInfo, name: str, key: str) -> int | None:
    """How closely a looked-up name fits an entity: 0 its id ... 3 any spelling, or None."""
    if name == entity.id:
        return 0
    if name_key(entity.name) == key:
        return 1
    if any(name_key(alias) == key for alias in entity.aliases):
        return 2
    if any(name_key(spelling) == key for spelling in entity.spellings):
        return 3
    return None


if TYPE_CHECKING:
    from byline.enrich import EntityType
    from byline.model import Role
