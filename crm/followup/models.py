"""Hires (embauches), their post-hire check-ins (suivis), mediation actions and the per-contract
check-in schedule an admin edits."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import false, text

from crm.followup import rules
from portal.extensions import db
from portal.models import TimestampMixin, utcnow

OPEN_CHECK_IN = text("done_at IS NULL AND cancelled_at IS NULL")


class Hire(TimestampMixin, db.Model):
    __tablename__ = "hire"

    id: Mapped[int] = mapped_column(primary_key=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth_profile.id"), nullable=False, index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), nullable=False, index=True)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offer.id"), index=True)
    positioning_id: Mapped[int | None] = mapped_column(ForeignKey("positioning.id"), unique=True)
    # PMSMP convention the hire came from; no foreign key until the placement table has its migration
    placement_id: Mapped[int | None] = mapped_column(Integer, index=True)
    source: Mapped[str] = mapped_column(String(20), nullable=False, default="saisie")
    contract_type: Mapped[str] = mapped_column(String(30), nullable=False, index=True)
    start_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    end_on: Mapped[date | None] = mapped_column(Date)
    trial_end_on: Mapped[date | None] = mapped_column(Date)
    hours_per_week: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    appellation_code: Mapped[str | None] = mapped_column(ForeignKey("rome_appellation.code"))
    job_title: Mapped[str | None] = mapped_column(String(200))
    # counsellor following the hire: the young person's referent when the hire is created
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # rupture (ended_on set only when the contract ended early; a contract reaching end_on is not a rupture)
    ended_on: Mapped[date | None] = mapped_column(Date, index=True)
    rupture_initiative: Mapped[str | None] = mapped_column(String(30))
    rupture_reason: Mapped[str | None] = mapped_column(String(40))
    rupture_note: Mapped[str | None] = mapped_column(Text)
    reopen_positioning: Mapped[bool | None] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    youth = relationship("YouthProfile", lazy="joined", innerjoin=True)
    company = relationship("Company", lazy="joined", innerjoin=True)
    offer = relationship("Offer")
    appellation = relationship("RomeAppellation")
    counsellor = relationship("User", foreign_keys=[counsellor_id])
    check_ins = relationship("CheckIn", back_populates="hire", order_by="CheckIn.due_on",
                             cascade="all, delete-orphan")
    mediations = relationship("MediationAction", back_populates="hire",
                              order_by="(MediationAction.occurred_on.desc(), MediationAction.id.desc())",
                              cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def contract_label(self) -> str:
        return rules.CONTRACT_TYPES.get(self.contract_type, self.contract_type)

    @property
    def job_label(self) -> str:
        if self.job_title:
            return self.job_title
        return self.appellation.label if self.appellation is not None else "Poste non précisé"

    @property
    def source_label(self) -> str:
        return rules.SOURCES.get(self.source, self.source)

    def state(self, today: date | None = None) -> str:
        return rules.hire_state(start_on=self.start_on, end_on=self.end_on, ended_on=self.ended_on,
                                today=today or date.today())

    @property
    def state_label(self) -> str:
        return rules.HIRE_STATES[self.state()]

    @property
    def state_tone(self) -> str:
        return rules.HIRE_STATE_TONES[self.state()]

    @property
    def is_ruptured(self) -> bool:
        return self.ended_on is not None

    @property
    def initiative_label(self) -> str | None:
        return rules.INITIATIVES.get(self.rupture_initiative) if self.rupture_initiative else None

    @property
    def reason_label(self) -> str | None:
        return rules.RUPTURE_REASONS.get(self.rupture_reason) if self.rupture_reason else None

    def __repr__(self) -> str:
        return f"<Hire {self.id}>"


class CheckIn(TimestampMixin, db.Model):
    """One scheduled post-hire check-in, with the counsellor's record and each side's answer."""

    __tablename__ = "check_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    hire_id: Mapped[int] = mapped_column(ForeignKey("hire.id", ondelete="CASCADE"), nullable=False, index=True)
    due_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    label: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    # the counsellor's record
    done_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    channel: Mapped[str | None] = mapped_column(String(20))
    situation: Mapped[str | None] = mapped_column(String(20), index=True)
    summary: Mapped[str | None] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)
    # the employer's answer (personal link or account)
    employer_link_sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    employer_reminded_at: Mapped[datetime | None] = mapped_column(DateTime)
    employer_answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    employer_answered_by: Mapped[str | None] = mapped_column(String(200))
    employer_in_post: Mapped[bool | None] = mapped_column(Boolean)
    employer_satisfaction: Mapped[str | None] = mapped_column(String(20))
    employer_difficulties: Mapped[bool | None] = mapped_column(Boolean)
    employer_comment: Mapped[str | None] = mapped_column(Text)
    # the young person's answer (personal link)
    youth_link_sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    youth_reminded_at: Mapped[datetime | None] = mapped_column(DateTime)
    youth_answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    youth_in_post: Mapped[bool | None] = mapped_column(Boolean)
    youth_satisfaction: Mapped[str | None] = mapped_column(String(20))
    youth_difficulties: Mapped[bool | None] = mapped_column(Boolean)
    youth_comment: Mapped[str | None] = mapped_column(Text)
    # the mediation task opened when trouble was reported on this check-in (one per check-in)
    mediation_task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="SET NULL"))
    # cancelled (kept, with its reason) when the contract ended before it was due
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    # derived (crm/followup/derived.py): trouble reported on this check-in, or another of the hire recorded
    # « difficulté »; the head of « mes suivis »
    needs_attention: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    hire = relationship(Hire, back_populates="check_ins")
    done_by = relationship("User", foreign_keys=[done_by_id])

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_check_in_open", "done_at", "due_on"),)

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def state(self, today: date | None = None) -> str:
        return rules.check_in_state(due_on=self.due_on, done=self.is_done, cancelled=self.is_cancelled,
                                    today=today or date.today())

    @property
    def state_label(self) -> str:
        return rules.CHECK_IN_STATES[self.state()]

    @property
    def state_tone(self) -> str:
        return rules.CHECK_IN_STATE_TONES[self.state()]

    @property
    def situation_label(self) -> str | None:
        return rules.SITUATIONS.get(self.situation) if self.situation else None

    @property
    def situation_tone(self) -> str:
        return rules.SITUATION_TONES.get(self.situation or "", "neutral")

    @property
    def channel_label(self) -> str | None:
        return rules.CHANNELS.get(self.channel) if self.channel else None

    @property
    def trouble_reported(self) -> bool:
        """A side said the young person is no longer in post or that there are difficulties."""
        return (self.situation in ("difficulte", "rupture")
                or self.employer_difficulties is True or self.employer_in_post is False
                or self.youth_difficulties is True or self.youth_in_post is False)

    @property
    def employer_satisfaction_label(self) -> str:
        return rules.SATISFACTION.get(self.employer_satisfaction or "", "")

    @property
    def youth_satisfaction_label(self) -> str:
        return rules.SATISFACTION.get(self.youth_satisfaction or "", "")

    def answered_at(self, side: str) -> datetime | None:
        return self.employer_answered_at if side == rules.EMPLOYER else self.youth_answered_at

    def link_sent_at(self, side: str) -> datetime | None:
        return self.employer_link_sent_at if side == rules.EMPLOYER else self.youth_link_sent_at


# « mes suivis » in its order, open check-ins only: the page's rows are the index's first entries
Index("ix_check_in_queue", CheckIn.needs_attention.desc(), CheckIn.due_on, CheckIn.id,
      postgresql_where=OPEN_CHECK_IN, sqlite_where=OPEN_CHECK_IN)


class CheckInScheduleDefault(db.Model):
    """The check-in offsets (days after the start) for one contract type; edited by an admin."""

    __tablename__ = "check_in_schedule_default"

    contract_type: Mapped[str] = mapped_column(String(30), primary_key=True)
    offsets: Mapped[list[int]] = mapped_column(JSON, nullable=False, default=list)
    include_trial_end: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    @property
    def contract_label(self) -> str:
        return rules.CONTRACT_TYPES.get(self.contract_type, self.contract_type)


class MediationAction(db.Model):
    """Something the Mission Locale did to keep a hire going: a talk, a three-way meeting, a visit..."""

    __tablename__ = "mediation_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    hire_id: Mapped[int] = mapped_column(ForeignKey("hire.id", ondelete="CASCADE"), nullable=False, index=True)
    check_in_id: Mapped[int | None] = mapped_column(ForeignKey("check_in.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    occurred_on: Mapped[date] = mapped_column(Date, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    hire = relationship(Hire, back_populates="mediations")
    actor = relationship("User", foreign_keys=[actor_id])

    @property
    def kind_label(self) -> str:
        return rules.MEDIATION_KINDS.get(self.kind, self.kind)
