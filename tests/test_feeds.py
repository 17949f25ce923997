"""Feeds, sitemap and robots.txt: they parse, they escape, they list what they should."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import feedparser
import pytest
from conftest import IMPORT_PAGES
from site_helpers import build, import_and_build
from store_helpers import make_page, make_post

from byline.model import Outlet
from byline.publish.feeds import (
    SITEMAP_MAX_URLS,
    FeedEntry,
    FeedInfo,
    atom_feed,
    json_feed,
    robots_txt,
    rss_feed,
    sitemaps,
)
from byline.store import SQLiteStore

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NASTY = "Fish & <chips> \x01 “quoted” ]]> </script>"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("feeds")
    import_and_build(base / "a.db", [IMPORT_PAGES], base / "site")
    return base / "site"


def feeds_in(out: Path) -> list[Path]:
    return sorted([*out.rglob("feed.xml"), *out.rglob("rss.xml")])


def test_every_feed_parses_without_bozo(site: Path) -> None:
    feeds = feeds_in(site)
    assert len(feeds) > 10
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.entries, path
        assert parsed.feed.title


def test_the_site_feeds_carry_whole_pieces(site: Path) -> None:
    atom = feedparser.parse((site / "feed.xml").read_bytes())
    assert atom.version == "atom10"
    first = atom.entries[0]
    assert first.link.startswith("https://example.org/")
    assert first.id == first.link
    assert "<p>" in first.content[0].value
    rss = feedparser.parse((site / "rss.xml").read_bytes())
    assert rss.version == "rss20"
    assert [e.link for e in rss.entries] == [e.link for e in atom.entries]


def test_archive_feeds_list_their_archive_newest_first(site: Path) -> None:
    parsed = feedparser.parse((site / "tag/ferries/feed.xml").read_bytes())
    assert parsed.feed.title.startswith("Posts Tagged ‘Ferries’")
    dates = [e.published_parsed for e in parsed.entries if "published_parsed" in e]
    assert dates == sorted(dates, reverse=True)
    assert all("content" not in e for e in parsed.entries)  # summaries only


def test_the_json_feed_is_json_feed_1_1(site: Path) -> None:
    data = json.loads((site / "feed.json").read_text("utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"] == "https://example.org/feed.json"
    assert data["items"] and all(i["id"] == i["url"] for i in data["items"])
    assert all("content_html" in i or "content_text" in i for i in data["items"])


def test_the_sitemap_lists_every_post_page(site: Path) -> None:
    root = ET.parse(site / "sitemap.xml").getroot()
    locs = {loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)}
    post_pages = [
        p
        for p in site.rglob("index.html")
        if p.parent.parent.name.isdigit() or p.parent.parent.name == "undated"
    ]
    assert post_pages
    for page in post_pages:
        url = "https://example.org/" + str(page.parent.relative_to(site)) + "/"
        assert url in locs
    assert "https://example.org/" in locs
    assert "https://example.org/tag/ferries/" in locs


def test_robots_points_at_the_sitemap() -> None:
    assert (
        robots_txt("https://x.org/sitemap.xml")
        .decode()
        .endswith("Sitemap: https://x.org/sitemap.xml\n")
    )


def entry(title: str = NASTY, published: date | None = date(2020, 1, 2)) -> FeedEntry:
    return FeedEntry(
        title=title,
        url="https://x.org/2020/01/a/",
        published=published,
        created="2024-05-01T10:00:00+00:00",
        summary=NASTY,
        content_html=f"<p>{NASTY}</p>",
        categories=(NASTY,),
        outlet="A & B",
    )


INFO = FeedInfo(NASTY, "https://x.org/feed.xml", "https://x.org/", NASTY, "en", NASTY)


@pytest.mark.parametrize("make", [atom_feed, rss_feed])
def test_any_text_is_escaped_and_parses(make: object) -> None:
    assert callable(make)
    data = make(INFO, [entry(), entry("Undated", None)])
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.entries[0].title == NASTY.replace("\x01", "")
    ET.fromstring(data)  # well-formed XML


def test_an_undated_entry_is_updated_when_it_was_stored() -> None:
    parsed = feedparser.parse(atom_feed(INFO, [entry(published=None)]))
    assert parsed.bozo == 0
    assert parsed.entries[0].updated == "2024-05-01T10:00:00Z"
    assert "published" not in parsed.entries[0]


def test_json_feed_escapes_nothing_it_should_not() -> None:
    data = json.loads(json_feed(INFO, [entry()]))
    assert data["items"][0]["title"] == NASTY


def test_a_huge_sitemap_is_split_under_an_index() -> None:
    urls = [(f"https://x.org/p/{i}/", None) for i in range(SITEMAP_MAX_URLS + 1)]
    documents = sitemaps(urls, "https://x.org/sitemap.xml")
    assert len(documents) == 3
    index = ET.fromstring(documents[0])
    assert [loc.text for loc in index.findall("s:sitemap/s:loc", SITEMAP_NS)] == [
        "https://x.org/sitemap-1.xml",
        "https://x.org/sitemap-2.xml",
    ]
    assert len(ET.fromstring(documents[2]).findall("s:url", SITEMAP_NS)) == 1


def test_feeds_name_the_outlet_s_display_name(db_path: Path, tmp_path: Path) -> None:
    from byline.settings import Settings

    post = make_post("Piece", ["Text."], outlet=Outlet("Nikkei Asia"), published=date(2021, 1, 1))
    with SQLiteStore(db_path) as store:
        store.save_page(make_page("a.txt", [post]))
    out = tmp_path / "site"
    settings = Settings(outlets=(("nikkei asia", "Nikkei Asia (Nikkei Asian Review)"),))
    build(db_path, out, settings)
    parsed = feedparser.parse((out / "outlet/nikkei-asia/feed.xml").read_bytes())
    assert parsed.bozo == 0
    assert "Nikkei Asia (Nikkei Asian Review)" in parsed.feed.title
