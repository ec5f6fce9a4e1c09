"""Partner organisations views."""

from flask import Blueprint, jsonify, request

from crm.partners import queries
from portal.access import STAFF, roles

bp = Blueprint("partners", __name__)


@bp.get("/partenaires/autocompletion")
@roles(*STAFF)
def autocomplete_partners():
    if "code" in request.args:
        code = request.args.get("code", "", type=str)
        partner = queries.get_partner(int(code)) if code.isdigit() and len(code) < 12 else None
        found = [partner] if partner else []
    else:
        found = queries.autocomplete_partners(request.args.get("q", "", type=str)[:100])
    return jsonify(results=[{"value": str(p.id), "label": p.name, "hint": p.kind_label} for p in found])
