"""Companies of the territory and everything the employer-relations team records about them:
contacts, interactions, tasks (the one reminder object of the portal), events, pipeline stages and
saved list filters."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models import TimestampMixin, utcnow

# Default pipeline (DESIGN.md §3); the live list is the `pipeline_stage` table, editable by an admin.
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

INTERACTION_KINDS = {
    "visite": "Visite",
    "appel": "Appel",
    "courriel": "Courriel",
    "rendez_vous": "Rendez-vous",
    "forum": "Forum",
    "job_dating": "Job dating",
    "visite_entreprise": "Visite d'entreprise",
}

TEAM_QUEUE = "equipe"  # the `pour=` value of the tasks list showing the team's queue
TEAM_QUEUE_LABEL = "File de l'équipe"

OUTCOMES = {
    "positif": "Positif",
    "besoin_identifie": "Besoin de recrutement identifié",
    "a_relancer": "À relancer",
    "sans_suite": "Sans suite",
}

EVENT_KINDS = {
    "forum": "Forum",
    "job_dating": "Job dating",
    "visite_entreprise": "Visite d'entreprise",
}

# a young person's attendance at an event: registered beforehand, then seen there or not
ATTENDANCE = {
    "inscrit": "Inscrit·e",
    "present": "Présent·e",
    "absent": "Absent·e",
}
ATTENDANCE_TONES = {"inscrit": "neutral", "present": "success", "absent": "warning"}


class Company(TimestampMixin, db.Model):
    __tablename__ = "company"
    # the list's order: the first page is read from the index, not sorted from every row; the prospection
    # board counts its columns (active companies by stage) from an index alone
    __table_args__ = (Index("ix_company_name_id", "name", "id"), Index("ix_company_archived_stage", "archived_at", "stage"))

    id: Mapped[int] = mapped_column(primary_key=True)
    siret: Mapped[str | None] = mapped_column(String(14), unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # folded name, SIRET and contact names, maintained by services, for accent-free search
    search_text: Mapped[str] = mapped_column(String(600), nullable=False, default="", index=True)
    # folded name alone, for the likely-duplicate warning (same name in the same commune)
    name_key: Mapped[str] = mapped_column(String(200), nullable=False, default="", index=True)
    # the day of its latest exchange (any date, future ones too), derived by portal.search from its interactions
    last_interaction_on: Mapped[date | None] = mapped_column(Date, index=True)
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
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)  # ix_company_archived_stage
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    commune = relationship("Commune", lazy="joined", innerjoin=False)
    naf = relationship("NafCode")
    owner = relationship("User", foreign_keys=[owner_id])
    contacts = relationship("Contact", back_populates="company", order_by="(Contact.is_primary.desc(), Contact.full_name)")

    __mapper_args__ = {"version_id_col": version}

    @property
    def headcount_label(self) -> str:
        return HEADCOUNT_BRACKETS.get(self.headcount_bracket or "", "")

    def __repr__(self) -> str:
        return f"<Company {self.name}>"


# What a person keeps on a company (forms, import, merge): every column but its key and what the system keeps
# (search data, archiving, version, timestamps). A new column is one of them with nothing else to declare.
COMPANY_FIELDS = tuple(column.key for column in Company.__table__.columns if column.key not in (
    "id", "search_text", "name_key", "archived_at", "version", "created_at", "updated_at"))


class Contact(TimestampMixin, db.Model):
    """A person at a company; at most one primary contact per company (enforced by services)."""

    __tablename__ = "company_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), nullable=False, index=True)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    job_title: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    is_primary: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # consent to receive the Mission Locale's communications (newsletters, event invitations)
    communication_consent: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    consent_on: Mapped[date | None] = mapped_column(Date)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    company = relationship(Company, back_populates="contacts")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Contact {self.full_name}>"


class Interaction(db.Model):
    """Something that happened with a company (or a partner organisation): visit, call, forum..."""

    __tablename__ = "interaction"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner_organisation.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("company_contact.id", ondelete="SET NULL"))
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    occurred_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    summary: Mapped[str] = mapped_column(Text, nullable=False)
    outcome: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    company = relationship(Company)
    partner = relationship("PartnerOrganisation")
    contact = relationship(Contact)
    counsellor = relationship("User", foreign_keys=[counsellor_id])
    event = relationship("Event")

    __table_args__ = (Index("ix_interaction_company_date", "company_id", "occurred_on"),)

    @property
    def kind_label(self) -> str:
        return INTERACTION_KINDS.get(self.kind, self.kind)

    @property
    def outcome_label(self) -> str:
        return OUTCOMES.get(self.outcome or "", "")


class Task(TimestampMixin, db.Model):
    """The one reminder object of the portal. `subject_type`/`subject_id` link it to any object
    (Company, Offer, Placement, CheckIn, Convention, PartnerOrganisation...); `company_id` also puts it
    on a company's timeline."""

    __tablename__ = "task"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    # None: in the team's queue, for whoever takes it (a need from a company no counsellor follows...)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # ix_task_assignee_open_due
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    done_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"), index=True)
    interaction_id: Mapped[int | None] = mapped_column(ForeignKey("interaction.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    assignee = relationship("User", foreign_keys=[assignee_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    company = relationship(Company)

    __mapper_args__ = {"version_id_col": version}
    # « my open tasks by due date » (the tasks page and the home) reads one assignee's open tasks in order
    __table_args__ = (Index("ix_task_subject", "subject_type", "subject_id"),
                      Index("ix_task_assignee_open_due", "assignee_id", "done_at", "due_on", "id"))

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def assignee_label(self) -> str:
        return self.assignee.display_name if self.assignee is not None else TEAM_QUEUE_LABEL


class Event(TimestampMixin, db.Model):
    """A forum, job dating or company visit, with the companies taking part."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    held_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    commune_code: Mapped[str | None] = mapped_column(ForeignKey("commune.insee_code"))
    place: Mapped[str | None] = mapped_column(String(300))
    youth_count: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    commune = relationship("Commune")
    organiser = relationship("User", foreign_keys=[organiser_id])
    participants = relationship("EventParticipant", back_populates="event", cascade="all, delete-orphan")
    young_participants = relationship("EventYouth", back_populates="event", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def kind_label(self) -> str:
        return EVENT_KINDS.get(self.kind, self.kind)


class EventParticipant(db.Model):
    """A company taking part in an event (and the interaction this added to its timeline)."""

    __tablename__ = "event_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), nullable=False, index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), nullable=False, index=True)
    interaction_id: Mapped[int | None] = mapped_column(ForeignKey("interaction.id"))

    event = relationship(Event, back_populates="participants")
    company = relationship(Company)

    __table_args__ = (UniqueConstraint("event_id", "company_id"),)


class EventYouth(db.Model):
    """A young person taking part in an event (named, so only with their recorded consent), and whether
    they came. The young person's table belongs to the youth capability: reached by name, not imported."""

    __tablename__ = "event_youth"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), nullable=False, index=True)
    youth_id: Mapped[int] = mapped_column(ForeignKey("youth_profile.id"), nullable=False, index=True)
    attendance: Mapped[str] = mapped_column(String(20), nullable=False, default="inscrit")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    event = relationship(Event, back_populates="young_participants")
    youth = relationship("YouthProfile")

    __table_args__ = (UniqueConstraint("event_id", "youth_id"),)

    @property
    def attendance_label(self) -> str:
        return ATTENDANCE.get(self.attendance, self.attendance)

    @property
    def attendance_tone(self) -> str:
        return ATTENDANCE_TONES.get(self.attendance, "neutral")


class PipelineStage(db.Model):
    """A stage of the prospection pipeline; the list is edited by an admin."""

    __tablename__ = "pipeline_stage"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(100), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class SavedFilter(db.Model):
    """A named set of list filters (a query string) kept by one user for one list."""

    __tablename__ = "saved_filter"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False, index=True)
    scope: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    query: Mapped[str] = mapped_column(String(2000), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "scope", "name"),)
