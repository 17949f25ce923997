"""``build_site(..., cache=...)``: what ``byline serve`` keeps between rebuilds.

Every rebuild with a cache must write the same files, with the same bytes,
as a build without one after the same change.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from store_helpers import make_page, make_post

from byline.model import Outlet
from byline.publish.site import BuildCache, BuildReport, build_site
from byline.settings import Settings
from byline.store import SQLiteStore

SETTINGS = Settings(posts_per_page=5, base_url="https://example.org")
Edit = Callable[[Path], None]


def contents(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and "staging" not in str(p.relative_to(out))
    }


def seeded(db: Path) -> None:
    posts = [
        make_post(
            f"Piece {i}",
            [f"Body of piece {i}."],
            categories=("Columns" if i % 2 else "Letters",),
            tags=(f"tag{i % 3}",),
            outlet=Outlet(f"Outlet {i % 2}"),
            published=date(2020, 1 + i % 12, 1 + i % 28),
        )
        for i in range(24)
    ]
    with SQLiteStore(db) as store:
        store.save_page(make_page("a.txt", posts))


def build(db: Path, out: Path, cache: BuildCache | None) -> BuildReport:
    with SQLiteStore(db) as store:
        return build_site(store, out, SETTINGS, cache=cache)


def sql(*statements: str) -> Edit:
    def edit(db: Path) -> None:
        with sqlite3.connect(db) as conn:
            for statement in statements:
                conn.execute(statement)

    return edit


def save_tagged(db: Path) -> None:
    tagged = make_post("Piece 7", ["Body of piece 7."], tags=("Brand new",))
    with SQLiteStore(db) as store:
        store.save_page(make_page("b.txt", [tagged]))


PIECE = "(SELECT id FROM posts WHERE title = '{}')"
BODY_EDIT = sql(
    "UPDATE blocks SET text = 'Edited text.' WHERE role = 'body' AND post_id = "
    + PIECE.format("Piece 7")
)
# (edit, whether the kept model can be patched rather than made again)
EDITS: list[tuple[str, Edit, bool]] = [
    ("body", BODY_EDIT, True),
    (
        "two bodies",
        sql(
            "UPDATE blocks SET text = 'Again.' WHERE role = 'body' AND post_id IN ("
            + PIECE.format("Piece 3")
            + ", "
            + PIECE.format("Piece 11")
            + ")"
        ),
        True,
    ),
    ("title", sql("UPDATE posts SET title = 'Renamed piece' WHERE title = 'Piece 5'"), False),
    ("date", sql("UPDATE posts SET published = '2019-05-05' WHERE title = 'Piece 9'"), False),
    ("status", sql("UPDATE posts SET status = 'draft' WHERE title = 'Piece 1'"), False),
    ("term renamed", sql("UPDATE terms SET name = 'Opinion' WHERE name = 'Columns'"), False),
    ("outlet renamed", sql("UPDATE outlets SET name = 'Other' WHERE name = 'Outlet 1'"), False),
    (
        "term dropped",
        sql("DELETE FROM post_terms WHERE post_id = " + PIECE.format("Piece 4")),
        False,
    ),
    ("new tag", save_tagged, False),
    (
        "body after",
        sql(
            "UPDATE blocks SET text = 'Later.' WHERE role = 'body' AND post_id = "
            + PIECE.format("Piece 8")
        ),
        True,
    ),
]


@pytest.mark.parametrize("full_first", [False, True])
def test_a_cached_rebuild_writes_what_an_uncached_one_does(
    tmp_path: Path, full_first: bool
) -> None:
    db = tmp_path / "archive.db"
    seeded(db)
    plain, cached = tmp_path / "plain", tmp_path / "cached"
    cache = BuildCache()
    build(db, plain, None)
    build(db, cached, cache)
    if full_first:  # a cache that has seen two builds, nothing changed in between
        assert build(db, cached, cache).written == 0
        assert cache.reused_model
    for name, edit, patched in EDITS:
        edit(db)
        expected = build(db, plain, None)
        got = build(db, cached, cache)
        assert cache.reused_model is patched, name
        assert sorted(got.written_paths) == sorted(expected.written_paths), name
        assert got.removed_paths == expected.removed_paths, name
        assert expected.written > 0, name
        assert contents(cached) == contents(plain), name


def test_a_cache_rereads_a_manifest_another_build_wrote(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    seeded(db)
    out, plain = tmp_path / "site", tmp_path / "plain"
    cache = BuildCache()
    build(db, out, cache)
    build(db, plain, None)
    BODY_EDIT(db)
    build(db, out, None)  # a CLI build into the folder serve is serving
    build(db, plain, None)
    report = build(db, out, cache)
    assert report.written == 0
    assert contents(out) == contents(plain)


def test_a_cache_drops_everything_for_other_settings(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    seeded(db)
    out = tmp_path / "site"
    cache = BuildCache()
    build(db, out, cache)
    with SQLiteStore(db) as store:
        other = Settings(posts_per_page=5, base_url="https://example.org", title="Other")
        report = build_site(store, out, other, cache=cache)
    assert not cache.reused_model
    assert report.written > 0
