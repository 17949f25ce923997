"""Indexing through the real store: what is kept, what is re-indexed and when, names, suggestions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import make_page, make_post

from byline import Archive
from byline.errors import NotFoundError, SourceError, StoreError
from byline.store import SQLiteStore
from byline.store import _migrate as migrate_module
from byline.store._migrate import Migration, latest_version, migrate

FIXTURE_PAGE = Path(__file__).resolve().parent / "fixtures" / "entities" / "pages"
ENRICHMENT_TABLES = {
    "knowledge_entries",
    "enrichment_meta",
    "post_enrichment",
    "post_entities",
    "mentions",
    "unlinked_names",
    "figures",
    "figure_entities",
    "date_mentions",
    "publication_estimates",
}


@pytest.fixture
def archive(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Archive]:
    """The fixture page imported (and so indexed), run from a folder with no knowledge.yaml."""
    monkeypatch.chdir(tmp_path)
    with Archive.open(db_path) as opened:
        report = opened.import_paths([FIXTURE_PAGE])
        assert report.index_error is None
        yield opened


def post_id(archive: Archive, headline: str) -> int:
    [found] = [p.id for p in archive.posts(include_all=True) if p.headline == headline]
    return found


def names(archive: Archive, headline: str) -> set[str]:
    return {m.name for m in archive.post_entities(post_id(archive, headline))}


def indexed_at(db: Path) -> dict[int, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT post_id, indexed_at FROM post_enrichment"))


def write_knowledge(folder: Path, text: str) -> Path:
    file = folder / "knowledge.yaml"
    file.write_text(text, encoding="utf-8")
    return file


# -- schema ---------------------------------------------------------------------------


def test_the_enrichment_tables_come_with_the_schema(archive: Archive, db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    assert tables >= ENRICHMENT_TABLES
    assert version == latest_version() >= 4


def test_a_migration_number_skipped_is_applied_when_it_arrives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def numbered(*versions: int) -> tuple[Migration, ...]:
        return tuple(
            Migration(v, f"{v:04d}_m.sql", f"CREATE TABLE t{v} (x INTEGER);") for v in versions
        )

    conn = sqlite3.connect(tmp_path / "gap.db", isolation_level=None)
    monkeypatch.setattr(migrate_module, "migrations", lambda: numbered(1, 2, 4))
    assert migrate(conn, "gap.db") == 3
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    monkeypatch.setattr(migrate_module, "migrations", lambda: numbered(1, 2, 3, 4))
    assert migrate(conn, "gap.db") == 1  # the late one, and only it
    assert migrate(conn, "gap.db") == 0
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert {"t1", "t2", "t3", "t4"} <= tables
    assert conn.execute("SELECT count(*) FROM schema_skipped").fetchone()[0] == 0
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    conn.close()


def test_reading_entities_of_a_missing_archive_is_an_error(db_path: Path) -> None:
    with Archive.open(db_path) as archive, pytest.raises(StoreError, match="no archive"):
        archive.entities()
    assert not db_path.exists()


# -- what an import indexes ---------------------------------------------------------------


def test_an_import_indexes_every_new_post(archive: Archive) -> None:
    assert names(archive, "Astana gets its old name back") >= {
        "Astana",
        "Kazakhstan",
        "Kassym-Jomart Tokayev",
        "Nikkei Asia",
    }
    assert names(archive, "Islamic State Khorasan Province looks north") >= {
        "Islamic State Khorasan Province",
        "Taliban",
        "Afghanistan",
    }
    belt = {
        m.name: m
        for m in archive.post_entities(post_id(archive, "The Belt and Road reaches the Caspian"))
    }
    assert (
        belt["Belt and Road Initiative"].count == 3
    )  # "Belt and Road", "Belt and Road Initiative", "BRI"
    assert belt["Xi Jinping"].surfaces == ("Xi Jinping", "President Xi")
    summary = {s.name: s for s in archive.entities()}
    assert summary["Astana"].posts == 2 and summary["Astana"].type == "place"


def test_an_undated_post_gets_an_estimate_between_its_neighbours(archive: Archive) -> None:
    report = archive.entity("SCO")
    [post] = report.posts
    assert post.published is None and post.estimate is not None
    assert (str(post.estimate.earliest), str(post.estimate.latest)) == ("2021-03-03", "2022-01-12")
    assert {e.source for e in post.estimate.evidence} == {"neighbour"}
    assert [(y.year, y.posts, y.estimated) for y in report.timeline] == [(2021, 1, 1)]


def test_figures_keep_amount_currency_sentence_and_entities(archive: Archive) -> None:
    money = {f.text: f for f in archive.figures(kind="money")}
    assert set(money) == {"7 billion tenge", "US$280 million", "$2 billion"}
    centre = money["US$280 million"]
    assert (centre.value, centre.currency) == (280_000_000, "USD")
    assert centre.sentence.startswith("The US$280 million logistics centre at At-Bashi")
    assert "Kyrgyzstan" in centre.entity_names
    assert money["7 billion tenge"].currency == "KZT"
    about = archive.figures(entity="Kyrgyz Republic")  # an alias
    assert [f.text for f in about] == ["US$280 million"]


def test_names_the_knowledge_file_lacks_are_listed_for_review(archive: Archive) -> None:
    found = {n.surface: n for n in archive.unlinked()}
    assert found["Kambarata Hydropower Plant"].count == 2
    with pytest.raises(NotFoundError, match="appears unlinked in 1 post"):
        archive.entity("Kambarata Hydropower Plant")


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Nur-Sultan", "Astana"),
        ("nursultan", "Astana"),
        ("NUR SULTAN", "Astana"),
        ("ISKP", "Islamic State Khorasan Province"),
        ("islamic state in khorasan province", "Islamic State Khorasan Province"),
        ("BRI", "Belt and Road Initiative"),
        ("belt and road", "Belt and Road Initiative"),
        ("Nikkei Asian Review", "Nikkei Asia"),
        ("Kazakh", "Kazakhstan"),  # a demonym
        ("Tokayev", "Kassym-Jomart Tokayev"),  # a short form
        ("place/astana", "Astana"),  # an id
        ("Bishkék", "Bishkek"),  # accents do not matter
    ],
)
def test_names_resolve_through_aliases_case_and_accents(
    archive: Archive, name: str, canonical: str
) -> None:
    assert archive.resolve_entity(name).name == canonical


def test_an_entity_s_report_has_posts_timeline_company_and_figures(archive: Archive) -> None:
    report = archive.entity("Kyrgyzstan")
    assert [p.headline for p in report.posts] == [
        "What the SCO summit will not say",  # not before 2021-03-03, newer on the page
        "The Belt and Road reaches the Caspian",  # dated 2021-03-03
    ]
    assert {c.name for c in report.co_mentions} >= {"Bishkek", "China"}  # most posts, then A-Z
    assert [f.text for f in report.figures] == ["US$280 million"]
    assert report.mentions == sum(p.count for p in report.posts)


def test_drafts_count_only_when_asked(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with SQLiteStore(db_path) as store:
        store.save_page(
            make_page(
                "a.txt",
                [
                    make_post("Ports", ["Kazakhstan builds ports."]),
                    make_post("Draft", ["Turkmenistan builds ports."], status="draft"),
                ],
            )
        )
    with Archive.open(db_path) as archive:
        archive.index()
        assert {s.name for s in archive.entities()} == {"Kazakhstan"}
        assert {s.name for s in archive.entities(include_all=True)} == {
            "Kazakhstan",
            "Turkmenistan",
        }
        assert archive.entities("place") == []


def test_a_post_not_yet_indexed_says_so(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        store.save_page(make_page("a.txt", [make_post("Ports", ["Kazakhstan builds ports."])]))
    with Archive.open(db_path) as archive:
        with pytest.raises(NotFoundError, match="not indexed yet"):
            archive.post_entities(1)
        with pytest.raises(NotFoundError, match="no post with id 9"):
            archive.post_entities(9)


# -- roles ----------------------------------------------------------------------------


def test_roles_narrow_the_parts_that_count(archive: Archive) -> None:
    sco = post_id(archive, "What the SCO summit will not say")
    everything = {m.name: m for m in archive.post_entities(sco)}
    assert everything["East Asia Forum"].roles == ("preface",)
    piece = {m.name: m for m in archive.post_entities(sco, roles="piece")}
    assert "East Asia Forum" not in piece  # named only in the blogger's note
    assert piece["Shanghai Cooperation Organisation"].count == 2  # headline and standfirst
    assert piece["Bishkek"].roles == ("standfirst",)
    with pytest.raises(ValueError, match="unknown post part"):
        archive.post_entities(sco, roles="footnote")


# -- re-indexing -----------------------------------------------------------------------


def test_indexing_again_changes_nothing(archive: Archive, db_path: Path) -> None:
    before = indexed_at(db_path)
    report = archive.index()
    assert report.indexed == () and report.rewritten == ()
    full = archive.index(full=True)
    assert len(full.indexed) == 4 and full.rewritten == ()  # same fingerprints: rows kept
    assert indexed_at(db_path) == before


def test_importing_the_same_page_again_indexes_nothing(archive: Archive) -> None:
    report = archive.import_paths([FIXTURE_PAGE])
    assert report.indexed is not None and report.indexed.indexed == ()


def test_a_post_written_since_is_indexed_again(archive: Archive, db_path: Path) -> None:
    sco = post_id(archive, "What the SCO summit will not say")
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE blocks SET text = 'Kyrgyzstan wants money, and Mongolia has none.'"
            " WHERE post_id = ? AND text LIKE 'Kyrgyzstan wants money%'",
            (sco,),
        )
    report = archive.index()
    assert report.indexed == (sco,) and report.rewritten == (sco,)
    assert "Mongolia" in names(archive, "What the SCO summit will not say")


def test_adding_an_alias_reindexes_only_the_posts_it_can_reach(
    archive: Archive, db_path: Path, tmp_path: Path
) -> None:
    before = indexed_at(db_path)
    astana = post_id(archive, "Astana gets its old name back")
    file = write_knowledge(
        tmp_path, "entities:\n  - name: Kassym-Jomart Tokayev\n    aliases: [KJT]\n"
    )
    report = archive.index(knowledge=file)
    # Only the post that touched Tokayev's entry is read again; its entities
    # did not change, but the entry it touched did, so its rows are rewritten.
    assert report.indexed == (astana,)
    assert report.changed_entries == 1
    after = indexed_at(db_path)
    assert {i for i in after if after[i] != before[i]} <= {astana}


def test_a_new_entity_links_the_names_it_covers_and_only_there(
    archive: Archive, db_path: Path, tmp_path: Path
) -> None:
    sco = post_id(archive, "What the SCO summit will not say")
    file = write_knowledge(
        tmp_path,
        "entities:\n"
        "  - name: Kambarata-1\n"
        "    type: initiative\n"
        "    aliases: [Kambarata Hydropower Plant]\n"
        "    country: Kyrgyzstan\n",
    )
    report = archive.index(knowledge=file)
    assert report.indexed == (sco,) and report.rewritten == (sco,)
    assert "Kambarata-1" in names(archive, "What the SCO summit will not say")
    assert "Kambarata Hydropower Plant" not in {n.surface for n in archive.unlinked()}
    assert archive.resolve_entity("kambarata hydropower plant").name == "Kambarata-1"
    # The archive remembers the file: an import or a plain index uses it again.
    again = archive.index()
    assert again.indexed == () and again.knowledge_path == str(file.resolve())
    # Taking the entry out again re-indexes the same post, and nothing else.
    file.write_text("entities: []\n", encoding="utf-8")
    removed = archive.index(knowledge=file)
    assert removed.indexed == (sco,)
    assert "Kambarata-1" not in names(archive, "What the SCO summit will not say")


def test_a_missing_knowledge_file_is_an_error(archive: Archive, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such knowledge file"):
        archive.index(knowledge=tmp_path / "nowhere.yaml")


def test_a_knowledge_file_beside_byline_toml_is_used(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    write_knowledge(folder, "entities:\n  - name: Steppe Photo\n    type: organisation\n")
    monkeypatch.chdir(folder)
    with Archive.open(db_path) as archive:
        report = archive.import_paths([FIXTURE_PAGE])
        assert report.indexed is not None
        assert report.indexed.knowledge_path == str((folder / "knowledge.yaml").resolve())
        # A caption's credit is not indexed, so the agency names no post.
        assert "Steppe Photo" not in {s.name for s in archive.entities()}
        assert archive.resolve_entity("steppe photo").type == "organisation"


def test_a_broken_knowledge_file_does_not_lose_the_import(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_knowledge(tmp_path, "entities: [unclosed\n")
    monkeypatch.chdir(tmp_path)
    with Archive.open(db_path) as archive:
        report = archive.import_paths([FIXTURE_PAGE])
        assert report.new == 4 and report.indexed is None
        assert report.index_error is not None and "knowledge.yaml" in report.index_error


# -- suggestions ---------------------------------------------------------------------------


def test_tags_are_suggested_from_the_archive_s_own_tagging(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    tagged = [
        make_post(
            f"Steppe politics {i}",
            [f"Tokayev spoke in Astana on day {i}.", "Kazakhstan listened."],
            tags=("Kazakh politics",),
        )
        for i in range(3)
    ]
    others = [
        make_post(f"Harbours {i}", [f"Ports in Peru and Chile, part {i}."], tags=("Ports",))
        for i in range(3)
    ]
    new = make_post(
        "A new piece",
        ["President Tokayev returned to Astana, and Kazakhstan's parliament met."],
        preface="A new column for Nikkei Asian Review on the parliament.",
    )
    with SQLiteStore(db_path) as store:
        store.save_page(make_page("a.txt", [*tagged, *others, new]))
    with Archive.open(db_path) as archive:
        archive.index()
        found = archive.suggest(post_id(archive, "A new piece"))
    [tag] = found.tags
    assert tag.tag == "Kazakh politics"
    assert set(tag.because) == {"Kassym-Jomart Tokayev", "Astana", "Kazakhstan"}
    assert found.outlet is not None and found.outlet.outlet.name == "Nikkei Asia"
    assert "Nikkei Asian Review" in found.outlet.evidence
