"""PMSMP forms: the convention with every field group, signing, reasons, assessment."""

from datetime import time
from typing import Any

from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)

from crm.pmsmp import rules
from crm.pmsmp.timetable import Period
from portal.forms import (
    DATE_MESSAGE,
    CommuneField,
    Email,
    Form,
    NumberRange,
    PhoneField,
    RomeField,
    choices_of,
    length,
    optional,
    required,
)
from portal.text import is_digits

SLOTS = (("am", "Matin"), ("pm", "Après-midi"))


def _time(label: str) -> TimeField:
    return TimeField(label, validators=[optional()], format="%H:%M")


class PlacementForm(Form):
    """The convention: parties, purpose, dates and schedule, place and conditions, insurance."""

    version = HiddenField()
    renewal_of_id = HiddenField()
    # young person
    youth_id = StringField("Jeune", validators=[required()], render_kw={"autocomplete": "off", "maxlength": 12})
    youth_email = StringField("Courriel du jeune", validators=[required(), Email(), length(254)],
                              render_kw={"type": "email", "autocomplete": "off"})
    youth_phone = PhoneField("Téléphone du jeune", validators=[optional()])
    rep1_name = StringField("Nom et prénom", validators=[optional(), length(200)])
    rep1_link = StringField("Lien avec le jeune", validators=[optional(), length(50)],
                            render_kw={"placeholder": "Mère, père, tuteur légal…"})
    rep1_email = StringField("Courriel", validators=[optional(), Email(), length(254)], render_kw={"type": "email"})
    rep1_phone = PhoneField("Téléphone", validators=[optional()])
    rep2_name = StringField("Nom et prénom", validators=[optional(), length(200)])
    rep2_link = StringField("Lien avec le jeune", validators=[optional(), length(50)])
    rep2_email = StringField("Courriel", validators=[optional(), Email(), length(254)], render_kw={"type": "email"})
    rep2_phone = PhoneField("Téléphone", validators=[optional()])
    # host
    company_id = StringField("Structure d'accueil", validators=[required()],
                             render_kw={"data-autocomplete": "companies", "autocomplete": "off", "maxlength": 12})
    tutor_name = StringField("Nom et prénom du tuteur", validators=[required(), length(200)])
    tutor_job = StringField("Fonction du tuteur", validators=[required(), length(200)])
    tutor_email = StringField("Courriel du tuteur", validators=[required(), Email(), length(254)],
                              render_kw={"type": "email"})
    tutor_phone = PhoneField("Téléphone du tuteur", validators=[optional()])
    counsellor_id = SelectField("Conseiller·ère prescripteur", coerce=int, validators=[required()])
    # purpose
    objective = SelectField("Objectif", choices=choices_of(rules.OBJECTIVES.items()), validators=[required()])
    appellation_code = RomeField("Métier observé (ROME)", validators=[required()])
    activities = TextAreaField("Activités confiées", validators=[required(), length(4000)])
    skills = TextAreaField("Compétences à observer", validators=[optional(), length(4000)])
    renewal_reason = TextAreaField("Justification du renouvellement", validators=[optional(), length(2000)])
    # dates and place
    start_date = DateField("Premier jour", validators=[required(DATE_MESSAGE)])
    end_date = DateField("Dernier jour", validators=[required(DATE_MESSAGE)])
    place_address = StringField("Adresse du lieu", validators=[required(), length(300)])
    place_commune_code = CommuneField("Commune du lieu", validators=[required()])
    work_conditions = TextAreaField("Conditions de travail", validators=[optional(), length(4000)],
                                    render_kw={"placeholder": "Poste, horaires, déplacements, tenue…"})
    protection = TextAreaField("Protection individuelle et prévention santé", validators=[optional(), length(4000)],
                               render_kw={"placeholder": "Équipements fournis, risques, consignes de sécurité…"})
    insurer = StringField("Assureur (responsabilité civile de la structure d'accueil)",
                          validators=[required(), length(200)])
    insurance_policy = StringField("Numéro de contrat", validators=[optional(), length(100)])
    accident_declarer = SelectField("Déclaration d'un accident du travail", validators=[required()],
                                    choices=choices_of(rules.ACCIDENT_DECLARERS.items()))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.schedule_errors: list[str] = []

    def add_error(self, field: str | None, message: str) -> None:
        if field == "schedule":
            self.schedule_errors.append(message)
            self.form_errors.append(message)
        elif field == "renewal_of":
            self.form_errors.append(message)
        else:
            super().add_error(field, message)

    def slot(self, day: int, part: str, edge: str):
        return self[f"d{day}_{part}_{edge}"]

    def periods(self) -> list[Period]:
        result = []
        for day in range(7):
            for part, _ in SLOTS:
                starts, ends = self.slot(day, part, "start").data, self.slot(day, part, "end").data
                if starts and ends:
                    result.append(Period(day, starts, ends))
        return result

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for day in range(7):
            for part, label in SLOTS:
                start, end = self.slot(day, part, "start"), self.slot(day, part, "end")
                if bool(start.data) != bool(end.data) and not start.errors and not end.errors:
                    missing = end if start.data else start
                    missing.errors = [*missing.errors, f"{rules.WEEKDAYS[day]} ({label.lower()}) : indiquez le "
                                                       "début et la fin de la plage."]
                    ok = False
        return ok

    def representatives(self) -> list[dict[str, Any]]:
        reps = []
        for n in (1, 2):
            name = (self[f"rep{n}_name"].data or "").strip()
            if name or self[f"rep{n}_email"].data:
                reps.append({"name": name, "link": (self[f"rep{n}_link"].data or "").strip() or "Représentant légal",
                             "email": self[f"rep{n}_email"].data or "", "phone": self[f"rep{n}_phone"].data or None})
        return reps

    def check_representatives(self) -> bool:
        ok = True
        for n in (1, 2):
            name, email = self[f"rep{n}_name"], self[f"rep{n}_email"]
            if (name.data or "").strip() and not email.data:
                email.errors = [*email.errors, "Le courriel du représentant légal est nécessaire pour sa signature."]
                ok = False
            if email.data and not (name.data or "").strip():
                name.errors = [*name.errors, "Indiquez le nom du représentant légal."]
                ok = False
        return ok

    def values(self) -> dict[str, Any]:
        """The service's keyword arguments."""
        text = {name: (self[name].data or "").strip() for name in (
            "tutor_name", "tutor_job", "activities", "skills", "place_address", "work_conditions", "protection",
            "insurer")}
        return {
            **text, "youth_email": self.youth_email.data, "youth_phone": self.youth_phone.data or None,
            "company_id": int(self.company_id.data), "counsellor_id": self.counsellor_id.data,
            "tutor_email": self.tutor_email.data, "tutor_phone": self.tutor_phone.data or None,
            "objective": self.objective.data, "appellation_code": self.appellation_code.data,
            "start_date": self.start_date.data, "end_date": self.end_date.data,
            "place_commune_code": self.place_commune_code.data,
            "insurance_policy": (self.insurance_policy.data or "").strip() or None,
            "accident_declarer": self.accident_declarer.data,
            "renewal_of_id": int(self.renewal_of_id.data) if is_digits(self.renewal_of_id.data or "") else None,
            "renewal_reason": (self.renewal_reason.data or "").strip() or None,
            "representatives": self.representatives(), "periods": self.periods(),
        }

    def load(self, placement) -> None:
        """Fill a GET form from a saved convention."""
        for name in ("youth_email", "youth_phone", "tutor_name", "tutor_job", "tutor_email", "tutor_phone",
                     "objective", "appellation_code", "activities", "skills", "start_date", "end_date",
                     "place_address", "place_commune_code", "work_conditions", "protection", "insurer",
                     "insurance_policy", "accident_declarer", "renewal_reason", "counsellor_id"):
            self[name].data = getattr(placement, name)
        self.youth_id.data, self.company_id.data = str(placement.youth_id), str(placement.company_id)
        self.renewal_of_id.data = str(placement.renewal_of_id or "")
        self.version.data = str(placement.version or "")
        for rep in placement.representatives:
            for attr in ("name", "link", "email", "phone"):
                self[f"rep{rep.rank}_{attr}"].data = getattr(rep, attr)
        self.load_periods(placement.schedule)

    def load_periods(self, periods: list[Period]) -> None:
        per_day: dict[int, list[Period]] = {}
        for p in periods:
            per_day.setdefault(p.weekday, []).append(p)
        for day, ps in per_day.items():
            for (part, _), p in zip(SLOTS, sorted(ps, key=lambda x: x.starts), strict=False):
                self.slot(day, part, "start").data, self.slot(day, part, "end").data = p.starts, p.ends


for _day in range(7):
    for _part, _label in SLOTS:
        setattr(PlacementForm, f"d{_day}_{_part}_start", _time(f"{rules.WEEKDAYS[_day]}, {_label.lower()} : début"))
        setattr(PlacementForm, f"d{_day}_{_part}_end", _time(f"{rules.WEEKDAYS[_day]}, {_label.lower()} : fin"))

DEFAULT_WEEK = [Period(d, time(9), time(12)) for d in range(5)] + [
    Period(d, time(13, 30), time(17)) for d in range(5)]


class SignForm(Form):
    consent = BooleanField("J'ai lu la convention et j'accepte de la signer", validators=[
        required("Cochez la case pour signer la convention.")])


class ReasonForm(Form):
    reason = TextAreaField("Motif", validators=[required(), length(1000)])


class AssessmentForm(Form):
    """The bilan: how it went, hours, skills, feedback, job, the young person's agreement."""

    filled_by_name = StringField("Rempli par (nom et prénom)", validators=[required(), length(200)])
    outcome = RadioField("Déroulement de la période", choices=choices_of(rules.ASSESSMENT_OUTCOMES.items()),
                         validators=[required("Choisissez comment la période s'est déroulée.")])
    last_day = DateField("Dernier jour de présence (si réalisée en partie)", validators=[optional()])
    missed_hours = DecimalField("Heures manquées", places=2, validators=[optional(), NumberRange(
        min=0, max=500, message="Entre 0 et 500 heures.")])
    no_show_reason = TextAreaField("Raison de l'absence (si le jeune ne s'est pas présenté)",
                                   validators=[optional(), length(2000)])
    cancelled_by = SelectField("Qui a annulé ?", choices=choices_of(rules.CANCELLED_BY.items(), "—"),
                               validators=[optional()])
    hours_done = DecimalField("Heures réellement effectuées", places=2, validators=[
        required("Indiquez les heures réellement effectuées (0 si aucune)."),
        NumberRange(min=0, max=500, message="Entre 0 et 500 heures.")])
    skills_observed = TextAreaField("Compétences observées", validators=[optional(), length(4000)])
    employer_feedback = TextAreaField("Avis de la structure d'accueil", validators=[optional(), length(4000)])
    ended_with_job = BooleanField("La période débouche sur une embauche")
    contract_type = SelectField("Type de contrat", choices=choices_of(rules.CONTRACT_TYPES.items(), "—"),
                                validators=[optional()])
    job_start_on = DateField("Date d'embauche", validators=[optional()])
    job_end_on = DateField("Fin prévue du contrat (sauf CDI)", validators=[optional()])
    youth_agrees = BooleanField("Le jeune a pris connaissance du bilan et en est d'accord")
    youth_comment = TextAreaField("Commentaire du jeune", validators=[optional(), length(2000)])

    def values(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.data, "last_day": self.last_day.data, "missed_hours": self.missed_hours.data,
            "no_show_reason": (self.no_show_reason.data or "").strip() or None,
            "cancelled_by": self.cancelled_by.data or None, "hours_done": self.hours_done.data,
            "skills_observed": (self.skills_observed.data or "").strip(),
            "employer_feedback": (self.employer_feedback.data or "").strip(),
            "ended_with_job": self.ended_with_job.data, "contract_type": self.contract_type.data or None,
            "job_start_on": self.job_start_on.data, "job_end_on": self.job_end_on.data,
            "youth_agrees": self.youth_agrees.data, "youth_comment": (self.youth_comment.data or "").strip() or None,
        }
