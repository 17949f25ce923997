"""The built site in headless Chromium: home, post, category and tag pages, and search.

The site is built with ``byline build`` into a temporary folder and served by
the standard library's HTTP server on 127.0.0.1; Chromium (Debian's
``/usr/bin/chromium``, driven by Playwright) opens it as a reader would.  A
screenshot of each page goes to ``artifacts/screenshots/`` (or
``$BYLINE_ARTIFACTS/screenshots/``), and no request may leave 127.0.0.1.

Without Chromium or Playwright the tests skip, saying what is missing; under CI
(``$CI`` set) they fail instead, because ``.ci/run`` installs both.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from conftest import IMPORT_PAGES, SEED_CATEGORY, SEED_TAG

from byline.cli import main
from byline.publish.search_index import search_static_index

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOST = "127.0.0.1"
TOKENIZER_FIXTURE = Path(__file__).parent / "fixtures" / "search" / "tokenizer.json"
WAIT_MS = 10_000  # the longest any page or search may take to show what is asserted
IGNORED_MISSING = ("/favicon.ico",)  # asked for by the browser itself, not by a page


@dataclass(frozen=True)
class SiteCase:
    """What the built site holds, and what each page should show."""

    pages: list[Path]
    category_path: str
    category_heading: str
    category_posts: int
    tag_path: str
    tag_heading: str
    tag_posts: int
    query: str
    expected_title: str


SEED_CASE = SiteCase(
    pages=[SEED_CATEGORY, SEED_TAG],
    category_path="/category/nikkei-asia-review/",
    category_heading="Archive for the ‘Nikkei Asia Review’ Category",
    category_posts=10,
    tag_path="/tag/china-central-asia/",
    tag_heading="Posts Tagged ‘China-Central Asia’",
    tag_posts=10,
    query="Karakalpakstan",
    expected_title="The Perils of Ignoring Eurasian Instability",
)
FIXTURE_CASE = SiteCase(
    pages=[
        IMPORT_PAGES / name
        for name in (
            "columns.txt",
            "legacy_cp1252.txt",
            "tagged_ecologie.txt",
            "tagged_ferries.txt",
        )
    ],
    category_path="/category/columns/",
    category_heading="Archive for the ‘Columns’ Category",
    category_posts=2,
    tag_path="/tag/ferries/",
    tag_heading="Posts Tagged ‘Ferries’",
    tag_posts=2,
    query="ferry",
    expected_title="Fares up, timetables down: the ferry deal nobody asked for",
)


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed (pip install -e '.[dev]')"
    return None


def _case() -> SiteCase:
    if SEED_CATEGORY.exists() and SEED_TAG.exists():
        return SEED_CASE
    return FIXTURE_CASE


@pytest.fixture(scope="module")
def case() -> SiteCase:
    return _case()


@pytest.fixture(scope="module")
def site(case: SiteCase, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from the case's pages with ``byline build``."""
    work = tmp_path_factory.mktemp("browser-site")
    db, out = work / "archive.db", work / "site"
    runner = CliRunner()
    imported = runner.invoke(main, ["--db", str(db), "import", *map(str, case.pages)])
    assert imported.exit_code == 0, imported.output
    built = runner.invoke(main, ["--db", str(db), "build", "--out", str(out)])
    assert built.exit_code == 0, built.output
    return out


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    """The site served on 127.0.0.1 at a free port, for the module's tests."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{LOCAL_HOST}:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = _missing()
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests, but {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def screenshots() -> Path:
    folder = Path(os.environ.get("BYLINE_ARTIFACTS", ROOT / "artifacts")) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Visit:
    """A browser page that records every request, failed response and script error."""

    def __init__(self, browser: Any, base_url: str, screenshots: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1100, "height": 1200})
        self.page = self.context.new_page()
        self.page.set_default_timeout(WAIT_MS)
        self.base_url = base_url
        self.screenshots = screenshots
        self.requests: list[str] = []
        self.failures: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("response", self._response)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _response(self, response: Any) -> None:
        if response.status >= 400 and not urlsplit(response.url).path.endswith(IGNORED_MISSING):
            self.failures.append(f"{response.status} {response.url}")

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        return self.page

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(self.screenshots / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()
        hosts = {urlsplit(url).hostname for url in self.requests if not url.startswith("data:")}
        assert hosts <= {LOCAL_HOST}, f"requests left {LOCAL_HOST}: {sorted(map(str, hosts))}"
        assert not self.failures, self.failures
        assert not self.errors, self.errors


@pytest.fixture
def visit(browser: Any, base_url: str, screenshots: Path) -> Iterator[Visit]:
    opened = Visit(browser, base_url, screenshots)
    yield opened
    opened.close()


def _listed_titles(page: Any) -> list[str]:
    return [text.strip() for text in page.locator(".post-summary h2").all_inner_texts()]


def test_the_home_page_lists_the_latest_posts(visit: Visit) -> None:
    page = visit.open("/")
    assert page.locator("h1").first.inner_text().strip()
    assert _listed_titles(page), "the home page lists no post"
    assert page.locator("form[role=search] input[name=q]").count() == 1
    visit.shot("home")


def test_a_category_archive_lists_its_posts(visit: Visit, case: SiteCase) -> None:
    page = visit.open(case.category_path)
    assert page.locator("h1").inner_text().strip() == case.category_heading
    assert len(_listed_titles(page)) == min(case.category_posts, 10)
    visit.shot("category")


def test_a_tag_archive_lists_its_posts(visit: Visit, case: SiteCase) -> None:
    page = visit.open(case.tag_path)
    assert page.locator("h1").inner_text().strip() == case.tag_heading
    assert len(_listed_titles(page)) == min(case.tag_posts, 10)
    visit.shot("tag")


def test_the_search_box_finds_the_post_and_filters_narrow(visit: Visit, case: SiteCase) -> None:
    page = visit.open("/")
    box = page.locator("form[role=search] input[name=q]")
    box.fill(case.query)
    box.press("Enter")
    page.wait_for_url("**/search/**")
    result = page.locator(".search-result h2 a", has_text=case.expected_title)
    result.wait_for()
    status = page.locator("#search-status")
    assert "match" in status.inner_text()
    visit.shot("search")

    item = page.locator(".search-result", has=page.locator("h2 a", has_text=case.expected_title))
    summary = item.locator(".summary").inner_text()
    if case.query.casefold() in summary.casefold():
        assert (
            item.locator(".summary mark")
            .first.inner_text()
            .casefold()
            .startswith(case.query.casefold())
        )
    outlet = item.locator(".post-facts").inner_text()
    options = page.locator("#search-outlet option").evaluate_all("os => os.map(o => o.value)")
    ours = [value for value in options if value and value in outlet]
    others = [value for value in options if value and value not in outlet]
    assert ours, f"no outlet filter for {outlet!r} among {options}"
    if others:
        page.select_option("#search-outlet", others[0])
        page.wait_for_function(
            "t => ![...document.querySelectorAll('.search-result h2 a')].some(a => a.textContent === t)",
            arg=case.expected_title,
        )
        assert "outlet=" in page.url
        visit.shot("search-filtered-out")
    page.select_option("#search-outlet", ours[0])
    result.wait_for()
    visit.shot("search-filtered")


def test_typing_on_the_search_page_completes_the_last_word(visit: Visit, case: SiteCase) -> None:
    page = visit.open("/search/")
    assert "Type a word" in page.locator("#search-status").inner_text()
    page.locator("#search-q").press_sequentially(case.query[:-2].lower(), delay=20)
    page.locator(".search-result h2 a", has_text=case.expected_title).wait_for()
    assert page.url.endswith("?q=" + case.query[:-2].lower())


def test_a_post_page_opens_from_a_result(visit: Visit, case: SiteCase) -> None:
    page = visit.open("/search/?q=" + case.query)
    page.locator(".search-result h2 a", has_text=case.expected_title).click()
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text().strip() == case.expected_title
    assert page.locator("article").count() >= 1
    visit.shot("post")


def test_the_browser_tokenizes_and_ranks_as_python_does(visit: Visit, site: Path) -> None:
    page = visit.open("/search/")
    page.wait_for_function("() => window.BylineSearch !== undefined")
    fixture = json.loads(TOKENIZER_FIXTURE.read_text("utf-8"))
    tokens = page.evaluate(
        "cases => cases.map(c => window.BylineSearch.tokenize(c.input))", fixture["tokens"]
    )
    assert tokens == [case["tokens"] for case in fixture["tokens"]]
    queries = ["china", "central asia", "the fe", "water", "belt and road"]
    ranked = page.evaluate(
        """async queries => {
             const api = window.BylineSearch;
             const out = [];
             for (const q of queries) {
               const index = new api.Index(new URL('/search/', location.href).href);
               out.push((await api.rank(index, q, {})).ranked.map(r => r[0]));
             }
             return out;
           }""",
        queries,
    )
    for query, ids in zip(queries, ranked, strict=True):
        expected = search_static_index(site / "search", query, limit=10_000).hits
        assert ids == [hit.id for hit in expected], query
