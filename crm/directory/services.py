"""Directory use cases: create, edit, review, publish, archive; they validate, flush and audit."""

import re
from datetime import date
from typing import Any

from crm.directory import queries, rules
from crm.directory.models import REVIEW_PENDING, DirectoryService
from crm.partners import queries as partners
from portal import concurrency
from portal.access import PARTNER, STAFF
from portal.audit.services import record
from portal.errors import DomainError, all_or_none
from portal.extensions import db
from portal.models import utcnow
from portal.notifications.services import queue
from portal.referentials import queries as referentials
from portal.referentials import zones

_URL = re.compile(r"^https?://[^\s/$.?#].[^\s]*$", re.IGNORECASE)
SERVICE_CHANGED = "Ce service a été modifié"


def _codes(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return rules.split_codes(value.replace(",", " "))
    return [v for v in value if v]


def clean_values(values: dict[str, Any]) -> dict[str, Any]:
    """Check a service's fields (form or spreadsheet alike) and return them as stored; raises a
    DomainError naming the field at the first problem."""
    v = {k: (x.strip() if isinstance(x, str) else x) for k, x in values.items()}
    name = v.get("name") or ""
    if not 3 <= len(name) <= 150:
        raise DomainError("Le nom comporte entre 3 et 150 caractères.", field="name")
    if len(v.get("description") or "") < 5:
        raise DomainError("Décrivez le service (5 caractères au moins).", field="description")
    vocabularies = (("thematiques", rules.THEMATIQUES, "Thématique inconnue"),
                    ("publics", rules.PUBLICS, "Public inconnu"),
                    ("reception_modes", rules.RECEPTION_MODES, "Mode d'accueil inconnu"),
                    ("mobilisation_modes", rules.MOBILISATION_MODES, "Mode de mobilisation inconnu"),
                    ("mobilisable_by", rules.MOBILISABLE_BY, "Valeur inconnue"))
    lists = {}
    for key, vocabulary, message in vocabularies:
        codes = _codes(v.get(key))
        unknown = [c for c in codes if c not in vocabulary]
        if unknown:
            raise DomainError(f"{message} : {', '.join(unknown)}.", field=key)
        lists[key] = codes
    if not lists["thematiques"]:
        raise DomainError("Choisissez au moins une thématique.", field="thematiques")
    if not lists["publics"]:
        raise DomainError("Choisissez au moins un public (ou « Tous publics »).", field="publics")
    problem = rules.publics_problem(lists["publics"])
    if problem:
        raise DomainError(problem, field="publics")
    if not lists["reception_modes"]:
        raise DomainError("Indiquez si le service est proposé en présentiel, à distance, ou les deux.",
                          field="reception_modes")
    for key, vocabulary, label in (("service_type", rules.TYPES, "type"), ("fees", rules.FEES, "frais")):
        if v.get(key) and v[key] not in vocabulary:
            raise DomainError(f"Valeur de {label} inconnue : choisissez-la dans la liste.", field=key)
    if isinstance(v.get("zone"), str):
        zone, problems = zones.parse(v["zone"])
        if problems:
            raise DomainError(" ".join(problems[:3]), field="zone")
    else:
        zone = [c.upper() for c in _codes(v.get("zone"))]
    if not zone:
        raise DomainError("Indiquez la zone d'éligibilité : des communes, des intercommunalités ou des "
                          "départements, par leur nom.", field="zone")
    unknown = queries.unknown_zone_codes(zone)
    if unknown:
        raise DomainError(f"Code inconnu dans la zone d'éligibilité : {', '.join(unknown[:5])}. Choisissez les "
                          "communes, intercommunalités ou départements par leur nom.", field="zone")
    commune = v.get("commune_code") or None
    if commune and referentials.get_commune(commune) is None:
        raise DomainError("Commune inconnue : choisissez-la dans la liste proposée.", field="commune_code")
    if rules.ON_SITE in lists["reception_modes"] and not commune:
        raise DomainError("Un service en présentiel indique sa commune.", field="commune_code")
    if v.get("mobilisation_url") and not _URL.match(v["mobilisation_url"]):
        raise DomainError("Adresse web invalide (elle commence par https://).", field="mobilisation_url")
    if (v.get("update_frequency") or "semestrielle") not in rules.UPDATE_FREQUENCIES:
        raise DomainError("Fréquence de mise à jour inconnue.", field="update_frequency")
    return {
        "name": name, "description": v.get("description"),
        "thematiques_codes": rules.join_codes(lists["thematiques"]),
        "publics_codes": rules.join_codes(lists["publics"]),
        "publics_details": v.get("publics_details") or None,
        "access_conditions": v.get("access_conditions") or None,
        "service_type": v.get("service_type") or None, "fees": v.get("fees") or None,
        "fees_details": v.get("fees_details") or None,
        "reception_codes": rules.join_codes(lists["reception_modes"]),
        "zone_codes": rules.join_codes(zone), "address": v.get("address") or None,
        "postal_code": v.get("postal_code") or None, "commune_code": commune,
        "mobilisation_codes": rules.join_codes(lists["mobilisation_modes"]),
        "mobilisable_by_codes": rules.join_codes(lists["mobilisable_by"]),
        "mobilisation_details": v.get("mobilisation_details") or None,
        "mobilisation_url": v.get("mobilisation_url") or None,
        "contact_name": v.get("contact_name") or None, "phone": v.get("phone") or None,
        "email": v.get("email") or None, "opening_hours": v.get("opening_hours") or None,
        "update_frequency": v.get("update_frequency") or "semestrielle",
    }


def _refresh(service: DirectoryService, today: date) -> None:
    service.updated_on = today
    service.stale_on = rules.stale_on(today, service.update_frequency)
    service.stale_notified_on = None


def _owner_for(actor, partner_id: int | None) -> int | None:
    if actor.role == PARTNER:
        return actor.partner_id  # a partner only ever writes its own organisation's services
    return partner_id or None


def create_service(actor, *, partner_id: int | None = None, today: date | None = None,
                   **values: Any) -> DirectoryService:
    """A new service, as a draft, for the actor's organisation (a partner) or any owner (staff)."""
    if actor.role not in STAFF and actor.role != PARTNER:
        raise DomainError("Vous ne pouvez pas créer de service.")
    today = today or date.today()
    cleaned = clean_values(values)
    owner_id = _owner_for(actor, partner_id)
    owner = partners.get_partner(owner_id) if owner_id else None
    if owner_id and owner is None:
        raise DomainError("Structure inconnue.", field="partner_id")
    service = DirectoryService(partner=owner, status="brouillon", created_by_id=actor.id, **cleaned)
    _refresh(service, today)
    db.session.add(service)
    db.session.flush()
    record(actor, "directory.create", service, summary=f"Service créé (brouillon) : {service.name}")
    return service


def current_values(service: DirectoryService) -> dict[str, Any]:
    return {k: getattr(service, k) for k in rules.EDITABLE_FIELDS}


_KEEP = object()


def update_service(actor, service: DirectoryService, *, today: date | None = None, partner_id: Any = _KEEP,
                   version: int | str | None = None, **values: Any) -> str:
    """Apply an edit. Staff changes and draft changes show at once; a partner's substantial change to a
    published service waits for a counsellor's review while the published version keeps showing; a stale
    `version` means someone saved in between. Returns "applied", "pending" or "unchanged"."""
    concurrency.check_version(service, version, SERVICE_CHANGED)
    if service.status == "archive":
        raise DomainError("Un service archivé ne peut plus être modifié.")
    today = today or date.today()
    changes = rules.changed_fields(current_values(service), clean_values(values))
    moved = partner_id is not _KEEP and actor.role in STAFF and (partner_id or None) != service.partner_id
    if moved:  # only staff may move a service to another owner
        service.partner = partners.get_partner(partner_id) if partner_id else None
    if not changes and not moved:
        return "unchanged"
    substantial, practical = rules.split_change(changes)
    reviewed = actor.role == PARTNER and service.status == "publie" and substantial
    applied = practical if reviewed else changes
    for key, value in applied.items():
        setattr(service, key, value)
    outcome = "applied"
    if reviewed:
        service.pending_changes = {**(service.pending_changes or {}), **substantial}
        service.review_state, service.submitted_at, service.review_note = REVIEW_PENDING, utcnow(), None
        _notify_reviewer(service)
        outcome = "pending"
    _refresh(service, today)
    db.session.flush()
    record(actor, "directory.update", service, summary=f"Service modifié : {service.name}"
           + (" (modification à valider)" if reviewed else ""),
           details={"applied": sorted(applied), "pending": sorted(substantial) if reviewed else [],
                    "owner_changed": moved})
    return outcome


def _notify_reviewer(service: DirectoryService) -> None:
    referent = service.partner.referent if service.partner else None
    if referent is not None and referent.active:
        queue(referent.email, f"Annuaire : validation demandée pour « {service.name} »", "directory_review.txt",
              service=service)


def submit_for_review(actor, service: DirectoryService) -> DirectoryService:
    """A partner asks for a draft to be published."""
    if service.status != "brouillon":
        raise DomainError("Seul un brouillon peut être soumis pour publication.")
    if service.awaiting_review:
        raise DomainError("Ce service attend déjà la validation d'un conseiller.")
    service.review_state, service.submitted_at, service.review_note = REVIEW_PENDING, utcnow(), None
    _notify_reviewer(service)
    db.session.flush()
    record(actor, "directory.submit", service, summary=f"Publication demandée : {service.name}")
    return service


def approve(actor, service: DirectoryService, *, today: date | None = None) -> DirectoryService:
    """A counsellor publishes a draft or applies a pending change: it shows in the directory."""
    if actor.role not in STAFF:
        raise DomainError("Seul un conseiller peut valider un service.")
    if service.status == "archive":
        raise DomainError("Un service archivé ne peut pas être publié.")
    if service.status == "publie" and not service.pending_changes:
        raise DomainError("Ce service n'a aucune modification à valider.")
    today = today or date.today()
    applied = sorted(service.pending_changes or {})
    for key, value in (service.pending_changes or {}).items():
        setattr(service, key, value)
    first = service.status == "brouillon"
    service.status = "publie"
    service.published_at = service.published_at or utcnow()
    service.review_state = service.pending_changes = service.review_note = None
    _refresh(service, today)
    db.session.flush()
    record(actor, "directory.publish" if first else "directory.approve_change", service,
           summary=("Service publié : " if first else "Modification validée : ") + service.name,
           details={"fields": applied})
    return service


def approve_many(actor, chosen: list[DirectoryService], *, today: date | None = None) -> None:
    """Validate several services of the moderation queue at once: all of them or none."""
    all_or_none(chosen, lambda service: approve(actor, service, today=today),
                empty="Cochez au moins un service à valider.", refused="Rien n'a été validé.",
                name=lambda service: f"« {service.name} »")


def reject(actor, service: DirectoryService, *, note: str) -> DirectoryService:
    """A counsellor sends a draft or a pending change back, with a reason shown to the owner."""
    if actor.role not in STAFF:
        raise DomainError("Seul un conseiller peut refuser une modification.")
    if not service.awaiting_review:
        raise DomainError("Ce service n'attend pas de validation.")
    note = (note or "").strip()
    if not note:
        raise DomainError("Expliquez au partenaire ce qui doit être corrigé.", field="note")
    service.review_state, service.pending_changes, service.review_note = None, None, note[:500]
    db.session.flush()
    record(actor, "directory.reject", service, summary=f"Validation refusée : {service.name}",
           details={"note": note[:500]})
    return service


def archive(actor, service: DirectoryService) -> DirectoryService:
    """Withdraw a service from the directory (kept for history)."""
    if service.status == "archive":
        raise DomainError("Ce service est déjà archivé.")
    service.status, service.review_state, service.pending_changes = "archive", None, None
    db.session.flush()
    record(actor, "directory.archive", service, summary=f"Service archivé : {service.name}")
    return service


def confirm_up_to_date(actor, service: DirectoryService, *, today: date | None = None) -> DirectoryService:
    """The owner checked the service: it is fresh again without any change to review."""
    if service.status == "archive":
        raise DomainError("Un service archivé ne peut plus être mis à jour.")
    _refresh(service, today or date.today())
    db.session.flush()
    record(actor, "directory.confirm", service, summary=f"Informations confirmées à jour : {service.name}")
    return service
