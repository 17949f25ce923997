"""Posts as JSON: every field byline holds, for other programs and for byline itself.

The file is one object::

    {"format": "byline-posts", "version": 1, "site": {...},
     "terms": [...], "authors": [...], "posts": [{...}, ...]}

Posts are written one at a time, so an export of any size streams.  Dates are
ISO 8601 (``published_at`` keeps its offset); blocks keep their role, text and
line; sources say where each post was found.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, cast

from byline.errors import ParseError, SourceError
from byline.model import (
    ROLES,
    Attachment,
    Block,
    Comment,
    Outlet,
    Post,
    Role,
    Source,
    Status,
    Term,
)
from byline.sources._files import MAX_FEED_BYTES, read_limited
from byline.sources._records import Author

FORMAT = "byline-posts"
VERSION = 1
MAX_JSON_BYTES = 8 * MAX_FEED_BYTES  # a byline JSON export read back whole


def post_to_json(post: Post) -> dict[str, Any]:
    """A post as plain JSON data (the inverse of :func:`post_from_json`)."""
    return {
        "title": post.title,
        "slug": post.slug,
        "status": post.status,
        "post_type": post.post_type,
        "published": post.published.isoformat() if post.published else None,
        "published_at": post.published_at.isoformat() if post.published_at else None,
        "categories": post.categories,
        "tags": post.tags,
        "authors": post.authors,
        "outlet": {"name": post.outlet.name, "aliases": list(post.outlet.aliases)}
        if post.outlet
        else None,
        "excerpt": post.excerpt,
        "sticky": post.sticky,
        "protected": post.protected,
        "url": post.url,
        "guid": post.guid,
        "original_id": post.original_id,
        "old_urls": post.old_urls,
        "old_slugs": post.old_slugs,
        "blocks": [{"role": b.role, "text": b.text, "line": b.line} for b in post.blocks],
        "body_html": post.body_html,
        "comments": [
            {
                "id": c.id,
                "author": c.author,
                "html": c.html,
                "published_at": c.published_at.isoformat() if c.published_at else None,
                "parent": c.parent,
                "status": c.status,
                "kind": c.kind,
                "author_email": c.author_email,
                "author_url": c.author_url,
            }
            for c in post.comments
        ],
        "attachments": [
            {
                "url": a.url,
                "caption": a.caption,
                "title": a.title,
                "alt": a.alt,
                "description": a.description,
                "original_id": a.original_id,
                "status": a.status,
            }
            for a in post.attachments
        ],
        "post_meta": [[key, value] for key, value in post.post_meta],
        "sources": [
            {
                "kind": s.kind,
                "path": s.path,
                "sha256": s.sha256,
                "line_start": s.line_start,
                "line_end": s.line_end,
                "position": s.position,
            }
            for s in post.sources
        ],
    }


def post_from_json(data: dict[str, Any]) -> Post:
    """A post from :func:`post_to_json` data; raises ``ValueError`` on a malformed one."""
    roles = set(ROLES)
    blocks = []
    for raw in data.get("blocks", []):
        if raw["role"] not in roles:
            raise ValueError(f"unknown block role {raw['role']!r}")
        blocks.append(Block(cast(Role, raw["role"]), str(raw["text"]), int(raw["line"])))
    outlet = data.get("outlet")
    return Post(
        blocks=blocks,
        categories=[str(n) for n in data.get("categories", [])],
        tags=[str(n) for n in data.get("tags", [])],
        outlet=Outlet(outlet["name"], tuple(outlet.get("aliases", ()))) if outlet else None,
        published=date.fromisoformat(data["published"]) if data.get("published") else None,
        status=cast(Status, data.get("status", "publish")),
        slug=str(data.get("slug", "")),
        sources=[Source(**s) for s in data.get("sources", [])],
        old_urls=[str(u) for u in data.get("old_urls", [])],
        post_type=str(data.get("post_type", "post")),
        authors=[str(n) for n in data.get("authors", [])],
        published_at=_datetime(data.get("published_at")),
        excerpt=data.get("excerpt"),
        sticky=bool(data.get("sticky", False)),
        protected=bool(data.get("protected", False)),
        url=data.get("url"),
        guid=data.get("guid"),
        original_id=data.get("original_id"),
        old_slugs=[str(s) for s in data.get("old_slugs", [])],
        body_html=data.get("body_html"),
        comments=[
            Comment(**{**c, "published_at": _datetime(c.get("published_at"))})
            for c in data.get("comments", [])
        ],
        attachments=[Attachment(**a) for a in data.get("attachments", [])],
        post_meta=[(str(k), str(v)) for k, v in data.get("post_meta", [])],
    )


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def write_json(
    posts: Iterable[Post],
    out: IO[str],
    *,
    terms: Sequence[Term] = (),
    authors: Sequence[Author] = (),
    site_title: str = "",
    site_url: str = "",
) -> int:
    """Write posts as one JSON document to a text stream; return how many were written."""
    head = {
        "format": FORMAT,
        "version": VERSION,
        "site": {"title": site_title, "url": site_url},
        "terms": [
            {
                "kind": t.kind,
                "name": t.name,
                "slug": t.slug,
                "parent": t.parent,
                "description": t.description,
            }
            for t in terms
        ],
        "authors": [
            {"login": a.login, "display_name": a.display_name, "email": a.email} for a in authors
        ],
    }
    opening = json.dumps(head, ensure_ascii=False, indent=1)
    out.write(opening[: opening.rfind("}")].rstrip() + ',\n "posts": [')
    count = 0
    for post in posts:
        out.write(
            ("\n  " if count == 0 else ",\n  ") + json.dumps(post_to_json(post), ensure_ascii=False)
        )
        count += 1
    out.write("\n ]\n}\n")
    return count


def read_json(path: str | Path) -> tuple[list[Post], list[Term], list[Author]]:
    """Posts, terms and authors from a byline JSON export."""
    name = str(path)
    raw = read_limited(path, MAX_JSON_BYTES, "a byline JSON export")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ParseError(f"{name}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SourceError(f"{name}: not a byline JSON export")
    try:
        posts = [post_from_json(p) for p in data.get("posts", [])]
        terms = [
            Term(t["kind"], t["name"], t["slug"], t.get("parent"), t.get("description", ""))
            for t in data.get("terms", [])
        ]
        authors = [Author(**a) for a in data.get("authors", [])]
    except (KeyError, TypeError, ValueError) as exc:
        raise ParseError(f"{name}: a byline JSON export with a malformed post ({exc})") from exc
    return posts, terms, authors
