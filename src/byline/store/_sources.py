"""Sources in the SQLite store: saving pages and streams, provenance, merges, splits, export.

A mixin of :class:`~byline.store.SQLiteStore` (it uses the store's
connection and its post loader).  Saving runs :class:`~byline.store._write.PageWriter`
in one transaction with the near-duplicate finder; everything else here reads
or rewrites what migration 0003 added.
"""

from __future__ import annotations

import sqlite3
from abc import abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from byline.errors import NotFoundError, StoreError
from byline.model import Attachment, Author, Comment, Post, Term, slugify
from byline.store._base import PageResult, SourcePage, StoredPost
from byline.store._choose import apply_choice, blocks_of, choose, source_rows
from byline.store._near import NearFinder
from byline.store._source_base import (
    Gives,
    Matched,
    MergedPost,
    PageStream,
    PostSourceInfo,
    SourceStore,
)
from byline.store._sqlrows import date_of, datetime_of
from byline.store._write import PageWriter, free_slug
from byline.store._write_extras import OLD_SLUG_KEY

WRITE_CACHE_KIB = 64 * 1024  # page cache while writing: a big export's indexes stay in memory
EXPORT_CHUNK = 200  # posts loaded at a time by an export: memory stays flat
# Tables whose rows belong to one source's version of a post, moved by a split.
VERSION_TABLES = (
    "blocks", "post_terms", "post_urls", "post_keys", "post_signatures", "post_bodies",
    "post_authors", "comments", "attachments", "post_meta",
)  # fmt: skip


class SQLiteSources(SourceStore):
    """Sources, merges and export for :class:`~byline.store.SQLiteStore` (mixed in)."""

    path: Path
    _conn: sqlite3.Connection | None

    @abstractmethod
    def _connect(self, create: bool) -> sqlite3.Connection: ...

    @abstractmethod
    def _read(self) -> sqlite3.Connection: ...

    @abstractmethod
    def _load_posts(
        self, ids: Sequence[int], shown_from: dict[int, int] | None = None
    ) -> list[StoredPost]: ...

    @property
    def _near(self) -> NearFinder:
        finder = self.__dict__.get("_near_finder")
        if finder is None:
            finder = self.__dict__["_near_finder"] = NearFinder()
        return cast(NearFinder, finder)

    # -- writing ----------------------------------------------------------------

    def _write(self, name: str, work: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run ``work`` in one write transaction; roll back (and forget) on any failure."""
        conn = self._connect(create=True)
        near = self._near
        conn.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")
        try:
            conn.execute("BEGIN IMMEDIATE")
            near.begin()
            result = work(conn)
            conn.execute("COMMIT")
            near.commit()
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            near.rollback()
            raise StoreError(f"{name}: could not be stored ({exc})") from exc
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            near.rollback()
            raise
        return result

    def _save_page(self, page: SourcePage) -> PageResult:
        result: PageResult = self._write(
            page.path, lambda conn: PageWriter(conn, page, self._near).run()
        )
        return result

    def save_stream(self, stream: PageStream) -> PageResult:
        def work(conn: sqlite3.Connection) -> PageResult:
            writer = PageWriter(conn, stream.page, self._near)
            return writer.run(stream.posts(), declared=stream.declared)

        result: PageResult = self._write(stream.page.path, work)
        return result

    def split_post(self, post_id: int, source_id: int) -> int:
        new_id: int = self._write(f"post {post_id}", lambda c: _split(c, post_id, source_id))
        self._near.reset()
        return new_id

    # -- reading ----------------------------------------------------------------

    def post_sources(self, post_id: int) -> list[PostSourceInfo]:
        conn = self._read()
        if not conn.execute("SELECT 1 FROM posts WHERE id = ?", (post_id,)).fetchone():
            raise NotFoundError(f"no post with id {post_id}")
        return _source_infos(conn, post_id)

    def merged_posts(self, near_only: bool = False) -> list[MergedPost]:
        conn = self._read()
        having = "max(matched = 'near') = 1" if near_only else "count(*) > 1"
        ids = [
            row[0]
            for row in conn.execute(
                "SELECT post_id FROM post_sources GROUP BY post_id"
                f" HAVING {having} ORDER BY post_id"
            )
        ]
        titles = dict(
            conn.execute(
                f"SELECT id, title FROM posts WHERE id IN ({','.join('?' * len(ids))})", ids
            ).fetchall()
        ) if ids else {}  # fmt: skip
        return [MergedPost(i, titles.get(i, ""), tuple(_source_infos(conn, i))) for i in ids]

    def export_posts(self, include_all: bool = True) -> Iterator[Post]:
        conn = self._read()
        where = (
            "1" if include_all
            else "status = 'publish' AND protected = 0 AND post_type = 'post'"
        )  # fmt: skip
        ids = [row[0] for row in conn.execute(f"SELECT id FROM posts WHERE {where} ORDER BY id")]
        for start in range(0, len(ids), EXPORT_CHUNK):
            chunk = ids[start : start + EXPORT_CHUNK]
            stored = self._load_posts(chunk)
            _add_records(conn, stored)
            for item in stored:
                yield item.post

    def declared_terms(self) -> list[Term]:
        conn = self._read()
        terms: list[Term] = []
        for kind, name, slug, parent_name, parent_slug, description in conn.execute(
            "SELECT t.kind, t.name, t.slug, p.name, p.slug, t.description FROM terms t"
            " LEFT JOIN terms p ON p.id = t.parent_id ORDER BY t.id"
        ):
            parent = (parent_slug or slugify(parent_name)) if parent_name else None
            terms.append(Term(kind, name, slug or slugify(name), parent, description or ""))
        return terms

    def authors(self) -> list[Author]:
        conn = self._read()
        return [
            Author(login or slugify(name), name, email or "")
            for name, login, email in conn.execute(
                "SELECT name, login, email FROM authors ORDER BY id"
            )
        ]

    def site_info(self) -> tuple[str | None, str | None]:
        conn = self._read()
        row = conn.execute(
            "SELECT site_title, site_url FROM sources WHERE site_title IS NOT NULL"
            " OR site_url IS NOT NULL ORDER BY kind != 'wxr', id LIMIT 1"
        ).fetchone()
        return (row[0], row[1]) if row else (None, None)


def _source_infos(conn: sqlite3.Connection, post_id: int) -> list[PostSourceInfo]:
    rows = source_rows(conn, post_id)
    if not rows:
        return []
    choice = choose(rows)
    posts_row = conn.execute(
        "SELECT outlet_source_id, published_source_id FROM posts WHERE id = ?", (post_id,)
    ).fetchone()
    infos: list[PostSourceInfo] = []
    for (source_id, kind, path, captured_at, imported_at, url, published, published_at, matched,
         similarity, title_similarity, words) in conn.execute(
        "SELECT ps.source_id, s.kind, s.path, s.captured_at, s.imported_at,"
        " coalesce(ps.url, s.original_url), ps.published, ps.published_at, ps.matched,"
        " ps.similarity, ps.title_similarity, ps.words"
        " FROM post_sources ps JOIN sources s ON s.id = ps.source_id WHERE ps.post_id = ?"
        " ORDER BY ps.source_id",
        (post_id,),
    ):  # fmt: skip
        gives: list[Gives] = []
        if choice.piece.source_id == source_id:
            gives.append("piece")
        if choice.preface is not None and choice.preface.source_id == source_id:
            gives.append("preface")
        if choice.record.source_id == source_id:
            gives.append("record")
        if posts_row[1] == source_id:
            gives.append("date")
        if posts_row[0] == source_id:
            gives.append("outlet")
        headline = Post(blocks=blocks_of(conn, post_id, source_id)).headline
        infos.append(
            PostSourceInfo(
                source_id, kind, path, url, datetime_of(captured_at), date_of(published),
                datetime_of(published_at), imported_at, cast(Matched, matched), similarity,
                title_similarity, headline, words, tuple(gives),
            )
        )  # fmt: skip
    return infos


def _split(conn: sqlite3.Connection, post_id: int, source_id: int) -> int:
    """Move one source's version of a post into a post of its own (see ``split_post``)."""
    rows = source_rows(conn, post_id)
    if not rows:
        raise NotFoundError(f"no post with id {post_id}")
    if source_id not in {r.source_id for r in rows}:
        shown = ", ".join(str(r.source_id) for r in rows)
        raise NotFoundError(f"post {post_id} has no source {source_id}; its sources: {shown}")
    if len(rows) < 2:
        raise StoreError(f"post {post_id} has one source only; there is nothing to split")
    version = Post(blocks=blocks_of(conn, post_id, source_id))
    key = version.content_key
    first = conn.execute(
        "SELECT source_id, content_key FROM posts WHERE id = ?", (post_id,)
    ).fetchone()
    remaining = [r.source_id for r in rows if r.source_id != source_id]
    keep_key = first[1]
    if keep_key == key:
        other = conn.execute(
            "SELECT key FROM post_keys WHERE post_id = ? AND source_id != ? ORDER BY source_id",
            (post_id, source_id),
        ).fetchone()
        if other is None:
            raise StoreError(
                f"post {post_id}: source {source_id} has the same text as the others;"
                " there is nothing to split"
            )
        keep_key = other[0]
    place = conn.execute(
        "SELECT line_start, line_end, position FROM post_sources"
        " WHERE post_id = ? AND source_id = ?",
        (post_id, source_id),
    ).fetchone()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    conn.execute("UPDATE posts SET content_key = ? WHERE id = ?", (keep_key, post_id))
    if first[0] == source_id:  # the post loses the page it was first found on
        new_first = min(remaining)
        at = conn.execute(
            "SELECT line_start, line_end, position FROM post_sources"
            " WHERE post_id = ? AND source_id = ?",
            (post_id, new_first),
        ).fetchone()
        conn.execute(
            "UPDATE posts SET source_id = ?, line_start = ?, line_end = ?, position = ?"
            " WHERE id = ?",
            (new_first, *at, post_id),
        )
    cursor = conn.execute(
        "INSERT INTO posts (content_key, headline, title, slug, status, standfirst, body,"
        " source_id, line_start, line_end, position, created_at)"
        " VALUES (?, ?, ?, ?, 'publish', ?, ?, ?, ?, ?, ?, ?)",
        (key, version.headline, version.title, free_slug(conn, slugify(version.title)),
         version.standfirst, version.body_text, source_id, *place, now),
    )  # fmt: skip
    new_id = int(cursor.lastrowid or 0)
    conn.execute(
        "UPDATE post_sources SET post_id = ?, matched = 'split', similarity = NULL,"
        " title_similarity = NULL WHERE post_id = ? AND source_id = ?",
        (new_id, post_id, source_id),
    )
    for table in VERSION_TABLES:
        conn.execute(
            f"UPDATE {table} SET post_id = ? WHERE post_id = ? AND source_id = ?",
            (new_id, post_id, source_id),
        )
    apply_choice(conn, post_id)
    apply_choice(conn, new_id)
    conn.execute("UPDATE posts SET revision = revision + 1 WHERE id IN (?, ?)", (post_id, new_id))
    return new_id


def _add_records(conn: sqlite3.Connection, stored: Iterable[StoredPost]) -> None:
    """Fill in what an export carries and a listing does not: records, HTML, old addresses."""
    by_id = {item.id: item.post for item in stored}
    if not by_id:
        return
    marks = ",".join("?" * len(by_id))
    ids = list(by_id)
    for post_id, url in conn.execute(
        f"SELECT post_id, url FROM post_urls WHERE post_id IN ({marks}) ORDER BY id", ids
    ):
        by_id[post_id].old_urls.append(url)
    for post_id, key, value in conn.execute(
        f"SELECT post_id, key, value FROM post_meta WHERE post_id IN ({marks})"
        " ORDER BY post_id, source_id, seq",
        ids,
    ):
        post = by_id[post_id]
        if key == OLD_SLUG_KEY:
            if value not in post.old_slugs:
                post.old_slugs.append(value)
        elif (key, value) not in post.post_meta:
            post.post_meta.append((key, value))
    seen_comments: set[tuple[int, str]] = set()
    for row in conn.execute(
        "SELECT post_id, original_id, author, html, published_at, parent, status, kind,"
        f" author_email, author_url FROM comments WHERE post_id IN ({marks})"
        " ORDER BY post_id, source_id, seq",
        ids,
    ):
        if (row[0], row[1]) in seen_comments:
            continue  # the same comment from two copies of one export
        seen_comments.add((row[0], row[1]))
        by_id[row[0]].comments.append(
            Comment(row[1], row[2], row[3], datetime_of(row[4]), row[5], row[6], row[7],
                    row[8], row[9])
        )  # fmt: skip
    for row in conn.execute(
        "SELECT post_id, url, caption, title, alt, description, original_id, status"
        f" FROM attachments WHERE post_id IN ({marks}) ORDER BY post_id, source_id, seq",
        ids,
    ):
        attachment = Attachment(*row[1:])
        if attachment not in by_id[row[0]].attachments:
            by_id[row[0]].attachments.append(attachment)
    pieces = {
        post_id: piece
        for post_id, piece in conn.execute(
            "SELECT p.id, coalesce(c.piece_source_id, p.source_id) FROM posts p"
            f" LEFT JOIN post_choices c ON c.post_id = p.id WHERE p.id IN ({marks})",
            ids,
        )
    }
    for post_id, source_id, html in conn.execute(
        f"SELECT post_id, source_id, html FROM post_bodies WHERE post_id IN ({marks})", ids
    ):
        if pieces.get(post_id) == source_id:
            by_id[post_id].body_html = html
