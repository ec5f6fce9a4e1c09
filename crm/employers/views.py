"""Employer relations views."""

from flask import Blueprint, jsonify, request

from crm.employers import queries
from portal.access import STAFF, roles

bp = Blueprint("employers", __name__)


@bp.get("/entreprises/autocompletion")
@roles(*STAFF)
def autocomplete_companies():
    if "code" in request.args:
        code = request.args.get("code", "", type=str)
        company = queries.get_company(int(code)) if code.isdigit() and len(code) < 12 else None
        found = [company] if company else []
    else:
        found = queries.autocomplete_companies(request.args.get("q", "", type=str)[:100])
    return jsonify(results=[
        {"value": str(c.id), "label": c.name,
         "hint": " · ".join(x for x in (c.siret, c.commune.name if c.commune else None) if x)}
        for c in found])
