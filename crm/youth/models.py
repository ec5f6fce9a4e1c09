"""Young people's profiles: the minimum a counsellor needs to put someone forward, nothing more.

These are personal data, often of minors: no free-text notes here, consent recorded with its scope
and who recorded it, and archived profiles leave every list.
"""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.youth.rules import (
    CONSENT_SCOPES,
    EDUCATION_LEVELS,
    MOBILITY_MODES,
    PROGRAMMES,
    SEXES,
    display_initial,
    is_minor,
)
from portal.dates import age_on
from portal.extensions import db
from portal.models import TimestampMixin
from portal.referentials.vocabulary import CONTRACT_TYPES


class YouthProfile(TimestampMixin, db.Model):
    __tablename__ = "youth_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100), nullable=False)
    last_name: Mapped[str] = mapped_column(String(100), nullable=False)
    search_text: Mapped[str] = mapped_column(String(400), nullable=False, default="", index=True)
    birth_date: Mapped[date] = mapped_column(Date, nullable=False)
    sex: Mapped[str] = mapped_column(String(20), nullable=False, default="non_renseigne")
    commune_code: Mapped[str] = mapped_column(ForeignKey("commune.insee_code"), nullable=False, index=True)
    # the commune's coordinates, copied by the services so that the matching prefilter reads one indexed table
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    education_level: Mapped[str | None] = mapped_column(String(20))
    has_licence: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    has_vehicle: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    mobility_mode: Mapped[str] = mapped_column(String(20), nullable=False, default="transports")
    max_commute_km: Mapped[int] = mapped_column(Integer, nullable=False, default=15, index=True)
    available_from: Mapped[date | None] = mapped_column(Date)
    wanted_contracts: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    programme: Mapped[str] = mapped_column(String(10), nullable=False, default="aucun")
    qpv: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    zrr: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    referent_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    imilo_id: Mapped[str | None] = mapped_column(String(30), unique=True)
    consent_on: Mapped[date | None] = mapped_column(Date)
    consent_scope: Mapped[str | None] = mapped_column(String(20))
    consent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    consent_withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    commune = relationship("Commune", lazy="joined", innerjoin=True)
    referent = relationship("User", foreign_keys=[referent_id])
    consent_recorded_by = relationship("User", foreign_keys=[consent_recorded_by_id])
    targets = relationship("YouthTarget", order_by="YouthTarget.position", cascade="all, delete-orphan",
                           lazy="selectin", back_populates="youth")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # matching prefilter: a latitude range (bounding box of the largest commute) on active profiles
        Index("ix_youth_profile_latitude_longitude", "latitude", "longitude"),
        # the list's order: the first page is read from the index, not sorted from every row
        Index("ix_youth_profile_name", "last_name", "first_name", "id"),
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def short_name(self) -> str:
        """First name and initial: what an employer sees."""
        return display_initial(self.first_name, self.last_name)

    def age(self, today: date | None = None) -> int:
        return age_on(self.birth_date, today or date.today())

    @property
    def is_minor(self) -> bool:
        return is_minor(self.birth_date, date.today())

    @property
    def has_consent(self) -> bool:
        """Consent to share the profile with employers is recorded and not withdrawn."""
        return self.consent_on is not None and self.consent_withdrawn_at is None

    @property
    def consent_label(self) -> str | None:
        return CONSENT_SCOPES.get(self.consent_scope) if self.consent_scope else None

    @property
    def education_label(self) -> str | None:
        return EDUCATION_LEVELS.get(self.education_level) if self.education_level else None

    @property
    def mobility_label(self) -> str:
        return MOBILITY_MODES.get(self.mobility_mode, self.mobility_mode)

    @property
    def programme_label(self) -> str:
        return PROGRAMMES.get(self.programme, self.programme)

    @property
    def sex_label(self) -> str:
        return SEXES.get(self.sex, self.sex)

    @property
    def wanted_contracts_label(self) -> str:
        return ", ".join(CONTRACT_TYPES.get(c, c) for c in self.wanted_contracts or [])

    @property
    def rome_codes(self) -> list[str]:
        return [t.rome_code for t in self.targets]

    def __repr__(self) -> str:
        return f"<YouthProfile {self.id}>"


class YouthTarget(db.Model):
    """One of a young person's 1 to 3 target jobs: a ROME code, with the appellation when known."""

    __tablename__ = "youth_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth_profile.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    rome_code: Mapped[str] = mapped_column(ForeignKey("rome_code.code"), nullable=False, index=True)
    # ROME family, denormalised for the matching prefilter (indexed by ix_youth_target_family_youth)
    rome_family: Mapped[str] = mapped_column(String(3), nullable=False)
    appellation_code: Mapped[str | None] = mapped_column(ForeignKey("rome_appellation.code"))

    youth = relationship(YouthProfile, back_populates="targets")
    rome = relationship("RomeCode", lazy="joined")
    appellation = relationship("RomeAppellation", lazy="joined")

    __table_args__ = (
        UniqueConstraint("youth_id", "rome_code", name="uq_youth_target_youth_rome"),
        # the matching prefilter reads a family's targets with what the job criterion needs: an index-only
        # scan on PostgreSQL (the columns are only included elsewhere)
        Index("ix_youth_target_family_youth", "rome_family", "youth_id",
              postgresql_include=["position", "rome_code", "appellation_code"]),
    )

    @property
    def label(self) -> str:
        if self.appellation is not None:
            return self.appellation.label
        return self.rome.label if self.rome is not None else self.rome_code
