"""What an archive store is, independent of the database behind it.

Recovery, publishing and the CLI talk to :class:`Store` only; every SQL
statement lives in a backend (``SQLiteStore`` today, PostgreSQL later).  The
records here are what crosses that line: plain frozen data, no cursors.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from types import TracebackType
from typing import Literal, NamedTuple, Self

from byline.model import Attachment, Author, Block, Post, Source, Status, Term, fold
from byline.store._entity_base import EntityStore
from byline.store._source_base import SourceStore

TermKind = Literal["category", "tag"]
ArchiveBy = Literal["category", "tag", "outlet"]

# What a reader of the blog would see: published, not password-protected, and a
# post (not a page or another content type).  SQL reads it as public_condition().
PUBLIC_STATUSES: tuple[Status, ...] = ("publish",)
PUBLIC_TYPES: tuple[str, ...] = ("post",)


@dataclass(frozen=True)
class SourcePage:
    """One input page ready to be stored: where it came from and the posts on it."""

    path: str
    sha256: str
    kind: str  # "archive-text"
    posts: list[Post]
    encoding: str | None = None
    title: str | None = None  # the page's heading line, as written
    title_line: int | None = None
    archive_kind: str | None = None  # category | tag | author | date | archive
    archive_name: str | None = None
    # What a structured source declared around its posts (docs/importing.md).
    terms: tuple[Term, ...] = ()  # categories (parents by slug) and tags, with slugs
    authors: tuple[Author, ...] = ()
    attachments: tuple[Attachment, ...] = ()  # media filed under no post
    filed_attachments: tuple[tuple[str, Attachment], ...] = ()  # (parent's original id, media)
    site_url: str | None = None
    site_title: str | None = None
    original_url: str | None = None  # a web-archive capture: the address it captured
    captured_at: datetime | None = None  # a web-archive capture: when


@dataclass(frozen=True)
class PageResult:
    """What storing one page did, post by post."""

    path: str
    sha256: str
    new_source: bool
    new: int = 0  # posts not seen before
    merged: int = 0  # posts already stored that gained a page, a term, an outlet or a date
    unchanged: int = 0  # posts already stored exactly as this page has them


@dataclass(frozen=True)
class PostSummary:
    """A post as a listing shows it."""

    id: int
    title: str
    headline: str | None
    slug: str
    outlet: str | None
    published: date | None
    status: Status
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredPost:
    """A stored post with every block, term and source it has.

    ``post.blocks`` are the post as one page showed it, and ``origin`` is that
    page (the blocks' ``line`` numbers are its lines); ``post.sources`` lists
    every page the post was found on.
    """

    id: int
    post: Post
    origin: Source | None = None


class ListedPost(NamedTuple):
    """A post as a site build plans with it: no text, cheap to read for every post.

    ``revision`` goes up on every write that changes what the post's page
    shows, so a build can tell what changed without reading the post itself.
    A named tuple rather than a frozen dataclass: a build makes one per post
    every time, and this is eight times cheaper to make.
    """

    id: int
    slug: str
    title: str
    outlet_id: int | None
    published: date | None
    status: Status
    revision: int
    created: str  # ISO 8601 UTC: when the post was first stored
    category_ids: tuple[int, ...] = ()
    tag_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ListingText:
    """What a listing shows of a post's text: its standfirst and the start of its body."""

    standfirst: str | None
    excerpt: str  # at most EXCERPT_CHARS of the running text


@dataclass(frozen=True)
class ArchiveKey:
    """A resolved archive: what it lists and the name it is shown under."""

    by: ArchiveBy
    id: int
    name: str


@dataclass(frozen=True)
class ArchiveListing:
    """One category, tag or outlet and its posts' ids, in the order its page filed them."""

    key: ArchiveKey
    post_ids: tuple[int, ...]


@dataclass(frozen=True)
class OldUrl:
    """An address a post had before it was imported (for redirects)."""

    post_id: int
    url: str


@dataclass(frozen=True)
class SiteIndex:
    """Everything a site build plans with, read in a handful of queries.

    ``posts`` come newest first, undated ones last in import order; each
    archive lists only posts in ``posts``, and archives with none are left out.
    """

    posts: tuple[ListedPost, ...]
    archives: tuple[ArchiveListing, ...]
    old_urls: tuple[OldUrl, ...]
    outlets: dict[int, str] = field(default_factory=dict)  # every outlet: id -> stored name
    terms: dict[int, tuple[TermKind, str]] = field(default_factory=dict)  # every term


@dataclass(frozen=True)
class SiteStamp:
    """What a site index was read from, cheaply: to tell whether it is still current.

    ``posts`` holds every post (any status): its (revision, status, published,
    source_id, position, outlet_id, created_at, slug, title); ``tables`` one
    summary row per other table the index reads.
    """

    posts: dict[int, tuple[object, ...]]
    tables: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class SearchHit:
    """One search result; ``score`` is BM25 relevance, higher is better."""

    id: int
    title: str
    headline: str | None
    outlet: str | None
    published: date | None
    status: Status
    snippet: str
    score: float


@dataclass(frozen=True)
class StoreCounts:
    """How many rows of each kind a store holds."""

    sources: int
    posts: int
    blocks: int
    categories: int
    tags: int
    outlets: int
    post_sources: int
    post_terms: int


@dataclass(frozen=True)
class Marks:
    """The strings a search snippet puts around matched terms and cut text."""

    open: str = "["
    close: str = "]"
    ellipsis: str = "…"


DEFAULT_MARKS = Marks()
EXCERPT_CHARS = 600  # of running text read per post for listings; a listing shows less
DASHES = re.compile(r"[\u2010-\u2015\u2212]")


def public_condition(prefix: str = "") -> str:
    """SQL over ``posts`` (columns prefixed by ``prefix``, e.g. ``"p."``): the public posts."""
    statuses = ", ".join(f"'{status}'" for status in PUBLIC_STATUSES)
    types = ", ".join(f"'{kind}'" for kind in PUBLIC_TYPES)
    return (
        f"{prefix}status IN ({statuses}) AND {prefix}protected = 0"
        f" AND {prefix}post_type IN ({types})"
    )


def term_key(name: str) -> str:
    """The folded key a category or tag is known by: case, accents, dashes, spaces."""
    return DASHES.sub("-", fold(name))


def outlet_key(name: str) -> str:
    """The folded key an outlet name or alias is known by; a leading "the" is dropped."""
    return re.sub(r"^the\s+", "", term_key(name))


class Store(EntityStore, SourceStore, ABC):  # see _entity_base and _source_base
    """An archive's storage: pages in, posts, archives and search results out.

    A backend must make :meth:`save_page` one transaction (all of a page or
    none of it) and must make saving the same page twice change nothing.
    """

    @abstractmethod
    def save_page(self, page: SourcePage) -> PageResult:
        """Store a page and its posts in one transaction, merging posts seen before."""

    @abstractmethod
    def counts(self) -> StoreCounts:
        """How many rows of each kind the store holds."""

    @abstractmethod
    def post_summaries(
        self, include_all: bool = False, limit: int | None = None, offset: int = 0
    ) -> list[PostSummary]:
        """Posts newest first (undated ones last, in import order).

        Only published posts unless ``include_all``.
        """

    @abstractmethod
    def resolve_archive(self, by: ArchiveBy, name: str) -> ArchiveKey | None:
        """The category, tag or outlet a name means (folded; outlets through aliases)."""

    @abstractmethod
    def names(self, by: ArchiveBy) -> list[str]:
        """Every category, tag or outlet name the store holds, alphabetically."""

    @abstractmethod
    def archive_posts(self, key: ArchiveKey, include_all: bool = False) -> list[StoredPost]:
        """Every post in an archive, in the order of the page that filed it there.

        Each post carries the blocks of that page; an outlet archive shows
        each post as the page it was first found on showed it.
        """

    @abstractmethod
    def get_post(self, post_id: int) -> StoredPost | None:
        """One post by id, with all it has."""

    @abstractmethod
    def get_posts(self, post_ids: Sequence[int]) -> list[StoredPost]:
        """Whole posts by id, in the order asked, each as the page it was first found on
        showed it; ids not stored are skipped.  Read in bulk, not one query per post."""

    @abstractmethod
    def shown_blocks(self, post_ids: Sequence[int]) -> dict[int, list[Block]]:
        """Each post's blocks as the page it was first found on showed them, in bulk.

        What a post page renders, without the rest of :meth:`get_posts`.
        """

    @abstractmethod
    def site_index(self, include_all: bool = False) -> SiteIndex:
        """Every post (without blocks), archive and old URL a site build needs.

        Only published posts unless ``include_all``.
        """

    def site_stamp(self) -> SiteStamp | None:
        """A cheap summary of what :meth:`site_index` reads; None when not known.

        A build kept between rebuilds (``byline serve``) compares two to tell
        whether only some posts' own rows changed.
        """
        return None

    @abstractmethod
    def listing_texts(self, post_ids: Sequence[int]) -> dict[int, ListingText]:
        """Each post's standfirst and the start of its running text, for listings."""

    @abstractmethod
    def running_texts(self, post_ids: Sequence[int]) -> dict[int, str]:
        """Each post's standfirst, headings and body as plain text, for a search index."""

    @abstractmethod
    def search(
        self,
        query: str,
        include_all: bool = False,
        limit: int | None = None,
        marks: Marks = DEFAULT_MARKS,
    ) -> list[SearchHit]:
        """Posts matching every word of ``query``, best first; any string is a valid query."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection; the store may be opened again later."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
