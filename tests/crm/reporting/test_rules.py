"""Periods and filters of the indicators: pure rules, no database."""

from datetime import date

import pytest

from crm.reporting import rules
from crm.reporting.rules import FilterError

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize("kind, kw, start, end, label", [
    (rules.MONTH, {"year": 2024, "month": 2}, date(2024, 2, 1), date(2024, 2, 29), "février 2024"),
    (rules.MONTH, {"year": 2025, "month": 12}, date(2025, 12, 1), date(2025, 12, 31), "décembre 2025"),
    (rules.QUARTER, {"year": 2025, "quarter": 1}, date(2025, 1, 1), date(2025, 3, 31), "1er trimestre 2025"),
    (rules.QUARTER, {"year": 2025, "quarter": 4}, date(2025, 10, 1), date(2025, 12, 31), "4e trimestre 2025"),
    (rules.YEAR, {"year": 2027}, date(2027, 1, 1), date(2027, 12, 31), "année 2027"),
    (rules.CUSTOM, {"start": date(2025, 3, 5), "end": date(2025, 3, 5)}, date(2025, 3, 5), date(2025, 3, 5),
     "du 05/03/2025 au 05/03/2025"),
])
def test_periods(kind, kw, start, end, label):
    period = rules.make_period(kind, today=TODAY, **kw)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize("kind, kw, previous", [
    (rules.MONTH, {"year": 2025, "month": 1}, (date(2024, 12, 1), date(2024, 12, 31))),
    (rules.MONTH, {"year": 2024, "month": 3}, (date(2024, 2, 1), date(2024, 2, 29))),
    (rules.QUARTER, {"year": 2025, "quarter": 1}, (date(2024, 10, 1), date(2024, 12, 31))),
    (rules.YEAR, {"year": 2025}, (date(2024, 1, 1), date(2024, 12, 31))),
    # a custom range is compared with the same number of days just before it
    (rules.CUSTOM, {"start": date(2025, 3, 1), "end": date(2025, 3, 10)}, (date(2025, 2, 19), date(2025, 2, 28))),
])
def test_previous_period_has_the_same_kind_or_length(kind, kw, previous):
    period = rules.make_period(kind, today=TODAY, **kw)
    before = rules.previous_period(kind, period)
    assert (before.start, before.end) == previous
    if kind == rules.CUSTOM:
        assert before.days == period.days


@pytest.mark.parametrize("kind, kw, field, message", [
    (rules.YEAR, {"year": 2999}, "annee", "L'année doit être comprise entre 2000 et 2027."),
    (rules.YEAR, {"year": 1999}, "annee", "L'année doit être comprise entre 2000 et 2027."),
    (rules.YEAR, {}, "annee", "Indiquez une année."),
    (rules.MONTH, {"year": 2025, "month": 13}, "mois", "Choisissez un mois entre janvier et décembre."),
    (rules.QUARTER, {"year": 2025, "quarter": 0}, "trimestre", "Choisissez un trimestre entre 1 et 4."),
    (rules.CUSTOM, {"end": date(2025, 1, 1)}, "du", "Indiquez la date de début de la période."),
    (rules.CUSTOM, {"start": date(2025, 1, 1)}, "au", "Indiquez la date de fin de la période."),
    (rules.CUSTOM, {"start": date(2025, 2, 1), "end": date(2025, 1, 31)}, "au",
     "La date de fin doit être postérieure ou égale à la date de début."),
    (rules.CUSTOM, {"start": date(2020, 1, 1), "end": date(2025, 1, 31)}, "au",
     "Une période personnalisée ne peut dépasser cinq ans."),
    (rules.CUSTOM, {"start": date(2025, 1, 1), "end": date(2999, 1, 1)}, "au",
     "L'année doit être comprise entre 2000 et 2027."),
    ("semaine", {"year": 2025}, "periode", "Type de période inconnu."),
])
def test_impossible_periods_name_the_field_in_french(kind, kw, field, message):
    with pytest.raises(FilterError) as raised:
        rules.make_period(kind, today=TODAY, **kw)
    assert (raised.value.field, raised.value.message) == (field, message)


@pytest.mark.parametrize("group, on, earliest, latest", [
    # 17 at most on the day: born after 1 December 2008
    (rules.MINORS, date(2026, 12, 1), date(2008, 12, 2), date(2026, 12, 1)),
    (rules.AGE_18_21, date(2026, 12, 1), date(2004, 12, 2), date(2008, 12, 1)),
    (rules.AGE_22_25, date(2026, 12, 1), date(2000, 12, 2), date(2004, 12, 1)),
    # a 29 February reckoned in a common year falls back to the 28th
    (rules.AGE_18_21, date(2028, 2, 29), date(2006, 3, 1), date(2010, 2, 28)),
])
def test_age_groups_by_birth_date(group, on, earliest, latest):
    assert rules.birth_bounds(group, on) == (earliest, latest)


def test_the_age_groups_meet_without_gap_or_overlap():
    on = date(2026, 6, 15)
    minors, young, older = (rules.birth_bounds(g, on) for g in (rules.MINORS, rules.AGE_18_21, rules.AGE_22_25))
    assert (young[1] - minors[0]).days == -1 and (older[1] - young[0]).days == -1


def test_rate_is_none_without_a_denominator():
    assert rules.rate(3, 4) == 0.75
    assert rules.rate(0, 0) is None and rules.rate(None, None) is None


def test_without_people_filters_keeps_only_the_period():
    period = rules.make_period(rules.YEAR, today=TODAY, year=2025)
    filters = rules.Filters(rules.YEAR, period, rules.previous_period(rules.YEAR, period), epci="200070712",
                            commune="63430", qpv="oui", zrr="non", sex="femme", age=rules.MINORS, programme="cej")
    assert filters.youth_filters
    kept = filters.without_people_filters()
    assert (kept.current, kept.epci, kept.commune, kept.sex, kept.age, kept.programme) == (
        period, None, None, None, None, None)
    assert not kept.youth_filters
