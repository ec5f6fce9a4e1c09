"""Nobody is left unwarned (issue 18 §3): a stale offer of a company without an employer account is
warned to its counsellor (a task on their home) before it is closed, the closure is on the company's
timeline; a need from an employer or the public form is a task for the company's counsellor, or for the
team's queue when nobody follows the company."""

import re
from datetime import date, timedelta
from html import unescape

from sqlalchemy import select

from crm.employers.models import Task
from crm.offers import services
from crm.offers.models import Offer
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from tests.crm.offers.test_public_need import FORM
from tests.crm.offers.test_views import NEED
from tests.factories import valid_siret

TODAY = date.today()


def _text(response) -> str:
    """The page's text as read: tags dropped, spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def _tasks(offer) -> list[Task]:
    return list(db.session.scalars(select(Task).where(Task.subject_type == "Offer", Task.subject_id == offer.id)))


def _idle(offer, days: int) -> None:
    offer.updated_at = offer.updated_at - timedelta(days=days)
    db.session.flush()


def test_stale_offer_without_employer_account_is_a_task_then_its_closure_is_on_the_timeline(client, auth, make):
    counsellor = make.counsellor(full_name="Nadia Vidal")
    company = make.company(owner_id=counsellor.id)
    offer = make.offer(company_obj=company, title="Polisseur·se")
    _idle(offer, 46)
    assert services.handle_idle_offers(TODAY) == (1, 0)
    [task] = _tasks(offer)
    closing = offer.updated_at.date() + timedelta(days=60)
    assert (task.assignee_id, task.due_on, task.company_id) == (counsellor.id, TODAY, company.id)
    assert task.title == (f"Offre sans nouvelles à vérifier avec l'entreprise : « Polisseur·se », close "
                          f"automatiquement le {closing:%d/%m/%Y}")
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject.like("%Polisseur%"))) is None
    auth.login(counsellor)
    home = _text(client.get("/"))
    assert re.search(r"Mes tâches en retard ou pour aujourd'hui 1 Offre sans nouvelles .*? Polisseur·se", home)
    assert "Polisseur·se" in _text(client.get("/taches"))
    assert services.handle_idle_offers(TODAY) == (0, 0)  # warned once
    assert services.handle_idle_offers(TODAY + timedelta(days=15)) == (0, 1)
    assert offer.status == "close" and offer.closing_reason == "Sans mise à jour depuis 61 jours"
    assert task.done_at is not None  # the closure settles the task
    page = _text(client.get(f"/entreprises/{company.id}"))
    assert "Offre close" in page and "Sans mise à jour depuis 61 jours" in page


def test_a_company_nobody_follows_goes_to_the_team_queue_shown_on_every_counsellor_home(client, auth, make):
    offer = make.offer(company_obj=make.company(), title="Émouleur·se")
    _idle(offer, 50)
    services.handle_idle_offers(TODAY)
    [task] = _tasks(offer)
    assert task.assignee_id is None
    auth.login(make.counsellor())
    home = _text(client.get("/"))
    assert re.search(r"Tâches de l'équipe, à prendre 1 Offre sans nouvelles .*? Émouleur·se", home)
    queue = _text(client.get("/taches?pour=equipe"))
    assert "File de l’équipe" in queue and "Émouleur·se" in queue and "File de l'équipe" in queue
    assert "Émouleur·se" not in _text(client.get("/taches"))  # not mine until I take it


def test_offer_with_an_employer_account_is_warned_by_mail_not_by_task(make):
    employer = make.employer()
    offer = make.offer(company_obj=employer.company)
    _idle(offer, 46)
    services.handle_idle_offers(TODAY)
    assert _tasks(offer) == []
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == employer.email))
    assert "toujours d'actualité" in mail.subject


def test_an_offer_updated_after_its_warning_is_warned_again_before_any_closing(make):
    counsellor = make.counsellor()
    offer = make.offer(company_obj=make.company(owner_id=counsellor.id))
    _idle(offer, 46)
    services.handle_idle_offers(TODAY)
    values = {k: getattr(offer, k) for k in services.FIELDS} | {"title": "Forgeron·ne (2 postes)"}
    services.update_offer(counsellor, offer, **values)
    assert all(t.done_at is not None for t in _tasks(offer))  # brought up to date: the task is settled
    # seventy days later: the warning was 70 days ago, the update 61 days ago
    offer.stale_warned_at -= timedelta(days=70)
    _idle(offer, 61)
    assert services.handle_idle_offers(TODAY) == (1, 0)  # warned again, not closed silently
    assert offer.status == "publiee" and len([t for t in _tasks(offer) if t.done_at is None]) == 1


def test_a_late_warning_still_gives_a_week_before_closing(make):
    offer = make.offer(company_obj=make.company())
    _idle(offer, 90)  # the reminders did not run for a while
    assert services.handle_idle_offers(TODAY) == (1, 0)
    assert services.handle_idle_offers(TODAY + timedelta(days=6)) == (0, 0)
    assert services.handle_idle_offers(TODAY + timedelta(days=7)) == (0, 1)


def test_a_need_posted_by_an_employer_is_a_task_for_the_company_counsellor_until_published(client, auth, make,
                                                                                          csrf):
    counsellor = make.counsellor()
    employer = make.employer(company_id=make.company(owner_id=counsellor.id).id)
    auth.login(employer)
    client.post("/offres/nouvelle", data=NEED | {"csrf_token": csrf("/offres/nouvelle")})
    offer = db.session.scalar(select(Offer))
    [task] = _tasks(offer)
    assert task.assignee_id == counsellor.id and task.title.startswith("Nouveau besoin à publier : « Forgeron·ne »")
    auth.logout()
    auth.login(counsellor)
    assert re.search(r"Mes tâches en retard ou pour aujourd'hui 1 Nouveau besoin à publier", _text(client.get("/")))
    client.post(f"/offres/{offer.id}/statut/publiee", data={"csrf_token": csrf(f"/offres/{offer.id}")})
    assert offer.status == "publiee" and task.done_at is not None


def test_a_public_need_from_an_unknown_company_waits_in_the_team_queue(client, make, csrf):
    client.post("/deposer-un-besoin", data=FORM | {"siret": valid_siret(), "csrf_token": csrf("/deposer-un-besoin")})
    offer = db.session.scalar(select(Offer))
    assert _tasks(offer) == []  # not before its contact confirms the e-mail link
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "paul@forges.test"))
    client.get(re.search(r"https?://[^/\s]+(/deposer-un-besoin/confirmation/\S+)", mail.body).group(1))
    [task] = _tasks(offer)
    assert task.assignee_id is None and task.company_id == offer.company_id
    assert task.title == "Nouveau besoin à publier : « Forgeron » (Forges du Lac)"


def test_a_public_need_of_a_followed_company_is_its_counsellor_task(client, make, csrf):
    counsellor = make.counsellor()
    company = make.company(siret=valid_siret(), owner_id=counsellor.id)
    client.post("/deposer-un-besoin", data=FORM | {"siret": company.siret, "csrf_token": csrf("/deposer-un-besoin")})
    offer = db.session.scalar(select(Offer))
    services.confirm_public_need(services.CONFIRM_LINK.sign({"offer": offer.id}))
    assert [t.assignee_id for t in _tasks(offer)] == [counsellor.id]
