"""Hostile and odd files through the real command line into a real SQLite file.

Each is refused or cleaned as docs/importing.md says; nothing executes; the
database changes only by what was accepted (its bytes, when all is refused;
its table counts otherwise); and no script survives into the built site.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURES, IMPORT_PAGES

from byline.cli import main

MIB = 2**20
BIG_BYTES = 50 * MIB
REFUSE_SECONDS = 5.0  # a bomb or a huge file is refused at once, not after expanding it
OWN_SCRIPTS = re.compile(
    r'<script src="[^"]*static/search\.js"[^>]*></script>'
    r'|<script type="application/ld\+json">[^<]*</script>'
)  # the site's own: its search and its JSON-LD (whose text may hold no "<")
HOSTILE = re.compile(r"<script|onerror|onclick|javascript:|<iframe", re.IGNORECASE)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def table_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'posts_fts%' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names
        }


def stored_text(db: Path) -> str:
    """Every text column of every row, as one string to search."""
    with sqlite3.connect(db) as conn:
        parts: list[str] = []
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            if name.startswith(("posts_fts", "sqlite_")):
                continue
            for row in conn.execute(f'SELECT * FROM "{name}"'):
                parts.extend(str(value) for value in row if isinstance(value, str))
    return "\n".join(parts)


@pytest.fixture
def archive_db(db_path: Path) -> Path:
    result = run("--db", str(db_path), "import", str(IMPORT_PAGES / "columns.txt"))
    assert result.exit_code == 0, result.output
    return db_path


def big_file(path: Path, head: bytes) -> Path:
    """A 50 MB file whose first 128 KB read as the kind ``head`` starts (the rest is sparse)."""
    with path.open("wb") as handle:
        handle.write(head + b"Some words of text. " * (128 * 1024 // 20))
        handle.truncate(BIG_BYTES)  # sparse: 50 MB on paper, made at once
    return path


REFUSED = {
    "xxe.xml": (FIXTURES / "wxr" / "xxe.xml", "XML declares entities"),
    "xxe.atom": (FIXTURES / "feeds" / "xxe.atom", "XML declares entities"),
    "billion-laughs.xml": (FIXTURES / "wxr" / "billion-laughs.xml", "XML declares entities"),
    "truncated.xml": (FIXTURES / "wxr" / "truncated.xml", "XML is not well-formed"),
    "yaml-bomb.md": (FIXTURES / "markdown" / "hostile" / "yaml-bomb.md", "YAML aliases"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_hostile_file_is_refused_in_one_line_and_the_database_is_untouched(
    archive_db: Path, name: str
) -> None:
    path, reason = REFUSED[name]
    before = archive_db.read_bytes()
    started = time.perf_counter()
    result = run("--db", str(archive_db), "import", str(path))
    assert time.perf_counter() - started < REFUSE_SECONDS
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: {path}: ") and reason in line
    assert "Traceback" not in result.output
    assert archive_db.read_bytes() == before
    assert not Path(f"{archive_db}-wal").exists() or Path(f"{archive_db}-wal").stat().st_size == 0


@pytest.mark.parametrize(
    ("name", "head", "limit"),
    [
        ("huge.html", b"<!DOCTYPE html>\n<html><body><p>", "16 MB limit for an HTML page"),
        ("huge.txt", b"Archive for the Big Category\n\n", "8 MB"),
        ("huge.md", b"---\ntitle: Big\n---\n\n", "4 MB limit for a Markdown post"),
        ("huge.rss", b'<?xml version="1.0"?>\n<rss version="2.0"><channel>', "16 MB limit"),
    ],
)
def test_a_50_mb_file_is_refused_by_its_size_unread(
    archive_db: Path, tmp_path: Path, name: str, head: bytes, limit: str
) -> None:
    big = big_file(tmp_path / name, head)
    before = archive_db.read_bytes()
    started = time.perf_counter()
    result = run("--db", str(archive_db), "import", str(big))
    assert time.perf_counter() - started < REFUSE_SECONDS
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert str(big) in line and " MB, over the " in line and limit in line
    assert archive_db.read_bytes() == before


def test_a_big_wordpress_export_is_streamed_not_refused(archive_db: Path, tmp_path: Path) -> None:
    """WXR's limit is 2 GB: a 50 MB export of one post (padded with a long comment) imports."""
    source = (FIXTURES / "wxr" / "legacy-cp1252.wxr.xml").read_bytes()
    padded = source.replace(
        b"</channel>", b"<!--" + b" " * (BIG_BYTES - len(source)) + b"--></channel>"
    )
    big = tmp_path / "big.wordpress.xml"
    big.write_bytes(padded)
    assert big.stat().st_size >= BIG_BYTES
    result = run("--db", str(archive_db), "import", str(big))
    assert result.exit_code == 0, result.output
    assert "1 new post" in result.stdout


def test_hostile_html_markdown_and_comments_are_cleaned_and_no_script_reaches_the_site(
    archive_db: Path, tmp_path: Path
) -> None:
    before = table_counts(archive_db)
    accepted = [
        FIXTURES / "html" / "article.html",  # <script>, onerror=, onclick=, javascript:, iframe
        FIXTURES / "markdown" / "hostile" / "script.md",
        FIXTURES / "wxr" / "harbourlights.wordpress.xml",  # a spam comment with a script
    ]
    result = run("--db", str(archive_db), "import", *map(str, accepted))
    assert result.exit_code == 0, result.output
    after = table_counts(archive_db)
    assert after["sources"] == before["sources"] + len(accepted)
    assert after["posts"] == before["posts"] + 1 + 1 + 13
    assert after["comments"] == 2
    text = stored_text(archive_db)
    assert not HOSTILE.search(text), HOSTILE.search(text)
    assert "alert(" not in text.replace("alert('title')", "")  # the title keeps it as words
    out = tmp_path / "site"
    built = run("--db", str(archive_db), "build", "--out", str(out))
    assert built.exit_code == 0, built.output
    checked = 0
    for path in out.rglob("*"):
        if not path.is_file() or path.suffix not in {".html", ".xml", ".json", ".txt", ".map"}:
            continue
        content = path.read_text("utf-8")
        found = HOSTILE.search(OWN_SCRIPTS.sub("", content))
        assert found is None, f"{path.relative_to(out)}: {found.group()!r}"
        checked += 1
    assert checked > 20


def test_windows_1252_files_are_read_as_such(archive_db: Path, tmp_path: Path) -> None:
    legacy = [
        FIXTURES / "html" / "legacy-cp1252.html",
        FIXTURES / "wxr" / "legacy-cp1252.wxr.xml",
        FIXTURES / "markdown" / "hostile" / "legacy-cp1252.md",
        IMPORT_PAGES / "legacy_cp1252.txt",
    ]
    for path in legacy:
        assert b"\xe9" in path.read_bytes()  # é in Windows-1252, not UTF-8
    result = run("--db", str(archive_db), "import", *map(str, legacy))
    assert result.exit_code == 0, result.output
    with sqlite3.connect(archive_db) as conn:
        encodings = {row[0] for row in conn.execute("SELECT encoding FROM sources")}
        titles = {row[0] for row in conn.execute("SELECT title FROM posts")}
    assert "cp1252" in encodings
    assert any("café" in title for title in titles)
    assert "\ufffd" not in stored_text(archive_db)


def test_a_folder_import_reports_every_refused_file_and_imports_the_rest(
    archive_db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for path, _ in REFUSED.values():
        shutil.copy(path, folder / path.name)
    shutil.copy(FIXTURES / "feeds" / "saltroads.rss", folder)
    shutil.copy(FIXTURES / "html" / "article.html", folder)
    big_file(folder / "huge.html", b"<html><body>")
    (folder / "notes.csv").write_text("skipped: not a kind byline reads\n")
    before = table_counts(archive_db)
    result = run("--db", str(archive_db), "import", str(folder))
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == len(REFUSED) + 1
    assert all(line.startswith(f"Error: {folder}") for line in errors)
    assert "Imported 2 files" in result.stdout and f"{len(REFUSED) + 1} refused" in result.stdout
    after = table_counts(archive_db)
    assert after["sources"] == before["sources"] + 2
    assert os.path.getsize(folder / "huge.html") == BIG_BYTES
