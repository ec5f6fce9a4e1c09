"""What the privacy tools (portal/privacy) hold of a young person's PMSMP conventions."""

from datetime import datetime

from sqlalchemy import exists, select

from crm.pmsmp import rules
from crm.pmsmp.models import (
    Assessment,
    Placement,
    PlacementPeriod,
    PlacementRepresentative,
    PlacementSignature,
    PlacementStatusChange,
)
from crm.youth.models import YouthProfile
from portal.extensions import db
from portal.privacy.holders import Found, Holder, register
from portal.privacy.services import ERASED_TEXT


def _load(found: Found) -> None:
    found.placements = list(db.session.scalars(select(Placement).where(Placement.youth_id == found.youth.id)
                                               .order_by(Placement.id)).unique())


def _status_changes(found: Found) -> list:
    ids = [p.id for p in found.placements]
    if not ids:
        return []
    return list(db.session.scalars(select(PlacementStatusChange).where(PlacementStatusChange.placement_id.in_(ids))
                                   .order_by(PlacementStatusChange.id)))


def _sheets(found: Found) -> list:
    placements = found.placements
    return [
        ("Conventions PMSMP", placements, Placement),
        ("Représentants légaux", [r for p in placements for r in p.representatives], PlacementRepresentative),
        ("Horaires PMSMP", [r for p in placements for r in p.periods], PlacementPeriod),
        ("Signatures", [s for p in placements for s in p.signatures], PlacementSignature),
        ("Historique des conventions", _status_changes(found), PlacementStatusChange),
        ("Bilans PMSMP", [p.assessment for p in placements if p.assessment is not None], Assessment),
    ]


def _identifiers(found: Found) -> tuple[set[str], set[str]]:
    names: set[str] = set()
    emails = {p.youth_email.lower() for p in found.placements if p.youth_email}
    for placement in found.placements:
        for rep in placement.representatives:
            names.update(x for x in (rep.name, rep.email, rep.phone) if x)
            emails.add(rep.email.lower())
        if placement.youth_phone:
            names.add(placement.youth_phone)
    return names, emails


def _erase(found: Found, names: list[str]) -> None:
    for placement in found.placements:
        placement.youth_email, placement.youth_phone = "", None
        placement.status_reason = placement.renewal_reason = None
        placement.links_sent = {}
        placement.representatives.clear()
        for signature in placement.signatures:
            signature.ip_address = signature.user_agent = None
            if signature.role in (rules.YOUTH, rules.LEGAL_REP_1, rules.LEGAL_REP_2):
                signature.name, signature.email = ERASED_TEXT, ""
        if placement.assessment is not None:
            a = placement.assessment
            a.no_show_reason = a.youth_comment = None
            a.skills_observed = a.employer_feedback = ""
    for change in _status_changes(found):
        change.note = None


def _recent(since: datetime):
    return exists().where(Placement.youth_id == YouthProfile.id, Placement.updated_at >= since)


register(Holder(
    "crm.pmsmp", 30, load=_load,
    subjects=lambda found: [("Placement", [p.id for p in found.placements])],
    counts=lambda found: {"placements": len(found.placements)},
    sheets=_sheets, identifiers=_identifiers, erase=_erase, recent=_recent,
    stamps=lambda found: [p.updated_at for p in found.placements],
))
