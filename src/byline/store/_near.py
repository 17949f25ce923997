"""Near-duplicate lookups against the stored fingerprints (``post_signatures``).

One :class:`NearFinder` lives with a store's connection.  Its LSH index is
loaded from the table the first time an import needs it, then kept in step:
rows another process added are read on the next lookup, rows added inside a
transaction are forgotten again if it rolls back, and a split (which moves
fingerprints between posts) drops the index so it is loaded afresh.  Posts
stored before fingerprints existed (schema 2) get theirs on that first load.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date

from byline.duplicates import Match, NearIndex, Version, confirm, signature
from byline.model import Post


@dataclass(frozen=True)
class NearMatch:
    """The stored post a new version was found to duplicate, and how closely."""

    post_id: int
    match: Match


class NearFinder:
    """Finds the stored post a new version of a piece belongs to, if any."""

    def __init__(self) -> None:
        self._index: NearIndex | None = None
        self._last_rowid = 0
        self._pending: list[Hashable] = []  # added inside the current transaction
        self._rowid_before = 0
        self._synced = False  # read what other processes stored, in this transaction

    def reset(self) -> None:
        """Forget the index; the next lookup loads it from the table again."""
        self._index = None
        self._last_rowid = 0
        self._pending.clear()

    def begin(self) -> None:
        """A write transaction starts: no other process can add rows until it ends."""
        self._pending.clear()
        self._rowid_before = self._last_rowid
        self._synced = False

    def commit(self) -> None:
        self._pending.clear()

    def rollback(self) -> None:
        if self._index is not None:
            for key in self._pending:
                self._index.remove(key)
        self._pending.clear()
        self._last_rowid = self._rowid_before

    def _load(self, conn: sqlite3.Connection) -> NearIndex:
        if self._index is None:
            self._index = NearIndex()
            self._backfill(conn)
            self._synced = False
        if self._synced:
            return self._index
        self._synced = conn.in_transaction
        for rowid, post_id, source_id, blob in conn.execute(
            "SELECT rowid, post_id, source_id, minhash FROM post_signatures WHERE rowid > ?"
            " ORDER BY rowid",
            (self._last_rowid,),
        ):
            self._index.add((post_id, source_id), blob)
            self._last_rowid = max(self._last_rowid, rowid)
        return self._index

    def _backfill(self, conn: sqlite3.Connection) -> None:
        """Fingerprint posts stored before there were fingerprints (their first page's text)."""
        rows = conn.execute(
            "SELECT p.id, p.source_id, p.body FROM posts p WHERE NOT EXISTS"
            " (SELECT 1 FROM post_signatures s WHERE s.post_id = p.id)"
        ).fetchall()
        for post_id, source_id, body in rows:
            blob = signature(body)
            if blob is not None:
                conn.execute(
                    "INSERT OR IGNORE INTO post_signatures (post_id, source_id, minhash)"
                    " VALUES (?, ?, ?)",
                    (post_id, source_id, blob),
                )

    def find(
        self,
        conn: sqlite3.Connection,
        post: Post,
        body: str,
        blob: bytes | None,
        source_id: int,
    ) -> tuple[NearMatch | None, bytes | None]:
        """The stored post this one duplicates (or None), and this one's fingerprint.

        ``body`` is the post's running text and ``blob`` its fingerprint when
        already worked out (None: it is worked out here).  A post never joins
        one that the same source already shows: a page or an export lists each
        piece once, so two posts on it are two pieces.
        """
        if blob is None:
            blob = signature(body)
        if blob is None:
            return None, None
        index = self._load(conn)
        seen: set[int] = set()
        new = Version(post.headline, body, post.published)
        for key, _ in index.candidates(blob):
            post_id = int(key[0]) if isinstance(key, tuple) else -1
            if post_id in seen or post_id < 0:
                continue
            seen.add(post_id)
            row = conn.execute(
                "SELECT headline, body, published,"
                " EXISTS (SELECT 1 FROM post_sources WHERE post_id = p.id AND source_id = ?)"
                " FROM posts p WHERE p.id = ?",
                (source_id, post_id),
            ).fetchone()
            if row is None or row[3]:
                continue
            old = Version(row[0], row[1], date.fromisoformat(row[2]) if row[2] else None)
            match = confirm(new, old)
            if match is not None:
                return NearMatch(post_id, match), blob
        return None, blob

    def remember(
        self, conn: sqlite3.Connection, post_id: int, source_id: int, blob: bytes | None
    ) -> None:
        """Store a version's fingerprint and index it."""
        if blob is None:
            return
        cursor = conn.execute(
            "INSERT OR IGNORE INTO post_signatures (post_id, source_id, minhash) VALUES (?, ?, ?)",
            (post_id, source_id, blob),
        )
        if cursor.rowcount and self._index is not None:
            key = (post_id, source_id)
            self._index.add(key, blob)
            self._pending.append(key)
            if cursor.lastrowid:
                self._last_rowid = max(self._last_rowid, cursor.lastrowid)
