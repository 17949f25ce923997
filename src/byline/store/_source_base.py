"""What a store does with sources beyond saving pages: streams, provenance, merges, export.

A mixin of :class:`~byline.store.Store` (as ``_entity_base`` is for
enrichment): the records that cross the store's line and the abstract
methods a backend implements.  ``SQLiteSources`` (``_sources``) is SQLite's.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal, Protocol

from byline.model import Author, Post, Term

if TYPE_CHECKING:  # _base builds Store from this mixin
    from byline.store._base import PageResult, SourcePage

Matched = Literal["first", "same", "near", "split"]


@dataclass(frozen=True)
class PreparedPost:
    """A post with what storing it computes from its text, worked out beforehand.

    A reader in another process hands these over (see ``sources._pipe``), so
    folding the text (and, if asked, fingerprinting it) happens beside the
    writing, not before it.
    """

    post: Post
    content_key: str
    body_text: str
    signature: bytes | None = None  # byline.duplicates.signature(body_text); None: not yet


def prepare(post: Post, fingerprint: bool = False) -> PreparedPost:
    """A post's content key and running text (and its fingerprint, if asked)."""
    body = post.body_text
    if not fingerprint:
        return PreparedPost(post, post.content_key, body)
    from byline.duplicates import signature

    return PreparedPost(post, post.content_key, body, signature(body))


Gives = Literal["piece", "preface", "record", "date", "outlet"]


class PageStream(Protocol):
    """A page whose posts are read while they are stored (a big WordPress export).

    ``page`` says what the file is before it is read (its path, SHA-256, kind
    and encoding; no posts).  ``posts()`` reads the posts one at a time and
    raises ``SourceError``/``ParseError`` if the file turns out bad, which
    rolls back everything stored from it.  ``declared()``, once ``posts()``
    is exhausted, is the page with what the file declared around its posts
    (terms, authors, media filed later, the site).
    """

    @property
    def page(self) -> SourcePage: ...

    def posts(self) -> Iterator[Post | PreparedPost]: ...

    def declared(self) -> SourcePage: ...


@dataclass(frozen=True)
class PostSourceInfo:
    """One source of a post: what it is, where, when, how it was matched, what it gives."""

    source_id: int
    kind: str  # wxr | html | html-listing | feed | markdown | archive-text
    path: str  # the file it was imported from
    url: str | None  # the post's address there (a capture: the address it captured)
    captured_at: datetime | None  # a web-archive capture: when
    published: date | None  # the date this source gives the post
    published_at: datetime | None
    imported_at: str  # ISO 8601 UTC
    matched: Matched  # first found, the same text, a near-duplicate, or split off
    similarity: float | None  # near: rapidfuzz token_set_ratio of the running texts, 0-100
    title_similarity: float | None
    headline: str | None  # this source's headline for the post
    words: int  # this source's running text, in words
    gives: tuple[Gives, ...]  # the post's fields taken from this source


@dataclass(frozen=True)
class MergedPost:
    """A post shown by more than one source."""

    id: int
    title: str
    sources: tuple[PostSourceInfo, ...]


class SourceStore(ABC):
    """Streams, provenance, duplicates and whole posts for export."""

    @abstractmethod
    def save_stream(self, stream: PageStream) -> PageResult:
        """Store a streamed page in one transaction, as :meth:`Store.save_page` does a page."""

    @abstractmethod
    def post_sources(self, post_id: int) -> list[PostSourceInfo]:
        """Every source of a post, first found first; NotFoundError for an unknown post."""

    @abstractmethod
    def merged_posts(self, near_only: bool = False) -> list[MergedPost]:
        """Posts with more than one source (only those joined as near-duplicates if asked)."""

    @abstractmethod
    def split_post(self, post_id: int, source_id: int) -> int:
        """Take one source's version out of a merged post as a post of its own; its new id.

        One transaction: the version's blocks, terms, old addresses and
        records move with it, and both posts' fields are chosen again.
        """

    @abstractmethod
    def export_posts(self, include_all: bool = True) -> Iterator[Post]:
        """Whole posts, in the order they were stored, with every field, record and source."""

    @abstractmethod
    def declared_terms(self) -> list[Term]:
        """Every category (with its parent's slug) and tag, with slugs and descriptions."""

    @abstractmethod
    def authors(self) -> list[Author]:
        """Every author the archive knows."""

    @abstractmethod
    def site_info(self) -> tuple[str | None, str | None]:
        """The (title, address) of the site the sources came from, where one said."""
