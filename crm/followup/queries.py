"""Reads about hires and check-ins, always scoped to the user, and the retention figures."""

from datetime import date, timedelta

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from crm.followup import rules
from crm.followup.models import CheckIn, Hire
from portal.access import EMPLOYER, STAFF
from portal.extensions import db
from portal.privacy.queries import anonymised_condition


def hires_for(user) -> Select:
    """Hires the user may see: all for staff, its own company's for an employer, none otherwise."""
    stmt = select(Hire)
    if user.role in STAFF:
        return stmt
    if user.role == EMPLOYER and user.company_id:
        return stmt.where(Hire.company_id == user.company_id)
    return stmt.where(False)


def get_hire_for(user, hire_id: int) -> Hire | None:
    """One hire the user may see, with its check-ins and mediation actions, or None."""
    return db.session.scalar(hires_for(user).where(Hire.id == hire_id).options(
        selectinload(Hire.check_ins).joinedload(CheckIn.done_by), selectinload(Hire.mediations),
        joinedload(Hire.appellation), joinedload(Hire.counsellor)))


def check_ins_for(user) -> Select:
    """Check-ins the user may see (through their hire)."""
    stmt = select(CheckIn).join(CheckIn.hire)
    if user.role in STAFF:
        return stmt
    if user.role == EMPLOYER and user.company_id:
        return stmt.where(Hire.company_id == user.company_id)
    return stmt.where(False)


def get_check_in_for(user, check_in_id: int) -> CheckIn | None:
    return db.session.scalar(check_ins_for(user).where(CheckIn.id == check_in_id)
                             .options(joinedload(CheckIn.hire)))


def trouble_reported():
    """SQL: one side said « plus en poste » or « difficultés » on this check-in."""
    return or_(CheckIn.employer_difficulties.is_(True), CheckIn.employer_in_post.is_(False),
               CheckIn.youth_difficulties.is_(True), CheckIn.youth_in_post.is_(False))


def follow_up_queue(user, *, today: date, mine: bool = True, horizon_days: int = 7) -> Select:
    """« Mes suivis »: open check-ins of running hires due within a week, difficulties first (an answer
    reporting trouble, or another check-in of the hire recorded « difficulté »: the derived `needs_attention`),
    then by due date, so overdue ones first. Read in the order of `ix_check_in_queue`.
    A young person whose profile was anonymised (RGPD erasure) can no longer be followed: left out."""
    stmt = (check_ins_for(user)
            .where(CheckIn.done_at.is_(None), CheckIn.cancelled_at.is_(None), Hire.ended_on.is_(None),
                   CheckIn.due_on <= today + timedelta(days=horizon_days), ~anonymised_condition(Hire.youth_id))
            .options(selectinload(CheckIn.hire))  # loaded for the page's rows only, not joined before LIMIT
            .order_by(CheckIn.needs_attention.desc(), CheckIn.due_on, CheckIn.id))
    if mine:
        stmt = stmt.where(Hire.counsellor_id == user.id)
    return stmt


def hires_with_difficulty(hire_ids: list[int]) -> set[int]:
    """Among these hires, those with a check-in recorded « difficulté » or an answer reporting trouble."""
    if not hire_ids:
        return set()
    return set(db.session.scalars(select(CheckIn.hire_id).distinct().where(
        CheckIn.hire_id.in_(hire_ids), or_(CheckIn.situation == "difficulte", trouble_reported()))))


def list_hires(user, *, state: str | None = None, contract_type: str | None = None, today: date) -> Select:
    """Hires for the list page, most recent first, filtered by state and contract type."""
    stmt = hires_for(user).options(joinedload(Hire.counsellor)).order_by(Hire.start_on.desc(), Hire.id.desc())
    if contract_type in rules.CONTRACT_TYPES:
        stmt = stmt.where(Hire.contract_type == contract_type)
    if state == "rompue":
        stmt = stmt.where(Hire.ended_on.is_not(None))
    elif state == "en_cours":
        stmt = stmt.where(Hire.ended_on.is_(None), Hire.start_on <= today,
                          or_(Hire.end_on.is_(None), Hire.end_on >= today))
    elif state == "terminee":
        stmt = stmt.where(Hire.ended_on.is_(None), Hire.end_on < today)
    elif state == "a_venir":
        stmt = stmt.where(Hire.ended_on.is_(None), Hire.start_on > today)
    return stmt


def employer_check_ins(user, *, today: date) -> Select:
    """An employer's check-ins already due on its company's running hires: unanswered first."""
    return (check_ins_for(user)
            .where(CheckIn.due_on <= today, Hire.ended_on.is_(None))
            .options(selectinload(CheckIn.hire))
            .order_by(CheckIn.employer_answered_at.is_not(None), CheckIn.due_on.desc(), CheckIn.id.desc()))


def hires_of_youth(user, youth_id: int) -> list[Hire]:
    """A young person's hires (for their page), most recent first."""
    return list(db.session.scalars(hires_for(user).where(Hire.youth_id == youth_id)
                                   .options(selectinload(Hire.check_ins))
                                   .order_by(Hire.start_on.desc())))


def hires_of_company(user, company_id: int) -> list[Hire]:
    """A company's hires (for its page), most recent first."""
    return list(db.session.scalars(hires_for(user).where(Hire.company_id == company_id)
                                   .order_by(Hire.start_on.desc())))


def open_links(*, sent_before, side: str) -> list[CheckIn]:
    """Check-ins of running hires whose link for `side` was sent before `sent_before`, never answered
    and never reminded (for the reminders job)."""
    sent = CheckIn.employer_link_sent_at if side == rules.EMPLOYER else CheckIn.youth_link_sent_at
    answered = CheckIn.employer_answered_at if side == rules.EMPLOYER else CheckIn.youth_answered_at
    reminded = CheckIn.employer_reminded_at if side == rules.EMPLOYER else CheckIn.youth_reminded_at
    return list(db.session.scalars(
        select(CheckIn).join(CheckIn.hire)
        .where(sent.is_not(None), sent < sent_before, answered.is_(None), reminded.is_(None),
               Hire.ended_on.is_(None))
        .options(joinedload(CheckIn.hire))))


def due_check_ins(today: date) -> list[CheckIn]:
    """Open check-ins of running hires due today or before (for the reminders job)."""
    return list(db.session.scalars(
        select(CheckIn).join(CheckIn.hire)
        .where(CheckIn.done_at.is_(None), CheckIn.cancelled_at.is_(None), CheckIn.due_on <= today,
               Hire.ended_on.is_(None),
               Hire.counsellor_id.is_not(None))
        .options(joinedload(CheckIn.hire).joinedload(Hire.counsellor))
        .order_by(Hire.counsellor_id, CheckIn.due_on)))


def counts_for_company(company_id: int, today: date) -> dict[str, int]:
    """Hires of a company: total, running and ruptured (key figures of its page)."""
    running = and_(Hire.ended_on.is_(None), Hire.start_on <= today, or_(Hire.end_on.is_(None), Hire.end_on >= today))
    total, current, ruptured = db.session.execute(
        select(func.count(Hire.id), func.count(case((running, 1))), func.count(Hire.ended_on))
        .where(Hire.company_id == company_id)).one()
    return {"total": total, "running": current, "ruptured": ruptured}
