"""Writing what structured sources keep beside a post's text, inside the caller's transaction.

Per post and source: authors, comments, attachments, post meta (old slugs
among them) and the body HTML.  Per page: the categories' slugs, parents and
descriptions, the tags' slugs, the site's authors, media filed under no post
(or under a post only once the whole export has been read), and what a
streamed page learnt about itself on the way (its title, the site).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from byline.model import Attachment, Post, fold, iso
from byline.store._base import SourcePage, TermKind, term_key

OLD_SLUG_KEY = "_wp_old_slug"  # WordPress's post meta key for a slug the post had before

TermFinder = Callable[[TermKind, str], int]


def author_id(conn: sqlite3.Connection, name: str, login: str | None = None,
              email: str | None = None) -> int:  # fmt: skip
    """The stored author a display name stands for (folded), made when new."""
    key = fold(name)
    row = conn.execute("SELECT id, login, email FROM authors WHERE key = ?", (key,)).fetchone()
    if row is None:
        cursor = conn.execute(
            "INSERT INTO authors (name, key, login, email) VALUES (?, ?, ?, ?)",
            (name.strip(), key, login or None, email or None),
        )
        return int(cursor.lastrowid or 0)
    if (login and not row[1]) or (email and not row[2]):
        conn.execute(
            "UPDATE authors SET login = coalesce(login, ?), email = coalesce(email, ?)"
            " WHERE id = ?",
            (login or None, email or None, row[0]),
        )
    return int(row[0])


def write_records(
    conn: sqlite3.Connection,
    post_id: int,
    source_id: int,
    post: Post,
    authors: dict[str, int] | None = None,
) -> None:
    """A new version's authors, comments, attachments, meta and body HTML.

    ``authors`` caches author ids by name across the posts of one page.
    """
    known = authors if authors is not None else {}
    names = [name for name in dict.fromkeys(post.authors) if name.strip()]
    if names:
        for name in names:
            if name not in known:
                known[name] = author_id(conn, name)
        conn.executemany(
            "INSERT OR IGNORE INTO post_authors (post_id, source_id, seq, author_id)"
            " VALUES (?, ?, ?, ?)",
            [(post_id, source_id, seq, known[name]) for seq, name in enumerate(names)],
        )
    if post.comments:
        conn.executemany(
            "INSERT INTO comments (post_id, source_id, seq, original_id, parent, author,"
            " author_email, author_url, html, published_at, status, kind)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (post_id, source_id, seq, c.id, c.parent, c.author, c.author_email,
                 c.author_url, c.html, iso(c.published_at), c.status, c.kind)
                for seq, c in enumerate(post.comments)
            ],
        )  # fmt: skip
    if post.attachments:
        insert_attachments(conn, post_id, source_id, post.attachments)
    meta = [(OLD_SLUG_KEY, slug) for slug in post.old_slugs] + list(post.post_meta)
    if meta:
        conn.executemany(
            "INSERT INTO post_meta (post_id, source_id, seq, key, value) VALUES (?, ?, ?, ?, ?)",
            [(post_id, source_id, seq, key, value) for seq, (key, value) in enumerate(meta)],
        )
    if post.body_html:
        conn.execute(
            "INSERT OR IGNORE INTO post_bodies (post_id, source_id, html) VALUES (?, ?, ?)",
            (post_id, source_id, post.body_html),
        )


def insert_attachments(
    conn: sqlite3.Connection, post_id: int | None, source_id: int, items: Sequence[Attachment]
) -> None:
    first = conn.execute(
        "SELECT coalesce(max(seq) + 1, 0) FROM attachments WHERE source_id = ?", (source_id,)
    ).fetchone()[0]
    conn.executemany(
        "INSERT INTO attachments (post_id, source_id, seq, url, caption, title, alt,"
        " description, original_id, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (post_id, source_id, first + seq, a.url, a.caption, a.title, a.alt, a.description,
             a.original_id, a.status)
            for seq, a in enumerate(items)
        ],
    )  # fmt: skip


def declare_page(
    conn: sqlite3.Connection,
    source_id: int,
    page: SourcePage,
    new_source: bool,
    term: TermFinder,
) -> None:
    """What a page declared around its posts: terms, authors, unfiled media, its own facts."""
    if not new_source:
        return  # the same bytes were stored before, declarations and all
    conn.execute(
        "UPDATE sources SET title = coalesce(title, ?), site_url = coalesce(site_url, ?),"
        " site_title = coalesce(site_title, ?), original_url = coalesce(original_url, ?),"
        " captured_at = coalesce(captured_at, ?) WHERE id = ?",
        (page.title, page.site_url, page.site_title, page.original_url,
         iso(page.captured_at), source_id),
    )  # fmt: skip
    _declare_terms(conn, page, term)
    for author in page.authors:
        author_id(conn, author.display_name or author.login, author.login, author.email)
    unfiled: list[Attachment] = list(page.attachments)
    for parent, attachment in page.filed_attachments:
        row = conn.execute(
            "SELECT post_id FROM post_sources WHERE source_id = ? AND original_id = ?",
            (source_id, parent),
        ).fetchone()
        if row is None:
            unfiled.append(attachment)
        else:
            insert_attachments(conn, row[0], source_id, [attachment])
    if unfiled:
        insert_attachments(conn, None, source_id, unfiled)


def _declare_terms(conn: sqlite3.Connection, page: SourcePage, term: TermFinder) -> None:
    """Slugs, descriptions and parents (by slug) of the categories and tags a site declared."""
    ids: dict[tuple[str, str], int] = {}
    for declared in page.terms:
        name = declared.name.strip() or declared.slug
        if not name:
            continue
        term_id = term(declared.kind, name)
        conn.execute(
            "UPDATE terms SET slug = coalesce(slug, ?),"
            " description = CASE WHEN description = '' THEN ? ELSE description END"
            " WHERE id = ?",
            (declared.slug or None, declared.description or "", term_id),
        )
        if declared.slug:
            ids.setdefault((declared.kind, declared.slug), term_id)
    for declared in page.terms:
        if declared.kind != "category" or not declared.parent:
            continue
        child = ids.get(("category", declared.slug))
        parent = ids.get(("category", declared.parent))
        if parent is None:
            row = conn.execute(
                "SELECT id FROM terms WHERE kind = 'category' AND slug = ?", (declared.parent,)
            ).fetchone()
            parent = row[0] if row else None
        if child is None:
            child = conn.execute(
                "SELECT id FROM terms WHERE kind = 'category' AND key = ?",
                (term_key(declared.name),),
            ).fetchone()[0]
        if parent is not None and parent != child:
            conn.execute(
                "UPDATE terms SET parent_id = ? WHERE id = ? AND parent_id IS NULL",
                (parent, child),
            )
