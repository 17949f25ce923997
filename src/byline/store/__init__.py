"""Where the archive lives: an abstract :class:`Store` and its SQLite backend.

All SQL stays behind :class:`Store`; recovery, publishing and the CLI use the
records defined here and never a cursor, so another backend (PostgreSQL) can be
added without touching them.
"""

from byline.store._base import (
    EXCERPT_CHARS,
    PUBLIC_STATUSES,
    ArchiveBy,
    ArchiveKey,
    ArchiveListing,
    ListedPost,
    ListingText,
    Marks,
    OldUrl,
    PageResult,
    PostSummary,
    SearchHit,
    SiteIndex,
    SourcePage,
    Store,
    StoreCounts,
    StoredPost,
    outlet_key,
    term_key,
)
from byline.store._fts import fts_query
from byline.store._sqlite import SQLiteStore

__all__ = [
    "EXCERPT_CHARS",
    "PUBLIC_STATUSES",
    "ArchiveBy",
    "ArchiveKey",
    "ArchiveListing",
    "ListedPost",
    "ListingText",
    "Marks",
    "OldUrl",
    "PageResult",
    "PostSummary",
    "SQLiteStore",
    "SearchHit",
    "SiteIndex",
    "SourcePage",
    "Store",
    "StoreCounts",
    "StoredPost",
    "fts_query",
    "outlet_key",
    "term_key",
]
