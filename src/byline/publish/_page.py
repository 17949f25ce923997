"""An archive page as the blog showed it: its title line and its posts, in order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from byline.store import ArchiveBy, StoredPost

# The blog's own wording (WordPress's default themes); curly quotes as it printed them.
TITLE_FORMATS: dict[ArchiveBy, str] = {
    "category": "Archive for the ‘{name}’ Category",
    "tag": "Posts Tagged ‘{name}’",
    "outlet": "Pieces Published in ‘{name}’",
}


@dataclass(frozen=True)
class ArchivePage:
    """A category, tag or outlet archive, ready to render."""

    by: ArchiveBy
    name: str
    posts: list[StoredPost]

    @property
    def title(self) -> str:
        return archive_title(self.by, self.name)


def archive_title(by: ArchiveBy, name: str) -> str:
    """The page's heading line, e.g. "Archive for the ‘Columns’ Category"."""
    return TITLE_FORMATS[by].format(name=name)


def archive_order(posts: list[StoredPost]) -> list[StoredPost]:
    """Newest first when every post has a date; otherwise the order they were given.

    A blog lists its archive newest first, so dates decide when there are dates
    for all.  One undated post would have no place in that order, and the page
    order the posts came in is the blog's own, so it is kept instead.
    """
    if any(p.post.published is None for p in posts):
        return list(posts)
    # sorted() stays stable with reverse=True: posts of one day keep their page order.
    return sorted(posts, key=lambda p: p.post.published or date.min, reverse=True)
