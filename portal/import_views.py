"""The pages of a two-step spreadsheet import (portal/xlsx.py), registered on a capability's blueprint.

A capability declares what differs (its spec, URL, labels, forms, an optional audit) in an `ImportPages`,
then calls `register_import(bp, pages)`, which adds six routes under `pages.prefix`:

| URL                      | endpoint                | does                                            |
|--------------------------|-------------------------|-------------------------------------------------|
| `/modele.xlsx`           | `import_template`       | the empty file to start from                    |
| (the prefix)             | `pages.upload_endpoint` | upload: refuse or keep the file (ImportJob)     |
| `/<job_id>/colonnes`     | `map_import`            | each column's field, or « ignorer »: remembered |
| `/<job_id>`              | `show_import`           | dry run, chunks for about a second per request, |
|                          |                         | then the report                                 |
| `/<job_id>/confirmer`    | `confirm_import`        | write the good rows in one transaction          |
| `/<job_id>/erreurs.xlsx` | `import_errors`         | the bad rows as a workbook                      |
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.file import FileField
from wtforms import BooleanField

from portal import import_mapping
from portal.access import roles
from portal.extensions import db
from portal.forms import Form, required
from portal.xlsx import (
    ImportJob,
    ImportRefused,
    ImportResult,
    ImportSpec,
    error_report,
    run_import,
    template,
)
from portal.xlsx_write import xlsx_download

XLSX_TYPES = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(Form):
    """The upload of an import (limits: portal/xlsx.py)."""

    file = FileField("Fichier .xlsx (5 Mo et 20 000 lignes au maximum)", validators=[required("Choisissez un fichier.")],
                     render_kw={"accept": XLSX_TYPES})


class ConfirmImportForm(Form):
    """The confirmation after the dry run."""

    stop_on_errors = BooleanField("Ne rien importer s'il reste une ligne en erreur ou en doublon")


REPORT_TEMPLATE = "crm/_shared/import_report.html"
MAPPING_TEMPLATE = "crm/_shared/import_mapping.html"
REPORT_ROWS = 200  # the page lists the first ones; the error report has them all
PAGE_SECONDS = 1.0  # the dry run analyses for about this long per page, then the page reloads itself


@dataclass(frozen=True)
class ImportPages:
    """What one capability's import says and does that the others do not."""

    spec: type[ImportSpec]  # instantiated once a request (a spec may cache per instance)
    prefix: str  # "/entreprises/import"
    upload_endpoint: str  # "import_companies"
    allowed: tuple[str, ...]  # roles, as for @roles
    slug: str  # file names: modele-import-<slug>.xlsx, erreurs-import-<slug>.xlsx
    form_template: str  # the upload page (extends crm/_shared/import.html), with the capability's explanations
    list_endpoint: str  # both pages' breadcrumbs
    list_label: str
    written_label: str  # on the report: "Import terminé : 3 entreprise(s) enregistrée(s)."
    written_flash: str  # after confirming: "{count} entreprise(s) importée(s)."
    # called after the rows are written, before the commit (e.g. to audit the import itself)
    after_import: Callable[[Any, ImportJob, ImportResult], None] | None = None
    form: type = ImportForm  # the upload form (a `file` field)
    confirm_form: type = ConfirmImportForm  # the confirmation form (a `stop_on_errors` field)

    def _labels(self) -> dict[str, str]:
        """What both pages' breadcrumbs and links need."""
        return {"import_bp": request.blueprint, "import_endpoint": f"{request.blueprint}.{self.upload_endpoint}",
                "list_endpoint": self.list_endpoint, "list_label": self.list_label}

    def job_or_404(self, job_id: str) -> ImportJob:
        """The current user's job for this import; anyone else's, or another import's, is a 404."""
        return ImportJob.load(job_id, current_user.id, self.spec.name) or abort(404)

    def download_template(self):
        return xlsx_download(f"modele-import-{self.slug}.xlsx", template(self.spec()))

    def upload(self):
        form = self.form()
        if form.validate_on_submit():
            try:
                job = ImportJob.start(form.file.data, self.spec(), current_user.id)
            except ImportRefused as exc:
                form.add_error("file", exc.message)
            else:
                return self._after_upload(job)
        return render_template(self.form_template, form=form, columns=self.spec.columns, **self._labels()), (
            422 if form.errors else 200)

    def _after_upload(self, job: ImportJob):
        """Straight to the dry run when every header is known (by name, or from a mapping a person chose for
        the same headers), else to the choice of columns."""
        proposal = self._proposal(job)
        by_index, overall = import_mapping.problems(job.headers, proposal, self.spec.columns)
        if by_index or overall:
            return redirect(url_for(".map_import", job_id=job.id), 303)
        job.set_mapping(import_mapping.fields_of(proposal))
        return redirect(url_for(".show_import", job_id=job.id), 303)

    def _proposal(self, job: ImportJob) -> dict[int, str]:
        if job.mapped:
            return {i: import_mapping.IGNORE for i, _ in enumerate(job.headers)} | job.mapping
        known = import_mapping.remembered(self.spec.name, job.headers)
        return import_mapping.propose(job.headers, self.spec.columns, known)

    def map_columns(self, job_id: str):
        """Each column of the file and its field, or « ignorer »; the choice is remembered for the next file
        with the same headers. Until the import is confirmed, the columns can be chosen again."""
        job = self.job_or_404(job_id)
        if job.written is not None:
            return redirect(url_for(".show_import", job_id=job.id), 303)
        proposal = self._proposal(job)
        form = import_mapping.mapping_form(job.headers, self.spec.columns, proposal)
        if request.method == "GET" and not job.mapped:  # say at once what the file lacks
            for message in import_mapping.problems(job.headers, proposal, self.spec.columns)[1]:
                form.add_error(None, message)
        if form.validate_on_submit():
            choice = import_mapping.choice_of(form, job.headers)
            by_index, overall = import_mapping.problems(job.headers, choice, self.spec.columns)
            for index, message in by_index.items():
                form.add_error(f"col_{index}", message)
            for message in overall:
                form.add_error(None, message)
            if not form.errors:
                import_mapping.remember(current_user, self.spec.name, job.headers, choice)
                db.session.commit()
                job.set_mapping(import_mapping.fields_of(choice))
                return redirect(url_for(".show_import", job_id=job.id), 303)
        return render_template(MAPPING_TEMPLATE, job=job, form=form, columns=self.spec.columns,
                               repeated=import_mapping.repeated(job.headers), **self._labels()), (
            422 if request.method == "POST" else 200)

    def show(self, job_id: str):
        """The dry run: analyses for about a second (the page reloads itself until done), then lists each bad
        row by number and reason. Nothing is written."""
        job = self.job_or_404(job_id)
        if not job.mapped:
            return redirect(url_for(".map_import", job_id=job.id), 303)
        if job.written is None and not job.done:
            job.analyse_for(self.spec(), PAGE_SECONDS)
            db.session.rollback()  # the dry run reads only; make sure nothing it touched is kept
        return render_template(REPORT_TEMPLATE, job=job, form=self.confirm_form(), rows=job.rows[:REPORT_ROWS],
                               written_label=self.written_label, **self._labels())

    def confirm(self, job_id: str):
        """Write the good rows (or nothing, when asked to stop on errors) in one transaction."""
        job = self.job_or_404(job_id)
        form = self.confirm_form()
        if not form.validate_on_submit() or job.written is not None:
            return redirect(url_for(".show_import", job_id=job.id), 303)
        try:
            result = run_import(job, self.spec(), current_user, stop_on_errors=form.stop_on_errors.data)
        except ImportRefused as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return redirect(url_for(".show_import", job_id=job.id), 303)
        if self.after_import:
            self.after_import(current_user, job, result)
        db.session.commit()
        job.written = result.written
        job.rows.extend(result.refused)
        job.save()
        flash(self.written_flash.format(count=result.written) + (
            f" {len(result.refused)} ligne(s) refusée(s) : voir le rapport." if result.refused else ""), "success")
        return redirect(url_for(".show_import", job_id=job.id), 303)

    def download_errors(self, job_id: str):
        return xlsx_download(f"erreurs-import-{self.slug}.xlsx", error_report(self.job_or_404(job_id)))


def register_import(bp: Blueprint, pages: ImportPages) -> None:
    """Add the six routes of `pages` to `bp`, each declaring `pages.allowed`."""
    routes = [
        ("/modele.xlsx", "import_template", pages.download_template, ["GET"]),
        ("", pages.upload_endpoint, pages.upload, ["GET", "POST"]),
        ("/<job_id>/colonnes", "map_import", pages.map_columns, ["GET", "POST"]),
        ("/<job_id>", "show_import", pages.show, ["GET"]),
        ("/<job_id>/confirmer", "confirm_import", pages.confirm, ["POST"]),
        ("/<job_id>/erreurs.xlsx", "import_errors", pages.download_errors, ["GET"]),
    ]
    for path, endpoint, handler, methods in routes:
        bp.add_url_rule(pages.prefix + path, endpoint, roles(*pages.allowed)(_view(handler, endpoint)),
                        methods=methods)


def _view(handler: Callable, name: str) -> Callable:
    # a plain function per route: @roles marks the view object, which a bound method cannot carry
    def view(**kwargs):
        return handler(**kwargs)

    view.__name__ = view.__qualname__ = name
    view.__doc__ = handler.__doc__
    return view
