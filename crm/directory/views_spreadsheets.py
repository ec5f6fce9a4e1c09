"""Directory spreadsheets (blueprint `directory`): the management list's export, and the two-step import
of services (dry run, then confirmation), its error report and its template."""

from datetime import date

from flask import request
from flask_login import current_user
from sqlalchemy.orm import selectinload

from crm.directory import queries
from crm.directory.models import STATUSES, DirectoryService
from crm.directory.views import bp, manage_filters
from crm.directory.xlsx import SERVICES, ServiceImport
from portal.access import PARTNER, STAFF, roles
from portal.import_views import ImportPages, register_import


@bp.get("/annuaire/gestion/export.xlsx")
@roles(*STAFF, PARTNER)
def export_services():
    """The management list as filtered on screen, every page, streamed."""
    filters = manage_filters(request.args)
    stmt = queries.managed_services(current_user, status=filters["statut"] if filters["statut"] in STATUSES else "",
                                    review=filters["a_valider"] == "1", q=filters["q"]) \
        .options(selectinload(DirectoryService.commune))
    return SERVICES.export("services.xlsx", stmt, date.today())


register_import(bp, ImportPages(
    spec=ServiceImport, prefix="/annuaire/import", upload_endpoint="import_services", allowed=STAFF,
    slug="services", form_template="crm/directory/import.html",
    list_endpoint="directory.manage_services", list_label="Services",
    written_label="service(s) enregistré(s) en brouillon", written_flash="{count} service(s) importé(s) en brouillon."))
