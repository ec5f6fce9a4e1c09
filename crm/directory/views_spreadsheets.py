"""Directory spreadsheets (blueprint `directory`): the management list's export, and the two-step import
of services (dry run, then confirmation), its error report and its template."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from crm.directory import queries
from crm.directory.forms import ConfirmImportForm, ImportForm
from crm.directory.models import STATUSES, DirectoryService
from crm.directory.views import bp, manage_filters
from crm.directory.xlsx import EXPORT_HEADERS, ServiceImport, batched, export_row
from portal.access import PARTNER, STAFF, roles
from portal.extensions import db
from portal.xlsx import (
    ImportJob,
    ImportRefused,
    error_report,
    export_response,
    run_import,
    template,
    xlsx_download,
)


@bp.get("/annuaire/gestion/export.xlsx")
@roles(*STAFF, PARTNER)
def export_services():
    """The management list as filtered on screen, every page, streamed."""
    filters = manage_filters(request.args)
    stmt = queries.managed_services(current_user, status=filters["statut"] if filters["statut"] in STATUSES else "",
                                    review=filters["a_valider"] == "1", q=filters["q"]) \
        .options(selectinload(DirectoryService.commune))
    today = date.today()
    return export_response("services.xlsx", EXPORT_HEADERS, (export_row(s, today) for s in batched(stmt)),
                           sheet_title="Services")


@bp.get("/annuaire/import/modele.xlsx")
@roles(*STAFF)
def import_template():
    return xlsx_download("modele-import-services.xlsx", template(ServiceImport()))


@bp.route("/annuaire/import", methods=["GET", "POST"])
@roles(*STAFF)
def import_services():
    form = ImportForm()
    if form.validate_on_submit():
        try:
            job = ImportJob.start(form.file.data, ServiceImport(), current_user.id)
        except ImportRefused as exc:
            form.add_error("file", exc.message)
        else:
            return redirect(url_for(".show_import", job_id=job.id), 303)
    return render_template("crm/directory/import.html", form=form, columns=ServiceImport.columns), \
        422 if form.errors else 200


def _job_or_404(job_id: str) -> ImportJob:
    return ImportJob.load(job_id, current_user.id, ServiceImport.name) or abort(404)


@bp.get("/annuaire/import/<job_id>")
@roles(*STAFF)
def show_import(job_id: str):
    """The dry run: analyses the next chunk (the page refreshes itself until done), then lists each bad
    row by number and reason. Nothing is written."""
    job = _job_or_404(job_id)
    if job.written is None and not job.done:
        job.analyse(ServiceImport())
        db.session.rollback()  # the dry run reads only
    return render_template("crm/directory/import_report.html", job=job, form=ConfirmImportForm(),
                           rows=job.rows[:200])


@bp.post("/annuaire/import/<job_id>/confirmer")
@roles(*STAFF)
def confirm_import(job_id: str):
    job = _job_or_404(job_id)
    form = ConfirmImportForm()
    if not form.validate_on_submit() or job.written is not None:
        return redirect(url_for(".show_import", job_id=job.id), 303)
    try:
        result = run_import(job, ServiceImport(), current_user, stop_on_errors=form.stop_on_errors.data)
    except ImportRefused as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for(".show_import", job_id=job.id), 303)
    db.session.commit()
    job.written = result.written
    job.rows.extend(result.refused)
    job.save()
    flash(f"{result.written} service(s) importé(s) en brouillon." + (
        f" {len(result.refused)} ligne(s) refusée(s) : voir le rapport." if result.refused else ""), "success")
    return redirect(url_for(".show_import", job_id=job.id), 303)


@bp.get("/annuaire/import/<job_id>/erreurs.xlsx")
@roles(*STAFF)
def import_errors(job_id: str):
    job = _job_or_404(job_id)
    return xlsx_download("erreurs-import-services.xlsx", error_report(job))
