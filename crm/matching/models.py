"""Positionings (mises en relation): one young person put forward for one offer, and their history."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.matching.rules import AWAITED, EMPLOYER_REASONS, STATUS_TONES, STATUSES, SUGGESTED
from portal.extensions import db
from portal.models import TimestampMixin, utcnow


class Positioning(TimestampMixin, db.Model):
    __tablename__ = "positioning"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id"), nullable=False, index=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth_profile.id"), nullable=False, index=True)
    score: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # {"total": 82, "criteria": [{"key": "job", "points": 40, "max": 40, "reason": "..."}], ...}
    breakdown: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=SUGGESTED, index=True)
    counsellor_note: Mapped[str | None] = mapped_column(Text)  # shown to the employer once proposed
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    proposed_at: Mapped[datetime | None] = mapped_column(DateTime)
    employer_answer: Mapped[str | None] = mapped_column(String(20))  # rencontrer | ne_pas_retenir
    employer_reason: Mapped[str | None] = mapped_column(String(40))
    employer_answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    interview_on: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    offer = relationship("Offer", lazy="joined", innerjoin=True)
    youth = relationship("YouthProfile", lazy="joined", innerjoin=True)
    created_by = relationship("User", foreign_keys=[created_by_id])
    transitions = relationship("PositioningTransition", order_by="PositioningTransition.id",
                               cascade="all, delete-orphan", back_populates="positioning")

    __table_args__ = (
        UniqueConstraint("offer_id", "youth_id", name="uq_positioning_offer_youth"),
        # indicators count positionings created / proposed in a period
        Index("ix_positioning_created_at", "created_at"),
        Index("ix_positioning_proposed_at", "proposed_at"),
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.status, "neutral")

    @property
    def awaited(self) -> str:
        """What the counsellor has to do next, for a positioning waiting on them (else "")."""
        return AWAITED.get(self.status, "")

    @property
    def awaited_since(self) -> datetime:
        """Since when it waits: the employer's answer, else its last change (when it was kept)."""
        return self.employer_answered_at or self.updated_at

    @property
    def employer_reason_label(self) -> str | None:
        return EMPLOYER_REASONS.get(self.employer_reason) if self.employer_reason else None


class PositioningTransition(db.Model):
    """One step of a positioning: who moved it, when, from which status to which, and why."""

    __tablename__ = "positioning_transition"

    id: Mapped[int] = mapped_column(primary_key=True)
    positioning_id: Mapped[int] = mapped_column(ForeignKey("positioning.id", ondelete="CASCADE"),
                                                nullable=False, index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_label: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)

    positioning = relationship(Positioning, back_populates="transitions")

    @property
    def from_label(self) -> str | None:
        return STATUSES.get(self.from_status) if self.from_status else None

    @property
    def to_label(self) -> str:
        return STATUSES.get(self.to_status, self.to_status)
