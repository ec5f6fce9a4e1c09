"""Phone numbers, e-mail addresses and postal codes, read once for the forms and the imports."""

import pytest

from portal import contact


@pytest.mark.parametrize("typed", [
    "04 73 80 00 00", "0473800000", "04.73.80.00.00", "04-73-80-00-00", "+33 4 73 80 00 00", "+33473800000",
    "0033 4 73 80 00 00", "0033473800000", "33473800000", "473800000",  # a sheet dropped the leading zero
    " 04 73 80 00 00 ", "Tél. 04 73 80 00 00", "+33 (0)4 73 80 00 00",
])
def test_a_french_number_is_stored_as_the_pages_show_it(typed):
    assert contact.phone_number(typed) == "04 73 80 00 00"


@pytest.mark.parametrize(("typed", "stored"), [
    ("06 12 34 56 78", "06 12 34 56 78"), ("0800123456", "08 00 12 34 56"), ("09 70 00 00 00", "09 70 00 00 00"),
    ("07 00 00 00 00", "07 00 00 00 00"), ("0262 12 34 56", "02 62 12 34 56"),
])
def test_every_french_range_keeps_its_pairs(typed, stored):
    assert contact.phone_number(typed) == stored


@pytest.mark.parametrize("typed", [
    "", None, "12", "04 73 80 00", "04 73 80 00 00 0", "0000000000", "+32 2 123 45 67", "+1 202 555 0100",
    "abcdefghij", "0612345678 poste 12", "+",
])
def test_anything_else_is_refused_with_a_french_message_and_its_example(typed):
    with pytest.raises(ValueError, match=r"^numéro invalide \(exemple : 04 73 80 00 00\)\.$"):
        contact.phone_number(typed)
    with pytest.raises(ValueError, match="exemple : 06 12 34 56 78"):
        contact.phone_number(typed, example="06 12 34 56 78")


def test_international_form_of_a_stored_number():
    assert contact.phone_e164("04 73 80 00 00") == "+33473800000"
    assert contact.phone_e164("0612345678") == "+33612345678"
    assert contact.phone_e164(None) is None and contact.phone_e164("12") is None


def test_an_address_is_normalised_and_a_bad_one_refused():
    assert contact.email_address(" Marie.Dupont@Exemple.FR ") == "Marie.Dupont@exemple.fr"
    for bad in ("", None, "marie", "marie@", "@exemple.fr", "marie dupont@exemple.fr", "marie@exemple..fr"):
        with pytest.raises(ValueError, match="^adresse électronique invalide.$"):
            contact.email_address(bad)


def test_the_reserved_test_domain_only_when_asked():
    with pytest.raises(ValueError):
        contact.email_address("admin@maillage.test")
    assert contact.email_address("admin@maillage.test", test_domains=True) == "admin@maillage.test"


def test_a_postal_code_is_five_digits():
    assert contact.postal_code("63300") == "63300"
    assert contact.postal_code(" 63 300 ") == "63300"
    assert contact.postal_code("1000", from_spreadsheet=True) == "01000"
    for bad in ("1000", "633000", "6330A", "", None, "٦٣٣٠٠"):
        with pytest.raises(ValueError, match="^le code postal comporte 5 chiffres.$"):
            contact.postal_code(bad)
    with pytest.raises(ValueError):
        contact.postal_code("633", from_spreadsheet=True)
