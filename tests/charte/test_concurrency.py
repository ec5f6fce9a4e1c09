"""Concurrent changes of the charter (portal/concurrency.py): a renewal or a withdrawal made on a form loaded
before someone else changed the signature, or a new text published on a form opened before another admin
published one, is refused with what changed; nothing typed is lost, and doing it again knowingly goes through."""

import re
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from charte import queries, rules, services
from charte.models import CharterVersion
from portal.audit.models import AuditEvent
from portal.audit.services import record
from portal.extensions import db
from portal.text import local
from tests.concurrency import conflict_message as _conflict
from tests.concurrency import edited_meanwhile, form_values
from tests.concurrency import page_text as _text


def _checked(page: str, value: int) -> bool:
    return re.search(rf'<input checked[^>]*name="commitments"[^>]*value="{value}"', page) is not None


def test_renewal_on_a_signature_the_yearly_job_changed_is_refused_then_made_knowingly(app, client, auth, csrf,
                                                                                       make):
    version = make.charter_version()
    start = rules.add_months(date.today(), -12)
    signature = make.charter_signature(version=version, period_start=start)  # active, renewal open
    url = f"/charte/signatures/{signature.id}/renouveler"
    auth.login(make.employer(company_id=signature.company_id))
    stale = form_values(client.get(url).get_data(as_text=True))
    assert stale["version"] == str(signature.version) and stale["public_consent"] == "y"
    with app.test_request_context():  # meanwhile, the nightly reminders mark it to renew
        assert services.run_renewals(date.today()) == (0, 1)
    db.session.commit()  # as `flask reminders run` does
    alternance = version.commitments[2].id
    mine = {"csrf_token": csrf(url), "version": stale["version"], "commitments": [str(alternance)]}  # consent off
    response = client.post(url, data=mine)
    page = _text(response)
    assert response.status_code == 422
    message = _conflict(page)
    assert message.startswith("Cette signature de la charte a été modifiée entre-temps par système le ")
    assert ("J'accepte que l'entreprise figure sur la liste publique des signataires (enregistré : « oui » ; "
            "votre saisie : « non »)") in message
    assert _checked(page, alternance) and not _checked(page, version.commitments[0].id)  # what was ticked is kept
    assert "public_consent" not in form_values(page)  # left unticked, as she left it
    db.session.expire_all()
    assert (signature.status, signature.period_start, signature.public_consent) == ("a_renouveler", start, True)
    # Having read the message, the employer renews again: the form now carries the current version.
    again = form_values(response.get_data(as_text=True))
    assert again["version"] == str(signature.version)
    assert client.post(url, data=mine | {"version": again["version"]}).status_code == 303
    db.session.expire_all()
    assert (signature.status, signature.period_start, signature.public_consent) == ("active", date.today(), False)
    assert [c.code for c in signature.commitments] == ["alternance"]


def test_withdrawal_after_the_company_renewed_is_refused_then_made_knowingly(client, auth, csrf, make):
    version = make.charter_version()
    signature = make.charter_signature(version=version, status="a_renouveler",
                                       period_start=rules.add_months(date.today(), -12))
    employer = make.employer(company_id=signature.company_id, full_name="Claire Dumas")
    counsellor = make.counsellor()
    withdraw, renew = (f"/charte/signatures/{signature.id}/{action}" for action in ("retirer", "renouveler"))
    auth.login(counsellor)
    stale = form_values(client.get(withdraw).get_data(as_text=True))
    assert stale["version"] == str(signature.version)
    auth.logout()
    auth.login(employer)
    assert client.post(renew, data={"csrf_token": csrf(renew), "version": str(signature.version), "public_consent": "y",
                                    "commitments": [str(version.commitments[0].id)]}).status_code == 303
    auth.logout()
    auth.login(counsellor)
    response = client.post(withdraw, data=stale | {"reason": "Plus de nouvelles depuis un an.",
                                                   "csrf_token": csrf(withdraw)})
    page = _text(response)
    assert response.status_code == 422
    message = _conflict(page)
    assert message.startswith("Cette signature de la charte a été modifiée entre-temps par Claire Dumas le ")
    assert message.endswith("Rien n'a été enregistré : vérifiez la fiche, puis enregistrez de nouveau.")
    assert "Plus de nouvelles depuis un an." in page  # the reason typed is kept
    db.session.expire_all()
    assert signature.status == "active" and signature.withdrawn_at is None
    # Knowing the company has just renewed, the counsellor withdraws all the same.
    again = form_values(response.get_data(as_text=True))
    assert again["version"] == str(signature.version) and again["reason"].strip() == "Plus de nouvelles depuis un an."
    assert client.post(withdraw, data=again).status_code == 303
    db.session.expire_all()
    assert signature.status == "retiree" and signature.withdrawal_reason == "Plus de nouvelles depuis un an."


@pytest.mark.parametrize("version", ["abc", "1.0", "-1", "²", "١", "99999999999999999999999"])
def test_a_version_our_forms_never_send_is_refused_as_stale(client, auth, csrf, make, version):
    charter = make.charter_version()
    signature = make.charter_signature(version=charter, status="a_renouveler",
                                       period_start=rules.add_months(date.today(), -12))
    auth.login(make.counsellor())
    for action, data in (("renouveler", {"commitments": [str(charter.commitments[0].id)]}),
                         ("retirer", {"reason": "Cessation d'activité"})):
        url = f"/charte/signatures/{signature.id}/{action}"
        response = client.post(url, data=data | {"csrf_token": csrf(url), "version": version})
        assert response.status_code == 422, action
        assert _conflict(_text(response)).startswith("Cette signature de la charte a été modifiée entre-temps")
        db.session.expire_all()
        assert signature.status == "a_renouveler"


# --- publishing a new text of the charter --------------------------------------------------------

EDIT = "/charte/modifier"


def _publications() -> list[tuple[int, str]]:
    return [tuple(row) for row in db.session.execute(
        select(CharterVersion.number, CharterVersion.preamble).order_by(CharterVersion.number))]


def _published_at(version: CharterVersion) -> str:
    at = db.session.scalar(select(AuditEvent.at).where(AuditEvent.action == "charter.publish",
                                                       AuditEvent.object_id == str(version.id)))
    return f"{local(at):%d/%m/%Y à %H:%M}"  # Paris time, as the message says it


def test_second_admin_publishing_on_a_superseded_version_is_refused_then_publishes_knowingly(client, auth, csrf,
                                                                                            make):
    old = make.charter_version(preamble="Texte de départ.")
    alice, bruno = make.admin(full_name="Alice Martin"), make.admin(full_name="Bruno Faure")
    stale = edited_meanwhile(client, auth, EDIT, alice, bruno, {"preamble": "Texte de Bruno."})
    assert stale["version"] == str(old.number)
    extra = next(name for name, value in stale.items() if name.endswith("-label") and not value)
    mine = stale | {"preamble": "Texte d'Alice.", extra: "Ouvrir nos ateliers le mercredi", "csrf_token": csrf(EDIT)}
    response = client.post(EDIT, data=mine)
    page = _text(response)
    assert response.status_code == 422
    current = queries.current_version()
    message = _conflict(page)
    assert message.startswith(f"La version {old.number + 1} de la charte a été publiée entre-temps par Bruno Faure "
                              f"le {_published_at(current)}. ")
    assert "Texte de la charte (enregistré : « Texte de Bruno. » ; votre saisie : « Texte d'Alice. »)" in message
    assert "Titre" not in message  # the same title on both sides is not a difference
    kept = form_values(response.get_data(as_text=True))
    assert kept["preamble"].strip() == "Texte d'Alice." and "Ouvrir nos ateliers le mercredi" in kept.values()
    assert _publications() == [(old.number, "Texte de départ."), (old.number + 1, "Texte de Bruno.")]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "charter.publish")) == 1  # Bruno's only
    # Having read Bruno's text, Alice publishes hers all the same: the form is now based on his version.
    assert kept["version"] == str(old.number + 1)
    assert client.post(EDIT, data=kept).status_code == 303
    assert _publications()[-1] == (old.number + 2, "Texte d'Alice.")
    assert queries.current_version().commitments[-1].label == "Ouvrir nos ateliers le mercredi"


def test_two_admins_publishing_at_the_same_moment_one_is_refused(client, auth, csrf, make, monkeypatch):
    """Both passed the check before either wrote: the second one's number is taken when it writes (the
    unique number), and it gets the same message as if it had been late, naming who published."""
    old = make.charter_version()
    auth.login(make.admin())
    mine = form_values(client.get(EDIT).get_data(as_text=True)) | {"preamble": "Texte d'Alice."}
    theirs = make.charter_version(preamble="Texte de Bruno.")  # written meanwhile, after Alice's check
    bruno = make.admin(full_name="Bruno Faure")
    with client.application.test_request_context():
        record(bruno, "charter.publish", theirs, summary="Publication")
    db.session.commit()  # Bruno's request ends
    monkeypatch.setattr(services, "queries", SimpleNamespace(current_version=lambda: old))  # what Alice's check read
    response = client.post(EDIT, data=mine)
    monkeypatch.undo()
    assert response.status_code == 422
    assert _conflict(_text(response)).startswith(f"La version {theirs.number} de la charte a été publiée "
                                                 "entre-temps par Bruno Faure le ")
    kept = form_values(response.get_data(as_text=True))
    assert (kept["preamble"].strip(), kept["version"]) == ("Texte d'Alice.", str(theirs.number))
    assert [number for number, _ in _publications()] == [old.number, theirs.number]


@pytest.mark.parametrize("based_on", [None, "", "0", "abc", "1.0", "-1", "²", "١", "99999999999999999999999"])
def test_a_based_on_version_our_forms_never_send_is_refused_as_stale(client, auth, make, based_on):
    current = make.charter_version(preamble="Texte en vigueur.")
    auth.login(make.admin())
    data = form_values(client.get(EDIT).get_data(as_text=True)) | {"preamble": "Texte forgé."}
    data.pop("version")
    if based_on is not None:
        data["version"] = based_on
    response = client.post(EDIT, data=data)
    assert response.status_code == 422
    assert _conflict(_text(response)).startswith(f"La version {current.number} de la charte a été publiée "
                                                 "entre-temps")
    kept = form_values(response.get_data(as_text=True))
    assert (kept["preamble"].strip(), kept["version"]) == ("Texte forgé.", str(current.number))
    assert _publications() == [(current.number, "Texte en vigueur.")]


def test_the_first_publication_is_based_on_nothing(client, auth, make):
    auth.login(make.admin())
    form = form_values(client.get(EDIT).get_data(as_text=True))
    assert form["version"] == "0"
    assert client.post(EDIT, data=form | {"preamble": "Premier texte."}).status_code == 303
    assert _publications() == [(1, "Premier texte.")]


@pytest.mark.parametrize("role", ["counsellor", "employer", "partner_user", None])
def test_only_an_admin_publishes_the_charter(client, auth, csrf, make, role):
    current = make.charter_version()
    auth.login(make.admin())
    form = form_values(client.get(EDIT).get_data(as_text=True)) | {"preamble": "Texte non autorisé."}
    auth.logout()
    if role:
        auth.login(getattr(make, role)())
        form["csrf_token"] = csrf("/mon-compte")
    response = client.post(EDIT, data=form)
    assert response.status_code == (403 if role else 302)
    assert "Texte non autorisé." not in response.get_data(as_text=True)
    assert _publications() == [(current.number, current.preamble)]
