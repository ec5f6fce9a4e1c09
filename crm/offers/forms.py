"""Offer forms: French labels and messages."""

from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import ValidationError

from crm.offers.rules import MAX_HOURS_PER_WEEK
from portal.forms import (
    CommuneField,
    Email,
    Form,
    FrenchDateField,
    NumberRange,
    PhoneField,
    RomeField,
    SiretField,
    choices_of,
    length,
    optional,
    required,
)
from portal.referentials.vocabulary import CONTRACT_TYPES, EDUCATION_LEVELS
from portal.text import is_digits


class CompanyIdField(StringField):
    """A company chosen through the company autocomplete (staff only)."""

    def __init__(self, label="Entreprise", validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"data-autocomplete": "companies", "autocomplete": "off", "maxlength": 12})
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        if self.data and not is_digits(str(self.data).strip()):
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
