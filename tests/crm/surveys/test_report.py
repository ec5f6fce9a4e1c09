"""The board report (xlsx) carries the survey's sheet: figures for the team, the comments for the direction."""

import io

from openpyxl import load_workbook

from tests.crm.surveys.test_views import _answer_all


def _sheet(client, **query):
    response = client.get("/indicateurs/rapport.xlsx", query_string=query)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data))


def _rows(sheet) -> list[list]:
    return [[c for c in row] for row in sheet.iter_rows(values_only=True)]


def test_the_report_has_a_satisfaction_sheet_with_comments_for_the_direction(client, auth, world):
    _answer_all(world)
    auth.login(world.admin)
    book = _sheet(client)
    assert "Satisfaction" in book.sheetnames
    sheet = book["Satisfaction"]
    rows = _rows(sheet)
    assert rows[0][0].startswith(f"Enquête de satisfaction {world.survey.year}")
    header = rows.index(["Répondants", "Invités", "Réponses", "Taux de réponse", "Satisfaction moyenne (sur 5)",
                         "Recommanderaient"])
    body = {r[0]: r[1:] for r in rows[header + 1:header + 5]}
    assert body["Entreprises signataires de la charte"] == [1, 1, 1.0, 5.0, 1.0]
    assert body["Entreprises avec une embauche ou une PMSMP"] == [1, 0, 0.0, None, None]
    assert body["Partenaires"] == [1, 1, 1.0, 2.0, 0.0]
    assert body["Ensemble"][:2] == [3, 2] and abs(body["Ensemble"][2] - 2 / 3) < 1e-9 and body["Ensemble"][3] == 3.5
    assert sheet.cell(header + 2, 4).number_format == "0.0%"
    comments = [r for r in rows if r[0] in ("Entreprises signataires de la charte", "Partenaires") and r[1] in (5, 2)
                and isinstance(r[4], str)]
    assert sorted(r[4] for r in comments) == ["=1+1 merci", "Délais de réponse trop longs"]
    formula_cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=1+1 merci")
    assert formula_cell.data_type == "s"  # typed text stays text, never a formula


def test_a_counsellors_report_has_the_figures_without_the_comments(client, auth, make, world):
    _answer_all(world)
    auth.login(make.counsellor())
    rows = _rows(_sheet(client)["Satisfaction"])
    flat = [v for row in rows for v in row if isinstance(v, str)]
    assert "Partenaires" in flat and "Ensemble" in flat
    assert not any("Délais de réponse" in v or "direction seulement" in v for v in flat)


def test_no_survey_sheet_for_an_employer_nor_for_a_year_without_survey(client, auth, make, world):
    auth.login(make.employer())
    assert "Satisfaction" not in _sheet(client).sheetnames
    auth.logout()
    auth.login(world.admin)
    assert "Satisfaction" not in _sheet(client, annee=str(world.survey.year - 1)).sheetnames
