"""Building sites in tests and checking what was built: HTML5, links, files."""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import html5lib

from byline.api import Archive
from byline.publish.site import BuildReport, build_site
from byline.settings import Settings
from byline.store import SQLiteStore

SETTINGS = Settings(title="Test Archive", author="A. Writer", base_url="https://example.org")


def import_and_build(
    db: Path, pages: list[Path], out: Path, settings: Settings = SETTINGS
) -> BuildReport:
    """Import ``pages`` into a new archive at ``db`` and build its site into ``out``."""
    with Archive.open(db) as archive:
        archive.import_paths(pages)
    return build(db, out, settings)


def build(db: Path, out: Path, settings: Settings = SETTINGS, *, full: bool = False) -> BuildReport:
    with SQLiteStore(db) as store:
        return build_site(store, out, settings, full=full)


def html_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if ".byline" not in p.parts)


def site_files(out: Path) -> dict[str, tuple[int, str]]:
    """Every file byline's build owns: relative path -> (mtime_ns, sha256)."""
    found = {}
    for path in sorted(out.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found[str(path.relative_to(out))] = (
                path.stat().st_mtime_ns,
                hashlib.sha256(data).hexdigest(),
            )
    return found


def parse_errors(path: Path) -> list[str]:
    """HTML5 parse errors in a page (html5lib, as browsers parse)."""
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(path.read_text("utf-8"))
    return [f"{path}: {pos} {code} {data}" for pos, code, data in parser.errors]


def assert_html5(path: Path) -> None:
    """Raise if the page does not parse as HTML5 without a single error."""
    parser = html5lib.HTMLParser(strict=True)
    try:
        parser.parse(path.read_text("utf-8"))
    except html5lib.html5parser.ParseError as exc:
        raise AssertionError(f"{path}: not valid HTML5 ({exc}); {parse_errors(path)[:3]}") from exc


class PageLinks(HTMLParser):
    """Every link target and every id of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        for name in ("href", "src"):
            value = values.get(name)
            if value is not None and not (tag == "link" and values.get("rel") == "canonical"):
                self.links.append((tag, value))


def page_links(path: Path) -> PageLinks:
    parser = PageLinks()
    parser.feed(path.read_text("utf-8"))
    return parser


def target_file(out: Path, page: Path, url: str, root: str = "") -> Path | None:
    """The file an internal link points to (None for an external one)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        return page
    if path.startswith("/"):
        if root and path.startswith(root):
            path = path[len(root) :] or "/"
        target = out / path.lstrip("/")
    else:
        target = page.parent / path
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def broken_links(out: Path, root: str = "") -> list[str]:
    """Every internal link or #anchor in the site that leads nowhere."""
    problems: list[str] = []
    ids: dict[Path, set[str]] = {}
    pages = html_files(out)
    parsed = {page: page_links(page) for page in pages}
    for page, links in parsed.items():
        ids[page.resolve()] = links.ids
    for page, links in parsed.items():
        for tag, url in links.links:
            target = target_file(out, page, url, root)
            if target is None:
                continue
            if not target.is_file():
                problems.append(f"{page.relative_to(out)}: <{tag}> {url} -> missing {target}")
                continue
            fragment = urldefrag(url).fragment
            if fragment:
                known = ids.get(target.resolve())
                if known is None or unquote(fragment) not in known:
                    problems.append(f"{page.relative_to(out)}: {url} -> no id {fragment!r}")
    return problems
