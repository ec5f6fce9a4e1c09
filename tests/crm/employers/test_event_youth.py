"""Young people at events (issue 18 §5): named only with consent, their attendance, and what followed."""

from datetime import date, datetime, timedelta
from html import unescape

from sqlalchemy import select

from crm.employers import activity
from crm.employers.models import EventYouth
from portal.audit.models import AuditEvent
from portal.extensions import db
from tests.conftest import csrf_token


def _post(client, url, page, **data):
    data["csrf_token"] = csrf_token(client, page)
    return client.post(url, data=data)


def _event(make, days_ago: int = 10):
    counsellor = make.counsellor()
    event = activity.create_event(counsellor, kind="job_dating", title="Job dating coutellerie",
                                  held_on=date.today() - timedelta(days=days_ago), commune_code="63430")
    return counsellor, event


def test_a_counsellor_names_a_consenting_young_person_with_attendance(client, auth, make):
    counsellor, event = _event(make)
    youth = make.youth(first_name="Inès", last_name="Bertrand")
    auth.login(counsellor)
    url = f"/evenements/{event.id}"
    response = _post(client, f"{url}/jeunes", url, youth_id=str(youth.id), attendance="present")
    assert response.status_code == 303
    row = db.session.scalar(select(EventYouth).where(EventYouth.event_id == event.id))
    assert (row.youth_id, row.attendance) == (youth.id, "present")
    page = unescape(client.get(url).get_data(as_text=True))
    assert "Jeunes participants (1)" in page and "Inès Bertrand" in page and "Présent·e" in page
    assert "Aucune suite pour l'instant." in page
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "event.add_youth"))
    assert "Bertrand" not in (audit.summary + str(audit.details))  # the log names no one: erasure stays whole

    response = _post(client, f"{url}/jeunes/{row.id}/presence", url, attendance="absent")
    assert response.status_code == 303 and db.session.get(EventYouth, row.id).attendance == "absent"
    response = _post(client, f"{url}/jeunes/{row.id}/retirer", url)
    assert response.status_code == 303 and db.session.get(EventYouth, row.id) is None


def test_refusals_are_explained_beside_the_field_and_write_nothing(client, auth, make):
    counsellor, event = _event(make)
    no_consent = make.youth(consent=False, first_name="Yanis", last_name="Roux")
    withdrawn = make.youth(first_name="Lou", last_name="Faure", consent_withdrawn_at=datetime(2026, 3, 1))
    archived = make.youth(first_name="Noé", last_name="Brun", archived_at=datetime(2026, 3, 1))
    present = make.youth(first_name="Léo", last_name="Gay")
    activity.add_young_participant(counsellor, event, present)
    auth.login(counsellor)
    url = f"/evenements/{event.id}"
    cases = [
        ({"youth_id": str(no_consent.id)}, "Yanis Roux n'a pas donné son accord pour être nommé·e"),
        ({"youth_id": str(withdrawn.id)}, "Lou Faure n'a pas donné son accord pour être nommé·e"),
        ({"youth_id": str(archived.id)}, "Le profil de Noé Brun est archivé."),
        ({"youth_id": str(present.id)}, "Léo Gay participe déjà à cet événement."),
        ({"youth_id": "999999"}, "Jeune inconnu·e : choisissez la personne dans la liste proposée."),
        ({"youth_id": "abc"}, "Jeune inconnu·e : choisissez la personne dans la liste proposée."),
        ({"youth_id": "9" * 40}, "Jeune inconnu·e : choisissez la personne dans la liste proposée."),
        ({"youth_id": ""}, "Information obligatoire"),
        ({"youth_id": str(present.id), "attendance": "peut-etre"}, "N'est pas un choix valide."),
    ]
    for data, message in cases:
        data.setdefault("attendance", "inscrit")
        response = _post(client, f"{url}/jeunes", url, **data)
        page = unescape(response.get_data(as_text=True))
        assert response.status_code == 422, data
        assert message in page, (data, message)
        assert f'value="{data["youth_id"]}"' in page or not data["youth_id"]  # what was typed stays
    assert db.session.scalars(select(EventYouth.youth_id).where(EventYouth.event_id == event.id)).all() == [present.id]
    row = db.session.scalar(select(EventYouth).where(EventYouth.event_id == event.id))
    response = _post(client, f"{url}/jeunes/{row.id}/presence", url, attendance="n'importe quoi")
    assert response.status_code == 303 and db.session.get(EventYouth, row.id).attendance == "inscrit"
    assert "Choisissez la présence dans la liste." in unescape(client.get(url).get_data(as_text=True))


def test_the_event_page_shows_what_followed_after_the_event_only(client, auth, make):
    counsellor, event = _event(make, days_ago=20)
    youth = make.youth(first_name="Inès", last_name="Bertrand")
    other = make.youth(first_name="Léo", last_name="Gay")
    activity.add_young_participant(counsellor, event, youth, attendance="present")
    activity.add_young_participant(counsellor, event, other, attendance="absent")
    company = make.company(name="Coutellerie Chazeau")
    before = date.today() - timedelta(days=40)
    make.positioning(make.offer(company, title="Polisseur·se"), youth, status="retenue",
                     created_at=datetime(before.year, before.month, before.day))
    make.positioning(make.offer(company, title="Forgeron·ne"), youth, status="proposee")
    make.positioning(make.offer(company, title="Émouleur·se"), youth, status="suggeree")
    make.placement(actor=counsellor, youth=youth, company=company)
    make.hire(actor=counsellor, youth=youth, company=company, start_on=date.today() - timedelta(days=5))
    make.hire(actor=counsellor, youth=other, company=company, start_on=date.today() - timedelta(days=60))
    auth.login(counsellor)
    page = unescape(client.get(f"/evenements/{event.id}").get_data(as_text=True))
    ines = page[page.index("Inès Bertrand"):page.index("Léo Gay")]  # rows in name order: Bertrand, Gay
    assert "Mise en relation" in ines and "Forgeron·ne · Coutellerie Chazeau (proposée à l'employeur)" in ines
    assert "Polisseur·se" not in page  # positioned before the event
    assert "Émouleur·se" not in page  # a bare suggestion of the engine is no follow-up
    assert "PMSMP-" in ines and "Coutellerie Chazeau, du" in ines
    assert "Embauche" in ines and "CDI · Coutellerie Chazeau" in ines
    leo = page[page.index("Léo Gay"):]
    assert "Aucune suite pour l'instant." in leo  # hired long before the event


def test_who_may_not_reach_the_young_participants(client, auth, make):
    counsellor, event = _event(make)
    youth = make.youth()
    row = activity.add_young_participant(counsellor, event, youth)
    url = f"/evenements/{event.id}"
    assert client.get(url).status_code == 302  # to the login page
    assert _post(client, f"{url}/jeunes", "/connexion", youth_id=str(youth.id)).status_code == 302
    for user in (make.employer(), make.partner_user()):
        auth.login(user)
        assert client.get(url).status_code == 403
        assert _post(client, f"{url}/jeunes/{row.id}/retirer", "/", youth_id=str(youth.id)).status_code == 403
        assert _post(client, f"{url}/jeunes", "/", youth_id=str(youth.id)).status_code == 403
        auth.logout()
    auth.login(counsellor)
    _, other_event = _event(make)
    assert _post(client, f"/evenements/{other_event.id}/jeunes/{row.id}/retirer", url).status_code == 404
    assert _post(client, f"{url}/jeunes/999999/presence", url, attendance="present").status_code == 404
    assert db.session.get(EventYouth, row.id) is not None


def test_the_demo_names_consenting_young_people_at_past_events(make):
    from crm.employers.demo import seed_young_participants
    from portal.access import COUNSELLOR
    from portal.demo import DemoContext

    counsellor, past = _event(make, days_ago=30)
    _, coming = _event(make, days_ago=-10)
    consenting = [make.youth() for _ in range(3)]
    make.youth(consent=False)
    seed_young_participants(DemoContext(users={COUNSELLOR: counsellor}))
    named = db.session.scalars(select(EventYouth).where(EventYouth.event_id == past.id)).all()
    assert {row.youth_id for row in named} >= {y.id for y in consenting} or len(named) == 10
    assert all(row.youth.has_consent for row in named)
    assert db.session.scalars(select(EventYouth).where(EventYouth.event_id == coming.id)).all() == []


def test_the_subject_access_export_lists_the_events_a_young_person_was_named_at(make):
    from io import BytesIO

    from openpyxl import load_workbook

    from portal.privacy import services as privacy

    counsellor, event = _event(make)
    youth = make.youth()
    activity.add_young_participant(counsellor, event, youth, attendance="present")
    book = load_workbook(BytesIO(privacy.export_youth(make.admin(), youth)))
    header, *rows = list(book["Événements"].iter_rows(values_only=True))
    line = dict(zip(header, rows[0], strict=True))
    assert len(rows) == 1 and line["Événement"] == event.id and line["Présence"] == "present"
