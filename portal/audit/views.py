"""The audit log page (admins)."""

from datetime import UTC, datetime, timedelta

from flask import Blueprint, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.access import ADMIN, roles
from portal.accounts.models import User
from portal.audit.labels import OBJECT_TYPES, action_choices
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.forms import DATE_MESSAGE
from portal.pagination import paginate
from portal.text import TIMEZONE, escape_like

bp = Blueprint("audit", __name__)


def _parse_date(value: str, errors: dict, field: str):
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        errors[field] = DATE_MESSAGE
        return None


def _stored(day: datetime) -> datetime:
    """The stored (naive UTC) instant at which a Paris day starts: the person filters on their days."""
    return day.replace(tzinfo=TIMEZONE).astimezone(UTC).replace(tzinfo=None)


@bp.get("/admin/journal")
@roles(ADMIN)
def list_events():
    args = request.args
    filters = {k: args.get(k, "", type=str)[:100] for k in ("qui", "action", "objet", "du", "au")}
    errors: dict[str, str] = {}
    stmt = select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.at.desc(),
                                                                            AuditEvent.id.desc())
    if filters["qui"]:
        who = "%" + escape_like(filters["qui"].strip().lower()) + "%"
        stmt = stmt.outerjoin(User, User.id == AuditEvent.actor_id).where(
            (User.email.ilike(who, escape="\\")) | (AuditEvent.actor_label.ilike(who, escape="\\")))
    if filters["action"]:
        stmt = stmt.where(AuditEvent.action.startswith(filters["action"].strip(), autoescape=True))
    if filters["objet"]:
        stmt = stmt.where(AuditEvent.object_type == filters["objet"].strip())
    start = _parse_date(filters["du"], errors, "du")
    end = _parse_date(filters["au"], errors, "au")
    if start and end and end < start:
        errors["au"] = "La date de fin doit suivre la date de début."
    else:
        if start:
            stmt = stmt.where(AuditEvent.at >= _stored(start))
        if end:
            stmt = stmt.where(AuditEvent.at < _stored(end + timedelta(days=1)))
    page = paginate(stmt, per_page=25)
    actions = db.session.scalars(select(AuditEvent.action).distinct()).all()
    return render_template("portal/audit/list.html", page=page, filters=filters, errors=errors,
                           object_types=sorted(OBJECT_TYPES.items(), key=lambda item: item[1]),
                           actions=action_choices(actions)), (422 if errors else 200)
