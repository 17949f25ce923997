"""Importing every kind of source: folders, the summary, the progress bar, provenance."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import FIXTURES, IMPORT_PAGES

from byline import Archive
from byline._progress import ImportProgress
from byline.api import find_pages
from byline.cli import main


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_folder_of_every_kind_imports_with_one_summary(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "everything"
    shutil.copytree(FIXTURES / "markdown" / "hugo", folder / "hugo")
    for path in [
        FIXTURES / "wxr" / "saltroads.wordpress.xml",
        FIXTURES / "feeds" / "meridian.atom",
        FIXTURES / "feeds" / "saltroads.json",
        FIXTURES / "html" / "wayback-article.html",
        IMPORT_PAGES / "columns.txt",
    ]:
        shutil.copy(path, folder)
    files, refused = find_pages([folder])
    assert len(files) == 7 and not refused
    result = CliRunner().invoke(main, ["--db", str(db_path), "import", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Imported 7 files: ")
    assert result.stderr == ""
    with Archive.open(db_path) as archive:
        kinds = {s.kind for p in archive.store.export_posts() for s in p.sources}
        assert kinds == {"wxr", "feed", "html", "markdown", "archive-text"}
        capture = next(
            s
            for p in archive.posts(include_all=True)
            for s in archive.sources(p.id)
            if s.kind == "html"
        )
    assert capture.captured_at is not None and capture.url and "web.archive.org" not in capture.url


def test_the_progress_bar_shows_only_on_a_terminal_for_many_files(tmp_path: Path) -> None:
    piped, terminal = io.StringIO(), Terminal()
    with ImportProgress(piped) as quiet, ImportProgress(terminal) as loud:
        for done in range(1, 8):
            quiet(done, 7, tmp_path / f"page{done}.txt")
            loud(done, 7, tmp_path / f"page{done}.txt")
    assert piped.getvalue() == ""
    assert "Importing" in terminal.getvalue()
    few = Terminal()
    with ImportProgress(few) as progress:
        progress(1, 2, tmp_path / "a.txt")
    assert few.getvalue() == ""


def test_import_paths_reports_progress_file_by_file(db_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    with Archive.open(db_path) as archive:
        archive.import_paths(
            [IMPORT_PAGES / "columns.txt", IMPORT_PAGES / "meeting_notes.txt"],
            index=False,
            progress=lambda done, total, path: seen.append((done, total, path.name)),
        )
    assert seen == [(1, 2, "columns.txt"), (2, 2, "meeting_notes.txt")]


def test_sources_json_names_kind_address_date_and_what_each_gives(db_path: Path) -> None:
    runner = CliRunner()
    saltroads = FIXTURES / "wxr" / "saltroads.wordpress.xml"
    runner.invoke(main, ["--db", str(db_path), "import", str(saltroads)])
    listed = json.loads(
        runner.invoke(main, ["--db", str(db_path), "posts", "--format", "json"]).stdout
    )
    result = runner.invoke(
        main, ["--db", str(db_path), "sources", str(listed[0]["id"]), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    (source,) = json.loads(result.stdout)
    assert source["kind"] == "wxr" and source["matched"] == "first"
    assert source["url"].startswith("https://saltroads.example/")
    assert source["path"] == str(saltroads.resolve())
    assert set(source["gives"]) >= {"piece", "record"}
    missing = runner.invoke(main, ["--db", str(db_path), "sources", "999"])
    assert missing.exit_code == 1 and "no post with id 999" in missing.stderr
