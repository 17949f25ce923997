"""Which reader a file needs, decided from its first bytes, not only its name.

Only the first ``SNIFF_BYTES`` (64 KB) are read to decide; each reader then
applies its own size limit before reading further:

=================  ==================================================  =============
kind               recognised by                                       size limit
=================  ==================================================  =============
``wxr``            ``<rss`` root and the WordPress export namespace    2 GB, streamed
``feed``           ``<rss``/``<feed``/``<rdf:RDF`` root, or JSON with   16 MB
                   ``"version": "https://jsonfeed.org/version/1…"``
``html``           a doctype, ``<html>``, ``<head>`` or ``<body>``       16 MB
``markdown``       ``---``/``+++`` front matter, or a Markdown suffix    4 MB
``archive-text``   anything else that is text                          8 MB
=================  ==================================================  =============

XML and HTML are also refused when nested deeper than 64 (XML) or 200 (HTML)
levels.  Every refusal is a ``SourceError`` or ``ParseError`` whose message is
one line starting with the file's name.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from byline.errors import SourceError
from byline.sources._files import MAX_WXR_BYTES, SNIFF_BYTES, file_size, read_head
from byline.sources._records import SourceContents, SourceKind

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn"})
SOURCE_SUFFIXES = (
    frozenset({".xml", ".wxr", ".rss", ".atom", ".json", ".html", ".htm", ".xhtml", ".txt"})
    | MARKDOWN_SUFFIXES
)  # what a folder import picks up
PROLOG = re.compile(
    r"^(?:\s+|<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.S | re.I
)
ROOT = re.compile(r"^<(?P<name>[A-Za-z_][\w.:-]*)")
HTML_OPENINGS = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)
FRONT_FENCE = re.compile(r"^(?:---|\+\+\+)[ \t]*\r?\n")
JSON_FEED = re.compile(r'"version"\s*:\s*"https?://jsonfeed\.org/version/1', re.I)
WXR_NAMESPACE = "wordpress.org/export/"
FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf", "rss:rss"})


def sniff_text(head: bytes, name: str) -> str:
    """The first bytes as text, for looking only (never for reading content)."""
    if not head.strip():
        raise SourceError(f"{name}: file is empty")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", errors="replace")
    if b"\x00" in head:
        raise SourceError(f"{name}: file is binary, not text")
    return head.decode("utf-8", errors="replace").lstrip("\ufeff")


def detect_kind(path: str | Path) -> SourceKind:
    """The kind of source a file is (see the module's table); refuses what none reads."""
    name = str(path)
    file_size(path, MAX_WXR_BYTES, "any source")
    text = sniff_text(read_head(path, SNIFF_BYTES), name)
    suffix = Path(path).suffix.lower()
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        if JSON_FEED.search(text):
            return "feed"
        raise SourceError(f"{name}: JSON, but not a JSON Feed (no jsonfeed.org version)")
    if stripped.startswith("<"):
        root = ROOT.match(PROLOG.sub("", stripped, count=1))
        root_name = root.group("name").lower() if root else ""
        if root_name in FEED_ROOTS:
            return "wxr" if root_name == "rss" and WXR_NAMESPACE in text else "feed"
        if (
            root_name == "html"
            or HTML_OPENINGS.search(text)
            or suffix in (".html", ".htm", ".xhtml")
        ):
            return "html"
        if stripped.startswith("<?xml") or suffix in (".xml", ".rss", ".atom", ".wxr"):
            shown = f"<{root_name}>" if root_name else "no root element"
            raise SourceError(f"{name}: XML, but not a WordPress export or a feed ({shown})")
        if root_name in ("div", "article", "section", "main", "p", "body", "head"):
            return "html"
    if FRONT_FENCE.match(stripped) and text.count("\n") > 1:
        return "markdown"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "archive-text"


def read_source(path: str | Path) -> SourceContents:
    """Read any file byline knows, with the reader its content calls for."""
    kind = detect_kind(path)
    if kind == "wxr":
        from byline.sources.wxr import read_wxr

        return read_wxr(path)
    if kind == "feed":
        from byline.sources.feed import read_feed

        return read_feed(path)
    if kind == "html":
        from byline.sources.html import read_html

        return read_html(path)
    if kind == "markdown":
        from byline.sources.markdown import read_markdown

        return read_markdown(path)
    from byline.api import read_page  # the archive-text path, as the importer runs it

    return SourceContents(page=read_page(path))


def find_sources(folder: str | Path) -> list[Path]:
    """Files under a folder that may be sources, sorted; hidden files and folders skipped."""
    root = Path(folder)
    return [
        path
        for path in sorted(root.rglob("*"))
        if path.suffix.lower() in SOURCE_SUFFIXES
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
    ]


__all__ = ["SOURCE_SUFFIXES", "detect_kind", "find_sources", "read_source", "sniff_text"]
