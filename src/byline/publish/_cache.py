"""What a long-running process keeps between builds of one site: :class:`BuildCache`.

``byline serve`` rebuilds on every change; most changes are one post's text.
A build then needs neither a new Jinja environment (compiling the templates),
nor a new site index and model (the bulk of the planning), nor to read the
manifest it wrote itself.  Whatever cannot be shown to be current is made
again, exactly as a build without a cache makes it.
"""

from __future__ import annotations

import os
from pathlib import Path

from jinja2 import Environment

from byline.publish._model import SiteModel
from byline.publish._render import make_environment
from byline.publish._urls import output_path
from byline.publish._writer import MANIFEST_URL, Manifest
from byline.settings import Settings
from byline.store import SiteIndex, SiteStamp, Store

StatKey = tuple[int, int, int]


class BuildCache:
    """Kept by the caller between ``build_site(..., cache=...)`` calls into one folder."""

    def __init__(self) -> None:
        self.out_dir: Path | None = None
        self.fingerprint = ""
        self._env: Environment | None = None
        self._stamp: SiteStamp | None = None
        self._index: SiteIndex | None = None
        self._model: SiteModel | None = None
        self._manifest: Manifest | None = None
        self._manifest_stat: StatKey | None = None
        self.reused_model = False  # whether the last build patched the kept model

    def clear(self) -> None:
        """Forget everything (a failed build: the next one starts afresh)."""
        self.__init__()  # type: ignore[misc]

    def start(self, out_dir: Path, fingerprint: str) -> None:
        """A build begins: anything kept for another folder, settings or templates goes."""
        if out_dir != self.out_dir or fingerprint != self.fingerprint:
            self.clear()
            self.out_dir = out_dir
            self.fingerprint = fingerprint
        self.reused_model = False

    def environment(self, settings: Settings) -> Environment:
        """The Jinja environment, compiled templates and all, kept while the fingerprint holds."""
        if self._env is None:
            self._env = make_environment(settings)
        return self._env

    def manifest(self, out_dir: Path) -> Manifest | None:
        """The manifest this cache's last build wrote, if the file is still that one."""
        if self._manifest is None or _stat(out_dir) != self._manifest_stat:
            return None
        return self._manifest

    def keep_manifest(self, out_dir: Path, manifest: Manifest) -> None:
        self._manifest = manifest if manifest.raw else None
        self._manifest_stat = _stat(out_dir)

    def site(self, store: Store, settings: Settings) -> tuple[SiteIndex, SiteModel]:
        """The site index and model: the kept ones patched when only some posts'
        revisions changed, otherwise read and made as a build without a cache does."""
        stamp = store.site_stamp()
        patched = self._patch(stamp) if stamp is not None else None
        if patched is not None:
            self.reused_model = True
            entities = patched[1].entities
            if entities is not None:  # the last build's store may be closed by now
                entities.reload_from(store.entity_mentions)
            return patched
        index = store.site_index()
        model = SiteModel(index, settings, store.entity_site_index(), store.entity_mentions)
        # A stamp read before the index: a write in between only makes the next build redo it.
        self._stamp, self._index, self._model = stamp, index, model
        return index, model

    def _patch(self, stamp: SiteStamp) -> tuple[SiteIndex, SiteModel] | None:
        old, index, model = self._stamp, self._index, self._model
        if old is None or index is None or model is None:
            return None
        if stamp.tables != old.tables or stamp.posts.keys() != old.posts.keys():
            return None
        changed = [
            post_id
            for post_id, row in stamp.posts.items()
            if row is not old.posts[post_id] and row != old.posts[post_id]
        ]
        if any(stamp.posts[i][1:] != old.posts[i][1:] for i in changed):
            return None  # a listing field (title, slug, date, status, outlet, place)
        posts = list(index.posts)
        where = {post.id: n for n, post in enumerate(posts)}
        for post_id in changed:
            revision = stamp.posts[post_id][0]
            assert isinstance(revision, int)
            n = where.get(post_id)
            if n is None:
                continue  # not published: on no page
            post = posts[n]._replace(revision=revision)
            posts[n] = post
            model.listed[post_id] = post
            model.digests[post_id] = model.post_digest(post)
            model.summaries.pop(post_id, None)
            model.info.forget(post_id)
        index = SiteIndex(tuple(posts), index.archives, index.old_urls, index.outlets, index.terms)
        self._stamp, self._index = stamp, index
        return index, model


def _stat(out_dir: Path) -> StatKey | None:
    try:
        found = os.stat(output_path(out_dir, MANIFEST_URL, hidden=True))
    except OSError:
        return None
    return (found.st_mtime_ns, found.st_size, found.st_ino)


__all__ = ["BuildCache"]
