"""Dates in running text, and each post's publication date, stated or estimated.

Dates are found by a cheap pattern and parsed with dateparser (about a
thousand strings a second, so only candidates are parsed, and each distinct
string once): ``PREFER_DAY_OF_MONTH='first'`` so "September 2013" is the 1st,
``REQUIRE_PARTS`` so a candidate parses to exactly what it states, and
``RELATIVE_BASE`` (the post's date) for "Oct. 14" without a year or "3 days ago".
A year alone counts only after a preposition ("in 2013", "by 2040").

A post's publication date is the one its page states.  Otherwise it is an
interval, marked ``estimated``: not before the latest dated event its text
reports in the past tense, not after a date it looks forward to, and between
its neighbours on the page (archive pages list posts newest first, or oldest
first; the stated dates tell which).  Every bound says where it came from.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise

import dateparser

from byline.enrich._model import (
    DateEvidence,
    DateMention,
    Granularity,
    PublicationDate,
    Tense,
)
from byline.enrich._text import normalise, sentence_at
from byline.model import Post, Role

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?:1[89]|20)\d{2}"
END = r"(?![\w-])"
# A year alone is a date only after one of these: "in 2013", "by 2040".
YEAR_PREPOSITIONS = "[Ii]n|[Bb]y|of|[Ss]ince|[Uu]ntil|[Aa]fter|[Ff]rom|[Dd]uring|[Bb]efore"
# Tried in this order; a later pattern never takes text an earlier one matched.
CANDIDATES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(r"(?<![\w/.-])" + pattern))
    for kind, pattern in (
        ("dmy", rf"{DAY}\s+{MONTH},?\s+{YEAR}{END}"),
        ("mdy", rf"{MONTH}\s+{DAY},?\s+{YEAR}{END}"),
        ("iso", rf"{YEAR}-[01]\d-[0-3]\d(?=T|[^\w-]|$)"),
        ("my", rf"{MONTH},?\s+{YEAR}{END}"),
        ("ago", rf"\d{{1,3}}\s+(?:days?|weeks?|months?|years?)\s+ago{END}"),
        ("ago", rf"[Yy]esterday{END}"),
        ("dm", rf"{DAY}\s+{MONTH}{END}"),
        ("md", rf"{MONTH}\s+{DAY}{END}"),
        ("year", rf"\b(?:{YEAR_PREPOSITIONS})\s+(?P<y>{YEAR})(?!s){END}"),
        ("last", rf"(?:last|this|next)\s+(?:year|month|week){END}"),
    )
)
MAY_HOLD_DATE = re.compile(r"\d|[Yy]esterday|\b(?:last|this|next)\s+(?:year|month|week)")

PARTS = {
    "dmy": ["day", "month", "year"],
    "mdy": ["day", "month", "year"],
    "iso": ["day", "month", "year"],
    "my": ["month", "year"],
    "md": ["day", "month"],
    "dm": ["day", "month"],
}
GRANULARITY: dict[str, Granularity] = {
    "dmy": "day", "mdy": "day", "iso": "day", "md": "day", "dm": "day", "ago": "day",
    "my": "month", "year": "year",
}  # fmt: skip
NEEDS_BASE = frozenset({"md", "dm", "ago", "last"})
FUTURE_CUES = re.compile(
    r"\b(?:will|would|shall|next|forthcoming|upcoming|expected|expects|due\s+to|scheduled|"
    r"plans?\s+to|planned|by\s+(?:1[89]|20)\d{2}|until|ahead|outlook|forecasts?|forward|"
    r"coming|should\s+be|set\s+to|to\s+be\s+held|is\s+likely|are\s+likely)\b",
    re.IGNORECASE,
)
PAST_CUES = re.compile(
    r"\b(?:was|were|had|did|ago|last|earlier|previously|reported|announced|signed|launched|"
    r"took|began|started|happened|occurred|killed|visited|said|claimed|broke\s+out|went|"
    r"emerged|published|posted|ran|met|held|became|chose|dispatched|inaugurated)\b",
    re.IGNORECASE,
)
# Citations, bylines and file names report what has already happened.
PAST_ROLES = frozenset({"footnote", "meta", "image"})
DETAIL_LENGTH = 240  # characters of a sentence kept as evidence
# Parts of a post whose dates bound its publication: every text part; an image
# file name ("Screen Shot 2020-06-30") is evidence too.
DATE_ROLES: tuple[Role, ...] = (
    "preface", "headline", "standfirst", "heading", "body", "caption", "footnote", "bio", "meta",
    "image",
)  # fmt: skip


def find_dates(
    text: str, *, base: date | None = None, role: Role | None = None, line: int | None = None
) -> list[DateMention]:
    """The dates a text mentions; without ``base``, those needing one are skipped."""
    norm = normalise(text)
    found: list[DateMention] = []
    if not MAY_HOLD_DATE.search(norm):
        return found
    taken = bytearray(len(norm))
    for kind, pattern in CANDIDATES:
        if kind in NEEDS_BASE and base is None:
            continue
        for match in pattern.finditer(norm):
            start, end = match.span("y") if kind == "year" else match.span()
            if any(taken[start:end]):
                continue
            span = _interpret(kind, norm[start:end], base)
            if span is None:
                continue
            taken[start:end] = b"\x01" * (end - start)
            earliest, latest, granularity = span
            s, e = sentence_at(norm, start)
            found.append(
                DateMention(
                    text=text[start:end],
                    earliest=earliest,
                    latest=latest,
                    granularity=granularity,
                    tense="past" if role in PAST_ROLES else _tense(norm[s:e]),
                    relative=kind in NEEDS_BASE,
                    sentence=text[s:e],
                    role=role,
                    line=line,
                    start=start,
                    end=end,
                )
            )
    found.sort(key=lambda m: m.start)
    return found


def dates_for_post(post: Post, base: date | None = None) -> list[DateMention]:
    """Every date in a post's text parts, relative ones read against its date."""
    base = base or post.published
    return [
        mention
        for block in post.blocks
        if block.role in DATE_ROLES
        for mention in find_dates(block.text, base=base, role=block.role, line=block.line)
    ]


def publication_dates(
    posts: Sequence[Post], *, newest_first: bool | None = None
) -> list[PublicationDate]:
    """Each post's publication date: stated, or an estimated interval with evidence.

    ``posts`` are one page's posts in page order; ``newest_first`` says how the
    page is ordered (worked out from the stated dates when not given).
    """
    if newest_first is None:
        newest_first = _newest_first(posts)
    own = [_own_bounds(i, post) for i, post in enumerate(posts)]
    order = list(range(len(posts))) if newest_first else list(range(len(posts)))[::-1]
    # In newest-first order a post is no earlier than any post after it and no
    # later than any post before it.
    lower_from_older: list[DateEvidence | None] = [None] * len(posts)
    best: DateEvidence | None = None
    for i in reversed(order):
        lower_from_older[i] = best
        best = _later(best, own[i][0])
    upper_from_newer: list[DateEvidence | None] = [None] * len(posts)
    best = None
    for i in order:
        upper_from_newer[i] = best
        best = _earlier(best, own[i][1])
    results = []
    for i, post in enumerate(posts):
        if post.published:
            stated = DateEvidence("earliest", post.published, "stated", "the page states it", i)
            results.append(
                PublicationDate(i, post.published, post.published, post.published, False, (stated,))
            )
            continue
        lower = _later(own[i][0], _as_neighbour(lower_from_older[i], posts))
        upper = _earlier(own[i][1], _as_neighbour(upper_from_newer[i], posts))
        evidence = tuple(e for e in (lower, upper) if e is not None)
        results.append(
            PublicationDate(
                index=i,
                stated=None,
                earliest=lower.value if lower else None,
                latest=upper.value if upper else None,
                estimated=True,
                evidence=evidence,
                conflict=bool(lower and upper and lower.value > upper.value),
            )
        )
    return results


def _own_bounds(index: int, post: Post) -> tuple[DateEvidence | None, DateEvidence | None]:
    """The bounds a post sets on itself: its stated date, or its text's dates."""
    if post.published:
        return (
            DateEvidence("earliest", post.published, "stated", "the page states it", index),
            DateEvidence("latest", post.published, "stated", "the page states it", index),
        )
    lower: DateEvidence | None = None
    upper: DateEvidence | None = None
    for mention in dates_for_post(post):
        detail = f"{mention.role or 'text'}: {_shorten(mention.sentence)}"
        if mention.tense == "future" and mention.granularity != "year":
            upper = _earlier(upper, DateEvidence("latest", mention.latest, "text", detail, index))
        elif mention.granularity != "year" or mention.tense == "past":
            lower = _later(lower, DateEvidence("earliest", mention.earliest, "text", detail, index))
    return lower, upper


def _as_neighbour(evidence: DateEvidence | None, posts: Sequence[Post]) -> DateEvidence | None:
    if evidence is None:
        return None
    post = posts[evidence.post_index]
    how = "stated" if evidence.source == "stated" else f"from its {evidence.detail}"
    detail = f"post {evidence.post_index} ({post.title}) is dated {evidence.value}, {how}"
    return DateEvidence(evidence.bound, evidence.value, "neighbour", detail, evidence.post_index)


def _later(a: DateEvidence | None, b: DateEvidence | None) -> DateEvidence | None:
    if a is None or b is None:
        return a or _relabel(b, "earliest")
    return a if a.value >= b.value else _relabel(b, "earliest")


def _earlier(a: DateEvidence | None, b: DateEvidence | None) -> DateEvidence | None:
    if a is None or b is None:
        return a or _relabel(b, "latest")
    return a if a.value <= b.value else _relabel(b, "latest")


def _relabel(evidence: DateEvidence | None, bound: str) -> DateEvidence | None:
    if evidence is None or evidence.bound == bound:
        return evidence
    return DateEvidence(
        "earliest" if bound == "earliest" else "latest",
        evidence.value,
        evidence.source,
        evidence.detail,
        evidence.post_index,
    )


def _newest_first(posts: Sequence[Post]) -> bool:
    stated = [p.published for p in posts if p.published]
    falling = sum(1 for a, b in pairwise(stated) if a > b)
    rising = sum(1 for a, b in pairwise(stated) if a < b)
    return falling >= rising  # blogs list newest first unless the dates say otherwise


def _tense(sentence: str) -> Tense:
    if FUTURE_CUES.search(sentence):
        return "future"
    if PAST_CUES.search(sentence):
        return "past"
    return "unknown"


def _interpret(kind: str, raw: str, base: date | None) -> tuple[date, date, Granularity] | None:
    if kind == "year":
        year = int(raw)
        return date(year, 1, 1), date(year, 12, 31), "year"
    if kind == "last":
        return _relative_period(raw.lower(), base) if base else None
    parts = PARTS.get(kind, [])
    parsed = _parse(" ".join(raw.split()), tuple(parts), base)
    if parsed is None:
        return None
    granularity = GRANULARITY.get(kind, "day")
    if granularity == "month":
        last = calendar.monthrange(parsed.year, parsed.month)[1]
        return parsed.replace(day=1), parsed.replace(day=last), "month"
    return parsed, parsed, "day"


@lru_cache(maxsize=65536)
def _parse(raw: str, parts: tuple[str, ...], base: date | None) -> date | None:
    settings: dict[str, object] = {"PREFER_DAY_OF_MONTH": "first", "PREFER_DATES_FROM": "past"}
    if parts:
        settings["REQUIRE_PARTS"] = list(parts)
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    cleaned = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", raw).replace("Sept.", "Sep.")
    result = dateparser.parse(cleaned, languages=["en"], settings=settings)
    return result.date() if result else None


def _relative_period(raw: str, base: date) -> tuple[date, date, Granularity] | None:
    which, unit = raw.split()
    step = {"last": -1, "this": 0, "next": 1}[which]
    if unit == "year":
        year = base.year + step
        return date(year, 1, 1), date(year, 12, 31), "year"
    if unit == "month":
        month_index = base.year * 12 + base.month - 1 + step
        year, month = divmod(month_index, 12)
        last = calendar.monthrange(year, month + 1)[1]
        return date(year, month + 1, 1), date(year, month + 1, last), "month"
    monday = base - timedelta(days=base.weekday()) + timedelta(weeks=step)
    return monday, monday + timedelta(days=6), "day"


def _shorten(text: str) -> str:
    clean = " ".join(text.split())
    return clean if len(clean) <= DETAIL_LENGTH else clean[: DETAIL_LENGTH - 1] + "…"
