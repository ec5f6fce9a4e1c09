"""Reads about the charter, its signatures and their reviews, scoped to the user; counts for the
indicators capability; the company-list filter `signatory_clause`."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from charte.models import (
    ACTIVE,
    LIVE_STATUSES,
    STATUSES,
    TO_RENEW,
    CharterCommitment,
    CharterReview,
    CharterSignature,
    CharterVersion,
)
from crm.employers.models import Company
from crm.employers.queries import text_condition
from portal.access import EMPLOYER, STAFF
from portal.extensions import db
from portal.referentials.models import Commune, Epci, NafCode, NafSection, TerritoryCommune

# Validated and not withdrawn: the companies the Mission Locale counts as signatories.
SIGNATORY_STATUSES = (ACTIVE, TO_RENEW)
RENEWAL_SOON_DAYS = 31


# --- the charter ---------------------------------------------------------------------------------


def current_version() -> CharterVersion | None:
    """The charter in force (the latest published version), with its commitments."""
    return db.session.scalar(select(CharterVersion).options(selectinload(CharterVersion.commitments))
                             .order_by(CharterVersion.number.desc()).limit(1))


def versions() -> list[CharterVersion]:
    """Every published version, latest first, with how many signatures each holds."""
    return list(db.session.scalars(select(CharterVersion).order_by(CharterVersion.number.desc())))


def signature_counts_by_version() -> dict[int, int]:
    return dict(db.session.execute(select(CharterSignature.version_id, func.count())
                                   .group_by(CharterSignature.version_id)).all())


def commitment_choices() -> list[tuple[str, str]]:
    """(code, label) of every commitment ever published, the latest wording first (staff filter)."""
    rows = db.session.execute(select(CharterCommitment.code, CharterCommitment.label)
                              .join(CharterVersion).order_by(CharterVersion.number.desc(),
                                                             CharterCommitment.position)).all()
    seen: dict[str, str] = {}
    for code, label in rows:
        seen.setdefault(code, label)
    return list(seen.items())


# --- signatures ----------------------------------------------------------------------------------


def signatures_for(user) -> Select:
    """Signatures the user may see: all for staff, its own company's for an employer."""
    stmt = select(CharterSignature)
    if user.role in STAFF:
        return stmt
    if user.role == EMPLOYER and user.company_id:
        return stmt.where(CharterSignature.company_id == user.company_id)
    return stmt.where(False)


def _detail_options():
    return (selectinload(CharterSignature.company), selectinload(CharterSignature.charter),
            selectinload(CharterSignature.commitments),
            selectinload(CharterSignature.reviews).selectinload(CharterReview.reviewer),
            selectinload(CharterSignature.validated_by), selectinload(CharterSignature.employer_user))


def signature_for(user, signature_id: int) -> CharterSignature | None:
    """A signature the user may see, with what its page shows, or None (404)."""
    return db.session.scalar(signatures_for(user).where(CharterSignature.id == signature_id)
                             .options(*_detail_options()))


def live_signature(company_id: int) -> CharterSignature | None:
    """The company's signature that is not withdrawn (at most one), or None."""
    return db.session.scalar(select(CharterSignature).where(CharterSignature.company_id == company_id,
                                                            CharterSignature.status.in_(LIVE_STATUSES)))


def company_signatures(user, company_id: int) -> list[CharterSignature]:
    """A company's signatures the user may see, latest first (the employer's page)."""
    return list(db.session.scalars(signatures_for(user).where(CharterSignature.company_id == company_id)
                                   .options(*_detail_options())
                                   .order_by(CharterSignature.signed_at.desc(), CharterSignature.id.desc())))


def is_charter_signatory(company_id: int) -> bool:
    """True when the company's signature is validated and not withdrawn."""
    return db.session.scalar(select(func.count()).select_from(CharterSignature).where(
        CharterSignature.company_id == company_id, CharterSignature.status.in_(SIGNATORY_STATUSES))) > 0


def signatory_clause():
    """SQL condition on Company: a charter signatory (for the company list filter)."""
    return Company.id.in_(select(CharterSignature.company_id)
                          .where(CharterSignature.status.in_(SIGNATORY_STATUSES)))


# --- public list ---------------------------------------------------------------------------------


def public_signatures(*, commune: str = "", sector: str = "") -> Select:
    """Active signatures whose company consented to be listed, searchable by commune and NAF section."""
    stmt = (select(CharterSignature).join(Company, Company.id == CharterSignature.company_id)
            .where(CharterSignature.status == ACTIVE, CharterSignature.public_consent.is_(True),
                   Company.archived_at.is_(None))
            .options(selectinload(CharterSignature.company).selectinload(Company.naf),
                     selectinload(CharterSignature.commitments)))
    if commune:
        stmt = stmt.where(Company.commune_code == commune)
    if sector:
        stmt = stmt.where(Company.naf_code.in_(select(NafCode.code).where(NafCode.section_code == sector)))
    return stmt.order_by(Company.name, CharterSignature.id)


def public_filter_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Communes and sectors where listed signatories are, for the public search."""
    base = (select(Company).join(CharterSignature, CharterSignature.company_id == Company.id)
            .where(CharterSignature.status == ACTIVE, CharterSignature.public_consent.is_(True),
                   Company.archived_at.is_(None)))
    sub = base.with_only_columns(Company.id).scalar_subquery()
    communes = db.session.execute(select(Commune.insee_code, Commune.name).join(
        Company, Company.commune_code == Commune.insee_code).where(Company.id.in_(sub))
        .distinct().order_by(Commune.name)).all()
    sectors = db.session.execute(select(NafSection.code, NafSection.label)
                                 .join(NafCode, NafCode.section_code == NafSection.code)
                                 .join(Company, Company.naf_code == NafCode.code).where(Company.id.in_(sub))
                                 .distinct().order_by(NafSection.code)).all()
    return [tuple(r) for r in communes], [tuple(r) for r in sectors]


# --- staff list ----------------------------------------------------------------------------------


@dataclass
class SignatureFilters:
    """The staff list's filters, parsed from the query string (French names, as in the URL)."""

    q: str = ""
    statut: str = ""
    engagement: str = ""
    commune: str = ""
    epci: str = ""
    secteur: str = ""
    renouvellement: str = ""  # "oui": a_renouveler, or active with its year ending within a month

    @classmethod
    def from_args(cls, args) -> "SignatureFilters":
        def text(name: str, size: int) -> str:
            return (args.get(name, "", type=str) or "")[:size].strip()

        statut = text("statut", 20)
        return cls(q=text("q", 100), statut=statut if statut in STATUSES else "",
                   engagement=text("engagement", 60), commune=text("commune", 5).upper(),
                   epci=text("epci", 9), secteur=text("secteur", 1).upper(),
                   renouvellement="oui" if text("renouvellement", 3) == "oui" else "")

    def active(self) -> bool:
        return any([self.q, self.statut, self.engagement, self.commune, self.epci, self.secteur,
                    self.renouvellement])


def filtered_signatures(user, filters: SignatureFilters, today: date | None = None) -> Select:
    """The staff list of signatures: scope, filters, company loaded; latest signatures first."""
    today = today or date.today()
    stmt = (signatures_for(user).join(Company, Company.id == CharterSignature.company_id)
            .options(selectinload(CharterSignature.company).selectinload(Company.naf),
                     selectinload(CharterSignature.commitments), selectinload(CharterSignature.charter)))
    if filters.q:
        condition = text_condition(Company.search_text, filters.q)
        if condition is not None:
            stmt = stmt.where(condition)
    if filters.statut:
        stmt = stmt.where(CharterSignature.status == filters.statut)
    if filters.engagement:
        stmt = stmt.where(CharterSignature.commitments.any(CharterCommitment.code == filters.engagement))
    if filters.commune:
        stmt = stmt.where(Company.commune_code == filters.commune)
    if filters.epci:
        stmt = stmt.where(Company.commune_code.in_(select(Commune.insee_code)
                                                   .where(Commune.epci_siren == filters.epci)))
    if filters.secteur:
        stmt = stmt.where(Company.naf_code.in_(select(NafCode.code).where(NafCode.section_code == filters.secteur)))
    if filters.renouvellement:
        soon = today + timedelta(days=RENEWAL_SOON_DAYS)
        stmt = stmt.where((CharterSignature.status == TO_RENEW)
                          | ((CharterSignature.status == ACTIVE) & (CharterSignature.renewal_due_on <= soon)))
    return stmt.order_by(CharterSignature.signed_at.desc(), CharterSignature.id.desc())


def communes_of_signatories() -> list[tuple[str, str]]:
    """Communes where signing companies are, for the staff filter."""
    return [tuple(r) for r in db.session.execute(
        select(Commune.insee_code, Commune.name).join(Company, Company.commune_code == Commune.insee_code)
        .where(Company.id.in_(select(CharterSignature.company_id))).distinct().order_by(Commune.name)).all()]


def epci_of_territory() -> list[tuple[str, str]]:
    return [tuple(r) for r in db.session.execute(
        select(Epci.siren, Epci.name).join(Commune, Commune.epci_siren == Epci.siren)
        .join(TerritoryCommune, TerritoryCommune.insee_code == Commune.insee_code)
        .distinct().order_by(Epci.name)).all()]


def naf_sections() -> list[tuple[str, str]]:
    return [tuple(r) for r in db.session.execute(select(NafSection.code, NafSection.label)
                                                 .order_by(NafSection.code)).all()]


# --- reminders -----------------------------------------------------------------------------------


def active_signatures_started_by(day: date) -> list[CharterSignature]:
    """Active signatures whose current year started on or before `day` (renewal job)."""
    return list(db.session.scalars(select(CharterSignature).where(
        CharterSignature.status == ACTIVE, CharterSignature.period_start <= day)
        .options(selectinload(CharterSignature.company)).order_by(CharterSignature.id)))
