"""Young people's spreadsheets: list export (audited) and two-step import of an i-milo extract (blueprint `youth`)."""

from datetime import date

from flask import request
from flask_login import current_user

from crm.youth import queries, services
from crm.youth.models import YouthProfile
from crm.youth.views import bp, list_filters
from crm.youth.xlsx import YOUTH_LIST, YouthImport
from portal.access import STAFF, roles
from portal.extensions import db
from portal.import_views import ImportPages, register_import
from portal.privacy.services import log_list_export


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
    return YOUTH_LIST.export("jeunes.xlsx", stmt, date.today())


def _audit_import(actor, job, result) -> None:
    services.record_import(actor, filename=job.filename, written=result.written)


register_import(bp, ImportPages(
    spec=YouthImport, prefix="/jeunes/import", upload_endpoint="import_youth", allowed=STAFF,
    slug="jeunes", form_template="crm/youth/import.html",
    list_endpoint="youth.list_youth", list_label="Jeunes",
    written_label="profil(s) enregistré(s)", written_flash="{count} profil(s) importé(s).",
    after_import=_audit_import))
