"""Figures: money with currency and scale, percentages, counts, sentences, the seed amounts."""

from __future__ import annotations

import pytest
from enrich_helpers import load_fixture, make_post, seed_pages

from byline.enrich import Figure, figures_for_post, find_figures, load_knowledge


def only(text: str) -> Figure:
    (figure,) = find_figures(text)
    return figure


@pytest.mark.parametrize(
    ("text", "value", "currency", "scale"),
    [
        ("It cost $280 million.", 280e6, "USD", "million"),
        ("The US$280 million project.", 280e6, "USD", "million"),
        ("Trade reached $190 billion.", 190e9, "USD", "billion"),
        ("A loan of $9.4 billion.", 9.4e9, "USD", "billion"),
        ("Some $7 billion in funds.", 7e9, "USD", "billion"),
        ("It raised €3m.", 3e6, "EUR", "million"),
        ("It raised £4.2 million.", 4.2e6, "GBP", "million"),
        ("It was 2.5bn yuan.", 2.5e9, "CNY", "billion"),
        ("A fine of 10 billion rubles.", 10e9, "RUB", "billion"),
        ("A 500 million tenge grant.", 500e6, "KZT", "million"),
        ("Salaries of 20,000 som.", 20e3, "KGS", None),
        ("It cost 300 Pakistani rupees.", 300.0, "PKR", None),
        ("A HK$1.5 billion deal.", 1.5e9, "HKD", "billion"),
        ("China pledged ¥5 billion.", 5e9, "CNY", "billion"),
        ("Japan pledged ¥5 billion.", 5e9, "JPY", "billion"),
        ("The China-led $280 Million Kyrgyzstan Project.", 280e6, "USD", "million"),
    ],
)
def test_money(text: str, value: float, currency: str, scale: str | None) -> None:
    figure = only(text)
    assert (figure.kind, figure.value, figure.currency, figure.scale) == (
        "money",
        pytest.approx(value),
        currency,
        scale,
    )


def test_the_280_million_at_bashi_logistics_centre() -> None:
    figure = only("The $280 million At-Bashi logistics centre was cancelled.")
    assert (figure.text, figure.value, figure.currency) == ("$280 million", 280e6, "USD")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Trade rose 29.3% last year.", 29.3, "%"),
        ("About 20 per cent of the population.", 20.0, "%"),
        ("Growth of 4.9 percent.", 4.9, "%"),
        ("Up 2 percentage points.", 2.0, "percentage points"),
    ],
)
def test_percentages(text: str, value: float, unit: str) -> None:
    figure = only(text)
    assert (figure.kind, figure.value, figure.unit) == ("percent", value, unit)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("A bottleneck of some 12,000 railcars had accumulated.", 12000.0, "railcars"),
        ("A population of 3.5 million ethnic Russians, nearly.", 3.5e6, "ethnic Russians"),
        ("It exported 1 million tonnes of grain.", 1e6, "tonnes"),
        ("It sold one million masks to China.", 1e6, "masks"),
        ("Some 100 million jobs in the next decade.", 100e6, "jobs"),
    ],
)
def test_counts_are_not_money(text: str, value: float, unit: str) -> None:
    figure = only(text)
    assert (figure.kind, figure.value, figure.unit, figure.currency) == ("count", value, unit, None)


@pytest.mark.parametrize(
    "text",
    [
        "In 2018, he left.",
        "On March 9 and 12, cases rose.",
        "It met on 19 May.",
        "Confirmed cases,2 Kyrgyzstan too.",
        "The G20 and COVID-19.",
        "A 15-day tour and three Boeing 787-8 Dreamliners.",
        "NBR Special Report no. 80.",
        "Billions of dollars of plans and millions of dollars in aid.",
    ],
)
def test_not_figures(text: str) -> None:
    assert find_figures(text) == []


def test_sentences_survive_abbreviations() -> None:
    text = (
        "Xi met Putin on Dec. 30, 2022. The U.S. Secretary of State said trade hit $190 billion "
        "in the U.S. and S. Korea. Next came more."
    )
    figure = only(text)
    assert figure.sentence == (
        "The U.S. Secretary of State said trade hit $190 billion in the U.S. and S. Korea."
    )


def test_figures_for_post_name_entities_in_the_sentence() -> None:
    post = make_post(
        ("body", "Russia has invested around $40 billion in Kazakhstan. Other things happened."),
        ("footnote", "1 “China-led $280 Million Kyrgyzstan Project Abandoned,” Reuters.com."),
    )
    figures = figures_for_post(post, load_knowledge())
    assert [f.text for f in figures] == ["$40 billion", "$280 Million"]
    assert figures[0].entity_names == ("Russia", "Kazakhstan")
    assert figures[0].role == "body" and figures[0].line == 1
    assert figures[1].role == "footnote" and "Kyrgyzstan" in figures[1].entity_names
    assert figures[0].post_key == post.content_key


def test_every_money_amount_in_the_seeds() -> None:
    expected = load_fixture("seed_money.json")["amounts"]
    knowledge = load_knowledge()
    found = [
        (post.headline, figure)
        for page in seed_pages()
        for post in page
        for figure in figures_for_post(post, knowledge)
        if figure.kind == "money"
    ]
    missing = []
    for amount in expected:
        matches = [
            f
            for headline, f in found
            if headline == amount["headline"]
            and f.text == amount["text"]
            and f.value == pytest.approx(amount["value"])
            and f.currency == amount["currency"]
            and " ".join(f.sentence.split()) == " ".join(amount["sentence"].split())
        ]
        if not matches:
            missing.append(amount["text"])
    assert missing == []
    assert len(found) == len(expected)  # nothing else is read as money
