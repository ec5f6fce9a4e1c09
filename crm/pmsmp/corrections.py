"""Corrections of a convention after it was sent: what its history says, and who gets a new link.

A substantive change (dates, hours, place, tasks, parties) clears every signature (`signing.clear_signatures`);
a corrected e-mail or phone of the young person, a legal representative or the tutor keeps them all, the
signature evidence keeping the address used when signing. Only a party whose e-mail changed and who has not
signed yet receives a new link, at the new address; the old link, bound to the old address, stops working.
Like services.py: flush and audit, the caller commits once.
"""

from crm.pmsmp import content, rules, signing
from crm.pmsmp.convention import Signatory, log_line, signatories
from crm.pmsmp.models import Placement
from portal.audit.services import record
from portal.models import utcnow

CORRECTED = ("Votre adresse électronique a été corrigée sur cette convention : voici votre lien personnel. "
             "Le lien reçu auparavant ne fonctionne plus.")


def resend_to_corrected(actor, p: Placement, before: list[Signatory]) -> list[Signatory]:
    """Send their link again to the parties whose e-mail was corrected and who have not signed yet."""
    if p.status not in rules.SIGNING:
        return []
    old = {s.role: s.email.strip().lower() for s in before}
    signed = {s.role for s in p.active_signatures}
    stamp = utcnow().strftime("%Y%m%d%H%M%S%f")
    resent = []
    for who in signatories(p):
        if who.role in signed or old.get(who.role, who.email.strip().lower()) == who.email.strip().lower():
            continue
        signing._queue_sign_link(p, who, reason=CORRECTED, topic=f"correction-{stamp}")  # noqa: SLF001
        resent.append(who)
    if resent:
        record(actor, "pmsmp.resend", p, summary=f"{p.reference} : lien renvoyé à la nouvelle adresse de "
                                                 + ", ".join(w.role_label for w in resent),
               details={"roles": [w.role for w in resent], "reason": "correction"})
    return resent


def log_edit(actor, p: Placement, changes: content.Changes, resent: list[Signatory]) -> None:
    """One line of the convention's history per edit, saying which kind of change it was."""
    if changes.substantive:
        note = (f"Modification de fond ({changes.labels()}) : les signatures sont effacées, chaque signataire "
                "signe à nouveau")
    else:
        note = f"Correction de forme ({changes.labels('cosmetic')}) : les signatures sont conservées"
        if resent:
            note += " ; nouveau lien envoyé à la nouvelle adresse de " + ", ".join(
                f"{w.name} ({w.role_label.lower()})" for w in resent)
    log_line(p, p.status, p.status, actor, None, note)
