"""Footnotes as real linked notes: split the notes, find their markers in the body.

Recovered text keeps a note's number glued to the word it follows ("the
Uzbek,12 Kazakh13 and Kyrgyz14 governments", "took off.2") or in brackets
("[3]"), and sometimes runs two notes into one line ("... 2020. 4“U
grazhdanina ...").  The steps:

1. Each footnote block is split at a leading number (``model.split_footnote``),
   then at the next number in sequence where it starts a new note inside the
   line (after a full stop or a closing quote, before a quote or a capital).
2. Every note gets a distinct number: its own when it has one not used yet,
   else the next free one, so ids ``fn-N`` never clash.
3. Marker candidates are found in the body paragraphs, and the longest chain
   of them whose numbers increase through the text is taken as the markers;
   a stray "G20" or "COVID19" rarely fits that chain.  A chain too short to
   trust links nothing, and the notes are still a numbered list with ids.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from byline.model import split_footnote

# A number glued to the end of a word or its punctuation, or in brackets.
MARKER = re.compile(r"\[(?P<bracket>[1-9]\d{0,2})\]|(?P<bare>[1-9]\d{0,2})(?![\w%])")
SENTENCE_GOES_ON = re.compile(r"\s+[A-Z“\"]|\s*$")  # after a marker that ends a sentence
MARKER_PUNCTUATION = frozenset('.,;:!?’”")]')
MIN_WORD_BEFORE_CAPITAL = 3  # "G20", "F16", "A4": short capital words end in numbers
MIN_CHAIN_SHARE = 0.5  # markers found for at least half the notes, or they are not trusted
# A next note starting inside a footnote line: after ". " or a closing quote, before a
# quote, a capital or the end of the line.
EMBEDDED_NOTE = re.compile(
    r"(?:(?<=[.;”\"])\s*|\s+)(?P<num>[1-9]\d{0,2})(?=\s*[“\"‘]|\s+[A-Z]|\s*$)"
)


@dataclass(frozen=True)
class Note:
    """One footnote: its number (unique in the post), its text, its first reference's id."""

    number: int
    text: str
    ref_id: str | None = None

    @property
    def id(self) -> str:
        return f"fn-{self.number}"


@dataclass(frozen=True)
class LinkedNotes:
    """The notes, and the body paragraphs with their markers turned into links."""

    notes: tuple[Note, ...]
    paragraphs: tuple[Markup, ...]


def split_notes(texts: Sequence[str]) -> list[tuple[int | None, str]]:
    """Steps 1: each footnote block as (stated number or None, text), run-on notes split."""
    found: list[tuple[int | None, str]] = []
    for text in texts:
        note = split_footnote(text)
        if note.number is None:
            found.append((None, note.text))
            continue
        current = int(note.number)
        rest = note.text
        while True:
            split_at = _next_note(rest, current + 1)
            if split_at is None:
                break
            found.append((current, rest[: split_at[0]].strip()))
            current, rest = current + 1, rest[split_at[1] :].strip()
        found.append((current, rest.strip()))
    return found


def _next_note(text: str, wanted: int) -> tuple[int, int] | None:
    """Where note ``wanted`` starts inside ``text``: (end of the note before, start of its text)."""
    for match in EMBEDDED_NOTE.finditer(text):
        if int(match.group("num")) == wanted and match.start() > 0:
            return match.start(), match.end()
    return None


def number_notes(stated: Sequence[tuple[int | None, str]]) -> list[tuple[int, str]]:
    """Step 2: a distinct number for every note, keeping stated numbers where free."""
    used: set[int] = set()
    numbered: list[tuple[int, str]] = []
    last = 0
    for number, text in stated:
        if number is None or number in used:
            number = max(last, max(used, default=0)) + 1
        used.add(number)
        last = number
        numbered.append((number, text))
    return numbered


def link_notes(paragraphs: Sequence[str], footnotes: Sequence[str]) -> LinkedNotes:
    """The post's notes and its body paragraphs (escaped), markers linked both ways."""
    numbered = number_notes(split_notes(footnotes))
    wanted = {number for number, _ in numbered}
    chain = _marker_chain(paragraphs, wanted) if wanted else []
    if len(chain) < MIN_CHAIN_SHARE * len(wanted):
        chain = []
    by_paragraph: dict[int, list[tuple[int, int, int]]] = {}
    for paragraph, start, end, number in chain:
        by_paragraph.setdefault(paragraph, []).append((start, end, number))
    linked = tuple(
        _link_paragraph(text, by_paragraph.get(index, [])) for index, text in enumerate(paragraphs)
    )
    referenced = {number for _, _, _, number in chain}
    notes = tuple(
        Note(number, text, f"fnref-{number}" if number in referenced else None)
        for number, text in numbered
    )
    return LinkedNotes(notes, linked)


def _marker_chain(paragraphs: Sequence[str], wanted: set[int]) -> list[tuple[int, int, int, int]]:
    """Step 3: the longest run of candidates (paragraph, start, end, number) rising in number."""
    candidates: list[tuple[int, int, int, int]] = []
    for index, text in enumerate(paragraphs):
        for match in MARKER.finditer(text):
            number = int(match.group("bracket") or match.group("bare"))
            glued = match.group("bracket") or _glued(text, match.start(), match.end())
            if number in wanted and glued:
                candidates.append((index, match.start(), match.end(), number))
    # Longest strictly increasing subsequence by number (patience sorting, O(n log n)).
    tails: list[int] = []  # smallest ending number of a chain of each length
    tail_at: list[int] = []  # index in candidates of that chain's end
    previous: list[int] = [-1] * len(candidates)
    for position, candidate in enumerate(candidates):
        length = bisect_left(tails, candidate[3])
        if length == len(tails):
            tails.append(candidate[3])
            tail_at.append(position)
        else:
            tails[length] = candidate[3]
            tail_at[length] = position
        previous[position] = tail_at[length - 1] if length else -1
    chain: list[tuple[int, int, int, int]] = []
    position = tail_at[-1] if tail_at else -1
    while position >= 0:
        chain.append(candidates[position])
        position = previous[position]
    return chain[::-1]


def _glued(text: str, start: int, end: int) -> bool:
    """Whether a bare number at ``start`` is glued to a word, as a note marker is."""
    if start == 0:
        return False
    before = text[start - 1]
    if before in MARKER_PUNCTUATION:
        if start < 2 or text[start - 2].isspace():
            return False
        if text[start - 2].isdigit():
            # "12,2" is a marker after a number, and so is "March 15.4 Tajikistan"
            # (a sentence ends there); "29.3 per cent" is a decimal.
            return before in ",;)”’" or SENTENCE_GOES_ON.match(text, end) is not None
        return True
    if not before.isalpha():
        return False
    word_start = start - 1
    while word_start > 0 and text[word_start - 1].isalpha():
        word_start -= 1
    word = text[word_start:start]
    return not (word[0].isupper() and len(word) < MIN_WORD_BEFORE_CAPITAL)


def _link_paragraph(text: str, markers: list[tuple[int, int, int]]) -> Markup:
    if not markers:
        return escape(text)
    out: list[str] = []
    cursor = 0
    for start, end, number in markers:
        out.append(escape(text[cursor:start]))
        out.append(
            f'<sup class="fnref"><a href="#fn-{number}" id="fnref-{number}"'
            f' role="doc-noteref">{number}</a></sup>'
        )
        cursor = end
    out.append(escape(text[cursor:]))
    return Markup("".join(out))
