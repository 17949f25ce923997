"""byline's Python API: import pages into an archive, list, render and search it.

The CLI is a thin layer over this module; everything it does can be done here::

    from byline import Archive

    with Archive.open("byline.db") as archive:
        report = archive.import_paths(["pages/"])
        page = archive.archive(category="Columns")
        hits = archive.search("Karakalpakstan")

Importing reads and recovers files before it writes anything, and writes each
page in one transaction; a refused file is reported and never reaches the
store, and when no file is importable the database is not even opened.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Self

from byline._api_entities import EntityArchive
from byline._api_sources import Progress, Refused, SourcesArchive, find_files, store_files
from byline._indexing import IndexReport
from byline.errors import BylineError, NotFoundError, ParseError
from byline.publish import ArchivePage, archive_order
from byline.publish.site import BuildCache, BuildReport, build_site
from byline.recover import recover_text
from byline.settings import Settings
from byline.sources.text import read_text_file
from byline.store import (
    ArchiveBy,
    Marks,
    PageResult,
    PostSummary,
    SearchHit,
    SourcePage,
    SQLiteStore,
    Store,
    StoreCounts,
    StoredPost,
)

DB_ENV = "BYLINE_DB"
DEFAULT_DB = "byline.db"
DEFAULT_SEARCH_LIMIT = 20
MIN_UNTITLED_BODY_WORDS = 40  # running text a page with no archive heading must hold
MAX_NAMES_IN_MESSAGE = 8  # known names offered when an archive name is not found


def default_db_path(explicit: str | Path | None = None) -> Path:
    """The archive database: ``explicit``, else ``$BYLINE_DB``, else ``./byline.db``."""
    if explicit:
        return Path(explicit)
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


def sample_path() -> Path:
    """The folder of sample archive pages shipped with byline (for demos and tests)."""
    return Path(str(resources.files("byline").joinpath("data/sample")))


@dataclass(frozen=True)
class ImportReport:
    """What an import did: each stored page's result and each refused file."""

    stored: tuple[PageResult, ...]
    refused: tuple[Refused, ...]
    indexed: IndexReport | None = None  # the indexing that followed (see Archive.index)
    index_error: str | None = None  # why it could not run; the pages are stored all the same

    @property
    def new(self) -> int:
        return sum(r.new for r in self.stored)

    @property
    def merged(self) -> int:
        return sum(r.merged for r in self.stored)

    @property
    def unchanged(self) -> int:
        return sum(r.unchanged for r in self.stored)

    @property
    def ok(self) -> bool:
        """True when every file given was imported."""
        return not self.refused


def read_page(path: str | Path) -> SourcePage:
    """Read one archive page's text and recover its posts, touching no database.

    Raises ``SourceError`` for a file that is not readable text and
    ``ParseError`` for text in which no archive page can be found.
    """
    text_file = read_text_file(path)
    recovered = recover_text(text_file.text, path=text_file.path, sha256=text_file.sha256)
    posts = [post for post in recovered.posts if post.blocks]
    if not posts:
        raise ParseError(f"{text_file.path}: no posts found; is this an archive page?")
    # Without its own archive heading, a page must look like posts: headlines
    # over running text.  A list, a table or code recovers as a "post" too, and
    # storing it would invent one.
    if recovered.title is None:
        body_words = sum(
            len(block.text.split())
            for post in posts
            for block in post.blocks
            if block.role == "body"
        )
        if not any(post.headline for post in posts) or body_words < MIN_UNTITLED_BODY_WORDS:
            raise ParseError(
                f"{text_file.path}: no archive title, and no headlines over running text;"
                " is this an archive page?"
            )
    title_line = recovered.page_blocks[0].line if recovered.page_blocks else None
    return SourcePage(
        path=str(Path(text_file.path).resolve()),  # provenance that outlives the working dir
        sha256=text_file.sha256,
        kind="archive-text",
        posts=posts,
        encoding=text_file.encoding,
        title=recovered.title,
        title_line=title_line,
        archive_kind=recovered.kind,
        archive_name=recovered.name,
    )


def find_pages(paths: Iterable[str | Path]) -> tuple[list[Path], list[Refused]]:
    """The files to import: each file given, and every supported file under each folder.

    Folders are walked in sorted order so an import is repeatable; hidden files
    and folders are skipped; a file named twice is imported once (see
    ``sources.detect.find_sources`` for what a folder import picks up).
    """
    return find_files(paths)


class Archive(EntityArchive, SourcesArchive):
    """A writer's archive in a store: import pages, list posts, render archives, search."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def open(cls, db_path: str | Path | None = None) -> Archive:
        """The archive in a SQLite file (see :func:`default_db_path`).

        Nothing is opened yet: reading a missing file raises ``StoreError``,
        and the first page imported creates it.
        """
        return cls(SQLiteStore(default_db_path(db_path)))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def import_paths(
        self,
        paths: Iterable[str | Path],
        *,
        index: bool = True,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import files and folders of any kind byline reads; refuse bad files, keep going.

        Each file is read by the reader its content calls for (WordPress
        export, HTML page, feed, Markdown, archive text) and stored in one
        transaction; a WordPress export is streamed into it a post at a time.
        The store is not opened until a file has been read, so a run that
        refuses every file leaves the database untouched.  Importing a file
        again changes nothing; a piece found in several sources (the same text,
        or a near-duplicate) is one post listing them all.  ``progress`` is
        called after each file with (files done, files in all, the file).
        Then, unless ``index`` is false, the new and changed posts are indexed
        (see :meth:`index`); a failure there is reported, not raised.
        """
        files, refused = find_pages(paths)
        stored, late = store_files(self.store, files, progress)
        refused += late
        if not (index and stored):
            return ImportReport(tuple(stored), tuple(refused))
        try:
            indexed = self.index()
        except BylineError as err:
            return ImportReport(tuple(stored), tuple(refused), index_error=str(err))
        return ImportReport(tuple(stored), tuple(refused), indexed=indexed)

    def import_path(self, path: str | Path) -> ImportReport:
        """Import one file or folder (see :meth:`import_paths`)."""
        return self.import_paths([path])

    def counts(self) -> StoreCounts:
        """How many sources, posts, blocks, terms and outlets are stored."""
        return self.store.counts()

    def posts(self, include_all: bool = False, limit: int | None = None) -> list[PostSummary]:
        """Posts newest first, undated ones after; published only unless ``include_all``."""
        return self.store.post_summaries(include_all=include_all, limit=limit)

    def post(self, post_id: int) -> StoredPost:
        """One post with all its blocks and sources."""
        found = self.store.get_post(post_id)
        if found is None:
            raise NotFoundError(f"no post with id {post_id}")
        return found

    def archive(
        self,
        category: str | None = None,
        tag: str | None = None,
        outlet: str | None = None,
        include_all: bool = False,
    ) -> ArchivePage:
        """The archive of one category, tag or outlet, as the blog would show it.

        Names match whatever their case or accents; outlets also by any alias.
        Posts come newest first when all are dated, otherwise in page order.
        """
        chosen = [(by, name) for by, name in _archive_choices(category, tag, outlet) if name]
        if len(chosen) != 1:
            raise ValueError("give exactly one of category=, tag= or outlet=")
        by, name = chosen[0]
        key = self.store.resolve_archive(by, name)
        if key is None:
            raise NotFoundError(self._not_found_message(by, name))
        posts = self.store.archive_posts(key, include_all=include_all)
        return ArchivePage(key.by, key.name, archive_order(posts))

    def search(
        self,
        query: str,
        limit: int | None = DEFAULT_SEARCH_LIMIT,
        include_all: bool = False,
        marks: Marks | None = None,
    ) -> list[SearchHit]:
        """Posts matching every word of ``query``, best first (BM25), with a snippet.

        Any string is a valid query: FTS5 syntax in it is treated as plain words.
        """
        return self.store.search(
            query, include_all=include_all, limit=limit, marks=marks or Marks()
        )

    def build(
        self,
        out_dir: str | Path,
        settings: Settings | None = None,
        *,
        full: bool = False,
        cache: BuildCache | None = None,
    ) -> BuildReport:
        """Publish the archive as a static site in ``out_dir`` (see ``build_site``).

        Incremental: only pages showing something that changed are rendered
        again.  ``settings`` default to byline's own (no ``byline.toml`` read).
        ``cache``: kept between builds by a long-running caller (see ``BuildCache``).
        """
        return build_site(self.store, out_dir, settings or Settings(), full=full, cache=cache)

    def _not_found_message(self, by: ArchiveBy, name: str) -> str:
        known = self.store.names(by)
        if not known:
            return f"no {by} named {name!r}; the archive has no {by} at all"
        shown = ", ".join(known[:MAX_NAMES_IN_MESSAGE])
        more = (
            f" and {len(known) - MAX_NAMES_IN_MESSAGE} more"
            if len(known) > MAX_NAMES_IN_MESSAGE
            else ""
        )
        return f"no {by} named {name!r}; try one of: {shown}{more}"


def _archive_choices(
    category: str | None, tag: str | None, outlet: str | None
) -> list[tuple[ArchiveBy, str | None]]:
    return [("category", category), ("tag", tag), ("outlet", outlet)]


__all__ = [
    "DB_ENV",
    "DEFAULT_DB",
    "Archive",
    "ImportReport",
    "Refused",
    "default_db_path",
    "find_pages",
    "read_page",
    "sample_path",
]
