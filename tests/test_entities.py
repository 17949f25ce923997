"""The entity recogniser: awkward spellings, context rules, post parts, fingerprints, seeds."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from enrich_helpers import load_fixture, make_post, seed_pages

from byline.enrich import (
    ENTITY_TYPES,
    Knowledge,
    build_knowledge,
    entities_for_post,
    find_entities,
    index_entities,
    load_knowledge,
    plan_reindex,
    plan_reindex_from,
)

# Floors pinned on our own hand-made gold (measured 1.00 precision, 0.996 recall);
# the acceptance floors on the hidden gold are 0.90 and 0.85.
PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.95
MIN_POSTS_PER_SECOND = 50  # "thousands of posts per minute", with room for a slow CI


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge()


def names(text: str, knowledge: Knowledge) -> list[str]:
    return [m.name for m in find_entities(text, knowledge)]


def test_us_the_country_is_not_us_the_pronoun(knowledge: Knowledge) -> None:
    found = names("Let us ask the US and the U.S.-led coalition about USA policy.", knowledge)
    assert found == ["United States", "United States", "United States"]


def test_us_dollar_prefix_is_a_currency_not_a_country(knowledge: Knowledge) -> None:
    assert "United States" not in names("The US$280 million project was cancelled.", knowledge)


def test_xi_only_as_a_word(knowledge: Knowledge) -> None:
    assert names("Xinjiang, Xi'an and Xiaomi.", knowledge) == ["Xinjiang", "Xi'an", "Xiaomi"]
    assert names("President Xi and Xi's speech; Xi Jinping.", knowledge) == ["Xi Jinping"] * 3


def test_xi_alone_needs_xi_jinping_in_the_knowledge_file() -> None:
    bare = build_knowledge([("test", {"entities": [{"name": "Putin", "type": "person"}]})])
    assert find_entities("Xi met Putin.", bare)[0].name == "Putin"
    assert len(find_entities("Xi met Putin.", bare)) == 1


def test_georgia_the_country_and_the_state(knowledge: Knowledge) -> None:
    assert names("Russia's 2008 war in Georgia.", knowledge) == ["Russia", "Georgia"]
    assert names("He lives in Atlanta, Georgia.", knowledge) == ["Atlanta", "Georgia (U.S. state)"]


def test_astana_under_all_its_names(knowledge: Knowledge) -> None:
    text = "In Astana, renamed Nur-Sultan, then Nursultan; the embassy in Nur-Sultan."
    places = {m.entity_id for m in find_entities(text, knowledge) if m.type == "place"}
    assert places == {"place/astana"}


def test_a_longer_name_wins(knowledge: Knowledge) -> None:
    assert names("Nursultan Nazarbayev spoke.", knowledge) == ["Nursultan Nazarbayev"]
    found = names("The Shanghai Cooperation Organization met in Shanghai.", knowledge)
    assert found == ["Shanghai Cooperation Organisation", "Shanghai"]


@pytest.mark.parametrize(
    "form",
    [
        "Islamic State Khorasan Province",
        "Islamic State in Khorasan Province",
        "Islamic State Khorasan",
        "ISKP",
    ],
)
def test_iskp_and_its_long_forms(form: str, knowledge: Knowledge) -> None:
    (mention,) = find_entities(f"The threat of {form} grew.", knowledge)
    assert mention.name == "Islamic State Khorasan Province"
    assert mention.type == "organisation"


def test_belt_and_road_forms(knowledge: Knowledge) -> None:
    text = "The Belt and Road Initiative (BRI), or simply the Belt and Road."
    assert names(text, knowledge) == ["Belt and Road Initiative"] * 3


def test_demonyms_name_their_country(knowledge: Knowledge) -> None:
    found = find_entities("Kazakh authorities met Chinese officials.", knowledge)
    assert [(m.name, m.via) for m in found] == [("Kazakhstan", "demonym"), ("China", "demonym")]


def test_capital_as_government_and_as_place(knowledge: Knowledge) -> None:
    assert names("Beijing has been coy about it.", knowledge) == ["China"]
    assert names("A visit to Moscow by Wang Yi.", knowledge) == ["Moscow", "Wang Yi"]
    assert names("Kazakhstan's ties to Beijing.", knowledge) == ["Kazakhstan", "China"]
    assert names("The capital Bishkek and Dushanbe airport.", knowledge) == ["Bishkek", "Dushanbe"]
    assert names("Policymakers in Washington.", knowledge) == ["Washington, D.C."]


def test_the_280_million_at_bashi_logistics_centre(knowledge: Knowledge) -> None:
    found = names("The $280 million At-Bashi logistics centre was cancelled.", knowledge)
    assert found == ["At-Bashi logistics centre"]
    described = names("A planned $280 million Chinese-built logistics centre.", knowledge)
    assert "At-Bashi logistics centre" in described and "China" in described
    assert names("A free trade zone in At-Bashi, Kyrgyzstan.", knowledge) == [
        "At-Bashi",
        "Kyrgyzstan",
    ]


def test_ministries_by_demonym_and_by_nearby_country(knowledge: Knowledge) -> None:
    found = find_entities("The Russian Ministry of Foreign Affairs said so.", knowledge)
    assert {m.name for m in found} == {"Ministry of Foreign Affairs of Russia", "Russia"}
    found = find_entities("In Kazakhstan, the Ministry of Foreign Affairs objected.", knowledge)
    assert "Ministry of Foreign Affairs of Kazakhstan" in {m.name for m in found}
    assert names("Chinese MFA spokesman Hua Chunying.", knowledge)[0] == (
        "Ministry of Foreign Affairs of China"
    )


def test_shared_short_forms_follow_the_full_name(knowledge: Knowledge) -> None:
    text = "Shehbaz Sharif became prime minister. Sharif's comments were warm."
    assert names(text, knowledge) == ["Shehbaz Sharif", "Shehbaz Sharif"]
    assert names("Sharif's comments were warm.", knowledge) == []
    text = "Chinese Foreign Minister Wang Yi arrived. Wang Jisi wrote an essay. Wang decried it."
    found = [n for n in names(text, knowledge) if n.startswith("Wang")]
    assert found == ["Wang Yi", "Wang Jisi", "Wang Jisi"]


def test_common_words_are_not_cities(knowledge: Knowledge) -> None:
    assert names("Reading the papers in Nice weather; Phoenix rising.", knowledge) == []


def test_lower_case_names_and_sentence_openers(knowledge: Knowledge) -> None:
    assert names("Pressure on central Asia grew.", knowledge) == ["Central Asia"]
    assert names("Foreign policy is hard.", knowledge) == []
    assert names("He wrote for Foreign Policy.", knowledge) == ["Foreign Policy"]


def test_names_run_together_by_a_lost_space(knowledge: Knowledge) -> None:
    assert names("unrest in BelarusNagorno-Karabakh", knowledge) == ["Belarus", "Nagorno-Karabakh"]


def test_communist_party_only_near_china(knowledge: Knowledge) -> None:
    assert names("It serves the Communist Party's rule in China.", knowledge)[0] == (
        "Chinese Communist Party"
    )
    assert names("The Communist Party met.", knowledge) == []


def test_post_parts_indexed_and_not(knowledge: Knowledge) -> None:
    post = make_post(
        ("preface", "A new column for Nikkei Asian Review."),
        ("headline", "Kyrgyzstan looks east"),
        ("caption", "Sadyr Japarov in Bishkek on Mar. 6.   © Reuters"),
        ("bio", "Raffaello Pantucci is a senior fellow at RUSI in London."),
        ("body", "Kazakh authorities reported it."),
        ("footnote", "1 Reuters.com, March 2, 2020."),
    )
    found = {e.name: e for e in entities_for_post(post, knowledge)}
    assert set(found) == {"Nikkei Asia", "Kyrgyzstan", "Sadyr Japarov", "Bishkek", "Kazakhstan"}
    assert found["Bishkek"].roles == ("caption",)
    assert {e.type for e in found.values()} <= set(ENTITY_TYPES)


def test_unlinked_names_are_listed_for_review(knowledge: Knowledge) -> None:
    post = make_post(("body", "The envoy Dmitri Vasilyevich Gorshkov met Kazakh officials."))
    result = index_entities(post, knowledge)
    assert [c.surface for c in result.unlinked] == ["Dmitri Vasilyevich Gorshkov"]
    assert "Kazakhstan" in {e.name for e in result.entities}


def test_fingerprint_changes_only_with_entries_the_post_touches(knowledge: Knowledge) -> None:
    post = make_post(("body", "Kazakh officials met Tokayev in Astana."))
    doc = {"entities": [{"name": "Kassym-Jomart Tokayev", "aliases": ["KJT"]}]}
    unrelated = {"entities": [{"name": "Sardor Umurzakov", "type": "person"}]}
    base = load_knowledge()
    touched = load_knowledge_with(doc)
    other = load_knowledge_with(unrelated)
    first = index_entities(post, base)
    assert index_entities(post, base).fingerprint == first.fingerprint
    assert index_entities(post, other).fingerprint == first.fingerprint
    assert index_entities(post, touched).fingerprint != first.fingerprint
    assert "person/kassym-jomart-tokayev" in first.touched


def test_reindex_plan_finds_posts_a_new_alias_reaches(knowledge: Knowledge) -> None:
    post = make_post(("body", "The Kambarata-1 dam is planned."))
    other = make_post(("body", "Nothing about dams here."))
    new = load_knowledge_with(
        {"entities": [{"name": "Kambarata-1", "type": "initiative", "aliases": ["Kambarata"]}]}
    )
    plan = plan_reindex(knowledge, new)
    assert plan.changed == {"initiative/kambarata-1"}
    before = index_entities(post, knowledge)
    assert plan.needs(post, before.touched)
    assert not plan.needs(other, index_entities(other, knowledge).touched)
    assert "Kambarata-1" in {e.name for e in entities_for_post(post, new)}
    spellings = {i: knowledge.spellings_of([i]) for i in knowledge.digests}
    stored = plan_reindex_from(knowledge.digests, spellings, new)
    assert stored == plan


def load_knowledge_with(doc: dict[str, object]) -> Knowledge:
    from byline.enrich.knowledge import _builtin_document

    return build_knowledge([_builtin_document(), ("user.yaml", doc)])


# --- the seed posts, against our hand-made gold -------------------------------------


def seed_pairs(knowledge: Knowledge) -> Iterator[tuple[str, set[tuple[str, str]]]]:
    for page in seed_pages():
        for post in page:
            found = {(e.type, e.name) for e in entities_for_post(post, knowledge)}
            yield post.headline or "", found


def test_seed_precision_and_recall(knowledge: Knowledge) -> None:
    gold = load_fixture("seed_gold.json")["posts"]
    tp = fp = fn = 0
    for headline, found in seed_pairs(knowledge):
        expected = {(t, n) for t, names in gold[headline].items() for n in names}
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= PRECISION_FLOOR, precision
    assert recall >= RECALL_FLOOR, recall


def test_seed_gold_names_are_all_in_the_knowledge_file(knowledge: Knowledge) -> None:
    gold = load_fixture("seed_gold.json")["posts"]
    for by_type in gold.values():
        for kind, entity_names in by_type.items():
            for name in entity_names:
                entity = knowledge.get(name)
                assert entity is not None and entity.type == kind, name


def test_seed_indexing_speed(knowledge: Knowledge) -> None:
    posts = [post for page in seed_pages() for post in page] * 5
    started = time.perf_counter()
    for post in posts:
        index_entities(post, knowledge)
    rate = len(posts) / (time.perf_counter() - started)
    assert rate >= MIN_POSTS_PER_SECOND, rate
