"""The report for the board and the funders: one workbook built from the same `Dashboard` as the pages, so
that every number is the dashboard's, with native Excel charts (openpyxl) drawn from the sheet's cells.

The workbook holds aggregates only (a few hundred cells), so it is built in memory rather than streamed.
"""

import io

from flask import current_app
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from crm.reporting.dashboard import Dashboard
from crm.reporting.labels import filter_lines, scope_line
from crm.reporting.queries import Figure
from crm.reporting.tables import Table
from crm.surveys.queries import Results
from portal.xlsx_write import safe_cell


def _title() -> str:
    """The report's title, with the organisation's configured name (the territory is data, not code)."""
    return f"Rapport d'activité — {current_app.config['ORGANISATION_NAME']}"


BOLD = Font(bold=True)
HEADING = Font(bold=True, size=14)
PERCENT = "0.0%"
INTEGER = "#,##0"


def report_bytes(board: Dashboard, *, survey: Results | None = None) -> bytes:
    """The whole report as xlsx bytes; with the satisfaction survey's sheet when `survey` is given."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Synthèse"
    _summary(summary, board)
    for area in board.areas:
        _area_sheet(workbook.create_sheet(_sheet_name(area.title)), area, board)
    if board.equity is not None:
        sheet = workbook.create_sheet("Équité territoriale")
        sheet.append([_title()])
        sheet["A1"].font = HEADING
        sheet.append([f"Période : {board.filters.current.label}"])
        sheet.append([])
        _table(sheet, board.equity, chart_column=6, chart_title="Jeunes touchés pour 1 000 habitants")
    if survey is not None:
        _survey_sheet(workbook.create_sheet("Satisfaction"), survey)
    _definitions(workbook.create_sheet("Définitions"), board)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str) -> str:
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31].strip()


def _header(sheet, values: list) -> None:
    sheet.append([safe_cell(v) for v in values])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _summary(sheet, board: Dashboard) -> None:
    sheet.append([_title()])
    sheet["A1"].font = HEADING
    sheet.append([f"Édité le {board.today:%d/%m/%Y}"])
    sheet.append([scope_line(board.scope)])
    for line in filter_lines(board.filters):
        sheet.append([line])
    sheet.append([])
    _header(sheet, ["Rubrique", "Indicateur", board.filters.current.label.capitalize(),
                    board.filters.previous.label.capitalize(), "Évolution", "Unité"])
    for area in board.areas:
        for figure in area.figures:
            _figure_row(sheet, area.title, figure)
    _widths(sheet, [28, 44, 18, 22, 12, 30])


def _figure_row(sheet, first: str, figure: Figure, *, definition: bool = False) -> None:
    """One figure: `first` (area or nothing), label, period, previous period, change, unit (+ definition)."""
    previous = figure.previous if figure.periodic else None
    values = [figure.indicator.label, figure.value, previous, figure.change, _unit(figure)]
    if definition:
        values.append(figure.indicator.definition)
    else:
        values.insert(0, first)
    sheet.append(values)
    row = sheet.max_row
    fmt = PERCENT if figure.indicator.is_rate else ("0.0" if figure.indicator.kind == "median" else INTEGER)
    offset = 1 if definition else 2
    for column in (offset + 1, offset + 2, offset + 3):
        sheet.cell(row, column).number_format = fmt
    if definition:
        sheet.cell(row, 6).alignment = Alignment(wrap_text=True, vertical="top")


def _unit(figure: Figure) -> str:
    if figure.indicator.is_rate:
        return "taux"
    if figure.indicator.kind == "median":
        return figure.indicator.unit
    if not figure.periodic:
        return "nombre au jour de l'édition"
    if not figure.applies:
        return "nombre (filtres sur les jeunes sans objet)"
    return "nombre"


def _area_sheet(sheet, area, board: Dashboard) -> None:
    sheet.append([area.title])
    sheet["A1"].font = HEADING
    sheet.append([f"Période : {board.filters.current.label} ; période précédente : "
                  f"{board.filters.previous.label}"])
    sheet.append([])
    _header(sheet, ["Indicateur", "Période", "Période précédente", "Évolution", "Unité", "Définition"])
    for figure in area.figures:
        _figure_row(sheet, "", figure, definition=True)
    sheet.append([])
    comparison = area.comparison
    if comparison is not None:
        _table(sheet, comparison, chart_column=None, chart_title=comparison.title)
    for table in area.tables:
        sheet.append([])
        _table(sheet, table, chart_column=None, chart_title=table.title)
    _widths(sheet, [44, 16, 20, 12, 30, 90])


def _table(sheet, table: Table, chart_column: int | None, chart_title: str) -> None:
    """A breakdown block (title, definition, header, rows) and its native bar chart."""
    sheet.append([table.title])
    sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.append([table.definition])
    _header(sheet, table.columns)
    header_row = sheet.max_row
    for values in table.rows:
        sheet.append([safe_cell(v) for v in values])
        for index in table.percent_columns:
            sheet.cell(sheet.max_row, index + 1).number_format = PERCENT
    last_row = sheet.max_row
    if not table.rows or (table.chart == "none" and chart_column is None):
        return
    chart = BarChart()
    chart.type = "col"
    chart.title = chart_title[:250]
    chart.y_axis.title = "Nombre" if chart_column is None else table.columns[chart_column - 1]
    chart.y_axis.majorGridlines = None
    if chart_column is None:
        data = Reference(sheet, min_col=2, max_col=len(table.columns), min_row=header_row, max_row=last_row)
    else:
        data = Reference(sheet, min_col=chart_column, min_row=header_row, max_row=last_row)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=header_row + 1, max_row=last_row))
    chart.height, chart.width = 7.5, 16
    anchor_column = get_column_letter(len(table.columns) + 2)
    sheet.add_chart(chart, f"{anchor_column}{header_row}")
    # leave room under the block for the chart (about 15 rows)
    for _ in range(max(0, 15 - len(table.rows))):
        sheet.append([])


def _survey_sheet(sheet, result: Results) -> None:
    """The satisfaction survey: answers and scores by kind of respondent; the free texts when the report
    is the direction's (`result.with_comments`)."""
    survey = result.survey
    sheet.append([f"{survey.title} — {current_app.config['ORGANISATION_NAME']}"])
    sheet["A1"].font = HEADING
    sheet.append([f"Réponses du {survey.opens_on:%d/%m/%Y} au {survey.closes_on:%d/%m/%Y}"])
    sheet.append([])
    _header(sheet, ["Répondants", "Invités", "Réponses", "Taux de réponse", "Satisfaction moyenne (sur 5)",
                    "Recommanderaient"])
    for row in [*result.by_kind, result.total]:
        sheet.append([row.label, row.invited, row.answered, row.rate, row.average, row.recommend_rate])
        for column, fmt in ((4, PERCENT), (5, "0.0"), (6, PERCENT)):
            sheet.cell(sheet.max_row, column).number_format = fmt
    sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.append([])
    _header(sheet, ["Question", "Formulation"])
    for number, text in enumerate(survey.questions.values(), start=1):
        sheet.append([f"Question {number}", safe_cell(text)])
    if result.with_comments:
        sheet.append([])
        sheet.append(["Ce que disent les répondants (direction seulement)"])
        sheet.cell(sheet.max_row, 1).font = BOLD
        _header(sheet, ["Répondants", "Note", "Recommanderait", "À améliorer", "Commentaire"])
        for c in result.comments:
            sheet.append([c.kind_label, c.satisfaction, None if c.recommend is None else ("oui" if c.recommend else "non"),
                          safe_cell(c.improve), safe_cell(c.comment)])
            for column in (4, 5):
                sheet.cell(sheet.max_row, column).alignment = Alignment(wrap_text=True, vertical="top")
    _widths(sheet, [44, 12, 14, 50, 60, 18])


def _definitions(sheet, board: Dashboard) -> None:
    _header(sheet, ["Rubrique", "Indicateur", "Définition"])
    for area in board.areas:
        for figure in area.figures:
            sheet.append([area.title, figure.indicator.label, figure.indicator.definition])
    if board.equity is not None:
        sheet.append(["Équité territoriale", board.equity.title, board.equity.definition])
    sheet.append([])
    sheet.append(["Période précédente", "", "La période de même nature (mois, trimestre, année) ou de même "
                  "nombre de jours qui précède immédiatement la période affichée."])
    _widths(sheet, [28, 44, 120])
    for row in sheet.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")


def _widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def filename(board: Dashboard) -> str:
    return f"maillage-indicateurs-{board.filters.current.start:%Y%m%d}-{board.filters.current.end:%Y%m%d}.xlsx"

