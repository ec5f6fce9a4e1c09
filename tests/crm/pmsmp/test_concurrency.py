"""Two people editing one PMSMP convention: the second save, on a stale version, is refused with the convention's
own wording and the other person's change; nothing typed is lost, nothing is written (portal/concurrency.py)."""

from portal.extensions import db
from tests.concurrency import conflict_message, edited_meanwhile, form_values, page_text


def test_second_save_of_a_convention_names_the_convention_and_the_change(client, auth, csrf, make):
    alice, bruno = make.counsellor(full_name="Alice Martin"), make.counsellor(full_name="Bruno Faure")
    placement = make.placement(actor=alice)
    url = f"/pmsmp/{placement.id}/modifier"
    stale = edited_meanwhile(client, auth, url, alice, bruno, {"tutor_phone": "04 73 99 99 99"})
    response = client.post(url, data=stale | {"tutor_job": "Cheffe d'atelier", "csrf_token": csrf(url)})
    page = page_text(response)
    assert response.status_code == 422
    message = conflict_message(page)
    assert message.startswith("Cette convention a été modifiée entre-temps par Bruno Faure le ")
    assert "« 04 73 99 99 99 »" in message
    again = form_values(response.get_data(as_text=True))
    assert again["tutor_job"] == "Cheffe d'atelier"  # what Alice typed is still in the form
    db.session.expire_all()
    assert placement.tutor_phone == "04 73 99 99 99" and placement.tutor_job != "Cheffe d'atelier"
    # Having seen Bruno's change, Alice saves again knowingly: the form now carries the current version.
    assert again["version"] == str(placement.version)
    assert client.post(url, data=again).status_code == 303
    db.session.expire_all()
    assert placement.tutor_job == "Cheffe d'atelier"
