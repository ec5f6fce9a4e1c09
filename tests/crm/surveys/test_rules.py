"""Pure rules of the satisfaction survey."""

from datetime import date

from crm.surveys import rules


def test_a_score_is_a_whole_number_from_1_to_5():
    assert [rules.score_problem(v) for v in ("1", "5", 3, " 4 ")] == [None] * 4
    assert rules.score_problem(None) == rules.score_problem("") == "Choisissez une note de 1 à 5."
    for bad in ("0", "6", "-1", "4.5", "trois", "99999999999999999999"):
        assert rules.score_problem(bad) == "La note va de 1 à 5.", bad


def test_young_peoples_names_are_found_side_by_side_in_either_order():
    people = [("Léa", "Martin"), ("Jean-Luc", "Dubois"), ("Hugo", "Roux")]
    assert rules.mentioned_names("Merci pour léa MARTIN, très bien.", people) == ["Léa Martin"]
    assert rules.mentioned_names("Dubois Jean-Luc est parti", people) == ["Jean-Luc Dubois"]
    assert rules.mentioned_names("Hugo nous a aidés ; M. Roux aussi", people) == []
    assert rules.mentioned_names("Le martin-pêcheur", people) == []


def test_period_problems():
    assert rules.period_problems(2026, date(2026, 11, 1), date(2026, 12, 15)) == []
    assert rules.period_problems(2026, date(2026, 12, 15), date(2026, 11, 1)) == [
        ("closes_on", "La clôture doit suivre l'ouverture.")]
    assert rules.period_problems(2026, date(2026, 1, 1), date(2026, 12, 31)) == [
        ("closes_on", "L'enquête reste ouverte 120 jours au plus.")]
    assert rules.period_problems(2026, date(2024, 1, 1), date(2024, 2, 1)) == [
        ("opens_on", "L'enquête 2026 s'ouvre en 2026 ou au début de 2027.")]
    assert ("year", "Indiquez une année entre 2000 et 2100.") in rules.period_problems(None, None, None)


def test_questions_keep_the_default_where_the_admin_wrote_nothing():
    wording = rules.questions({"improve": "  Une idée pour nous ?  ", "comment": ""})
    assert wording["improve"] == "Une idée pour nous ?"
    assert wording["comment"] == rules.DEFAULT_QUESTIONS["comment"]
