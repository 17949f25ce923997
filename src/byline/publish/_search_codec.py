"""How the search index writes numbers as text: short, JSON-safe, fast both ways.

Two alphabets of 32 characters each carry five bits a character, and neither
needs escaping in JSON::

    TERMINAL      0-9 a-v
    CONTINUATION  w-z A-Z - _

* *Packed* lists (:func:`pack`): a value under 32 is one TERMINAL character; a
  bigger one is its low five-bit groups as CONTINUATION characters, then its
  last group as a TERMINAL one.  Used for id gaps in the dictionary and facet
  files, and for term frequencies (capped at :data:`MAX_TF`: one character).
* *Posting ids* (:func:`encode_postings`): each post's id within its segment
  as exactly two characters, CONTINUATION then TERMINAL.  A two-character code
  can then only match a list at a code boundary, so "does this term hold post
  X?" is one substring test, with nothing decoded; that is what makes updating
  a post cheap.  Hence at most :data:`LOCAL_IDS` posts in a segment.
* *Lengths* (:func:`length_code`): one printable character per post, for a
  length rounded to a table that is exact to 15 and then grows by 10 %.

``static/search.js`` decodes all three; ``docs/search.md`` shows examples.
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate, repeat

TERMINAL = "0123456789abcdefghijklmnopqrstuv"
CONTINUATION = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"
DIGIT_BITS = 5
DIGIT_MASK = (1 << DIGIT_BITS) - 1
BASE = 1 << DIGIT_BITS
LOCAL_IDS = BASE * BASE  # posts a segment can hold: two characters' worth
MAX_TF = DIGIT_MASK  # BM25 saturates long before: 31 and 60 score within 2 %

_TERMINAL_BYTES = TERMINAL.encode("ascii")
_CONTINUATION_BYTES = CONTINUATION.encode("ascii")
_TO_TERMINAL = bytes.maketrans(bytes(range(BASE)), _TERMINAL_BYTES)
_FROM_TERMINAL = bytes.maketrans(_TERMINAL_BYTES, bytes(range(BASE)))
_FROM_CONTINUATION = bytes.maketrans(_CONTINUATION_BYTES, bytes(range(BASE)))
_DIGIT = {c: i for i, c in enumerate(TERMINAL)} | {c: BASE + i for i, c in enumerate(CONTINUATION)}
LOCAL_CODES = [CONTINUATION[v >> DIGIT_BITS] + TERMINAL[v & DIGIT_MASK] for v in range(LOCAL_IDS)]
# Every packed value under 1024 as its one or two characters, and back.
_SHORT_CODES = [
    TERMINAL[v] if v <= DIGIT_MASK else CONTINUATION[v & DIGIT_MASK] + TERMINAL[v >> DIGIT_BITS]
    for v in range(LOCAL_IDS)
]
_SHORT_VALUES = {code: value for value, code in enumerate(_SHORT_CODES)}
_PACKED_VALUE = re.compile(f"[{re.escape(CONTINUATION)}]*[{re.escape(TERMINAL)}]")


# -- packed lists -----------------------------------------------------------------


def pack(values: list[int]) -> str:
    """Non-negative ints as text; all under 32 is the fast, common case."""
    if not values:
        return ""
    top = max(values)
    if top <= DIGIT_MASK:
        return bytes(values).translate(_TO_TERMINAL).decode("ascii")
    if top < LOCAL_IDS:
        return "".join(map(_SHORT_CODES.__getitem__, values))
    out: list[str] = []
    for value in values:
        while value > DIGIT_MASK:
            out.append(CONTINUATION[value & DIGIT_MASK])
            value >>= DIGIT_BITS
        out.append(TERMINAL[value])
    return "".join(out)


def unpack(text: str) -> list[int]:
    """The ints :func:`pack` wrote."""
    raw = text.encode("ascii")
    if not raw.translate(None, _TERMINAL_BYTES):
        return list(raw.translate(_FROM_TERMINAL))
    try:
        return list(map(_SHORT_VALUES.__getitem__, _PACKED_VALUE.findall(text)))
    except KeyError:  # a value of 1024 or more: three characters or longer
        pass
    values: list[int] = []
    value = shift = 0
    for char in text:
        digit = _DIGIT[char]
        if digit > DIGIT_MASK:
            value |= (digit - BASE) << shift
            shift += DIGIT_BITS
        else:
            values.append(value | digit << shift)
            value = shift = 0
    return values


def encode_ids(ids: list[int]) -> str:
    """Sorted ids as the first and the gaps after it, packed."""
    if not ids:
        return ""
    gaps = list(map(operator.sub, ids[1:], ids[:-1]))
    gaps.insert(0, ids[0])
    return pack(gaps)


def decode_ids(text: str) -> list[int]:
    return list(accumulate(unpack(text)))


# -- postings ------------------------------------------------------------------------


@dataclass
class Postings:
    """One term's postings in one segment: ascending absolute ids and their weights."""

    ids: list[int]
    tfs: list[int]

    def encoded(self, base: int) -> list[str]:
        return encode_postings(self.ids, self.tfs, base)

    @classmethod
    def decoded(cls, value: list[str], base: int) -> Postings:
        return cls(decode_local_ids(value[0], base), decode_tfs(value[1]))


def encode_postings(ids: list[int], tfs: list[int], base: int) -> list[str]:
    """A term's postings in the segment starting at id ``base``: [id codes, weights]."""
    codes = "".join(map(LOCAL_CODES.__getitem__, map(base.__rsub__, ids)))
    if max(tfs) > MAX_TF:
        tfs = [min(tf, MAX_TF) for tf in tfs]
    return [codes, bytes(tfs).translate(_TO_TERMINAL).decode("ascii")]


def decode_local_ids(text: str, base: int) -> list[int]:
    raw = text.encode("ascii")
    high = raw[0::2].translate(_FROM_CONTINUATION)
    low = raw[1::2].translate(_FROM_TERMINAL)
    return list(map(operator.add, map(operator.mul, high, repeat(BASE)), map(base.__add__, low)))


def decode_tfs(text: str) -> list[int]:
    return list(text.encode("ascii").translate(_FROM_TERMINAL))


def stored_tf(value: list[str], code: str) -> int | None:
    """The weight a posting value gives the post whose local code is ``code``, if any."""
    at = value[0].find(code)
    return None if at < 0 else _DIGIT[value[1][at // 2]]


_CODE_VALUE = {code: value for value, code in enumerate(LOCAL_CODES)}


def without_post(value: list[str], code: str) -> list[str]:
    """A posting value with the post whose code is ``code`` taken out (spliced, not decoded)."""
    at = value[0].find(code)
    if at < 0:
        return value
    ids, tfs = value
    return [ids[:at] + ids[at + 2 :], tfs[: at // 2] + tfs[at // 2 + 1 :]]


def with_post(value: list[str], local: int, tf: int) -> list[str]:
    """A posting value with the post ``local`` (an id within the segment) at weight ``tf``."""
    ids, tfs = value
    code = LOCAL_CODES[local]
    weight = TERMINAL[min(tf, MAX_TF)]
    at = ids.find(code)
    if at >= 0:
        return [ids, tfs[: at // 2] + weight + tfs[at // 2 + 1 :]]
    low, high = 0, len(tfs)
    while low < high:  # the first posting with a larger id: a binary search over the codes
        middle = (low + high) // 2
        if _CODE_VALUE[ids[2 * middle : 2 * middle + 2]] < local:
            low = middle + 1
        else:
            high = middle
    return [ids[: 2 * low] + code + ids[2 * low :], tfs[:low] + weight + tfs[low:]]


# -- lengths ---------------------------------------------------------------------------

EXACT_LENGTHS = 16
LENGTH_STEP = 1.1
# One character per length code: printable ASCII from "#", less the backslash
# (which JSON would escape); a space marks an id with no post.
LENGTH_ALPHABET = "".join(chr(c) for c in range(ord("#"), ord("~") + 1) if chr(c) != "\\")
NO_POST = " "


def length_table() -> list[int]:
    """The length each code stands for, ascending (``meta.json`` carries it to the browser)."""
    table = list(range(EXACT_LENGTHS))
    value = float(EXACT_LENGTHS)
    while len(table) < len(LENGTH_ALPHABET):
        value *= LENGTH_STEP
        table.append(max(round(value), table[-1] + 1))
    return table


LENGTHS = length_table()


def length_code(length: int) -> str:
    """The character for a post of ``length`` terms: the nearest length in the table."""
    index = bisect_left(LENGTHS, length)
    if index == len(LENGTHS):
        return LENGTH_ALPHABET[-1]
    if index and length - LENGTHS[index - 1] < LENGTHS[index] - length:
        index -= 1
    return LENGTH_ALPHABET[index]
