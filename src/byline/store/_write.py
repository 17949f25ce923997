"""Writing one page into the SQLite store, inside the caller's transaction.

Each post on the page is, in order of preference:

1. **the same text** as a stored version (any version's ``content_key``, in
   ``post_keys``): this page is added to that post as a source;
2. **a near-duplicate** of a stored post (``_near``: MinHash LSH candidates
   confirmed with rapidfuzz): added to it as a source, with its similarity;
3. **new**: a post of its own.

A page added to a post brings its own version of the post's blocks, its
categories and tags, its old addresses, its WordPress records (comments,
attachments, meta, authors, body HTML) and its facts about the post (date,
outlet, status, address), each row naming this page.  Then the post's fields
are chosen again from all its sources (``_choose``).  Nothing stored is
rewritten by a page seen before, so importing a page again is a no-op.

Categories and tags come from the blog's copies: an outlet's article page
(kind ``html``) files its section and keywords only while the post has no
other kind of source, and they give way when a blog copy arrives.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from byline.errors import StoreError
from byline.model import Outlet, Post, Source, iso, slugify
from byline.store._base import PageResult, SourcePage, TermKind, outlet_key, term_key
from byline.store._choose import ARTICLE_KIND, STATUS_KINDS, apply_choice
from byline.store._near import NearFinder, NearMatch
from byline.store._source_base import PreparedPost
from byline.store._write_extras import declare_page, write_records

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

    def __init__(
        self, conn: sqlite3.Connection, page: SourcePage, near: NearFinder | None = None
    ) -> None:
        self.conn = conn
        self.page = page
        self.near = near
        self.now = datetime.now(UTC).isoformat(timespec="seconds")
        self.new = self.merged = self.unchanged = 0
        self.source_id = 0
        self._terms: dict[tuple[str, str], int] = {}
        self._outlets: dict[Outlet, int] = {}
        self._authors: dict[str, int] = {}

    def run(
        self,
        posts: Iterable[Post | PreparedPost] | None = None,
        declared: Callable[[], SourcePage] | None = None,
    ) -> PageResult:
        """Store the page's posts (or ``posts``, read as they are stored) and its declarations.

        ``declared`` gives the page as known once ``posts`` is exhausted (a
        streamed export declares its terms and files its media as it goes).
        """
        self.source_id, new_source = self._source()
        for position, item in enumerate(self.page.posts if posts is None else posts):
            if isinstance(item, PreparedPost):
                if item.post.blocks:
                    self._store(item, position)
            elif item.blocks:  # nothing to show and nothing to say where it came from
                self._store(prepare_here(item), position)
        page = declared() if declared is not None else self.page
        declare_page(self.conn, self.source_id, page, new_source, self._term)
        return PageResult(
            self.page.path, self.page.sha256, new_source, self.new, self.merged, self.unchanged
        )

    def _store(self, item: PreparedPost, position: int) -> None:
        post, key, body = item.post, item.content_key, item.body_text
        at = _source_on_page(post, self.page, position)
        row = self.conn.execute("SELECT post_id FROM post_keys WHERE key = ?", (key,)).fetchone()
        near: NearMatch | None = None
        blob: bytes | None = None
        if row is None and self.near is not None:
            near, blob = self.near.find(self.conn, post, body, item.signature, self.source_id)
        if row is None and near is None:
            post_id = self._insert_post(post, at, key, body)
            self.new += 1
        else:
            post_id = row[0] if row is not None else near.post_id  # type: ignore[union-attr]
            if self._merge_post(post_id, post, at, key, body, near):
                self.merged += 1
            else:
                self.unchanged += 1
        if self.near is not None and blob is not None:
            self.near.remember(self.conn, post_id, self.source_id, blob)

    def _source(self) -> tuple[int, bool]:
        page = self.page
        row = self.conn.execute(
            "SELECT id FROM sources WHERE sha256 = ?", (page.sha256,)
        ).fetchone()
        if row:
            return row[0], False
        cursor = self.conn.execute(
            "INSERT INTO sources (sha256, path, kind, encoding, title, title_line,"
            " archive_kind, archive_name, imported_at, original_url, captured_at, site_url,"
            " site_title) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                page.original_url,
                iso(page.captured_at),
                page.site_url,
                page.site_title,
            ),
        )
        return rowid(cursor), True

    def _insert_post(self, post: Post, at: Source, key: str, body: str) -> int:
        outlet_id = self._outlet(post.outlet) if post.outlet else None
        source_id = self.source_id
        cursor = self.conn.execute(
            "INSERT INTO posts (content_key, headline, title, slug, outlet_id, outlet_source_id,"
            " published, published_source_id, status, standfirst, body, source_id,"
            " line_start, line_end, position, created_at, post_type, published_at, excerpt,"
            " sticky, protected, url, guid, original_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                post.headline,
                post.title,
                self._free_slug(post.slug or slugify(post.title)),
                outlet_id,
                source_id if outlet_id else None,
                post.published.isoformat() if post.published else None,
                source_id if post.published else None,
                post.status,
                post.standfirst,
                body,
                source_id,
                at.line_start,
                at.line_end,
                at.position,
                self.now,
                post.post_type,
                iso(post.published_at),
                post.excerpt,
                int(post.sticky),
                int(post.protected),
                post.url,
                post.guid,
                post.original_id,
            ),
        )
        post_id = rowid(cursor)
        self._link_source(post_id, post, at, key, len(body.split()), outlet_id, "first", None)
        self._link_terms(post_id, post)
        self._link_old_urls(post_id, post)
        return post_id

    def _merge_post(
        self, post_id: int, post: Post, at: Source, key: str, body: str, near: NearMatch | None
    ) -> bool:
        """Add this page's version of a stored post; True if anything was added."""
        outlet_id = self._outlet(post.outlet) if post.outlet else None
        matched = "near" if near is not None else "same"
        words = len(body.split())
        changed = self._link_source(post_id, post, at, key, words, outlet_id, matched, near)
        changed |= self._file_terms(post_id, post)
        changed |= self._link_old_urls(post_id, post)
        if changed:
            changed |= apply_choice(self.conn, post_id)
        return changed

    def _link_source(
        self,
        post_id: int,
        post: Post,
        at: Source,
        key: str,
        words: int,
        outlet_id: int | None,
        matched: str,
        near: NearMatch | None,
    ) -> bool:
        """Record that this page shows the post, with its version; False if already known."""
        kind = self.page.kind
        cursor = self.conn.execute(
            "INSERT OR IGNORE INTO post_sources (post_id, source_id, line_start, line_end,"
            " position, url, published, published_at, outlet_id, status, protected, sticky,"
            " post_type, excerpt, guid, original_id, words, has_preface, matched, similarity,"
            " title_similarity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?)",
            (
                post_id,
                self.source_id,
                at.line_start,
                at.line_end,
                at.position,
                post.url or self.page.original_url,
                post.published.isoformat() if post.published else None,
                iso(post.published_at),
                outlet_id,
                post.status if kind in STATUS_KINDS else None,
                int(post.protected),
                int(post.sticky),
                post.post_type,
                post.excerpt,
                post.guid,
                post.original_id,
                words,
                int(any(b.role == "preface" for b in post.blocks)),
                matched,
                near.match.similarity if near else None,
                near.match.title_similarity if near else None,
            ),
        )
        if cursor.rowcount == 0:
            return False  # this page was stored before, blocks and all
        self.conn.executemany(
            "INSERT INTO blocks (post_id, source_id, seq, role, text, line)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (post_id, self.source_id, seq, block.role, block.text, block.line)
                for seq, block in enumerate(post.blocks)
            ],
        )
        self.conn.execute(
            "INSERT OR IGNORE INTO post_keys (key, post_id, source_id) VALUES (?, ?, ?)",
            (key, post_id, self.source_id),
        )
        write_records(self.conn, post_id, self.source_id, post, self._authors)
        return True

    def _file_terms(self, post_id: int, post: Post) -> bool:
        """File a merged post's terms: the blog's copies name them, not an outlet's page."""
        kinds = {
            row[0]
            for row in self.conn.execute(
                "SELECT DISTINCT s.kind FROM post_sources ps JOIN sources s ON s.id = ps.source_id"
                " WHERE ps.post_id = ? AND ps.source_id != ?",
                (post_id, self.source_id),
            )
        }
        if self.page.kind == ARTICLE_KIND:
            if kinds - {ARTICLE_KIND}:
                return False
            return self._link_terms(post_id, post)
        changed = False
        if kinds == {ARTICLE_KIND} and (post.categories or post.tags):
            cursor = self.conn.execute(
                "DELETE FROM post_terms WHERE post_id = ? AND source_id IN"
                " (SELECT id FROM sources WHERE kind = ?)",
                (post_id, ARTICLE_KIND),
            )
            changed = cursor.rowcount > 0
        return self._link_terms(post_id, post) or changed

    def _link_terms(self, post_id: int, post: Post) -> bool:
        wanted: list[tuple[TermKind, str]] = [("category", n) for n in post.categories]
        wanted += [("tag", n) for n in post.tags]
        rows = [
            (post_id, self._term(kind, name), self.source_id)
            for kind, name in wanted
            if name.strip()
        ]
        if not rows:
            return False
        before = self.conn.total_changes
        self.conn.executemany(
            "INSERT OR IGNORE INTO post_terms (post_id, term_id, source_id) VALUES (?, ?, ?)", rows
        )
        return self.conn.total_changes > before

    def _link_old_urls(self, post_id: int, post: Post) -> bool:
        """Keep the addresses the post had before; an address already claimed stays put."""
        urls = [url.strip() for url in post.old_urls if url.strip()]
        if not urls:
            return False
        before = self.conn.total_changes
        self.conn.executemany(
            "INSERT OR IGNORE INTO post_urls (post_id, url, source_id) VALUES (?, ?, ?)",
            [(post_id, url, self.source_id) for url in urls],
        )
        return self.conn.total_changes > before

    def _term(self, kind: TermKind, name: str) -> int:
        key = term_key(name)
        known = self._terms.get((kind, key))
        if known is not None:
            return known
        row = self.conn.execute(
            "SELECT id FROM terms WHERE kind = ? AND key = ?", (kind, key)
        ).fetchone()
        if row:
            term_id = int(row[0])
        else:
            cursor = self.conn.execute(
                "INSERT INTO terms (kind, name, key) VALUES (?, ?, ?)", (kind, name.strip(), key)
            )
            term_id = rowid(cursor)
        self._terms[kind, key] = term_id
        return term_id

    def _outlet(self, outlet: Outlet) -> int:
        """The stored outlet for this one, found by name or any alias, else a new row."""
        known = self._outlets.get(outlet)
        if known is not None:
            return known
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
        self._outlets[outlet] = outlet_id
        return outlet_id

    def _free_slug(self, slug: str) -> str:
        return free_slug(self.conn, slug)


def prepare_here(post: Post) -> PreparedPost:
    """A post read in this process: its key and text, its fingerprint left for the finder."""
    return PreparedPost(post, post.content_key, post.body_text, None)


def free_slug(conn: sqlite3.Connection, slug: str) -> str:
    """``slug``, or ``slug-2``, ``slug-3`` … whichever no stored post has."""
    candidate = slug
    for suffix in range(2, MAX_SLUG_SUFFIX):
        taken = conn.execute("SELECT 1 FROM posts WHERE slug = ?", (candidate,)).fetchone()
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
