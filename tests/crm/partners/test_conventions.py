"""Partners and conventions: bad input, PDF uploads, who reads what, expiry reminders."""

import os
from datetime import date, timedelta

from sqlalchemy import select

from crm.partners import rules
from crm.partners.models import Convention, ConventionDocument, PartnerOrganisation
from crm.partners.reminders import remind_conventions
from portal.extensions import db
from portal.notifications.models import OutboxMessage

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _upload(client, csrf, convention, content: bytes, name: str):
    # A hand-built multipart body: the test client would spool a large one to a file it never closes.
    url = f"/partenaires/conventions/{convention.id}"
    body = (b"--B\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + csrf(url).encode()
            + b"\r\n--B\r\nContent-Disposition: form-data; name=\"document\"; filename=\"" + name.encode()
            + b"\"\r\nContent-Type: application/pdf\r\n\r\n" + content + b"\r\n--B--\r\n")
    return client.post(url + "/documents", data=body, content_type="multipart/form-data; boundary=B")


def test_pdf_is_stored_outside_static_and_downloaded_by_its_partner_only(app, client, auth, csrf, make):
    partner = make.partner()
    convention = make.convention(partner)
    auth.login(make.counsellor())
    assert _upload(client, csrf, convention, PDF, "Convention signee.pdf").status_code == 303
    document = db.session.scalar(select(ConventionDocument).where(ConventionDocument.convention_id == convention.id))
    path = os.path.join(app.config["UPLOAD_FOLDER"], "conventions", document.stored_name)
    assert os.path.exists(path) and "static" not in path
    auth.logout()

    auth.login(make.partner_user(partner_id=partner.id))
    download = client.get(f"/partenaires/conventions/{convention.id}/documents/{document.id}")
    assert download.status_code == 200 and download.data == PDF and download.mimetype == "application/pdf"
    download.close()
    auth.logout()
    auth.login(make.partner_user())
    assert client.get(f"/partenaires/conventions/{convention.id}/documents/{document.id}").status_code == 404
    assert client.get(f"/partenaires/conventions/{convention.id}").status_code == 404


def test_non_pdf_and_oversized_uploads_are_refused_in_french(client, auth, csrf, make):
    convention = make.convention()
    auth.login(make.counsellor())
    fake = _upload(client, csrf, convention, b"MZ\x90\x00 not a pdf", "convention.pdf")
    assert fake.status_code == 422 and "Le fichier n&#39;est pas un PDF" in fake.get_data(as_text=True)
    big = _upload(client, csrf, convention, PDF[:-7] + b"0" * (11 * 1024 * 1024) + b"\n%%EOF\n", "gros.pdf")
    assert big.status_code == 422 and "dépasse 10 Mo" in big.get_data(as_text=True)
    fake.close()
    big.close()
    assert db.session.scalar(select(ConventionDocument).where(ConventionDocument.convention_id == convention.id)) is None


def test_end_before_start_is_explained_and_nothing_saved(client, auth, csrf, make):
    partner = make.partner()
    auth.login(make.counsellor())
    url = f"/partenaires/{partner.id}/conventions/nouvelle"
    response = client.post(url, data={"csrf_token": csrf(url), "title": "Accueil des jeunes", "kind": "partenariat",
                                      "start_on": "2026-09-01", "end_on": "2026-08-01", "renewal_months": "12"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "La date de fin doit être postérieure" in html and 'value="Accueil des jeunes"' in html
    assert db.session.scalar(select(Convention).where(Convention.partner_id == partner.id)) is None


def test_partner_invalid_siret_is_refused(client, auth, csrf, make):
    auth.login(make.counsellor())
    url = "/partenaires/nouveau"
    response = client.post(url, data={"csrf_token": csrf(url), "name": "CFA Thiers", "kind": "emploi_formation",
                                      "siret": "12345678901234"})
    assert response.status_code == 422 and "SIRET n&#39;est pas valide" in response.get_data(as_text=True)
    assert db.session.scalar(select(PartnerOrganisation).where(PartnerOrganisation.name == "CFA Thiers")) is None
    response = client.post(url, data={"csrf_token": csrf(url), "name": "CFA Thiers", "kind": "emploi_formation",
                                      "siret": _valid_siret(), "commune_code": "63430"})
    assert response.status_code == 303


def _valid_siret() -> str:
    from stdnum import luhn

    siren = "73282932" + luhn.calc_check_digit("73282932")
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


def test_partner_user_reads_its_own_conventions_only(client, auth, make):
    mine, theirs = make.partner(), make.partner()
    make.convention(mine, title="Notre convention")
    make.convention(theirs, title="La convention des autres")
    auth.login(make.partner_user(partner_id=mine.id))
    html = client.get("/partenaires/conventions").get_data(as_text=True)
    assert "Notre convention" in html and "La convention des autres" not in html
    assert "Notre convention" in client.get("/mon-organisation").get_data(as_text=True)
    assert client.get(f"/partenaires/{theirs.id}").status_code == 404
    assert client.get("/partenaires").status_code == 403


def test_partners_list_queries_do_not_grow(client, auth, make, count_queries):
    auth.login(make.counsellor())
    referent = make.counsellor()
    for _ in range(2):
        make.partner(referent_id=referent.id)
    with count_queries() as few:
        client.get("/partenaires")
    for _ in range(30):
        make.partner(referent_id=make.counsellor().id)
    with count_queries() as many:
        html = client.get("/partenaires").get_data(as_text=True)
    assert "Page 1 sur" in html and many.count == few.count


def test_expiry_alerts_renewal_and_expiry(make):
    referent = make.counsellor()
    today = date(2026, 6, 1)
    soon = make.convention(title="Bientôt", end_on=today + timedelta(days=30), referent_id=referent.id)
    later = make.convention(title="Plus tard", end_on=today + timedelta(days=59), referent_id=referent.id)
    ended = make.convention(title="Finie", end_on=today - timedelta(days=1))
    renewed = make.convention(title="Reconduite", end_on=today - timedelta(days=1), tacit_renewal=True)
    report = remind_conventions(today)
    assert "2 alerte(s)" in report and "1 reconduction(s)" in report and "1 expiration(s)" in report
    assert ended.status == "expiree" and renewed.status == "active" and renewed.end_on == date(2027, 5, 31)
    subjects = list(db.session.scalars(select(OutboxMessage.subject).where(OutboxMessage.recipient == referent.email)))
    assert any("dans 30 jours : Bientôt" in s for s in subjects)
    assert any("dans 60 jours : Plus tard" in s for s in subjects)
    assert "0 alerte(s)" in remind_conventions(today)  # sent once
    assert soon.status == later.status == "active"


def test_rules():
    assert rules.pdf_problem(b"%PDF-1.7", b"...%%EOF", 100) is None
    assert rules.pdf_problem(b"PK\x03\x04", b"", 100).startswith("Le fichier n'est pas un PDF")
    assert rules.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rules.due_alert(date(2026, 3, 1), date(2026, 1, 1)) == 60
    assert rules.due_alert(date(2026, 3, 1), date(2025, 12, 1)) is None
    assert not rules.can_move("expiree", "active") and rules.can_move("brouillon", "active")
