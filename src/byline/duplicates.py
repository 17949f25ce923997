"""Near-duplicates: the same piece found again in another source.

The same piece reaches an archive several times — the outlet's page, the
blog's repost with a preface, a caption and a bio added and the last paragraph
cut, a crawl's copy — and must end as one post.  Exact copies are found by
their content key; the rest in three steps:

1. **Fingerprint** each version's running text (its body and headings only:
   prefaces, captions, bios and page furniture are other roles, so they never
   count): folded for case, accents and spacing, cut into 3-word shingles and
   summarised as a datasketch ``MinHash`` with 128 permutations.  Each word is
   hashed once (CRC-32) and a shingle's hash combines its three words', which
   keeps fingerprinting under a millisecond a post.
2. **Candidates** come from a ``MinHashLSH`` index over every stored
   fingerprint (threshold 0.5: about half the shingles shared); those whose
   estimated Jaccard similarity is under ``MIN_JACCARD`` are dropped.
3. **Confirmation**: rapidfuzz ``token_set_ratio`` of the two folded texts
   must reach ``MIN_BODY_RATIO`` (90: robust to a cut paragraph and small
   edits, since words one text adds to the other do not count against it);
   the headlines must be alike (``MIN_TITLE_RATIO``) unless the texts are
   nearly identical; and two known dates must lie within ``MAX_DATE_GAP``.

Pure: texts in, numbers out.  The store keeps the fingerprints and decides
what a match does.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz

from byline.model import fold

NUM_PERM = 128
SCHEME = "affine32"  # datasketch's default since 2.0: uint32 values, collision-free permutations
SEED = 1
SHINGLE_WORDS = 3
LSH_THRESHOLD = 0.5
MIN_JACCARD = 0.3  # LSH also returns a few pairs well under its threshold; they are dropped
MIN_WORDS = 12  # a text this short is too thin to call anything its duplicate
MIN_BODY_RATIO = 90.0  # rapidfuzz token_set_ratio of the running texts
MIN_TITLE_RATIO = 60.0  # outlets rewrite headlines a little, not wholesale
BODY_ALONE_RATIO = 97.0  # texts this alike are one piece whatever the headlines say
MAX_DATE_GAP_DAYS = 400  # a repost comes within about a year of the piece
WORD = re.compile(r"\w+")
# ASCII text is split by translating every non-word character to a space: the
# same words as WORD finds, three times faster (it runs over every post).
ASCII_NON_WORD = str.maketrans(
    {chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")}
)
# Odd multipliers that combine three word hashes into a shingle hash (mod 2**32).
SHINGLE_MIX = (np.uint64(0x9E3779B1), np.uint64(0x85EBCA77))
MASK32 = np.uint64(0xFFFFFFFF)
SIGNATURE_DTYPE = np.dtype("<u4")


@lru_cache(maxsize=1)
def _permutations() -> Any:
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def words_of(text: str) -> list[str]:
    """The folded words of a text, in order."""
    folded = fold(text)
    if folded.isascii():
        return folded.translate(ASCII_NON_WORD).split()
    return WORD.findall(folded)


def signature(text: str) -> bytes | None:
    """The MinHash fingerprint of a running text as bytes, or None when it is too short.

    128 little-endian uint32 (datasketch's ``affine32`` hash values), 512 bytes.
    """
    words = words_of(text)
    if len(words) < max(MIN_WORDS, SHINGLE_WORDS):
        return None
    table = {word: zlib.crc32(word.encode("utf-8")) for word in set(words)}
    hashes = np.fromiter(map(table.__getitem__, words), dtype=np.uint64, count=len(words))
    shingles = (hashes[:-2] * SHINGLE_MIX[0] + hashes[1:-1] * SHINGLE_MIX[1] + hashes[2:]) & MASK32
    return bytes(_minimums(shingles.astype(np.uint32)).astype(SIGNATURE_DTYPE).tobytes())


def _minimums(hashed: Any) -> Any:
    """What ``MinHash.update_batch`` computes for already hashed values (scheme affine32).

    Each value is mixed with the 32-bit MurmurHash3 finalizer, then permuted
    as ``a * h + b`` modulo 2**32 with datasketch's own permutations; the
    minimum under each permutation is the signature.  Done here on the array
    directly, without datasketch's per-value Python loop (a third of an
    import's fingerprinting time); ``tests/test_duplicates.py`` checks the
    values equal datasketch's.
    """
    h = hashed.reshape(-1, 1)
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    h = h ^ (h >> np.uint32(16))
    a, b = _permutations()
    return (h * a + b).min(axis=0)


def datasketch_signature(shingle_hashes: list[int]) -> bytes:
    """The same fingerprint through datasketch's own ``update_batch`` (for checking)."""
    minhash = MinHash(
        num_perm=NUM_PERM, seed=SEED, hashfunc=int, permutations=_permutations(), scheme=SCHEME
    )
    minhash.update_batch(shingle_hashes)
    return bytes(minhash.hashvalues.astype(SIGNATURE_DTYPE).tobytes())


def _minhash(blob: bytes) -> MinHash:
    values = np.frombuffer(blob, dtype=SIGNATURE_DTYPE)
    return MinHash(seed=SEED, hashvalues=values, permutations=_permutations(), scheme=SCHEME)


def jaccard(first: bytes, second: bytes) -> float:
    """The Jaccard similarity of two texts' shingles, estimated from their fingerprints."""
    a = np.frombuffer(first, dtype=SIGNATURE_DTYPE)
    b = np.frombuffer(second, dtype=SIGNATURE_DTYPE)
    return float(np.count_nonzero(a == b)) / NUM_PERM


class NearIndex:
    """An LSH index of fingerprints, each under a key (a post and one of its versions)."""

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self._signatures: dict[Hashable, bytes] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._signatures

    def add(self, key: Hashable, blob: bytes) -> None:
        if key in self._signatures:
            self.remove(key)
        self._lsh.insert(key, _minhash(blob))
        self._signatures[key] = blob

    def add_all(self, items: Iterable[tuple[Hashable, bytes]]) -> None:
        for key, blob in items:
            self.add(key, blob)

    def remove(self, key: Hashable) -> None:
        if self._signatures.pop(key, None) is not None:
            self._lsh.remove(key)

    def candidates(self, blob: bytes) -> list[tuple[Hashable, float]]:
        """Keys whose fingerprints are alike enough to compare texts, most alike first."""
        found = []
        for key in self._lsh.query(_minhash(blob)):
            similarity = jaccard(blob, self._signatures[key])
            if similarity >= MIN_JACCARD:
                found.append((key, similarity))
        found.sort(key=lambda item: -item[1])
        return found


@dataclass(frozen=True)
class Version:
    """What is compared of a post's version: its headline, running text and date."""

    headline: str | None
    text: str
    published: date | None


@dataclass(frozen=True)
class Match:
    """Two versions confirmed as one piece, and how alike they are (0-100)."""

    similarity: float
    title_similarity: float | None


def confirm(new: Version, old: Version) -> Match | None:
    """The match between two versions, or None when they are not one piece (see module)."""
    body = fuzz.token_set_ratio(" ".join(words_of(new.text)), " ".join(words_of(old.text)))
    if body < MIN_BODY_RATIO:
        return None
    title: float | None = None
    if new.headline and old.headline:
        title = fuzz.token_set_ratio(fold(new.headline), fold(old.headline))
        if title < MIN_TITLE_RATIO and body < BODY_ALONE_RATIO:
            return None
    if (
        new.published
        and old.published
        and abs((new.published - old.published).days) > MAX_DATE_GAP_DAYS
    ):
        return None
    return Match(round(body, 1), round(title, 1) if title is not None else None)


__all__ = [
    "LSH_THRESHOLD",
    "MIN_BODY_RATIO",
    "NUM_PERM",
    "Match",
    "NearIndex",
    "Version",
    "confirm",
    "jaccard",
    "signature",
    "words_of",
]
