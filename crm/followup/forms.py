"""Forms of post-hire follow-up: English field names, French labels and messages."""

from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)

from crm.followup import rules
from portal.forms import Form, NumberRange, RomeField, choices_of, length, optional, required

YES_NO = choices_of({"oui": "Oui", "non": "Non"})


def yes_no(value: str | None) -> bool | None:
    return {"oui": True, "non": False}.get(value or "")


class HireForm(Form):
    youth_id = StringField("Jeune", validators=[required()],
                           render_kw={"data-autocomplete-url": "/suivis/jeunes/autocompletion", "autocomplete": "off"})
    company_id = StringField("Entreprise", validators=[required()],
                             render_kw={"data-autocomplete": "companies", "autocomplete": "off"})
    contract_type = SelectField("Type de contrat", choices=choices_of(rules.CONTRACT_TYPES, "— Choisir —"), validators=[required()])
    start_on = DateField("Début du contrat", validators=[required("Indiquez la date de début du contrat.")])
    end_on = DateField("Fin prévue du contrat", validators=[optional()])
    trial_end_on = DateField("Fin de la période d'essai", validators=[optional()])
    hours_per_week = DecimalField("Heures par semaine", places=1, validators=[
        optional(), NumberRange(min=1, max=rules.MAX_HOURS_PER_WEEK, message="Entre 1 et 48 heures.")],
        render_kw={"inputmode": "decimal"})
    appellation_code = RomeField("Métier (ROME)", validators=[optional()])
    job_title = StringField("Intitulé du poste", validators=[optional(), length(200)])


class CheckInForm(Form):
    channel = SelectField("Moyen d'échange", choices=choices_of(rules.CHANNELS, "— Choisir —"), validators=[required()])
    situation = RadioField("Situation", choices=choices_of(rules.SITUATIONS),
                           validators=[required("Choisissez la situation du ou de la jeune.")])
    summary = TextAreaField("Ce qui s'est dit", validators=[required("Résumez ce qui s'est dit."), length(5000)])
    next_step = TextAreaField("Prochaine étape", validators=[optional(), length(5000)])
    # filled only when the situation is « rupture »
    ended_on = DateField("Date de la rupture", validators=[optional()])
    initiative = SelectField("Initiative de la rupture", choices=choices_of(rules.INITIATIVES, "— Choisir —"), validators=[optional()])
    reason = SelectField("Motif de la rupture", choices=choices_of(rules.RUPTURE_REASONS, "— Choisir —"), validators=[optional()])
    note = TextAreaField("Précisions sur la rupture", validators=[optional(), length(5000)])
    reopen_positioning = RadioField("Reprendre les mises en relation pour ce ou cette jeune ?", choices=YES_NO,
                                    validators=[optional()])


class RuptureForm(Form):
    ended_on = DateField("Date de la rupture", validators=[required("Indiquez la date de la rupture.")])
    initiative = SelectField("Initiative", choices=choices_of(rules.INITIATIVES, "— Choisir —"),
                             validators=[required("Indiquez qui a mis fin au contrat.")])
    reason = SelectField("Motif", choices=choices_of(rules.RUPTURE_REASONS, "— Choisir —"),
                         validators=[required("Choisissez le motif de la rupture dans la liste.")])
    note = TextAreaField("Précisions", validators=[optional(), length(5000)])
    reopen_positioning = RadioField("Reprendre les mises en relation pour ce ou cette jeune ?", choices=YES_NO,
                                    validators=[required("Indiquez s'il faut reprendre les mises en relation.")])


class MediationForm(Form):
    kind = SelectField("Action", choices=choices_of(rules.MEDIATION_KINDS, "— Choisir —"), validators=[required()])
    occurred_on = DateField("Date", validators=[required()])
    note = TextAreaField("Ce qui a été fait", validators=[required("Décrivez l'action menée."), length(5000)])


class ExtraCheckInForm(Form):
    due_on = DateField("Date prévue", validators=[required()])
    label = StringField("Objet", validators=[optional(), length(60)])


class SendLinkForm(Form):
    side = HiddenField(validators=[required()])


class AnswerForm(Form):
    """The short check-in either side answers (link or employer account)."""

    in_post = RadioField("Toujours en poste ?", choices=YES_NO, validators=[required()])
    satisfaction = RadioField("Satisfaction", choices=choices_of(rules.SATISFACTION),
                              validators=[required("Choisissez un niveau de satisfaction.")])
    difficulties = RadioField("Des difficultés ?", choices=YES_NO, validators=[required()])
    comment = TextAreaField("Commentaire", validators=[optional(), length(3000)])


class ScheduleDefaultsForm(Form):
    """One text field and one checkbox per contract type, built at import time."""


for _code, _label in rules.CONTRACT_TYPES.items():
    setattr(ScheduleDefaultsForm, f"offsets_{_code}",
            StringField(f"{_label} : échéances (jours après le début)", validators=[required(), length(100)]))
    setattr(ScheduleDefaultsForm, f"trial_{_code}",
            BooleanField(f"{_label} : ajouter un point à la fin de la période d'essai"))


class HireCorrectionForm(Form):
    """A hire's contract details; `version` is the optimistic lock (a stale save changes nothing)."""

    version = HiddenField()
    contract_type = SelectField("Type de contrat", choices=choices_of(rules.CONTRACT_TYPES, "— Choisir —"), validators=[required()])
    start_on = DateField("Début du contrat", validators=[required("Indiquez la date de début du contrat.")])
    end_on = DateField("Fin prévue du contrat", validators=[optional()])
    trial_end_on = DateField("Fin de la période d'essai", validators=[optional()])
    hours_per_week = DecimalField("Heures par semaine", places=1, validators=[
        optional(), NumberRange(min=1, max=rules.MAX_HOURS_PER_WEEK, message="Entre 1 et 48 heures.")],
        render_kw={"inputmode": "decimal"})
    appellation_code = RomeField("Métier (ROME)", validators=[optional()])
    job_title = StringField("Intitulé du poste", validators=[optional(), length(200)])


class CheckInCorrectionForm(Form):
    version = HiddenField()
    channel = SelectField("Moyen d'échange", choices=choices_of(rules.CHANNELS, "— Choisir —"), validators=[required()])
    situation = RadioField("Situation", choices=choices_of(rules.SITUATIONS),
                           validators=[required("Choisissez la situation du ou de la jeune.")])
    summary = TextAreaField("Ce qui s'est dit", validators=[required("Résumez ce qui s'est dit."), length(5000)])
    next_step = TextAreaField("Prochaine étape", validators=[optional(), length(5000)])


class CounsellorForm(Form):
    version = HiddenField()
    counsellor_id = SelectField("Conseiller·ère qui suit l'embauche", choices=[],
                                validators=[required("Choisissez une conseillère ou un conseiller dans la liste.")],
                                validate_choice=False)
