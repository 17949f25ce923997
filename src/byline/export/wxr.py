"""Posts out as a WordPress export (WXR 1.2) that WordPress's importer and byline read back.

Written with lxml's incremental writer: the channel's header (authors,
categories with their parents, tags) first, then one ``<item>`` per post, each
serialised and released before the next, so memory stays flat however many
posts there are.  All text goes through the XML library; the post's HTML
travels as character data, as WordPress writes it.

What WordPress needs and byline may not know is made up consistently: post IDs
(a post's own WordPress ID when it has a free one), term slugs (slugified
names), author logins (slugified display names).  A password-protected post is
exported as ``private`` and without its password, which byline never keeps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import IO

from lxml import etree

from byline.export._html import body_html
from byline.model import Attachment, Comment, Post, Term, slugify
from byline.sources._records import Author

WXR_VERSION = "1.2"
NS = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.2/",
}
ZERO_DATETIME = "0000-00-00 00:00:00"
WP_FORMAT = "%Y-%m-%d %H:%M:%S"
OLD_SLUG_KEY = "_wp_old_slug"
DEFAULT_AUTHOR = "byline"
GENERATOR = "byline"
FIRST_FREE_ID = 1  # ids handed out to posts with none, above every id already taken


def _q(name: str) -> str:
    prefix, _, local = name.rpartition(":")
    return f"{{{NS[prefix]}}}{local}" if prefix else local


def _el(name: str, text: str | None = None, cdata: bool = False, **attrs: str) -> etree._Element:
    """A top-level element, declaring only the namespaces it uses (all of them for an item)."""
    prefix = name.rpartition(":")[0]
    nsmap = NS if name == "item" else ({prefix: NS[prefix]} if prefix else None)
    element = etree.Element(_q(name), {_q(k): v for k, v in attrs.items()}, nsmap=nsmap)
    if text:
        element.text = etree.CDATA(text) if cdata and "]]>" not in text else text
    return element


def _sub(parent: etree._Element, name: str, text: str | None = None, cdata: bool = False,
         **attrs: str) -> etree._Element:  # fmt: skip
    element = etree.SubElement(parent, _q(name), {k: v for k, v in attrs.items()})
    if text:
        element.text = etree.CDATA(text) if cdata and "]]>" not in text else text
    return element


def write_wxr(
    posts: Iterable[Post],
    out: str | Path | IO[bytes],
    *,
    terms: Sequence[Term] = (),
    authors: Sequence[Author] = (),
    site_title: str = "",
    site_url: str = "",
    description: str = "",
) -> int:
    """Write posts (with their comments and attachments) as WXR 1.2; return items written.

    ``out`` is a path or a binary file (``sys.stdout.buffer`` for standard
    output).  ``terms`` and ``authors`` (as a reader returned them) keep the
    category hierarchy, slugs and logins; any a post names that they lack are
    declared from the name.
    """
    posts = list(posts)
    ids = _assign_ids(posts)
    logins = _logins(posts, authors)
    categories, tags = _terms(posts, terms)
    slug_of = {("category", t.name): t.slug for t in categories}
    slug_of.update({("tag", t.name): t.slug for t in tags})
    written = 0
    target = str(out) if isinstance(out, Path) else out
    with etree.xmlfile(target, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("rss", {"version": "2.0"}, nsmap=NS), xf.element("channel"):
            for name, text in (
                ("title", site_title),
                ("link", site_url),
                ("description", description),
                ("language", ""),
                ("wp:wxr_version", WXR_VERSION),
                ("wp:base_site_url", site_url),
                ("wp:base_blog_url", site_url),
            ):
                xf.write(_el(name, text), pretty_print=True)
            for number, (display, login) in enumerate(logins.items(), 1):
                xf.write(_author(number, login, display, authors), pretty_print=True)
            for number, term in enumerate(categories, 1):
                xf.write(_category(number, term), pretty_print=True)
            for number, term in enumerate(tags, len(categories) + 1):
                xf.write(_tag(number, term), pretty_print=True)
            xf.write(_el("generator", GENERATOR), pretty_print=True)
            for post, post_id in zip(posts, ids.posts, strict=True):
                xf.write(_item(post, post_id, logins, slug_of, site_url), pretty_print=True)
                written += 1
                for attachment, attachment_id in zip(
                    post.attachments, ids.attachments[post_id], strict=True
                ):
                    xf.write(
                        _attachment(attachment, attachment_id, post_id, logins, post),
                        pretty_print=True,
                    )
                    written += 1
    return written


class _Ids:
    def __init__(self) -> None:
        self.posts: list[int] = []
        self.attachments: dict[int, list[int]] = {}


def _assign_ids(posts: list[Post]) -> _Ids:
    """Each post's own WordPress ID when it is free, else the next id above all taken."""
    taken: set[int] = set()
    wanted: list[int | None] = []
    for post in posts:
        own = _int(post.original_id)
        wanted.append(own if own is not None and own not in taken else None)
        if own is not None:
            taken.add(own)
        taken.update(a for a in (_int(x.original_id) for x in post.attachments) if a is not None)
    ids = _Ids()
    next_id = max(taken, default=FIRST_FREE_ID - 1) + 1
    used: set[int] = set()
    for post, own in zip(posts, wanted, strict=True):
        if own is None or own in used:
            own, next_id = next_id, next_id + 1
        used.add(own)
        ids.posts.append(own)
        attachment_ids: list[int] = []
        for attachment in post.attachments:
            number = _int(attachment.original_id)
            if number is None or number in used:
                number, next_id = next_id, next_id + 1
            used.add(number)
            attachment_ids.append(number)
        ids.attachments[own] = attachment_ids
    return ids


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _logins(posts: list[Post], authors: Sequence[Author]) -> dict[str, str]:
    """Display name → login, for every author a post names."""
    logins = {a.display_name: a.login for a in authors}
    for post in posts:
        for name in post.authors or [DEFAULT_AUTHOR]:
            logins.setdefault(name, slugify(name))
    return logins


def _terms(posts: list[Post], terms: Sequence[Term]) -> tuple[list[Term], list[Term]]:
    """Categories (parents before children) and tags: declared ones, then any posts name."""
    declared: dict[tuple[str, str], Term] = {(t.kind, t.name): t for t in terms}
    for post in posts:
        for name in post.categories:
            declared.setdefault(("category", name), Term("category", name, slugify(name)))
        for name in post.tags:
            declared.setdefault(("tag", name), Term("tag", name, slugify(name)))
    categories = [t for t in declared.values() if t.kind == "category"]
    tags = [t for t in declared.values() if t.kind == "tag"]
    return _parents_first(categories), tags


def _parents_first(categories: list[Term]) -> list[Term]:
    by_slug = {t.slug: t for t in categories}
    ordered: list[Term] = []
    placed: set[str] = set()

    def place(term: Term, trail: frozenset[str]) -> None:
        if term.slug in placed or term.slug in trail:
            return  # placed already, or a cycle in the parents
        parent = by_slug.get(term.parent or "")
        if parent is not None:
            place(parent, trail | {term.slug})
        placed.add(term.slug)
        ordered.append(term)

    for term in categories:
        place(term, frozenset())
    return ordered


def _author(number: int, login: str, display: str, authors: Sequence[Author]) -> etree._Element:
    declared = next((a for a in authors if a.login == login), None)
    element = _el("wp:author")
    _sub(element, "wp:author_id", str(number))
    _sub(element, "wp:author_login", login, cdata=True)
    _sub(element, "wp:author_email", declared.email if declared else "", cdata=True)
    _sub(element, "wp:author_display_name", display, cdata=True)
    return element


def _category(number: int, term: Term) -> etree._Element:
    element = _el("wp:category")
    _sub(element, "wp:term_id", str(number))
    _sub(element, "wp:category_nicename", term.slug, cdata=True)
    _sub(element, "wp:category_parent", term.parent or "", cdata=True)
    _sub(element, "wp:cat_name", term.name, cdata=True)
    if term.description:
        _sub(element, "wp:category_description", term.description, cdata=True)
    return element


def _tag(number: int, term: Term) -> etree._Element:
    element = _el("wp:tag")
    _sub(element, "wp:term_id", str(number))
    _sub(element, "wp:tag_slug", term.slug, cdata=True)
    _sub(element, "wp:tag_name", term.name, cdata=True)
    if term.description:
        _sub(element, "wp:tag_description", term.description, cdata=True)
    return element


def wp_dates(published_at: datetime | None, published: date | None) -> tuple[str, str]:
    """(``post_date``, ``post_date_gmt``): local wall time, and UTC when the offset is known."""
    if published_at is not None:
        local = published_at.strftime(WP_FORMAT)
        if published_at.tzinfo is None:
            return local, ZERO_DATETIME
        return local, published_at.astimezone(UTC).strftime(WP_FORMAT)
    if published is not None:
        return f"{published.isoformat()} 00:00:00", ZERO_DATETIME
    return ZERO_DATETIME, ZERO_DATETIME


def _item(
    post: Post,
    post_id: int,
    logins: dict[str, str],
    slug_of: dict[tuple[str, str], str],
    site_url: str,
) -> etree._Element:
    item = _el("item")
    link = post.url or (f"{site_url.rstrip('/')}/?p={post_id}" if site_url else "")
    local, gmt = wp_dates(post.published_at, post.published)
    _sub(item, "title", post.title if post.headline else "", cdata=True)
    _sub(item, "link", link)
    if post.published_at is not None and post.published_at.tzinfo is not None:
        _sub(item, "pubDate", format_datetime(post.published_at.astimezone(UTC)))
    author = post.authors[0] if post.authors else DEFAULT_AUTHOR
    _sub(item, "dc:creator", logins.get(author, slugify(author)), cdata=True)
    _sub(item, "guid", post.guid or link, isPermaLink="false")
    _sub(item, "description")
    _sub(item, "content:encoded", body_html(post), cdata=True)
    _sub(item, "excerpt:encoded", post.excerpt or "", cdata=True)
    _sub(item, "wp:post_id", str(post_id))
    _sub(item, "wp:post_date", local, cdata=True)
    _sub(item, "wp:post_date_gmt", gmt, cdata=True)
    _sub(item, "wp:comment_status", "open", cdata=True)
    _sub(item, "wp:ping_status", "open", cdata=True)
    _sub(item, "wp:post_name", post.slug, cdata=True)
    _sub(item, "wp:status", "private" if post.protected else post.status, cdata=True)
    _sub(item, "wp:post_parent", "0")
    _sub(item, "wp:menu_order", "0")
    _sub(item, "wp:post_type", post.post_type, cdata=True)
    _sub(item, "wp:post_password", "", cdata=True)
    _sub(item, "wp:is_sticky", "1" if post.sticky else "0")
    for kind, domain, names in (
        ("category", "category", post.categories),
        ("tag", "post_tag", post.tags),
    ):
        for name in names:
            nicename = slug_of.get((kind, name), slugify(name))
            _sub(item, "category", name, cdata=True, domain=domain, nicename=nicename)
    meta = [(OLD_SLUG_KEY, slug) for slug in post.old_slugs] + list(post.post_meta)
    for key, value in meta:
        entry = _sub(item, "wp:postmeta")
        _sub(entry, "wp:meta_key", key, cdata=True)
        _sub(entry, "wp:meta_value", value, cdata=True)
    for comment in post.comments:
        item.append(_comment(comment))
    return item


def _comment(comment: Comment) -> etree._Element:
    element = etree.Element(_q("wp:comment"), nsmap={"wp": NS["wp"]})
    local, gmt = wp_dates(comment.published_at, None)
    for name, value in (
        ("wp:comment_id", comment.id),
        ("wp:comment_author", comment.author),
        ("wp:comment_author_email", comment.author_email),
        ("wp:comment_author_url", comment.author_url),
        ("wp:comment_date", local),
        ("wp:comment_date_gmt", gmt),
        ("wp:comment_content", comment.html),
        ("wp:comment_approved", comment.status),
        ("wp:comment_type", comment.kind),
        ("wp:comment_parent", comment.parent or "0"),
    ):
        _sub(element, name, value, cdata=name not in ("wp:comment_id", "wp:comment_parent"))
    return element


def _attachment(
    attachment: Attachment, attachment_id: int, parent_id: int, logins: dict[str, str], post: Post
) -> etree._Element:
    item = _el("item")
    author = post.authors[0] if post.authors else DEFAULT_AUTHOR
    local, gmt = wp_dates(post.published_at, post.published)
    _sub(item, "title", attachment.title or "", cdata=True)
    _sub(item, "link", attachment.url)
    _sub(item, "dc:creator", logins.get(author, slugify(author)), cdata=True)
    _sub(item, "guid", attachment.url, isPermaLink="false")
    _sub(item, "description")
    _sub(item, "content:encoded", attachment.description or "", cdata=True)
    _sub(item, "excerpt:encoded", attachment.caption or "", cdata=True)
    _sub(item, "wp:post_id", str(attachment_id))
    _sub(item, "wp:post_date", local, cdata=True)
    _sub(item, "wp:post_date_gmt", gmt, cdata=True)
    _sub(item, "wp:post_name", slugify(attachment.title or attachment.url), cdata=True)
    _sub(item, "wp:status", attachment.status, cdata=True)
    _sub(item, "wp:post_parent", str(parent_id))
    _sub(item, "wp:menu_order", "0")
    _sub(item, "wp:post_type", "attachment", cdata=True)
    _sub(item, "wp:post_password", "", cdata=True)
    _sub(item, "wp:is_sticky", "0")
    _sub(item, "wp:attachment_url", attachment.url, cdata=True)
    if attachment.alt:
        entry = _sub(item, "wp:postmeta")
        _sub(entry, "wp:meta_key", "_wp_attachment_image_alt", cdata=True)
        _sub(entry, "wp:meta_value", attachment.alt, cdata=True)
    return item
