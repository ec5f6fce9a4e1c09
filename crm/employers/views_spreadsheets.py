"""Company spreadsheets (export, two-step import), saved searches and merge (blueprint `employers`)."""

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from crm.employers import board, queries
from crm.employers.forms import MergeForm, SavedFilterForm
from crm.employers.merge import merge_companies
from crm.employers.views import _render_form, bp, company_or_404
from crm.employers.xlsx import COMPANIES, CompanyImport
from portal.access import STAFF, roles
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.import_views import ImportPages, register_import
from portal.text import is_digits


@bp.get("/entreprises/export.xlsx")
@roles(*STAFF)
def export_companies():
    """The list as filtered on screen, every page, streamed in batches."""
    filters = queries.CompanyFilters.from_args(request.args)
    stmt = queries.filtered_companies(current_user, filters)
    stages = queries.stage_labels(active_only=False)
    return COMPANIES.export("entreprises.xlsx", stmt,
                            per_batch=lambda batch: queries.page_details(batch) | {"stages": stages})


@bp.post("/entreprises/recherches")
@roles(*STAFF)
def save_search():
    form = SavedFilterForm()
    query = (form.query.data or "").lstrip("?")
    if form.validate_on_submit():
        board.save_filter(current_user, scope="entreprises", name=form.name.data, query=query)
        db.session.commit()
        flash(f"Recherche « {form.name.data.strip()} » enregistrée.", "success")
    else:
        flash("Donnez un nom à cette recherche pour l'enregistrer.", "error")
    return redirect(url_for(".list_companies") + ("?" + query if query else ""), 303)


@bp.post("/entreprises/recherches/<int:filter_id>/supprimer")
@roles(*STAFF)
def delete_search(filter_id):
    saved = queries.saved_filter_for(current_user, filter_id) or abort(404)
    if EmptyForm().validate_on_submit():
        board.delete_filter(current_user, saved)
        db.session.commit()
        flash(f"Recherche « {saved.name} » supprimée.", "success")
    return redirect(url_for(".list_companies"), 303)


# --- import --------------------------------------------------------------------------------------

register_import(bp, ImportPages(
    spec=CompanyImport, prefix="/entreprises/import", upload_endpoint="import_companies", allowed=STAFF,
    slug="entreprises", form_template="crm/employers/import.html",
    list_endpoint="employers.list_companies", list_label="Entreprises",
    written_label="entreprise(s) enregistrée(s)", written_flash="{count} entreprise(s) importée(s)."))


# --- merge ---------------------------------------------------------------------------------------


@bp.route("/entreprises/<int:company_id>/fusionner", methods=["GET", "POST"])
@roles(*STAFF)
def merge_company(company_id):
    source = company_or_404(company_id)
    form = MergeForm()
    if form.validate_on_submit():
        code = form.target_id.data.strip()
        target = queries.company_for(current_user, int(code)) if is_digits(code) and len(code) < 12 else None
        try:
            if target is None:
                raise DomainError("Entreprise inconnue : choisissez-la dans la liste proposée.", field="target_id")
            merge_companies(current_user, source, target)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash(f"Fusion faite : tout l'historique est maintenant sur la fiche {target.name}.", "success")
            return redirect(url_for(".show_company", company_id=target.id), 303)
    return _render_form("crm/employers/merge.html", form, company=source)
