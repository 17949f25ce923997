"""The site search index: tokenizer parity with search.js, encodings, full and
incremental writes, sizes and ranking."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from search_helpers import doc, make_docs

from byline.errors import PublishError
from byline.publish._search_codec import (
    LENGTH_ALPHABET,
    LENGTHS,
    LOCAL_CODES,
    LOCAL_IDS,
    Postings,
    decode_ids,
    encode_ids,
    length_code,
    pack,
    stored_tf,
    unpack,
)
from byline.publish._search_files import SEGMENT_DOCS
from byline.publish._search_query import parse_query
from byline.publish._search_text import TermCounter, stem, tokenize
from byline.publish.search_index import (
    index_size,
    query_cost,
    search_static_index,
    write_search_index,
)

ROOT = Path(__file__).resolve().parents[1]
TOKENIZER_FIXTURE = Path(__file__).parent / "fixtures" / "search" / "tokenizer.json"
SEARCH_JS = ROOT / "src" / "byline" / "publish" / "static" / "search.js"
MAX_BYTES_PER_POST = 5 * 1024  # the budget: at most 5 KB of index per post
MAX_FILE_BYTES = 64 * 1024  # no file is a whole-site index


def snapshot(site: Path) -> dict[str, tuple[int, bytes]]:
    """Every index file: (mtime in ns, bytes)."""
    root = site / "search"
    return {
        str(p.relative_to(root)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in root.rglob("*")
        if p.is_file()
    }


def age_files(site: Path) -> None:
    """Set every file's mtime to long ago, so a rewrite shows even within one clock tick."""
    for path in (site / "search").rglob("*"):
        if path.is_file():
            os.utime(path, ns=(1_000_000_000, 1_000_000_000))


def ids_for(site: Path, query: str, **filters: str) -> list[int]:
    results = search_static_index(site / "search", query, filters, limit=1000)
    return [hit.id for hit in results.hits]


# -- the tokenizer ---------------------------------------------------------------------


def test_tokenizer_gives_the_shared_fixture_tokens() -> None:
    fixture = json.loads(TOKENIZER_FIXTURE.read_text("utf-8"))
    for case in fixture["tokens"]:
        assert tokenize(case["input"]) == case["tokens"], case["input"]
    for case in fixture["queries"]:
        parsed = parse_query(case["input"])
        assert list(parsed.terms) == case["terms"], case["input"]
        assert parsed.prefix == case["prefix"], case["input"]


@given(st.text())
def test_fast_counter_agrees_with_the_reference_tokenizer(text: str) -> None:
    assert TermCounter().count(text) == dict(Counter(tokenize(text)))


@pytest.mark.parametrize(
    "text",
    ["Ürümqi’s policy—and U.S.-China\u00a0ties", "ΣΟΦΟΣ straße ﬁnance", "x\u2009y\u3000z_w"],
)
def test_fast_counter_agrees_on_tricky_text(text: str) -> None:
    assert TermCounter().count(text) == dict(Counter(tokenize(text)))


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=12))
def test_a_stem_keeps_its_first_three_characters(word: str) -> None:
    assert stem(word)[:3] == word[:3]
    assert len(stem(word)) >= 3


def test_plurals_meet_their_singulars() -> None:
    assert tokenize("policies ports cities toes") == tokenize("policy port city toe")
    assert tokenize("China’s") == tokenize("China's") == ["china"]


# -- encodings -----------------------------------------------------------------------------


@given(st.lists(st.integers(min_value=0, max_value=2**45)))
def test_packed_ints_round_trip(values: list[int]) -> None:
    assert unpack(pack(values)) == values


@given(st.sets(st.integers(min_value=0, max_value=10**7)))
def test_id_gaps_round_trip(ids: set[int]) -> None:
    ordered = sorted(ids)
    assert decode_ids(encode_ids(ordered)) == ordered


@given(
    st.dictionaries(
        st.integers(min_value=0, max_value=LOCAL_IDS - 1), st.integers(min_value=1, max_value=99)
    ),
    st.integers(min_value=0, max_value=LOCAL_IDS - 1),
)
def test_posting_codes_round_trip_and_match_only_whole_codes(
    weights: dict[int, int], probe: int
) -> None:
    base = 7 * SEGMENT_DOCS
    ids = sorted(base + i for i in weights)
    tfs = [weights[i - base] for i in ids]
    if not ids:
        return
    value = Postings(ids, tfs).encoded(base)
    decoded = Postings.decoded(value, base)
    assert decoded.ids == ids
    assert decoded.tfs == [min(tf, 31) for tf in tfs]
    expected = min(weights[probe], 31) if probe in weights else None
    assert stored_tf(value, LOCAL_CODES[probe]) == expected


def test_small_values_take_one_character() -> None:
    assert pack([1, 2, 31, 0]) == "12v0"
    assert len(pack([32])) == 2


def test_length_codes_pick_the_nearest_length() -> None:
    for length in (0, 5, 15, 16, 17, 800, 1234, 10**7):
        code = length_code(length)
        nearest = min(LENGTHS, key=lambda v: (abs(v - length), v))
        assert LENGTHS[LENGTH_ALPHABET.index(code)] == nearest


# -- searching a built index ---------------------------------------------------------------


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    docs = [
        doc(1, "Water in Karakalpakstan", "The Aral Sea shrank. Karakalpakstan suffers."),
        doc(
            2,
            "Ports of the Caspian",
            "A trip through Aktau; Karakalpakstan is far.",
            outlet="Northern Ledger",
            topics=("trade",),
            year=2019,
            date="2019-03-02",
        ),
        doc(3, "Rail corridors", "Rail and roads across the steppe.", topics=("rail", "trade")),
        doc(
            4, "Déjà vu in Ürümqi", "Xinjiang’s capital, again.", outlet=None, year=None, date=None
        ),
    ]
    write_search_index(docs, tmp_path, None)
    return tmp_path


def test_a_title_match_ranks_above_a_passing_mention(small_site: Path) -> None:
    assert ids_for(small_site, "Karakalpakstan") == [1, 2]


def test_case_accents_and_prefixes_all_match(small_site: Path) -> None:
    assert ids_for(small_site, "KARAKALPAKSTÁN ") == [1, 2]
    assert ids_for(small_site, "karakal") == [1, 2]
    assert ids_for(small_site, "urumqi deja") == [4]
    assert ids_for(small_site, "xinjiang") == [4]


def test_every_word_must_match(small_site: Path) -> None:
    assert ids_for(small_site, "karakalpakstan aktau ") == [2]
    assert ids_for(small_site, "karakalpakstan zebra ") == []
    assert ids_for(small_site, "the of and") == []


def test_filters_narrow_the_results(small_site: Path) -> None:
    assert ids_for(small_site, "karakalpakstan", outlet="Northern Ledger") == [2]
    assert ids_for(small_site, "karakalpakstan", year="2020") == [1]
    assert ids_for(small_site, "rail", topic="trade") == [3]
    assert ids_for(small_site, "karakalpakstan", topic="rail") == []
    assert ids_for(small_site, "karakalpakstan", outlet="Nowhere") == []


def test_a_hit_carries_what_the_result_shows(small_site: Path) -> None:
    hit = search_static_index(small_site / "search", "aral").hits[0]
    assert (hit.id, hit.url, hit.title, hit.outlet, hit.date) == (
        1,
        "/posts/1/",
        "Water in Karakalpakstan",
        "Harbour Review",
        "2020-05-01",
    )
    assert hit.excerpt.startswith("The Aral Sea shrank.")
    assert hit.topics == ("ports",)


def test_facet_values_and_counts_are_in_meta(small_site: Path) -> None:
    meta = json.loads((small_site / "search" / "meta.json").read_text("utf-8"))
    outlets = {name: count for name, count, _key in meta["facets"]["outlet"]}
    assert outlets == {"Harbour Review": 2, "Northern Ledger": 1}
    assert [year for year, _count, _key in meta["facets"]["year"]] == [2020, 2019]
    assert meta["docs"] == 4


# -- incremental updates -------------------------------------------------------------------


@pytest.fixture
def three_segments(tmp_path: Path) -> tuple[Path, list]:
    docs = make_docs(2 * SEGMENT_DOCS + 200, words_per_doc=60)
    write_search_index(docs, tmp_path, None)
    return tmp_path, docs


def test_an_update_rewrites_only_the_files_the_post_touches(
    three_segments: tuple[Path, list],
) -> None:
    site, docs = three_segments
    age_files(site)
    before = snapshot(site)
    target = docs[SEGMENT_DOCS + 10]  # in segment 1
    edited = dataclasses.replace(target, text=target.text + " A zanzibarquokka appears.")
    report = write_search_index([edited], site, {edited.id})
    after = snapshot(site)
    changed = {name for name in after if before.get(name) != after[name]}
    assert changed, "the edit changed nothing"
    assert report.indexed == 1 and not report.full
    for name in changed:
        assert name == "meta.json" or name.startswith(("post/1/", "len/1", "doc/", "dict/")), name
    assert len([n for n in changed if n.startswith("post/")]) <= 3  # a new word, a changed weight
    unchanged_mtimes = [n for n in before if n in after and before[n] == after[n]]
    assert len(unchanged_mtimes) > len(before) - 10
    assert ids_for(site, "zanzibarquokka") == [edited.id]


def test_an_update_writes_what_a_full_build_would(
    three_segments: tuple[Path, list], tmp_path_factory: pytest.TempPathFactory
) -> None:
    site, docs = three_segments
    docs = list(docs)
    changes = {
        5: dataclasses.replace(
            docs[5], title="Completely new title", outlet="New Outlet", topics=("fresh",)
        ),
        SEGMENT_DOCS + 3: dataclasses.replace(docs[SEGMENT_DOCS + 3], text=docs[7].text),
    }
    for index, new in changes.items():
        docs[index] = new
    write_search_index(list(changes.values()), site, {d.id for d in changes.values()})
    added = make_docs(1, seed=9, first_id=3 * SEGMENT_DOCS + 5)[0]  # a new segment
    write_search_index([added], site, {added.id})
    docs.append(added)
    gone = docs.pop(20)
    write_search_index([], site, {gone.id})  # an id with no doc leaves the index
    fresh = tmp_path_factory.mktemp("fresh")
    write_search_index(docs, fresh, None)
    assert {n: b for n, (_, b) in snapshot(site).items()} == {
        n: b for n, (_, b) in snapshot(fresh).items()
    }
    assert ids_for(site, "completely new title") == [docs[5].id]
    assert gone.id not in ids_for(site, gone.title.split()[0])


def test_workers_write_the_same_files_as_one_process(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    docs = make_docs(2 * SEGMENT_DOCS + 100, words_per_doc=40)
    one, two = tmp_path_factory.mktemp("one"), tmp_path_factory.mktemp("two")
    serial = write_search_index(docs, one, None, workers=1)
    parallel = write_search_index(docs, two, None, workers=2)
    assert serial.files_written == parallel.files_written
    assert {n: b for n, (_, b) in snapshot(one).items()} == {
        n: b for n, (_, b) in snapshot(two).items()
    }


def test_removed_ids_leave_the_index(small_site: Path) -> None:
    report = write_search_index([], small_site, set(), {1})
    assert report.removed == 1 and report.docs == 3
    assert ids_for(small_site, "karakalpakstan") == [2]


def test_an_update_needs_an_index_to_update(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="full build"):
        write_search_index([doc(1, "A", "b")], tmp_path, {1})


def test_a_full_build_removes_stale_index_files_but_nothing_else(tmp_path: Path) -> None:
    write_search_index(make_docs(SEGMENT_DOCS + 50, words_per_doc=20), tmp_path, None)
    assert (tmp_path / "search" / "post" / "1").is_dir()
    page = tmp_path / "search" / "index.html"
    page.write_text("<p>the search page</p>", "utf-8")
    report = write_search_index(make_docs(30, words_per_doc=20), tmp_path, None)
    assert report.files_deleted > 0
    assert not (tmp_path / "search" / "post" / "1").exists()
    assert page.read_text("utf-8") == "<p>the search page</p>"


def test_an_unchanged_rebuild_writes_nothing(small_site: Path) -> None:
    age_files(small_site)
    before = snapshot(small_site)
    docs = [doc(1, "Water in Karakalpakstan", "The Aral Sea shrank. Karakalpakstan suffers.")]
    report = write_search_index(docs, small_site, {1})
    assert report.files_written == 0
    assert snapshot(small_site) == before


# -- sizes ------------------------------------------------------------------------------------


def test_the_index_stays_within_its_size_budget(tmp_path: Path) -> None:
    docs = make_docs(300, words_per_doc=1000)
    write_search_index(docs, tmp_path, None)
    size = index_size(tmp_path)
    assert size.docs == 300
    assert size.bytes_per_doc < MAX_BYTES_PER_POST
    largest = max(p.stat().st_size for p in (tmp_path / "search").rglob("*.json"))
    assert largest < MAX_FILE_BYTES
    cost = query_cost(tmp_path, "government harbour")
    assert cost.total > 0
    assert cost.bytes < size.bytes / 3  # even two words in every post read a part of it


# -- the same answers in JavaScript ----------------------------------------------------------

NODE = shutil.which("node")
NODE_RANK = """
const [searchJs, fixtureFile, site, queryJson] = process.argv.slice(2);
const api = require(searchJs);
const fs = require('fs');
const fixture = JSON.parse(fs.readFileSync(fixtureFile, 'utf8'));
const queries = JSON.parse(queryJson);
const out = { tokens: fixture.tokens.map(c => api.tokenize(c.input)),
              queries: fixture.queries.map(c => api.parseQuery(c.input)), ranked: [] };
const fetcher = url => new Promise(resolve => fs.readFile(new URL(url), 'utf8', (err, text) =>
  resolve(err ? { status: 404, ok: false } : { status: 200, ok: true, text: () => Promise.resolve(text) })));
(async () => {
  for (const [q, filters] of queries) {
    const index = new api.Index('file://' + site + '/search/', fetcher);
    const result = await api.rank(index, q, filters);
    out.ranked.push(result.ranked.map(r => r[0]));
  }
  console.log(JSON.stringify(out));
})();
"""


@pytest.mark.skipif(NODE is None, reason="node is not installed; the browser test checks search.js")
def test_search_js_under_node_gives_the_same_tokens_and_ranking(tmp_path: Path) -> None:
    docs = make_docs(1500, words_per_doc=80)
    write_search_index(docs, tmp_path, None)
    queries = [
        ["government harbour", {}],
        ["tankaso", {}],
        ["minister kara", {"outlet": "Harbour Review"}],
        ["budget", {"year": "2015", "topic": "rail"}],
    ]
    script = tmp_path / "rank.js"
    script.write_text(NODE_RANK, "utf-8")
    done = subprocess.run(
        [
            str(NODE),
            str(script),
            str(SEARCH_JS),
            str(TOKENIZER_FIXTURE),
            str(tmp_path),
            json.dumps(queries),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    got = json.loads(done.stdout)
    fixture = json.loads(TOKENIZER_FIXTURE.read_text("utf-8"))
    assert got["tokens"] == [case["tokens"] for case in fixture["tokens"]]
    assert [[q["terms"], q["prefix"]] for q in got["queries"]] == [
        [case["terms"], case["prefix"]] for case in fixture["queries"]
    ]
    for (query, filters), ranked in zip(queries, got["ranked"], strict=True):
        expected = ids_for(tmp_path, query, **filters)
        assert ranked == expected, query
