"""A merged post's fields, each taken from its best source.

When one piece arrives from several sources, the posts row holds one value
for each field, chosen from what the sources said (``post_sources``, one row
per source, and each source's own blocks):

=============================  ===============================================
fields                         taken from
=============================  ===============================================
headline, standfirst, body,    the piece: an outlet's article page (kind
captions, footnotes, bio       ``html``) if any, else the longest running text
preface                        the first blog copy that has one (any kind but
                               ``html`` first)
date                           the article page's date (the piece's own), else
                               the earliest date any source gives
outlet                         the article page's outlet (it names itself),
                               else the first source that names one
status, protection, type,      the blog's record: the first source whose kind
excerpt, stickiness, address   carries a status (``wxr``, ``markdown``), else
                               the first source
categories, tags               the blog's copies (see ``_write``)
=============================  ===============================================

Ties go to the source stored first.  ``post_choices`` names the piece, preface
and record sources; ``posts.outlet_source_id`` and ``published_source_id``
the others.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from byline.model import Block, Post
from byline.store._sqlrows import role_of

ARTICLE_KIND = "html"  # a single article page: an outlet's, as saved or captured
STATUS_KINDS = frozenset({"wxr", "markdown"})  # kinds whose posts say their own status


@dataclass(frozen=True)
class SourceRow:
    source_id: int
    kind: str
    words: int
    has_preface: bool
    published: str | None
    published_at: str | None
    outlet_id: int | None
    status: str | None
    protected: bool
    sticky: bool
    post_type: str
    excerpt: str | None
    url: str | None
    guid: str | None
    original_id: str | None


@dataclass(frozen=True)
class Choice:
    piece: SourceRow
    preface: SourceRow | None
    record: SourceRow
    date: SourceRow | None
    outlet: SourceRow | None


def source_rows(conn: sqlite3.Connection, post_id: int) -> list[SourceRow]:
    rows = conn.execute(
        "SELECT ps.source_id, s.kind, ps.words, ps.has_preface, ps.published, ps.published_at,"
        " ps.outlet_id, ps.status, ps.protected, ps.sticky, ps.post_type, ps.excerpt, ps.url,"
        " ps.guid, ps.original_id FROM post_sources ps JOIN sources s ON s.id = ps.source_id"
        " WHERE ps.post_id = ? ORDER BY ps.source_id",
        (post_id,),
    ).fetchall()
    return [
        SourceRow(r[0], r[1], r[2], bool(r[3]), r[4], r[5], r[6], r[7], bool(r[8]), bool(r[9]),
                  r[10], r[11], r[12], r[13], r[14])
        for r in rows
    ]  # fmt: skip


def choose(rows: list[SourceRow]) -> Choice:
    """Which source each group of fields comes from (see the module's table)."""
    articles = [r for r in rows if r.kind == ARTICLE_KIND]
    piece = max(rows, key=lambda r: (r.kind == ARTICLE_KIND, r.words, -r.source_id))
    blog_first = sorted(rows, key=lambda r: (r.kind == ARTICLE_KIND, r.source_id))
    preface = next((r for r in blog_first if r.has_preface), None)
    record = next((r for r in rows if r.kind in STATUS_KINDS and r.status), rows[0])
    dated = [r for r in articles if r.published] or sorted(
        (r for r in rows if r.published), key=lambda r: (r.published or "", r.source_id)
    )
    outlet = next((r for r in articles if r.outlet_id), None) or next(
        (r for r in rows if r.outlet_id), None
    )
    return Choice(piece, preface, record, dated[0] if dated else None, outlet)


def blocks_of(conn: sqlite3.Connection, post_id: int, source_id: int) -> list[Block]:
    return [
        Block(role_of(role), text, line)
        for role, text, line in conn.execute(
            "SELECT role, text, line FROM blocks WHERE post_id = ? AND source_id = ? ORDER BY seq",
            (post_id, source_id),
        )
    ]


def apply_choice(conn: sqlite3.Connection, post_id: int) -> bool:
    """Bring a post's row and choices in line with its sources; True if anything changed."""
    rows = source_rows(conn, post_id)
    if not rows:
        return False
    choice = choose(rows)
    piece = Post(blocks=blocks_of(conn, post_id, choice.piece.source_id))
    record = choice.record
    wanted: dict[str, Any] = {
        "headline": piece.headline,
        "title": piece.title,
        "standfirst": piece.standfirst,
        "body": piece.body_text,
        "status": record.status or "publish",
        "protected": int(record.protected),
        "sticky": int(record.sticky),
        "post_type": record.post_type,
        "excerpt": record.excerpt,
        "url": record.url,
        "guid": record.guid,
        "original_id": record.original_id,
    }
    dated, outlet = choice.date, choice.outlet
    wanted |= {
        "published": dated.published if dated else None,
        "published_at": dated.published_at if dated else None,
        "published_source_id": dated.source_id if dated else None,
        "outlet_id": outlet.outlet_id if outlet else None,
        "outlet_source_id": outlet.source_id if outlet else None,
    }
    columns = list(wanted)
    current = conn.execute(
        f"SELECT {', '.join(columns)} FROM posts WHERE id = ?", (post_id,)
    ).fetchone()
    changes = {
        column: wanted[column]
        for column, value in zip(columns, current, strict=True)
        if value != wanted[column]
    }
    if changes:
        assignments = ", ".join(f"{column} = ?" for column in changes)
        conn.execute(f"UPDATE posts SET {assignments} WHERE id = ?", [*changes.values(), post_id])
    preface_id = choice.preface.source_id if choice.preface else None
    chosen = (choice.piece.source_id, preface_id, record.source_id)
    stored = conn.execute(
        "SELECT piece_source_id, preface_source_id, record_source_id FROM post_choices"
        " WHERE post_id = ?",
        (post_id,),
    ).fetchone()
    if len(rows) == 1:
        if stored is not None:
            conn.execute("DELETE FROM post_choices WHERE post_id = ?", (post_id,))
        return bool(changes) or stored is not None
    if stored is None or tuple(stored) != chosen:
        conn.execute(
            "INSERT INTO post_choices (post_id, piece_source_id, preface_source_id,"
            " record_source_id) VALUES (?, ?, ?, ?) ON CONFLICT (post_id) DO UPDATE SET"
            " piece_source_id = excluded.piece_source_id,"
            " preface_source_id = excluded.preface_source_id,"
            " record_source_id = excluded.record_source_id",
            (post_id, *chosen),
        )
        return True
    return bool(changes)
