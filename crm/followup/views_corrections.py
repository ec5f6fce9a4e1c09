"""Corrections on a hire (same blueprint): contract details, a recorded check-in, the counsellor following it,
a rupture recorded by mistake."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crm.employers.queries import staff_users
from crm.followup import corrections
from crm.followup.forms import CheckInCorrectionForm, CounsellorForm, HireCorrectionForm
from crm.followup.views import _check_in_or_404, _fail, _hire_or_404, bp
from portal import concurrency
from portal.access import STAFF, roles
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm

HIRE_FIELDS = ("contract_type", "start_on", "end_on", "trial_end_on", "hours_per_week", "appellation_code",
               "job_title")


@bp.route("/suivis/embauches/<int:hire_id>/modifier", methods=["GET", "POST"])
@roles(*STAFF)
def edit_hire(hire_id: int):
    hire = _hire_or_404(hire_id)
    form = HireCorrectionForm(obj=hire if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            with concurrency.guard(hire, form, "Cette embauche a été modifiée"):
                result = corrections.correct_hire(current_user, hire, version=form.version.data,
                                                  **{name: form[name].data for name in HIRE_FIELDS})
            db.session.commit()
        except DomainError as exc:
            _fail(form, exc)
            hire = _hire_or_404(hire_id)
        else:
            flash(_hire_message(result), "success" if result else "info")
            return redirect(url_for("followup.show_hire", hire_id=hire_id), 303)
    return render_template("crm/followup/hire_edit.html", form=form, hire=hire), 422 if form.errors else 200


def _hire_message(result: dict) -> str:
    if not result:
        return "Aucune modification : le contrat est inchangé."
    schedule = result.get("check_ins")
    if schedule and any(schedule.values()):
        return "Contrat corrigé ; les points de suivi à venir sont replanifiés (ceux déjà faits ne changent pas)."
    return "Contrat corrigé."


@bp.route("/suivis/points/<int:check_in_id>/corriger", methods=["GET", "POST"])
@roles(*STAFF)
def correct_check_in(check_in_id: int):
    check_in = _check_in_or_404(check_in_id)
    if not check_in.is_done:
        return redirect(url_for("followup.record_check_in", check_in_id=check_in_id), 303)
    form = CheckInCorrectionForm(obj=check_in if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            with concurrency.guard(check_in, form, "Ce point de suivi a été modifié"):
                corrections.correct_check_in(current_user, check_in, version=form.version.data,
                                             channel=form.channel.data, situation=form.situation.data,
                                             summary=form.summary.data, next_step=form.next_step.data)
            db.session.commit()
        except DomainError as exc:
            _fail(form, exc)
            check_in = _check_in_or_404(check_in_id)
        else:
            flash("Point de suivi corrigé.", "success")
            return redirect(url_for("followup.show_hire", hire_id=check_in.hire_id, _anchor=f"suivi-{check_in_id}"),
                            303)
    return (render_template("crm/followup/check_in_correct.html", form=form, check_in=check_in, hire=check_in.hire),
            422 if form.errors else 200)


@bp.route("/suivis/embauches/<int:hire_id>/conseiller", methods=["GET", "POST"])
@roles(*STAFF)
def change_counsellor(hire_id: int):
    hire = _hire_or_404(hire_id)
    form = CounsellorForm()
    referent_id = hire.youth.referent_id
    form.counsellor_id.choices = [SelectChoice("", "— Choisir —")] + [
        SelectChoice(str(u.id), u.display_name + (" (référent·e du ou de la jeune)" if u.id == referent_id else ""))
        for u in staff_users()]
    if request.method == "GET":
        form.version.data = hire.version
        form.counsellor_id.data = str(hire.counsellor_id or referent_id or "")
    if form.validate_on_submit():
        try:
            with concurrency.guard(hire, form, "Cette embauche a été modifiée"):
                counsellor = corrections.assign_counsellor(current_user, hire, version=form.version.data,
                                                           counsellor_id=form.counsellor_id.data)
            db.session.commit()
        except DomainError as exc:
            _fail(form, exc)
            hire = _hire_or_404(hire_id)
        else:
            flash(f"Le suivi de cette embauche est confié à {counsellor.display_name}.", "success")
            return redirect(url_for("followup.show_hire", hire_id=hire_id), 303)
    return (render_template("crm/followup/counsellor_form.html", form=form, hire=hire),
            422 if form.errors else 200)


@bp.post("/suivis/embauches/<int:hire_id>/rupture/annuler")
@roles(*STAFF)
def undo_rupture(hire_id: int):
    hire = _hire_or_404(hire_id)
    if EmptyForm().validate_on_submit():
        try:
            restored = corrections.undo_rupture(current_user, hire)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(f"Rupture annulée : le contrat reprend (points de suivi de nouveau à faire : {restored}).",
                  "success")
    return redirect(url_for("followup.show_hire", hire_id=hire_id), 303)
