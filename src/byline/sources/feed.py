"""RSS, Atom and JSON Feed files into posts.

XML feeds are first read through byline's defused, depth-limited parser (an
entity declaration, an over-deep or a truncated file is refused there, before
feedparser sees a byte), which also gives each entry's line; then feedparser
reads the entries.  JSON Feed (versions 1 and 1.1) is read directly.

Each entry becomes a post: its title the headline, its content (or summary)
HTML sanitised and read into blocks, the summary kept as the excerpt when
there is content too, ``published`` (else ``updated``) as the date with its
offset, authors, link and id.  Feed categories become categories unless their
scheme or domain says tag (WordPress feeds list both as ``<category>``; there
is no telling them apart); JSON Feed ``tags`` are tags.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import feedparser

from byline.errors import ParseError, SourceError
from byline.model import Block, Post, Source, slugify
from byline.recover._outlets import infer_outlet
from byline.sources._files import MAX_FEED_BYTES, decode_markup, read_limited
from byline.sources._html_blocks import html_text, read_html_body, sanitize_html
from byline.sources._records import SourceContents
from byline.sources._xmlstream import Node, XmlStream
from byline.store._base import SourcePage

KIND = "feed"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1"  # 1 and 1.1 both start so
FEED_ROOTS = frozenset({"rss", "atom:feed", "rdf:RDF", "feed"})
ENTRY_NAMES = frozenset({"item", "atom:entry", "rss1:item", "entry"})
TAG_SCHEMES = ("tag", "post_tag", "keyword")  # a category scheme/domain with these is a tag


@dataclass
class FeedEntry:
    """One entry, whatever the feed format, before it becomes a post."""

    title: str
    content_html: str
    summary_html: str = ""
    published_at: datetime | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    url: str | None = None
    guid: str | None = None
    line: int = 1


def read_feed(path: str | Path) -> SourceContents:
    """Read an RSS, Atom or JSON Feed file into a page of posts.

    Raises ``SourceError`` for an oversized or unsafe file (XML entities) and
    ``ParseError`` for one that is not well-formed or holds no entries.
    """
    file = Path(path)
    name = str(path)
    raw = read_limited(file, MAX_FEED_BYTES, "a feed")
    text, encoding = decode_markup(raw, name)
    sha256 = hashlib.sha256(raw).hexdigest()
    if text.lstrip().startswith("{"):
        title, site_url, entries = _json_feed(text, name)
    else:
        title, site_url, entries = _xml_feed(raw, text, name)
    if not entries:
        raise ParseError(f"{name}: a feed with no entries")
    resolved = str(file.resolve())
    posts = []
    for position, entry in enumerate(entries):
        post = entry_post(entry)
        post.sources.append(Source(KIND, resolved, sha256, entry.line, entry.line, position))
        posts.append(post)
    page = SourcePage(resolved, sha256, KIND, posts, encoding=encoding, title=title)
    return SourceContents(page=page, site_url=site_url, site_title=title)


def entry_post(entry: FeedEntry) -> Post:
    """A feed entry as a post (published, as feeds only carry what was published)."""
    body = read_html_body(entry.content_html or entry.summary_html, entry.line)
    headline = html_text(entry.title)
    blocks = ([Block("headline", headline, entry.line)] if headline else []) + body.blocks
    excerpt = ""
    if entry.content_html and entry.summary_html:
        summary_text = html_text(entry.summary_html)
        if summary_text and not html_text(entry.content_html).startswith(
            summary_text.rstrip(".… ")
        ):
            excerpt = sanitize_html(entry.summary_html).strip()
    post = Post(
        blocks=blocks,
        categories=entry.categories,
        tags=entry.tags,
        published=entry.published_at.date() if entry.published_at else None,
        status="publish",
        slug=slugify(headline) if headline else "",
        old_urls=[entry.url] if entry.url else [],
        authors=entry.authors,
        published_at=entry.published_at,
        excerpt=excerpt or None,
        url=entry.url,
        guid=entry.guid,
        body_html=body.html.strip() or None,
    )
    post.outlet = infer_outlet(post)
    return post


def _xml_feed(raw: bytes, text: str, name: str) -> tuple[str | None, str | None, list[FeedEntry]]:
    stream = XmlStream(name, collect_depth=2)
    lines = []
    for node in stream.nodes([text]):
        lines.extend(_entry_lines(node))
    if stream.prologue.root not in FEED_ROOTS:
        raise ParseError(f"{name}: XML, but not a feed (its root is <{stream.prologue.root}>)")
    parsed: Any = feedparser.parse(raw, sanitize_html=False, resolve_relative_uris=True)
    feed = parsed.get("feed", {})
    entries = []
    for index, item in enumerate(parsed.get("entries", [])):
        entries.append(_feedparser_entry(item, lines[index] if index < len(lines) else 1))
    return feed.get("title") or None, feed.get("link") or None, entries


def _entry_lines(node: Node) -> list[int]:
    if node.name in ENTRY_NAMES:
        return [node.line]
    return [child.line for child in node.children if child.name in ENTRY_NAMES]


def _feedparser_entry(item: Any, line: int) -> FeedEntry:
    contents = item.get("content") or []
    html_parts = [c.get("value", "") for c in contents if "html" in c.get("type", "text/html")]
    text_parts = [c.get("value", "") for c in contents if "html" not in c.get("type", "text/html")]
    content = html_parts[0] if html_parts else _text_html(text_parts[0]) if text_parts else ""
    categories: list[str] = []
    tags: list[str] = []
    for tag in item.get("tags") or []:
        term = html.unescape((tag.get("term") or tag.get("label") or "").strip())
        scheme = (tag.get("scheme") or "").lower()
        bucket = tags if any(word in scheme for word in TAG_SCHEMES) else categories
        if term and term not in bucket:
            bucket.append(term)
    authors = [a.get("name", "").strip() for a in item.get("authors") or [] if a.get("name")]
    if not authors and item.get("author"):
        authors = [str(item.get("author")).strip()]
    return FeedEntry(
        title=item.get("title", ""),
        content_html=content,
        summary_html=item.get("summary", ""),
        published_at=_entry_date(item),
        categories=categories,
        tags=tags,
        authors=authors,
        url=item.get("link") or None,
        guid=item.get("id") or None,
        line=line,
    )


def _entry_date(item: Any) -> datetime | None:
    """The entry's date with the offset it was written with, else feedparser's UTC reading."""
    for raw_key, parsed_key in (("published", "published_parsed"), ("updated", "updated_parsed")):
        written = _written_date(item.get(raw_key) or "")
        if written is not None:
            return written
        parsed = item.get(parsed_key)
        if parsed:
            year, month, day, hour, minute, second = parsed[:6]
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    return None


def _written_date(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def _text_html(text: str) -> str:
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def _json_feed(text: str, name: str) -> tuple[str | None, str | None, list[FeedEntry]]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"{name}: JSON is not well-formed ({exc})") from exc
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(JSON_FEED_VERSION):
        raise SourceError(f"{name}: JSON, but not a JSON Feed (no jsonfeed.org version)")
    entries = []
    for item in data.get("items") or []:
        if not isinstance(item, dict):
            continue
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        content = item.get("content_html") or _text_html(str(item.get("content_text") or ""))
        entries.append(
            FeedEntry(
                title=str(item.get("title") or ""),
                content_html=str(content),
                summary_html=html.escape(str(item.get("summary") or "")),
                published_at=_written_date(str(item.get("date_published") or ""))
                or _written_date(str(item.get("date_modified") or "")),
                tags=[str(t).strip() for t in item.get("tags") or [] if str(t).strip()],
                authors=[
                    str(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")
                ],
                url=str(item.get("url") or item.get("external_url") or "") or None,
                guid=str(item.get("id") or "") or None,
            )
        )
    title = data.get("title")
    home = data.get("home_page_url")
    return (str(title) if title else None), (str(home) if home else None), entries


__all__ = ["FeedEntry", "entry_post", "read_feed"]
