"""The shared French calendar: months, ages, public holidays, working days."""

from datetime import date

import pytest

from portal import dates


def test_easter_and_the_eleven_public_holidays():
    assert dates.easter(2024) == date(2024, 3, 31)
    assert dates.easter(2026) == date(2026, 4, 5)
    assert dates.easter(2027) == date(2027, 3, 28)
    holidays = dates.public_holidays(2026)
    assert len(holidays) == 11
    assert holidays[date(2026, 4, 6)] == "Lundi de Pâques"
    assert holidays[date(2026, 5, 14)] == "Ascension"
    assert holidays[date(2026, 5, 25)] == "Lundi de Pentecôte"
    assert holidays[date(2026, 7, 14)] == "Fête nationale"
    assert list(holidays) == sorted(holidays)
    assert dates.holiday_name(date(2026, 12, 25)) == "Noël"
    assert dates.holiday_name(date(2026, 12, 26)) is None


def test_working_days_skip_weekends_and_holidays_both_ways():
    assert not dates.is_working_day(date(2026, 7, 14)) and dates.is_working_day(date(2026, 7, 15))
    assert not dates.is_working_day(date(2026, 7, 18))  # a Saturday
    assert dates.add_working_days(date(2026, 3, 6), 2) == date(2026, 3, 10)  # Friday -> Tuesday
    assert dates.add_working_days(date(2026, 4, 3), 2) == date(2026, 4, 8)  # over Easter Monday
    # two working days before Friday 15 May 2026 (Ascension, Thursday 14, is skipped): Tuesday 12 May
    assert dates.add_working_days(date(2026, 5, 15), -2) == date(2026, 5, 12)
    assert dates.add_working_days(date(2026, 5, 15), 0) == date(2026, 5, 15)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2026, 3, 31), 11, date(2027, 2, 28)),
    (date(2026, 3, 15), -11, date(2025, 4, 15)),
    (date(2026, 3, 31), -1, date(2026, 2, 28)),
    (date(2026, 1, 1), -1, date(2025, 12, 1)),
    (date(2026, 5, 20), 0, date(2026, 5, 20)),
])
def test_add_months_clamps_to_the_end_of_a_shorter_month(day, months, expected):
    assert dates.add_months(day, months) == expected


@pytest.mark.parametrize(("birth", "on", "age"), [
    (date(2008, 6, 1), date(2026, 5, 31), 17),
    (date(2008, 6, 1), date(2026, 6, 1), 18),
    (date(2008, 2, 29), date(2026, 2, 28), 17),
    (date(2008, 2, 29), date(2026, 3, 1), 18),
    (date(2008, 2, 29), date(2028, 2, 29), 20),
    (date(2026, 1, 1), date(2026, 1, 1), 0),
])
def test_age_on_a_date(birth, on, age):
    assert dates.age_on(birth, on) == age
