"""A full build of the site search index: every post in, every file out.

Segments are independent (each is an inverted index of its own posts), so
each is built and written on its own, and on a machine with more than one
core several are built at once in forked worker processes; the parent then
writes what spans segments: the dictionary, the facet files and ``meta.json``.
The output is the same bytes however many workers run.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from byline.errors import PublishError
from byline.publish._docs import SearchDoc
from byline.publish._search_build import (
    Analyser,
    FacetSets,
    Meta,
    doc_facets,
    record_of,
    write_chunks,
    write_dictionary,
    write_facets,
    write_lengths,
    write_segment_postings,
)
from byline.publish._search_files import DICT_FILES, IndexFiles, chunk_of, segment_of

MAX_WORKERS = 4  # past this the disk, not the tokenizer, is what a build waits for


@dataclass
class SegmentResult:
    """What building one segment gives the parent: its terms, lengths, facets, files."""

    segment: int
    terms: list[str]
    length: int
    facets: list[tuple[str, str, int]]  # (kind, value, post id)
    written: int = 0
    unchanged: int = 0
    bytes_written: int = 0
    kept: list[Path] = field(default_factory=list)


def build_segment(
    root: Path, segment: int, docs: list[SearchDoc], analyse: Analyser
) -> SegmentResult:
    """Write one segment's posting, length and metadata files from its posts (ids ascending)."""
    files = IndexFiles(root)
    lengths: dict[int, int] = {}
    records: dict[int, list[Any]] = {}
    flat: dict[str, list[int]] = {}  # term -> [id, tf, id, tf, ...]: one extend per posting
    result = SegmentResult(segment, [], 0, [])
    for doc in docs:
        item = analyse(doc)
        get = flat.get
        for term, tf in item.counts.items():
            pairs = get(term)
            if pairs is None:
                flat[term] = [doc.id, tf]
            else:
                pairs += (doc.id, tf)
        lengths[doc.id] = item.length
        records[doc.id] = record_of(item)
        result.length += item.length
        result.facets.extend((kind, value, doc.id) for kind, value in doc_facets(doc))
    write_segment_postings(files, segment, flat)
    write_lengths(files, segment, lengths)
    write_chunks(files, records, sorted({chunk_of(d.id) for d in docs}))
    result.terms = list(flat)
    stats = files.stats
    result.written, result.unchanged, result.bytes_written = (
        stats.written,
        stats.unchanged,
        stats.bytes_written,
    )
    result.kept = sorted(stats.kept)
    return result


# What a forked worker builds from: set by _start_worker in the child only.
_worker_job: tuple[Path, dict[int, list[SearchDoc]]] | None = None


def _start_worker(root: Path, segments: dict[int, list[SearchDoc]]) -> None:
    global _worker_job
    _worker_job = (root, segments)


def _worker_segment(segment: int) -> SegmentResult:
    assert _worker_job is not None, "a worker runs only after _start_worker"
    root, segments = _worker_job
    return build_segment(root, segment, segments[segment], Analyser())


def _workers(wanted: int | None, segments: int) -> int:
    """How many processes to build with; 1 where forking is unsafe or pointless."""
    if wanted is not None:
        return max(1, min(wanted, segments))
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1  # forking a threaded process (byline serve) could copy a held lock
    return max(1, min(len(os.sched_getaffinity(0)), segments, MAX_WORKERS))


def _build_segments(
    root: Path, segments: dict[int, list[SearchDoc]], workers: int
) -> list[SegmentResult]:
    order = sorted(segments)
    if workers <= 1:
        analyse = Analyser()
        return [build_segment(root, s, segments[s], analyse) for s in order]
    context = multiprocessing.get_context("fork")
    # fork hands the posts to the workers as they are in memory: nothing is pickled
    with context.Pool(workers, initializer=_start_worker, initargs=(root, segments)) as pool:
        return pool.map(_worker_segment, order, chunksize=1)


def full_build(
    files: IndexFiles, docs: Iterable[SearchDoc], workers: int | None = None
) -> tuple[Meta, int]:
    """Write every index file for ``docs``; returns meta.json's contents and the post count."""
    by_id = {doc.id: doc for doc in docs}
    segments: dict[int, list[SearchDoc]] = defaultdict(list)
    for doc_id in sorted(by_id):
        if doc_id < 0:
            raise PublishError(f"search: post id {doc_id} is negative")
        segments[segment_of(doc_id)].append(by_id[doc_id])
    results = _build_segments(files.root, segments, _workers(workers, len(segments)))
    meta = Meta(len(by_id), 0, set(segments), {})
    dictionary: dict[str, list[int]] = defaultdict(list)  # term -> segments holding it
    facet_ids: FacetSets = defaultdict(lambda: defaultdict(set))
    for result in results:
        meta.length += result.length
        for term in result.terms:
            dictionary[term].append(result.segment)
        for kind, value, doc_id in result.facets:
            facet_ids[kind][value].add(doc_id)
        files.stats.written += result.written
        files.stats.unchanged += result.unchanged
        files.stats.bytes_written += result.bytes_written
        files.stats.kept.update(result.kept)
    write_dictionary(files, dictionary, range(DICT_FILES))
    write_facets(files, meta, facet_ids, {(k, v) for k in facet_ids for v in facet_ids[k]})
    return meta, len(by_id)
