"""Pure rules of the charter: no database, no Flask."""

import re
from collections.abc import Iterable
from datetime import date

from charte.models import ACTIVE, PENDING, TO_RENEW, WITHDRAWN
from portal.dates import add_months
from portal.errors import DomainError
from portal.text import fold

# Starting commitments, drawn from the projet associatif (code, label).
DEFAULT_TITLE = "Je m'engage pour la jeunesse de mon territoire"
DEFAULT_PREAMBLE = (
    "Sur le Bassin Thiernois, des jeunes de 16 à 25 ans cherchent leur place dans le monde du travail, et des "
    "employeurs cherchent des personnes à former et à recruter. En signant cette charte, notre entreprise "
    "s'engage aux côtés de la Mission Locale à ouvrir ses portes aux jeunes du territoire, à leur faire "
    "découvrir ses métiers et à les accompagner vers l'emploi.\n\n"
    "Nous choisissons ci-dessous les engagements que nous pouvons tenir. La Mission Locale nous accompagne "
    "pour les mettre en œuvre et fait le point avec nous chaque année."
)
DEFAULT_COMMITMENTS = (
    ("decouvrir_metiers", "Faire découvrir nos métiers aux jeunes (visites, stages, PMSMP)"),
    ("accueillir_pmsmp", "Accueillir des jeunes en PMSMP"),
    ("alternance", "Proposer des contrats en alternance"),
    ("transmettre_offres", "Transmettre nos offres à la Mission Locale"),
    ("forums", "Participer aux forums et job datings"),
    ("parrainer", "Parrainer un jeune"),
    ("securiser_integration",
     "Sécuriser l'intégration des jeunes recrutés (tutorat, suivi post-embauche avec la Mission Locale)"),
    ("recruter_sans_discrimination", "Recruter sans discrimination et sur les compétences"),
)

RENEWAL_INVITATION_MONTHS = 11
COMMITMENT_MONTHS = 12


def renewal_due_on(period_start: date) -> date:
    """The end of a year of commitment: the signature is `a_renouveler` from that day."""
    return add_months(period_start, COMMITMENT_MONTHS)


def renewal_invitation_on(period_start: date) -> date:
    """When the company is invited to renew (after 11 months)."""
    return add_months(period_start, RENEWAL_INVITATION_MONTHS)


def renewal_open(status: str, period_start: date | None, today: date) -> bool:
    """The company may renew once invited (11 months) or once the signature is `a_renouveler`."""
    if status == TO_RENEW:
        return True
    return status == ACTIVE and period_start is not None and today >= renewal_invitation_on(period_start)


def certificate_number(year: int, signature_id: int) -> str:
    """Attestation number: CJ-2026-00042."""
    return f"CJ-{year}-{signature_id:05d}"


def commitment_code(label: str, taken: set[str]) -> str:
    """A stable code for a new commitment, from its label, unique among `taken`."""
    base = re.sub(r"\s+", "_", fold(label))[:50].strip("_") or "engagement"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


def commitment_items(commitments: Iterable[tuple[str | None, str]], known: set[str]) -> list[tuple[str, str]]:
    """The (code, label) pairs of a new version from what the form sent. A code sent back is kept only when it
    is one of the current version's (`known`: the field is hidden, not trusted); anything else is a new
    commitment whose code comes from its label. Empty lines are dropped; DomainError when none is left."""
    items, taken, labels = [], set(), set()
    for code, label in commitments:
        label = " ".join((label or "").split())
        if not label:
            continue
        if len(label) > 300:
            raise DomainError("Chaque engagement tient en 300 caractères au maximum.", field="commitments")
        if label.lower() in labels:
            raise DomainError(f"L'engagement « {label} » figure deux fois.", field="commitments")
        code = code if code in known and code not in taken else commitment_code(label, taken)
        taken.add(code)
        labels.add(label.lower())
        items.append((code, label))
    if not items:
        raise DomainError("La charte doit comporter au moins un engagement.", field="commitments")
    return items


def published(number: int) -> str:
    """The start of the conflict message when version `number` was published since the form was opened."""
    return f"La version {number} de la charte a été publiée"


def signing_conflict(status: str, email_confirmed: bool) -> str | None:
    """Why a new signature is refused for a company whose live signature has `status`; None when the
    pending unconfirmed one may simply be replaced (its link was lost or expired)."""
    if status == PENDING and not email_confirmed:
        return None
    if status == PENDING:
        return ("Une signature de la charte est déjà en attente de validation par la Mission Locale pour cette "
                "entreprise.")
    if status == TO_RENEW:
        return ("Cette entreprise a déjà signé la charte et son engagement est à renouveler : connectez-vous à "
                "votre espace employeur pour le renouveler, ou contactez la Mission Locale.")
    if status == ACTIVE:
        return "Cette entreprise a déjà signé la charte : son engagement est en cours."
    return None


def validation_problem(status: str, email_confirmed: bool) -> str | None:
    """Why a counsellor cannot validate a signature, or None."""
    if status != PENDING:
        return "Seule une signature en attente peut être validée."
    if not email_confirmed:
        return ("Le signataire n'a pas encore confirmé son adresse électronique : la signature ne peut pas être "
                "validée avant.")
    return None


def withdrawal_problem(status: str) -> str | None:
    if status == WITHDRAWN:
        return "Cette signature est déjà retirée."
    return None
