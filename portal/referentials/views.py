"""Autocomplete endpoints on reference data, and the territory admin page."""

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import ADMIN, public, roles
from portal.errors import DomainError
from portal.extensions import db, limiter
from portal.forms import EmptyForm
from portal.referentials import queries, services, zones
from portal.referentials.forms import AddCommuneForm, AddEpciForm

bp = Blueprint("referentials", __name__)

AUTOCOMPLETE_LIMIT = "120 per minute"


def _q() -> str:
    return request.args.get("q", "", type=str)


def _one(code_lookup, to_json):
    code = request.args.get("code", "", type=str)[:10]
    obj = code_lookup(code) if code else None
    return jsonify(results=[to_json(obj)] if obj else [])


def _commune_json(commune, in_territory=None):
    if in_territory is None:
        in_territory = queries.in_territory(commune.insee_code)
    hint = commune.epci.name if commune.epci else f"Département {commune.department_code}"
    if not in_territory:
        hint += " · hors territoire"
    return {"value": commune.insee_code, "label": commune.label, "hint": hint, "in_territory": in_territory}


@bp.get("/referentiels/communes")
@public
@limiter.limit(AUTOCOMPLETE_LIMIT)
def autocomplete_communes():
    if "code" in request.args:
        return _one(queries.get_commune, _commune_json)
    territory_only = request.args.get("territoire") == "1"
    rows = queries.autocomplete_communes(_q(), territory_only=territory_only)
    return jsonify(results=[_commune_json(c, t) for c, t in rows])


def _epci_json(epci):
    return {"value": epci.siren, "label": epci.name, "hint": f"SIREN {epci.siren} · {epci.member_count} communes"}


@bp.get("/referentiels/epci")
@public
@limiter.limit(AUTOCOMPLETE_LIMIT)
def autocomplete_epci():
    if "code" in request.args:
        return _one(queries.get_epci, _epci_json)
    return jsonify(results=[_epci_json(e) for e in queries.autocomplete_epci(_q())])


@bp.get("/referentiels/zones")
@public
@limiter.limit(AUTOCOMPLETE_LIMIT)
def autocomplete_zones():
    """Communes, intercommunalités and départements by name, for a zone typed as names."""
    return jsonify(results=[{"value": p.code, "label": p.label, "hint": p.hint, "kind": p.kind}
                            for p in zones.autocomplete(_q())])


def _appellation_json(a):
    return {"value": a.code, "label": a.label, "hint": f"{a.rome_code} · {a.rome.label}", "rome": a.rome_code}


@bp.get("/referentiels/appellations")
@public
@limiter.limit(AUTOCOMPLETE_LIMIT)
def autocomplete_appellations():
    if "code" in request.args:
        return _one(queries.get_appellation, _appellation_json)
    return jsonify(results=[_appellation_json(a) for a in queries.autocomplete_appellations(_q())])


def _rome_json(r):
    return {"value": r.code, "label": f"{r.code} – {r.label}", "hint": ""}


@bp.get("/referentiels/rome")
@public
@limiter.limit(AUTOCOMPLETE_LIMIT)
def autocomplete_rome():
    if "code" in request.args:
        return _one(queries.get_rome, _rome_json)
    return jsonify(results=[_rome_json(r) for r in queries.autocomplete_rome(_q())])


def _naf_json(n):
    return {"value": n.code, "label": f"{n.code} – {n.label}", "hint": n.section.label.capitalize()}


@bp.get("/referentiels/naf")
@public
@limiter.limit(AUTOCOMPLETE_LIMIT)
def autocomplete_naf():
    if "code" in request.args:
        return _one(queries.get_naf, _naf_json)
    return jsonify(results=[_naf_json(n) for n in queries.autocomplete_naf(_q())])


def _territory_page(commune_form=None, epci_form=None, status=200):
    communes = queries.territory_communes()
    groups: dict[str, dict] = {}
    for c in communes:
        key = c.epci_siren or ""
        group = groups.setdefault(key, {"epci": c.epci, "communes": []})
        group["communes"].append(c)
    return render_template(
        "portal/referentials/territory.html", groups=list(groups.values()), total=len(communes),
        commune_form=commune_form or AddCommuneForm(), epci_form=epci_form or AddEpciForm(),
        action_form=EmptyForm(),
    ), status


@bp.get("/admin/territoire")
@roles(ADMIN)
def show_territory():
    return _territory_page()


@bp.post("/admin/territoire/communes")
@roles(ADMIN)
def add_territory_commune():
    form = AddCommuneForm()
    if form.validate_on_submit():
        try:
            commune = services.add_commune(current_user, form.commune.data)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash(f"{commune.name} a été ajoutée au territoire.", "success")
            return redirect(url_for(".show_territory"), 303)
    return _territory_page(commune_form=form, status=422)


@bp.post("/admin/territoire/communes/<code>/retirer")
@roles(ADMIN)
def remove_territory_commune(code):
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            commune = services.remove_commune(current_user, code)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(f"{commune.name} a été retirée du territoire.", "success")
    return redirect(url_for(".show_territory"), 303)


@bp.post("/admin/territoire/epci")
@roles(ADMIN)
def add_territory_epci():
    form = AddEpciForm()
    if form.validate_on_submit():
        try:
            count = services.add_epci(current_user, form.epci.data)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash(f"{count} commune(s) ajoutée(s) au territoire.", "success")
            return redirect(url_for(".show_territory"), 303)
    return _territory_page(epci_form=form, status=422)


@bp.post("/admin/territoire/epci/<siren>/retirer")
@roles(ADMIN)
def remove_territory_epci(siren):
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            count = services.remove_epci(current_user, siren)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(f"{count} commune(s) retirée(s) du territoire.", "success")
    return redirect(url_for(".show_territory"), 303)
