"""Every address on the site, and the one function that turns an address into a file.

Addresses are site paths with a leading slash ("/2020/05/slug/", "/feed.xml"),
before the base URL's own path is put in front.  :func:`relative_file` is the
only way from an address to a file under the output folder, and it refuses
anything that could leave it: ``..``, ``.``, empty or hidden segments, absolute
or drive paths, backslashes, NUL and control characters.

Slugs are ``[a-z0-9-]`` only.  Two different categories (or tags, or outlets)
whose names slugify alike get distinct slugs, decided by which was stored
first, so an address never changes because another term arrived later, and
one term's pages never overwrite another's.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from byline.errors import PublishError
from byline.model import slugify

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A path segment: letters and digits of any script, "_", "~", "-", and inner dots.
SEGMENT = re.compile(r"^[^\W][\w.~-]*$|^[~-][\w.~-]*$")
INDEX_FILE = "index.html"
MAX_SEGMENT_BYTES = 255  # a file name's limit on every common file system
MAX_SEGMENTS = 32
MAX_SLUG_SUFFIX = 100_000  # slug-2, slug-3 ...; past this something is badly wrong

PAGE_DIR = "page"  # "/tag/python/page/3/", never "/tag/python3/"
UNDATED_DIR = "undated"
ARCHIVE_DIRS = {"category": "category", "tag": "tag", "outlet": "outlet"}
INDEX_PAGES = {"category": "/categories/", "tag": "/tags/", "outlet": "/outlets/"}
YEARS_PAGE = "/years/"
SEARCH_PAGE = "/search/"
STATIC_DIR = "/static/"
STYLESHEET = "/static/byline.css"
FEED_ATOM = "feed.xml"
FEED_RSS = "rss.xml"
FEED_JSON = "/feed.json"
SITEMAP = "/sitemap.xml"
ROBOTS = "/robots.txt"
NOT_FOUND = "/404.html"
NETLIFY_REDIRECTS = "/_redirects"
NGINX_REDIRECTS = "/nginx-redirects.map"


def relative_file(url: str, *, hidden: bool = False) -> str:
    """The file, relative to the output folder, that site address ``url`` is written to.

    "/" and addresses ending in "/" are folders and get ``index.html``.
    ``hidden`` lets the first segment start with a dot, for byline's own
    bookkeeping (``/.byline/manifest.json``); addresses from content never set it.
    Raises ``PublishError`` for an address that could leave the output folder.
    """
    if not url.startswith("/") or url.startswith("//"):
        raise PublishError(f"not a site address (must start with one '/'): {url!r}")
    parts = url[1:].split("/")
    if parts[-1] == "":
        parts[-1] = INDEX_FILE
    if len(parts) > MAX_SEGMENTS:
        raise PublishError(f"site address too deep: {url!r}")
    for position, part in enumerate(parts):
        if hidden and position == 0 and part.startswith(".") and part not in (".", ".."):
            part = part[1:]
        if not SEGMENT.match(part) or part in (".", ".."):
            raise PublishError(f"unsafe site address {url!r} (segment {part!r})")
        if len(part.encode("utf-8")) > MAX_SEGMENT_BYTES:
            raise PublishError(f"site address segment too long in {url!r}")
    relative = "/".join(parts)
    # Belt and braces: whatever the segments, the result must normalise to itself.
    if os.path.normpath(relative).replace(os.sep, "/") != relative or os.path.isabs(relative):
        raise PublishError(f"unsafe site address {url!r}")
    return relative


def output_path(out_dir: Path, url: str, *, hidden: bool = False) -> Path:
    """The file under ``out_dir`` that ``url`` is written to; never outside it."""
    return out_dir / relative_file(url, hidden=hidden)


def checked_slug(slug: str) -> str:
    """``slug`` if it is ``[a-z0-9-]`` only, else a clean slug made from it."""
    return slug if SLUG.match(slug) else slugify(slug)


def paged(base: str, page: int) -> str:
    """Page ``page`` of a listing whose first page is ``base`` ("/tag/x/" -> "/tag/x/page/2/")."""
    return base if page == 1 else f"{base}{PAGE_DIR}/{page}/"


def post_url(slug: str, published: date | None) -> str:
    """A post's permalink: "/YYYY/MM/slug/", or "/undated/slug/" without a date."""
    if published is None:
        return f"/{UNDATED_DIR}/{slug}/"
    return f"/{published.year:04d}/{published.month:02d}/{slug}/"


def archive_url(kind: str, slug: str) -> str:
    """The first page of a category, tag or outlet archive."""
    return f"/{ARCHIVE_DIRS[kind]}/{slug}/"


def year_url(year: int) -> str:
    return f"/{year:04d}/"


def assign_slugs(items: Iterable[tuple[int, str]]) -> dict[int, str]:
    """A distinct slug for each (id, name), decided in id order.

    The term stored first keeps the plain slug; a later one whose name
    slugifies the same gets "-2", "-3" ...  Ids are stable, so are the slugs.
    """
    taken: set[str] = set()
    found: dict[int, str] = {}
    for item_id, name in sorted(dict(items).items()):
        found[item_id] = _free(slugify(name), taken)
    return found


def assign_post_slugs(items: Iterable[tuple[int, str]]) -> dict[int, str]:
    """Each post's slug from the store (already unique there), made safe and kept distinct."""
    taken: set[str] = set()
    return {post_id: _free(checked_slug(slug), taken) for post_id, slug in sorted(items)}


def _free(slug: str, taken: set[str]) -> str:
    candidate = slug
    for suffix in range(2, MAX_SLUG_SUFFIX):
        if candidate not in taken:
            taken.add(candidate)
            return candidate
        candidate = f"{slug}-{suffix}"
    raise PublishError(f"no free slug for {slug!r}")


def old_url_path(url: str) -> str:
    """The site address an old URL (a path or a full URL) is served at.

    The host is dropped (it was the old site's), percent-escapes decoded (a
    server decodes them before looking for a file), and an address without a
    file extension becomes a folder.  Raises ``PublishError`` when no file can
    stand for it: a query string or fragment only, or an unsafe path.
    """
    parts = urlsplit(url.strip())
    path = unquote(parts.path)
    if parts.query or not path.strip("/"):
        raise PublishError(f"old URL {url!r} cannot be a file (a query string or the home page)")
    if not path.startswith("/"):
        path = "/" + path
    last = path.rsplit("/", 1)[-1]
    if last and "." not in last:
        path += "/"
    relative_file(path)  # refuse now rather than when writing
    return path
