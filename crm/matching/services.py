"""Positioning use cases: keep a suggestion, propose to the employer, interview, outcome.

Every transition is logged (PositioningTransition) and audited. Other capabilities react to a hire through
the `positioning_hired` signal (the follow-up capability creates its Hire there).
"""

from datetime import datetime

from sqlalchemy import select

from crm.matching import rules
from crm.matching.models import Positioning, PositioningTransition
from crm.matching.queries import offer_facts, youth_facts
from crm.matching.rules import (
    EMPLOYER_DECLINE,
    EMPLOYER_MEET,
    EMPLOYER_REASONS,
    HIRED,
    INTERVIEW,
    KEPT,
    PROPOSED,
    REJECTED,
    STATUSES,
    SUGGESTED,
    WITHDRAWN,
)
from crm.matching.signals import positioning_hired
from crm.offers.models import Offer
from crm.offers.rules import PUBLISHED
from crm.offers.services import offer_recipient
from crm.youth.models import YouthProfile
from portal import signals
from portal.audit.services import record
from portal.errors import DomainError, all_or_none
from portal.extensions import db
from portal.models import utcnow
from portal.notifications.services import queue


def get_positioning(offer_id: int, youth_id: int) -> Positioning | None:
    """The positioning of this young person on this offer, if any (unscoped)."""
    return db.session.scalar(select(Positioning).where(Positioning.offer_id == offer_id,
                                                       Positioning.youth_id == youth_id))


def _move(actor, positioning: Positioning, target: str, note: str | None = None) -> None:
    if not rules.can_move(positioning.status, target):
        raise DomainError(f"Cette mise en relation est « {positioning.status_label} » : "
                          f"elle ne peut pas passer à « {STATUSES[target]} ».")
    previous = positioning.status
    positioning.status = target
    positioning.transitions.append(PositioningTransition(
        from_status=previous, to_status=target, actor_id=getattr(actor, "id", None),
        actor_label=getattr(actor, "display_name", "système"), at=utcnow(), note=(note or "").strip() or None))
    db.session.flush()
    record(actor, f"positioning.{target}", positioning,
           summary=f"{positioning.youth.full_name} × {positioning.offer.title} : {STATUSES[target]}",
           details={"from": previous, "to": target, "offer_id": positioning.offer_id,
                    "youth_id": positioning.youth_id})


def keep_suggestion(actor, *, offer: Offer, youth: YouthProfile, note: str | None = None) -> Positioning:
    """Keep a suggested young person for an offer: creates the positioning `retenue` with its score."""
    if youth.archived_at is not None:
        raise DomainError("Ce profil est archivé.")
    if not offer.is_open:
        raise DomainError("Cette offre n'est plus ouverte.")
    if get_positioning(offer.id, youth.id) is not None:
        raise DomainError(f"{youth.full_name} est déjà positionné·e sur cette offre.")

    result = rules.match(offer_facts(offer), youth_facts(youth))
    if result.excluded:
        raise DomainError("Ce profil est écarté pour cette offre : " + " ".join(result.exclusions))
    positioning = Positioning(offer=offer, youth=youth, score=result.score, breakdown=result.to_json(),
                              status=SUGGESTED, created_by_id=getattr(actor, "id", None))
    db.session.add(positioning)
    positioning.transitions.append(PositioningTransition(
        from_status=None, to_status=SUGGESTED, actor_id=actor.id, actor_label=actor.display_name, at=utcnow(),
        note=f"Score {result.score}/100"))
    db.session.flush()
    _move(actor, positioning, KEPT, note)
    return positioning


def keep_many(actor, *, offer: Offer, youths: list[YouthProfile], note: str | None = None) -> list[Positioning]:
    """Keep several suggested young people at once: all of them, or (on the first refusal) none."""
    return all_or_none(youths, lambda youth: keep_suggestion(actor, offer=offer, youth=youth, note=note),
                       empty="Cochez au moins un·e candidat·e.", refused="Rien n'a été retenu.",
                       name=lambda youth: youth.full_name)


def move_many(actor, positionings: list[Positioning], action, *, note: str | None = None) -> None:
    """Apply one step (propose, interview, hired…) to several positionings: all or none."""
    all_or_none(positionings, lambda positioning: action(actor, positioning, note=note),
                empty="Cochez au moins une mise en relation.", refused="Rien n'a été changé.",
                name=lambda positioning: positioning.youth.full_name)


def propose(actor, positioning: Positioning, *, note: str | None = None) -> None:
    """Put the young person forward to the employer: needs recorded consent and a published offer."""
    youth = positioning.youth
    if not youth.has_consent:
        raise DomainError(f"Impossible de proposer {youth.full_name} : aucun consentement à la transmission "
                          "de son profil aux employeurs n'est enregistré. Recueillez-le d'abord sur sa fiche.")
    if positioning.offer.status != PUBLISHED:
        raise DomainError("L'offre doit être publiée pour que des candidats soient proposés à l'employeur.")
    if note is not None and note.strip():
        positioning.counsellor_note = note.strip()
    positioning.proposed_at = utcnow()
    _move(actor, positioning, PROPOSED, note)
    _notify_employer_of_candidate(positioning)


def record_interview(actor, positioning: Positioning, *, when: datetime | None = None,
                     note: str | None = None) -> None:
    """Note that an interview is planned (or took place)."""
    positioning.interview_on = when
    _move(actor, positioning, INTERVIEW, note)


def reject(actor, positioning: Positioning, *, note: str | None = None) -> None:
    """Close the positioning as not retained."""
    _move(actor, positioning, REJECTED, note)


def withdraw(actor, positioning: Positioning, *, note: str | None = None) -> None:
    """The young person withdrew."""
    _move(actor, positioning, WITHDRAWN, note)


def mark_hired(actor, positioning: Positioning, *, note: str | None = None, **details) -> None:
    """The young person is hired: log it, then tell the others (`positioning_hired`: the follow-up creates the
    Hire, in the same transaction; a DomainError of theirs stops the whole action)."""
    _move(actor, positioning, HIRED, note)
    signals.send(positioning_hired, positioning, actor=actor, details=dict(details))


def answer_as_employer(actor, positioning: Positioning, *, answer: str, reason: str | None = None,
                       comment: str | None = None) -> None:
    """The employer answers « rencontrer » or « ne pas retenir » (with a reason); the counsellor is told."""
    if positioning.status != PROPOSED:
        raise DomainError("Cette candidature a déjà reçu une suite.")
    if answer == EMPLOYER_MEET:
        reason = None
        _move(actor, positioning, INTERVIEW, comment or "L'employeur souhaite rencontrer la personne.")
    elif answer == EMPLOYER_DECLINE:
        if reason not in EMPLOYER_REASONS:
            raise DomainError("Choisissez la raison pour laquelle vous ne retenez pas cette candidature.",
                              field="reason")
        _move(actor, positioning, REJECTED, f"{EMPLOYER_REASONS[reason]}. {comment or ''}".strip())
    else:
        raise DomainError("Réponse inconnue.", field="answer")
    positioning.employer_answer, positioning.employer_reason = answer, reason
    positioning.employer_answered_at = utcnow()
    _notify_counsellor_of_answer(positioning, comment)


def _counsellor_email(positioning: Positioning) -> str | None:
    for user in (positioning.created_by, positioning.offer.counsellor, positioning.youth.referent):
        if user is not None and user.email:
            return user.email
    return None


def _notify_employer_of_candidate(positioning: Positioning) -> None:
    recipient = offer_recipient(positioning.offer)
    if recipient:
        queue(recipient, f"Un candidat vous est proposé : {positioning.offer.title}", "matching_proposed.txt",
              topic=f"positioning:{positioning.id}:proposed", positioning=positioning)


def _notify_counsellor_of_answer(positioning: Positioning, comment: str | None) -> None:
    recipient = _counsellor_email(positioning)
    if recipient:
        queue(recipient, f"Réponse de l'employeur : {positioning.youth.short_name} — {positioning.offer.title}",
              "matching_answer.txt", positioning=positioning, comment=comment)
