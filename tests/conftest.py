"""Shared test fixtures: a fresh store in a temp file, the fixture pages, the shared corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from byline.store import SQLiteStore

FIXTURES = Path(__file__).resolve().parent / "fixtures"
IMPORT_PAGES = FIXTURES / "import"
# The shared corpus sits beside the checkout (../shared), not inside it.
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "corpus" / "seeds"
SEED_CATEGORY = SEEDS / "000_a3f7d3e7b1547d9e.txt"
SEED_TAG = SEEDS / "002_94b8d8578fb05f96.txt"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's archive database goes (not created yet)."""
    return tmp_path / "archive.db"


@pytest.fixture
def fresh_store(db_path: Path) -> Iterator[SQLiteStore]:
    """An empty SQLite store in a temp file; created by its first write."""
    store = SQLiteStore(db_path)
    yield store
    store.close()


@pytest.fixture
def seeds() -> list[Path]:
    """The two seed archive pages from the shared corpus, or skip when it is absent."""
    if not (SEED_CATEGORY.exists() and SEED_TAG.exists()):
        pytest.skip(f"shared corpus seeds not found under {SEEDS}")
    return [SEED_CATEGORY, SEED_TAG]
