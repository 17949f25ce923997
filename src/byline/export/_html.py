"""A post's body as HTML, built from its blocks with lxml (text is never pasted into markup).

Posts read from WordPress, feeds or Markdown carry the sanitised HTML they came
with (``Post.body_html``) and exporters use that.  Posts recovered from text
have only blocks; this module writes them so that reading the HTML back gives
the same blocks: the preface in italics closed by a rule, headings as
``<h2>``, list items as lists, captions as ``<figure>``, footnotes as an
``<ol class="footnotes">``, and the standfirst, bio and meta lines as
paragraphs whose class names their role.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree
from lxml import html as lxml_html

from byline.model import Block, Post, split_footnote

BULLET = re.compile(r"^\s*(?P<mark>[•◦▪●·*\-–—])\s+")
ORDINAL = re.compile(r"^\s*(?P<num>\d{1,2})[.)]\s+")
NESTED_BULLETS = frozenset({"◦", "▪"})  # the bullets byline writes for nested items
ROLE_CLASS = {"standfirst": "standfirst", "bio": "bio", "meta": "meta"}
PAGE_ROLES = frozenset({"page_title"})  # belong to the page a post was found on, not the post


def body_html(post: Post) -> str:
    """The post's body HTML: what its source gave, else written from its blocks."""
    if post.body_html is not None:
        return post.body_html
    return blocks_html(post.blocks)


def blocks_html(blocks: Sequence[Block]) -> str:
    """Blocks (less the headline, which exports carry as the title) as an HTML fragment."""
    root = lxml_html.Element("div")
    body = [b for b in blocks if b.role not in PAGE_ROLES]
    headline_seen = False
    footnotes: list[Block] = []
    index = 0
    while index < len(body):
        block = body[index]
        if block.role == "headline" and not headline_seen:
            headline_seen = True
        elif block.role == "preface":
            run = _run(body, index, "preface")
            for item in run:
                paragraph = etree.SubElement(root, "p")
                etree.SubElement(paragraph, "em").text = item.text
            etree.SubElement(root, "hr")
            index += len(run)
            continue
        elif block.role == "footnote":
            footnotes.append(block)
        elif block.role in ("heading", "headline"):
            etree.SubElement(root, "h2").text = block.text
        elif block.role == "caption":
            figure = etree.SubElement(root, "figure")
            etree.SubElement(figure, "figcaption").text = block.text
        elif block.role == "image":
            figure = etree.SubElement(root, "figure")
            etree.SubElement(figure, "img", alt=block.text)
        elif block.role in ROLE_CLASS:
            etree.SubElement(root, "p", {"class": ROLE_CLASS[block.role]}).text = block.text
        elif _list_kind(block.text):
            run = _list_run(body, index)
            _write_list(root, run)
            index += len(run)
            continue
        else:
            etree.SubElement(root, "p").text = block.text
        index += 1
    if footnotes:
        notes = etree.SubElement(root, "ol", {"class": "footnotes"})
        for number, block in enumerate(footnotes, 1):
            note = split_footnote(block.text)
            etree.SubElement(notes, "li", id=f"fn-{note.number or number}").text = note.text
    return "\n".join(
        etree.tostring(child, encoding="unicode", method="html").strip() for child in root
    )


def _run(blocks: Sequence[Block], start: int, role: str) -> list[Block]:
    end = start
    while end < len(blocks) and blocks[end].role == role:
        end += 1
    return list(blocks[start:end])


def _list_kind(text: str) -> str | None:
    if BULLET.match(text):
        return "ul"
    if ORDINAL.match(text):
        return "ol"
    return None


def _list_run(blocks: Sequence[Block], start: int) -> list[Block]:
    """Consecutive body list items of one list (nested bullets go with it)."""
    first = _list_kind(blocks[start].text)
    end = start
    while end < len(blocks) and blocks[end].role == "body":
        kind = _list_kind(blocks[end].text)
        if kind is None or (kind != first and not _nested(blocks[end].text)):
            break
        end += 1
    return list(blocks[start:end])


def _nested(text: str) -> bool:
    match = BULLET.match(text)
    return bool(match and match.group("mark") in NESTED_BULLETS)


def _write_list(root: etree._Element, items: Sequence[Block]) -> None:
    kind = _list_kind(items[0].text) or "ul"
    attrs = {}
    if kind == "ol":
        first = ORDINAL.match(items[0].text)
        if first and first.group("num") != "1":
            attrs["start"] = first.group("num")
    outer = etree.SubElement(root, kind, attrs)
    last: etree._Element | None = None
    inner: etree._Element | None = None
    for item in items:
        text = _strip_marker(item.text)
        if _nested(item.text) and last is not None:
            if inner is None:
                inner = etree.SubElement(last, "ul")
            etree.SubElement(inner, "li").text = text
        else:
            last = etree.SubElement(outer, "li")
            last.text = text
            inner = None


def _strip_marker(text: str) -> str:
    match = BULLET.match(text) or ORDINAL.match(text)
    return text[match.end() :] if match else text
