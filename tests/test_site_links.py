"""The built site as a whole: every link and anchor resolves, every page is HTML5,
no page asks another host for anything, and no address can leave the output folder."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import IMPORT_PAGES, SEED_CATEGORY, SEED_TAG
from hypothesis import given
from hypothesis import strategies as st
from site_helpers import assert_html5, broken_links, html_files, import_and_build

from byline.errors import PublishError
from byline.model import slugify
from byline.publish._urls import (
    assign_slugs,
    old_url_path,
    output_path,
    post_url,
    relative_file,
)
from byline.settings import Settings

EXTERNAL = re.compile(r"""(?:src|href)="(?:https?:)?//""")
ALLOWED_EXTERNAL = re.compile(
    r"""<link rel="canonical" href="https?://|<meta property="og:url" content="https?://"""
)
CSS_URL = re.compile(r"url\(|@import")


@pytest.fixture(scope="module", params=["fixtures", "seeds"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built site: from the fixture pages, and from the two seed pages."""
    if request.param == "seeds":
        if not (SEED_CATEGORY.exists() and SEED_TAG.exists()):
            pytest.skip(f"shared corpus seeds not found at {SEED_CATEGORY.parent}")
        pages = [SEED_CATEGORY, SEED_TAG]
    else:
        pages = [IMPORT_PAGES]
    base = tmp_path_factory.mktemp(request.param)
    import_and_build(base / "a.db", pages, base / "site")
    return base / "site"


def test_no_internal_link_or_anchor_is_broken(built: Path) -> None:
    assert html_files(built)
    assert broken_links(built) == []


def test_every_page_parses_as_html5(built: Path) -> None:
    for page in html_files(built):
        assert_html5(page)


def test_no_page_loads_anything_from_another_host(built: Path) -> None:
    for page in html_files(built):
        for line in page.read_text("utf-8").splitlines():
            if line.startswith(("<link rel", "<script", "<img", "<iframe", "<source")):
                assert not EXTERNAL.search(line) or ALLOWED_EXTERNAL.search(line), line
    for css in built.rglob("*.css"):
        assert not CSS_URL.search(css.read_text("utf-8")), css


def test_a_site_under_a_path_links_within_it(tmp_path: Path) -> None:
    settings = Settings(base_url="https://example.org/archive")
    out = tmp_path / "site"
    import_and_build(tmp_path / "a.db", [IMPORT_PAGES], out, settings)
    index = (out / "index.html").read_text()
    assert 'href="/archive/static/byline.css"' in index
    assert broken_links(out, root="/archive") == []


# -- addresses ------------------------------------------------------------------------


@given(st.text())
def test_an_address_never_leaves_the_output_folder(text: str) -> None:
    out = Path("/srv/site")
    for url in (text, "/" + text, "/tag/" + text + "/"):
        try:
            path = output_path(out, url)
        except PublishError:
            continue
        resolved = os.path.normpath(path)
        assert resolved.startswith("/srv/site/"), (url, resolved)
        assert "\x00" not in resolved


@given(st.text())
def test_every_slug_is_a_safe_single_segment(text: str) -> None:
    slug = slugify(text)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug)
    assert relative_file(f"/tag/{slug}/") == f"tag/{slug}/index.html"


@pytest.mark.parametrize(
    "url",
    ["../x", "/../x", "/a/../../x", "/a/./b", "//host/x", "/a\\b", "/a\x00b", "/.hidden", "C:/x"],
)
def test_unsafe_addresses_are_refused(url: str) -> None:
    with pytest.raises(PublishError):
        relative_file(url)


def test_own_bookkeeping_may_be_hidden_but_nothing_else() -> None:
    assert relative_file("/.byline/manifest.json", hidden=True) == ".byline/manifest.json"
    with pytest.raises(PublishError):
        relative_file("/.byline/manifest.json")
    with pytest.raises(PublishError):
        relative_file("/../.byline/x", hidden=True)


def test_permalinks_are_dated_or_undated() -> None:
    from datetime import date

    assert post_url("a-slug", date(2020, 5, 29)) == "/2020/05/a-slug/"
    assert post_url("a-slug", None) == "/undated/a-slug/"


def test_colliding_slugs_go_to_the_term_stored_first() -> None:
    assert assign_slugs([(2, "C"), (1, "C++"), (3, "c-2")]) == {1: "c", 2: "c-2", 3: "c-2-2"}


def test_old_urls_become_paths_of_this_site() -> None:
    assert old_url_path("https://old.example.com/2019/03/x/") == "/2019/03/x/"
    assert old_url_path("/2019/03/x") == "/2019/03/x/"
    assert old_url_path("/archives/123.html") == "/archives/123.html"
    assert old_url_path("/2019/03/caf%C3%A9/") == "/2019/03/café/"
    for bad in ("/?p=12", "https://old.example.com/", "/a/../../b/"):
        with pytest.raises(PublishError):
            old_url_path(bad)
