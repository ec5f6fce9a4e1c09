"""Demo data of the charter: two versions and about thirty signatories in every state."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from stdnum import luhn

from charte import rules
from charte.models import (
    ACTIVE,
    PENDING,
    TO_RENEW,
    WITHDRAWN,
    CharterCommitment,
    CharterReview,
    CharterSignature,
    CharterVersion,
)
from crm.employers import services as employers
from crm.employers.models import Company
from portal.access import COUNSELLOR
from portal.demo import DemoContext, seeder
from portal.extensions import db

SIGNATORIES = ("Martine Roux", "Didier Chabrol", "Nadia Haddad", "Laurent Faure", "Céline Bost", "Hervé Michel",
               "Amélie Gauthier", "Patrick Vernet", "Sandrine Cohade", "Yannick Brun")
ROLES = ("Gérante", "Directeur", "Responsable des ressources humaines", "Président", "Cheffe d'atelier")
# (status, months since the current year of commitment started, email confirmed, public, reviewed)
PLAN = ([(PENDING, 0, False, True, False)] * 3 + [(PENDING, 0, True, True, False)] * 3
        + [(ACTIVE, m, True, m % 4 != 0, m >= 5) for m in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 11, 2, 6, 9)]
        + [(TO_RENEW, 13, True, True, True)] * 5 + [(WITHDRAWN, 7, True, True, False)] * 4)


def _siret(n: int) -> str:
    """A demo SIRET valid for python-stdnum (SIREN key and SIRET key), prefix 9 as in portal.demo."""
    siren = f"97{n:06d}"
    siren += luhn.calc_check_digit(siren)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0))


def _versions(admin) -> tuple[CharterVersion, CharterVersion]:
    today = date.today()
    old = CharterVersion(number=1, title=rules.DEFAULT_TITLE, preamble=rules.DEFAULT_PREAMBLE,
                         published_at=_at(today - timedelta(days=700)), published_by_id=admin.id)
    old.commitments = [CharterCommitment(code=c, label=label, position=i)
                       for i, (c, label) in enumerate(rules.DEFAULT_COMMITMENTS[:7])]
    current = CharterVersion(number=2, title=rules.DEFAULT_TITLE,
                             preamble=rules.DEFAULT_PREAMBLE + "\n\nVersion 2 : ajout de l'engagement pour un "
                             "recrutement sans discrimination, fondé sur les compétences.",
                             published_at=_at(today - timedelta(days=200)), published_by_id=admin.id)
    current.commitments = [CharterCommitment(code=c, label=label, position=i)
                           for i, (c, label) in enumerate(rules.DEFAULT_COMMITMENTS)]
    db.session.add_all([old, current])
    db.session.flush()
    return old, current


def _companies(ctx: DemoContext, count: int) -> list[Company]:
    found = [ctx.company] + list(db.session.scalars(
        select(Company).where(Company.archived_at.is_(None), Company.id != ctx.company.id)
        .order_by(Company.id).limit(count - 1)))
    n = 0
    while len(found) < count:
        n += 1
        found.append(employers.find_or_create_company(None, siret=_siret(7000 + n), name=f"Atelier du Bassin {n}",
                                                      commune_code="63430", naf_code="25.71Z"))
    return found


@seeder(50)
def seed_charter(ctx: DemoContext) -> None:
    admin, counsellor = ctx.users["admin"], ctx.users[COUNSELLOR]
    old, current = _versions(admin)
    today = date.today()
    # the demo employer's company is an active signatory whose year ends within the month: renewal on its home
    plan = [(ACTIVE, 11, True, True, False)] + PLAN[:29]
    for i, (company, (status, months, confirmed, public, reviewed)) in enumerate(
            zip(_companies(ctx, len(plan)), plan, strict=True)):
        start = rules.add_months(today, -months)
        version = old if start < current.published_at.date() else current
        signature = CharterSignature(
            company_id=company.id, version_id=version.id, status=PENDING, signatory_name=SIGNATORIES[i % 10],
            signatory_role=ROLES[i % 5], signatory_email=f"charte{i + 1}@entreprise-demo.test",
            public_consent=public, signed_at=_at(start - timedelta(days=6)),
            email_confirmed_at=_at(start - timedelta(days=5)) if confirmed else None,
            confirmation_nonce=None if confirmed else f"demo{i:04d}")
        signature.commitments = [c for j, c in enumerate(version.commitments) if (i + j) % 3 != 0]
        if i == 0:
            signature.signatory_name, signature.signatory_role = "Sophie Dumas", "Gérante"
            signature.signatory_email = ctx.users["employer"].email
            signature.employer_user_id = ctx.users["employer"].id
        db.session.add(signature)
        db.session.flush()
        if status != PENDING:
            signature.status = status
            signature.validated_at, signature.validated_by_id = _at(start), counsellor.id
            signature.number = rules.certificate_number(start.year, signature.id)
            signature.period_start, signature.renewal_due_on = start, rules.renewal_due_on(start)
        if months >= 11 and status == ACTIVE:
            signature.renewal_invited_on = rules.renewal_invitation_on(start)
        if status == WITHDRAWN:
            signature.withdrawn_at = _at(start + timedelta(days=90))
            signature.withdrawn_by_kind = "entreprise" if i % 2 else "mission_locale"
            signature.withdrawal_reason = ("Cessation d'activité de l'établissement." if i % 2 else
                                           "Aucun des engagements n'a pu être tenu malgré deux relances.")
        if reviewed:
            db.session.add(CharterReview(signature_id=signature.id, reviewed_on=start + timedelta(days=120),
                                         outcome=("tenus", "partiellement")[i % 2], reviewer_id=counsellor.id,
                                         summary="Deux jeunes accueillis en PMSMP, participation au forum de "
                                                 "l'emploi de Thiers ; une offre en alternance à relancer."))
    db.session.flush()
