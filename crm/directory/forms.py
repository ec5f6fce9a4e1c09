"""Forms of the directory: the service form (data·inclusion vocabularies) and review notes."""

from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField, widgets

from crm.directory import rules
from portal.forms import (
    CommuneField,
    Email,
    Form,
    PhoneField,
    PostalCodeField,
    choices_of,
    length,
    optional,
    required,
)


class MultiCheckboxField(SelectMultipleField):
    """A list of check boxes (rendered grouped by the template where useful)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        # Unknown codes are reported by the service in French, with their value.
        pass


class ServiceForm(Form):
    name = StringField("Nom du service", validators=[required(), length(150)])
    description = TextAreaField("Description", validators=[required(), length(10000)],
                                render_kw={"rows": 6})
    thematiques = MultiCheckboxField("Thématiques", choices=choices_of(list(rules.THEMATIQUES.items())))
    publics = MultiCheckboxField("Publics", choices=choices_of(list(rules.PUBLICS.items())))
    publics_details = StringField("Précisions sur les publics", validators=[optional(), length(500)])
    access_conditions = StringField("Conditions d'accès", validators=[optional(), length(500)])
    service_type = SelectField("Type de service", choices=choices_of([("", "Non précisé"), *rules.TYPES.items()]),
                               validators=[optional()])
    fees = SelectField("Frais", choices=choices_of([("", "Non précisé"), *rules.FEES.items()]), validators=[optional()])
    fees_details = StringField("Précisions sur les frais", validators=[optional(), length(500)])
    reception_modes = MultiCheckboxField("Modes d'accueil", choices=choices_of(list(rules.RECEPTION_MODES.items())))
    zone = StringField("Zone d'éligibilité", validators=[required(), length(3000)],
                       render_kw={"data-autocomplete": "zones", "data-autocomplete-multiple": ""})
    address = StringField("Adresse", validators=[optional(), length(300)])
    postal_code = PostalCodeField(validators=[optional()])
    commune_code = CommuneField(validators=[optional()])
    contact_name = StringField("Personne à contacter", validators=[optional(), length(200)])
    phone = PhoneField(validators=[optional()])
    email = StringField("Adresse électronique", validators=[optional(), length(254), Email()],
                        render_kw={"inputmode": "email"})
    opening_hours = StringField("Horaires d'accueil", validators=[optional(), length(300)])
    mobilisation_modes = MultiCheckboxField("Comment le mobiliser", choices=choices_of(list(rules.MOBILISATION_MODES.items())))
    mobilisable_by = MultiCheckboxField("Qui peut le mobiliser", choices=choices_of(list(rules.MOBILISABLE_BY.items())))
    mobilisation_details = TextAreaField("Précisions sur la mobilisation", validators=[optional(), length(5000)])
    mobilisation_url = StringField("Lien de mobilisation", validators=[optional(), length(300)],
                                   render_kw={"inputmode": "url"})
    update_frequency = SelectField("Fréquence de mise à jour",
                                   choices=choices_of([(k, label) for k, (label, _) in rules.UPDATE_FREQUENCIES.items()]),
                                   default="semestrielle")
    partner_id = SelectField("Structure porteuse", coerce=str, validators=[optional()])
    version = HiddenField()

    def service_values(self) -> dict:
        """The submitted values, in the service's vocabulary."""
        return {name: self[name].data for name in (
            "name", "description", "thematiques", "publics", "publics_details", "access_conditions",
            "service_type", "fees", "fees_details", "reception_modes", "zone", "address", "postal_code",
            "commune_code", "contact_name", "phone", "email", "opening_hours", "mobilisation_modes",
            "mobilisable_by", "mobilisation_details", "mobilisation_url", "update_frequency")}


class RejectForm(Form):
    note = TextAreaField("Ce qui doit être corrigé", validators=[required(), length(500)])
