"""Rendering archive pages: title lines, order, text, JSON and escaped HTML."""

from __future__ import annotations

from datetime import date

from store_helpers import make_post

from byline.model import Outlet
from byline.publish import (
    ArchivePage,
    archive_json,
    archive_order,
    archive_title,
    render_html,
    render_text,
)
from byline.store import StoredPost


def stored(post_id: int, headline: str, published: date | None = None) -> StoredPost:
    return StoredPost(post_id, make_post(headline, [f"Body of {headline}."], published=published))


def test_title_lines_use_the_blogs_wording_and_curly_quotes() -> None:
    assert archive_title("category", "Columns") == "Archive for the ‘Columns’ Category"
    assert archive_title("tag", "Ports") == "Posts Tagged ‘Ports’"
    assert archive_title("outlet", "Nikkei Asia") == "Pieces Published in ‘Nikkei Asia’"


def test_all_dated_posts_go_newest_first_keeping_page_order_on_ties() -> None:
    posts = [
        stored(1, "Old", date(2020, 1, 1)),
        stored(2, "New", date(2024, 1, 1)),
        stored(3, "Same day A", date(2022, 5, 5)),
        stored(4, "Same day B", date(2022, 5, 5)),
    ]
    assert [p.id for p in archive_order(posts)] == [2, 3, 4, 1]


def test_one_undated_post_keeps_the_page_order() -> None:
    posts = [
        stored(1, "Old", date(2020, 1, 1)),
        stored(2, "Undated"),
        stored(3, "New", date(2024, 1, 1)),
    ]
    assert [p.id for p in archive_order(posts)] == [1, 2, 3]
    assert archive_order([]) == []


def test_text_is_title_then_every_block_one_paragraph_per_line() -> None:
    page = ArchivePage("tag", "Ports", [stored(1, "First"), stored(2, "Second")])
    assert render_text(page) == (
        "Posts Tagged ‘Ports’\n\nFirst\n\nBody of First.\n\nSecond\n\nBody of Second.\n"
    )


def test_json_keeps_every_block_with_its_line() -> None:
    page = ArchivePage("category", "Columns", [stored(7, "First")])
    data = archive_json(page)
    assert data["title"] == "Archive for the ‘Columns’ Category"
    assert data["posts"][0]["id"] == 7
    assert data["posts"][0]["blocks"] == [
        {"role": "headline", "text": "First", "line": 3},
        {"role": "body", "text": "Body of First.", "line": 5},
    ]


def test_html_escapes_everything_it_is_given() -> None:
    post = make_post(
        "<script>alert('x')</script> & more",
        ["Fish & chips <b>now</b>"],
        outlet=Outlet("A & B <Weekly>"),
        published=date(2023, 6, 3),
        tags=("<tag>",),
        extra=(("caption", "Boats at dusk. © Wren & Co"),),
    )
    html = render_html(ArchivePage("tag", "<tag>", [StoredPost(1, post)]))
    assert "<script>" not in html and "<b>" not in html and "<Weekly>" not in html
    assert "&lt;script&gt;" in html
    assert "Fish &amp; chips &lt;b&gt;now&lt;/b&gt;" in html
    assert "<figure><figcaption>Boats at dusk. © Wren &amp; Co</figcaption></figure>" in html
    assert '<time datetime="2023-06-03">3 June 2023</time>' in html
    assert "<title>Posts Tagged ‘&lt;tag&gt;’</title>" in html
