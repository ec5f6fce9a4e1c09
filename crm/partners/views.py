"""Partner organisations, their contacts and conventions (staff); "Mon organisation" (partner users)."""

from datetime import date

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from crm.partners import queries, services
from crm.partners.forms import ContactForm, ConventionForm, DocumentForm, PartnerForm
from crm.partners.models import CONVENTION_STATUSES, PARTNER_KINDS
from portal import concurrency, pages
from portal.access import PARTNER, STAFF, roles
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm, choices_of
from portal.pagination import paginate
from portal.text import is_digits

bp = Blueprint("partners", __name__)


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and is_digits(value) and len(value) < 12 else None


@bp.get("/partenaires/autocompletion")
@roles(*STAFF)
def autocomplete_partners():
    if "code" in request.args:
        code = request.args.get("code", "", type=str)
        partner = queries.get_partner(int(code)) if is_digits(code) and len(code) < 12 else None
        found = [partner] if partner else []
    else:
        found = queries.autocomplete_partners(request.args.get("q", "", type=str)[:100])
    return jsonify(results=[{"value": str(p.id), "label": p.name, "hint": p.kind_label} for p in found])


def partners_filters(args) -> dict:
    """The partners list's filters, shared by the page and its export."""
    return {"q": args.get("q", "")[:100], "type": args.get("type", "")[:40], "archives": args.get("archives", "")}


def conventions_filters(args) -> dict:
    """The conventions list's filters, shared by the page and its export."""
    return {"statut": args.get("statut", "")[:20], "echeance": args.get("echeance", "")}


@bp.get("/partenaires")
@roles(*STAFF)
def list_partners():
    filters = partners_filters(request.args)
    stmt = queries.filtered_partners(current_user, q=filters["q"], kind=filters["type"],
                                     archived=filters["archives"] == "1")
    page = paginate(stmt, per_page=25)
    return render_template("crm/partners/list.html", page=page, filters=filters, kinds=PARTNER_KINDS)


def _partner_form(obj=None) -> PartnerForm:
    form = PartnerForm(obj=obj)
    form.referent_id.choices = choices_of(queries.referent_choices())
    if obj is not None and request.method == "GET":
        form.referent_id.data = str(obj.referent_id or "")
    return form


def _partner_values(form: PartnerForm) -> dict:
    values = {name: form[name].data for name in services.PARTNER_FIELDS}
    values["referent_id"] = _int_or_none(form.referent_id.data)
    return values


@bp.route("/partenaires/nouveau", methods=["GET", "POST"])
@roles(*STAFF)
def create_partner():
    form = _partner_form()
    if form.validate_on_submit():
        try:
            partner = services.create_partner(current_user, **_partner_values(form))
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash(f"L'organisation « {partner.name} » a été créée.", "success")
            return redirect(url_for(".show_partner", partner_id=partner.id), 303)
    return render_template("crm/partners/form.html", form=form, partner=None), 422 if form.errors else 200


@bp.get("/partenaires/<int:partner_id>")
@roles(*STAFF, PARTNER)
def show_partner(partner_id: int):
    partner = queries.partner_for(current_user, partner_id) or abort(404)
    return _render_partner(partner)


@bp.get("/mon-organisation")
@roles(PARTNER)
def my_organisation():
    partner = queries.partner_for(current_user, current_user.partner_id or 0) or abort(404)
    return _render_partner(partner)


def _render_partner(partner, contact_form=None):
    conventions = db.session.scalars(queries.filtered_conventions(current_user, partner_id=partner.id)).all()
    sections, context = pages.contributions("partners.detail", current_user, partner)
    staff = current_user.role in STAFF  # exchanges and tasks are the Mission Locale's internal notes
    return render_template("crm/partners/detail.html", partner=partner, contacts=queries.contacts_of(partner),
                           conventions=conventions, sections=sections, **context,
                           contact_form=contact_form or ContactForm(),
                           interactions=queries.interactions_of_partner(partner) if staff else [],
                           tasks=queries.tasks_of_partner(partner) if staff else [], today=date.today())


@bp.route("/partenaires/<int:partner_id>/modifier", methods=["GET", "POST"])
@roles(*STAFF)
def edit_partner(partner_id: int):
    partner = queries.partner_for(current_user, partner_id) or abort(404)
    form = _partner_form(partner)
    if form.validate_on_submit():
        try:
            with concurrency.guard(partner, form, services.PARTNER_CHANGED):
                services.update_partner(current_user, partner, version=form.version.data or None,
                                        **_partner_values(form))
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash("Les informations de l'organisation ont été enregistrées.", "success")
            return redirect(url_for(".show_partner", partner_id=partner.id), 303)
    return render_template("crm/partners/form.html", form=form, partner=partner), 422 if form.errors else 200


@bp.post("/partenaires/<int:partner_id>/archiver")
@roles(*STAFF)
def archive_partner(partner_id: int):
    partner = queries.partner_for(current_user, partner_id) or abort(404)
    if EmptyForm().validate_on_submit():
        services.set_partner_archived(current_user, partner, partner.archived_at is None)
        db.session.commit()
        flash("Organisation archivée." if partner.archived_at else "Organisation réactivée.", "success")
    return redirect(url_for(".show_partner", partner_id=partner.id), 303)


@bp.post("/partenaires/<int:partner_id>/contacts")
@roles(*STAFF)
def add_contact(partner_id: int):
    partner = queries.partner_for(current_user, partner_id) or abort(404)
    form = ContactForm()
    if form.validate_on_submit():
        services.add_contact(current_user, partner, name=form.name.data, job_title=form.job_title.data,
                             email=form.email.data, phone=form.phone.data, is_primary=form.is_primary.data)
        db.session.commit()
        flash(f"Contact « {form.name.data} » ajouté.", "success")
        return redirect(url_for(".show_partner", partner_id=partner.id) + "#contacts", 303)
    return _render_partner(partner, contact_form=form), 422


@bp.post("/partenaires/<int:partner_id>/contacts/<int:contact_id>/supprimer")
@roles(*STAFF)
def remove_contact(partner_id: int, contact_id: int):
    contact = queries.contact_for(current_user, partner_id, contact_id) or abort(404)
    if EmptyForm().validate_on_submit():
        services.remove_contact(current_user, contact)
        db.session.commit()
        flash("Contact retiré.", "success")
    return redirect(url_for(".show_partner", partner_id=partner_id) + "#contacts", 303)


# --- conventions ------------------------------------------------------------------------------------


@bp.get("/partenaires/conventions")
@roles(*STAFF, PARTNER)
def list_conventions():
    filters = conventions_filters(request.args)
    stmt = queries.filtered_conventions(current_user, status=filters["statut"],
                                        expiring_within=60 if filters["echeance"] == "1" else None)
    page = paginate(stmt, per_page=25)
    return render_template("crm/partners/conventions.html", page=page, filters=filters,
                           statuses=CONVENTION_STATUSES)


def _convention_form(obj=None) -> ConventionForm:
    form = ConventionForm(obj=obj)
    form.referent_id.choices = choices_of(queries.referent_choices())
    if obj is not None and request.method == "GET":
        form.referent_id.data = str(obj.referent_id or "")
    return form


def _convention_values(form: ConventionForm) -> dict:
    values = {name: form[name].data for name in services.CONVENTION_FIELDS}
    values["referent_id"] = _int_or_none(form.referent_id.data)
    return values


@bp.route("/partenaires/<int:partner_id>/conventions/nouvelle", methods=["GET", "POST"])
@roles(*STAFF)
def create_convention(partner_id: int):
    partner = queries.partner_for(current_user, partner_id) or abort(404)
    form = _convention_form()
    if form.validate_on_submit():
        try:
            convention = services.create_convention(current_user, partner, **_convention_values(form))
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash(f"La convention « {convention.title} » a été enregistrée en brouillon.", "success")
            return redirect(url_for(".show_convention", convention_id=convention.id), 303)
    return render_template("crm/partners/convention_form.html", form=form, partner=partner,
                           convention=None), 422 if form.errors else 200


@bp.get("/partenaires/conventions/<int:convention_id>")
@roles(*STAFF, PARTNER)
def show_convention(convention_id: int):
    convention = queries.convention_for(current_user, convention_id) or abort(404)
    return render_template("crm/partners/convention.html", convention=convention, document_form=DocumentForm())


@bp.route("/partenaires/conventions/<int:convention_id>/modifier", methods=["GET", "POST"])
@roles(*STAFF)
def edit_convention(convention_id: int):
    convention = queries.convention_for(current_user, convention_id) or abort(404)
    form = _convention_form(convention)
    if form.validate_on_submit():
        try:
            with concurrency.guard(convention, form, services.CONVENTION_CHANGED):
                services.update_convention(current_user, convention, version=form.version.data or None,
                                           **_convention_values(form))
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash("La convention a été enregistrée.", "success")
            return redirect(url_for(".show_convention", convention_id=convention.id), 303)
    return render_template("crm/partners/convention_form.html", form=form, partner=convention.partner,
                           convention=convention), 422 if form.errors else 200


def _change_status(convention_id: int, target: str):
    convention = queries.convention_for(current_user, convention_id) or abort(404)
    if EmptyForm().validate_on_submit():
        try:
            services.change_status(current_user, convention, target)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(f"Convention désormais « {convention.status_label} ».", "success")
    return redirect(url_for(".show_convention", convention_id=convention_id), 303)


@bp.post("/partenaires/conventions/<int:convention_id>/activer")
@roles(*STAFF)
def activate_convention(convention_id: int):
    return _change_status(convention_id, "active")


@bp.post("/partenaires/conventions/<int:convention_id>/resilier")
@roles(*STAFF)
def terminate_convention(convention_id: int):
    return _change_status(convention_id, "resiliee")


@bp.post("/partenaires/conventions/<int:convention_id>/documents")
@roles(*STAFF)
def upload_document(convention_id: int):
    convention = queries.convention_for(current_user, convention_id) or abort(404)
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.document.data
        try:
            services.attach_document(current_user, convention, stream=upload.stream, filename=upload.filename)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash("Le document signé a été ajouté.", "success")
            return redirect(url_for(".show_convention", convention_id=convention_id), 303)
    return render_template("crm/partners/convention.html", convention=convention, document_form=form), 422


@bp.get("/partenaires/conventions/<int:convention_id>/documents/<int:document_id>")
@roles(*STAFF, PARTNER)
def download_document(convention_id: int, document_id: int):
    document = queries.document_for(current_user, convention_id, document_id) or abort(404)
    response = send_file(services.document_path(document), mimetype="application/pdf", as_attachment=True,
                         download_name=document.filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


from crm.partners import views_activity, views_spreadsheets  # noqa: E402, F401 - routes of the same blueprint
