"""Markdown folders with Pelican, Hugo and Jekyll front matter."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import FIXTURES

from byline.errors import ParseError, SourceError
from byline.sources.markdown import find_markdown, read_markdown, split_front_matter

MARKDOWN = FIXTURES / "markdown"
HUGO = MARKDOWN / "hugo" / "content" / "posts"
JEKYLL = MARKDOWN / "jekyll"
PELICAN = MARKDOWN / "pelican" / "content"


def test_hugo_yaml_post() -> None:
    (post,) = read_markdown(HUGO / "when-the-canal-runs-dry.md").posts
    assert post.headline == "When the canal runs dry, the ports pay first"
    assert post.published_at == datetime(2023, 3, 5, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    assert post.categories == ["Drought Series", "Ports & Harbours"]
    assert post.tags == ["Canals", "Drought"]
    assert post.status == "publish" and post.slug == "when-the-canal-runs-dry"
    assert post.old_urls == ["/2023/03/05/canal-ports-drought/"]
    assert post.excerpt == "Why the ports at either end of a drying canal carry the cost."
    assert post.authors == ["Maren Castell"]
    assert [b.role for b in post.blocks] == [
        "headline", "preface", "body", "caption", "heading", "body",
        "body", "body", "body", "body", "body", "body", "footnote",
    ]  # fmt: skip
    assert "◦ paid by the hour" in post.texts("body")
    assert post.texts("caption") == [
        "Container ships wait at anchor outside the eastern locks. © Keelson Press"
    ]
    assert post.texts("footnote") == ["1. Canal Authority, Annual Report 2022, p. 14."]
    assert 'href="https://example.org/route"' in (post.body_html or "")
    lines = (HUGO / "when-the-canal-runs-dry.md").read_text().splitlines()
    heading = next(b for b in post.blocks if b.role == "heading")
    assert lines[heading.line - 1] == "## Who pays"


def test_hugo_toml_page_bundle_draft() -> None:
    (post,) = read_markdown(HUGO / "ports-bundle" / "index.md").posts
    assert post.status == "draft"
    assert post.slug == "ports-bundle"
    assert post.texts("caption") == ["The morning ferry leaves Kirkhavn. Photo: Harbour Gazette"]


def test_jekyll_post_takes_date_and_slug_from_its_name() -> None:
    (post,) = read_markdown(JEKYLL / "_posts" / "2023-01-20-the-underwriters.md").posts
    assert post.published == date(2023, 1, 20) and post.published_at is None
    assert post.slug == "the-underwriters"
    assert post.categories == ["columns", "meridian-quarterly"]
    assert post.tags == ["insurance", "shipping"]
    assert post.old_urls == ["/2023/01/20/underwriters-old/"]
    assert post.texts("caption") == ["The underwriting room at Lime Street."]
    assert post.preface[0].startswith("A second piece for Meridian Quarterly")
    assert "include" not in " ".join(b.text for b in post.blocks)


def test_jekyll_drafts_folder() -> None:
    (post,) = read_markdown(JEKYLL / "_drafts" / "northern-sea-route.md").posts
    assert post.status == "draft"


def test_pelican_header_post_and_page() -> None:
    (post,) = read_markdown(PELICAN / "reading-list.md").posts
    assert post.status == "private"  # Pelican's "hidden"
    assert post.published_at == datetime(2023, 6, 12, 17, 20)
    assert post.categories == ["Columns"]
    assert post.tags == ["reports", "boards", "reading"]
    assert post.authors == ["Maren Castell", "Ilse Brandt"]
    assert post.texts("heading") == ["Notes"]
    assert post.texts("footnote") == ["1. All five are public; two need a free registration."]
    assert "2. The insurers' market notice" in post.texts("body")
    (page,) = read_markdown(PELICAN / "pages" / "about.md").posts
    assert page.post_type == "page"


def test_front_matter_styles() -> None:
    assert split_front_matter("---\ntitle: A\n---\nBody\n").style == "yaml"
    assert split_front_matter("+++\ntitle = 'A'\n+++\nBody\n").style == "toml"
    assert split_front_matter("Title: A\nDate: 2020-01-01\n\nBody\n").style == "pelican"
    assert split_front_matter("Just text: with a colon\n\nBody\n").style == "none"


def test_find_markdown_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "x.md").write_text("# hidden")
    (tmp_path / "a.md").write_text("# A")
    assert find_markdown(tmp_path) == [tmp_path / "a.md"]


# -- hostile and awkward files ----------------------------------------------------------


def test_yaml_alias_bomb_is_refused() -> None:
    with pytest.raises(ParseError, match=r"yaml-bomb\.md: front matter is not valid YAML"):
        read_markdown(MARKDOWN / "hostile" / "yaml-bomb.md")


def test_scripts_in_markdown_leave_nothing() -> None:
    (post,) = read_markdown(MARKDOWN / "hostile" / "script.md").posts
    for text in [b.text for b in post.blocks] + [post.body_html or ""]:
        for word in ("alert", "<script", "javascript:", "onerror", "onclick", "iframe"):
            assert word not in text


def test_windows_1252_markdown_is_decoded() -> None:
    contents = read_markdown(MARKDOWN / "hostile" / "legacy-cp1252.md")
    (post,) = contents.posts
    assert contents.page.encoding == "cp1252"
    assert post.headline == "Gardez le café du quai ouvert"
    assert post.tags == ["café", "quai"]
    assert post.published == date(2011, 2, 14)


def test_broken_toml_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text('+++\ntitle = "unterminated\n+++\nBody\n')
    with pytest.raises(ParseError, match=r"bad\.md: front matter is not valid TOML"):
        read_markdown(bad)


def test_oversized_markdown_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    with big.open("wb") as handle:
        handle.write(b"---\ntitle: Big\n---\n")
        handle.truncate(50 * 2**20)
    with pytest.raises(SourceError, match=r"big\.md: file is 50\.0 MB, over the 4 MB limit"):
        read_markdown(big)
