"""Round trips through the archive: WXR → byline → WXR → byline, Markdown → byline → Markdown → byline."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, IMPORT_PAGES

from byline import Archive
from byline.cli import main
from byline.export import read_json
from byline.model import Post, Term
from byline.sources.wxr import read_wxr

WXR_FILES = [
    FIXTURES / "wxr" / "saltroads.wordpress.xml",
    FIXTURES / "wxr" / "harbourlights.wordpress.xml",
]
MARKDOWN = FIXTURES / "markdown"
MARKDOWN_SITES = ["hugo", "jekyll", "pelican"]


def essence(post: Post) -> dict[str, Any]:
    """What a round trip must keep: the post, its terms, dates and status."""
    return {
        "title": post.title,
        "slug": post.slug,
        "blocks": [(b.role, b.text) for b in post.blocks],
        "categories": post.categories,
        "tags": post.tags,
        "published": post.published,
        "published_at": post.published_at,
        "status": "private" if post.protected else post.status,  # WXR has no password to keep
        "post_type": post.post_type,
        "authors": post.authors,
        "excerpt": post.excerpt,
        "sticky": post.sticky,
    }


def archive_posts(db: Path) -> dict[str, dict[str, Any]]:
    with Archive.open(db) as archive:
        return {p.slug: essence(p) for p in archive.store.export_posts()}


def term_tree(db: Path) -> set[tuple[str, str, str | None]]:
    with Archive.open(db) as archive:
        terms: list[Term] = archive.store.declared_terms()
    return {(t.kind, t.name, t.parent) for t in terms}


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("export", WXR_FILES, ids=lambda p: p.name)
def test_wxr_to_byline_to_wxr_to_byline(export: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    cli("--db", str(first), "import", str(export))
    out = tmp_path / "exported.xml"
    cli("--db", str(first), "export", "--format", "wxr", "--out", str(out))
    cli("--db", str(second), "import", str(out))
    assert archive_posts(second) == archive_posts(first)
    assert term_tree(second) == term_tree(first)
    original = read_wxr(export)
    assert {(t.kind, t.name, t.parent) for t in original.terms} <= term_tree(second)
    public = {p.slug for p in original.posts if p.status == "publish" and not p.protected}
    listed = json.loads(cli("--db", str(second), "posts", "--format", "json"))
    assert {p["slug"] for p in listed} == {
        s for s in public if archive_posts(first)[s]["post_type"] == "post"
    }
    # and a second pass changes nothing
    again = tmp_path / "again.xml"
    cli("--db", str(second), "export", "--format", "wxr", "--out", str(again))
    third = tmp_path / "third.db"
    cli("--db", str(third), "import", str(again))
    assert archive_posts(third) == archive_posts(second)


@pytest.mark.parametrize("style", ["hugo", "pelican"])
def test_markdown_to_byline_to_markdown_to_byline(style: str, tmp_path: Path) -> None:
    sites = tmp_path / "in"
    for name in MARKDOWN_SITES:
        shutil.copytree(MARKDOWN / name, sites / name)
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    cli("--db", str(first), "import", str(sites))
    folder = tmp_path / "out"
    cli(
        "--db", str(first), "export", "--format", "markdown", "--style", style, "--out", str(folder)
    )
    assert sorted(p.name for p in folder.rglob("*.md"))
    cli("--db", str(second), "import", str(folder))
    before, after = archive_posts(first), archive_posts(second)
    assert after.keys() == before.keys()
    for slug, post in before.items():
        kept = {k: post[k] for k in ("blocks", "categories", "tags", "published", "status")}
        assert {k: after[slug][k] for k in kept} == kept, slug
        if style == "hugo":  # Pelican's Date header keeps no offset the Hugo files had
            assert after[slug]["published_at"] == post["published_at"], slug


def test_json_export_to_standard_output_has_every_source(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    cli("--db", str(db), "import", str(IMPORT_PAGES / "columns.txt"), str(WXR_FILES[1]))
    text = cli("--db", str(db), "export", "--format", "json", "--out", "-")
    data = json.loads(text)
    assert data["format"] == "byline-posts" and len(data["posts"]) == 15
    kinds = {s["kind"] for p in data["posts"] for s in p["sources"]}
    assert kinds == {"archive-text", "wxr"}
    saved = tmp_path / "archive.json"
    cli("--db", str(db), "export", "--format", "json", "--out", str(saved))
    posts, terms, _ = read_json(saved)
    assert len(posts) == 15 and any(t.parent == "ports" for t in terms)
    assert not list(tmp_path.glob(".byline-*"))  # written through a temporary file


def test_wxr_export_to_a_stream_and_published_only(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    cli("--db", str(db), "import", str(WXR_FILES[1]))
    with Archive.open(db) as archive:
        buffer = io.StringIO()
        written = archive.export("wxr", buffer, include_all=False)
    assert written == 8  # seven public posts and the one attachment filed under them
    assert "Private: budget figures" not in buffer.getvalue()
    result = CliRunner().invoke(
        main, ["--db", str(db), "export", "--format", "markdown", "--out", "-"]
    )
    assert result.exit_code == 1 and "a Markdown export is a folder" in result.stderr
