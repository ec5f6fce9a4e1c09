"""Partner and convention use cases: they validate, flush and audit; the view commits."""

import hashlib
import os
import re
import uuid
from datetime import date
from typing import IO, Any

from flask import current_app
from sqlalchemy import select

from crm.partners import rules
from crm.partners.models import (
    CONVENTION_KINDS,
    PARTNER_KINDS,
    Convention,
    ConventionDocument,
    PartnerContact,
    PartnerOrganisation,
)
from portal import concurrency
from portal.audit.services import record
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import clean_siret, siret_problem
from portal.models import utcnow

PARTNER_FIELDS = ("name", "kind", "siret", "address", "postal_code", "commune_code", "phone", "email",
                  "website", "notes", "referent_id")
CONVENTION_FIELDS = ("title", "object", "kind", "start_on", "end_on", "tacit_renewal", "renewal_months",
                     "objectives", "referent_id")
PARTNER_CHANGED = "Cette organisation a été modifiée"
CONVENTION_CHANGED = "Cette convention a été modifiée"


def _check_partner(values: dict, partner_id: int | None = None) -> dict:
    values = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in values.items()}
    if not values.get("name"):
        raise DomainError("Information obligatoire.", field="name")
    if values.get("kind") not in PARTNER_KINDS:
        raise DomainError("Choisissez un type d'organisation dans la liste.", field="kind")
    if values.get("siret"):
        problem = siret_problem(values["siret"])
        if problem:
            raise DomainError(problem, field="siret")
        values["siret"] = clean_siret(values["siret"])
        clash = db.session.scalar(select(PartnerOrganisation).where(PartnerOrganisation.siret == values["siret"],
                                                                    PartnerOrganisation.id != (partner_id or 0)))
        if clash is not None:
            raise DomainError(f"Ce SIRET est déjà celui de l'organisation « {clash.name} ».", field="siret")
    return values


def create_partner(actor, **values: Any) -> PartnerOrganisation:
    """Record a new partner organisation."""
    values = _check_partner({k: values.get(k) for k in PARTNER_FIELDS})
    partner = PartnerOrganisation(**values)
    db.session.add(partner)
    db.session.flush()
    record(actor, "partner.create", partner, summary=f"Organisation partenaire créée : {partner.name}")
    return partner


def update_partner(actor, partner: PartnerOrganisation, *, version: int | str | None = None,
                   **values: Any) -> PartnerOrganisation:
    """Change an organisation's details; a stale `version` means someone saved in between."""
    concurrency.check_version(partner, version, PARTNER_CHANGED)
    values = _check_partner({k: values.get(k) for k in PARTNER_FIELDS}, partner.id)
    changed = [k for k, v in values.items() if getattr(partner, k) != v]
    for key, value in values.items():
        setattr(partner, key, value)
    db.session.flush()
    record(actor, "partner.update", partner, summary=f"Organisation modifiée : {partner.name}",
           details={"fields": changed})
    return partner


def set_partner_archived(actor, partner: PartnerOrganisation, archived: bool) -> PartnerOrganisation:
    """Archive an organisation (kept for history, hidden from lists) or bring it back."""
    partner.archived_at = utcnow() if archived else None
    db.session.flush()
    record(actor, "partner.archive" if archived else "partner.restore", partner,
           summary=("Organisation archivée : " if archived else "Organisation réactivée : ") + partner.name)
    return partner


def add_contact(actor, partner: PartnerOrganisation, *, name: str, job_title: str | None = None,
                email: str | None = None, phone: str | None = None, is_primary: bool = False) -> PartnerContact:
    """Add a contact person to an organisation; a new primary contact replaces the previous one."""
    if not (name or "").strip():
        raise DomainError("Information obligatoire.", field="name")
    if is_primary:
        for other in db.session.scalars(select(PartnerContact).where(PartnerContact.partner_id == partner.id)):
            other.is_primary = False
    contact = PartnerContact(partner_id=partner.id, name=name.strip(), job_title=job_title or None,
                             email=email or None, phone=phone or None, is_primary=is_primary)
    db.session.add(contact)
    db.session.flush()
    record(actor, "partner.contact_add", partner, summary=f"Contact ajouté : {contact.name} ({partner.name})")
    return contact


def remove_contact(actor, contact: PartnerContact) -> None:
    """Delete a contact person."""
    partner = contact.partner
    db.session.delete(contact)
    db.session.flush()
    record(actor, "partner.contact_remove", partner, summary=f"Contact retiré : {contact.name} ({partner.name})")


# --- conventions ------------------------------------------------------------------------------------


def _check_convention(values: dict) -> dict:
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    for key in ("title", "start_on", "end_on"):
        if not values.get(key):
            raise DomainError("Information obligatoire.", field=key)
    if values.get("kind") not in CONVENTION_KINDS:
        raise DomainError("Choisissez un type de convention dans la liste.", field="kind")
    problem = rules.dates_problem(values["start_on"], values["end_on"])
    if problem:
        raise DomainError(problem, field="end_on")
    months = values.get("renewal_months") or 12
    if not 1 <= int(months) <= 60:
        raise DomainError("La durée de reconduction est comprise entre 1 et 60 mois.", field="renewal_months")
    values["renewal_months"] = int(months)
    values["tacit_renewal"] = bool(values.get("tacit_renewal"))
    values["object"] = values.get("object") or ""
    return values


def create_convention(actor, partner: PartnerOrganisation, **values: Any) -> Convention:
    """Record a convention with a partner, as a draft."""
    values = _check_convention({k: values.get(k) for k in CONVENTION_FIELDS})
    convention = Convention(partner_id=partner.id, status="brouillon", **values)
    db.session.add(convention)
    db.session.flush()
    record(actor, "convention.create", convention,
           summary=f"Convention créée : {convention.title} ({partner.name})")
    return convention


def update_convention(actor, convention: Convention, *, version: int | str | None = None,
                      **values: Any) -> Convention:
    """Change a convention that is still a draft or active; a stale `version` means someone saved in between."""
    concurrency.check_version(convention, version, CONVENTION_CHANGED)
    if convention.status in ("expiree", "resiliee"):
        raise DomainError(f"Une convention {convention.status_label.lower()} ne peut plus être modifiée.")
    values = _check_convention({k: values.get(k) for k in CONVENTION_FIELDS})
    changed = [k for k, v in values.items() if getattr(convention, k) != v]
    for key, value in values.items():
        setattr(convention, key, value)
    db.session.flush()
    record(actor, "convention.update", convention, summary=f"Convention modifiée : {convention.title}",
           details={"fields": changed})
    return convention


def change_status(actor, convention: Convention, target: str, *, today: date | None = None) -> Convention:
    """Activate a draft or terminate (résilier) an active convention."""
    today = today or date.today()
    if not rules.can_move(convention.status, target):
        raise DomainError(f"Une convention « {convention.status_label} » ne peut pas passer à cet état.")
    if target == "active" and convention.end_on < today:
        raise DomainError("La date de fin est passée : corrigez-la avant d'activer la convention.", field="end_on")
    previous, convention.status = convention.status, target
    if target == "resiliee":
        convention.ended_on = today
    db.session.flush()
    record(actor, f"convention.{target}", convention, summary=f"Convention « {convention.title} » : "
           f"{previous} → {target}")
    return convention


_UNSAFE = re.compile(r"[^\w.\- ]+")


def attach_document(actor, convention: Convention, *, stream: IO[bytes], filename: str) -> ConventionDocument:
    """Store a signed PDF of a convention, checked by its content (not its name) and size."""
    data = stream.read(rules.MAX_PDF_BYTES + 1)
    problem = rules.pdf_problem(data[:8], data[-2048:], len(data))
    if problem:
        raise DomainError(problem, field="document")
    display = _UNSAFE.sub("_", os.path.basename(filename or "")).strip() or "convention.pdf"
    if not display.lower().endswith(".pdf"):
        display += ".pdf"
    stored = uuid.uuid4().hex + ".pdf"
    folder = os.path.join(current_app.config["UPLOAD_FOLDER"], "conventions")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, stored), "wb") as out:
        out.write(data)
    document = ConventionDocument(convention_id=convention.id, filename=display[-200:], stored_name=stored,
                                  size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                                  uploaded_by_id=getattr(actor, "id", None))
    db.session.add(document)
    db.session.flush()
    record(actor, "convention.document_add", convention,
           summary=f"Document ajouté à « {convention.title} » : {document.filename}")
    return document


def document_path(document: ConventionDocument) -> str:
    """Where a stored document lives on disk."""
    return os.path.join(current_app.config["UPLOAD_FOLDER"], "conventions", document.stored_name)
