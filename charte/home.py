"""Home to-dos of the charter: the employer's renewal due, the signatures waiting for validation."""

from flask import url_for

from charte.models import PENDING, TO_RENEW, CharterSignature
from charte.queries import SignatureFilters, filtered_signatures, is_charter_signatory
from portal.access import ADMIN, EMPLOYER
from portal.home.widgets import SOON, WAITING, Row, from_query, todo
from portal.text import date_fr


def renewals_due(user, today):
    """The user's signatures to renew (the staff list's « renouvellement » filter, scoped)."""
    return filtered_signatures(user, SignatureFilters(renouvellement="oui"), today)


def awaiting_validation(user, today):
    """Signatures waiting for the Mission Locale's validation (the staff list's « en attente » filter)."""
    return filtered_signatures(user, SignatureFilters(statut=PENDING), today)


@todo((EMPLOYER,))
def renewal_todo(user, today):
    def row(s: CharterSignature) -> Row:
        detail = ("à renouveler" if s.status == TO_RENEW or not s.renewal_due_on
                  else f"à renouveler avant le {date_fr(s.renewal_due_on)}")
        return Row("Renouveler l'engagement de la charte pour un an",
                   url_for("charte.renew_signature", signature_id=s.id), detail, late=s.status == TO_RENEW)

    signatory = bool(user.company_id) and is_charter_signatory(user.company_id)
    return from_query(renewals_due(user, today), row, key="charte", title="Charte : renouvellement de l'engagement",
                      urgency=SOON, empty="Votre engagement court encore." if signatory else
                      "Rejoignez les entreprises engagées pour la jeunesse du territoire.",
                      empty_link=(("Mon engagement", url_for("charte.my_commitment")) if signatory else
                                  ("Signer la charte", url_for("charte.sign_as_employer"))))


@todo((ADMIN,))
def validation_todo(user, today):
    return from_query(
        awaiting_validation(user, today),
        lambda s: Row(f"{s.company.name} ({s.signatory_name})", url_for("charte.show_signature", signature_id=s.id),
                      f"signée le {date_fr(s.signed_at)}"),
        key="moderation-charte", title="Signatures de la charte à valider", urgency=WAITING,
        link=("Voir les signatures en attente", url_for("charte.list_signatures", statut=PENDING)),
        empty="Aucune signature n'attend de validation.")
