"""Read the plain text of an archive page (a crawl's extract, a paste, a web-archive copy).

Checks happen before anything else is touched, so a refused file never reaches
the store: empty, binary, over the size limit, or no line breaks at all.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from byline.errors import ParseError, SourceError
from byline.recover import RecoveredPage, recover_text

MAX_TEXT_BYTES = 8 * 1024 * 1024  # the longest archive page seen is ~100 KB; 8 MB is generous
MAX_LINE_CHARS = 200_000  # a "page" that is one enormous line is not paragraphs of text
BINARY_CONTROL_RATIO = 0.01  # share of control characters above which text is binary
LEGACY_ENCODINGS = ("cp1252", "latin-1")


@dataclass(frozen=True)
class TextFile:
    path: str
    text: str
    sha256: str
    encoding: str


def read_text_file(path: str | Path) -> TextFile:
    """Read and decode a text file, refusing what cannot be an archive page."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_TEXT_BYTES:
            raise SourceError(
                f"{name}: file is {size / 1e6:.1f} MB, over the {MAX_TEXT_BYTES // 2**20} MB "
                "limit for an archive page"
            )
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise SourceError(f"{name}: cannot read ({exc.strerror or exc})") from exc
    text, encoding = decode_bytes(raw, name)
    check_text(text, name)
    return TextFile(name, text, hashlib.sha256(raw).hexdigest(), encoding)


def decode_bytes(raw: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """UTF-8 first (with or without BOM); otherwise the most likely legacy encoding."""
    if not raw.strip():
        raise SourceError(f"{name}: file is empty")
    if b"\x00" in raw:
        raise SourceError(f"{name}: file is binary, not text")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    guessed = _guess_encoding(raw)
    for encoding in (guessed, *LEGACY_ENCODINGS):
        if not encoding:
            continue
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    raise SourceError(f"{name}: cannot decode as text")


def _guess_encoding(raw: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:200_000]).best()
    if best is None:
        return None
    encoding: str = best.encoding
    # charset-normalizer may name a close cousin of cp1252 for Western text;
    # cp1252 is what Windows tools actually wrote, and a superset of latin-1's printables.
    if encoding in {"latin_1", "iso8859_15", "cp1250"} and _decodes(raw, "cp1252"):
        return "cp1252"
    return encoding


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def check_text(text: str, name: str) -> None:
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > BINARY_CONTROL_RATIO * len(text):
        raise SourceError(f"{name}: file is binary, not text")
    longest = max((len(line) for line in text.splitlines()), default=0)
    if longest > MAX_LINE_CHARS:
        raise SourceError(
            f"{name}: a line of {longest:,} characters; an archive page is paragraphs of text"
        )


MARKUP_OPENINGS = ("<", "{", "[")  # HTML, XML, JSON: other readers' inputs, not page text


def read_archive_text(path: str | Path) -> RecoveredPage:
    """Read an archive page's text file and recover its posts.

    Raises ParseError when the text holds no archive: markup or data rather
    than paragraphs, or paragraphs with no headline, date or archive title.
    """
    source = read_text_file(path)
    if source.text.lstrip().startswith(MARKUP_OPENINGS):
        raise ParseError(f"{source.path}: looks like markup or data, not the text of a page")
    page = recover_text(source.text, path=source.path, sha256=source.sha256)
    if not looks_like_archive(page):
        raise ParseError(f"{source.path}: no posts found (no archive title, headline or date line)")
    return page


def looks_like_archive(page: RecoveredPage) -> bool:
    if not page.posts:
        return False
    if page.title is not None:
        return True
    return any(post.headline or post.published for post in page.posts)
