"""Posts out as a folder of Markdown files: Hugo-style YAML front matter, or Pelican's.

Each post becomes ``<slug>.md`` (pages go under ``pages/``).  Front matter
carries what the formats have fields for (title, date with its offset, slug,
categories, tags, authors, summary, aliases, draft) plus byline's own keys where
they do not (``status`` for future/pending/private, ``subtitle``, ``bio``,
``outlet``, ``sticky``, ``original_url``).  Pelican has one category per post:
the first is ``Category`` and all of them are listed under ``Categories``.

The body is written from the post's blocks so that reading it back gives the
same blocks: the preface in italics closed by a rule, headings as ``##``,
lists, captions and images as HTML figures, footnotes as ``[^n]``.  Running
text is escaped; links and emphasis inside paragraphs are not carried (the WXR
and JSON exports keep the body HTML).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from lxml import etree
from lxml import html as lxml_html

from byline.errors import PublishError
from byline.export._html import BULLET, ORDINAL, _nested, _strip_marker
from byline.model import Post, slugify, split_footnote

Style = Literal["hugo", "pelican"]
PELICAN_STATUS = {"publish": "published", "draft": "draft", "private": "hidden"}
NOTE_REF = re.compile(r"\[(\d{1,3})\]")
INLINE_SPECIAL = re.compile(r"([\\`*_\[\]|])")  # Python-Markdown's escapable specials
# What opens a block at a line's start (heading, list, rule, fence) is written as an entity.
LINE_START_SPECIAL = re.compile(r"^(?:(?P<digits>\d+)(?P<dot>[.)])|(?P<mark>[#=~+-]))")
PAGE_FOLDER = "pages"
RULE = "* * *"


def post_markdown(post: Post, style: Style = "hugo") -> str:
    """One post as a Markdown file's text: front matter, a blank line, the body."""
    head = _hugo(post) if style == "hugo" else _pelican(post)
    body = _body(post)
    return f"{head}\n{body}\n" if body else f"{head}\n"


def write_markdown(
    posts: Iterable[Post], folder: str | Path, *, style: Style = "hugo"
) -> list[Path]:
    """Write each post to ``folder`` (created if needed); return the files written."""
    root = Path(folder)
    written: list[Path] = []
    taken: set[Path] = set()
    try:
        root.mkdir(parents=True, exist_ok=True)
        for post in posts:
            place = root / PAGE_FOLDER if post.post_type == "page" else root
            place.mkdir(exist_ok=True)
            stem = slugify(post.slug or post.title)
            path = place / f"{stem}.md"
            number = 2
            while path in taken:
                path = place / f"{stem}-{number}.md"
                number += 1
            taken.add(path)
            _write_atomic(path, post_markdown(post, style))
            written.append(path)
    except OSError as exc:
        raise PublishError(f"{root}: cannot write Markdown ({exc.strerror or exc})") from exc
    return written


def _write_atomic(path: Path, text: str) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".byline-", suffix=".md")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _status(post: Post) -> str:
    """A password-protected post leaves as private: byline never keeps the password."""
    return "private" if post.protected else post.status


def _date_text(post: Post) -> str | None:
    if post.published_at is not None:
        return post.published_at.isoformat()
    return post.published.isoformat() if post.published else None


def _aliases(post: Post) -> list[str]:
    """Old addresses as site paths (what Hugo's aliases are); query-string ones dropped."""
    paths: list[str] = []
    for url in post.old_urls:
        parts = urlsplit(url)
        if parts.query:
            continue
        path = parts.path or "/"
        if path not in paths:
            paths.append(path)
    return paths


def _hugo(post: Post) -> str:
    fields: dict[str, Any] = {"title": post.title if post.headline else ""}
    date_text = _date_text(post)
    if date_text:
        fields["date"] = date_text
    fields["slug"] = post.slug
    status = _status(post)
    fields["draft"] = status != "publish"
    if status not in ("publish", "draft"):
        fields["status"] = status
    if post.post_type != "post":
        fields["type"] = post.post_type
    for key, value in (
        ("categories", post.categories),
        ("tags", post.tags),
        ("authors", post.authors),
        ("summary", post.excerpt),
        ("aliases", _aliases(post)),
        ("subtitle", post.standfirst),
        ("bio", post.texts("bio")),
        ("outlet", post.outlet.name if post.outlet else None),
        ("original_url", post.url),
    ):
        if value:
            fields[key] = value
    if post.sticky:
        fields["sticky"] = True
    dumped = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{dumped}---\n"


def _pelican(post: Post) -> str:
    lines: list[tuple[str, str]] = [("Title", post.title if post.headline else "")]
    date_text = _date_text(post)
    if date_text:
        lines.append(("Date", date_text))
    lines.append(("Slug", post.slug))
    if post.categories:
        lines.append(("Category", post.categories[0]))
    if len(post.categories) > 1:
        lines.append(("Categories", ", ".join(post.categories)))
    for key, values in (
        ("Tags", post.tags),
        ("Authors", post.authors),
        ("Aliases", _aliases(post)),
    ):
        if values:
            lines.append((key, ", ".join(values)))
    status = _status(post)
    lines.append(("Status", PELICAN_STATUS.get(status, "draft")))
    if status not in PELICAN_STATUS:
        lines.append(("Byline-Status", status))
    if post.post_type != "post":
        lines.append(("Type", post.post_type))
    for key, value in (
        ("Summary", post.excerpt),
        ("Subtitle", post.standfirst),
        ("Outlet", post.outlet.name if post.outlet else None),
        ("Original-Url", post.url),
    ):
        if value:
            lines.append((key, value))
    if post.sticky:
        lines.append(("Sticky", "true"))
    return "".join(f"{key}: {' '.join(value.split())}\n" for key, value in lines)


def _body(post: Post) -> str:
    notes = [b for b in post.blocks if b.role == "footnote"]
    # Notes are labelled by position (Markdown renumbers them so anyway); a "[n]" in the
    # text points at the note that was numbered n.
    known: dict[str, str] = {}
    for position, note in enumerate(notes, 1):
        known.setdefault(split_footnote(note.text).number or str(position), str(position))
    paragraphs: list[str] = []
    blocks = [b for b in post.blocks if b.role not in ("page_title", "standfirst", "bio", "meta")]
    headline_seen = False
    open_list: str | None = None  # the kind of list the last paragraph is, if it is one
    for index, block in enumerate(blocks):
        role = block.role
        list_kind = _list_kind(block.text) if role == "body" else None
        if role == "headline" and not headline_seen:
            headline_seen = True
            continue
        if list_kind and open_list and (list_kind == open_list or _nested(block.text)):
            paragraphs[-1] += "\n" + _list_item(block.text, known)
            continue
        open_list = list_kind
        if role == "preface":
            paragraphs.append(f"*{_escape(block.text, {})}*")
            if index + 1 >= len(blocks) or blocks[index + 1].role != "preface":
                paragraphs.append(RULE)
        elif role in ("heading", "headline"):
            heading = _escape(block.text, known)
            if heading.endswith("#"):  # closing hashes would be read as the heading's end
                heading = heading[:-1] + "&#35;"
            paragraphs.append(f"## {heading}")
        elif role == "caption":
            paragraphs.append(_figure(caption=block.text))
        elif role == "image":
            paragraphs.append(_figure(alt=block.text))
        elif role == "footnote":
            continue
        elif list_kind:
            paragraphs.append(_list_item(block.text, known, top=True))
        else:
            paragraphs.append(_escape(block.text, known))
    for position, note in enumerate(notes, 1):
        paragraphs.append(f"[^{position}]: {_escape(split_footnote(note.text).text, {})}")
    return "\n\n".join(paragraphs)


def _list_kind(text: str) -> str | None:
    if BULLET.match(text):
        return "ul"
    if ORDINAL.match(text):
        return "ol"
    return None


def _list_item(text: str, notes: dict[str, str], top: bool = False) -> str:
    ordinal = ORDINAL.match(text)
    body = _escape(_strip_marker(text), notes)
    if ordinal:
        return f"{ordinal.group('num')}. {body}"
    return f"    - {body}" if _nested(text) and not top else f"- {body}"


def _escape(text: str, notes: dict[str, str]) -> str:
    """Running text as Markdown that renders back to exactly this text."""
    pieces: list[str] = []
    last = 0
    for match in NOTE_REF.finditer(text):
        if match.group(1) in notes:
            pieces.append(_escape_plain(text[last : match.start()]))
            pieces.append(f"[^{notes[match.group(1)]}]")
            last = match.end()
    pieces.append(_escape_plain(text[last:]))
    return LINE_START_SPECIAL.sub(_entity_start, "".join(pieces))


def _entity_start(match: re.Match[str]) -> str:
    if match.group("digits"):
        return f"{match.group('digits')}&#{ord(match.group('dot'))};"
    return f"&#{ord(match.group('mark'))};"


def _escape_plain(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return INLINE_SPECIAL.sub(r"\\\1", text)


def _figure(caption: str | None = None, alt: str | None = None) -> str:
    figure = lxml_html.Element("figure")
    if alt is not None:
        etree.SubElement(figure, "img", alt=alt)
    if caption is not None:
        etree.SubElement(figure, "figcaption").text = caption
    return str(etree.tostring(figure, encoding="unicode", method="html"))
