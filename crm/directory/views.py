"""The shared service directory: search for everyone, services kept by their owners, counsellors' review."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from crm.directory import queries, rules, services
from crm.directory.forms import RejectForm, ServiceForm
from crm.directory.models import STATUSES
from crm.partners import queries as partners
from portal import concurrency
from portal.access import ADMIN, COUNSELLOR, EMPLOYER, PARTNER, STAFF, roles
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm, choices_of
from portal.pagination import paginate
from portal.referentials import zones
from portal.text import is_digits

bp = Blueprint("directory", __name__)
EVERYONE = (ADMIN, COUNSELLOR, EMPLOYER, PARTNER)


@bp.get("/annuaire")
@roles(*EVERYONE)
def search():
    filters = queries.SearchFilters(
        thematique=request.args.get("thematique", "")[:120],
        commune=request.args.get("commune", "")[:5].upper(),
        publics=[p for p in request.args.getlist("public")[:20] if p in rules.PUBLICS],
        q=request.args.get("q", "")[:100])
    if filters.thematique not in rules.THEMATIQUES and filters.thematique not in rules.CATEGORIES:
        filters.thematique = ""
    results = queries.search_services(filters, today=date.today(), page=request.args.get("page", 1, type=int))
    unknown_commune = bool(filters.commune) and results.origin is None
    return render_template("crm/directory/search.html", results=results, filters=filters,
                           unknown_commune=unknown_commune, rules=rules, today=date.today())


@bp.get("/annuaire/services/<int:service_id>")
@roles(*EVERYONE)
def show_service(service_id: int):
    service = queries.service_for(current_user, service_id) or abort(404)
    pending = {k: v for k, v in (service.pending_changes or {}).items()}
    return render_template("crm/directory/detail.html", service=service, rules=rules, today=date.today(),
                           zone=queries.zone_labels(service.zone), pending=pending,
                           can_edit=queries.editable_service_for(current_user, service.id) is not None,
                           reject_form=RejectForm())


def manage_filters(args) -> dict:
    """The management list's filters, shared by the page and its export."""
    return {"statut": args.get("statut", "")[:20], "a_valider": args.get("a_valider", "")[:1],
            "q": args.get("q", "")[:100]}


@bp.get("/annuaire/gestion")
@roles(*STAFF, PARTNER)
def manage_services():
    filters = manage_filters(request.args)
    stmt = queries.managed_services(current_user, status=filters["statut"] if filters["statut"] in STATUSES else "",
                                    review=filters["a_valider"] == "1", q=filters["q"])
    page = paginate(stmt, per_page=25)
    return render_template("crm/directory/manage.html", page=page, filters=filters, statuses=STATUSES,
                           today=date.today())


def _service_form(service=None) -> ServiceForm:
    form = ServiceForm()
    if request.method == "GET" and service is not None:
        for name in ("name", "description", "publics_details", "access_conditions", "service_type", "fees",
                     "fees_details", "address", "postal_code", "commune_code", "contact_name", "phone", "email",
                     "opening_hours", "mobilisation_details", "mobilisation_url", "update_frequency"):
            form[name].data = getattr(service, name) or ("" if name != "update_frequency" else "semestrielle")
        form.thematiques.data, form.publics.data = service.thematiques, service.publics
        form.reception_modes.data, form.mobilisation_modes.data = service.reception_modes, service.mobilisation_modes
        form.mobilisable_by.data, form.zone.data = service.mobilisable_by, zones.zone_text(service.zone)
        form.version.data = service.version
    if current_user.role in STAFF:
        form.partner_id.choices = choices_of([("", "Mission Locale")] + [
            (str(p.id), p.name) for p in db.session.scalars(partners.filtered_partners(current_user))])
        if request.method == "GET" and service is not None:
            form.partner_id.data = str(service.partner_id or "")
    else:
        del form.partner_id
    return form


@bp.route("/annuaire/services/nouveau", methods=["GET", "POST"])
@roles(*STAFF, PARTNER)
def create_service():
    form = _service_form()
    if form.validate_on_submit():
        partner_id = form.partner_id.data if "partner_id" in form else None
        try:
            service = services.create_service(current_user, partner_id=int(partner_id) if partner_id else None,
                                              **form.service_values())
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash(f"Le service « {service.name} » est enregistré en brouillon.", "success")
            return redirect(url_for(".show_service", service_id=service.id), 303)
    return render_template("crm/directory/form.html", form=form, service=None, rules=rules), \
        422 if form.errors else 200


@bp.route("/annuaire/services/<int:service_id>/modifier", methods=["GET", "POST"])
@roles(*STAFF, PARTNER)
def edit_service(service_id: int):
    service = queries.editable_service_for(current_user, service_id) or abort(404)
    form = _service_form(service)
    if form.validate_on_submit():
        try:
            owner = {"partner_id": int(form.partner_id.data) if form.partner_id.data else None} \
                if "partner_id" in form else {}
            with concurrency.guard(service, form, services.SERVICE_CHANGED):
                outcome = services.update_service(current_user, service, version=form.version.data or None,
                                                  **owner, **form.service_values())
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash({"applied": "Le service a été mis à jour.",
                   "pending": "Les modifications essentielles seront visibles après validation par un conseiller ; "
                              "les coordonnées et horaires sont déjà à jour.",
                   "unchanged": "Aucune modification."}[outcome], "success")
            return redirect(url_for(".show_service", service_id=service.id), 303)
    return render_template("crm/directory/form.html", form=form, service=service, rules=rules), \
        422 if form.errors else 200


def _act(service_id: int, action, message: str, editable: bool = True):
    service = (queries.editable_service_for(current_user, service_id) if editable
               else queries.service_for(current_user, service_id)) or abort(404)
    if EmptyForm().validate_on_submit():
        try:
            action(current_user, service)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(message, "success")
    return redirect(url_for(".show_service", service_id=service_id), 303)


@bp.post("/annuaire/services/<int:service_id>/soumettre")
@roles(PARTNER)
def submit_service(service_id: int):
    return _act(service_id, services.submit_for_review, "Demande de publication envoyée à un conseiller.")


@bp.post("/annuaire/services/<int:service_id>/valider")
@roles(*STAFF)
def approve_service(service_id: int):
    return _act(service_id, services.approve, "Le service est publié dans l'annuaire.")


@bp.post("/annuaire/services/valider")
@roles(*STAFF)
def approve_services():
    """Validate every ticked service of the moderation queue: all or none."""
    ids = [int(v) for v in request.form.getlist("service_ids") if is_digits(v)][:100]
    chosen = [queries.editable_service_for(current_user, service_id) for service_id in ids]
    if EmptyForm().validate_on_submit():
        if None in chosen:
            flash("Un des services cochés n'existe plus : rien n'a été validé. Rechargez la page.", "error")
        else:
            try:
                services.approve_many(current_user, chosen)
            except DomainError as exc:
                db.session.rollback()
                flash(exc.message, "error")
            else:
                db.session.commit()
                flash(f"{len(chosen)} service(s) validé(s) : ils sont publiés dans l'annuaire.", "success")
    return redirect(url_for(".manage_services", a_valider="1"), 303)


@bp.post("/annuaire/services/<int:service_id>/refuser")
@roles(*STAFF)
def reject_service(service_id: int):
    service = queries.editable_service_for(current_user, service_id) or abort(404)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            services.reject(current_user, service, note=form.note.data)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash("La demande a été renvoyée au partenaire avec votre explication.", "success")
            return redirect(url_for(".show_service", service_id=service_id), 303)
    return render_template("crm/directory/detail.html", service=service, rules=rules, today=date.today(),
                           zone=queries.zone_labels(service.zone), pending=service.pending_changes or {},
                           can_edit=True, reject_form=form), 422


@bp.post("/annuaire/services/<int:service_id>/archiver")
@roles(*STAFF, PARTNER)
def archive_service(service_id: int):
    return _act(service_id, services.archive, "Le service est archivé : il n'apparaît plus dans l'annuaire.")


@bp.post("/annuaire/services/<int:service_id>/confirmer")
@roles(*STAFF, PARTNER)
def confirm_service(service_id: int):
    return _act(service_id, services.confirm_up_to_date, "Merci : le service est marqué à jour.")


from crm.directory import views_spreadsheets  # noqa: E402, F401 - routes of the same blueprint
