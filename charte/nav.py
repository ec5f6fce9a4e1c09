"""What the charter registers in the shell and in the company pages: navigation, the company-list
filter, the company timeline and figures, the merge handler, the living-record counters."""

from flask import url_for

import charte.counters  # noqa: F401 - registers the default counters of the living record
from charte import queries
from charte.models import WITHDRAWN
from crm.employers.timeline import (
    Figure,
    TimelineItem,
    register_company_flag,
    register_figures,
    register_merge,
    register_timeline,
)
from portal import navigation
from portal.access import EMPLOYER, STAFF
from portal.audit.services import record
from portal.extensions import db
from portal.models import utcnow

navigation.add("Charte", "charte.list_signatures", STAFF, order=700)
navigation.add("Charte", "charte.my_commitment", (EMPLOYER,), order=700)

register_company_flag("charte", "Signataire de la charte", queries.signatory_clause)


@register_timeline
def _timeline(company, viewer) -> list[TimelineItem]:
    items = []
    for signature in queries.company_signatures(viewer, company.id):
        url = (url_for("charte.show_signature", signature_id=signature.id) if viewer.role in STAFF
               else url_for("charte.my_commitment"))
        items.append(TimelineItem(signature.signed_at.date(), "Charte",
                                  f"Signature de la charte ({signature.status_label.lower()})",
                                  f"{signature.signatory_name}, {signature.signatory_role}", url, signature.status_tone))
        for review in signature.reviews:
            items.append(TimelineItem(review.reviewed_on, "Charte", "Bilan annuel de la charte",
                                      review.outcome_label, url, "info"))
        if signature.withdrawn_at:
            items.append(TimelineItem(signature.withdrawn_at.date(), "Charte", "Retrait de la charte",
                                      signature.withdrawal_reason, url, "danger"))
    return items


@register_figures
def _figures(company) -> list[Figure]:
    signature = queries.live_signature(company.id)
    if signature is None:
        return []
    value = signature.status_label
    if signature.renewal_due_on and signature.status != WITHDRAWN:
        value += f" (jusqu'au {signature.renewal_due_on:%d/%m/%Y})"
    # no link: the figure is shown to the employer too, whose charter page is "mon engagement"
    return [Figure("Charte « Je m'engage »", value)]


@register_merge
def _merge(source, target, actor) -> None:
    """Two live signatures cannot coexist on one company: the merged company's one is withdrawn."""
    mine = queries.live_signature(source.id)
    theirs = queries.live_signature(target.id)
    if mine is None or theirs is None:
        return
    mine.status, mine.withdrawn_at = WITHDRAWN, utcnow()
    mine.withdrawn_by_kind, mine.withdrawn_by_id = "mission_locale", getattr(actor, "id", None)
    mine.withdrawal_reason = f"Fusion de l'entreprise dans {target.name}, qui a sa propre signature."
    db.session.flush()
    record(actor, "charter.withdraw", mine, summary=f"Retrait de la signature de {source.name} (fusion)")
