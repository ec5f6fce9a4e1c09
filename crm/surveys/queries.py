"""Reads of the satisfaction survey: the surveys (staff), who is asked in a year, and the results."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, and_, func, or_, select

from charte.models import ACTIVE, TO_RENEW, CharterSignature
from crm.employers.models import Company, Contact
from crm.followup.models import Hire
from crm.partners.models import PartnerContact, PartnerOrganisation
from crm.pmsmp import rules as pmsmp_rules
from crm.pmsmp.models import Placement
from crm.surveys import rules
from crm.surveys.models import Survey, SurveyInvitation
from crm.youth.models import YouthProfile
from portal.access import STAFF
from portal.capabilities import installed
from portal.extensions import db


def surveys_for(user) -> Select:
    """The surveys the user may see (staff), most recent year first."""
    stmt = select(Survey).order_by(Survey.year.desc())
    return stmt if user.role in STAFF else stmt.where(False)


def survey_for(user, survey_id: int) -> Survey | None:
    return db.session.scalar(surveys_for(user).where(Survey.id == survey_id))


def survey_of_year(user, year: int) -> Survey | None:
    return db.session.scalar(surveys_for(user).where(Survey.year == year))


def invitation(invitation_id: int) -> SurveyInvitation | None:
    return db.session.get(SurveyInvitation, invitation_id)


# --- who is asked ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Respondent:
    kind: str
    name: str
    email: str | None
    company_id: int | None = None
    partner_id: int | None = None


def respondents(year: int) -> list[Respondent]:
    """Who the survey of `year` asks: charter signatories, companies with a hire or a PMSMP that year, and
    partner organisations; each once (a signatory is asked as a signatory), archived ones left out."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    signatories = dict(db.session.execute(
        select(CharterSignature.company_id, func.max(CharterSignature.signatory_email))
        .where(CharterSignature.status.in_([ACTIVE, TO_RENEW])).group_by(CharterSignature.company_id)).all()
    ) if installed("charte") else {}  # an app without the charter has no signatories to ask
    hired = select(Hire.company_id).where(Hire.start_on.between(start, end))
    placed = select(Placement.company_id).where(Placement.start_date <= end, Placement.end_date >= start,
                                                Placement.status.in_(pmsmp_rules.COUNTED))
    companies = db.session.scalars(select(Company).where(
        Company.archived_at.is_(None),
        or_(Company.id.in_(list(signatories)), Company.id.in_(hired), Company.id.in_(placed)))
        .order_by(Company.name, Company.id)).all()
    contact_emails = _first_emails(select(Contact.company_id, Contact.email).where(
        Contact.company_id.in_([c.id for c in companies]), Contact.email.is_not(None), Contact.archived_at.is_(None))
        .order_by(Contact.is_primary.desc(), Contact.id))
    found = [Respondent(rules.CHARTER if c.id in signatories else rules.ACTIVITY, c.name,
                        signatories.get(c.id) or contact_emails.get(c.id) or c.email, company_id=c.id)
             for c in companies]
    partners = db.session.scalars(select(PartnerOrganisation).where(PartnerOrganisation.archived_at.is_(None))
                                  .order_by(PartnerOrganisation.name, PartnerOrganisation.id)).all()
    partner_emails = _first_emails(select(PartnerContact.partner_id, PartnerContact.email).where(
        PartnerContact.email.is_not(None)).order_by(PartnerContact.is_primary.desc(), PartnerContact.id))
    found += [Respondent(rules.PARTNER, p.name, p.email or partner_emails.get(p.id), partner_id=p.id)
              for p in partners]
    return found


def _first_emails(stmt: Select) -> dict[int, str]:
    emails: dict[int, str] = {}
    for owner_id, email in db.session.execute(stmt):
        emails.setdefault(owner_id, email)
    return emails


def young_people_named_in(text: str) -> list[str]:
    """Young people whose first and last names stand side by side in `text` (see rules.mentioned_names)."""
    candidates = sorted({w for w in rules.words(text) if len(w) >= 2})[:300]
    if not candidates:
        return []
    # search_text is " first last identifier" folded: a young person is a candidate when one of the
    # text's words is one of theirs, then the rule checks first and last names side by side
    rows = db.session.execute(select(YouthProfile.first_name, YouthProfile.last_name).where(
        or_(*[YouthProfile.search_text.like(f"% {w} %") | YouthProfile.search_text.like(f"% {w}")
              for w in candidates]))).all()
    return rules.mentioned_names(text, rows)


def due_reminders(today: date) -> list[SurveyInvitation]:
    """Unanswered invitations of open surveys, sent at least a week ago and never reminded."""
    sent_before = datetime.combine(today - timedelta(days=rules.REMINDER_AFTER_DAYS), time.max)
    return list(db.session.scalars(select(SurveyInvitation).join(Survey).where(
        Survey.opens_on <= today, Survey.closes_on >= today, SurveyInvitation.answered_at.is_(None),
        SurveyInvitation.reminded_at.is_(None), SurveyInvitation.sent_at <= sent_before)
        .order_by(SurveyInvitation.id)))


# --- results --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindResult:
    kind: str
    label: str
    invited: int
    answered: int
    rate: float | None
    average: float | None
    recommend_rate: float | None


@dataclass(frozen=True)
class Comment:
    kind_label: str
    satisfaction: int
    recommend: bool | None
    improve: str | None
    comment: str | None


@dataclass
class Results:
    survey: Survey
    by_kind: list[KindResult]
    total: KindResult
    comments: list[Comment] = field(default_factory=list)  # filled for the direction only
    with_comments: bool = False


def results(survey: Survey, *, with_comments: bool) -> Results:
    """Answer rate, average satisfaction and share recommending, by kind of respondent and overall; the
    free texts only when `with_comments` (the direction)."""
    rows = db.session.execute(select(
        SurveyInvitation.kind, func.count(), func.count(SurveyInvitation.answered_at),
        func.sum(SurveyInvitation.satisfaction), func.count(SurveyInvitation.satisfaction),
        func.count().filter(SurveyInvitation.recommend.is_(True)), func.count(SurveyInvitation.recommend))
        .where(SurveyInvitation.survey_id == survey.id).group_by(SurveyInvitation.kind)).all()
    by_key = {row[0]: row[1:] for row in rows}
    by_kind = [_kind_result(kind, label, by_key.get(kind, (0, 0, 0, 0, 0, 0))) for kind, label in rules.KINDS.items()]
    totals = tuple(sum((row[i] or 0) for row in by_key.values()) for i in range(6))
    result = Results(survey, by_kind, _kind_result("", "Ensemble", totals), with_comments=with_comments)
    if with_comments:
        texts = db.session.execute(select(
            SurveyInvitation.kind, SurveyInvitation.satisfaction, SurveyInvitation.recommend,
            SurveyInvitation.improve, SurveyInvitation.comment).where(
            SurveyInvitation.survey_id == survey.id, SurveyInvitation.answered_at.is_not(None),
            or_(and_(SurveyInvitation.improve.is_not(None), SurveyInvitation.improve != ""),
                and_(SurveyInvitation.comment.is_not(None), SurveyInvitation.comment != "")))
            .order_by(SurveyInvitation.kind, SurveyInvitation.answered_at)).all()
        result.comments = [Comment(rules.KINDS.get(k, k), s, r, i, c) for k, s, r, i, c in texts]
    return result


def _kind_result(kind: str, label: str, values) -> KindResult:
    invited, answered, score_sum, scored, recommending, recommend_answers = (v or 0 for v in values)
    return KindResult(kind, label, invited, answered, rules.rate(answered, invited),
                      score_sum / scored if scored else None, rules.rate(recommending, recommend_answers))
