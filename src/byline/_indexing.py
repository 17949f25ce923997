"""Indexing the archive: which posts to enrich again, enriching them, storing the result.

The enrichment itself is pure (``byline.enrich``); this module decides what
to index and hands the results to the store.  One run, in numbered steps:

1. Read the store's :class:`~byline.store.EnrichmentState` (no post text).
2. Plan.  A post is indexed again when it never was, when it was written
   since (its revision moved on), when the rules changed, when ``full``, or
   when the knowledge changed in an entry it touched or in a spelling its
   text holds (``plan_reindex_from`` over the digests and spellings the last
   run stored; only those posts' text is read to probe).
3. Store the knowledge's names, so every entity a post names can be shown.
4. Index the planned posts in batches, one transaction each.  A post whose
   fingerprint is the one stored keeps its rows (only its revision is noted).
5. Estimate the publication dates of undated posts on the pages touched.
6. Store the knowledge's digests and spellings: what the next run plans with.

The knowledge is the built-in file merged with a user's ``knowledge.yaml``:
the one named (``--knowledge``), else the one beside ``byline.toml`` in the
current folder, else the one the archive was last indexed with.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from byline.errors import SourceError
from byline.model import Post
from byline.store import (
    DateEstimate,
    EnrichmentState,
    EstimateEvidence,
    KnowledgeEntry,
    PostEnrichment,
    PostState,
    Store,
)
from byline.store._entity_base import IGNORE_TYPE

if TYPE_CHECKING:
    from byline.enrich import Knowledge, ReindexPlan

USER_KNOWLEDGE = "knowledge.yaml"  # beside byline.toml
BATCH = 200  # posts read, indexed and stored per transaction
# Bump when the figure or date rules change; the entity rules have their own
# RULES_VERSION.  Every post is indexed again when either changes.
EXTRA_RULES = "figures-1+dates-1"
META_VERSION = "knowledge_version"
META_PATH = "knowledge_path"


@dataclass(frozen=True)
class IndexReport:
    """What an indexing run did."""

    posts: int  # posts in the archive
    indexed: tuple[int, ...]  # posts whose enrichment was worked out again
    rewritten: tuple[int, ...]  # ... and whose rows changed (a new fingerprint)
    estimated: int  # undated posts given an estimated publication date
    knowledge_version: str
    knowledge_entities: int
    knowledge_path: str | None  # the user's knowledge file, when there is one
    changed_entries: int  # knowledge entries added, changed or removed since the last run
    seconds: float

    @property
    def unchanged(self) -> int:
        """Posts indexed again whose fingerprint (and so whose rows) had not changed."""
        return len(self.indexed) - len(self.rewritten)


def rules_version() -> str:
    from byline.enrich import RULES_VERSION

    return f"{RULES_VERSION}+{EXTRA_RULES}"


def find_knowledge(
    explicit: str | Path | None = None, remembered: str | None = None, cwd: Path | None = None
) -> Path | None:
    """The user's knowledge file: ``explicit`` (a file or its folder), else
    ``knowledge.yaml`` in ``cwd`` (beside ``byline.toml``), else ``remembered``
    if it still exists, else none (the built-in file alone)."""
    if explicit:
        given = Path(explicit)
        file = given / USER_KNOWLEDGE if given.is_dir() else given
        if not file.is_file():
            raise SourceError(f"{file}: no such knowledge file")
        return file.resolve()
    beside = (cwd or Path.cwd()) / USER_KNOWLEDGE
    if beside.is_file():
        return beside.resolve()
    if remembered and Path(remembered).is_file():
        return Path(remembered)
    return None


def load_user_knowledge(file: Path | None) -> Knowledge:
    """The built-in knowledge merged with ``file``; loaded once per process per version."""
    from byline.enrich import load_knowledge

    if file is None:
        return load_knowledge()
    stat = file.stat()
    return _load_cached(str(file), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime_ns: int, size: int) -> Knowledge:
    from byline.enrich import load_knowledge

    return load_knowledge([path])


def index_archive(
    store: Store,
    knowledge: Knowledge | None = None,
    *,
    knowledge_path: str | Path | None = None,
    full: bool = False,
) -> IndexReport:
    """Bring the store's enrichment up to date (see the module's steps).

    ``knowledge`` is used as given; otherwise it is loaded from
    ``knowledge_path`` or found as :func:`find_knowledge` says.
    """
    started = time.perf_counter()
    state = store.enrichment_state()  # 1
    user_file: Path | None = None
    if knowledge is None:
        user_file = find_knowledge(knowledge_path, state.meta.get(META_PATH) or None)
        knowledge = load_user_knowledge(user_file)
    plan = _plan(state, knowledge)  # 2
    rules = rules_version()
    entries = knowledge_entries(knowledge)
    wanted = _wanted(store, state, plan, rules, full)
    if wanted or plan.changed:
        store.save_knowledge(entries, {}, final=False)  # 3
    indexed: list[int] = []
    rewritten: list[int] = []
    by_id = {p.id: p for p in state.posts}
    indexed_at = datetime.now(UTC).isoformat(timespec="seconds")
    for start in range(0, len(wanted), BATCH):  # 4
        chunk = wanted[start : start + BATCH]
        items = [
            _enrich(by_id[stored.id], stored.post, knowledge, rules)
            for stored in store.get_posts(chunk)
        ]
        store.save_enrichment(items, indexed_at)
        indexed += [item.post_id for item in items]
        rewritten += [item.post_id for item in items if item.index is not None]
    estimated = _estimate(store, state, indexed)  # 5
    meta = {META_VERSION: knowledge.version, META_PATH: str(user_file or "")}
    changed = plan.changed
    if changed or state.meta != meta:
        store.save_knowledge(entries, meta, final=True)  # 6
    return IndexReport(
        posts=len(state.posts),
        indexed=tuple(indexed),
        rewritten=tuple(rewritten),
        estimated=estimated,
        knowledge_version=knowledge.version,
        knowledge_entities=len(knowledge),
        knowledge_path=str(user_file) if user_file else None,
        changed_entries=len(changed),
        seconds=round(time.perf_counter() - started, 3),
    )


def knowledge_entries(knowledge: Knowledge) -> list[KnowledgeEntry]:
    """Every entry of the knowledge (and every ignored phrase) as the store keeps it."""
    from byline.enrich.knowledge import ignore_id

    entries = [
        KnowledgeEntry(
            id=entity.id,
            name=entity.name,
            type=entity.type,
            digest=knowledge.digests[entity.id],
            qid=entity.qid,
            country_id=entity.country,
            aliases=tuple(a for a in entity.aliases if a != entity.name),
            spellings=tuple(sorted(knowledge.spellings_of([entity.id]))),
        )
        for entity in knowledge.entities.values()
    ]
    for phrase in knowledge.ignored:
        entry_id = ignore_id(phrase)
        entries.append(
            KnowledgeEntry(
                entry_id, phrase, IGNORE_TYPE, knowledge.digests[entry_id], spellings=(phrase,)
            )
        )
    return list({entry.id: entry for entry in entries}.values())


def text_key(post: Post) -> str:
    """A hash of everything in a post that enrichment reads: every block, and its date."""
    digest = hashlib.sha256()
    digest.update((post.published.isoformat() if post.published else "-").encode())
    for block in post.blocks:
        digest.update(f"\x1e{block.role}\x1f{block.line}\x1f{block.text}".encode())
    return digest.hexdigest()


def _plan(state: EnrichmentState, knowledge: Knowledge) -> ReindexPlan:
    from byline.enrich import plan_reindex_from

    return plan_reindex_from(state.digests, state.spellings, knowledge)


def _wanted(
    store: Store, state: EnrichmentState, plan: ReindexPlan, rules: str, full: bool
) -> list[int]:
    """The posts to index again, in id order; only posts left to probe have their text read."""
    wanted: list[int] = []
    probe: list[PostState] = []
    for post in state.posts:
        if (
            full
            or post.indexed_revision is None
            or post.indexed_revision != post.revision
            or post.rules_version != rules
            or not plan.changed.isdisjoint(post.touched)
        ):
            wanted.append(post.id)
        elif plan.changed and plan.spellings:
            probe.append(post)
    for start in range(0, len(probe), BATCH):
        chunk = {p.id: p for p in probe[start : start + BATCH]}
        for stored in store.get_posts(list(chunk)):
            if plan.needs(stored.post, chunk[stored.id].touched):
                wanted.append(stored.id)
    return sorted(wanted)


def _enrich(state: PostState, post: Post, knowledge: Knowledge, rules: str) -> PostEnrichment:
    """One post's enrichment, or only its fingerprint when that is the one stored."""
    from byline.enrich import PostIndex, dates_for_post, figures_for_post, index_entities

    key = text_key(post)
    entities = index_entities(post, knowledge, post_key=key)
    fingerprint = hashlib.sha256(f"{rules}\n{entities.fingerprint}".encode()).hexdigest()
    index = None
    if fingerprint != state.fingerprint:
        index = PostIndex(
            post_key=key,
            entities=entities,
            figures=tuple(figures_for_post(post, knowledge, post_key=key)),
            dates=tuple(dates_for_post(post)),
        )
    return PostEnrichment(
        post_id=state.id,
        revision=state.revision,
        fingerprint=fingerprint,
        rules_version=rules,
        knowledge_version=knowledge.version,
        touched=tuple(sorted(entities.touched)),
        index=index,
    )


def _estimate(store: Store, state: EnrichmentState, indexed: Sequence[int]) -> int:
    """Estimate the publication dates of undated posts on the pages of the posts indexed.

    A post is estimated from its own text and its neighbours on the page it
    was first found on, so the pages estimated again are those the indexed
    posts were first found on; a post that is dated now loses any estimate.
    """
    from byline.enrich import publication_dates

    if not indexed:
        return 0
    by_id = {p.id: p for p in state.posts}
    done = set(indexed)
    estimates: dict[int, DateEstimate | None] = {i: None for i in done if by_id[i].dated}
    pages = store.page_posts(sorted({by_id[i].source_id for i in done}))
    undated_by_page = _undated_first_found(state.posts, pages)
    count = 0
    for source_id, post_ids in sorted(pages.items()):
        undated = undated_by_page.get(source_id, [])
        if not undated:
            continue
        posts = {stored.id: stored.post for stored in store.get_posts(post_ids)}
        ordered = [i for i in post_ids if i in posts]
        for post_id, found in zip(
            ordered, publication_dates([posts[i] for i in ordered]), strict=True
        ):
            if post_id in undated and found.estimated:
                estimates[post_id] = DateEstimate(
                    earliest=found.earliest,
                    latest=found.latest,
                    conflict=found.conflict,
                    evidence=tuple(
                        EstimateEvidence(e.bound, e.value, e.source, e.detail)
                        for e in found.evidence
                    ),
                )
                count += 1
    if estimates:
        store.save_estimates(estimates)
    return count


def _undated_first_found(
    posts: Iterable[PostState], pages: dict[int, list[int]]
) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for post in posts:
        if not post.dated and post.source_id in pages:
            found.setdefault(post.source_id, []).append(post.id)
    return found
