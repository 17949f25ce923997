"""The SQLite store: one file, WAL mode, FTS5 search, every page in one transaction.

The file is opened lazily.  Reading a file that does not exist is an error
(``byline posts`` before any import says so rather than making an empty
database); the first write creates and migrates it.  So a command that ends up
writing nothing never creates, migrates or touches the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, cast, get_args

from byline.errors import StoreError
from byline.model import ROLES, Block, Outlet, Post, Role, Source, Status
from byline.store._base import (
    DEFAULT_MARKS,
    EXCERPT_CHARS,
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
    SiteStamp,
    SourcePage,
    Store,
    StoreCounts,
    StoredPost,
    TermKind,
    public_condition,
    term_key,
)
from byline.store._entities import SQLiteEntities
from byline.store._errors import translated
from byline.store._fts import fts_query
from byline.store._migrate import check_ours, migrate
from byline.store._shown import Choice, choices_of, compose, extra_fields
from byline.store._sources import SQLiteSources
from byline.store._sqlrows import datetime_of
from byline.store._write import find_outlet

BUSY_TIMEOUT_SECONDS = 10.0  # another import holding the write lock is waited for, not failed
ID_CHUNK = 500  # ids per "IN (...)" list; well under SQLite's bound-variable limit
SNIPPET_TOKENS = 16  # words of context a search snippet shows
# BM25 column weights: a word in the headline says more than one in the body.
HEADLINE_WEIGHT = 10.0
STANDFIRST_WEIGHT = 4.0
BODY_WEIGHT = 1.0
STATUSES: frozenset[str] = frozenset(get_args(Status))
ARCHIVE_KINDS: frozenset[str] = frozenset(get_args(ArchiveBy))
# What a site index reads besides the posts' own rows, each summed up in one
# row: a change to any of it (a term renamed, a post filed or moved, an old
# URL, an entity indexed) changes its row.  See ``site_stamp``.
_STAMP_QUERIES = (
    "SELECT group_concat(id || '|' || kind || '|' || name, char(31)) FROM terms",
    "SELECT group_concat(id || '|' || name, char(31)) FROM outlets",
    "SELECT count(*), max(rowid), total(post_id * 1000003 + term_id * 1009 + source_id),"
    " total((post_id + 1) * (term_id + 3) * (source_id + 7)) FROM post_terms",
    "SELECT count(*), max(rowid), total(post_id * 1000003 + source_id * 1009 + position),"
    " total((post_id + 1) * (source_id + 3) * (position + 7)) FROM post_sources",
    "SELECT group_concat(id || '|' || post_id || '|' || url, char(31)) FROM post_urls",
    "SELECT group_concat(seq || '|' || id || '|' || digest, char(31)) FROM knowledge_entries",
    "SELECT group_concat(post_id || '|' || fingerprint, char(31)) FROM post_enrichment",
    "SELECT group_concat(post_id || '|' || entity_id || '|' || rank || '|' || count, char(31))"
    " FROM post_entities",
    "SELECT group_concat(post_id || '|' || quote(earliest) || quote(latest) || conflict"
    " || quote(evidence), char(31)) FROM publication_estimates",
)


class SQLiteStore(SQLiteEntities, SQLiteSources, Store):
    """A byline archive in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None

    # -- connection -----------------------------------------------------------

    def _connect(self, create: bool) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        if not create and not self.path.exists():
            raise StoreError(
                f"no archive at {self.path}; import some pages first (byline import PATH)"
            )
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open database ({exc})") from exc
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            check_ours(conn, str(self.path))  # before WAL mode rewrites a stranger's header
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a crash loses no commit
            migrate(conn, str(self.path))
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(f"{self.path}: not a byline archive database ({exc})") from exc
        except StoreError:
            conn.close()
            raise
        self._conn = conn
        return conn

    def _read(self) -> sqlite3.Connection:
        return self._connect(create=False)

    def __getstate__(self) -> dict[str, Any]:
        # A connection cannot cross into another process; the copy reopens lazily.
        return {"path": self.path, "_conn": None}

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # -- writing ----------------------------------------------------------------

    def save_page(self, page: SourcePage) -> PageResult:
        return self._save_page(page)  # one transaction, near-duplicates found: see _sources

    # -- reading ----------------------------------------------------------------

    @translated
    def counts(self) -> StoreCounts:
        conn = self._read()

        def count(sql: str) -> int:
            value: int = conn.execute(sql).fetchone()[0]
            return value

        return StoreCounts(
            sources=count("SELECT count(*) FROM sources"),
            posts=count("SELECT count(*) FROM posts"),
            blocks=count("SELECT count(*) FROM blocks"),
            categories=count("SELECT count(*) FROM terms WHERE kind = 'category'"),
            tags=count("SELECT count(*) FROM terms WHERE kind = 'tag'"),
            outlets=count("SELECT count(*) FROM outlets"),
            post_sources=count("SELECT count(*) FROM post_sources"),
            post_terms=count("SELECT count(*) FROM post_terms"),
        )

    @translated
    def post_summaries(
        self, include_all: bool = False, limit: int | None = None, offset: int = 0
    ) -> list[PostSummary]:
        conn = self._read()
        where, params = _status_filter(include_all)
        rows = conn.execute(
            "SELECT p.id, p.title, p.headline, p.slug, o.name, p.published, p.status"
            " FROM posts p LEFT JOIN outlets o ON o.id = p.outlet_id"
            f" WHERE {where}"
            " ORDER BY p.published IS NULL, p.published DESC, p.source_id, p.position, p.id"
            " LIMIT ? OFFSET ?",
            [*params, -1 if limit is None else limit, offset],
        ).fetchall()
        terms = self._terms([row[0] for row in rows])
        return [
            PostSummary(
                id=row[0],
                title=row[1],
                headline=row[2],
                slug=row[3],
                outlet=row[4],
                published=_date(row[5]),
                status=_status(row[6]),
                categories=tuple(terms.get((row[0], "category"), [])),
                tags=tuple(terms.get((row[0], "tag"), [])),
            )
            for row in rows
        ]

    @translated
    def resolve_archive(self, by: ArchiveBy, name: str) -> ArchiveKey | None:
        conn = self._read()
        if by == "outlet":
            found = find_outlet(conn, name)
            return ArchiveKey("outlet", found[0], found[1]) if found else None
        row = conn.execute(
            "SELECT id, name FROM terms WHERE kind = ? AND key = ?", (by, term_key(name))
        ).fetchone()
        return ArchiveKey(by, row[0], row[1]) if row else None

    @translated
    def names(self, by: ArchiveBy) -> list[str]:
        conn = self._read()
        if by == "outlet":
            rows = conn.execute("SELECT name FROM outlets ORDER BY key").fetchall()
        else:
            rows = conn.execute(
                "SELECT name FROM terms WHERE kind = ? ORDER BY key", (by,)
            ).fetchall()
        return [row[0] for row in rows]

    @translated
    def archive_posts(self, key: ArchiveKey, include_all: bool = False) -> list[StoredPost]:
        conn = self._read()
        where, params = _status_filter(include_all)
        if key.by == "outlet":
            sql = (
                f"SELECT p.id, p.source_id FROM posts p WHERE p.outlet_id = ? AND {where}"
                " ORDER BY p.source_id, p.position, p.id"
            )
        else:
            # The page that filed the post under this term sets its place in the
            # archive, and its version of the post is the one shown.
            sql = (
                "SELECT p.id, pt.source_id FROM post_terms pt JOIN posts p ON p.id = pt.post_id"
                " LEFT JOIN post_sources ps"
                "   ON ps.post_id = p.id AND ps.source_id = pt.source_id"
                f" WHERE pt.term_id = ? AND {where}"
                " ORDER BY pt.source_id, ps.position, p.source_id, p.position, p.id"
            )
        rows = conn.execute(sql, [key.id, *params]).fetchall()
        return self._load_posts([row[0] for row in rows], {row[0]: row[1] for row in rows})

    @translated
    def get_post(self, post_id: int) -> StoredPost | None:
        found = self._load_posts([post_id])
        return found[0] if found else None

    @translated
    def get_posts(self, post_ids: Sequence[int]) -> list[StoredPost]:
        return self._load_posts(list(dict.fromkeys(post_ids)))

    @translated
    def shown_blocks(self, post_ids: Sequence[int]) -> dict[int, list[Block]]:
        conn = self._read()
        found: dict[int, list[Block]] = {}
        for chunk in _chunks(post_ids):
            marks = ",".join("?" * len(chunk))
            # The page a post was first found on is the oldest source that has it,
            # so its blocks come first; posts.source_id is not read because it
            # sits after the body in the row.  A merged post is composed from
            # the sources chosen for it (see _shown).
            choices = choices_of(conn, chunk)
            versions: dict[int, dict[int, list[Block]]] = {}
            first_source: dict[int, int] = {}
            for post_id, source_id, role, text, line in conn.execute(
                "SELECT post_id, source_id, role, text, line FROM blocks"
                f" WHERE post_id IN ({marks}) ORDER BY post_id, source_id, seq",
                chunk,
            ):
                first = first_source.setdefault(post_id, source_id)
                if first == source_id or post_id in choices:
                    versions.setdefault(post_id, {}).setdefault(source_id, []).append(
                        Block(_role(role), text, line)
                    )
            for post_id, by_source in versions.items():
                found[post_id] = compose(by_source, first_source[post_id], choices.get(post_id))
        return found

    @translated
    def site_index(self, include_all: bool = False) -> SiteIndex:
        # A few plain scans: the posts are read from the posts_site index alone,
        # never from their rows (whose bodies would have to be read past), so
        # this costs tens of milliseconds at ten thousand posts.
        conn = self._read()
        where, params = _status_filter(include_all, column="status")
        rows = conn.execute(
            "SELECT id, status, published, source_id, position, revision, outlet_id,"
            f" created_at, slug, title FROM posts INDEXED BY posts_site WHERE {where}"
            " ORDER BY published IS NULL, published DESC, source_id, position, id",
            params,
        ).fetchall()
        place = {row[0]: (row[3], row[4], row[0]) for row in rows}  # where first found
        kinds = {
            term_id: (kind, name)
            for term_id, kind, name in conn.execute("SELECT id, kind, name FROM terms")
        }
        category_ids = {term_id for term_id, (kind, _) in kinds.items() if kind == "category"}
        # (page that filed it, its position there, where first found, post) per term
        filed: dict[int, list[tuple[int, int, tuple[int, int, int], int]]] = {}
        categories: dict[int, list[int]] = {}
        tags: dict[int, list[int]] = {}
        # Joined here: SQLite's join costs more than two scans and a dict.
        positions = {
            (post_id, source_id): position
            for post_id, source_id, position in conn.execute(
                "SELECT post_id, source_id, position FROM post_sources"
            )
        }
        for post_id, term_id, source_id in conn.execute(
            "SELECT post_id, term_id, source_id FROM post_terms ORDER BY rowid"
        ):  # in the order the pages named them
            first = place.get(post_id)
            if first is None:
                continue
            position = positions.get((post_id, source_id), -1)
            filed.setdefault(term_id, []).append((source_id, position, first, post_id))
            (categories if term_id in category_ids else tags).setdefault(post_id, []).append(
                term_id
            )
        fromiso = date.fromisoformat
        posts = tuple(
            ListedPost(
                row[0],
                row[8],
                row[9],
                row[6],
                fromiso(row[2]) if row[2] else None,
                _status(row[1]),
                row[5],
                row[7],
                tuple(categories.get(row[0], ())),
                tuple(tags.get(row[0], ())),
            )
            for row in rows
        )
        # As archive_posts orders them: the page that filed a post under a term
        # places it there, then the page the post was first found on.
        archives = [
            ArchiveListing(
                ArchiveKey(_by(kinds[term_id][0]), term_id, kinds[term_id][1]),
                tuple(member[3] for member in sorted(members)),
            )
            for term_id, members in filed.items()
        ]
        archives.sort(key=lambda a: (a.key.by, a.key.id))
        outlets = dict(conn.execute("SELECT id, name FROM outlets").fetchall())
        by_outlet: dict[int, list[tuple[int, int, int]]] = {}
        for row in rows:
            if row[6] is not None:
                by_outlet.setdefault(row[6], []).append(place[row[0]])
        archives += [
            ArchiveListing(
                ArchiveKey("outlet", outlet_id, outlets[outlet_id]),
                tuple(member[2] for member in sorted(members)),
            )
            for outlet_id, members in sorted(by_outlet.items())
        ]
        old_urls = tuple(
            OldUrl(post_id, url)
            for post_id, url in conn.execute("SELECT post_id, url FROM post_urls ORDER BY id")
        )
        terms = {term_id: (_term_kind(kind), name) for term_id, (kind, name) in kinds.items()}
        return SiteIndex(posts, tuple(archives), old_urls, outlets, terms)

    @translated
    def site_stamp(self) -> SiteStamp:
        # Cheap (milliseconds at ten thousand posts): every post's revision from
        # the posts_site index, and an aggregate per table a site index reads.
        conn = self._read()
        posts = {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT id, revision, status, published, source_id, position, outlet_id,"
                " created_at, slug, title FROM posts INDEXED BY posts_site"
            )
        }
        tables = tuple(tuple(conn.execute(query).fetchone()) for query in _STAMP_QUERIES)
        return SiteStamp(posts, tables)

    @translated
    def listing_texts(self, post_ids: Sequence[int]) -> dict[int, ListingText]:
        conn = self._read()
        found: dict[int, ListingText] = {}
        for chunk in _chunks(post_ids):
            marks = ",".join("?" * len(chunk))
            for post_id, standfirst, excerpt in conn.execute(
                "SELECT id, standfirst, CASE WHEN standfirst IS NULL THEN substr(body, 1, ?) END"
                f" FROM posts WHERE id IN ({marks})",
                [EXCERPT_CHARS, *chunk],
            ):
                found[post_id] = ListingText(standfirst, excerpt or "")
        return found

    @translated
    def running_texts(self, post_ids: Sequence[int]) -> dict[int, str]:
        conn = self._read()
        found: dict[int, str] = {}
        for chunk in _chunks(post_ids):
            marks = ",".join("?" * len(chunk))
            for post_id, standfirst, body in conn.execute(
                f"SELECT id, standfirst, body FROM posts WHERE id IN ({marks})", chunk
            ):
                found[post_id] = f"{standfirst}\n\n{body}" if standfirst else body
        return found

    @translated
    def search(
        self,
        query: str,
        include_all: bool = False,
        limit: int | None = None,
        marks: Marks = DEFAULT_MARKS,
    ) -> list[SearchHit]:
        match = fts_query(query)
        if match is None:
            return []
        conn = self._read()
        where, params = _status_filter(include_all)
        try:
            rows = conn.execute(
                "SELECT p.id, p.title, p.headline, o.name, p.published, p.status,"
                " snippet(posts_fts, -1, ?, ?, ?, ?),"
                " bm25(posts_fts, ?, ?, ?) AS rank"
                " FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid"
                " LEFT JOIN outlets o ON o.id = p.outlet_id"
                f" WHERE posts_fts MATCH ? AND {where}"
                " ORDER BY rank, p.id LIMIT ?",
                [
                    marks.open,
                    marks.close,
                    marks.ellipsis,
                    SNIPPET_TOKENS,
                    HEADLINE_WEIGHT,
                    STANDFIRST_WEIGHT,
                    BODY_WEIGHT,
                    match,
                    *params,
                    -1 if limit is None else limit,
                ],
            ).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(f"search for {query!r} failed: {exc}") from exc
        return [
            SearchHit(
                id=row[0],
                title=row[1],
                headline=row[2],
                outlet=row[3],
                published=_date(row[4]),
                status=_status(row[5]),
                snippet=row[6] or "",
                score=round(-row[7], 6),  # bm25() is lower-is-better; report higher-is-better
            )
            for row in rows
        ]

    # -- loading whole posts ----------------------------------------------------

    def _load_posts(
        self, ids: Sequence[int], shown_from: dict[int, int] | None = None
    ) -> list[StoredPost]:
        """Whole posts, each with the blocks of one page it was found on.

        That page is ``shown_from[post_id]`` (a source id) when it has the post,
        else the page the post was first found on.
        """
        conn = self._read()
        wanted = shown_from or {}
        rows: dict[int, Any] = {}
        blocks: dict[tuple[int, int], list[Block]] = {}
        sources: dict[int, list[Source]] = {}
        by_id: dict[tuple[int, int], Source] = {}
        choices: dict[int, Choice] = {}
        extras: dict[int, dict[str, Any]] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            choices.update(choices_of(conn, chunk))
            extras.update(extra_fields(conn, chunk))
            for row in conn.execute(
                "SELECT p.id, p.slug, p.outlet_id, o.name, p.published, p.status, p.source_id"
                f" FROM posts p LEFT JOIN outlets o ON o.id = p.outlet_id WHERE p.id IN ({marks})",
                chunk,
            ):
                rows[row[0]] = row
            for post_id, source_id, role, text, line in conn.execute(
                "SELECT post_id, source_id, role, text, line FROM blocks"
                f" WHERE post_id IN ({marks}) ORDER BY post_id, source_id, seq",
                chunk,
            ):
                blocks.setdefault((post_id, source_id), []).append(Block(_role(role), text, line))
            for post_id, source_id, kind, path, sha, start, end, position in conn.execute(
                "SELECT ps.post_id, ps.source_id, s.kind, s.path, s.sha256, ps.line_start,"
                " ps.line_end, ps.position FROM post_sources ps"
                " JOIN sources s ON s.id = ps.source_id"
                f" WHERE ps.post_id IN ({marks}) ORDER BY ps.post_id, ps.source_id",
                chunk,
            ):
                source = Source(kind, path, sha, start, end, position)
                sources.setdefault(post_id, []).append(source)
                by_id[post_id, source_id] = source
        terms = self._terms(ids)
        aliases = self._aliases({row[2] for row in rows.values() if row[2] is not None})
        loaded: list[StoredPost] = []
        for post_id in ids:
            row = rows.get(post_id)
            if row is None:
                continue
            outlet = Outlet(row[3], tuple(aliases.get(row[2], []))) if row[3] else None
            shown = wanted.get(post_id, row[6])
            if (post_id, shown) not in blocks:
                shown = row[6]
            if post_id in wanted or post_id not in choices:
                shown_blocks = blocks.get((post_id, shown), [])
            else:  # a merged post, composed from the sources chosen for it
                versions = {s: b for (p, s), b in blocks.items() if p == post_id}
                shown_blocks = compose(versions, row[6], choices[post_id])
                shown = choices[post_id][0]
            extra = extras.get(post_id, {})
            post = Post(
                blocks=shown_blocks,
                categories=terms.get((post_id, "category"), []),
                tags=terms.get((post_id, "tag"), []),
                outlet=outlet,
                published=_date(row[4]),
                status=_status(row[5]),
                slug=row[1],
                sources=sources.get(post_id, []),
                post_type=extra.get("post_type", "post"),
                authors=extra.get("authors", []),
                published_at=datetime_of(extra.get("published_at")),
                excerpt=extra.get("excerpt"),
                sticky=extra.get("sticky", False),
                protected=extra.get("protected", False),
                url=extra.get("url"),
                guid=extra.get("guid"),
                original_id=extra.get("original_id"),
            )
            loaded.append(StoredPost(post_id, post, by_id.get((post_id, shown))))
        return loaded

    def _terms(self, ids: Sequence[int]) -> dict[tuple[int, str], list[str]]:
        conn = self._read()
        found: dict[tuple[int, str], list[str]] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for post_id, kind, name in conn.execute(
                "SELECT pt.post_id, t.kind, t.name FROM post_terms pt"
                f" JOIN terms t ON t.id = pt.term_id WHERE pt.post_id IN ({marks})"
                " ORDER BY pt.post_id, pt.rowid",
                chunk,
            ):
                found.setdefault((post_id, kind), []).append(name)
        return found

    def _aliases(self, outlet_ids: Iterable[int]) -> dict[int, list[str]]:
        conn = self._read()
        found: dict[int, list[str]] = {}
        for chunk in _chunks(sorted(outlet_ids)):
            marks = ",".join("?" * len(chunk))
            for outlet_id, alias in conn.execute(
                f"SELECT outlet_id, alias FROM outlet_aliases WHERE outlet_id IN ({marks})"
                " ORDER BY outlet_id, rowid",
                chunk,
            ):
                found.setdefault(outlet_id, []).append(alias)
        return found


def _status_filter(include_all: bool, column: str = "p.status") -> tuple[str, list[str]]:
    if include_all:
        return f"{column} IS NOT NULL", []  # true for every row, and lets an index be used
    return public_condition(column.removesuffix("status")), []


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    items = list(ids)
    for start in range(0, len(items), ID_CHUNK):
        yield items[start : start + ID_CHUNK]


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _status(value: str) -> Status:
    if value not in STATUSES:
        raise StoreError(f"unknown post status {value!r} in the database")
    return cast(Status, value)


def _term_kind(value: str) -> TermKind:
    if value not in ("category", "tag"):
        raise StoreError(f"unknown term kind {value!r} in the database")
    return cast(TermKind, value)


def _by(value: str) -> ArchiveBy:
    if value not in ARCHIVE_KINDS:
        raise StoreError(f"unknown archive kind {value!r} in the database")
    return cast(ArchiveBy, value)


def _role(value: str) -> Role:
    if value not in ROLES:
        raise StoreError(f"unknown block role {value!r} in the database")
    return value
