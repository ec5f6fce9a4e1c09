"""Charter forms: public signature, employer signature, renewal, yearly review, withdrawal, new version."""

from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms import Form as SubForm
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from charte.models import REVIEW_OUTCOMES
from portal.forms import CommuneField, Email, Form, SiretField, length, optional, required


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes; at least one must be ticked."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        if not self.data:
            raise ValidationError("Choisissez au moins un engagement de la charte.")
        super().pre_validate(form)


def commitments_field() -> CheckboxesField:
    return CheckboxesField("Nos engagements", coerce=int, choices=[], validate_choice=True)


def set_commitment_choices(form, version) -> None:
    """The commitments of the charter in force, as the form's choices."""
    form.commitments.choices = [(c.id, c.label) for c in version.commitments] if version else []


class _SignatoryMixin:
    signatory_name = StringField("Prénom et nom du signataire", validators=[required(), length(200)],
                                 render_kw={"autocomplete": "name"})
    signatory_role = StringField("Fonction dans l'entreprise", validators=[required(), length(200)],
                                 render_kw={"autocomplete": "organization-title"})
    commitments = commitments_field()
    public_consent = BooleanField("J'accepte que le nom de l'entreprise, sa commune, son secteur, la date de "
                                  "signature et nos engagements figurent sur la liste publique des signataires")
    accepted = BooleanField("J'ai lu la charte et je la signe au nom de l'entreprise",
                            validators=[required("Cochez cette case pour signer la charte.")])


class PublicSignatureForm(_SignatoryMixin, Form):
    siret = SiretField("SIRET de l'établissement", validators=[required()])
    company_name = StringField("Raison sociale", validators=[required(), length(200)],
                               render_kw={"autocomplete": "organization"})
    commune_code = CommuneField("Commune de l'établissement", validators=[required()])
    signatory_email = StringField("Adresse électronique du signataire", validators=[required(), Email(), length(254)],
                                  render_kw={"type": "email", "autocomplete": "email"})


class EmployerSignatureForm(_SignatoryMixin, Form):
    pass


class RenewalForm(Form):
    commitments = commitments_field()
    public_consent = BooleanField("J'accepte que l'entreprise figure sur la liste publique des signataires")
    version = HiddenField()


class ReviewForm(Form):
    reviewed_on = DateField("Date du bilan", validators=[required("Information obligatoire (jj/mm/aaaa).")])
    outcome = SelectField("Résultat", choices=[SelectChoice("", "Choisir…")]
                          + [SelectChoice(code, label) for code, label in REVIEW_OUTCOMES.items()],
                          validators=[required()])
    summary = TextAreaField("Compte rendu", validators=[required(), length(5000)],
                            description="Ce qui a été fait dans l'année, ce qui est prévu pour la suivante.")


class WithdrawalForm(Form):
    reason = TextAreaField("Motif du retrait", validators=[required("Indiquez le motif du retrait."), length(2000)])
    version = HiddenField()


class CommitmentEntry(SubForm):
    code = HiddenField()
    label = StringField("Engagement", validators=[optional(), length(300)])


class VersionForm(Form):
    title = StringField("Titre de la charte", validators=[required(), length(200)])
    preamble = TextAreaField("Texte de la charte", validators=[required(), length(20000)],
                             render_kw={"rows": 10})
    commitments = FieldList(FormField(CommitmentEntry), min_entries=1)
    version = HiddenField()  # the number of the version in force when the form was opened (0: none yet)
