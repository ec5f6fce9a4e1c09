"""Charter use cases: they check the rules, write, audit, queue e-mails and flush; the view commits.

Other capabilities may call `is_charter_signatory` (charte/queries.py) and the counts there; nothing here
is meant to be called from elsewhere but the reminders job and the demo data.
"""

import secrets
from collections.abc import Iterable
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from charte import queries, rules
from charte.models import (
    ACTIVE,
    PENDING,
    REVIEW_OUTCOMES,
    TO_RENEW,
    WITHDRAWN,
    CharterCommitment,
    CharterReview,
    CharterSignature,
    CharterVersion,
)
from crm.employers import services as employers
from crm.employers.activity import log_interaction
from portal import concurrency
from portal.access import EMPLOYER, STAFF
from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.audit.services import record
from portal.background import public_url
from portal.errors import DomainError
from portal.extensions import db
from portal.links import LinkError, declare
from portal.models import utcnow
from portal.notifications.services import queue

PUBLIC_SIGNER = "signataire de la charte (sans compte)"
SIGNATURE_CHANGED = "Cette signature de la charte a été modifiée"


# --- the charter text ----------------------------------------------------------------------------


def publish_version(actor: User, *, based_on: int | str | None, title: str, preamble: str,
                    commitments: Iterable[tuple[str | None, str]]) -> CharterVersion:
    """Publish a new version of the charter (admin). `based_on` is the number of the version in force when
    the form was opened: when another has been published since (or the number is missing or forged), this
    one is refused with StaleEdit and nothing is written. `commitments` are (code, label) pairs: an existing
    code keeps a reworded commitment the same for filters and records; None makes a new one."""
    previous = queries.current_version()
    if previous is not None:  # with nothing published yet, there is nothing to overwrite
        concurrency.check_version(previous, based_on, rules.published(previous.number), required=True)
    title, preamble = (title or "").strip(), (preamble or "").strip()
    if not title:
        raise DomainError("Information obligatoire.", field="title")
    if not preamble:
        raise DomainError("Information obligatoire.", field="preamble")
    items = rules.commitment_items(commitments, {c.code for c in previous.commitments} if previous else set())
    number = (previous.number + 1) if previous else 1
    version = CharterVersion(number=number, title=title, preamble=preamble, published_by_id=getattr(actor, "id", None))
    version.commitments = [CharterCommitment(code=code, label=label, position=i) for i, (code, label) in
                           enumerate(items)]
    try:
        with db.session.begin_nested():
            db.session.add(version)
    except IntegrityError:
        # Both admins passed the check at the same moment: the other one's version took this number first.
        winner = db.session.scalar(select(CharterVersion).where(CharterVersion.number == number))
        if winner is None:
            raise
        raise concurrency.StaleEdit(concurrency.conflict_message(winner, what=rules.published(number))) from None
    record(actor, "charter.publish", version, summary=f"Publication de la version {version.number} de la charte",
           details={"engagements": [label for _, label in items]})
    return version


def _chosen_commitments(version: CharterVersion, commitment_ids: Iterable[int]) -> list[CharterCommitment]:
    wanted = {int(i) for i in commitment_ids}
    chosen = [c for c in version.commitments if c.id in wanted]
    if not chosen or len(chosen) != len(wanted):
        raise DomainError("Choisissez au moins un engagement de la charte.", field="commitments")
    return chosen


def _version_in_force() -> CharterVersion:
    version = queries.current_version()
    if version is None:
        raise DomainError("La charte n'est pas encore publiée : la signature n'est pas encore ouverte.")
    return version


# --- signing -------------------------------------------------------------------------------------


def _check_signatory(name: str, role: str, accepted: bool) -> tuple[str, str]:
    name, role = " ".join((name or "").split()), " ".join((role or "").split())
    if not name:
        raise DomainError("Information obligatoire.", field="signatory_name")
    if not role:
        raise DomainError("Information obligatoire.", field="signatory_role")
    if not accepted:
        raise DomainError("Cochez cette case pour signer la charte.", field="accepted")
    return name, role


def sign_publicly(*, siret: str, company_name: str, commune_code: str | None, signatory_name: str,
                  signatory_role: str, signatory_email: str, commitment_ids: Iterable[int],
                  public_consent: bool, accepted: bool) -> CharterSignature:
    """A company signs without an account: the company is found by SIRET or created as a prospect, the
    signature waits for the e-mail confirmation, then for a counsellor. A pending signature whose
    address was never confirmed is replaced (nothing duplicated)."""
    version = _version_in_force()
    name, role = _check_signatory(signatory_name, signatory_role, accepted)
    email = accounts.normalise_email(signatory_email)
    if not email:
        raise DomainError("Information obligatoire.", field="signatory_email")
    chosen = _chosen_commitments(version, commitment_ids)
    company = employers.find_or_create_company(None, siret=siret, name=(company_name or "").strip(),
                                               commune_code=commune_code or None,
                                               source="Charte « Je m'engage » (signature en ligne)")
    if company.archived_at is not None:
        raise DomainError("Cette entreprise n'est plus suivie par la Mission Locale : contactez-la pour signer.",
                          field="siret")
    signature = queries.live_signature(company.id)
    if signature is not None:
        conflict = rules.signing_conflict(signature.status, signature.email_confirmed_at is not None)
        if conflict:
            raise DomainError(conflict, field="siret")
    else:
        signature = CharterSignature(company_id=company.id, status=PENDING)
        db.session.add(signature)
    signature.version_id = version.id
    signature.signatory_name, signature.signatory_role, signature.signatory_email = name, role, email
    signature.commitments = chosen
    signature.public_consent = bool(public_consent)
    signature.signed_at = utcnow()
    signature.confirmation_nonce = secrets.token_hex(16)
    db.session.flush()
    _send_confirmation(signature)
    record(None, "charter.sign", signature, actor_label=PUBLIC_SIGNER,
           summary=f"Signature de la charte par {name} ({role}) pour {company.name}, en attente de confirmation",
           details={"engagements": [c.code for c in chosen], "liste_publique": signature.public_consent})
    return signature


def sign_as_employer(actor: User, *, signatory_name: str, signatory_role: str, commitment_ids: Iterable[int],
                     public_consent: bool, accepted: bool, today: date | None = None) -> CharterSignature:
    """A signed-in employer signs for its own company in one step: the account's e-mail is known and
    the company already works with the Mission Locale, so the signature is active at once."""
    if actor.role != EMPLOYER or not actor.company_id:
        raise DomainError("Seul un compte employeur signe pour son entreprise.")
    version = _version_in_force()
    name, role = _check_signatory(signatory_name, signatory_role, accepted)
    chosen = _chosen_commitments(version, commitment_ids)
    existing = queries.live_signature(actor.company_id)
    if existing is not None:
        conflict = rules.signing_conflict(existing.status, existing.email_confirmed_at is not None)
        if conflict:
            raise DomainError(conflict)
        # an unconfirmed public signature is superseded by this one
        existing.status, existing.withdrawn_at = WITHDRAWN, utcnow()
        existing.withdrawn_by_kind, existing.withdrawn_by_id = "entreprise", actor.id
        existing.withdrawal_reason = "Remplacée par la signature faite depuis le compte employeur."
        db.session.flush()
    now = utcnow()
    signature = CharterSignature(company_id=actor.company_id, version_id=version.id, status=PENDING,
                                 signatory_name=name, signatory_role=role, signatory_email=actor.email,
                                 public_consent=bool(public_consent), signed_at=now, email_confirmed_at=now,
                                 signed_by_id=actor.id, employer_user_id=actor.id)
    signature.commitments = chosen
    db.session.add(signature)
    db.session.flush()
    _activate(signature, actor, today or date.today())
    record(actor, "charter.sign", signature, summary=f"Signature de la charte par {name} ({role}) pour "
           f"{signature.company.name}, depuis le compte employeur", details={"engagements": [c.code for c in chosen]})
    log_interaction(None, company=signature.company, kind="courriel", occurred_on=today or date.today(),
                    outcome="positif",
                    summary=f"Signature en ligne de la charte « Je m'engage pour la jeunesse de mon "
                            f"territoire » par {name} ({role}), attestation n° {signature.number}.")
    return signature


def _activate(signature: CharterSignature, actor: User | None, today: date) -> None:
    signature.status = ACTIVE
    signature.validated_at = utcnow()
    signature.validated_by_id = getattr(actor, "id", None)
    signature.number = rules.certificate_number(today.year, signature.id)
    signature.period_start = today
    signature.renewal_due_on = rules.renewal_due_on(today)
    signature.renewal_invited_on = None
    db.session.flush()


# --- confirmation link ---------------------------------------------------------------------------


def confirmation_days() -> int:
    return int(current_app.config.get("CHARTER_CONFIRMATION_MAX_AGE_DAYS", 7))


CONFIRMATION_LINK = declare("charter-confirmation", salt="maillage-charter-confirmation",
                            max_age=lambda: timedelta(days=confirmation_days()), fields={"s": int, "n": str},
                            expired="Ce lien de confirmation a expiré. Signez à nouveau la charte depuis la "
                                    "page publique : un nouveau lien vous sera envoyé.")


def confirmation_token(signature: CharterSignature) -> str:
    """A signed link token naming the signature and its current nonce (so it works once)."""
    return CONFIRMATION_LINK.sign({"s": signature.id, "n": signature.confirmation_nonce})


def _send_confirmation(signature: CharterSignature) -> None:
    link = public_url("charte.confirm_signature", token=confirmation_token(signature))
    queue(signature.signatory_email, "Confirmez votre signature de la charte « Je m'engage »",
          "charter_confirm.txt", topic=f"charter:{signature.id}:confirm:{signature.confirmation_nonce}",
          signature=signature, company=signature.company, link=link, days=confirmation_days())


def confirm_email(token: str) -> CharterSignature:
    """Confirm the signatory's address through the e-mailed link (valid once, for a few days)."""
    data = CONFIRMATION_LINK.read(token)
    signature = db.session.get(CharterSignature, data["s"])
    if signature is None or signature.confirmation_nonce != data["n"] or signature.status != PENDING:
        raise LinkError("Ce lien a déjà été utilisé ou n'est plus valable.")
    signature.email_confirmed_at = utcnow()
    signature.confirmation_nonce = None
    db.session.flush()
    record(None, "charter.confirm_email", signature, actor_label=PUBLIC_SIGNER,
           summary=f"Adresse {signature.signatory_email} confirmée pour la signature de {signature.company.name}")
    return signature


# --- validation by a counsellor ------------------------------------------------------------------


def validate_signature(actor: User, signature: CharterSignature, *, today: date | None = None) -> User | None:
    """Activate a confirmed signature: attestation number, year of commitment, employer account invited
    (or linked when it exists) and an interaction on the company. Returns the employer account linked."""
    if actor.role not in STAFF:
        raise DomainError("Seule la Mission Locale valide une signature.")
    problem = rules.validation_problem(signature.status, signature.email_confirmed_at is not None)
    if problem:
        raise DomainError(problem)
    today = today or date.today()
    _activate(signature, actor, today)
    user = _link_employer_account(actor, signature)
    company = signature.company
    log_interaction(actor, company=company, kind="courriel", occurred_on=today, outcome="positif",
                    summary=f"Signature de la charte « Je m'engage pour la jeunesse de mon territoire » "
                            f"validée : {signature.signatory_name} ({signature.signatory_role}), "
                            f"attestation n° {signature.number}.")
    record(actor, "charter.validate", signature, summary=f"Validation de la signature de la charte de {company.name} "
           f"(attestation n° {signature.number})")
    queue(signature.signatory_email, "Votre engagement pour la jeunesse du territoire est validé",
          "charter_validated.txt", topic=f"charter:{signature.id}:validated", signature=signature, company=company,
          has_account=user is not None and user.has_password)
    return user


def _link_employer_account(actor: User, signature: CharterSignature) -> User | None:
    existing = accounts.find_user_by_email(signature.signatory_email)
    if existing is None:
        user = accounts.invite_user(actor, email=signature.signatory_email, full_name=signature.signatory_name,
                                    role=EMPLOYER, company_id=signature.company_id)
    elif existing.role == EMPLOYER and existing.company_id == signature.company_id:
        user = existing
    else:
        # The address belongs to another company's or the Mission Locale's account: never re-attach it.
        return None
    signature.employer_user_id = user.id
    db.session.flush()
    return user


# --- living commitment ---------------------------------------------------------------------------


def renew_signature(actor: User, signature: CharterSignature, *, commitment_ids: Iterable[int],
                    public_consent: bool, today: date | None = None,
                    version: int | str | None = None) -> CharterSignature:
    """Renew for a year, on the charter in force, once the renewal is open (11 months) or due; a stale
    `version` means someone changed the signature since the form was loaded."""
    concurrency.check_version(signature, version, SIGNATURE_CHANGED)
    today = today or date.today()
    if not rules.renewal_open(signature.status, signature.period_start, today):
        raise DomainError("Le renouvellement s'ouvre onze mois après la signature.")
    version = _version_in_force()
    chosen = _chosen_commitments(version, commitment_ids)
    previous = signature.charter.number
    signature.version_id = version.id
    signature.commitments = chosen
    signature.public_consent = bool(public_consent)
    signature.status = ACTIVE
    signature.renewed_at = utcnow()
    signature.period_start = today
    signature.renewal_due_on = rules.renewal_due_on(today)
    signature.renewal_invited_on = None
    db.session.flush()
    record(actor, "charter.renew", signature, summary=f"Renouvellement de l'engagement de {signature.company.name} "
           f"jusqu'au {signature.renewal_due_on:%d/%m/%Y}",
           details={"version_avant": previous, "version": version.number, "engagements": [c.code for c in chosen]})
    return signature


def record_review(actor: User, signature: CharterSignature, *, reviewed_on: date, outcome: str,
                  summary: str) -> CharterReview:
    """The yearly review of a signatory's commitments, by a counsellor."""
    if signature.status not in (ACTIVE, TO_RENEW):
        raise DomainError("Le bilan annuel se fait pour une signature active ou à renouveler.")
    if not reviewed_on:
        raise DomainError("Information obligatoire.", field="reviewed_on")
    if reviewed_on > date.today():
        raise DomainError("Le bilan se note une fois fait : la date ne peut pas être dans le futur.",
                          field="reviewed_on")
    if signature.validated_at and reviewed_on < signature.validated_at.date():
        raise DomainError("Le bilan ne peut pas précéder la validation de la signature.", field="reviewed_on")
    if outcome not in REVIEW_OUTCOMES:
        raise DomainError("Choisissez le résultat du bilan.", field="outcome")
    summary = (summary or "").strip()
    if not summary:
        raise DomainError("Information obligatoire.", field="summary")
    review = CharterReview(signature_id=signature.id, reviewed_on=reviewed_on, outcome=outcome, summary=summary,
                           reviewer_id=actor.id)
    db.session.add(review)
    db.session.flush()
    record(actor, "charter.review", review, summary=f"Bilan annuel de la charte pour {signature.company.name} : "
           f"{review.outcome_label.lower()}")
    return review


def withdraw_signature(actor: User, signature: CharterSignature, *, reason: str,
                       version: int | str | None = None) -> None:
    """Withdraw a signature, by the company (its employer user) or by the Mission Locale, with a reason; a
    stale `version` means someone changed the signature since the form was loaded."""
    concurrency.check_version(signature, version, SIGNATURE_CHANGED)
    problem = rules.withdrawal_problem(signature.status)
    if problem:
        raise DomainError(problem)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Indiquez le motif du retrait.", field="reason")
    if len(reason) > 2000:
        raise DomainError("2000 caractères au maximum.", field="reason")
    signature.status = WITHDRAWN
    signature.withdrawn_at = utcnow()
    signature.withdrawn_by_id = actor.id
    signature.withdrawn_by_kind = "entreprise" if actor.role == EMPLOYER else "mission_locale"
    signature.withdrawal_reason = reason
    signature.confirmation_nonce = None
    db.session.flush()
    record(actor, "charter.withdraw", signature, summary=f"Retrait de la signature de la charte de "
           f"{signature.company.name} par {signature.withdrawn_by_label}", details={"motif": reason})


def run_renewals(today: date) -> tuple[int, int]:
    """Invite to renew at 11 months (once per year of commitment), mark `a_renouveler` at 12 months.
    Returns (invitations queued, signatures now to renew)."""
    invited = expired = 0
    # a little slack for month ends (31/03 + 11 months = 28/02): the exact dates are checked below
    started_by = rules.add_months(today, -rules.RENEWAL_INVITATION_MONTHS) + timedelta(days=3)
    for signature in queries.active_signatures_started_by(started_by):
        start = signature.period_start
        if today >= rules.renewal_due_on(start):
            signature.status = TO_RENEW
            db.session.flush()
            record(None, "charter.to_renew", signature, actor_label="système",
                   summary=f"Engagement de {signature.company.name} à renouveler (un an sans renouvellement)")
            expired += 1
        elif today >= rules.renewal_invitation_on(start) and signature.renewal_invited_on is None:
            signature.renewal_invited_on = today
            queue(signature.signatory_email, "Renouvelez votre engagement pour la jeunesse du territoire",
                  "charter_renewal.txt", topic=f"charter:{signature.id}:renewal:{start.isoformat()}",
                  signature=signature, company=signature.company)
            db.session.flush()
            invited += 1
    return invited, expired


def pending_signatures_count() -> int:
    """Signatures waiting for the Mission Locale (confirmed e-mail), for the staff home."""
    return db.session.scalar(select(func.count()).select_from(CharterSignature).where(
        CharterSignature.status == PENDING, CharterSignature.email_confirmed_at.is_not(None)))
