"""The recovered page: its title, what it archives, and its posts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from byline.model import Block, Post, Source

ArchiveKind = Literal["category", "tag", "author", "date", "archive"]


@dataclass
class RecoveredPage:
    path: str
    sha256: str
    title: str | None
    kind: ArchiveKind | None
    name: str | None
    posts: list[Post]
    page_blocks: list[Block] = field(default_factory=list)

    def line_labels(self) -> list[dict[str, Any]]:
        """Every non-empty line as ``{"line", "post", "role"}``, in line order."""
        rows: list[dict[str, Any]] = [
            {"line": b.line, "post": -1, "role": b.role} for b in self.page_blocks
        ]
        for index, post in enumerate(self.posts):
            rows.extend({"line": b.line, "post": index, "role": b.role} for b in post.blocks)
        rows.sort(key=lambda row: row["line"])
        return rows

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "title": self.title,
            "kind": self.kind,
            "name": self.name,
            "posts": [post_to_json(i, p) for i, p in enumerate(self.posts)],
        }


def post_to_json(index: int, post: Post) -> dict[str, Any]:
    piece = post.piece
    return {
        "post": index,
        "headline": post.headline,
        "outlet": post.outlet.name if post.outlet else None,
        "published": post.published.isoformat() if post.published else None,
        "categories": post.categories,
        "tags": post.tags,
        "preface": post.preface,
        "standfirst": piece.standfirst,
        "captions": [{"text": c.text, "credit": c.credit} for c in piece.captions],
        "bio": piece.bio,
        "meta": piece.meta,
        "body": [{"role": b.role, "text": b.text, "line": b.line} for b in piece.body],
        "footnotes": [{"number": f.number, "text": f.text} for f in piece.footnotes],
        "lines": [post.blocks[0].line, post.blocks[-1].line] if post.blocks else None,
    }


def recover_text(text: str, path: str = "<text>", sha256: str = "") -> RecoveredPage:
    """Split an archive page's text into posts and label every non-empty line."""
    from byline.recover._segment import segment_page

    page = segment_page(text, path=path, sha256=sha256)
    for index, post in enumerate(page.posts):
        if post.blocks:
            post.sources.append(
                Source(
                    kind="archive-text",
                    path=path,
                    sha256=sha256,
                    line_start=post.blocks[0].line,
                    line_end=post.blocks[-1].line,
                    position=index,
                )
            )
    return page
