"""The command line: import, posts, archive, search, --db and bad input."""

from __future__ import annotations

import difflib
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import IMPORT_PAGES, SEED_CATEGORY

from byline.cli import main

MIN_SEED_RATIO = 0.99
BINARY_BYTES = 200 * 1024
HUGE_LINE_BYTES = 20 * 1024 * 1024


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def imported(db: Path, *pages: str) -> Path:
    result = run("--db", str(db), "import", *(str(IMPORT_PAGES / p) for p in pages))
    assert result.exit_code == 0, result.output
    return db


def assert_clean_failure(result: Result) -> None:
    """Non-zero exit, exactly one line on stderr, and no traceback anywhere."""
    assert result.exit_code != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


# -- import ---------------------------------------------------------------------


def test_import_prints_a_summary(db_path: Path) -> None:
    result = run(
        "import",
        "--db",
        str(db_path),
        str(IMPORT_PAGES / "columns.txt"),
        str(IMPORT_PAGES / "tagged_ferries.txt"),
    )
    assert result.exit_code == 0
    assert result.stdout.strip() == (
        "Imported 2 files: 3 new posts, 1 merged, 0 unchanged; 0 refused."
    )
    again = run("import", "--db", str(db_path), str(IMPORT_PAGES / "columns.txt"))
    assert "0 new posts, 0 merged, 2 unchanged" in again.stdout


def test_db_can_come_from_the_group_the_command_or_the_environment(tmp_path: Path) -> None:
    page = str(IMPORT_PAGES / "columns.txt")
    assert run("--db", str(tmp_path / "group.db"), "import", page).exit_code == 0
    assert run("import", "--db", str(tmp_path / "command.db"), page).exit_code == 0
    env = {"BYLINE_DB": str(tmp_path / "env.db")}
    assert run("import", page, env=env).exit_code == 0
    # the command's own --db wins over the group's and the environment's
    both = run("--db", str(tmp_path / "x.db"), "import", "--db", str(tmp_path / "y.db"), page)
    assert both.exit_code == 0
    names = sorted(p.name for p in tmp_path.glob("*.db"))
    assert names == ["command.db", "env.db", "group.db", "y.db"]


@pytest.mark.parametrize("kind", ["empty", "binary", "huge-line", "not-archive", "missing"])
def test_bad_input_fails_cleanly_and_leaves_the_database_untouched(
    tmp_path: Path, db_path: Path, kind: str
) -> None:
    imported(db_path, "columns.txt")
    before = db_path.read_bytes()
    bad = tmp_path / f"{kind}.txt"
    if kind == "empty":
        bad.write_bytes(b"")
    elif kind == "binary":
        bad.write_bytes(os.urandom(BINARY_BYTES) + b"\x00")
    elif kind == "huge-line":
        bad.write_bytes(b"a" * HUGE_LINE_BYTES)
    elif kind == "not-archive":
        shutil.copy(IMPORT_PAGES / "meeting_notes.txt", bad)
    result = run("--db", str(db_path), "import", str(bad))
    assert_clean_failure(result)
    assert str(bad) in result.stderr
    assert result.stdout == ""
    assert db_path.read_bytes() == before


def test_bad_input_alone_creates_no_database(tmp_path: Path, db_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert_clean_failure(run("--db", str(db_path), "import", str(empty)))
    assert not db_path.exists()


def test_a_folder_import_reports_every_refusal_at_the_end(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(IMPORT_PAGES / "columns.txt", folder)
    shutil.copy(IMPORT_PAGES / "meeting_notes.txt", folder)
    (folder / "zero.txt").write_text("")
    result = run("--db", str(db_path), "import", str(folder))
    assert result.exit_code == 1
    assert "Imported 1 file: 2 new posts, 0 merged, 0 unchanged; 2 refused." in result.stdout
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2
    assert all(line.startswith("Error: ") for line in errors)
    assert "Traceback" not in result.output


# -- posts, archive, search --------------------------------------------------------


def test_posts_json_lists_published_posts_with_their_terms(db_path: Path) -> None:
    imported(db_path, "columns.txt", "tagged_ferries.txt")
    result = run("posts", "--db", str(db_path), "--format", "json")
    assert result.exit_code == 0
    posts = json.loads(result.stdout)
    assert len(posts) == 3
    keys = {"id", "headline", "outlet", "categories", "tags", "published", "status"}
    assert all(keys <= set(p) for p in posts)
    fares = next(p for p in posts if p["headline"].startswith("Fares up"))
    assert (fares["categories"], fares["tags"]) == (["Columns"], ["Ferries"])
    assert fares["published"] == "2023-10-12"
    assert fares["outlet"] == "Estuary Gazette"


def test_posts_table_has_a_row_per_post(db_path: Path) -> None:
    imported(db_path, "columns.txt")
    result = run("--db", str(db_path), "posts")
    lines = result.stdout.strip().splitlines()
    assert lines[0].split() == ["ID", "PUBLISHED", "OUTLET", "HEADLINE"]
    assert len(lines) == 3


def test_reading_before_any_import_is_a_clean_error(db_path: Path) -> None:
    result = run("--db", str(db_path), "posts")
    assert_clean_failure(result)
    assert "no archive at" in result.stderr
    assert not db_path.exists()


def test_archive_text_shows_every_line_of_the_page(db_path: Path) -> None:
    imported(db_path, "columns.txt")
    result = run("--db", str(db_path), "archive", "--category", "COLUMNS")
    assert result.exit_code == 0
    source = (IMPORT_PAGES / "columns.txt").read_text("utf-8")
    assert [ln for ln in result.stdout.splitlines() if ln.strip()] == [
        ln for ln in source.splitlines() if ln.strip()
    ]
    assert "\n\n" in result.stdout  # paragraphs separated by blank lines


def test_archive_by_outlet_and_json(db_path: Path) -> None:
    imported(db_path, "columns.txt", "tagged_ferries.txt")
    result = run(
        "--db", str(db_path), "archive", "--outlet", "the estuary gazette", "--format", "json"
    )
    page = json.loads(result.stdout)
    assert page["kind"] == "outlet"
    assert page["title"] == "Pieces Published in ‘Estuary Gazette’"
    assert len(page["posts"]) == 2
    first = page["posts"][0]
    assert first["blocks"][0] == {"role": "preface", "text": first["blocks"][0]["text"], "line": 3}
    assert first["origin"]["path"].endswith("columns.txt")


def test_archive_html_is_a_whole_escaped_page(db_path: Path) -> None:
    imported(db_path, "columns.txt")
    result = run("--db", str(db_path), "archive", "--category", "columns", "--format", "html")
    html = result.stdout
    assert html.startswith("<!DOCTYPE html>")
    assert "<h1>Archive for the ‘Columns’ Category</h1>" in html
    assert "<h2>Fares up, timetables down: the ferry deal nobody asked for</h2>" in html
    assert "&#34;twenty years away&#34;" in html  # quotes in the text are escaped
    assert "<script" not in html and "http" not in html  # self-contained


def test_archive_needs_exactly_one_name(db_path: Path) -> None:
    imported(db_path, "columns.txt")
    result = run("--db", str(db_path), "archive")
    assert result.exit_code == 2
    unknown = run("--db", str(db_path), "archive", "--tag", "nope")
    assert_clean_failure(unknown)
    assert "no tag named 'nope'" in unknown.stderr


def test_search_json_is_ranked_with_snippets(db_path: Path) -> None:
    imported(db_path, "columns.txt", "tagged_ferries.txt")
    result = run("--db", str(db_path), "search", "Quillmouth", "--format", "json")
    hits = json.loads(result.stdout)
    assert len(hits) == 1
    assert {"id", "headline", "outlet", "published", "snippet", "score"} <= set(hits[0])
    assert "[Quillmouth]" in hits[0]["snippet"]


@pytest.mark.parametrize(
    "query", ['"', "AND", "NEAR(", "col:x", "*", "a OR", "'); DROP TABLE posts"]
)
def test_search_accepts_any_string(db_path: Path, query: str) -> None:
    imported(db_path, "columns.txt")
    result = run("--db", str(db_path), "search", query)
    assert result.exit_code == 0, result.output


def test_sample_path_demo(tmp_path: Path) -> None:
    sample = run("sample-path").stdout.strip()
    db = str(tmp_path / "demo.db")
    assert run("--db", db, "import", sample).exit_code == 0
    assert run("--db", db, "posts").exit_code == 0
    assert run("--db", db, "archive", "--tag", "Ports").exit_code == 0


# -- the seed pages (shared corpus) -------------------------------------------------


def test_seed_archive_and_search_from_the_command_line(seeds: list[Path], db_path: Path) -> None:
    assert run("--db", str(db_path), "import", *map(str, seeds)).exit_code == 0
    text = run("--db", str(db_path), "archive", "--category", "Nikkei Asia Review").stdout
    expected = [ln for ln in SEED_CATEGORY.read_text("utf-8").splitlines() if ln.strip()]
    got = [ln for ln in text.splitlines() if ln.strip()]
    assert difflib.SequenceMatcher(None, got, expected, autojunk=False).ratio() >= MIN_SEED_RATIO
    hits = json.loads(
        run("--db", str(db_path), "search", "Karakalpakstan", "--format", "json").stdout
    )
    assert hits[0]["headline"] == "The Perils of Ignoring Eurasian Instability"
