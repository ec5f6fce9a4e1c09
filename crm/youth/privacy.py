"""What the privacy tools (portal/privacy) hold of a young person's profile: the profiles themselves and
their search, the profile's sheets of the export, the texts naming them, the profile's anonymisation."""

from datetime import date

from sqlalchemy import func, or_, select

from crm.youth.models import YouthProfile, YouthTarget
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.models import utcnow
from portal.privacy.holders import Found, Holder, Person, register, register_person
from portal.privacy.services import ANONYMOUS_FIRST, ANONYMOUS_LAST
from portal.text import escape_like, fold, is_digits


def _search(term: str, limit: int) -> list[YouthProfile]:
    conds = [YouthProfile.search_text.like("% " + escape_like(fold(term)) + "%", escape="\\")]
    if is_digits(term) and len(term) < 10:
        conds.append(YouthProfile.id == int(term))
    if "@" in term:
        conds.append(func.lower(YouthProfile.email) == term.lower())
    stmt = select(YouthProfile).where(or_(*conds)).order_by(YouthProfile.last_name, YouthProfile.id).limit(limit)
    return list(db.session.scalars(stmt))


def _sheets(found: Found) -> list:
    consent_events = [e for e in found.events if e.action.startswith("youth.consent")]
    return [("Profil", [found.youth], YouthProfile), ("Métiers visés", list(found.youth.targets), YouthTarget),
            ("Consentement", consent_events, AuditEvent)]


def _identifiers(found: Found) -> tuple[set[str], set[str]]:
    youth = found.youth
    names = {youth.full_name, f"{youth.last_name} {youth.first_name}", youth.short_name,
             f"{youth.last_name.upper()} {youth.first_name}"}
    for value in (youth.email, youth.phone, youth.imilo_id):
        if value:
            names.add(value)
    return names, {youth.email.lower()} if youth.email else set()


def _erase(found: Found, names: list[str]) -> None:
    youth = found.youth
    youth.first_name, youth.last_name = ANONYMOUS_FIRST, ANONYMOUS_LAST
    # the year stays (age group of the indicators, to within a few months): the date becomes 1 July
    youth.birth_date = date(youth.birth_date.year, 7, 1)
    youth.phone = youth.email = youth.imilo_id = None
    youth.available_from = None
    now = utcnow()
    if youth.consent_on is not None and youth.consent_withdrawn_at is None:
        youth.consent_withdrawn_at = now
    # archived_at is left as it was: "young people followed" (equity per commune) counts unarchived profiles


register_person(Person(YouthProfile, _search))
register(Holder("crm.youth", 10, sheets=_sheets, identifiers=_identifiers, erase=_erase))
