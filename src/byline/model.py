"""The archive's vocabulary as plain data: a *post* (the blog entry) holds a *piece*.

Everything here is pure: no I/O, no database.  Recovery builds these objects,
the store persists them, publishing renders them.

A post keeps its recovered lines (``blocks``) in page order, each with its role
and the line it came from, so that the page can be shown again exactly as the
blog showed it and every field can say where it came from.  The piece's fields
(headline, standfirst, captions, body ...) are views over those blocks.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, get_args

Role = Literal[
    "page_title",
    "preface",
    "headline",
    "standfirst",
    "caption",
    "image",
    "meta",
    "bio",
    "heading",
    "body",
    "footnote",
]

ROLES: tuple[Role, ...] = get_args(Role)

Status = Literal["publish", "future", "draft", "pending", "private"]


@dataclass(frozen=True)
class Provenance:
    """Where a stored value came from: a source file and a 1-based line range."""

    path: str
    line_start: int
    line_end: int


@dataclass(frozen=True)
class Block:
    """One recovered paragraph: its text, what part of the post it is, where it was."""

    role: Role
    text: str
    line: int

    @property
    def is_list_item(self) -> bool:
        return bool(LIST_MARKER.match(self.text))


LIST_MARKER = re.compile(r"^\s*(?:[•◦▪●·*\-–—]|\d{1,2}[.)])\s+")


@dataclass(frozen=True)
class Outlet:
    """A publication, by its canonical name; ``aliases`` are other spellings of it."""

    name: str
    aliases: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        return slugify(self.name)


@dataclass(frozen=True)
class Caption:
    text: str
    credit: str | None


@dataclass(frozen=True)
class Footnote:
    number: str | None
    text: str


@dataclass
class Piece:
    """The published work inside a post, derived from the post's blocks."""

    headline: str | None
    standfirst: str | None
    authors: list[str]
    bio: list[str]
    captions: list[Caption]
    body: list[Block]
    footnotes: list[Footnote]
    meta: list[str]
    outlet: Outlet | None
    original_url: str | None
    published: date | None


@dataclass
class Source:
    """One place a post was recovered from."""

    kind: str  # "archive-text", later "wxr", "html", "feed", "markdown"
    path: str
    sha256: str
    line_start: int
    line_end: int
    position: int  # the post's index on that page


@dataclass(frozen=True)
class Comment:
    """A reader's comment kept from an export; kept, never published by byline."""

    id: str
    author: str
    html: str  # sanitised (nh3): comments are other people's markup
    published_at: datetime | None = None  # aware (UTC) when the source said so
    parent: str | None = None  # the comment it answers
    status: str = "1"  # WordPress comment_approved: "1", "0", "spam", "trash"
    kind: str = "comment"  # comment | pingback | trackback
    author_email: str = ""
    author_url: str = ""


@dataclass(frozen=True)
class Attachment:
    """A media item filed under a post (a WordPress attachment): where it is, what it says."""

    url: str
    caption: str | None = None
    title: str | None = None
    alt: str | None = None
    description: str | None = None
    original_id: str | None = None
    status: str = "inherit"


@dataclass(frozen=True)
class Author:
    """A site's author as an export declares them."""

    login: str
    display_name: str
    email: str = ""


@dataclass(frozen=True)
class Term:
    """A category or tag as a site declared it: slug, name and (categories) parent slug."""

    kind: Literal["category", "tag"]
    name: str
    slug: str
    parent: str | None = None  # the parent category's slug
    description: str = ""


@dataclass
class Post:
    """A blog entry: the writer's preface and the piece it re-publishes."""

    blocks: list[Block]
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    outlet: Outlet | None = None
    published: date | None = None
    status: Status = "publish"
    slug: str = ""
    sources: list[Source] = field(default_factory=list)
    # Addresses the post had before (an export's old permalinks and slugs), so a
    # published site can redirect them; paths ("/2019/03/old/") or full URLs.
    old_urls: list[str] = field(default_factory=list)
    # What structured sources (WordPress exports, feeds, HTML pages, Markdown) add.
    post_type: str = "post"  # "post", "page", or a custom WordPress type
    authors: list[str] = field(default_factory=list)  # display names
    published_at: datetime | None = None  # exact time; aware when the source gave an offset
    excerpt: str | None = None  # a manual excerpt or summary (sanitised HTML, usually text)
    sticky: bool = False
    protected: bool = False  # password-protected at the source: never public
    url: str | None = None  # the post's own address where it was published
    guid: str | None = None
    original_id: str | None = None  # its id where it came from (a WordPress post ID)
    old_slugs: list[str] = field(default_factory=list)  # WordPress ``_wp_old_slug``
    body_html: str | None = None  # the body as the source wrote it, sanitised (nh3)
    comments: list[Comment] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    post_meta: list[tuple[str, str]] = field(default_factory=list)  # other WordPress meta

    def texts(self, role: Role) -> list[str]:
        return [b.text for b in self.blocks if b.role == role]

    @property
    def headline(self) -> str | None:
        heads = self.texts("headline")
        return heads[0] if heads else None

    @property
    def preface(self) -> list[str]:
        return self.texts("preface")

    @property
    def standfirst(self) -> str | None:
        found = self.texts("standfirst")
        return " ".join(found) if found else None

    @property
    def title(self) -> str:
        """A display title: the headline, or the start of the first paragraph."""
        if self.headline:
            return self.headline
        for block in self.blocks:
            if block.role in ("body", "preface"):
                return _shorten(block.text, 70)
        return "Untitled"

    @property
    def body_text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks if b.role in ("body", "heading"))

    @property
    def piece(self) -> Piece:
        return Piece(
            headline=self.headline,
            standfirst=self.standfirst,
            authors=[],
            bio=self.texts("bio"),
            captions=[split_caption(t) for t in self.texts("caption")],
            body=[b for b in self.blocks if b.role in ("body", "heading")],
            footnotes=[split_footnote(t) for t in self.texts("footnote")],
            meta=self.texts("meta"),
            outlet=self.outlet,
            original_url=None,
            published=self.published,
        )

    @property
    def content_key(self) -> str:
        """Identity by content: the same piece found again hashes the same.

        Built from the headline and the running text only, folded for case,
        accents and white space, so that a re-import (or the same post seen on a
        category page and a tag page) is recognised whatever the file is called.
        """
        parts = [self.headline or ""] + [
            b.text for b in self.blocks if b.role in ("body", "heading")
        ]
        if not any(p.strip() for p in parts):
            parts = [b.text for b in self.blocks]
        folded = fold("\n".join(parts))
        return hashlib.sha256(folded.encode("utf-8")).hexdigest()


CREDIT_MARK = re.compile(
    r"\s*(?:©|\(c\)|Photo(?:graph)?:|Credit:|Picture:|Image:)\s*(?P<credit>[^©]+?)\s*\)?$",
    re.IGNORECASE,
)
PAREN_CREDIT = re.compile(r"\s*\((?P<credit>[^()]*/[^()]*)\)\.?$")


def split_caption(text: str) -> Caption:
    """Separate a caption's trailing credit ("... © Reuters", "(Photo: X)")."""
    clean = text.strip()
    for pattern in (CREDIT_MARK, PAREN_CREDIT):
        match = pattern.search(clean)
        if match and match.start() > 0:
            caption = clean[: match.start()].rstrip(" (").strip()
            return Caption(caption, match.group("credit").strip())
    return Caption(clean, None)


FOOTNOTE_NUMBER = re.compile(r"^\s*\[?(?P<num>\d{1,3})\]?\.?\s*")


def split_footnote(text: str) -> Footnote:
    match = FOOTNOTE_NUMBER.match(text)
    if match:
        return Footnote(match.group("num"), text[match.end() :].strip())
    return Footnote(None, text.strip())


NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _drop_combining(match: re.Match[str]) -> str:
    return "".join(c for c in match.group() if not unicodedata.combining(c))


def iso(value: date | None) -> str | None:
    """A date or datetime as ISO 8601 text, None kept as None (for JSON and SQL)."""
    return value.isoformat() if value is not None else None


def fold(text: str) -> str:
    """Case-, accent- and space-insensitive form of a text, for comparisons."""
    decomposed = unicodedata.normalize("NFKD", text)
    # Accents are looked for only in the non-ASCII runs: a character-by-character
    # pass over whole posts was most of an import's time.
    stripped = (
        decomposed if decomposed.isascii() else NON_ASCII_RUN.sub(_drop_combining, decomposed)
    )
    stripped = stripped.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(stripped.split()).casefold()  # as re.sub(r"\s+", " ") and strip(), faster


def slugify(text: str, max_length: int = 80) -> str:
    """A URL- and file-safe slug; never empty, never a path."""
    folded = fold(text)
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug or "untitled"


def _shorten(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    return text[: width - 1].rsplit(" ", 1)[0] + "…"
