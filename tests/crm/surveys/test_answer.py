"""Answering the survey by personal link: the page, bad inputs, reused, expired and tampered links."""

from datetime import date, timedelta
from html import unescape

from sqlalchemy import func, select

from crm.surveys.models import SurveyInvitation
from portal.audit.models import AuditEvent
from portal.extensions import db
from tests.conftest import csrf_token
from tests.crm.surveys.conftest import token_of


def _answer(client, url, page=None, **data):
    data["csrf_token"] = csrf_token(client, page or url)
    return client.post(url, data=data)


def test_the_answer_page_is_built_for_a_phone(client, world):
    world.survey.wording = {"improve": "Une idée pour mieux travailler ensemble ?"}
    db.session.flush()
    response = client.get(f"/enquete/{token_of(world.invitation(world.partner))}")
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Votre avis compte" in page and "pour Mobilité Solidaire" in page
    assert 'name="viewport" content="width=device-width' in page
    assert page.count('type="radio"') == 7 and page.count("<textarea") == 2  # 5 scores, oui/non, 2 texts
    assert "Une idée pour mieux travailler ensemble ?" in page  # the admin's wording
    assert "Recommanderiez-vous la Mission Locale" in page  # the default wording elsewhere
    static = client.get("/static/css/app.css")
    css = static.get_data(as_text=True)
    static.close()
    assert ".survey-answer .choice {" in css and "min-height: 44px" in css


def test_bad_answers_are_refused_beside_their_cause_and_keep_what_was_typed(client, world, make):
    make.youth(first_name="Inès", last_name="Bertrand")
    invitation = world.invitation(world.hiring)
    url = f"/enquete/{token_of(invitation)}"
    cases = [
        ({"recommend": "oui"}, "satisfaction", "Choisissez une note de 1 à 5."),
        ({"satisfaction": "7", "recommend": "oui"}, "satisfaction", "La note va de 1 à 5."),
        ({"satisfaction": "0", "recommend": "oui"}, "satisfaction", "La note va de 1 à 5."),
        ({"satisfaction": "4"}, "recommend", "Répondez par oui ou par non."),
        ({"satisfaction": "4", "recommend": "peut-être"}, "recommend", "N'est pas un choix valide."),
        ({"satisfaction": "4", "recommend": "oui", "improve": "x" * 2001}, "improve", "2000 caractères au maximum."),
        ({"satisfaction": "4", "recommend": "oui", "improve": "Le suivi de Inès Bertrand était parfait"}, "improve",
         "Merci de ne nommer aucun jeune dans vos réponses (ici : Inès Bertrand)"),
    ]
    for data, field, message in cases:
        data.setdefault("comment", "Très bonne relation")
        response = _answer(client, url, **data)
        page = unescape(response.get_data(as_text=True))
        assert response.status_code == 422, data
        assert f'id="{field}-error"' in page and message in page, (data, message)
        assert "Très bonne relation" in page  # nothing typed is lost
    db.session.refresh(invitation)
    assert invitation.answered_at is None and invitation.satisfaction is None


def test_an_answer_is_recorded_once_and_the_link_then_says_so(client, world):
    invitation = world.invitation(world.signatory)
    url = f"/enquete/{token_of(invitation)}"
    response = _answer(client, url, satisfaction="4", recommend="non", improve="  Plus de visites  ",
                       comment="=HYPERLINK(\"http://x\")")
    assert response.status_code == 200 and "Votre réponse à l'enquête de satisfaction" in response.get_data(as_text=True)
    db.session.refresh(invitation)
    assert (invitation.satisfaction, invitation.recommend, invitation.improve) == (4, False, "Plus de visites")
    assert invitation.answered_at is not None
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "survey.answer"))
    assert audit.actor_label == "lien personnel (enquête de satisfaction)"
    again = client.get(url)
    assert again.status_code == 400
    assert "Ce lien a déjà servi : votre réponse du" in unescape(again.get_data(as_text=True))
    posted = _answer(client, url, "/connexion", satisfaction="1", recommend="oui")
    assert posted.status_code == 400
    db.session.refresh(invitation)
    assert invitation.satisfaction == 4


def test_tampered_expired_and_early_links_get_a_clear_french_page(client, world):
    invitation = world.invitation(world.partner)
    token = token_of(invitation)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for bad in (tampered, "n-importe-quoi", "x" * 600):
        response = client.get(f"/enquete/{bad}")
        assert response.status_code == 400
        assert "Ce lien n'est pas valide : il a peut-être été mal copié." in unescape(response.get_data(as_text=True))
    world.survey.closes_on = date.today() - timedelta(days=1)
    world.survey.opens_on = date.today() - timedelta(days=40)
    db.session.flush()
    response = client.get(f"/enquete/{token}")
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    assert "Ce lien a expiré : l'enquête" in page and "est close depuis le" in page
    posted = _answer(client, f"/enquete/{token}", "/connexion", satisfaction="5", recommend="oui")
    assert posted.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(SurveyInvitation).where(
        SurveyInvitation.answered_at.is_not(None))) == 0
    world.survey.opens_on, world.survey.closes_on = date.today() + timedelta(days=2), date.today() + timedelta(days=9)
    db.session.flush()
    assert "L'enquête ouvre le" in unescape(client.get(f"/enquete/{token}").get_data(as_text=True))
