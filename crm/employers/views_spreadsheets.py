"""Company spreadsheets (export, two-step import), saved searches and merge (blueprint `employers`)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from crm.employers import queries, services
from crm.employers.forms import ConfirmImportForm, ImportForm, MergeForm, SavedFilterForm
from crm.employers.merge import merge_companies
from crm.employers.views import _render_form, bp, company_or_404
from crm.employers.xlsx import EXPORT_HEADERS, CompanyImport, export_row
from portal.access import STAFF, roles
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.xlsx import (
    ImportJob,
    ImportRefused,
    error_report,
    export_response,
    run_import,
    template,
    xlsx_download,
)

EXPORT_BATCH = 500


@bp.get("/entreprises/export.xlsx")
@roles(*STAFF)
def export_companies():
    """The list as filtered on screen, every page, streamed in batches."""
    filters = queries.CompanyFilters.from_args(request.args)
    stmt = queries.filtered_companies(current_user, filters)
    stages = queries.stage_labels(active_only=False)

    def rows():
        offset = 0
        while True:
            batch = db.session.scalars(stmt.offset(offset).limit(EXPORT_BATCH)).unique().all()
            if not batch:
                return
            details = queries.page_details(batch)
            for company in batch:
                yield export_row(company, details, stages)
            offset += EXPORT_BATCH

    return export_response("entreprises.xlsx", EXPORT_HEADERS, rows(), sheet_title="Entreprises")


@bp.post("/entreprises/recherches")
@roles(*STAFF)
def save_search():
    form = SavedFilterForm()
    query = (form.query.data or "").lstrip("?")
    if form.validate_on_submit():
        services.save_filter(current_user, scope="entreprises", name=form.name.data, query=query)
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
        services.delete_filter(current_user, saved)
        db.session.commit()
        flash(f"Recherche « {saved.name} » supprimée.", "success")
    return redirect(url_for(".list_companies"), 303)


# --- import --------------------------------------------------------------------------------------


@bp.get("/entreprises/import/modele.xlsx")
@roles(*STAFF)
def import_template():
    return xlsx_download("modele-import-entreprises.xlsx", template(CompanyImport()))


@bp.route("/entreprises/import", methods=["GET", "POST"])
@roles(*STAFF)
def import_companies():
    form = ImportForm()
    if form.validate_on_submit():
        try:
            job = ImportJob.start(form.file.data, CompanyImport(), current_user.id)
        except ImportRefused as exc:
            form.add_error("file", exc.message)
        else:
            return redirect(url_for(".show_import", job_id=job.id), 303)
    return _render_form("crm/employers/import.html", form, columns=CompanyImport.columns)


def _job_or_404(job_id: str) -> ImportJob:
    return ImportJob.load(job_id, current_user.id, CompanyImport.name) or abort(404)


@bp.get("/entreprises/import/<job_id>")
@roles(*STAFF)
def show_import(job_id):
    """The dry run: analyses the next chunk (the page refreshes itself until done), then lists each bad
    row by number and reason. Nothing is written."""
    job = _job_or_404(job_id)
    if job.written is None and not job.done:
        job.analyse(CompanyImport())
        db.session.rollback()  # the dry run reads only; make sure nothing it touched is kept
    return render_template("crm/employers/import_report.html", job=job, form=ConfirmImportForm(),
                           rows=job.rows[:200])


@bp.post("/entreprises/import/<job_id>/confirmer")
@roles(*STAFF)
def confirm_import(job_id):
    job = _job_or_404(job_id)
    form = ConfirmImportForm()
    if not form.validate_on_submit() or job.written is not None:
        return redirect(url_for(".show_import", job_id=job.id), 303)
    try:
        result = run_import(job, CompanyImport(), current_user, stop_on_errors=form.stop_on_errors.data)
    except ImportRefused as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for(".show_import", job_id=job.id), 303)
    db.session.commit()
    job.written = result.written
    job.rows.extend(result.refused)
    job.save()
    flash(f"{result.written} entreprise(s) importée(s)." + (
        f" {len(result.refused)} ligne(s) refusée(s) : voir le rapport." if result.refused else ""), "success")
    return redirect(url_for(".show_import", job_id=job.id), 303)


@bp.get("/entreprises/import/<job_id>/erreurs.xlsx")
@roles(*STAFF)
def import_errors(job_id):
    job = _job_or_404(job_id)
    return xlsx_download("erreurs-import-entreprises.xlsx", error_report(job))


# --- merge ---------------------------------------------------------------------------------------


@bp.route("/entreprises/<int:company_id>/fusionner", methods=["GET", "POST"])
@roles(*STAFF)
def merge_company(company_id):
    source = company_or_404(company_id)
    form = MergeForm()
    if form.validate_on_submit():
        code = form.target_id.data.strip()
        target = queries.company_for(current_user, int(code)) if code.isdigit() and len(code) < 12 else None
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
