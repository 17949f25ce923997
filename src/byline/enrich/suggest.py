"""Suggestions for a newly imported post: tags the writer would use, and its outlet.

Tags are learned from how the archive is already tagged.  For each tag and
each entity, a smoothed log-odds ratio says how much more often posts with the
tag mention the entity than posts without it::

    weight(t, e) = log( P(e | t) / P(e | not t) ),  P(e | t) = (n(t, e) + a) / (n(t) + 2a)

A post's score for a tag is the sum of the weights of the entities it
mentions; a tag is suggested when the score passes ``min_score``, and the
suggestion names the entities behind it, strongest first.  Learning reads
only (tags, entities) pairs, so it needs no database.

The outlet comes from what the preface says about the piece ("a piece for the
Nikkei Asian Review"), through the same outlet rules recovery uses.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from byline.enrich._model import OutletSuggestion, PostEntity, TagSuggestion
from byline.enrich._text import sentence_at
from byline.model import Outlet, Post, fold
from byline.recover._outlets import infer_outlet, known_outlets, outlet_in_text

SMOOTHING = 0.5  # added to every count: an entity seen once is weak evidence
MIN_SUPPORT = 2  # an entity must appear with a tag in this many posts to count for it
MIN_SCORE = 2.0  # a tag is suggested from this summed weight up
MAX_REASONS = 5  # entities named in each suggestion's explanation
MIN_OUTLET_KEY = 5  # characters: shorter outlet spellings are found only after a cue


@dataclass(frozen=True)
class TagModel:
    """Per tag, the entities whose presence makes the tag likely, with their weights."""

    weights: Mapping[str, Mapping[str, float]]  # tag -> entity id -> weight
    names: Mapping[str, str]  # entity id -> name
    posts: int
    tag_posts: Mapping[str, int]


def learn_tags(
    examples: Iterable[tuple[Sequence[str], Sequence[PostEntity]]],
    *,
    min_support: int = MIN_SUPPORT,
    smoothing: float = SMOOTHING,
) -> TagModel:
    """Learn tag-entity associations from tagged posts: (tags, entities) per post."""
    posts = 0
    tag_posts: Counter[str] = Counter()
    entity_posts: Counter[str] = Counter()
    together: Counter[tuple[str, str]] = Counter()
    names: dict[str, str] = {}
    for tags, entities in examples:
        posts += 1
        ids = {e.entity_id for e in entities}
        names.update((e.entity_id, e.name) for e in entities)
        entity_posts.update(ids)
        for tag in set(tags):
            tag_posts[tag] += 1
            together.update((tag, eid) for eid in ids)
    weights: dict[str, dict[str, float]] = {tag: {} for tag in tag_posts}
    for (tag, eid), both in together.items():
        if both < min_support:
            continue
        with_tag = (both + smoothing) / (tag_posts[tag] + 2 * smoothing)
        others = posts - tag_posts[tag]
        without_tag = (entity_posts[eid] - both + smoothing) / (others + 2 * smoothing)
        weight = math.log(with_tag / without_tag)
        if weight > 0:
            weights[tag][eid] = weight
    return TagModel(weights=weights, names=names, posts=posts, tag_posts=dict(tag_posts))


def suggest_tags(
    model: TagModel,
    entities: Sequence[PostEntity],
    *,
    existing: Iterable[str] = (),
    limit: int = 5,
    min_score: float = MIN_SCORE,
) -> list[TagSuggestion]:
    """Tags the archive's own tagging suggests for a post with these entities."""
    have = {fold(t) for t in existing}
    ids = {e.entity_id for e in entities}
    suggestions = []
    for tag, weights in model.weights.items():
        if fold(tag) in have:
            continue
        reasons = sorted(
            ((w, eid) for eid, w in weights.items() if eid in ids), key=lambda r: (-r[0], r[1])
        )
        score = sum(w for w, _ in reasons)
        if score >= min_score:
            because = tuple(model.names.get(eid, eid) for _, eid in reasons[:MAX_REASONS])
            suggestions.append(TagSuggestion(tag, round(score, 3), because))
    suggestions.sort(key=lambda s: (-s.score, s.tag))
    return suggestions[:limit]


def suggest_outlet(post: Post) -> OutletSuggestion | None:
    """The outlet the post's preface (or byline) names, with the sentence naming it."""
    for text in post.preface:
        outlet = outlet_in_text(text)
        if outlet:
            return OutletSuggestion(outlet, _evidence(text, outlet.name, outlet.aliases))
    for text in post.preface:
        outlet = _known_outlet_in(text)
        if outlet:  # "a forward look at Central Asia in 2023 for Nikkei Asia Review"
            return OutletSuggestion(outlet, _evidence(text, outlet.name, outlet.aliases))
    outlet = infer_outlet(post)
    if outlet is None:
        return None
    for text in post.texts("meta"):
        if _find(text, (outlet.name, *outlet.aliases)) >= 0:
            return OutletSuggestion(outlet, text.strip())
    return OutletSuggestion(outlet, "")


def _known_outlet_in(text: str) -> Outlet | None:
    """The first outlet of the outlets file named anywhere in the text, if any."""
    folded = " " + re.sub(r"[^\w&/.]+", " ", fold(text)) + " "
    best: tuple[int, int, Outlet] | None = None
    for key, outlet in known_outlets().items():
        if len(key) < MIN_OUTLET_KEY:
            continue  # "FT", "EAF": too short to trust outside a cue
        at = folded.find(f" {key} ")
        if at >= 0 and (best is None or (at, -len(key)) < best[:2]):
            best = (at, -len(key), outlet)
    return best[2] if best else None


def _evidence(text: str, name: str, aliases: Sequence[str]) -> str:
    at = _find(text, (name, *aliases))
    if at < 0:
        return " ".join(text.split())
    start, end = sentence_at(text, at)
    return text[start:end]


def _find(text: str, spellings: Sequence[str]) -> int:
    lowered = text.lower()
    positions = [lowered.find(s.lower()) for s in spellings if s]
    found = [p for p in positions if p >= 0]
    return min(found) if found else -1
