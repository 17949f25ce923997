"""The entity pages as data: which entities get a page, where, and what each post links to.

Built once per build from the store's :class:`~byline.store.EntitySiteIndex`
(no text): an entity named in at least one published post gets a page at
``/entity/<type>/<slug>/``.  Slugs are handed out over every known entity in
the order the store first kept them, per type, so an address never changes
because another entity arrived (the same rule as terms' slugs).

Each indexed post gets a short key of what pages show of its entities (its
enrichment fingerprint, which changes with its text and with every entry it
touched; the slugs that could move; the year it is filed under when
undated); it joins the post's digest, so the post's page, and every entity
page listing the post, is rendered again exactly when something they show
of it may have changed.  The (post, entity) rows themselves, one per pair,
are read only when a build has entity pages to plan or post pages to render.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from byline.model import slugify
from byline.publish._urls import _free, checked_slug
from byline.store import DateEstimate, EntityInfo, EntityMention, EntitySiteIndex, ListedPost

ENTITY_DIR = "entity"
ENTITIES_PAGE = "/entities/"
TYPE_ORDER = ("country", "place", "person", "organisation", "initiative")
TYPE_LABELS = {
    "country": "Countries",
    "place": "Places",
    "person": "People",
    "organisation": "Organisations",
    "initiative": "Initiatives and projects",
}
TYPE_NAMES = {"initiative": "initiative or project"}  # how a page names one entity's type


def entity_url(entity_type: str, slug: str) -> str:
    """An entity's page: "/entity/place/astana/"."""
    return f"/{ENTITY_DIR}/{checked_slug(entity_type)}/{slug}/"


@dataclass(frozen=True)
class EntityLink:
    """An entity as a page links to it, with how often the post at hand names it."""

    name: str
    type: str
    path: str
    href: str
    count: int = 0


@dataclass(frozen=True)
class EntityEntry:
    """An entity with a page: its record, address and posts (in the site's order)."""

    info: EntityInfo
    slug: str
    path: str
    posts: tuple[tuple[int, int], ...]  # (post id, mentions in it)

    @property
    def mentions(self) -> int:
        return sum(count for _, count in self.posts)


class EntitySite:
    """Every entity page of a site, and every published post's entity links."""

    def __init__(
        self,
        index: EntitySiteIndex,
        listed: Mapping[int, ListedPost],
        order: Sequence[int],
        root: str,
        mentions: Callable[[], Sequence[EntityMention]],
    ) -> None:
        self.root = root
        self.listed = listed
        self.order = order
        self.fingerprints = index.fingerprints
        self.estimates: Mapping[int, DateEstimate] = index.estimates
        self.infos = {entry.id: entry for entry in index.entries}
        taken: dict[str, set[str]] = {}
        self.slugs = {
            entry.id: _free(slugify(entry.name), taken.setdefault(entry.type, set()))
            for entry in index.entries
        }
        # Names and types are in each post's fingerprint (a post touches the
        # entries it names); an address changes without its entry changing only
        # when entries of one type share a slug and one of them goes.
        shared: dict[tuple[str, str], list[str]] = {}
        for entry in index.entries:
            shared.setdefault((entry.type, slugify(entry.name)), []).append(entry.id)
        collided = sorted(
            f"{i}={self.slugs[i]}" for ids in shared.values() if len(ids) > 1 for i in ids
        )
        self.slugs_sig = hashlib.blake2b("|".join(collided).encode(), digest_size=4).hexdigest()
        self.indexed = any(post_id in self.fingerprints for post_id in listed)
        self._load = mentions
        self._by_post: dict[int, list[tuple[str, int]]] | None = None
        self._entries: dict[str, EntityEntry] | None = None
        self._bits: dict[str, int] | None = None
        self._links: dict[str, EntityLink] = {}

    def reload_from(self, mentions: Callable[[], Sequence[EntityMention]]) -> None:
        """Read mentions, when first needed, from this (a kept model's next store)."""
        self._load = mentions

    def __bool__(self) -> bool:
        """Whether the site has entity pages: some published post has been indexed."""
        return self.indexed

    @property
    def by_post(self) -> dict[int, list[tuple[str, int]]]:
        """Each published post's entities, most mentioned first (read on first use)."""
        if self._by_post is None:
            listed, infos = self.listed, self.infos
            found: dict[int, list[tuple[str, int]]] = {}
            for post_id, entity_id, count in self._load():
                if post_id in listed and entity_id in infos:
                    found.setdefault(post_id, []).append((entity_id, count))
            self._by_post = found
        return self._by_post

    @property
    def entries(self) -> dict[str, EntityEntry]:
        """Every entity with a page, its posts newest first (made on first use)."""
        if self._entries is None:
            by_post = self.by_post
            position = {post_id: i for i, post_id in enumerate(self.order)}
            listed = self.listed

            def newest_first(post_id: int) -> tuple[int, int, int, int]:
                # By stated date, else by the estimate's lower bound (which the post
                # is no older than, so it goes first on the same day); then undated.
                stated = listed[post_id].published
                when = stated or self._estimated(post_id)
                if when is None:
                    return (1, 0, 0, position[post_id])
                return (0, -when.toordinal(), int(stated is not None), position[post_id])

            # Posts taken newest first once, so every entity's list comes out in order.
            by_entity: dict[str, list[tuple[int, int]]] = {}
            for post_id in sorted(by_post, key=newest_first):
                for entity_id, count in by_post[post_id]:
                    by_entity.setdefault(entity_id, []).append((post_id, count))
            self._entries = {}
            for entity_id, posts in by_entity.items():
                info = self.infos[entity_id]
                slug = self.slugs[entity_id]
                self._entries[entity_id] = EntityEntry(
                    info, slug, entity_url(info.type, slug), tuple(posts)
                )
        return self._entries

    def co_mentioned(self, entity_id: str, limit: int) -> list[tuple[str, int]]:
        """The entities named in most of the same posts as this one, with how many."""
        bits = self._post_bits()
        mine = bits[entity_id]
        together = [
            (other, shared)
            for other, theirs in bits.items()
            if other != entity_id and (shared := (mine & theirs).bit_count())
        ]
        together.sort(key=lambda item: (-item[1], self.infos[item[0]].name.casefold()))
        return together[:limit]

    def _post_bits(self) -> dict[str, int]:
        """Each entity's posts as the bits of one integer: counting the posts two
        entities share is then one AND, done in C, not a loop over their posts."""
        if self._bits is None:
            place = {post_id: i for i, post_id in enumerate(self.by_post)}
            size = (len(place) + 7) // 8
            self._bits = {}
            for entity_id, entry in self.entries.items():
                flags = bytearray(size)
                for post_id, _ in entry.posts:
                    i = place[post_id]
                    flags[i >> 3] |= 1 << (i & 7)
                self._bits[entity_id] = int.from_bytes(flags, "little")
        return self._bits

    def _estimated(self, post_id: int) -> date | None:
        estimate = self.estimates.get(post_id)
        return (estimate.earliest or estimate.latest) if estimate else None

    def link(self, entity_id: str, count: int = 0) -> EntityLink:
        base = self._links.get(entity_id)
        if base is None:
            info = self.infos[entity_id]
            path = entity_url(info.type, self.slugs[entity_id])
            base = self._links[entity_id] = EntityLink(info.name, info.type, path, self.root + path)
        return EntityLink(base.name, base.type, base.path, base.href, count) if count else base

    def links_of(self, post_id: int) -> tuple[EntityLink, ...]:
        """The entities a published post names, most mentioned first, each linking to its page."""
        return tuple(self.link(e, count) for e, count in self.by_post.get(post_id, ()))

    def year_of(self, post_id: int, published: date | None) -> tuple[int | None, bool]:
        """The year a timeline files a post under, and whether that year is an estimate."""
        if published:
            return published.year, False
        estimate = self.estimates.get(post_id)
        year = estimate.year if estimate else None
        return year, year is not None

    def post_sig(self, post_id: int) -> str:
        """What pages show of a post's entities, as a short key; "" for a post never indexed.

        The post's enrichment fingerprint (which changes with its text and with
        every entry it touched, so with the names, types and counts it shows),
        the slugs that could move, and the year an undated post is filed under.
        """
        fingerprint = self.fingerprints.get(post_id)
        if fingerprint is None:
            return ""
        estimate = self.estimates.get(post_id)
        year = estimate.year if estimate is not None else ""
        return f"{fingerprint[:16]}{self.slugs_sig}{year}"

    def by_type(self) -> list[tuple[str, list[EntityEntry]]]:
        """Entities with pages, by type (the usual order, then any other), each by name."""
        groups: dict[str, list[EntityEntry]] = {}
        for entry in self.entries.values():
            groups.setdefault(entry.info.type, []).append(entry)
        for entries in groups.values():
            entries.sort(key=lambda e: (e.info.name.casefold(), e.info.id))
        known = [t for t in TYPE_ORDER if t in groups]
        return [(t, groups[t]) for t in known + sorted(set(groups) - set(known))]
