"""The edge where structured sources touch files: size limits, reading, decoding.

Every reader checks a file's size from the file system before reading a byte
of it, so an oversized file is refused without being read.  Whole-file
readers (HTML, feeds, Markdown) read at most their limit; the WordPress reader
streams and has a much larger limit.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from byline.errors import SourceError
from byline.sources.text import decode_bytes

MIB = 2**20
SNIFF_BYTES = 64 * 1024  # what detection reads of a file: enough for any XML/HTML prologue
MAX_WXR_BYTES = 2048 * MIB  # read in chunks, never whole: a 10,000-post export is ~100 MB
MAX_HTML_BYTES = 16 * MIB  # a saved article with inline images is rarely over 5 MB
MAX_FEED_BYTES = 16 * MIB  # feeds carry the latest posts, a few MB at most
MAX_MARKDOWN_BYTES = 4 * MIB  # one post per file
MAX_XML_DEPTH = 64  # WXR and feeds nest 5-6 deep; their HTML travels as text, not elements
MAX_HTML_DEPTH = 200  # saved pages reach ~40; libxml2 itself gives up at 256
READ_CHUNK = 1 * MIB  # streaming reads

# An XML declaration's or an HTML meta tag's charset, read from the first bytes.
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# Labels that mean Windows-1252 in practice (the HTML standard reads them so).
WINDOWS_1252_LABELS = frozenset(
    {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"}
)
MIXED_UTF8_ERRORS = "byline-cp1252"  # a stray legacy byte inside UTF-8 is read as Windows-1252


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error(MIXED_UTF8_ERRORS, _cp1252_fallback)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(READ_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_size(path: str | Path, limit: int, what: str) -> int:
    """The file's size, or SourceError when it is missing, empty or over ``limit``."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
    except OSError as exc:
        raise SourceError(f"{name}: cannot read ({exc.strerror or exc})") from exc
    if Path(path).is_dir():
        raise SourceError(f"{name}: is a folder, not a file")
    if size == 0:
        raise SourceError(f"{name}: file is empty")
    if size > limit:
        raise SourceError(
            f"{name}: file is {size / MIB:.1f} MB, over the {limit // MIB} MB limit for {what}"
        )
    return size


def read_head(path: str | Path, size: int = SNIFF_BYTES) -> bytes:
    """The first ``size`` bytes of a file (for detection)."""
    try:
        with Path(path).open("rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def read_limited(path: str | Path, limit: int, what: str) -> bytes:
    """A whole file, refused before reading when it is over ``limit`` bytes."""
    file_size(path, limit, what)
    try:
        with Path(path).open("rb") as handle:
            raw = handle.read(limit + 1)  # a file that grew since stat() is still bounded
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if len(raw) > limit:
        raise SourceError(f"{path}: file is over the {limit // MIB} MB limit for {what}")
    return raw


def declared_encoding(head: bytes) -> str | None:
    """The charset an XML declaration or an HTML ``<meta>`` names, normalised."""
    match = XML_ENCODING.match(head) or META_CHARSET.search(head[:SNIFF_BYTES])
    if not match:
        return None
    label = match.group(1).decode("ascii", "replace").strip().lower()
    if label in WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_markup(raw: bytes, name: str) -> tuple[str, str]:
    """Text of an XML/HTML/Markdown file and the encoding used.

    A UTF-8 BOM or valid UTF-8 wins; then the charset the file declares, if
    the bytes decode with it; then the most likely legacy encoding
    (``sources.text.decode_bytes``).
    """
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", MIXED_UTF8_ERRORS), "utf-8"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise SourceError(f"{name}: cannot decode as UTF-16 text") from exc
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_encoding(raw[:SNIFF_BYTES])
    if declared and declared not in {"utf-8", "utf_8"}:
        try:
            return raw.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass
    return decode_bytes(raw, name)


def stream_text(path: Path, encoding: str, digest: Any = None) -> Iterator[str]:
    """A file's text in chunks, decoded incrementally (UTF-8 tolerates stray legacy bytes).

    ``digest`` (a hashlib object) is fed every raw byte on the way.
    """
    errors = MIXED_UTF8_ERRORS if codecs.lookup(encoding).name == "utf-8" else "strict"
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    with path.open("rb") as handle:
        first = True
        for chunk in iter(lambda: handle.read(READ_CHUNK), b""):
            if digest is not None:
                digest.update(chunk)
            if first and chunk.startswith(codecs.BOM_UTF8):
                chunk = chunk[len(codecs.BOM_UTF8) :]
            first = False
            yield decoder.decode(chunk)
        yield decoder.decode(b"", final=True)


def stream_encoding(head: bytes, name: str) -> str:
    """The encoding to stream an XML file with, judged from its first bytes."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    declared = declared_encoding(head)
    if declared and declared not in {"utf-8", "utf_8"}:
        return declared
    try:
        # a multi-byte character cut at the end of the head is not an error
        codecs.getincrementaldecoder("utf-8")().decode(head.removeprefix(codecs.BOM_UTF8))
    except UnicodeDecodeError:
        _, guessed = decode_bytes(head, name)
        return guessed
    return "utf-8"
