"""Recovery from archive text, on short pages written for these tests."""

from __future__ import annotations

from datetime import date
from textwrap import dedent

from hypothesis import given, settings
from hypothesis import strategies as st

from byline.recover import recover_text


def page(text: str) -> str:
    return dedent(text).strip("\n") + "\n"


def roles(text: str) -> list[tuple[int, str]]:
    """(post, role) for every non-empty line, in order."""
    return [(row["post"], row["role"]) for row in recover_text(page(text)).line_labels()]


CATEGORY_PAGE = """
Archive for the ‘Harbour Gazette’ Category

A new column for the Harbour Gazette looking at ferry subsidies, written before the minister's announcement.

Ferries are a public service, not a business

Why the island routes need a ten-year contract

Passengers board the morning sailing at Port Ellan on May 3: timetables have been cut twice.   © Ellan Press

Morag Quine is a senior fellow at the Institute for Island Studies.

The island routes have lost money in every year since records began, and nobody should be surprised.

Ferry operators cannot plan fleets on two-year contracts. A vessel lasts thirty years.

More catch up posting, this time a short piece for the Harbour Gazette on fish prices.

Fish prices are a weather report

Storms, not quotas, explain most of the swings

Boats sit idle in Port Ellan during the January gales.   © Ellan Press

Morag Quine is a senior fellow at the Institute for Island Studies.

When the January gales kept the fleet in harbour for eleven days, the price of haddock doubled.
"""


def test_category_page_splits_at_prefaces_and_reads_its_title() -> None:
    recovered = recover_text(page(CATEGORY_PAGE))
    assert recovered.kind == "category"
    assert recovered.name == "Harbour Gazette"
    assert [p.headline for p in recovered.posts] == [
        "Ferries are a public service, not a business",
        "Fish prices are a weather report",
    ]
    assert roles(CATEGORY_PAGE) == [
        (-1, "page_title"),
        (0, "preface"), (0, "headline"), (0, "standfirst"), (0, "caption"), (0, "bio"),
        (0, "body"), (0, "body"),
        (1, "preface"), (1, "headline"), (1, "standfirst"), (1, "caption"), (1, "bio"),
        (1, "body"),
    ]  # fmt: skip
    first = recovered.posts[0]
    assert first.categories == ["Harbour Gazette"]
    assert first.outlet is not None and first.outlet.name == "Harbour Gazette"
    assert first.piece.captions[0].credit == "Ellan Press"


FOOTER_PAGE = """
Posts Tagged 'allotments'

Slugs, again

The wet June has been kind to exactly one species on the site, and it is not the brassicas.

Continue reading →

Posted on July 2, 2023 by Dot Farrant | 4 Comments

A reminder that the water troughs are off from Monday while the pipe is repaired.

Posted on June 28, 2023 by Dot Farrant | Leave a comment

Why we stopped digging

This first appeared in Kitchen Garden. Reposted here with a few changes.

No-dig beds took three seasons to win over the committee.

Posted on June 20, 2023 by Dot Farrant | 9 Comments
"""


def test_footers_close_posts_and_untitled_notes_stand_alone() -> None:
    recovered = recover_text(page(FOOTER_PAGE))
    assert recovered.kind == "tag" and recovered.name == "allotments"
    assert [p.headline for p in recovered.posts] == ["Slugs, again", None, "Why we stopped digging"]
    assert roles(FOOTER_PAGE)[1:] == [
        (0, "headline"), (0, "body"), (0, "meta"), (0, "meta"),
        (1, "body"), (1, "meta"),
        (2, "headline"), (2, "preface"), (2, "body"), (2, "meta"),
    ]  # fmt: skip
    assert recovered.posts[0].published == date(2023, 7, 2)
    assert recovered.posts[2].outlet is not None
    assert recovered.posts[2].outlet.name == "Kitchen Garden"


DATE_ABOVE_PAGE = """
Category: Parish Council

Monday 4 March 2024

Verge cutting will start in April

The contractor has confirmed the first cut for the second week of April.

Friday 1 March 2024

Thanks to everyone who came to the footpath walk on Saturday.

Wednesday 28 February 2024

Precept agreed
"""


def test_dates_above_headlines_open_posts_including_untitled_ones() -> None:
    recovered = recover_text(page(DATE_ABOVE_PAGE))
    assert [(p.headline, p.published) for p in recovered.posts] == [
        ("Verge cutting will start in April", date(2024, 3, 4)),
        (None, date(2024, 3, 1)),
        ("Precept agreed", date(2024, 2, 28)),
    ]
    assert roles(DATE_ABOVE_PAGE)[1:4] == [(0, "meta"), (0, "headline"), (0, "body")]


INTERVIEW_AND_NOTES = """
I spoke to Tidal Times about rebuilding sea walls. This is the full interview.

‘The sea always finds the weak joint’

Interview by Ines Varga

What fails first in an old sea wall?

The joints. Mortar washes out long before the stone moves.

Can you see it coming?

Usually, if someone walks the wall after every big tide.

Is anyone paying for that?

Not enough councils, and that is the scandal.

Notes on the harbour survey

September 3, 2019

The survey found three sections in poor condition.¹

Section Four Is The Worst, With Voids Behind The Facing Stones That Run For Several Metres Along The Wall.

Section four is the worst, with voids behind the facing stones that run for several metres along the wall.

1 Harbour Trust, ‘Condition survey of the east wall’, 2019, p. 4.
2 Ibid., p. 9.
"""


def test_interview_questions_are_headings_and_notes_are_footnotes() -> None:
    recovered = recover_text(page(INTERVIEW_AND_NOTES))
    interview, notes = recovered.posts
    assert interview.texts("preface")[0].startswith("I spoke to Tidal Times")
    assert interview.outlet is not None and interview.outlet.name == "Tidal Times"
    assert len(interview.texts("heading")) == 3
    assert notes.headline == "Notes on the harbour survey"
    assert notes.published == date(2019, 9, 3)
    assert [b.role for b in notes.blocks][-4:] == ["body", "body", "footnote", "footnote"]
    assert notes.piece.footnotes[1].number == "2"


def test_every_non_empty_line_is_labelled_once() -> None:
    for text in (CATEGORY_PAGE, FOOTER_PAGE, DATE_ABOVE_PAGE, INTERVIEW_AND_NOTES):
        body = page(text)
        expected = [n for n, line in enumerate(body.splitlines(), 1) if line.strip()]
        assert [row["line"] for row in recover_text(body).line_labels()] == expected


def test_identity_ignores_case_spacing_and_the_preface() -> None:
    one = recover_text(page(CATEGORY_PAGE)).posts[0]
    edited = page(CATEGORY_PAGE).replace("A new column for", "Another column for")
    two = recover_text(edited.replace("not a business", "not  a business")).posts[0]
    assert one.content_key == two.content_key


LINE_PIECES = [
    "Archive for the ‘X’ Category", "Posts Tagged 'y'", "A piece I wrote for the Guardian.",
    "Short Title Here", "12 March 2021", "Posted on 3 May 2020 by Ann Lee | 2 Comments",
    "By Ann Lee", "Ann Lee is a fellow at the Institute.", "1 Source, ‘Title’, 2019.",
    "• item", "- item", "Photo of a thing. © Agency", "img_0042", "Continue reading →",
    "A body paragraph that runs on and ends properly.", "continues in lower case", "",
    "Q: a question?", "Why does this matter?", "* a note", "Share this:", "Table 1. Data",
    "a | b | c",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(LINE_PIECES) | st.text(max_size=40), max_size=40))
def test_any_text_recovers_without_error_and_labels_each_line_once(lines: list[str]) -> None:
    text = "\n".join(lines)
    labels = recover_text(text).line_labels()
    expected = [n for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    assert [row["line"] for row in labels] == expected
    posts = [row["post"] for row in labels if row["post"] >= 0]
    assert posts == sorted(posts)
