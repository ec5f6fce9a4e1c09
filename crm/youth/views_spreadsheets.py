"""Young people's spreadsheets: list export (audited) and two-step import of an i-milo extract (blueprint `youth`)."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from crm.youth import queries, services
from crm.youth.forms import ConfirmImportForm, ImportForm
from crm.youth.models import YouthProfile
from crm.youth.views import bp, list_filters
from crm.youth.xlsx import EXPORT_HEADERS, YouthImport, export_row
from portal.access import STAFF, roles
from portal.extensions import db
from portal.privacy.services import log_list_export
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


@bp.get("/jeunes/export.xlsx")
@roles(*STAFF)
def export_youth():
    """The list as filtered on screen, every page, streamed; the export itself is audited (personal data)."""
    filters, kwargs = list_filters(request.args)
    stmt = queries.filtered(current_user, **kwargs)
    services.record_export(current_user, filters={k: v for k, v in filters.items() if v},
                           count=queries.count(stmt))
    log_list_export(current_user, list(db.session.scalars(stmt.with_only_columns(YouthProfile.id))))  # RGPD
    db.session.commit()
    today = date.today()

    def rows():
        offset = 0
        while True:
            batch = db.session.scalars(stmt.offset(offset).limit(EXPORT_BATCH)).unique().all()
            if not batch:
                return
            for youth in batch:
                yield export_row(youth, today)
            offset += EXPORT_BATCH

    return export_response("jeunes.xlsx", EXPORT_HEADERS, rows(), sheet_title="Jeunes")


@bp.get("/jeunes/import/modele.xlsx")
@roles(*STAFF)
def import_template():
    return xlsx_download("modele-import-jeunes.xlsx", template(YouthImport()))


@bp.route("/jeunes/import", methods=["GET", "POST"])
@roles(*STAFF)
def import_youth():
    form = ImportForm()
    if form.validate_on_submit():
        try:
            job = ImportJob.start(form.file.data, YouthImport(), current_user.id)
        except ImportRefused as exc:
            form.add_error("file", exc.message)
        else:
            return redirect(url_for(".show_import", job_id=job.id), 303)
    return render_template("crm/youth/import.html", form=form, columns=YouthImport.columns), (
        422 if form.errors else 200)


def _job_or_404(job_id: str) -> ImportJob:
    return ImportJob.load(job_id, current_user.id, YouthImport.name) or abort(404)


@bp.get("/jeunes/import/<job_id>")
@roles(*STAFF)
def show_import(job_id):
    """The dry run: analyses the next chunk (the page refreshes itself until done), then lists each bad
    row by number and reason. Nothing is written."""
    job = _job_or_404(job_id)
    if job.written is None and not job.done:
        job.analyse(YouthImport())
        db.session.rollback()  # the dry run reads only
    return render_template("crm/youth/import_report.html", job=job, form=ConfirmImportForm(), rows=job.rows[:200])


@bp.post("/jeunes/import/<job_id>/confirmer")
@roles(*STAFF)
def confirm_import(job_id):
    job = _job_or_404(job_id)
    form = ConfirmImportForm()
    if not form.validate_on_submit() or job.written is not None:
        return redirect(url_for(".show_import", job_id=job.id), 303)
    try:
        result = run_import(job, YouthImport(), current_user, stop_on_errors=form.stop_on_errors.data)
    except ImportRefused as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for(".show_import", job_id=job.id), 303)
    services.record_import(current_user, filename=job.filename, written=result.written)
    db.session.commit()
    job.written = result.written
    job.rows.extend(result.refused)
    job.save()
    flash(f"{result.written} profil(s) importé(s)." + (
        f" {len(result.refused)} ligne(s) refusée(s) : voir le rapport." if result.refused else ""), "success")
    return redirect(url_for(".show_import", job_id=job.id), 303)


@bp.get("/jeunes/import/<job_id>/erreurs.xlsx")
@roles(*STAFF)
def import_errors(job_id):
    job = _job_or_404(job_id)
    return xlsx_download("erreurs-import-jeunes.xlsx", error_report(job))

