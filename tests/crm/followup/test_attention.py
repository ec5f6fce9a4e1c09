"""« Mes suivis » puts first the check-ins needing attention (trouble reported on them, or another check-in of
the hire recorded « difficulté »), then by due date: the order read from the derived `needs_attention` flag,
which follows every write (a record, its correction, an answer by link, a rupture, a deletion, a statement)."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import delete, insert, select, update

from crm.followup import answers, services
from crm.followup.models import CheckIn
from crm.followup.rules import EMPLOYER, YOUTH
from portal import search
from portal.extensions import db

TODAY = date.today()


def _rows(client, url: str = "/suivis?tous=1") -> list[tuple[str, str, str]]:
    """The queue's rows as read on the page: (young person, check-in, priority badge)."""
    response = client.get(url)
    assert response.status_code == 200
    body = unescape(response.get_data(as_text=True))
    rows = re.findall(r'<tr>\s*<td><span class="badge[^"]*">([^<]+)</span></td>\s*<td><a [^>]*>([^<]+)</a></td>'
                      r"(?:\s*<td>[^<]*</td>){2}\s*<td>([^<]*)</td>", body)
    return [(name, label, badge) for badge, name, label in rows]


def _flags(hire) -> dict[str, bool]:
    """Each check-in's flag as stored in the database, by label."""
    return {label: flag for label, flag in db.session.execute(
        select(CheckIn.label, CheckIn.needs_attention).where(CheckIn.hire_id == hire.id))}


def _hire(make, counsellor, name: str, days_ago: int):
    return make.hire(counsellor, youth=make.followup_youth(first_name=name, last_name="Suivi",
                                                           referent_id=counsellor.id),
                     start_on=TODAY - timedelta(days=days_ago))


def _post(client, csrf, url: str, **data):
    response = client.post(url, data={"csrf_token": csrf(url), **data})
    assert response.status_code in (200, 303), unescape(response.get_data(as_text=True))
    return response


def test_the_queue_shows_difficulties_first_then_overdue_then_due(client, auth, make, csrf):
    counsellor = make.counsellor()
    _hire(make, counsellor, "Retard", 10)  # J+7 three days late
    _hire(make, counsellor, "Bientot", 5)  # J+7 in two days
    answered = _hire(make, counsellor, "Reponse", 4)  # J+7 in three days, the employer reports difficulties
    earlier = _hire(make, counsellor, "Avant", 25)  # J+7 recorded « difficulté », J+30 in five days
    token = answers.make_answer_token(answered.check_ins[0], EMPLOYER)
    _post(client, csrf, f"/suivi/reponse/{token}", in_post="oui", satisfaction="peu_satisfait", difficulties="oui",
          comment="Retards le lundi")
    auth.login(counsellor)
    _post(client, csrf, f"/suivis/points/{earlier.check_ins[0].id}", channel="telephone", situation="difficulte",
          summary="Tensions avec le chef d'équipe")

    assert _rows(client) == [("Reponse Suivi", "J+7", "Difficulté"), ("Avant Suivi", "J+30", "Difficulté"),
                             ("Retard Suivi", "J+7", "En retard"), ("Bientot Suivi", "J+7", "À faire")]
    assert _rows(client, "/suivis") == _rows(client)  # all of them are this counsellor's


def test_a_difficulty_recorded_then_corrected_flags_then_unflags_the_other_check_ins(client, auth, make, csrf):
    counsellor = make.counsellor()
    _hire(make, counsellor, "Retard", 10)
    hire = _hire(make, counsellor, "Avant", 25)
    first = hire.check_ins[0]
    auth.login(counsellor)
    assert [r[:2] for r in _rows(client)] == [("Avant Suivi", "J+7"), ("Retard Suivi", "J+7"),
                                              ("Avant Suivi", "J+30")]  # by due date
    _post(client, csrf, f"/suivis/points/{first.id}", channel="telephone", situation="difficulte",
          summary="Tensions avec le chef d'équipe")
    assert _flags(hire) == {"J+7": False, "J+30": True, "J+90": True}
    assert _rows(client) == [("Avant Suivi", "J+30", "Difficulté"), ("Retard Suivi", "J+7", "En retard")]

    url = f"/suivis/points/{first.id}/corriger"
    _post(client, csrf, url, version=str(db.session.get(CheckIn, first.id).version), channel="telephone",
          situation="en_poste", summary="Malentendu : tout va bien.")
    assert _flags(hire) == {"J+7": False, "J+30": False, "J+90": False}
    assert _rows(client) == [("Retard Suivi", "J+7", "En retard"), ("Avant Suivi", "J+30", "À faire")]


@pytest.mark.parametrize(("side", "answer"), [
    (EMPLOYER, {"in_post": "oui", "difficulties": "oui"}),
    (YOUTH, {"in_post": "non", "difficulties": "non"}),
])
def test_an_answer_by_link_reporting_trouble_flags_its_check_in(client, auth, make, csrf, side, answer):
    counsellor = make.counsellor()
    _hire(make, counsellor, "Retard", 10)
    hire = _hire(make, counsellor, "Reponse", 5)
    token = answers.make_answer_token(hire.check_ins[0], side)
    _post(client, csrf, f"/suivi/reponse/{token}", satisfaction="pas_satisfait", comment="Ça ne va pas", **answer)
    assert _flags(hire) == {"J+7": True, "J+30": False, "J+90": False}
    auth.login(counsellor)
    assert _rows(client) == [("Reponse Suivi", "J+7", "Difficulté"), ("Retard Suivi", "J+7", "En retard")]


def test_an_answer_without_trouble_leaves_the_check_in_in_due_order(client, auth, make, csrf):
    counsellor = make.counsellor()
    _hire(make, counsellor, "Retard", 10)
    hire = _hire(make, counsellor, "Reponse", 5)
    token = answers.make_answer_token(hire.check_ins[0], YOUTH)
    _post(client, csrf, f"/suivi/reponse/{token}", in_post="oui", satisfaction="satisfait", difficulties="non")
    assert _flags(hire) == {"J+7": False, "J+30": False, "J+90": False}
    auth.login(counsellor)
    assert [r[0] for r in _rows(client)] == ["Retard Suivi", "Reponse Suivi"]


def test_a_rupture_and_its_withdrawal_keep_the_flag(client, auth, make, csrf):
    counsellor = make.counsellor()
    hire = _hire(make, counsellor, "Avant", 25)
    services.record_check_in(counsellor, hire.check_ins[0], channel="telephone", situation="difficulte",
                             summary="Tensions")
    auth.login(counsellor)
    _post(client, csrf, f"/suivis/embauches/{hire.id}/rupture", ended_on=(TODAY - timedelta(days=1)).isoformat(),
          initiative="jeune", reason="sante", note="", reopen_positioning="non")
    assert _rows(client) == []  # the contract ended: nothing left to follow
    assert _flags(hire) == {"J+7": False, "J+30": True, "J+90": True}  # cancelled, still flagged

    _post(client, csrf, f"/suivis/embauches/{hire.id}/rupture/annuler")
    assert _rows(client) == [("Avant Suivi", "J+30", "Difficulté")]
    assert search.stale(db.session) == {}


def test_moving_or_deleting_the_difficulty_unflags_the_other_check_ins(make):
    counsellor = make.counsellor()
    hire, other = _hire(make, counsellor, "Avant", 25), _hire(make, counsellor, "Autre", 25)
    first, others = hire.check_ins[0], [c.id for c in other.check_ins]
    services.record_check_in(counsellor, first, channel="telephone", situation="difficulte", summary="Tensions")
    first.hire_id = other.id  # moved: the old hire's check-ins lose the flag, the new one's get it
    db.session.flush()
    assert _flags(hire) == {"J+30": False, "J+90": False}
    assert {db.session.get(CheckIn, ident).needs_attention for ident in others} == {True}
    db.session.delete(first)
    db.session.flush()
    assert _flags(other) == {"J+7": False, "J+30": False, "J+90": False}
    assert search.stale(db.session) == {}


def test_statements_run_through_the_session_keep_the_flag(make):
    """Bulk UPDATE, INSERT and DELETE of check-ins (imports, corrections, the benchmark's data) are followed."""
    counsellor = make.counsellor()
    hire = _hire(make, counsellor, "Avant", 25)
    first_id = hire.check_ins[0].id
    db.session.execute(update(CheckIn).where(CheckIn.id == first_id).values(situation="difficulte"))
    assert _flags(hire) == {"J+7": False, "J+30": True, "J+90": True}
    db.session.execute(delete(CheckIn).where(CheckIn.id == first_id))
    assert _flags(hire) == {"J+30": False, "J+90": False}
    db.session.execute(insert(CheckIn.__table__), [{"hire_id": hire.id, "due_on": TODAY, "label": "Ajouté",
                                                    "situation": "difficulte", "version": 1}])
    assert _flags(hire) == {"J+30": True, "J+90": True, "Ajouté": False}
    db.session.execute(update(CheckIn).where(CheckIn.hire_id == hire.id, CheckIn.label == "J+90")
                       .values(youth_in_post=False))
    assert _flags(hire)["J+90"] is True
    assert search.stale(db.session) == {}
