"""Positioning forms."""

from wtforms import RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from crm.matching.rules import EMPLOYER_DECLINE, EMPLOYER_MEET, EMPLOYER_REASONS
from portal.forms import Form, choices_of, length, optional, required


class NoteForm(Form):
    note = TextAreaField("Note", validators=[optional(), length(2000)])


class AnswerForm(Form):
    answer = RadioField("Votre réponse", choices=[SelectChoice(EMPLOYER_MEET, "Je souhaite rencontrer cette personne"),
                                                  SelectChoice(EMPLOYER_DECLINE, "Je ne retiens pas cette candidature")],
                        validators=[required("Choisissez une réponse.")])
    reason = SelectField("Raison", choices=choices_of(EMPLOYER_REASONS, "— Choisir une raison —"))
    comment = TextAreaField("Commentaire pour la Mission Locale (facultatif)", validators=[optional(), length(1000)])

    def validate_reason(self, field):
        if self.answer.data == EMPLOYER_DECLINE and not field.data:
            raise ValidationError("Choisissez la raison pour laquelle vous ne retenez pas cette candidature.")
