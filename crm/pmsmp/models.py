"""PMSMP conventions (Placement), their schedule, legal representatives, signatures, status log and
assessment (bilan)."""

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.pmsmp import rules, timetable
from portal.extensions import db
from portal.models import TimestampMixin, utcnow


class Placement(TimestampMixin, db.Model):
    """A PMSMP convention between a young person, a host company and the Mission Locale."""

    __tablename__ = "placement"

    id: Mapped[int] = mapped_column(primary_key=True)
    # parties
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth_profile.id"), nullable=False, index=True)
    youth_email: Mapped[str] = mapped_column(String(254), nullable=False)
    youth_phone: Mapped[str | None] = mapped_column(String(20))
    minor_at_start: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), nullable=False, index=True)
    tutor_name: Mapped[str] = mapped_column(String(200), nullable=False)
    tutor_job: Mapped[str] = mapped_column(String(200), nullable=False)
    tutor_email: Mapped[str] = mapped_column(String(254), nullable=False)
    tutor_phone: Mapped[str | None] = mapped_column(String(20))
    counsellor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False, index=True)
    # purpose and content
    objective: Mapped[str] = mapped_column(String(20), nullable=False)
    appellation_code: Mapped[str] = mapped_column(ForeignKey("rome_appellation.code"), nullable=False)
    activities: Mapped[str] = mapped_column(Text, nullable=False)
    skills: Mapped[str] = mapped_column(Text, nullable=False, default="")
    start_date: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    end_date: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    place_address: Mapped[str] = mapped_column(String(300), nullable=False)
    place_commune_code: Mapped[str] = mapped_column(ForeignKey("commune.insee_code"), nullable=False)
    work_conditions: Mapped[str] = mapped_column(Text, nullable=False, default="")
    protection: Mapped[str] = mapped_column(Text, nullable=False, default="")
    insurer: Mapped[str] = mapped_column(String(200), nullable=False)
    insurance_policy: Mapped[str | None] = mapped_column(String(100))
    accident_declarer: Mapped[str] = mapped_column(String(30), nullable=False, default="prescripteur")
    renewal_of_id: Mapped[int | None] = mapped_column(ForeignKey("placement.id"), index=True)
    renewal_reason: Mapped[str | None] = mapped_column(Text)
    # life cycle
    status: Mapped[str] = mapped_column(String(30), nullable=False, default=rules.DRAFT, index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)  # refusal or cancellation reason
    validated_at: Mapped[datetime | None] = mapped_column(DateTime)
    validated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    validated_hash: Mapped[str | None] = mapped_column(String(64))
    # role -> ISO timestamp of the last signing link sent (resend at most once a day)
    links_sent: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # the young person's and the company's search texts, derived by portal.search (crm/pmsmp/search.py);
    # searched on PostgreSQL through a trigram index (migration 8d3f5a1c7e24)
    search_text: Mapped[str] = mapped_column(String(1001), nullable=False, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    youth = relationship("YouthProfile", lazy="joined", innerjoin=True)
    company = relationship("Company", lazy="joined", innerjoin=True)
    counsellor = relationship("User", foreign_keys=[counsellor_id], lazy="joined", innerjoin=True)
    validated_by = relationship("User", foreign_keys=[validated_by_id])
    appellation = relationship("RomeAppellation", lazy="joined", innerjoin=True)
    place_commune = relationship("Commune", lazy="joined", innerjoin=True)
    renewal_of = relationship("Placement", remote_side=[id], foreign_keys=[renewal_of_id])
    representatives = relationship("PlacementRepresentative", order_by="PlacementRepresentative.rank",
                                   cascade="all, delete-orphan", lazy="selectin", back_populates="placement")
    periods = relationship("PlacementPeriod", order_by="(PlacementPeriod.weekday, PlacementPeriod.starts_at)",
                           cascade="all, delete-orphan", lazy="selectin", back_populates="placement")
    signatures = relationship("PlacementSignature", order_by="PlacementSignature.id", cascade="all, delete-orphan",
                              lazy="selectin", back_populates="placement")
    assessment = relationship("Assessment", uselist=False, cascade="all, delete-orphan", lazy="selectin",
                              back_populates="placement")

    __mapper_args__ = {"version_id_col": version}

    @property
    def reference(self) -> str:
        return f"PMSMP-{self.id:05d}" if self.id else "PMSMP (nouvelle)"

    @property
    def status_label(self) -> str:
        return rules.STATUSES.get(self.status, self.status)

    @property
    def status_tone(self) -> str:
        return rules.STATUS_TONES.get(self.status, "neutral")

    @property
    def objective_label(self) -> str:
        return rules.OBJECTIVES.get(self.objective, self.objective)

    @property
    def accident_declarer_label(self) -> str:
        return rules.ACCIDENT_DECLARERS.get(self.accident_declarer, self.accident_declarer)

    @property
    def schedule(self) -> list[timetable.Period]:
        return [timetable.Period(p.weekday, p.starts_at, p.ends_at) for p in self.periods]

    @property
    def duration_days(self) -> int:
        return rules.days_between(self.start_date, self.end_date)

    @property
    def weekly_hours(self) -> float:
        return timetable.weekly_hours(self.schedule)

    @property
    def planned_hours(self) -> float:
        return timetable.planned_hours(self.start_date, self.end_date, self.schedule)

    @property
    def is_renewal(self) -> bool:
        return self.renewal_of_id is not None

    @property
    def active_signatures(self) -> list["PlacementSignature"]:
        return [s for s in self.signatures if s.cleared_at is None]

    def signature_for(self, role: str) -> "PlacementSignature | None":
        return next((s for s in self.active_signatures if s.role == role), None)

    def __repr__(self) -> str:
        return f"<Placement {self.id} {self.status}>"


class PlacementRepresentative(db.Model):
    """A legal representative of a young person under 18 at the start (one or two)."""

    __tablename__ = "placement_representative"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), nullable=False,
                                              index=True)
    rank: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    link: Mapped[str] = mapped_column(String(50), nullable=False)  # mère, père, tuteur légal...
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    phone: Mapped[str | None] = mapped_column(String(20))

    placement = relationship(Placement, back_populates="representatives")

    __table_args__ = (UniqueConstraint("placement_id", "rank", name="uq_placement_representative_rank"),)

    @property
    def role(self) -> str:
        return rules.LEGAL_REP_1 if self.rank == 1 else rules.LEGAL_REP_2


class PlacementPeriod(db.Model):
    """One period of the weekly schedule: weekday (0 = Monday), start and end time."""

    __tablename__ = "placement_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), nullable=False,
                                              index=True)
    weekday: Mapped[int] = mapped_column(Integer, nullable=False)
    starts_at: Mapped[time] = mapped_column(Time, nullable=False)
    ends_at: Mapped[time] = mapped_column(Time, nullable=False)

    placement = relationship(Placement, back_populates="periods")


class PlacementSignature(db.Model):
    """A signatory's signature, with its evidence; kept (cleared_at set) when a change voids it."""

    __tablename__ = "placement_signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), nullable=False,
                                              index=True)
    role: Mapped[str] = mapped_column(String(30), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    signed_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # signed while logged in
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime)
    cleared_reason: Mapped[str | None] = mapped_column(String(300))

    placement = relationship(Placement, back_populates="signatures")

    @property
    def role_label(self) -> str:
        return rules.SIGNATORY_ROLES.get(self.role, self.role)


class PlacementStatusChange(db.Model):
    """The status log of a convention: who moved it, when, why."""

    __tablename__ = "placement_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), nullable=False,
                                              index=True)
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_label: Mapped[str] = mapped_column(String(200), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)

    @property
    def to_label(self) -> str:
        return rules.STATUSES.get(self.to_status, self.to_status)


class Assessment(db.Model):
    """The bilan of a convention, filled by the tutor (link or account) or a counsellor."""

    __tablename__ = "placement_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), nullable=False,
                                              unique=True)
    outcome: Mapped[str] = mapped_column(String(20), nullable=False)  # ASSESSMENT_OUTCOMES
    last_day: Mapped[date | None] = mapped_column(Date)
    missed_hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    no_show_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_by: Mapped[str | None] = mapped_column(String(30))
    hours_done: Mapped[Decimal] = mapped_column(Numeric(6, 2), nullable=False, default=0)
    skills_observed: Mapped[str] = mapped_column(Text, nullable=False, default="")
    employer_feedback: Mapped[str] = mapped_column(Text, nullable=False, default="")
    ended_with_job: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    contract_type: Mapped[str | None] = mapped_column(String(30))
    job_start_on: Mapped[date | None] = mapped_column(Date)
    job_end_on: Mapped[date | None] = mapped_column(Date)
    youth_agrees: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    youth_comment: Mapped[str | None] = mapped_column(Text)
    filled_by_role: Mapped[str] = mapped_column(String(20), nullable=False)  # tuteur, employeur, conseiller
    filled_by_name: Mapped[str] = mapped_column(String(200), nullable=False)
    filled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    filled_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hire_id: Mapped[int | None] = mapped_column(Integer)  # the follow-up capability's hire, when created

    placement = relationship(Placement, back_populates="assessment")

    @property
    def outcome_label(self) -> str:
        return rules.ASSESSMENT_OUTCOMES.get(self.outcome, self.outcome)

    @property
    def contract_label(self) -> str | None:
        return rules.CONTRACT_TYPES.get(self.contract_type) if self.contract_type else None

    @property
    def cancelled_by_label(self) -> str | None:
        return rules.CANCELLED_BY.get(self.cancelled_by) if self.cancelled_by else None
