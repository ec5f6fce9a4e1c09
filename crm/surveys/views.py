"""The satisfaction survey: the direction sets it up and sends it, the team reads the results, respondents
answer by personal link (no account)."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from crm.surveys import queries, rules, services
from crm.surveys.forms import AnswerForm, SurveyForm
from portal import concurrency
from portal.access import ADMIN, STAFF, can, public, roles
from portal.accounts.tokens import TokenError
from portal.errors import DomainError
from portal.extensions import db, limiter
from portal.forms import EmptyForm

bp = Blueprint("surveys", __name__)


def _survey_or_404(survey_id: int):
    return queries.survey_for(current_user, survey_id) or abort(404)


def _render(template: str, form, **context):
    return render_template(template, form=form, **context), 422 if form.errors else 200


@bp.get("/enquetes")
@roles(*STAFF)
def list_surveys():
    surveys = db.session.scalars(queries.surveys_for(current_user)).all()
    results = {s.id: queries.results(s, with_comments=False).total for s in surveys}
    return render_template("crm/surveys/list.html", surveys=surveys, results=results, today=date.today())


@bp.route("/enquetes/nouvelle", methods=["GET", "POST"])
@roles(ADMIN)
def new_survey():
    form = SurveyForm()
    if request.method == "GET":
        year = date.today().year
        form.year.data, form.opens_on.data, form.closes_on.data = year, date(year, 11, 1), date(year, 12, 15)
        form.fill_wording(rules.DEFAULT_QUESTIONS)
    if form.validate_on_submit():
        try:
            survey = services.create_survey(current_user, year=form.year.data, opens_on=form.opens_on.data,
                                            closes_on=form.closes_on.data, wording=form.wording())
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash(f"{survey.title} créée.", "success")
            return redirect(url_for(".show_survey", survey_id=survey.id), 303)
    return _render("crm/surveys/form.html", form, survey=None)


@bp.route("/enquetes/<int:survey_id>/modifier", methods=["GET", "POST"])
@roles(ADMIN)
def edit_survey(survey_id: int):
    survey = _survey_or_404(survey_id)
    form = SurveyForm(obj=survey)
    if request.method == "GET":
        form.version.data = survey.version
        form.fill_wording(survey.questions)
    form.year.data = survey.year  # the year names the survey: it does not change
    if form.validate_on_submit():
        try:
            with concurrency.guard(survey, form, "Cette enquête a été modifiée"):
                services.update_survey(current_user, survey, version=form.version.data or None,
                                       opens_on=form.opens_on.data, closes_on=form.closes_on.data, wording=form.wording())
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash("L'enquête a été modifiée.", "success")
            return redirect(url_for(".show_survey", survey_id=survey.id), 303)
    return _render("crm/surveys/form.html", form, survey=survey)


@bp.post("/enquetes/<int:survey_id>/envoyer")
@roles(ADMIN)
def launch_survey(survey_id: int):
    survey = _survey_or_404(survey_id)
    if EmptyForm().validate_on_submit():
        try:
            count, missing = services.launch_survey(current_user, survey, today=date.today())
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(f"{count} invitation(s) envoyée(s).", "success")
            if missing:
                flash(f"Sans adresse électronique, donc non invités : {', '.join(missing[:10])}"
                      f"{' …' if len(missing) > 10 else ''}.", "warning")
    return redirect(url_for(".show_survey", survey_id=survey.id), 303)


@bp.get("/enquetes/<int:survey_id>")
@roles(*STAFF)
def show_survey(survey_id: int):
    survey = _survey_or_404(survey_id)
    result = queries.results(survey, with_comments=can(current_user, "surveys.read_comments", survey))
    return render_template("crm/surveys/results.html", survey=survey, result=result, today=date.today(),
                           action_form=EmptyForm())


@bp.route("/enquete/<token>", methods=["GET", "POST"])
@public
@limiter.limit("30 per minute")
def answer_by_link(token: str):
    try:
        invitation = services.read_answer_token(token, date.today())
    except TokenError as exc:
        return render_template("crm/surveys/link_error.html", message=exc.message), 400
    form = AnswerForm()
    form.label_with(invitation.survey.questions)
    if form.validate_on_submit():
        try:
            services.answer_survey(invitation, satisfaction=form.satisfaction.data,
                                   recommend=form.recommend_value(), improve=form.improve.data,
                                   comment=form.comment.data)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
            invitation = services.read_answer_token(token, date.today())
        else:
            db.session.commit()
            return render_template("crm/surveys/thanks.html", survey=invitation.survey)
    return _render("crm/surveys/answer.html", form, invitation=invitation, survey=invitation.survey)
