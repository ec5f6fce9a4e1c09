"""Partner organisations of the Mission Locale."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models import TimestampMixin

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
