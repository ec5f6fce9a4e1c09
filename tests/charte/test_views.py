"""Staff list, export, versions, reviews, renewal, counts, demo data."""

import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import func, select

from charte import queries
from charte.models import CharterSignature, CharterVersion
from portal.audit.models import AuditEvent


def test_staff_list_filters_and_constant_queries(client, auth, make, count_queries):
    version = make.charter_version()
    pmsmp = version.commitments[1]
    make.charter_signature(version=version, company=make.company(name="Alpha Thiers"), commitments=[pmsmp])
    make.charter_signature(version=version, company=make.company(name="Beta Courpière", commune_code="63125"),
                           status="a_renouveler", commitments=[version.commitments[0]])
    make.charter_signature(version=version, company=make.company(name="Gamma Retirée"), status="retiree")
    auth.login(make.counsellor())
    html = client.get("/charte/signatures").get_data(as_text=True)
    assert all(name in html for name in ("Alpha Thiers", "Beta Courpière", "Gamma Retirée"))
    html = client.get("/charte/signatures?statut=a_renouveler").get_data(as_text=True)
    assert "Beta Courpière" in html and "Alpha Thiers" not in html
    html = client.get("/charte/signatures?engagement=accueillir_pmsmp").get_data(as_text=True)
    assert "Alpha Thiers" in html and "Beta Courpière" not in html
    html = client.get("/charte/signatures?commune=63125").get_data(as_text=True)
    assert "Beta Courpière" in html and "Alpha Thiers" not in html
    html = client.get("/charte/signatures?renouvellement=oui").get_data(as_text=True)
    assert "Beta Courpière" in html and "Alpha Thiers" not in html

    with count_queries() as few:
        client.get("/charte/signatures")
    for n in range(10):
        make.charter_signature(version=version, company=make.company(name=f"Delta {n}"))
    with count_queries() as many:
        assert "Delta 9" in client.get("/charte/signatures").get_data(as_text=True)
    assert many.count == few.count


def test_public_list_is_paginated_with_constant_queries(client, make, count_queries):
    version = make.charter_version()
    make.charter_signature(version=version, company=make.company(name="Première SARL"))
    with count_queries() as few:
        client.get("/charte/signataires")
    for n in range(30):
        make.charter_signature(version=version, company=make.company(name=f"Signataire {n:02d}"))
    with count_queries() as many:
        html = client.get("/charte/signataires").get_data(as_text=True)
    assert many.count == few.count
    assert "Page 1 sur 2" in html
    assert "Signataire 29" in client.get("/charte/signataires?page=2").get_data(as_text=True)


def test_public_search_by_sector(client, make):
    version = make.charter_version()
    make.charter_signature(version=version, company=make.company(name="Coutellerie X", naf_code="25.71Z"))
    make.charter_signature(version=version, company=make.company(name="Boulangerie Y", naf_code="10.71C"))
    html = client.get("/charte/signataires?secteur=C").get_data(as_text=True)
    assert "Coutellerie X" in html and "Boulangerie Y" in html  # both manufacturing (section C)
    html = client.get("/charte/signataires?secteur=G").get_data(as_text=True)
    assert "Coutellerie X" not in html and "Aucune entreprise signataire" in html


def test_export_escapes_formulas(client, auth, make):
    version = make.charter_version()
    make.charter_signature(version=version, company=make.company(name="=HYPERLINK(\"x\")"))
    auth.login(make.counsellor())
    response = client.get("/charte/signatures/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Entreprise" and rows[0][4] == "Statut"
    # exactly as typed, in a text cell: never a formula (tests/security/test_xlsx_exports.py checks them all)
    assert rows[1][0] == "=HYPERLINK(\"x\")" and sheet["A2"].data_type == "s" and rows[1][4] == "Active"


def test_admin_publishes_a_new_version_and_old_signatures_keep_theirs(client, auth, csrf, make):
    from portal.extensions import db

    old = make.charter_version()
    signed = make.charter_signature(version=old)
    auth.login(make.admin())
    form = client.get("/charte/modifier").get_data(as_text=True)
    assert "Accueillir des jeunes en PMSMP" in form
    data = {"title": "Je m'engage pour la jeunesse de mon territoire", "preamble": "Nouveau texte.",
            "version": str(old.number), "csrf_token": csrf("/charte/modifier")}
    for i, commitment in enumerate(old.commitments):
        data[f"commitments-{i}-code"] = commitment.code
        data[f"commitments-{i}-label"] = commitment.label + (" (reformulé)" if i == 0 else "")
    data["commitments-8-code"], data["commitments-8-label"] = "", "Ouvrir nos ateliers le mercredi"
    response = client.post("/charte/modifier", data=data)
    assert response.status_code == 303
    current = queries.current_version()
    assert current.number == old.number + 1
    assert current.commitments[0].code == "decouvrir_metiers" and current.commitments[0].label.endswith("(reformulé)")
    assert current.commitments[-1].code == "ouvrir_nos_ateliers_le_mercredi"
    assert signed.version_id == old.id
    assert "Nouveau texte." in client.get("/charte").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "charter.publish")) == 1


def test_a_tampered_commitment_code_is_not_trusted(client, auth, csrf, make):
    """The code rides in a hidden field: one that is not a code of the current version (too long for the
    column, or invented) makes a new commitment whose code comes from its label (found by the fuzzing:
    a 61-character code gave a 500 on PostgreSQL)."""
    old = make.charter_version()
    auth.login(make.admin())
    data = {"title": "Charte", "preamble": "Texte.", "csrf_token": csrf("/charte/modifier"), "version": str(old.number),
            "commitments-0-code": "0" * 61, "commitments-0-label": "Accueillir des stagiaires de 3e",
            "commitments-1-code": "code_invente", "commitments-1-label": "Parrainer un jeune",
            "commitments-2-code": old.commitments[0].code, "commitments-2-label": old.commitments[0].label}
    assert client.post("/charte/modifier", data=data).status_code == 303
    codes = [c.code for c in queries.current_version().commitments]
    assert codes == ["accueillir_des_stagiaires_de_3e", "parrainer_un_jeune", old.commitments[0].code]


def test_publishing_without_commitment_is_refused(client, auth, csrf, make):
    from portal.extensions import db

    auth.login(make.admin())
    response = client.post("/charte/modifier", data={"title": "Charte", "preamble": "Texte",
                                                     "commitments-0-label": " ", "csrf_token": csrf("/charte/modifier")})
    assert response.status_code == 422
    assert "au moins un engagement" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CharterVersion)) == 0


def test_counsellor_records_a_review_and_bad_dates_are_refused(client, auth, csrf, make):
    signature = make.charter_signature()
    auth.login(make.counsellor())
    url = f"/charte/signatures/{signature.id}/bilan"
    future = client.post(url, data={"reviewed_on": "2999-01-01", "outcome": "tenus", "summary": "Bien",
                                    "csrf_token": csrf(url)})
    assert future.status_code == 422 and "ne peut pas être dans le futur" in future.get_data(as_text=True)
    response = client.post(url, data={"reviewed_on": date.today().isoformat(), "outcome": "partiellement",
                                      "summary": "Deux PMSMP accueillies.", "csrf_token": csrf(url)})
    assert response.status_code == 303
    page = client.get(f"/charte/signatures/{signature.id}").get_data(as_text=True)
    assert "Engagements partiellement tenus" in page and "Deux PMSMP accueillies." in page


def test_renewal_opens_at_eleven_months(client, auth, csrf, make):
    from charte import rules

    version = make.charter_version()
    fresh = make.charter_signature(version=version)
    due = make.charter_signature(version=version, status="a_renouveler",
                                 period_start=rules.add_months(date.today(), -12))
    employer = make.employer(company_id=due.company_id)
    auth.login(employer)
    assert "Renouveler l'engagement" in client.get("/charte/mon-engagement").get_data(as_text=True)
    url = f"/charte/signatures/{due.id}/renouveler"
    response = client.post(url, data={"commitments": [str(version.commitments[2].id)], "public_consent": "y",
                                      "csrf_token": csrf(url)})
    assert response.status_code == 303
    assert due.status == "active" and due.period_start == date.today()
    assert [c.code for c in due.commitments] == ["alternance"]
    auth.logout()
    auth.login(make.counsellor())
    assert client.get(f"/charte/signatures/{fresh.id}/renouveler").status_code == 404


def test_counts_and_company_filter(make):
    version = make.charter_version()
    active = make.charter_signature(version=version)
    make.charter_signature(version=version, status="retiree")
    make.charter_signature(version=version, status="en_attente")
    assert queries.is_charter_signatory(active.company_id)
    from crm.employers.models import Company
    from portal.extensions import db

    ids = set(db.session.scalars(select(Company.id).where(queries.signatory_clause())))
    assert active.company_id in ids


def test_demo_seeder_creates_signatures_in_every_state(make):
    from charte.demo import seed_charter
    from portal.access import ADMIN, COUNSELLOR, EMPLOYER
    from portal.demo import DemoContext
    from portal.extensions import db

    employer = make.employer()
    ctx = DemoContext(users={ADMIN: make.admin(), COUNSELLOR: make.counsellor(), EMPLOYER: employer},
                      company=employer.company)
    seed_charter(ctx)
    statuses = dict(db.session.execute(select(CharterSignature.status, func.count())
                                       .group_by(CharterSignature.status)).all())
    assert set(statuses) == {"en_attente", "active", "a_renouveler", "retiree"}
    assert sum(statuses.values()) == 30
    assert db.session.scalar(select(func.count()).select_from(CharterVersion)) == 2
    assert queries.is_charter_signatory(employer.company_id)


def test_company_page_and_list_show_the_charter(client, auth, make):
    signature = make.charter_signature(company=make.company(name="Horizon Coutellerie"))
    make.company(name="Sans Charte SARL")
    auth.login(make.counsellor())
    page = client.get(f"/entreprises/{signature.company_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Signature de la charte (active)" in html and "Charte « Je m&#39;engage »" in html
    listed = client.get("/entreprises?charte=oui").get_data(as_text=True)
    assert "Horizon Coutellerie" in listed and "Sans Charte SARL" not in listed
