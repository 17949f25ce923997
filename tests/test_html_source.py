"""Saved HTML pages: outlet articles, blog archive pages, web-archive captures, hostile markup."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import FIXTURES

from byline.errors import ParseError, SourceError
from byline.sources._html_blocks import read_html_body
from byline.sources.html import read_html

HTML = FIXTURES / "html"
HOSTILE_WORDS = ("alert", "<script", "javascript:", "onerror", "onclick", "steal", "tracking")


def roles_of(post: object) -> list[str]:
    return [b.role for b in post.blocks]  # type: ignore[attr-defined]


def test_outlet_article_structure_layer() -> None:
    contents = read_html(HTML / "article.html")
    (post,) = contents.posts
    assert contents.page.kind == "html"
    assert post.headline == "The underwriters who decide where ships sail"
    assert post.standfirst == "War-risk premiums now shape trade routes more than naval patrols do"
    assert post.authors == ["Maren Castell"]
    assert post.published_at == datetime(2023, 4, 11, 6, tzinfo=timezone(timedelta(hours=1)))
    assert post.outlet is not None and post.outlet.name == "Meridian Quarterly"
    assert post.piece.captions[0].text == "The underwriting room at Lime Street."
    assert post.piece.captions[0].credit == "Keelson Press"
    assert post.texts("heading") == ["Three things move the premium"]
    assert "• The cargo and its value" in post.texts("body")
    assert post.texts("footnote") == [
        "1. Lloyd's Market Association, Joint War Committee listed areas, March 2023."
    ]
    assert post.texts("bio") == [
        "Maren Castell is a senior fellow at the Aldermoor Institute for Maritime Studies in Bristol."
    ]
    assert (
        post.url
        == "https://meridian-quarterly.example/2023/04/underwriters-decide-where-ships-sail"
    )
    assert post.categories == ["Shipping"] and "insurance" in post.tags
    # navigation, related-article teasers and the footer are not the piece
    text = " ".join(b.text for b in post.blocks)
    assert "Subscribe" not in text and "Short teaser" not in text and "Privacy" not in text


def test_scripts_handlers_and_javascript_links_leave_nothing_in_blocks() -> None:
    for name in ("article.html", "wayback-article.html", "category-archive.html"):
        for post in read_html(HTML / name).posts:
            for block in post.blocks:
                assert not any(w in block.text for w in HOSTILE_WORDS), (name, block)
            for word in HOSTILE_WORDS:
                assert word not in (post.body_html or "")


def test_sanitised_body_html_keeps_links_but_no_script() -> None:
    body = read_html_body(
        '<p onclick="x()">Hi <a href="javascript:alert(1)">bad</a> <a href="https://ok.example/">ok</a>'
        '<script>alert(2)</script><img src="x" onerror="alert(3)"></p><iframe src="https://e/"></iframe>'
    )
    assert 'href="https://ok.example/"' in body.html
    for word in ("alert", "onclick", "onerror", "javascript", "iframe", "script"):
        assert word not in body.html
    assert [b.text for b in body.blocks] == ["Hi bad ok"]


def test_blog_category_page_gives_one_post_per_article() -> None:
    contents = read_html(HTML / "category-archive.html")
    page = contents.page
    assert page.kind == "html-listing"
    assert page.title == "Archive for the ‘Meridian Quarterly’ Category"
    assert (page.archive_kind, page.archive_name) == ("category", "Meridian Quarterly")
    first, second = page.posts
    assert first.headline == "When the canal runs dry, the ports pay first"
    assert first.url == "https://saltroads.example/2023/03/05/when-the-canal-runs-dry/"
    assert first.published == date(2023, 3, 5)
    assert first.categories == ["Meridian Quarterly", "Ports & Harbours"]
    assert first.tags == ["Canals"]
    assert first.authors == ["Maren Castell"]
    assert roles_of(first) == ["headline", "preface", "body", "body"]
    assert first.outlet is not None and first.outlet.name == "Meridian Quarterly"
    assert second.preface and second.preface[0].startswith("A second piece for Meridian Quarterly")
    assert second.tags == ["Insurance"]
    assert "Recent Posts" not in " ".join(b.text for p in page.posts for b in p.blocks)


def test_archive_page_without_post_markup_falls_back_to_text_recovery() -> None:
    contents = read_html(HTML / "archive-no-markup.html")
    page = contents.page
    assert page.kind == "html-listing"
    assert (page.archive_kind, page.archive_name) == ("category", "Columns")
    assert [p.headline for p in page.posts] == [
        "When the canal runs dry, the ports pay first",
        "The underwriters who decide where ships sail",
    ]
    assert page.posts[0].published == date(2023, 3, 5)
    assert page.posts[0].categories == ["Columns"]


def test_wayback_capture_is_unwrapped() -> None:
    contents = read_html(HTML / "wayback-article.html")
    (post,) = contents.posts
    assert contents.original_url == (
        "https://harbour-gazette.example/opinion/2016/05/ferries-fares-island-vote"
    )
    assert contents.captured_at == datetime(2016, 5, 12, 8, 30, 15, tzinfo=UTC)
    assert post.url == contents.original_url
    assert post.headline == "Ferries, fares and the island vote"
    assert post.standfirst == "Island councils want the subsidy back; the ministry wants a tender"
    assert post.outlet is not None and post.outlet.name == "The Harbour Gazette"
    assert post.published == date(2016, 5, 11)
    assert post.piece.captions[0].credit == "Harbour Gazette"
    text = " ".join(b.text for b in post.blocks)
    assert "Wayback" not in text and "captures" not in text and "Donate" not in text
    assert "web.archive.org" not in text


def test_windows_1252_page_is_decoded() -> None:
    contents = read_html(HTML / "legacy-cp1252.html")
    (post,) = contents.posts
    assert contents.page.encoding == "cp1252"
    assert post.headline == "Gardez le café du quai ouvert"
    assert post.texts("body")[0].startswith(
        "Le café du quai ferme ses portes « pour travaux » – encore"
    )


def test_an_oversized_page_is_refused_without_being_read(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    with big.open("wb") as handle:
        handle.write(b"<!DOCTYPE html><html><body><p>start</p>")
        handle.truncate(50 * 2**20)  # sparse: 50 MB on paper, nothing to read
    with pytest.raises(
        SourceError, match=r"big\.html: file is 50\.0 MB, over the 16 MB limit for an HTML page$"
    ):
        read_html(big)


def test_deeply_nested_html_is_refused(tmp_path: Path) -> None:
    deep = tmp_path / "deep.html"
    deep.write_text("<html><body>" + "<div>" * 230 + "x" + "</div>" * 230 + "</body></html>")
    with pytest.raises(SourceError, match=r"deep\.html: HTML nested deeper than 200 levels"):
        read_html(deep)


def test_a_page_with_nothing_in_it_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><script>alert(1)</script></head><body></body></html>")
    with pytest.raises(ParseError, match=r"empty\.html: no article or posts found"):
        read_html(empty)
