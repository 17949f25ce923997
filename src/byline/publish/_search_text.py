"""The site search's tokenizer: the same rules, step for step, as ``static/search.js``.

A text becomes search terms in five steps; ``search.js`` repeats each one, and
``tests/fixtures/search/tokenizer.json`` pins both to the same output:

1. Fold: Unicode NFKD, lower case, drop nonspacing marks (general category
   ``Mn``: the accents NFKD split off), then ``ß`` → ``ss`` and ``ς`` → ``σ``.
2. Drop apostrophes (``'`` ``‘`` ``’`` ``ʼ``), so that "don't" is one word and
   "China's" stems to "china".
3. Split into runs of letters and digits (Unicode categories ``L*`` and ``N*``);
   anything else (spaces, punctuation, hyphens, symbols) separates words.
4. Keep words of :data:`MIN_TERM_CHARS` to :data:`MAX_TERM_CHARS` characters
   that are not in :data:`STOPWORDS`.
5. Stem plurals with the S-stemmer (Harman, 1991): "-ies" → "-y", "-es" → "-e",
   "-s" → "" with its exceptions (see :func:`stem`).  A stem keeps at least
   :data:`MIN_STEM_CHARS` characters, and never changes its first three, so a
   prefix typed in the search box finds the stems of the words it begins.

The hash that places a term in a file is CRC-32 of its UTF-8 bytes, which
``search.js`` computes the same way.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable

MIN_TERM_CHARS = 2  # single letters and digits ("U.S." → u, s) match too much to mean anything
MAX_TERM_CHARS = 40  # longer runs are URLs, hashes or glued text, not words people type
MIN_STEM_CHARS = 3  # "bus" stays "bus", "ties" stays "ties"
PREFIX_KEY_CHARS = 3  # a term's dictionary file is chosen by its first three characters

# Very common English words, dropped on both sides: they are in nearly every
# post, so they cost index bytes and cannot rank anything.
STOPWORDS: frozenset[str] = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "she",
        "that",
        "the",
        "their",
        "them",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "was",
        "we",
        "were",
        "which",
        "who",
        "will",
        "with",
        "would",
        "you",
    ]
)
APOSTROPHES = "'‘’ʼ"
NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
TERM_RUN = re.compile(r"[^\W_]+")  # \w less "_" is exactly letters and digits (L*, N*)
NONSPACING_MARK = "Mn"
APOSTROPHE_TABLE = str.maketrans("", "", APOSTROPHES)


def _drop_marks(match: re.Match[str]) -> str:
    return "".join(c for c in match.group() if unicodedata.category(c) != NONSPACING_MARK)


def fold(text: str) -> str:
    """Step 1: the case- and accent-free form of ``text`` (NFKD, lower, no ``Mn`` marks)."""
    if text.isascii():
        return text.lower()  # the common case: NFKD and marks cannot change ASCII
    folded = NON_ASCII_RUN.sub(_drop_marks, unicodedata.normalize("NFKD", text).lower())
    return folded.replace("ß", "ss").replace("ς", "σ")


def words(text: str) -> list[str]:
    """Steps 1-3: the folded words of ``text`` in order, before stopwords and stemming."""
    return TERM_RUN.findall(fold(text).translate(APOSTROPHE_TABLE))


def stem(word: str) -> str:
    """Step 5: the S-stemmer, for a folded word; other words come back unchanged.

    The first rule that applies: ``-ies`` → ``-y`` (not in ``-aies``, ``-eies``,
    and only when three characters stay before it, so "flies" is left to the
    next rule); ``-es`` → ``-e`` (not after ``a``, ``e`` or ``o``); ``-s`` → ""
    (not after ``s``, ``u`` or ``i``: "glass", "census", "crisis" stay whole).
    """
    size = len(word)
    if size <= MIN_STEM_CHARS or word[-1] != "s":
        return word
    if word.endswith("ies") and word[-4] not in "ae" and size - 3 >= PREFIX_KEY_CHARS:
        return word[:-3] + "y"
    if word.endswith("es") and word[-3] not in "aeo":
        return word[:-1]
    if word[-2] in "sui":
        return word
    return word[:-1]


def term_of(word: str) -> str | None:
    """Steps 4-5 for one folded word: its search term, or None when it is not indexed."""
    if not MIN_TERM_CHARS <= len(word) <= MAX_TERM_CHARS or word in STOPWORDS:
        return None
    return stem(word)


def tokenize(text: str) -> list[str]:
    """The search terms of ``text`` in order (all five steps)."""
    return [t for t in map(term_of, words(text)) if t is not None]


def _ascii_table() -> bytes:
    """Steps 1-3 for ASCII bytes: letters and digits stay (upper case lowered), every
    other ASCII byte becomes a space, and bytes of other characters pass through."""
    table = bytearray(range(256))
    for byte in range(0x80):
        char = chr(byte)
        table[byte] = ord(char.lower()) if char.isalnum() else ord(" ")
    return bytes(table)


ASCII_TABLE = _ascii_table()
ASCII_APOSTROPHE = b"'"


class TermCounter:
    """Counts a document's terms fast, with the result :func:`tokenize` would give.

    The text is cut at its ASCII separators in C (``bytes.translate`` with
    :data:`ASCII_TABLE`, then ``split``): an ASCII piece is a folded word
    already, and a piece holding other characters goes through :func:`words`.
    Cutting there is safe because every step of the tokenizer works character
    by character and every ASCII separator separates words.  Indexing 10,000
    posts means ten million pieces but only a few hundred thousand distinct
    ones, so each distinct piece's terms are cached, and the per-piece work
    runs in C: ``map`` over the cache, counted by ``Counter``.
    """

    def __init__(self) -> None:
        # a piece -> its one term, "" for none, or a tuple of terms ("policy—and")
        self._terms: dict[bytes, str | tuple[str, ...]] = {}
        self._tuples: set[tuple[str, ...]] = set()

    def _learn(self, piece: bytes) -> None:
        if piece.isascii():
            found = [piece.decode("ascii")]
        else:
            found = words(piece.decode("utf-8", "surrogatepass"))
        terms = tuple(t for t in map(term_of, found) if t is not None)
        if len(terms) > 1:
            self._tuples.add(terms)
            self._terms[piece] = terms
        else:
            self._terms[piece] = terms[0] if terms else ""

    def count(self, text: str) -> Counter[str]:
        """Each term of ``text`` and how many times it occurs."""
        pieces = text.encode("utf-8", "surrogatepass").translate(ASCII_TABLE, ASCII_APOSTROPHE)
        split = pieces.split()
        cache = self._terms
        counts: Counter[str | tuple[str, ...] | None] = Counter(map(cache.get, split))
        if None in counts:  # pieces never seen before: learn them, then count again
            for piece in set(split).difference(cache):
                self._learn(piece)
            counts = Counter(map(cache.__getitem__, split))
        counts.pop("", None)
        if self._tuples and not self._tuples.isdisjoint(counts):
            for key in self._tuples.intersection(counts):
                seen = counts.pop(key)
                for term in key:
                    counts[term] += seen
        return counts  # type: ignore[return-value]  # only str keys are left


def term_hash(text: str) -> int:
    """CRC-32 of the UTF-8 bytes: the hash ``search.js`` computes for file placement."""
    return zlib.crc32(text.encode("utf-8"))


def prefix_key(term: str) -> str:
    """The part of a term that chooses its dictionary file: its first three characters."""
    return term[:PREFIX_KEY_CHARS]


def make_bucket(buckets: int, key: Callable[[str], str] = lambda t: t) -> Callable[[str], int]:
    """A function from term to file number in ``range(buckets)``."""

    def bucket(term: str) -> int:
        return term_hash(key(term)) % buckets

    return bucket
