"""One post's whole enrichment, and what must be redone when the knowledge changes.

The store keeps, per post, the :class:`PostEntities` fingerprint and its
``touched`` ids.  After the knowledge file changes, :func:`plan_reindex`
compares the two versions; a post needs indexing again only if it touched a
changed entry, or if its text holds a spelling of a changed entry (a new alias
may now match where nothing did).  Everything else keeps its rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import ahocorasick

from byline.enrich._model import PostIndex
from byline.enrich._text import lower_same_length, normalise
from byline.enrich.dates import dates_for_post
from byline.enrich.entities import INDEXED_ROLES, index_entities, indexed_text
from byline.enrich.figures import figures_for_post
from byline.enrich.knowledge import Knowledge
from byline.model import Post


def index_post(post: Post, knowledge: Knowledge) -> PostIndex:
    """Entities, figures and dates of one post: everything the store keeps for it."""
    key = post.content_key
    return PostIndex(
        post_key=key,
        entities=index_entities(post, knowledge, post_key=key),
        figures=tuple(figures_for_post(post, knowledge, post_key=key)),
        dates=tuple(dates_for_post(post)),
    )


@dataclass(frozen=True)
class ReindexPlan:
    """Which knowledge entries changed, and a fast test for the posts they affect."""

    changed: frozenset[str]
    spellings: frozenset[str] = field(default=frozenset())

    def needs(self, post: Post, touched: Iterable[str]) -> bool:
        """True when this post's entities may differ under the new knowledge."""
        if not self.changed:
            return False
        if self.changed.intersection(touched):
            return True
        return self._mentions_any(post)

    def _mentions_any(self, post: Post) -> bool:
        if not self.spellings:
            return False
        automaton = _probe(self.spellings)
        for block in post.blocks:
            if block.role in INDEXED_ROLES:
                text = lower_same_length(normalise(indexed_text(block)[1]))
                for _ in automaton.iter(text):
                    return True
        return False


def plan_reindex(old: Knowledge, new: Knowledge) -> ReindexPlan:
    """What changed between two versions of the knowledge, as a :class:`ReindexPlan`."""
    changed = new.changed_since(old)
    spellings = old.spellings_of(changed) | new.spellings_of(changed)
    return ReindexPlan(changed=changed, spellings=_folded(spellings))


def plan_reindex_from(
    old_digests: Mapping[str, str], old_spellings: Mapping[str, Iterable[str]], new: Knowledge
) -> ReindexPlan:
    """The same plan from what a store kept of the old knowledge: digests and spellings.

    ``old_digests`` is ``Knowledge.digests`` as it was; ``old_spellings`` maps an
    id to the spellings it had (``Knowledge.spellings_of([id])``).
    """
    ids = set(old_digests) | set(new.digests)
    changed = frozenset(i for i in ids if old_digests.get(i) != new.digests.get(i))
    spellings = new.spellings_of(changed)
    for entity_id in changed:
        spellings.update(old_spellings.get(entity_id, ()))
    return ReindexPlan(changed=changed, spellings=_folded(spellings))


def _folded(spellings: Iterable[str]) -> frozenset[str]:
    return frozenset(lower_same_length(normalise(s)) for s in spellings if s.strip())


_PROBES: dict[frozenset[str], ahocorasick.Automaton] = {}


def _probe(spellings: frozenset[str]) -> ahocorasick.Automaton:
    automaton = _PROBES.get(spellings)
    if automaton is None:
        automaton = ahocorasick.Automaton()
        for spelling in spellings:
            automaton.add_word(spelling, spelling)
        automaton.make_automaton()
        _PROBES.clear()  # one plan at a time is all a re-index needs
        _PROBES[spellings] = automaton
    return automaton
