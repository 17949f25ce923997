"""What a full build and an update of the search index share.

The analysis of a post (its weighted term counts, its metadata row and facet
values), ``meta.json``, and the writers of each kind of file live here; the
full build (:mod:`byline.publish._search_full`) and the update
(:mod:`byline.publish._search_update`) both use them, so both write the same
bytes for the same posts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from byline.errors import PublishError
from byline.publish._docs import SearchDoc
from byline.publish._search_codec import (
    LENGTH_ALPHABET,
    LENGTHS,
    NO_POST,
    encode_ids,
    encode_postings,
    length_code,
)
from byline.publish._search_files import (
    DICT_FILES,
    DOC_CHUNK,
    EXCERPT_CHARS,
    FACET_KINDS,
    INDEX_FORMAT,
    POSTING_FILES,
    SEGMENT_DOCS,
    TOKENIZER_VERSION,
    IndexFiles,
    chunk_of,
    dict_file,
    dict_name,
    doc_name,
    facet_name,
    length_name,
    posting_file,
    posting_name,
)
from byline.publish._search_text import TermCounter, term_hash

# A word in the title says more about a post than one in its body, and the
# outlet and topics are what a reader filters by; BM25 sees them as repeats.
TITLE_WEIGHT = 4
LABEL_WEIGHT = 2
ELLIPSIS = "…"
assert SEGMENT_DOCS % DOC_CHUNK == 0, "a metadata file must not straddle two segments"

FacetSets = dict[str, dict[str, set[int]]]  # kind -> value -> post ids


# -- analysing one post -----------------------------------------------------------


@dataclass
class Analysed:
    doc: SearchDoc
    counts: dict[str, int]  # term -> weighted frequency (the "tf" BM25 sees)
    length: int  # terms in the post, unweighted: BM25's document length


class Analyser:
    """Turns posts into weighted term counts; outlet and topic names are counted once."""

    def __init__(self) -> None:
        self.counter = TermCounter()
        self._labels: dict[str, dict[str, int]] = {}

    def _label(self, name: str) -> dict[str, int]:
        found = self._labels.get(name)
        if found is None:
            found = self._labels[name] = self.counter.count(name)
        return found

    def __call__(self, doc: SearchDoc) -> Analysed:
        counts = self.counter.count(doc.text)
        length = sum(counts.values())
        parts: list[tuple[dict[str, int], int]] = [(self.counter.count(doc.title), TITLE_WEIGHT)]
        parts += [(self._label(n), LABEL_WEIGHT) for n in (doc.outlet, *doc.topics) if n]
        for part, weight in parts:
            for term, seen in part.items():
                counts[term] = counts.get(term, 0) + seen * weight
                length += seen
        return Analysed(doc, counts, length)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of a post's text, cut at a word, white space collapsed."""
    flat = " ".join(text[: limit * 2].split())  # collapsing never lengthens, so 2x is plenty
    if len(flat) <= limit and len(text) <= limit * 2:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + ELLIPSIS


def record_of(item: Analysed) -> list[Any]:
    """A post's metadata row: what a result shows, and what an update needs back."""
    doc = item.doc
    return [
        doc.id,
        doc.url,
        doc.title,
        doc.outlet,
        list(doc.topics),
        doc.year,
        doc.date,
        excerpt(doc.text),
        item.length,
    ]


def _facet_values(
    outlet: str | None, topics: Iterable[str], year: int | None
) -> set[tuple[str, str]]:
    values = {("topic", t) for t in topics}
    if outlet:
        values.add(("outlet", outlet))
    if year is not None:
        values.add(("year", str(year)))
    return values


def doc_facets(doc: SearchDoc) -> set[tuple[str, str]]:
    return _facet_values(doc.outlet, doc.topics, doc.year)


def record_facets(record: Sequence[Any]) -> set[tuple[str, str]]:
    return _facet_values(record[3], record[4], record[5])


# -- meta.json --------------------------------------------------------------------


@dataclass
class Meta:
    docs: int
    length: int
    segments: set[int]
    facets: dict[str, dict[str, tuple[int, str]]]  # kind -> value -> (count, file key)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": INDEX_FORMAT,
            "tokenizer": TOKENIZER_VERSION,
            "segmentDocs": SEGMENT_DOCS,
            "postingFiles": POSTING_FILES,
            "dictFiles": DICT_FILES,
            "docChunk": DOC_CHUNK,
            "lengths": LENGTHS,
            "lengthCodes": LENGTH_ALPHABET,
            "docs": self.docs,
            "length": self.length,
            "segments": sorted(self.segments),
            "facets": {
                kind: [
                    [int(value) if kind == "year" else value, count, key]
                    for value, (count, key) in sorted(
                        self.facets.get(kind, {}).items(), key=lambda kv: _facet_order(kind, kv[0])
                    )
                ]
                for kind in FACET_KINDS
            },
        }

    @classmethod
    def from_json(cls, data: Any, where: Path) -> Meta:
        expected = {
            "format": INDEX_FORMAT,
            "tokenizer": TOKENIZER_VERSION,
            "segmentDocs": SEGMENT_DOCS,
            "postingFiles": POSTING_FILES,
            "dictFiles": DICT_FILES,
            "docChunk": DOC_CHUNK,
            "lengths": LENGTHS,
            "lengthCodes": LENGTH_ALPHABET,
        }
        if not isinstance(data, dict) or any(data.get(k) != v for k, v in expected.items()):
            raise PublishError(
                f"{where}: no search index of this byline version to update; run a full build"
            )
        facets = {
            kind: {str(value): (count, key) for value, count, key in data["facets"].get(kind, [])}
            for kind in FACET_KINDS
        }
        return cls(data["docs"], data["length"], set(data["segments"]), facets)


def _facet_order(kind: str, value: str) -> tuple[int, str]:
    """Years newest first; names alphabetically, case and accents aside."""
    if kind == "year":
        return (-int(value), value)
    return (0, value.casefold())


def _facet_key(kind: str, value: str, taken: set[str]) -> str:
    """A file name for a facet value: the year itself, else a hash of the name."""
    key = value if kind == "year" else f"{term_hash(value):08x}"
    while key in taken:  # two names with one hash: vanishingly rare, but never merged
        key += "x"
    return key


# -- writing files ------------------------------------------------------------------


def write_segment_postings(files: IndexFiles, segment: int, flat: dict[str, list[int]]) -> None:
    """Write a segment's posting files from term -> [id, tf, id, tf, ...] (ids ascending)."""
    base = segment * SEGMENT_DOCS
    grouped: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for term, pairs in flat.items():
        grouped[posting_file(term)][term] = encode_postings(pairs[0::2], pairs[1::2], base)
    for number, content in grouped.items():
        files.write(posting_name(segment, number), content)


def write_lengths(files: IndexFiles, segment: int, lengths: dict[int, int]) -> None:
    """Write a segment's length file from post id -> length (every post of the segment)."""
    base = segment * SEGMENT_DOCS
    codes = [NO_POST] * SEGMENT_DOCS
    for doc_id, length in lengths.items():
        codes[doc_id - base] = length_code(length)
    text = "".join(codes).rstrip(NO_POST)
    if text:
        files.write(length_name(segment), text)
    else:
        files.delete(length_name(segment))


def write_chunks(files: IndexFiles, records: dict[int, list[Any]], chunks: Iterable[int]) -> None:
    """Write the metadata files ``chunks`` from every row they should hold."""
    by_chunk: dict[int, list[list[Any]]] = defaultdict(list)
    for doc_id in sorted(records):
        by_chunk[chunk_of(doc_id)].append(records[doc_id])
    for chunk in chunks:
        if by_chunk.get(chunk):
            files.write(doc_name(chunk), by_chunk[chunk])
        else:
            files.delete(doc_name(chunk))


def write_dictionary(
    files: IndexFiles, entries: dict[str, list[int]], numbers: Iterable[int]
) -> None:
    """Write dictionary files ``numbers`` from term -> the segments holding it."""
    grouped: dict[int, dict[str, str]] = defaultdict(dict)
    for term, segments in entries.items():
        grouped[dict_file(term)][term] = encode_ids(segments)
    for number in numbers:
        files.write(dict_name(number), grouped.get(number, {}))  # every file, so none is a 404


def write_facets(
    files: IndexFiles, meta: Meta, members: FacetSets, changed: set[tuple[str, str]]
) -> None:
    """Write the facet files of the ``changed`` (kind, value) pairs from ``members``."""
    for kind, value in sorted(changed):
        kind_facets = meta.facets.setdefault(kind, {})
        ids = sorted(members.get(kind, {}).get(value, set()))
        old = kind_facets.get(value)
        if not ids:
            if old is not None:
                files.delete(facet_name(kind, old[1]))
                del kind_facets[value]
            continue
        key = old[1] if old else _facet_key(kind, value, {k for _, k in kind_facets.values()})
        kind_facets[value] = (len(ids), key)
        files.write(facet_name(kind, key), encode_ids(ids))
