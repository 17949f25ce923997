"""What a store keeps of enrichment, independent of the database behind it.

Indexing (``byline._indexing``) reads an :class:`EnrichmentState`, works out
which posts to index again, and writes :class:`PostEnrichment` records; the
CLI, the API and the site read entities, figures and unlinked names back as
the plain records here.  Enrichment's own records (``byline.enrich``) are only
named for type checking: importing the enrichment package costs a few hundred
milliseconds that ``byline posts`` should not pay.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from byline.enrich import PostIndex

IGNORE_TYPE = "ignore"  # knowledge_entries.type of an ignored phrase (never an entity)


@dataclass(frozen=True)
class KnowledgeEntry:
    """A knowledge entry as the store keeps it: enough to plan a re-index and to name it."""

    id: str
    name: str
    type: str  # an entity type, or "ignore" for an ignored phrase
    digest: str
    qid: str | None = None
    country_id: str | None = None
    aliases: tuple[str, ...] = ()  # other names, linked without conditions
    spellings: tuple[str, ...] = ()  # every surface form: aliases, short forms, demonyms ...


class PostState(NamedTuple):
    """One post as indexing plans with it: its revision now and when last indexed."""

    id: int
    revision: int
    source_id: int  # the page it was first found on
    dated: bool  # whether its page states its date
    indexed_revision: int | None  # None: never indexed
    fingerprint: str | None
    rules_version: str | None
    touched: tuple[str, ...]


@dataclass(frozen=True)
class EnrichmentState:
    """Everything indexing plans with, read in a few queries and no post text."""

    posts: tuple[PostState, ...]
    digests: dict[str, str]  # knowledge entry id -> digest, as last indexed
    spellings: dict[str, tuple[str, ...]]  # knowledge entry id -> its spellings then
    meta: dict[str, str] = field(default_factory=dict)  # knowledge_version, knowledge_path


@dataclass(frozen=True)
class PostEnrichment:
    """What indexing writes for one post.

    ``index`` is ``None`` when the fingerprint is the one stored: the post's
    rows are left as they are and only its indexed revision is brought up to date.
    """

    post_id: int
    revision: int
    fingerprint: str
    rules_version: str
    knowledge_version: str
    touched: tuple[str, ...]
    index: PostIndex | None


@dataclass(frozen=True)
class EstimateEvidence:
    """Why an estimated publication date is bounded where it is."""

    bound: str  # earliest | latest
    value: date
    source: str  # stated | text | neighbour
    detail: str


@dataclass(frozen=True)
class DateEstimate:
    """A post's publication date estimated as an interval (its page states none)."""

    earliest: date | None
    latest: date | None
    conflict: bool = False
    evidence: tuple[EstimateEvidence, ...] = ()

    @property
    def year(self) -> int | None:
        """The year a timeline files it under: that of the latest event it reports.

        A piece usually appears soon after the last dated event it reports, so
        the lower bound is the better guess; without one, the upper bound.
        """
        best = self.earliest or self.latest
        return best.year if best else None


@dataclass(frozen=True)
class EntityInfo:
    """A known entity: its canonical name, type and other names."""

    id: str
    name: str
    type: str
    qid: str | None = None
    country_id: str | None = None
    aliases: tuple[str, ...] = ()
    spellings: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntitySummary:
    """An entity and how much the archive names it."""

    id: str
    name: str
    type: str
    posts: int
    mentions: int


@dataclass(frozen=True)
class PostMention:
    """An entity in one post: how often, in which parts, and how it was written."""

    entity_id: str
    name: str
    type: str
    count: int
    roles: tuple[str, ...]
    surfaces: tuple[str, ...]
    qid: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class MentioningPost:
    """A post naming an entity, with its date (stated, or estimated) and the count."""

    post_id: int
    title: str
    headline: str | None
    slug: str
    published: date | None
    status: str
    count: int
    roles: tuple[str, ...]
    estimate: DateEstimate | None = None

    @property
    def year(self) -> int | None:
        if self.published:
            return self.published.year
        return self.estimate.year if self.estimate else None


@dataclass(frozen=True)
class CoMention:
    """An entity named in the same posts as another, and in how many."""

    id: str
    name: str
    type: str
    posts: int


@dataclass(frozen=True)
class StoredFigure:
    """A figure the text states, with its post and the entities of its sentence."""

    id: int
    post_id: int
    headline: str | None
    title: str
    kind: str  # money | percent | count
    text: str
    value: float
    number: float
    scale: str | None
    currency: str | None
    unit: str | None
    sentence: str
    role: str | None
    line: int | None
    entity_ids: tuple[str, ...] = ()
    entity_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnlinkedName:
    """A capitalised name no knowledge entry covers, over the whole archive."""

    surface: str
    posts: int
    count: int
    roles: tuple[str, ...]
    example: str
    post_ids: tuple[int, ...]


# A row of the site's entity index: (post id, entity id, mentions in the post).
# A plain tuple: a build reads one per (post, entity) pair, hundreds of thousands.
EntityMention = tuple[int, str, int]


@dataclass(frozen=True)
class EntitySiteIndex:
    """What a site build plans entity pages with, read in a few queries, no text.

    ``entries`` are every known entity in the order first stored (so slugs
    stay put); ``fingerprints`` change whenever a post's enrichment may have.
    The (post, entity) rows come apart, from :meth:`EntityStore.entity_mentions`.
    """

    entries: tuple[EntityInfo, ...]
    fingerprints: dict[int, str]
    estimates: dict[int, DateEstimate]


class EntityStore(ABC):
    """The enrichment half of a store: what indexing writes and what readers ask."""

    # -- indexing ---------------------------------------------------------------

    @abstractmethod
    def enrichment_state(self) -> EnrichmentState:
        """Every post's revision and last indexing, and the knowledge last indexed with."""

    @abstractmethod
    def save_enrichment(self, items: Sequence[PostEnrichment], indexed_at: str) -> int:
        """Store these posts' enrichment in one transaction; how many posts' rows were replaced."""

    @abstractmethod
    def save_knowledge(
        self, entries: Sequence[KnowledgeEntry], meta: Mapping[str, str], *, final: bool = True
    ) -> int:
        """Make the stored knowledge ``entries`` (add, update, drop); how many rows changed.

        ``final=False`` stores the entries' names only, ahead of a run; the
        digests a later run plans with are stored once every post is indexed.
        """

    @abstractmethod
    def save_estimates(self, estimates: Mapping[int, DateEstimate | None]) -> None:
        """Store (or, for ``None``, drop) posts' estimated publication dates."""

    @abstractmethod
    def page_posts(self, source_ids: Sequence[int]) -> dict[int, list[int]]:
        """The posts each page shows, in the page's order."""

    # -- reading ------------------------------------------------------------------

    @abstractmethod
    def entity_entries(self) -> list[EntityInfo]:
        """Every known entity (ignored phrases left out), in the order first stored."""

    @abstractmethod
    def entity_summaries(
        self, entity_type: str | None = None, include_all: bool = False
    ) -> list[EntitySummary]:
        """Entities named in the archive with their post and mention counts, most posts first.

        Only published posts count unless ``include_all``.
        """

    @abstractmethod
    def entity_posts(self, entity_id: str, include_all: bool = False) -> list[MentioningPost]:
        """Every post naming an entity, newest first (undated ones by their estimate, then last)."""

    @abstractmethod
    def co_mentions(
        self, entity_id: str, include_all: bool = False, limit: int = 10
    ) -> list[CoMention]:
        """The entities most often named in the same posts as this one."""

    @abstractmethod
    def post_mentions(self, post_id: int) -> list[PostMention]:
        """The entities of one post, most mentioned first."""

    @abstractmethod
    def mention_roles(self, post_id: int) -> dict[str, dict[str, int]]:
        """For each entity of a post, how many mentions each part of the post holds."""

    @abstractmethod
    def post_indexed(self, post_id: int) -> bool:
        """Whether the post has been indexed at all."""

    @abstractmethod
    def figures(
        self,
        entity_ids: Sequence[str] | None = None,
        kind: str | None = None,
        include_all: bool = False,
    ) -> list[StoredFigure]:
        """Figures in page order, all or those whose sentence names one of ``entity_ids``."""

    @abstractmethod
    def unlinked_names(self, include_all: bool = False) -> list[UnlinkedName]:
        """Names the knowledge file does not know, most widespread first."""

    @abstractmethod
    def tag_examples(self) -> list[tuple[int, tuple[str, ...], tuple[PostMention, ...]]]:
        """Every indexed post's id, tags and entities: what tag suggestions learn from."""

    @abstractmethod
    def publication_estimates(self, post_ids: Sequence[int]) -> dict[int, DateEstimate]:
        """The estimated publication dates of these posts (undated posts only)."""

    @abstractmethod
    def entity_site_index(self) -> EntitySiteIndex:
        """Every entity, and every indexed post's fingerprint and estimate, for a site build."""

    @abstractmethod
    def entity_mentions(self) -> list[EntityMention]:
        """Every (post, entity, mentions) row, by post, each post's entities in its order."""


@dataclass(frozen=True)
class YearCount:
    """One year of an entity's timeline: posts naming it, mentions, posts dated by estimate."""

    year: int
    posts: int
    mentions: int
    estimated: int = 0


def mention_timeline(
    items: Iterable[tuple[int | None, int, bool]],
) -> tuple[tuple[YearCount, ...], int]:
    """Years from the first to the last (quiet years included), and how many had no year.

    ``items`` are (year or None, mentions, whether the year is estimated), one per post.
    """
    posts: dict[int, int] = {}
    mentions: dict[int, int] = {}
    estimated: dict[int, int] = {}
    undated = 0
    for year, count, guessed in items:
        if year is None:
            undated += 1
            continue
        posts[year] = posts.get(year, 0) + 1
        mentions[year] = mentions.get(year, 0) + count
        estimated[year] = estimated.get(year, 0) + int(guessed)
    if not posts:
        return (), undated
    years = range(min(posts), max(posts) + 1)
    return (
        tuple(
            YearCount(y, posts.get(y, 0), mentions.get(y, 0), estimated.get(y, 0)) for y in years
        ),
        undated,
    )
