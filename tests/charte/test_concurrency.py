"""Concurrent changes of a charter signature: a renewal or a withdrawal made on a form loaded before someone
else changed the signature is refused with what changed, nothing typed is lost, and doing it again knowingly
goes through (portal/concurrency.py)."""

import re
from datetime import date

import pytest

from charte import rules, services
from portal.extensions import db
from tests.concurrency import conflict_message as _conflict
from tests.concurrency import form_values
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
