"""What the site search indexes: one plain record per published post."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SearchDoc:
    """One post as the search index sees it: where it lives, its facets, its text."""

    id: int
    url: str
    title: str
    outlet: str | None
    topics: tuple[str, ...]
    year: int | None
    date: str | None
    text: str
