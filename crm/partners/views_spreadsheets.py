"""Exports of the partners and conventions lists (blueprint `partners`): what the list shows, with its
filters, every page, streamed."""

from flask import request
from flask_login import current_user

from crm.partners import queries
from crm.partners.views import bp, conventions_filters, partners_filters
from crm.partners.xlsx import CONVENTIONS, PARTNERS
from portal.access import PARTNER, STAFF, roles


@bp.get("/partenaires/export.xlsx")
@roles(*STAFF)
def export_partners():
    filters = partners_filters(request.args)
    stmt = queries.filtered_partners(current_user, q=filters["q"], kind=filters["type"],
                                     archived=filters["archives"] == "1")
    return PARTNERS.export("partenaires.xlsx", stmt)


@bp.get("/partenaires/conventions/export.xlsx")
@roles(*STAFF, PARTNER)
def export_conventions():
    filters = conventions_filters(request.args)
    stmt = queries.filtered_conventions(current_user, status=filters["statut"],
                                        expiring_within=60 if filters["echeance"] == "1" else None)
    return CONVENTIONS.export("conventions.xlsx", stmt)
