"""The indicators dashboard and the report (xlsx) for the board and the funders."""

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from crm.reporting import queries, snapshots
from crm.reporting import xlsx as report
from crm.reporting.dashboard import EQUITY, SUMMARY, Area, Dashboard, dashboard
from crm.reporting.forms import FiltersForm
from crm.reporting.labels import filter_lines, scope_line
from crm.reporting.rules import CUSTOM, MONTH, PERIOD_KINDS, QUARTER, YEAR, FilterError, Filters
from crm.surveys import queries as surveys
from portal.access import ADMIN, COUNSELLOR, EMPLOYER, PARTNER, STAFF, can, roles
from portal.forms import EmptyForm, choices_of
from portal.xlsx_write import xlsx_download

bp = Blueprint("reporting", __name__)


def _read_filters() -> tuple[FiltersForm, Filters | None]:
    """The filters of the URL, checked; on bad input the form carries the French message."""
    form = FiltersForm(request.args)
    staff = current_user.role in (ADMIN, COUNSELLOR)
    if staff:
        form.epci.choices = choices_of([("", "Toutes")] + queries.territory_epcis())
        form.commune.choices = choices_of([("", "Toutes")] + queries.territory_communes(form.epci.data or None))
    if not form.validate():
        return form, None
    if form.annee.data is None and not form.annee.raw_data:
        form.annee.data = date.today().year  # the year counted when none is given, shown in the field
    try:
        filters = form.to_filters(date.today())
        if staff:
            queries.check_places(filters)
    except FilterError as exc:
        form.add_error(exc.field, exc.message)
        return form, None
    return form, filters


# The period fields each kind of period reads: the others are hidden (server-side, and by static/js/report.js
# when the period changes in the browser).
PERIOD_FIELDS = {"annee": (MONTH, QUARTER, YEAR), "mois": (MONTH,), "trimestre": (QUARTER,), "du": (CUSTOM,),
                 "au": (CUSTOM,)}


@dataclass
class Section:
    """One part of the dashboard, shown alone (`?rubrique=key`): the figures of every area (the summary),
    an area's charts and tables, the territorial equity or the satisfaction survey."""

    key: str
    title: str
    area: Area | None = None


def sections(board: Dashboard, survey_shown: bool) -> list[Section]:
    """The dashboard's sections in menu order; the first one (the summary) is shown when none is chosen."""
    result = [Section(SUMMARY, "Synthèse")] + [Section(area.key, area.title, area) for area in board.areas]
    if board.scope.is_staff:
        result.append(Section(EQUITY, "Équité territoriale"))
    if survey_shown:
        result.append(Section("satisfaction", "Satisfaction des employeurs et partenaires"))
    return result


def _shown_periods(form: FiltersForm) -> dict[str, bool]:
    """Whether each period field is shown: the chosen kind of period reads it, or it holds an error."""
    kind = form.periode.data if form.periode.data in PERIOD_KINDS else None
    return {name: kind is None or kind in kinds or bool(form[name].errors) for name, kinds in PERIOD_FIELDS.items()}


def _render_invalid(form: FiltersForm):
    return render_template("crm/reporting/dashboard.html", form=form, board=None,
                           period_fields=PERIOD_FIELDS, shown=_shown_periods(form)), 422


@bp.get("/indicateurs")
@roles(ADMIN, COUNSELLOR, EMPLOYER, PARTNER)
def show_dashboard():
    form, filters = _read_filters()
    if filters is None:
        return _render_invalid(form)
    chosen = request.args.get("rubrique") or SUMMARY
    snapshot = snapshots.board_for(current_user, filters, date.today(), chosen)
    board = snapshot.board
    survey_shown = current_user.role in STAFF
    menu = sections(board, survey_shown)
    section = next((s for s in menu if s.key == chosen), None)
    return render_template("crm/reporting/dashboard.html", form=form, board=board,
                           lines=filter_lines(board.filters), scope=scope_line(board.scope),
                           period_fields=PERIOD_FIELDS, shown=_shown_periods(form), sections=menu,
                           section=section, unknown_section=None if section else chosen, snapshot=snapshot,
                           recount_form=EmptyForm(),
                           survey_year=filters.current.end.year,
                           result=_survey_results(filters) if chosen == "satisfaction" else None,
                           ), 200 if section else 404


@bp.post("/indicateurs/recalculer")
@roles(ADMIN, COUNSELLOR, EMPLOYER, PARTNER)
def recount_dashboard():
    """« Recalculer »: count the section shown again now, then show it (same filters, same section)."""
    args = {key: value[:100] for key, value in request.args.items()}  # the view's URL, to go back to
    _, filters = _read_filters()
    if filters is not None and EmptyForm().validate_on_submit():
        snapshots.board_for(current_user, filters, date.today(), args.get("rubrique") or SUMMARY, recount=True)
    return redirect(url_for(".show_dashboard", **args), 303)


def _survey_results(filters: Filters) -> surveys.Results | None:
    """The satisfaction survey of the period's (last) year, for the staff; its comments for the direction."""
    survey = surveys.survey_of_year(current_user, filters.current.end.year)
    if survey is None:
        return None
    return surveys.results(survey, with_comments=can(current_user, "surveys.read_comments", survey))


@bp.get("/indicateurs/rapport.xlsx")
@roles(ADMIN, COUNSELLOR, EMPLOYER, PARTNER)
def download_report():
    form, filters = _read_filters()
    if filters is None:
        return _render_invalid(form)
    board = dashboard(current_user, filters, date.today())
    return xlsx_download(report.filename(board), report.report_bytes(board, survey=_survey_results(filters)))
