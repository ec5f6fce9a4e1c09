"""PMSMP views: list, detail, convention form, transitions, signatures by link or account, assessment,
documents and the staff rules page."""

from datetime import date

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from crm.employers import queries as companies
from crm.pmsmp import convention, documents, queries, rules, services, signing
from crm.pmsmp.forms import DEFAULT_WEEK, SLOTS, AssessmentForm, PlacementForm, ReasonForm, SignForm
from crm.pmsmp.links import ConventionEnded, LinkError
from crm.pmsmp.models import PlacementStatusChange
from crm.youth import queries as youth_queries
from portal import concurrency, dates
from portal.access import EMPLOYER, STAFF, can, public, roles
from portal.accounts.models import User
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.pagination import paginate
from portal.privacy.services import log_access
from portal.text import is_digits

bp = Blueprint("pmsmp", __name__, url_prefix="/pmsmp")


def _placement(placement_id: int, action: str = "pmsmp.read"):
    """The convention if the user may see it (404 otherwise), and may do `action` (403 otherwise)."""
    p = queries.get_placement_for(current_user, placement_id)
    if p is None:
        abort(404)
    if not can(current_user, action, p):
        abort(403)
    return p


def _client() -> dict:
    return {"ip": request.remote_addr, "user_agent": request.user_agent.string}


@bp.get("/")
@roles(*STAFF, EMPLOYER)
def list_placements():
    filters = queries.Filters(q=request.args.get("q", "", type=str)[:80],
                              status=request.args.get("statut", "", type=str),
                              objective=request.args.get("objectif", "", type=str),
                              period=request.args.get("periode", "", type=str),
                              mine=request.args.get("miennes") == "1")
    page = paginate(queries.search_placements(current_user, filters, date.today()), per_page=25)
    return render_template("crm/pmsmp/list.html", page=page, filters=filters, rules=rules)


@bp.get("/regles")
@roles(*STAFF)
def show_rules():
    return render_template("crm/pmsmp/rules.html", legal_rules=rules.LEGAL_RULES.values(),
                           holidays=dates.public_holidays(date.today().year))


@bp.get("/<int:placement_id>")
@roles(*STAFF, EMPLOYER)
def show_placement(placement_id):
    return _render_detail(_placement(placement_id))


def _render_detail(p, sign_form: SignForm | None = None):
    log_access(current_user, p.youth_id, "pmsmp")  # RGPD: every view of a young person's data is logged
    db.session.commit()
    log = db.session.scalars(select(PlacementStatusChange).where(
        PlacementStatusChange.placement_id == p.id).order_by(PlacementStatusChange.id)).all()
    sign_form = sign_form or SignForm(formdata=None)
    return render_template("crm/pmsmp/detail.html", p=p, log=log, empty=EmptyForm(), sign_form=sign_form,
                           signatories=convention.signatories(p),
                           warnings=convention.current_warnings(p, date.today()),
                           current_hash=convention.content_hash(p), WEEKDAYS=rules.WEEKDAYS), (
        422 if sign_form.errors else 200)


def _counsellor_choices(form: PlacementForm) -> None:
    staff = db.session.scalars(select(User).where(User.role.in_(STAFF), User.active.is_(True))
                               .order_by(User.full_name)).all()
    form.counsellor_id.choices = [SelectChoice(u.id, u.display_name) for u in staff]


EMAIL_FIELDS = ("youth_email", "tutor_email", "representatives_emails")


def _save(form: PlacementForm, placement=None):
    """Resolve the parties, call the service; returns the convention or None (errors on the form)."""
    youth = youth_queries.get_pickable_youth(current_user, int(form.youth_id.data)) \
        if is_digits(form.youth_id.data) and len(form.youth_id.data) < 12 else None
    company = companies.get_company(int(form.company_id.data)) if is_digits(form.company_id.data) else None
    if youth is None:
        form.add_error("youth_id", "Jeune introuvable : choisissez-le dans la liste proposée.")
    if company is None:
        form.add_error("company_id", "Structure introuvable : choisissez-la dans la liste proposée.")
    if youth is None or company is None or not form.check_representatives():
        return None
    try:
        if placement is None:
            placement, found = services.create_placement(current_user, youth=youth, today=date.today(),
                                                         **form.values())
        else:
            with concurrency.guard(placement, form, "Cette convention a été modifiée"):
                changes, found = services.update_placement(current_user, placement, youth=youth, today=date.today(),
                                                           version=form.version.data, **form.values())
            if changes.substantive and placement.status == rules.TO_SIGN and placement.signatures:
                flash(f"Modification de fond ({changes.labels()}) : les signatures ont été effacées et chaque "
                      "signataire a reçu un nouveau lien.", "warning")
            elif changes.cosmetic and not changes.substantive:
                resent = (" La personne dont l'adresse a changé, si elle n'a pas encore signé, reçoit un nouveau lien "
                          "à cette adresse ; l'ancien ne fonctionne plus."
                          if set(changes.cosmetic) & set(EMAIL_FIELDS) and placement.status in rules.SIGNING else "")
                flash(f"Correction de forme ({changes.labels('cosmetic')}) : les signatures sont conservées.{resent}",
                      "info")
    except services.ConventionRefused as exc:
        db.session.rollback()
        for problem in exc.problems:
            form.add_error(problem.field, problem.message)
        return None
    except DomainError as exc:
        db.session.rollback()
        form.add_error(exc.field, exc.message)
        return None
    db.session.commit()
    for warning in found:
        flash(warning.message, "warning")
    return placement


def _render_form(form: PlacementForm, placement=None, renewal_of=None):
    return render_template("crm/pmsmp/form.html", form=form, p=placement, renewal_of=renewal_of, SLOTS=SLOTS,
                           WEEKDAYS=rules.WEEKDAYS), (422 if form.errors or form.form_errors else 200)


@bp.route("/nouvelle", methods=["GET", "POST"])
@roles(*STAFF)
def create_placement():
    form = PlacementForm()
    _counsellor_choices(form)
    renewal_of = None
    renew_id = request.args.get("renouvelle", "", type=str)
    if is_digits(renew_id):
        renewal_of = _placement(int(renew_id), "pmsmp.renew")
    if request.method == "GET":
        form.counsellor_id.data = current_user.id
        form.load_periods(DEFAULT_WEEK)
        if renewal_of is not None:
            form.load(renewal_of)
            form.start_date.data = form.end_date.data = form.version.data = None
            form.renewal_of_id.data = str(renewal_of.id)
        form.youth_id.data = form.youth_id.data or request.args.get("jeune", "", type=str)[:12]
        form.company_id.data = form.company_id.data or request.args.get("entreprise", "", type=str)[:12]
    elif form.validate_on_submit():
        placement = _save(form)
        if placement is not None:
            flash(f"Convention {placement.reference} enregistrée en brouillon.", "success")
            return redirect(url_for(".show_placement", placement_id=placement.id), 303)
    return _render_form(form, renewal_of=renewal_of)


@bp.route("/<int:placement_id>/modifier", methods=["GET", "POST"])
@roles(*STAFF)
def edit_placement(placement_id):
    p = _placement(placement_id, "pmsmp.edit")
    form = PlacementForm()
    _counsellor_choices(form)
    if request.method == "GET":
        form.load(p)
    elif form.validate_on_submit() and _save(form, p) is not None:
        flash("Convention mise à jour.", "success")
        return redirect(url_for(".show_placement", placement_id=p.id), 303)
    return _render_form(form, placement=p)


def _transition(placement_id: int, action: str, fn, success: str):
    p = _placement(placement_id, action)
    if EmptyForm().validate_on_submit():
        try:
            fn(p)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(success, "success")
    return redirect(url_for(".show_placement", placement_id=placement_id), 303)


@bp.post("/<int:placement_id>/envoyer")
@roles(*STAFF)
def send_placement(placement_id):
    return _transition(placement_id, "pmsmp.send", lambda p: signing.send_for_signature(current_user, p),
                       "Convention envoyée : chaque signataire a reçu son lien personnel.")


@bp.post("/<int:placement_id>/renvoyer/<role>")
@roles(*STAFF)
def resend_link(placement_id, role):
    if role not in rules.SIGNATORY_ROLES:
        abort(404)
    return _transition(placement_id, "pmsmp.resend", lambda p: signing.resend_link(current_user, p, role),
                       f"Lien renvoyé ({rules.SIGNATORY_ROLES[role]}).")


@bp.post("/<int:placement_id>/signer")
@roles(EMPLOYER)
def sign_placement(placement_id):
    """The host signs from its account, ticking the same « J'ai lu et j'accepte » as a signatory by link."""
    p = _placement(placement_id, "pmsmp.sign")
    form = SignForm()
    if not form.validate_on_submit():
        return _render_detail(p, form)
    try:
        signing.sign_as_employer(current_user, p, **_client())
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash("Vous avez signé la convention pour votre structure.", "success")
    return redirect(url_for(".show_placement", placement_id=placement_id), 303)


@bp.post("/<int:placement_id>/valider")
@roles(*STAFF)
def validate_placement(placement_id):
    return _transition(placement_id, "pmsmp.validate", lambda p: services.validate_placement(current_user, p),
                       "Convention validée : les signataires en sont informés.")


def _with_reason(placement_id: int, action: str, fn, title: str, success: str):
    p = _placement(placement_id, action)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            fn(current_user, p, reason=form.reason.data)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash(success, "success")
            return redirect(url_for(".show_placement", placement_id=p.id), 303)
    return render_template("crm/pmsmp/reason.html", form=form, p=p, title=title), (422 if form.errors else 200)


@bp.route("/<int:placement_id>/refuser", methods=["GET", "POST"])
@roles(*STAFF)
def refuse_placement(placement_id):
    return _with_reason(placement_id, "pmsmp.refuse", services.refuse_placement, "Refuser la convention",
                        "Convention refusée : les signataires en sont informés.")


@bp.route("/<int:placement_id>/annuler", methods=["GET", "POST"])
@roles(*STAFF)
def cancel_placement(placement_id):
    return _with_reason(placement_id, "pmsmp.cancel", services.cancel_placement, "Annuler la convention",
                        "Convention annulée : les signataires en sont informés.")


def _assess(form: AssessmentForm, p, *, actor, role: str) -> bool:
    try:
        services.record_assessment(actor, p, today=date.today(), filled_by_role=role,
                                   filled_by_name=form.filled_by_name.data.strip(), **form.values())
    except DomainError as exc:
        db.session.rollback()
        form.add_error(exc.field, exc.message)
        return False
    db.session.commit()
    return True


@bp.route("/<int:placement_id>/bilan", methods=["GET", "POST"])
@roles(*STAFF, EMPLOYER)
def assess_placement(placement_id):
    p = _placement(placement_id, "pmsmp.assess")
    form = AssessmentForm()
    if request.method == "GET":
        form.filled_by_name.data = current_user.display_name
    role = "employeur" if current_user.role == EMPLOYER else "conseiller"
    if form.validate_on_submit() and _assess(form, p, actor=current_user, role=role):
        flash("Bilan enregistré : la convention est terminée.", "success")
        return redirect(url_for(".show_placement", placement_id=p.id), 303)
    return render_template("crm/pmsmp/assess.html", form=form, p=p, by_link=False), (422 if form.errors else 200)


def _pdf(content: bytes, name: str):
    response = make_response(content)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _logged_pdf(p, content: bytes, name: str, what: str):
    """A document about the young person, downloaded with an account: the access is logged (RGPD)."""
    log_access(current_user, p.youth_id, what)
    db.session.commit()
    return _pdf(content, name)


@bp.get("/<int:placement_id>/convention.pdf")
@roles(*STAFF, EMPLOYER)
def placement_pdf(placement_id):
    p = _placement(placement_id)
    return _logged_pdf(p, documents.convention_pdf(p), f"{p.reference}.pdf", "pdf_convention")


@bp.get("/<int:placement_id>/bilan.pdf")
@roles(*STAFF, EMPLOYER)
def assessment_pdf(placement_id):
    p = _placement(placement_id)
    if p.assessment is None:
        abort(404)
    return _logged_pdf(p, documents.assessment_pdf(p), f"{p.reference}-bilan.pdf", "pdf_bilan")


def _link_error(exc: LinkError):
    db.session.rollback()
    if isinstance(exc, ConventionEnded):  # a genuine link, of a convention that will not be carried out
        return render_template("crm/pmsmp/link_ended.html", title=exc.title, message=exc.message), 410
    return render_template("crm/pmsmp/link_error.html", message=exc.message), 400


@bp.route("/signature/<token>", methods=["GET", "POST"])
@public
def sign_by_link(token):
    try:
        p, who, signature = signing.open_link(token)
    except LinkError as exc:
        return _link_error(exc)
    form = SignForm()
    if signature is None and form.validate_on_submit():
        try:
            signing.sign_by_link(token, **_client())
        except LinkError as exc:
            return _link_error(exc)
        db.session.commit()
        flash("Merci : votre signature est enregistrée.", "success")
        return redirect(url_for(".sign_by_link", token=token), 303)
    return render_template("crm/pmsmp/sign.html", p=p, who=who, signature=signature, form=form, token=token,
                           signatories=convention.signatories(p), WEEKDAYS=rules.WEEKDAYS), (
        422 if form.errors else 200)


@bp.get("/signature/<token>/convention.pdf")
@public
def pdf_by_link(token):
    try:
        p, _, _ = signing.open_link(token)
    except LinkError as exc:
        return _link_error(exc)
    return _pdf(documents.convention_pdf(p), f"{p.reference}.pdf")


@bp.route("/bilan/<token>", methods=["GET", "POST"])
@public
def assess_by_link(token):
    try:
        p = signing.open_assessment_link(token)
    except LinkError as exc:
        return _link_error(exc)
    if not services.can_be_assessed(p, date.today()):
        return _link_error(LinkError(f"Le bilan s'ouvre le premier jour de la période ({p.start_date:%d/%m/%Y}) "
                                     f"d'une convention validée (statut actuel : {p.status_label})."))
    form = AssessmentForm()
    if request.method == "GET":
        form.filled_by_name.data = p.tutor_name
    if form.validate_on_submit() and _assess(form, p, actor=None, role="tuteur"):
        return render_template("crm/pmsmp/assess_done.html", p=p)
    return render_template("crm/pmsmp/assess.html", form=form, p=p, by_link=True), (422 if form.errors else 200)
