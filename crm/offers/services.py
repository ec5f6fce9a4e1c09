"""Offer use cases: create, edit, move through the life cycle, public submissions, idle offers.

Every change is audited; the employer hears of every status change by e-mail through the outbox.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from crm.employers import services as employers
from crm.offers import rules
from crm.offers.models import Offer
from crm.offers.queries import open_offers_idle_since
from crm.offers.rules import CANCELLED, CLOSED, DRAFT, FILLED, PUBLISHED, STATUSES, SUBMITTED
from portal import concurrency
from portal.access import EMPLOYER, STAFF
from portal.accounts.models import User
from portal.accounts.services import find_user_by_email, invite_user
from portal.audit.services import record
from portal.background import public_url
from portal.errors import DomainError
from portal.extensions import db
from portal.links import LinkError, declare
from portal.models import utcnow
from portal.notifications.services import queue
from portal.referentials import queries as referentials
from portal.referentials.vocabulary import CONTRACT_TYPES, EDUCATION_LEVELS

FIELDS = ("title", "appellation_code", "contract_type", "hours_per_week", "work_commune_code", "start_on",
          "end_on", "positions", "requires_licence", "requires_vehicle", "education_level", "description")
_NOT_VALID = "Ce lien de confirmation n'est pas valable."
CONFIRM_LINK = declare("offer-public-confirm", salt="offer-public-confirm", max_age=timedelta(days=7),
                       fields={"offer": int}, max_length=None,
                       expired="Ce lien de confirmation a expiré : déposez à nouveau votre besoin.",
                       tampered=_NOT_VALID, invalid=_NOT_VALID)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Check an offer's fields; DomainError (French, with its field) on the first problem."""
    data = {k: values.get(k) for k in FIELDS}
    data["title"] = (data["title"] or "").strip()
    if not data["title"]:
        raise DomainError("Information obligatoire.", field="title")
    appellation = referentials.get_appellation((data["appellation_code"] or "").strip())
    if appellation is None:
        raise DomainError("Métier inconnu : choisissez-le dans la liste proposée (ROME).", field="appellation_code")
    if data["contract_type"] not in CONTRACT_TYPES:
        raise DomainError("Type de contrat inconnu.", field="contract_type")
    if data["hours_per_week"] is not None:
        data["hours_per_week"] = Decimal(str(data["hours_per_week"]))
    problem = rules.hours_problem(data["hours_per_week"])
    if problem:
        raise DomainError(problem, field="hours_per_week")
    if referentials.get_commune(data["work_commune_code"] or "") is None:
        raise DomainError("Commune inconnue : choisissez-la dans la liste proposée.", field="work_commune_code")
    problem = rules.dates_problem(data["start_on"], data["end_on"])
    if problem:
        raise DomainError(problem, field="end_on")
    if data["positions"] is None or not 1 <= int(data["positions"]) <= 500:
        raise DomainError("Le nombre de postes doit être compris entre 1 et 500.", field="positions")
    if data["education_level"] and data["education_level"] not in EDUCATION_LEVELS:
        raise DomainError("Niveau de formation inconnu.", field="education_level")
    data["education_level"] = data["education_level"] or None
    data["description"] = (data["description"] or "").strip() or None
    data["requires_licence"] = bool(data["requires_licence"])
    data["requires_vehicle"] = bool(data["requires_vehicle"])
    data["rome_code"] = appellation.rome_code
    data["rome_family"] = appellation.rome_code[:3]
    return data


def create_offer(actor: User, *, company, **values) -> Offer:
    """A new need: `soumise` whoever enters it (a counsellor then publishes it)."""
    if actor.role == EMPLOYER and actor.company_id != company.id:
        raise DomainError("Vous ne pouvez déposer un besoin que pour votre entreprise.")
    data = _clean(values)
    offer = Offer(company=company, status=SUBMITTED, created_by_id=actor.id,
                  source="employeur" if actor.role == EMPLOYER else "conseiller",
                  counsellor_id=actor.id if actor.role in STAFF else company.owner_id, **data)
    if actor.role == EMPLOYER:
        offer.contact_name, offer.contact_email = actor.display_name, actor.email
    db.session.add(offer)
    db.session.flush()
    record(actor, "offer.create", offer, summary=f"Besoin déposé : {offer.title} ({company.name})")
    if actor.role == EMPLOYER:
        _task_for_new_need(offer)
    return offer


def update_offer(actor: User, offer: Offer, *, version: int | None = None, **values) -> Offer:
    """Edit an offer: staff while it is open, its employer while it is `soumise`. A stale `version` (the one
    the form was loaded with) means someone saved in between."""
    concurrency.check_version(offer, version, "Cette offre a été modifiée")
    if actor.role == EMPLOYER:
        if offer.company_id != actor.company_id:
            raise DomainError("Vous ne pouvez modifier que les besoins de votre entreprise.")
        if offer.status != SUBMITTED:
            raise DomainError("Ce besoin a été publié (ou n'est plus ouvert) : pour le modifier, contactez la "
                              "Mission Locale.")
    if not offer.is_open:
        raise DomainError("Une offre pourvue, close ou annulée ne se modifie plus.")
    data = _clean(values)
    changed = [k for k, v in data.items() if getattr(offer, k) != v]
    for key in changed:
        setattr(offer, key, data[key])
    db.session.flush()
    record(actor, "offer.update", offer, summary=f"Offre modifiée : {offer.title}", details={"fields": changed})
    if actor.role in STAFF and offer.status == PUBLISHED:
        employers.complete_tasks_about(actor, offer)  # a stale offer brought up to date
    return offer


def change_status(actor: User | None, offer: Offer, target: str, *, reason: str | None = None) -> None:
    """Publish, close, mark filled or cancel; audited and told to the employer."""
    if not rules.can_move(offer.status, target):
        raise DomainError(f"Une offre « {offer.status_label} » ne peut pas devenir « {STATUSES[target]} ».")
    previous = offer.status
    offer.status = target
    now = utcnow()
    if target == PUBLISHED:
        offer.published_at, offer.closed_at, offer.closing_reason = now, None, None
    elif target in (FILLED, CLOSED, CANCELLED):
        offer.closed_at, offer.closing_reason = now, (reason or "").strip() or None
    offer.stale_warned_at = None
    db.session.flush()
    employers.complete_tasks_about(actor, offer)  # the need published, the stale offer closed: done
    record(actor, f"offer.{target}", offer, summary=f"{offer.title} : {STATUSES[previous]} → {STATUSES[target]}",
           details={"from": previous, "to": target, "reason": reason},
           actor_label=None if actor else "rappels automatiques")
    if target == PUBLISHED and offer.source == "formulaire_public" and actor is not None:
        _invite_contact(actor, offer)
    _notify(offer, f"Votre offre « {offer.title} » est {STATUSES[target].lower()}", "offer_status.txt",
            topic=f"offer:{offer.id}:{target}:{now.isoformat()}", reason=reason)


def confirm_still_open(actor: User, offer: Offer) -> None:
    """The employer (or a counsellor) says an idle offer is still current: it counts as an update, its warning
    and the task it opened are settled, and the closing date moves back 60 days."""
    if offer.status not in (SUBMITTED, PUBLISHED):
        raise DomainError("Cette offre n'est plus ouverte : elle ne peut pas être confirmée.")
    if actor.role == EMPLOYER and offer.company_id != actor.company_id:
        raise DomainError("Vous ne pouvez confirmer que les offres de votre entreprise.")
    offer.updated_at, offer.stale_warned_at = utcnow(), None
    db.session.flush()
    record(actor, "offer.confirm_open", offer, summary=f"Offre toujours d'actualité : {offer.title}")
    employers.complete_tasks_about(actor, offer)


def offer_recipient(offer: Offer) -> str | None:
    """The e-mail the employer is told at: the need's contact, else its author, else a company account."""
    if offer.contact_email:
        return offer.contact_email
    if offer.created_by is not None and offer.created_by.role == EMPLOYER:
        return offer.created_by.email
    return db.session.scalar(select(User.email).where(User.company_id == offer.company_id, User.active.is_(True),
                                                      User.role == EMPLOYER).order_by(User.id).limit(1))


def _notify(offer: Offer, subject: str, template: str, *, topic: str, **context) -> None:
    recipient = offer_recipient(offer)
    if recipient:
        queue(recipient, subject, template, topic=topic, offer=offer, **context)


def _invite_contact(actor: User, offer: Offer) -> None:
    if offer.contact_email and find_user_by_email(offer.contact_email) is None:
        invite_user(actor, email=offer.contact_email, full_name=offer.contact_name or "", role=EMPLOYER,
                    company_id=offer.company_id)


# --- public submission --------------------------------------------------------------------------


def submit_public_need(*, siret: str, company_name: str, commune_code: str, contact_name: str,
                       contact_email: str, contact_phone: str | None, **values) -> Offer:
    """A need from the public page: the company is found by SIRET or created as a prospect; the need
    waits as a draft until its contact confirms the e-mail link, then arrives `soumise`."""
    data = _clean(values)
    company = employers.find_or_create_company(None, siret=siret, name=company_name.strip(), commune_code=commune_code,
                                     source="Formulaire public")
    offer = Offer(company=company, status=DRAFT, source="formulaire_public", counsellor_id=company.owner_id,
                  contact_name=contact_name.strip(), contact_email=contact_email,
                  contact_phone=contact_phone or None, **data)
    db.session.add(offer)
    db.session.flush()
    record(None, "offer.public_submit", offer, actor_label=f"{offer.contact_name} (formulaire public)",
           summary=f"Besoin déposé sans compte : {offer.title} ({company.name})")
    token = CONFIRM_LINK.sign({"offer": offer.id})
    link = public_url("offers.confirm_need", token=token)
    queue(contact_email, "Confirmez votre besoin de recrutement", "offer_confirm.txt",
          topic=f"offer:{offer.id}:confirm", offer=offer, link=link)
    return offer


def confirm_public_need(token: str) -> Offer:
    """The contact clicked the e-mail link: the need becomes `soumise` (a second click changes nothing)."""
    try:
        data = CONFIRM_LINK.read(token)
    except LinkError as exc:
        raise DomainError(exc.message) from exc
    offer = db.session.get(Offer, data["offer"])
    if offer is None:
        raise DomainError(_NOT_VALID)
    if offer.status == DRAFT and offer.source == "formulaire_public":
        offer.status, offer.confirmed_at = SUBMITTED, utcnow()
        db.session.flush()
        record(None, "offer.public_confirm", offer, actor_label=f"{offer.contact_name} (formulaire public)",
               summary=f"Besoin confirmé par courriel : {offer.title}")
        if offer.counsellor is not None:
            queue(offer.counsellor.email, f"Nouveau besoin à valider : {offer.title}", "offer_new_need.txt",
                  topic=f"offer:{offer.id}:new", offer=offer)
        _task_for_new_need(offer)
    return offer


# --- idle offers (reminders) --------------------------------------------------------------------


def handle_idle_offers(today: date) -> tuple[int, int]:
    """Warn of offers idle for 45 days, close those idle for 60 that were warned at least a week before (an
    offer updated since its warning is warned again). Returns (warned, closed)."""
    warned = closed = 0
    cutoff = datetime.combine(today - timedelta(days=rules.STALE_WARNING_DAYS), datetime.max.time())
    for offer in open_offers_idle_since(cutoff):
        last = offer.updated_at
        if offer.stale_warned_at is None or offer.stale_warned_at < last:
            _warn_idle(offer, today)
            warned += 1
        elif today >= rules.closing_day(last.date(), offer.stale_warned_at.date()):
            change_status(None, offer, CLOSED, reason=f"Sans mise à jour depuis {(today - last.date()).days} jours")
            closed += 1
    return warned, closed


def _warn_idle(offer: Offer, today: date) -> None:
    """Tell the employer by e-mail; when the company has no employer account, nobody there can act in
    Maillage: its counsellor (or the team's queue) gets a task before the offer is closed."""
    last = offer.updated_at
    closing_on = rules.closing_day(last.date(), today)
    _notify(offer, f"Votre offre « {offer.title} » est-elle toujours d'actualité ?", "offer_idle.txt",
            topic=f"offer:{offer.id}:idle:{last.date().isoformat()}", closing_on=closing_on)
    if not _has_employer_account(offer.company_id):
        employers.create_task(None, title=f"Offre sans nouvelles à vérifier avec l'entreprise : « {offer.title} », "
                                          f"close automatiquement le {closing_on:%d/%m/%Y}",
                              due_on=today, assignee=offer.counsellor_id or offer.company.owner_id,
                              subject=offer, company=offer.company, team_if_none=True)
    # warning must not count as an update: keep updated_at as it was
    offer.stale_warned_at = utcnow()
    offer.updated_at = last
    flag_modified(offer, "updated_at")  # else the column's onupdate would stamp it now
    db.session.flush()
    record(None, "offer.idle_warning", offer, actor_label="rappels automatiques",
           summary=f"Avertissement d'inactivité envoyé : {offer.title}")


def _has_employer_account(company_id: int) -> bool:
    return db.session.scalar(select(User.id).where(User.company_id == company_id, User.active.is_(True),
                                                   User.role == EMPLOYER).limit(1)) is not None


def _task_for_new_need(offer: Offer) -> None:
    """A need arrived from an employer or the public form: the company's counsellor (or the team's queue,
    when nobody follows the company) has it to publish."""
    employers.create_task(None, title=f"Nouveau besoin à publier : « {offer.title} » ({offer.company.name})",
                          due_on=date.today(), assignee=offer.counsellor_id or offer.company.owner_id,
                          subject=offer, company=offer.company, team_if_none=True)
