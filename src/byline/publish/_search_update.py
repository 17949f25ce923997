"""Updating the site search index in place after some posts changed.

The index is read back from its own files: the posting files of each segment
that holds a changed post (a segment is small, and reading it all tells which
terms the post had), the post's metadata row (its old facets and length),
and the dictionary and facet files whose entries move.  Only files whose
bytes change are written, and the result is byte for byte what a full build
of the same posts writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from byline.publish._docs import SearchDoc
from byline.publish._search_build import (
    Analysed,
    Analyser,
    FacetSets,
    Meta,
    doc_facets,
    record_facets,
    record_of,
    write_chunks,
    write_facets,
)
from byline.publish._search_codec import (
    LOCAL_CODES,
    MAX_TF,
    NO_POST,
    decode_ids,
    encode_ids,
    length_code,
    stored_tf,
    with_post,
    without_post,
)
from byline.publish._search_files import (
    META,
    SEGMENT_DOCS,
    IndexFiles,
    chunk_of,
    dict_file,
    dict_name,
    doc_name,
    facet_name,
    length_name,
    posting_file,
    posting_name,
    segment_of,
)


@dataclass
class _Update:
    """The state of an incremental update while it runs."""

    files: IndexFiles
    meta: Meta
    analyse: Analyser
    new_docs: dict[int, SearchDoc]
    old_records: dict[int, list[Any]]
    segments_gained: dict[str, set[int]]
    segments_lost: dict[str, set[int]]


def _load_chunks(files: IndexFiles, ids: set[int]) -> dict[int, list[Any]]:
    """Every metadata row in the files that hold ``ids``, by post id."""
    records: dict[int, list[Any]] = {}
    for chunk in sorted({chunk_of(i) for i in ids}):
        for record in files.read(doc_name(chunk)) or []:
            records[record[0]] = record
    return records


def _read_segment(files: IndexFiles, segment: int) -> dict[int, dict[str, list[str]]]:
    """Every posting file of a segment, by file number."""
    contents: dict[int, dict[str, list[str]]] = {}
    folder = files.path(f"post/{segment}")
    if folder.is_dir():
        for path in folder.glob("*.json"):
            contents[int(path.stem, 16)] = files.read(f"post/{segment}/{path.name}") or {}
    return contents


def _holding(
    contents: dict[int, dict[str, list[str]]], affected: set[int], base: int
) -> dict[str, dict[int, int]]:
    """Term -> affected post -> stored weight, for every term an affected post had.

    A post's two-character code can only match a posting list at a code
    boundary, so each test is one substring search, with nothing decoded.
    """
    codes = [(LOCAL_CODES[doc_id - base], doc_id) for doc_id in sorted(affected)]
    found: dict[str, dict[int, int]] = {}
    for content in contents.values():
        for term, value in content.items():
            ids = value[0]
            for code, doc_id in codes:
                if code in ids:
                    tf = stored_tf(value, code)
                    if tf is not None:
                        found.setdefault(term, {})[doc_id] = tf
    return found


def _new_counts(analysed: dict[int, Analysed]) -> dict[str, dict[int, int]]:
    """Term -> post id -> weighted frequency, for the posts as they are now."""
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for doc_id, item in analysed.items():
        for term, tf in item.counts.items():
            counts[term][doc_id] = tf
    return counts


def _update_segment(update: _Update, segment: int, affected: set[int]) -> dict[int, Analysed]:
    """Re-index the ``affected`` posts of one segment: its posting and length files."""
    base = segment * SEGMENT_DOCS
    contents = _read_segment(update.files, segment)
    held = _holding(contents, affected, base)
    analysed = {
        doc_id: update.analyse(update.new_docs[doc_id])
        for doc_id in sorted(affected)
        if doc_id in update.new_docs
    }
    now = _new_counts(analysed)
    dirty: set[int] = set()
    for term in set(held) | set(now):
        fresh = {doc_id: min(tf, MAX_TF) for doc_id, tf in now.get(term, {}).items()}
        if held.get(term) == fresh:
            continue  # the same posts with the same weights: nothing to rewrite
        number = posting_file(term)
        content = contents.setdefault(number, {})
        value = content.get(term, ["", ""])
        for doc_id in sorted(affected):
            if doc_id in fresh:
                value = with_post(value, doc_id - base, fresh[doc_id])
            else:
                value = without_post(value, LOCAL_CODES[doc_id - base])
        if value[0]:
            if term not in content:
                update.segments_gained[term].add(segment)
            content[term] = value
        else:
            del content[term]
            update.segments_lost[term].add(segment)
        dirty.add(number)
    for number in sorted(dirty):
        if contents.get(number):
            update.files.write(posting_name(segment, number), contents[number])
        else:
            update.files.delete(posting_name(segment, number))
    _update_lengths(update, segment, affected, analysed)
    return analysed


def _update_lengths(
    update: _Update, segment: int, affected: set[int], analysed: dict[int, Analysed]
) -> None:
    """Rewrite a segment's length file; a segment left with no post leaves the index."""
    base = segment * SEGMENT_DOCS
    text = update.files.read(length_name(segment)) or ""
    codes = list(text.ljust(SEGMENT_DOCS, NO_POST))
    for doc_id in affected:
        item = analysed.get(doc_id)
        codes[doc_id - base] = length_code(item.length) if item else NO_POST
    joined = "".join(codes).rstrip(NO_POST)
    if joined:
        update.files.write(length_name(segment), joined)
        update.meta.segments.add(segment)
    else:
        update.files.delete(length_name(segment))
        update.meta.segments.discard(segment)


def _update_dictionary(update: _Update) -> None:
    """Rewrite the dictionary files of terms that entered or left a segment."""
    by_file: dict[int, list[str]] = defaultdict(list)
    for term in set(update.segments_gained) | set(update.segments_lost):
        by_file[dict_file(term)].append(term)
    for number, names in sorted(by_file.items()):
        content: dict[str, str] = update.files.read(dict_name(number)) or {}
        for term in names:
            held = set(decode_ids(content.get(term, "")))
            held = (held | update.segments_gained.get(term, set())) - update.segments_lost.get(
                term, set()
            )
            if held:
                content[term] = encode_ids(sorted(held))
            else:
                content.pop(term, None)
        update.files.write(dict_name(number), content)


def _update_facets(update: _Update, analysed: dict[int, Analysed]) -> None:
    """Move the changed posts between facet files, from their old facets to their new."""
    added: dict[tuple[str, str], set[int]] = defaultdict(set)
    dropped: dict[tuple[str, str], set[int]] = defaultdict(set)
    for doc_id, record in update.old_records.items():
        for pair in record_facets(record):
            dropped[pair].add(doc_id)
    for doc_id, item in analysed.items():
        for pair in doc_facets(item.doc):
            added[pair].add(doc_id)
    changed = {p for p in set(added) | set(dropped) if added.get(p) != dropped.get(p)}
    members: FacetSets = defaultdict(dict)
    for kind, value in changed:
        old = update.meta.facets.get(kind, {}).get(value)
        ids = set(decode_ids(update.files.read(facet_name(kind, old[1])) or "")) if old else set()
        members[kind][value] = (ids - dropped.get((kind, value), set())) | added.get(
            (kind, value), set()
        )
    write_facets(update.files, update.meta, members, changed)


def update_index(
    files: IndexFiles, docs: Iterable[SearchDoc], changed: set[int], removed: set[int]
) -> tuple[Meta, int, int]:
    """Update the index in ``files`` for the ``changed`` and ``removed`` posts.

    ``docs`` are the posts as they are now; an id in ``changed`` without one,
    and every id in ``removed``, leaves the index.  Returns the new
    ``meta.json`` contents, and how many posts were indexed and taken out.
    """
    meta = Meta.from_json(files.read(META), files.path(META))
    new_docs = {doc.id: doc for doc in docs if doc.id not in removed}
    affected = changed | removed | set(new_docs)
    chunk_records = _load_chunks(files, affected)
    old_records = {i: chunk_records.pop(i) for i in affected if i in chunk_records}
    update = _Update(
        files=files,
        meta=meta,
        analyse=Analyser(),
        new_docs=new_docs,
        old_records=old_records,
        segments_gained=defaultdict(set),
        segments_lost=defaultdict(set),
    )
    by_segment: dict[int, set[int]] = defaultdict(set)
    for doc_id in affected:
        by_segment[segment_of(doc_id)].add(doc_id)
    analysed: dict[int, Analysed] = {}
    for segment in sorted(by_segment):
        analysed.update(_update_segment(update, segment, by_segment[segment]))
    _update_dictionary(update)
    chunk_records.update({i: record_of(item) for i, item in analysed.items()})
    write_chunks(files, chunk_records, sorted({chunk_of(i) for i in affected}))
    _update_facets(update, analysed)
    meta.docs += len(analysed) - len(old_records)
    meta.length += sum(a.length for a in analysed.values()) - sum(
        r[8] for r in old_records.values()
    )
    gone = sum(1 for i in old_records if i not in analysed)
    return meta, len(analysed), gone
