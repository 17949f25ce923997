"""Build the archive as a static site: ``build_site(store, out_dir, settings)``.

Two phases, as Pelican has them: first the whole site as data (every address,
archive, order and signature, from a handful of bulk queries and no post
bodies), then the pages, rendered only where their signature changed and
written only where their bytes did, by one writer that makes the build all or
nothing (see ``_writer``).  The search index, when the search module is
installed, is written from the same build: see :func:`search_documents`.

The layout of the output folder is documented in ``docs/publishing.md``.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from byline.errors import BylineError, PublishError
from byline.publish._cache import BuildCache
from byline.publish._docs import SearchDoc
from byline.publish._model import SiteModel
from byline.publish._pages import PageBuilder
from byline.publish._posts import PARALLEL_MIN_POSTS, Results, Workers
from byline.publish._render import (
    Renderer,
    make_environment,
    site_view,
    templates_fingerprint,
)
from byline.publish._writer import Manifest, SiteWriter
from byline.settings import Settings
from byline.store import Store

SEARCH_MODULE = "byline.publish.search_index"
SEARCH_FUNCTION = "write_search_index"
CODE_FILES = (
    "_entities.py",
    "_entity_pages.py",
    "_footnotes.py",
    "_model.py",
    "_pages.py",
    "_piece.py",
    "_posts.py",
    "_render.py",
    "feeds.py",
)
SearchWriter = Callable[[Iterable[SearchDoc], Path, frozenset[int] | None], Any]


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    out_dir: Path
    posts: int  # posts published on the site
    pages: int  # HTML pages (posts, listings, indexes), not counting redirects
    written: int  # files written because their bytes changed or are new
    unchanged: int  # files left alone
    removed: int  # files of the last build that no longer belong
    seconds: float
    written_paths: tuple[str, ...]  # relative to out_dir
    removed_paths: tuple[str, ...]
    search_index: bool  # whether the search index was (re)written
    search_changed: int  # posts whose search documents were new, changed or removed
    warnings: tuple[str, ...]  # things skipped (an old URL that cannot be redirected ...)


def build_site(
    store: Store,
    out_dir: str | Path,
    settings: Settings,
    *,
    full: bool = False,
    cache: BuildCache | None = None,
) -> BuildReport:
    """Write the archive in ``store`` as a static site in ``out_dir``.

    Incremental unless ``full``: a page is rendered only when something it
    shows changed since the last build into ``out_dir``, and written only when
    its bytes differ.  ``full`` renders every page (still leaving identical
    files untouched).  Raises ``PublishError`` (a template error, an unwritable
    folder) with the previous site left exactly as it was.

    ``cache``, kept by a long-running process between builds into the same
    folder (``byline serve``), saves what need not be done again: the Jinja
    environment, the site index and model when only some posts' own text
    changed, and the manifest.  The pages are the same bytes as without it.
    """
    started = time.perf_counter()
    out = Path(out_dir)
    fingerprint = site_fingerprint(settings)
    if cache is not None:
        cache.start(out, fingerprint)
    env = cache.environment(settings) if cache is not None else make_environment(settings)
    previous = cache.manifest(out) if cache is not None else None
    if previous is None:
        previous = Manifest.read(out) if out.exists() else Manifest()
    reuse = not full and previous.fingerprint == fingerprint
    if cache is not None:
        index, model = cache.site(store, settings)
    else:
        index = store.site_index()
        model = SiteModel(index, settings, store.entity_site_index(), store.entity_mentions)
    renderer = Renderer(env, settings)
    renderer.site = site_view(model, search=renderer.has_search)
    search = SearchPlan.make(model, previous, full=not reuse)
    writer = SiteWriter(out, previous, check_disk=full)
    workers = Workers(store, wanted=not reuse and len(index.posts) >= PARALLEL_MIN_POSTS)
    try:
        # The search index is written by a worker, when there are workers,
        # while post pages render in the others and listings here.
        pending = search.start(workers, writer.root)
        builder = PageBuilder(model, renderer, writer, store, reuse=reuse, workers=workers)
        builder.build_all()
        searched = search.finish(pending, builder.results, store, writer.root)
        removed_paths = tuple(writer.removals())
        manifest = Manifest(
            fingerprint=fingerprint,
            posts=dict(model.digests),  # a cache patches the model's in place
            listings=builder.listings,
            search=searched or (previous.search and not search.changed),
        )
        removed = writer.commit(manifest)
    except BaseException:
        workers.close()
        writer.abort()
        if cache is not None:
            cache.clear()
        raise
    if cache is not None:
        cache.keep_manifest(out, manifest)
    workers.close()
    return BuildReport(
        out_dir=out,
        posts=len(index.posts),
        pages=builder.html_pages,
        written=len(writer.written),
        unchanged=writer.unchanged,
        removed=removed,
        seconds=round(time.perf_counter() - started, 3),
        written_paths=tuple(writer.written),
        removed_paths=removed_paths if removed else (),
        search_index=searched,
        search_changed=len(search.changed),
        warnings=tuple(builder.warnings),
    )


def site_fingerprint(settings: Settings) -> str:
    """Everything besides the posts that shapes every page: settings, templates, code."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(settings.fingerprint().encode())
    digest.update(templates_fingerprint(settings).encode())
    here = Path(__file__).parent
    for name in CODE_FILES:  # a new byline renders differently: rebuild everything
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def search_writer() -> SearchWriter | None:
    """``write_search_index`` from ``byline.publish.search_index``, when it is installed."""
    if importlib.util.find_spec(SEARCH_MODULE) is None:
        return None
    module = importlib.import_module(SEARCH_MODULE)
    function: SearchWriter | None = getattr(module, SEARCH_FUNCTION, None)
    return function


def search_documents(store: Store, model: SiteModel, post_ids: Iterable[int]) -> list[SearchDoc]:
    """The search documents of some published posts, text read in bulk from the store."""
    return _with_texts(store, _search_metadata(model, post_ids))


def _search_metadata(model: SiteModel, post_ids: Iterable[int]) -> list[SearchDoc]:
    docs = []
    for post_id in post_ids:
        post = model.info.get(post_id)
        if post is None:
            continue
        docs.append(
            SearchDoc(
                id=post_id,
                url=post.href,
                title=post.title,
                outlet=post.outlet.name if post.outlet else None,
                topics=post.topics,
                year=post.published.year if post.published else None,
                date=post.published.isoformat() if post.published else None,
                text="",
            )
        )
    return docs


def _with_texts(store: Store, docs: list[SearchDoc]) -> list[SearchDoc]:
    texts = store.running_texts([doc.id for doc in docs])
    return [replace(doc, text=texts.get(doc.id, "")) for doc in docs]


@dataclass(frozen=True)
class SearchPlan:
    """What the search index needs from this build.

    The contract with ``write_search_index(docs, out_dir, changed_ids)``:

    - a full index (the first build, ``--full``, new settings or templates, or
      no index written by the last build): ``changed_ids`` is ``None`` and
      ``docs`` are the documents of every published post;
    - otherwise ``docs`` are the documents of the posts new or changed since
      the last build, and ``changed_ids`` their ids plus the ids of posts no
      longer published (an id with no document is to be dropped).

    ``out_dir`` is the folder being built: a temporary one on a first build,
    renamed into place when the whole build succeeds.
    """

    docs: tuple[SearchDoc, ...]  # without their text yet
    changed: frozenset[int]
    full: bool

    @classmethod
    def make(cls, model: SiteModel, previous: Manifest, *, full: bool) -> SearchPlan:
        full = full or not previous.search
        if full:
            changed = set(model.digests) | set(previous.posts)
            wanted: Iterable[int] = model.order
        else:
            # A post's digest holds its revision and address: what its document shows.
            changed = model.changed_since(previous.posts)
            changed |= set(previous.posts) - set(model.digests)
            wanted = sorted(changed)
        return cls(tuple(_search_metadata(model, wanted)), frozenset(changed), full)

    def start(self, workers: Workers, root: Path) -> int | None:
        """Hand the index to a worker process, when there are workers and work to do."""
        if workers.store is None or search_writer() is None:
            return None
        if not self.full and not self.changed:
            return None
        return workers.add_call(_search_job, workers.store, self, root)

    def finish(self, pending: int | None, results: Results, store: Store, root: Path) -> bool:
        """The worker's result, or the index written here; whether an index was written."""
        if pending is not None:
            return bool(results.calls[pending])
        return _write_index(store, self, root)


def _search_job(store: Store, plan: SearchPlan, root: Path) -> bool:
    try:
        return _write_index(store, plan, root)
    finally:
        store.close()


def _write_index(store: Store, plan: SearchPlan, root: Path) -> bool:
    write = search_writer()
    if write is None:
        return False
    if not plan.full and not plan.changed:
        return True  # nothing changed since the index was written
    docs = _with_texts(store, list(plan.docs))
    try:
        write(docs, root, None if plan.full else plan.changed)
    except BylineError:
        raise
    except Exception as exc:
        raise PublishError(f"the search index could not be written: {exc}") from exc
    return True


__all__ = ["BuildCache", "BuildReport", "build_site", "search_documents", "site_fingerprint"]
