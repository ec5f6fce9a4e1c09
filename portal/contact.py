"""Contact details as people type them, read once for the forms and the spreadsheet imports alike.

A phone number is read by `phonenumbers` (French numbers, as typed on a form or left in a spreadsheet
cell: spaces, dots, +33, 0033, a dropped leading zero) and stored the way the pages show it,
"04 73 80 00 00"; an e-mail address by `email-validator` (syntax only, no DNS lookup), stored
normalised; a postal code as its five digits. A bad value raises `ValueError` with a French message that
fits after the column's name in an import report ("Téléphone : numéro invalide ...").
"""

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from portal.text import is_digits

FRANCE = "FR"
PHONE_EXAMPLE = "04 73 80 00 00"


def phone_number(value: str | None, *, example: str = PHONE_EXAMPLE) -> str:
    """A French phone number as "04 73 80 00 00" (ten digits in pairs, the way the pages show it), or
    ValueError: "numéro invalide (exemple : ...)"."""
    # Only the digits count, as they always have ("Tél. 04 73 80 00 00", "04-73-80-00-00"), and a leading
    # "+" that says an international prefix follows.
    text = (value or "").strip()
    digits = ("+" if text.startswith("+") else "") + re.sub(r"\D", "", text)
    try:
        number = phonenumbers.parse(digits, FRANCE)
    except phonenumbers.NumberParseException:
        number = None
    national = str(number.national_number) if number is not None else ""
    if (number is None or number.country_code != 33 or len(national) != 9 or national[0] == "0"
            or not phonenumbers.is_possible_number(number)):
        raise ValueError(f"numéro invalide (exemple : {example}).")
    digits = "0" + national
    return " ".join(digits[i:i + 2] for i in range(0, 10, 2))


def phone_e164(stored: str | None) -> str | None:
    """A stored French number in the international form "+33473800000", or None when it is not one."""
    try:
        return "+33" + phone_number(stored)[1:].replace(" ", "")
    except ValueError:
        return None


def email_address(value: str | None, *, test_domains: bool = False) -> str:
    """The normalised address (domain lower-cased), or ValueError: "adresse électronique invalide.".
    `test_domains` also accepts the reserved `.test` domain (demo accounts, outside production)."""
    try:
        return validate_email((value or "").strip(), check_deliverability=False,
                              test_environment=test_domains).normalized
    except EmailNotValidError as exc:
        raise ValueError("adresse électronique invalide.") from exc


def postal_code(value: str | None, *, from_spreadsheet: bool = False) -> str:
    """Five digits (spaces removed), or ValueError: "le code postal comporte 5 chiffres.". From a
    spreadsheet, four digits get back the leading zero the sheet dropped (1000 → 01000)."""
    text = re.sub(r"\s", "", value or "")
    if from_spreadsheet and text.isascii() and is_digits(text) and len(text) == 4:
        text = "0" + text
    if not re.fullmatch(r"\d{5}", text, re.ASCII):
        raise ValueError("le code postal comporte 5 chiffres.")
    return text
