"""The built site's search index: written from the posts byline holds, updated in place.

:func:`write_search_index` writes a static, chunked full-text index under
``<site>/search/`` (layout in :mod:`byline.publish._search_files`, the whole
story in ``docs/search.md``).  ``static/search.js`` reads it in the browser,
fetching only the files a query needs; :func:`search_static_index` reads it
the same way from Python, for tests and for measuring what a query costs
(:func:`query_cost`, :func:`index_size`).

A full build (``changed_ids=None``) writes every file from the documents
given and deletes index files no longer needed; an incremental one reads the
index back and rewrites only what the changed or removed posts touch: the
posting files of their segment whose terms changed, their metadata and
length files, the dictionary and facet files whose entries moved, and
``meta.json``.  Either way a file whose bytes would not change is not
written, so it keeps its mtime.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from byline.publish._docs import SearchDoc
from byline.publish._search_files import INDEX_DIR, META, IndexFiles
from byline.publish._search_full import full_build
from byline.publish._search_query import (
    IndexReader,
    QueryCost,
    StaticHit,
    StaticResults,
    search_static_index,
)
from byline.publish._search_update import update_index

__all__ = [
    "IndexSize",
    "QueryCost",
    "SearchDoc",
    "SearchIndexReport",
    "StaticHit",
    "StaticResults",
    "index_size",
    "query_cost",
    "search_static_index",
    "write_search_index",
]


@dataclass(frozen=True)
class SearchIndexReport:
    """What one :func:`write_search_index` call did."""

    full: bool  # a full build (every post given) rather than an update
    docs: int  # posts in the index afterwards
    indexed: int  # posts tokenized this time (new or changed)
    removed: int  # posts taken out of the index this time
    files_written: int  # files whose bytes changed (created or rewritten)
    files_unchanged: int  # files produced again with the same bytes, so left alone
    files_deleted: int
    bytes_written: int
    seconds: float


@dataclass(frozen=True)
class IndexSize:
    """How big an index is on disk."""

    files: int
    bytes: int
    docs: int

    @property
    def bytes_per_doc(self) -> float:
        return self.bytes / self.docs if self.docs else 0.0


def write_search_index(
    docs: Iterable[SearchDoc],
    out_dir: Path,
    changed_ids: set[int] | frozenset[int] | None,
    removed_ids: set[int] | frozenset[int] = frozenset(),
    *,
    workers: int | None = None,
) -> SearchIndexReport:
    """Write or update the search index of the site in ``out_dir``.

    ``changed_ids=None`` is a full build: ``docs`` are every post the site
    shows, and index files nothing needs any more are deleted.  Otherwise
    ``docs`` are the new and changed posts only, an id in ``changed_ids``
    with no doc is taken out (as is every id in ``removed_ids``), and the
    index already in ``out_dir`` is updated in place; when there is none (or
    another byline version wrote it), :class:`~byline.errors.PublishError`
    says to run a full build.

    A full build uses up to ``workers`` processes (default: one per core, at
    most four; one when this process runs threads); the files are the same.
    """
    started = time.perf_counter()
    files = IndexFiles(Path(out_dir) / INDEX_DIR)
    if changed_ids is None:
        meta, indexed = full_build(files, docs, workers)
        removed = 0
    else:
        meta, indexed, removed = update_index(files, docs, set(changed_ids), set(removed_ids))
    files.write(META, meta.to_json())
    if changed_ids is None:
        files.delete_unkept()
    stats = files.stats
    return SearchIndexReport(
        full=changed_ids is None,
        docs=meta.docs,
        indexed=indexed,
        removed=removed,
        files_written=stats.written,
        files_unchanged=stats.unchanged,
        files_deleted=stats.deleted,
        bytes_written=stats.bytes_written,
        seconds=round(time.perf_counter() - started, 4),
    )


def index_size(out_dir: Path) -> IndexSize:
    """The files and bytes of the search index in the site ``out_dir``, and its post count."""
    files = IndexFiles(Path(out_dir) / INDEX_DIR)
    paths = list(files.owned_files())
    meta = files.read(META) or {}
    return IndexSize(len(paths), sum(p.stat().st_size for p in paths), int(meta.get("docs", 0)))


def query_cost(out_dir: Path, query: str, filters: dict[str, str] | None = None) -> QueryCost:
    """What the browser fetches to show the first page of results for ``query``, cold."""
    reader = IndexReader(Path(out_dir) / INDEX_DIR)
    results = search_static_index(reader, query, filters or {})
    return QueryCost(
        query=query,
        files=len(reader.fetched),
        bytes=sum(reader.fetched.values()),
        total=results.total,
    )
