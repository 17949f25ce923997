"""Every spelling in the knowledge file, compiled into two Aho-Corasick automata.

One automaton matches spellings exactly as written: single words ("Putin",
"Xi", "Kazakh"), acronyms ("US", "SCO") and the multi-word names marked
``exact`` ("The Conversation").  The other matches the remaining multi-word
names in lower case, so "central Asia" and "the Jack Ma foundation" are found;
such a match must still look like a name (a capital after its first letter, or
a capitalised first word that does not open a sentence).

A hit counts only on word boundaries: "Xi" is not found in "Xinjiang" nor in
"Xi'an", "US" not in "US$280 million".  Between a lower-case and a capital
letter a place or country name also counts ("BelarusNagorno-Karabakh" is two
names run together by a lost space).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import ahocorasick

from byline.enrich._text import lower_same_length, normalise

if TYPE_CHECKING:
    from byline.enrich._model import Entity
    from byline.enrich.knowledge import Knowledge

Kind = Literal["name", "short", "demonym", "metonym", "ignore"]
IGNORE = "__ignore__"
# "President Xi", "Mr Pompeo", "Ms Wells": a title and a known person's surname.
HONORIFICS = (
    "President", "Mr", "Mr.", "Ms", "Ms.", "Mrs", "Mrs.", "Dr", "Dr.", "Secretary",
    "Prime Minister", "Premier", "Foreign Minister", "Minister", "Chairman", "General",
    "Senator", "Ambassador", "Vice President", "Vice Premier", "Mullah", "Sheikh",
)  # fmt: skip
CAMEL_TYPES = ("country", "place")  # names that may be run together with the next word
SENTENCE_OPENERS = '.!?:"(['


@dataclass(frozen=True)
class Target:
    """What one spelling can mean: an entity, and how the spelling names it."""

    entity_id: str
    kind: Kind
    needs_cue: bool = False


@dataclass(frozen=True)
class Hit:
    """A spelling found in a text, on word boundaries, with everything it can mean."""

    start: int
    end: int
    targets: tuple[Target, ...]

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class PatternHit:
    start: int
    end: int
    entity_id: str


class AliasTable:
    """The automata and what each spelling stands for; built once per knowledge."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self._exact: dict[str, list[Target]] = {}
        self._folded: dict[str, list[Target]] = {}
        for entity in knowledge.entities.values():
            self._add_entity(entity)
        for phrase in knowledge.ignored:
            self._add(phrase, Target(IGNORE, "ignore"), exact=False)
        self._exact_automaton = _automaton(self._exact)
        self._folded_automaton = _automaton(self._folded)
        self.patterns = [
            (re.compile(p), entity.id)
            for entity in knowledge.entities.values()
            for p in entity.patterns
        ]
        self._cue_patterns: dict[str, re.Pattern[str] | None] = {}

    def _add_entity(self, entity: Entity) -> None:
        needs = {normalise(a) for a in entity.needs_cue}
        exact = {normalise(a) for a in entity.exact}
        for spelling in (*entity.spellings(), *entity.needs_cue):
            key = normalise(spelling)
            target = Target(entity.id, "name", key in needs)
            self._add(key, target, exact=key in exact)
        for spelling in entity.short:
            self._add(normalise(spelling), Target(entity.id, "short"), exact=True)
        if entity.type == "person":
            surname = entity.surname or entity.name.split()[-1]
            for title in HONORIFICS:
                self._add(f"{title} {surname}", Target(entity.id, "short"), exact=True)
        for spelling in entity.demonyms:
            self._add(normalise(spelling), Target(entity.id, "demonym"), exact=True)
        for spelling in entity.metonyms:
            self._add(normalise(spelling), Target(entity.id, "metonym"), exact=True)

    def _add(self, spelling: str, target: Target, *, exact: bool) -> None:
        spelling = spelling.strip()
        if not spelling:
            return
        variants = [spelling]
        if spelling[0].islower():  # "al-Qaeda" opens a sentence as "Al-Qaeda"
            variants.append(spelling[0].upper() + spelling[1:])
            exact = True
        single = " " not in spelling
        acronym = spelling.replace(".", "").replace("-", "").isupper()
        for variant in variants:
            if exact or single or acronym:
                _append(self._exact, variant, target)
            else:
                _append(self._folded, lower_same_length(variant), target)

    def scan(self, text: str) -> list[Hit]:
        """Every spelling in ``text`` (normalised) that stands on word boundaries."""
        hits: list[Hit] = []
        for end, key in self._exact_automaton.iter(text):
            start = end - len(key) + 1
            targets = self._exact[key]
            if self._bounded(text, start, end + 1, targets):
                hits.append(Hit(start, end + 1, tuple(targets)))
        if self._folded:
            lowered = lower_same_length(text)
            for end, key in self._folded_automaton.iter(lowered):
                start = end - len(key) + 1
                targets = self._folded[key]
                if _looks_like_name(text, start, end + 1) and self._bounded(
                    text, start, end + 1, targets
                ):
                    hits.append(Hit(start, end + 1, tuple(targets)))
        return hits

    def pattern_hits(self, text: str) -> list[PatternHit]:
        return [
            PatternHit(m.start(), m.end(), entity_id)
            for pattern, entity_id in self.patterns
            for m in pattern.finditer(text)
        ]

    def _bounded(self, text: str, start: int, end: int, targets: list[Target]) -> bool:
        before = text[start - 1] if start > 0 else " "
        after = text[end] if end < len(text) else " "
        if after == "$":
            return False  # "US$", "HK$": a currency, not a country
        camel = self._may_run_together(targets)
        if _is_word(before) and not (camel and before.islower() and text[start].isupper()):
            return False
        if after == "'" and end + 1 < len(text) and text[end + 1].isalpha():
            # "China's" is China; "Xi'an" is not Xi
            following = text[end + 2] if end + 2 < len(text) else " "
            return text[end + 1] in "sS" and not _is_word(following)
        return not _is_word(after) or (camel and after.isupper() and text[end - 1].islower())

    def _may_run_together(self, targets: Iterable[Target]) -> bool:
        entities = self.knowledge.entities
        return any(
            t.entity_id in entities and entities[t.entity_id].type in CAMEL_TYPES for t in targets
        )

    def cue_pattern(self, entity_id: str) -> re.Pattern[str] | None:
        """A pattern for the cue words of an entity, or None if it has none."""
        if entity_id not in self._cue_patterns:
            entity = self.knowledge.entities.get(entity_id)
            cues = sorted({normalise(c) for c in entity.cues} if entity else (), key=len)
            self._cue_patterns[entity_id] = (
                re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, cues[::-1])) + r")(?![\w])")
                if cues
                else None
            )
        return self._cue_patterns[entity_id]


def _append(index: dict[str, list[Target]], key: str, target: Target) -> None:
    targets = index.setdefault(key, [])
    if target not in targets:
        targets.append(target)


def _automaton(index: dict[str, list[Target]]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for key in index:
        automaton.add_word(key, key)
    if index:
        automaton.make_automaton()
    return automaton


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _looks_like_name(text: str, start: int, end: int) -> bool:
    """A lower-cased match must still read as a name, not a phrase opening a sentence."""
    span = text[start:end]
    if any(c.isupper() for c in span[1:]):
        return True
    if not span[:1].isupper():
        return False
    before = text[:start].rstrip()
    return bool(before) and before[-1] not in SENTENCE_OPENERS
