"""Forms for young people's profiles and consent."""

from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)

from crm.youth.rules import (
    CONSENT_SCOPES,
    EDUCATION_LEVELS,
    MAX_COMMUTE_KM,
    MOBILITY_MODES,
    PROGRAMMES,
    SEXES,
)
from portal.forms import (
    CommuneField,
    Email,
    Form,
    FrenchDateField,
    NumberRange,
    PhoneField,
    choices_of,
    length,
    optional,
    required,
)
from portal.referentials.vocabulary import CONTRACT_TYPES


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _target(label: str, validators):
    return StringField(label, validators=validators, render_kw={
        "data-autocomplete": "appellations", "autocomplete": "off", "maxlength": 10})


class YouthForm(Form):
    first_name = StringField("Prénom", validators=[required(), length(100)])
    last_name = StringField("Nom", validators=[required(), length(100)])
    birth_date = FrenchDateField("Date de naissance", validators=[required("Information obligatoire (format : 26/11/2006).")])
    sex = SelectField("Sexe (statistiques d'égalité)", choices=choices_of(SEXES), default="non_renseigne")
    commune_code = CommuneField("Commune de résidence", validators=[required()])
    phone = PhoneField(validators=[optional()])
    email = StringField("Adresse électronique", validators=[optional(), Email(), length(254)])
    target_1 = _target("Métier visé 1", [required()])
    target_2 = _target("Métier visé 2", [optional()])
    target_3 = _target("Métier visé 3", [optional()])
    education_level = SelectField("Niveau de formation", choices=choices_of(EDUCATION_LEVELS, "Non renseigné"))
    has_licence = BooleanField("Permis B")
    has_vehicle = BooleanField("Véhicule personnel")
    mobility_mode = SelectField("Mode de déplacement habituel", choices=choices_of(MOBILITY_MODES),
                                default="transports")
    max_commute_km = IntegerField("Trajet maximum (km)", default=15, validators=[
        required(), NumberRange(min=0, max=MAX_COMMUTE_KM, message=f"Entre 0 et {MAX_COMMUTE_KM} km.")])
    available_from = FrenchDateField("Disponible à partir du", validators=[optional()])
    wanted_contracts = CheckboxesField("Contrats souhaités", choices=choices_of(CONTRACT_TYPES))
    programme = SelectField("Accompagnement", choices=choices_of(PROGRAMMES), default="aucun")
    qpv = BooleanField("Réside en quartier prioritaire (QPV)")
    zrr = BooleanField("Réside en zone de revitalisation rurale (ZRR)")
    imilo_id = StringField("Identifiant i-milo", validators=[optional(), length(30)])
    version = HiddenField()

    def profile_values(self) -> dict:
        names = ("first_name", "last_name", "birth_date", "sex", "commune_code", "phone", "email",
                 "education_level", "has_licence", "has_vehicle", "mobility_mode", "max_commute_km",
                 "available_from", "wanted_contracts", "programme", "qpv", "zrr", "imilo_id")
        values = {n: self[n].data for n in names}
        values["targets"] = [self.target_1.data, self.target_2.data, self.target_3.data]
        return values


class ConsentForm(Form):
    consent_on = FrenchDateField("Date du consentement", validators=[required()])
    consent_scope = SelectField("Ce que la personne accepte de transmettre",
                                choices=choices_of(CONSENT_SCOPES, "— Choisir —"), validators=[required()])
