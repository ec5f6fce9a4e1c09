"""« Courriels envoyés »: the outbox as the admins read it. In development every message is readable in full
(links included), so a newcomer follows an invitation or a signing link without any mail server; elsewhere
the page shows who was written to, about what, and what became of it, never a body or a personal link."""

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import func, or_, select

from portal.access import ADMIN, roles
from portal.notifications.models import STATUS_LABELS, OutboxMessage
from portal.pagination import paginate
from portal.text import escape_like

bp = Blueprint("notifications", __name__)
PER_PAGE = 25


@bp.get("/admin/courriels")
@roles(ADMIN)
def list_outbox():
    """The latest messages first, filtered by recipient or subject."""
    term = request.args.get("q", "", type=str).strip()[:100]
    stmt = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if term:
        pattern = f"%{escape_like(term.lower())}%"
        stmt = stmt.where(or_(func.lower(OutboxMessage.recipient).like(pattern, escape="\\"),
                              func.lower(OutboxMessage.subject).like(pattern, escape="\\")))
    page = paginate(stmt, per_page=PER_PAGE)
    return render_template("portal/notifications/outbox.html", page=page, term=term, labels=STATUS_LABELS,
                           show_bodies=bool(current_app.config.get("MAIL_SHOW_BODIES")))
