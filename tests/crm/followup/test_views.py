"""Follow-up pages: what each audience sees, bad input, answer links, and bounded queries."""

from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from crm.employers.models import Task
from crm.followup import answers, services
from crm.followup.models import CheckIn, Hire
from crm.followup.rules import EMPLOYER, YOUTH
from portal.extensions import db

TODAY = date.today()


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _hires() -> int:
    return db.session.scalar(select(func.count(Hire.id)))


def test_counsellor_records_a_hire_by_hand(client, auth, make, csrf):
    counsellor = make.counsellor()
    youth = make.followup_youth()
    company = make.company()
    auth.login(counsellor)
    response = client.post("/suivis/embauches/nouvelle", data={
        "csrf_token": csrf("/suivis/embauches/nouvelle"), "youth_id": str(youth.id), "company_id": str(company.id),
        "contract_type": "cdd", "start_on": "2026-03-02", "end_on": "2026-08-31", "trial_end_on": "2026-03-16",
        "hours_per_week": "35", "job_title": "Agent de conditionnement"})
    assert response.status_code == 303
    hire = db.session.scalar(select(Hire).where(Hire.youth_id == youth.id))
    assert [c.label for c in hire.check_ins] == ["J+7", "Fin de période d'essai", "J+30", "J+90"]
    page = _text(client.get(response.headers["Location"]))
    assert "Embauche enregistrée : 4 points de suivi planifiés." in page
    assert "Agent de conditionnement" in page and "09/03/2026" in page


def test_hire_dates_in_the_wrong_order_are_explained_and_kept(client, auth, make, csrf):
    auth.login(make.counsellor())
    youth, company = make.followup_youth(), make.company()
    before = _hires()
    response = client.post("/suivis/embauches/nouvelle", data={
        "csrf_token": csrf("/suivis/embauches/nouvelle"), "youth_id": str(youth.id), "company_id": str(company.id),
        "contract_type": "cdd", "start_on": "2026-03-02", "end_on": "2026-01-31", "job_title": "Magasinier"})
    assert response.status_code == 422
    page = _text(response)
    assert "La date de fin doit être postérieure à la date de début." in page
    assert 'value="Magasinier"' in page and 'value="2026-01-31"' in page
    assert _hires() == before


@pytest.mark.parametrize("anonymised", [False, True])
def test_unknown_or_anonymised_youth_is_refused(client, auth, make, csrf, anonymised):
    youth_id = "999999"
    if anonymised:
        from portal.privacy import services as privacy

        youth = make.followup_youth()
        privacy.erase_youth(make.admin(), youth, reason="Demande écrite du jeune")
        youth_id = str(youth.id)
    auth.login(make.counsellor())
    response = client.post("/suivis/embauches/nouvelle", data={
        "csrf_token": csrf("/suivis/embauches/nouvelle"), "youth_id": youth_id, "company_id": str(make.company().id),
        "contract_type": "cdi", "start_on": "2026-03-02"})
    assert response.status_code == 422
    assert "Choisissez le ou la jeune embauché·e." in _text(response)
    assert _hires() == 0


def test_employer_difficulty_through_its_link_creates_the_mediation_task(client, make, csrf):
    hire = make.hire()
    check_in = hire.check_ins[0]
    answers.send_answer_link(make.counsellor(), check_in, EMPLOYER)
    url = f"/suivi/reponse/{answers.make_answer_token(check_in, EMPLOYER)}"
    page = _text(client.get(url))
    assert f"Comment se passe le recrutement de {hire.youth.first_name} ?" in page
    response = client.post(url, data={"csrf_token": csrf(url), "in_post": "oui", "satisfaction": "peu_satisfait",
                                      "difficulties": "oui", "comment": "Retards le lundi"})
    assert response.status_code == 200
    assert "Votre réponse est bien transmise à la Mission Locale." in _text(response)
    task = db.session.scalar(select(Task).where(Task.subject_type == "Hire", Task.subject_id == hire.id))
    assert task.assignee_id == hire.youth.referent_id
    assert task.title.startswith("Médiation : difficulté signalée par l'employeur")
    # the link is used: a second visit says so in French
    again = client.get(url)
    assert again.status_code == 400
    assert "Ce lien a déjà été utilisé" in _text(again)


def test_answer_by_link_with_missing_comment_keeps_the_choices(client, make, csrf):
    check_in = make.hire().check_ins[0]
    answers.send_answer_link(make.counsellor(), check_in, YOUTH)
    db.session.commit()  # the failed request rolls back its own work only
    url = f"/suivi/reponse/{answers.make_answer_token(check_in, YOUTH)}"
    response = client.post(url, data={"csrf_token": csrf(url), "in_post": "non", "satisfaction": "pas_satisfait",
                                      "difficulties": "oui", "comment": ""})
    assert response.status_code == 422
    page = _text(response)
    assert "Décrivez en quelques mots ce qui se passe" in page
    assert 'checked id="satisfaction-3"' in page  # « Pas satisfait » stays ticked
    assert db.session.get(CheckIn, check_in.id).youth_answered_at is None


def test_expired_and_forged_links_get_a_french_message(client, make, monkeypatch):
    check_in = make.hire().check_ins[0]
    answers.send_answer_link(make.counsellor(), check_in, YOUTH)
    token = answers.make_answer_token(check_in, YOUTH)
    monkeypatch.setattr("crm.followup.rules.LINK_MAX_AGE_DAYS", -1)
    expired = client.get(f"/suivi/reponse/{token}")
    assert expired.status_code == 400 and "Ce lien a expiré." in _text(expired)
    forged = client.get("/suivi/reponse/pas-un-vrai-jeton")
    assert "Ce lien n'est pas valide" in _text(forged)


def test_employer_sees_and_answers_only_its_own_check_ins(client, auth, make, csrf):
    own = make.hire(start_on=TODAY - timedelta(days=10))
    other = make.hire(start_on=TODAY - timedelta(days=10))
    employer = make.employer(company_id=own.company_id)
    auth.login(employer)
    page = _text(client.get("/suivis/recrutements"))
    assert own.youth.full_name in page and other.youth.full_name not in page
    assert client.get(f"/suivis/recrutements/{other.check_ins[0].id}").status_code == 404
    token = csrf(f"/suivis/recrutements/{own.check_ins[0].id}")
    refused = client.post(f"/suivis/recrutements/{other.check_ins[0].id}", data={
        "csrf_token": token, "in_post": "oui", "satisfaction": "satisfait", "difficulties": "non"})
    assert refused.status_code == 404
    assert db.session.get(CheckIn, other.check_ins[0].id).employer_answered_at is None
    response = client.post(f"/suivis/recrutements/{own.check_ins[0].id}", data={
        "csrf_token": token, "in_post": "oui", "satisfaction": "satisfait", "difficulties": "non"})
    assert response.status_code == 303
    answered = db.session.get(CheckIn, own.check_ins[0].id)
    assert answered.employer_in_post is True and answered.employer_answered_by == employer.display_name
    assert "Répondu le" in _text(client.get("/suivis/recrutements"))
    # not yet due check-ins are not offered
    assert client.get(f"/suivis/recrutements/{own.check_ins[-1].id}").status_code == 404


def test_staff_pages_are_closed_to_employers(client, auth, make):
    hire = make.hire()
    auth.login(make.employer(company_id=hire.company_id))
    assert client.get(f"/suivis/embauches/{hire.id}").status_code == 403
    assert client.get("/suivis").status_code == 403


def test_schedule_defaults_are_for_admins(client, auth, make, csrf):
    auth.login(make.counsellor())
    assert client.get("/suivis/parametres").status_code == 403
    auth.logout()
    auth.login(make.admin())
    data = {f"offsets_{c}": "7, 30, 90" for c in ("cdi", "cdd", "interim", "apprentissage", "professionnalisation",
                                                  "contrat_aide", "saisonnier")}
    data.update({"csrf_token": csrf("/suivis/parametres"), "offsets_cdd": "7, trente"})
    response = client.post("/suivis/parametres", data=data)
    assert response.status_code == 422
    assert "Indiquez des nombres de jours séparés par des virgules" in _text(response)
    assert 'value="7, trente"' in _text(response)
    data["offsets_cdd"] = "10, 45"
    assert client.post("/suivis/parametres", data=data).status_code == 303
    assert 'value="10, 45"' in _text(client.get("/suivis/parametres"))


def test_rupture_without_reason_then_with_it(client, auth, make, csrf):
    hire = make.hire(start_on=TODAY - timedelta(days=40))
    auth.login(make.counsellor())
    url = f"/suivis/embauches/{hire.id}/rupture"
    data = {"csrf_token": csrf(url), "ended_on": (TODAY - timedelta(days=2)).isoformat(), "initiative": "employeur",
            "reason": "", "note": "Fin de mission anticipée", "reopen_positioning": "oui"}
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert "Choisissez le motif de la rupture dans la liste." in _text(response)
    assert "Fin de mission anticipée" in _text(response)
    assert db.session.get(Hire, hire.id).ended_on is None
    data["reason"] = "conditions_travail"
    response = client.post(url, data=data)
    assert response.status_code == 303
    page = _text(client.get(f"/suivis/embauches/{hire.id}"))
    assert "Conditions de travail (horaires, pénibilité)" in page and "Rupture le" in page
    stored = db.session.get(Hire, hire.id)
    assert (stored.rupture_reason, stored.reopen_positioning) == ("conditions_travail", True)
    assert "À faire" not in page and "À venir" not in page
    assert f"Annulé : contrat rompu le {TODAY - timedelta(days=2):%d/%m/%Y}." in page


def test_a_rupture_recorded_by_mistake_is_withdrawn(client, auth, make, csrf):
    hire = make.hire(start_on=TODAY - timedelta(days=3))
    counsellor = make.counsellor()
    services.record_rupture(counsellor, hire, ended_on=TODAY, initiative="jeune", reason="sante",
                            reopen_positioning=False)
    auth.login(counsellor)
    url = f"/suivis/embauches/{hire.id}/rupture/annuler"
    response = client.post(url, data={"csrf_token": csrf(f"/suivis/embauches/{hire.id}")})
    assert response.status_code == 303
    page = _text(client.get(response.headers["Location"]))
    assert "Rupture annulée : le contrat reprend (points de suivi de nouveau à faire : 3)." in page
    assert "Annulé" not in page and db.session.get(Hire, hire.id).ended_on is None
    response = client.post(url, data={"csrf_token": csrf(f"/suivis/embauches/{hire.id}")}, follow_redirects=True)
    assert "Aucune rupture n'est enregistrée sur ce contrat." in _text(response)


def test_check_in_on_an_ended_hire_is_refused_in_french(client, auth, make, csrf):
    hire = make.hire()
    counsellor = make.counsellor()
    check_in_id = hire.check_ins[0].id
    services.record_rupture(counsellor, hire, ended_on=TODAY, initiative="jeune", reason="sante",
                            reopen_positioning=False)
    auth.login(counsellor)
    url = f"/suivis/points/{check_in_id}"
    response = client.post(url, data={"csrf_token": csrf(url), "channel": "telephone", "situation": "en_poste",
                                      "summary": "Appel au jeune"})
    assert response.status_code == 422
    assert "plus aucun point de suivi ne peut y être enregistré" in _text(response)
    assert db.session.get(CheckIn, check_in_id).done_at is None


def test_counsellor_records_a_difficulty(client, auth, make, csrf):
    counsellor = make.counsellor()
    hire = make.hire(youth=make.followup_youth(referent_id=counsellor.id), start_on=TODAY - timedelta(days=35))
    auth.login(counsellor)
    url = f"/suivis/points/{hire.check_ins[0].id}"
    response = client.post(url, data={"csrf_token": csrf(url), "channel": "visite", "situation": "difficulte",
                                      "summary": "Tensions avec le chef d'équipe", "next_step": "Rencontre à trois"})
    assert response.status_code == 303
    assert db.session.scalar(select(Task.assignee_id).where(Task.subject_id == hire.id)) == counsellor.id
    page = _text(client.get("/suivis"))  # the J+30 check-in comes first, flagged
    assert "Difficulté" in page and "J+30" in page


def test_mediation_form_errors_and_success(client, auth, make, csrf):
    hire = make.hire()
    db.session.commit()
    auth.login(make.counsellor())
    url = f"/suivis/embauches/{hire.id}/mediations"
    token = csrf(f"/suivis/embauches/{hire.id}")
    response = client.post(url, data={"csrf_token": token, "kind": "visite_entreprise",
                                      "occurred_on": TODAY.isoformat(), "note": ""})
    assert response.status_code == 422 and "Décrivez l'action menée." in _text(response)
    response = client.post(url, data={"csrf_token": token, "kind": "visite_entreprise",
                                      "occurred_on": TODAY.isoformat(), "note": "Visite avec la tutrice"})
    assert response.status_code == 303
    assert "Visite avec la tutrice" in _text(client.get(f"/suivis/embauches/{hire.id}"))


def test_send_link_without_address_is_explained(client, auth, make, csrf):
    hire = make.hire(youth=make.followup_youth(email=None))
    auth.login(make.counsellor())
    response = client.post(f"/suivis/points/{hire.check_ins[0].id}/lien",
                           data={"csrf_token": csrf(f"/suivis/embauches/{hire.id}"), "side": "jeune"},
                           follow_redirects=True)
    assert "Aucune adresse électronique connue pour ce ou cette jeune" in _text(response)


def test_follow_up_queue_queries_do_not_grow(client, auth, make, count_queries):
    counsellor = make.counsellor()
    auth.login(counsellor)

    def add(n):
        for _ in range(n):
            make.hire(youth=make.followup_youth(referent_id=counsellor.id), start_on=TODAY - timedelta(days=8))

    add(2)
    with count_queries() as few:
        assert client.get("/suivis").status_code == 200
    add(8)
    with count_queries() as many:
        page = _text(client.get("/suivis"))
    assert page.count("Enregistrer<span") == 10
    assert many.count == few.count


def test_hire_list_queries_do_not_grow(client, auth, make, count_queries):
    auth.login(make.counsellor())
    make.hire()
    with count_queries() as few:
        client.get("/suivis/embauches")
    for _ in range(6):
        make.hire()
    with count_queries() as many:
        response = client.get("/suivis/embauches?etat=en_cours")
    assert response.status_code == 200
    assert many.count == few.count


def test_hire_shows_on_the_young_person_and_company_pages(client, auth, make):
    hire = make.hire(job_title="Polisseur de lames")
    auth.login(make.counsellor())
    youth_page = _text(client.get(f"/jeunes/{hire.youth_id}"))
    assert "Embauches et suivi" in youth_page and "Polisseur de lames" in youth_page
    company_page = _text(client.get(f"/entreprises/{hire.company_id}"))
    assert f"Embauche de {hire.youth.full_name} : Polisseur de lames" in company_page


@pytest.mark.parametrize("role", ["admin", "counsellor", "employer", "partner"])
def test_every_followup_endpoint_answers_each_role_as_declared(app, client, auth, make, csrf, role):
    from tests.portal.test_access import _audience, _endpoints, _request

    auth.login(make.user(role))
    token = csrf("/mon-compte")
    checked = 0
    for endpoint, url, method in _endpoints(app):
        if not endpoint.startswith("followup."):
            continue
        checked += 1
        response = _request(client, method, url, token)
        audience = _audience(app, endpoint)
        if role in audience or "public" in audience:
            assert response.status_code not in (403, 500), f"{endpoint} → {response.status_code} pour {role}"
        else:
            assert response.status_code == 403, f"{endpoint} → {response.status_code} pour {role}"
    assert checked == 20  # 14 + two exports + three corrections + withdrawing a rupture


def test_an_anonymised_young_person_leaves_my_follow_ups(client, auth, make):
    from portal.privacy import services as privacy

    me = make.counsellor()
    make.hire(youth=make.followup_youth(referent_id=me.id, last_name="Gardée"))
    erased = make.followup_youth(referent_id=me.id, last_name="Effacée")
    make.hire(youth=erased)
    auth.login(me)
    assert "Effacée" in client.get("/suivis").get_data(as_text=True)
    privacy.erase_youth(make.admin(), erased, reason="Demande écrite du jeune")
    db.session.flush()
    page = client.get("/suivis").get_data(as_text=True)
    assert "Gardée" in page and "Jeune anonymisé" not in page
