"""Shared helpers for the enrichment tests: small posts, the seed posts, the gold files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from byline.model import Block, Post, Role
from byline.sources.text import read_archive_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "entities"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "corpus" / "seeds"


def make_post(*parts: tuple[Role, str], **fields: Any) -> Post:
    """A post from (role, text) pairs, one block per pair, numbered as lines."""
    blocks = [Block(role, text, line) for line, (role, text) in enumerate(parts, start=1)]
    return Post(blocks=blocks, **fields)


def seed_pages() -> list[list[Post]]:
    """The posts of each seed page, in page order; skips when ../shared is absent."""
    pages = sorted(SEEDS.glob("*.txt")) if SEEDS.exists() else []
    if not pages:
        pytest.skip(f"shared corpus seeds not found under {SEEDS}")
    return [read_archive_text(page).posts for page in pages]


def load_fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))
