"""Home to-dos of the PMSMP: conventions the employer has to sign, and the counsellor's conventions waiting
on a signature, a validation or an assessment."""

from flask import url_for
from sqlalchemy import and_, exists, or_
from sqlalchemy.orm import lazyload, selectinload

from crm.pmsmp import rules
from crm.pmsmp.models import Assessment, Placement, PlacementSignature
from crm.pmsmp.queries import placements_for
from portal.access import COUNSELLOR, EMPLOYER
from portal.home.widgets import TODAY, WAITING, Row, from_query, todo
from portal.text import date_fr


def _signed_by(role: str):
    return exists().where(PlacementSignature.placement_id == Placement.id, PlacementSignature.role == role,
                          PlacementSignature.cleared_at.is_(None))


def _assessed():
    return exists().where(Assessment.placement_id == Placement.id)


def to_sign_by_host(user):
    """The company's conventions in signature that the host has not signed yet, soonest start first."""
    return (placements_for(user).where(Placement.status.in_(rules.SIGNING), ~_signed_by(rules.HOST))
            .order_by(Placement.start_date, Placement.id))


def waiting_on_counsellor(user, today):
    """The counsellor's conventions waiting on a signature, on their validation, or on the assessment of an
    ended immersion, soonest start first."""
    return (placements_for(user).where(Placement.counsellor_id == user.id, or_(
        Placement.status.in_((*rules.SIGNING, rules.TO_VALIDATE)),
        and_(Placement.status == rules.VALIDATED, Placement.end_date < today, ~_assessed())))
        .order_by(Placement.start_date, Placement.id)
        # the young person and company of the rows shown only, not joined to every match
        .options(lazyload("*"), selectinload(Placement.youth), selectinload(Placement.company)))


def _waiting_for(p: Placement) -> str:
    if p.status == rules.TO_VALIDATE:
        return "signée par tous : à valider"
    if p.status in rules.SIGNING:
        return "en attente de signature"
    return f"terminée le {date_fr(p.end_date)} : bilan à faire"


@todo((EMPLOYER,))
def sign_todo(user, today):
    return from_query(
        to_sign_by_host(user),
        lambda p: Row(f"Immersion de {p.youth.full_name} ({p.reference})",
                      url_for("pmsmp.show_placement", placement_id=p.id), f"à partir du {date_fr(p.start_date)}",
                      late=p.start_date <= today),
        key="conventions", title="Conventions d'immersion à signer", urgency=TODAY,
        link=("Voir les conventions", url_for("pmsmp.list_placements")),
        empty="Proposez une immersion (PMSMP) à votre conseiller·ère pour faire découvrir votre métier.")


@todo((COUNSELLOR,))
def placements_todo(user, today):
    return from_query(
        waiting_on_counsellor(user, today),
        lambda p: Row(f"{p.reference} : {p.youth.full_name} chez {p.company.name}",
                      url_for("pmsmp.show_placement", placement_id=p.id), _waiting_for(p),
                      late=p.status == rules.TO_VALIDATE or p.start_date <= today and p.status in rules.SIGNING),
        key="pmsmp", title="Immersions en attente de signature, de validation ou de bilan", urgency=WAITING,
        link=("Voir mes conventions", url_for("pmsmp.list_placements", miennes="1")),
        empty="Aucune immersion ne vous attend.",
        empty_link=("Préparer une convention", url_for("pmsmp.create_placement")))
