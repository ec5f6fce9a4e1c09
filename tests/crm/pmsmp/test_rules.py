"""Each PMSMP rule with a case that fails it and a case that passes it."""

from datetime import date, time

import pytest

from crm.pmsmp import content, timetable
from crm.pmsmp import rules as r
from crm.pmsmp.timetable import Period

TODAY = date(2026, 3, 2)  # a Monday


def week(start="09:00", end="12:00", start2="13:00", end2="17:00", days=range(5)):
    periods = []
    for d in days:
        periods.append(Period(d, time.fromisoformat(start), time.fromisoformat(end)))
        if start2:
            periods.append(Period(d, time.fromisoformat(start2), time.fromisoformat(end2)))
    return periods


def codes(problems):
    return [p.rule for p in problems]


def test_every_rule_has_a_reference_and_a_date():
    for rule in r.LEGAL_RULES.values():
        assert rule.reference and isinstance(rule.applies_from, date) and rule.title
    assert r.LEGAL_RULES["duree_max"].reference.startswith("Code du travail, art. D. 5135-3")


def test_a_31_day_period_is_refused_a_30_day_one_passes():
    problems = r.check_dates(date(2026, 3, 2), date(2026, 4, 1), today=TODAY, is_new=True)
    assert codes(problems) == ["duree_max"]
    assert "31 jours calendaires" in problems[0].message and problems[0].blocking
    assert r.check_dates(date(2026, 3, 2), date(2026, 3, 31), today=TODAY, is_new=True) == []


def test_end_before_start_is_refused():
    problems = r.check_dates(date(2026, 3, 10), date(2026, 3, 9), today=TODAY, is_new=True)
    assert codes(problems) == ["dates"] and problems[0].field == "end_date"
    assert "précède" in problems[0].message


def test_start_in_the_past_refused_for_a_new_convention_only():
    assert codes(r.check_dates(date(2026, 3, 1), date(2026, 3, 5), today=TODAY, is_new=True)) == ["dates"]
    assert r.check_dates(date(2026, 3, 1), date(2026, 3, 5), today=TODAY, is_new=False) == []


def test_under_16_at_start_is_refused():
    problems = r.check_age(date(2010, 3, 3), date(2026, 3, 2))  # 16 the next day
    assert codes(problems) == ["age_min"] and "15 ans" in problems[0].message
    assert r.check_age(date(2010, 3, 2), date(2026, 3, 2)) == []


def test_minor_flag_from_birth_date():
    assert r.is_minor_at(date(2008, 6, 1), date(2026, 5, 31))
    assert not r.is_minor_at(date(2008, 6, 1), date(2026, 6, 1))


def test_more_than_48_hours_a_week_is_refused():
    heavy = week("07:00", "12:00", "13:00", "18:00", days=range(5))  # 50 h
    assert codes(timetable.check_weekly_limit(heavy)) == ["hebdo_48h"]
    assert "50 h" in timetable.check_weekly_limit(heavy)[0].message
    assert timetable.check_weekly_limit(week()) == []  # 35 h


def test_minor_nine_hour_day_is_refused():
    long_friday = week(days=range(4)) + [Period(4, time(8, 0), time(12, 0)), Period(4, time(13, 0), time(18, 0))]
    problems = timetable.check_minor_schedule(long_friday)
    assert "mineur_duree" in codes(problems)
    assert any("Vendredi : 9 h" in p.message for p in problems)
    assert timetable.check_minor_schedule(week()) == []  # 7 h a day, 35 h, weekend free


def test_minor_more_than_35_hours_a_week_is_refused():
    problems = timetable.check_minor_schedule(week("08:00", "12:00", "13:00", "17:00"))  # 8 h x 5 = 40 h
    assert [p for p in problems if "40 h par semaine" in p.message]


def test_minor_night_shift_is_refused():
    problems = timetable.check_minor_schedule([Period(0, time(18, 0), time(23, 0)), Period(1, time(14, 0), time(21, 0))])
    assert codes(problems) == ["mineur_nuit"] and "18:00–23:00" in problems[0].message
    assert timetable.check_minor_schedule([Period(0, time(6, 0), time(13, 0))]) == []


def test_minor_daily_rest_of_12_hours():
    periods = [Period(0, time(14, 0), time(21, 0)), Period(1, time(6, 0), time(10, 0))]  # 9 h rest
    problems = timetable.check_minor_schedule(periods)
    assert codes(problems) == ["mineur_repos_quotidien"] and "9 h de repos" in problems[0].message
    ok = [Period(0, time(14, 0), time(20, 0)), Period(1, time(8, 0), time(12, 0))]  # 12 h rest
    assert timetable.check_minor_schedule(ok) == []


def test_minor_two_consecutive_days_of_weekly_rest():
    alternate = week(days=(0, 1, 3, 4, 6), start2=None)  # Wed and Sat off: not consecutive
    assert codes(timetable.check_minor_schedule(alternate)) == ["mineur_repos_hebdo"]
    assert timetable.check_minor_schedule(week(days=(0, 1, 2, 3, 4), start2=None)) == []


def test_overlapping_or_reversed_periods_are_refused():
    overlapping = [Period(0, time(9, 0), time(12, 30)), Period(0, time(12, 0), time(17, 0))]
    assert codes(timetable.check_periods(overlapping)) == ["plages"]
    assert "se chevauchent" in timetable.check_periods(overlapping)[0].message
    reversed_ = [Period(2, time(17, 0), time(9, 0))]  # 16 h across midnight: typed the wrong way round
    assert codes(timetable.check_periods(reversed_)) == ["plages"]
    assert "Mercredi : la plage 17:00–09:00 (le lendemain) passe minuit et dure 16 h" in \
        timetable.check_periods(reversed_)[0].message
    empty = [Period(2, time(9, 0), time(9, 0))]
    assert "commence et se termine à la même heure" in timetable.check_periods(empty)[0].message
    assert timetable.check_periods(week()) == []


def test_an_overnight_period_runs_into_the_next_day():
    night = Period(0, time(22, 0), time(6, 0))
    assert night.overnight and night.hours == 8 and night.label == "22:00–06:00 (le lendemain)"
    assert timetable.check_periods([night]) == []
    assert timetable.weekly_hours([night]) == 8
    hours = timetable.daily_hours([night])
    assert (hours[0], hours[1], hours[2]) == (2, 6, 0)  # Monday 22-24, Tuesday 0-6
    # it collides with the next morning's period, not with its own day's morning
    assert timetable.check_periods([Period(0, time(8, 0), time(12, 0)), night]) == []
    clash = timetable.check_periods([night, Period(1, time(5, 0), time(9, 0))])
    assert codes(clash) == ["plages"] and clash[0].message.startswith("Mardi : les plages 22:00–06:00 (le lendemain)")
    # Sunday night runs into Monday morning
    assert codes(timetable.check_periods([Period(6, time(22, 0), time(6, 0)), Period(0, time(5, 0), time(9, 0))])) == [
        "plages"]


def test_an_overnight_period_counts_against_a_minors_night_and_daily_rules():
    problems = timetable.check_minor_schedule([Period(0, time(22, 0), time(6, 0))])
    assert "mineur_nuit" in codes(problems) and "mineur_repos_quotidien" in codes(problems)
    assert any("22:00–06:00 (le lendemain) empiète sur la nuit" in p.message for p in problems)
    # Monday 9-17 then the night from 22 h: Tuesday's 6 h plus its own 9-12 and 13-17 make 13 h > 8 h
    long_tuesday = [Period(0, time(22, 0), time(6, 0))] + week(days=(1,))
    assert any(p.message.startswith("Mardi : 13 h de présence") for p in timetable.check_minor_schedule(long_tuesday))


def test_an_overnight_period_counts_in_weekly_hours_and_planned_days():
    nights = [Period(d, time(21, 0), time(7, 0)) for d in range(5)]  # 10 h x 5 = 50 h
    assert codes(timetable.check_weekly_limit(nights)) == ["hebdo_48h"]
    monday = date(2026, 12, 7)
    friday = date(2026, 12, 11)
    assert timetable.planned_hours(monday, friday, [Period(0, time(22, 0), time(6, 0))]) == 8
    assert timetable.worked_dates(monday, friday, [Period(0, time(22, 0), time(6, 0))]) == [monday, date(2026, 12, 8)]
    saturday_night = timetable.check_sundays_and_holidays(date(2026, 12, 5), date(2026, 12, 6),
                                                  [Period(5, time(22, 0), time(6, 0))], minor=False)
    assert codes(saturday_night) == ["dimanche_ferie"] and "06/12/2026 (dimanche)" in saturday_night[0].message


def test_sunday_and_holiday_get_a_warning():
    problems = timetable.check_sundays_and_holidays(date(2026, 5, 4), date(2026, 5, 10), week(days=range(7)), minor=False)
    assert codes(problems) == ["dimanche_ferie"] and not problems[0].blocking
    assert "08/05/2026 (Victoire 1945)" in problems[0].message and "10/05/2026 (dimanche)" in problems[0].message
    assert timetable.check_sundays_and_holidays(date(2026, 5, 11), date(2026, 5, 13), week(), minor=True) == []


def test_same_email_for_two_signatories_is_refused():
    problems = r.check_distinct_emails({r.YOUTH: "lea@exemple.fr", r.LEGAL_REP_1: "Lea@Exemple.fr",
                                        r.HOST: "tuteur@exemple.fr"})
    assert codes(problems) == ["courriels"] and problems[0].field == "rep1_email"
    assert r.check_distinct_emails({r.YOUTH: "lea@exemple.fr", r.LEGAL_REP_1: "mere@exemple.fr",
                                    r.HOST: "tuteur@exemple.fr"}) == []


def test_duplicate_same_youth_same_company_overlapping_dates():
    others = [("PMSMP-12", date(2026, 3, 2), date(2026, 3, 13))]
    problems = r.check_duplicate(others, date(2026, 3, 13), date(2026, 3, 20))
    assert codes(problems) == ["doublon"] and "PMSMP-12" in problems[0].message
    assert r.check_duplicate(others, date(2026, 3, 14), date(2026, 3, 20)) == []


def test_renewal_once_same_objective_justified():
    original = r.Renewed(objective="confirmer", is_renewal=False, end=date(2026, 3, 31), already_renewed=False)
    assert r.check_renewal(original, objective="confirmer", justification="Gestes à consolider",
                           start=date(2026, 4, 1)) == []
    second = r.Renewed(objective="confirmer", is_renewal=True, end=date(2026, 3, 31), already_renewed=False)
    problems = r.check_renewal(second, objective="confirmer", justification="Encore", start=date(2026, 4, 1))
    assert codes(problems) == ["renouvellement"] and "second renouvellement est interdit" in problems[0].message
    problems = r.check_renewal(original, objective="decouvrir", justification=" ", start=date(2026, 4, 1))
    assert [p.field for p in problems] == ["objective", "renewal_reason"]


def test_rolling_12_months_total_with_figures():
    past = [(date(2025, 6, 1), date(2025, 6, 30)), (date(2025, 9, 1), date(2025, 9, 30))]  # 60 days
    problems = r.check_rolling_total(past, date(2026, 3, 2), date(2026, 3, 6))
    assert codes(problems) == ["cumul_12_mois"] and not problems[0].blocking
    assert "65 jours" in problems[0].message and "60 jours" in problems[0].message
    # June 2025 is out of the 12 months ending on 6 July 2026
    assert r.check_rolling_total(past, date(2026, 7, 2), date(2026, 7, 6)) == []


@pytest.mark.parametrize(("current", "target", "allowed"), [
    ("brouillon", "a_signer", True), ("a_signer", "signee_partiellement", True),
    ("signee_partiellement", "a_valider", True), ("a_valider", "validee", True), ("validee", "terminee", True),
    ("validee", "annulee", True), ("a_valider", "annulee", False), ("terminee", "annulee", False),
    ("a_valider", "refusee", True), ("validee", "caduque", False), ("brouillon", "validee", False),
])
def test_status_machine(current, target, allowed):
    assert r.can_transition(current, target) is allowed


def test_content_hash_is_stable_and_sensitive():
    a = {"start_date": date(2026, 3, 2), "schedule": [[0, "09:00", "12:00"]], "objective": "confirmer"}
    b = dict(reversed(list(a.items())))
    assert content.content_hash(a) == content.content_hash(b) and len(content.content_hash(a)) == 64
    assert content.content_hash(a) != content.content_hash({**a, "objective": "decouvrir"})


def test_change_classification():
    before = {"schedule": [[0, "09:00", "12:00"]], "tutor_phone": "04 73 00 00 00", "tutor_name": "Jean Dupont",
              "representatives_names": ["Marie Martin"]}
    phone = content.classify_changes(before, {**before, "tutor_phone": "04 73 00 00 01"})
    assert phone.substantive == () and phone.cosmetic == ("tutor_phone",)
    spelling = content.classify_changes(before, {**before, "tutor_name": "Jean Dupond"})
    assert spelling.substantive == () and spelling.cosmetic == ("tutor_name",)
    other_person = content.classify_changes(before, {**before, "representatives_names": ["Paul Girard"]})
    assert other_person.substantive == ("representatives_names",)
    schedule = content.classify_changes(before, {**before, "schedule": [[0, "09:00", "12:30"]]})
    assert schedule.substantive == ("schedule",) and schedule.labels() == "emploi du temps"


def test_signing_status_and_lapse_date():
    assert r.signing_status(3, 0) == "a_signer"
    assert r.signing_status(3, 2) == "signee_partiellement"
    assert r.signing_status(3, 3) == "a_valider"
    assert r.lapses_on(date(2026, 3, 31)) == date(2026, 4, 30)
