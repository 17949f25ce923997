"""WordPress exports (WXR 1.0-1.2) into posts, streamed: never the whole file in memory.

What is kept, item by item (an ``<item>`` is read, turned into a record and
forgotten before the next is parsed):

- posts and pages (``wp:post_type``; other content types are kept with their
  type, WordPress's own machinery — revisions, menus, templates — is skipped);
- every status: publish, future, draft, pending, private (only ``publish`` is
  public); trashed items and auto-drafts are skipped and counted;
- the title (the headline), the body HTML sanitised, its blocks by role
  (preface, headings, list items, captions, footnotes), the manual excerpt;
- dates from ``wp:post_date_gmt`` with the site's offset read from
  ``wp:post_date`` (so the instant and the local day are both right), falling
  back to the local date when the GMT one is ``0000-00-00``;
- several categories and tags per post, the categories' hierarchy (declared
  once per export, parents by slug), authors by display name;
- stickiness, password protection (kept as ``protected``, never the password),
  ``_wp_old_slug`` and the permalink as old URLs, the ``guid``, other post meta;
- comments (kept, never published) and attachments, filed under their parent
  post with their captions (an attachment's caption is its excerpt).
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import cast

from byline.errors import ParseError
from byline.model import Attachment, Block, Comment, Post, Source, Status, Term, slugify
from byline.recover._outlets import infer_outlet
from byline.sources._files import (
    MAX_WXR_BYTES,
    SNIFF_BYTES,
    file_size,
    read_head,
    stream_encoding,
    stream_text,
)
from byline.sources._html_blocks import html_text, read_html_body, sanitize_html
from byline.sources._records import Author, SourceContents
from byline.sources._xmlstream import Node, XmlStream, check_xml
from byline.store._base import SourcePage

KIND = "wxr"
STATUSES: frozenset[str] = frozenset({"publish", "future", "draft", "pending", "private"})
SKIPPED_STATUSES = frozenset({"trash", "auto-draft", "inherit"})  # inherit: revisions
SKIPPED_TYPES = frozenset(
    {"revision", "nav_menu_item", "custom_css", "customize_changeset", "oembed_cache",
     "user_request", "wp_block", "wp_template", "wp_template_part", "wp_global_styles",
     "wp_navigation", "wp_font_family", "wp_font_face", "scheduled-action"}
)  # fmt: skip
OLD_SLUG_KEY = "_wp_old_slug"
FOOTNOTES_KEY = "footnotes"  # the block editor's footnotes, JSON beside the content
ALT_KEY = "_wp_attachment_image_alt"
ZERO_DATE = "0000-00-00"
MAX_UTC_OFFSET = timedelta(hours=18)  # a local-minus-GMT difference past this is a bad date


@dataclass
class _Reading:
    """What the channel has declared so far, and what has been read."""

    authors: dict[str, Author] = field(default_factory=dict)
    terms: list[Term] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    attachments: dict[str, list[Attachment]] = field(default_factory=dict)  # by parent id
    skipped: dict[str, int] = field(default_factory=dict)
    title: str | None = None
    site_url: str | None = None
    wxr_version: str | None = None

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def read_wxr(path: str | Path) -> SourceContents:
    """Read a WordPress export into posts, terms and authors (streaming).

    Raises ``SourceError`` for a file over ``MAX_WXR_BYTES`` or one that
    declares XML entities, and ``ParseError`` for XML that is not well-formed
    (a truncated export) or not a WordPress export.  Nothing is returned until
    the whole file has been read, so a refused file yields no posts at all.
    """
    file = Path(path)
    name = str(path)
    file_size(file, MAX_WXR_BYTES, "a WordPress export")
    encoding = stream_encoding(read_head(file, SNIFF_BYTES), name)
    digest = hashlib.sha256()
    stream = XmlStream(name)
    reading = _Reading()
    for position, node in enumerate(stream.nodes(stream_text(file, encoding, digest))):
        if position == 0 and stream.prologue.root != "rss":
            raise ParseError(
                f"{name}: not a WordPress export (its root is <{stream.prologue.root}>)"
            )
        if node.name == "item":
            post = _read_item(node, reading, name)
            if post is not None:
                post.sources.append(
                    Source(KIND, name, "", node.line, _last_line(node), len(reading.posts))
                )
                reading.posts.append(post)
        else:
            _read_channel_element(node, reading)
    if not any(uri.startswith("http://wordpress.org/export/") for uri in stream.namespaces):
        raise ParseError(f"{name}: an RSS file, not a WordPress export (no wp: namespace)")
    sha256 = digest.hexdigest()
    for post in reading.posts:
        for source in post.sources:
            source.sha256 = sha256
        if post.original_id:
            post.attachments.extend(reading.attachments.pop(post.original_id, []))
    orphans = tuple(a for items in reading.attachments.values() for a in items)
    page = SourcePage(
        path=str(file.resolve()),
        sha256=sha256,
        kind=KIND,
        posts=reading.posts,
        encoding=encoding,
        title=reading.title,
    )
    return SourceContents(
        page=page,
        terms=tuple(reading.terms),
        authors=tuple(reading.authors.values()),
        attachments=orphans,
        site_url=reading.site_url,
        site_title=reading.title,
        skipped=tuple(sorted(reading.skipped.items())),
    )


class WxrStream:
    """A WordPress export read while it is stored: a ``store.PageStream``.

    Making one reads the whole file once and keeps nothing of it: its SHA-256,
    and a parse through the same defused, depth-limited parser that refuses
    entities, over-deep nesting, truncation and RSS that is not an export.  A
    file refused here never reaches the store.  :meth:`posts` then reads it
    again, one post at a time, so memory does not grow with the export;
    :meth:`declared` is what the channel declared (terms, authors, the site)
    and the media filed under posts read before them.
    """

    def __init__(self, path: str | Path) -> None:
        self.file = Path(path)
        self.name = str(path)
        file_size(self.file, MAX_WXR_BYTES, "a WordPress export")
        self.encoding = stream_encoding(read_head(self.file, SNIFF_BYTES), self.name)
        digest = hashlib.sha256()
        prologue = check_xml(stream_text(self.file, self.encoding, digest), self.name)
        if prologue.root != "rss":
            raise ParseError(f"{self.name}: not a WordPress export (its root is <{prologue.root}>)")
        if not any(uri.startswith("http://wordpress.org/export/") for uri in prologue.namespaces):
            raise ParseError(f"{self.name}: an RSS file, not a WordPress export (no wp: namespace)")
        self.sha256 = digest.hexdigest()
        self.path = str(self.file.resolve())
        self._reading = _Reading()
        self.count = 0

    @classmethod
    def checked(cls, path: str | Path, sha256: str, encoding: str) -> WxrStream:
        """A stream over a file that has passed the safety pass already (in another process)."""
        stream = cls.__new__(cls)
        stream.file = Path(path)
        stream.name = str(path)
        stream.encoding = encoding
        stream.sha256 = sha256
        stream.path = str(stream.file.resolve())
        stream._reading = _Reading()
        stream.count = 0
        return stream

    @property
    def page(self) -> SourcePage:
        return SourcePage(self.path, self.sha256, KIND, [], encoding=self.encoding)

    def posts(self) -> Iterator[Post]:
        """The export's posts in file order, each with the media filed under it so far."""
        reading = self._reading = _Reading()
        self.count = 0
        for node in XmlStream(self.name).nodes(stream_text(self.file, self.encoding)):
            if node.name != "item":
                _read_channel_element(node, reading)
                continue
            post = _read_item(node, reading, self.name)
            if post is None:
                continue
            post.sources.append(
                Source(KIND, self.path, self.sha256, node.line, _last_line(node), self.count)
            )
            if post.original_id:
                post.attachments.extend(reading.attachments.pop(post.original_id, []))
            self.count += 1
            yield post

    def declared(self) -> SourcePage:
        """The page with what the channel declared; valid once :meth:`posts` is exhausted."""
        reading = self._reading
        filed = tuple(
            (parent, attachment)
            for parent, items in reading.attachments.items()
            if parent
            for attachment in items
        )
        return replace(
            self.page,
            title=reading.title,
            terms=tuple(reading.terms),
            authors=tuple(reading.authors.values()),
            attachments=tuple(reading.attachments.get("", [])),
            filed_attachments=filed,
            site_url=reading.site_url,
            site_title=reading.title,
        )

    @property
    def skipped(self) -> tuple[tuple[str, int], ...]:
        """Items not kept, by reason, once :meth:`posts` is exhausted."""
        return tuple(sorted(self._reading.skipped.items()))


def iter_wxr_posts(path: str | Path) -> Iterator[Post]:
    """Posts one at a time, as they are parsed (attachments not yet filed under them).

    For tools that must not hold a whole export's posts; a file found broken
    partway raises after the posts before the break have been yielded.
    """
    file = Path(path)
    name = str(path)
    file_size(file, MAX_WXR_BYTES, "a WordPress export")
    encoding = stream_encoding(read_head(file, SNIFF_BYTES), name)
    reading = _Reading()
    for node in XmlStream(name).nodes(stream_text(file, encoding)):
        if node.name == "item":
            post = _read_item(node, reading, name)
            if post is not None:
                yield post
        else:
            _read_channel_element(node, reading)


def _last_line(node: Node) -> int:
    while node.children:
        node = node.children[-1]
    return node.line


def _read_channel_element(node: Node, reading: _Reading) -> None:
    if node.name == "title":
        reading.title = html_text(node.text) or None
    elif node.name == "wp:base_blog_url" or (node.name == "link" and not reading.site_url):
        reading.site_url = node.text.strip() or None
    elif node.name == "wp:wxr_version":
        reading.wxr_version = node.text.strip()
    elif node.name == "wp:author":
        login = node.get("wp:author_login")
        display = html.unescape(node.get("wp:author_display_name")) or login
        if login:
            reading.authors[login] = Author(login, display, node.get("wp:author_email"))
    elif node.name == "wp:category":
        reading.terms.append(
            Term(
                "category",
                html.unescape(node.get("wp:cat_name")) or node.get("wp:category_nicename"),
                node.get("wp:category_nicename"),
                node.get("wp:category_parent") or None,
                html.unescape(node.get("wp:category_description")),
            )
        )
    elif node.name == "wp:tag":
        reading.terms.append(
            Term(
                "tag",
                html.unescape(node.get("wp:tag_name")) or node.get("wp:tag_slug"),
                node.get("wp:tag_slug"),
                None,
                html.unescape(node.get("wp:tag_description")),
            )
        )
    elif node.name == "wp:term" and node.get("wp:term_taxonomy") in ("category", "post_tag"):
        reading.terms.append(
            Term(
                "category" if node.get("wp:term_taxonomy") == "category" else "tag",
                html.unescape(node.get("wp:term_name")) or node.get("wp:term_slug"),
                node.get("wp:term_slug"),
                node.get("wp:term_parent") or None,
                html.unescape(node.get("wp:term_description")),
            )
        )


def _read_item(node: Node, reading: _Reading, name: str) -> Post | None:
    post_type = node.get("wp:post_type") or "post"
    status = node.get("wp:status") or "publish"
    if post_type == "attachment":
        parent = node.get("wp:post_parent")
        attachment = _attachment(node, status)
        reading.attachments.setdefault(parent if parent not in ("", "0") else "", []).append(
            attachment
        )
        return None
    if post_type in SKIPPED_TYPES:
        reading.skip(post_type)
        return None
    if status in SKIPPED_STATUSES:
        reading.skip(status)
        return None
    meta = [(m.get("wp:meta_key"), m.get("wp:meta_value")) for m in node.all("wp:postmeta")]
    old_slugs = [value for key, value in meta if key == OLD_SLUG_KEY and value]
    notes = _block_editor_footnotes(meta)
    kept_meta = [
        (key, value)
        for key, value in meta
        if key != OLD_SLUG_KEY and not (key == FOOTNOTES_KEY and notes)
    ]
    content = node.first("content:encoded")
    title = node.first("title")
    body = read_html_body(
        content.text if content is not None else "",
        content.line if content is not None else node.line,
        wordpress=True,
        footnotes=notes,
    )
    headline = html_text(title.text) if title is not None else ""
    blocks = body.blocks
    if headline and title is not None:
        blocks = [Block("headline", headline, title.line), *blocks]
    published_at = wp_datetime(node.get("wp:post_date"), node.get("wp:post_date_gmt"))
    if published_at is None:
        published_at = _rss_datetime(node.get("pubDate"))
    slug = node.get("wp:post_name")
    link = node.get("link")
    excerpt = sanitize_html(node.get("excerpt:encoded")).strip()
    creator = node.get("dc:creator")
    author = reading.authors.get(creator)
    post = Post(
        blocks=blocks,
        categories=_terms(node, "category"),
        tags=_terms(node, "post_tag"),
        published=published_at.date() if published_at else None,
        status=cast(Status, status if status in STATUSES else "draft"),
        slug=slug or slugify(headline or "untitled"),
        old_urls=_old_urls(link, slug, old_slugs),
        post_type=post_type,
        authors=[author.display_name if author else creator] if creator else [],
        published_at=published_at,
        excerpt=excerpt or None,
        sticky=node.get("wp:is_sticky") == "1",
        protected=bool(node.get("wp:post_password")),
        url=link or None,
        guid=node.get("guid") or None,
        original_id=node.get("wp:post_id") or None,
        old_slugs=old_slugs,
        body_html=body.html.strip() or None,
        comments=[_comment(c) for c in node.all("wp:comment")],
        post_meta=kept_meta,
    )
    post.outlet = infer_outlet(post)
    return post


def _terms(node: Node, domain: str) -> list[str]:
    names: list[str] = []
    for category in node.all("category"):
        if category.attrs.get("domain", "category") != domain:
            continue
        name = html.unescape(category.text.strip())
        if name and name not in names:
            names.append(name)
    return names


def _old_urls(link: str, slug: str, old_slugs: list[str]) -> list[str]:
    """The permalink, and the addresses the old slugs had under the same structure."""
    urls = [link] if link else []
    stem = link.rstrip("/")
    if link and slug and stem.endswith("/" + slug):
        trailing = "/" if link.endswith("/") else ""
        base = stem[: -len(slug)]
        urls.extend(f"{base}{old}{trailing}" for old in old_slugs if old != slug)
    return urls


def _block_editor_footnotes(meta: list[tuple[str, str]]) -> list[tuple[str, str]]:
    for key, value in meta:
        if key != FOOTNOTES_KEY or not value.strip().startswith("["):
            continue
        try:
            notes = json.loads(value)
        except ValueError:
            return []
        return [
            (str(n.get("id", f"fn-{i}")), str(n.get("content", "")))
            for i, n in enumerate(notes, 1)
            if isinstance(n, dict)
        ]
    return []


def _attachment(node: Node, status: str) -> Attachment:
    meta = {m.get("wp:meta_key"): m.get("wp:meta_value") for m in node.all("wp:postmeta")}
    content = node.first("content:encoded")
    return Attachment(
        url=node.get("wp:attachment_url") or node.get("guid"),
        caption=html_text(node.get("excerpt:encoded")) or None,
        title=html_text(node.get("title")) or None,
        alt=meta.get(ALT_KEY) or None,
        description=html_text(content.text) if content is not None and content.text else None,
        original_id=node.get("wp:post_id") or None,
        status=status,
    )


def _comment(node: Node) -> Comment:
    return Comment(
        id=node.get("wp:comment_id"),
        author=html.unescape(node.get("wp:comment_author")),
        html=sanitize_html(node.get("wp:comment_content")).strip(),
        published_at=wp_datetime(node.get("wp:comment_date"), node.get("wp:comment_date_gmt")),
        parent=node.get("wp:comment_parent")
        if node.get("wp:comment_parent") not in ("", "0")
        else None,
        status=node.get("wp:comment_approved") or "1",
        kind=node.get("wp:comment_type") or "comment",
        author_email=node.get("wp:comment_author_email"),
        author_url=node.get("wp:comment_author_url"),
    )


def wp_datetime(local: str, gmt: str) -> datetime | None:
    """A WordPress date pair as one datetime.

    Both known: the local time with the site's offset (local minus GMT), so
    the instant is the GMT one and ``.date()`` is the day the blog showed.
    GMT only: UTC.  Local only (drafts have a ``0000-00-00`` GMT date): naive.
    """
    local_dt, gmt_dt = _parse_wp(local), _parse_wp(gmt)
    if local_dt and gmt_dt:
        offset = timedelta(minutes=round((local_dt - gmt_dt).total_seconds() / 60))
        if abs(offset) <= MAX_UTC_OFFSET:
            return local_dt.replace(tzinfo=UTC if not offset else timezone(offset))
        return gmt_dt.replace(tzinfo=UTC)
    if gmt_dt:
        return gmt_dt.replace(tzinfo=UTC)
    return local_dt


def _parse_wp(value: str) -> datetime | None:
    value = value.strip()
    if not value or value.startswith(ZERO_DATE):
        return None
    try:
        return datetime.fromisoformat(value[:19])  # "YYYY-MM-DD HH:MM:SS", faster than strptime
    except ValueError:
        return None


def _rss_datetime(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


__all__ = ["WxrStream", "iter_wxr_posts", "read_wxr", "wp_datetime"]
