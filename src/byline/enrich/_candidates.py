"""Names the knowledge file does not know yet: proposed for review, never linked.

No statistical recogniser ships inside a package this project can install
for certain, so unknown names are found the plain way: runs of two to four
capitalised words (with "of", "al", "bin" and the like allowed between them)
that no knowledge spelling touches, with sentence openers and titles trimmed.
Lines written in Title Case (headlines, pull quotes) are skipped, since every
word there is capitalised.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from byline.enrich._model import Candidate
from byline.enrich._text import sentence_at, words
from byline.model import Role

CAPITAL_RUN = re.compile(
    r"(?<![\w'-])[A-Z][\w'-]*(?: (?:(?:of|for|and|the|de|del|da|al|bin|ul|van|von|der|du|la|le)"
    r" )?[A-Z][\w'-]*){1,5}"
)
MIN_WORDS, MAX_WORDS = 2, 4
TITLE_CASE_SHARE = 0.8  # more capitalised words than this: a Title Case line
TITLE_CASE_MIN_WORDS = 5
OPENERS = words(
    """the a an this that these those in on at for but and or while when as if it its our my
    his her their after before since with from by to of why how what who where there here
    however yet so then now also even still although though because until unless once both
    each every many most some such than during under over into across between among against
    without within upon mr ms mrs dr president prime minister secretary foreign deputy vice
    chief general chairman senior director professor fellow ambassador spokesman spokeswoman
    leader former then-president acting"""
)
CALENDAR = words(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday"""
)

# (role, text, spans any knowledge spelling covers)
Part = tuple[Role, str, Sequence[tuple[int, int]]]


def unlinked_candidates(parts: Sequence[Part]) -> list[Candidate]:
    """Capitalised names found in the parts but in no knowledge entry, most frequent first."""
    counts: dict[str, int] = {}
    roles: dict[str, dict[Role, None]] = {}
    examples: dict[str, str] = {}
    for role, text, covered in parts:
        if _title_case(text):
            continue
        taken = bytearray(len(text))
        for start, end in covered:
            taken[start:end] = b"\x01" * (end - start)
        for match in CAPITAL_RUN.finditer(text):
            name, start = _trim(match.group(0), match.start())
            if not name or any(taken[start : start + len(name)]):
                continue
            counts[name] = counts.get(name, 0) + 1
            roles.setdefault(name, {})[role] = None
            if name not in examples:
                s, e = sentence_at(text, start)
                examples[name] = text[s:e]
    ordered = sorted(counts, key=lambda n: (-counts[n], n))
    return [Candidate(n, counts[n], tuple(roles[n]), examples[n]) for n in ordered]


def _trim(run: str, start: int) -> tuple[str, int]:
    words = run.split(" ")
    while words and (words[0].lower() in OPENERS or words[0].lower() in CALENDAR):
        start += len(words[0]) + 1
        words = words[1:]
    while words and words[-1].lower() in OPENERS:
        words = words[:-1]
    capitalised = [w for w in words if w[:1].isupper()]
    if not MIN_WORDS <= len(capitalised) <= MAX_WORDS:
        return "", start
    if any(w.lower().rstrip("'s") in CALENDAR for w in words):
        return "", start
    name = " ".join(words)
    if name.endswith("'s"):
        name = name[:-2]
    return name, start


def _title_case(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha()]
    if len(words) < TITLE_CASE_MIN_WORDS:
        return False
    upper = sum(1 for w in words if w[:1].isupper())
    return upper / len(words) > TITLE_CASE_SHARE
