"""Periods and filters of the indicators, as pure functions: no database, no Flask.

A period is a month, a quarter, a year or a custom range of days, always compared with the period of the
same length just before it. Bad input raises `FilterError` with a French message for the field at fault.
"""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from portal.dates import add_months

MONTH, QUARTER, YEAR, CUSTOM = "mois", "trimestre", "annee", "personnalisee"
PERIOD_KINDS = {MONTH: "Mois", QUARTER: "Trimestre", YEAR: "Année", CUSTOM: "Personnalisée"}
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
FIRST_YEAR = 2000
MAX_CUSTOM_DAYS = 366 * 5

MINORS, AGE_18_21, AGE_22_25 = "mineurs", "18-21", "22-25"
AGE_GROUPS = {MINORS: "Mineurs (moins de 18 ans)", AGE_18_21: "18 à 21 ans", AGE_22_25: "22 à 25 ans"}
# (youngest age, oldest age) of each group, in whole years
AGE_RANGES = {MINORS: (0, 17), AGE_18_21: (18, 21), AGE_22_25: (22, 25)}
YES_NO = {"oui": "Oui", "non": "Non"}


class FilterError(Exception):
    """A filter cannot be used; `message` is French and shown beside `field`."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Period:
    """An inclusive range of days, with its French label."""

    start: date
    end: date
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Filters:
    """What the person asked for (the URL's query string, checked)."""

    kind: str
    current: Period
    previous: Period
    epci: str | None = None
    commune: str | None = None
    qpv: str | None = None
    zrr: str | None = None
    sex: str | None = None
    age: str | None = None
    programme: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def youth_filters(self) -> bool:
        return any((self.qpv, self.zrr, self.sex, self.age, self.programme))

    def without_people_filters(self) -> "Filters":
        """Period only: what an employer's or a partner's view keeps."""
        return replace(self, epci=None, commune=None, qpv=None, zrr=None, sex=None, age=None, programme=None)


def month_period(year: int, month: int) -> Period:
    start = date(year, month, 1)
    return Period(start, add_months(start, 1) - timedelta(days=1), f"{MONTHS[month - 1]} {year}")


def quarter_period(year: int, quarter: int) -> Period:
    start = date(year, 3 * (quarter - 1) + 1, 1)
    label = f"{quarter}{'er' if quarter == 1 else 'e'} trimestre {year}"
    return Period(start, add_months(start, 3) - timedelta(days=1), label)


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), f"année {year}")


def custom_period(start: date, end: date) -> Period:
    return Period(start, end, f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}")


def previous_period(kind: str, period: Period) -> Period:
    """The period of the same kind (or the same number of days) just before."""
    if kind == MONTH:
        start = add_months(period.start, -1)
        return month_period(start.year, start.month)
    if kind == QUARTER:
        start = add_months(period.start, -3)
        return quarter_period(start.year, (start.month - 1) // 3 + 1)
    if kind == YEAR:
        return year_period(period.start.year - 1)
    end = period.start - timedelta(days=1)
    return custom_period(end - timedelta(days=period.days - 1), end)


def check_year(year: int | None, today: date, field_name: str = "annee") -> int:
    last = today.year + 1
    if year is None:
        raise FilterError("Indiquez une année.", field_name)
    if not FIRST_YEAR <= year <= last:
        raise FilterError(f"L'année doit être comprise entre {FIRST_YEAR} et {last}.", field_name)
    return year


def make_period(kind: str, *, today: date, year: int | None = None, month: int | None = None,
                quarter: int | None = None, start: date | None = None, end: date | None = None) -> Period:
    """The period asked for, or FilterError."""
    if kind == CUSTOM:
        if start is None:
            raise FilterError("Indiquez la date de début de la période.", "du")
        if end is None:
            raise FilterError("Indiquez la date de fin de la période.", "au")
        check_year(start.year, today, "du")
        check_year(end.year, today, "au")
        if end < start:
            raise FilterError("La date de fin doit être postérieure ou égale à la date de début.", "au")
        if (end - start).days + 1 > MAX_CUSTOM_DAYS:
            raise FilterError("Une période personnalisée ne peut dépasser cinq ans.", "au")
        return custom_period(start, end)
    year = check_year(year, today)
    if kind == MONTH:
        if month is None or not 1 <= month <= 12:
            raise FilterError("Choisissez un mois entre janvier et décembre.", "mois")
        return month_period(year, month)
    if kind == QUARTER:
        if quarter is None or not 1 <= quarter <= 4:
            raise FilterError("Choisissez un trimestre entre 1 et 4.", "trimestre")
        return quarter_period(year, quarter)
    if kind == YEAR:
        return year_period(year)
    raise FilterError("Type de période inconnu.", "periode")


def birth_bounds(age_group: str, on: date) -> tuple[date, date]:
    """(earliest, latest) birth dates of a person whose age on `on` falls in `age_group`."""
    youngest, oldest = AGE_RANGES[age_group]
    latest = add_months(on, -12 * youngest)
    earliest = add_months(on, -12 * (oldest + 1)) + timedelta(days=1)
    return earliest, latest


def rate(part: int | None, whole: int | None) -> float | None:
    """part / whole, or None when there is nothing to divide by."""
    return part / whole if whole else None
