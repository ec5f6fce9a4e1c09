"""The issue's "Done when": a company with no account signs, confirms, is validated, is listed, gets its
attestation, and its employer user sees its commitments and record; and the refusals."""

import io
import itertools
import re
from datetime import timedelta

import pypdf
from sqlalchemy import func, select
from stdnum import luhn

from charte import services
from charte.models import CharterSignature
from crm.employers.models import Company, Interaction
from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.notifications.models import OutboxMessage

_sirets = itertools.count(1)


def valid_siret() -> str:
    """A SIRET that passes python-stdnum (both the SIREN and the SIRET keys)."""
    n = next(_sirets)
    siren = f"73{n:06d}"
    siren += luhn.calc_check_digit(siren)
    body = siren + f"{n % 1000:04d}"
    return body + luhn.calc_check_digit(body)


def _form(version, **overrides):
    data = {"siret": "", "company_name": "Forges de la Durolle", "commune_code": "63430",
            "signatory_name": "Marie Lacombe", "signatory_role": "Gérante", "signatory_email": "marie@forges.test",
            "commitments": [str(version.commitments[1].id), str(version.commitments[4].id)],
            "public_consent": "y", "accepted": "y"}
    data.update(overrides)
    return data


def _link(email: str) -> str:
    body = db_last_message(email).body
    return re.search(r"https?://\S+/charte/confirmer/(\S+)", body).group(1)


def db_last_message(email: str) -> OutboxMessage:
    from portal.extensions import db

    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)
                              .order_by(OutboxMessage.id.desc())).first()


def _count(model, *where) -> int:
    from portal.extensions import db

    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_company_without_account_goes_all_the_way(client, auth, csrf, make):
    from portal.extensions import db

    version = make.charter_version()
    siret = valid_siret()
    response = client.post("/charte/signer", data=_form(version, siret=siret, csrf_token=csrf("/charte/signer")))
    assert response.status_code == 303
    assert "marie@forges.test" in client.get(response.headers["Location"]).get_data(as_text=True)
    company = db.session.scalar(select(Company).where(Company.siret == siret))
    assert company.stage == "a_prospecter" and company.name == "Forges de la Durolle"
    signature = db.session.scalar(select(CharterSignature).where(CharterSignature.company_id == company.id))
    assert signature.status == "en_attente" and signature.email_confirmed_at is None
    assert [c.code for c in signature.commitments] == ["accueillir_pmsmp", "forums"]

    # the e-mailed link shows a button; pressing it confirms
    token = _link("marie@forges.test")
    page = client.get(f"/charte/confirmer/{token}")
    assert "Je confirme ma signature" in page.get_data(as_text=True)
    confirmed = client.post(f"/charte/confirmer/{token}", data={"csrf_token": csrf(f"/charte/confirmer/{token}")})
    assert "attend maintenant la validation" in confirmed.get_data(as_text=True)
    assert signature.email_confirmed_at is not None

    # not listed before validation
    assert "Forges de la Durolle" not in client.get("/charte/signataires").get_data(as_text=True)

    counsellor = make.counsellor()
    auth.login(counsellor)
    detail = client.get(f"/charte/signatures/{signature.id}").get_data(as_text=True)
    assert "Valider la signature" in detail
    response = client.post(f"/charte/signatures/{signature.id}/valider",
                           data={"csrf_token": csrf(f"/charte/signatures/{signature.id}")})
    assert response.status_code == 303
    assert signature.status == "active" and signature.number.startswith("CJ-")
    employer = db.session.scalar(select(User).where(User.email == "marie@forges.test"))
    assert employer.role == "employer" and employer.company_id == company.id
    assert signature.employer_user_id == employer.id
    assert _count(Interaction, Interaction.company_id == company.id) == 1
    assert "Votre accès à Maillage" in [m.subject for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == "marie@forges.test"))]
    assert _count(AuditEvent, AuditEvent.action == "charter.validate", AuditEvent.object_id == str(signature.id)) == 1
    auth.logout()

    listed = client.get("/charte/signataires").get_data(as_text=True)
    assert "Forges de la Durolle" in listed and "Thiers" in listed and "Accueillir des jeunes en PMSMP" in listed

    # the employer user (once its password is chosen) sees its commitments, record and attestation
    employer.password_hash = make._hash(make.PASSWORD)
    db.session.flush()
    auth.login(employer)
    mine = client.get("/charte/mon-engagement").get_data(as_text=True)
    assert "Accueillir des jeunes en PMSMP" in mine and signature.number in mine
    assert "Forums et job datings" in mine
    pdf = client.get(f"/charte/signatures/{signature.id}/attestation.pdf")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    text = " ".join(pypdf.PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text().split())
    assert "Attestation d'engagement" in text or "Attestation d’engagement" in text
    assert signature.number in text and "Forges de la Durolle" in text and f"Version de la charte {version.number}, publiée le" in text


def test_invalid_siret_and_no_commitment_keep_what_was_typed(client, csrf, make):
    version = make.charter_version()
    data = _form(version, siret="12345678901234", commitments=[], csrf_token=csrf("/charte/signer"))
    response = client.post("/charte/signer", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "clé de contrôle incorrecte" in html
    assert "Choisissez au moins un engagement de la charte." in html
    assert 'value="Marie Lacombe"' in html and 'value="12345678901234"' in html
    assert _count(CharterSignature) == 0 and _count(Company, Company.siret == "12345678901234") == 0


def test_acceptance_is_required(client, csrf, make):
    version = make.charter_version()
    data = _form(version, siret=valid_siret(), accepted="", csrf_token=csrf("/charte/signer"))
    data.pop("accepted")
    response = client.post("/charte/signer", data=data)
    assert response.status_code == 422
    assert "Cochez cette case pour signer la charte." in response.get_data(as_text=True)
    assert _count(CharterSignature) == 0


def test_unconfirmed_signature_cannot_be_validated(client, auth, csrf, make):
    from portal.extensions import db

    signature = make.charter_signature(status="en_attente", email_confirmed_at=None)
    auth.login(make.counsellor())
    db.session.commit()  # the refused request rolls back its own work only
    page = client.get(f"/charte/signatures/{signature.id}").get_data(as_text=True)
    assert "pas encore confirmé son adresse" in page and "Valider la signature" not in page
    response = client.post(f"/charte/signatures/{signature.id}/valider",
                           data={"csrf_token": csrf(f"/charte/signatures/{signature.id}")}, follow_redirects=True)
    assert "pas encore confirmé son adresse" in response.get_data(as_text=True)
    db.session.refresh(signature)
    assert signature.status == "en_attente" and signature.number is None


def test_confirmation_link_is_single_use(client, csrf, make):
    version = make.charter_version()
    client.post("/charte/signer", data=_form(version, siret=valid_siret(), csrf_token=csrf("/charte/signer")))
    token = _link("marie@forges.test")
    url = f"/charte/confirmer/{token}"
    assert client.post(url, data={"csrf_token": csrf(url)}).status_code == 200
    again = client.post(url, data={"csrf_token": csrf(url)})
    assert again.status_code == 400
    assert "déjà été utilisé" in again.get_data(as_text=True)


def test_expired_and_tampered_links_are_refused(app, make):
    from portal.extensions import db

    signature = make.charter_signature(status="en_attente", email_confirmed_at=None, confirmation_nonce="abc")
    token = services.confirmation_token(signature)
    app.config["CHARTER_CONFIRMATION_MAX_AGE_DAYS"] = -1
    try:
        with app.test_request_context():
            try:
                services.confirm_email(token)
            except services.LinkError as exc:
                assert "a expiré" in exc.message
            else:
                raise AssertionError("lien expiré accepté")
    finally:
        app.config.pop("CHARTER_CONFIRMATION_MAX_AGE_DAYS")
    try:
        services.confirm_email(token[:-3] + "xyz")
    except services.LinkError as exc:
        assert "pas valide" in exc.message
    db.session.refresh(signature)
    assert signature.email_confirmed_at is None


def test_resigning_while_unconfirmed_replaces_and_active_company_is_refused(client, csrf, make):
    version = make.charter_version()
    siret = valid_siret()
    client.post("/charte/signer", data=_form(version, siret=siret, csrf_token=csrf("/charte/signer")))
    client.post("/charte/signer", data=_form(version, siret=siret, signatory_name="Paul Lacombe",
                                             csrf_token=csrf("/charte/signer")))
    assert _count(CharterSignature) == 1
    signature = select(CharterSignature)
    from portal.extensions import db

    signature = db.session.scalar(signature)
    assert signature.signatory_name == "Paul Lacombe"

    active = make.charter_signature(version=version, company=make.company(siret=valid_siret()))
    db.session.commit()  # the refused request rolls back its own work only
    response = client.post("/charte/signer", data=_form(version, siret=active.company.siret,
                                                        csrf_token=csrf("/charte/signer")))
    assert response.status_code == 422
    assert "Cette entreprise a déjà signé la charte" in response.get_data(as_text=True)
    assert _count(CharterSignature, CharterSignature.company_id == active.company_id) == 1


def test_signed_in_employer_signs_in_one_step(client, auth, csrf, make):
    from portal.extensions import db

    version = make.charter_version()
    employer = make.employer()
    auth.login(employer)
    assert client.get("/charte/signer").headers["Location"].endswith("/charte/mon-engagement/signer")
    response = client.post("/charte/mon-engagement/signer", data={
        "signatory_name": "Jean Test", "signatory_role": "Directeur", "accepted": "y",
        "commitments": [str(version.commitments[0].id)], "csrf_token": csrf("/charte/mon-engagement/signer")})
    assert response.status_code == 303
    signature = db.session.scalar(select(CharterSignature).where(CharterSignature.company_id == employer.company_id))
    assert signature.status == "active" and signature.number and signature.public_consent is False
    page = client.get("/charte/mon-engagement").get_data(as_text=True)
    assert "Télécharger l'attestation (PDF)" in page
    again = client.post("/charte/mon-engagement/signer", data={
        "signatory_name": "Jean Test", "signatory_role": "Directeur", "accepted": "y",
        "commitments": [str(version.commitments[0].id)], "csrf_token": csrf("/charte/mon-engagement/signer")})
    assert again.status_code == 422 and "déjà signé" in again.get_data(as_text=True)
    assert _count(CharterSignature, CharterSignature.company_id == employer.company_id) == 1


def test_non_consenting_company_never_listed_and_nothing_internal_shown(client, make):
    version = make.charter_version()
    shown = make.charter_signature(version=version, company=make.company(name="Visible SARL", notes="NOTE SECRETE"))
    make.charter_signature(version=version, company=make.company(name="Discrète SAS"), public_consent=False)
    make.charter_signature(version=version, company=make.company(name="Pas Encore SA"), status="en_attente")
    html = client.get("/charte/signataires").get_data(as_text=True)
    assert "Visible SARL" in html
    assert "Discrète SAS" not in html and "Pas Encore SA" not in html
    assert "NOTE SECRETE" not in html and shown.signatory_email not in html and shown.company.siret not in html
    assert shown.signatory_name not in html


def test_withdrawal_by_company_needs_a_reason_and_leaves_the_list(client, auth, csrf, make):
    signature = make.charter_signature(company=make.company(name="Partante SARL"))
    employer = make.employer(company_id=signature.company_id)
    auth.login(employer)
    url = f"/charte/signatures/{signature.id}/retirer"
    empty = client.post(url, data={"reason": " ", "csrf_token": csrf(url)})
    assert empty.status_code == 422 and "Indiquez le motif du retrait." in empty.get_data(as_text=True)
    assert signature.status == "active"
    client.post(url, data={"reason": "Cessation d'activité", "csrf_token": csrf(url)})
    assert signature.status == "retiree" and signature.withdrawn_by_kind == "entreprise"
    assert "Partante SARL" not in client.get("/charte/signataires").get_data(as_text=True)


def test_other_company_signature_is_404_for_an_employer(client, auth, make):
    signature = make.charter_signature()
    auth.login(make.employer())
    for url in (f"/charte/signatures/{signature.id}/attestation.pdf", f"/charte/signatures/{signature.id}/retirer",
                f"/charte/signatures/{signature.id}/renouveler"):
        assert client.get(url).status_code == 404, url


def test_renewal_job_invites_at_eleven_months_then_marks_to_renew(app, make):
    from datetime import date

    from charte import rules

    today = date.today()
    soon = make.charter_signature(period_start=rules.add_months(today, -11))
    late = make.charter_signature(period_start=rules.add_months(today, -12))
    fresh = make.charter_signature(period_start=today - timedelta(days=30))
    with app.test_request_context():
        assert services.run_renewals(today) == (1, 1)
        assert services.run_renewals(today) == (0, 0)  # the invitation is sent once
    assert soon.status == "active" and soon.renewal_invited_on == today
    assert late.status == "a_renouveler" and fresh.status == "active" and fresh.renewal_invited_on is None
    assert _count(OutboxMessage, OutboxMessage.recipient == soon.signatory_email) == 1
