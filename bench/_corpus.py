"""A deterministic synthetic archive for benchmarks: the same posts for every tool.

``generate(n)`` makes ``n`` posts shaped like a columnist's re-published pieces
(preface, headline, standfirst, two section headings, ten to fourteen
paragraphs, a caption, a bio, sometimes footnotes), spread over outlets (the
categories), topics (the tags) and fifteen years.  The same posts are written
as a byline database, as Pelican Markdown and as Hugo Markdown.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from byline.model import Block, Outlet, Post, Role, slugify
from byline.store import SQLiteStore
from byline.store._base import SourcePage

OUTLETS = [
    "Harbour Review", "Northern Ledger", "Meridian Quarterly", "Coastline Weekly",
    "The Policy Desk", "Inland Times", "Border Affairs", "Steppe Monitor",
]  # fmt: skip
TOPICS = [
    "ports", "rail", "water", "energy", "trade", "debt", "elections", "security", "migration",
    "climate", "shipping", "mining", "agriculture", "borders", "diplomacy", "sanctions",
    "infrastructure", "labour", "housing", "health", "education", "media", "technology",
    "finance", "tourism", "fisheries", "aviation", "cities", "courts", "policing",
]  # fmt: skip
WORDS = (
    "the of and to in a is that for on with as it by was at from this be are have which "
    "not or an but has its their were they been more new would will about after than over "
    "government port harbour ministry council budget river railway corridor loan project "
    "minister president region border trade market price cost contract tender route cargo "
    "ship ferry island coast water drought reservoir dam power grid plant mine copper gas "
    "oil pipeline bank lender bond rate inflation wage worker union strike protest vote "
    "election party coalition court ruling law rule agency report survey data figure share "
    "growth decline crisis reform plan policy strategy partner neighbour alliance summit "
    "visit talks deal agreement treaty dispute claim pressure risk threat opportunity "
    "investment investor company firm operator owner buyer seller supplier customer "
    "village town city capital province district valley mountain plain desert steppe "
    "season winter summer spring autumn year month week decade century history memory "
    "question answer problem solution argument evidence reason result effect cause change"
).split()


@dataclass
class GenPost:
    number: int
    headline: str
    slug: str
    published: date
    outlet: str
    tags: list[str]
    preface: str
    standfirst: str
    caption: str
    bio: str
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [p for _, paras in self.sections for p in paras]


def _sentence(rng: random.Random, words: int) -> str:
    # Zipf-like choice: common words far more often, as in real prose
    picked = [WORDS[min(int(rng.paretovariate(1.1)) - 1, len(WORDS) - 1)] for _ in range(words)]
    picked += [rng.choice(WORDS[40:]) for _ in range(words // 3)]
    rng.shuffle(picked)
    text = " ".join(picked)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(12, 24)) for _ in range(rng.randint(3, 5)))


def _title(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS[40:]) for _ in range(words))
    return text[0].upper() + text[1:]


def generate(n: int, seed: int = 7) -> list[GenPost]:
    rng = random.Random(seed)
    start = date(2010, 1, 1)
    posts = []
    for number in range(n):
        headline = f"{_title(rng, rng.randint(5, 9))} {number}"
        outlet = OUTLETS[number % len(OUTLETS)]
        sections = [
            (_title(rng, 3) if s else "", [_paragraph(rng) for _ in range(rng.randint(3, 5))])
            for s in range(3)
        ]
        posts.append(
            GenPost(
                number=number,
                headline=headline,
                slug=slugify(headline),
                published=start + timedelta(days=int(number * 5475 / max(n, 1))),
                outlet=outlet,
                tags=rng.sample(TOPICS, rng.randint(2, 3)),
                preface=f"A new column for {outlet} looking at {_sentence(rng, 10).lower()}",
                standfirst=_title(rng, 10),
                caption=f"{_sentence(rng, 14)[:-1]}   © Harbour Press",
                bio="Maren Castell is a senior fellow at the Aldermoor Institute.",
                sections=sections,
                footnotes=[f"{i} {_sentence(rng, 9)} 2019." for i in range(1, rng.randint(1, 4))],
            )
        )
    return posts


def to_post(gen: GenPost) -> Post:
    blocks: list[Block] = []

    def add(role: Role, text: str) -> None:
        blocks.append(Block(role, text, len(blocks) + 1))

    add("preface", gen.preface)
    add("headline", gen.headline)
    add("standfirst", gen.standfirst)
    add("caption", gen.caption)
    add("bio", gen.bio)
    for heading, paras in gen.sections:
        if heading:
            add("heading", heading)
        for para in paras:
            add("body", para)
    for note in gen.footnotes:
        add("footnote", note)
    return Post(
        blocks=blocks,
        categories=[gen.outlet],
        tags=list(gen.tags),
        outlet=Outlet(gen.outlet),
        published=gen.published,
        slug=gen.slug,
    )


def write_store(posts: list[GenPost], db: Path, per_page: int = 50) -> None:
    """Store the posts as byline would after importing archive pages of ``per_page`` posts."""
    store = SQLiteStore(db)
    try:
        for first in range(0, len(posts), per_page):
            chunk = posts[first : first + per_page]
            digest = hashlib.sha256(f"bench-page-{first}-{len(posts)}".encode()).hexdigest()
            store.save_page(
                SourcePage(
                    path=f"bench/page-{first // per_page:05d}.txt",
                    sha256=digest,
                    kind="archive-text",
                    posts=[to_post(p) for p in chunk],
                )
            )
    finally:
        store.close()


def _markdown_body(gen: GenPost) -> str:
    parts = [f"*{gen.preface}*", f"**{gen.standfirst}**", f"*{gen.caption}*", f"_{gen.bio}_"]
    for heading, paras in gen.sections:
        if heading:
            parts.append(f"## {heading}")
        parts.extend(paras)
    if gen.footnotes:
        parts.extend(f"{i}. {note.split(' ', 1)[1]}" for i, note in enumerate(gen.footnotes, 1))
    return "\n\n".join(parts) + "\n"


def write_pelican(posts: list[GenPost], content: Path) -> None:
    content.mkdir(parents=True, exist_ok=True)
    for gen in posts:
        head = (
            f"Title: {gen.headline}\nDate: {gen.published.isoformat()}\n"
            f"Category: {gen.outlet}\nTags: {', '.join(gen.tags)}\nSlug: {gen.slug}\n"
            f"Summary: {gen.standfirst}\n\n"
        )
        (content / f"{gen.slug}.md").write_text(head + _markdown_body(gen), "utf-8")


def write_hugo(posts: list[GenPost], content: Path) -> None:
    posts_dir = content / "posts"
    posts_dir.mkdir(parents=True, exist_ok=True)
    for gen in posts:
        tags = ", ".join(f'"{t}"' for t in gen.tags)
        head = (
            f'---\ntitle: "{gen.headline}"\ndate: {gen.published.isoformat()}\n'
            f'slug: "{gen.slug}"\ncategories: ["{gen.outlet}"]\ntags: [{tags}]\n'
            f'summary: "{gen.standfirst}"\n---\n\n'
        )
        (posts_dir / f"{gen.slug}.md").write_text(head + _markdown_body(gen), "utf-8")
