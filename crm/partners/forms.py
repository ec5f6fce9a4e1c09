"""Forms of partner organisations and conventions."""

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)

from crm.employers.models import INTERACTION_KINDS, OUTCOMES
from crm.partners.models import CONVENTION_KINDS, PARTNER_KINDS
from portal.forms import (
    DATE_MESSAGE,
    CommuneField,
    Email,
    Form,
    FrenchDateField,
    NumberRange,
    PhoneField,
    PostalCodeField,
    SiretField,
    choices_of,
    length,
    optional,
    required,
)


class PartnerForm(Form):
    name = StringField("Nom de l'organisation", validators=[required(), length(200)])
    kind = SelectField("Type d'organisation", choices=choices_of([("", "Choisir…"), *PARTNER_KINDS.items()]),
                       validators=[required()])
    siret = SiretField("SIRET (s'il y en a un)", validators=[optional()])
    address = StringField("Adresse", validators=[optional(), length(300)], render_kw={"autocomplete": "street-address"})
    postal_code = PostalCodeField(validators=[optional()])
    commune_code = CommuneField(validators=[optional()])
    phone = PhoneField(validators=[optional()])
    email = StringField("Adresse électronique", validators=[optional(), length(254), Email()],
                        render_kw={"inputmode": "email"})
    website = StringField("Site web", validators=[optional(), length(300)], render_kw={"inputmode": "url"})
    referent_id = SelectField("Conseiller·ère référent·e", coerce=str, validators=[optional()])
    notes = TextAreaField("Notes internes", validators=[optional(), length(5000)])
    version = HiddenField()


class ContactForm(Form):
    name = StringField("Prénom et nom", validators=[required(), length(200)])
    job_title = StringField("Fonction", validators=[optional(), length(200)])
    email = StringField("Adresse électronique", validators=[optional(), length(254), Email()],
                        render_kw={"inputmode": "email"})
    phone = PhoneField(validators=[optional()])
    is_primary = BooleanField("Contact principal")


class ConventionForm(Form):
    title = StringField("Intitulé", validators=[required(), length(200)])
    kind = SelectField("Type de convention", choices=choices_of([("", "Choisir…"), *CONVENTION_KINDS.items()]),
                       validators=[required()])
    object = TextAreaField("Objet", validators=[optional(), length(5000)])
    start_on = DateField("Date de début", validators=[required(DATE_MESSAGE)])
    end_on = DateField("Date de fin", validators=[required(DATE_MESSAGE)])
    tacit_renewal = BooleanField("Reconduction tacite")
    renewal_months = IntegerField("Durée de chaque reconduction (mois)", default=12,
                                  validators=[optional(), NumberRange(min=1, max=60,
                                              message="Entre 1 et 60 mois.")])
    objectives = TextAreaField("Objectifs", validators=[optional(), length(5000)])
    referent_id = SelectField("Conseiller·ère référent·e", coerce=str, validators=[optional()])
    version = HiddenField()


class DocumentForm(Form):
    document = FileField("Document signé (PDF, 10 Mo au maximum)", validators=[required("Choisissez un fichier PDF.")],
                         render_kw={"accept": "application/pdf,.pdf"})


class InteractionForm(Form):
    """An exchange with a partner organisation (the company form's fields, without the company contact)."""

    kind = SelectField("Type d'échange", choices=choices_of(INTERACTION_KINDS.items()), validators=[required()])
    occurred_on = FrenchDateField("Date", validators=[required()])
    summary = TextAreaField("Compte rendu", validators=[required(), length(10000)])
    outcome = SelectField("Résultat", choices=choices_of([("", "Non précisé"), *OUTCOMES.items()]),
                          validators=[optional()])
    next_action = StringField("Prochaine action", validators=[optional(), length(300)])
    next_action_on = FrenchDateField("Pour le", validators=[optional()])


class TaskForm(Form):
    title = StringField("Tâche", validators=[required(), length(300)])
    due_on = FrenchDateField("Échéance", validators=[required()])
    assignee_id = SelectField("Confiée à", coerce=str, validators=[required()])
