"""Pure rules of post-hire follow-up."""

from datetime import date

import pytest

from crm.followup import rules


def test_default_schedule_is_j7_j30_j90():
    planned = rules.check_in_schedule(date(2026, 3, 2), (7, 30, 90))
    assert [(p.due_on, p.label) for p in planned] == [
        (date(2026, 3, 9), "J+7"), (date(2026, 4, 1), "J+30"), (date(2026, 5, 31), "J+90")]


def test_schedule_adds_trial_end_and_drops_check_ins_after_contract_end():
    planned = rules.check_in_schedule(date(2026, 3, 2), (7, 30, 90), trial_end_on=date(2026, 3, 16),
                                      end_on=date(2026, 4, 30))
    assert [(p.due_on, p.label) for p in planned] == [
        (date(2026, 3, 9), "J+7"), (date(2026, 3, 16), "Fin de période d'essai"), (date(2026, 4, 1), "J+30")]


def test_trial_end_on_the_same_day_merges():
    planned = rules.check_in_schedule(date(2026, 3, 2), (7,), trial_end_on=date(2026, 3, 9))
    assert [p.label for p in planned] == ["J+7 · Fin de période d'essai"]


def test_very_short_contract_still_gets_one_check_in():
    planned = rules.check_in_schedule(date(2026, 3, 2), (7, 30), end_on=date(2026, 3, 5))
    assert [(p.due_on, p.label) for p in planned] == [(date(2026, 3, 5), "Fin de contrat")]


@pytest.mark.parametrize("text, expected", [("7, 30, 90", (7, 30, 90)), ("J+90;J+7", (7, 90)), ("30,30", (30,))])
def test_parse_offsets(text, expected):
    assert rules.parse_offsets(text) == expected


@pytest.mark.parametrize("text", ["", "sept", "0", "7, 1000"])
def test_parse_offsets_refuses_nonsense(text):
    with pytest.raises(ValueError):
        rules.parse_offsets(text)


def test_two_working_days_skip_weekends_and_holidays():
    assert rules.mediation_due_on(date(2026, 3, 3)) == date(2026, 3, 5)  # mardi -> jeudi
    assert rules.mediation_due_on(date(2026, 3, 6)) == date(2026, 3, 10)  # vendredi -> mardi
    assert rules.mediation_due_on(date(2026, 4, 3)) == date(2026, 4, 8)  # vendredi avant Pâques
    assert rules.mediation_due_on(date(2026, 5, 13)) == date(2026, 5, 18)  # veille de l'Ascension


def test_hire_dates_in_the_wrong_order():
    problems = rules.hire_problems(contract_type="cdd", start_on=date(2026, 3, 2), end_on=date(2026, 2, 1),
                                   trial_end_on=None)
    assert ("end_on", "La date de fin doit être postérieure à la date de début.") in problems


def test_trial_end_outside_the_contract():
    before = rules.hire_problems(contract_type="cdi", start_on=date(2026, 3, 2), end_on=None,
                                 trial_end_on=date(2026, 3, 1))
    after = rules.hire_problems(contract_type="cdd", start_on=date(2026, 3, 2), end_on=date(2026, 4, 1),
                                trial_end_on=date(2026, 4, 15))
    assert [f for f, _ in before] == ["trial_end_on"]
    assert [f for f, _ in after] == ["trial_end_on"]


def test_cdi_has_no_end_and_cdd_needs_one():
    assert rules.hire_problems(contract_type="cdi", start_on=date(2026, 3, 2), end_on=date(2026, 9, 1),
                               trial_end_on=None)[0][1] == "Un CDI n'a pas de date de fin : laissez ce champ vide."
    assert rules.hire_problems(contract_type="cdd", start_on=date(2026, 3, 2), end_on=None,
                               trial_end_on=None)[0][0] == "end_on"
    assert rules.hire_problems(contract_type="contrat_aide", start_on=date(2026, 3, 2), end_on=None,
                               trial_end_on=None, hours_per_week=26) == []


def test_hours_and_contract_type_are_checked():
    fields = [f for f, _ in rules.hire_problems(contract_type="stage", start_on=date(2026, 3, 2), end_on=None,
                                                 trial_end_on=None, hours_per_week=60)]
    assert fields == ["contract_type", "hours_per_week"]


def _rupture(**kw):
    values = {"start_on": date(2026, 3, 2), "end_on": None, "trial_end_on": date(2026, 4, 1),
              "ended_on": date(2026, 3, 20), "initiative": "jeune", "reason": "mobilite", "today": date(2026, 6, 1)}
    values.update(kw)
    return rules.rupture_problems(**values)


def test_valid_rupture():
    assert _rupture() == []


def test_rupture_without_reason():
    assert _rupture(reason=None) == [("reason", "Choisissez le motif de la rupture dans la liste.")]


def test_rupture_dates():
    assert _rupture(ended_on=date(2026, 3, 1))[0][0] == "ended_on"
    assert _rupture(ended_on=date(2026, 6, 2))[0][1] == "La date de rupture ne peut pas être dans le futur."
    assert _rupture(ended_on=date(2026, 5, 1), end_on=date(2026, 4, 30))[0][0] == "ended_on"


def test_end_of_trial_period_must_be_within_the_trial():
    assert _rupture(initiative="fin_periode_essai") == []
    assert _rupture(initiative="fin_periode_essai", ended_on=date(2026, 4, 10))[0][0] == "initiative"
    assert _rupture(initiative="fin_periode_essai", trial_end_on=None)[0][0] == "initiative"


def test_states():
    today = date(2026, 6, 1)
    assert rules.hire_state(start_on=date(2026, 7, 1), end_on=None, ended_on=None, today=today) == "a_venir"
    assert rules.hire_state(start_on=date(2026, 1, 1), end_on=date(2026, 5, 1), ended_on=None,
                            today=today) == "terminee"
    assert rules.hire_state(start_on=date(2026, 1, 1), end_on=None, ended_on=date(2026, 2, 1),
                            today=today) == "rompue"
    assert rules.check_in_state(due_on=date(2026, 5, 31), done=False, today=today) == "en_retard"
    assert rules.check_in_state(due_on=date(2026, 6, 5), done=False, today=today) == "a_faire"
    assert rules.check_in_state(due_on=date(2026, 7, 5), done=False, today=today) == "a_venir"
    assert rules.check_in_state(due_on=date(2026, 5, 1), done=True, today=today) == "fait"
