"""Writing one page into the SQLite store, inside the caller's transaction.

A post already stored (same ``content_key``) is merged, not copied: this page
adds itself as a source, adds its categories and tags, and fills an outlet or
a date the post lacked, each link naming this page as where it came from.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from byline.errors import StoreError
from byline.model import Outlet, Post, Source, slugify
from byline.store._base import PageResult, SourcePage, TermKind, outlet_key, term_key

MAX_SLUG_SUFFIX = 10_000  # slug-2, slug-3 ...; past this something is badly wrong


def find_outlet(conn: sqlite3.Connection, name: str) -> tuple[int, str] | None:
    """The stored outlet (id, canonical name) a name or alias stands for."""
    key = outlet_key(name)
    row = conn.execute(
        "SELECT id, name FROM outlets WHERE key = ?"
        " UNION ALL SELECT o.id, o.name FROM outlet_aliases a"
        " JOIN outlets o ON o.id = a.outlet_id WHERE a.key = ? LIMIT 1",
        (key, key),
    ).fetchone()
    return (row[0], row[1]) if row else None


class PageWriter:
    """Writes one page inside the caller's transaction and counts what changed."""

    def __init__(self, conn: sqlite3.Connection, page: SourcePage) -> None:
        self.conn = conn
        self.page = page
        self.now = datetime.now(UTC).isoformat(timespec="seconds")
        self.new = self.merged = self.unchanged = 0

    def run(self) -> PageResult:
        source_id, new_source = self._source()
        for position, post in enumerate(self.page.posts):
            if not post.blocks:
                continue  # nothing to show and nothing to say where it came from
            at = _source_on_page(post, self.page, position)
            row = self.conn.execute(
                "SELECT id FROM posts WHERE content_key = ?", (post.content_key,)
            ).fetchone()
            if row is None:
                self._insert_post(post, source_id, at)
                self.new += 1
            elif self._merge_post(row[0], post, source_id, at):
                self.merged += 1
            else:
                self.unchanged += 1
        return PageResult(
            self.page.path, self.page.sha256, new_source, self.new, self.merged, self.unchanged
        )

    def _source(self) -> tuple[int, bool]:
        page = self.page
        row = self.conn.execute(
            "SELECT id FROM sources WHERE sha256 = ?", (page.sha256,)
        ).fetchone()
        if row:
            return row[0], False
        cursor = self.conn.execute(
            "INSERT INTO sources (sha256, path, kind, encoding, title, title_line,"
            " archive_kind, archive_name, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                page.sha256,
                page.path,
                page.kind,
                page.encoding,
                page.title,
                page.title_line,
                page.archive_kind,
                page.archive_name,
                self.now,
            ),
        )
        return rowid(cursor), True

    def _insert_post(self, post: Post, source_id: int, at: Source) -> None:
        outlet_id = self._outlet(post.outlet) if post.outlet else None
        cursor = self.conn.execute(
            "INSERT INTO posts (content_key, headline, title, slug, outlet_id, outlet_source_id,"
            " published, published_source_id, status, standfirst, body, source_id,"
            " line_start, line_end, position, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                post.content_key,
                post.headline,
                post.title,
                self._free_slug(post.slug or slugify(post.title)),
                outlet_id,
                source_id if outlet_id else None,
                post.published.isoformat() if post.published else None,
                source_id if post.published else None,
                post.status,
                post.standfirst,
                post.body_text,
                source_id,
                at.line_start,
                at.line_end,
                at.position,
                self.now,
            ),
        )
        post_id = rowid(cursor)
        self._link_source(post_id, post, source_id, at)
        self._link_terms(post_id, post, source_id)
        self._link_old_urls(post_id, post, source_id)

    def _merge_post(self, post_id: int, post: Post, source_id: int, at: Source) -> bool:
        """Add what this page knows about a stored post; True if anything was added.

        A new page adds itself (with its own version of the post's blocks), its
        terms, and an outlet or date the post lacked.  What is stored is never
        rewritten, so importing a page again is a no-op.
        """
        changed = self._link_source(post_id, post, source_id, at)
        changed |= self._link_terms(post_id, post, source_id)
        changed |= self._link_old_urls(post_id, post, source_id)
        if post.outlet:
            cursor = self.conn.execute(
                "UPDATE posts SET outlet_id = ?, outlet_source_id = ?"
                " WHERE id = ? AND outlet_id IS NULL",
                (self._outlet(post.outlet), source_id, post_id),
            )
            changed |= cursor.rowcount > 0
        if post.published:
            cursor = self.conn.execute(
                "UPDATE posts SET published = ?, published_source_id = ?"
                " WHERE id = ? AND published IS NULL",
                (post.published.isoformat(), source_id, post_id),
            )
            changed |= cursor.rowcount > 0
        return changed

    def _link_source(self, post_id: int, post: Post, source_id: int, at: Source) -> bool:
        """Record that this page shows the post, with its blocks; False if already known."""
        cursor = self.conn.execute(
            "INSERT OR IGNORE INTO post_sources (post_id, source_id, line_start, line_end,"
            " position) VALUES (?, ?, ?, ?, ?)",
            (post_id, source_id, at.line_start, at.line_end, at.position),
        )
        if cursor.rowcount == 0:
            return False  # this page was stored before, blocks and all
        self.conn.executemany(
            "INSERT INTO blocks (post_id, source_id, seq, role, text, line)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (post_id, source_id, seq, block.role, block.text, block.line)
                for seq, block in enumerate(post.blocks)
            ],
        )
        return True

    def _link_terms(self, post_id: int, post: Post, source_id: int) -> bool:
        wanted: list[tuple[TermKind, str]] = [("category", n) for n in post.categories]
        wanted += [("tag", n) for n in post.tags]
        changed = False
        for kind, name in wanted:
            if not name.strip():
                continue
            cursor = self.conn.execute(
                "INSERT OR IGNORE INTO post_terms (post_id, term_id, source_id) VALUES (?, ?, ?)",
                (post_id, self._term(kind, name), source_id),
            )
            changed |= cursor.rowcount > 0
        return changed

    def _link_old_urls(self, post_id: int, post: Post, source_id: int) -> bool:
        """Keep the addresses the post had before; an address already claimed stays put."""
        changed = False
        for url in post.old_urls:
            if not url.strip():
                continue
            cursor = self.conn.execute(
                "INSERT OR IGNORE INTO post_urls (post_id, url, source_id) VALUES (?, ?, ?)",
                (post_id, url.strip(), source_id),
            )
            changed |= cursor.rowcount > 0
        return changed

    def _term(self, kind: TermKind, name: str) -> int:
        key = term_key(name)
        row = self.conn.execute(
            "SELECT id FROM terms WHERE kind = ? AND key = ?", (kind, key)
        ).fetchone()
        if row:
            return int(row[0])
        cursor = self.conn.execute(
            "INSERT INTO terms (kind, name, key) VALUES (?, ?, ?)", (kind, name.strip(), key)
        )
        return rowid(cursor)

    def _outlet(self, outlet: Outlet) -> int:
        """The stored outlet for this one, found by name or any alias, else a new row."""
        spellings = [outlet.name, *outlet.aliases]
        keys = [outlet_key(s) for s in spellings]
        outlet_id: int | None = None
        for spelling in spellings:
            found = find_outlet(self.conn, spelling)
            if found:
                outlet_id = found[0]
                break
        if outlet_id is None:
            cursor = self.conn.execute(
                "INSERT INTO outlets (name, key) VALUES (?, ?)", (outlet.name, keys[0])
            )
            outlet_id = rowid(cursor)
        own_key = self.conn.execute(
            "SELECT key FROM outlets WHERE id = ?", (outlet_id,)
        ).fetchone()[0]
        for spelling, key in zip(spellings, keys, strict=True):
            if key != own_key:
                self.conn.execute(
                    "INSERT OR IGNORE INTO outlet_aliases (outlet_id, alias, key) VALUES (?, ?, ?)",
                    (outlet_id, spelling, key),
                )
        return outlet_id

    def _free_slug(self, slug: str) -> str:
        candidate = slug
        for suffix in range(2, MAX_SLUG_SUFFIX):
            taken = self.conn.execute("SELECT 1 FROM posts WHERE slug = ?", (candidate,)).fetchone()
            if not taken:
                return candidate
            candidate = f"{slug}-{suffix}"
        raise StoreError(f"no free slug for {slug!r}")


def _source_on_page(post: Post, page: SourcePage, position: int) -> Source:
    """Where this post sits on this page: recovery's record of it, else its blocks."""
    for source in post.sources:
        if source.sha256 == page.sha256:
            return source
    lines = [b.line for b in post.blocks]
    return Source(page.kind, page.path, page.sha256, min(lines), max(lines), position)


def rowid(cursor: sqlite3.Cursor) -> int:
    if cursor.lastrowid is None:
        raise StoreError("insert returned no row id")
    return cursor.lastrowid
