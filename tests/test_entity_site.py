"""Entity pages in the built site: where they are, what they show, links both ways, rebuilds."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from site_helpers import SETTINGS, assert_html5, broken_links, build, html_files, site_files

from byline import Archive

FIXTURE_PAGE = Path(__file__).resolve().parent / "fixtures" / "entities" / "pages"
ASTANA = "entity/place/astana/index.html"
ISKP = "entity/organisation/islamic-state-khorasan-province/index.html"
LINK = re.compile(r'<a href="([^"]+)">([^<]+)</a>')


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The fixture page imported, indexed and built: (database, site folder)."""
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "a.db"
    with Archive.open(db) as archive:
        archive.import_paths([FIXTURE_PAGE])
    out = tmp_path / "site"
    build(db, out)
    return db, out


def page(out: Path, relative: str) -> str:
    return (out / relative).read_text("utf-8")


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_every_entity_named_in_a_published_post_has_a_page(site: tuple[Path, Path]) -> None:
    db, out = site
    with Archive.open(db) as archive:
        named = archive.entities()
    pages = {
        p.parent.relative_to(out / "entity").as_posix()
        for p in (out / "entity").rglob("index.html")
    }
    assert len(pages) == len(named)
    assert {
        "place/astana",
        "country/kyrgyzstan",
        "organisation/islamic-state-khorasan-province",
    } <= pages


def test_an_entity_page_lists_its_posts_timeline_company_and_figures(
    site: tuple[Path, Path],
) -> None:
    _, out = site
    html = page(out, "entity/country/kyrgyzstan/index.html")
    assert "<h1>Kyrgyzstan</h1>" in html
    posts = LINK.findall(section(html, "posts-heading"))
    assert [title for _, title in posts] == [
        "What the SCO summit will not say",
        "The Belt and Road reaches the Caspian",
    ]
    assert "undated, about 2021" in section(html, "posts-heading")
    timeline = section(html, "timeline-heading")
    assert '<span class="timeline-year">2021</span>' in timeline
    assert "2 mentions in 2 posts (1 dated by estimate)" in timeline
    together = dict((name, href) for href, name in LINK.findall(section(html, "together-heading")))
    assert together["Bishkek"] == "/entity/place/bishkek/"
    figures = section(html, "figures-heading")
    assert "<strong>US$280 million</strong>" in figures
    assert "Also written Kyrgyz Republic" in html and "wikidata.org/wiki/Q813" in html


def test_posts_link_to_their_entities_and_entities_back(site: tuple[Path, Path]) -> None:
    _, out = site
    post = page(out, "2022/09/astana-gets-its-old-name-back/index.html")
    mentioned = dict(LINK.findall(section(post, "mentions-heading")))
    assert mentioned["/entity/place/astana/"] == "Astana"
    assert mentioned["/entity/person/kassym-jomart-tokayev/"] == "Kassym-Jomart Tokayev"
    back = [href for href, _ in LINK.findall(section(page(out, ASTANA), "posts-heading"))]
    assert "/2022/09/astana-gets-its-old-name-back/" in back


def test_the_entity_index_counts_by_type_and_is_in_the_nav(site: tuple[Path, Path]) -> None:
    _, out = site
    html = page(out, "entities/index.html")
    headings = re.findall(r'<h2 id="type-(\w+)">', html)
    assert headings == ["country", "place", "person", "organisation", "initiative"]
    assert '<a href="/entity/place/astana/">Astana</a> <span class="count">2 posts</span>' in html
    assert '<a href="/entities/">Entities</a>' in page(out, "index.html")
    assert "/entities/" in page(out, "sitemap.xml")


def test_the_site_with_entity_pages_has_no_broken_link_and_is_html5(
    site: tuple[Path, Path],
) -> None:
    _, out = site
    assert broken_links(out) == []
    for path in html_files(out):
        assert_html5(path)


def test_a_rebuild_rewrites_only_the_entity_pages_that_changed(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    db, out = site
    before = site_files(out)
    time.sleep(0.01)
    assert build(db, out).written == 0
    knowledge = tmp_path / "knowledge.yaml"
    knowledge.write_text(
        "entities:\n  - name: Kambarata-1\n    type: initiative\n"
        "    aliases: [Kambarata Hydropower Plant]\n",
        encoding="utf-8",
    )
    with Archive.open(db) as archive:
        assert len(archive.index(knowledge=knowledge).indexed) == 1
    report = build(db, out)
    written = set(report.written_paths)
    assert "entity/initiative/kambarata-1/index.html" in written
    assert "2021/what-the-sco-summit-will-not-say/index.html" not in written  # undated:
    assert "undated/what-the-sco-summit-will-not-say/index.html" in written
    assert {"entities/index.html", "sitemap.xml"} <= written
    # Entities named in the SCO post list it among their company: theirs change too.
    assert "entity/place/bishkek/index.html" in written
    # Nothing else: not the pages of entities the SCO post does not name.
    after = site_files(out)
    for unrelated in (ASTANA, ISKP, "2022/09/astana-gets-its-old-name-back/index.html"):
        assert after[unrelated] == before[unrelated], unrelated
    assert len(written) < len(before) / 3


def test_a_site_whose_archive_was_never_indexed_has_no_entity_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "a.db"
    with Archive.open(db) as archive:
        archive.import_paths([FIXTURE_PAGE], index=False)
    out = tmp_path / "site"
    build(db, out, SETTINGS)
    assert not (out / "entities").exists() and not (out / "entity").exists()
    assert "Mentioned in this piece" not in page(
        out, "2022/09/astana-gets-its-old-name-back/index.html"
    )
    assert broken_links(out) == []
