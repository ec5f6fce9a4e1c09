"""Spreadsheet exports cannot carry formulas: text typed by a user that starts with `=`, `+`, `-` or `@`
comes out of every xlsx export of the URL map as a text cell, exactly as typed (no apostrophe added), never as
a formula."""

import io
from datetime import date

from openpyxl import Workbook, load_workbook
from werkzeug.datastructures import FileStorage

from portal.access import PUBLIC as PUBLIC_ACCESS
from portal.access import declared_access
from tests import factories as make
from tests.imports import choose_columns
from tests.security.world import build_side, login, send

PAYLOADS = ('=HYPERLINK("http://exemple.test","x")', "+33 4 73 00 00 00", "-1+2", "@SUM(A1:A9)")
# Exports that hold no text typed by a user (empty templates, aggregate figures).
NO_USER_TEXT = {"employers.import_template", "youth.import_template", "directory.import_template",
                "reporting.download_report"}
PREFERENCE = ("counsellor", "admin", "partner", "employer")
# query strings that widen an export to the world's rows (« mes suivis » of every counsellor)
QUERY = {"followup.export_follow_ups": "?tous=1"}


def _poison(side) -> None:
    """Put the payloads in the text fields that exports show."""
    from charte.models import CharterSignature
    from crm.directory.models import DirectoryService
    from crm.employers.models import Company, Contact, Event, Task
    from crm.followup.models import CheckIn
    from crm.offers.models import Offer
    from crm.partners.models import Convention, PartnerOrganisation
    from crm.youth.models import YouthProfile
    from portal.extensions import db

    targets = [(Company, "company", "name"), (Contact, "company_contact", "full_name"), (Offer, "offer", "title"),
               (YouthProfile, "youth", "last_name"), (PartnerOrganisation, "partner", "name"),
               (Convention, "convention", "title"), (DirectoryService, "service", "name"), (Event, "event", "title"),
               (Task, "task", "title"), (CharterSignature, "signature", "signatory_name")]
    for n, (model, key, column) in enumerate(targets):
        # one payload per object, the four of them across the exports
        setattr(db.session.get(model, side.ids[key]), column, f"{PAYLOADS[n % len(PAYLOADS)]} {model.__name__}")
    # « mes suivis » shows the check-ins due this week, with the hired young person's name
    check_in = db.session.get(CheckIn, side.ids["check_in"])
    check_in.due_on = date.today()
    check_in.hire.youth.last_name = f"{PAYLOADS[0]} suivi"
    db.session.flush()


def _xlsx_exports(app):
    return [r for r in app.url_map.iter_rules() if r.rule.endswith(".xlsx") and not r.arguments]


def _cells(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def _check(name: str, content: bytes, expect_text: bool) -> list[str]:
    failures, kept = [], 0
    for cell in _cells(content):
        if cell.data_type == "f":
            failures.append(f"{name} : formule en {cell.coordinate} : {cell.value!r}")
        elif isinstance(cell.value, str) and cell.value.startswith(("'=", "'+", "'-", "'@")):
            failures.append(f"{name} : apostrophe ajoutée en {cell.coordinate} : {cell.value!r}")
        elif isinstance(cell.value, str) and cell.value.startswith(PAYLOADS):
            if cell.data_type != "s":
                failures.append(f"{name} : pas une cellule texte en {cell.coordinate} : {cell.value!r}")
            kept += 1
    if expect_text and not kept:
        failures.append(f"{name} : aucune donnée piégée dans l'export, le test ne prouve rien")
    return failures


def test_every_export_writes_formula_like_text_as_text(app):
    side = build_side()
    _poison(side)
    from portal.extensions import db

    db.session.commit()
    users = {"counsellor": side.counsellor, "admin": make.admin(), "employer": side.employer,
             "partner": side.partner_user}
    clients = {}
    failures = []
    rules = _xlsx_exports(app)
    assert len(rules) >= 10, [r.endpoint for r in rules]
    for rule in rules:
        access = declared_access(app.view_functions[rule.endpoint])
        assert access is not PUBLIC_ACCESS, rule.endpoint
        role = next(r for r in PREFERENCE if r in access)
        client = clients.get(role) or clients.setdefault(role, login(app, users[role]))
        response = send(client, "GET", rule.rule + QUERY.get(rule.endpoint, ""))
        if response.status_code != 200:
            failures.append(f"{rule.endpoint} : {response.status_code}")
            continue
        failures += _check(rule.endpoint, response.data, rule.endpoint not in NO_USER_TEXT)
    assert not failures, "\n".join(failures)


def _upload(rows) -> FileStorage:
    """An xlsx whose cells hold the given values as text (even those starting with `=`)."""
    workbook = Workbook()
    sheet = workbook.active
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return io.BytesIO(buffer.getvalue())


def test_import_error_reports_write_formula_like_text_as_text(app):
    """The rows given back in an import's error report are user text too."""
    counsellor = make.counsellor()
    client = login(app, counsellor)
    failures, checked = [], []
    for page, errors_endpoint in [("/entreprises/import", "employers"), ("/jeunes/import", "youth"),
                                  ("/annuaire/import", "directory")]:
        rows = [["Nom", "SIRET", "Commune", "Prénom", "Nom de famille", "Courriel"]]
        rows += [[p, p, p, p, p, p] for p in PAYLOADS]
        response = client.post(page, data={"csrf_token": client.token, "file": (_upload(rows), "piege.xlsx")},
                               content_type="multipart/form-data")
        if response.status_code == 303 and response.headers["Location"].endswith("/colonnes"):
            response = choose_columns(client, response.headers["Location"])  # unknown columns ignored
        if response.status_code != 303:
            # the file cannot be read as this import (a required column missing): nothing to report
            continue
        job_url = response.headers["Location"]
        for _ in range(5):  # the analysis advances a chunk at each visit of the job's page
            send(client, "GET", job_url)
        report = send(client, "GET", job_url.rstrip("/") + "/erreurs.xlsx")
        if report.status_code == 200:
            checked.append(errors_endpoint)
            failures += _check(f"{errors_endpoint}.import_errors", report.data, expect_text=True)
    assert checked, "aucun rapport d'erreurs d'import n'a pu être produit"
    assert not failures, "\n".join(failures)
