"""Employer-relations forms: English field names, French labels and messages."""

from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import ValidationError

from crm.employers.models import ATTENDANCE, EVENT_KINDS, HEADCOUNT_BRACKETS, INTERACTION_KINDS, OUTCOMES
from portal.forms import (
    CommuneField,
    Email,
    Form,
    FrenchDateField,
    NafField,
    NumberRange,
    PhoneField,
    PostalCodeField,
    SiretField,
    choices_of,
    length,
    optional,
    required,
)


def _website(form, field):
    if field.data and not field.data.startswith(("http://", "https://")):
        field.data = "https://" + field.data.strip()
    if field.data and (" " in field.data.strip() or "." not in field.data):
        raise ValidationError("Adresse de site invalide (exemple : https://www.exemple.fr).")


class PublicProfileForm(Form):
    """What an employer keeps about its own company."""

    headcount_bracket = SelectField("Effectif", choices=choices_of([("", "Non renseigné")] + list(HEADCOUNT_BRACKETS.items())),
                                    validators=[optional()])
    address = StringField("Adresse", validators=[optional(), length(300)])
    postal_code = PostalCodeField(validators=[optional()])
    phone = PhoneField(validators=[optional()])
    email = StringField("Courriel", validators=[optional(), Email(), length(254)],
                        render_kw={"type": "email", "autocomplete": "email"})
    website = StringField("Site web", validators=[optional(), length(300), _website], render_kw={"type": "url"})
    description = TextAreaField("Présentation", validators=[optional(), length(5000)])
    version = HiddenField()


class CompanyForm(PublicProfileForm):
    name = StringField("Raison sociale", validators=[required(), length(200)], render_kw={"autocomplete": "organization"})
    siret = SiretField(validators=[optional()])
    naf_code = NafField("Activité (code NAF)", validators=[optional()])
    commune_code = CommuneField(validators=[required()])
    stage = SelectField("Étape de prospection", validators=[required()])
    owner_id = SelectField("Chargé·e de relation", validators=[optional()])
    in_tension = BooleanField("Secteur en tension")
    accepts_pmsmp = BooleanField("Accueille des PMSMP (immersions)")
    accepts_apprentices = BooleanField("Accueille des apprentis")
    source = StringField("Source", validators=[optional(), length(100)])
    notes = TextAreaField("Notes internes", validators=[optional(), length(10000)])
    confirm_duplicate = BooleanField("Ce n'est pas un doublon : enregistrer quand même")

    def set_choices(self, stages: dict[str, str], owners) -> None:
        self.stage.choices = choices_of(stages)
        self.owner_id.choices = choices_of([("", "Personne")] + [(u.id, u.display_name) for u in owners])

    def company_fields(self) -> dict:
        fields = {name: getattr(self, name).data for name in (
            "name", "siret", "naf_code", "commune_code", "stage", "owner_id", "in_tension", "accepts_pmsmp",
            "accepts_apprentices", "source", "notes", "headcount_bracket", "address", "postal_code", "phone",
            "email", "website", "description")}
        fields["owner_id"] = int(fields["owner_id"]) if fields["owner_id"] else None
        return fields


class ContactForm(Form):
    full_name = StringField("Nom et prénom", validators=[required(), length(200)], render_kw={"autocomplete": "name"})
    job_title = StringField("Fonction", validators=[optional(), length(200)])
    email = StringField("Courriel", validators=[optional(), Email(), length(254)], render_kw={"type": "email"})
    phone = PhoneField(validators=[optional()])
    is_primary = BooleanField("Contact principal")
    communication_consent = BooleanField("Accepte de recevoir les informations de la Mission Locale")
    version = HiddenField()

    def contact_fields(self) -> dict:
        return {n: getattr(self, n).data for n in ("full_name", "job_title", "email", "phone", "is_primary",
                                                   "communication_consent")}


class InteractionForm(Form):
    kind = SelectField("Type d'échange", choices=choices_of(INTERACTION_KINDS), validators=[required()])
    occurred_on = FrenchDateField("Date", validators=[required()])
    contact_id = SelectField("Interlocuteur", validators=[optional()])
    summary = TextAreaField("Compte rendu", validators=[required(), length(10000)])
    outcome = SelectField("Résultat", choices=choices_of([("", "Non précisé")] + list(OUTCOMES.items())), validators=[optional()])
    next_action = StringField("Prochaine action", validators=[optional(), length(300)])
    next_action_on = FrenchDateField("Pour le", validators=[optional()])


class TaskForm(Form):
    title = StringField("Tâche", validators=[required(), length(300)])
    due_on = FrenchDateField("Échéance", validators=[required()])
    assignee_id = SelectField("Confiée à", validators=[required()])
    company_id = StringField("Entreprise concernée", validators=[optional()],
                             render_kw={"data-autocomplete": "companies", "autocomplete": "off"})


class AssignTaskForm(Form):
    """Give the checked open tasks of the list to one person (the boxes carry `form="confier-taches"`)."""

    assignee_id = SelectField("Confier les tâches cochées à", validators=[required()])


class EventForm(Form):
    kind = SelectField("Type", choices=choices_of(EVENT_KINDS), validators=[required()])
    title = StringField("Intitulé", validators=[required(), length(200)])
    held_on = FrenchDateField("Date", validators=[required()])
    commune_code = CommuneField(validators=[optional()])
    place = StringField("Lieu", validators=[optional(), length(300)])
    youth_count = IntegerField("Nombre de jeunes présents", validators=[optional(), NumberRange(
        min=0, max=100000, message="Indiquez un nombre entre 0 et 100 000.")])
    description = TextAreaField("Description", validators=[optional(), length(5000)])
    version = HiddenField()

    def event_fields(self) -> dict:
        return {n: getattr(self, n).data for n in ("kind", "title", "held_on", "commune_code", "place",
                                                   "youth_count", "description")}


class ParticipantForm(Form):
    company_id = StringField("Entreprise", validators=[required()],
                             render_kw={"data-autocomplete": "companies", "autocomplete": "off"})


class YoungParticipantForm(Form):
    youth_id = StringField("Jeune", validators=[required()],
                           render_kw={"data-autocomplete-url": "/jeunes/autocompletion", "autocomplete": "off"})
    attendance = SelectField("Présence", choices=choices_of(ATTENDANCE), default="inscrit", validators=[required()])


class AttendanceForm(Form):
    attendance = SelectField("Présence", choices=choices_of(ATTENDANCE), validators=[required()])


class MoveStageForm(Form):
    stage = SelectField("Étape", validators=[required()])


class SavedFilterForm(Form):
    name = StringField("Nom de la recherche", validators=[required(), length(100)])
    query = HiddenField()


class MergeForm(Form):
    target_id = StringField("Entreprise à conserver", validators=[required()],
                            render_kw={"data-autocomplete": "companies", "autocomplete": "off"})
    confirm = BooleanField("Je confirme la fusion : la fiche en doublon sera archivée", validators=[required(
        "Cochez la case pour confirmer la fusion.")])
