"""The site as data: every post's address and links, every archive and its order.

Built once per build from the store's :class:`~byline.store.SiteIndex` (no
post bodies), so planning which pages to write costs the same whether one post
changed or all did.  Links carry ``href`` (what a page links to: the base
URL's path, then the site address) and ``path`` (the site address itself).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from byline.publish._entities import EntityLink, EntitySite
from byline.publish._page import archive_title
from byline.publish._urls import (
    archive_url,
    assign_post_slugs,
    assign_slugs,
    post_url,
    year_url,
)
from byline.settings import Settings
from byline.store import (
    ArchiveBy,
    EntityMention,
    EntitySiteIndex,
    ListedPost,
    SiteIndex,
    Store,
)

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
YEAR_TITLE = "Archive for {year}"
EXCERPT_WORDS = 45  # words of running text a listing shows when a post has no standfirst
DESCRIPTION_CHARS = 300  # of a page's description in <meta> and feeds


@dataclass(frozen=True)
class Link:
    """Something a page links to, by name."""

    name: str
    path: str
    href: str


@dataclass(frozen=True)
class PostInfo:
    """What any page needs to know about a post to show or link it."""

    id: int
    revision: int
    title: str
    path: str
    href: str
    absolute: str
    published: date | None
    created: str
    outlet: Link | None  # display name, linking to the outlet's archive
    year: Link | None
    categories: tuple[Link, ...]
    tags: tuple[Link, ...]
    digest: str  # changes whenever anything above (but the summary) changes
    summary: str = ""  # the standfirst, else the start of the running text; see load_summaries
    mentions: tuple[EntityLink, ...] = ()  # on its own page: the entities it names, see page_info

    @property
    def date_text(self) -> str:
        return format_date(self.published) if self.published else ""

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(link.name for link in (*self.categories, *self.tags))


@dataclass(frozen=True)
class Archive:
    """A category, tag, outlet or year archive: its name, address and posts in order."""

    kind: ArchiveBy | str  # "category", "tag", "outlet" or "year"
    id: int
    name: str  # as shown (an outlet's display name)
    slug: str
    path: str  # its first page
    title: str  # its heading, in the blog's words
    post_ids: tuple[int, ...]


def format_date(day: date) -> str:
    """ "29 May 2020": the blog's own style, the same in every locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def archive_order(post_ids: Sequence[int], posts: dict[int, ListedPost]) -> tuple[int, ...]:
    """Newest first when every post has a date; otherwise the order the page filed them.

    The same rule as ``byline archive``: one undated post has no place in a
    date order, and the page's order is the blog's own (newest first as it was
    published), so the page order is kept rather than putting undated posts last.
    """
    if any(posts[i].published is None for i in post_ids):
        return tuple(post_ids)
    return tuple(sorted(post_ids, key=lambda i: posts[i].published or date.min, reverse=True))


def pages_of(items: Sequence[int], per_page: int) -> list[tuple[int, ...]]:
    """The items cut into pages; an empty list is one empty page, never none."""
    if not items:
        return [()]
    return [tuple(items[i : i + per_page]) for i in range(0, len(items), per_page)]


class PostInfos(Mapping[int, PostInfo]):
    """Every published post's :class:`PostInfo`, made on first use.

    A rebuild plans with the posts' digests alone and renders a handful of
    pages, so most posts never need one.
    """

    def __init__(self, model: SiteModel) -> None:
        self._model = model
        self._made: dict[int, PostInfo] = {}

    def __getitem__(self, post_id: int) -> PostInfo:
        found = self._made.get(post_id)
        if found is None:
            found = self._made[post_id] = self._model.make_info(post_id)
        return found

    def __contains__(self, post_id: object) -> bool:
        return post_id in self._model.listed

    def __iter__(self) -> Iterator[int]:
        return iter(self._model.order)

    def __len__(self) -> int:
        return len(self._model.order)

    def forget(self, post_id: int) -> None:
        """Drop the made info (its summary arrived), so it is made again."""
        self._made.pop(post_id, None)


class SiteModel:
    """Every address, link and archive of the site, from the store's index and the settings."""

    def __init__(
        self,
        index: SiteIndex,
        settings: Settings,
        entities: EntitySiteIndex | None = None,
        mentions: Callable[[], Sequence[EntityMention]] = tuple,
    ) -> None:
        self.settings = settings
        self.root = settings.root_path
        self.site_url = settings.site_url
        self.listed = {p.id: p for p in index.posts}
        self.order = tuple(p.id for p in index.posts)  # home order: newest first
        self.old_urls = index.old_urls
        slugs = assign_post_slugs((p.id, p.slug) for p in index.posts)
        self.post_paths = {p.id: post_url(slugs[p.id], p.published) for p in index.posts}
        self.archives: dict[str, list[Archive]] = {"category": [], "tag": [], "outlet": []}
        self.links: dict[tuple[str, int], Link] = {}  # (kind, id) -> its archive's link
        # Slugs are given out over every term and outlet the store holds, not
        # only those with posts on the site, so that one emptying never hands
        # its slug to another: a page's links change only when its posts do.
        every: dict[str, list[tuple[int, str]]] = {"category": [], "tag": [], "outlet": []}
        for term_id, (term_kind, term_name) in index.terms.items():
            every[term_kind].append((term_id, term_name))
        every["outlet"] = list(index.outlets.items())
        for kind in ("category", "tag", "outlet"):
            listings = [a for a in index.archives if a.key.by == kind]
            term_slugs = assign_slugs(every[kind] + [(a.key.id, a.key.name) for a in listings])
            for listing in listings:
                key = listing.key
                name = settings.outlet_name(key.name) if kind == "outlet" else key.name
                path = archive_url(kind, term_slugs[key.id])
                archive = Archive(
                    kind,
                    key.id,
                    name,
                    term_slugs[key.id],
                    path,
                    archive_title(key.by, name),
                    archive_order(listing.post_ids, self.listed),
                )
                self.archives[kind].append(archive)
                self.links[kind, key.id] = self.archive_link(archive)
        for kind in self.archives:
            self.archives[kind].sort(key=lambda a: (a.name.casefold(), a.id))
        self.years = self._years()
        self.entities = (
            EntitySite(entities, self.listed, self.order, self.root, mentions) if entities else None
        )
        self.digests = {p.id: self.post_digest(p) for p in index.posts}
        self.summaries: dict[int, str] = {}
        self.info = PostInfos(self)

    def changed_since(self, previous: Mapping[int, str]) -> set[int]:
        """Posts new, or different in anything other pages show, since ``previous`` digests."""
        return {i for i, d in self.digests.items() if previous.get(i) != d}

    def load_summaries(self, store: Store, post_ids: Iterable[int]) -> None:
        """Read the listing text of these posts (in bulk), for pages about to be rendered.

        Only listings and feeds show it, and a rebuild renders few of them,
        so it is read for those posts alone rather than for every post.
        """
        wanted = [i for i in dict.fromkeys(post_ids) if i not in self.summaries]
        if not wanted:
            return
        texts = store.listing_texts(wanted)
        for post_id in wanted:
            text = texts.get(post_id)
            self.summaries[post_id] = (text.standfirst or excerpt(text.excerpt)) if text else ""
            self.info.forget(post_id)

    # -- addresses ------------------------------------------------------------

    def href(self, path: str) -> str:
        """What a page links to for site address ``path``."""
        return self.root + path

    def absolute(self, path: str) -> str:
        """The full URL of site address ``path``, for feeds, sitemaps and metadata."""
        return self.site_url + path

    def link(self, name: str, path: str) -> Link:
        return Link(name, path, self.root + path)

    def archive_link(self, archive: Archive) -> Link:
        return self.link(archive.name, archive.path)

    # -- building ---------------------------------------------------------------

    def _years(self) -> list[Archive]:
        members: dict[int, list[int]] = {}
        for post_id in self.order:
            published = self.listed[post_id].published
            if published is not None:
                members.setdefault(published.year, []).append(post_id)
        return [
            Archive(
                "year",
                year,
                str(year),
                str(year),
                year_url(year),
                YEAR_TITLE.format(year=year),
                tuple(ids),
            )
            for year, ids in sorted(members.items(), reverse=True)
        ]

    def post_digest(self, post: ListedPost) -> str:
        """What other pages show of a post changes only with this.

        Its revision goes up with any write to it (its outlet, date, terms, a
        term's or outlet's name); its address can change with its slug; the
        slugs of its terms and outlet never change (see ``__init__``); and the
        settings (outlets' display names) are in every page's signature.  Once
        the post is indexed, what pages show of its entities joins it.
        """
        own = f"{post.id}.{post.revision}{self.post_paths[post.id]}"
        mentions = self.entities.post_sig(post.id) if self.entities is not None else ""
        return f"{own}~{mentions}" if mentions else own

    def make_info(self, post_id: int) -> PostInfo:
        """The :class:`PostInfo` of a published post (see :attr:`info`)."""
        post = self.listed[post_id]
        links = self.links
        path = self.post_paths[post_id]
        year = post.published.year if post.published else None
        return PostInfo(
            id=post_id,
            revision=post.revision,
            title=post.title,
            path=path,
            href=self.root + path,
            absolute=self.site_url + path,
            published=post.published,
            created=post.created,
            outlet=links.get(("outlet", post.outlet_id or 0)),
            year=self.link(str(year), year_url(year)) if year else None,
            categories=tuple(
                links[k] for k in (("category", i) for i in post.category_ids) if k in links
            ),
            tags=tuple(links[k] for k in (("tag", i) for i in post.tag_ids) if k in links),
            digest=self.digests[post_id],
            summary=self.summaries.get(post_id, ""),
        )

    def page_info(self, post_id: int) -> PostInfo:
        """A post's info for its own page: with the entities it names (listings need not)."""
        found = self.info[post_id]
        if self.entities is None:
            return found
        return replace(found, mentions=self.entities.links_of(post_id))


def excerpt(text: str, words: int = EXCERPT_WORDS) -> str:
    """The first paragraph of ``text``, cut to ``words`` words at most."""
    first = text.split("\n\n", 1)[0].strip()
    parts = first.split()
    if len(parts) <= words:
        return first
    return " ".join(parts[:words]).rstrip(",;:") + "…"


def digest(*parts: str) -> str:
    """A short stable hash of some strings: a page's signature."""
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).hexdigest()
