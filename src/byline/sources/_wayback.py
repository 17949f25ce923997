"""Web-archive captures: the Wayback Machine's own markup out, the original address and date in.

A page saved from the Wayback Machine carries the archive's scripts and
styles at the top of ``<head>`` (ending ``<!-- End Wayback Rewrite JS Include
-->``), a toolbar between ``BEGIN``/``END WAYBACK TOOLBAR INSERT`` comments, a
closing comment saying when the file was archived, and every link rewritten
as ``web.archive.org/web/<timestamp>/<original>``.  All of that is removed or
unwrapped before the page is read, and the capture's original URL and time
are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

TOOLBAR = re.compile(
    r"<!--\s*BEGIN WAYBACK TOOLBAR INSERT\s*-->.*?<!--\s*END WAYBACK TOOLBAR INSERT\s*-->",
    re.S | re.I,
)
REWRITE_INCLUDE = re.compile(
    r"<script[^>]*(?:archive\.org|athena\.js|bundle-playback|wombat)[^>]*>.*?"
    r"<!--\s*End Wayback Rewrite JS Include\s*-->",
    re.S | re.I,
)
WOMBAT = re.compile(r"""__wm\.wombat\(\s*["'](?P<url>[^"']+)["']\s*,\s*["'](?P<ts>\d{8,14})["']""")
ARCHIVED_ON = re.compile(
    r"FILE ARCHIVED ON\s+(?P<time>\d{1,2}:\d{2}:\d{2})\s+"
    r"(?P<date>[A-Z][a-z]{2}\s+\d{1,2},\s+\d{4})",
    re.I,
)
ARCHIVE_COMMENT = re.compile(
    r"<!--\s*FILE ARCHIVED ON.*?-->|<!--\s*playback timings.*?-->", re.S | re.I
)
# https://web.archive.org/web/20190305123456im_/https://example.com/a.jpg → https://example.com/a.jpg
ARCHIVED_URL = re.compile(
    r"(?:(?:https?:)?//web\.archive\.org)?/web/(?P<ts>\d{4,14})(?:[a-z]{2}_)?/(?=(?:https?:)?//|[a-z0-9.-]+\.[a-z]{2,})",
    re.I,
)
ARCHIVED_PAGE = re.compile(
    r"(?:https?:)?//web\.archive\.org/web/(?P<ts>\d{4,14})(?:[a-z]{2}_)?/(?P<url>\S+)", re.I
)
TIMESTAMP_FORMATS = {14: "%Y%m%d%H%M%S", 12: "%Y%m%d%H%M", 8: "%Y%m%d"}
WAYBACK_MARKERS = ("web.archive.org", "WAYBACK TOOLBAR", "__wm.", "FILE ARCHIVED ON")


@dataclass(frozen=True)
class Capture:
    """A page with the archive's markup gone, and what the archive said about it."""

    html: str
    original_url: str | None
    captured_at: datetime | None

    @property
    def is_capture(self) -> bool:
        return self.original_url is not None or self.captured_at is not None


def unwrap_capture(html: str) -> Capture:
    """The page as its site served it; a page that is no capture comes back unchanged."""
    if not any(marker in html for marker in WAYBACK_MARKERS):
        return Capture(html, None, None)
    original: str | None = None
    captured: datetime | None = None
    wombat = WOMBAT.search(html)
    if wombat:
        original, captured = wombat.group("url"), parse_timestamp(wombat.group("ts"))
    if captured is None:
        stamp = ARCHIVED_ON.search(html)
        if stamp:
            captured = _archived_on(stamp.group("date"), stamp.group("time"))
    if original is None:
        page = _canonical_capture(html)
        if page:
            original, captured = page[0], captured or page[1]
    cleaned = TOOLBAR.sub("", html)
    cleaned = REWRITE_INCLUDE.sub("", cleaned)
    cleaned = ARCHIVE_COMMENT.sub("", cleaned)
    cleaned = ARCHIVED_URL.sub("", cleaned)
    return Capture(cleaned, original, captured)


def original_url(url: str) -> str:
    """An address with any Wayback wrapping removed."""
    return ARCHIVED_URL.sub("", url)


def parse_timestamp(stamp: str) -> datetime | None:
    """A Wayback timestamp (``20190305123456``, UTC)."""
    fmt = TIMESTAMP_FORMATS.get(len(stamp))
    if fmt is None:
        return None
    try:
        return datetime.strptime(stamp, fmt).replace(tzinfo=UTC)
    except ValueError:
        return None


def _archived_on(day: str, time: str) -> datetime | None:
    try:
        return datetime.strptime(f"{day} {time}", "%b %d, %Y %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


CANONICAL = re.compile(
    r"""<(?:link[^>]+rel=["']canonical["'][^>]*href|meta[^>]+property=["']og:url["'][^>]*content)"""
    r"""\s*=\s*["'](?P<href>[^"']+)["']""",
    re.I,
)


def _canonical_capture(html: str) -> tuple[str, datetime | None] | None:
    match = CANONICAL.search(html)
    if not match:
        return None
    page = ARCHIVED_PAGE.match(match.group("href"))
    if not page:
        return None
    return page.group("url"), parse_timestamp(page.group("ts"))
