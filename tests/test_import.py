"""Importing pages through the Python API: files, folders, refusals, merging, seeds."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from conftest import IMPORT_PAGES, SEED_CATEGORY

from byline import Archive
from byline.api import find_pages, read_page, sample_path
from byline.errors import NotFoundError, ParseError, SourceError
from byline.publish import render_text

MIN_SEED_RATIO = 0.99  # archive text against the seed page, non-empty lines
SEED_POSTS = 20  # 10 on the category page, 10 on the tag page, none shared


def copy_pages(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(IMPORT_PAGES / name, folder / name)
    return folder


def non_empty_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# -- reading ----------------------------------------------------------------------


def test_read_page_recovers_posts_and_the_page_heading() -> None:
    page = read_page(IMPORT_PAGES / "columns.txt")
    assert page.title == "Archive for the ‘Columns’ Category"
    assert (page.archive_kind, page.archive_name, page.title_line) == ("category", "Columns", 1)
    assert [p.headline for p in page.posts] == [
        "Fares up, timetables down: the ferry deal nobody asked for",
        "The bridge that is always twenty years away",
    ]
    assert len(page.sha256) == 64


def test_a_legacy_cp1252_page_is_decoded() -> None:
    page = read_page(IMPORT_PAGES / "legacy_cp1252.txt")
    assert page.encoding == "cp1252"
    assert page.title == "Archive for the ‘Letters’ Category"
    assert page.posts[0].headline == "Keep the quay café open"


def test_a_page_that_is_not_an_archive_is_refused() -> None:
    with pytest.raises(ParseError, match=r"meeting_notes\.txt: .*archive page"):
        read_page(IMPORT_PAGES / "meeting_notes.txt")


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(SourceError, match="empty"):
        read_page(empty)


def test_find_pages_walks_folders_skips_hidden_files_and_duplicates(tmp_path: Path) -> None:
    folder = copy_pages(tmp_path / "pages", "columns.txt")
    copy_pages(folder / "nested", "tagged_ferries.txt")
    copy_pages(folder / ".hidden", "tagged_ecologie.txt")
    (folder / "notes.csv").write_text("not,a,source\n")  # not a kind byline reads
    files, refused = find_pages([folder, folder / "columns.txt", tmp_path / "missing.txt"])
    assert [f.relative_to(folder).as_posix() for f in files] == [
        "columns.txt",
        "nested/tagged_ferries.txt",
    ]
    assert [r.message for r in refused] == [f"{tmp_path / 'missing.txt'}: no such file or folder"]


def test_an_empty_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    files, refused = find_pages([tmp_path / "empty"])
    assert files == []
    assert "no files byline can import" in refused[0].message


# -- importing --------------------------------------------------------------------


def test_import_merges_a_post_seen_on_a_category_and_a_tag_page(
    tmp_path: Path, db_path: Path
) -> None:
    folder = copy_pages(tmp_path / "pages", "columns.txt", "tagged_ferries.txt")
    with Archive.open(db_path) as archive:
        report = archive.import_paths([folder])
        assert report.ok
        assert (report.new, report.merged, report.unchanged) == (3, 1, 0)
        posts = archive.posts()
    fares = [p for p in posts if p.title.startswith("Fares up")]
    assert len(fares) == 1
    assert fares[0].categories == ("Columns",)
    assert fares[0].tags == ("Ferries",)


def test_importing_again_changes_nothing(tmp_path: Path, db_path: Path) -> None:
    folder = copy_pages(tmp_path / "pages", "columns.txt", "tagged_ferries.txt")
    with Archive.open(db_path) as archive:
        archive.import_paths([folder])
        before = archive.counts()
        report = archive.import_paths([folder])
        assert (report.new, report.merged, report.unchanged) == (0, 0, 4)
        assert archive.counts() == before


def test_identity_is_content_not_file_name(tmp_path: Path, db_path: Path) -> None:
    first = copy_pages(tmp_path / "a", "columns.txt") / "columns.txt"
    renamed = tmp_path / "b" / "renamed.txt"
    renamed.parent.mkdir()
    shutil.copy(first, renamed)
    crlf = tmp_path / "b" / "windows.txt"
    crlf.write_bytes(first.read_bytes().replace(b"\n", b"\r\n"))
    with Archive.open(db_path) as archive:
        archive.import_paths([first])
        before = archive.counts()
        same_bytes = archive.import_paths([renamed])
        assert (same_bytes.new, same_bytes.merged) == (0, 0)
        assert archive.counts() == before
        other_bytes = archive.import_paths([crlf])  # a new page showing the same posts
        assert (other_bytes.new, other_bytes.merged) == (0, 2)
        after = archive.counts()
    assert (after.posts, after.sources) == (before.posts, before.sources + 1)


def test_a_folder_import_refuses_bad_files_and_imports_the_rest(
    tmp_path: Path, db_path: Path
) -> None:
    folder = copy_pages(tmp_path / "pages", "columns.txt", "meeting_notes.txt")
    (folder / "empty.txt").write_text("   \n")
    with Archive.open(db_path) as archive:
        report = archive.import_paths([folder])
        assert not report.ok
        assert sorted(Path(r.path).name for r in report.refused) == [
            "empty.txt",
            "meeting_notes.txt",
        ]
        assert archive.counts().posts == 2


def test_when_every_file_is_refused_the_database_is_not_created(
    tmp_path: Path, db_path: Path
) -> None:
    (tmp_path / "empty.txt").write_text("")
    with Archive.open(db_path) as archive:
        report = archive.import_paths([tmp_path / "empty.txt", IMPORT_PAGES / "meeting_notes.txt"])
    assert len(report.refused) == 2 and not report.stored
    assert not db_path.exists()


def test_archive_names_match_case_and_accent_insensitively(db_path: Path) -> None:
    with Archive.open(db_path) as archive:
        archive.import_paths([IMPORT_PAGES / "tagged_ecologie.txt"])
        page = archive.archive(tag="ECOLOGIE")
        assert page.title == "Posts Tagged ‘Écologie’"
        with pytest.raises(NotFoundError, match="try one of: Écologie"):
            archive.archive(tag="economics")
        with pytest.raises(ValueError, match="exactly one"):
            archive.archive(tag="x", category="y")


def test_a_tag_archive_lists_dated_posts_newest_first(db_path: Path) -> None:
    with Archive.open(db_path) as archive:
        archive.import_paths([IMPORT_PAGES / "tagged_ferries.txt"])
        page = archive.archive(tag="ferries")
    assert [p.post.published.isoformat() for p in page.posts if p.post.published] == [
        "2023-10-12",
        "2023-06-03",
    ]


def test_archive_text_reproduces_a_fixture_page(db_path: Path) -> None:
    with Archive.open(db_path) as archive:
        archive.import_paths([IMPORT_PAGES / "columns.txt"])
        text = render_text(archive.archive(category="columns"))
    source = (IMPORT_PAGES / "columns.txt").read_text("utf-8")
    assert non_empty_lines(text) == non_empty_lines(source)


def test_the_sample_archive_imports(db_path: Path) -> None:
    with Archive.open(db_path) as archive:
        report = archive.import_paths([sample_path()])
        assert report.ok and len(report.stored) == 3
        assert report.new >= 10 and report.merged >= 1
        assert archive.archive(tag="ports").posts


# -- the seed pages (shared corpus) -------------------------------------------------


def test_seed_pages_import_to_twenty_posts_once(seeds: list[Path], db_path: Path) -> None:
    with Archive.open(db_path) as archive:
        report = archive.import_paths(seeds)
        assert report.ok
        counts = archive.counts()
        assert counts.posts == SEED_POSTS
        again = archive.import_paths(seeds)
        assert (again.new, again.merged) == (0, 0)
        assert archive.counts() == counts


def test_seed_category_archive_reproduces_the_page(seeds: list[Path], db_path: Path) -> None:
    with Archive.open(db_path) as archive:
        archive.import_paths(seeds)
        text = render_text(archive.archive(category="Nikkei Asia Review"))
    expected = non_empty_lines(SEED_CATEGORY.read_text("utf-8"))
    ratio = difflib.SequenceMatcher(None, non_empty_lines(text), expected, autojunk=False).ratio()
    assert ratio >= MIN_SEED_RATIO


def test_seed_search_finds_karakalpakstan(seeds: list[Path], db_path: Path) -> None:
    with Archive.open(db_path) as archive:
        archive.import_paths(seeds)
        hits = archive.search("Karakalpakstan")
    assert hits[0].headline == "The Perils of Ignoring Eurasian Instability"
    assert "[Karakalpakstan]" in hits[0].snippet
