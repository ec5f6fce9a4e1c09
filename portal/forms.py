"""Shared French form base, fields and validators used by every capability."""

import re

from flask import current_app
from flask_wtf import FlaskForm
from stdnum.fr import siret as stdnum_siret
from wtforms import DateField, StringField
from wtforms import validators as wtf_validators
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal import contact
from portal.referentials import queries
from portal.text import is_digits

REQUIRED = "Information obligatoire."
DATE_MESSAGE = "Date invalide (format attendu : 26/11/2026)."


class Form(FlaskForm):
    """Every form of Maillage: French built-in messages."""

    class Meta:
        locales = ["fr_FR", "fr"]

    def add_error(self, field: str | None, message: str) -> None:
        """Attach a business error to a field (or to the form when the field is unknown)."""
        target = getattr(self, field, None) if field else None
        if target is not None and hasattr(target, "errors"):
            if isinstance(target.errors, tuple):
                target.errors = list(target.errors)
            target.errors.append(message)
        else:
            self.form_errors.append(message)


class EmptyForm(Form):
    """POST-only actions: carries the CSRF token and nothing else."""


def required(message: str = REQUIRED):
    return DataRequired(message=message)


def optional():
    return Optional()


def choices_of(pairs, blank: str | None = None) -> list[SelectChoice]:
    """Select options from a {code: French label} mapping or (value, label) pairs, after an empty first
    option labelled `blank` when one is given."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return ([SelectChoice("", blank)] if blank is not None else []) + [SelectChoice(str(v), label) for v, label in items]


class FrenchDateField(DateField):
    """A date typed by hand as 26/11/2026 or picked by the browser's date input (ISO)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=["%Y-%m-%d", "%d/%m/%Y"], **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(DATE_MESSAGE) from exc
        if self.data is None and valuelist and valuelist[0].strip():
            raise ValueError(DATE_MESSAGE)


class NumberRange(wtf_validators.NumberRange):
    """WTForms' NumberRange, safe for an integer beyond what a float holds (it calls math.isnan on it and
    raised OverflowError, a 500, on « 1 » followed by 400 zeros: found by the fuzzing): out of range."""

    def __call__(self, form, field):
        try:
            super().__call__(form, field)
        except OverflowError:
            raise ValidationError(self.message or "Nombre hors des limites permises.") from None


def length(max: int, min: int = -1):  # noqa: A002
    return Length(min=min, max=max, message=f"{max} caractères au maximum." if min < 0
                  else f"Entre {min} et {max} caractères.")


class Email:
    """A deliverable-looking e-mail address (syntax only, no DNS lookup). Outside production the reserved
    `.test` domain is accepted too, for the demo accounts (admin@maillage.test...). Its field is rendered
    as an e-mail input (macros/forms.html reads the flag): phones show their e-mail keyboard."""

    field_flags = {"email": True}

    def __call__(self, form, field):
        if not field.data:
            return
        try:
            field.data = contact.email_address(field.data,
                                               test_domains=bool(current_app.config.get("EMAIL_TEST_DOMAINS")))
        except ValueError as exc:
            raise ValidationError("Adresse électronique invalide (exemple : prenom.nom@domaine.fr).") from exc


def clean_siret(value: str | None) -> str:
    """Digits of a SIRET as typed (spaces and dots removed)."""
    return re.sub(r"[\s.\-]", "", value or "")


def siret_problem(value: str) -> str | None:
    """French explanation of why a SIRET is invalid, or None (python-stdnum: checksum and the La Poste
    exception)."""
    digits = clean_siret(value)
    if not is_digits(digits) or len(digits) != 14:
        return "Le SIRET doit comporter 14 chiffres."
    if not stdnum_siret.is_valid(digits):
        return "Ce SIRET n'est pas valide (clé de contrôle incorrecte) : vérifiez-le sur l'avis de situation INSEE."
    return None


class SiretValidator:
    def __call__(self, form, field):
        if not field.data:
            return
        problem = siret_problem(field.data)
        if problem:
            raise ValidationError(problem)
        field.data = clean_siret(field.data)


class SiretField(StringField):
    """A SIRET, checked by python-stdnum, stored as 14 digits."""

    def __init__(self, label="SIRET", validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off", "maxlength": 20})
        super().__init__(label, validators=(validators or []) + [SiretValidator()], **kwargs)


class PhoneValidator:
    def __call__(self, form, field):
        if not field.data:
            return
        try:
            field.data = contact.phone_number(field.data)
        except ValueError as exc:
            raise ValidationError(f"Numéro de téléphone invalide (exemple : {contact.PHONE_EXAMPLE}).") from exc


class PhoneField(StringField):
    """A French phone number, stored as "04 73 80 00 00"."""

    def __init__(self, label="Téléphone", validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"type": "tel", "autocomplete": "tel", "maxlength": 25})
        super().__init__(label, validators=(validators or []) + [PhoneValidator()], **kwargs)


class PostalCodeValidator:
    def __call__(self, form, field):
        if not field.data:
            return
        try:
            field.data = contact.postal_code(field.data)
        except ValueError as exc:
            raise ValidationError("Le code postal comporte 5 chiffres.") from exc


class PostalCodeField(StringField):
    def __init__(self, label="Code postal", validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "maxlength": 5, "autocomplete": "postal-code"})
        super().__init__(label, validators=(validators or []) + [PostalCodeValidator()], **kwargs)


class CommuneValidator:
    """The value is the INSEE code of a known commune; `territory_only` restricts to the territory."""

    def __init__(self, territory_only: bool = False):
        self.territory_only = territory_only

    def __call__(self, form, field):
        if not field.data:
            return

        code = field.data.strip().upper()
        commune = queries.get_commune(code)
        if commune is None:
            raise ValidationError("Commune inconnue : choisissez-la dans la liste proposée.")
        if self.territory_only and not queries.in_territory(code):
            raise ValidationError("Cette commune ne fait pas partie du territoire de la Mission Locale.")
        field.data = code


class CommuneField(StringField):
    """An INSEE commune code entered through the commune autocomplete (territory first)."""

    def __init__(self, label="Commune", validators=None, territory_only: bool = False, **kwargs):
        kwargs.setdefault("render_kw", {"data-autocomplete": "communes", "autocomplete": "off", "maxlength": 5})
        super().__init__(label, validators=(validators or []) + [CommuneValidator(territory_only)], **kwargs)


class RomeAppellationValidator:
    def __call__(self, form, field):
        if not field.data:
            return

        if queries.get_appellation(field.data.strip()) is None:
            raise ValidationError("Métier inconnu : choisissez-le dans la liste proposée (ROME).")
        field.data = field.data.strip()


class RomeField(StringField):
    """A ROME appellation code entered through the appellation autocomplete."""

    def __init__(self, label="Métier (ROME)", validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"data-autocomplete": "appellations", "autocomplete": "off", "maxlength": 10})
        super().__init__(label, validators=(validators or []) + [RomeAppellationValidator()], **kwargs)


class NafValidator:
    def __call__(self, form, field):
        if not field.data:
            return

        code = field.data.strip().upper()
        if queries.get_naf(code) is None:
            raise ValidationError("Code NAF inconnu (exemple : 25.71Z).")
        field.data = code


class NafField(StringField):
    def __init__(self, label="Code NAF", validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"data-autocomplete": "naf", "autocomplete": "off", "maxlength": 6})
        super().__init__(label, validators=(validators or []) + [NafValidator()], **kwargs)
