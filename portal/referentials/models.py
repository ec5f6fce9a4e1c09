"""Reference data (communes, EPCI, ROME, NAF) and the territory served."""

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db


class Epci(db.Model):
    __tablename__ = "epci"

    siren: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    member_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    search_text: Mapped[str] = mapped_column(String(300), nullable=False, default="")


class Commune(db.Model):
    __tablename__ = "commune"

    insee_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    search_text: Mapped[str] = mapped_column(String(300), nullable=False)
    postal_codes: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    department_code: Mapped[str] = mapped_column(String(3), nullable=False, index=True)
    epci_siren: Mapped[str | None] = mapped_column(ForeignKey("epci.siren"), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    population: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    epci = relationship(Epci, lazy="joined")

    __table_args__ = (
        Index("ix_commune_search_text", "search_text", postgresql_ops={"search_text": "text_pattern_ops"}),
    )

    @property
    def label(self) -> str:
        first_postal = self.postal_codes.split(" ")[0] if self.postal_codes else self.department_code
        return f"{self.name} ({first_postal})"


class TerritoryCommune(db.Model):
    """A commune of the territory served by the Mission Locale."""

    __tablename__ = "territory_commune"

    insee_code: Mapped[str] = mapped_column(ForeignKey("commune.insee_code"), primary_key=True)

    commune = relationship(Commune, lazy="joined")


class RomeCode(db.Model):
    __tablename__ = "rome_code"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    label: Mapped[str] = mapped_column(String(300), nullable=False)
    parent_code: Mapped[str] = mapped_column(String(5), nullable=False, index=True)
    search_text: Mapped[str] = mapped_column(String(400), nullable=False, default="")

    @property
    def family(self) -> str:
        """ROME family: the domain letter and two digits (H29 for H2902)."""
        return self.code[:3]


class RomeAppellation(db.Model):
    __tablename__ = "rome_appellation"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    label: Mapped[str] = mapped_column(String(300), nullable=False)
    label_short: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    rome_code: Mapped[str] = mapped_column(ForeignKey("rome_code.code"), nullable=False, index=True)
    is_main: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    rarely_used: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    search_text: Mapped[str] = mapped_column(String(400), nullable=False, default="")

    rome = relationship(RomeCode, lazy="joined")


class NafSection(db.Model):
    __tablename__ = "naf_section"

    code: Mapped[str] = mapped_column(String(1), primary_key=True)
    label: Mapped[str] = mapped_column(String(300), nullable=False)


class NafCode(db.Model):
    __tablename__ = "naf_code"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    label: Mapped[str] = mapped_column(String(300), nullable=False)
    division_code: Mapped[str] = mapped_column(String(2), nullable=False)
    division_label: Mapped[str] = mapped_column(String(300), nullable=False)
    section_code: Mapped[str] = mapped_column(ForeignKey("naf_section.code"), nullable=False, index=True)
    search_text: Mapped[str] = mapped_column(String(400), nullable=False, default="")

    section = relationship(NafSection, lazy="joined")

    @property
    def display(self) -> str:
        return f"{self.code} – {self.label}"
