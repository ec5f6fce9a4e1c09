"""User accounts."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.access import ROLE_LABELS
from portal.extensions import db
from portal.models import TimestampMixin


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", use_alter=True), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner_organisation.id", use_alter=True), index=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    invited_at: Mapped[datetime | None] = mapped_column(DateTime)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    # Every session carries the value it was opened with (get_id); raising it ends them all at once
    # (logout, new password, deactivation, an admin's « déconnecter partout »).
    session_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    company = relationship("Company", foreign_keys=[company_id])
    partner = relationship("PartnerOrganisation", foreign_keys=[partner_id])

    __mapper_args__ = {"version_id_col": version}

    def get_id(self) -> str:  # Flask-Login: what the session cookie holds
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login: a deactivated account cannot log in
        return self.active

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
