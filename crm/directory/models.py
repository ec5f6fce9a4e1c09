"""Services of the partners and of the Mission Locale, described with the data·inclusion schema."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.directory import rules
from portal.extensions import db
from portal.models import TimestampMixin

STATUSES = {"brouillon": "Brouillon", "publie": "Publié", "archive": "Archivé"}
REVIEW_PENDING = "a_valider"


class DirectoryService(TimestampMixin, db.Model):
    """One service of the directory. Multi-valued data·inclusion fields are stored as space-delimited
    codes (" a b ") so that SQLite and PostgreSQL can both filter them with LIKE."""

    __tablename__ = "directory_service"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner_organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(150), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    thematiques_codes: Mapped[str] = mapped_column(String(3000), nullable=False, default="")
    publics_codes: Mapped[str] = mapped_column(String(600), nullable=False, default="")
    publics_details: Mapped[str | None] = mapped_column(String(500))
    access_conditions: Mapped[str | None] = mapped_column(String(500))
    service_type: Mapped[str | None] = mapped_column(String(30))
    fees: Mapped[str | None] = mapped_column(String(20))
    fees_details: Mapped[str | None] = mapped_column(String(500))
    reception_codes: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    zone_codes: Mapped[str] = mapped_column(String(3000), nullable=False, default="")
    address: Mapped[str | None] = mapped_column(String(300))
    postal_code: Mapped[str | None] = mapped_column(String(5))
    commune_code: Mapped[str | None] = mapped_column(ForeignKey("commune.insee_code"), index=True)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    opening_hours: Mapped[str | None] = mapped_column(String(300))
    mobilisation_codes: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    mobilisable_by_codes: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    mobilisation_details: Mapped[str | None] = mapped_column(Text)
    mobilisation_url: Mapped[str | None] = mapped_column(String(300))
    updated_on: Mapped[date] = mapped_column(Date, nullable=False)
    update_frequency: Mapped[str] = mapped_column(String(20), nullable=False, default="semestrielle")
    stale_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="brouillon", index=True)
    # Review by a counsellor: a first publication, then every substantial change of a partner.
    review_state: Mapped[str | None] = mapped_column(String(20), index=True)
    pending_changes: Mapped[dict | None] = mapped_column(JSON)
    review_note: Mapped[str | None] = mapped_column(String(500))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    stale_notified_on: Mapped[date | None] = mapped_column(Date)
    search_text: Mapped[str] = mapped_column(String(3000), nullable=False, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    partner = relationship("PartnerOrganisation")
    commune = relationship("Commune")
    created_by = relationship("User", foreign_keys=[created_by_id])

    __mapper_args__ = {"version_id_col": version}

    # --- the multi-valued fields as lists -------------------------------------------------------

    @property
    def thematiques(self) -> list[str]:
        return rules.split_codes(self.thematiques_codes)

    @property
    def publics(self) -> list[str]:
        return rules.split_codes(self.publics_codes)

    @property
    def reception_modes(self) -> list[str]:
        return rules.split_codes(self.reception_codes)

    @property
    def zone(self) -> list[str]:
        return rules.split_codes(self.zone_codes)

    @property
    def mobilisation_modes(self) -> list[str]:
        return rules.split_codes(self.mobilisation_codes)

    @property
    def mobilisable_by(self) -> list[str]:
        return rules.split_codes(self.mobilisable_by_codes)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def owner_name(self) -> str:
        return self.partner.name if self.partner else "Mission Locale"

    @property
    def awaiting_review(self) -> bool:
        return self.review_state == REVIEW_PENDING

    def is_stale(self, today: date) -> bool:
        return self.status == "publie" and self.stale_on < today
