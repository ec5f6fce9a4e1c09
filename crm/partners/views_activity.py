"""Exchanges and tasks about a partner organisation (blueprint `partners`), as for companies: the
Interaction and Task of crm/employers, through its services."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from crm.employers import services as employers
from crm.employers.activity import log_interaction
from crm.partners import queries
from crm.partners.forms import InteractionForm, TaskForm
from crm.partners.views import bp
from portal.access import STAFF, roles
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import choices_of


def _page(partner_id: int) -> str:
    return url_for(".show_partner", partner_id=partner_id) + "#activite"


@bp.route("/partenaires/<int:partner_id>/echanges/nouveau", methods=["GET", "POST"])
@roles(*STAFF)
def log_partner_interaction(partner_id: int):
    partner = queries.partner_for(current_user, partner_id) or abort(404)
    form = InteractionForm()
    if request.method == "GET":
        form.occurred_on.data = date.today()
        form.kind.data = "rendez_vous"
    if form.validate_on_submit():
        try:
            log_interaction(current_user, partner=partner, kind=form.kind.data,
                            occurred_on=form.occurred_on.data, summary=form.summary.data,
                            outcome=form.outcome.data or None, next_action=form.next_action.data,
                            next_action_on=form.next_action_on.data)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash("L'échange a été enregistré" + (" et la prochaine action ajoutée à vos tâches."
                                                  if form.next_action.data else "."), "success")
            return redirect(_page(partner.id), 303)
    return render_template("crm/partners/interaction_form.html", form=form, partner=partner), \
        422 if form.errors else 200


@bp.route("/partenaires/<int:partner_id>/taches/nouvelle", methods=["GET", "POST"])
@roles(*STAFF)
def create_partner_task(partner_id: int):
    partner = queries.partner_for(current_user, partner_id) or abort(404)
    form = TaskForm()
    form.assignee_id.choices = choices_of(queries.referent_choices()[1:])
    if request.method == "GET":
        form.assignee_id.data = str(current_user.id)
    if form.validate_on_submit():
        try:
            employers.create_task(current_user, title=form.title.data, due_on=form.due_on.data,
                                  assignee=form.assignee_id.data, subject=partner)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash(f"Tâche « {form.title.data.strip()} » créée.", "success")
            return redirect(_page(partner.id), 303)
    return render_template("crm/partners/task_form.html", form=form, partner=partner), \
        422 if form.errors else 200
