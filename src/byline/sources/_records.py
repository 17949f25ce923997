"""What a structured reader returns: a page of posts plus what the site declared.

``SourceContents.page`` is the ``SourcePage`` the store saves today; the
other fields (category hierarchy, authors, media not filed under a post, a
web archive's original address and capture time) are what a site declares
around its posts, kept for the store to take when it has somewhere to put them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from byline.model import Attachment, Author, Post, Term
from byline.store._base import SourcePage

SourceKind = Literal["wxr", "html", "html-listing", "feed", "markdown", "archive-text"]

__all__ = ["Author", "SourceContents", "SourceKind"]  # Author lives in byline.model now


@dataclass(frozen=True)
class SourceContents:
    """One file read: the page of posts to store and what the site declared around them."""

    page: SourcePage
    terms: tuple[Term, ...] = ()  # categories (with parents) and tags, as declared
    authors: tuple[Author, ...] = ()
    attachments: tuple[Attachment, ...] = ()  # media filed under no post kept here
    site_url: str | None = None
    site_title: str | None = None
    original_url: str | None = None  # a web-archive capture: the address it captured
    captured_at: datetime | None = None  # a web-archive capture: when
    skipped: tuple[tuple[str, int], ...] = ()  # items not kept, by reason ("revision", 3)

    @property
    def posts(self) -> list[Post]:
        return self.page.posts
