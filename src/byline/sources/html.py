"""Saved HTML pages: an outlet's article, a blog's archive page, or a web-archive capture of either.

Reading a page, in order:

1. The file is size-checked, decoded (BOM, UTF-8, the declared charset, else
   the likeliest legacy encoding) and unwrapped if it is a Wayback capture
   (the archive's toolbar and scripts out; original URL and capture time kept).
2. It is parsed with lxml's HTML parser and refused when nested deeper than
   ``MAX_HTML_DEPTH``.  JSON-LD and ``<meta>`` tags are read as data; then every
   script, style, frame, form control and comment is dropped from the tree.
3. A listing (two or more sibling post elements) gives one post per element;
   a page that calls itself an archive but has no post markup is read as text
   by the archive-text recovery; anything else is one article.
4. An article's running text comes from trafilatura (the main text, in order,
   without navigation, comments or boilerplate); byline's structure layer adds
   what trafilatura does not label: headline, standfirst (dek class names,
   JSON-LD ``alternativeHeadline``, a description that is not the first
   paragraph), authors, date, outlet (publisher, ``og:site_name``), captions
   with credits (``figcaption``, JSON-LD ``image.caption``), author bios (bio
   class names) and footnotes (footnote lists and anchors).

Block text is plain text: nothing of a page's markup, scripts or links is kept
in it.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from byline.errors import ParseError, SourceError
from byline.model import Block, Outlet, Post, Role, Source, fold, slugify
from byline.recover import recover_text
from byline.recover._outlets import resolve_outlet
from byline.sources._files import MAX_HTML_BYTES, MAX_HTML_DEPTH, decode_markup, read_limited
from byline.sources._html_blocks import (
    FOOTNOTE_CLASS,
    ROLE_CLASSES,
    blocks_from_html,
    sanitize_html,
)
from byline.sources._html_listing import (
    archive_heading,
    find_posts,
    is_archive_body,
    listing_posts,
)
from byline.sources._html_meta import PageMeta, page_meta, parse_datetime
from byline.sources._records import SourceContents
from byline.sources._wayback import Capture, original_url, unwrap_capture
from byline.store._base import SourcePage

KIND_ARTICLE = "html"
KIND_LISTING = "html-listing"
DROPPED_TAGS = (
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
    "embed", "applet", "svg", "math", "form", "button", "select", "textarea", "input", "link",
)  # fmt: skip
BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "li", "ul",
     "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure", "figcaption", "table",
     "tr", "pre", "hr", "br", "dt", "dd", "dl", "address", "center", "body"}
)  # fmt: skip
CREDIT_CLASS = re.compile(r"credit|copyright|photographer|byline|source", re.I)
CREDIT_MARKED = re.compile(r"^(?:©|\(c\)|Photo(?:graph)?:|Credit:|Picture:|Image:)", re.I)
SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")  # "Headline | The Site"
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
MAX_STANDFIRST_WORDS = 60  # a description longer than this is a summary, not a dek
LINE_KEY_CHARS = 60  # how much of a paragraph identifies it when finding its line


def read_html(path: str | Path) -> SourceContents:
    """Read a saved page (article, archive page, or a web-archive capture of either)."""
    file = Path(path)
    name = str(path)
    raw = read_limited(file, MAX_HTML_BYTES, "an HTML page")
    text, encoding = decode_markup(raw, name)
    sha256 = hashlib.sha256(raw).hexdigest()
    capture = unwrap_capture(text)
    doc = parse_page(capture.html, name)
    meta = page_meta(doc)
    clean_tree(doc)
    resolved = str(file.resolve())
    posts, kind, heading = _posts(doc, meta, capture, name, resolved, sha256)
    if not any(p.blocks for p in posts):
        raise ParseError(f"{name}: no article or posts found in the page")
    for position, post in enumerate(posts):
        if not post.sources:
            lines = [b.line for b in post.blocks] or [1]
            post.sources.append(Source(kind, resolved, sha256, min(lines), max(lines), position))
    title, title_line, archive_kind, archive_name = heading
    page = SourcePage(
        resolved, sha256, kind, posts, encoding=encoding, title=title, title_line=title_line,
        archive_kind=archive_kind, archive_name=archive_name,
    )  # fmt: skip
    return SourceContents(
        page=page,
        site_title=meta.site_name,
        original_url=capture.original_url,
        captured_at=capture.captured_at,
    )


def parse_page(html: str, name: str) -> Any:
    """The page as an lxml tree; refused when empty or nested too deep."""
    try:
        doc = lxml_html.document_fromstring(XML_DECLARATION.sub("", html))
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"{name}: not an HTML page ({exc})") from exc
    depth = 0
    for event, _ in etree.iterwalk(doc, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > MAX_HTML_DEPTH:
            raise SourceError(f"{name}: HTML nested deeper than {MAX_HTML_DEPTH} levels; refused")
    return doc


def clean_tree(doc: Any) -> None:
    """Drop scripts, styles, frames, form controls and comments (text and all)."""
    for element in list(doc.iter(*DROPPED_TAGS)):
        element.drop_tree()
    for comment in list(doc.iter(etree.Comment, etree.ProcessingInstruction)):
        parent = comment.getparent()
        if parent is not None:
            comment.drop_tree()
    for element in doc.iter():
        if isinstance(element.tag, str):
            for attribute in [a for a in element.attrib if a.lower().startswith("on")]:
                del element.attrib[attribute]


def _posts(
    doc: Any, meta: PageMeta, capture: Capture, name: str, path: str, sha256: str
) -> tuple[list[Post], str, tuple[str | None, int | None, str | None, str | None]]:
    elements = [] if meta.is_article and not is_archive_body(doc) else find_posts(doc)
    if elements:
        heading = archive_heading(doc, elements)
        posts = list(listing_posts(elements, heading[2], heading[3]))
        return posts, KIND_LISTING, heading
    if is_archive_body(doc) or meta.is_listing:
        recovered = recover_text(page_text(doc), path=path, sha256=sha256)
        heading = (recovered.title, None, recovered.kind, recovered.name)
        return [p for p in recovered.posts if p.blocks], KIND_LISTING, heading
    return [article_post(doc, meta, capture, name)], KIND_ARTICLE, (None, None, None, None)


def page_text(doc: Any) -> str:
    """The page's visible text, one line per block element (for the text recovery)."""
    lines: list[str] = []
    current: list[str] = []

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        block = tag in BLOCK_TAGS
        if block:
            _end_line(lines, current)
        if element.text and tag:
            current.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if block:
            _end_line(lines, current)

    body = doc.find(".//body")
    walk(body if body is not None else doc)
    _end_line(lines, current)
    return "\n\n".join(lines) + "\n"


def _end_line(lines: list[str], current: list[str]) -> None:
    text = " ".join("".join(current).split())
    if text:
        lines.append(text)
    current.clear()


def article_post(doc: Any, meta: PageMeta, capture: Capture, name: str) -> Post:
    """One outlet article: trafilatura's main text plus byline's structure layer."""
    extracted = _extract(doc)
    attrs = dict(extracted.attrib) if extracted is not None else {}
    lines = _line_index(doc)
    headline = meta.headline or _strip_site(meta.og_title) or _first_h1(doc) or attrs.get("title")
    standfirsts = _by_class(doc, "standfirst")
    standfirst = standfirsts[0][0] if standfirsts else meta.alternative_headline
    body = _main_blocks(extracted, lines)
    first_text = fold(" ".join(b.text for b in body[:2]))
    if (
        not standfirst
        and meta.description
        and len(meta.description.split()) <= MAX_STANDFIRST_WORDS
    ):
        description = fold(meta.description).rstrip(".… ")
        if description and not first_text.startswith(description[: LINE_KEY_CHARS // 2]):
            standfirst = meta.description
    captions = _captions(doc, lines) or [Block("caption", c, 1) for c in meta.image_captions]
    bios = [Block("bio", text, line) for text, line in _by_class(doc, "bio")]
    notes = _footnotes(doc)
    known = {
        fold(t) for t in [headline or "", standfirst or ""] + [b.text for b in captions + bios]
    }
    note_keys = {fold(b.text.split(" ", 1)[-1])[:LINE_KEY_CHARS] for b in notes}
    body = [
        b
        for b in body
        if fold(b.text) not in known and fold(b.text)[:LINE_KEY_CHARS] not in note_keys
    ]
    blocks: list[Block] = []
    if headline:
        blocks.append(Block("headline", headline, lines.get(_key(headline), 1)))
    if standfirst:
        blocks.append(Block("standfirst", standfirst, lines.get(_key(standfirst), 1)))
    blocks += captions + body + notes + bios
    published_at = meta.published or parse_datetime(attrs.get("date"))
    outlet_name = meta.publisher or meta.site_name or attrs.get("sitename")
    authors = meta.authors or [
        a.strip() for a in (attrs.get("author") or "").split(";") if a.strip()
    ]
    url = original_url(meta.url) if meta.url else capture.original_url
    return Post(
        blocks=blocks,
        categories=[meta.section] if meta.section else [],
        tags=meta.tags or [t for t in (attrs.get("tags") or "").split(",") if t.strip()],
        outlet=(resolve_outlet(outlet_name) or Outlet(outlet_name)) if outlet_name else None,
        published=published_at.date() if published_at else None,
        slug=slugify(headline) if headline else "",
        old_urls=[url] if url else [],
        authors=authors,
        published_at=published_at if isinstance(published_at, datetime) else None,
        url=url,
    )


def _extract(doc: Any) -> Any:
    """trafilatura's main text as its XML tree (``<doc><main>…``), or None."""
    copy = lxml_html.document_fromstring(etree.tostring(doc, encoding="unicode", method="html"))
    result = trafilatura.extract(
        copy,
        output_format="xml",
        include_comments=False,
        with_metadata=True,
        include_tables=True,
        include_images=False,
        include_formatting=False,
    )
    if not result:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(result.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return None


def _main_blocks(extracted: Any, lines: dict[str, int]) -> list[Block]:
    if extracted is None:
        return []
    main = extracted.find("main")
    if main is None:
        return []
    blocks: list[Block] = []

    def add(role: Role, text: str, marker: str = "") -> None:
        clean = " ".join(text.split())
        if clean:
            line = lines.get(_key(clean), blocks[-1].line if blocks else 1)
            blocks.append(Block(role, marker + clean, line))

    for element in main:
        tag = element.tag
        if tag == "head":
            add("heading", "".join(element.itertext()))
        elif tag == "list":
            ordered = element.get("rend") == "ol"
            for number, item in enumerate(element.iter("item"), 1):
                add("body", "".join(item.itertext()), f"{number}. " if ordered else "• ")
        elif tag == "table":
            for row in element.iter("row"):
                cells = [" ".join("".join(c.itertext()).split()) for c in row.iter("cell")]
                add("body", " | ".join(c for c in cells if c))
        elif tag == "quote":
            paragraphs = element.findall("p")
            for paragraph in paragraphs or [element]:
                add("body", "".join(paragraph.itertext()))
        elif tag != "graphic":
            add("body", "".join(element.itertext()))
    return blocks


def _key(text: str) -> str:
    return fold(text)[:LINE_KEY_CHARS]


def _line_index(doc: Any) -> dict[str, int]:
    """Where each paragraph-like element's text starts, by its first characters."""
    index: dict[str, int] = {}
    for element in doc.iter(
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "td", "div"
    ):
        text = " ".join(element.text_content().split())
        if text and element.sourceline:
            index.setdefault(_key(text), element.sourceline)
    return index


def _strip_site(title: str | None) -> str | None:
    return SITE_SUFFIX.sub("", title) if title else None


def _first_h1(doc: Any) -> str | None:
    for heading in doc.iter("h1"):
        text = " ".join(heading.text_content().split())
        if text:
            return text
    return None


def _by_class(doc: Any, kind: str) -> list[tuple[str, int]]:
    """Texts of elements whose class names a role (dek/standfirst, bio), outermost only."""
    pattern = dict(ROLE_CLASSES)[kind]
    found: list[tuple[str, int]] = []
    taken: set[Any] = set()
    for element in doc.iter():
        if not isinstance(element.tag, str) or not pattern.search(element.get("class") or ""):
            continue
        if any(a in taken for a in element.iterancestors()):
            continue
        taken.add(element)
        text = " ".join(element.text_content().split())
        if text:
            found.append((text, element.sourceline or 1))
    return found


def _captions(doc: Any, lines: dict[str, int]) -> list[Block]:
    captions: list[Block] = []
    for figcaption in doc.iter("figcaption"):
        if any(a.tag in ("aside", "nav", "footer") for a in figcaption.iterancestors()):
            continue
        credits = [
            el
            for el in figcaption.iter()
            if el is not figcaption and CREDIT_CLASS.search(el.get("class") or "")
        ]
        credit = " ".join(" ".join(c.text_content().split()) for c in credits)
        for element in credits:
            element.drop_tree()
        text = " ".join(figcaption.text_content().split())
        if credit:
            text = f"{text} {credit}" if CREDIT_MARKED.match(credit) else f"{text} Credit: {credit}"
        if text:
            captions.append(Block("caption", text.strip(), figcaption.sourceline or 1))
    return captions


def _footnotes(doc: Any) -> list[Block]:
    """Footnote lists (``.footnotes``, ``doc-endnotes`` …) read as footnote blocks."""
    for element in doc.iter("ol", "ul", "div", "section", "aside"):
        label = (
            f"{element.get('class') or ''} {element.get('id') or ''} {element.get('role') or ''}"
        )
        if FOOTNOTE_CLASS.search(label) or "doc-endnotes" in label:
            html = etree.tostring(element, encoding="unicode", method="html")
            blocks = blocks_from_html(sanitize_html(html), element.sourceline or 1)
            notes = [b for b in blocks if b.role == "footnote"]
            if notes:
                return notes
    return []


__all__ = ["article_post", "page_text", "parse_page", "read_html"]
