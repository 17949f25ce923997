"""Markdown posts with front matter, in the Pelican, Hugo and Jekyll conventions.

- **Hugo**: YAML between ``---`` lines or TOML between ``+++`` lines; ``draft``,
  ``aliases`` (old addresses), ``summary``, ``categories``, ``tags``.
- **Jekyll**: YAML front matter; files named ``_posts/YYYY-MM-DD-slug.md`` give
  the date and slug; ``published: false`` and ``_drafts/`` are drafts;
  ``redirect_from`` lists old addresses; tags and categories may be a string of
  space-separated words.
- **Pelican**: ``Key: value`` lines up to the first blank line (``Title``,
  ``Date``, ``Category``, ``Tags`` separated by commas, ``Status``, ``Summary``).

The body is rendered with Python-Markdown (footnotes, tables, fenced code) and
read into blocks like any HTML body: headings, list items, block quotes,
footnotes ``[^1]``, images with captions (an image's title, an italic line
under it, or a Hugo ``figure`` shortcode).  YAML is read with anchors and
aliases refused, so a front matter cannot expand into a "billion laughs".
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, cast

import markdown as markdown_lib
import yaml

from byline.errors import ParseError
from byline.model import Block, Outlet, Post, Source, Status, slugify
from byline.recover._outlets import resolve_outlet
from byline.sources._files import MAX_MARKDOWN_BYTES, decode_markup, read_limited
from byline.sources._html_blocks import html_text, read_html_body, sanitize_html
from byline.sources._records import SourceContents
from byline.store._base import SourcePage

KIND = "markdown"
PAGE_FOLDER = "pages"  # Pelican's (and byline's export's) folder of pages
SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn"})
MAX_FRONT_MATTER_CHARS = 64 * 1024  # metadata, not content: anything longer is refused
MARKDOWN_EXTENSIONS = ["footnotes", "fenced_code", "tables", "sane_lists"]

YAML_FRONT = re.compile(r"\A---[ \t]*\n(?P<meta>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
TOML_FRONT = re.compile(r"\A\+\+\+[ \t]*\n(?P<meta>.*?)\n\+\+\+[ \t]*(?:\n|\Z)", re.S)
PELICAN_FIELD = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]{0,30}):[ \t]*(?P<value>.*)$")
PELICAN_KEYS = frozenset({"title", "date", "slug", "category", "tags", "author", "authors",
                          "summary", "status", "modified", "lang", "save_as", "url"})  # fmt: skip
JEKYLL_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>.+)$")
SPACED_OFFSET = re.compile(r"(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s+([+-]\d{2}:?\d{2}|Z)$")

HUGO_FIGURE = re.compile(r"\{\{[<%]\s*figure\s+(?P<attrs>.*?)\s*[>%]\}\}", re.S)
HUGO_ATTR = re.compile(r"""(?P<key>\w+)\s*=\s*(?:"(?P<d>[^"]*)"|'(?P<s>[^']*)')""")
TEMPLATE_TAG = re.compile(r"\{\{[<%].*?[>%]\}\}|\{%-?.*?-?%\}", re.S)  # other shortcodes, Liquid

STATUS_WORDS: dict[str, Status] = {
    "publish": "publish", "published": "publish", "future": "future", "draft": "draft",
    "pending": "pending", "private": "private", "hidden": "private",
}  # fmt: skip
FrontStyle = Literal["yaml", "toml", "pelican", "none"]


@dataclass(frozen=True)
class FrontMatter:
    """A file's metadata (keys lower-cased, ``-`` read as ``_``) and where its body starts."""

    style: FrontStyle
    fields: dict[str, Any]
    body: str
    body_line: int  # 1-based line of the file the body starts on
    lines: dict[str, int]  # key → its line in the file


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases (no shared or exploding structures)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("YAML aliases are not allowed in front matter")
        return super().compose_node(parent, index)


def split_front_matter(text: str, name: str = "<text>") -> FrontMatter:
    """Separate a Markdown file's front matter (YAML, TOML or Pelican) from its body."""
    text = text.replace("\r\n", "\n")
    for style, pattern in (("yaml", YAML_FRONT), ("toml", TOML_FRONT)):
        match = pattern.match(text)
        if match:
            meta = match.group("meta")
            if len(meta) > MAX_FRONT_MATTER_CHARS:
                raise ParseError(f"{name}: front matter over {MAX_FRONT_MATTER_CHARS} characters")
            fields = _load(style, meta, name)
            lines = _key_lines(meta, 2)
            return FrontMatter(
                cast(FrontStyle, style), fields, text[match.end() :],
                text[: match.end()].count("\n") + 1, lines,
            )  # fmt: skip
    head, _, rest = text.partition("\n\n")
    head_lines = head.split("\n")
    matches = [PELICAN_FIELD.match(line) for line in head_lines]
    if matches and all(matches) and any(m and m.group("key").lower() == "title" for m in matches):
        fields = {_key(m.group("key")): m.group("value").strip() for m in matches if m}
        if set(fields) & PELICAN_KEYS:
            lines = {_key(m.group("key")): i for i, m in enumerate(matches, 1) if m}
            return FrontMatter("pelican", fields, rest, len(head_lines) + 2, lines)
    return FrontMatter("none", {}, text, 1, {})


def _key(raw: str) -> str:
    return raw.strip().lower().replace("-", "_")


def _key_lines(meta: str, first: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for number, line in enumerate(meta.split("\n"), first):
        match = re.match(r"^([A-Za-z][\w-]*)\s*[:=]", line)
        if match:
            found.setdefault(_key(match.group(1)), number)
    return found


def _load(style: str, meta: str, name: str) -> dict[str, Any]:
    try:
        loaded = (
            yaml.load(meta, Loader=_NoAliasLoader)  # a SafeLoader that also refuses aliases
            if style == "yaml"
            else tomllib.loads(meta)
        )
    except (yaml.YAMLError, tomllib.TOMLDecodeError, RecursionError) as exc:
        reason = " ".join(str(exc).split())[:160]
        raise ParseError(f"{name}: front matter is not valid {style.upper()} ({reason})") from exc
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ParseError(f"{name}: front matter is not a set of fields")
    return {_key(str(k)): v for k, v in loaded.items()}


def read_markdown(path: str | Path) -> SourceContents:
    """Read one Markdown post (front matter + body) into a one-post page."""
    file = Path(path)
    name = str(path)
    raw = read_limited(file, MAX_MARKDOWN_BYTES, "a Markdown post")
    text, encoding = decode_markup(raw, name)
    sha256 = hashlib.sha256(raw).hexdigest()
    post = markdown_post(text, name, file)
    if not post.blocks:
        raise ParseError(f"{name}: no title and no text")
    post.sources.append(Source(KIND, str(file.resolve()), sha256, 1, text.count("\n") + 1, 0))
    page = SourcePage(str(file.resolve()), sha256, KIND, [post], encoding=encoding)
    return SourceContents(page=page)


def find_markdown(folder: str | Path) -> list[Path]:
    """Markdown files under a folder, sorted; hidden files and folders skipped."""
    root = Path(folder)
    return [
        path
        for path in sorted(root.rglob("*"))
        if path.suffix.lower() in SUFFIXES
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
    ]


def iter_markdown_folder(folder: str | Path) -> Iterator[SourceContents]:
    """Each Markdown post under a folder (a refused file raises; callers may catch per file)."""
    for path in find_markdown(folder):
        yield read_markdown(path)


def markdown_post(text: str, name: str = "<text>", path: Path | None = None) -> Post:
    """A post from a Markdown file's text; ``path`` supplies Jekyll's date and slug."""
    front = split_front_matter(text, name)
    fields = front.fields
    stem = _stem(path)
    jekyll = JEKYLL_NAME.match(stem) if stem else None
    title = html_text(_text(fields.get("title")))
    published_at, published = _when(fields.get("date") or fields.get("publishdate"))
    if published is None and jekyll:
        published_at, published = _when(jekyll.group("date"))
    body_text = _prepare(front.body)
    rendered = markdown_lib.markdown(body_text, extensions=MARKDOWN_EXTENSIONS)
    body = read_html_body(rendered, front.body_line)
    blocks = _place_lines(body.blocks, front.body.split("\n"), front.body_line)
    if blocks and title and blocks[0].role == "heading" and blocks[0].text == title:
        blocks = blocks[1:]  # a "# Title" line repeating the front matter's title
    lead: list[Block] = []
    if title:
        lead.append(Block("headline", title, front.lines.get("title", 1)))
    subtitle = html_text(_text(fields.get("subtitle")))
    if subtitle:
        lead.append(Block("standfirst", subtitle, front.lines.get("subtitle", 1)))
    bio = [Block("bio", html_text(b), front.lines.get("bio", 1)) for b in _list(fields.get("bio"))]
    categories = _list(fields.get("categories"), front.style) or _list(
        fields.get("category"), front.style
    )
    outlet_name = _text(fields.get("outlet"))
    post = Post(
        blocks=lead + blocks + bio,
        categories=categories,
        tags=_list(fields.get("tags"), front.style),
        outlet=(resolve_outlet(outlet_name) or Outlet(outlet_name)) if outlet_name else None,
        published=published,
        status=_status(fields, path),
        slug=_text(fields.get("slug"))
        or (jekyll.group("slug") if jekyll else stem)
        or slugify(title),
        old_urls=_list(fields.get("aliases")) + _list(fields.get("redirect_from")),
        authors=_list(fields.get("authors"), "pelican") or _list(fields.get("author"), "pelican"),
        published_at=published_at,
        excerpt=_excerpt(fields),
        post_type=_text(fields.get("type") or fields.get("post_type"))
        or ("page" if path is not None and PAGE_FOLDER in path.parts else "post"),
        sticky=fields.get("sticky") is True or _text(fields.get("sticky")).lower() == "true",
        url=_text(fields.get("original_url")) or None,
        body_html=body.html.strip() or None,
    )
    return post


def _stem(path: Path | None) -> str:
    if path is None:
        return ""
    if path.stem.lower() in ("index", "_index") and path.parent.name:
        return path.parent.name  # a Hugo page bundle: the folder is the post
    return path.stem


def _prepare(body: str) -> str:
    """Hugo ``figure`` shortcodes as HTML figures; other shortcodes and Liquid tags dropped."""

    def figure(match: re.Match[str]) -> str:
        attrs = {
            m.group("key").lower(): m.group("d") if m.group("d") is not None else m.group("s")
            for m in HUGO_ATTR.finditer(match.group("attrs"))
        }
        caption = attrs.get("caption") or attrs.get("title") or ""
        html = sanitize_html(
            f'<figure><img src="{attrs.get("src", "")}" alt="{attrs.get("alt", "")}">'
            f"<figcaption>{caption}</figcaption></figure>"
        )
        return f"\n\n{html}\n\n"

    return TEMPLATE_TAG.sub("", HUGO_FIGURE.sub(figure, body))


def _place_lines(blocks: list[Block], lines: list[str], first: int) -> list[Block]:
    """Point each block at the Markdown line its text starts on (rendering loses lines)."""
    placed: list[Block] = []
    cursor = 0
    for block in blocks:
        words = [w for w in re.findall(r"[^\W\d_]{3,}", block.text)][:3]
        found = None
        for index in range(cursor, len(lines)):
            if all(w in lines[index] for w in words[:1]) and words:
                found = index
                break
        if found is not None:
            cursor = found
        placed.append(
            Block(block.role, block.text, first + (found if found is not None else cursor))
        )
    return placed


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()


def _list(value: Any, style: str = "yaml") -> list[str]:
    """A list field: a YAML/TOML list, or a string split by commas (Pelican) or spaces (Jekyll)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = [_text(v) for v in value]
    elif isinstance(value, str):
        if style == "pelican" or "," in value:
            items = [v.strip() for v in value.split(",")]
        else:
            items = value.split()
    else:
        items = [_text(value)]
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out


def _when(value: Any) -> tuple[datetime | None, date | None]:
    """A front matter date as (exact time or None, day): YAML/TOML values or ISO-like text."""
    if isinstance(value, datetime):
        return value, value.date()
    if isinstance(value, date):
        return None, value
    text = _text(value)
    if not text:
        return None, None
    text = SPACED_OFFSET.sub(r"\1\2", text).replace("/", "-")
    try:
        if len(text) == len("YYYY-MM-DD"):
            return None, date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None, None
    return moment, moment.date()


def _status(fields: dict[str, Any], path: Path | None) -> Status:
    for key in ("byline_status", "status"):
        word = _text(fields.get(key)).lower()
        if word in STATUS_WORDS:
            return STATUS_WORDS[word]
    if fields.get("draft") is True or _text(fields.get("draft")).lower() == "true":
        return "draft"
    if fields.get("published") is False or _text(fields.get("published")).lower() == "false":
        return "draft"
    if path is not None and "_drafts" in path.parts:
        return "draft"
    return "publish"


def _excerpt(fields: dict[str, Any]) -> str | None:
    for key in ("excerpt", "summary", "description"):
        text = _text(fields.get(key))
        if text:
            return sanitize_html(text).strip() or None
    return None


__all__ = ["FrontMatter", "find_markdown", "iter_markdown_folder", "markdown_post",
           "read_markdown", "split_front_matter"]  # fmt: skip
