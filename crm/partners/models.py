"""Partner organisations of the Mission Locale, their contacts and conventions."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models import TimestampMixin, utcnow

PARTNER_KINDS = {
    "institution_publique": "Institution publique",
    "emploi_formation": "Emploi et formation",
    "social_associatif": "Social et associatif",
    "sante": "Santé",
    "logement": "Logement",
    "mobilite": "Mobilité",
    "reseau": "Réseau",
}


class PartnerOrganisation(TimestampMixin, db.Model):
    __tablename__ = "partner_organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    search_text: Mapped[str] = mapped_column(String(600), nullable=False, default="", index=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    siret: Mapped[str | None] = mapped_column(String(14), unique=True)
    address: Mapped[str | None] = mapped_column(String(300))
    postal_code: Mapped[str | None] = mapped_column(String(5))
    commune_code: Mapped[str | None] = mapped_column(ForeignKey("commune.insee_code"), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    referent_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    commune = relationship("Commune")
    referent = relationship("User", foreign_keys=[referent_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def kind_label(self) -> str:
        return PARTNER_KINDS.get(self.kind, self.kind)


class PartnerContact(TimestampMixin, db.Model):
    """A person to reach at a partner organisation."""

    __tablename__ = "partner_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner_organisation.id", ondelete="CASCADE"),
                                            nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    job_title: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    is_primary: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    partner = relationship(PartnerOrganisation, backref="contacts")


CONVENTION_KINDS = {
    "partenariat": "Convention de partenariat",
    "cadre": "Convention-cadre",
    "financement": "Convention financière",
    "mise_a_disposition": "Mise à disposition",
    "prestation": "Prestation de service",
}

CONVENTION_STATUSES = {
    "brouillon": "Brouillon",
    "active": "Active",
    "expiree": "Expirée",
    "resiliee": "Résiliée",
}


class Convention(TimestampMixin, db.Model):
    """A convention signed between the Mission Locale and a partner organisation."""

    __tablename__ = "partner_convention"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner_organisation.id"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    object: Mapped[str] = mapped_column(Text, nullable=False, default="")
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    start_on: Mapped[date] = mapped_column(Date, nullable=False)
    end_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    tacit_renewal: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    renewal_months: Mapped[int] = mapped_column(Integer, nullable=False, default=12)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="brouillon", index=True)
    objectives: Mapped[str | None] = mapped_column(Text)
    referent_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    ended_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    partner = relationship(PartnerOrganisation, backref="conventions")
    referent = relationship("User", foreign_keys=[referent_id])
    documents = relationship("ConventionDocument", back_populates="convention",
                             order_by="ConventionDocument.uploaded_at", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def kind_label(self) -> str:
        return CONVENTION_KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return CONVENTION_STATUSES.get(self.status, self.status)


class ConventionDocument(db.Model):
    """A signed PDF of a convention, stored outside static/ under UPLOAD_FOLDER."""

    __tablename__ = "partner_convention_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(ForeignKey("partner_convention.id", ondelete="CASCADE"),
                                               nullable=False, index=True)
    filename: Mapped[str] = mapped_column(String(200), nullable=False)  # as shown, sanitised
    stored_name: Mapped[str] = mapped_column(String(80), nullable=False, unique=True)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    convention = relationship(Convention, back_populates="documents")
    uploaded_by = relationship("User", foreign_keys=[uploaded_by_id])
