"""Importing any source, provenance, duplicates and export (mixed into ``byline.Archive``).

Everything ``byline import``, ``byline sources``, ``byline duplicates`` and
``byline export`` do, as Python::

    with Archive.open("byline.db") as archive:
        archive.import_paths(["blog.wordpress.xml", "saved-pages/", "feed.atom"])
        for source in archive.sources(12):           # where post 12 came from
            print(source.kind, source.url or source.path, source.published)
        for merged in archive.duplicates():          # posts joined from several sources
            ...
        archive.split(12, source_id=3)               # a wrong merge, undone
        archive.export("wxr", "archive.xml")

Each file is read by the reader its content calls for
(``sources.detect``) and stored in one transaction; a WordPress export is
streamed into its transaction a post at a time (``sources.wxr.WxrStream``).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Literal

from byline.errors import ParseError, PublishError, SourceError
from byline.sources._records import SourceContents
from byline.sources.detect import detect_kind, find_sources, read_source
from byline.store import PageResult, SourcePage, Store
from byline.store._source_base import MergedPost, PostSourceInfo

ExportFormat = Literal["wxr", "markdown", "json"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("wxr", "markdown", "json")
STDOUT = "-"
Progress = Callable[[int, int, Path], None]  # (files done, files in all, the file just done)


@dataclass(frozen=True)
class Refused:
    """A file that was not imported, and why (``message`` starts with its path)."""

    path: str
    message: str


def find_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Refused]]:
    """The files to import: each file given, and every supported file under each folder.

    Folders are walked in sorted order so an import is repeatable (see
    ``sources.detect.find_sources``: hidden files and folders are skipped); a
    file named twice is imported once.
    """
    files: list[Path] = []
    refused: list[Refused] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = find_sources(path)
            if not found:
                refused.append(
                    Refused(str(path), f"{path}: no files byline can import in this folder")
                )
        elif path.exists():
            found = [path]
        else:
            refused.append(Refused(str(path), f"{path}: no such file or folder"))
            continue
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files, refused


def stored_page(contents: SourceContents) -> SourcePage:
    """A reader's result as the page the store takes, declarations and all."""
    return replace(
        contents.page,
        terms=contents.terms,
        authors=contents.authors,
        attachments=contents.attachments,
        site_url=contents.site_url,
        site_title=contents.site_title,
        original_url=contents.original_url,
        captured_at=contents.captured_at,
    )


def store_file(store: Store, path: Path) -> PageResult:
    """Read one file with the reader it needs and store it in one transaction.

    Raises ``SourceError``/``ParseError`` for a refused file; nothing of it is
    stored then (a streamed export is rolled back whole).
    """
    if detect_kind(path) == "wxr":
        from byline.sources._pipe import PipedWxrStream, worth_piping
        from byline.sources.wxr import WxrStream

        if worth_piping(path):  # read in a second process, checked here meanwhile
            return store.save_stream(PipedWxrStream(path).check())
        return store.save_stream(WxrStream(path))  # the safety pass runs first, then the stream
    return store.save_page(stored_page(read_source(path)))


def store_files(
    store: Store, files: Sequence[Path], progress: Progress | None = None
) -> tuple[list[PageResult], list[Refused]]:
    """Store each file in turn; refused files are collected, the rest go on."""
    stored: list[PageResult] = []
    refused: list[Refused] = []
    for done, path in enumerate(files, 1):
        try:
            stored.append(store_file(store, path))
        except (SourceError, ParseError) as err:
            refused.append(Refused(str(path), str(err)))
        if progress is not None:
            progress(done, len(files), path)
    return stored, refused


class SourcesArchive:
    """Provenance, duplicates and export for :class:`byline.Archive`."""

    store: Store

    def sources(self, post_id: int) -> list[PostSourceInfo]:
        """Every source of a post: kind, file, address, date, how it was matched, what it gives."""
        return self.store.post_sources(post_id)

    def duplicates(self, near_only: bool = False) -> list[MergedPost]:
        """Posts joined from more than one source (only near-duplicate joins if asked)."""
        return self.store.merged_posts(near_only=near_only)

    def split(self, post_id: int, source_id: int) -> int:
        """Undo a wrong merge: the source's version becomes a post of its own; its id."""
        return self.store.split_post(post_id, source_id)

    def export(
        self,
        fmt: ExportFormat,
        out: str | Path | IO[str],
        *,
        style: Literal["hugo", "pelican"] = "hugo",
        include_all: bool = True,
    ) -> int:
        """Write the archive as WXR 1.2, a Markdown folder or JSON; return the posts written.

        ``out`` is a file (a folder for Markdown), ``"-"`` for standard output
        (WXR and JSON), or an open text stream.  Files are written whole or
        not at all.  Every status is exported unless ``include_all`` is false.
        """
        from byline.export import write_json, write_markdown, write_wxr

        posts = self.store.export_posts(include_all=include_all)
        if fmt == "markdown":
            if not isinstance(out, str | Path) or str(out) == STDOUT:
                raise PublishError("a Markdown export is a folder: give --out FOLDER")
            return len(write_markdown(posts, out, style=style))
        terms = self.store.declared_terms()
        authors = self.store.authors()
        title, url = self.store.site_info()
        site = {"site_title": title or "", "site_url": url or ""}

        def write_text(stream: IO[str]) -> int:
            return write_json(posts, stream, terms=terms, authors=authors, **site)

        def write_binary(stream: IO[bytes]) -> int:
            return write_wxr(posts, stream, terms=terms, authors=authors, **site)

        if fmt not in EXPORT_FORMATS:
            raise PublishError(f"unknown export format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}")
        if isinstance(out, str | Path) and str(out) != STDOUT:
            if fmt == "json":
                return _write_atomic(Path(out), lambda handle: _through_text(handle, write_text))
            return _write_atomic(Path(out), write_binary)
        text: IO[str] = sys.stdout if isinstance(out, str | Path) else out
        if fmt == "json":
            return write_text(text)
        buffer = getattr(text, "buffer", None)
        if buffer is not None:  # a real standard output: the bytes go straight out
            text.flush()
            count = write_binary(buffer)
            buffer.flush()
            return count
        memory = io.BytesIO()
        count = write_binary(memory)
        text.write(memory.getvalue().decode("utf-8"))
        return count


def _through_text(handle: IO[bytes], write: Callable[[IO[str]], int]) -> int:
    wrapper = io.TextIOWrapper(handle, encoding="utf-8", newline="\n", write_through=True)
    try:
        return write(wrapper)
    finally:
        wrapper.flush()
        wrapper.detach()


def _write_atomic(path: Path, write: Callable[[IO[bytes]], int]) -> int:
    """Write a file through a temporary one beside it, so it is whole or not there."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".byline-", suffix=path.suffix)
    except OSError as exc:
        raise PublishError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            count = write(stream)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise PublishError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return count


__all__ = [
    "EXPORT_FORMATS",
    "ExportFormat",
    "Progress",
    "Refused",
    "SourcesArchive",
    "find_files",
    "store_file",
    "store_files",
    "stored_page",
]
