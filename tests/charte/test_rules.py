from datetime import date

from charte import rules


def test_add_months_clamps_to_month_end():
    assert rules.add_months(date(2026, 3, 31), 11) == date(2027, 2, 28)
    assert rules.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert rules.add_months(date(2026, 3, 15), -11) == date(2025, 4, 15)


def test_renewal_dates_and_window():
    start = date(2026, 1, 10)
    assert rules.renewal_invitation_on(start) == date(2026, 12, 10)
    assert rules.renewal_due_on(start) == date(2027, 1, 10)
    assert not rules.renewal_open("active", start, date(2026, 12, 9))
    assert rules.renewal_open("active", start, date(2026, 12, 10))
    assert rules.renewal_open("a_renouveler", start, date(2026, 2, 1))
    assert not rules.renewal_open("retiree", start, date(2027, 6, 1))


def test_signing_conflicts_in_french():
    assert rules.signing_conflict("en_attente", False) is None
    assert "en attente de validation" in rules.signing_conflict("en_attente", True)
    assert "déjà signé" in rules.signing_conflict("active", True)
    assert "à renouveler" in rules.signing_conflict("a_renouveler", True)


def test_validation_needs_a_confirmed_pending_signature():
    assert "pas encore confirmé" in rules.validation_problem("en_attente", False)
    assert rules.validation_problem("active", True) == "Seule une signature en attente peut être validée."
    assert rules.validation_problem("en_attente", True) is None


def test_commitment_code_is_unique_and_accent_free():
    assert rules.commitment_code("Accueillir des élèves", set()) == "accueillir_des_eleves"
    assert rules.commitment_code("Accueillir des élèves", {"accueillir_des_eleves"}) == "accueillir_des_eleves_2"
    assert rules.certificate_number(2026, 42) == "CJ-2026-00042"
