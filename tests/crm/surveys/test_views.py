"""Setting up, sending and reading the survey; the reminder; who may not reach each page."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from crm.surveys import queries, rules, services
from crm.surveys.models import Survey, SurveyInvitation
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.reminders import run_all
from tests.concurrency import conflict_message
from tests.conftest import csrf_token


def _post(client, url, page=None, **data):
    data["csrf_token"] = csrf_token(client, page or url)
    return client.post(url, data=data)


def test_the_survey_asks_signatories_companies_with_a_hire_or_pmsmp_and_partners(world):
    invitations = {i.email: i.kind for i in world.survey.invitations}
    signatory_email = world.invitation(world.signatory).email
    assert invitations == {signatory_email: rules.CHARTER, "rh@forges.test": rules.ACTIVITY,
                           "contact@mobilite.test": rules.PARTNER}
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.topic.like("enquete:%"))).all()
    assert sorted(m.recipient for m in mails) == sorted(invitations)
    mail = next(m for m in mails if m.recipient == "rh@forges.test")
    assert mail.subject == f"Votre avis sur la Mission Locale ({date.today().year})"
    assert "pour Forges de Thiers" in mail.body and "/enquete/" in mail.body
    assert "Merci de ne nommer aucun jeune" in mail.body
    assert not re.search(r"\b(de|à) (le|les)\b|\.\.|\{\{|None", mail.body), mail.body  # no French slip
    # a second sending reaches newcomers only
    assert services.launch_survey(world.admin, world.survey, today=date.today()) == (0, [])


def test_an_admin_sets_up_a_survey_and_bad_inputs_are_explained(client, auth, make):
    auth.login(make.admin())
    year = date.today().year
    page = unescape(client.get("/enquetes/nouvelle").get_data(as_text=True))
    assert rules.DEFAULT_QUESTIONS["satisfaction"] in page and 'inputmode="numeric"' in page
    good = {"year": str(year), "opens_on": f"{year}-11-01", "closes_on": f"{year}-12-15",
            "question_improve": "Une idée pour mieux travailler ensemble ?"}
    cases = [
        ({"closes_on": f"{year}-10-01"}, "closes_on", "La clôture doit suivre l'ouverture."),
        ({"closes_on": f"{year + 1}-06-01"}, "closes_on", "L'enquête reste ouverte 120 jours au plus."),
        ({"year": "1850"}, "year", "Indiquez une année entre 2000 et 2100."),
        ({"year": ""}, "year", "Indiquez l'année."),
        ({"opens_on": "31/02/2026"}, "opens_on", "date"),
        ({"question_comment": "x" * 301}, "question_comment", "300 caractères au maximum."),
    ]
    for change, field, message in cases:
        response = _post(client, "/enquetes/nouvelle", **{**good, **change})
        body = unescape(response.get_data(as_text=True))
        assert response.status_code == 422, change
        assert f'id="{field}-error"' in body and message in body, (change, message)
        assert "Une idée pour mieux travailler ensemble ?" in body  # kept
    assert db.session.scalar(select(func.count()).select_from(Survey)) == 0
    response = _post(client, "/enquetes/nouvelle", **good)
    assert response.status_code == 303
    survey = db.session.scalar(select(Survey))
    assert survey.wording == {"improve": "Une idée pour mieux travailler ensemble ?"}
    response = _post(client, "/enquetes/nouvelle", **good)
    assert response.status_code == 422 and f"L'enquête {year} existe déjà" in unescape(response.get_data(as_text=True))


def test_the_wording_is_frozen_once_answers_came_in(client, auth, world):
    services.answer_survey(world.invitation(world.partner), satisfaction=5, recommend=True, improve=None, comment=None)
    auth.login(world.admin)
    url = f"/enquetes/{world.survey.id}/modifier"
    response = _post(client, url, opens_on=world.survey.opens_on.isoformat(),
                     closes_on=(world.survey.closes_on + timedelta(days=5)).isoformat(),
                     question_satisfaction="Êtes-vous content·e ?", version=str(world.survey.version))
    assert response.status_code == 422
    assert "Des réponses sont déjà arrivées : les questions ne peuvent plus changer." in unescape(
        response.get_data(as_text=True))
    response = _post(client, url, opens_on=world.survey.opens_on.isoformat(),
                     closes_on=(world.survey.closes_on + timedelta(days=5)).isoformat(),
                     question_satisfaction=rules.DEFAULT_QUESTIONS["satisfaction"], version=str(world.survey.version))
    assert response.status_code == 303  # the period may still move
    response = _post(client, url, opens_on=world.survey.opens_on.isoformat(),
                     closes_on=world.survey.closes_on.isoformat(), version="999")
    assert response.status_code == 422
    assert conflict_message(unescape(response.get_data(as_text=True))).startswith("Cette enquête a été modifiée entre-temps")


@pytest.mark.parametrize("version", ["abc", "²"])
def test_a_version_our_forms_never_send_is_refused_as_stale(client, auth, world, version):
    auth.login(world.admin)
    response = _post(client, f"/enquetes/{world.survey.id}/modifier", opens_on=world.survey.opens_on.isoformat(),
                     closes_on=world.survey.closes_on.isoformat(), version=version)
    assert response.status_code == 422
    assert conflict_message(unescape(response.get_data(as_text=True))).startswith("Cette enquête a été modifiée entre-temps")


def test_one_reminder_a_week_after_to_those_who_have_not_answered(world):
    answered = world.invitation(world.partner)
    services.answer_survey(answered, satisfaction=4, recommend=True, improve=None, comment=None)
    for invitation in world.survey.invitations:
        invitation.sent_at = invitation.sent_at - timedelta(days=8)
    db.session.flush()
    today = date.today()
    assert services.send_reminders(today - timedelta(days=2)) == 0  # not yet a week
    assert dict(run_all(today))["enquete_satisfaction"] == "2 rappel(s) d'enquête de satisfaction envoyé(s)"
    assert dict(run_all(today))["enquete_satisfaction"] == "0 rappel(s) d'enquête de satisfaction envoyé(s)"
    reminders = db.session.scalars(select(OutboxMessage).where(OutboxMessage.topic.like("enquete:%:rappel"))).all()
    assert sorted(m.recipient for m in reminders) == sorted(
        i.email for i in world.survey.invitations if i.id != answered.id)
    assert all(m.subject.startswith("Rappel : votre avis") and "/enquete/" in m.body for m in reminders)
    assert all("Il est encore temps de nous donner votre avis" in m.body for m in reminders)
    assert not any(re.search(r"\b(de|à) (le|les)\b|\.\.|\{\{|None", m.body) for m in reminders)


def _answer_all(world):
    services.answer_survey(world.invitation(world.signatory), satisfaction=5, recommend=True,
                           improve="Des rencontres plus fréquentes", comment="=1+1 merci")
    services.answer_survey(world.invitation(world.partner), satisfaction=2, recommend=False, improve=None,
                           comment="Délais de réponse trop longs")
    db.session.commit()


def test_results_show_rates_and_averages_and_comments_to_the_direction_only(client, auth, make, world):
    _answer_all(world)
    result = queries.results(world.survey, with_comments=True)
    assert [(k.label, k.invited, k.answered, k.average, k.recommend_rate) for k in result.by_kind] == [
        (rules.KINDS[rules.CHARTER], 1, 1, 5.0, 1.0), (rules.KINDS[rules.ACTIVITY], 1, 0, None, None),
        (rules.KINDS[rules.PARTNER], 1, 1, 2.0, 0.0)]
    assert (result.total.invited, result.total.answered, result.total.average) == (3, 2, 3.5)
    url = f"/enquetes/{world.survey.id}"
    auth.login(world.admin)
    page = unescape(client.get(url).get_data(as_text=True))
    assert "67 %" in page and "3,5 / 5" in page and "5,0 / 5" in page and "2,0 / 5" in page
    assert "Délais de réponse trop longs" in page and "Des rencontres plus fréquentes" in page
    assert "Envoyer les invitations" not in page and "Inviter les nouveaux répondants" in page
    auth.logout()
    auth.login(make.counsellor())
    page = unescape(client.get(url).get_data(as_text=True))
    assert "3,5 / 5" in page and "Délais de réponse" not in page and "Ce que disent les répondants" not in page
    assert "Modifier" not in page and "Inviter les nouveaux" not in page
    dashboard = unescape(client.get("/indicateurs?rubrique=satisfaction").get_data(as_text=True))
    assert "Satisfaction des employeurs et partenaires" in dashboard and "3,5 / 5" in dashboard
    assert "Délais de réponse" not in dashboard


def test_who_may_not_reach_the_survey_pages(client, auth, make, world):
    survey_id = world.survey.id
    pages = ["/enquetes", f"/enquetes/{survey_id}", "/enquetes/nouvelle", f"/enquetes/{survey_id}/modifier"]
    for url in pages:
        assert client.get(url).status_code == 302  # to the login page
    for user in (make.employer(), make.partner_user()):
        auth.login(user)
        for url in pages:
            assert client.get(url).status_code == 403, (user.role, url)
        assert "Satisfaction des employeurs" not in client.get("/indicateurs").get_data(as_text=True)
        auth.logout()
    auth.login(make.counsellor())
    assert client.get(f"/enquetes/{survey_id}").status_code == 200
    for url in pages[2:]:
        assert client.get(url).status_code == 403, url
    assert _post(client, f"/enquetes/{survey_id}/envoyer", "/enquetes").status_code == 403
    assert client.get("/enquetes/999999").status_code == 404


def test_sending_outside_the_period_is_refused(client, auth, world):
    world.survey.opens_on = date.today() + timedelta(days=3)
    world.survey.closes_on = date.today() + timedelta(days=30)
    db.session.commit()
    auth.login(world.admin)
    response = _post(client, f"/enquetes/{world.survey.id}/envoyer", f"/enquetes/{world.survey.id}")
    assert response.status_code == 303
    page = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "L'enquête s'envoie pendant sa période, du" in page
    assert db.session.scalar(select(func.count()).select_from(SurveyInvitation)) == 3


def test_the_demo_has_a_sent_survey_with_answers(make):
    from crm.surveys.demo import seed_survey
    from portal.access import ADMIN
    from portal.demo import DemoContext

    company = make.company(email="demo@exemple.test")
    make.hire(company=company, start_on=date.today())
    for n in range(6):
        make.partner(email=f"p{n}@exemple.test")
    seed_survey(DemoContext(users={ADMIN: make.admin()}))
    survey = db.session.scalar(select(Survey))
    assert survey.year == date.today().year and survey.launched_at is not None
    result = queries.results(survey, with_comments=True)
    assert result.total.invited == 7 and result.total.answered >= 1


def test_an_open_survey_not_sent_is_on_the_directions_home(client, auth, make):
    admin = make.admin()
    today = date.today()
    survey = services.create_survey(admin, year=today.year, opens_on=today, closes_on=today + timedelta(days=20))
    db.session.commit()
    auth.login(admin)
    home = unescape(client.get("/").get_data(as_text=True))
    assert "Enquête de satisfaction à envoyer" in home and f"/enquetes/{survey.id}" in home
    services.launch_survey(admin, survey, today=today)
    db.session.commit()
    assert "Enquête de satisfaction à envoyer" not in client.get("/").get_data(as_text=True)
