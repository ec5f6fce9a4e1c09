"""Reads about companies, contacts, interactions, tasks and events, always scoped to the user."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from crm.employers.models import (
    STAGES,
    TEAM_QUEUE,
    Company,
    Contact,
    Event,
    EventParticipant,
    EventYouth,
    Interaction,
    PipelineStage,
    SavedFilter,
    Task,
)
from crm.employers.rules import end_of_week, name_key
from crm.employers.timeline import company_flags
from portal.access import EMPLOYER, STAFF
from portal.accounts.models import User
from portal.extensions import db
from portal.referentials.models import Commune, NafCode
from portal.referentials.queries import territory_codes
from portal.text import escape_like, fold, is_digits

_REPEATS = re.compile(r"([a-z])\1+")


def squash(word: str) -> str:
    """A folded word with doubled letters collapsed: "coutellerie" and "coutelerie" meet."""
    return _REPEATS.sub(r"\1", word)


# --- companies -----------------------------------------------------------------------------------


def companies_for(user) -> Select:
    """Companies the user may see: all for staff, its own for an employer, none otherwise."""
    stmt = select(Company)
    if user.role in STAFF:
        return stmt
    if user.role == EMPLOYER and user.company_id:
        return stmt.where(Company.id == user.company_id)
    return stmt.where(False)


def get_company(company_id: int) -> Company | None:
    """A company by id, unscoped (for validators and services)."""
    return db.session.get(Company, company_id)


def company_for(user, company_id: int) -> Company | None:
    """The company if the user may see it, else None (the view answers 404)."""
    return db.session.scalar(companies_for(user).where(Company.id == company_id))


def text_condition(column, term: str):
    """Every word of the term starts a word of `column` (accent-free, tolerant of doubled letters)."""
    conditions = []
    for word in fold(term).split()[:8]:
        variants = {word, squash(word)}
        conditions.append(or_(*[column.like("% " + escape_like(v) + "%", escape="\\") for v in variants]))
    return and_(*conditions) if conditions else None


def autocomplete_companies(term: str, limit: int = 10) -> list[Company]:
    """Active companies whose name, SIRET or contact matches the folded term."""
    condition = text_condition(Company.search_text, term)
    if condition is None:
        return []
    stmt = (select(Company).where(Company.archived_at.is_(None), condition).order_by(Company.name).limit(limit))
    return list(db.session.scalars(stmt))


def likely_duplicates(name: str, commune_code: str | None, exclude_id: int | None = None) -> list[Company]:
    """Companies with the same normalised name in the same commune (the likely-duplicate warning)."""
    key = name_key(name)
    if not key:
        return []
    stmt = select(Company).where(Company.name_key == key)
    stmt = stmt.where(Company.commune_code == commune_code) if commune_code else stmt.where(
        Company.commune_code.is_(None))
    if exclude_id:
        stmt = stmt.where(Company.id != exclude_id)
    return list(db.session.scalars(stmt.order_by(Company.id).limit(5)))


@dataclass
class CompanyFilters:
    """The list's filters, parsed from the query string (French parameter names, as in the URL)."""

    q: str = ""
    etape: str = ""
    charge: str = ""  # owner id, or "moi", or "aucun"
    commune: str = ""
    epci: str = ""
    naf: str = ""  # NAF section letter
    tension: str = ""  # "oui" / "non"
    pmsmp: str = ""
    flags: dict[str, str] = field(default_factory=dict)  # registered filters (e.g. charter signatory)
    sans_echange: int | None = None  # days
    statut: str = "actives"  # actives / archivees / toutes
    tri: str = "nom"

    SORTS = ("nom", "-nom", "commune", "-commune", "etape", "-etape", "creation", "-creation")

    @classmethod
    def from_args(cls, args) -> "CompanyFilters":
        def text(name, size=100):
            return (args.get(name, "", type=str) or "")[:size].strip()

        days = text("sans_echange", 4)

        return cls(
            q=text("q"), etape=text("etape", 40), charge=text("charge", 12), commune=text("commune", 5),
            epci=text("epci", 9), naf=text("naf", 1).upper(), tension=text("tension", 3), pmsmp=text("pmsmp", 3),
            flags={key: text(key, 3) for key in company_flags()},
            sans_echange=int(days) if is_digits(days) and 0 < int(days) <= 3650 else None,
            statut=text("statut", 10) or "actives",
            tri=text("tri", 12) if text("tri", 12) in cls.SORTS else "nom",
        )

    def active(self) -> bool:
        return any([self.q, self.etape, self.charge, self.commune, self.epci, self.naf, self.tension, self.pmsmp,
                    self.sans_echange, any(self.flags.values()), self.statut != "actives"])


def _yes_no(column, value: str):
    return column.is_(True) if value == "oui" else column.is_(False) if value == "non" else None


def filtered_companies(user, filters: CompanyFilters, today: date | None = None) -> Select:
    """The company list: the user's scope, filters and sort; owners loaded in one query per page."""
    stmt = companies_for(user).options(selectinload(Company.owner))
    if filters.statut == "archivees":
        stmt = stmt.where(Company.archived_at.is_not(None))
    elif filters.statut != "toutes":
        stmt = stmt.where(Company.archived_at.is_(None))
    if filters.q:
        digits = re.sub(r"\s", "", filters.q)
        condition = text_condition(Company.search_text, filters.q)
        if is_digits(digits) and len(digits) >= 3:
            condition = or_(condition, Company.siret.startswith(digits))
        stmt = stmt.where(condition)
    if filters.etape:
        stmt = stmt.where(Company.stage == filters.etape)
    if filters.charge == "aucun":
        stmt = stmt.where(Company.owner_id.is_(None))
    elif filters.charge == "moi":
        stmt = stmt.where(Company.owner_id == user.id)
    elif is_digits(filters.charge):
        stmt = stmt.where(Company.owner_id == int(filters.charge))
    if filters.commune:
        stmt = stmt.where(Company.commune_code == filters.commune.upper())
    if filters.epci:
        stmt = stmt.where(Company.commune_code.in_(
            select(Commune.insee_code).where(Commune.epci_siren == filters.epci)))
    if filters.naf:
        stmt = stmt.where(Company.naf_code.in_(select(NafCode.code).where(NafCode.section_code == filters.naf)))
    for column, value in ((Company.in_tension, filters.tension), (Company.accepts_pmsmp, filters.pmsmp)):
        condition = _yes_no(column, value)
        if condition is not None:
            stmt = stmt.where(condition)
    registered = company_flags()
    for key, value in filters.flags.items():
        if key in registered and value in ("oui", "non"):
            clause = registered[key].clause()
            stmt = stmt.where(clause if value == "oui" else ~clause)
    if filters.sans_echange:
        since = (today or date.today()) - timedelta(days=filters.sans_echange)
        # no exchange since that day: read on the derived day of the latest exchange (crm/employers/search.py)
        stmt = stmt.where(or_(Company.last_interaction_on.is_(None), Company.last_interaction_on < since))
    return stmt.order_by(*_order(filters.tri))


def _order(sort: str) -> list[Any]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "commune":
        column = select(Commune.name).where(Commune.insee_code == Company.commune_code).scalar_subquery()
    elif key == "etape":
        column = Company.stage
    elif key == "creation":
        column = Company.created_at
    else:
        column = Company.name
    return [column.desc() if descending else column.asc(), Company.id]


def page_details(companies: list[Company]) -> dict[str, dict]:
    """What a list page shows beside each company, in a fixed number of queries: last interaction date (the
    company's derived `last_interaction_on`), primary contact, whether its commune is in the territory."""
    ids = [c.id for c in companies]
    if not ids:
        return {"last": {}, "primary": {}, "territory": set()}
    last = {c.id: c.last_interaction_on for c in companies if c.last_interaction_on is not None}
    primary = {c.company_id: c for c in db.session.scalars(select(Contact).where(
        Contact.company_id.in_(ids), Contact.is_primary.is_(True), Contact.archived_at.is_(None)))}
    return {"last": last, "primary": primary, "territory": territory_codes()}


def stages() -> list[PipelineStage]:
    """The pipeline's stages, in order (the defaults when an admin has not edited them yet)."""
    rows = list(db.session.scalars(select(PipelineStage).order_by(PipelineStage.position, PipelineStage.code)))
    if rows:
        return rows
    return [PipelineStage(code=code, label=label, position=i, active=True) for i, (code, label) in enumerate(STAGES.items())]


def stage_labels(active_only: bool = True) -> dict[str, str]:
    return {s.code: s.label for s in stages() if s.active or not active_only}


BOARD_STEP = 30  # companies a column shows at first, and how many more each « Voir plus » adds


def board(user, owner_id: int | None = None, shown: dict[str, int] | None = None) -> list[dict]:
    """The prospection board: each active stage with its count and its first companies by name (BOARD_STEP,
    or as many as `shown` asks for that stage: « Voir plus » asks for the next ones)."""
    base = companies_for(user).where(Company.archived_at.is_(None))
    if owner_id:
        base = base.where(Company.owner_id == owner_id)
    counts = dict(db.session.execute(base.with_only_columns(Company.stage, func.count()).group_by(Company.stage)).all())
    columns = []
    for stage in stages():
        if not stage.active:
            continue
        limit = max(BOARD_STEP, (shown or {}).get(stage.code, BOARD_STEP))
        items = db.session.scalars(base.where(Company.stage == stage.code).options(joinedload(Company.owner))
                                   .order_by(Company.name, Company.id).limit(limit)).unique().all()
        columns.append({"stage": stage, "count": counts.get(stage.code, 0), "companies": items})
    return columns


@dataclass(frozen=True)
class StaffMember:
    id: int
    display_name: str


def staff_users() -> list[StaffMember]:
    """Active admins and counsellors, for owner and assignee choices: two columns, not whole accounts
    (a region's 200 counsellors loaded as entities cost 60 ms a page among the board's companies)."""
    rows = db.session.execute(select(User.id, User.full_name, User.email)
                              .where(User.role.in_(STAFF), User.active.is_(True))
                              .order_by(User.full_name, User.email))
    return [StaffMember(user_id, full_name or email) for user_id, full_name, email in rows]


def contacts_of(company: Company) -> list[Contact]:
    return list(db.session.scalars(select(Contact).where(Contact.company_id == company.id,
                                                         Contact.archived_at.is_(None))
                                   .order_by(Contact.is_primary.desc(), Contact.full_name)))


def get_contact(company: Company, contact_id: int) -> Contact | None:
    return db.session.scalar(select(Contact).where(Contact.id == contact_id, Contact.company_id == company.id,
                                                   Contact.archived_at.is_(None)))


def interactions_of(company: Company) -> list[Interaction]:
    return list(db.session.scalars(select(Interaction).where(Interaction.company_id == company.id)
                                   .options(joinedload(Interaction.counsellor), joinedload(Interaction.contact))
                                   .order_by(Interaction.occurred_on.desc(), Interaction.id.desc())))


def tasks_of_company(company: Company) -> list[Task]:
    return list(db.session.scalars(select(Task).where(Task.company_id == company.id)
                                   .options(joinedload(Task.assignee)).order_by(Task.due_on.desc())))


# --- tasks ---------------------------------------------------------------------------------------


def tasks_for(user) -> Select:
    """Tasks the user may see: staff see every task, others none."""
    stmt = select(Task)
    return stmt if user.role in STAFF else stmt.where(False)


def task_for(user, task_id: int) -> Task | None:
    return db.session.scalar(tasks_for(user).where(Task.id == task_id))


def my_open_tasks(user, assignee_id: int | str | None, today: date, scope: str = "ouvertes") -> Select:
    """Open tasks of an assignee (None: everyone, for an admin's overview; TEAM_QUEUE: those nobody holds
    yet), by due date; or those done in the last 30 days."""
    stmt = tasks_for(user).options(joinedload(Task.company), joinedload(Task.assignee))
    if assignee_id == TEAM_QUEUE:
        stmt = stmt.where(Task.assignee_id.is_(None))
    elif assignee_id:
        stmt = stmt.where(Task.assignee_id == assignee_id)
    if scope == "terminees":
        return stmt.where(Task.done_at.is_not(None), Task.due_on >= today - timedelta(days=90)).order_by(
            Task.done_at.desc())
    return stmt.where(Task.done_at.is_(None)).order_by(Task.due_on, Task.id)


def due_counts(user_id: int, today: date) -> dict[str, int]:
    """Open tasks of a user: overdue, due today, due later this week (for the home widget)."""
    row = db.session.execute(select(
        func.count().filter(Task.due_on < today),
        func.count().filter(Task.due_on == today),
        func.count().filter(and_(Task.due_on > today, Task.due_on <= end_of_week(today))),
    ).where(Task.assignee_id == user_id, Task.done_at.is_(None))).one()
    return {"overdue": row[0], "today": row[1], "this_week": row[2]}


# --- events and saved filters --------------------------------------------------------------------


def events_for(user) -> Select:
    stmt = select(Event)
    return stmt if user.role in STAFF else stmt.where(False)


def event_for(user, event_id: int) -> Event | None:
    return db.session.scalar(events_for(user).where(Event.id == event_id).options(
        selectinload(Event.participants).joinedload(EventParticipant.company)))


def young_participants(event: Event) -> list[EventYouth]:
    """The event's young participants with their profiles (one query), ordered by name."""
    youth_model = _youth_model()
    rows = db.session.scalars(select(EventYouth).join(youth_model, youth_model.id == EventYouth.youth_id)
                              .where(EventYouth.event_id == event.id)
                              .options(joinedload(EventYouth.youth))
                              .order_by(youth_model.last_name, youth_model.first_name, EventYouth.id))
    return list(rows)


def young_participant(event: Event, participant_id: int) -> EventYouth | None:
    return db.session.scalar(select(EventYouth).where(EventYouth.id == participant_id,
                                                      EventYouth.event_id == event.id))


def youth_to_name(user, code: str):
    """The young person picked in the event's autocomplete (staff only), or None for an unknown code."""
    if user.role not in STAFF or not is_digits(code) or len(code) > 11:
        return None
    return db.session.get(_youth_model(), int(code))


def consenting_youth(limit: int) -> list:
    """Active young people who consent to be named, in id order (the demo's young participants)."""
    youth_model = _youth_model()
    return list(db.session.scalars(select(youth_model).where(
        youth_model.consent_on.is_not(None), youth_model.consent_withdrawn_at.is_(None),
        youth_model.archived_at.is_(None)).order_by(youth_model.id).limit(limit)))


def past_events(today: date) -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.held_on <= today).order_by(Event.held_on)))


def _youth_model():
    # The young person's model belongs to the youth capability, a peer of this one: it is reached through
    # the mapping of EventYouth.youth rather than imported (imports go one way, DESIGN.md §2).
    return EventYouth.youth.property.mapper.class_


def participant_counts(event_ids: list[int]) -> dict[int, int]:
    if not event_ids:
        return {}
    return dict(db.session.execute(select(EventParticipant.event_id, func.count()).where(
        EventParticipant.event_id.in_(event_ids)).group_by(EventParticipant.event_id)).all())


def saved_filters(user, scope: str) -> list[SavedFilter]:
    return list(db.session.scalars(select(SavedFilter).where(SavedFilter.user_id == user.id,
                                                             SavedFilter.scope == scope)
                                   .order_by(SavedFilter.name)))


def saved_filter_for(user, filter_id: int) -> SavedFilter | None:
    return db.session.scalar(select(SavedFilter).where(SavedFilter.id == filter_id, SavedFilter.user_id == user.id))
