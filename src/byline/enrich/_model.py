"""What enrichment finds in a post, as plain frozen records (no I/O).

Entities come from the knowledge file (:class:`Entity`); the recogniser turns
text into :class:`Mention` s and a post into :class:`PostEntity` totals;
figures, dates and suggestions have their own records.  Everything a record
says can be traced back to a part of the post (its role and line) and, for
figures and dates, to the sentence it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal, get_args

from byline.model import Outlet, Role

EntityType = Literal["country", "place", "person", "organisation", "initiative"]
ENTITY_TYPES: tuple[EntityType, ...] = get_args(EntityType)

# How a mention reached its entity: its name or an alias, a short form ("Xi"),
# a demonym ("Kazakh authorities"), a capital standing for its government
# ("Beijing said"), an entity implied by another ("Russian Foreign Ministry"
# implies Russia) or a descriptive pattern ("$280 million logistics centre").
Via = Literal["name", "short", "demonym", "metonym", "implied", "pattern"]


@dataclass(frozen=True)
class Entity:
    """One thing the archive can be about, as the knowledge file describes it."""

    id: str  # stable: "country/kz", "person/xi-jinping"
    name: str  # canonical name, shown on pages
    type: EntityType
    aliases: tuple[str, ...] = ()
    short: tuple[str, ...] = ()  # short forms that may be shared ("Sharif")
    surname: str | None = None  # for "President Xi", "Mr Pompeo"
    demonyms: tuple[str, ...] = ()  # countries: "Kazakh", "Kazakhs"
    metonyms: tuple[str, ...] = ()  # "Beijing" for China's government
    qid: str | None = None  # Wikidata, only where known for certain
    country: str | None = None  # id of the country a place or body belongs to
    cues: tuple[str, ...] = ()  # words near an ambiguous name that select this entity
    needs_cue: tuple[str, ...] = ()  # aliases linked only when a cue is in the sentence
    exact: tuple[str, ...] = ()  # multi-word aliases matched only with their exact case
    implies: tuple[str, ...] = ()  # ids of entities every mention also names
    patterns: tuple[str, ...] = ()  # regular expressions for descriptive mentions
    source: str = "knowledge.yaml"

    def spellings(self) -> tuple[str, ...]:
        """The name and every alias, name first, without repeats."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))


@dataclass(frozen=True)
class Mention:
    """One place in a text that names an entity; offsets index that text."""

    entity_id: str
    name: str
    type: EntityType
    surface: str
    start: int
    end: int
    via: Via = "name"


@dataclass(frozen=True)
class BlockMention:
    """A mention in one part of a post: the block's role and source line."""

    role: Role
    line: int
    mention: Mention


@dataclass(frozen=True)
class PostEntity:
    """An entity's total in one post: how often, as what, and in which parts."""

    entity_id: str
    name: str
    type: EntityType
    count: int
    surfaces: tuple[str, ...]
    roles: tuple[Role, ...]


@dataclass(frozen=True)
class Candidate:
    """A capitalised name the knowledge file does not know: listed for review."""

    surface: str
    count: int
    roles: tuple[Role, ...]
    example: str  # the sentence it was first seen in


@dataclass(frozen=True)
class PostEntities:
    """Everything the recogniser found in one post, with its fingerprint.

    ``touched`` holds the ids of every knowledge entry that matched or could
    have matched (an alias present but overruled by a longer name or by
    context): only a change to one of those, or a new alias found in the text,
    can change this result.  ``fingerprint`` hashes the post's content key, the
    recogniser's rules version and those entries.
    """

    post_key: str
    entities: tuple[PostEntity, ...]
    mentions: tuple[BlockMention, ...]
    unlinked: tuple[Candidate, ...]
    touched: frozenset[str]
    fingerprint: str


FigureKind = Literal["money", "percent", "count"]


@dataclass(frozen=True)
class Figure:
    """A number the text states: money, a percentage or a count of things."""

    kind: FigureKind
    text: str  # as written: "US$280 million"
    value: float  # normalised: 280000000.0
    number: float  # as written, before the scale: 280.0
    scale: str | None  # "million", "billion", "thousand" ...
    currency: str | None  # ISO 4217 code for money: "USD"
    unit: str | None  # what a count counts ("railcars"); "%" for percentages
    sentence: str
    role: Role | None
    line: int | None
    start: int  # offsets in the block's text
    end: int
    entity_ids: tuple[str, ...] = ()  # entities named in the same sentence
    entity_names: tuple[str, ...] = ()
    post_key: str | None = None


Granularity = Literal["day", "month", "year"]
Tense = Literal["past", "future", "unknown"]


@dataclass(frozen=True)
class DateMention:
    """A date the text mentions, as the span of days it can mean."""

    text: str
    earliest: date
    latest: date
    granularity: Granularity
    tense: Tense  # "future" when the sentence looks ahead ("will", "by 2040")
    relative: bool  # the year (or the whole date) came from a base date
    sentence: str
    role: Role | None = None
    line: int | None = None
    start: int = 0
    end: int = 0


Bound = Literal["earliest", "latest"]
EvidenceSource = Literal["stated", "text", "neighbour"]


@dataclass(frozen=True)
class DateEvidence:
    """Why a publication date is bounded where it is."""

    bound: Bound
    value: date
    source: EvidenceSource
    detail: str  # the sentence, or which neighbour and how it is dated
    post_index: int  # the post the evidence is in (a neighbour's index for "neighbour")


@dataclass(frozen=True)
class PublicationDate:
    """A post's publication date: stated, or estimated as an interval with evidence."""

    index: int  # position on its page
    stated: date | None
    earliest: date | None
    latest: date | None
    estimated: bool
    evidence: tuple[DateEvidence, ...] = ()
    conflict: bool = False  # the evidence contradicts itself (earliest > latest)


@dataclass(frozen=True)
class TagSuggestion:
    """A tag the archive's own tagging suggests, and the entities behind it."""

    tag: str
    score: float
    because: tuple[str, ...]  # entity names, strongest first


@dataclass(frozen=True)
class OutletSuggestion:
    """The outlet a post's preface names, and the sentence that names it."""

    outlet: Outlet
    evidence: str


@dataclass(frozen=True)
class PostIndex:
    """One post's whole enrichment: what the store keeps for it."""

    post_key: str
    entities: PostEntities
    figures: tuple[Figure, ...]
    dates: tuple[DateMention, ...] = field(default=())
