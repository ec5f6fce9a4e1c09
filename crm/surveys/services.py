"""Use cases of the satisfaction survey: set it up, invite, remind, record an answer by personal link.
They check the rules, write, audit and flush; the view (or the reminders command) commits."""

import secrets
from datetime import date, timedelta

from sqlalchemy import select

from crm.surveys import queries, rules
from crm.surveys.models import Survey, SurveyInvitation
from portal import concurrency
from portal.accounts.tokens import TokenError
from portal.audit.services import record
from portal.background import public_url
from portal.errors import DomainError
from portal.extensions import db
from portal.links import declare
from portal.models import utcnow
from portal.notifications.services import queue
from portal.text import date_fr

LINK_ACTOR = "lien personnel (enquête de satisfaction)"


def _raise_first(problems: list[tuple[str, str]]) -> None:
    if problems:
        field, message = problems[0]
        raise DomainError(message, field=field)


# --- setting up -----------------------------------------------------------------------------------


def _wording(wording: dict | None) -> dict[str, str]:
    cleaned = {}
    for key in rules.QUESTIONS:
        text = ((wording or {}).get(key) or "").strip()
        if len(text) > rules.MAX_QUESTION:
            raise DomainError(f"{rules.MAX_QUESTION} caractères au plus.", field=f"question_{key}")
        if text and text != rules.DEFAULT_QUESTIONS[key]:
            cleaned[key] = text
    return cleaned


def create_survey(actor, *, year: int | None, opens_on: date | None, closes_on: date | None,
                  wording: dict | None = None) -> Survey:
    """Create the survey of a year, with its answering period and, if the admin wishes, its own wording."""
    _raise_first(rules.period_problems(year, opens_on, closes_on))
    if db.session.scalar(select(Survey.id).where(Survey.year == year)) is not None:
        raise DomainError(f"L'enquête {year} existe déjà : modifiez-la.", field="year")
    survey = Survey(year=year, opens_on=opens_on, closes_on=closes_on, wording=_wording(wording),
                    created_by_id=actor.id)
    db.session.add(survey)
    db.session.flush()
    record(actor, "survey.create", survey, summary=f"{survey.title} : du {date_fr(opens_on)} au {date_fr(closes_on)}")
    return survey


def update_survey(actor, survey: Survey, *, version: int | str | None, opens_on: date | None, closes_on: date | None,
                  wording: dict | None = None) -> Survey:
    """Change the period or the wording; the wording is frozen once an answer has come in (every answer
    answers the same question)."""
    concurrency.check_version(survey, version, "Cette enquête a été modifiée")
    _raise_first(rules.period_problems(survey.year, opens_on, closes_on))
    cleaned = _wording(wording)
    answered = db.session.scalar(select(SurveyInvitation.id).where(
        SurveyInvitation.survey_id == survey.id, SurveyInvitation.answered_at.is_not(None)).limit(1))
    if cleaned != (survey.wording or {}) and answered is not None:
        raise DomainError("Des réponses sont déjà arrivées : les questions ne peuvent plus changer.",
                          field="question_satisfaction")
    survey.opens_on, survey.closes_on, survey.wording = opens_on, closes_on, cleaned
    db.session.flush()
    record(actor, "survey.update", survey, summary=f"{survey.title} modifiée")
    return survey


# --- invitations and links -----------------------------------------------------------------------


_MISCOPIED = "Ce lien n'est pas valide : il a peut-être été mal copié."
ANSWER_LINK = declare("survey-answer", salt="maillage-survey-answer",
                      max_age=lambda: timedelta(days=rules.LINK_MAX_AGE_DAYS), fields={"i": int, "n": str},
                      expired="Ce lien a expiré : l'enquête est close. Merci de votre intérêt !",
                      tampered=_MISCOPIED + " Utilisez le lien complet reçu par courriel.", invalid=_MISCOPIED)


def answer_token(invitation: SurveyInvitation) -> str:
    return ANSWER_LINK.sign({"i": invitation.id, "n": invitation.nonce})


def _link(invitation: SurveyInvitation) -> str:
    return public_url("surveys.answer_by_link", token=answer_token(invitation))


def _send(invitation: SurveyInvitation, *, reminder: bool) -> None:
    survey = invitation.survey
    subject = (f"Rappel : votre avis sur la Mission Locale ({survey.year})" if reminder
               else f"Votre avis sur la Mission Locale ({survey.year})")
    queue(invitation.email, subject, "survey_invitation.txt",
          topic=f"enquete:{invitation.id}:{'rappel' if reminder else 'invitation'}",
          invitation=invitation, survey=survey, url=_link(invitation), reminder=reminder)


def launch_survey(actor, survey: Survey, *, today: date) -> tuple[int, list[str]]:
    """Invite every respondent of the year not invited yet (a second launch reaches only newcomers);
    returns how many were invited and the names of those without an e-mail address."""
    if not survey.is_open(today):
        raise DomainError(f"L'enquête s'envoie pendant sa période, du {date_fr(survey.opens_on)} au "
                          f"{date_fr(survey.closes_on)}.")
    invited_companies = set(db.session.scalars(select(SurveyInvitation.company_id).where(
        SurveyInvitation.survey_id == survey.id, SurveyInvitation.company_id.is_not(None))))
    invited_partners = set(db.session.scalars(select(SurveyInvitation.partner_id).where(
        SurveyInvitation.survey_id == survey.id, SurveyInvitation.partner_id.is_not(None))))
    count, missing = 0, []
    now = utcnow()
    for who in queries.respondents(survey.year):
        if who.company_id in invited_companies or who.partner_id in invited_partners:
            continue
        if not who.email:
            missing.append(who.name)
            continue
        invitation = SurveyInvitation(survey=survey, kind=who.kind, company_id=who.company_id,
                                      partner_id=who.partner_id, email=who.email, nonce=secrets.token_hex(16),
                                      sent_at=now)
        db.session.add(invitation)
        db.session.flush()
        _send(invitation, reminder=False)
        count += 1
    survey.launched_at = survey.launched_at or now
    db.session.flush()
    record(actor, "survey.launch", survey, summary=f"{survey.title} : {count} invitation(s) envoyée(s)",
           details={"invitations": count, "sans_adresse": len(missing)})
    return count, missing


def send_reminders(today: date) -> int:
    """The one reminder, a week after the invitation, to respondents who have not answered yet."""
    invitations = queries.due_reminders(today)
    now = utcnow()
    for invitation in invitations:
        _send(invitation, reminder=True)
        invitation.reminded_at = now
    db.session.flush()
    return len(invitations)


def read_answer_token(token: str, today: date) -> SurveyInvitation:
    """The invitation of a valid, unused link of an open survey, or TokenError with a French message."""
    data = ANSWER_LINK.read(token)
    invitation = queries.invitation(data["i"])
    if invitation is None:
        raise TokenError(_MISCOPIED)
    if invitation.answered_at is not None:
        raise TokenError(f"Ce lien a déjà servi : votre réponse du {date_fr(invitation.answered_at)} est bien "
                         "enregistrée. Merci !")
    if not secrets.compare_digest(data["n"], invitation.nonce):
        raise TokenError(_MISCOPIED)
    survey = invitation.survey
    if today > survey.closes_on:
        raise TokenError(f"Ce lien a expiré : l'enquête {survey.year} est close depuis le "
                         f"{date_fr(survey.closes_on)}. Merci de votre intérêt !")
    if today < survey.opens_on:
        raise TokenError(f"L'enquête ouvre le {date_fr(survey.opens_on)} : revenez à partir de cette date.")
    return invitation


def _text(value: str | None, field: str) -> str | None:
    text = (value or "").strip()
    if len(text) > rules.MAX_TEXT:
        raise DomainError(f"{rules.MAX_TEXT} caractères au plus.", field=field)
    named = queries.young_people_named_in(text) if text else []
    if named:
        raise DomainError("Merci de ne nommer aucun jeune dans vos réponses (ici : "
                          f"{', '.join(named[:3])}) : parlez de votre relation avec la Mission Locale.", field=field)
    return text or None


def answer_survey(invitation: SurveyInvitation, *, satisfaction, recommend: bool | None, improve: str | None,
                  comment: str | None) -> SurveyInvitation:
    """Record the answer given through the personal link; the link then stops working."""
    if invitation.answered_at is not None:
        raise DomainError("Votre réponse est déjà enregistrée.")
    problem = rules.score_problem(satisfaction)
    if problem:
        raise DomainError(problem, field="satisfaction")
    if recommend is None:
        raise DomainError("Répondez par oui ou par non.", field="recommend")
    invitation.improve = _text(improve, "improve")
    invitation.comment = _text(comment, "comment")
    invitation.satisfaction, invitation.recommend = int(str(satisfaction).strip()), recommend
    invitation.answered_at = utcnow()
    invitation.nonce = secrets.token_hex(16)
    db.session.flush()
    record(None, "survey.answer", invitation.survey, actor_label=LINK_ACTOR,
           summary=f"Réponse reçue ({invitation.kind_label.lower()})")
    return invitation
