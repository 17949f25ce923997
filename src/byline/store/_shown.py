"""Which blocks a post shows, and the fields a loaded post carries beyond the listing's.

A post with one source shows that source's blocks.  A merged post shows its
piece from the source chosen for it and its preface from the source chosen
for that (``post_choices``, see ``_choose``): the preface first, then the
piece's own blocks less any preface of its own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from byline.model import Block

Choice = tuple[int, int | None]  # (piece source, preface source)
EXTRA_COLUMNS = "post_type, published_at, excerpt, sticky, protected, url, guid, original_id"


def choices_of(conn: sqlite3.Connection, chunk: Sequence[int]) -> dict[int, Choice]:
    marks = ",".join("?" * len(chunk))
    return {
        post_id: (piece, preface)
        for post_id, piece, preface in conn.execute(
            "SELECT post_id, piece_source_id, preface_source_id FROM post_choices"
            f" WHERE post_id IN ({marks})",
            list(chunk),
        )
    }


def compose(versions: dict[int, list[Block]], first: int, choice: Choice | None) -> list[Block]:
    """The blocks a post shows, from its versions by source id (see the module)."""
    if choice is None or choice[0] not in versions:
        return versions.get(first, [])
    piece, preface = choice
    if preface is None or preface == piece:
        return versions[piece]
    prefaces = [b for b in versions.get(preface, []) if b.role == "preface"]
    return prefaces + [b for b in versions[piece] if b.role != "preface"]


def extra_fields(conn: sqlite3.Connection, chunk: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Each post's type, exact date, excerpt, flags, address, guid, original id and authors."""
    marks = ",".join("?" * len(chunk))
    found: dict[int, dict[str, Any]] = {}
    for row in conn.execute(
        f"SELECT id, {EXTRA_COLUMNS} FROM posts WHERE id IN ({marks})", list(chunk)
    ):
        found[row[0]] = {
            "post_type": row[1],
            "published_at": row[2],
            "excerpt": row[3],
            "sticky": bool(row[4]),
            "protected": bool(row[5]),
            "url": row[6],
            "guid": row[7],
            "original_id": row[8],
            "authors": [],
        }
    for post_id, name in conn.execute(
        "SELECT pa.post_id, a.name FROM post_authors pa JOIN authors a ON a.id = pa.author_id"
        f" WHERE pa.post_id IN ({marks}) ORDER BY pa.post_id, pa.source_id, pa.seq",
        list(chunk),
    ):
        names = found[post_id]["authors"]
        if name not in names:
            names.append(name)
    return found
