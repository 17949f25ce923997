"""Split an archive page into posts and give every line its role.

The method, in the order the code runs it:

1. **Lines.** Every non-empty line becomes a paragraph with a *kind* judged
   from the line alone (``_features.classify``) and a preface score
   (``_preface.preface_score``).  The page's own heading ("Archive for the 'X'
   Category", "Posts Tagged 'Y'") is taken off the top.
2. **Where dates go.** Pages put the post's date above the headline or below
   it; the page votes (``date_position``), so that on an above-the-headline
   page every date line opens a post, untitled notes included.
3. **Walk.** A state machine reads the paragraphs in order (``_Walker``).  A
   post opens at the page start, after a post's end (footers such as "Posted
   on ... | 3 Comments", an end-of-piece biography, footnotes), at a date line
   on an above-the-headline page, or at a title-like line that reads as a
   headline in context: followed by header material (a date, byline, caption,
   standfirst, biography) or preceded by a preface.  A preface is the run of
   paragraphs just before a headline that talk about re-publishing; when a
   headline is found mid-body the run is moved from the previous post to the
   new one.
4. **Tidy each post** (``_tidy.finish_post``): interviews (several question lines
   alternating with answers) get their questions as headings; a line repeated
   in another case, or a caption repeated as alt text, takes the role of the
   line it repeats; a line that continues the previous one without a blank
   line between takes its role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from byline.model import Block, Role
from byline.recover._features import (
    POSTED_BY,
    Kind,
    Para,
    classify,
    collect_names,
    footnote_like,
    make_paras,
    page_title,
    refine_in_context,
    sentences,
)
from byline.recover._page import ArchiveKind, RecoveredPage
from byline.recover._preface import STRONG, WEAK, preface_score
from byline.recover._tidy import finish_post, harmonise_outlets

State = Literal["start", "pre", "header", "body", "end"]
DatePosition = Literal["above", "below", "after"]

KIND_ROLE: dict[Kind, Role] = {
    "title": "heading",
    "text": "body",
    "date": "meta",
    "footer": "meta",
    "byline": "meta",
    "caption": "caption",
    "image": "image",
    "bio": "bio",
    "footnote": "footnote",
    "bullet": "body",
}
HEADER_KINDS: frozenset[Kind] = frozenset({"date", "byline", "caption", "image", "bio", "footer"})
DEK_FOLLOWERS: frozenset[Kind] = frozenset({"date", "byline", "caption", "image", "bio"})
BODY_ROLES: frozenset[Role] = frozenset({"body", "caption", "image", "bio", "heading"})
END_KINDS: frozenset[Kind] = frozenset({"footer", "bio", "footnote"})

MAX_PREFACE_RUN = 4  # paragraphs a preface may span before its headline
MAX_LEAD_IN = 6  # paragraphs scanned ahead for the headline a preface introduces
MAX_STANDFIRST_WORDS = 50
MAX_SHORT_STANDFIRST_WORDS = 35  # a dek followed by a heading is one short sentence
MAX_TERSE_WORDS = 25  # ... or two very short ones
MIN_DEK_WORDS = 12  # a title-like line this long under a preface is a dek, not a section title
HEADLINE_EVIDENCE = 2  # evidence needed to read a title-like line mid-body as a headline


@dataclass
class _Post:
    items: list[tuple[Para, Role]] = field(default_factory=list)

    def roles(self) -> list[Role]:
        return [role for _, role in self.items]

    def has(self, *roles: Role) -> bool:
        return any(role in roles for _, role in self.items)


def segment_page(text: str, path: str = "<text>", sha256: str = "") -> RecoveredPage:
    paras = make_paras(text.splitlines())
    title_para: Para | None = None
    kind: ArchiveKind | None = None
    name: str | None = None
    if paras:
        declared = page_title(paras[0].clean)
        if declared:
            title_para = paras[0]
            kind, name = declared  # type: ignore[assignment]
            paras = paras[1:]
            for position, para in enumerate(paras):
                para.index = position
    names = collect_names(paras)
    masthead: list[Para] = []
    for para in paras:
        para.kind = classify(para, names)
    refine_in_context(paras)
    for para in paras:
        para.preface_score = preface_score(para.clean) if para.kind == "text" else 0.0
    dates = date_position(paras)
    if title_para is None:
        masthead = _masthead(paras) if dates == "above" else _name_and_tagline(paras)
        masthead = masthead or _label_heading(paras)
        paras = paras[len(masthead) :]
        for position, para in enumerate(paras):
            para.index = position
    walker = _Walker(paras, dates)
    raw_posts = [p for p in walker.run() if p.items]
    posts = [finish_post(p.items, kind, name) for p in raw_posts]
    harmonise_outlets(posts, name if kind == "category" else None)
    heading = [title_para] if title_para else masthead
    page_blocks = [Block("page_title", p.text, p.line) for p in heading]
    return RecoveredPage(
        path=path,
        sha256=sha256,
        title=title_para.clean if title_para else None,
        kind=kind,
        name=name,
        posts=posts,
        page_blocks=page_blocks,
    )


MAX_MASTHEAD_LINES = 2  # a blog's name and its tagline


def _masthead(paras: list[Para]) -> list[Para]:
    """On a page whose posts open with a date, title lines before the first date are the
    blog's own name and tagline, not a post."""
    for n, para in enumerate(paras[: MAX_MASTHEAD_LINES + 1]):
        if para.kind == "date":
            head = paras[:n]
            return head if all(p.kind in ("title", "text") and p.words <= 20 for p in head) else []
    return []


def _label_heading(paras: list[Para]) -> list[Para]:
    """A section page whose name labels every post card: its first lines, up to the
    first card's label, are the page's own heading."""
    if not paras or "label" not in paras[0].flags:
        return []
    for n, para in enumerate(paras[1 : MAX_MASTHEAD_LINES + 2], start=1):
        if para.clean == paras[0].clean:
            return paras[:n]
    return []


def _name_and_tagline(paras: list[Para]) -> list[Para]:
    """A home page's top: the blog's name with its tagline on the next line, then a
    headline after a blank line."""
    if len(paras) < 3:
        return []
    name, tagline, first = paras[:3]
    joined = not tagline.blank_before and tagline.line == name.line + 1
    if joined and tagline.blank_after and name.kind == tagline.kind == first.kind == "title":
        return [name, tagline]
    return []


def date_position(paras: list[Para]) -> DatePosition:
    """Whether this page writes a post's date above its headline, below it, or after the post.

    The first date decides when it is telling: at the very top of the page a date
    heads posts; after a post's running text it closes them.  Otherwise the date
    lines vote by what stands just before and after them.
    """
    dates = [i for i, para in enumerate(paras) if para.kind == "date"]
    if not dates:
        return "below"
    lead = paras[: dates[0]]
    under_title = [i for i in dates if (p := _previous_content(paras, i)) and p.kind == "title"]
    if 2 * len(under_title) < len(dates):
        if len(lead) <= MAX_MASTHEAD_LINES and all(p.kind == "title" for p in lead):
            return "above"
        if lead and lead[-1].kind in ("text", "bullet", "footer"):
            return "after"
    above = below = 0
    for i, para in enumerate(paras):
        if para.kind != "date":
            continue
        before = _previous_content(paras, i)
        after = paras[i + 1] if i + 1 < len(paras) else None
        if before is not None and before.kind == "title":
            below += 1
        elif (
            (
                after is not None
                and after.kind == "title"
                and (before is None or before.kind in END_KINDS or before.kind == "text")
            )
            or before is None
            or before.kind in END_KINDS
        ):
            above += 1
    return "above" if above > below else "below"


def _previous_content(paras: list[Para], i: int) -> Para | None:
    """The nearest earlier paragraph that is not a byline or another date."""
    j = i - 1
    while j >= 0 and paras[j].kind in ("byline", "date"):
        j -= 1
    return paras[j] if j >= 0 else None


class _Walker:
    """Reads the paragraphs in order and opens, fills and closes posts."""

    def __init__(self, paras: list[Para], dates: DatePosition) -> None:
        self.paras = paras
        self.dates = dates
        self.posts: list[_Post] = []
        self.state: State = "start"
        self.header_from = 0  # where the current post's items after its headline begin

    @property
    def post(self) -> _Post:
        if not self.posts:
            self.posts.append(_Post())
        return self.posts[-1]

    def open_post(self) -> _Post:
        self.posts.append(_Post())
        return self.posts[-1]

    def open_with_date(self, i: int) -> int:
        self.open_post()
        self.add(self.paras[i], "meta")
        self.state = "pre"
        return i + 1

    def add(self, para: Para, role: Role) -> None:
        self.post.items.append((para, role))

    def run(self) -> list[_Post]:
        i = 0
        while i < len(self.paras):
            i = self.step(i)
        return self.posts

    # -- one paragraph -------------------------------------------------------------

    def step(self, i: int) -> int:
        para = self.paras[i]
        if "continuation" in para.flags and self.posts and self.post.items:
            self.add(para, self.post.items[-1][1])  # the rest of the line before
            return i + 1
        if self.state in ("start", "end"):
            return self.between_posts(i)
        if self.state == "pre":
            return self.before_headline(i)
        if self.state == "header":
            return self.in_header(i)
        return self.in_body(i)

    def between_posts(self, i: int) -> int:
        para = self.paras[i]
        nxt = self.paras[i + 1] if i + 1 < len(self.paras) else None
        closing = (
            para.kind in END_KINDS
            or (para.kind == "date" and self.dates == "after")
            # "By Name on 3 March 2022." inside a platform's footer block
            or (para.kind in ("byline", "date") and nxt is not None and nxt.kind == "footer")
        )
        if self.state == "end" and closing:
            self.add(para, KIND_ROLE[para.kind])
            return i + 1
        if para.kind == "title":
            self.open_post()
            return self.headline(i)
        if para.kind == "date":
            return self.open_with_date(i)
        headline = self.headline_ahead(i, need_strong=self.state == "end")
        self.open_post()
        if headline is not None:
            return self.lead_in(i, headline)
        self.state = "body"
        return self.in_body(i)

    def before_headline(self, i: int) -> int:
        """After a date that opened a post: a headline, a preface, or an untitled note."""
        para = self.paras[i]
        if para.kind == "title":
            return self.headline(i)
        if para.kind in ("date", "byline", "image", "caption"):
            self.add(para, KIND_ROLE[para.kind])
            return i + 1
        if para.kind == "footer":
            self.add(para, "meta")
            self.state = "end"
            return i + 1
        headline = self.headline_ahead(i, need_strong=True)
        if headline is not None:
            return self.lead_in(i, headline)
        self.state = "body"
        return self.in_body(i)

    def in_header(self, i: int) -> int:
        """Between the headline and the first paragraph of the body."""
        para = self.paras[i]
        header = self.post.items[self.header_from :]
        if para.kind == "footer" and _is_terminal_footer(para) and not POSTED_BY.match(para.clean):
            self.add(para, "meta")
            self.state = "end"
            return i + 1
        seen = {role for _, role in header}
        if para.kind == "date" and self.dates == "above" and seen & BODY_ROLES:
            return self.open_with_date(i)  # on this page a date heads the next post
        if para.kind in HEADER_KINDS:
            self.add(para, KIND_ROLE[para.kind])
            return i + 1
        nothing_yet = not seen & {"caption", "bio", "body", "image", "heading"}
        if para.kind == "title" and nothing_yet and self.is_title_standfirst(i, seen):
            self.add(para, "standfirst")
            return i + 1
        if para.kind == "text":
            after_preface = bool(header) and header[-1][1] == "preface"
            if para.preface_score >= STRONG or (after_preface and para.preface_score >= WEAK):
                self.add(para, "preface")
                return i + 1
            if nothing_yet and "preface" not in seen and self.is_standfirst(i, not header):
                self.add(para, "standfirst")
                return i + 1
        self.state = "body"
        return self.in_body(i)

    def in_body(self, i: int) -> int:
        para = self.paras[i]
        if para.kind == "title":
            if self.headline_evidence(i) >= HEADLINE_EVIDENCE:
                moved = self.take_preface(i)
                self.open_post().items.extend(moved)
                return self.headline(i)
            self.add(para, "heading")
            return i + 1
        if para.kind == "date" and self.dates == "above":
            return self.open_with_date(i)
        if para.kind == "date" and self.dates == "after":
            self.add(para, "meta")  # "Posted March 14 2023 at 9:02 am" under the post
            self.state = "end"
            return i + 1
        if para.kind in ("footnote", "bio"):
            if not self.closes_post(i):
                self.add(para, "body")  # reads like a note or a bio, but the piece goes on
                return i + 1
            self.add(para, KIND_ROLE[para.kind])
            self.state = "end"
            return i + 1
        if para.kind == "footer":
            self.add(para, "meta")
            if _is_terminal_footer(para):
                self.state = "end"
            return i + 1
        if para.kind == "text" and para.preface_score >= STRONG and self.is_end_note(i):
            self.add(para, "preface")  # "This article was originally published on ..."
            return i + 1
        self.add(para, KIND_ROLE[para.kind])
        return i + 1

    def is_end_note(self, i: int) -> bool:
        """A re-publishing note after the body, with only footers or the page end after it."""
        nxt = self.paras[i + 1] if i + 1 < len(self.paras) else None
        return nxt is None or (nxt.kind == "footer" and _is_terminal_footer(nxt))

    def closes_post(self, i: int) -> bool:
        """Whether a footnote or bio line at ``i`` ends the piece rather than sits inside it.

        It does when nothing follows, when more end matter follows, or when what
        follows opens another post; a running paragraph after it means the line
        was part of the body after all.
        """
        if i + 1 >= len(self.paras):
            return True
        nxt = self.paras[i + 1]
        if nxt.kind in END_KINDS or nxt.kind in ("date", "byline", "image"):
            return True
        if footnote_like(nxt.clean) and self.paras[i].kind == "footnote":
            return True
        if nxt.kind == "title":
            return True
        if nxt.kind == "text":
            return self.headline_ahead(i + 1, need_strong=False) is not None
        return False

    # -- headlines and prefaces ------------------------------------------------------

    def headline(self, i: int) -> int:
        self.add(self.paras[i], "headline")
        self.header_from = len(self.post.items)
        self.state = "header"
        return i + 1

    def lead_in(self, i: int, headline: int) -> int:
        """Paragraphs ``i .. headline-1`` introduce the headline: prefaces and labels."""
        for para in self.paras[i:headline]:
            role: Role = "preface" if para.kind == "text" else KIND_ROLE[para.kind]
            if para.kind == "title":
                role = "meta"
            self.add(para, role)
        return self.headline(headline)

    def headline_ahead(self, i: int, need_strong: bool) -> int | None:
        """The headline that the paragraphs from ``i`` lead in to, if they are a preface."""
        strongest = 0.0
        for j in range(i, min(i + MAX_LEAD_IN, len(self.paras))):
            para = self.paras[j]
            if para.kind == "title" and j > i:
                if strongest >= STRONG or (not need_strong and strongest >= WEAK):
                    return j
                return None
            if para.kind == "text":
                strongest = max(strongest, para.preface_score)
            elif para.kind == "date" and self.dates != "below" and j > i:
                return None  # that date opens the next post, or closes this one
            elif para.kind not in ("image", "byline", "date"):
                return None
        return None

    def headline_evidence(self, i: int) -> float:
        """How strongly a title-like line in the middle of a post reads as the next headline."""
        para = self.paras[i]
        after = self.paras[i + 1 : i + 3]
        evidence = 0.0
        if after:
            nxt = after[0]
            if nxt.kind in ("byline", "bio") or (nxt.kind == "date" and self.dates == "below"):
                evidence += 2
            elif nxt.kind in ("caption", "image"):
                evidence += 1
            elif (nxt.kind == "text" and nxt.preface_score >= STRONG) or (
                nxt.kind in ("title", "text")
                and not nxt.is_question
                and len(after) > 1
                and after[1].kind in HEADER_KINDS
                and (nxt.kind == "title" or _is_short_dek(nxt))
            ):
                evidence += 2
        if self.preface_start(i) < i:
            evidence += 2
        if para.is_question:
            evidence -= 1
        if SECTION_NUMBER.match(para.clean) or sentences(para.clean) > 1:
            evidence -= 2  # "2.1 Methods" and two-sentence lines are inside a piece
        return evidence

    def preface_start(self, i: int) -> int:
        """Where the preface before the headline at ``i`` begins (``i`` when there is none).

        Walk back over labels (image names, bylines) and up to MAX_PREFACE_RUN text
        paragraphs; the preface begins at the earliest strong paragraph and extends
        further back over weaker blog talk.
        """
        post = self.post
        items = post.items
        k = len(items)
        while k > 0 and items[k - 1][0].kind in ("image", "byline"):
            k -= 1
        labels = [n for n in range(k, len(items)) if "label" in items[n][0].flags]
        start = None
        run = 0
        j = k
        while j > 0 and run < MAX_PREFACE_RUN and _is_body_text(items[j - 1]):
            j -= 1
            run += 1
            if items[j][0].preface_score >= STRONG:
                start = j
        if start is None:
            # a section label repeated on every post ("Streets") opens the next one
            return items[labels[0]][0].index if labels else i
        while start > 1 and _is_body_text(items[start - 1]):
            if items[start - 1][0].preface_score < WEAK:
                break
            start -= 1
        return items[start][0].index

    def take_preface(self, i: int) -> list[tuple[Para, Role]]:
        start = self.preface_start(i)
        if start >= i:
            return []
        items = self.post.items
        cut = next(n for n, (para, _) in enumerate(items) if para.index == start)
        moved = items[cut:]
        del items[cut:]
        return [(p, "preface" if p.kind == "text" else KIND_ROLE[p.kind]) for p, _ in moved]

    def is_title_standfirst(self, i: int, seen: set[Role]) -> bool:
        """A title-like line under the headline is its dek, not a first section heading.

        After a preface it is a dek only when more header material follows it.
        """
        para = self.paras[i]
        if para.is_question or para.clean.isupper() or "standfirst" in seen:
            return False
        if "preface" not in seen or para.words >= MIN_DEK_WORDS:
            return True
        nxt = self.paras[i + 1] if i + 1 < len(self.paras) else None
        return nxt is not None and nxt.kind in DEK_FOLLOWERS

    def is_standfirst(self, i: int, right_after_headline: bool) -> bool:
        """A dek: right under the headline, or one short sentence under the byline,
        followed by more header material rather than by running text."""
        para = self.paras[i]
        nxt = self.paras[i + 1] if i + 1 < len(self.paras) else None
        if nxt is None or para.words > MAX_STANDFIRST_WORDS:
            return False
        short = para.words <= MAX_TERSE_WORDS or (
            para.words <= MAX_SHORT_STANDFIRST_WORDS and sentences(para.clean) == 1
        )
        if nxt.kind in DEK_FOLLOWERS and not (nxt.kind == "date" and self.dates == "above"):
            return right_after_headline or short
        return nxt.kind == "title" and short


SECTION_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s|^\d{1,2}\.?\s+[A-Z]")


def _is_short_dek(para: Para) -> bool:
    return para.words <= MAX_SHORT_STANDFIRST_WORDS and sentences(para.clean) == 1


def _is_body_text(item: tuple[Para, Role]) -> bool:
    return item[0].kind == "text" and item[1] == "body"


READING_TIME = re.compile(r"^\d+\s*MIN(?:UTE)?S?\s+(?:READ|LISTEN)$")


def _is_terminal_footer(para: Para) -> bool:
    """Footers that close a post, unlike "COMMENTS: 44" under a newspaper headline or a
    "Read more: ..." link in the middle of a piece."""
    upper = para.clean.upper()
    if upper.startswith(("COMMENTS", "UPDATED", "PUBLISHED")) or READING_TIME.match(upper):
        return False
    return not re.match(r"^(?:READ MORE|RELATED|SEE ALSO|MORE FROM|RECOMMENDED)\s*:\s*\S", upper)
