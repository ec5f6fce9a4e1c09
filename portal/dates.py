"""The French calendar every capability shares: months, ages, public holidays and working days.

Pure functions (no database, no Flask) over python-dateutil: `relativedelta` for month arithmetic and
`dateutil.easter` for the moving holidays, so that no capability computes these by hand.
"""

from datetime import date, timedelta
from functools import lru_cache

from dateutil.easter import easter as _easter
from dateutil.relativedelta import relativedelta

# Metropolitan France, Code du travail art. L. 3133-1 (no Alsace-Moselle extras); the names are shown
# on pages, the offsets of the moving ones count from Easter Sunday.
_FIXED_HOLIDAYS = ((1, 1, "Jour de l'an"), (5, 1, "Fête du Travail"), (5, 8, "Victoire 1945"),
                   (7, 14, "Fête nationale"), (8, 15, "Assomption"), (11, 1, "Toussaint"),
                   (11, 11, "Armistice 1918"), (12, 25, "Noël"))
_EASTER_HOLIDAYS = ((1, "Lundi de Pâques"), (39, "Ascension"), (50, "Lundi de Pentecôte"))


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier when negative), clamped to the end of a shorter month
    (31/01 + 1 → 28/02, 29/02 + 12 → 28/02)."""
    return day + relativedelta(months=months)


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on `day` (born on 29/02: a year older on 01/03 of a common year, as the law
    counts it; relativedelta would say 28/02)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def easter(year: int) -> date:
    """Easter Sunday of the Gregorian calendar."""
    return _easter(year)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> dict[date, str]:
    """The eleven French public holidays of `year`, date → French name, in calendar order."""
    sunday = easter(year)
    days = {date(year, month, day): name for month, day, name in _FIXED_HOLIDAYS}
    days.update({sunday + timedelta(days=offset): name for offset, name in _EASTER_HOLIDAYS})
    return dict(sorted(days.items()))


def holiday_name(day: date) -> str | None:
    """The French name of the public holiday falling on `day`, or None."""
    return public_holidays(day.year).get(day)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a public holiday."""
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The date `count` working days after (count > 0) or before (count < 0) `day`: a Friday + 2 is the
    Tuesday."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    current = day
    while remaining:
        current += timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current
