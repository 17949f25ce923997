"""Post pages, rendered in this process or, for a big build, in worker processes.

A post page is the one kind of page that needs a post's whole text, and there
is one per post: most of a full build's work.  Work is cut into chunks of
posts; whoever runs a chunk reads its posts from the store in one go, renders
them and stages their files through a :class:`FileSink`, handing back only
the records, so the pages themselves never cross between processes.  The
main process meanwhile renders the listings and feeds.

The workers take their tasks from a queue filled before they start and report
once, when they are done, so the main process needs no helper thread while
it renders: with ``concurrent.futures`` the thread that feeds the workers
competes with the rendering for the GIL, and the workers sat idle waiting for it.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing.context import ForkContext, SpawnContext
from multiprocessing.process import BaseProcess
from multiprocessing.queues import SimpleQueue
from typing import Any

from byline.errors import BylineError, PublishError
from byline.publish._model import PostInfo
from byline.publish._piece import piece_view
from byline.publish._render import Renderer, SiteView, make_environment
from byline.publish._writer import FileSink, Staged
from byline.settings import Settings
from byline.store import Store

POST_CHUNK = 250  # posts per task and per store read: bounds memory, spreads the work
PARALLEL_MIN_POSTS = 1500  # below this, starting processes costs more than it saves
MAX_WORKERS = 2  # a 2-core machine: two workers and the main process share it
STOP_SECONDS = 5  # how long a worker may take to stop after an error elsewhere
POLL_SECONDS = 0.02  # while waiting for the workers' reports


@dataclass(frozen=True)
class PostJob:
    """One post page to render: the post, its neighbours, its signature, the last build's file."""

    post: PostInfo
    newer: PostInfo | None
    older: PostInfo | None
    relative: str
    signature: str
    previous: str | None  # the last build's manifest entry for this file


def render_posts(
    renderer: Renderer, store: Store, sink: FileSink, jobs: Sequence[PostJob]
) -> list[Staged]:
    """Read, render and stage the pages of ``jobs``."""
    staged: list[Staged] = []
    blocks = store.shown_blocks([job.post.id for job in jobs])
    for job in jobs:
        shown = blocks.get(job.post.id)
        if shown is None:  # deleted while we were building: the next build drops it
            raise PublishError(f"post {job.post.id} vanished from the store mid-build")
        data = renderer.post_page(job.post, piece_view(shown), newer=job.newer, older=job.older)
        staged.append(sink.write(job.relative, data, job.signature, job.previous))
    return staged


def chunks(jobs: Sequence[PostJob], size: int = POST_CHUNK) -> list[Sequence[PostJob]]:
    return [jobs[i : i + size] for i in range(0, len(jobs), size)]


@dataclass(frozen=True)
class Batch:
    """Everything the workers share: what to render with, and every task's data."""

    store: Store
    settings: Settings
    site: SiteView
    sink: FileSink
    chunks: list[Sequence[PostJob]]
    calls: list[tuple[Callable[..., Any], tuple[Any, ...]]]


@dataclass
class Results:
    """What the workers handed back."""

    staged: list[Staged] = field(default_factory=list)
    calls: dict[int, Any] = field(default_factory=dict)  # call index -> its return value


class Workers:
    """Worker processes for a big build (post pages, other calls), or none at all.

    Wanted only when a build has many posts to render and the machine more
    than one core: starting processes costs more than a small build takes.
    The store travels to the workers as its location; a store that cannot be
    pickled means no workers.  Calls added with :meth:`add_call` run first,
    then the post chunks given to :meth:`start`.
    """

    def __init__(self, store: Store, *, wanted: bool) -> None:
        self.store: Store | None = None
        self.count = min(MAX_WORKERS, os.cpu_count() or 1)
        self._calls: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
        self._processes: list[BaseProcess] = []
        self._results: SimpleQueue[Any] | None = None
        self._tasks: SimpleQueue[Any] | None = None
        if not wanted or self.count < 2:
            return
        try:
            self.store = pickle.loads(pickle.dumps(store))
        except (pickle.PicklingError, TypeError, AttributeError):
            self.store = None

    @property
    def available(self) -> bool:
        return self.store is not None

    @property
    def has_calls(self) -> bool:
        return bool(self._calls)

    def add_call(self, function: Callable[..., Any], *args: Any) -> int:
        """Queue ``function(*args)`` (a module-level function) for a worker; its index."""
        self._calls.append((function, args))
        return len(self._calls) - 1

    def start(self, renderer: Renderer, sink: FileSink, jobs: Sequence[PostJob]) -> None:
        """Start the workers on the calls and on ``jobs``, and return at once."""
        if self.store is None:
            raise PublishError("no worker processes for this build")
        context = _context()
        parts = chunks(jobs)
        batch = Batch(self.store, renderer.settings, renderer.site, sink, parts, self._calls)
        # Kept on self: a started worker unpickles the queues' locks by name, and
        # the parent dropping a queue would delete its lock from under it.
        tasks: SimpleQueue[Any] = context.SimpleQueue()
        self._tasks = tasks
        self._results = context.SimpleQueue()
        # Everything is queued before any worker starts: tiny messages, no feeder thread.
        for index in range(len(self._calls)):
            tasks.put(("call", index))
        for index in range(len(parts)):
            tasks.put(("posts", index))
        for _ in range(self.count):
            tasks.put(None)
        for _ in range(self.count):
            # Not daemonic: a call (the search index) may start processes of its own.
            process = context.Process(target=_worker, args=(batch, tasks, self._results))
            process.start()
            self._processes.append(process)

    def finish(self) -> Results:
        """Wait for every worker; their staged files and what their calls returned."""
        results = Results()
        if self._results is None:
            return results
        failures = []
        for _ in self._processes:
            status, staged, calls = self._next_result()
            if status != "ok":
                failures.append(staged)
                continue
            results.staged += staged
            results.calls.update(calls)
        self.close()
        if failures:
            raise PublishError(failures[0])
        return results

    def _next_result(self) -> Any:
        queue = self._results
        assert queue is not None
        while queue.empty():
            # A worker killed from outside never reports; do not wait for it forever.
            if not any(p.is_alive() for p in self._processes) and queue.empty():
                raise PublishError("a worker process died before finishing its pages")
            time.sleep(POLL_SECONDS)
        return queue.get()

    def close(self) -> None:
        """Stop the workers (after an error elsewhere, without waiting for their work)."""
        for process in self._processes:
            if process.is_alive():
                process.terminate()
            process.join(STOP_SECONDS)
        self._processes.clear()
        self._results = self._tasks = None


class PostPages:
    """Renders post pages: in the worker processes when there are any, else here."""

    def __init__(self, renderer: Renderer, store: Store, sink: FileSink, workers: Workers) -> None:
        self.renderer = renderer
        self.store = store
        self.sink = sink
        self.workers = workers
        self._serial: list[PostJob] = []

    def start(self, jobs: Sequence[PostJob]) -> None:
        """Hand ``jobs`` to the workers, or keep them for :meth:`finish`."""
        if self.workers.available and (jobs or self.workers.has_calls):
            self.workers.start(self.renderer, self.sink, jobs)
        else:
            self._serial = list(jobs)

    def finish(self) -> Results:
        """Render what was kept here, then gather what the workers did."""
        staged: list[Staged] = []
        for chunk in chunks(self._serial):
            staged += render_posts(self.renderer, self.store, self.sink, chunk)
        results = self.workers.finish()
        results.staged = staged + results.staged
        return results


def _context() -> ForkContext | SpawnContext:
    # Forking copies this process as it is, cheaply; but forking while other
    # threads run (byline serve) can copy a held lock, so start afresh then.
    if threading.active_count() == 1 and os.name == "posix":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _worker(batch: Batch, tasks: SimpleQueue[Any], results: SimpleQueue[Any]) -> None:
    """A worker: take tasks until told to stop, then report everything at once."""
    staged: list[Staged] = []
    calls: dict[int, Any] = {}
    try:
        while (task := tasks.get()) is not None:
            kind, index = task
            if kind == "call":
                function, args = batch.calls[index]
                calls[index] = function(*args)
            else:
                renderer = _worker_renderer(batch.settings, batch.site)
                staged += render_posts(renderer, batch.store, batch.sink, batch.chunks[index])
    except BaseException as exc:  # reported to the main process, which raises it
        message = str(exc) if isinstance(exc, BylineError) else f"{type(exc).__name__}: {exc}"
        results.put(("error", message, {}))
        return
    finally:
        batch.store.close()
    results.put(("ok", staged, calls))


@lru_cache(maxsize=1)
def _worker_renderer(settings: Settings, site: SiteView) -> Renderer:
    return Renderer(make_environment(settings), settings, site)
