"""PMSMP pages: the whole "Done when" flow, bad inputs, links, scoping, list queries."""

import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from crm.pmsmp import links, reminders, signing
from crm.pmsmp.models import Placement
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from tests.conftest import csrf_token

TODAY = date.today()
MONDAY = TODAY + timedelta(days=7 - TODAY.weekday())


def form_data(youth, company, counsellor, **overrides):
    data = {
        "youth_id": str(youth.id), "youth_email": youth.email, "company_id": str(company.id),
        "tutor_name": "Jean Dumas", "tutor_job": "Chef d'atelier", "tutor_email": "jean.dumas@coutellerie.test",
        "tutor_phone": "04 73 80 12 34", "counsellor_id": str(counsellor.id), "objective": "decouvrir",
        "appellation_code": "13810", "activities": "Montage et affûtage", "skills": "Précision",
        "start_date": MONDAY.isoformat(), "end_date": (MONDAY + timedelta(days=11)).isoformat(),
        "place_address": "12 rue de la Coutellerie", "place_commune_code": "63430",
        "work_conditions": "Atelier", "protection": "Gants fournis", "insurer": "MAAF Pro",
        "insurance_policy": "RC-1", "accident_declarer": "prescripteur",
    }
    for d in range(5):
        data.update({f"d{d}_am_start": "09:00", f"d{d}_am_end": "12:00", f"d{d}_pm_start": "13:30",
                     f"d{d}_pm_end": "16:30"})
    data.update(overrides)
    return data


def count_placements() -> int:
    return db.session.scalar(select(func.count(Placement.id)))


def last_mail(recipient) -> OutboxMessage:
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)
                              .order_by(OutboxMessage.id.desc())).first()


def link_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/pmsmp/\S+)", message.body).group(1)


@pytest.fixture()
def staff(make, auth):
    counsellor = make.counsellor(full_name="Karim Benali")
    auth.login(counsellor)
    return counsellor


def minor(make):
    return make.pmsmp_youth(first_name="Inès", last_name="Roux", birth_date=date(MONDAY.year - 17, 1, 10),
                            email="ines.roux@exemple.test")


def test_done_when_flow_for_a_17_year_old(client, auth, make, staff):
    youth, company = minor(make), make.company(name="Coutellerie Dumas")
    data = form_data(youth, company, staff, rep1_name="Sandrine Roux", rep1_link="Mère",
                     rep1_email="sandrine.roux@exemple.test")
    response = client.post("/pmsmp/nouvelle", data={**data, "csrf_token": csrf_token(client, "/pmsmp/nouvelle")})
    assert response.status_code == 303, response.get_data(as_text=True)
    p = db.session.scalars(select(Placement).where(Placement.youth_id == youth.id)).one()
    assert p.minor_at_start and p.status == "brouillon" and len(p.representatives) == 1
    detail = f"/pmsmp/{p.id}"
    assert client.post(f"{detail}/envoyer", data={"csrf_token": csrf_token(client, detail)}).status_code == 303
    assert p.status == "a_signer"
    auth.logout()
    for email in ("ines.roux@exemple.test", "sandrine.roux@exemple.test", "jean.dumas@coutellerie.test"):
        path = link_path(last_mail(email))
        page = client.get(path)
        assert page.status_code == 200 and "Convention PMSMP" in page.get_data(as_text=True)
        signed = client.post(path, data={"consent": "y", "csrf_token": csrf_token(client, path)})
        assert signed.status_code == 303
        assert "Vous avez signé cette convention le" in client.get(path).get_data(as_text=True)
    assert p.status == "a_valider" and len(p.active_signatures) == 3
    assert p.active_signatures[0].user_agent is not None
    auth.login(staff)
    assert client.post(f"{detail}/valider", data={"csrf_token": csrf_token(client, detail)}).status_code == 303
    assert p.status == "validee"
    pdf = client.get(f"{detail}/convention.pdf")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages).split())
    for expected in ("Inès Roux", "Sandrine Roux", "Coutellerie Dumas", "Lundi", "signé le", "validé le",
                     "Karim Benali"):
        assert expected in text, expected
    # time passes: the period is over, the reminders command asks the tutor for the assessment
    p.start_date, p.end_date = TODAY - timedelta(days=11), TODAY
    db.session.flush()
    assert "1 demande(s) de bilan" in reminders.run(TODAY)
    auth.logout()
    path = link_path(last_mail("jean.dumas@coutellerie.test"))
    assert "/pmsmp/bilan/" in path
    page = client.get(path)
    assert page.status_code == 200 and "Bilan de la PMSMP de Inès Roux" in page.get_data(as_text=True)
    response = client.post(path, data={
        "filled_by_name": "Jean Dumas", "outcome": "complete", "hours_done": "48", "skills_observed": "Précise",
        "employer_feedback": "Très bien", "ended_with_job": "y", "contract_type": "apprentissage",
        "job_start_on": (TODAY + timedelta(days=20)).isoformat(),
        "job_end_on": (TODAY + timedelta(days=750)).isoformat(), "youth_agrees": "y",
        "csrf_token": csrf_token(client, path)})
    assert response.status_code == 200, re.findall(r"error-message[^>]*>([^<]+)", response.get_data(as_text=True))
    assert "le bilan est enregistré" in response.get_data(as_text=True)
    assert p.status == "terminee" and p.assessment.hire_id is not None
    from crm.followup.models import Hire

    hire = db.session.get(Hire, p.assessment.hire_id)
    assert hire.youth_id == youth.id and hire.company_id == company.id and hire.contract_type == "apprentissage"
    assert client.get(path).status_code == 400  # the assessment link works once


@pytest.mark.parametrize(("overrides", "message"), [
    ({"end_date": (MONDAY + timedelta(days=30)).isoformat()}, "La période dure 31 jours calendaires"),
    ({"d4_pm_end": "19:30"}, "Vendredi : 9 h de présence, un mineur est limité à 8 h par jour"),
    ({"d2_pm_start": "17:00", "d2_pm_end": "23:00"}, "un mineur ne peut être présent entre 22 h et 6 h"),
    ({"rep1_email": "ines.roux@exemple.test"}, "ont la même adresse"),
    ({"start_date": (TODAY - timedelta(days=1)).isoformat()}, "ne peut pas commencer dans le passé"),
    ({"d0_am_end": ""}, "indiquez le début et la fin de la plage"),
])
def test_bad_inputs_get_a_french_message_and_write_nothing(client, make, staff, overrides, message):
    youth = minor(make)
    data = form_data(youth, make.company(), staff, **{
        "rep1_name": "Sandrine Roux", "rep1_link": "Mère", "rep1_email": "sandrine.roux@exemple.test", **overrides})
    db.session.commit()  # the view's rollback must not take the test's rows with it
    before = count_placements()
    response = client.post("/pmsmp/nouvelle", data={**data, "csrf_token": csrf_token(client, "/pmsmp/nouvelle")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page.replace("&#39;", "'")
    assert 'value="Montage et affûtage"' in page or "Montage et affûtage</textarea>" in page  # input kept
    assert count_placements() == before


def test_second_renewal_is_refused(client, make, staff):
    p = make.placement(actor=staff, objective="confirmer")
    signing.send_for_signature(staff, p)
    for who in signing.missing_signatories(p):
        signing.sign_by_link(links.make_link_token(links.SIGN, p.id, who.role, who.email), ip=None, user_agent=None)
    from crm.pmsmp import services

    services.validate_placement(staff, p)
    renewal = make.placement(actor=staff, youth=p.youth, company_id=p.company_id, objective="confirmer",
                             renewal_of_id=p.id, renewal_reason="Gestes à consolider",
                             start_date=p.end_date + timedelta(days=3), end_date=p.end_date + timedelta(days=8))
    renewal.status = "validee"
    db.session.commit()  # the view's rollback must not take the test's rows with it
    assert client.get(f"/pmsmp/nouvelle?renouvelle={renewal.id}").status_code == 403  # no button, no page
    data = form_data(p.youth, p.company, staff, objective="confirmer", renewal_of_id=str(renewal.id),
                     renewal_reason="Encore", start_date=(renewal.end_date + timedelta(days=3)).isoformat(),
                     end_date=(renewal.end_date + timedelta(days=8)).isoformat())
    before = count_placements()
    response = client.post("/pmsmp/nouvelle", data={**data, "csrf_token": csrf_token(client, "/pmsmp/nouvelle")})
    assert response.status_code == 422 and "un second renouvellement est interdit" in response.get_data(as_text=True)
    assert count_placements() == before


def _sent(make, staff):
    p = make.placement(actor=staff)
    signing.send_for_signature(staff, p)
    return p, link_path(last_mail(p.tutor_email))


def test_reused_tampered_and_expired_links(client, make, staff, monkeypatch):
    p, path = _sent(make, staff)
    assert client.post(path, data={"consent": "y", "csrf_token": csrf_token(client, path)}).status_code == 303
    again = client.post(path, data={"consent": "y", "csrf_token": csrf_token(client, "/mon-compte")})
    assert len(p.active_signatures) == 1
    assert "Vous avez signé cette convention le" in again.get_data(as_text=True)
    tampered = client.get(path[:-4] + "abcd")
    assert tampered.status_code == 400 and "mal copié ou modifié" in tampered.get_data(as_text=True)
    monkeypatch.setattr(links, "LINK_MAX_AGE_DAYS", -1)
    other_path = link_path(last_mail(p.youth_email))
    expired = client.post(other_path, data={"consent": "y", "csrf_token": csrf_token(client, "/mon-compte")})
    assert expired.status_code == 400 and "Ce lien a expiré" in expired.get_data(as_text=True)
    assert len(p.active_signatures) == 1


def test_signing_needs_the_consent_box(client, make, staff):
    p, path = _sent(make, staff)
    response = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 422 and "Cochez la case pour signer" in response.get_data(as_text=True)
    assert p.active_signatures == []


def test_edit_schedule_clears_signatures_phone_keeps_them(client, make, staff):
    p, path = _sent(make, staff)
    client.post(path, data={"consent": "y", "csrf_token": csrf_token(client, path)})
    edit = f"/pmsmp/{p.id}/modifier"
    data = form_data(p.youth, p.company, staff, tutor_email=p.tutor_email, youth_email=p.youth_email,
                     version=str(p.version), tutor_name=p.tutor_name, tutor_job=p.tutor_job,
                     activities=p.activities, skills=p.skills, work_conditions=p.work_conditions,
                     protection=p.protection, insurer=p.insurer, insurance_policy=p.insurance_policy,
                     start_date=p.start_date.isoformat(), end_date=p.end_date.isoformat(),
                     **{f"d{d}_pm_start": "13:00" for d in range(5)}, **{f"d{d}_pm_end": "17:00" for d in range(5)})
    data["tutor_phone"] = "04 73 99 99 99"
    response = client.post(edit, data={**data, "csrf_token": csrf_token(client, edit)}, follow_redirects=True)
    assert "les signatures sont conservées" in response.get_data(as_text=True)
    assert len(p.active_signatures) == 1 and p.tutor_phone == "04 73 99 99 99"
    data.update({"d0_pm_end": "16:00", "version": str(p.version)})
    response = client.post(edit, data={**data, "csrf_token": csrf_token(client, edit)}, follow_redirects=True)
    assert "les signatures ont été effacées" in response.get_data(as_text=True)
    assert p.active_signatures == [] and p.status == "a_signer"


def test_correcting_the_young_persons_email_through_the_form_keeps_the_tutors_signature(client, make, staff):
    p, path = _sent(make, staff)  # the tutor's link
    client.post(path, data={"consent": "y", "csrf_token": csrf_token(client, path)})
    old_youth_path = link_path(last_mail(p.youth_email))
    edit = f"/pmsmp/{p.id}/modifier"
    data = form_data(p.youth, p.company, staff, tutor_email=p.tutor_email, youth_email="lea.bis@exemple.test",
                     version=str(p.version), tutor_name=p.tutor_name, tutor_job=p.tutor_job,
                     activities=p.activities, skills=p.skills, work_conditions=p.work_conditions,
                     protection=p.protection, insurer=p.insurer, insurance_policy=p.insurance_policy,
                     start_date=p.start_date.isoformat(), end_date=p.end_date.isoformat(),
                     **{f"d{d}_pm_start": "13:00" for d in range(5)}, **{f"d{d}_pm_end": "17:00" for d in range(5)})
    page = client.post(edit, data={**data, "csrf_token": csrf_token(client, edit)},
                       follow_redirects=True).get_data(as_text=True)
    assert "Correction de forme (courriel du ou de la jeune) : les signatures sont conservées." in page
    assert "reçoit un nouveau lien à cette adresse ; l'ancien ne fonctionne plus." in page.replace("&#39;", "'")
    assert [s.role for s in p.active_signatures] == ["structure_accueil"]
    gone = client.get(old_youth_path)
    assert gone.status_code == 400 and "ne correspond plus" in gone.get_data(as_text=True)
    assert client.get(link_path(last_mail("lea.bis@exemple.test"))).status_code == 200


def test_employer_sees_only_its_company(client, auth, make):
    counsellor = make.counsellor()
    mine = make.placement(actor=counsellor)
    other = make.placement(actor=counsellor)
    employer = make.employer(company_id=mine.company_id)
    auth.login(employer)
    page = client.get("/pmsmp/").get_data(as_text=True)
    assert mine.reference in page and other.reference not in page
    assert client.get(f"/pmsmp/{other.id}").status_code == 404
    assert client.get(f"/pmsmp/{other.id}/convention.pdf").status_code == 404
    assert client.get(f"/pmsmp/{mine.id}").status_code == 200
    assert client.get("/pmsmp/nouvelle").status_code == 403
    assert client.get("/pmsmp/regles").status_code == 403


def test_employer_signs_from_its_account(client, auth, make):
    counsellor = make.counsellor()
    p = make.placement(actor=counsellor)
    signing.send_for_signature(counsellor, p)
    employer = make.employer(company_id=p.company_id, full_name="Sophie Dumas")
    auth.login(employer)
    detail = f"/pmsmp/{p.id}"
    page = client.get(detail).get_data(as_text=True)
    assert "Signer pour ma structure" in page and "J&#39;ai lu la convention et j&#39;accepte de la signer" in page
    client.post(f"{detail}/signer", data={"csrf_token": csrf_token(client, detail), "consent": "y"})
    assert p.signature_for("structure_accueil").name == "Sophie Dumas"
    assert client.post(f"{detail}/valider", data={"csrf_token": csrf_token(client, detail)}).status_code == 403
    # the signatories list shows who signed for the host, beside the tutor it was meant for
    row = re.search(r"Structure d&#39;accueil \(tuteur\)</th>(.*?)</tr>", client.get(detail).get_data(as_text=True),
                    re.S).group(1)
    assert "Sophie Dumas" in row and "pour Jean Dumas" in row and "Signé le" in row


def test_employer_signing_without_ticking_the_box_is_refused_beside_it(client, auth, make):
    counsellor = make.counsellor()
    p = make.placement(actor=counsellor)
    signing.send_for_signature(counsellor, p)
    auth.login(make.employer(company_id=p.company_id))
    detail = f"/pmsmp/{p.id}"
    response = client.post(f"{detail}/signer", data={"csrf_token": csrf_token(client, detail)})
    assert response.status_code == 422
    assert "Cochez la case pour signer la convention." in response.get_data(as_text=True)
    assert p.signature_for("structure_accueil") is None and p.status == "a_signer"


def test_another_companys_employer_cannot_sign(client, auth, make):
    counsellor = make.counsellor()
    p = make.placement(actor=counsellor)
    signing.send_for_signature(counsellor, p)
    auth.login(make.employer())
    detail = f"/pmsmp/{p.id}"
    response = client.post(f"{detail}/signer", data={"csrf_token": csrf_token(client, "/mon-compte"), "consent": "y"})
    assert response.status_code == 404 and p.signature_for("structure_accueil") is None


def test_partner_and_anonymous_are_kept_out(client, auth, make):
    p = make.placement()
    assert client.get(f"/pmsmp/{p.id}").status_code == 302
    auth.login(make.partner_user())
    assert client.get("/pmsmp/").status_code == 403
    assert client.get(f"/pmsmp/{p.id}").status_code == 403


def test_cancel_needs_a_reason(client, make, staff):
    p = make.placement(actor=staff)
    p.status = "validee"
    db.session.flush()
    url = f"/pmsmp/{p.id}/annuler"
    response = client.post(url, data={"reason": "", "csrf_token": csrf_token(client, url)})
    assert response.status_code == 422 and "Information obligatoire" in response.get_data(as_text=True)
    assert p.status == "validee"
    client.post(url, data={"reason": "Emploi trouvé", "csrf_token": csrf_token(client, url)})
    assert p.status == "annulee"


def test_rules_page_shows_references_and_dates(client, staff):
    page = client.get("/pmsmp/regles").get_data(as_text=True)
    assert "Code du travail, art. D. 5135-3" in page and "L. 3162-1" in page and "16/11/2014" in page


def test_list_queries_do_not_grow_with_rows(client, make, staff, count_queries):
    make.placement(actor=staff)
    with count_queries() as few:
        assert client.get("/pmsmp/").status_code == 200
    for _ in range(6):
        make.placement(actor=staff)
    with count_queries() as many:
        page = client.get("/pmsmp/").get_data(as_text=True)
    assert page.count("PMSMP-") >= 7
    assert many.count == few.count


def test_list_search_finds_by_young_person_or_company(client, make, staff):
    by_youth = make.placement(actor=staff, youth=make.pmsmp_youth(last_name="Fargeix"))
    by_company = make.placement(actor=staff, company=make.company(name="Coutellerie de la Durolle"))
    neither = make.placement(actor=staff)

    def shown(term):
        page = client.get("/pmsmp/", query_string={"q": term}).get_data(as_text=True)
        return {p.id for p in (by_youth, by_company, neither) if f"/pmsmp/{p.id}\"" in page}

    assert shown("farg") == {by_youth.id}
    assert shown("durolle") == {by_company.id}
    assert shown("introuvable") == set()


def test_a_signatory_by_link_reads_each_signatorys_own_name(client, auth, make):
    counsellor = make.counsellor()
    p = make.placement(actor=counsellor)
    signing.send_for_signature(counsellor, p)
    signing.sign_as_employer(make.employer(company_id=p.company_id, full_name="Sophie Dumas"), p, ip=None,
                             user_agent=None)
    youth = next(s for s in signing.missing_signatories(p) if s.role == "beneficiaire")
    page = client.get(f"/pmsmp/signature/{links.make_link_token(links.SIGN, p.id, youth.role, youth.email)}")
    text = page.get_data(as_text=True)
    assert "Structure d&#39;accueil (tuteur) : Sophie Dumas — signé le" in text
    assert "Jean Dumas — signé" not in text


def _night_week(**overrides):
    """Monday to Friday nights, 22:00–06:00 the next morning (40 h a week), in the second slot of each day."""
    data = {}
    for d in range(5):
        data.update({f"d{d}_am_start": "", f"d{d}_am_end": "", f"d{d}_pm_start": "22:00", f"d{d}_pm_end": "06:00"})
    return data | overrides


def test_an_adult_can_be_scheduled_overnight(client, make, staff):
    youth = make.pmsmp_youth()
    data = form_data(youth, make.company(), staff, **_night_week())
    response = client.post("/pmsmp/nouvelle", data={**data, "csrf_token": csrf_token(client, "/pmsmp/nouvelle")})
    assert response.status_code == 303, response.get_data(as_text=True)
    p = db.session.scalars(select(Placement).where(Placement.youth_id == youth.id)).one()
    assert p.weekly_hours == 40 and [x.label for x in p.schedule][:1] == ["22:00–06:00 (le lendemain)"]
    page = client.get(f"/pmsmp/{p.id}").get_data(as_text=True)
    assert "22:00–06:00 (le lendemain)" in page and "40 h par semaine" in page.replace("40,0", "40")


def test_overnight_slots_are_refused_for_a_minor_and_past_48_hours_keeping_what_was_typed(client, make, staff):
    data = form_data(minor(make), make.company(), staff, rep1_name="Sandrine Roux", rep1_link="Mère",
                     rep1_email="sandrine.roux@exemple.test", **_night_week())
    response = client.post("/pmsmp/nouvelle", data={**data, "csrf_token": csrf_token(client, "/pmsmp/nouvelle")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and count_placements() == 0
    assert "22:00–06:00 (le lendemain) empiète sur la nuit" in page
    assert re.search(r'<input[^>]*name="d0_pm_start"[^>]*value="22:00"', page)
    adult = form_data(make.pmsmp_youth(), make.company(), staff,
                      **_night_week(**{f"d{d}_pm_start": "20:00" for d in range(5)}))  # 10 h x 5 nights
    response = client.post("/pmsmp/nouvelle", data={**adult, "csrf_token": csrf_token(client, "/pmsmp/nouvelle")})
    assert response.status_code == 422 and count_placements() == 0
    assert "totalise 50 h par semaine" in response.get_data(as_text=True).replace("&#39;", "'")
