"""Deciding the reader by content, and refusing what no reader takes, in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, IMPORT_PAGES

from byline.errors import ParseError, SourceError
from byline.sources.detect import detect_kind, find_sources, read_source


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (FIXTURES / "wxr" / "saltroads.wordpress.xml", "wxr"),
        (FIXTURES / "wxr" / "legacy-cp1252.wxr.xml", "wxr"),
        (FIXTURES / "wxr" / "xxe.xml", "wxr"),
        (FIXTURES / "feeds" / "saltroads.rss", "feed"),
        (FIXTURES / "feeds" / "meridian.atom", "feed"),
        (FIXTURES / "feeds" / "saltroads.json", "feed"),
        (FIXTURES / "html" / "article.html", "html"),
        (FIXTURES / "html" / "wayback-article.html", "html"),
        (
            FIXTURES / "markdown" / "hugo" / "content" / "posts" / "ports-bundle" / "index.md",
            "markdown",
        ),
        (FIXTURES / "markdown" / "pelican" / "content" / "reading-list.md", "markdown"),
        (IMPORT_PAGES / "columns.txt", "archive-text"),
    ],
)
def test_detects_by_content(path: Path, kind: str) -> None:
    assert detect_kind(path) == kind


def test_content_beats_the_name(tmp_path: Path) -> None:
    disguised = tmp_path / "export.txt"
    disguised.write_bytes((FIXTURES / "wxr" / "saltroads.wordpress.xml").read_bytes())
    assert detect_kind(disguised) == "wxr"
    page = tmp_path / "page.dat"
    page.write_bytes((FIXTURES / "html" / "article.html").read_bytes())
    assert detect_kind(page) == "html"
    front = tmp_path / "post.txt"
    front.write_text("---\ntitle: A post\n---\n\nText.\n")
    assert detect_kind(front) == "markdown"


def test_read_source_dispatches() -> None:
    assert read_source(FIXTURES / "wxr" / "saltroads.wordpress.xml").page.kind == "wxr"
    assert read_source(FIXTURES / "feeds" / "meridian.atom").page.kind == "feed"
    assert read_source(FIXTURES / "html" / "category-archive.html").page.kind == "html-listing"
    assert read_source(IMPORT_PAGES / "columns.txt").page.kind == "archive-text"


REFUSALS = [
    (FIXTURES / "wxr" / "xxe.xml", SourceError, "XML declares entities"),
    (FIXTURES / "wxr" / "billion-laughs.xml", SourceError, "XML declares entities"),
    (FIXTURES / "wxr" / "truncated.xml", ParseError, "XML is not well-formed"),
    (FIXTURES / "feeds" / "xxe.atom", SourceError, "XML declares entities"),
    (FIXTURES / "markdown" / "hostile" / "yaml-bomb.md", ParseError, "not valid YAML"),
]


@pytest.mark.parametrize(("path", "error", "reason"), REFUSALS)
def test_refusals_are_one_line_naming_the_file(
    path: Path, error: type[Exception], reason: str
) -> None:
    with pytest.raises(error) as caught:
        read_source(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and reason in message
    assert "\n" not in message


def test_the_xxe_target_is_never_read() -> None:
    with pytest.raises(SourceError) as caught:
        read_source(FIXTURES / "wxr" / "xxe.xml")
    assert "root:x:0:0" not in str(caught.value)


def test_a_50_mb_file_is_refused_by_its_size_unread(tmp_path: Path) -> None:
    for name, head in (
        ("huge.html", b"<!DOCTYPE html><html><body>"),
        ("huge.rss", b'<?xml version="1.0"?><rss version="2.0"><channel>'),
        ("huge.md", b"---\ntitle: Huge\n---\n"),
        ("huge.txt", b"Archive for the 'Huge' Category\n\n"),
    ):
        path = tmp_path / name
        with path.open("wb") as handle:
            handle.write(head + b"Text that goes on and on.\n" * 4000)  # past what sniffing reads
            handle.truncate(50 * 2**20)  # sparse: the rest is NULs, refused as binary if read
        with pytest.raises(
            SourceError, match=r"file is 5\d\.\d MB, over the \d+ MB limit"
        ) as caught:
            read_source(path)
        assert str(caught.value).startswith(f"{path}: ")


def test_unknown_xml_and_json_are_refused(tmp_path: Path) -> None:
    svg = tmp_path / "logo.xml"
    svg.write_text('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>')
    with pytest.raises(SourceError, match=r"logo\.xml: XML, but not a WordPress export or a feed"):
        detect_kind(svg)
    data = tmp_path / "data.json"
    data.write_text('{"rows": []}')
    with pytest.raises(SourceError, match=r"data\.json: JSON, but not a JSON Feed"):
        detect_kind(data)


def test_empty_binary_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match=r"empty\.xml: file is empty"):
        detect_kind(empty)
    binary = tmp_path / "photo.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(SourceError, match=r"photo\.html: file is binary"):
        detect_kind(binary)
    with pytest.raises(SourceError, match=r"missing\.xml: cannot read"):
        detect_kind(tmp_path / "missing.xml")


def test_find_sources(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text("<rss/>")
    (tmp_path / "b.md").write_text("# B")
    (tmp_path / "c.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "d.txt").write_text("x")
    assert [p.name for p in find_sources(tmp_path)] == ["a.xml", "b.md"]
