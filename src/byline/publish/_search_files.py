"""The site search index on disk: its folder layout, its encodings, and its one writer.

Everything lives under ``<site>/search/`` beside the search page, in files that
a browser can fetch one by one (``docs/search.md`` has the full description)::

    meta.json                counts, constants, segment list, facet values
    dict/HH.json             term -> packed segments holding it  (by its first 3 chars)
    post/S/HH.json           term -> [two-character post codes, one-character weights]
    len/S.json               one character per post slot: its quantized length
    doc/C.json               [[id, url, title, outlet, topics, year, date, excerpt, length]]
    facet/K/KEY.json         packed first id and gaps

Posts are cut into *segments* of :data:`SEGMENT_DOCS` consecutive ids, each an
inverted index of its own, so changing one post rewrites files of its segment
only; the dictionary says which segments hold a term, so a query fetches no
file it does not need.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from byline.errors import PublishError
from byline.publish._search_codec import LOCAL_IDS
from byline.publish._search_text import make_bucket, prefix_key

INDEX_DIR = "search"  # under the site root, beside the search page
INDEX_FORMAT = 1  # bump when a file's encoding changes; an old index then needs a full build
TOKENIZER_VERSION = 1  # bump when _search_text.py and search.js change what a term is
SEGMENT_DOCS = 1000  # post ids per segment: the most a one-post change can make us re-read
POSTING_FILES = 128  # posting files per segment: a query term fetches one per segment
DICT_FILES = 128  # dictionary files: a query term fetches one
DOC_CHUNK = 20  # posts per metadata file: a page of ten results fetches ten at most
EXCERPT_CHARS = 200  # shown under a result, and searched for the words to highlight
META = "meta.json"
OWNED_DIRS = ("dict", "post", "len", "doc", "facet")  # all ours; the search page is not
FACET_KINDS = ("outlet", "topic", "year")
assert SEGMENT_DOCS <= LOCAL_IDS, "a post code has two characters"

posting_file = make_bucket(POSTING_FILES)
dict_file = make_bucket(DICT_FILES, prefix_key)


def segment_of(doc_id: int) -> int:
    return doc_id // SEGMENT_DOCS


def chunk_of(doc_id: int) -> int:
    return doc_id // DOC_CHUNK


# -- the writer -------------------------------------------------------------------


def dumps(value: Any) -> bytes:
    """Compact, deterministic JSON: the same value always gives the same bytes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.encode("utf-8")


@dataclass
class WriteStats:
    """What one run did to the files."""

    written: int = 0
    unchanged: int = 0
    deleted: int = 0
    bytes_written: int = 0
    kept: set[Path] = field(default_factory=set)


class IndexFiles:
    """The one writer of an index folder: atomic writes, and only of changed bytes.

    A file whose new bytes equal its old ones is left alone, so it keeps its
    mtime: a deploy by rsync or a CDN cache sees only what really changed.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.stats = WriteStats()

    def path(self, name: str) -> Path:
        return self.root / name

    def read(self, name: str) -> Any:
        """A file's JSON, or None when it does not exist."""
        try:
            data = self.path(name).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise PublishError(f"{self.path(name)}: cannot read search index ({exc})") from exc
        try:
            return json.loads(data)
        except ValueError as exc:
            raise PublishError(f"{self.path(name)}: damaged search index file ({exc})") from exc

    def write(self, name: str, value: Any) -> None:
        path = self.path(name)
        data = dumps(value)
        self.stats.kept.add(path)
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                self.stats.unchanged += 1
                return
        except FileNotFoundError:
            pass
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, 0o644)  # mkstemp makes 0600; a web server must read it
            os.replace(tmp, path)
        except OSError as exc:
            raise PublishError(f"{path}: cannot write search index ({exc})") from exc
        self.stats.written += 1
        self.stats.bytes_written += len(data)

    def delete(self, name: str) -> None:
        path = self.path(name)
        try:
            path.unlink()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise PublishError(f"{path}: cannot delete search index file ({exc})") from exc
        self.stats.deleted += 1

    def owned_files(self) -> Iterator[Path]:
        """Every file of the index (never the search page or anything else in the folder)."""
        meta = self.root / META
        if meta.exists():
            yield meta
        for sub in OWNED_DIRS:
            folder = self.root / sub
            if folder.is_dir():
                yield from (p for p in folder.rglob("*") if p.is_file())

    def delete_unkept(self) -> None:
        """After a full build: remove every index file this run did not write or keep."""
        for path in list(self.owned_files()):
            if path not in self.stats.kept:
                self.delete(str(path.relative_to(self.root)))
        for sub in OWNED_DIRS:
            folder = self.root / sub
            if folder.is_dir():
                for child in sorted(folder.rglob("*"), reverse=True):
                    if child.is_dir() and not any(child.iterdir()):
                        child.rmdir()


# -- file names ---------------------------------------------------------------------


def dict_name(number: int) -> str:
    return f"dict/{number:02x}.json"


def posting_name(segment: int, number: int) -> str:
    return f"post/{segment}/{number:02x}.json"


def length_name(segment: int) -> str:
    return f"len/{segment}.json"


def doc_name(chunk: int) -> str:
    return f"doc/{chunk}.json"


def facet_name(kind: str, key: str) -> str:
    return f"facet/{kind}/{key}.json"
