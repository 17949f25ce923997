"""Text helpers shared by the recognisers: normalising and sentence spans.

Normalising keeps every offset: curly quotes become straight ones and the
dash family becomes a hyphen, character for character, so a match in the
normalised text is a match at the same place in the original.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

# One character in, one character out, so offsets survive normalising.
_SAME_LENGTH = str.maketrans(
    {
        "\u2019": "'",  # right single quote, the usual apostrophe
        "\u2018": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",
        "\u2013": "-",  # en dash
        "\u00a0": " ",
        "\u202f": " ",
    }
)


def words(text: str) -> frozenset[str]:
    """A small word list written as one string: ``words("in at to")``."""
    return frozenset(text.split())


def normalise(text: str) -> str:
    """Straight quotes, plain hyphens and plain spaces; same length as the input."""
    return text.translate(_SAME_LENGTH)


def lower_same_length(text: str) -> str:
    """Lower case, keeping the length (a few characters grow when lowered)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


# A full stop after one of these does not end a sentence ("Dec. 30", "Mr. Li").
ABBREVIATIONS = words(
    """mr mrs ms dr prof st gen sen rep gov lt col capt sgt maj cmdr adm jr sr inc ltd co corp
    bros vs etc al e.g i.e cf no nos vol pp fig approx est dept univ assn ave jan feb mar
    apr jun jul aug sep sept oct nov dec"""
)
# After an acronym with full stops ("U.S."), a sentence ends only if one of
# these words follows: "the U.S. The next day" but "the U.S. Secretary of State".
SENTENCE_STARTERS = words(
    """the this that these those it its he she they we i but and yet so however in on at for
    while when as if after before since although though there here what why how meanwhile
    instead still then now a an"""
)
_BOUNDARY = re.compile(
    r"""(?<=\S)[.!?]+["')\]]*(?P<note>\d{1,3})?(?=\s+["'(\[]?[A-Z0-9])|(?<=\S)\n+"""
)
_LAST_TOKEN = re.compile(r"([\w.'-]+)[.!?\"')\]]*$")
_DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.){2,}$|^(?:[A-Za-z]\.)+[A-Za-z]$")
_NEXT_WORD = re.compile(r"\s+[\"'(\[]?([A-Za-z]+)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Start and end offsets of each sentence, robust to "U.S.", "Dec. 30" and initials."""
    return list(_sentence_spans(text))


@lru_cache(maxsize=4096)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group("note") and text[match.start() - 1].isdigit():
            continue  # "version 2.1 In": a decimal, not a footnote mark after a full stop
        if match.group(0).strip() and not _ends_sentence(text, match.start(), end):
            continue
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return tuple(spans)


def _ends_sentence(text: str, stop: int, after: int) -> bool:
    if text[stop] != ".":
        return True
    token_match = _LAST_TOKEN.search(text[max(0, stop - 20) : stop + 1])
    token = token_match.group(1) if token_match else ""
    bare = token.rstrip(".").lower()
    if bare in ABBREVIATIONS:
        return False
    if len(bare) == 1 and bare.isalpha():
        return False  # an initial: "S. Rajaratnam"
    if _DOTTED_ACRONYM.match(token.rstrip(".") + "."):
        following = _NEXT_WORD.match(text, after)
        return bool(following and following.group(1).lower() in SENTENCE_STARTERS)
    return True


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_at(text: str, offset: int) -> tuple[int, int]:
    """The span of the sentence holding ``offset`` (the whole text if none)."""
    spans = _sentence_spans(text)
    if not spans:
        return 0, len(text)
    starts = [s for s, _ in spans]
    index = max(0, bisect_right(starts, offset) - 1)
    return spans[index]
