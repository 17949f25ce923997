"""The SQLite store on its own: schema, transactions, merging, lookups, search."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_helpers import make_page, make_post

from byline.errors import StoreError
from byline.model import Outlet, Post, Status
from byline.store import SQLiteStore, fts_query, outlet_key, term_key
from byline.store._migrate import APPLICATION_ID, latest_version

NIKKEI = Outlet("Nikkei Asia", ("Nikkei Asian Review", "Nikkei Asia Review"))


def canal_post(**kwargs: Any) -> Post:
    return make_post(
        "When the canal runs dry",
        ["Lock systems need fresh water.", "Ports cannot sail around a drought."],
        **kwargs,
    )


# -- schema -------------------------------------------------------------------


def test_reading_a_missing_database_is_an_error_and_creates_nothing(
    fresh_store: SQLiteStore, db_path: Path
) -> None:
    with pytest.raises(StoreError, match="no archive at"):
        fresh_store.post_summaries()
    assert not db_path.exists()


def test_first_write_creates_a_versioned_wal_database(
    fresh_store: SQLiteStore, db_path: Path
) -> None:
    fresh_store.save_page(make_page("a.txt", [make_post("One", ["Text."])]))
    fresh_store.close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version()
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert {"sources", "posts", "blocks", "terms", "post_terms", "post_sources"} <= tables
    assert {"outlets", "outlet_aliases", "posts_fts"} <= tables
    conn.close()


def test_reopening_does_not_migrate_again(fresh_store: SQLiteStore, db_path: Path) -> None:
    fresh_store.save_page(make_page("a.txt", [make_post("One", ["Text."])]))
    fresh_store.close()
    again = SQLiteStore(db_path)
    assert again.counts().posts == 1
    again.close()


def test_a_sqlite_file_from_another_program_is_refused_untouched(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    store = SQLiteStore(db_path)
    with pytest.raises(StoreError, match="not a byline archive"):
        store.save_page(make_page("a.txt", [make_post("One", ["Text."])]))
    assert db_path.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused(db_path: Path) -> None:
    db_path.write_text("just some notes\n")
    with pytest.raises(StoreError, match="not a byline archive"):
        SQLiteStore(db_path).counts()
    assert db_path.read_text() == "just some notes\n"


def test_a_newer_schema_is_refused(fresh_store: SQLiteStore, db_path: Path) -> None:
    fresh_store.save_page(make_page("a.txt", [make_post("One", ["Text."])]))
    fresh_store.close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer byline"):
        SQLiteStore(db_path).counts()


# -- saving and merging -----------------------------------------------------------


def test_a_page_is_stored_with_blocks_terms_outlet_and_provenance(
    fresh_store: SQLiteStore,
) -> None:
    post = make_post(
        "When the canal runs dry",
        ["Lock systems need fresh water.", "Ports cannot sail around a drought."],
        preface="A new column for Nikkei Asia looking at canals.",
        categories=("Nikkei Asia Review",),
        outlet=NIKKEI,
        extra=(("standfirst", "Harbours pay first"), ("caption", "Ships wait. © Agency")),
    )
    result = fresh_store.save_page(make_page("cat.txt", [post], title="Archive for the ‘N’"))
    assert (result.new, result.merged, result.unchanged, result.new_source) == (1, 0, 0, True)
    counts = fresh_store.counts()
    assert (counts.sources, counts.posts, counts.blocks) == (1, 1, 6)
    assert (counts.categories, counts.tags, counts.outlets) == (1, 0, 1)

    [summary] = fresh_store.post_summaries()
    stored = fresh_store.get_post(summary.id)
    assert stored is not None
    assert stored.post.blocks == post.blocks  # roles, text and lines, in order
    assert stored.post.outlet == NIKKEI
    assert stored.post.categories == ["Nikkei Asia Review"]
    assert stored.origin is not None and stored.origin.path == "/pages/cat.txt"
    assert (stored.origin.line_start, stored.origin.line_end) == (3, 13)
    assert summary.slug == "when-the-canal-runs-dry"


def test_saving_the_same_page_again_changes_nothing(fresh_store: SQLiteStore) -> None:
    page = make_page("cat.txt", [canal_post(categories=("Columns",))])
    fresh_store.save_page(page)
    before = fresh_store.counts()
    result = fresh_store.save_page(page)
    assert (result.new, result.merged, result.unchanged, result.new_source) == (0, 0, 1, False)
    assert fresh_store.counts() == before


def test_the_same_post_on_two_pages_is_one_post_with_both_terms_and_sources(
    fresh_store: SQLiteStore,
) -> None:
    on_category = canal_post(categories=("Columns",))
    on_tag = canal_post(tags=("Ports",), published=date(2024, 3, 14), first_line=20)
    fresh_store.save_page(make_page("cat.txt", [on_category]))
    result = fresh_store.save_page(make_page("tag.txt", [on_tag]))
    assert (result.new, result.merged) == (0, 1)
    [summary] = fresh_store.post_summaries()
    assert summary.categories == ("Columns",)
    assert summary.tags == ("Ports",)
    assert summary.published == date(2024, 3, 14)  # filled in by the page that knew it
    stored = fresh_store.get_post(summary.id)
    assert stored is not None
    assert [s.path for s in stored.post.sources] == ["/pages/cat.txt", "/pages/tag.txt"]


def test_a_tag_archive_shows_the_tag_pages_own_version_of_a_shared_post(
    fresh_store: SQLiteStore,
) -> None:
    fresh_store.save_page(make_page("cat.txt", [canal_post(categories=("Columns",))]))
    tag_version = canal_post(tags=("Ports",), extra=(("meta", "14 March 2024"),), first_line=40)
    fresh_store.save_page(make_page("tag.txt", [tag_version]))
    tag = fresh_store.resolve_archive("tag", "ports")
    category = fresh_store.resolve_archive("category", "columns")
    assert tag is not None and category is not None
    [on_tag] = fresh_store.archive_posts(tag)
    [on_category] = fresh_store.archive_posts(category)
    assert "14 March 2024" in [b.text for b in on_tag.post.blocks]
    assert on_tag.post.blocks[0].line == 40
    assert on_tag.origin is not None and on_tag.origin.path == "/pages/tag.txt"
    assert "14 March 2024" not in [b.text for b in on_category.post.blocks]


def test_a_failing_page_leaves_nothing_behind(fresh_store: SQLiteStore) -> None:
    fresh_store.save_page(make_page("good.txt", [make_post("Kept", ["Text."])]))
    before = fresh_store.counts()
    good = make_post("Fine", ["Fine text."])
    bad = replace(make_post("Broken", ["Other text."]), status=cast(Status, "bogus"))
    with pytest.raises(StoreError, match="could not be stored"):
        fresh_store.save_page(make_page("bad.txt", [good, bad]))
    assert fresh_store.counts() == before


def test_slugs_stay_unique(fresh_store: SQLiteStore) -> None:
    first = make_post("Same headline", ["One text."])
    second = make_post("Same headline", ["Another text."])
    fresh_store.save_page(make_page("a.txt", [first, second]))
    slugs = sorted(s.slug for s in fresh_store.post_summaries())
    assert slugs == ["same-headline", "same-headline-2"]


def test_posts_list_newest_first_and_hides_drafts_unless_asked(
    fresh_store: SQLiteStore,
) -> None:
    posts = [
        make_post("Undated", ["a."]),
        make_post("Older", ["b."], published=date(2020, 1, 1)),
        make_post("Newer", ["c."], published=date(2023, 1, 1)),
        make_post("Draft", ["d."], status="draft"),
    ]
    fresh_store.save_page(make_page("a.txt", posts))
    assert [s.title for s in fresh_store.post_summaries()] == ["Newer", "Older", "Undated"]
    everything = fresh_store.post_summaries(include_all=True)
    assert [s.title for s in everything] == ["Newer", "Older", "Undated", "Draft"]


# -- names ----------------------------------------------------------------------


def test_term_names_fold_case_accents_and_dashes() -> None:
    assert term_key("Écologie") == term_key("ecologie") == term_key("ÉCOLOGIE")
    assert term_key("China–Central Asia") == term_key("china-central asia")
    assert outlet_key("The Northern Ledger") == outlet_key("northern ledger")


def test_variants_of_a_term_are_one_term(fresh_store: SQLiteStore) -> None:
    fresh_store.save_page(make_page("a.txt", [make_post("A", ["a."], tags=("Écologie",))]))
    fresh_store.save_page(make_page("b.txt", [make_post("B", ["b."], tags=("ecologie",))]))
    assert fresh_store.counts().tags == 1
    key = fresh_store.resolve_archive("tag", "ECOLOGIE")
    assert key is not None and key.name == "Écologie"
    assert [p.post.headline for p in fresh_store.archive_posts(key)] == ["A", "B"]


def test_outlets_resolve_through_aliases(fresh_store: SQLiteStore) -> None:
    fresh_store.save_page(make_page("a.txt", [make_post("A", ["a."], outlet=NIKKEI)]))
    other_spelling = Outlet("Nikkei Asian Review")
    fresh_store.save_page(make_page("b.txt", [make_post("B", ["b."], outlet=other_spelling)]))
    assert fresh_store.counts().outlets == 1
    key = fresh_store.resolve_archive("outlet", "nikkei asia review")
    assert key is not None and key.name == "Nikkei Asia"
    assert len(fresh_store.archive_posts(key)) == 2
    assert fresh_store.resolve_archive("outlet", "Financial Times") is None


# -- search -----------------------------------------------------------------------


def test_search_ranks_a_headline_match_first_with_a_snippet(fresh_store: SQLiteStore) -> None:
    posts = [
        make_post("Ferries and fares", ["The harbour board met on Tuesday about lighthouses."]),
        make_post("Lighthouses without keepers", ["The lamps were automated long ago."]),
    ]
    fresh_store.save_page(make_page("a.txt", posts))
    hits = fresh_store.search("lighthouses")
    assert [h.title for h in hits] == ["Lighthouses without keepers", "Ferries and fares"]
    assert hits[0].score > hits[1].score > 0
    assert "[Lighthouses]" in hits[0].snippet


def test_search_matches_regardless_of_accents(fresh_store: SQLiteStore) -> None:
    fresh_store.save_page(make_page("a.txt", [make_post("Le café du port", ["Ouvert."])]))
    assert [h.title for h in fresh_store.search("CAFE")] == ["Le café du port"]


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('NEAR(a b) OR "x') == '"NEAR(a" "b)" "OR" """x"'
    assert fts_query("russ*") == '"russ"*'
    assert fts_query("  -- ** ") is None
    assert fts_query("") is None


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=40))
def test_any_query_string_is_safe(fresh_store: SQLiteStore, query: str) -> None:
    fresh_store.save_page(make_page("a.txt", [make_post("Quay café", ["Tea and rain."])]))
    hits = fresh_store.search(query)
    assert all(hit.title == "Quay café" for hit in hits)
