"""Reads about partner organisations and conventions, always scoped to the user."""

from datetime import date, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload, selectinload

from crm.employers.models import Interaction, Task
from crm.partners.models import Convention, ConventionDocument, PartnerContact, PartnerOrganisation
from portal.access import PARTNER, STAFF
from portal.accounts.models import User
from portal.extensions import db
from portal.text import escape_like, fold


def partners_for(user) -> Select:
    """Organisations the user may see: all for staff, its own for a partner user."""
    stmt = select(PartnerOrganisation)
    if user.role in STAFF:
        return stmt
    if user.role == PARTNER and user.partner_id:
        return stmt.where(PartnerOrganisation.id == user.partner_id)
    return stmt.where(False)


def get_partner(partner_id: int) -> PartnerOrganisation | None:
    """An organisation by id, unscoped (for validators and services)."""
    return db.session.get(PartnerOrganisation, partner_id)


def partner_for(user, partner_id: int) -> PartnerOrganisation | None:
    """An organisation the user may see, or None (the view answers 404)."""
    return db.session.scalar(partners_for(user).where(PartnerOrganisation.id == partner_id))


def autocomplete_partners(term: str, limit: int = 10) -> list[PartnerOrganisation]:
    """Active organisations whose name contains the folded term."""
    folded = fold(term)
    if not folded:
        return []
    stmt = (select(PartnerOrganisation)
            .where(PartnerOrganisation.archived_at.is_(None),
                   PartnerOrganisation.search_text.like("%" + escape_like(folded) + "%", escape="\\"))
            .order_by(PartnerOrganisation.name).limit(limit))
    return list(db.session.scalars(stmt))


def filtered_partners(user, *, q: str = "", kind: str = "", archived: bool = False) -> Select:
    """The partners list with its filters, commune and referent loaded."""
    stmt = partners_for(user).options(selectinload(PartnerOrganisation.commune),
                                      selectinload(PartnerOrganisation.referent))
    folded = fold(q)
    if folded:
        stmt = stmt.where(PartnerOrganisation.search_text.like("%" + escape_like(folded) + "%", escape="\\"))
    if kind:
        stmt = stmt.where(PartnerOrganisation.kind == kind)
    stmt = stmt.where(PartnerOrganisation.archived_at.is_not(None) if archived
                      else PartnerOrganisation.archived_at.is_(None))
    return stmt.order_by(PartnerOrganisation.name, PartnerOrganisation.id)


def contacts_of(partner: PartnerOrganisation) -> list[PartnerContact]:
    stmt = (select(PartnerContact).where(PartnerContact.partner_id == partner.id)
            .order_by(PartnerContact.is_primary.desc(), PartnerContact.name))
    return list(db.session.scalars(stmt))


def contact_for(user, partner_id: int, contact_id: int) -> PartnerContact | None:
    if partner_for(user, partner_id) is None:
        return None
    return db.session.scalar(select(PartnerContact).where(PartnerContact.id == contact_id,
                                                         PartnerContact.partner_id == partner_id))


def conventions_for(user) -> Select:
    """Conventions the user may read: all for staff, its organisation's for a partner user."""
    stmt = select(Convention)
    if user.role in STAFF:
        return stmt
    if user.role == PARTNER and user.partner_id:
        return stmt.where(Convention.partner_id == user.partner_id)
    return stmt.where(False)


def convention_for(user, convention_id: int) -> Convention | None:
    """A convention the user may read, with its documents, or None (404)."""
    stmt = (conventions_for(user).where(Convention.id == convention_id)
            .options(selectinload(Convention.documents), selectinload(Convention.partner)))
    return db.session.scalar(stmt)


def filtered_conventions(user, *, status: str = "", partner_id: int | None = None,
                         expiring_within: int | None = None, today: date | None = None) -> Select:
    """The conventions list with its filters, partner and referent loaded, soonest end first."""
    stmt = conventions_for(user).options(selectinload(Convention.partner), selectinload(Convention.referent))
    if status:
        stmt = stmt.where(Convention.status == status)
    if partner_id:
        stmt = stmt.where(Convention.partner_id == partner_id)
    if expiring_within is not None:
        today = today or date.today()
        stmt = stmt.where(Convention.status == "active",
                          Convention.end_on <= today + timedelta(days=expiring_within))
    return stmt.order_by(Convention.end_on, Convention.id)


def document_for(user, convention_id: int, document_id: int) -> ConventionDocument | None:
    """A document of a convention the user may read, or None (404)."""
    if convention_for(user, convention_id) is None:
        return None
    return db.session.scalar(select(ConventionDocument).where(ConventionDocument.id == document_id,
                                                             ConventionDocument.convention_id == convention_id))


def active_conventions_ending_by(day: date) -> list[Convention]:
    """Active conventions whose end date is on or before `day` (for the reminders job)."""
    stmt = (select(Convention).where(Convention.status == "active", Convention.end_on <= day)
            .options(selectinload(Convention.partner), selectinload(Convention.referent))
            .order_by(Convention.end_on))
    return list(db.session.scalars(stmt))


def referent_choices() -> list[tuple[str, str]]:
    """Active admins and counsellors, for the referent select boxes."""
    stmt = (select(User.id, User.full_name, User.email).where(User.role.in_(STAFF), User.active.is_(True))
            .order_by(User.full_name, User.email))
    return [("", "Aucun")] + [(str(r.id), r.full_name or r.email) for r in db.session.execute(stmt)]


# --- interactions and tasks (the one Interaction and Task models of crm/employers) -------------------


def interactions_of_partner(partner: PartnerOrganisation, limit: int = 50) -> list:
    """The latest exchanges with an organisation, with their counsellor, most recent first."""
    stmt = (select(Interaction).where(Interaction.partner_id == partner.id)
            .options(joinedload(Interaction.counsellor))
            .order_by(Interaction.occurred_on.desc(), Interaction.id.desc()).limit(limit))
    return list(db.session.scalars(stmt))


def tasks_of_partner(partner: PartnerOrganisation, limit: int = 50) -> list:
    """Tasks about the organisation or one of its conventions: open ones first, by due date."""
    conventions = select(Convention.id).where(Convention.partner_id == partner.id).scalar_subquery()
    stmt = (select(Task).where(or_(
        (Task.subject_type == "PartnerOrganisation") & (Task.subject_id == partner.id),
        (Task.subject_type == "Convention") & Task.subject_id.in_(conventions)))
        .options(joinedload(Task.assignee))
        .order_by(Task.done_at.is_not(None), Task.due_on, Task.id).limit(limit))
    return list(db.session.scalars(stmt))


def partner_names(ids: list[int]) -> dict[int, str]:
    """Organisation names by id, in one query (task subjects)."""
    if not ids:
        return {}
    return dict(db.session.execute(select(PartnerOrganisation.id, PartnerOrganisation.name)
                                   .where(PartnerOrganisation.id.in_(ids))).all())


def convention_titles(ids: list[int]) -> dict[int, tuple[str, str]]:
    """(title, partner name) of conventions by id, in one query (task subjects)."""
    if not ids:
        return {}
    rows = db.session.execute(select(Convention.id, Convention.title, PartnerOrganisation.name)
                              .join(PartnerOrganisation, PartnerOrganisation.id == Convention.partner_id)
                              .where(Convention.id.in_(ids))).all()
    return {i: (title, name) for i, title, name in rows}
