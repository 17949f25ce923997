"""Plain renderings of the archive: the page as text, and JSON for programs.

The text rendering is the page as the blog showed it, one paragraph per line
with a blank line between paragraphs: the title line, then every stored block
of every post in its original order, each exactly as it was written.
"""

from __future__ import annotations

from typing import Any

from byline.model import Source, iso
from byline.publish._page import ArchivePage
from byline.store import PostSummary, SearchHit, StoredPost


def render_text(page: ArchivePage) -> str:
    """The archive page as text: title, then each post's blocks, blank-line separated."""
    paragraphs = [page.title]
    for stored in page.posts:
        paragraphs.extend(block.text for block in stored.post.blocks)
    return "\n\n".join(paragraphs) + "\n"


def archive_json(page: ArchivePage) -> dict[str, Any]:
    """The archive page as a JSON-ready object, every block with its source line."""
    return {
        "title": page.title,
        "kind": page.by,
        "name": page.name,
        "posts": [post_json(stored) for stored in page.posts],
    }


def post_json(stored: StoredPost) -> dict[str, Any]:
    """A whole stored post: its fields, blocks (role, text, line) and sources."""
    post = stored.post
    return {
        "id": stored.id,
        "headline": post.headline,
        "title": post.title,
        "slug": post.slug,
        "outlet": post.outlet.name if post.outlet else None,
        "published": iso(post.published),
        "status": post.status,
        "categories": list(post.categories),
        "tags": list(post.tags),
        "origin": _source_json(stored.origin) if stored.origin else None,
        "blocks": [{"role": b.role, "text": b.text, "line": b.line} for b in post.blocks],
        "sources": [_source_json(s) for s in post.sources],
    }


def summary_json(summary: PostSummary) -> dict[str, Any]:
    """One row of ``byline posts --format json``."""
    return {
        "id": summary.id,
        "headline": summary.headline,
        "title": summary.title,
        "slug": summary.slug,
        "outlet": summary.outlet,
        "categories": list(summary.categories),
        "tags": list(summary.tags),
        "published": iso(summary.published),
        "status": summary.status,
    }


def hit_json(hit: SearchHit) -> dict[str, Any]:
    """One row of ``byline search --format json``; ``score`` is higher for better hits."""
    return {
        "id": hit.id,
        "headline": hit.headline,
        "title": hit.title,
        "outlet": hit.outlet,
        "published": iso(hit.published),
        "status": hit.status,
        "snippet": hit.snippet,
        "score": hit.score,
    }


def _source_json(source: Source) -> dict[str, Any]:
    return {
        "kind": source.kind,
        "path": source.path,
        "sha256": source.sha256,
        "lines": [source.line_start, source.line_end],
        "position": source.position,
    }
