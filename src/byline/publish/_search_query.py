"""Answering a query from the static index, as ``static/search.js`` does in the browser.

This is the reference for the browser code, step for step: tests compare the
two, and :func:`byline.publish.search_index.query_cost` uses it to count the
files and bytes a query fetches.  Its steps:

1. Parse the query (:func:`parse_query`): every word is a term that must
   match; a last word still being typed (no space or punctuation after it)
   of :data:`MIN_PREFIX_CHARS` or more also matches the terms it begins.
2. Look each term up in its dictionary file: which segments hold it.  A
   prefix keeps :data:`MAX_PREFIX_TERMS` completions: those in the most
   segments, then the shortest, then alphabetically.
3. Fetch the term's posting file in each of those segments; its document
   frequency is the number of posts found there.  A post must match every
   word (any completion of the last one).
4. Keep posts in every chosen facet (outlet, topic, year).
5. Rank by BM25 (:data:`K1`, :data:`B`) with each post's quantized length,
   the best completion counting for a prefix; ties go to the lower id.
6. Fetch the metadata files of the page of results shown.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from byline.publish._search_codec import (
    decode_ids,
    decode_local_ids,
    decode_tfs,
)
from byline.publish._search_files import (
    META,
    dict_file,
    dict_name,
    doc_name,
    facet_name,
    length_name,
    posting_file,
    posting_name,
)
from byline.publish._search_text import (
    APOSTROPHE_TABLE,
    STOPWORDS,
    fold,
    term_of,
    words,
)

K1 = 1.2  # BM25 term-frequency saturation
B = 0.75  # BM25 length normalisation
MIN_PREFIX_CHARS = 3  # "ec" would complete to half the vocabulary
MAX_PREFIX_TERMS = 8  # completions kept for a prefix, most frequent first
MAX_QUERY_WORDS = 12  # a search box, not a document
RESULTS_PER_PAGE = 10
OPEN_END = re.compile(r"[^\W_]\Z")  # the query ends inside a word: it is still being typed


@dataclass(frozen=True)
class ParsedQuery:
    """A query as search terms: ``terms`` must all match, and so must ``prefix``."""

    terms: tuple[str, ...]
    prefix: str | None = None  # the folded last word, still being typed

    @property
    def empty(self) -> bool:
        return not self.terms and self.prefix is None


def parse_query(text: str) -> ParsedQuery:
    """Step 1: the terms of a query as typed in the search box."""
    found = words(text)[:MAX_QUERY_WORDS]
    prefix: str | None = None
    folded = fold(text).translate(APOSTROPHE_TABLE)
    if found and OPEN_END.search(folded):
        last = found[-1]
        if len(last) >= MIN_PREFIX_CHARS and last not in STOPWORDS:
            prefix = last
            found = found[:-1]
    terms: list[str] = []
    for word in found:
        term = term_of(word)
        if term is not None and term not in terms:
            terms.append(term)
    return ParsedQuery(tuple(terms), prefix)


class IndexReader:
    """Reads index files by name, once each, and counts what a browser would download."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.fetched: dict[str, int] = {}
        self._cache: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        if name not in self._cache:
            try:
                data = (self.root / name).read_bytes()
            except FileNotFoundError:
                self._cache[name] = None
                return None
            self.fetched[name] = len(data)
            self._cache[name] = json.loads(data)
        return self._cache[name]


@dataclass(frozen=True)
class StaticHit:
    """One result as the search page shows it."""

    id: int
    url: str
    title: str
    outlet: str | None
    topics: tuple[str, ...]
    year: int | None
    date: str | None
    excerpt: str
    score: float


@dataclass(frozen=True)
class StaticResults:
    """A page of results and how many posts matched in all."""

    query: ParsedQuery
    total: int
    hits: list[StaticHit] = field(default_factory=list)


@dataclass(frozen=True)
class QueryCost:
    """What answering one query downloads, from a cold cache."""

    query: str
    files: int
    bytes: int
    total: int  # posts matched


def _group_terms(reader: IndexReader, query: ParsedQuery) -> list[dict[str, list[int]]] | None:
    """Step 2: each word's terms and the segments holding them; None if a word has none."""
    groups: list[dict[str, list[int]]] = []
    for term in query.terms:
        entry = (reader.get(dict_name(dict_file(term))) or {}).get(term)
        if entry is None:
            return None
        groups.append({term: decode_ids(entry)})
    if query.prefix is not None:
        content: dict[str, str] = reader.get(dict_name(dict_file(query.prefix))) or {}
        completions = sorted(
            ((t, decode_ids(e)) for t, e in content.items() if t.startswith(query.prefix)),
            key=lambda te: (-len(te[1]), len(te[0]), te[0]),
        )
        group = dict(completions[:MAX_PREFIX_TERMS])
        exact = term_of(query.prefix)
        if exact is not None and exact in content:
            group[exact] = decode_ids(content[exact])
        if not group:
            return None
        groups.append(group)
    return groups


def _postings(reader: IndexReader, term: str, segments: list[int], size: int) -> dict[int, int]:
    """Step 3: post id -> weighted term frequency, from every segment holding the term."""
    found: dict[int, int] = {}
    number = posting_file(term)
    for segment in segments:
        value = (reader.get(posting_name(segment, number)) or {}).get(term)
        if value is None:
            continue
        found.update(
            zip(decode_local_ids(value[0], segment * size), decode_tfs(value[1]), strict=True)
        )
    return found


def _facet_ids(reader: IndexReader, meta: dict[str, Any], kind: str, value: str) -> set[int]:
    """Step 4: the posts under one facet value (none for a value the index lacks)."""
    for name, _count, key in meta["facets"].get(kind, []):
        if str(name) == value:
            return set(decode_ids(reader.get(facet_name(kind, key)) or ""))
    return set()


def _lengths(reader: IndexReader, meta: dict[str, Any], ids: set[int]) -> dict[int, int]:
    size = meta["segmentDocs"]
    table = meta["lengths"]
    alphabet = meta["lengthCodes"]
    found: dict[int, int] = {}
    for segment in sorted({i // size for i in ids}):
        codes = reader.get(length_name(segment)) or ""
        for doc_id in ids:
            if doc_id // size == segment:
                local = doc_id - segment * size
                code = codes[local] if local < len(codes) else " "
                found[doc_id] = table[alphabet.index(code)] if code != " " else 0
    return found


def bm25(tf: int, df: int, length: int, docs: int, average: float) -> float:
    """One term's BM25 score in one post (``search.js`` computes it in the same order)."""
    idf = math.log(1 + (docs - df + 0.5) / (df + 0.5))
    norm = K1 * (1 - B + B * length / average)
    return idf * (tf * (K1 + 1)) / (tf + norm)


def search_static_index(
    index: IndexReader | Path,
    text: str,
    filters: dict[str, str] | None = None,
    limit: int = RESULTS_PER_PAGE,
    offset: int = 0,
) -> StaticResults:
    """Answer a query from the index folder (``<site>/search``) as the browser does."""
    reader = index if isinstance(index, IndexReader) else IndexReader(index)
    query = parse_query(text)
    meta = reader.get(META)
    if query.empty or meta is None:
        return StaticResults(query, 0)
    groups = _group_terms(reader, query)
    if groups is None:
        return StaticResults(query, 0)
    size = meta["segmentDocs"]
    matched: list[dict[str, dict[int, int]]] = [
        {t: _postings(reader, t, segments, size) for t, segments in group.items()}
        for group in groups
    ]
    candidates: set[int] | None = None
    for group_postings in matched:
        ids = set().union(*(p.keys() for p in group_postings.values()))
        candidates = ids if candidates is None else candidates & ids
    chosen = candidates or set()
    for kind, value in sorted((filters or {}).items()):
        if value:
            chosen &= _facet_ids(reader, meta, kind, value)
    lengths = _lengths(reader, meta, chosen)
    average = meta["length"] / max(meta["docs"], 1)
    scores: dict[int, float] = {}
    for doc_id in chosen:
        score = 0.0
        for group_postings in matched:
            score += max(
                bm25(p[doc_id], len(p), lengths[doc_id], meta["docs"], average)
                for p in group_postings.values()
                if doc_id in p
            )
        scores[doc_id] = score
    ranked = sorted(scores, key=lambda i: (-scores[i], i))
    page = ranked[offset : offset + limit]
    records: dict[int, list[Any]] = {}
    for chunk in sorted({i // meta["docChunk"] for i in page}):
        for record in reader.get(doc_name(chunk)) or []:
            records[record[0]] = record
    hits = [_hit(records[i], scores[i]) for i in page if i in records]
    return StaticResults(query, len(ranked), hits)


def _hit(record: list[Any], score: float) -> StaticHit:
    doc_id, url, title, outlet, topics, year, date, text = record[:8]
    return StaticHit(doc_id, url, title, outlet, tuple(topics), year, date, text, round(score, 6))
