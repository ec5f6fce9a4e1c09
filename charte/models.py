"""The charter « Je m'engage pour la jeunesse de mon territoire »: its versions, their commitments, the
signatures of companies and the yearly reviews of each signature."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models import TimestampMixin, utcnow

PENDING = "en_attente"
ACTIVE = "active"
TO_RENEW = "a_renouveler"
WITHDRAWN = "retiree"
STATUSES = {
    PENDING: "En attente",
    ACTIVE: "Active",
    TO_RENEW: "À renouveler",
    WITHDRAWN: "Retirée",
}
STATUS_TONES = {PENDING: "warning", ACTIVE: "success", TO_RENEW: "info", WITHDRAWN: "danger"}
LIVE_STATUSES = (PENDING, ACTIVE, TO_RENEW)

WITHDRAWN_BY = {"entreprise": "l'entreprise", "mission_locale": "la Mission Locale"}

REVIEW_OUTCOMES = {
    "tenus": "Engagements tenus",
    "partiellement": "Engagements partiellement tenus",
    "non_tenus": "Engagements non tenus",
}


class CharterVersion(db.Model):
    """One published text of the charter; an admin's edit publishes a new version, older signatures
    stay attached to the version they signed."""

    __tablename__ = "charter_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, nullable=False, unique=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    preamble: Mapped[str] = mapped_column(Text, nullable=False)
    published_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    published_by = relationship("User", foreign_keys=[published_by_id])
    commitments = relationship("CharterCommitment", back_populates="version",
                               order_by="CharterCommitment.position", cascade="all, delete-orphan")

    @property
    def label(self) -> str:
        return f"version {self.number} du {self.published_at:%d/%m/%Y}"

    @property
    def version(self) -> int:
        """What portal.concurrency compares: a version is never edited, publishing is the charter's edit, so
        the « publier » form carries the number of the version in force when it was opened."""
        return self.number


class CharterCommitment(db.Model):
    """A commitment of one version; `code` stays the same across versions so that filters and the
    living record follow a commitment whose wording changed."""

    __tablename__ = "charter_commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("charter_version.id"), nullable=False, index=True)
    code: Mapped[str] = mapped_column(String(60), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    label: Mapped[str] = mapped_column(String(300), nullable=False)

    version = relationship(CharterVersion, back_populates="commitments")

    __table_args__ = (UniqueConstraint("version_id", "code"),)


signature_commitment = Table(
    "charter_signature_commitment",
    db.metadata,
    Column("signature_id", ForeignKey("charter_signature.id", ondelete="CASCADE"), primary_key=True),
    Column("commitment_id", ForeignKey("charter_commitment.id"), primary_key=True),
)


class CharterSignature(TimestampMixin, db.Model):
    """A company's signature: `en_attente` (e-mail to confirm, then a counsellor validates) → `active`
    → `a_renouveler` after a year without renewal; `retiree` by the company or the Mission Locale."""

    __tablename__ = "charter_signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), nullable=False, index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("charter_version.id"), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=PENDING, index=True)
    number: Mapped[str | None] = mapped_column(String(20), unique=True)  # attestation number, at validation
    signatory_name: Mapped[str] = mapped_column(String(200), nullable=False)
    signatory_role: Mapped[str] = mapped_column(String(200), nullable=False)
    signatory_email: Mapped[str] = mapped_column(String(254), nullable=False)
    public_consent: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    signed_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    # single-use confirmation link: the nonce is cleared once the address is confirmed
    confirmation_nonce: Mapped[str | None] = mapped_column(String(40))
    email_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # a signed-in employer
    validated_at: Mapped[datetime | None] = mapped_column(DateTime)
    validated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    employer_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    period_start: Mapped[date | None] = mapped_column(Date)  # start of the current year of commitment
    renewal_due_on: Mapped[date | None] = mapped_column(Date, index=True)
    renewal_invited_on: Mapped[date | None] = mapped_column(Date)
    renewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawn_by_kind: Mapped[str | None] = mapped_column(String(20))
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    company = relationship("Company")
    charter = relationship(CharterVersion)
    commitments = relationship(CharterCommitment, secondary=signature_commitment,
                               order_by=CharterCommitment.position)
    reviews = relationship("CharterReview", back_populates="signature", order_by="CharterReview.reviewed_on.desc()",
                           cascade="all, delete-orphan")
    validated_by = relationship("User", foreign_keys=[validated_by_id])
    employer_user = relationship("User", foreign_keys=[employer_user_id])

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # One live signature per company, whatever two people submit at the same moment.
        Index("uq_charter_signature_live_company", "company_id", unique=True,
              postgresql_where=text("status <> 'retiree'"), sqlite_where=text("status <> 'retiree'")),
    )

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.status, "neutral")

    @property
    def commitment_codes(self) -> set[str]:
        return {c.code for c in self.commitments}

    @property
    def withdrawn_by_label(self) -> str:
        return WITHDRAWN_BY.get(self.withdrawn_by_kind or "", "")


class CharterReview(db.Model):
    """The yearly review of a signature, recorded by a counsellor."""

    __tablename__ = "charter_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    signature_id: Mapped[int] = mapped_column(ForeignKey("charter_signature.id", ondelete="CASCADE"),
                                              nullable=False, index=True)
    reviewed_on: Mapped[date] = mapped_column(Date, nullable=False)
    outcome: Mapped[str] = mapped_column(String(20), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    signature = relationship(CharterSignature, back_populates="reviews")
    reviewer = relationship("User", foreign_keys=[reviewer_id])

    @property
    def outcome_label(self) -> str:
        return REVIEW_OUTCOMES.get(self.outcome, self.outcome)
