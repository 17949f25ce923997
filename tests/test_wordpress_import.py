"""A typical WordPress export, imported: counts, statuses, archives, site, records kept."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURES
from site_helpers import SETTINGS, build

from byline import Archive
from byline.cli import main
from byline.errors import ParseError
from byline.sources.wxr import WxrStream

HARBOUR = FIXTURES / "wxr" / "harbourlights.wordpress.xml"
PUBLIC = {  # published, not password-protected, posts (not pages)
    "Harbour dues and the price of bread",
    "The lighthouse keepers’ last winter",
    "Ferry timetables, explained",
    "Why the canal fees went up",
    "Notes from the fish market",
    "Three bridges, one river",
    "The fog horn debate",
}
STATUSES = {
    "Subscriber notes: March": "publish",  # password-protected: kept, never public
    "Spring sailing schedule": "future",
    "Draft: dredging the inner basin": "draft",
    "A guest post on tides": "pending",
    "Private: budget figures": "private",
    "About this blog": "publish",  # a page
}
CATEGORIES = 9  # declared in the export, one of them (Archive 2019) with no posts
TAGS = 10  # declared, one of them (weather) unused
ARCHIVES = {  # what each archive lists (public posts filed there), newest first
    ("category", "Ports"): ["Ferry timetables, explained", "Harbour dues and the price of bread"],
    ("category", "Ferries"): ["Ferry timetables, explained"],
    ("category", "Lighthouses"): ["The fog horn debate", "The lighthouse keepers’ last winter"],
    ("category", "Economy"): ["Why the canal fees went up"],
    ("category", "Uncategorized"): ["Notes from the fish market"],
    ("category", "Transport"): ["Three bridges, one river", "Ferry timetables, explained"],
    ("category", "Maritime"): ["Harbour dues and the price of bread"],
    ("tag", "prices"): ["Why the canal fees went up", "Harbour dues and the price of bread"],
    ("tag", "history"): ["The fog horn debate", "The lighthouse keepers’ last winter"],
    ("tag", "ferries"): ["Ferry timetables, explained"],
    ("tag", "tides"): [],
}


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def harbour_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("harbour") / "archive.db"
    result = run("--db", str(db), "import", str(HARBOUR))
    assert result.exit_code == 0, result.output
    assert "13 new posts" in result.stdout  # 12 posts and a page; machinery skipped
    return db


def test_published_posts_categories_and_tags_are_counted_right(harbour_db: Path) -> None:
    listed = json.loads(run("--db", str(harbour_db), "posts", "--format", "json").stdout)
    assert {p["headline"] for p in listed} == PUBLIC
    everything = json.loads(
        run("--db", str(harbour_db), "posts", "--all", "--format", "json").stdout
    )
    statuses = {p["headline"]: p["status"] for p in everything}
    assert statuses == {**{title: "publish" for title in PUBLIC}, **STATUSES}
    with Archive.open(harbour_db) as archive:
        counts = archive.counts()
        assert (counts.categories, counts.tags) == (CATEGORIES, TAGS)
        terms = archive.store.declared_terms()
    parents = {t.name: t.parent for t in terms if t.kind == "category"}
    assert parents["Ferries"] == "ports" and parents["Ports"] == "maritime"
    assert parents["Maritime"] is None
    assert {t.slug for t in terms if t.kind == "category"} >= {"local-politics", "archive-2019"}


@pytest.mark.parametrize(("by", "name"), list(ARCHIVES))
def test_category_and_tag_archives_list_the_right_posts(
    harbour_db: Path, by: str, name: str
) -> None:
    result = run("--db", str(harbour_db), "archive", f"--{by}", name, "--format", "json")
    assert result.exit_code == 0, result.output
    listed = [p["headline"] for p in json.loads(result.stdout)["posts"]]
    assert listed == ARCHIVES[by, name]


def test_the_built_site_lists_the_same_posts_and_redirects_old_addresses(
    harbour_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    report = build(harbour_db, out, SETTINGS)
    assert report.posts == len(PUBLIC)
    for (by, name), titles in ARCHIVES.items():
        page = out / by / name.lower() / "index.html"
        if not titles:
            assert not page.exists()
            continue
        text = page.read_text("utf-8")
        shown = [t for t in sorted(PUBLIC) if t.replace("’", "&#8217;") in text or t in text]
        assert sorted(shown) == sorted(titles), (by, name)
    html = "\n".join(p.read_text("utf-8") for p in out.rglob("*.html"))
    for hidden in STATUSES:
        assert hidden not in html
    # the old slug and the old permalink lead to the post's new page
    assert (out / "2023" / "04" / "20" / "canal-fees-up" / "index.html").exists()
    assert (out / "2023" / "04" / "20" / "why-the-canal-fees-went-up" / "index.html").exists()


def test_wordpress_records_are_kept(harbour_db: Path) -> None:
    with Archive.open(harbour_db) as archive:
        posts = {p.title: p for p in archive.store.export_posts()}
    bread = posts["Harbour dues and the price of bread"]
    assert bread.sticky and bread.authors == ["Eilidh Morrow"]
    assert bread.published_at is not None and bread.published_at.isoformat() == (
        "2023-02-14T09:30:00+01:00"
    )
    assert [c.status for c in bread.comments] == ["1", "spam"]
    assert "<script" not in bread.comments[1].html and "javascript:" not in bread.comments[1].html
    bridges = posts["Three bridges, one river"]
    assert [a.caption for a in bridges.attachments] == ["The three bridges at low tide."]
    assert bridges.body_html is not None and "<figure" in bridges.body_html
    assert "<figcaption>" in bridges.body_html and "footnotes" in bridges.body_html
    canal = posts["Why the canal fees went up"]
    assert canal.old_slugs == ["canal-fees-up"]
    assert canal.excerpt == "The canal authority's deficit, explained in three numbers."
    assert ("_edit_last", "1") in canal.post_meta
    assert posts["Subscriber notes: March"].protected
    assert posts["About this blog"].post_type == "page"
    assert posts["Draft: dredging the inner basin"].published_at is not None
    fog = posts["The fog horn debate"]
    assert fog.published_at is not None and fog.published_at.utcoffset() is not None
    assert fog.published_at.isoformat() == "2023-10-28T23:30:00+02:00"  # from the _gmt field


def test_importing_the_export_again_changes_nothing(harbour_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(harbour_db.read_bytes())
    again = run("--db", str(copy), "import", str(HARBOUR))
    assert again.exit_code == 0
    assert "0 new posts, 0 merged, 13 unchanged" in again.stdout


def test_an_export_is_streamed_after_a_safety_pass(tmp_path: Path) -> None:
    stream = WxrStream(HARBOUR)
    assert stream.page.posts == [] and len(stream.sha256) == 64
    titles = [post.title for post in stream.posts()]
    assert len(titles) == 13 and stream.count == 13
    declared = stream.declared()
    assert len([t for t in declared.terms if t.kind == "category"]) == CATEGORIES
    assert dict(stream.skipped) == {
        "auto-draft": 1,
        "nav_menu_item": 1,
        "revision": 1,
        "trash": 1,
    }
    broken = tmp_path / "broken.xml"
    broken.write_text(HARBOUR.read_text("utf-8")[:-400], "utf-8")
    with pytest.raises(ParseError, match=r"broken\.xml: XML is not well-formed"):
        WxrStream(broken)


def test_a_failure_while_streaming_stores_nothing(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Archive.open(db_path) as archive:
        archive.import_paths([FIXTURES / "import" / "columns.txt"], index=False)
        before = archive.counts()
    real_posts = WxrStream.posts

    def failing(self: WxrStream):  # type: ignore[no-untyped-def]
        for number, post in enumerate(real_posts(self)):
            if number == 5:
                raise ParseError(f"{self.name}: broken in the middle")
            yield post

    monkeypatch.setattr(WxrStream, "posts", failing)
    with Archive.open(db_path) as archive:
        report = archive.import_paths([HARBOUR], index=False)
        assert [r.message for r in report.refused] == [f"{HARBOUR}: broken in the middle"]
        assert archive.counts() == before
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM post_signatures").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM comments").fetchone()[0] == 0


def test_a_big_export_read_in_a_second_process_stores_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from byline.sources import _pipe

    direct, piped = tmp_path / "direct.db", tmp_path / "piped.db"
    with Archive.open(direct) as archive:
        archive.import_paths([HARBOUR], index=False)
        expected = [
            (p.title, p.status, p.categories, p.attachments) for p in archive.store.export_posts()
        ]
    monkeypatch.setattr(_pipe, "PIPE_MIN_BYTES", 0)
    monkeypatch.setattr(_pipe.os, "cpu_count", lambda: 2)
    assert _pipe.worth_piping(HARBOUR)
    with Archive.open(piped) as archive:
        report = archive.import_paths([HARBOUR], index=False)
        assert report.ok and report.new == 13
        got = [
            (p.title, p.status, p.categories, p.attachments) for p in archive.store.export_posts()
        ]
        sources = {s.path for p in archive.store.export_posts() for s in p.sources}
    assert got == expected
    assert sources == {str(HARBOUR.resolve())}
    broken = tmp_path / "broken.xml"
    broken.write_text(HARBOUR.read_text("utf-8")[:-400], "utf-8")
    fresh = tmp_path / "fresh.db"
    with Archive.open(fresh) as archive:
        report = archive.import_paths([broken], index=False)
    assert "XML is not well-formed" in report.refused[0].message
    assert not fresh.exists()  # refused by the safety pass: the store was never opened
