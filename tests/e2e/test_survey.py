"""The satisfaction survey answered on a phone by its personal link (issue 18 §9): no horizontal scroll,
44 px touch targets, the mistakes said beside their cause, the link good for one answer only."""

from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.e2e.axe import axe_violations, blocking, report
from tests.e2e.conftest import PHONE


def _unanswered_recipient(server) -> str:
    """The address of a demo invitation not answered yet, and the only invitation to that address."""
    from crm.surveys.models import SurveyInvitation
    from portal.extensions import db

    with server.app.app_context():
        alone = select(SurveyInvitation.email).group_by(SurveyInvitation.email).having(func.count() == 1)
        return db.session.scalar(select(SurveyInvitation.email).where(
            SurveyInvitation.answered_at.is_(None), SurveyInvitation.email.in_(alone)).order_by(SurveyInvitation.id))


def test_the_survey_is_answered_on_a_phone_once(browser_page, server):
    email = _unanswered_recipient(server)
    link = server.link_in_email(email, "/enquete/")
    page = browser_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre avis compte")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator("input[type=radio]").count() == 7 and page.locator("textarea").count() == 2
    for target in [*page.locator(".choice").all(), page.get_by_role("button", name="Envoyer ma réponse")]:
        box = target.bounding_box()
        assert box["height"] >= 44 and box["x"] + box["width"] <= PHONE["width"], box

    page.get_by_label("Un commentaire libre").fill("Des interlocuteurs disponibles.")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.locator("#satisfaction-error")).to_have_text("Choisissez une note de 1 à 5.")
    expect(page.get_by_label("Un commentaire libre")).to_have_value("Des interlocuteurs disponibles.")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_text("4 – Satisfait·e").tap()
    page.get_by_text("Oui", exact=True).tap()
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci !")

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Lien non valable")
    expect(page.get_by_role("alert")).to_contain_text("Ce lien a déjà servi")


def test_the_answer_page_has_no_serious_accessibility_violation(browser_page, server):
    page = browser_page(viewport=PHONE, is_mobile=True, bypass_csp=True)  # axe is injected: for this audit only
    page.goto(server.link_in_email(_unanswered_recipient(server), "/enquete/"))
    found = {"réponse à l'enquête": blocking(axe_violations(page))}
    page.get_by_role("button", name="Envoyer ma réponse").click()
    page.locator(".error-summary").first.wait_for()
    found["réponse à l'enquête (erreurs)"] = blocking(axe_violations(page))
    found = {k: v for k, v in found.items() if v}
    assert not found, "Violations d'accessibilité graves ou critiques :" + report(found)
