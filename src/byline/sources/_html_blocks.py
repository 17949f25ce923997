"""HTML bodies into byline's blocks: sanitise, then read each paragraph's role.

Every structured reader (WordPress, feeds, Markdown, saved pages) ends here:

1. WordPress conventions are rewritten as plain HTML (``prepare_wordpress``):
   ``[caption]`` shortcodes become ``<figure>``, footnote shortcodes become a
   footnote list, paragraphs separated by blank lines get their ``<p>``.
2. The HTML is sanitised with nh3 (no scripts, event handlers, ``javascript:``
   URLs or frames); what byline keeps is always the sanitised HTML.
3. The sanitised HTML is walked into chunks: paragraphs, headings, list items
   (with a list marker), captions, image alt texts, footnotes, separators.
4. Footnotes are found (a footnote list, numbered notes after the last rule or
   under a "Notes" heading) and a preface (the writer's note before the piece)
   is marked when it reads like one.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import nh3
from lxml import html as lxml_html

from byline.model import Block, Role
from byline.recover._preface import STRONG, WEAK, preface_score

MORE_MARK = "[[byline-more]]"  # stands in for <!--more-->, which sanitising drops
MORE_TAG = re.compile(r"<!--\s*more\b[^>]*-->", re.IGNORECASE)
NEXTPAGE_TAG = re.compile(r"<!--\s*nextpage\s*-->", re.IGNORECASE)

GENERIC_ATTRIBUTES = {"class", "id", "title", "lang", "dir"}  # footnotes and captions need these
DROP_WITH_CONTENT = {
    "script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math",
    "textarea", "select", "button", "frameset", "frame", "applet",
}  # fmt: skip
_CLEANER: Any = None

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
PARAGRAPHS = frozenset({"p", "dt", "dd", "summary", "address", "caption", "figcaption"})
CONTAINERS = frozenset(
    {"div", "section", "article", "main", "header", "footer", "aside", "nav", "center",
     "details", "hgroup", "body", "html", "dl", "picture"}
)  # fmt: skip
BLOCK_TAGS = HEADINGS | PARAGRAPHS | CONTAINERS | {
    "ul", "ol", "li", "blockquote", "figure", "table", "pre", "hr",
}  # fmt: skip
ITALIC_TAGS = frozenset({"em", "i", "cite"})
ITALIC_SHARE = 0.9  # a paragraph this much in italics reads as set apart (a preface, a caption)

FOOTNOTE_CLASS = re.compile(r"(?:^|[\s_-])(?:foot|end)notes?(?:$|[\s_-])|easy-footnote", re.I)
BACKREF_CLASS = re.compile(r"backref|back-ref|to-top|footnote-back|reversefootnote", re.I)
BACKREF_TEXTS = frozenset({"↩", "↩︎", "^", "↑", "⤴", "back", "return", "[return]", "top"})
# Paragraph classes that say a role outright (outlets' markup, and byline's own exports).
ROLE_CLASSES = (
    ("standfirst", re.compile(
        r"(?:^|\s)(?:standfirst|dek|deck|subtitle|sub-?headline|strapline|article__dek|"
        r"article-dek|summary-standfirst)(?:\s|$)", re.I)),
    ("bio", re.compile(
        r"(?:^|\s)(?:bio|author-bio|author-description|about-author|contributor-bio|"
        r"author__bio)(?:\s|$)", re.I)),
    ("meta", re.compile(r"(?:^|\s)(?:meta|byline-meta|dateline)(?:\s|$)", re.I)),
)  # fmt: skip
CAPTION_CLASS = re.compile(r"(?:^|\s)wp-caption-text(?:\s|$)|(?:^|\s)caption(?:\s|$)", re.I)
FIGURE_CLASS = re.compile(r"(?:^|\s)wp-caption(?:\s|$)", re.I)
NOTE_HEADINGS = frozenset({"notes", "footnotes", "endnotes", "references", "note"})
NUMBERED = re.compile(r"^\s*(?:\[\d{1,3}\]|\d{1,3}[.)]?)\s+\S")
LEADING_NUMBER = re.compile(r"^\s*\[?\d{1,3}[\].)]?\s")

TAG_OR_ENTITY = re.compile(r"<[A-Za-z/!][^<>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")
BLOCK_BOUNDARY = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|blockquote|figure|figcaption|hr|pre)\b", re.I
)
MAX_PREFACE_PARAGRAPHS = 3  # a preface is a note, not the piece: longer runs are body
MIN_BODY_AFTER_BARE_PREFACE = 2  # an unmarked first paragraph needs a piece after it
MAX_CAPTION_WORDS = 60  # an italic line under an image longer than this is body
LIST_BULLETS = ("•", "◦", "▪")  # by nesting depth; model.LIST_MARKER reads them back

# WordPress content conventions.
BLOCK_START = re.compile(
    r"^\s*(?:<(?:p|div|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|figure|table|thead|tbody|tr|pre|hr|"
    r"section|article|aside|header|footer|nav|address|details|form|iframe|script|style|"
    r"noscript|object|embed|video|audio|!--)\b|\[caption|\[/)",
    re.IGNORECASE,
)
CAPTION_SHORTCODE = re.compile(
    r"\[caption(?P<attrs>[^\]]*)\](?P<inner>.*?)\[/caption\]", re.S | re.I
)
CAPTION_ATTR = re.compile(r"""\bcaption\s*=\s*(?:"(?P<d>[^"]*)"|'(?P<s>[^']*)')""", re.I)
CAPTION_IMAGE = re.compile(
    r"^\s*(?P<img>(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(?P<rest>.*)$", re.S | re.I
)
FOOTNOTE_SHORTCODE = re.compile(
    r"\[(?P<tag>efn_note|ref|footnote|fn)\](?P<note>.*?)\[/(?P=tag)\]|\(\((?P<paren>[^()]+?)\)\)",
    re.S | re.I,
)
EMBED_SHORTCODE = re.compile(r"\[embed[^\]]*\](?P<url>[^\[]*)\[/embed\]", re.I)
MEDIA_SHORTCODE = re.compile(
    r"\[(?P<tag>audio|video)\b[^\]]*\](?:.*?\[/(?P=tag)\])?|\[(?:gallery|playlist)\b[^\]]*\]",
    re.S | re.I,
)


@dataclass(frozen=True)
class HtmlBody:
    """A body read from HTML: the sanitised HTML kept, and its blocks."""

    html: str
    blocks: list[Block]


def sanitize_html(raw: str) -> str:
    """HTML with only safe tags, attributes and URL schemes left (nh3, idempotent)."""
    global _CLEANER
    if _CLEANER is None:
        attributes = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
        attributes["*"] = set(GENERIC_ATTRIBUTES)
        attributes.setdefault("img", set()).update({"alt", "src", "title", "width", "height"})
        _CLEANER = nh3.Cleaner(
            attributes=attributes, clean_content_tags=set(DROP_WITH_CONTENT), strip_comments=True
        )
    cleaned: str = _CLEANER.clean(raw)
    return cleaned


def html_text(fragment: str) -> str:
    """The plain text of an HTML fragment (a title, an excerpt, a caption), one line."""
    if not TAG_OR_ENTITY.search(fragment):
        return " ".join(fragment.split())
    spaced = BLOCK_BOUNDARY.sub(r" \g<0>", fragment)  # "</p><p>" must not glue two words
    text = htmllib.unescape(nh3.clean(spaced, tags=set(), clean_content_tags=DROP_WITH_CONTENT))
    return " ".join(text.split())


def autop(content: str) -> str:
    """Wrap blank-line-separated runs of text in ``<p>``, as WordPress does on display."""
    chunks = re.split(r"\n[ \t]*\n", content.replace("\r\n", "\n"))
    out = []
    for chunk in chunks:
        if chunk.strip() and not BLOCK_START.match(chunk):
            out.append(f"<p>{chunk.strip()}</p>")
        else:
            out.append(chunk)
    return "\n\n".join(out)


def prepare_wordpress(content: str, footnotes: Sequence[tuple[str, str]] = ()) -> str:
    """WordPress post content as plain HTML: shortcodes resolved, paragraphs marked.

    ``footnotes`` are (anchor id, note HTML) pairs the block editor keeps
    outside the content (its ``footnotes`` post meta), appended as a footnote list.
    """
    content = NEXTPAGE_TAG.sub("\n\n", content)
    content = CAPTION_SHORTCODE.sub(_caption_figure, content)
    content = EMBED_SHORTCODE.sub(
        lambda m: (
            f'<p><a href="{htmllib.escape(m.group("url").strip())}">'
            f"{htmllib.escape(m.group('url').strip())}</a></p>"
        ),
        content,
    )
    content = MEDIA_SHORTCODE.sub("", content)
    notes = list(footnotes)

    def note_ref(match: re.Match[str]) -> str:
        n = len(notes) + 1
        notes.append(
            (f"fn-{n}", match.group("note") if match.group("tag") else match.group("paren"))
        )
        return f'<sup class="footnote-ref"><a href="#fn-{n}" id="fnref-{n}">{n}</a></sup>'

    if not footnotes:
        content = FOOTNOTE_SHORTCODE.sub(note_ref, content)
    content = autop(content)
    if notes:
        items = "".join(f'<li id="{htmllib.escape(ref)}">{note}</li>' for ref, note in notes)
        content += f'\n\n<ol class="footnotes">{items}</ol>'
    return content


def _caption_figure(match: re.Match[str]) -> str:
    inner = match.group("inner")
    found = CAPTION_IMAGE.match(inner)
    image, caption = (found.group("img"), found.group("rest")) if found else ("", inner)
    attr = CAPTION_ATTR.search(match.group("attrs"))
    if attr and not caption.strip():
        caption = attr.group("d") if attr.group("d") is not None else attr.group("s")
    return f'<figure class="wp-caption">{image}<figcaption>{caption.strip()}</figcaption></figure>'


def read_html_body(
    raw: str,
    first_line: int = 1,
    *,
    wordpress: bool = False,
    footnotes: Sequence[tuple[str, str]] = (),
) -> HtmlBody:
    """Sanitise an HTML body and read it into blocks (see the module's steps).

    ``first_line`` is the line of the source file the HTML starts on, so that
    each block's ``line`` points into the file.
    """
    prepared = prepare_wordpress(raw, footnotes) if wordpress else raw
    marked = MORE_TAG.sub(MORE_MARK, prepared.replace(MORE_MARK, ""))
    clean = sanitize_html(marked)
    blocks = blocks_from_html(clean, first_line)
    return HtmlBody(clean.replace(MORE_MARK, "<!--more-->"), blocks)


def blocks_from_html(clean: str, first_line: int = 1) -> list[Block]:
    """Blocks of already-sanitised HTML, in document order."""
    if not clean.strip():
        return []
    root = lxml_html.fragment_fromstring(clean, create_parent="div")
    walker = _Walker(first_line)
    walker.container(root, _Context())
    walker.flush(root, _Context())
    chunks = _join_image_captions(walker.chunks)
    _mark_footnotes(chunks)
    _mark_preface(chunks)
    return [Block(ROLE_OF[c.kind], c.text, c.line) for c in chunks if c.kind in ROLE_OF and c.text]


@dataclass
class _Chunk:
    kind: str  # p | li | heading | caption | image | footnote | preface | hr | more
    text: str
    line: int
    italic: bool = False
    from_image: bool = False  # an image-only paragraph


ROLE_OF: dict[str, Role] = {
    "p": "body",
    "li": "body",
    "heading": "heading",
    "caption": "caption",
    "image": "image",
    "footnote": "footnote",
    "preface": "preface",
    "standfirst": "standfirst",
    "bio": "bio",
    "meta": "meta",
}


@dataclass(frozen=True)
class _Context:
    footnotes: bool = False
    caption: bool = False
    depth: int = 0  # list nesting


class _Walker:
    """Walks sanitised HTML, gathering inline text into chunks at block boundaries."""

    def __init__(self, first_line: int) -> None:
        self.first_line = first_line
        self.chunks: list[_Chunk] = []
        self.parts: list[tuple[str, bool]] = []
        self.images: list[tuple[str, str]] = []  # (alt, title) of images in this run
        self.line: int | None = None

    def _line_of(self, el: Any) -> int:
        return self.first_line + max((el.sourceline or 1) - 1, 0)

    def text(self, text: str | None, el: Any, italic: bool) -> None:
        if text:
            if self.line is None and text.strip():
                self.line = self._line_of(el)
            self.parts.append((text, italic))

    def flush(self, el: Any, ctx: _Context, kind: str = "p") -> None:
        if not self.parts and not self.images:
            self.line = None
            return  # most block boundaries close nothing
        raw = "".join(t for t, _ in self.parts)
        line = self.line if self.line is not None else self._line_of(el)
        kind = "footnote" if ctx.footnotes and kind in ("p", "li") else kind
        kind = "caption" if ctx.caption and kind == "p" else kind
        if MORE_MARK in raw:
            before, _, after = raw.partition(MORE_MARK)
            self.parts = [(before, False)]
            self._emit(kind, line)
            self.chunks.append(_Chunk("more", "", line))
            self.parts = [(after, False)]
            self._emit(kind, line)
        else:
            self._emit(kind, line)
        self.parts, self.images, self.line = [], [], None

    def _emit(self, kind: str, line: int) -> None:
        text = " ".join("".join(t for t, _ in self.parts).split())
        italic_chars = sum(len(t.strip()) for t, i in self.parts if i)
        total = sum(len(t.strip()) for t, _ in self.parts)
        italic = total > 0 and italic_chars >= ITALIC_SHARE * total
        if text and self.images and italic and len(text.split()) <= MAX_CAPTION_WORDS:
            kind = "caption" if kind == "p" else kind  # an image with its italic caption line
        if text:
            self.chunks.append(_Chunk(kind, text, line, italic))
            return
        for alt, title in self.images:
            if title:
                self.chunks.append(_Chunk("caption", " ".join(title.split()), line))
            elif alt.strip():
                self.chunks.append(_Chunk("image", " ".join(alt.split()), line, from_image=True))
            else:
                self.chunks.append(_Chunk("image", "", line, from_image=True))

    def container(self, el: Any, ctx: _Context, italic: bool = False) -> None:
        """Mixed content: inline runs become paragraphs at each block child."""
        self.text(el.text, el, italic)
        for child in el:
            if isinstance(child.tag, str) and child.tag.lower() in BLOCK_TAGS:
                self.flush(child, ctx)
                self.block(child, ctx)
            else:
                self.inline(child, ctx, italic)
            self.text(child.tail, child, italic)

    def inline(self, el: Any, ctx: _Context, italic: bool) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag:
            return  # a comment or processing instruction
        if tag == "br":
            self.parts.append((" ", italic))
        elif tag == "img":
            self.images.append((el.get("alt") or "", el.get("title") or ""))
        elif tag == "sup" and _is_note_ref(el):
            number = " ".join(el.text_content().split()).strip("[]")
            self.text(f"[{number}]", el, italic)
        elif tag == "a" and ctx.footnotes and _is_backref(el):
            pass
        else:
            inner = italic or tag in ITALIC_TAGS
            self.text(el.text, el, inner)
            for child in el:
                self.inline(child, ctx, inner)
                self.text(child.tail, el, inner)

    def block(self, el: Any, ctx: _Context) -> None:
        tag = el.tag.lower()
        classes = el.get("class") or ""
        if tag == "hr":
            self.chunks.append(_Chunk("hr", "", self._line_of(el)))
        elif tag in HEADINGS:
            self.container(el, ctx)
            self.flush(el, ctx, "caption" if ctx.caption else "heading")
        elif tag in ("ul", "ol"):
            self.list(el, replace(ctx, footnotes=ctx.footnotes or _is_footnotes(el)))
        elif tag == "li":
            self.list_item(el, ctx, f"{LIST_BULLETS[0]} ")
        elif tag == "figure" or FIGURE_CLASS.search(classes):
            self.figure(el, ctx)
        elif tag == "figcaption" or (tag in ("p", "div", "span") and CAPTION_CLASS.search(classes)):
            self.container(el, ctx)
            self.flush(el, replace(ctx, caption=True))
        elif tag == "table":
            for row in el.iter("tr"):
                cells = [" ".join(c.text_content().split()) for c in row if c.tag in ("td", "th")]
                self.text(" | ".join(c for c in cells if c), row, False)
                self.flush(row, ctx)
        elif tag == "pre":
            self.text(el.text_content(), el, False)
            self.flush(el, ctx)
        elif tag in PARAGRAPHS or (tag == "div" and _role_class(classes)):
            self.container(el, ctx)
            self.flush(el, ctx, _role_class(classes) or "p")
        else:
            inner = replace(ctx, footnotes=ctx.footnotes or _is_footnotes(el))
            self.container(el, inner)
            self.flush(el, inner)

    def list(self, el: Any, ctx: _Context) -> None:
        ordered = el.tag.lower() == "ol"
        try:
            number = int(el.get("start") or 1)
        except ValueError:
            number = 1
        bullet = LIST_BULLETS[min(ctx.depth, len(LIST_BULLETS) - 1)]
        for item in el:
            if not isinstance(item.tag, str):
                continue
            if item.tag.lower() != "li":
                if item.tag.lower() in BLOCK_TAGS:
                    self.block(item, ctx)
                continue
            marker = f"{number}. " if ordered else f"{bullet} "
            self.list_item(item, ctx, marker)
            number += 1

    def list_item(self, el: Any, ctx: _Context, marker: str) -> None:
        self.flush(el, ctx)
        self.line = self._line_of(el)
        self.parts.append((marker, False))
        self.text(el.text, el, False)
        for child in el:
            tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if tag in ("ul", "ol"):
                self._flush_item(el, ctx, marker)
                self.list(child, replace(ctx, depth=ctx.depth + 1))
            elif tag in BLOCK_TAGS:
                self.text(" ", child, False)
                self._inline_all(child, ctx)
            else:
                self.inline(child, ctx, False)
            self.text(child.tail, el, False)
        self._flush_item(el, ctx, marker)

    def _inline_all(self, el: Any, ctx: _Context) -> None:
        self.text(el.text, el, False)
        for child in el:
            self.inline(child, ctx, False)
            self.text(child.tail, el, False)

    def _flush_item(self, el: Any, ctx: _Context, marker: str) -> None:
        body = "".join(t for t, _ in self.parts)
        if body.strip() == marker.strip():
            self.parts, self.images, self.line = [], [], None
            return
        if ctx.footnotes and marker[0].isdigit() and LEADING_NUMBER.match(body[len(marker) :]):
            self.parts = [(body[len(marker) :], False)]  # the note already says its number
        self.flush(el, ctx, "li")

    def figure(self, el: Any, ctx: _Context) -> None:
        captioned = False
        alts: list[str] = []
        for child in el:
            tag = child.tag.lower() if isinstance(child.tag, str) else ""
            classes = (child.get("class") or "") if tag else ""
            if tag == "figcaption" or (tag and CAPTION_CLASS.search(classes)):
                self.container(child, ctx)
                self.flush(child, replace(ctx, caption=True))
                captioned = True
            elif tag in ("img", "a", "picture", "span") and not _has_text(child):
                alts.extend(img.get("alt") or "" for img in child.iter("img"))
            elif tag in BLOCK_TAGS:
                self.block(child, ctx)
            elif tag:
                self.inline(child, ctx, False)
                self.flush(child, ctx)
        if not captioned:
            for alt in alts:
                if alt.strip():
                    self.chunks.append(_Chunk("image", " ".join(alt.split()), self._line_of(el)))


def _role_class(classes: str) -> str | None:
    if not classes:
        return None
    for kind, pattern in ROLE_CLASSES:
        if pattern.search(classes):
            return kind
    return None


def _has_text(el: Any) -> bool:
    return bool(el.text_content().strip())


def _is_footnotes(el: Any) -> bool:
    label = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('role') or ''}"
    return bool(FOOTNOTE_CLASS.search(label)) or "doc-endnotes" in label


def _is_note_ref(el: Any) -> bool:
    link = el.find(".//a")
    text = el.text_content().strip().strip("[]")
    href = link.get("href") if link is not None else ""
    return bool(href and href.startswith("#") and text.isdigit())


def _is_backref(el: Any) -> bool:
    text = el.text_content().strip().lower()
    href = el.get("href") or ""
    return bool(BACKREF_CLASS.search(el.get("class") or "")) or (
        href.startswith("#") and text in BACKREF_TEXTS
    )


def _join_image_captions(chunks: list[_Chunk]) -> list[_Chunk]:
    """An italic short line right under an image is its caption (a Markdown habit)."""
    out: list[_Chunk] = []
    for chunk in chunks:
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous.from_image
            and chunk.kind == "p"
            and chunk.italic
            and len(chunk.text.split()) <= MAX_CAPTION_WORDS
        ):
            chunk.kind = "caption"
            if previous.text in ("", chunk.text):
                out.pop()
        out.append(chunk)
    return [c for c in out if c.text or c.kind in ("hr", "more")]


def _mark_footnotes(chunks: list[_Chunk]) -> None:
    """Numbered notes after the last rule, or under a closing "Notes" heading."""
    if any(c.kind == "footnote" for c in chunks):
        return
    for index in range(len(chunks) - 1, 0, -1):
        chunk = chunks[index]
        is_rule = chunk.kind == "hr"
        is_notes = chunk.kind == "heading" and chunk.text.lower().strip(" :") in NOTE_HEADINGS
        if not (is_rule or is_notes):
            continue
        tail = [c for c in chunks[index + 1 :] if c.kind not in ("hr", "more")]
        before = [c for c in chunks[:index] if c.kind in ("p", "li", "heading")]
        if tail and before and all(c.kind in ("p", "li") and NUMBERED.match(c.text) for c in tail):
            for c in tail:
                c.kind = "footnote"
        return


def _mark_preface(chunks: list[_Chunk]) -> None:
    """The writer's note before the piece, when marked off and worded like one.

    1. A leading run of italic paragraphs: a preface when it scores WEAK or more.
    2. Paragraphs before the first rule: WEAK or more; before ``<!--more-->``: STRONG.
    3. Otherwise the first paragraph alone, when it scores STRONG and a piece follows.
    """
    leading = 0
    while leading < len(chunks) and chunks[leading].kind == "p":
        leading += 1
    if leading == 0:
        return

    def has_body_after(end: int) -> bool:
        return any(c.kind in ("p", "li", "heading") for c in chunks[end:])

    def score(run: list[_Chunk]) -> float:
        return max(preface_score(c.text) for c in run)

    italic = 0
    while italic < leading and chunks[italic].italic:
        italic += 1
    italic_run = chunks[:italic]
    if (
        0 < italic <= MAX_PREFACE_PARAGRAPHS
        and has_body_after(italic)
        and score(italic_run) >= WEAK
    ):
        _as_preface(italic_run)
        return
    marked = leading < len(chunks) and chunks[leading].kind in ("hr", "more")
    if marked and leading <= MAX_PREFACE_PARAGRAPHS and has_body_after(leading + 1):
        threshold = WEAK if chunks[leading].kind == "hr" else STRONG
        if score(chunks[:leading]) >= threshold:
            _as_preface(chunks[:leading])
            return
    body_after = sum(1 for c in chunks[1:] if c.kind in ("p", "li"))
    if body_after >= MIN_BODY_AFTER_BARE_PREFACE and preface_score(chunks[0].text) >= STRONG:
        _as_preface(chunks[:1])


def _as_preface(run: list[_Chunk]) -> None:
    for chunk in run:
        chunk.kind = "preface"
