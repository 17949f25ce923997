"""Feeds and files for machines: Atom, RSS 2.0, JSON Feed 1.1, sitemap.xml, robots.txt.

XML is built with ``xml.etree`` (every text escaped by it, never pasted into
markup), after dropping the control characters XML 1.0 cannot carry at all.
Nothing here reads the clock: a feed's ``updated`` is its newest entry's, so
rebuilding an unchanged archive writes the same bytes.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import format_datetime

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
SITEMAP_MAX_URLS = 50_000  # the sitemap protocol's limit per file
EPOCH = "1970-01-01T00:00:00Z"  # "updated" of a feed with no entries at all
GENERATOR = "byline"
# Characters XML 1.0 forbids outright; a stray one makes every reader reject the feed.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class FeedInfo:
    """A feed's own facts: what it is called and where it and its listing live."""

    title: str
    feed_url: str  # absolute URL of this feed file
    page_url: str  # absolute URL of the listing it follows
    description: str
    language: str
    author: str


@dataclass(frozen=True)
class FeedEntry:
    """One post in a feed."""

    title: str
    url: str  # absolute permalink; also the entry's id
    published: date | None
    created: str  # ISO 8601 when first stored: "updated" for posts with no date
    summary: str
    content_html: str | None  # the whole piece, for the site's own feeds
    categories: tuple[str, ...]
    outlet: str | None

    @property
    def updated(self) -> str:
        if self.published is not None:
            return f"{self.published.isoformat()}T00:00:00Z"
        return _rfc3339(self.created)


def atom_feed(info: FeedInfo, entries: Sequence[FeedEntry]) -> bytes:
    """An Atom 1.0 feed (RFC 4287)."""
    return atom_document(info, entries, [atom_entry(e) for e in entries])


def atom_entry(item: FeedEntry) -> str:
    """One ``<entry>``, serialised: a post in many feeds is serialised once per build."""
    entry = ET.Element("entry")
    _sub(entry, "title", item.title)
    _sub(entry, "id", item.url)
    _link(entry, item.url, "alternate", "text/html")
    _sub(entry, "updated", item.updated)
    if item.published is not None:
        _sub(entry, "published", item.updated)
    for name in item.categories:
        ET.SubElement(entry, "category", {"term": _clean(name)})
    if item.summary:
        _sub(entry, "summary", item.summary, type="text")
    if item.content_html:
        _sub(entry, "content", item.content_html, type="html")
    return ET.tostring(entry, encoding="unicode")


def atom_document(info: FeedInfo, entries: Sequence[FeedEntry], serialised: Sequence[str]) -> bytes:
    """An Atom feed around entries already serialised by :func:`atom_entry`."""
    # Namespaces are declared as plain attributes: ElementTree then writes every
    # tag as given, with no generated prefixes ("ns0:") for readers to trip on.
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": info.language})
    _sub(root, "title", info.title)
    if info.description:
        _sub(root, "subtitle", info.description)
    _sub(root, "id", info.feed_url)
    _link(root, info.page_url, "alternate", "text/html")
    _link(root, info.feed_url, "self", "application/atom+xml")
    _sub(root, "updated", max((e.updated for e in entries), default=EPOCH))
    _sub(root, "generator", GENERATOR)
    if info.author:
        author = ET.SubElement(root, "author")
        _sub(author, "name", info.author)
    return _splice(root, "</feed>", serialised)


def rss_feed(info: FeedInfo, entries: Sequence[FeedEntry]) -> bytes:
    """An RSS 2.0 feed."""
    return rss_document(info, entries, [rss_item(e) for e in entries])


def rss_item(entry: FeedEntry) -> str:
    """One ``<item>``, serialised (see :func:`atom_entry`)."""
    item = ET.Element("item")
    _sub(item, "title", entry.title)
    _sub(item, "link", entry.url)
    ET.SubElement(item, "guid", {"isPermaLink": "true"}).text = _clean(entry.url)
    if entry.published is not None:
        _sub(item, "pubDate", _rfc822(entry.published))
    for name in entry.categories:
        _sub(item, "category", name)
    _sub(item, "description", entry.content_html or entry.summary)
    return ET.tostring(item, encoding="unicode")


def rss_document(info: FeedInfo, entries: Sequence[FeedEntry], serialised: Sequence[str]) -> bytes:
    """An RSS feed around items already serialised by :func:`rss_item`."""
    root = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS})
    channel = ET.SubElement(root, "channel")
    _sub(channel, "title", info.title)
    _sub(channel, "link", info.page_url)
    _sub(channel, "description", info.description or info.title)
    _sub(channel, "language", info.language)
    _sub(channel, "generator", GENERATOR)
    ET.SubElement(
        channel,
        "atom:link",
        {"href": _clean(info.feed_url), "rel": "self", "type": "application/rss+xml"},
    )
    dated = [e.published for e in entries if e.published is not None]
    if dated:
        _sub(channel, "lastBuildDate", _rfc822(max(dated)))
    return _splice(root, "</channel></rss>", serialised)


def json_feed(info: FeedInfo, entries: Sequence[FeedEntry]) -> bytes:
    """A JSON Feed 1.1 document."""
    items = []
    for entry in entries:
        item: dict[str, object] = {"id": entry.url, "url": entry.url, "title": entry.title}
        if entry.content_html:
            item["content_html"] = entry.content_html
        else:
            item["content_text"] = entry.summary
        if entry.summary:
            item["summary"] = entry.summary
        if entry.published is not None:
            item["date_published"] = entry.updated
        if entry.categories:
            item["tags"] = list(entry.categories)
        items.append(item)
    feed: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": info.title,
        "home_page_url": info.page_url,
        "feed_url": info.feed_url,
        "language": info.language,
        "items": items,
    }
    if info.description:
        feed["description"] = info.description
    if info.author:
        feed["authors"] = [{"name": info.author}]
    return (json.dumps(feed, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def sitemaps(urls: Sequence[tuple[str, date | None]], index_url: str) -> list[bytes]:
    """``sitemap.xml`` for (absolute URL, last modified) pairs.

    Past the protocol's 50,000 URLs per file the first document is a sitemap
    index and the rest are ``sitemap-1.xml`` ... beside it (``index_url``
    names ``sitemap.xml`` itself).
    """
    chunks = [urls[i : i + SITEMAP_MAX_URLS] for i in range(0, len(urls), SITEMAP_MAX_URLS)]
    if len(chunks) <= 1:
        return [_urlset(urls)]
    base = index_url.rsplit("/", 1)[0]
    index = ET.Element("sitemapindex", {"xmlns": SITEMAP_NS})
    for number in range(1, len(chunks) + 1):
        entry = ET.SubElement(index, "sitemap")
        ET.SubElement(entry, "loc").text = _clean(f"{base}/{sitemap_name(number)}")
    return [_xml(index), *(_urlset(c) for c in chunks)]


def sitemap_name(number: int) -> str:
    return f"sitemap-{number}.xml"


def robots_txt(sitemap_url: str) -> bytes:
    """Everything may be crawled; the sitemap says where it all is."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode()


def _urlset(urls: Sequence[tuple[str, date | None]]) -> bytes:
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for loc, modified in urls:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = _clean(loc)
        if modified is not None:
            ET.SubElement(url, "lastmod").text = modified.isoformat()
    return _xml(root)


def _clean(text: str) -> str:
    return XML_INVALID.sub("", text)


def _sub(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = _clean(text)
    return element


def _link(parent: ET.Element, href: str, rel: str, kind: str) -> None:
    ET.SubElement(parent, "link", {"href": _clean(href), "rel": rel, "type": kind})


def _splice(root: ET.Element, closing: str, serialised: Sequence[str]) -> bytes:
    """``root`` serialised with ready-made elements put in before ``closing``.

    Every piece was serialised by ElementTree, text escaped; this only joins them.
    """
    head = ET.tostring(root, encoding="unicode")
    if not head.endswith(closing):
        raise ValueError(f"cannot place entries in {head[-40:]!r}")
    body = head[: -len(closing)] + "".join(serialised) + closing
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _xml(root: ET.Element) -> bytes:
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _rfc822(day: date) -> str:
    return format_datetime(datetime(day.year, day.month, day.day, tzinfo=UTC))


def _rfc3339(stamp: str) -> str:
    """A stored ISO 8601 time as RFC 3339 in UTC; the epoch if it cannot be read."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return EPOCH
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
