"""Where the archive lives: an abstract :class:`Store` and its SQLite backend.

All SQL stays behind :class:`Store`; recovery, publishing and the CLI use the
records defined here and never a cursor, so another backend (PostgreSQL) can be
added without touching them.
"""

from byline.store._base import (
    PUBLIC_STATUSES,
    ArchiveBy,
    ArchiveKey,
    Marks,
    PageResult,
    PostSummary,
    SearchHit,
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
    "PUBLIC_STATUSES",
    "ArchiveBy",
    "ArchiveKey",
    "Marks",
    "PageResult",
    "PostSummary",
    "SQLiteStore",
    "SearchHit",
    "SourcePage",
    "Store",
    "StoreCounts",
    "StoredPost",
    "fts_query",
    "outlet_key",
    "term_key",
]
