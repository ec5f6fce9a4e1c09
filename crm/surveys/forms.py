"""Forms of the satisfaction survey: the admin's setup and the respondent's answer."""

from wtforms import HiddenField, IntegerField, RadioField, StringField, TextAreaField, ValidationError
from wtforms.fields.choices import SelectChoice

from crm.surveys import rules
from portal.forms import Form, FrenchDateField, NumberRange, length, optional, required


class SurveyForm(Form):
    year = IntegerField("Année de l'enquête", validators=[required("Indiquez l'année."), NumberRange(
        min=2000, max=2100, message="Indiquez une année entre 2000 et 2100.")], render_kw={"inputmode": "numeric"})
    opens_on = FrenchDateField("Ouverture", validators=[required("Indiquez la date d'ouverture.")])
    closes_on = FrenchDateField("Clôture", validators=[required("Indiquez la date de clôture.")])
    question_satisfaction = StringField("Question 1 : satisfaction (note de 1 à 5)",
                                        validators=[optional(), length(rules.MAX_QUESTION)])
    question_recommend = StringField("Question 2 : recommandation (oui ou non)",
                                     validators=[optional(), length(rules.MAX_QUESTION)])
    question_improve = StringField("Question 3 : à améliorer (texte libre)",
                                   validators=[optional(), length(rules.MAX_QUESTION)])
    question_comment = StringField("Question 4 : commentaire (texte libre)",
                                   validators=[optional(), length(rules.MAX_QUESTION)])
    version = HiddenField()

    def fill_wording(self, wording: dict[str, str]) -> None:
        for key, text in wording.items():
            getattr(self, f"question_{key}").data = text

    def wording(self) -> dict[str, str]:
        return {key: getattr(self, f"question_{key}").data or "" for key in rules.QUESTIONS}


class ScoreField(RadioField):
    """The 1-to-5 score, with the French messages of the survey (not WTForms' generic "not a valid choice")."""

    def pre_validate(self, form):
        problem = rules.score_problem(self.data)
        if problem:
            raise ValidationError(problem)


class AnswerForm(Form):
    # missing or out of range: ScoreField.pre_validate gives the message
    satisfaction = ScoreField(choices=[SelectChoice(str(k), v) for k, v in rules.SCORES.items()])
    recommend = RadioField(choices=[SelectChoice("oui", "Oui"), SelectChoice("non", "Non")],
                           validators=[required("Répondez par oui ou par non.")])
    improve = TextAreaField(validators=[optional(), length(rules.MAX_TEXT)])
    comment = TextAreaField(validators=[optional(), length(rules.MAX_TEXT)])

    def label_with(self, questions: dict[str, str]) -> None:
        """Show the survey's own wording as each field's label."""
        for key, text in questions.items():
            getattr(self, key).label.text = text

    def recommend_value(self) -> bool | None:
        return {"oui": True, "non": False}.get(self.recommend.data or "")
