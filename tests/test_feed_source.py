"""RSS, Atom and JSON Feed files into posts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import FIXTURES

from byline.errors import ParseError, SourceError
from byline.sources.feed import read_feed

FEEDS = FIXTURES / "feeds"


def test_wordpress_rss_feed() -> None:
    contents = read_feed(FEEDS / "saltroads.rss")
    first, second = contents.posts
    assert contents.page.kind == "feed"
    assert contents.page.title == "Salt Roads"
    assert first.headline == "When the canal runs dry, the ports pay first"
    assert first.published_at == datetime(2023, 3, 4, 23, 30, tzinfo=UTC)
    assert first.categories == ["Meridian Quarterly", "Ports & Harbours"]
    assert first.tags == ["Canals"]  # domain="post_tag" says tag
    assert first.authors == ["Maren Castell"]
    assert first.guid == "https://saltroads.example/?p=101"
    assert first.url == "https://saltroads.example/2023/03/05/when-the-canal-runs-dry/"
    assert first.excerpt == "Why the ports at either end of a drying canal carry the cost."
    assert [b.role for b in first.blocks] == ["headline", "preface", "body", "heading", "body"]
    assert first.outlet is not None and first.outlet.name == "Meridian Quarterly"
    # an item with only a description is read from it
    assert second.texts("body") == [
        "Underwriters in London quietly decide which sea lanes stay busy."
    ]
    assert second.excerpt is None


def test_feed_html_is_sanitised() -> None:
    first = read_feed(FEEDS / "saltroads.rss").posts[0]
    for text in [b.text for b in first.blocks] + [first.body_html or ""]:
        for word in ("alert", "script", "javascript", "onerror"):
            assert word not in text


def test_atom_feed_with_offsets_schemes_and_text_content() -> None:
    first, second = read_feed(FEEDS / "meridian.atom").posts
    assert first.published_at == datetime(2023, 4, 11, 6, tzinfo=timezone(timedelta(hours=1)))
    assert first.categories == ["Shipping"] and first.tags == ["insurance"]
    assert first.texts("footnote") == ["1. Lloyd's Market Association, March 2023."]
    assert first.excerpt == "War-risk premiums now shape trade routes more than naval patrols do"
    assert second.published == date(2023, 3, 5)  # no <published>: <updated>
    assert second.texts("body") == [
        "For most of the past century, the great canals were treated as fixed features of the map.",
        "That assumption is now being tested by rainfall.",
    ]
    assert second.excerpt is None  # the summary feedparser copies from the content is no excerpt
    lines = (FEEDS / "meridian.atom").read_text().splitlines()
    assert lines[first.sources[0].line_start - 1].strip() == "<entry>"


def test_json_feed() -> None:
    contents = read_feed(FEEDS / "saltroads.json")
    first, second = contents.posts
    assert contents.page.title == "Salt Roads"
    assert first.tags == ["Ferries", "Islands"]
    assert first.published_at == datetime(2023, 11, 1, 10, tzinfo=timezone(timedelta(hours=1)))
    assert first.texts("body") == [
        "Island councils want the subsidy back. The ministry wants a tender.",
        "Fares rose by a third in January.",
    ]
    assert "onmouseover" not in (first.body_html or "")
    assert second.texts("body")[1] == "She writes about ports, canals and the sea lanes."


def test_xxe_in_a_feed_is_refused() -> None:
    with pytest.raises(SourceError, match=r"xxe\.atom: XML declares entities"):
        read_feed(FEEDS / "xxe.atom")


def test_truncated_feed_is_refused(tmp_path: Path) -> None:
    cut = tmp_path / "cut.rss"
    cut.write_bytes((FEEDS / "saltroads.rss").read_bytes()[:1500])
    with pytest.raises(ParseError, match=r"cut\.rss: XML is not well-formed"):
        read_feed(cut)


def test_json_that_is_not_a_feed_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "data.json"
    other.write_text('{"rows": [1, 2, 3]}')
    with pytest.raises(SourceError, match=r"data\.json: JSON, but not a JSON Feed"):
        read_feed(other)


def test_a_feed_with_no_entries_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.rss"
    empty.write_text('<rss version="2.0"><channel><title>Nothing yet</title></channel></rss>')
    with pytest.raises(ParseError, match=r"empty\.rss: a feed with no entries"):
        read_feed(empty)
