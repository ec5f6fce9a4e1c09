"""Offer forms: French labels and messages."""

from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from crm.offers.rules import CONTRACT_TYPES, MAX_HOURS_PER_WEEK
from crm.youth.rules import EDUCATION_LEVELS
from portal.forms import (
    CommuneField,
    Email,
    Form,
    NumberRange,
    PhoneField,
    RomeField,
    SiretField,
    length,
    optional,
    required,
)


def choices_of(mapping: dict[str, str], blank: str | None = None) -> list[SelectChoice]:
    """Select options from a code -> French label mapping, with an optional empty first option."""
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(code, label) for code, label in mapping.items()]


DATE_MESSAGE = "Date invalide (format attendu : 26/11/2026)."


class FrenchDateField(DateField):
    """A date typed as 26/11/2026 (or picked by the browser's date input)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=["%Y-%m-%d", "%d/%m/%Y"], **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(DATE_MESSAGE) from exc
        if self.data is None and valuelist and valuelist[0].strip():
            raise ValueError(DATE_MESSAGE)


class CompanyIdField(StringField):
    """A company chosen through the company autocomplete (staff only)."""

    def __init__(self, label="Entreprise", validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"data-autocomplete": "companies", "autocomplete": "off", "maxlength": 12})
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        if self.data and not str(self.data).strip().isdigit():
            raise ValidationError("Entreprise inconnue : choisissez-la dans la liste proposée.")


def _hours_range():
    return NumberRange(min=0.5, max=MAX_HOURS_PER_WEEK,
                       message=f"Entre 0,5 et {MAX_HOURS_PER_WEEK} heures par semaine.")


class OfferForm(Form):
    title = StringField("Intitulé du poste", validators=[required(), length(200)])
    appellation_code = RomeField("Métier (ROME)", validators=[required()])
    contract_type = SelectField("Type de contrat", choices=choices_of(CONTRACT_TYPES, "— Choisir —"),
                                validators=[required()])
    hours_per_week = DecimalField("Heures par semaine", places=1, validators=[optional(), _hours_range()],
                                  render_kw={"inputmode": "decimal"})
    work_commune_code = CommuneField("Commune du lieu de travail", validators=[required()])
    start_on = FrenchDateField("Date de début souhaitée", validators=[optional()])
    end_on = FrenchDateField("Date de fin (contrat à durée limitée)", validators=[optional()])
    positions = IntegerField("Nombre de postes", default=1,
                             validators=[required(), NumberRange(min=1, max=500, message="Entre 1 et 500 postes.")])
    requires_licence = BooleanField("Permis B exigé")
    requires_vehicle = BooleanField("Véhicule personnel exigé")
    education_level = SelectField("Niveau de formation minimum",
                                  choices=choices_of(EDUCATION_LEVELS, "Aucun niveau exigé"))
    description = TextAreaField("Description du poste et des missions", validators=[optional(), length(5000)])

    def offer_values(self) -> dict:
        return {name: self[name].data for name in (
            "title", "appellation_code", "contract_type", "hours_per_week", "work_commune_code", "start_on",
            "end_on", "positions", "requires_licence", "requires_vehicle", "education_level", "description")}


class StaffOfferForm(OfferForm):
    company_id = CompanyIdField("Entreprise", validators=[required()])


class EditOfferForm(OfferForm):
    version = HiddenField()


class StatusForm(Form):
    reason = StringField("Motif (facultatif)", validators=[optional(), length(300)])


class PublicNeedForm(OfferForm):
    siret = SiretField("SIRET de l'établissement", validators=[required()])
    company_name = StringField("Nom de l'entreprise", validators=[required(), length(200)])
    contact_name = StringField("Vos prénom et nom", validators=[required(), length(200)])
    contact_email = EmailField("Votre adresse électronique", validators=[required(), Email(), length(254)],
                               render_kw={"autocomplete": "email"})
    contact_phone = PhoneField("Votre téléphone", validators=[optional()])
    # honeypot: hidden from people by CSS, filled in by robots
    website = StringField("Site web (laisser vide)", render_kw={"autocomplete": "off", "tabindex": "-1"})
