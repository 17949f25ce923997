"""Step 4 of recovery: tidy each post once the walk has found it, then read its facts.

- *Interviews*: several question lines alternating with answers make the
  questions headings; elsewhere a rhetorical question paragraph is body.
- *Repeats*: a line repeated in Title Case, or a caption repeated as alt text,
  takes the role of the line it repeats.
- *Run-ons*: a line continuing the previous one without a blank line takes its role.
- *Footnote runs*: numbered lines beside footnotes are footnotes.
- *Facts*: the outlet (``_outlets``) and the piece's own publication date.
"""

from __future__ import annotations

import re
from datetime import date

from byline.model import Block, Outlet, Post, Role, fold
from byline.recover._dates import day_without_year, first_day
from byline.recover._features import Para, footnote_like, sentences
from byline.recover._outlets import infer_outlet, outlet_from_name
from byline.recover._page import ArchiveKind

Item = tuple[Para, Role]

MIN_QUESTIONS = 3  # question lines that make a post an interview
MIN_QUESTION_SHARE = 0.2  # ... and the share of its body lines they must be
INTERVIEW_CUE = ("interview", "q&a", "questions", "asked", "spoke to", "talked to")
MIN_CAPTION_OVERLAP = 0.4  # share of words two renderings of one caption have in common
MIN_REPEAT_CHARS = 40  # shorter lines repeat by chance, not by rendering artefact


def finish_post(items: list[Item], kind: ArchiveKind | None, name: str | None) -> Post:
    items = list(items)
    _mark_interview(items)
    _mark_repeats(items)
    _mark_continuations(items)
    _mark_footnote_runs(items)
    _mark_asterisk_notes(items)
    blocks = [Block(role, para.text, para.line) for para, role in items]
    post = Post(blocks=blocks)
    if kind == "category" and name:
        post.categories.append(name)
    elif kind == "tag" and name:
        post.tags.append(name)
    post.outlet = infer_outlet(post) or (outlet_from_name(name) if kind == "category" else None)
    post.published = published_date(items)
    return post


def _mark_interview(items: list[Item]) -> None:
    body = [n for n, (_, role) in enumerate(items) if role in ("body", "heading")]
    questions = [n for n in body if items[n][0].is_question]
    intro = " ".join(p.clean.lower() for p, r in items if r in ("preface", "headline", "meta"))
    many = len(questions) >= max(MIN_QUESTIONS, MIN_QUESTION_SHARE * len(body))
    cued = len(questions) >= 2 and any(cue in intro for cue in INTERVIEW_CUE)
    interview = many or cued
    for n in questions:
        para, role = items[n]
        if interview and n + 1 < len(items) and items[n + 1][1] == "body":
            items[n] = (para, "heading")
        elif not interview and role == "heading" and sentences(para.clean) > 1:
            items[n] = (para, "body")  # a rhetorical question paragraph, not a section title


def _mark_repeats(items: list[Item]) -> None:
    for n, (para, role) in enumerate(items):
        for m in (n - 1, n + 1):
            if not 0 <= m < len(items):
                continue
            other, other_role = items[m]
            if other_role == "caption" and role != "caption" and _same_opening(para, other):
                items[n] = (para, "caption")
                break
            if len(para.clean) >= MIN_REPEAT_CHARS and _is_case_copy(para, other):
                items[n] = (para, other_role)
                break


def _same_opening(a: Para, b: Para, words: int = 2) -> bool:
    """Two captions of one photo: the same opening words and mostly the same words."""
    wa, wb = fold(a.clean).split(), fold(b.clean).split()
    if len(wa) < words or wa[:words] != wb[:words]:
        return False
    overlap = len(set(wa) & set(wb)) / len(set(wa) | set(wb))
    return overlap >= MIN_CAPTION_OVERLAP


def _is_case_copy(copy: Para, original: Para) -> bool:
    """``copy`` repeats ``original`` in Title Case (a rendering artefact)."""
    a, b = fold(copy.clean), fold(original.clean)
    if a != b and not (a.startswith(b[:80]) and b.startswith(a[:80])):
        return False
    capitalised = sum(1 for w in copy.clean.split() if w[:1].isupper())
    return capitalised > 0.8 * copy.words and copy.clean != original.clean


def _mark_continuations(items: list[Item]) -> None:
    for n in range(1, len(items)):
        para, _ = items[n]
        prev, prev_role = items[n - 1]
        first = para.clean[:1]
        runs_on = not para.blank_before and prev.line == para.line - 1
        if para.kind in ("text", "title") and runs_on and (first.islower() or first == "("):
            items[n] = (para, prev_role)


def _mark_footnote_runs(items: list[Item]) -> None:
    """Numbered lines beside a footnote are footnotes too, even without a citation."""
    for n, (para, role) in enumerate(items):
        if role == "footnote":
            continue
        neighbours = [items[m][1] for m in (n - 1, n + 1) if 0 <= m < len(items)]
        if "footnote" in neighbours and footnote_like(para.clean) and role == "body":
            items[n] = (para, "footnote")


ASTERISK_NOTE = re.compile(r"^\*\s*[A-Z(“\"‘']")


def _mark_asterisk_notes(items: list[Item]) -> None:
    """A lone "* ..." line after the last paragraph is a note, not a one-item list."""
    body_lines = [n for n, (_, role) in enumerate(items) if role in ("body", "heading")]
    if not body_lines:
        return
    last = body_lines[-1]
    para = items[last][0]
    previous = items[last - 1][0].clean if last > 0 else ""
    if ASTERISK_NOTE.match(para.clean) and not previous.startswith("*") and last > 0:
        items[last] = (para, "footnote")


def harmonise_outlets(posts: list[Post], category: str | None) -> None:
    """Outlets as one page names them: "the Monitor" is the Christian Science Monitor a
    neighbouring post named in full, and on a category page named after an outlet some
    post ran in, the posts that name none ran there too."""
    named = {fold(p.outlet.name): p.outlet for p in posts if p.outlet is not None}
    for post in posts:
        if post.outlet is None or post.outlet.aliases:
            continue
        short = fold(post.outlet.name)
        fuller = [o for key, o in named.items() if key != short and short in key.split()]
        if len(fuller) == 1:
            post.outlet = fuller[0]
    if category is None:
        return
    same = [p.outlet for p in posts if p.outlet is not None and _names(p.outlet, category)]
    if same:
        for post in posts:
            if post.outlet is None:
                post.outlet = same[0]


def _names(outlet: Outlet, name: str) -> bool:
    spellings = {fold(s) for s in (outlet.name, *outlet.aliases)}
    return fold(name) in spellings or fold(name).removeprefix("the ") in spellings


def published_date(items: list[Item]) -> date | None:
    """The piece's own date where the page states it.

    The order of trust: a date in the preface ("first ran in X on 2 March
    2023"), a byline or "PUBLISHED :" stamp, a date line in the header, then
    the blog's own "Posted on" footer.  Month-only dates give none.
    """
    prefaces = [p for p, role in items if role == "preface"]
    metas = [p for p, role in items if role == "meta"]
    stamped = [p for p in metas if p.kind == "byline" or p.clean.upper().startswith("PUBLISHED")]
    # a date under the headline is the piece's; one above it is the blog post's
    heads = [p.line for p, role in items if role == "headline"]
    under = [p for p in metas if p.kind == "date" and heads and p.line > heads[0]]
    over = [p for p in metas if p.kind == "date" and p not in under]
    footers = [p for p in metas if p.kind == "footer"]
    found = _first_day_in(prefaces, stamped, under)
    if found is not None:
        return found
    blog_date = _first_day_in(over, footers)
    if blog_date is not None:
        for para in prefaces:  # "printed on Saturday 13 April": the year from the post's date
            day = day_without_year(para.clean, blog_date)
            if day is not None:
                return day
    return blog_date


def _first_day_in(*groups: list[Para]) -> date | None:
    for group in groups:
        for para in group:
            day = first_day(para.clean)
            if day is not None:
                return day
    return None
