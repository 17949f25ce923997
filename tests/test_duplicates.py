"""Near-duplicates: the same piece from several sources is one post listing them all."""

from __future__ import annotations

import json
import random
import warnings
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result
from conftest import SEED_CATEGORY
from dup_helpers import article_for, outlet_article_html

from byline import Archive
from byline.api import read_page
from byline.cli import main
from byline.duplicates import (
    MIN_WORDS,
    NearIndex,
    Version,
    _minimums,
    confirm,
    datasketch_signature,
    jaccard,
    signature,
)
from byline.errors import NotFoundError, StoreError

HEADLINE = "The quay café and the council's lease"
STANDFIRST = "A small business, a long lease and a harbour that wants its land back"
PREFACE = (
    "A column for the Estuary Gazette on the café lease, written after the council meeting"
    " that nobody from the café was invited to."
)
BIO = "Ines Barrow is a research fellow at the Coastal Policy Unit in Penzance."
CAPTION = "The café on the quay at low tide, before the morning boats."
PARAGRAPHS = [
    "The café on the quay has served the first ferry's passengers since 1974. Its lease runs"
    " out in March, and the harbour board has said it will not renew it on the old terms.",
    "The board wants the land for a ticket office and a waiting room, which the ferry"
    " operator has asked for since the new contract. Nobody disputes that passengers need"
    " somewhere dry to wait; the question is why it must be the café's corner.",
    "The owners offered to share the building, with a counter for tickets at one end. The"
    " board's reply, sent a week before the meeting, said only that the plans were settled.",
    "Councillors who sit on the board were not told of the offer until the meeting itself,"
    " and two of them said so in public. The minutes record a vote to look at it again.",
    "What happens next depends on whether the board treats that vote as advice or as an"
    " instruction. Its chair has said both things in the same week.",
    "For the people who use the first boat, the café is not a matter of planning law. It is"
    " where they wait, in the dark, in the winter, and they would like to go on doing so.",
]
PUBLISHED = datetime(2023, 11, 14, 7, 0, tzinfo=timezone(timedelta(hours=0)))


def blog_page(paragraphs: list[str], headline: str = HEADLINE) -> str:
    """The blog's archive page showing the piece: preface, headline, standfirst, bio, body."""
    parts = [
        "Archive for the ‘Columns’ Category",
        PREFACE,
        headline,
        STANDFIRST,
        BIO,
        *paragraphs,
    ]
    return "\n\n".join(parts) + "\n"


def outlet_page(paragraphs: list[str], headline: str = HEADLINE) -> str:
    return outlet_article_html(
        headline=headline,
        standfirst=STANDFIRST,
        paragraphs=paragraphs,
        outlet="Estuary Gazette",
        published=PUBLISHED,
        author="Ines Barrow",
        caption=CAPTION,
        credit="Wren Photo",
        bio=BIO,
        url="https://estuary-gazette.example/opinion/quay-cafe-lease",
    )


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


# -- fingerprints and confirmation (pure) -------------------------------------------


def test_fingerprints_are_datasketch_minhashes() -> None:
    """byline computes update_batch's values on the array; they must stay datasketch's."""
    rng = random.Random(5)
    for count in (1, 3, 50, 1500):
        values = [rng.randrange(2**32) for _ in range(count)]
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no overflow warnings from the uint32 arithmetic
            ours = _minimums(np.array(values, dtype=np.uint32)).astype("<u4").tobytes()
        assert ours == datasketch_signature(values)


def test_short_texts_have_no_fingerprint() -> None:
    assert signature("too short to say anything") is None
    assert signature(" ".join(["word"] * MIN_WORDS)) is not None


def test_a_repost_with_preface_cut_and_edits_is_found_and_confirmed() -> None:
    original = "\n\n".join(PARAGRAPHS)
    repost = "\n\n".join(
        [
            "My note on this one, written on the ferry.",
            *PARAGRAPHS[:-1],
            PARAGRAPHS[-1].replace("in the winter", "all winter"),
        ]
    )
    first, second = signature(original), signature(repost)
    assert first is not None and second is not None
    assert jaccard(first, second) > 0.5
    index = NearIndex()
    index.add((1, 1), first)
    index.add((2, 1), signature("\n\n".join(reversed(PARAGRAPHS))) or b"")
    assert index.candidates(second)[0][0] == (1, 1)
    match = confirm(
        Version(HEADLINE, repost, date(2023, 11, 20)), Version(HEADLINE, original, PUBLISHED.date())
    )
    assert match is not None and match.similarity >= 90 and match.title_similarity == 100


def test_confirmation_refuses_other_text_other_titles_and_far_dates() -> None:
    text = "\n\n".join(PARAGRAPHS)
    other = "\n\n".join(
        [
            *PARAGRAPHS[:2],
            "Elsewhere in the county, the rail line to Quillmouth will close for eleven weeks"
            " next summer while engineers rebuild two viaducts and replace the signalling.",
            "Buses will replace trains between the junction and the coast; operators expect"
            " journeys to take forty minutes longer, more on market days and at weekends.",
            "Hoteliers worry about August bookings. Walkers' groups have asked for bicycle"
            " racks on the buses, which the operator says cannot be fitted in time.",
        ]
    )
    day = date(2023, 11, 14)
    assert confirm(Version(HEADLINE, other, day), Version(HEADLINE, text, day)) is None
    edited = text.replace("1974", "1975").replace("settled", "final")
    unrelated_title = Version("Budget day in the county hall", edited, day)
    assert confirm(unrelated_title, Version(HEADLINE, text, day)) is not None  # texts ~identical
    far = Version(HEADLINE, text, day + timedelta(days=900))
    assert confirm(far, Version(HEADLINE, text, day)) is None
    assert confirm(Version(HEADLINE, text, None), Version(HEADLINE, text, day)) is not None


# -- one piece, two sources (fixture written here) ------------------------------------


@pytest.fixture
def two_copies(tmp_path: Path) -> tuple[Path, Path]:
    """The blog's text page (last paragraph cut, one sentence edited) and the outlet's page."""
    blog = tmp_path / "columns.txt"
    edited = PARAGRAPHS[:-1]
    edited[1] = edited[1].replace("Nobody disputes", "No one disputes")
    blog.write_text(blog_page(edited), "utf-8")
    outlet = tmp_path / "quay-cafe-lease.html"
    outlet.write_text(outlet_page(PARAGRAPHS), "utf-8")
    return blog, outlet


def test_a_piece_from_a_text_page_and_an_html_page_is_one_post_with_two_sources(
    two_copies: tuple[Path, Path], db_path: Path
) -> None:
    blog, outlet = two_copies
    with Archive.open(db_path) as archive:
        first = archive.import_paths([blog], index=False)
        second = archive.import_paths([outlet], index=False)
        assert (first.new, second.new, second.merged) == (1, 0, 1)
        assert archive.counts().posts == 1
        (summary,) = archive.posts()
        sources = archive.sources(summary.id)
        post = archive.post(summary.id).post
    assert [(s.kind, s.matched) for s in sources] == [("archive-text", "first"), ("html", "near")]
    near = sources[1]
    assert near.similarity is not None and near.similarity >= 90
    assert near.url == "https://estuary-gazette.example/opinion/quay-cafe-lease"
    assert near.published == PUBLISHED.date()
    # each field from its best source: the piece, date and outlet from the outlet's page,
    # the preface and the categories from the blog's copy
    assert set(near.gives) == {"piece", "date", "outlet"}
    assert "preface" in sources[0].gives
    assert post.preface == [PREFACE]
    assert post.texts("body")[-1] == PARAGRAPHS[-1]  # the paragraph the blog cut
    assert post.outlet is not None and post.outlet.name == "Estuary Gazette"
    assert post.published == PUBLISHED.date()
    assert post.categories == ["Columns"]
    assert post.status == "publish"
    assert len(post.sources) == 2


def test_the_order_of_import_does_not_matter(two_copies: tuple[Path, Path], db_path: Path) -> None:
    blog, outlet = two_copies
    with Archive.open(db_path) as archive:
        archive.import_paths([outlet, blog], index=False)
        (summary,) = archive.posts()
        post = archive.post(summary.id).post
    assert post.preface == [PREFACE]
    assert post.categories == ["Columns"]  # the blog's, not the outlet's section
    assert post.texts("body")[-1] == PARAGRAPHS[-1]


def test_fingerprints_are_kept_so_a_later_import_still_finds_the_duplicate(
    two_copies: tuple[Path, Path], db_path: Path
) -> None:
    blog, outlet = two_copies
    with Archive.open(db_path) as archive:
        archive.import_paths([blog], index=False)
    with Archive.open(db_path) as archive:  # a new session: the LSH index comes from the store
        report = archive.import_paths([outlet], index=False)
        assert (report.new, report.merged) == (0, 1)
        again = archive.import_paths([blog, outlet], index=False)
        assert (again.new, again.merged, again.unchanged) == (0, 0, 2)


def test_two_posts_of_one_page_are_never_merged(tmp_path: Path, db_path: Path) -> None:
    """A page (or an export) lists each piece once: alike posts on it are two pieces."""
    page = tmp_path / "page.txt"
    second = [p.replace("1974", "1975") for p in PARAGRAPHS]
    page.write_text(
        blog_page(PARAGRAPHS)
        + "\nA second column for the Estuary Gazette, a follow-up on the same lease.\n\n"
        + "The quay café lease, again\n\nThe board has not moved\n\n"
        + "\n\n".join(second)
        + "\n",
        "utf-8",
    )
    with Archive.open(db_path) as archive:
        report = archive.import_paths([page], index=False)
        assert (report.new, report.merged) == (2, 0)


def test_different_pieces_are_not_merged(db_path: Path) -> None:
    from conftest import IMPORT_PAGES

    with Archive.open(db_path) as archive:
        report = archive.import_paths(
            [IMPORT_PAGES / "columns.txt", IMPORT_PAGES / "tagged_ecologie.txt"], index=False
        )
        assert report.merged == 0
        assert archive.duplicates() == []


def test_sources_and_duplicates_commands(two_copies: tuple[Path, Path], db_path: Path) -> None:
    blog, outlet = two_copies
    assert run("--db", str(db_path), "import", str(blog), str(outlet)).exit_code == 0
    listed = run("--db", str(db_path), "duplicates", "--format", "json")
    assert listed.exit_code == 0, listed.output
    (merged,) = json.loads(listed.stdout)
    assert [s["kind"] for s in merged["sources"]] == ["archive-text", "html"]
    table = run("--db", str(db_path), "sources", str(merged["id"]))
    assert table.exit_code == 0
    assert "archive-text" in table.stdout and "near" in table.stdout
    assert "https://estuary-gazette.example/opinion/quay-cafe-lease" in table.stdout
    assert "duplicates --split" in run("--db", str(db_path), "duplicates").stdout


def test_a_wrong_merge_is_split_back_into_two_posts(
    two_copies: tuple[Path, Path], db_path: Path
) -> None:
    blog, outlet = two_copies
    with Archive.open(db_path) as archive:
        archive.import_paths([blog, outlet], index=False)
        (summary,) = archive.posts()
        html_source = archive.sources(summary.id)[1].source_id
    result = run("--db", str(db_path), "duplicates", "--split", str(summary.id), str(html_source))
    assert result.exit_code == 0, result.output
    with Archive.open(db_path) as archive:
        posts = archive.posts()
        assert len(posts) == 2
        by_kind = {archive.sources(p.id)[0].kind: archive.post(p.id).post for p in posts}
        assert by_kind["archive-text"].preface == [PREFACE]
        assert by_kind["archive-text"].published is None
        assert by_kind["html"].outlet is not None and not by_kind["html"].preface
        assert by_kind["html"].categories == []
        assert archive.duplicates() == []
        again = archive.import_paths([blog, outlet], index=False)  # stays split
        assert (again.new, again.merged) == (0, 0)
        with pytest.raises(StoreError, match="one source only"):
            archive.split(posts[0].id, archive.sources(posts[0].id)[0].source_id)
        with pytest.raises(NotFoundError, match="has no source"):
            archive.split(posts[0].id, 999)


# -- the acceptance: a seed piece from its text page and from an HTML page -----------


@pytest.mark.parametrize("edited", [False, True], ids=["as-published", "cut-and-edited"])
def test_a_seed_piece_from_its_text_page_and_an_html_page_is_one_post_with_two_sources(
    seeds: list[Path], tmp_path: Path, db_path: Path, edited: bool
) -> None:
    """The acceptance of issue 4, on the shared corpus's seed page (skipped without it)."""
    piece = read_page(SEED_CATEGORY).posts[0]
    if edited:  # the outlet's copy lost a paragraph and had a sentence reworded
        body = [b for b in piece.blocks if b.role == "body"]
        piece.blocks.remove(body[-1])
        index = piece.blocks.index(body[1])
        piece.blocks[index] = type(body[1])(
            "body", body[1].text.replace("the", "a", 1), body[1].line
        )
    html = tmp_path / "nikkei-article.html"
    when = datetime(2023, 2, 21, 5, 0, tzinfo=UTC)
    html.write_text(article_for(piece, "Nikkei Asia", when, "Raffaello Pantucci"), "utf-8")
    with Archive.open(db_path) as archive:
        archive.import_paths([SEED_CATEGORY], index=False)
        before = archive.counts().posts
        report = archive.import_paths([html], index=False)
        assert report.ok and (report.new, report.merged) == (0, 1)
        assert archive.counts().posts == before
        (merged,) = archive.duplicates()
        post = archive.post(merged.id).post
    assert merged.title == piece.headline
    assert [s.kind for s in merged.sources] == ["archive-text", "html"]
    assert post.preface == piece.preface
    assert post.published == when.date()


def test_a_database_from_before_fingerprints_is_upgraded_and_matched(
    two_copies: tuple[Path, Path], db_path: Path
) -> None:
    """A schema-2 archive: migration 3 keeps its posts, and they get fingerprints when needed."""
    import sqlite3

    from byline.store._migrate import APPLICATION_ID, migrations

    blog, outlet = two_copies
    conn = sqlite3.connect(db_path, isolation_level=None)
    for migration in migrations()[:2]:
        for statement in migration.statements():
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 2")
    page = read_page(blog)
    (post,) = page.posts
    conn.execute(
        "INSERT INTO sources (id, sha256, path, kind, imported_at) VALUES (1, ?, ?, ?, ?)",
        (page.sha256, page.path, page.kind, "2024-01-01T00:00:00+00:00"),
    )
    conn.execute(
        "INSERT INTO posts (id, content_key, headline, title, slug, status, standfirst, body,"
        " source_id, line_start, line_end, position, created_at)"
        " VALUES (1, ?, ?, ?, 'lease', 'publish', ?, ?, 1, 1, 30, 0, '2024-01-01')",
        (post.content_key, post.headline, post.title, post.standfirst, post.body_text),
    )
    conn.executemany(
        "INSERT INTO blocks (post_id, source_id, seq, role, text, line) VALUES (1, 1, ?, ?, ?, ?)",
        [(seq, b.role, b.text, b.line) for seq, b in enumerate(post.blocks)],
    )
    conn.execute(
        "INSERT INTO post_sources (post_id, source_id, line_start, line_end, position)"
        " VALUES (1, 1, 1, 30, 0)"
    )
    conn.execute(
        "INSERT INTO terms (id, kind, name, key) VALUES (1, 'category', 'Columns', 'columns')"
    )
    conn.execute("INSERT INTO post_terms (post_id, term_id, source_id) VALUES (1, 1, 1)")
    conn.close()
    with Archive.open(db_path) as archive:
        report = archive.import_paths([outlet, blog], index=False)
        assert (report.new, report.merged, report.unchanged) == (0, 1, 1)
        (summary,) = archive.posts()
        assert [s.matched for s in archive.sources(summary.id)] == ["first", "near"]
        assert archive.post(summary.id).post.preface == [PREFACE]


def test_the_site_shows_a_merged_post_once_with_its_preface_and_whole_piece(
    two_copies: tuple[Path, Path], db_path: Path, tmp_path: Path
) -> None:
    from site_helpers import SETTINGS, build, html_files

    blog, outlet = two_copies
    with Archive.open(db_path) as archive:
        archive.import_paths([blog, outlet], index=False)
    out = tmp_path / "site"
    report = build(db_path, out, SETTINGS)
    assert report.posts == 1
    (page,) = [p for p in html_files(out) if "the-quay-cafe" in str(p)]
    text = page.read_text("utf-8")
    assert "written after the council meeting" in text  # the blog's preface
    assert "they would like to go on doing so" in text  # the paragraph the blog cut
    assert "Estuary Gazette" in text
