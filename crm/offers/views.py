"""Offers: lists per role, the need form, the offer page, the life cycle, the public need page."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from crm.employers.queries import get_company
from crm.offers import queries, services
from crm.offers.forms import EditOfferForm, OfferForm, PublicNeedForm, StaffOfferForm, StatusForm
from crm.offers.rules import CANCELLED, CLOSED, FILLED, PUBLISHED, STATUSES, TRANSITIONS
from crm.offers.xlsx import OFFERS
from portal import concurrency, pages
from portal.access import EMPLOYER, PARTNER, STAFF, can, public, roles
from portal.errors import DomainError
from portal.extensions import db, limiter
from portal.forms import EmptyForm
from portal.pagination import paginate
from portal.referentials.vocabulary import CONTRACT_TYPES

bp = Blueprint("offers", __name__)
PAGE_SIZE = 25
STATUS_ACTIONS = {PUBLISHED: "Offre publiée.", CLOSED: "Offre close.", FILLED: "Offre marquée pourvue.",
                  CANCELLED: "Offre annulée."}


def _filtered():
    """The list filters as typed, and the scoped statement they give."""
    filters = {k: request.args.get(k, "", type=str)[:80] for k in ("q", "statut", "contrat", "commune")}
    stmt = queries.filtered(current_user, q=filters["q"], status=filters["statut"] if filters["statut"] in STATUSES
                            else "", contract=filters["contrat"] if filters["contrat"] in CONTRACT_TYPES else "",
                            commune=filters["commune"][:5])
    return filters, stmt


def _list(template_title: str):
    filters, stmt = _filtered()
    page = paginate(stmt, per_page=PAGE_SIZE)
    return render_template("crm/offers/list.html", page=page, filters=filters, title=template_title,
                           statuses=STATUSES, contracts=CONTRACT_TYPES)


@bp.get("/offres")
@roles(*STAFF)
def list_offers():
    return _list("Offres")


@bp.get("/mes-offres")
@roles(EMPLOYER)
def my_offers():
    return _list("Mes offres")


@bp.get("/offres-publiees")
@roles(PARTNER)
def published_offers():
    return _list("Offres publiées")


@bp.get("/offres/export.xlsx")
@roles(*STAFF, EMPLOYER, PARTNER)
def export_offers():
    """The list as filtered on screen (scoped to the user), every page, streamed in batches."""
    _, stmt = _filtered()
    return OFFERS.export("offres.xlsx", stmt)


def _offer_or_404(offer_id: int):
    offer = queries.get_offer(current_user, offer_id)
    if offer is None:
        abort(404)
    return offer


@bp.route("/offres/nouvelle", methods=["GET", "POST"])
@roles(*STAFF, EMPLOYER)
def new_offer():
    form = StaffOfferForm() if current_user.role in STAFF else OfferForm()
    if request.method == "GET" and "entreprise" in request.args and current_user.role in STAFF:
        form.company_id.data = request.args.get("entreprise", "", type=str)[:12]
    if form.validate_on_submit():
        try:
            company = _company_for_form(form)
            offer = services.create_offer(current_user, company=company, **form.offer_values())
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash("Besoin enregistré : la Mission Locale le relit avant de le publier."
                  if current_user.role == EMPLOYER else "Offre enregistrée (soumise) : publiez-la quand elle est prête.",
                  "success")
            return redirect(url_for(".show_offer", offer_id=offer.id), 303)
    return render_template("crm/offers/form.html", form=form, offer=None), (422 if form.errors else 200)


def _company_for_form(form):
    if current_user.role == EMPLOYER:
        return current_user.company
    company = get_company(int(form.company_id.data))
    if company is None or company.archived_at is not None:
        raise DomainError("Entreprise inconnue : choisissez-la dans la liste proposée.", field="company_id")
    return company


@bp.get("/offres/<int:offer_id>")
@roles(*STAFF, EMPLOYER, PARTNER)
def show_offer(offer_id: int):
    offer = _offer_or_404(offer_id)
    sections, context = pages.contributions("offers.detail", current_user, offer)
    return render_template("crm/offers/detail.html", offer=offer, sections=sections, **context,
                           next_statuses=TRANSITIONS[offer.status], statuses=STATUSES)


@bp.route("/offres/<int:offer_id>/modifier", methods=["GET", "POST"])
@roles(*STAFF)
def edit_offer(offer_id: int):
    return _edit(_offer_or_404(offer_id))


@bp.route("/mes-offres/<int:offer_id>/modifier", methods=["GET", "POST"])
@roles(EMPLOYER)
def edit_my_need(offer_id: int):
    """The employer corrects its own need while it is `soumise` (another company's: 404)."""
    offer = _offer_or_404(offer_id)
    if not can(current_user, "offers.edit_need", offer):
        flash("Ce besoin a été publié : pour le modifier, contactez la Mission Locale.", "error")
        return redirect(url_for(".show_offer", offer_id=offer.id), 303)
    return _edit(offer)


def _edit(offer):
    """Edit form with optimistic locking: the version the form was loaded with travels in a hidden field."""
    form = EditOfferForm(obj=offer)
    if request.method == "GET":
        form.version.data = offer.version
    if form.validate_on_submit():
        try:
            with concurrency.guard(offer, form, "Cette offre a été modifiée"):
                services.update_offer(current_user, offer, **form.offer_values())
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash("Offre modifiée.", "success")
            return redirect(url_for(".show_offer", offer_id=offer.id), 303)
    return render_template("crm/offers/form.html", form=form, offer=offer), (422 if form.errors else 200)


@bp.post("/offres/<int:offer_id>/statut/<target>")
@roles(*STAFF)
def change_offer_status(offer_id: int, target: str):
    offer = _offer_or_404(offer_id)
    form = StatusForm()
    if target not in STATUS_ACTIONS:
        abort(404)
    if not form.validate_on_submit():
        flash("Le motif est trop long (300 caractères au maximum).", "error")
        return redirect(url_for(".show_offer", offer_id=offer.id), 303)
    try:
        services.change_status(current_user, offer, target, reason=form.reason.data)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(STATUS_ACTIONS[target], "success")
    return redirect(url_for(".show_offer", offer_id=offer.id), 303)


@bp.post("/offres/<int:offer_id>/toujours-d-actualite")
@roles(*STAFF, EMPLOYER)
def confirm_still_open(offer_id: int):
    """« Toujours d'actualité » on an idle offer, from its page (the employer's home links there)."""
    offer = _offer_or_404(offer_id)
    if not EmptyForm().validate_on_submit() or not can(current_user, "offers.confirm_open", offer):
        flash("Cette offre n'attend pas de confirmation.", "error")
        return redirect(url_for(".show_offer", offer_id=offer.id), 303)
    try:
        services.confirm_still_open(current_user, offer)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash("Merci : l'offre reste ouverte, elle ne sera pas close.", "success")
    return redirect(url_for(".show_offer", offer_id=offer.id), 303)


# --- without an account -------------------------------------------------------------------------


@bp.route("/deposer-un-besoin", methods=["GET", "POST"])
@public
@limiter.limit("5 per hour", methods=["POST"])
def submit_need():
    form = PublicNeedForm()
    if form.validate_on_submit():
        if form.website.data:  # honeypot filled: a robot; answer as if all went well, keep nothing
            return render_template("crm/offers/public_sent.html"), 200
        values = form.offer_values()
        try:
            services.submit_public_need(siret=form.siret.data, company_name=form.company_name.data,
                                        commune_code=form.work_commune_code.data, contact_name=form.contact_name.data,
                                        contact_email=form.contact_email.data,
                                        contact_phone=form.contact_phone.data, **values)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            return render_template("crm/offers/public_sent.html"), 200
    return render_template("crm/offers/public_form.html", form=form), (422 if form.errors else 200)


@bp.get("/deposer-un-besoin/confirmation/<token>")
@public
@limiter.limit("30 per hour")
def confirm_need(token: str):
    try:
        offer = services.confirm_public_need(token[:500])
    except DomainError as exc:
        db.session.rollback()
        return render_template("crm/offers/public_confirmed.html", error=exc.message), 400
    db.session.commit()
    return render_template("crm/offers/public_confirmed.html", offer=offer, error=None)
