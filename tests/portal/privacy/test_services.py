"""Subject access export, erasure and retention, checked on what the database holds afterwards."""

from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from crm.employers.models import Task
from crm.followup.models import CheckIn, Hire, MediationAction
from crm.matching.models import Positioning
from crm.pmsmp.models import Placement, PlacementRepresentative, PlacementSignature
from crm.reporting.dashboard import dashboard
from crm.reporting.rules import Filters, Period
from crm.youth.models import YouthProfile
from portal.audit.models import AuditEvent
from portal.errors import DomainError
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.privacy import export, queries, services
from tests.portal.privacy.conftest import NAME


def _sheets(content: bytes) -> dict[str, list[list]]:
    book = load_workbook(BytesIO(content))
    return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


def test_export_holds_every_field_and_every_linked_record(make, person):
    admin = make.admin()
    found = queries.linked(person["youth"])
    sheets = _sheets(services.export_youth(admin, person["youth"]))
    expected = {title: (rows, model) for title, rows, model in export.sheets(found)}
    assert list(sheets) == list(expected)
    for title, (rows, model) in expected.items():
        header, *lines = sheets[title]
        assert len(header) == len(model.__table__.columns), title  # every field
        assert len(lines) == len(rows), title  # every linked record
    profile = dict(zip(*sheets["Profil"], strict=True))
    assert profile["Prénom"] == NAME[0] and profile["Nom"] == NAME[1]
    assert profile["Identifiant i-milo"] == "IM-998877" and profile["Courriel"] == "zoe.v@exemple.test"
    assert len(sheets["Mises en relation"]) == 2 and len(sheets["Étapes des mises en relation"]) == 2
    assert len(sheets["Représentants légaux"]) == 2 and len(sheets["Signatures"]) == 2
    assert len(sheets["Bilans PMSMP"]) == 2 and len(sheets["Médiations"]) == 2
    assert len(sheets["Points de suivi"]) == 1 + len(person["hire"].check_ins)
    assert len(sheets["Tâches"]) >= 2 and len(sheets["Consentement"]) == 2
    flat = str(sheets)
    assert "203.0.113.7" in flat and "Marie Vercingétorix" in flat and "Rencontre avec Zoé" in flat
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "privacy.access")
                               .order_by(AuditEvent.id.desc())).first()
    assert event.object_id == str(person["youth"].id) and event.details == {"what": "export_rgpd"}
    assert NAME[1] not in event.summary  # the log names the profile by its id only


def _figures(user, today):
    filters = Filters("annee", Period(date(2026, 1, 1), date(2026, 12, 31), "2026"),
                      Period(date(2025, 1, 1), date(2025, 12, 31), "2025"))
    board = dashboard(user, filters, today)
    figures = {k: (f.value, f.previous, f.part, f.whole) for k, f in board.figures.items()}
    tables = [(t.key, t.rows) for a in board.areas for t in a.tables]
    return figures, tables, board.equity.rows if board.equity else None


def test_erasure_anonymises_keeps_the_counts_and_leaves_no_trace(make, person):
    admin = make.admin()
    youth = person["youth"]
    counts = {m: db.session.scalar(select(func.count()).select_from(m)) for m in
              (YouthProfile, Positioning, Placement, Hire, CheckIn, MediationAction, Task)}
    before = _figures(admin, date.today())

    services.erase_youth(admin, youth, reason="Demande écrite du 20/11/2026")
    db.session.expire_all()

    assert _figures(admin, date.today()) == before
    assert {m: db.session.scalar(select(func.count()).select_from(m)) for m in counts} == counts
    youth = db.session.get(YouthProfile, youth.id)
    assert (youth.full_name, youth.email, youth.phone, youth.imilo_id, youth.search_text) == (
        "Jeune anonymisé", None, None, None, " jeune anonymise")
    assert youth.birth_date == date(2006, 7, 1)
    assert (youth.commune_code, youth.sex, youth.programme, youth.qpv) == ("63430", "femme", "cej", True)
    assert not youth.has_consent  # employers stop seeing the candidate
    placement = db.session.get(Placement, person["placement"].id)
    assert placement.youth_email == "" and placement.assessment.skills_observed == ""
    assert db.session.scalar(select(func.count()).select_from(PlacementRepresentative)
                             .where(PlacementRepresentative.placement_id == placement.id)) == 0
    signature = db.session.scalar(select(PlacementSignature).where(PlacementSignature.placement_id == placement.id))
    assert (signature.ip_address, signature.user_agent, signature.email) == (None, None, "")
    assert db.session.get(Positioning, person["positioning"].id).counsellor_note is None
    assert db.session.get(MediationAction, person["mediation"].id).note == ""
    assert db.session.get(CheckIn, person["check_in"].id).summary is None
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "zoe.v@exemple.test")) is None
    # nothing in the database names her any more
    for model, column in ((AuditEvent, AuditEvent.summary), (Task, Task.title), (OutboxMessage, OutboxMessage.body)):
        assert db.session.scalar(select(func.count()).select_from(model).where(column.contains(NAME[1]))) == 0
    assert NAME[1] not in str(_sheets(services.export_youth(admin, youth)))
    erased = queries.erasure_event(youth)
    assert erased.action == "privacy.erase" and erased.details["reason"] == "Demande écrite du 20/11/2026"
    with pytest.raises(DomainError, match="déjà anonymisé"):
        services.erase_youth(admin, youth, reason="encore")


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_erasure_needs_a_reason(make, person, reason):
    with pytest.raises(DomainError, match="motif") as exc:
        services.erase_youth(make.admin(), person["youth"], reason=reason)
    assert exc.value.field == "reason"
    assert db.session.get(YouthProfile, person["youth"].id).last_name == NAME[1]


def _aged(obj, when: datetime):
    obj.updated_at = when
    db.session.flush()


def test_retention_anonymises_old_inactive_profiles_only(app, make):
    admin = make.admin(email="dpo@exemple.test")
    old = make.youth(first_name="Ancien", last_name="Inactif", email="ancien@exemple.test")
    recent = make.youth(first_name="Récent", last_name="Actif")
    old_but_hired = make.youth(first_name="Ancien", last_name="Embauché")
    long_ago = datetime(2024, 1, 1)
    for y in (old, old_but_hired):
        _aged(y, long_ago)
    make.hire(youth=old_but_hired, start_on=date.today() - timedelta(days=20))
    _aged(old_but_hired, long_ago)  # the hire's check-ins keep it alive, not the profile

    report = services.run_retention(date(2026, 11, 26))

    assert report["anonymised"] == 1 and report["months"] == 24 and report["cutoff"] == "2024-11-26"
    assert old.full_name == "Jeune anonymisé" and old.email is None
    assert recent.last_name == "Actif" and old_but_hired.last_name == "Embauché"
    run = queries.last_retention_run()
    assert run.details["anonymised"] == 1 and "1 profil(s) anonymisé(s)" in run.summary
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == admin.email))
    assert "Profils anonymisés : 1" in mail.body
    # a second run finds nothing new
    assert services.run_retention(date(2026, 11, 26))["anonymised"] == 0


def test_retention_months_come_from_the_configuration(app, make):
    young = make.youth(last_name="Douze")
    _aged(young, datetime(2025, 10, 1))
    app.config["YOUTH_RETENTION_MONTHS"] = "12"
    try:
        assert services.run_retention(date(2026, 11, 26))["anonymised"] >= 1
    finally:
        app.config["YOUTH_RETENTION_MONTHS"] = "24"
    assert young.last_name == "anonymisé"


def test_retention_job_is_registered_with_the_reminders(app):
    from portal.reminders import _JOBS

    assert "rgpd-retention" in [name for name, _ in _JOBS]
