"""The audit log: written by services, read by admins with filters."""

from datetime import datetime

import pytest

from portal.audit.services import record
from portal.extensions import db


def _event(actor, action, at, obj_type="Company", obj_id=1, summary=""):
    event = record(actor, action, object_type=obj_type, object_id=obj_id, summary=summary or action)
    event.at = at
    db.session.flush()
    return event


@pytest.fixture()
def events(make):
    alice = make.counsellor(email="alice@exemple.test", full_name="Alice Martin")
    bruno = make.employer(email="bruno@exemple.test", full_name="Bruno Petit")
    return {
        "a": _event(alice, "company.create", datetime(2026, 3, 2, 9), summary="Entreprise créée : Forges"),
        "b": _event(alice, "offer.publish", datetime(2026, 3, 10, 14), "Offer", 7, "Offre publiée"),
        "c": _event(bruno, "company.update", datetime(2026, 4, 1, 8), summary="Profil modifié"),
        "d": _event(None, "territory.init", datetime(2026, 4, 20, 23, 59), "Territory", None, "Périmètre initial"),
    }


def _rows(client, query=""):
    response = client.get("/admin/journal" + query)
    return response, response.get_data(as_text=True)


def _shown(page, events, *keys):
    return {k for k in events if events[k].summary in page} == set(keys)


@pytest.fixture()
def admin_client(client, auth, make):
    auth.login(make.admin())
    return client


def test_record_keeps_actor_object_and_address(app, make):
    user = make.counsellor()
    company = make.company()
    with app.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.4"}):
        event = record(user, "company.update", company, summary="x" * 600, details={"champ": "nom"})
    assert (event.actor_id, event.object_type, event.object_id) == (user.id, "Company", str(company.id))
    assert event.actor_label == user.display_name
    assert event.ip_address == "192.0.2.4"
    assert len(event.summary) == 500
    assert event.details == {"champ": "nom"}
    system = record(None, "territory.init")
    assert system.actor_label == "système" and system.ip_address is None


def test_admin_sees_every_event_newest_first(admin_client, events):
    response, page = _rows(admin_client)
    assert response.status_code == 200
    assert _shown(page, events, "a", "b", "c", "d")
    assert page.index("Périmètre initial") < page.index("Profil modifié") < page.index("Entreprise créée")
    # stored in UTC, read in Paris time (summer: UTC+2), in French words
    assert "21 avr. 2026 à 1 h 59" in page and "UTC" not in page
    assert '<th scope="col">Qui</th>' in page
    assert "Entreprise : création" in page and "Offre : publication" in page and "Territoire : périmètre initial" in page
    assert "company.create" not in page.split("<tbody>")[1]
    assert '>Alice Martin</a>' in page and "Entreprise n° 1" in page


@pytest.mark.parametrize("query, keys", [
    ("?qui=alice", ("a", "b")),
    ("?qui=BRUNO@exemple", ("c",)),
    ("?qui=syst", ("d",)),
    ("?action=company.", ("a", "c")),
    ("?action=offer.publish", ("b",)),
    ("?objet=Offer", ("b",)),
    ("?du=2026-03-10", ("b", "c", "d")),
    ("?au=2026-03-10", ("a", "b")),
    ("?du=2026-04-21&au=2026-04-21", ("d",)),  # 23:59 UTC on 20 April is 21 April in Paris
    ("?du=2026-04-20&au=2026-04-20", ()),
    ("?qui=alice&action=company.", ("a",)),
    ("?qui=%25", ()),
    ("?action=_", ()),
])
def test_filters(admin_client, events, query, keys):
    response, page = _rows(admin_client, query)
    assert response.status_code == 200
    assert _shown(page, events, *keys)
    if not keys:
        assert "Aucun événement ne correspond à ces critères." in page


def test_end_before_start_is_refused_beside_the_field(admin_client, events):
    response, page = _rows(admin_client, "?du=2026-04-01&au=2026-03-01&qui=alice")
    assert response.status_code == 422
    assert "La date de fin doit suivre la date de début." in page
    assert 'id="au-error"' in page
    assert 'value="alice"' in page and 'value="2026-04-01"' in page


def test_invalid_date_is_refused(admin_client, events):
    response, page = _rows(admin_client, "?du=31/02/2026")
    assert response.status_code == 422
    assert "Date invalide" in page
    assert 'value="31/02/2026"' in page


def test_hostile_filters_never_fail(admin_client, events):
    for query in ("?qui=" + "x" * 5000, "?objet=' OR 1=1 --", "?page=abc", "?page=-3", "?page=99999"):
        response, _ = _rows(admin_client, query)
        assert response.status_code == 200, query


def test_paginated_by_25_with_a_constant_number_of_queries(admin_client, make, count_queries):
    users = [make.counsellor() for _ in range(3)]
    for i in range(30):
        _event(users[i % 3], "company.update", datetime(2026, 1, 1 + i % 28))
    with count_queries() as few:
        _rows(admin_client)
    for i in range(60):
        _event(users[i % 3], "company.update", datetime(2026, 2, 1 + i % 28))
    with count_queries() as many:
        response, page = _rows(admin_client)
    assert page.split("<tbody>")[1].split("</tbody>")[0].count("<tr>") == 25
    assert "Page 1 sur" in page
    assert many.count == few.count
    second = _rows(admin_client, "?page=2&action=company.")[1]
    assert "action=company." in second and "Page 2 sur" in second


@pytest.mark.parametrize("role", ["counsellor", "employer", "partner"])
def test_only_admins_read_the_log(client, auth, make, role):
    auth.login(make.user(role))
    assert client.get("/admin/journal").status_code == 403


def test_events_are_not_editable(app):
    """No endpoint writes the log: it is only added to by services."""
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("audit.")]
    assert [(r.rule, sorted(r.methods - {"HEAD", "OPTIONS"})) for r in rules] == [("/admin/journal", ["GET"])]
