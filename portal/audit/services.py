"""Writing the audit log; called by services only, never by views."""

from typing import Any

from flask import has_request_context, request

from portal.audit.models import AuditEvent
from portal.bulk import bulk_insert
from portal.extensions import db
from portal.models import utcnow


def record(
    actor: Any,
    action: str,
    obj: Any = None,
    *,
    summary: str = "",
    details: dict[str, Any] | None = None,
    actor_label: str | None = None,
    object_type: str | None = None,
    object_id: Any = None,
) -> AuditEvent:
    """Add an audit event for `actor` doing `action` on `obj` (flushes, does not commit)."""
    if obj is not None:
        object_type = object_type or type(obj).__name__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        actor_label=actor_label or (getattr(actor, "display_name", None) or "système"),
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        summary=summary[:500],
        details=details,
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    db.session.flush()
    return event


def record_many(actor: Any, action: str, objects: list[tuple[str, Any, str]]) -> None:
    """One event per (object type, object id, summary) of `actor` doing `action`, inserted together: what
    `record` writes for each row of a bulk import, in one statement."""
    if not objects:
        return
    common = {"actor_id": getattr(actor, "id", None), "at": utcnow(), "action": action, "details": None,
              "actor_label": getattr(actor, "display_name", None) or "système",
              "ip_address": request.remote_addr if has_request_context() else None}
    bulk_insert(AuditEvent.__table__, [
        {**common, "object_type": object_type, "object_id": str(object_id), "summary": summary[:500]}
        for object_type, object_id, summary in objects])
