"""Ranked suggestions, positionings, and the employer's view of proposed candidates."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from crm.matching import queries, services
from crm.matching.forms import AnswerForm, NoteForm
from crm.matching.rules import WEIGHTS
from crm.offers.queries import get_offer
from crm.youth.queries import get_pickable_youth, get_youth
from crm.youth.rules import SCOPES_WITH_CONTACT
from portal.access import EMPLOYER, STAFF, roles
from portal.errors import DomainError
from portal.extensions import db
from portal.pagination import ListPage, paginate
from portal.privacy.services import log_access
from portal.text import is_digits

bp = Blueprint("matching", __name__)

CANDIDATES_PER_PAGE = 20
PER_PAGE = 25

MOVES = {
    "proposer": (services.propose, "Candidature proposée à l'employeur, qui en est prévenu par courriel."),
    "entretien": (services.record_interview, "Entretien noté."),
    "embauche": (services.mark_hired, "Embauche enregistrée."),
    "non-retenue": (services.reject, "Mise en relation close : non retenue."),
    "desistement": (services.withdraw, "Désistement noté."),
}


@bp.get("/offres/<int:offer_id>/candidats")
@roles(*STAFF)
def rank_for_offer(offer_id: int):
    offer = get_offer(current_user, offer_id)
    if offer is None:
        abort(404)
    result = queries.rank_youth_for_offer(offer)
    ranked = ListPage.of(result.ranked, request.args.get("page", 1, type=int), CANDIDATES_PER_PAGE)
    return render_template("crm/matching/for_offer.html", offer=offer, result=result, ranked=ranked,
                           weights=WEIGHTS, form=NoteForm(formdata=None))


@bp.get("/mises-en-relation/a-traiter")
@roles(*STAFF)
def list_awaiting_positionings():
    """Every positioning waiting on the counsellor: the whole list of the home's to-do (the same query)."""
    page = paginate(queries.awaiting_counsellor(current_user), per_page=PER_PAGE)
    return render_template("crm/matching/awaiting.html", page=page)


@bp.get("/jeunes/<int:youth_id>/offres")
@roles(*STAFF)
def rank_for_youth(youth_id: int):
    youth = get_youth(current_user, youth_id)
    if youth is None:
        abort(404)
    result = queries.rank_offers_for_youth(youth)
    return render_template("crm/matching/for_youth.html", youth=youth, result=result, weights=WEIGHTS,
                           form=NoteForm(formdata=None))


@bp.post("/offres/<int:offer_id>/candidats/<int:youth_id>/retenir")
@roles(*STAFF)
def keep_candidate(offer_id: int, youth_id: int):
    offer, youth = get_offer(current_user, offer_id), get_pickable_youth(current_user, youth_id)
    if offer is None or youth is None:
        abort(404)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            services.keep_suggestion(current_user, offer=offer, youth=youth, note=form.note.data)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(f"{youth.full_name} est retenu·e pour « {offer.title} ».", "success")
    else:
        flash("La note est trop longue (2 000 caractères au maximum).", "error")
    return redirect(url_for("offers.show_offer", offer_id=offer.id), 303)


def _ids(name: str) -> list[int]:
    return [int(v) for v in request.form.getlist(name) if is_digits(v)][:200]


@bp.post("/offres/<int:offer_id>/candidats/retenir")
@roles(*STAFF)
def keep_candidates(offer_id: int):
    """Keep every ticked candidate of the ranking, with one shared note: all or none."""
    offer = get_offer(current_user, offer_id)
    if offer is None:
        abort(404)
    form = NoteForm()
    youths = [get_pickable_youth(current_user, youth_id) for youth_id in _ids("youth_ids")]
    if not form.validate_on_submit():
        flash("La note est trop longue (2 000 caractères au maximum).", "error")
    elif None in youths:
        flash("Un des jeunes cochés n'est plus disponible : rien n'a été retenu. Rechargez la page.", "error")
    else:
        try:
            kept = services.keep_many(current_user, offer=offer, youths=youths, note=form.note.data)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(f"{len(kept)} candidat·e(s) retenu·e(s) pour « {offer.title} ».", "success")
            return redirect(url_for("offers.show_offer", offer_id=offer.id), 303)
    return redirect(url_for(".rank_for_offer", offer_id=offer.id), 303)


@bp.post("/offres/<int:offer_id>/mises-en-relation/<move>")
@roles(*STAFF)
def move_positionings(offer_id: int, move: str):
    """One step for every ticked positioning of the offer (propose, interview, hired…): all or none."""
    offer = get_offer(current_user, offer_id)
    if offer is None or move not in MOVES:
        abort(404)
    action, message = MOVES[move]
    form = NoteForm()
    wanted = set(_ids("positioning_ids"))
    positionings = [p for p in queries.positionings_of_offer(current_user, offer) if p.id in wanted]
    if not form.validate_on_submit():
        flash("La note est trop longue (2 000 caractères au maximum).", "error")
    elif len(positionings) != len(wanted):
        flash("Une des mises en relation cochées n'est plus sur cette offre : rien n'a été changé.", "error")
    else:
        try:
            services.move_many(current_user, positionings, action, note=form.note.data)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(f"{len(positionings)} mise(s) en relation : {message}", "success")
    return redirect(url_for("offers.show_offer", offer_id=offer.id), 303)


@bp.post("/mises-en-relation/<int:positioning_id>/<move>")
@roles(*STAFF)
def move_positioning(positioning_id: int, move: str):
    positioning = queries.get_positioning(current_user, positioning_id)
    if positioning is None or move not in MOVES:
        abort(404)
    action, message = MOVES[move]
    form = NoteForm()
    if form.validate_on_submit():
        try:
            action(current_user, positioning, note=form.note.data)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(message, "success")
    else:
        flash("La note est trop longue (2 000 caractères au maximum).", "error")
    return redirect(url_for("offers.show_offer", offer_id=positioning.offer_id), 303)


@bp.route("/candidatures/<int:positioning_id>", methods=["GET", "POST"])
@roles(*STAFF, EMPLOYER)
def show_candidate(positioning_id: int):
    positioning = queries.get_positioning(current_user, positioning_id)
    if positioning is None:
        abort(404)
    form = AnswerForm()
    if current_user.role == EMPLOYER and form.validate_on_submit():
        try:
            services.answer_as_employer(current_user, positioning, answer=form.answer.data, reason=form.reason.data,
                                        comment=form.comment.data)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash("Merci : votre réponse est transmise à la Mission Locale.", "success")
            return redirect(url_for("offers.show_offer", offer_id=positioning.offer_id), 303)
    shows_contact = positioning.youth.consent_scope in SCOPES_WITH_CONTACT
    log_access(current_user, positioning.youth_id, "candidature")  # RGPD: every view is logged
    db.session.commit()
    return render_template("crm/matching/candidate.html", positioning=positioning, youth=positioning.youth,
                           form=form, shows_contact=shows_contact), (422 if form.errors else 200)
