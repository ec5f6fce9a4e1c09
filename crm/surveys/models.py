"""The yearly satisfaction survey, and one invitation per respondent carrying its answer.

An invitation names a company or a partner organisation, never a person of the Mission Locale's public:
the survey holds no link to any young person, and its free texts are checked for young people's names."""

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.surveys import rules
from portal.extensions import db
from portal.models import TimestampMixin


class Survey(TimestampMixin, db.Model):
    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False, unique=True)
    opens_on: Mapped[date] = mapped_column(Date, nullable=False)
    closes_on: Mapped[date] = mapped_column(Date, nullable=False)
    # the admin's wording of each question (rules.QUESTIONS keys); a missing key keeps the default
    wording: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    launched_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    invitations = relationship("SurveyInvitation", back_populates="survey", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def title(self) -> str:
        return f"Enquête de satisfaction {self.year}"

    @property
    def questions(self) -> dict[str, str]:
        return rules.questions(self.wording)

    def is_open(self, today: date) -> bool:
        return rules.is_open(self.opens_on, self.closes_on, today)


class SurveyInvitation(db.Model):
    """One respondent of a survey (a company or a partner organisation), its link and its answer."""

    __tablename__ = "survey_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner_organisation.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    # changes when the answer is recorded: a used link no longer matches
    nonce: Mapped[str] = mapped_column(String(32), nullable=False)
    sent_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    recommend: Mapped[bool | None] = mapped_column(Boolean)
    improve: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)

    survey = relationship(Survey, back_populates="invitations")
    company = relationship("Company")
    partner = relationship("PartnerOrganisation")

    __table_args__ = (UniqueConstraint("survey_id", "company_id", name="uq_survey_invitation_company"),
                      UniqueConstraint("survey_id", "partner_id", name="uq_survey_invitation_partner"))

    @property
    def respondent_name(self) -> str:
        return self.company.name if self.company_id else self.partner.name

    @property
    def kind_label(self) -> str:
        return rules.KINDS.get(self.kind, self.kind)
