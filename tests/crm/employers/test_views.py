"""Employer-relations pages: what a counsellor and an employer see, and who may not reach them."""

import io
import re
from datetime import date, datetime, timedelta
from html import unescape

from openpyxl import load_workbook
from sqlalchemy import func, select

from crm.employers import activity, services
from crm.employers.models import Company, Interaction, Task
from portal.extensions import db
from tests.conftest import csrf_token
from tests.factories import valid_siret


def _form(client, url, **data):
    data["csrf_token"] = csrf_token(client, url)
    return client.post(url, data=data)


def test_counsellor_journey(client, auth, make):
    """Create, log a visit with a next action, see the task, move on the board, find, export."""
    counsellor = make.counsellor()
    auth.login(counsellor)
    siret = valid_siret()
    response = _form(client, "/entreprises/nouvelle", name="Coutellerie Chazeau", siret=siret,
                     commune_code="63430", stage="a_prospecter", owner_id=str(counsellor.id))
    assert response.status_code == 303
    company = db.session.scalar(select(Company).where(Company.siret == siret))
    url = f"/entreprises/{company.id}"
    soon = date.today() + timedelta(days=2)
    response = _form(client, f"{url}/echanges/nouveau", kind="visite", occurred_on=date.today().isoformat(),
                     summary="Visite de l'atelier", outcome="besoin_identifie", next_action="Envoyer trois profils",
                     next_action_on=soon.strftime("%d/%m/%Y"))
    assert response.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Visite de l&#39;atelier" in page and "Envoyer trois profils" in page
    tasks = client.get("/taches").get_data(as_text=True)
    assert "Envoyer trois profils" in tasks and "Coutellerie Chazeau" in tasks
    assert "Cette semaine" in tasks or "Plus tard" in tasks
    response = client.post(f"{url}/etape", data={"stage": "rdv", "retour": "tableau",
                                                 "csrf_token": csrf_token(client, "/prospection")})
    assert response.status_code == 303 and response.headers["Location"].endswith("/prospection")
    assert db.session.get(Company, company.id).stage == "rdv"
    board = client.get("/prospection").get_data(as_text=True)
    assert re.search(r"Rendez-vous <span class=\"badge\">1</span>", board)
    found = client.get("/entreprises?q=coutelerie+thiers").get_data(as_text=True)
    assert "Coutellerie Chazeau" in found
    export = client.get("/entreprises/export.xlsx?q=coutelerie+thiers")
    sheet = load_workbook(io.BytesIO(export.data)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Raison sociale" and [r[0] for r in rows[1:]] == ["Coutellerie Chazeau"]


def test_bad_company_input_keeps_what_was_typed(client, auth, make):
    auth.login(make.counsellor())
    existing = make.company(siret=valid_siret())
    db.session.commit()  # as in real life: the other company is already saved (the view rolls back on error)
    cases = [
        ({"siret": "12345678901234"}, "clé de contrôle"),
        ({"siret": existing.siret}, "déjà celui de l&#39;entreprise"),
        ({"name": ""}, "Information obligatoire"),
        ({"commune_code": "99999"}, "Commune inconnue"),
    ]
    before = db.session.scalar(select(func.count()).select_from(Company))
    for change, message in cases:
        data = {"name": "Menuiserie Roddier", "commune_code": "63430", "stage": "a_prospecter",
                "address": "3 rue des Forges"} | change
        response = _form(client, "/entreprises/nouvelle", **data)
        page = response.get_data(as_text=True)
        assert response.status_code == 422, change
        assert message in page, change
        assert "3 rue des Forges" in page  # nothing typed is lost
    assert db.session.scalar(select(func.count()).select_from(Company)) == before


def test_likely_duplicate_is_shown_before_saving(client, auth, make):
    auth.login(make.counsellor())
    make.company(name="Boulangerie Fayet", name_key="boulangerie fayet", commune_code="63430")
    db.session.commit()
    data = {"name": "Boulangerie  FAYET", "commune_code": "63430", "stage": "a_prospecter"}
    response = _form(client, "/entreprises/nouvelle", **data)
    assert response.status_code == 422 and "Doublon possible" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Company).where(Company.name == "Boulangerie  FAYET")) == 0
    response = _form(client, "/entreprises/nouvelle", confirm_duplicate="y", **data)
    assert response.status_code == 303


def test_out_of_territory_commune_is_flagged(client, auth, make):
    auth.login(make.counsellor())
    company = make.company(commune_code="75056")  # Paris
    assert "Hors territoire" in client.get(f"/entreprises/{company.id}").get_data(as_text=True)


def test_employer_sees_only_its_own_company(client, auth, make):
    employer = make.employer()
    own = db.session.get(Company, employer.company_id)
    own.notes = "Note interne confidentielle"
    activity.log_interaction(make.counsellor(), company=own, kind="appel", occurred_on=date.today(),
                             summary="Appel secret")
    other = make.company()
    auth.login(employer)
    page = client.get("/mon-entreprise").get_data(as_text=True)
    assert own.name in page and "Note interne" not in page and "Appel secret" not in page
    assert client.get(f"/entreprises/{own.id}").status_code == 200
    assert client.get(f"/entreprises/{other.id}").status_code == 404
    assert client.get("/entreprises").status_code == 403
    response = _form(client, "/mon-entreprise/modifier", description="Nous fabriquons des couteaux.",
                     phone="0473800000", version=str(own.version))
    assert response.status_code == 303
    db.session.refresh(own)
    assert own.description == "Nous fabriquons des couteaux." and own.phone == "04 73 80 00 00"
    assert own.notes == "Note interne confidentielle"


def test_employer_cannot_change_notes_through_the_profile_form(client, auth, make):
    employer = make.employer()
    auth.login(employer)
    own = db.session.get(Company, employer.company_id)
    _form(client, "/mon-entreprise/modifier", notes="piraté", stage="partenaire_actif", version=str(own.version))
    db.session.refresh(own)
    assert own.notes is None and own.stage == "a_prospecter"


def test_list_queries_do_not_grow_with_rows(client, auth, make, count_queries):
    counsellor = make.counsellor()
    auth.login(counsellor)

    def fill(n):
        for _ in range(n):
            company = make.company(owner_id=make.counsellor().id)  # each its own owner: no query per owner
            services.add_contact(counsellor, company, full_name="Jean Bost")
            activity.log_interaction(counsellor, company=company, kind="appel", occurred_on=date.today(),
                                     summary="Appel", next_action="Rappeler", next_action_on=date.today())

    def measure(url):
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    fill(3)
    small = {url: measure(url) for url in ("/entreprises", "/taches", "/prospection", "/evenements")}
    fill(20)
    for url, count in small.items():
        assert measure(url) == count, url


def test_tasks_mark_done(client, auth, make):
    counsellor = make.counsellor()
    auth.login(counsellor)
    overdue = make.task(counsellor, title="Relancer la fromagerie", due_on=date.today() - timedelta(days=2))
    page = client.get("/taches").get_data(as_text=True)
    assert "En retard" in page and "Relancer la fromagerie" in page
    token = csrf_token(client, "/taches")
    client.post(f"/taches/{overdue.id}/terminer", data={"csrf_token": token})
    assert db.session.get(Task, overdue.id).done_at is not None


def _assign(client, token, task_ids, assignee_id):
    response = client.post("/taches/confier", data={"csrf_token": token, "assignee_id": str(assignee_id),
                                                    "tache": [str(i) for i in task_ids], "retour": "/taches"})
    assert response.status_code == 303
    return unescape(client.get(response.headers["Location"]).get_data(as_text=True))


def test_checked_tasks_are_given_to_one_person(client, auth, make):
    counsellor, colleague = make.counsellor(), make.counsellor(full_name="Anne Vialle")
    auth.login(counsellor)
    first = make.task(counsellor, title="Relancer la fromagerie")
    second = make.task(counsellor, title="Envoyer les profils")
    kept = make.task(counsellor, title="Préparer le forum")
    page = client.get("/taches").get_data(as_text=True)
    # one menu for the page, one box per open task, tied to the form by its `form` attribute
    assert page.count('name="assignee_id"') == 1
    assert page.count('form="confier-taches"') == 3 and 'id="confier-taches"' in page
    shown = _assign(client, csrf_token(client, "/taches"), [first.id, second.id], colleague.id)
    assert "2 tâche(s) confiée(s) à Anne Vialle." in shown
    assert [db.session.get(Task, t.id).assignee_id for t in (first, second, kept)] == [
        colleague.id, colleague.id, counsellor.id]


def test_assigning_tasks_refuses_bad_input_and_writes_nothing(client, auth, make):
    counsellor, colleague = make.counsellor(), make.counsellor(full_name="Anne Vialle")
    auth.login(counsellor)
    mine = make.task(counsellor, title="Relancer la fromagerie")
    done = make.task(counsellor, title="Déjà faite")
    done.done_at = datetime.now()
    employer = make.employer()
    db.session.commit()  # the view rolls back what a refused request did: the tasks must already be there
    token = csrf_token(client, "/taches")
    cases = [
        ([], colleague.id, "Cochez au moins une tâche à confier."),
        ([mine.id], "", "Choisissez la personne à qui confier les tâches cochées."),
        ([mine.id], employer.id, "Choisissez la personne à qui confier les tâches cochées."),
        ([mine.id, 999999], colleague.id, "Une des tâches cochées n'existe plus : rechargez la page."),
        ([mine.id, done.id], colleague.id, "La tâche « Déjà faite » est déjà terminée : rouvrez-la pour la confier."),
    ]
    for ids, who, message in cases:
        assert message in _assign(client, token, ids, who), (ids, who)
        assert db.session.get(Task, mine.id).assignee_id == counsellor.id


def test_event_with_companies(client, auth, make):
    auth.login(make.counsellor())
    response = _form(client, "/evenements/nouveau", kind="job_dating", title="Job dating coutellerie",
                     held_on=date.today().isoformat(), commune_code="63430", youth_count="24")
    assert response.status_code == 303
    event_url = response.headers["Location"]
    company = make.company()
    response = _form(client, event_url, company_id=str(company.id))
    assert response.status_code == 303
    assert db.session.scalar(select(Interaction).where(Interaction.company_id == company.id)).kind == "job_dating"
    response = _form(client, event_url, company_id="999999")
    assert response.status_code == 422 and "Entreprise inconnue" in response.get_data(as_text=True)
    assert "Job dating coutellerie" in client.get("/evenements").get_data(as_text=True)


def test_saved_filters_are_per_user(client, auth, make):
    counsellor = make.counsellor()
    auth.login(counsellor)
    token = csrf_token(client, "/entreprises?etape=rdv")
    client.post("/entreprises/recherches", data={"name": "Mes rendez-vous", "query": "etape=rdv", "csrf_token": token})
    page = client.get("/entreprises").get_data(as_text=True)
    assert "Mes rendez-vous" in page and "?etape=rdv" in page
    auth.logout()
    auth.login(make.counsellor())
    assert "Mes rendez-vous" not in client.get("/entreprises").get_data(as_text=True)


def test_partner_and_anonymous_cannot_reach_companies(client, auth, make):
    company = make.company()
    assert client.get(f"/entreprises/{company.id}").status_code == 302
    auth.login(make.partner_user())
    assert client.get(f"/entreprises/{company.id}").status_code == 403
    assert client.get("/taches").status_code == 403


def test_only_admin_edits_stages(client, auth, make):
    auth.login(make.counsellor())
    assert client.get("/prospection/etapes").status_code == 403
    auth.logout()
    auth.login(make.admin())
    token = csrf_token(client, "/prospection/etapes")
    response = client.post("/prospection/etapes", data={
        "csrf_token": token, "label-a_prospecter": "Cible", "position-a_prospecter": "0", "active-a_prospecter": "1",
        "label-contactee": "Contactée", "position-contactee": "1", "active-contactee": "1",
        "label-rdv": "Rendez-vous", "position-rdv": "2", "active-rdv": "1",
        "label-partenaire_actif": "Partenaire actif", "position-partenaire_actif": "3",
        "active-partenaire_actif": "1", "label-en_veille": "En veille", "position-en_veille": "4",
        "new_label": "Convention signée"})
    assert response.status_code == 303
    board = client.get("/prospection").get_data(as_text=True)
    assert "Cible" in board and "Convention signée" in board and "En veille" not in board


def test_board_column_shows_more_on_voir_plus_and_ignores_bad_counts(client, auth, make):
    auth.login(make.counsellor())
    for n in range(35):
        make.company(name=f"Forge {n:02d}", stage="rdv")

    def cards(url):
        page = client.get(url)
        assert page.status_code == 200
        column = page.get_data(as_text=True).split('id="colonne-rdv"')[1].split("</section>")[0]
        return column.count('class="board-card"'), "Voir plus" in column

    assert cards("/prospection") == (30, True)
    assert cards("/prospection?voir-rdv=60") == (35, False)
    for bad in ("abc", "-5", "0", "9" * 40):
        assert cards(f"/prospection?voir-rdv={bad}")[0] in (30, 35)
    assert cards("/prospection?voir-rdv=abc") == (30, True)
