"""Find and link the entities a text names: countries, places, people, bodies, initiatives.

The recogniser is a gazetteer: every spelling in the knowledge file is matched
at once (Aho-Corasick, word boundaries), the longest match wins where matches
overlap, and a few context rules choose between meanings:

1. An ignored phrase ("Native American") names nothing.
2. A spelling with one meaning links to it ("Kazakh" -> Kazakhstan, "Xi" -> Xi
   Jinping; a ``needs_cue`` spelling such as "Communist Party" only when a cue,
   "China" or "Beijing", is in the same sentence).
3. Several meanings: the one whose cue words stand nearest in the sentence
   ("Georgia" near "Atlanta" is the U.S. state).
4. A capital that is also its country's metonym is the place when used as one
   ("in Beijing", "visit to Moscow", "the capital Bishkek", "Dushanbe
   airport") and the country otherwise ("Beijing has been coy").
5. A short form shared by several people ("Sharif", "Wang") is the one the
   same post names in full, nearest before it.
6. Otherwise the one meaning without cues (the country Georgia), or nothing.

Entities a matched entry ``implies`` are added ("Russian Ministry of Foreign
Affairs" also names Russia); descriptive ``patterns`` add their entity.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from byline.enrich._aliases import Hit, Target
from byline.enrich._candidates import unlinked_candidates
from byline.enrich._model import BlockMention, Entity, Mention, PostEntities, PostEntity, Via
from byline.enrich._text import normalise, sentence_at, words
from byline.enrich.knowledge import Knowledge
from byline.model import Block, Post, Role, split_caption

# The parts of a post that say what it is about.  The bio and byline lines say
# who wrote it (the author's employer is not a topic), footnotes cite sources,
# image lines are file names.  The preface is kept: it is the writer's own
# words about the piece, and the outlet it names is a fair thing to browse by.
INDEXED_ROLES: tuple[Role, ...] = (
    "preface",
    "headline",
    "standfirst",
    "heading",
    "body",
    "caption",
)
RULES_VERSION = "entities-1"  # bump when a rule changes: every fingerprint changes with it
CUE_DISTANCE = 60  # characters: a cue further from an ambiguous name does not decide it
LOCATIVE_WORDS = words(
    """in at into near outside around across via through inside within visit visits visited
    visiting reached arrived leaving"""
)
# "to" and "from" place a capital only after movement ("a visit to Moscow", "a
# flight from Beijing"); "ties to Beijing", "support from Washington" are governments.
DIRECTIONAL_WORDS = frozenset({"to", "from", "towards", "toward"})
MOTION_WORDS = words(
    """visit visits trip trips flight flights travel travelled traveled travelling went go goes
    going came come comes coming returned return returning moved move sent send fly flew
    flying journey route routes road rail railway shipment shipments shipped delivered
    arrived arriving heading headed way fled flee ejected expelled evacuated driven moving
    transferred relocated exported imported"""
)
PLACE_NOUNS_BEFORE_OF = words(
    """capital city streets outskirts fall takeover capture mayor suburbs centre center"""
)
PLACE_NOUNS_BEFORE = frozenset({"capital", "city"})  # "the capital Bishkek"
SKIPPED_BEFORE_PLACE = frozenset({"the", "both", "either", "downtown", "central"})
PLACE_FOLLOWERS = re.compile(
    r"^(?:'s)?\s+(?:airport|embassy|consulate|summit|conference|event|trade|residents|mayor|"
    r"suburbs|streets|metro)\b"
)
COORDINATION_GAP = 8  # "in Moscow and Beijing": the second shares the first's preposition
_WORDS = re.compile(r"[A-Za-z']+")
_NONE = Entity(id="", name="", type="place")
HANDOUT_CREDIT = re.compile(
    r"\s*\((?:Handout|Photo|Picture|Image|Courtesy|Credit|File photo)\b[^()]*\)\s*\.?\s*$",
    re.IGNORECASE,
)


def find_entities(text: str, knowledge: Knowledge) -> list[Mention]:
    """Every entity mention in one text, in order; offsets index ``text``."""
    scanned = _scan(normalise(text), knowledge)
    sure = _sure_positions([scanned], knowledge)
    return _resolve(scanned, 0, knowledge, sure)


def entities_for_post(post: Post, knowledge: Knowledge) -> list[PostEntity]:
    """The entities a post is about, with counts, most mentioned first."""
    return list(index_entities(post, knowledge).entities)


def index_entities(
    post: Post, knowledge: Knowledge, *, post_key: str | None = None
) -> PostEntities:
    """Entities, mentions, unlinked names and the fingerprint for one post.

    ``post_key`` is the post's ``content_key`` when the caller has it already.
    """
    parts = [(block, offset, text) for block, offset, text in _indexed_parts(post.blocks)]
    scans = [_scan(normalise(text), knowledge) for _, _, text in parts]
    sure = _sure_positions(scans, knowledge)
    mentions: list[BlockMention] = []
    touched: set[str] = set()
    for index, ((block, offset, _), scanned) in enumerate(zip(parts, scans, strict=True)):
        touched |= scanned.touched
        for mention in _resolve(scanned, index, knowledge, sure):
            shifted = Mention(
                mention.entity_id,
                mention.name,
                mention.type,
                mention.surface,
                mention.start + offset,
                mention.end + offset,
                mention.via,
            )
            mentions.append(BlockMention(block.role, block.line, shifted))
            touched.add(mention.entity_id)
    touched.discard("")
    unlinked = unlinked_candidates(
        [
            (block.role, text, scanned.covered)
            for (block, _, text), scanned in zip(parts, scans, strict=True)
        ]
    )
    key = post_key or post.content_key
    fingerprint = hashlib.sha256(
        f"{RULES_VERSION}\n{key}\n{knowledge.fingerprint_for(touched)}".encode()
    ).hexdigest()
    return PostEntities(
        post_key=key,
        entities=_totals(mentions),
        mentions=tuple(mentions),
        unlinked=tuple(unlinked),
        touched=frozenset(touched),
        fingerprint=fingerprint,
    )


def indexed_text(block: Block) -> tuple[int, str]:
    """The part of a block that is indexed, and where it starts in the block's text.

    A caption loses its trailing credit ("© Reuters", "(Handout photo from ...)"):
    the agency that took a picture is not what the piece is about.
    """
    if block.role != "caption":
        return 0, block.text
    text = split_caption(block.text).text
    while True:
        trimmed = HANDOUT_CREDIT.sub("", text)
        if trimmed == text:
            break
        text = trimmed
    offset = max(block.text.find(text), 0)
    return offset, text


def _indexed_parts(blocks: Sequence[Block]) -> list[tuple[Block, int, str]]:
    parts = []
    for block in blocks:
        if block.role in INDEXED_ROLES:
            offset, text = indexed_text(block)
            if text.strip():
                parts.append((block, offset, text))
    return parts


@dataclass
class _Scanned:
    """One text's hits after longest-match selection, and what they touched."""

    text: str
    kept: list[Hit]
    pattern_hits: list[tuple[int, int, str]]
    touched: set[str]
    covered: list[tuple[int, int]]


def _scan(text: str, knowledge: Knowledge) -> _Scanned:
    table = knowledge.matcher
    hits = table.scan(text)
    hits = _drop_crossed_short_forms(hits)
    hits.sort(key=lambda h: (-h.length, h.start))
    taken = bytearray(len(text))
    kept: list[Hit] = []
    touched: set[str] = set()
    for hit in hits:
        touched.update(t.entity_id for t in hit.targets)
        if any(taken[hit.start : hit.end]):
            continue  # a longer name covers it: "Nursultan" inside "Nursultan Nazarbayev"
        taken[hit.start : hit.end] = b"\x01" * hit.length
        kept.append(hit)
    kept.sort(key=lambda h: h.start)
    patterns = [(p.start, p.end, p.entity_id) for p in table.pattern_hits(text)]
    touched.update(eid for _, _, eid in patterns)
    touched.discard("__ignore__")
    covered = [(h.start, h.end) for h in hits]
    return _Scanned(text, kept, patterns, touched, covered)


def _drop_crossed_short_forms(hits: list[Hit]) -> list[Hit]:
    """Drop a short form that a name overlaps without being inside it.

    "Foreign Minister Ma" (a title and a surname) must not swallow "Ma Zhaoxu";
    but "Ministry of Foreign Affairs" may hold the magazine "Foreign Affairs".
    """
    names = [h for h in hits if any(t.kind == "name" for t in h.targets)]
    kept = []
    for hit in hits:
        if hit not in names and any(
            n.start < hit.end and n.end > hit.start and (n.start < hit.start or n.end > hit.end)
            for n in names
        ):
            continue
        kept.append(hit)
    return kept


# Where each entity is named unambiguously in a post: (part index, offset).
_Sure = Mapping[str, list[tuple[int, int]]]


def _sure_positions(scans: Sequence[_Scanned], knowledge: Knowledge) -> _Sure:
    sure: dict[str, list[tuple[int, int]]] = {}
    for index, scanned in enumerate(scans):
        for hit in scanned.kept:
            ids = {t.entity_id for t in hit.targets}
            if len(ids) == 1 and all(t.kind == "name" and not t.needs_cue for t in hit.targets):
                (entity_id,) = ids
                if entity_id in knowledge.entities:
                    sure.setdefault(entity_id, []).append((index, hit.start))
    return sure


def _resolve(scanned: _Scanned, part: int, knowledge: Knowledge, sure: _Sure) -> list[Mention]:
    text = scanned.text
    mentions: list[Mention] = []
    last_place_end = -100
    country_starts = {
        h.start
        for h in scanned.kept
        if any(
            t.kind == "name" and knowledge.entities.get(t.entity_id, _NONE).type == "country"
            for t in h.targets
        )
    }
    for hit in scanned.kept:
        if any(t.kind == "ignore" for t in hit.targets):
            continue
        chosen = _choose(hit, text, part, knowledge, sure, last_place_end, country_starts)
        if chosen is None:
            continue
        if chosen.kind == "name" and knowledge.entities[chosen.entity_id].type == "place":
            last_place_end = hit.end
        via: Via = chosen.kind if chosen.kind != "ignore" else "name"
        mentions.extend(_mentions_for(chosen.entity_id, hit.start, hit.end, text, via, knowledge))
    for start, end, entity_id in scanned.pattern_hits:
        if any(m.entity_id == entity_id and m.start < end and m.end > start for m in mentions):
            continue  # the name itself is inside the described span
        mentions.extend(_mentions_for(entity_id, start, end, text, "pattern", knowledge))
    mentions.sort(key=lambda m: (m.start, m.via != "name"))
    return mentions


def _mentions_for(
    entity_id: str, start: int, end: int, text: str, via: Via, knowledge: Knowledge
) -> list[Mention]:
    entity = knowledge.entities.get(entity_id)
    if entity is None:
        return []
    found = [Mention(entity.id, entity.name, entity.type, text[start:end], start, end, via)]
    for implied_id in entity.implies:
        implied = knowledge.entities.get(implied_id)
        if implied:
            found.append(
                Mention(
                    implied.id, implied.name, implied.type, text[start:end], start, end, "implied"
                )
            )
    return found


def _choose(
    hit: Hit,
    text: str,
    part: int,
    knowledge: Knowledge,
    sure: _Sure,
    last_place_end: int,
    country_starts: set[int],
) -> Target | None:
    """The one meaning of a hit, by the rules in the module docstring (2 to 6)."""
    options: dict[str, Target] = {}
    for target in hit.targets:
        if target.entity_id not in knowledge.entities:
            continue
        if target.needs_cue and _cue_distance(target.entity_id, hit, text, knowledge) is None:
            continue
        options.setdefault(target.entity_id, target)
    if len(options) <= 1:
        return next(iter(options.values()), None)
    # 3. cues nearby
    distances = {
        eid: d
        for eid in options
        if (d := _cue_distance(eid, hit, text, knowledge)) is not None and d <= CUE_DISTANCE
    }
    if distances:
        return options[min(distances, key=lambda eid: distances[eid])]
    # 4. a capital: the place when used as a place, else its country
    metonyms = [t for t in options.values() if t.kind == "metonym"]
    places = [
        t
        for t in options.values()
        if t.kind == "name"
        and knowledge.entities[t.entity_id].type == "place"
        and not knowledge.entities[t.entity_id].cues
    ]
    if metonyms:
        if places and _is_locative(text, hit, last_place_end, country_starts):
            return places[0]
        return metonyms[0]
    # 5. a short form: the person the post names in full, nearest before
    named = [eid for eid in options if eid in sure]
    if named:
        return options[_nearest_named(named, sure, part, hit.start)]
    # 6. the one meaning that needs no cue
    plain = [t for t in options.values() if not knowledge.entities[t.entity_id].cues]
    return plain[0] if len(plain) == 1 and plain[0].kind != "short" else None


def _cue_distance(entity_id: str, hit: Hit, text: str, knowledge: Knowledge) -> int | None:
    pattern = knowledge.matcher.cue_pattern(entity_id)
    if pattern is None:
        return None
    start, end = sentence_at(text, hit.start)
    best: int | None = None
    for match in pattern.finditer(text, start, end):
        if match.start() < hit.end and match.end() > hit.start:
            continue  # the cue is the name itself
        gap = hit.start - match.end() if match.end() <= hit.start else match.start() - hit.end
        best = gap if best is None else min(best, gap)
    return best


def _nearest_named(named: list[str], sure: _Sure, part: int, offset: int) -> str:
    def key(eid: str) -> tuple[int, int]:
        before = [p for p in sure[eid] if p <= (part, offset)]
        if before:
            latest = max(before)
            return (0, -(latest[0] * 1_000_000 + latest[1]))
        earliest = min(sure[eid])
        return (1, earliest[0] * 1_000_000 + earliest[1])

    return min(named, key=key)


def _is_locative(text: str, hit: Hit, last_place_end: int, country_starts: set[int]) -> bool:
    words = [w.lower() for w in _WORDS.findall(text[max(0, hit.start - 60) : hit.start])]
    if text[max(0, hit.start - 3) : hit.start].strip(" ") in (".", ":"):
        words = []  # a new sentence starts right before the name
    possessive = text.startswith("'s", hit.end)  # "in Beijing's thinking" is the government
    index = len(words) - 1
    while index >= 0 and words[index] in SKIPPED_BEFORE_PLACE:
        index -= 1
    if index >= 0:
        word = words[index]
        if word in LOCATIVE_WORDS or word in PLACE_NOUNS_BEFORE:
            return not possessive
        if word in DIRECTIONAL_WORDS:
            moving = index > 0 and words[index - 1] in MOTION_WORDS
            return (moving or hit.start - last_place_end <= COORDINATION_GAP + 4) and not possessive
        if word == "of" and index > 0 and words[index - 1] in PLACE_NOUNS_BEFORE_OF:
            return True
        if word in ("and", "or") and hit.start - last_place_end <= COORDINATION_GAP + len(word):
            return True
    after = text[hit.end : hit.end + 40]
    if PLACE_FOLLOWERS.match(after):
        return True
    comma = re.match(r",\s+", after)
    return comma is not None and hit.end + comma.end() in country_starts  # "Dushanbe, Tajikistan"


TYPE_ORDER = {"country": 0, "place": 1, "person": 2, "organisation": 3, "initiative": 4}


def _totals(mentions: Sequence[BlockMention]) -> tuple[PostEntity, ...]:
    counts: Counter[str] = Counter()
    first: dict[str, Mention] = {}
    surfaces: dict[str, dict[str, None]] = {}
    roles: dict[str, dict[Role, None]] = {}
    for item in mentions:
        m = item.mention
        counts[m.entity_id] += 1
        first.setdefault(m.entity_id, m)
        surfaces.setdefault(m.entity_id, {})[m.surface] = None
        roles.setdefault(m.entity_id, {})[item.role] = None
    ordered = sorted(counts, key=lambda e: (-counts[e], TYPE_ORDER[first[e].type], first[e].name))
    return tuple(
        PostEntity(
            entity_id=eid,
            name=first[eid].name,
            type=first[eid].type,
            count=counts[eid],
            surfaces=tuple(surfaces[eid]),
            roles=tuple(roles[eid]),
        )
        for eid in ordered
    )
