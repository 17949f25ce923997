"""The static site: pages, archives, order, metadata, redirects, incremental and atomic builds."""

from __future__ import annotations

import json
import multiprocessing
import re
import shutil
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import IMPORT_PAGES, SEED_CATEGORY, SEED_TAG
from site_helpers import SETTINGS, build, html_files, import_and_build, site_files
from store_helpers import make_page, make_post

from byline.cli import main
from byline.errors import PublishError
from byline.model import Outlet
from byline.publish import _posts as posts_module
from byline.publish import site as site_module
from byline.publish._docs import SearchDoc
from byline.publish.serve import Preview
from byline.settings import Settings, settings_from_dict
from byline.store import SQLiteStore

BEIJING_BINDS = "Beijing Binds: COVID-19 and the China-Central Asia Relationship"
BEIJING_HEADINGS = [
    "Patient Zero and Sinophobia",
    "Medical Aid Flows Both Ways",
    "Persistent Tensions",
    "Get Central Asia Moving Again",
    "Towards a Chinese e-future",
]
MIN_LINKED_NOTES = 60  # of Beijing Binds' 63 notes; one marker ("March 123") is ambiguous
H2 = re.compile(r"<h2>(.*?)</h2>")
LIST_LINKS = re.compile(r'<article class="post-summary">\s*<h2><a href="([^"]+)">(.*?)</a>')


# -- fixtures ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The test fixture pages, imported and built: (database, site folder)."""
    base = tmp_path_factory.mktemp("fixture-site")
    import_and_build(base / "a.db", [IMPORT_PAGES], base / "site")
    return base / "a.db", base / "site"


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The two seed pages, imported and built; skipped without the shared corpus."""
    if not (SEED_CATEGORY.exists() and SEED_TAG.exists()):
        pytest.skip(f"shared corpus seeds not found at {SEED_CATEGORY.parent}")
    base = tmp_path_factory.mktemp("seed-site")
    import_and_build(base / "seeds.db", [SEED_CATEGORY, SEED_TAG], base / "site")
    return base / "seeds.db", base / "site"


def saved(db: Path, *pages: Any) -> None:
    with SQLiteStore(db) as store:
        for page in pages:
            store.save_page(page)


def read(out: Path, url: str) -> str:
    path = out / url.strip("/") / "index.html" if url.endswith("/") else out / url.lstrip("/")
    return path.read_text("utf-8")


def listed(html: str) -> list[str]:
    """The post titles a listing page shows, in order."""
    return [title for _, title in LIST_LINKS.findall(html)]


# -- what is built ------------------------------------------------------------------


def test_every_post_has_a_page_at_its_permalink(fixture_site: tuple[Path, Path]) -> None:
    db, out = fixture_site
    with SQLiteStore(db) as store:
        posts = store.post_summaries()
    assert posts
    for post in posts:
        if post.published:
            url = f"/{post.published:%Y/%m}/{post.slug}/"
        else:
            url = f"/undated/{post.slug}/"
        assert f"<h1>{post.title}</h1>" in read(out, url).replace("&#39;", "'")


def test_the_site_has_its_fixed_pages(fixture_site: tuple[Path, Path]) -> None:
    _, out = fixture_site
    for name in (
        "index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "feed.xml",
        "rss.xml",
        "feed.json",
        "_redirects",
        "nginx-redirects.map",
        "static/byline.css",
        "categories/index.html",
        "tags/index.html",
        "outlets/index.html",
        "years/index.html",
        ".byline/manifest.json",
    ):
        assert (out / name).is_file(), name
    assert "Sitemap: https://example.org/sitemap.xml" in (out / "robots.txt").read_text()


def test_archive_titles_use_the_blogs_words(fixture_site: tuple[Path, Path]) -> None:
    _, out = fixture_site
    assert "<h1>Archive for the ‘Columns’ Category</h1>" in read(out, "/category/columns/")
    assert "<h1>Posts Tagged ‘Ferries’</h1>" in read(out, "/tag/ferries/")
    assert "<h1>Archive for 2023</h1>" in read(out, "/2023/")
    assert "Estuary Gazette" in read(out, "/outlet/estuary-gazette/")


def test_index_pages_list_every_archive_with_counts(fixture_site: tuple[Path, Path]) -> None:
    _, out = fixture_site
    tags = read(out, "/tags/")
    assert '<a href="/tag/ferries/">Ferries</a> <span class="count">2 posts</span>' in tags
    assert 'href="/outlet/estuary-gazette/"' in read(out, "/outlets/")


def test_case_and_accent_variants_of_a_term_are_one_page(db_path: Path, tmp_path: Path) -> None:
    posts = [
        make_post("One", ["First."], tags=("Écologie",)),
        make_post("Two", ["Second."], tags=("ecologie",)),
        make_post("Three", ["Third."], tags=("ÉCOLOGIE",)),
    ]
    saved(db_path, make_page("a.txt", posts[:1]), make_page("b.txt", posts[1:]))
    out = tmp_path / "site"
    build(db_path, out)
    assert sorted(p.name for p in (out / "tag").iterdir()) == ["ecologie"]
    assert len(listed(read(out, "/tag/ecologie/"))) == 3
    assert read(out, "/tags/").count('href="/tag/') == 1


def test_terms_whose_slugs_collide_get_distinct_pages(db_path: Path, tmp_path: Path) -> None:
    saved(
        db_path,
        make_page("a.txt", [make_post("Plus", ["Text."], tags=("C++",))]),
        make_page("b.txt", [make_post("Plain", ["Text."], tags=("C",))]),
    )
    out = tmp_path / "site"
    build(db_path, out)
    assert "Posts Tagged ‘C++’" in read(out, "/tag/c/")  # stored first, keeps the plain slug
    assert "Posts Tagged ‘C’" in read(out, "/tag/c-2/")


def test_pagination_never_collides_with_a_similar_term(db_path: Path, tmp_path: Path) -> None:
    python = [make_post(f"Python {i}", [f"Post {i}."], tags=("python",)) for i in range(5)]
    saved(db_path, make_page("a.txt", [*python, make_post("Three", ["x."], tags=("python3",))]))
    out = tmp_path / "site"
    build(db_path, out, Settings(posts_per_page=2, base_url="https://example.org"))
    assert listed(read(out, "/tag/python/page/3/")) == ["Python 4"]
    assert listed(read(out, "/tag/python3/")) == ["Three"]
    page2 = read(out, "/tag/python/page/2/")
    assert 'rel="prev" href="/tag/python/"' in page2 or 'href="/tag/python/" rel="prev"' in page2


def test_dated_archives_go_newest_first_and_home_puts_undated_last(
    db_path: Path, tmp_path: Path
) -> None:
    posts = [
        make_post("Old", ["a."], tags=("t",), published=date(2019, 1, 1)),
        make_post("Undated", ["b."], tags=("u",)),
        make_post("New", ["c."], tags=("t",), published=date(2024, 1, 1)),
    ]
    saved(db_path, make_page("a.txt", posts))
    out = tmp_path / "site"
    build(db_path, out)
    assert listed(read(out, "/tag/t/")) == ["New", "Old"]
    assert listed(read(out, "/")) == ["New", "Old", "Undated"]
    assert (out / "2024/01/new/index.html").is_file()
    assert (out / "undated/undated/index.html").is_file()


def test_drafts_are_not_published(db_path: Path, tmp_path: Path) -> None:
    posts = [make_post("Public", ["a."]), make_post("Secret", ["b."], status="draft")]
    saved(db_path, make_page("a.txt", posts))
    out = tmp_path / "site"
    build(db_path, out)
    assert not (out / "undated/secret").exists()
    assert "Secret" not in (out / "sitemap.xml").read_text()


# -- the seed pages ----------------------------------------------------------------------


def test_the_nikkei_category_lists_its_ten_posts_in_page_order(
    seed_site: tuple[Path, Path],
) -> None:
    db, out = seed_site
    with SQLiteStore(db) as store:
        key = store.resolve_archive("category", "Nikkei Asia Review")
        assert key is not None
        expected = [p.post.title for p in store.archive_posts(key)]
    assert len(expected) == 10
    # None of the ten has a date, so the page's own (newest first) order is kept.
    assert listed(read(out, "/category/nikkei-asia-review/")) == expected


def test_the_china_central_asia_tag_lists_its_ten_posts(seed_site: tuple[Path, Path]) -> None:
    db, out = seed_site
    with SQLiteStore(db) as store:
        key = store.resolve_archive("tag", "China-Central Asia")
        assert key is not None
        expected = [p.post.title for p in store.archive_posts(key)]
    shown = listed(read(out, "/tag/china-central-asia/"))
    assert len(shown) == 10
    assert shown == expected
    assert "Posts Tagged ‘China-Central Asia’" in read(out, "/tag/china-central-asia/")


def test_beijing_binds_has_headings_and_linked_footnotes(seed_site: tuple[Path, Path]) -> None:
    _, out = seed_site
    html = read(out, "/undated/beijing-binds-covid-19-and-the-china-central-asia-relationship/")
    assert f"<h1>{BEIJING_BINDS}</h1>" in html
    headings = H2.findall(html)
    assert headings[: len(BEIJING_HEADINGS)] == BEIJING_HEADINGS
    for number in range(1, 64):
        assert f'<li id="fn-{number}" value="{number}">' in html
    linked = re.findall(r'<a href="#fn-(\d+)" id="fnref-\1"', html)
    back = re.findall(r'<a href="#fnref-(\d+)" class="backref"', html)
    assert len(linked) >= MIN_LINKED_NOTES
    assert sorted(linked, key=int) == sorted(back, key=int)
    # "the Uzbek,12 Kazakh13 and Kyrgyz14 governments" keeps its words, markers linked
    assert 'Uzbek,<sup class="fnref"><a href="#fn-12" id="fnref-12"' in html
    assert "Blogger’s note" in html and html.index('class="preface"') < html.index("<h1>")


def test_a_post_page_sets_apart_the_preface_and_credits_its_pictures(
    seed_site: tuple[Path, Path],
) -> None:
    _, out = seed_site
    html = read(out, "/undated/china-s-embrace-of-russia-is-mostly-for-show/")
    assert '<aside class="preface"' in html
    assert '<p class="standfirst">Rhetoric about close ties' in html
    assert '<span class="credit">Picture: Xinhua/AP</span>' in html
    assert 'role="img" aria-label="Xi Jinping and Vladimir Putin meet' in html
    assert "First published in <a" in html and "Nikkei Asia</a>" in html


def test_post_metadata_is_opengraph_json_ld_and_canonical(seed_site: tuple[Path, Path]) -> None:
    _, out = seed_site
    url = "/2020/05/rising-nationalism-tests-china-s-uneasy-partnerships-in-central-asia/"
    html = read(out, url)
    absolute = "https://example.org" + url
    assert f'<link rel="canonical" href="{absolute}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="{absolute}">' in html
    assert '<meta property="article:published_time" content="2020-05-29">' in html
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    data = json.loads(match.group(1))
    assert data["@type"] == "Article"
    assert data["headline"].startswith("Rising nationalism")
    assert data["datePublished"] == "2020-05-29"
    assert data["publisher"] == {"@type": "Organization", "name": "East Asia Forum"}
    assert data["author"] == {"@type": "Person", "name": "A. Writer"}
    assert data["mainEntityOfPage"]["@id"] == absolute
    assert 'type="application/atom+xml"' in html and 'href="/feed.xml"' in html


# -- redirects ------------------------------------------------------------------------------


def test_old_urls_get_a_refresh_page_and_both_redirect_maps(db_path: Path, tmp_path: Path) -> None:
    post = make_post("Moved piece", ["Text."], published=date(2021, 4, 5))
    post.old_urls = [
        "https://old.example.com/2019/03/old-slug/",
        "/?p=123",  # no file can stand for a query string
    ]
    saved(db_path, make_page("a.txt", [post]))
    with SQLiteStore(db_path) as store:
        assert [u.url for u in store.site_index().old_urls] == [
            "https://old.example.com/2019/03/old-slug/",
            "/?p=123",
        ]
    out = tmp_path / "site"
    report = build(db_path, out)
    refresh = (out / "2019/03/old-slug/index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=/2021/04/moved-piece/">' in refresh
    assert '<link rel="canonical" href="https://example.org/2021/04/moved-piece/">' in refresh
    assert (out / "_redirects").read_text() == "/2019/03/old-slug/ /2021/04/moved-piece/ 301\n"
    nginx = (out / "nginx-redirects.map").read_text()
    assert '"/2019/03/old-slug/" "/2021/04/moved-piece/";' in nginx
    assert '"/2019/03/old-slug" "/2021/04/moved-piece/";' in nginx
    assert any("?p=123" in warning for warning in report.warnings)


def test_an_old_url_never_replaces_a_page(db_path: Path, tmp_path: Path) -> None:
    post = make_post("Kept", ["Text."])
    post.old_urls = ["/tags/", "/../../etc/passwd"]
    saved(db_path, make_page("a.txt", [post, make_post("Other", ["x."], tags=("t",))]))
    out = tmp_path / "site"
    report = build(db_path, out)
    assert "Moved" not in (out / "tags/index.html").read_text()
    assert len(report.warnings) == 2
    assert not (tmp_path / "etc").exists()


# -- revisions, incremental builds, atomic builds --------------------------------------------


def test_every_write_to_a_post_bumps_its_revision(fresh_store: SQLiteStore, db_path: Path) -> None:
    post = make_post("Canal", ["Water."])
    fresh_store.save_page(make_page("a.txt", [post]))
    first = fresh_store.site_index().posts[0].revision
    fresh_store.save_page(make_page("a.txt", [post]))  # the same page again: no change
    assert fresh_store.site_index().posts[0].revision == first
    fresh_store.save_page(make_page("b.txt", [make_post("Canal", ["Water."], tags=("New",))]))
    second = fresh_store.site_index().posts[0].revision
    assert second > first
    fresh_store.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE blocks SET text = 'Edited.' WHERE role = 'body'")
    assert SQLiteStore(db_path).site_index().posts[0].revision > second


def many_posts(count: int) -> list[Any]:
    return [
        make_post(
            f"Piece {i}",
            [f"Body of piece {i}."],
            categories=("Columns" if i % 2 else "Letters",),
            tags=(f"tag{i % 3}",),
            outlet=Outlet(f"Outlet {i % 2}"),
            published=date(2020, 1 + i % 12, 1 + i % 28),
        )
        for i in range(count)
    ]


def test_a_rebuild_after_one_change_rewrites_only_what_shows_it(
    db_path: Path, tmp_path: Path
) -> None:
    posts = many_posts(24)
    saved(db_path, make_page("a.txt", posts))
    out = tmp_path / "site"
    settings = Settings(posts_per_page=5, base_url="https://example.org")
    build(db_path, out, settings)
    before = site_files(out)
    time.sleep(0.01)  # so that a rewrite would show in mtimes
    again = build(db_path, out, settings)
    assert again.written == 0 and again.removed == 0
    assert site_files(out) == before

    with sqlite3.connect(db_path) as conn:  # an editor changes one post's text
        conn.execute(
            "UPDATE blocks SET text = 'A new standfirst.'"
            " WHERE role = 'body' AND post_id = (SELECT id FROM posts WHERE title = 'Piece 7')"
        )
    showing = {p for p in before if "/2020/08/piece-7/" in (out / p).read_text("utf-8")}
    report = build(db_path, out, settings)
    assert "2020/08/piece-7/index.html" in report.written_paths
    after = site_files(out)
    for path, (mtime, digest) in before.items():
        if path not in report.written_paths and not path.startswith(".byline"):
            assert after[path] == (mtime, digest), path
    # Only pages that show the post were written (here its page and the site's
    # full-text feeds: listings show the excerpt kept in the store, unchanged).
    written = {p for p in report.written_paths if not p.startswith("search/")}
    assert written <= showing
    assert written >= {"2020/08/piece-7/index.html", "feed.xml", "rss.xml", "feed.json"}
    assert len(showing) < len(before) / 4


def test_a_new_tag_rewrites_the_post_its_archives_and_indexes_only(
    db_path: Path, tmp_path: Path
) -> None:
    posts = many_posts(24)
    saved(db_path, make_page("a.txt", posts))
    out = tmp_path / "site"
    build(db_path, out, Settings(posts_per_page=5, base_url="https://example.org"))
    showing = {p for p in site_files(out) if "/2020/08/piece-7/" in (out / p).read_text("utf-8")}
    tagged = make_post("Piece 7", ["Body of piece 7."], tags=("Brand new",))
    saved(db_path, make_page("b.txt", [tagged]))
    report = build(db_path, out, Settings(posts_per_page=5, base_url="https://example.org"))
    written = {p for p in report.written_paths if not p.startswith("search/")}
    new = {"tag/brand-new/index.html", "tag/brand-new/feed.xml", "tag/brand-new/rss.xml"}
    assert "2020/08/piece-7/index.html" in written and new <= written
    # Besides its new archive: its page, the feeds that carry its tags, the
    # tag index (a new count) and the sitemap (a new page); nothing else.
    assert written - new - {"tags/index.html", "sitemap.xml"} <= showing, written
    assert "2020/03/piece-2/index.html" not in written


def test_a_removed_post_loses_its_page(db_path: Path, tmp_path: Path) -> None:
    saved(db_path, make_page("a.txt", many_posts(4)))
    out = tmp_path / "site"
    build(db_path, out)
    assert (out / "2020/02/piece-1/index.html").is_file()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE posts SET status = 'draft' WHERE title = 'Piece 1'")
    report = build(db_path, out)
    assert "2020/02/piece-1/index.html" in report.removed_paths
    assert not (out / "2020/02/piece-1").exists()
    assert "piece-1/" not in (out / "sitemap.xml").read_text()


def test_a_failing_build_leaves_the_previous_site_intact(db_path: Path, tmp_path: Path) -> None:
    saved(db_path, make_page("a.txt", many_posts(6)))
    out = tmp_path / "site"
    build(db_path, out)
    before = site_files(out)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "list.html").write_text("{% extends 'base.html' %}{% block x %}")
    config = tmp_path / "byline.toml"
    config.write_text('title = "Broken"\n')
    broken = settings_from_dict({"title": "Broken"}, config)
    with pytest.raises(PublishError, match=r"list\.html"):
        build(db_path, out, broken)
    assert site_files(out) == before
    assert list((out / ".byline").iterdir()) == [out / ".byline" / "manifest.json"]


def test_a_failing_first_build_leaves_nothing(db_path: Path, tmp_path: Path) -> None:
    saved(db_path, make_page("a.txt", many_posts(2)))
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "post.html").write_text("{{ post.no_such_field }}")
    broken = settings_from_dict({}, tmp_path / "byline.toml")
    with pytest.raises(PublishError, match="no_such_field"):
        build(db_path, tmp_path / "site", broken)
    assert (
        sorted(p.name for p in tmp_path.iterdir()) == ["archive.db", "templates"]
        or not (tmp_path / "site").exists()
    )
    assert not any(p.name.startswith(".site.byline") for p in tmp_path.iterdir())


def test_user_templates_override_byline_s_own(db_path: Path, tmp_path: Path) -> None:
    saved(db_path, make_page("a.txt", many_posts(2)))
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>Lost at sea</h1>{% endblock %}'
    )
    settings = settings_from_dict({}, tmp_path / "byline.toml")
    out = tmp_path / "site"
    build(db_path, out, settings)
    assert "<h1>Lost at sea</h1>" in (out / "404.html").read_text()
    assert 'class="skip-link"' in (out / "404.html").read_text()  # the base layout is byline's


def test_a_full_build_leaves_identical_files_alone(db_path: Path, tmp_path: Path) -> None:
    saved(db_path, make_page("a.txt", many_posts(5)))
    out = tmp_path / "site"
    build(db_path, out)
    before = site_files(out)
    report = build(db_path, out, full=True)
    assert report.written == 0
    assert {k: v for k, v in site_files(out).items() if not k.startswith(".byline")} == {
        k: v for k, v in before.items() if not k.startswith(".byline")
    }


def test_settings_changes_rebuild_every_page(db_path: Path, tmp_path: Path) -> None:
    saved(db_path, make_page("a.txt", many_posts(3)))
    out = tmp_path / "site"
    build(db_path, out)
    report = build(db_path, out, Settings(title="Renamed"))
    assert report.written == report.pages + 0 or report.written >= report.pages
    assert "Renamed" in (out / "index.html").read_text()


# -- the search hook ------------------------------------------------------------------------


def test_the_search_index_is_told_what_changed(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[list[SearchDoc], Path, frozenset[int] | None]] = []

    def record(docs: Any, out_dir: Path, changed: frozenset[int] | None) -> None:
        calls.append((list(docs), out_dir, changed))

    monkeypatch.setattr(site_module, "search_writer", lambda: record)
    saved(db_path, make_page("a.txt", many_posts(3)))
    out = tmp_path / "site"
    build(db_path, out)
    docs, _, changed = calls[-1]
    assert changed is None  # a full index
    assert sorted(d.title for d in docs) == ["Piece 0", "Piece 1", "Piece 2"]
    doc = next(d for d in docs if d.title == "Piece 1")
    assert doc.url == "/2020/02/piece-1/" and doc.year == 2020 and doc.date == "2020-02-02"
    assert doc.outlet == "Outlet 1" and doc.topics == ("Columns", "tag1")
    assert "Body of piece 1." in doc.text

    build(db_path, out)
    assert len(calls) == 1  # nothing changed, nothing to tell
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE posts SET status = 'draft' WHERE title = 'Piece 0'")
        # An editor keeps the blocks and the searchable body in step.
        conn.execute("UPDATE blocks SET text = 'Edited.' WHERE post_id = 2 AND role = 'body'")
        conn.execute("UPDATE posts SET body = 'Edited.' WHERE id = 2")
    build(db_path, out)
    docs, _, changed = calls[-1]
    assert changed == frozenset({1, 2})
    assert [d.id for d in docs] == [2] and docs[0].text.endswith("Edited.")


# -- the command line and the preview server --------------------------------------------------


def test_byline_build_writes_the_site_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    runner = CliRunner()
    assert runner.invoke(main, ["--db", str(db), "import", str(IMPORT_PAGES)]).exit_code == 1
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert re.match(r"Built \d+ pages from \d+ posts in .*: \d+ files written", result.stdout)
    assert (out / "index.html").is_file()


def test_byline_build_refuses_a_missing_archive_and_a_bad_config(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no archive at" in result.stderr
    config = tmp_path / "byline.toml"
    config.write_text("posts_per_page = 'ten'\n")
    result = runner.invoke(main, ["build", "--config", str(config)])
    assert result.exit_code == 1 and "posts_per_page must be a number" in result.stderr


@pytest.fixture
def preview(db_path: Path, tmp_path: Path) -> Iterator[tuple[Preview, list[str], Path]]:
    saved(db_path, make_page("a.txt", many_posts(3)))
    out = tmp_path / "site"
    build(db_path, out)
    logged: list[str] = []

    def rebuild() -> str:
        return f"rebuilt {build(db_path, out).written}"

    server = Preview(
        out, port=0, rebuild=rebuild, watch=[db_path], log=logged.append, interval=0.05
    )
    server.start()
    yield server, logged, out
    server.stop()


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def wait_for(check: Callable[[], bool], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def test_the_preview_serves_the_site_and_rebuilds_on_change(
    preview: tuple[Preview, list[str], Path], db_path: Path
) -> None:
    server, logged, _ = preview
    assert server.url.startswith("http://127.0.0.1:")
    status, body = fetch(server.url)
    assert status == 200 and "Piece 2" in body
    status, body = fetch(server.url + "no/such/page/")
    assert status == 404 and "Page not found" in body
    saved(db_path, make_page("b.txt", [make_post("A fresh piece", ["New."])]))
    assert wait_for(lambda: "A fresh piece" in fetch(server.url)[1]), logged
    assert logged and logged[0].startswith("rebuilt")


def test_the_preview_stops_cleanly(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    saved(db_path, make_page("a.txt", many_posts(1)))
    build(db_path, out)
    server = Preview(out, port=0)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    assert fetch(server.url)[0] == 200
    server.server.shutdown()  # what Ctrl-C does to serve_forever
    thread.join(timeout=5)
    assert not thread.is_alive()
    server.stop()


def test_copying_a_built_site_keeps_it_whole(
    fixture_site: tuple[Path, Path], tmp_path: Path
) -> None:
    _, out = fixture_site
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    assert len(html_files(copy)) == len(html_files(out))
    assert SETTINGS.base_url in (copy / "sitemap.xml").read_text()


def test_worker_processes_build_the_same_site(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved(db_path, make_page("a.txt", many_posts(40)))
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build(db_path, serial)
    monkeypatch.setattr(site_module, "PARALLEL_MIN_POSTS", 1)
    report = build(db_path, parallel)  # a fresh folder: written in place, renamed at the end
    assert report.written == build(db_path, tmp_path / "third").written
    strip = {".byline/manifest.json"}

    def contents(out: Path) -> dict[str, str]:
        return {k: v[1] for k, v in site_files(out).items() if k not in strip}

    assert contents(parallel) == contents(serial)
    # Into an existing site: staged by several processes, then moved into place;
    # started afresh rather than forked, as under `byline serve` (threads running).
    monkeypatch.setattr(posts_module, "_context", lambda: multiprocessing.get_context("spawn"))
    renamed = Settings(title="Renamed", base_url="https://example.org")
    build(db_path, parallel, renamed)
    monkeypatch.setattr(site_module, "PARALLEL_MIN_POSTS", 10**9)
    build(db_path, serial, renamed)
    assert contents(parallel) == contents(serial)
    assert not list((parallel / ".byline").glob("staging-*"))
