"""Tag suggestions learned from the archive's own tags, and outlets from the preface."""

from __future__ import annotations

from enrich_helpers import make_post, seed_pages

from byline.enrich import (
    PostEntity,
    entities_for_post,
    learn_tags,
    load_knowledge,
    suggest_outlet,
    suggest_tags,
)


def entity(name: str, kind: str = "country") -> PostEntity:
    return PostEntity(f"{kind}/{name.lower()}", name, kind, 1, (name,), ("body",))  # type: ignore[arg-type]


KG, KZ, CN, SCO, PK = (
    entity("Kyrgyzstan"),
    entity("Kazakhstan"),
    entity("China"),
    entity("SCO", "organisation"),
    entity("Pakistan"),
)
ARCHIVE = [
    (["Central Asia"], [KG, KZ, CN]),
    (["Central Asia"], [KG, KZ]),
    (["Central Asia", "SCO"], [KG, SCO, CN]),
    (["SCO"], [SCO, CN]),
    (["SCO"], [SCO, PK]),
    (["South Asia"], [PK, CN]),
    (["South Asia"], [PK]),
]


def test_tags_learned_from_the_archive_with_reasons() -> None:
    model = learn_tags(ARCHIVE)
    suggestions = suggest_tags(model, [KG, KZ, CN])
    assert suggestions[0].tag == "Central Asia"
    assert suggestions[0].because[:2] in (
        ("Kazakhstan", "Kyrgyzstan"),
        ("Kyrgyzstan", "Kazakhstan"),
    )
    assert all(s.tag != "South Asia" for s in suggestions)


def test_existing_tags_are_not_suggested_again() -> None:
    model = learn_tags(ARCHIVE)
    assert suggest_tags(model, [KG, KZ], existing=["central asia"]) == []


def test_nothing_is_suggested_from_unknown_entities() -> None:
    model = learn_tags(ARCHIVE)
    assert suggest_tags(model, [entity("Peru")]) == []


def test_outlet_from_the_preface() -> None:
    post = make_post(
        ("preface", "Another piece for the excellent Nikkei Asian Review, this time on trade."),
        ("headline", "Trade"),
    )
    suggestion = suggest_outlet(post)
    assert suggestion is not None and suggestion.outlet.name == "Nikkei Asia"
    assert "Nikkei Asian Review" in suggestion.evidence
    assert suggest_outlet(make_post(("body", "No preface here."))) is None


def test_seed_outlets_and_tags() -> None:
    knowledge = load_knowledge()
    pages = seed_pages()
    for post in pages[0]:
        found = suggest_outlet(post)
        assert found is not None and found.outlet.name == "Nikkei Asia"
    # learn from the tagged page, then suggest its tag for a post of the other page
    model = learn_tags((post.tags, entities_for_post(post, knowledge)) for post in pages[1])
    unseen = pages[0][9]  # "Ties that bind Kazakhstan to China ..."
    suggestions = suggest_tags(model, entities_for_post(unseen, knowledge), min_score=0.5)
    assert [s.tag for s in suggestions] == ["China-Central Asia"]
    assert "China" in suggestions[0].because
