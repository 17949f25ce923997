"""Enrichment: what the writing is about, read from the text alone (pure, no I/O).

Entities (countries, places, people, organisations, initiatives) are linked
through the knowledge file (``data/knowledge.yaml`` plus a user's own);
figures (money, percentages, counts) and dates are read with small tested
patterns; tags and outlets are suggested from the archive's own habits.
Objects in, objects out: the store decides what to keep.
"""

from byline.enrich._index import ReindexPlan, index_post, plan_reindex, plan_reindex_from
from byline.enrich._model import (
    ENTITY_TYPES,
    BlockMention,
    Candidate,
    DateEvidence,
    DateMention,
    Entity,
    EntityType,
    Figure,
    Mention,
    OutletSuggestion,
    PostEntities,
    PostEntity,
    PostIndex,
    PublicationDate,
    TagSuggestion,
)
from byline.enrich.dates import dates_for_post, find_dates, publication_dates
from byline.enrich.entities import (
    INDEXED_ROLES,
    RULES_VERSION,
    entities_for_post,
    find_entities,
    index_entities,
)
from byline.enrich.figures import figures_for_post, find_figures
from byline.enrich.knowledge import Knowledge, build_knowledge, load_knowledge
from byline.enrich.suggest import TagModel, learn_tags, suggest_outlet, suggest_tags

__all__ = [
    "ENTITY_TYPES",
    "INDEXED_ROLES",
    "RULES_VERSION",
    "BlockMention",
    "Candidate",
    "DateEvidence",
    "DateMention",
    "Entity",
    "EntityType",
    "Figure",
    "Knowledge",
    "Mention",
    "OutletSuggestion",
    "PostEntities",
    "PostEntity",
    "PostIndex",
    "PublicationDate",
    "ReindexPlan",
    "TagModel",
    "TagSuggestion",
    "build_knowledge",
    "dates_for_post",
    "entities_for_post",
    "figures_for_post",
    "find_dates",
    "find_entities",
    "find_figures",
    "index_entities",
    "index_post",
    "learn_tags",
    "load_knowledge",
    "plan_reindex",
    "plan_reindex_from",
    "publication_dates",
    "suggest_outlet",
    "suggest_tags",
]
