from datetime import date

import pytest

from byline.recover._dates import find_dates, first_day, is_date_line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 March 2023", date(2023, 3, 2)),
        ("Posted 9 January 2023", date(2023, 1, 9)),
        ("Sat, Mar 16, 2019, 06:00", date(2019, 3, 16)),
        ("11/04/2022", date(2022, 4, 11)),  # day first, as British and Irish blogs write
        ("04/25/2022", date(2022, 4, 25)),  # the only possible reading
        ("12th July 2021", date(2021, 7, 12)),
        ("OCTOBER 19, 2020", date(2020, 10, 19)),
        ("PUBLISHED : Saturday, 07 July, 2018, 10:02pm", date(2018, 7, 7)),
        ("2020-05-29", date(2020, 5, 29)),
    ],
)
def test_date_lines_parse_to_the_day(text: str, expected: date) -> None:
    assert is_date_line(text)
    assert first_day(text) == expected


def test_month_only_dates_are_months_not_days() -> None:
    assert is_date_line("March 2022")
    assert first_day("March 2022") is None
    assert find_dates("March 2022")[0].month == 3


def test_impossible_dates_and_prose_are_not_dates() -> None:
    assert first_day("31 February 2020") is None
    assert not is_date_line("We met on 2 March 2023 to agree the budget.")
    assert first_day("first ran in Prospect on 2 March 2023, revised") == date(2023, 3, 2)
