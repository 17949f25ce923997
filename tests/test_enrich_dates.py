"""Dates in text, and publication dates stated or estimated from the text and the page."""

from __future__ import annotations

from datetime import date

import pytest
from enrich_helpers import make_post, seed_pages

from byline.enrich import find_dates, publication_dates

BASE = date(2022, 12, 15)


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "granularity"),
    [
        ("They met on Dec. 30, 2022.", date(2022, 12, 30), date(2022, 12, 30), "day"),
        ("They met on 13 June 2019.", date(2019, 6, 13), date(2019, 6, 13), "day"),
        ("Published February 18, 2020, online.", date(2020, 2, 18), date(2020, 2, 18), "day"),
        ("Screen Shot 2020-06-30 at 07.32.11", date(2020, 6, 30), date(2020, 6, 30), "day"),
        ("Signed in September 2013.", date(2013, 9, 1), date(2013, 9, 30), "month"),
        ("It happened in 2018.", date(2018, 1, 1), date(2018, 12, 31), "year"),
    ],
)
def test_absolute_dates(text: str, earliest: date, latest: date, granularity: str) -> None:
    (found,) = find_dates(text)
    assert (found.earliest, found.latest, found.granularity) == (earliest, latest, granularity)
    assert not found.relative


def test_month_and_year_means_the_whole_month_not_today() -> None:
    (found,) = find_dates("Between January and September 2021 exports fell.")
    assert found.earliest == date(2021, 9, 1)


def test_dates_without_a_year_need_a_base() -> None:
    assert find_dates("They met on Oct. 14 and again 3 days ago.") == []
    found = find_dates("They met on Oct. 14 and again 3 days ago.", base=BASE)
    assert [(f.text, f.earliest, f.relative) for f in found] == [
        ("Oct. 14", date(2022, 10, 14), True),
        ("3 days ago", date(2022, 12, 12), True),
    ]
    (last_year,) = find_dates("It grew last year.", base=BASE)
    assert (last_year.earliest, last_year.latest) == (date(2021, 1, 1), date(2021, 12, 31))


def test_years_alone_only_after_a_preposition() -> None:
    assert find_dates("The 2023 outlook and 1990s growth; COVID-19; 2,040 people.") == []
    (found,) = find_dates("The lake will fall to a critical point by 2040.")
    assert (found.earliest.year, found.tense) == (2040, "future")


def test_tense_of_the_sentence() -> None:
    (past,) = find_dates("In 2018, the leader dispatched his son.")
    (future,) = find_dates("The book is forthcoming in April 2022.")
    assert (past.tense, future.tense) == ("past", "future")


def test_stated_date_is_kept() -> None:
    post = make_post(("body", "Text."), published=date(2020, 5, 29))
    (result,) = publication_dates([post])
    assert (result.stated, result.earliest, result.latest, result.estimated) == (
        date(2020, 5, 29),
        date(2020, 5, 29),
        date(2020, 5, 29),
        False,
    )


def test_estimated_from_text_and_neighbours() -> None:
    newer = make_post(("body", "Newer."), published=date(2020, 2, 24))
    undated = make_post(
        ("body", "Protests broke out in Zhanaozen on Sept. 4, 2019, and it was bad."),
        ("body", "The summit will be held on March 3, 2020."),
    )
    older = make_post(("body", "Older."), published=date(2019, 9, 3))
    result = publication_dates([newer, undated, older])[1]
    assert result.estimated and result.stated is None
    assert (result.earliest, result.latest) == (date(2019, 9, 4), date(2020, 2, 24))
    sources = {e.bound: e.source for e in result.evidence}
    assert sources == {"earliest": "text", "latest": "neighbour"}
    assert "Zhanaozen" in next(e.detail for e in result.evidence if e.bound == "earliest")


def test_a_date_looked_forward_to_is_an_upper_bound() -> None:
    post = make_post(
        ("bio", "Author of the forthcoming book (Oxford University Press, April 2022).")
    )
    (result,) = publication_dates([post])
    assert (result.earliest, result.latest) == (None, date(2022, 4, 30))


def test_oldest_first_pages_are_recognised() -> None:
    first = make_post(("body", "One."), published=date(2019, 1, 1))
    middle = make_post(("body", "Two."))
    last = make_post(("body", "Three."), published=date(2019, 3, 1))
    result = publication_dates([first, middle, last])[1]
    assert (result.earliest, result.latest) == (date(2019, 1, 1), date(2019, 3, 1))


def test_contradictory_evidence_is_flagged() -> None:
    newer = make_post(("body", "Newer."), published=date(2019, 1, 1))
    undated = make_post(("body", "It was signed on June 5, 2019."))
    older = make_post(("body", "Older."), published=date(2018, 1, 1))
    result = publication_dates([newer, undated, older])[1]
    assert result.conflict


def test_seed_pages() -> None:
    category, tagged = (publication_dates(page) for page in seed_pages())
    assert all(r.estimated for r in category)  # the category page states no dates
    assert category[0].earliest is not None and category[0].earliest >= date(2022, 12, 30)
    # "forthcoming ... April 2022" in the bio bounds the January 2022 post from above
    assert category[9].latest == date(2022, 4, 30)
    assert not tagged[3].estimated and tagged[3].stated == date(2020, 5, 29)
    # the photo's file name and the next newer post's stated date
    assert (tagged[6].earliest, tagged[6].latest) == (date(2019, 9, 4), date(2020, 2, 24))
