"""Home per role and /healthz."""

from datetime import date

from flask import jsonify, render_template
from flask_login import current_user
from sqlalchemy import func, select, text

from portal.access import ADMIN, COUNSELLOR, EMPLOYER, PARTNER, public
from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.home import bp
from portal.home.widgets import todos_for, widgets_for
from portal.notifications.models import PENDING, OutboxMessage
from portal.referentials.models import TerritoryCommune


@bp.get("/")
@public
def index():
    if not current_user.is_authenticated:
        return render_template("portal/home/landing.html")
    today = date.today()
    todos, done = todos_for(current_user, today)
    context = {"todos": todos, "done": done, "widgets": widgets_for(current_user, today)}
    if current_user.role == ADMIN:
        return _admin_home(context)
    if current_user.role == COUNSELLOR:
        return render_template("portal/home/counsellor.html", **context)
    if current_user.role == EMPLOYER:
        return render_template("portal/home/employer.html", company=current_user.company, **context)
    if current_user.role == PARTNER:
        return render_template("portal/home/partner.html", partner=current_user.partner, **context)
    return render_template("portal/home/landing.html")


def _admin_home(context: dict):
    users_by_role = dict(db.session.execute(
        select(User.role, func.count()).where(User.active.is_(True)).group_by(User.role)).all())
    figures = {
        "users": users_by_role,
        "territory": db.session.scalar(select(func.count()).select_from(TerritoryCommune)),
        "outbox_pending": db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == PENDING)),
    }
    recent = db.session.scalars(select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                                .limit(10)).all()
    return render_template("portal/home/admin.html", figures=figures, recent=recent, **context)


@bp.get("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        return jsonify(status="erreur", database="injoignable"), 503
    return jsonify(status="ok", database="ok")
