"""Build posts and pages by hand, so store tests do not depend on recovery."""

from __future__ import annotations

import hashlib
from datetime import date

from byline.model import Block, Outlet, Post, Role, Status
from byline.store import SourcePage


def make_post(
    headline: str,
    body: list[str],
    *,
    first_line: int = 3,
    preface: str | None = None,
    categories: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    outlet: Outlet | None = None,
    published: date | None = None,
    status: Status = "publish",
    extra: tuple[tuple[Role, str], ...] = (),
) -> Post:
    """A post laid out as a page would show it, one block every other line."""
    parts: list[tuple[Role, str]] = []
    if preface:
        parts.append(("preface", preface))
    parts.append(("headline", headline))
    parts.extend(extra)
    parts.extend(("body", text) for text in body)
    blocks = [Block(role, text, first_line + 2 * i) for i, (role, text) in enumerate(parts)]
    return Post(
        blocks=blocks,
        categories=list(categories),
        tags=list(tags),
        outlet=outlet,
        published=published,
        status=status,
    )


def make_page(name: str, posts: list[Post], *, title: str | None = None) -> SourcePage:
    """A page whose identity (sha256) follows from its name and posts."""
    digest = hashlib.sha256(
        (name + "".join(p.content_key for p in posts)).encode("utf-8")
    ).hexdigest()
    return SourcePage(
        path=f"/pages/{name}",
        sha256=digest,
        kind="archive-text",
        posts=posts,
        title=title,
        title_line=1 if title else None,
    )
