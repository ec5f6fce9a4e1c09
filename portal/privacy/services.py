"""Personal data use cases: log every access to a young person's data, export it, erase it (anonymise
where the indicators need the row), and anonymise inactive profiles (retention). Flush, audit, no commit."""

import json
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from flask import current_app, has_request_context, request
from sqlalchemy import delete, insert, or_, select

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.audit.services import record
from portal.dates import add_months
from portal.errors import DomainError
from portal.extensions import db
from portal.models import utcnow
from portal.notifications.models import OutboxMessage
from portal.notifications.services import queue
from portal.privacy import queries
from portal.privacy.export import workbook
from portal.privacy.holders import Found, holders
from portal.xlsx import purge_import_files

ANONYMOUS_FIRST, ANONYMOUS_LAST = "Jeune", "anonymisé"
ERASED_TEXT = "[anonymisé]"
MAX_REASON = 500
DEFAULT_RETENTION_MONTHS = 24
DEFAULT_IMPORT_FILES_DAYS = 30
IMPORT_FILES_PURGE = "privacy.import_files_purge"

# what was looked at, as the access log says it
ACCESS_KINDS = {
    "fiche": "fiche du jeune",
    "export_liste": "export de la liste des jeunes",
    "candidature": "candidature (vue employeur ou conseiller)",
    "pmsmp": "convention PMSMP",
    "pdf_convention": "convention PMSMP (PDF téléchargé)",
    "pdf_bilan": "bilan PMSMP (PDF téléchargé)",
    "embauche": "embauche et points de suivi",
    "export_suivis": "export de la liste des suivis",
    "export_embauches": "export de la liste des embauches",
    "export_rgpd": "export de toutes ses données (droit d'accès)",
    "dpo": "page du DPO",
}


def _access_summary(youth_id, what: str) -> str:
    return f"Consultation : {ACCESS_KINDS.get(what, what)} (jeune n° {youth_id})"


def log_access(actor, youth, what: str) -> None:
    """Record that `actor` viewed or exported a young person's data (`youth`: a profile or its id).
    The entry names the profile by its id only: the log never copies the data itself."""
    youth_id = getattr(youth, "id", youth)
    record(actor, "privacy.access", object_type="YouthProfile", object_id=youth_id,
           summary=_access_summary(youth_id, what), details={"what": what})


def log_list_export(actor, youth_ids: Iterable[int], what: str = "export_liste") -> int:
    """One access entry per young person in an exported list (each id once), in one bulk insert;
    returns how many were written."""
    ids = list(dict.fromkeys(youth_ids))
    if not ids:
        return 0
    at = utcnow()
    actor_id, label = getattr(actor, "id", None), getattr(actor, "display_name", None) or "système"
    ip = request.remote_addr if has_request_context() else None
    db.session.execute(insert(AuditEvent), [
        {"at": at, "actor_id": actor_id, "actor_label": label, "action": "privacy.access",
         "object_type": "YouthProfile", "object_id": str(youth_id), "summary": _access_summary(youth_id, what),
         "details": {"what": what}, "ip_address": ip} for youth_id in ids])
    return len(ids)


def export_youth(actor, youth) -> bytes:
    """The subject access export: one workbook with every field and every linked record; audited."""
    found = queries.linked(youth)
    content = workbook(found)
    log_access(actor, youth, "export_rgpd")
    return content


# --- erasure -----------------------------------------------------------------------------------------


def _identifiers(found: Found) -> tuple[list[str], set[str]]:
    """(texts naming the young person, e-mail addresses of the young person and their representatives)."""
    names: set[str] = set()
    emails: set[str] = set()
    for holder in holders():
        if holder.identifiers is not None:
            more_names, more_emails = holder.identifiers(found)
            names.update(more_names)
            emails.update(more_emails)
    names.update(emails)
    # longest first, so that "Léa Martin" goes before "Léa M."
    return sorted((n for n in names if n and len(n) > 2), key=len, reverse=True), emails


def scrub(text, names: list[str]):
    """`text` with every text naming the young person replaced."""
    if not text:
        return text
    for name in names:
        text = text.replace(name, ERASED_TEXT)
    return text


def scrub_json(value, names: list[str]):
    """`scrub` inside a JSON value."""
    if not value:
        return value
    return json.loads(scrub(json.dumps(value, ensure_ascii=False), names))


def full_names(names: list[str]) -> list[str]:
    """The texts naming the young person that are full names (searched in free texts across tables)."""
    return [n for n in names if " " in n and "@" not in n and len(n) > 5]


def _erase_messages_and_log(found: Found, names: list[str], emails: set[str]) -> None:
    """Messages sent to the young person or their representatives (personal links) are deleted; the full
    name is removed from other messages and audit summaries; the audit events about them are scrubbed."""
    for event in found.events:
        event.summary = scrub(event.summary, names)
        event.details = scrub_json(event.details, names)
    if emails:
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient.in_(sorted(emails))),
                           execution_options={"synchronize_session": False})
    full = full_names(names)
    if not full:
        return
    for model, column in ((OutboxMessage, "body"), (OutboxMessage, "subject"), (AuditEvent, "summary")):
        attr = getattr(model, column)
        for row in db.session.scalars(select(model).where(or_(*[attr.contains(n) for n in full]))):
            setattr(row, column, scrub(getattr(row, column), names))


def anonymise(actor, youth, *, action: str, reason: str) -> None:
    """Anonymise a profile and what points at it; the rows the indicators count stay (commune, sex,
    programme, QPV/ZRR, birth year, positionings, placements, hires, check-ins)."""
    found = queries.linked(youth)
    names, emails = _identifiers(found)
    youth_id = youth.id
    _erase_messages_and_log(found, names, emails)
    for holder in reversed(holders()):  # the rows pointing at the person first, the profile last
        if holder.erase is not None:
            holder.erase(found, names)
    db.session.flush()
    counts: dict[str, int] = {}
    for holder in holders():
        if holder.counts is not None:
            counts.update(holder.counts(found))
    record(actor, action, youth, summary=f"Jeune n° {youth_id} anonymisé", actor_label=None if actor else "système",
           details={"reason": reason, **counts, "events": len(found.events)})


def erase_youth(actor, youth, *, reason: str) -> None:
    """Erasure on request (article 17): anonymise the young person, with the reason, audited."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Indiquez le motif de l'effacement (par exemple : demande écrite du jeune du 12/11/2026).",
                          field="reason")
    if len(reason) > MAX_REASON:
        raise DomainError(f"Le motif ne doit pas dépasser {MAX_REASON} caractères.", field="reason")
    if queries.is_anonymised(youth):
        raise DomainError("Ce jeune est déjà anonymisé.")
    anonymise(actor, youth, action="privacy.erase", reason=reason)


# --- retention ---------------------------------------------------------------------------------------


def retention_months() -> int:
    """How long a profile may stay without activity (config `YOUTH_RETENTION_MONTHS`, 24 by default)."""
    try:
        months = int(current_app.config.get("YOUTH_RETENTION_MONTHS", DEFAULT_RETENTION_MONTHS))
    except (TypeError, ValueError):
        months = DEFAULT_RETENTION_MONTHS
    return months if months > 0 else DEFAULT_RETENTION_MONTHS


def retention_cutoff(today: date, months: int) -> date:
    """`today` minus `months` months (the last day of a shorter month when needed)."""
    return add_months(today, -months)


def run_retention(today: date) -> dict:
    """Anonymise profiles inactive for the retention time, delete the import files kept past their time
    (`purge_imports`, under `files` in the report); audit both and e-mail the admins one report."""
    months = retention_months()
    cutoff = retention_cutoff(today, months)
    inactive = queries.inactive_youth(cutoff)
    for youth in inactive:
        anonymise(None, youth, action="privacy.retention",
                  reason=f"Aucune activité depuis le {cutoff.strftime('%d/%m/%Y')} ({months} mois)")
    report = {"anonymised": len(inactive), "months": months, "cutoff": cutoff.isoformat(), "on": today.isoformat()}
    record(None, queries.RETENTION_RUN, object_type="YouthProfile", actor_label="système",
           summary=f"Conservation des données : {len(inactive)} profil(s) anonymisé(s), inactifs depuis le "
                   f"{cutoff.strftime('%d/%m/%Y')}", details=report)
    files = purge_imports(today)
    admins = db.session.scalars(select(User).where(User.role == "admin", User.active.is_(True))).all()
    for admin in admins:
        queue(admin.email, "Maillage : rapport de conservation des données des jeunes", "privacy_retention.txt",
              topic=f"privacy-retention:{today.isoformat()}:{admin.id}", count=len(inactive), months=months,
              cutoff=cutoff, today=today, files=files["purged"], files_days=files["days"])
    return {**report, "files": files}


def import_files_days() -> int:
    """How long an uploaded import file is kept after its import ended or was abandoned (config
    `IMPORT_FILES_RETENTION_DAYS`, 30 by default)."""
    try:
        days = int(current_app.config.get("IMPORT_FILES_RETENTION_DAYS", DEFAULT_IMPORT_FILES_DAYS))
    except (TypeError, ValueError):
        days = DEFAULT_IMPORT_FILES_DAYS
    return days if days > 0 else DEFAULT_IMPORT_FILES_DAYS


def purge_imports(today: date) -> dict:
    """Delete the uploaded import files (young people, companies, contacts: personal data) whose import
    ended or was abandoned more than `import_files_days()` days ago; audited when something was deleted."""
    days = import_files_days()
    cutoff = today - timedelta(days=days)
    purged = purge_import_files(datetime.combine(cutoff, time.min).timestamp())
    report = {"purged": purged, "days": days, "cutoff": cutoff.isoformat(), "on": today.isoformat()}
    if purged:
        record(None, IMPORT_FILES_PURGE, actor_label="système", details=report,
               summary=f"Conservation des fichiers d'import : {purged} fichier(s) supprimé(s), sans activité "
                       f"depuis le {cutoff.strftime('%d/%m/%Y')}")
    return report
