"""Both sides' answers to a check-in: the personal answer links e-mailed to the employer and the young
person (signed, one use, a new link retiring the previous one), their reminders, and the answer itself.
Services flush and audit; the caller commits once."""

from datetime import date, timedelta

from crm.followup import rules
from crm.followup.models import CheckIn, Hire
from crm.followup.rules import EMPLOYER, YOUTH
from crm.followup.services import _clean, _refuse_ended, open_mediation_task
from portal.accounts.rules import fingerprint
from portal.accounts.tokens import TokenError
from portal.audit.services import record
from portal.background import public_url
from portal.errors import DomainError
from portal.extensions import db
from portal.links import declare
from portal.models import utcnow
from portal.notifications.services import queue

LINK_ACTOR = {EMPLOYER: "lien personnel (employeur)", YOUTH: "lien personnel (jeune)"}

ANSWER_LINK = declare("followup-answer", salt="maillage-followup-answer",
                      max_age=lambda: timedelta(days=rules.LINK_MAX_AGE_DAYS), fields={"c": int, "s": str},
                      expired="Ce lien a expiré. Contactez votre conseillère ou votre conseiller de la Mission "
                              "Locale pour en recevoir un nouveau.")


def _link_fingerprint(check_in: CheckIn, side: str) -> str:
    # Bound to the link's sending time: sending a new link (or a reminder) retires the previous one.
    return fingerprint(check_in.id, side, check_in.link_sent_at(side))


def make_answer_token(check_in: CheckIn, side: str) -> str:
    """The signed token of the personal answer link of one side of a check-in."""
    return ANSWER_LINK.sign({"c": check_in.id, "s": side, "f": _link_fingerprint(check_in, side)})


def read_answer_token(token: str) -> tuple[CheckIn, str]:
    """The check-in and side of a valid, unused answer link, or TokenError with a French message."""
    data = ANSWER_LINK.read(token)
    if data["s"] not in rules.SIDES:
        raise TokenError(ANSWER_LINK.invalid)
    check_in = db.session.get(CheckIn, data["c"])
    if check_in is None:
        raise TokenError("Ce lien n'est pas valide.")
    side = data["s"]
    if check_in.answered_at(side) is not None:
        raise TokenError("Ce lien a déjà été utilisé : votre réponse est bien enregistrée. Merci !")
    if data.get("f") != _link_fingerprint(check_in, side):
        raise TokenError("Ce lien a été remplacé par un lien plus récent : utilisez le dernier courriel reçu.")
    if check_in.hire.ended_on is not None:
        raise TokenError("Ce suivi est clos : le contrat a pris fin.")
    return check_in, side


def employer_recipient(hire: Hire) -> str | None:
    """Where the employer's link goes: the primary contact with an address, else the company's address."""
    for contact in hire.company.contacts:
        if contact.email and contact.archived_at is None:
            return contact.email
    return hire.company.email


def send_answer_link(actor, check_in: CheckIn, side: str) -> str:
    """E-mail one side its personal answer link (a new link retires the previous one); returns the address."""
    hire = check_in.hire
    _refuse_ended(hire)
    if side not in rules.SIDES:
        raise DomainError("Destinataire inconnu.")
    if check_in.answered_at(side) is not None:
        raise DomainError(f"{rules.SIDES[side]} : la réponse à ce point de suivi est déjà arrivée.")
    recipient = employer_recipient(hire) if side == EMPLOYER else hire.youth.email
    if not recipient:
        who = "l'entreprise (ni contact ni adresse générale)" if side == EMPLOYER else "ce ou cette jeune"
        raise DomainError(f"Aucune adresse électronique connue pour {who} : complétez sa fiche d'abord.")
    _queue_link(check_in, side, recipient, reminder=False)
    record(actor, "check_in.send_link", check_in, summary=f"Lien de réponse envoyé ({rules.SIDES[side]}) "
                                                          f"à {recipient}", details={"side": side})
    return recipient


def remind_answer_link(check_in: CheckIn, side: str) -> bool:
    """Remind one side, once, with a fresh link (the old one is retired); False when no address is known."""
    hire = check_in.hire
    recipient = employer_recipient(hire) if side == EMPLOYER else hire.youth.email
    now = utcnow()
    if side == EMPLOYER:
        check_in.employer_reminded_at = now
    else:
        check_in.youth_reminded_at = now
    if not recipient:
        return False
    _queue_link(check_in, side, recipient, reminder=True)
    record(None, "check_in.remind_link", check_in, actor_label="rappels automatiques",
           summary=f"Relance du lien de réponse ({rules.SIDES[side]}) à {recipient}", details={"side": side})
    return True


def _queue_link(check_in: CheckIn, side: str, recipient: str, *, reminder: bool) -> None:
    now = utcnow()
    if side == EMPLOYER:
        check_in.employer_link_sent_at = now
    else:
        check_in.youth_link_sent_at = now
    db.session.flush()
    hire = check_in.hire
    token = make_answer_token(check_in, side)
    subject = ("Rappel : " if reminder else "") + (
        f"Comment se passe le recrutement de {hire.youth.first_name} ?" if side == EMPLOYER
        else "Comment se passe ton nouvel emploi ?")
    queue(recipient, subject, "followup_link.txt",
          topic=f"followup-link-{check_in.id}-{side}-{now:%Y%m%d%H%M%S%f}", hire=hire, side=side,
          reminder=reminder, max_days=rules.LINK_MAX_AGE_DAYS,
          url=public_url("followup.answer_by_link", token=token))


def answer_check_in(actor, check_in: CheckIn, side: str, *, in_post: bool | None, satisfaction: str | None,
                    difficulties: bool | None, comment: str | None, today: date | None = None) -> None:
    """One side answers a check-in (employer by link or account, young person by link). A difficulty,
    or « plus en poste », opens the mediation task; the referent counsellor is told either way."""
    hire = check_in.hire
    if hire.ended_on is not None:
        raise DomainError("Ce suivi est clos : le contrat a pris fin.")
    if check_in.answered_at(side) is not None:
        raise DomainError("La réponse à ce point de suivi est déjà enregistrée.")
    if in_post is None:
        raise DomainError("Information obligatoire.", field="in_post")
    if satisfaction not in rules.SATISFACTION:
        raise DomainError("Choisissez un niveau de satisfaction.", field="satisfaction")
    if difficulties is None:
        raise DomainError("Information obligatoire.", field="difficulties")
    trouble = difficulties or not in_post
    if trouble and not _clean(comment):
        raise DomainError("Décrivez en quelques mots ce qui se passe : la Mission Locale vous recontacte.",
                          field="comment")
    values = {"answered_at": utcnow(), "in_post": in_post, "satisfaction": satisfaction,
              "difficulties": difficulties, "comment": _clean(comment)}
    for key, value in values.items():
        setattr(check_in, f"{'employer' if side == EMPLOYER else 'youth'}_{key}", value)
    if side == EMPLOYER:
        check_in.employer_answered_by = getattr(actor, "display_name", None) or LINK_ACTOR[EMPLOYER]
    db.session.flush()
    record(actor if getattr(actor, "id", None) else None, "check_in.answer", check_in,
           actor_label=None if getattr(actor, "id", None) else LINK_ACTOR[side],
           summary=f"Réponse {rules.SIDES[side].lower()} au suivi {check_in.label} de {hire.youth.full_name} : "
                   f"{'en poste' if in_post else 'plus en poste'}, {rules.SATISFACTION[satisfaction].lower()}"
                   f"{', difficultés signalées' if difficulties else ''}",
           details={"side": side, "in_post": in_post, "satisfaction": satisfaction, "difficulties": difficulties})
    who = "l'employeur" if side == EMPLOYER else "le ou la jeune"
    if trouble:
        open_mediation_task(actor, check_in, reported_by=who, today=today)
    elif hire.counsellor is not None and hire.counsellor.email:
        queue(hire.counsellor.email, f"Suivi de {hire.youth.full_name} : réponse de {who}", "followup_answer.txt",
              topic=f"followup-answer-{check_in.id}-{side}", hire=hire, check_in=check_in, who=who,
              url=public_url("followup.show_hire", hire_id=hire.id))
