"""Employer relations views: companies, contacts, interactions, the board and the employer's own page.

Tasks and events live in views_tasks.py, spreadsheets and merge in views_spreadsheets.py (same blueprint).
"""

from datetime import date

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from crm.employers import activity, board, queries, services
from crm.employers.forms import CompanyForm, ContactForm, InteractionForm, MoveStageForm, PublicProfileForm
from crm.employers.models import Company
from crm.employers.timeline import company_flags, figures, timeline_items
from portal import concurrency
from portal.access import ADMIN, EMPLOYER, STAFF, can, roles
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm, choices_of
from portal.pagination import paginate
from portal.referentials import queries as referentials
from portal.text import is_digits

bp = Blueprint("employers", __name__)
PER_PAGE = 25


def company_or_404(company_id: int) -> Company:
    company = queries.company_for(current_user, company_id)
    if company is None:
        abort(404)
    return company


def _render_form(template: str, form, status: int | None = None, **context):
    return render_template(template, form=form, **context), (status or (422 if form.errors else 200))


@bp.get("/entreprises/autocompletion")
@roles(*STAFF)
def autocomplete_companies():
    if "code" in request.args:
        code = request.args.get("code", "", type=str)
        company = queries.get_company(int(code)) if is_digits(code) and len(code) < 12 else None
        found = [company] if company else []
    else:
        found = queries.autocomplete_companies(request.args.get("q", "", type=str)[:100])
    return jsonify(results=[
        {"value": str(c.id), "label": c.name,
         "hint": " · ".join(x for x in (c.siret, c.commune.name if c.commune else None) if x)}
        for c in found])


# --- list and board ------------------------------------------------------------------------------


@bp.get("/entreprises")
@roles(*STAFF)
def list_companies():
    filters = queries.CompanyFilters.from_args(request.args)
    stmt = queries.filtered_companies(current_user, filters)
    page = paginate(stmt, per_page=PER_PAGE)
    return render_template("crm/employers/list.html", page=page, filters=filters,
                           details=queries.page_details(page.items), stages=queries.stage_labels(active_only=False),
                           owners=queries.staff_users(), sections=referentials.naf_sections(),
                           epcis=_territory_epcis(), flags=company_flags(),
                           saved=queries.saved_filters(current_user, "entreprises"),
                           query_string=request.query_string.decode()[:2000], action_form=EmptyForm())


def _territory_epcis():
    seen = {}
    for commune in referentials.territory_communes():
        if commune.epci:
            seen[commune.epci.siren] = commune.epci
    return list(seen.values())


@bp.get("/prospection")
@roles(*STAFF)
def show_board():
    owner = request.args.get("charge", "", type=str)
    owner_id = current_user.id if owner == "moi" else (int(owner) if is_digits(owner) and len(owner) < 10 else None)
    # « Voir plus » on a column asks for more of its companies: voir-<stage code>=<how many>
    shown = {key.removeprefix("voir-"): min(request.args.get(key, 0, type=int), 100_000)
             for key in request.args if key.startswith("voir-")}
    columns = queries.board(current_user, owner_id=owner_id, shown=shown)
    return render_template("crm/employers/board.html", columns=columns, owner=owner, owners=queries.staff_users(),
                           stages=[c["stage"] for c in columns], step=queries.BOARD_STEP, action_form=EmptyForm())


@bp.post("/entreprises/<int:company_id>/etape")
@roles(*STAFF)
def move_company_stage(company_id):
    company = company_or_404(company_id)
    form = MoveStageForm()
    form.stage.choices = choices_of(queries.stage_labels())
    back = request.form.get("retour") == "tableau"
    if form.validate_on_submit():
        try:
            board.move_stage(current_user, company, form.stage.data)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            label = queries.stage_labels().get(company.stage, company.stage)
            flash(f"{company.name} est maintenant à l'étape « {label} ».", "success")
    else:
        flash("Étape inconnue : rien n'a été changé.", "error")
    target = url_for(".show_board") if back else url_for(".show_company", company_id=company.id)
    return redirect(target, 303)


# --- one company ---------------------------------------------------------------------------------


@bp.route("/entreprises/nouvelle", methods=["GET", "POST"])
@roles(*STAFF)
def create_company():
    form = CompanyForm()
    form.set_choices(queries.stage_labels(), queries.staff_users())
    if request.method == "GET":
        form.owner_id.data = str(current_user.id)
    duplicates = []
    if form.validate_on_submit():
        try:
            company = services.create_company(current_user, confirm_duplicate=form.confirm_duplicate.data,
                                              **form.company_fields())
        except services.LikelyDuplicate as exc:
            db.session.rollback()
            duplicates = exc.companies
            form.add_error(exc.field, exc.message)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash(f"L'entreprise {company.name} a été créée.", "success")
            return redirect(url_for(".show_company", company_id=company.id), 303)
    return _render_form("crm/employers/form.html", form, company=None, duplicates=duplicates,
                        out_of_territory=_out_of_territory(form.commune_code.data))


def _out_of_territory(code: str | None) -> bool:
    return bool(code) and referentials.get_commune(code) is not None and not referentials.in_territory(code)


@bp.route("/entreprises/<int:company_id>/modifier", methods=["GET", "POST"])
@roles(*STAFF)
def edit_company(company_id):
    company = company_or_404(company_id)
    form = CompanyForm(obj=company)
    form.set_choices(queries.stage_labels(active_only=False), queries.staff_users())
    if request.method == "GET":
        form.owner_id.data = str(company.owner_id or "")
        form.version.data = company.version
    duplicates = []
    if form.validate_on_submit():
        fields = form.company_fields()
        similar = [] if form.confirm_duplicate.data else queries.likely_duplicates(
            fields["name"], fields["commune_code"], exclude_id=company.id)
        try:
            if similar:
                raise services.LikelyDuplicate(similar)
            with concurrency.guard(company, form):
                services.update_company(current_user, company, **fields)
        except services.LikelyDuplicate as exc:
            db.session.rollback()
            duplicates = exc.companies
            form.add_error(exc.field, exc.message)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash("Les modifications ont été enregistrées.", "success")
            return redirect(url_for(".show_company", company_id=company.id), 303)
    return _render_form("crm/employers/form.html", form, company=company, duplicates=duplicates,
                        out_of_territory=_out_of_territory(form.commune_code.data))


@bp.get("/entreprises/<int:company_id>")
@roles(*STAFF, EMPLOYER)
def show_company(company_id):
    company = company_or_404(company_id)
    if not can(current_user, "companies.see_internal", company):
        return render_template("crm/employers/profile.html", company=company,
                               contacts=queries.contacts_of(company))
    stage_form = MoveStageForm()
    stage_form.stage.choices = choices_of(queries.stage_labels())
    stage_form.stage.data = company.stage
    return render_template("crm/employers/detail.html", company=company, contacts=queries.contacts_of(company),
                           timeline=timeline_items(company, current_user), figures=figures(company),
                           stage_form=stage_form, action_form=EmptyForm(),
                           out_of_territory=_out_of_territory(company.commune_code))


@bp.post("/entreprises/<int:company_id>/archiver")
@roles(*STAFF)
def archive_company(company_id):
    return _archive(company_id, services.archive_company, "L'entreprise a été archivée.")


@bp.post("/entreprises/<int:company_id>/desarchiver")
@roles(*STAFF)
def restore_company(company_id):
    return _archive(company_id, services.restore_company, "L'entreprise est de nouveau active.")


def _archive(company_id, action, message):
    company = company_or_404(company_id)
    if EmptyForm().validate_on_submit():
        try:
            action(current_user, company)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(message, "success")
    return redirect(url_for(".show_company", company_id=company.id), 303)


# --- contacts and interactions -------------------------------------------------------------------


@bp.route("/entreprises/<int:company_id>/contacts/nouveau", methods=["GET", "POST"])
@roles(*STAFF)
def add_contact(company_id):
    company = company_or_404(company_id)
    form = ContactForm()
    if form.validate_on_submit():
        try:
            services.add_contact(current_user, company, **form.contact_fields())
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash(f"{form.full_name.data} a été ajouté·e aux contacts.", "success")
            return redirect(url_for(".show_company", company_id=company.id) + "#contacts", 303)
    return _render_form("crm/employers/contact_form.html", form, company=company, contact=None)


@bp.route("/entreprises/<int:company_id>/contacts/<int:contact_id>/modifier", methods=["GET", "POST"])
@roles(*STAFF)
def edit_contact(company_id, contact_id):
    company = company_or_404(company_id)
    contact = queries.get_contact(company, contact_id) or abort(404)
    form = ContactForm(obj=contact)
    if request.method == "GET":
        form.version.data = contact.version
    if form.validate_on_submit():
        try:
            with concurrency.guard(contact, form, "Ce contact a été modifié"):
                services.update_contact(current_user, contact, version=form.version.data or None, **form.contact_fields())
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash("Le contact a été modifié.", "success")
            return redirect(url_for(".show_company", company_id=company.id) + "#contacts", 303)
    return _render_form("crm/employers/contact_form.html", form, company=company, contact=contact)


@bp.post("/entreprises/<int:company_id>/contacts/<int:contact_id>/retirer")
@roles(*STAFF)
def remove_contact(company_id, contact_id):
    company = company_or_404(company_id)
    contact = queries.get_contact(company, contact_id) or abort(404)
    if EmptyForm().validate_on_submit():
        services.remove_contact(current_user, contact)
        db.session.commit()
        flash(f"{contact.full_name} a été retiré·e des contacts.", "success")
    return redirect(url_for(".show_company", company_id=company.id) + "#contacts", 303)


@bp.route("/entreprises/<int:company_id>/echanges/nouveau", methods=["GET", "POST"])
@roles(*STAFF)
def log_interaction(company_id):
    company = company_or_404(company_id)
    form = InteractionForm()
    contacts = queries.contacts_of(company)
    form.contact_id.choices = choices_of([("", "Non précisé")] + [(c.id, c.full_name) for c in contacts])
    if request.method == "GET":
        form.occurred_on.data = date.today()
        form.kind.data = request.args.get("type", "visite")
    if form.validate_on_submit():
        contact = next((c for c in contacts if str(c.id) == form.contact_id.data), None)
        try:
            activity.log_interaction(current_user, company=company, kind=form.kind.data,
                                     occurred_on=form.occurred_on.data, summary=form.summary.data,
                                     outcome=form.outcome.data or None, contact=contact,
                                     next_action=form.next_action.data, next_action_on=form.next_action_on.data)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash("L'échange a été enregistré" + (" et la prochaine action ajoutée à vos tâches."
                                                  if form.next_action.data else "."), "success")
            return redirect(url_for(".show_company", company_id=company.id), 303)
    return _render_form("crm/employers/interaction_form.html", form, company=company)


# --- the employer's own company ------------------------------------------------------------------


@bp.get("/mon-entreprise")
@roles(EMPLOYER)
def my_company():
    company = company_or_404(current_user.company_id or 0)
    return render_template("crm/employers/profile.html", company=company, contacts=queries.contacts_of(company))


@bp.route("/mon-entreprise/modifier", methods=["GET", "POST"])
@roles(EMPLOYER)
def edit_my_company():
    company = company_or_404(current_user.company_id or 0)
    form = PublicProfileForm(obj=company)
    if request.method == "GET":
        form.version.data = company.version
    if form.validate_on_submit():
        fields = {n: getattr(form, n).data for n in services.PUBLIC_PROFILE_FIELDS}
        try:
            with concurrency.guard(company, form):
                services.update_public_profile(current_user, company, version=form.version.data or None, **fields)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash("Votre fiche a été mise à jour.", "success")
            return redirect(url_for(".my_company"), 303)
    return _render_form("crm/employers/profile_form.html", form, company=company)


@bp.route("/prospection/etapes", methods=["GET", "POST"])
@roles(ADMIN)
def edit_stages():
    stages = queries.stages()
    error = None
    if request.method == "POST" and EmptyForm().validate_on_submit():
        rows = [{"code": s.code, "label": request.form.get(f"label-{s.code}", "")[:100],
                 "position": request.form.get(f"position-{s.code}", "0")[:3],
                 "active": request.form.get(f"active-{s.code}") == "1"} for s in stages]
        new_label = request.form.get("new_label", "").strip()[:100]
        if new_label:
            rows.append({"code": None, "label": new_label, "position": len(stages)})
        for row in rows:
            row["position"] = int(row["position"]) if is_digits(str(row["position"])) else 0
        try:
            board.save_stages(current_user, rows)
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash("Les étapes du tableau de prospection ont été enregistrées.", "success")
            return redirect(url_for(".edit_stages"), 303)
    return render_template("crm/employers/stages.html", stages=queries.stages(), error=error,
                           form=EmptyForm()), (422 if error else 200)


from crm.employers import views_spreadsheets, views_tasks  # noqa: E402, F401 - routes of the same blueprint
