"""Young people: list, profile, create/edit, consent, archive, autocomplete (staff only)."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from crm.youth import queries, services
from crm.youth.forms import ConsentForm, YouthForm
from crm.youth.rules import PROGRAMMES
from portal import concurrency, pages
from portal.access import STAFF, roles
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.pagination import paginate
from portal.privacy.services import log_access
from portal.text import is_digits

bp = Blueprint("youth", __name__)
PAGE_SIZE = 25


def _youth_or_404(youth_id: int):
    youth = queries.get_youth(current_user, youth_id)
    if youth is None:
        abort(404)
    return youth


def list_filters(args) -> tuple[dict, dict]:
    """The list page's filters as typed (to show them again) and as `queries.filtered` arguments."""
    filters = {k: args.get(k, "", type=str)[:80] for k in ("q", "commune", "rome", "programme", "archives")}
    return filters, dict(q=filters["q"], commune=filters["commune"][:5], rome=filters["rome"][:5],
                         programme=filters["programme"] if filters["programme"] in PROGRAMMES else "",
                         archived=filters["archives"] == "1")


def _render_detail(youth, consent_form) -> str:
    """The profile page with what other capabilities show about the young person (portal/pages.py)."""
    sections, context = pages.contributions("youth.detail", current_user, youth)
    return render_template("crm/youth/detail.html", youth=youth, consent_form=consent_form, sections=sections,
                           **context)


@bp.get("/jeunes")
@roles(*STAFF)
def list_youth():
    filters, kwargs = list_filters(request.args)
    stmt = queries.filtered(current_user, **kwargs)
    page = paginate(stmt, per_page=PAGE_SIZE)
    return render_template("crm/youth/list.html", page=page, filters=filters, programmes=PROGRAMMES)


@bp.get("/jeunes/autocompletion")
@roles(*STAFF)
def autocomplete_youth():
    if "code" in request.args:
        code = request.args.get("code", "", type=str)
        youth = queries.get_pickable_youth(current_user, int(code)) if is_digits(code) and len(code) < 12 else None
        found = [youth] if youth else []
    else:
        found = queries.autocomplete_youth(request.args.get("q", "", type=str)[:100])
    return jsonify(results=[{"value": str(y.id), "label": y.full_name,
                             "hint": " · ".join(x for x in (y.birth_date.strftime("%d/%m/%Y"), y.commune.name) if x)}
                            for y in found])


@bp.route("/jeunes/nouveau", methods=["GET", "POST"])
@roles(*STAFF)
def new_youth():
    form = YouthForm()
    if form.validate_on_submit():
        try:
            youth = services.create_youth(current_user, **form.profile_values())
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash("Profil créé. Pensez à recueillir son consentement avant de le proposer à un employeur.", "success")
            return redirect(url_for(".show_youth", youth_id=youth.id), 303)
    return render_template("crm/youth/form.html", form=form, youth=None), (422 if form.errors else 200)


@bp.get("/jeunes/<int:youth_id>")
@roles(*STAFF)
def show_youth(youth_id: int):
    youth = _youth_or_404(youth_id)
    log_access(current_user, youth, "fiche")  # RGPD: every view of a young person's data is logged
    db.session.commit()
    return _render_detail(youth, ConsentForm(formdata=None))


@bp.route("/jeunes/<int:youth_id>/modifier", methods=["GET", "POST"])
@roles(*STAFF)
def edit_youth(youth_id: int):
    youth = _youth_or_404(youth_id)
    form = YouthForm(obj=youth)
    if request.method == "GET":
        form.version.data = youth.version
        for index, target in enumerate(youth.targets, start=1):
            form[f"target_{index}"].data = target.appellation_code or target.rome_code
    if form.validate_on_submit():
        try:
            with concurrency.guard(youth, form, "Ce profil a été modifié"):
                services.update_youth(current_user, youth, version=form.version.data or None, **form.profile_values())
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash("Profil modifié.", "success")
            return redirect(url_for(".show_youth", youth_id=youth.id), 303)
    return render_template("crm/youth/form.html", form=form, youth=youth), (422 if form.errors else 200)


@bp.post("/jeunes/<int:youth_id>/consentement")
@roles(*STAFF)
def record_consent(youth_id: int):
    youth = _youth_or_404(youth_id)
    form = ConsentForm()
    if form.validate_on_submit():
        try:
            services.record_consent(current_user, youth, on=form.consent_on.data, scope=form.consent_scope.data)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash("Consentement enregistré.", "success")
            return redirect(url_for(".show_youth", youth_id=youth.id), 303)
    return _render_detail(youth, form), 422


def _simple_action(youth_id: int, action, message: str):
    youth = _youth_or_404(youth_id)
    if EmptyForm().validate_on_submit():
        try:
            action(current_user, youth)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(message, "success")
    return redirect(url_for(".show_youth", youth_id=youth.id), 303)


@bp.post("/jeunes/<int:youth_id>/consentement/retrait")
@roles(*STAFF)
def withdraw_consent(youth_id: int):
    return _simple_action(youth_id, services.withdraw_consent,
                          "Consentement retiré : le profil n'est plus visible des employeurs.")


@bp.post("/jeunes/<int:youth_id>/archiver")
@roles(*STAFF)
def archive_youth(youth_id: int):
    return _simple_action(youth_id, services.archive_youth, "Profil archivé.")


@bp.post("/jeunes/<int:youth_id>/restaurer")
@roles(*STAFF)
def restore_youth(youth_id: int):
    return _simple_action(youth_id, services.restore_youth, "Profil restauré.")


from crm.youth import views_spreadsheets  # noqa: E402, F401 - routes of the same blueprint
