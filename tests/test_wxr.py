"""WordPress exports: what is kept from each item, and what is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import FIXTURES

from byline.errors import ParseError, SourceError
from byline.model import Post
from byline.sources.wxr import iter_wxr_posts, read_wxr, wp_datetime

WXR = FIXTURES / "wxr"
SALTROADS = WXR / "saltroads.wordpress.xml"
PLUS_ONE = timezone(timedelta(hours=1))


@pytest.fixture(scope="module")
def saltroads() -> dict[str, Post]:
    return {post.slug: post for post in read_wxr(SALTROADS).posts}


def roles(post: Post) -> list[tuple[str, str]]:
    return [(b.role, b.text) for b in post.blocks]


def test_every_status_is_kept_and_machinery_is_skipped() -> None:
    contents = read_wxr(SALTROADS)
    statuses = sorted(p.status for p in contents.posts)
    assert statuses == ["draft", "future", "pending", "private", "publish", "publish", "publish"]
    assert dict(contents.skipped) == {"nav_menu_item": 1, "revision": 1, "trash": 1}
    assert contents.page.kind == "wxr"
    assert contents.page.title == contents.site_title == "Salt Roads"
    assert contents.site_url == "https://saltroads.example"
    assert len(contents.page.sha256) == 64


def test_pages_are_posts_with_their_type(saltroads: dict[str, Post]) -> None:
    assert saltroads["about"].post_type == "page"
    assert saltroads["when-the-canal-runs-dry"].post_type == "post"


def test_category_hierarchy_by_slug_and_tags() -> None:
    terms = read_wxr(SALTROADS).terms
    categories = {t.slug: t for t in terms if t.kind == "category"}
    assert categories["drought-series"].parent == "meridian-quarterly"
    assert categories["meridian-quarterly"].parent == "columns"
    assert categories["columns"].parent is None
    assert categories["ports-harbours"].name == "Ports & Harbours"  # entity decoded
    assert categories["meridian-quarterly"].description == "Pieces written for Meridian Quarterly"
    assert sorted(t.name for t in terms if t.kind == "tag") == ["Canals", "Drought", "Insurance"]


def test_several_categories_and_tags_on_one_post(saltroads: dict[str, Post]) -> None:
    post = saltroads["when-the-canal-runs-dry"]
    assert post.categories == ["Drought Series", "Ports & Harbours"]
    assert post.tags == ["Canals", "Drought"]


def test_dates_come_from_gmt_with_the_site_offset(saltroads: dict[str, Post]) -> None:
    post = saltroads["when-the-canal-runs-dry"]
    # 23:30 GMT on the 4th is 00:30 local on the 5th: the instant and the blog's day both hold
    assert post.published_at == datetime(2023, 3, 5, 0, 30, tzinfo=PLUS_ONE)
    assert post.published_at.astimezone(UTC) == datetime(2023, 3, 4, 23, 30, tzinfo=UTC)
    assert post.published == date(2023, 3, 5)


def test_a_draft_without_gmt_date_keeps_its_local_date(saltroads: dict[str, Post]) -> None:
    post = saltroads["notes-on-the-northern-sea-route"]  # empty post_name: slug from title
    assert post.status == "draft"
    assert post.published_at == datetime(2023, 10, 2, 22, 45)
    assert post.published_at.tzinfo is None
    assert post.authors == ["Ilse Brandt"]


def test_wp_datetime_pairs() -> None:
    assert wp_datetime("2023-01-01 12:00:00", "2023-01-01 12:00:00") == datetime(
        2023, 1, 1, 12, tzinfo=UTC
    )
    assert wp_datetime("0000-00-00 00:00:00", "2023-01-01 12:00:00") == datetime(
        2023, 1, 1, 12, tzinfo=UTC
    )
    assert wp_datetime("", "") is None
    assert wp_datetime("2023-01-01 12:00:00", "2001-01-01 12:00:00") == datetime(
        2001, 1, 1, 12, tzinfo=UTC
    )  # an offset of 22 years is a broken pair: the GMT instant wins


def test_blocks_by_role(saltroads: dict[str, Post]) -> None:
    post = saltroads["when-the-canal-runs-dry"]
    assert roles(post) == [
        ("headline", "When the canal runs dry, the ports pay first"),
        (
            "preface",
            "A new column for Meridian Quarterly looking at what the long drought in the canal"
            " zone means for the ports that depend on it.",
        ),
        (
            "body",
            "For most of the past century, the great canals were treated as fixed features of"
            " the map, as dependable as a mountain range.[1] That assumption is now being tested"
            " by rainfall.",
        ),
        ("caption", "Container ships wait at anchor outside the eastern locks. © Keelson Press"),
        ("heading", "Who pays"),
        (
            "body",
            "Shipping companies adapt quickly. They lighten cargoes, pay for priority slots or"
            " send vessels the long way round.",
        ),
        ("body", "• Lighter cargoes"),
        ("body", "• Priority slots"),
        ("body", "• The long way round"),
        ("body", "A port cannot sail around a drought."),
        ("body", "The harbours at either end of the passage have no such option."),
        ("footnote", "1. Canal Authority, Annual Report 2022, p. 14."),
    ]
    assert post.outlet is not None and post.outlet.name == "Meridian Quarterly"
    assert post.piece.captions[0].credit == "Keelson Press"


def test_more_tag_teaser_is_not_a_preface_and_notes_after_a_rule_are_footnotes(
    saltroads: dict[str, Post],
) -> None:
    post = saltroads["the-underwriters-who-decide"]
    assert post.status == "future"
    assert post.preface == []
    assert post.texts("footnote") == [
        "1. Lloyd's Market Association, listed areas, December 2029.",
        "2. Interviews with two brokers, London, November 2029.",
    ]
    assert "<!--more-->" in (post.body_html or "")


def test_block_editor_footnotes_from_post_meta(saltroads: dict[str, Post]) -> None:
    post = saltroads["notes-on-the-northern-sea-route"]
    assert post.texts("footnote") == [
        "1. Northern Sea Route Administration, transit statistics 2023."
    ]
    assert "footnotes" not in dict(post.post_meta)  # now in the body, not kept twice


def test_excerpt_sticky_guid_and_old_urls(saltroads: dict[str, Post]) -> None:
    post = saltroads["when-the-canal-runs-dry"]
    assert post.excerpt == "Why the ports at either end of a drying canal carry the cost."
    assert post.sticky is True
    assert post.guid == "https://saltroads.example/?p=101"
    assert post.original_id == "101"
    assert post.old_slugs == ["canal-ports-drought"]
    assert post.old_urls == [
        "https://saltroads.example/2023/03/05/when-the-canal-runs-dry/",
        "https://saltroads.example/2023/03/05/canal-ports-drought/",
    ]
    assert ("_thumbnail_id", "107") in post.post_meta
    assert saltroads["about"].sticky is False


def test_password_protected_post_is_marked_and_the_password_not_kept(
    saltroads: dict[str, Post],
) -> None:
    post = saltroads["for-the-editors"]
    assert post.protected is True
    assert "tide-table" not in repr(post)


def test_attachment_caption_goes_to_its_parent(saltroads: dict[str, Post]) -> None:
    (attachment,) = saltroads["when-the-canal-runs-dry"].attachments
    assert attachment.url == "https://saltroads.example/wp-content/uploads/2023/03/anchorage.jpg"
    assert attachment.caption == (
        "Container ships wait at anchor outside the eastern locks. © Keelson Press"
    )
    assert attachment.alt == "Ships at anchor"
    assert attachment.status == "inherit"
    assert all(p.post_type != "attachment" for p in saltroads.values())


def test_comments_are_kept_sanitised(saltroads: dict[str, Post]) -> None:
    comments = saltroads["when-the-canal-runs-dry"].comments
    assert [(c.id, c.author, c.parent, c.status) for c in comments] == [
        ("11", "Tomas Reyes", None, "1"),
        ("12", "Maren Castell", "11", "1"),
        ("13", "cheap pills", None, "spam"),
    ]
    assert comments[0].published_at == datetime(2023, 3, 5, 8, 15, tzinfo=PLUS_ONE)
    assert (
        "onclick" not in comments[0].html and 'href="https://example.org/gatun"' in comments[0].html
    )
    assert "script" not in comments[2].html and "document.location" not in comments[2].html


def test_sources_point_at_item_lines(saltroads: dict[str, Post]) -> None:
    post = saltroads["when-the-canal-runs-dry"]
    (source,) = post.sources
    assert source.kind == "wxr"
    lines = SALTROADS.read_text().splitlines()
    assert lines[source.line_start - 1].strip() == "<item>"
    assert "When the canal runs dry" in lines[post.blocks[0].line - 1]


def test_streaming_reader_yields_posts() -> None:
    assert [p.slug for p in iter_wxr_posts(SALTROADS)][:2] == [
        "when-the-canal-runs-dry",
        "the-underwriters-who-decide",
    ]


def test_a_legacy_wxr_1_1_in_windows_1252() -> None:
    contents = read_wxr(WXR / "legacy-cp1252.wxr.xml")
    (post,) = contents.posts
    assert contents.page.encoding == "cp1252"
    assert post.headline == "Gardez le café du quai ouvert"
    assert post.texts("body")[1] == "C’est la troisième fois en deux ans."
    assert post.categories == ["Lettres ouvertes"] and post.tags == ["café"]
    assert post.published_at == datetime(2011, 2, 14, 9, 30, tzinfo=PLUS_ONE)


# -- refusals ---------------------------------------------------------------------


def test_xxe_payload_is_refused_without_reading_the_entity() -> None:
    with pytest.raises(SourceError, match=r"xxe\.xml: XML declares entities") as caught:
        read_wxr(WXR / "xxe.xml")
    assert "root:" not in str(caught.value)
    assert "\n" not in str(caught.value)


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(SourceError, match=r"billion-laughs\.xml: XML declares entities"):
        read_wxr(WXR / "billion-laughs.xml")


def test_truncated_export_is_refused_whole() -> None:
    with pytest.raises(ParseError, match=r"truncated\.xml: XML is not well-formed") as caught:
        read_wxr(WXR / "truncated.xml")
    assert "\n" not in str(caught.value)


def test_an_rss_feed_is_not_an_export(tmp_path: Path) -> None:
    feed = FIXTURES / "feeds" / "saltroads.rss"
    with pytest.raises(ParseError, match=r"saltroads\.rss: an RSS file, not a WordPress export"):
        read_wxr(feed)


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    deep = tmp_path / "deep.xml"
    deep.write_text(
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        + "<x>" * 100
        + "</x>" * 100
        + "</channel></rss>"
    )
    with pytest.raises(SourceError, match=r"deep\.xml: XML nested deeper than 64 levels"):
        read_wxr(deep)
