"""Hires and post-hire check-ins: « mes suivis », hire pages and forms, employers' answers, answer links."""

from datetime import date

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from crm.employers import queries as company_queries
from crm.followup import answers, queries, rules, services
from crm.followup.forms import (
    AnswerForm,
    CheckInForm,
    ExtraCheckInForm,
    HireForm,
    MediationForm,
    RuptureForm,
    ScheduleDefaultsForm,
    SendLinkForm,
    yes_no,
)
from crm.youth import queries as youth_queries
from portal.access import ADMIN, EMPLOYER, STAFF, public, roles
from portal.accounts.tokens import TokenError
from portal.errors import DomainError
from portal.extensions import db, limiter
from portal.pagination import paginate
from portal.privacy.services import log_access
from portal.text import is_digits

bp = Blueprint("followup", __name__)
PER_PAGE = 25


def _fail(form, exc: DomainError) -> None:
    db.session.rollback()
    form.add_error(exc.field, exc.message)


def _hire_or_404(hire_id: int):
    return queries.get_hire_for(current_user, hire_id) or abort(404)


@bp.get("/suivis")
@roles(*STAFF)
def list_follow_ups():
    mine = request.args.get("tous") != "1"
    today = date.today()
    page = paginate(queries.follow_up_queue(current_user, today=today, mine=mine), per_page=PER_PAGE)
    troubled = queries.hires_with_difficulty([c.hire_id for c in page.items])
    return render_template("crm/followup/queue.html", page=page, troubled=troubled, mine=mine, today=today)


@bp.get("/suivis/embauches")
@roles(*STAFF)
def list_hires():
    state = request.args.get("etat", "")
    contract = request.args.get("contrat", "")
    stmt = queries.list_hires(current_user, state=state, contract_type=contract, today=date.today())
    page = paginate(stmt, per_page=PER_PAGE)
    return render_template("crm/followup/hires.html", page=page, state=state, contract=contract,
                           states=rules.HIRE_STATES, contracts=rules.CONTRACT_TYPES)


@bp.get("/suivis/jeunes/autocompletion")
@roles(*STAFF)
def autocomplete_youth():
    code = request.args.get("code", "", type=str)
    if code:
        found = [y for y in [youth_queries.get_pickable_youth(current_user, int(code))] if y] if is_digits(code) \
            and len(code) < 12 else []
    else:
        found = youth_queries.autocomplete_youth(request.args.get("q", "", type=str)[:100])
    return jsonify(results=[{"value": str(y.id), "label": y.full_name,
                             "hint": " · ".join(x for x in (y.birth_date.strftime("%d/%m/%Y"),
                                                            y.commune.name if y.commune else None) if x)}
                            for y in found])


@bp.route("/suivis/embauches/nouvelle", methods=["GET", "POST"])
@roles(*STAFF)
def create_hire():
    form = HireForm()
    if request.method == "GET" and is_digits(request.args.get("jeune", "")):
        form.youth_id.data = request.args["jeune"]
    if form.validate_on_submit():
        youth = youth_queries.get_pickable_youth(current_user, int(form.youth_id.data)) \
            if is_digits(form.youth_id.data) and len(form.youth_id.data) < 12 else None
        company = company_queries.get_company(int(form.company_id.data)) \
            if is_digits(form.company_id.data) and len(form.company_id.data) < 12 else None
        try:
            hire = services.create_hire(
                current_user, youth=youth, company=company, contract_type=form.contract_type.data,
                start_on=form.start_on.data, end_on=form.end_on.data, trial_end_on=form.trial_end_on.data,
                hours_per_week=form.hours_per_week.data, appellation_code=form.appellation_code.data,
                job_title=form.job_title.data)
            db.session.commit()
        except DomainError as exc:
            _fail(form, exc)
        else:
            flash(f"Embauche enregistrée : {len(hire.check_ins)} points de suivi planifiés.", "success")
            return redirect(url_for("followup.show_hire", hire_id=hire.id), 303)
    return render_template("crm/followup/hire_form.html", form=form), 422 if form.errors else 200


def _render_hire(hire, *, mediation_form=None, extra_form=None, status=200):
    return render_template(
        "crm/followup/hire.html", hire=hire, today=date.today(),
        mediation_form=mediation_form or MediationForm(formdata=None, occurred_on=date.today()),
        extra_form=extra_form or ExtraCheckInForm(formdata=None), link_form=SendLinkForm(formdata=None),
        employer_email=answers.employer_recipient(hire)), status


@bp.get("/suivis/embauches/<int:hire_id>")
@roles(*STAFF)
def show_hire(hire_id: int):
    hire = _hire_or_404(hire_id)
    log_access(current_user, hire.youth_id, "embauche")  # RGPD: every view of a young person's data is logged
    db.session.commit()
    return _render_hire(hire)


@bp.post("/suivis/embauches/<int:hire_id>/mediations")
@roles(*STAFF)
def log_mediation(hire_id: int):
    hire = _hire_or_404(hire_id)
    form = MediationForm()
    if form.validate_on_submit():
        try:
            services.log_mediation(current_user, hire, kind=form.kind.data, occurred_on=form.occurred_on.data,
                                   note=form.note.data)
            db.session.commit()
        except DomainError as exc:
            _fail(form, exc)
        else:
            flash("Action de médiation enregistrée.", "success")
            return redirect(url_for("followup.show_hire", hire_id=hire_id, _anchor="mediations"), 303)
    return _render_hire(_hire_or_404(hire_id), mediation_form=form, status=422)


@bp.post("/suivis/embauches/<int:hire_id>/points")
@roles(*STAFF)
def add_check_in(hire_id: int):
    hire = _hire_or_404(hire_id)
    form = ExtraCheckInForm()
    if form.validate_on_submit():
        try:
            services.add_check_in(current_user, hire, due_on=form.due_on.data, label=form.label.data)
            db.session.commit()
        except DomainError as exc:
            _fail(form, exc)
        else:
            flash("Point de suivi ajouté.", "success")
            return redirect(url_for("followup.show_hire", hire_id=hire_id), 303)
    return _render_hire(_hire_or_404(hire_id), extra_form=form, status=422)


@bp.route("/suivis/embauches/<int:hire_id>/rupture", methods=["GET", "POST"])
@roles(*STAFF)
def record_rupture(hire_id: int):
    hire = _hire_or_404(hire_id)
    if hire.is_ruptured:
        flash(f"La rupture de ce contrat est déjà enregistrée (le {hire.ended_on:%d/%m/%Y}).", "warning")
        return redirect(url_for("followup.show_hire", hire_id=hire_id), 303)
    form = RuptureForm()
    if form.validate_on_submit():
        try:
            services.record_rupture(current_user, hire, ended_on=form.ended_on.data, initiative=form.initiative.data,
                                    reason=form.reason.data, note=form.note.data,
                                    reopen_positioning=yes_no(form.reopen_positioning.data))
            db.session.commit()
        except DomainError as exc:
            _fail(form, exc)
            hire = _hire_or_404(hire_id)
        else:
            flash("Rupture enregistrée ; les points de suivi à venir sont annulés.", "success")
            return redirect(url_for("followup.show_hire", hire_id=hire_id), 303)
    return render_template("crm/followup/rupture_form.html", form=form, hire=hire), 422 if form.errors else 200


def _check_in_or_404(check_in_id: int):
    return queries.get_check_in_for(current_user, check_in_id) or abort(404)


@bp.route("/suivis/points/<int:check_in_id>", methods=["GET", "POST"])
@roles(*STAFF)
def record_check_in(check_in_id: int):
    check_in = _check_in_or_404(check_in_id)
    form = CheckInForm()
    if form.validate_on_submit():
        rupture = {"ended_on": form.ended_on.data, "initiative": form.initiative.data or None,
                   "reason": form.reason.data or None, "note": form.note.data,
                   "reopen_positioning": yes_no(form.reopen_positioning.data)}
        try:
            services.record_check_in(current_user, check_in, channel=form.channel.data,
                                     situation=form.situation.data, summary=form.summary.data,
                                     next_step=form.next_step.data, rupture=rupture)
            db.session.commit()
        except DomainError as exc:
            _fail(form, exc)
            check_in = _check_in_or_404(check_in_id)
        else:
            flash("Point de suivi enregistré.", "success")
            return redirect(url_for("followup.show_hire", hire_id=check_in.hire_id), 303)
    return (render_template("crm/followup/check_in_form.html", form=form, check_in=check_in, hire=check_in.hire),
            422 if form.errors else 200)


@bp.post("/suivis/points/<int:check_in_id>/lien")
@roles(*STAFF)
def send_answer_link(check_in_id: int):
    check_in = _check_in_or_404(check_in_id)
    form = SendLinkForm()
    if not form.validate_on_submit() or form.side.data not in rules.SIDES:
        abort(400)
    try:
        recipient = answers.send_answer_link(current_user, check_in, form.side.data)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(f"Lien de réponse envoyé à {recipient}.", "success")
    return redirect(url_for("followup.show_hire", hire_id=check_in.hire_id, _anchor=f"suivi-{check_in_id}"), 303)


@bp.route("/suivis/parametres", methods=["GET", "POST"])
@roles(ADMIN)
def edit_schedule_defaults():
    current = services.schedule_defaults()
    form = ScheduleDefaultsForm()
    if request.method == "GET":
        for code, (offsets, include_trial_end) in current.items():
            form[f"offsets_{code}"].data = ", ".join(str(o) for o in offsets)
            form[f"trial_{code}"].data = include_trial_end
    if form.validate_on_submit():
        settings = {code: (form[f"offsets_{code}"].data, form[f"trial_{code}"].data) for code in rules.CONTRACT_TYPES}
        try:
            services.save_schedule_defaults(current_user, settings)
            db.session.commit()
        except DomainError as exc:
            _fail(form, exc)
        else:
            flash("Échéances enregistrées : elles s'appliquent aux prochaines embauches.", "success")
            return redirect(url_for("followup.edit_schedule_defaults"), 303)
    return (render_template("crm/followup/schedule_defaults.html", form=form, contracts=rules.CONTRACT_TYPES),
            422 if form.errors else 200)


# --- employers ---------------------------------------------------------------------------------------


@bp.get("/suivis/recrutements")
@roles(EMPLOYER)
def list_employer_check_ins():
    page = paginate(queries.employer_check_ins(current_user, today=date.today()), per_page=PER_PAGE)
    return render_template("crm/followup/employer_list.html", page=page)


@bp.route("/suivis/recrutements/<int:check_in_id>", methods=["GET", "POST"])
@roles(EMPLOYER)
def answer_employer_check_in(check_in_id: int):
    check_in = _check_in_or_404(check_in_id)
    if check_in.due_on > date.today():
        abort(404)
    form = AnswerForm()
    if check_in.employer_answered_at is None and form.validate_on_submit():
        try:
            answers.answer_check_in(current_user, check_in, rules.EMPLOYER, in_post=yes_no(form.in_post.data),
                                    satisfaction=form.satisfaction.data,
                                    difficulties=yes_no(form.difficulties.data), comment=form.comment.data)
            db.session.commit()
        except DomainError as exc:
            _fail(form, exc)
            check_in = _check_in_or_404(check_in_id)
        else:
            flash("Merci, votre réponse est transmise à la Mission Locale.", "success")
            return redirect(url_for("followup.list_employer_check_ins"), 303)
    return (render_template("crm/followup/answer.html", form=form, check_in=check_in, hire=check_in.hire,
                            side=rules.EMPLOYER, action=request.path), 422 if form.errors else 200)


@bp.route("/suivi/reponse/<token>", methods=["GET", "POST"])
@public
@limiter.limit("30 per minute")
def answer_by_link(token: str):
    try:
        check_in, side = answers.read_answer_token(token)
    except TokenError as exc:
        return render_template("crm/followup/link_error.html", message=exc.message), 400
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            answers.answer_check_in(None, check_in, side, in_post=yes_no(form.in_post.data),
                                    satisfaction=form.satisfaction.data,
                                    difficulties=yes_no(form.difficulties.data), comment=form.comment.data)
            db.session.commit()
        except DomainError as exc:
            _fail(form, exc)
            check_in, side = answers.read_answer_token(token)
        else:
            return render_template("crm/followup/answer_thanks.html", side=side)
    return (render_template("crm/followup/answer.html", form=form, check_in=check_in, hire=check_in.hire, side=side,
                            action=request.path), 422 if form.errors else 200)


from crm.followup import views_corrections, views_exports  # noqa: E402, F401 - routes of the same blueprint
