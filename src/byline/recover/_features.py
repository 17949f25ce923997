"""What a single paragraph looks like, on its own: the first step of recovery.

Each non-empty line of a page becomes a :class:`Para` with a *kind*, a guess
made from the line alone (a date, a footer, a caption, a title-like line, a
sentence paragraph ...).  The segmenter then decides the final roles from the
kinds in context.  Every heuristic is a named constant or pattern here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from byline.recover._dates import ANY_DATE, is_date_line
from byline.recover._preface import STRONG, preface_score

Kind = Literal[
    "title",  # short, no closing full stop: headline, standfirst, heading or label
    "text",  # a sentence paragraph
    "date",  # a date on its own line, with or without a time or "Posted"
    "footer",  # share/like/comment/continue-reading residue, "Posted on ... by ..."
    "byline",  # "By Name", "Author: ...", "Name, Outlet, date", a known author's name
    "caption",  # a photo caption with a credit
    "image",  # a file name or screenshot label left behind by an image
    "bio",  # "Name is a fellow at ...", "The writer is ..."
    "footnote",  # "12 'Title,' site.com, 2020.", "[3] ..."
    "bullet",  # a list item
]

MAX_TITLE_WORDS = 22  # longer lines read as running text, not titles
MAX_TITLE_CHARS = 170
MAX_BIO_WORDS = 70  # a biography is a line or two, never a long paragraph
MAX_BYLINE_WORDS = 14
MAX_STAMP_WORDS = 40  # a piped newspaper stamp: byline, paper, published, updated
MAX_NAME_TOKENS = 4

TERMINAL_STOP = re.compile(r"[.;,:…]['’\"”)\]]*$")
SENTENCE_END = re.compile(r"[.!?…]['’\"”)\]]*$")

QUOTED = r"['‘’\"“”](?P<name>.+?)['‘’\"“”]"
MONTH_NAMES = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
)
PAGE_TITLE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.I), kind)
    for p, kind in (
        (rf"^Archive for the\s+{QUOTED}\s+Category$", "category"),
        (rf"^Archive for the\s+{QUOTED}\s+Tag$", "tag"),
        (rf"^Posts Tagged\s+{QUOTED}$", "tag"),
        (rf"^Archive for\s+(?P<name>(?:{MONTH_NAMES}).*\d{{4}})$", "date"),
        (r"^(?:Category|Category Archives?|Filed under|Section)\s*:\s*(?P<name>.+)$", "category"),
        (r"^(?:Tag|Tags|Tag Archives?|Tagged|Topic|Topic Archives?)\s*:\s*(?P<name>.+)$", "tag"),
        (r"^(?:Author|Author Archives?|Posts by|All posts by)\s*:?\s*(?P<name>.+)$", "author"),
        (r"^(?:Monthly|Yearly|Daily) Archives?\s*:\s*(?P<name>.+)$", "date"),
        (r"^Showing posts with label\s+(?P<name>.+?)\.?\s+Show all posts\.?$", "tag"),
        (
            r"^(?:Browsing|You are browsing the archive for|Posts in|Articles in)\s+"
            r"(?:category\s*:?\s*)?(?P<name>.+?)\.?$",
            "category",
        ),
        (
            rf"^(?:Month|Year|Day|Archives? for)\s*:\s*(?P<name>(?:{MONTH_NAMES}|\d).*\d{{4}})$",
            "date",
        ),
        (r"^(?:Articles|Posts|Stories|Columns|Writing|Essays)\s*:\s*(?P<name>.+)$", "category"),
        (r"^(?P<name>.+?)\s+Archives?$", "category"),
    )
]

FOOTER_PATTERNS = [
    re.compile(p, re.I)
    for p in (
        r"^(?:continue reading|read more|read the rest|read on|keep reading|more\.\.\.)\b.{0,40}$",
        r"^(?:share(?: this(?: post| article| story| page)?)?|like this|like loading\.*|"
        r"related(?: posts| articles| stories| reading)?|print(?: this)?|email(?: this)?|"
        r"permalink)\s*[:.!…]*$",
        r"^(?:[←«‹]\s*)?(?:older|newer|previous|next)\s+(?:posts|entries|articles|page)"
        r"(?:\s*[→»›])?$",
        r"^[«‹←]\s*\S.{0,30}$",
        r"^page\s+\d+\s+of\s+\d+$",
        r"^read (?:it|the (?:full |whole )?(?:piece|article|column|story|interview)|more|on) "
        r"(?:here|there|at\b.{0,60}|on\b.{0,60})\.?$",
        r"^(?:twitter|facebook|linkedin|whatsapp|reddit|tumblr|pinterest|telegram|pocket|"
        r"tweet|mastodon|bluesky)$",
        r"^(?:\d+|no|one|two|three)\s+(?:comments?|responses?|replies|thoughts?)\b"
        r"(?:.{0,30}|\s+(?:to|on)\s+.{0,200})$",
        r"^click to (?:share|print|email)\b.{0,80}$",
        r"^about the authors?\s*:?$",
        r"^tagged(?: with)?\s*:.{0,200}$",
        r"^(?:leave a (?:comment|reply)|comments? (?:are )?(?:closed|off))\b.{0,30}$",
        r"^comments?\s*[:(]?\s*\d+\)?\s*$",
        r"^posted (?:in|under)\b.{0,200}$",
        r"^(?:filed|posted) under\b.{0,200}$",
        r"^(?:tags?|tagged|categories|category)\s*:.{0,200}$",
        r"^posted (?:on|at)?\s*.{0,60}\bby\b.{0,120}$",
        r"^.{0,80}\|\s*(?:\d+\s+comments?|leave a comment|no comments|one comment)\b.{0,40}$",
        r"^(?:edit|reply|report|subscribe|share|like|comment|save|listen|follow|"
        r"sign up|log in|back to top|top)$",
        r"^(?:labels?|topics?)\s*:.{0,200}$",
        r"^(?:email this|share to|blogthis|share on).{0,120}$",
        r"^(?:older|newer) (?:posts|entries)(?: home)?$",
        r"^home$",
        r"^a collection of \d+ (?:posts|articles|stories)$",
        r"^canonical link$",
        r"^exported from \w+ on\b.{0,40}$",
        r"^originally published at [\w.-]+\.[a-z]{2,}\b.{0,60}$",  # a platform's own footer
        r"^(?:©|\(c\)|copyright)\s*.{0,80}(?:reproduced|rights reserved|permission|licen[cs]e)"
        r".{0,80}$",
        r"^\d+\s*min(?:ute)?s?\s+(?:read|listen)$",
        r"^posted by\b.{0,80}$",
        r"^(?:read more|related|see also|more from|recommended)\s*:.{0,200}$",
        r"^read the (?:full|whole|rest of the) (?:post|article|story|piece|interview)\b.{0,20}$",
        r"^.{0,60}(?:»|→)$",
        r"^subscribe\b.{0,150}$",
        r"^already (?:a )?(?:paid )?(?:subscriber|member)\b.{0,40}$",
        r"^the views (?:expressed )?(?:here |in this \w+ )?(?:are|is)\b.{0,60}\bown\b.{0,40}$",
    )
]

BYLINE_PATTERNS = [
    re.compile(p)
    for p in (
        r"^(?:[Bb]y|BY)\s+[A-Z][\w'’.-]+(?:\s+[A-Za-z][\w'’.-]+){0,4}"
        r"(?:\s*(?:,|and|&|·|—|–|\|).*|\s+(?:on|at)\s+.{0,40}\d.{0,20})?$",
        r"^(?:Author|Authors|Words|Written by|Interview by|Interviewed by|Reporting by|"
        r"Text|Photos?|Edited by|Story by)\s*[:]?\s+\S.*$",
        r"^(?:PUBLISHED|UPDATED|Published|Updated|Last updated|First published)\s*:?\s+.*\d.*$",
        r"^(?:Essay|Chapter|Excerpt|Extract) from\s+\S.{0,80}$",
        r"^(?i:guest post|a guest post|words|photos?|text|interview|illustrations?)"
        r"\s+by\s+[A-Z].{0,60}$",
        r"^[—–-]\s*\S.{0,40}(?:\d{4}|[A-Z]\.)$",  # a signature: "— Å.K., 29 March 2018"
    )
]

# "Name, Outlet, 8 February 2024" / "Name, Professor of X, University of Y"
NAME_TOKEN = r"(?:[A-Z][^\W\d_]*(?:[’'\-][^\W\d_]+)*|[A-Z]\.)"  # "Mercado-Hale", "O’Neill", "J."
NAME = rf"{NAME_TOKEN}(?:\s+(?:{NAME_TOKEN}|de|da|van|von|der|del|la|le|bin|al-\w+)){{1,3}}"
NAME_WITH_ROLE = re.compile(rf"^{NAME}(?:\s*,\s*[^,.]{{2,60}}){{1,3}}$")
BARE_NAME = re.compile(rf"^{NAME}$")

BIO_VERBS = (
    r"is|was|are|has been|works|writes (?:about|for|on|regularly|widely)|teaches|leads|heads|"
    r"directs|runs|covers|served|"
    r"spent|joined|lectures|holds|chairs|edits|founded|co-founded|researches|studies"
)
BIO_SUBJECT = re.compile(
    rf"^(?:(?P<name>{NAME})(?:,\s+[^,]{{3,80}},)?|The (?:writer|author|columnist|interviewer)s?|"
    rf"(?:He|She|They))\s+(?:{BIO_VERBS})\b"
)
BIO_ROLE_WORDS = re.compile(
    r"\b(?:fellow|professor|lecturer|director|editor|analyst|researcher|journalist|writer|"
    r"author|correspondent|columnist|associate|chair|head|founder|co-founder|scientist|"
    r"economist|historian|reporter|student|candidate|adviser|advisor|consultant|member|"
    r"partner|manager|officer|ecologist|engineer|lawyer|doctor|physician|curator|"
    r"university|institute|school|centre|center|college|foundation|council|programme|"
    r"program|think[- ]tank|based in|principal|teaches|lives in|works (?:at|for|on)|"
    r"writes (?:about|for|on|a)|member of)\b",
    re.I,
)

CREDIT_TAIL = re.compile(
    r"(?:©|\(c\)\s|\bsource\s*:|\bfoto\s*:|\bcc[ -]by\b|\bphoto(?:graph)?s?\s*(?:by|:)|"
    r"\bcredit\s*:|\bpicture\s*:|\bimage\s*:|"
    r"\(photo\b|\bcourtesy of\b|\bgetty images\b|\bap photo\b)",
    re.I,
)
PAREN_CREDIT_TAIL = re.compile(r"\((?:[^()]*/[^()]*|Reuters|AFP|AP|EPA|Getty[^()]*|Xinhua)\)\.?$")

IMAGE_FILE = re.compile(
    r"^(?:[\w.()@*-]+\.(?:jpe?g|png|gif|webp|tiff?|svg|bmp|heic)|"
    r"(?=[\w.-]*[_\d])(?=(?:[\w.]*[-_]){2,})[\w.-]+|"
    r"[\w-]*_[\w.-]*|"
    r"[a-z0-9]+(?:-[a-z0-9]+){3,}(?:@\dx)?(?:\.\w{3,4})?)$",  # "uniform-survey-chart-final"
    re.I,
)
IMAGE_LABEL = re.compile(
    r"^(?:screen ?shot|screenshot|img|dsc|dscn|pxl|photo|image|untitled)[ _-]?[\d\s._:-]*"
    r"(?:at [\d.:\s]+(?:am|pm)?)?(?:\s*\(\d+\))?$",
    re.I,
)

FOOTNOTE_START = re.compile(
    r"^\s*(?:\[\d{1,3}\]|\(\d{1,3}\)|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\d{1,3}(?=\s*[“\"'‘A-Z])|\d{1,3}\.(?=\s+[A-Z]\.))"
)
# "1. Halloran N, Price D. Care home mortality ... 2020;12:4." needs a reference's marks
NUMBERED_REFERENCE = re.compile(
    r"^\s*\d{1,3}\.\s+[A-Z].*(?:\b(?:19|20)\d{2}(?:[–-]\d{2,4})?[a-z]?\s*[).;,:]|\bet al\b|"
    r"\bdoi\b|\bvol\.|\[(?:19|20)\d{2}\]|[‘“\"][^’”\"]{8,}[’”\"],|"
    r"\bpp?\.\s*\d|https?://)"
)
CITATION_CUE = re.compile(
    r"(?:\b(?:19|20)\d{2}\b|[“\"‘']|\bet al\b|\bibid\b|\bsee\b|\bp{1,2}\.\s*\d|"
    r"\b[\w-]+\.(?:com|org|net|gov|edu|info|news|uz|kz|kg|tj|ru|cn|uk)\b|https?://)",
    re.I,
)
NUMBERED_HEADING = re.compile(r"^\d{1,2}\.\s+\S")
BULLET = re.compile(
    r"^\s*(?:[•◦▪●·*]|[-–—](?=\s)|\d{1,2}\)|\(?[a-h]\)|[a-h]\.(?=\s)|(?:i{1,3}|iv|v|vi{1,3}|ix|x)[.)](?=\s))\s*\S"
)
TABLE_ROW = re.compile(r"^[^|]+(?:\s\|\s[^|]*){2,}$")  # "District | 2000 | 2010"
TABLE_OR_FIGURE = re.compile(r"^(?:Table|Figure|Fig\.|Chart|Map|Graph|Exhibit)\s*\d+[.:]\s+\S")


@dataclass
class Para:
    """One non-empty line of the page and what it looks like on its own."""

    index: int  # position among the page's non-empty lines
    line: int  # 1-based line number in the page
    text: str
    clean: str  # white space folded, for matching
    kind: Kind = "text"
    words: int = 0
    blank_before: bool = True
    blank_after: bool = True
    preface_score: float = 0.0
    flags: set[str] = field(default_factory=set)

    @property
    def is_question(self) -> bool:
        return self.clean.rstrip("’'\"”)").endswith("?")


def sentences(text: str) -> int:
    """How many sentences a paragraph has, counting stops followed by a capital."""
    return 1 + len(re.findall(r"[.!?][’”\"')]*\s+[A-Z“‘\"']", text))


EMPHASIS = re.compile(r"^[_*]{1,2}([^_*].*[^_*])[_*]{1,2}$")  # "_a dek in italics_"


def make_paras(lines: list[str]) -> list[Para]:
    paras: list[Para] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        clean = EMPHASIS.sub(r"\1", " ".join(raw.replace("\xa0", " ").split()))
        blank_before = number == 1 or not lines[number - 2].strip()
        blank_after = number == len(lines) or not lines[number].strip()
        paras.append(
            Para(
                index=len(paras),
                line=number,
                text=raw.rstrip("\r\n"),
                clean=clean,
                words=len(clean.split()),
                blank_before=blank_before,
                blank_after=blank_after,
            )
        )
    return paras


def page_title(text: str) -> tuple[str, str] | None:
    """The (kind, name) an archive page's own heading declares, if it is one."""
    clean = " ".join(text.split())
    if len(clean.split()) > 12:
        return None
    for pattern, kind in PAGE_TITLE_PATTERNS:
        match = pattern.match(clean)
        if match:
            return kind, match.group("name").strip(" '‘’\"“”")
    return None


def is_footer(clean: str) -> bool:
    return any(p.match(clean) for p in FOOTER_PATTERNS)


def is_image(clean: str) -> bool:
    if " " not in clean:
        return bool(IMAGE_FILE.match(clean)) and not clean.isdigit()
    return bool(IMAGE_LABEL.match(clean))


def is_caption(clean: str) -> bool:
    return bool(CREDIT_TAIL.search(clean) or PAREN_CREDIT_TAIL.search(clean))


def bio_name(clean: str, known_names: frozenset[str] = frozenset()) -> str | None:
    """The person a biography line is about, or '' for "The writer is ..."; None if no bio.

    A line about a person the page names as an author needs no role word."""
    if clean.endswith("?") or clean.count(". ") > 3:
        return None
    match = BIO_SUBJECT.match(clean)
    if not match:
        return None
    if not BIO_ROLE_WORDS.search(clean) and match.group("name") not in known_names:
        return None
    if len(clean.split()) > MAX_BIO_WORDS:
        return None
    return match.group("name") or ""


SIGNATURE = re.compile(r"^[—–-]\s*\S.{0,40}\b(?:19|20)\d{2}$")  # "— Å.K., 29 March 2018"
PIPED_STAMP = re.compile(
    rf"^(?:[Bb]y\s|BY\s).{{0,200}}\|.*$|^.{{0,200}}\|.*(?i:published|updated)|"
    rf"^{NAME}\s*\|\s*[A-Z][^|\d]*(?:\|[^|]*)?$"  # "Name | Outlet | date", not a table row
)
NAME_LIST = re.compile(
    rf"^(?!The\s){NAME}(?:\s*,\s*{NAME})*\s*(?:and|&)\s*{NAME}(?:,\s*[^,.]{{2,60}})?$"
)  # co-authors: "Ann Lee and Bo Ray, University of X"


def is_byline(clean: str, known_names: set[str]) -> bool:
    if PIPED_STAMP.match(clean) and len(clean.split()) <= MAX_STAMP_WORDS:
        return True  # "By NAME | Paper | Published: 12 May 2022 | Updated: ..."
    if clean.lower().startswith("by ") and clean.endswith(".") and ANY_DATE.search(clean):
        clean = clean[:-1]  # "By Name on March 3, 2022."
    too_long = len(clean.split()) > MAX_BYLINE_WORDS
    if (too_long or clean.endswith(".")) and not clean.lower().startswith(("published", "updated")):
        return False
    if any(p.match(clean) for p in BYLINE_PATTERNS):
        return True
    if clean in known_names or NAME_LIST.match(clean):
        return True
    match = NAME_WITH_ROLE.match(clean)
    if match:
        name = clean.split(",")[0].strip()
        rest = clean[len(name) :]
        return (
            name in known_names or bool(ANY_DATE.search(rest)) or bool(BIO_ROLE_WORDS.search(rest))
        )
    return False


NOTE_MARKER = re.compile(r"(?<=[.!?”\"’)])\s*(?:\[\d{1,3}\]|\d{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)$")


def is_title_like(clean: str) -> bool:
    clean = NOTE_MARKER.sub("", clean)  # "... off.2": a note marker after the full stop
    words = clean.split()
    if not words or len(words) > MAX_TITLE_WORDS or len(clean) > MAX_TITLE_CHARS:
        return False
    if TERMINAL_STOP.search(clean):
        return False
    first = clean.lstrip("'‘’\"“”([")[:1]
    return first.isupper() or first.isdigit()


def footnote_like(clean: str) -> bool:
    if NUMBERED_HEADING.match(clean) and is_title_like(clean):
        return False  # "1. Energy passed through faster": a numbered heading
    return bool(FOOTNOTE_START.match(clean))


def classify(para: Para, known_names: set[str]) -> Kind:
    """The kind a line has on its own, most specific test first."""
    clean = para.clean
    if is_footer(clean):
        return "footer"
    if is_date_line(clean):
        return "date"
    if SIGNATURE.match(clean):
        return "byline"
    if BULLET.match(clean):
        return "bullet"
    if is_image(clean):
        return "image"
    if bio_name(clean, frozenset(known_names)) is not None:
        return "bio"
    if is_caption(clean) or TABLE_OR_FIGURE.match(clean):
        return "caption"
    if is_byline(clean, known_names):
        return "byline"
    if (footnote_like(clean) and CITATION_CUE.search(clean)) or NUMBERED_REFERENCE.match(clean):
        return "footnote"
    if TABLE_ROW.match(clean) and not clean.lower().startswith(("by ", "posted")):
        return "text"  # a table row: running content, never a title
    if is_title_like(clean):
        return "title"
    return "text"


MAX_IMAGE_CAPTION_WORDS = 20  # a caption under an image name is short
MAX_STOPPED_TITLE_WORDS = 12  # a headline some blogs end with a full stop
MIN_LIST_RUN = 3
MAX_LABEL_WORDS = 4
MIN_LABEL_REPEATS = 3  # adjacent title-like lines that make a list, not a headline cluster


def refine_in_context(paras: list[Para]) -> None:
    """Second looks that need neighbours: author names, list runs, lone end notes."""
    counts: dict[str, int] = {}
    for para in paras:
        counts[para.clean] = counts.get(para.clean, 0) + 1
    for n, para in enumerate(paras):
        nxt = paras[n + 1] if n + 1 < len(paras) else None
        prev = paras[n - 1] if n > 0 else None
        if nxt is not None and continues(nxt, para):
            nxt.flags.add("continuation")
            if para.kind == "title":
                para.kind = "text"  # a sentence cut by a line break, not a title
        if (
            para.kind == "text"
            and nxt is not None
            and _bylined(paras, n + 1)
            and _opens_post_after(prev)
            and para.words <= MAX_STOPPED_TITLE_WORDS
            and sentences(para.clean) == 1
            and para.clean.endswith(".")
            and preface_score(para.clean) < STRONG
        ):
            para.kind = "title"  # "Why the port deal collapsed." over its byline
        if (
            prev is not None
            and prev.kind == "image"
            and para.kind == "text"
            and para.words <= MAX_IMAGE_CAPTION_WORDS
        ):
            para.kind = "caption"  # the line under an image's file name is its caption
        if para.kind == "title" and BARE_NAME.match(para.clean):
            stamped = nxt is not None and nxt.kind in ("date", "byline", "footer")
            under_title = n > 0 and not para.blank_before and paras[n - 1].kind == "title"
            if stamped or under_title or counts[para.clean] > 1:
                para.kind = "byline"  # an author's name above a date, or on every post
        if (
            para.kind == "title"
            and para.words <= MAX_LABEL_WORDS
            and counts[para.clean] >= MIN_LABEL_REPEATS
        ):
            para.kind = "byline"  # a section label over every post card ("Streets")
            para.flags.add("label")
    for run in _adjacent_runs(paras):
        for items in _list_like_runs(run):
            for para in items:
                para.kind = "bullet"


POSTED_BY = re.compile(r"^posted\b.{0,60}\bby\s+[A-Z]", re.IGNORECASE)


def _opens_post_after(prev: Para | None) -> bool:
    """Whether a post could begin right after ``prev``: the page start, a post's end
    matter, a date, or a preface."""
    if prev is None or prev.kind in ("footer", "bio", "footnote", "date", "byline", "image"):
        return True
    return prev.kind == "text" and preface_score(prev.clean) >= STRONG


def _bylined(paras: list[Para], n: int) -> bool:
    """A byline stands at ``n``, or just after a one-line dek there."""
    for para in paras[n : n + 2]:
        stamp = para.kind == "footer" and POSTED_BY.match(para.clean) and "|" not in para.clean
        if para.kind == "byline" or stamp:
            return True
        if para.kind != "title":
            return False
    return False


def continues(para: Para, prev: Para) -> bool:
    """``para`` carries on ``prev``'s sentence after a line break: it opens in lower case
    and ``prev`` stops without closing its sentence."""
    first = para.clean[:1]
    if not first.islower() or para.kind not in ("text", "title") or BULLET.match(para.clean):
        return False
    if prev.kind not in ("text", "title", "bio", "caption", "preface"):
        return False
    return not SENTENCE_END.search(prev.clean) and not prev.clean.endswith(":")


def _list_like_runs(run: list[Para]) -> list[list[Para]]:
    """Stretches of adjacent title-like lines that read as a list: numbered in order,
    or at least MIN_LIST_RUN lines opening with the same shape ("Sat 8 Oct – ...")."""
    found: list[list[Para]] = []
    current: list[Para] = []
    for para in [*run, None]:
        if (
            para is not None
            and para.kind == "title"
            and (not current or _opening_shape(para.clean) == _opening_shape(current[0].clean))
        ):
            current.append(para)
            continue
        numbered = [p for p in current if re.match(r"^\d{1,2}[.)]\s", p.clean)]
        if len(current) >= MIN_LIST_RUN or len(numbered) >= 2:
            found.append(current)
        current = [para] if para is not None and para.kind == "title" else []
    return found


def _opening_shape(text: str) -> str:
    """The shape of a line's first two words: "Sat 8 Oct" and "Tue 13 Dec" share "Aa 9"."""
    words = " ".join(text.split()[:2])
    shape = "".join(
        "9" if c.isdigit() else "A" if c.isupper() else "a" if c.isalpha() else c for c in words
    )
    return re.sub(r"(.)\1+", r"\1", shape)


def _adjacent_runs(paras: list[Para]) -> list[list[Para]]:
    """Groups of lines with no blank line between them."""
    runs: list[list[Para]] = []
    for para in paras:
        if runs and not para.blank_before and runs[-1][-1].line == para.line - 1:
            runs[-1].append(para)
        else:
            runs.append([para])
    return [run for run in runs if len(run) > 1]


def collect_names(paras: list[Para]) -> set[str]:
    """Author names the page itself gives, from bios and bylines, to spot bare-name lines."""
    names: set[str] = set()
    by_name = re.compile(rf"\b(?:[Bb]y|Author:)\s+(?P<name>{NAME})")
    for para in paras:
        name = bio_name(para.clean)
        if name:
            names.add(name)
        if any(p.match(para.clean) for p in BYLINE_PATTERNS):
            names.update(m.group("name") for m in by_name.finditer(para.clean))
        piped = re.match(rf"^(?P<name>{NAME})\s*\|", para.clean)
        if piped:
            names.add(piped.group("name"))
    return {n for n in names if 2 <= len(n.split()) <= MAX_NAME_TOKENS}
