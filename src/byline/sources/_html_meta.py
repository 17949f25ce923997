"""What a page says about itself: JSON-LD, Open Graph and ``<meta>`` tags.

JSON-LD is parsed as data (``json.loads``, size-capped), never run.  Of its
objects the first article-like one (Article, NewsArticle, BlogPosting ...)
gives the headline, alternative headline, description, authors, date,
publisher and image captions; Open Graph and plain ``<meta>`` tags fill what
it lacks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

MAX_JSON_LD_CHARS = 1_000_000  # one script block; real ones are a few KB
ARTICLE_TYPES = frozenset(
    {"Article", "NewsArticle", "BlogPosting", "OpinionNewsArticle", "ReportageNewsArticle",
     "AnalysisNewsArticle", "ScholarlyArticle", "Report", "LiveBlogPosting", "TechArticle",
     "ReviewNewsArticle", "BackgroundNewsArticle", "SocialMediaPosting"}
)  # fmt: skip
LISTING_TYPES = frozenset({"CollectionPage", "ItemList", "Blog", "SearchResultsPage"})


@dataclass
class PageMeta:
    """A page's own statements about its piece, each None when it does not say."""

    headline: str | None = None
    alternative_headline: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    publisher: str | None = None
    site_name: str | None = None
    image_captions: list[str] = field(default_factory=list)
    url: str | None = None
    og_type: str | None = None
    og_title: str | None = None
    tags: list[str] = field(default_factory=list)
    section: str | None = None
    json_ld_types: set[str] = field(default_factory=set)

    @property
    def is_article(self) -> bool:
        return bool(self.json_ld_types & ARTICLE_TYPES) or self.og_type == "article"

    @property
    def is_listing(self) -> bool:
        return bool(self.json_ld_types & LISTING_TYPES) and not self.json_ld_types & ARTICLE_TYPES


def page_meta(doc: Any) -> PageMeta:
    """Read JSON-LD, Open Graph and meta tags from a parsed page (before scripts are dropped)."""
    meta = PageMeta()
    for script in doc.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        _read_json_ld(script.text or "", meta)
    tags = _meta_tags(doc)
    meta.og_type = tags.get("og:type")
    meta.og_title = tags.get("og:title") or tags.get("twitter:title")
    meta.headline = meta.headline or None
    meta.description = meta.description or tags.get("description") or tags.get("og:description")
    if not meta.authors and tags.get("author"):
        meta.authors = [tags["author"]]
    if (
        not meta.authors
        and tags.get("article:author", "").strip()
        and "://" not in tags["article:author"]
    ):
        meta.authors = [tags["article:author"]]
    meta.published = meta.published or parse_datetime(tags.get("article:published_time"))
    meta.site_name = tags.get("og:site_name")
    meta.section = meta.section or tags.get("article:section")
    meta.tags = meta.tags or [v for k, v in _all_meta(doc) if k == "article:tag"]
    canonical = doc.xpath('//link[@rel="canonical"]/@href')
    meta.url = meta.url or (str(canonical[0]) if canonical else None) or tags.get("og:url")
    return meta


def _meta_tags(doc: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in _all_meta(doc):
        found.setdefault(key, value)
    return found


def _all_meta(doc: Any) -> list[tuple[str, str]]:
    pairs = []
    for element in doc.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        value = " ".join((element.get("content") or "").split())
        if key and value:
            pairs.append((key, value))
    return pairs


def _read_json_ld(text: str, meta: PageMeta) -> None:
    if len(text) > MAX_JSON_LD_CHARS:
        return
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return  # a broken block is skipped: the page's other statements still count
    for item in _objects(data):
        kinds = item.get("@type")
        kinds = (
            set(kinds) if isinstance(kinds, list) else {kinds} if isinstance(kinds, str) else set()
        )
        meta.json_ld_types |= {k for k in kinds if isinstance(k, str)}
        if not kinds & ARTICLE_TYPES or meta.headline:
            continue
        meta.headline = _text(item.get("headline")) or _text(item.get("name"))
        meta.alternative_headline = _text(item.get("alternativeHeadline"))
        meta.description = _text(item.get("description"))
        meta.authors = _names(item.get("author"))
        meta.published = parse_datetime(_text(item.get("datePublished")))
        publishers = _names(item.get("publisher"))
        meta.publisher = publishers[0] if publishers else None
        meta.image_captions = [c for c in (_caption(i) for i in _as_list(item.get("image"))) if c]
        meta.url = _text(item.get("url")) or _text(_id_of(item.get("mainEntityOfPage")))
        meta.section = _text(item.get("articleSection"))
        keywords = item.get("keywords")
        if isinstance(keywords, str):
            meta.tags = [k.strip() for k in keywords.split(",") if k.strip()]
        elif isinstance(keywords, list):
            meta.tags = [str(k).strip() for k in keywords if str(k).strip()]


def _objects(data: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object at the top level or in an ``@graph``."""
    found: list[dict[str, Any]] = []
    for item in _as_list(data):
        if isinstance(item, dict):
            found.append(item)
            found.extend(i for i in _as_list(item.get("@graph")) if isinstance(i, dict))
    return found


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None or isinstance(value, dict):
        return None
    text = " ".join(str(value).split())
    return text or None


def _names(value: Any) -> list[str]:
    names = []
    for item in _as_list(value):
        name = _text(item.get("name")) if isinstance(item, dict) else _text(item)
        if name and "://" not in name and name not in names:
            names.append(name)
    return names


def _caption(image: Any) -> str | None:
    return _text(image.get("caption")) if isinstance(image, dict) else None


def _id_of(value: Any) -> Any:
    return value.get("@id") if isinstance(value, dict) else value


def parse_datetime(value: str | None) -> datetime | None:
    """An ISO 8601 date or datetime as the page wrote it (offset kept)."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        try:
            return datetime.fromisoformat(text[:10])
        except ValueError:
            return None
