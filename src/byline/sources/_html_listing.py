"""Saved blog archive, category and tag pages: one page, many posts.

A listing is found by its markup: two or more sibling post elements
(``<article>``, or ``.post``/``.hentry``/``.type-post``/``.h-entry`` …), each
with a heading and some running text, outside sidebars and footers.  Each
becomes a post: its heading the headline (and its link the post's address),
``<time datetime>`` or a date-classed element the date, ``rel="category"``
and tag links its terms, the entry's content read into blocks like any body
(so a preface is found as on the blog).  A page that says it is an archive
but has no post markup is read as text by the archive-text recovery.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from byline.model import Block, Post
from byline.recover._dates import first_day
from byline.recover._features import page_title
from byline.recover._outlets import infer_outlet
from byline.sources._html_blocks import read_html_body
from byline.sources._html_meta import parse_datetime
from byline.sources._wayback import original_url

POST_CLASS = re.compile(
    r"(?:^|\s)(?:post|hentry|type-post|blog-post|post-item|blog-entry|h-entry|entry)(?:\s|$)"
)
CONTENT_CLASS = re.compile(
    r"(?:^|\s)(?:entry-content|post-content|post-body|entry-body|article-body|e-content|"
    r"entry-summary|post-entry|storycontent|entry)(?:\s|$)"
)
TITLE_CLASS = re.compile(r"(?:^|\s)(?:entry-title|post-title|p-name|title)(?:\s|$)")
DATE_CLASS = re.compile(
    r"(?:^|\s)(?:published|entry-date|post-date|date|dt-published|posted-on)(?:\s|$)"
)
AUTHOR_CLASS = re.compile(r"(?:^|\s)(?:author|p-author|byline|vcard)(?:\s|$)")
CATEGORY_LINKS = re.compile(
    r"(?:^|\s)(?:cat-links|post-categories|categories|category-links)(?:\s|$)"
)
TAG_LINKS = re.compile(r"(?:^|\s)(?:tag-links|tags-links|post-tags|tags|tag-list)(?:\s|$)")
ARCHIVE_BODY = re.compile(r"(?:^|\s)(?:archive|category|tag|author|date|blog|home|search)(?:\s|$)")
PAGE_TITLE_CLASS = re.compile(r"(?:^|\s)(?:page-title|archive-title|archive-header|taxonomy-title)")
OUTSIDE_MAIN = frozenset({"aside", "nav", "footer"})
MIN_POSTS = 2  # one post element is an article page, not a listing
MIN_POST_WORDS = 25  # a teaser of "related posts" is a headline and a line, not a post
HEADINGS = ("h1", "h2", "h3", "h4")


def is_archive_body(doc: Any) -> bool:
    """WordPress and most themes mark archive pages by ``<body class>``."""
    body = doc.find(".//body")
    classes = body.get("class") or "" if body is not None else ""
    return bool(ARCHIVE_BODY.search(classes))


def find_posts(doc: Any) -> list[Any]:
    """The largest group (two or more) of sibling post elements with headings and text."""
    candidates = [
        el
        for el in doc.iter("article", "div", "section", "li")
        if el.tag == "article" or POST_CLASS.search(el.get("class") or "")
    ]
    chosen = set(candidates)
    outermost = [el for el in candidates if not any(a in chosen for a in el.iterancestors())]
    groups: dict[Any, list[Any]] = {}
    for el in outermost:
        if any(a.tag in OUTSIDE_MAIN for a in el.iterancestors()):
            continue
        if _heading(el) is None or _words(el) < MIN_POST_WORDS:
            continue
        groups.setdefault(el.getparent(), []).append(el)
    best = max(groups.values(), key=len, default=[])
    return best if len(best) >= MIN_POSTS else []


def archive_heading(
    doc: Any, posts: list[Any]
) -> tuple[str | None, int | None, str | None, str | None]:
    """(title, line, kind, name) of the page's own heading: an archive title if it has one."""
    inside = {node for post in posts for node in post.iter()}  # held, so proxies stay the same
    for el in doc.iter("h1", "h2", "header", "div", "span"):
        if el in inside:
            continue
        is_title = el.tag == "h1" or PAGE_TITLE_CLASS.search(el.get("class") or "")
        text = " ".join(el.text_content().split())
        if is_title and text:
            declared = page_title(text)
            kind, name = declared if declared else (None, None)
            return text, el.sourceline, kind, name
    titles = doc.xpath("//title")
    if titles:
        text = " ".join(titles[0].text_content().split())
        declared = page_title(text.split(" | ")[0].split(" – ")[0])
        if declared:
            return text, titles[0].sourceline, declared[0], declared[1]
    return None, None, None, None


def listing_posts(posts: list[Any], kind: str | None, name: str | None) -> Iterator[Post]:
    """Each post element as a post; a category or tag page's name is added to its posts."""
    for element in posts:
        post = _post(element)
        if kind == "category" and name and name not in post.categories:
            post.categories.append(name)
        if kind == "tag" and name and name not in post.tags:
            post.tags.append(name)
        yield post


def _post(element: Any) -> Post:
    heading = _heading(element)
    headline = " ".join(heading.text_content().split()) if heading is not None else ""
    link = heading.find(".//a") if heading is not None else None
    url = original_url(link.get("href")) if link is not None and link.get("href") else None
    published_at, published = _date(element)
    categories, tags = _terms(element)
    content, first_line = _content(element, heading)
    body = read_html_body(content, first_line)
    blocks = body.blocks
    if headline:
        blocks = [Block("headline", headline, heading.sourceline or 1), *blocks]
    post = Post(
        blocks=blocks,
        categories=categories,
        tags=tags,
        published=published,
        published_at=published_at,
        url=url,
        old_urls=[url] if url else [],
        authors=_authors(element),
        body_html=body.html.strip() or None,
    )
    post.outlet = infer_outlet(post)
    return post


def _heading(element: Any) -> Any:
    for el in element.iter(*HEADINGS):
        if TITLE_CLASS.search(el.get("class") or "") and el.text_content().strip():
            return el
    for el in element.iter(*HEADINGS):
        if el.text_content().strip():
            return el
    return None


def _words(element: Any) -> int:
    return len(element.text_content().split())


def _date(element: Any) -> tuple[Any, Any]:
    for time in element.iter("time"):
        moment = parse_datetime(time.get("datetime"))
        if moment is not None:
            return (
                moment if len(time.get("datetime") or "") > len("YYYY-MM-DD") else None
            ), moment.date()
    for el in element.iter():
        if isinstance(el.tag, str) and DATE_CLASS.search(el.get("class") or ""):
            moment = parse_datetime(el.get("title"))  # <abbr class="published" title="...">
            if moment is not None:
                return moment, moment.date()
            day = first_day(" ".join(el.text_content().split()))
            if day is not None:
                return None, day
    return None, None


def _terms(element: Any) -> tuple[list[str], list[str]]:
    categories: list[str] = []
    tags: list[str] = []
    for link in element.iter("a"):
        rel = (link.get("rel") or "").lower().split()
        text = " ".join(link.text_content().split())
        if not text:
            continue
        holder = " ".join((a.get("class") or "") for a in link.iterancestors())
        if "category" in rel or CATEGORY_LINKS.search(holder):
            bucket = categories
        elif "tag" in rel or TAG_LINKS.search(holder):
            bucket = tags
        else:
            continue
        if text not in bucket:
            bucket.append(text)
    return categories, tags


def _authors(element: Any) -> list[str]:
    names: list[str] = []
    for el in element.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("rel") == "author" or (
            el.tag != "article" and AUTHOR_CLASS.search(el.get("class") or "")
        ):
            name = " ".join(el.text_content().split())
            name = re.sub(r"^(?:by|posted by)\s+", "", name, flags=re.I)
            if name and len(name.split()) <= 5 and name not in names:
                names.append(name)
    return names[:1]


def _content(element: Any, heading: Any) -> tuple[str, int]:
    """The entry's content as HTML, and the line it starts on."""
    for el in element.iter():
        if (
            isinstance(el.tag, str)
            and el is not element
            and CONTENT_CLASS.search(el.get("class") or "")
        ):
            return str(etree.tostring(el, encoding="unicode", method="html")), el.sourceline or 1
    parts = []
    for child in element:
        if child is heading or (heading is not None and heading in child.iter()):
            continue
        if child.tag in ("header", "footer"):
            continue
        parts.append(etree.tostring(child, encoding="unicode", method="html", with_tail=True))
    return "".join(parts), element.sourceline or 1
