"""A big WordPress export read in a second process while the first one stores it.

Reading an export (parsing its items, reading each body into blocks) and
storing it (SQL, the search index, near-duplicate lookups) each take about
half of an import's time; on a machine with two or more cores they overlap.
The reader process also folds each post's text for its content key
(``store.prepare``), and fingerprints it whenever it is ahead of the writer.
Posts cross in batches through a bounded queue, so memory stays flat
whatever the size of the export.

The reader starts at once and reads ahead while the parent runs the
export's safety pass (:class:`~byline.sources.wxr.WxrStream`); the store is
not opened until that pass is through, and a refused export ends the reader.  An
error in the reader (``SourceError``, ``ParseError``) is raised again in the
parent, inside its transaction, which rolls back; a reader that dies without
a word is a ``SourceError``.  If the parent stops early, the reader is ended.
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queues
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from byline.errors import BylineError, SourceError
from byline.model import Post
from byline.sources._files import MAX_WXR_BYTES, SNIFF_BYTES, file_size, read_head, stream_encoding
from byline.sources.wxr import WxrStream
from byline.store._base import SourcePage
from byline.store._source_base import PreparedPost, prepare

PIPE_MIN_BYTES = 4 * 2**20  # smaller exports read faster than a second process starts
BATCH_POSTS = 32  # posts per message: fewer, larger messages cost less
QUEUE_BATCHES = 16  # batches waiting at most: bounds the memory between the processes
POLL_SECONDS = 1.0  # how often a waiting parent checks the reader is still alive


def worth_piping(path: Path) -> bool:
    """A second process pays off for big exports on machines with a core to spare."""
    return (os.cpu_count() or 1) > 1 and path.stat().st_size >= PIPE_MIN_BYTES


def _ahead(out: Any) -> bool:
    """True when the writer is behind (the queue is half full): the reader has time to spare."""
    try:
        return bool(out.qsize() >= QUEUE_BATCHES // 2)
    except NotImplementedError:  # macOS has no qsize(); fingerprints are then the writer's
        return False


def _read(path: str, encoding: str, out: Any) -> None:
    """The reader process: batches of prepared posts, then what the channel declared.

    Each post is fingerprinted here too whenever the writer is the slower of
    the two, which balances the work between the processes.
    """
    try:
        stream = WxrStream.checked(path, "", encoding)  # the parent checks it meanwhile
        batch: list[PreparedPost] = []
        for post in stream.posts():
            batch.append(prepare(post, fingerprint=_ahead(out)))
            if len(batch) == BATCH_POSTS:
                out.put(("posts", batch))
                batch = []
        if batch:
            out.put(("posts", batch))
        out.put(("done", (stream.declared(), stream.skipped, stream.count)))
    except BylineError as exc:
        out.put(("error", exc))
    except Exception as exc:  # anything else still ends the import cleanly, by name
        out.put(("error", SourceError(f"{path}: could not be read ({exc})")))


class PipedWxrStream:
    """A WordPress export read in another process while this one stores it (a ``PageStream``).

    The reader starts at once and reads ahead (into the bounded queue) while
    :meth:`check` runs the export's safety pass here; nothing reaches the
    store before that pass is through.
    """

    def __init__(self, path: str | Path) -> None:
        self.file = Path(path)
        self.name = str(path)
        file_size(self.file, MAX_WXR_BYTES, "a WordPress export")
        encoding = stream_encoding(read_head(self.file, SNIFF_BYTES), self.name)
        context = multiprocessing.get_context("spawn")  # no fork of a process holding SQLite
        self._channel: Any = context.Queue(maxsize=QUEUE_BATCHES)
        self._reader = context.Process(
            target=_read,
            args=(str(self.file), encoding, self._channel),
            name="byline-wxr-reader",
            daemon=True,
        )
        self._reader.start()
        self._stream: WxrStream | None = None
        self._declared: SourcePage | None = None
        self.skipped: tuple[tuple[str, int], ...] = ()
        self.count = 0

    def check(self) -> PipedWxrStream:
        """The safety pass (:class:`WxrStream`); the reader is ended if the export is refused."""
        try:
            self._stream = WxrStream(self.file)
        except BaseException:
            self.close()
            raise
        return self

    @property
    def page(self) -> SourcePage:
        if self._stream is None:
            raise SourceError(f"{self.name}: read before its safety pass")
        return self._stream.page

    def posts(self) -> Iterator[Post | PreparedPost]:
        page = self.page
        try:
            while True:
                try:
                    kind, value = self._channel.get(timeout=POLL_SECONDS)
                except queues.Empty:
                    if not self._reader.is_alive():
                        raise SourceError(
                            f"{self.name}: the reading process ended unexpectedly"
                            f" (exit code {self._reader.exitcode})"
                        ) from None
                    continue
                if kind == "posts":
                    for item in value:
                        for source in item.post.sources:
                            source.sha256 = source.sha256 or page.sha256
                        yield item
                elif kind == "done":
                    declared, self.skipped, self.count = value
                    self._declared = replace(declared, path=page.path, sha256=page.sha256)
                    return
                else:
                    raise value
        finally:
            self.close()

    def declared(self) -> SourcePage:
        return self._declared if self._declared is not None else self.page

    def close(self) -> None:
        """End the reader (if it still runs) and release the queue."""
        if self._reader.is_alive():
            self._reader.terminate()
        self._reader.join()
        self._channel.close()
