"""Corrections: a hire's contract (optimistic lock, open check-ins replanned), a recorded check-in, the
counsellor following a hire; bad input explained beside the field, nothing saved; who may not reach them."""

from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import select

from crm.followup import corrections, services
from portal.audit.models import AuditEvent
from portal.errors import DomainError
from portal.extensions import db
from tests.concurrency import conflict_message

TODAY = date.today()


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _iso(day: date) -> str:
    return day.isoformat()


def _actions(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _record_first(hire, actor):
    first = hire.check_ins[0]
    services.record_check_in(actor, first, channel="telephone", situation="en_poste", summary="Tout va bien.")
    db.session.flush()
    return first


def _values(hire, **changes) -> dict:
    values = {"version": str(hire.version), "contract_type": hire.contract_type, "start_on": _iso(hire.start_on),
              "end_on": _iso(hire.end_on) if hire.end_on else "",
              "trial_end_on": _iso(hire.trial_end_on) if hire.trial_end_on else "",
              "hours_per_week": "35", "job_title": hire.job_title or "Préparateur"}
    values.update(changes)
    return values


# --- the contract ------------------------------------------------------------------------------------


def test_moving_the_start_replans_open_check_ins_and_keeps_done_ones(make):
    counsellor = make.counsellor()
    hire = make.hire(counsellor, start_on=TODAY - timedelta(days=10))
    done = _record_first(hire, counsellor)
    done_due, version = done.due_on, hire.version
    result = corrections.correct_hire(counsellor, hire, version=version, contract_type="cdi",
                                      start_on=TODAY - timedelta(days=5), end_on=None, trial_end_on=None,
                                      hours_per_week=35, appellation_code=None, job_title="Préparateur")
    db.session.flush()
    by_label = {c.label: c for c in hire.check_ins}
    assert by_label["J+7"] is done and done.due_on == done_due and done.situation == "en_poste"
    assert by_label["J+30"].due_on == TODAY + timedelta(days=25)
    assert by_label["J+90"].due_on == TODAY + timedelta(days=85)
    assert hire.version > version
    assert set(result["changes"]) == {"start_on", "hours_per_week", "job_title"}
    event = _actions("hire.correct")[-1]
    assert event.details["changes"]["start_on"] == [_iso(TODAY - timedelta(days=10)), _iso(TODAY - timedelta(days=5))]


def test_a_shorter_contract_drops_the_open_check_ins_after_its_end(make):
    counsellor = make.counsellor()
    hire = make.hire(counsellor, contract_type="cdd", start_on=TODAY - timedelta(days=10),
                     end_on=TODAY + timedelta(days=200))
    assert [c.label for c in hire.check_ins] == ["J+7", "J+30", "J+90"]
    corrections.correct_hire(counsellor, hire, version=hire.version, contract_type="cdd",
                             start_on=hire.start_on, end_on=TODAY + timedelta(days=40),
                             trial_end_on=TODAY + timedelta(days=4), hours_per_week=None, appellation_code=None,
                             job_title=None)
    db.session.flush()
    db.session.expire(hire)
    assert sorted(c.label for c in hire.check_ins) == ["Fin de période d'essai", "J+30", "J+7"]
    assert all(c.due_on <= TODAY + timedelta(days=40) for c in hire.check_ins)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"end_on": "START-1"}, "end_on", "La date de fin doit être postérieure à la date de début."),
    ({"trial_end_on": "END+1"}, "trial_end_on", "La fin de la période d'essai doit tomber avant la fin du contrat."),
    ({"trial_end_on": "START-1"}, "trial_end_on", "La fin de la période d'essai ne peut pas précéder le début"),
    ({"contract_type": "cdi", "end_on": "END"}, "end_on", "Un CDI n'a pas de date de fin"),
])
def test_bad_contract_dates_are_explained_and_nothing_is_saved(client, auth, make, csrf, changes, field, message):
    counsellor = make.counsellor()
    start, end = TODAY - timedelta(days=10), TODAY + timedelta(days=100)
    hire = make.hire(counsellor, contract_type="cdd", start_on=start, end_on=end, job_title="Vendeur")
    before = (hire.version, hire.end_on, hire.trial_end_on, [c.due_on for c in hire.check_ins])
    auth.login(counsellor)
    url = f"/suivis/embauches/{hire.id}/modifier"
    swap = {"START-1": _iso(start - timedelta(days=1)), "END+1": _iso(end + timedelta(days=1)), "END": _iso(end)}
    data = _values(hire, csrf_token=csrf(url), job_title="Vendeuse", **{k: swap.get(v, v)
                                                                          for k, v in changes.items()})
    response = client.post(url, data=data)
    assert response.status_code == 422
    page = _text(response)
    assert message in page and f'id="{field}"' in page
    assert 'value="Vendeuse"' in page  # what was typed is kept
    db.session.expire_all()
    assert (hire.version, hire.end_on, hire.trial_end_on, [c.due_on for c in hire.check_ins]) == before
    assert hire.job_title == "Vendeur" and not _actions("hire.correct")


def test_a_stale_save_is_refused_and_overwrites_nothing(client, auth, make, csrf):
    counsellor = make.counsellor()
    hire = make.hire(counsellor, job_title="Cariste")
    auth.login(counsellor)
    url = f"/suivis/embauches/{hire.id}/modifier"
    token = csrf(url)
    stale = _values(hire, csrf_token=token, job_title="Cariste confirmé")
    # someone else saves first
    corrections.correct_hire(make.counsellor(), hire, version=hire.version, contract_type="cdi",
                             start_on=hire.start_on, end_on=None, trial_end_on=None, hours_per_week=None,
                             appellation_code=None, job_title="Magasinier")
    db.session.commit()
    response = client.post(url, data=stale)
    assert response.status_code == 422
    assert conflict_message(_text(response)).startswith("Cette embauche a été modifiée entre-temps")
    db.session.expire_all()
    assert hire.job_title == "Magasinier"


def test_counsellor_corrects_a_contract_through_the_page(client, auth, make, csrf):
    counsellor = make.counsellor()
    hire = make.hire(counsellor, job_title="Cariste")
    auth.login(counsellor)
    page = _text(client.get(f"/suivis/embauches/{hire.id}"))
    assert f"/suivis/embauches/{hire.id}/modifier" in page and "Corriger le contrat" in page
    form_page = _text(client.get(f"/suivis/embauches/{hire.id}/modifier"))
    assert f'name="version" type="hidden" value="{hire.version}"' in form_page
    url = f"/suivis/embauches/{hire.id}/modifier"
    response = client.post(url, data=_values(hire, csrf_token=csrf(url), start_on=_iso(TODAY - timedelta(days=3))))
    assert response.status_code == 303
    assert "les points de suivi à venir sont replanifiés" in _text(client.get(response.headers["Location"]))
    db.session.expire_all()
    assert hire.start_on == TODAY - timedelta(days=3)
    assert hire.check_ins[0].due_on == TODAY + timedelta(days=4)


def test_the_dates_of_a_ruptured_contract_must_frame_the_rupture(make):
    counsellor = make.counsellor()
    hire = make.hire(counsellor, start_on=TODAY - timedelta(days=20))
    services.record_rupture(counsellor, hire, ended_on=TODAY - timedelta(days=2), initiative="jeune",
                            reason="mobilite", reopen_positioning=False)
    with pytest.raises(DomainError) as error:
        corrections.correct_hire(counsellor, hire, version=hire.version, contract_type="cdi",
                                 start_on=TODAY - timedelta(days=1), end_on=None, trial_end_on=None,
                                 hours_per_week=None, appellation_code=None, job_title=None)
    assert error.value.field == "start_on" and "rompu le" in error.value.message


# --- a recorded check-in ---------------------------------------------------------------------------


def test_counsellor_corrects_a_recorded_check_in(client, auth, make, csrf):
    counsellor = make.counsellor()
    hire = make.hire(counsellor)
    done = _record_first(hire, counsellor)
    auth.login(counsellor)
    assert f"/suivis/points/{done.id}/corriger" in _text(client.get(f"/suivis/embauches/{hire.id}"))
    url = f"/suivis/points/{done.id}/corriger"
    response = client.post(url, data={"csrf_token": csrf(url), "version": str(done.version), "channel": "visite",
                                      "situation": "en_poste", "summary": "Visite : tout va bien.",
                                      "next_step": "Rappeler à J+30"})
    assert response.status_code == 303
    db.session.expire_all()
    assert (done.channel, done.summary, done.next_step) == ("visite", "Visite : tout va bien.", "Rappeler à J+30")
    assert _actions("check_in.correct")[-1].details["changes"]["channel"] == ["telephone", "visite"]


def test_a_check_in_summary_cannot_be_emptied(client, auth, make, csrf):
    counsellor = make.counsellor()
    done = _record_first(make.hire(counsellor), counsellor)
    auth.login(counsellor)
    url = f"/suivis/points/{done.id}/corriger"
    response = client.post(url, data={"csrf_token": csrf(url), "version": str(done.version), "channel": "visite",
                                      "situation": "en_poste", "summary": "  ", "next_step": "Garder ceci"})
    assert response.status_code == 422
    page = _text(response)
    assert "Résumez ce qui s'est dit." in page and "Garder ceci" in page
    db.session.expire_all()
    assert done.channel == "telephone" and done.summary == "Tout va bien."


def test_after_a_rupture_the_situation_of_a_check_in_no_longer_changes(make):
    counsellor = make.counsellor()
    hire = make.hire(counsellor, start_on=TODAY - timedelta(days=20))
    done = _record_first(hire, counsellor)
    services.record_rupture(counsellor, hire, ended_on=TODAY - timedelta(days=2), initiative="jeune",
                            reason="mobilite", reopen_positioning=False)
    with pytest.raises(DomainError) as error:
        corrections.correct_check_in(counsellor, done, version=done.version, channel="telephone",
                                     situation="difficulte", summary="Tout va bien.", next_step=None)
    assert error.value.field == "situation" and "rupture" in error.value.message
    db.session.expire_all()
    assert done.situation == "en_poste"
    # the note can still be corrected
    corrections.correct_check_in(counsellor, done, version=done.version, channel="telephone",
                                 situation="en_poste", summary="Tout allait bien à J+7.", next_step=None)
    assert done.summary == "Tout allait bien à J+7."


def test_a_stale_check_in_correction_is_refused(make):
    counsellor = make.counsellor()
    done = _record_first(make.hire(counsellor), counsellor)
    stale = done.version
    corrections.correct_check_in(counsellor, done, version=stale, channel="sms", situation="en_poste",
                                 summary="Premier", next_step=None)
    db.session.flush()
    with pytest.raises(DomainError, match="modifié entre-temps"):
        corrections.correct_check_in(counsellor, done, version=stale, channel="visite", situation="en_poste",
                                     summary="Second", next_step=None)
    assert done.summary == "Premier"


def test_a_check_in_not_yet_recorded_goes_to_its_record_form(client, auth, make):
    counsellor = make.counsellor()
    hire = make.hire(counsellor)
    auth.login(counsellor)
    response = client.get(f"/suivis/points/{hire.check_ins[1].id}/corriger")
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"/suivis/points/{hire.check_ins[1].id}")


# --- the counsellor following the hire -------------------------------------------------------------


def test_referent_is_the_default_and_the_counsellor_can_be_changed(client, auth, make, csrf):
    referent, other = make.counsellor(full_name="Aline Référente"), make.counsellor(full_name="Bruno Relais")
    hire = make.hire(youth=make.followup_youth(referent_id=referent.id))
    assert hire.counsellor_id == referent.id
    auth.login(other)
    url = f"/suivis/embauches/{hire.id}/conseiller"
    page = _text(client.get(url))
    assert "Aline Référente (référent·e du ou de la jeune)" in page
    assert f'<option selected value="{referent.id}">' in page or f'value="{referent.id}" selected' in page
    response = client.post(url, data={"csrf_token": csrf(url), "version": str(hire.version),
                                      "counsellor_id": str(other.id)})
    assert response.status_code == 303
    assert "confié à Bruno Relais" in _text(client.get(response.headers["Location"]))
    db.session.expire_all()
    assert hire.counsellor_id == other.id
    assert _actions("hire.assign")[-1].details["to_id"] == other.id


@pytest.mark.parametrize("choice", ["", "999999", "employer", "x" * 20])
def test_an_unknown_counsellor_is_refused(client, auth, make, csrf, choice):
    counsellor = make.counsellor()
    hire = make.hire(counsellor)
    before = hire.counsellor_id
    if choice == "employer":
        choice = str(make.employer().id)
    auth.login(counsellor)
    url = f"/suivis/embauches/{hire.id}/conseiller"
    response = client.post(url, data={"csrf_token": csrf(url), "version": str(hire.version), "counsellor_id": choice})
    assert response.status_code == 422
    assert "Choisissez une conseillère ou un conseiller dans la liste." in _text(response)
    db.session.expire_all()
    assert hire.counsellor_id == before and not _actions("hire.assign")


# --- who may not reach them ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/suivis/embauches/{hire}/modifier", "/suivis/embauches/{hire}/conseiller",
                                  "/suivis/points/{check_in}/corriger"])
@pytest.mark.parametrize("role", ["employer", "partner"])
def test_employers_and_partners_cannot_correct(client, auth, make, csrf, path, role):
    counsellor = make.counsellor()
    hire = make.hire(counsellor)
    done = _record_first(hire, counsellor)
    user = make.employer(company_id=hire.company_id) if role == "employer" else make.partner_user()
    auth.login(user)
    url = path.format(hire=hire.id, check_in=done.id)
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, data={"version": str(hire.version), "job_title": "x"}).status_code in (400, 403, 404)


def test_unknown_hire_is_a_404(client, auth, make):
    auth.login(make.counsellor())
    assert client.get("/suivis/embauches/999999/modifier").status_code == 404
    assert client.get("/suivis/points/999999/corriger").status_code == 404
