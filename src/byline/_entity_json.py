"""Entities, figures and suggestions as JSON-ready objects (``--format json``).

Keys are documented in ``docs/knowledge.md``; every object names entities by
their canonical name, with their type and stable id, and posts by id and headline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from byline.model import iso
from byline.store import (
    DateEstimate,
    EntitySummary,
    MentioningPost,
    PostMention,
    StoredFigure,
    UnlinkedName,
)

if TYPE_CHECKING:
    from byline._api_entities import EntityReport, Suggestions
    from byline._indexing import IndexReport


def summary_json(entity: EntitySummary) -> dict[str, Any]:
    """One row of ``byline entities``: an entity and how many posts name it."""
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "posts": entity.posts,
        "mentions": entity.mentions,
    }


def mention_json(mention: PostMention) -> dict[str, Any]:
    """One entity of one post (``byline entities --post ID``)."""
    return {
        "id": mention.entity_id,
        "name": mention.name,
        "type": mention.type,
        "count": mention.count,
        "roles": list(mention.roles),
        "surfaces": list(mention.surfaces),
        "aliases": list(mention.aliases),
        "qid": mention.qid,
    }


def unlinked_json(name: UnlinkedName) -> dict[str, Any]:
    """A name no knowledge entry covers (``byline entities --unlinked``)."""
    return {
        "name": name.surface,
        "posts": name.posts,
        "count": name.count,
        "roles": list(name.roles),
        "example": name.example,
        "post_ids": list(name.post_ids),
    }


def estimate_json(estimate: DateEstimate | None) -> dict[str, Any] | None:
    if estimate is None:
        return None
    return {
        "earliest": iso(estimate.earliest),
        "latest": iso(estimate.latest),
        "conflict": estimate.conflict,
        "evidence": [
            {"bound": e.bound, "value": e.value.isoformat(), "source": e.source, "detail": e.detail}
            for e in estimate.evidence
        ],
    }


def mentioning_post_json(post: MentioningPost) -> dict[str, Any]:
    return {
        "id": post.post_id,
        "headline": post.headline,
        "title": post.title,
        "count": post.count,
        "roles": list(post.roles),
        "published": iso(post.published),
        "estimated": estimate_json(post.estimate),
        "year": post.year,
        "status": post.status,
    }


def figure_json(figure: StoredFigure) -> dict[str, Any]:
    """A figure (``byline figures``): amount, currency and the sentence it belongs to."""
    return {
        "id": figure.id,
        "kind": figure.kind,
        "text": figure.text,
        "amount": figure.value,
        "value": figure.value,
        "number": figure.number,
        "scale": figure.scale,
        "currency": figure.currency,
        "unit": figure.unit,
        "sentence": figure.sentence,
        "post": figure.post_id,
        "headline": figure.headline,
        "title": figure.title,
        "entities": list(figure.entity_names),
        "entity_ids": list(figure.entity_ids),
        "role": figure.role,
        "line": figure.line,
    }


def entity_json(report: EntityReport) -> dict[str, Any]:
    """An entity's page as data (``byline entity NAME --format json``)."""
    entity = report.entity
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "qid": entity.qid,
        "aliases": list(entity.aliases),
        "mentions": report.mentions,
        "posts": [mentioning_post_json(p) for p in report.posts],
        "timeline": [
            {"year": y.year, "posts": y.posts, "mentions": y.mentions, "estimated": y.estimated}
            for y in report.timeline
        ],
        "undated": report.undated,
        "co_mentioned": [
            {"id": c.id, "name": c.name, "type": c.type, "posts": c.posts}
            for c in report.co_mentions
        ],
        "figures": [figure_json(f) for f in report.figures],
    }


def suggestions_json(found: Suggestions) -> dict[str, Any]:
    """Tag and outlet suggestions for a post (``byline suggest POST --format json``)."""
    outlet = found.outlet
    return {
        "post": found.post_id,
        "title": found.title,
        "tags": [{"tag": t.tag, "score": t.score, "because": list(t.because)} for t in found.tags],
        "existing_tags": list(found.existing_tags),
        "outlet": (
            {
                "name": outlet.outlet.name,
                "aliases": list(outlet.outlet.aliases),
                "evidence": outlet.evidence,
            }
            if outlet
            else None
        ),
        "current_outlet": found.current_outlet,
    }


def index_json(report: IndexReport) -> dict[str, Any]:
    """What ``byline index`` did."""
    return {
        "posts": report.posts,
        "indexed": len(report.indexed),
        "rewritten": len(report.rewritten),
        "unchanged": report.unchanged,
        "estimated": report.estimated,
        "knowledge_version": report.knowledge_version,
        "knowledge_entities": report.knowledge_entities,
        "knowledge_path": report.knowledge_path,
        "changed_entries": report.changed_entries,
        "seconds": report.seconds,
        "indexed_ids": list(report.indexed),
        "rewritten_ids": list(report.rewritten),
    }
