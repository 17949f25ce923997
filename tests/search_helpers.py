"""Generated search documents for the search index tests: deterministic, English-like."""

from __future__ import annotations

import random

from byline.publish._docs import SearchDoc

SYLLABLES = [
    "ka", "ra", "lo", "pe", "mi", "tan", "sul", "vor", "den", "gri",
    "ash", "eb", "ul", "tro", "nim", "zo", "fa", "ser", "qui", "ja",
]  # fmt: skip
COMMON = [
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "as", "it", "by",
    "was", "at", "from", "this", "be", "are", "have", "which", "government", "port", "harbour",
    "ministry", "council", "budget", "river", "railway", "corridor", "loan", "project",
    "minister", "president", "region", "border", "trade", "market", "price", "cost", "contract",
    "water", "energy",
]  # fmt: skip
OUTLETS = ["Harbour Review", "Northern Ledger", "Meridian Quarterly", "Steppe Monitor"]
TOPICS = ["ports", "rail", "water", "energy", "trade", "debt", "security", "migration"]
VOCABULARY_SIZE = 4000  # distinct rare words, drawn with a Zipf-like skew as in real prose


def vocabulary(rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < VOCABULARY_SIZE:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def make_docs(
    count: int, words_per_doc: int = 120, seed: int = 3, first_id: int = 1
) -> list[SearchDoc]:
    """``count`` posts of about ``words_per_doc`` words, ids from ``first_id``."""
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    docs = []
    for offset in range(count):
        doc_id = first_id + offset
        picked = []
        for _ in range(words_per_doc):
            if rng.random() < 0.5:
                picked.append(rng.choice(COMMON))
            else:
                rank = min(int(rng.paretovariate(0.9)) - 1, len(vocab) - 1)
                picked.append(vocab[rank])
        year = 2010 + doc_id % 12
        docs.append(
            SearchDoc(
                id=doc_id,
                url=f"/{year}/01/post-{doc_id}/",
                title=f"{rng.choice(vocab).title()} {rng.choice(COMMON)} {doc_id}",
                outlet=OUTLETS[doc_id % len(OUTLETS)],
                topics=tuple(rng.sample(TOPICS, 2)),
                year=year,
                date=f"{year}-01-{1 + doc_id % 28:02d}",
                text=" ".join(picked) + ".",
            )
        )
    return docs


def doc(doc_id: int, title: str, text: str, **extra: object) -> SearchDoc:
    """One hand-written post."""
    fields: dict[str, object] = {
        "id": doc_id,
        "url": f"/posts/{doc_id}/",
        "title": title,
        "outlet": "Harbour Review",
        "topics": ("ports",),
        "year": 2020,
        "date": "2020-05-01",
        "text": text,
    }
    fields.update(extra)
    return SearchDoc(**fields)  # type: ignore[arg-type]
