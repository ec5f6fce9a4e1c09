"""Companies of the territory and everything the employer-relations team records about them."""

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models import TimestampMixin

STAGES = {
    "a_prospecter": "À prospecter",
    "contactee": "Contactée",
    "rdv": "Rendez-vous",
    "partenaire_actif": "Partenaire actif",
    "en_veille": "En veille",
}

HEADCOUNT_BRACKETS = {
    "0": "0 salarié",
    "1-9": "1 à 9 salariés",
    "10-49": "10 à 49 salariés",
    "50-249": "50 à 249 salariés",
    "250+": "250 salariés et plus",
}


class Company(TimestampMixin, db.Model):
    __tablename__ = "company"

    id: Mapped[int] = mapped_column(primary_key=True)
    siret: Mapped[str | None] = mapped_column(String(14), unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # folded name and SIRET, maintained by services, for accent-free search
    search_text: Mapped[str] = mapped_column(String(600), nullable=False, default="", index=True)
    naf_code: Mapped[str | None] = mapped_column(ForeignKey("naf_code.code"), index=True)
    headcount_bracket: Mapped[str | None] = mapped_column(String(10))
    address: Mapped[str | None] = mapped_column(String(300))
    postal_code: Mapped[str | None] = mapped_column(String(5))
    commune_code: Mapped[str | None] = mapped_column(ForeignKey("commune.insee_code"), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)  # public profile, kept by the employer
    stage: Mapped[str] = mapped_column(String(40), nullable=False, default="a_prospecter", index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    in_tension: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    accepts_pmsmp: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    accepts_apprentices: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    source: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)  # internal, never shown to the employer
    archived_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    commune = relationship("Commune", lazy="joined", innerjoin=False)
    naf = relationship("NafCode")
    owner = relationship("User", foreign_keys=[owner_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def stage_label(self) -> str:
        return STAGES.get(self.stage, self.stage)

    def __repr__(self) -> str:
        return f"<Company {self.name}>"
