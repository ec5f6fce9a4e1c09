"""Recruitment needs and job offers."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.offers.rules import OPEN_STATUSES, STATUS_TONES, STATUSES, SUBMITTED
from portal.extensions import db
from portal.models import TimestampMixin
from portal.referentials.vocabulary import CONTRACT_TYPES, EDUCATION_LEVELS

SOURCES = {
    "employeur": "Compte employeur",
    "conseiller": "Saisie par la Mission Locale",
    "formulaire_public": "Formulaire public",
}


class Offer(TimestampMixin, db.Model):
    __tablename__ = "offer"
    # the list's order (most recently changed first): the first page is read from the index
    __table_args__ = (Index("ix_offer_updated_at_id", "updated_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    search_text: Mapped[str] = mapped_column(String(600), nullable=False, default="")
    appellation_code: Mapped[str] = mapped_column(ForeignKey("rome_appellation.code"), nullable=False)
    rome_code: Mapped[str] = mapped_column(ForeignKey("rome_code.code"), nullable=False, index=True)
    # ROME family (H29 for H2902), denormalised so that matching prefilters on an index
    rome_family: Mapped[str] = mapped_column(String(3), nullable=False, index=True)
    contract_type: Mapped[str] = mapped_column(String(30), nullable=False)
    hours_per_week: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    work_commune_code: Mapped[str] = mapped_column(ForeignKey("commune.insee_code"), nullable=False, index=True)
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    positions: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    requires_licence: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    requires_vehicle: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    education_level: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=SUBMITTED, index=True)
    source: Mapped[str] = mapped_column(String(30), nullable=False, default="employeur")
    # who to write to about this need (an employer account, or the contact of a public submission)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)  # public submissions: e-mail confirmed
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closing_reason: Mapped[str | None] = mapped_column(String(300))
    stale_warned_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    company = relationship("Company", lazy="joined", innerjoin=True)
    appellation = relationship("RomeAppellation", lazy="joined", innerjoin=True)
    work_commune = relationship("Commune", lazy="joined", innerjoin=True)
    created_by = relationship("User", foreign_keys=[created_by_id])
    counsellor = relationship("User", foreign_keys=[counsellor_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.status, "neutral")

    @property
    def contract_label(self) -> str:
        return CONTRACT_TYPES.get(self.contract_type, self.contract_type)

    @property
    def education_label(self) -> str | None:
        return EDUCATION_LEVELS.get(self.education_level) if self.education_level else None

    def __repr__(self) -> str:
        return f"<Offer {self.id} {self.title} {self.status}>"
