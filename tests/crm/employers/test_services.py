"""Employer-relations services: companies, contacts, interactions, tasks, events, merge."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from crm.employers import activity, board, queries, services
from crm.employers.merge import merge_companies
from crm.employers.models import Company, Contact, EventParticipant, Interaction, Task
from crm.employers.rules import name_key, task_bucket
from portal.audit.models import AuditEvent
from portal.errors import DomainError
from portal.extensions import db
from tests.factories import valid_siret


def _actions(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_create_company_checks_siret_and_keeps_search_text(make):
    actor = make.counsellor()
    company = services.create_company(actor, name="Coutellerie Chazeau", siret=valid_siret(), commune_code="63430")
    assert company.stage == "a_prospecter"
    assert " coutellerie" in company.search_text and " thiers" in company.search_text
    assert _actions("company.create")
    with pytest.raises(DomainError) as exc:
        services.create_company(actor, name="Autre", siret="12345678901234", commune_code="63430")
    assert exc.value.field == "siret" and "clé de contrôle" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.create_company(actor, name="Autre", siret=company.siret, commune_code="63430")
    assert "Coutellerie Chazeau" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.create_company(actor, name="Autre", commune_code="99999")
    assert exc.value.field == "commune_code"


def test_la_poste_siret_is_accepted(make):
    # La Poste establishments (SIREN 356000000) use a different checksum rule, handled by python-stdnum.
    company = services.create_company(make.counsellor(), name="La Poste Thiers", siret="35600000049837")
    assert company.siret == "35600000049837"


def test_likely_duplicate_is_raised_only_when_asked(make):
    actor = make.counsellor()
    services.create_company(actor, name="SARL Forges Dumas", commune_code="63430")
    with pytest.raises(services.LikelyDuplicate) as exc:
        services.create_company(actor, name="Forges  Dumas", commune_code="63430", confirm_duplicate=False)
    assert [c.name for c in exc.value.companies] == ["SARL Forges Dumas"]
    # Another commune: not a duplicate.
    services.create_company(actor, name="Forges Dumas", commune_code="63125", confirm_duplicate=False)


def test_find_or_create_company_matches_by_siret(make):
    actor = make.counsellor()
    siret = valid_siret()
    first = services.find_or_create_company(actor, siret=siret, name="Plasturgie Fayet", commune_code="63430")
    again = services.find_or_create_company(actor, siret=siret[:3] + " " + siret[3:], name="Autre nom")
    assert again.id == first.id
    assert db.session.scalar(select(func.count()).select_from(Company).where(Company.siret == siret)) == 1


def test_log_interaction_with_next_action_creates_a_task_and_moves_prospect(make):
    actor = make.counsellor()
    company = make.company(stage="a_prospecter")
    interaction = activity.log_interaction(actor, company=company, kind="visite", occurred_on=date.today(),
                                           summary="Visite de l'atelier", next_action="Envoyer des profils",
                                           next_action_on=date.today() + timedelta(days=3))
    task = db.session.scalar(select(Task).where(Task.interaction_id == interaction.id))
    assert task.title == "Envoyer des profils" and task.assignee_id == actor.id and task.company_id == company.id
    assert (task.subject_type, task.subject_id) == ("Company", company.id)
    assert company.stage == "contactee"
    assert _actions("company.stage")


@pytest.mark.parametrize("kwargs,field", [
    ({"next_action": "Rappeler"}, "next_action_on"),
    ({"next_action_on": date.today()}, "next_action"),
    ({"summary": "  "}, "summary"),
    ({"kind": "pigeon"}, "kind"),
    ({"occurred_on": date.today() + timedelta(days=2)}, "occurred_on"),
])
def test_log_interaction_refuses_bad_input(make, kwargs, field):
    values = {"kind": "appel", "occurred_on": date.today(), "summary": "Appel"} | kwargs
    with pytest.raises(DomainError) as exc:
        activity.log_interaction(make.counsellor(), company=make.company(), **values)
    assert exc.value.field == field
    assert db.session.scalar(select(func.count()).select_from(Interaction)) == 0


def test_interaction_for_a_partner(make):
    partner = make.partner()
    interaction = activity.log_interaction(make.counsellor(), partner=partner, kind="rendez_vous",
                                           occurred_on=date.today(), summary="Point convention")
    assert interaction.partner_id == partner.id and interaction.company_id is None


def test_one_primary_contact(make):
    actor = make.counsellor()
    company = make.company()
    first = services.add_contact(actor, company, full_name="Marie Durand")
    assert first.is_primary  # the first contact becomes primary
    second = services.add_contact(actor, company, full_name="Éric Fayet", is_primary=True)
    db.session.refresh(first)
    assert second.is_primary and not first.is_primary
    assert " eric" in company.search_text  # found by contact name, accent-free


def test_tasks_create_complete_and_buckets(make):
    actor = make.counsellor()
    other = make.counsellor()
    task = services.create_task(actor, title="Relancer", due_on=date.today(), assignee=other)
    services.complete_task(actor, task)
    assert task.done_at is not None and _actions("task.complete")
    with pytest.raises(DomainError):
        services.complete_task(actor, task)
    with pytest.raises(DomainError) as exc:
        services.create_task(actor, title="x", due_on=date.today(), assignee=make.employer())
    assert exc.value.field == "assignee_id"
    monday = date(2026, 11, 23)
    assert task_bucket(monday - timedelta(days=1), False, monday) == "overdue"
    assert task_bucket(monday, False, monday) == "today"
    assert task_bucket(monday + timedelta(days=6), False, monday) == "this_week"
    assert task_bucket(monday + timedelta(days=7), False, monday) == "later"


def test_event_participation_adds_an_interaction(make):
    actor = make.counsellor()
    company = make.company()
    event = activity.create_event(actor, kind="forum", title="Forum de Thiers", held_on=date.today(),
                                  commune_code="63430", youth_count=40)
    participant = activity.add_participant(actor, event, company)
    interaction = db.session.get(Interaction, participant.interaction_id)
    assert (interaction.kind, interaction.company_id, interaction.event_id) == ("forum", company.id, event.id)
    with pytest.raises(DomainError):
        activity.add_participant(actor, event, company)
    activity.remove_participant(actor, participant)
    assert db.session.get(Interaction, interaction.id) is None
    with pytest.raises(DomainError) as exc:
        activity.create_event(actor, kind="forum", title="X", held_on=date.today(), youth_count=-3)
    assert exc.value.field == "youth_count"


def test_move_stage_is_audited_and_checked(make):
    actor = make.counsellor()
    company = make.company()
    board.move_stage(actor, company, "rdv")
    event = _actions("company.stage")[-1]
    assert "À prospecter → Rendez-vous" in event.summary
    with pytest.raises(DomainError):
        board.move_stage(actor, company, "inconnue")


def test_merge_moves_every_linked_row(make):
    actor = make.counsellor()
    keep = make.company(name="Forges Dumas")
    dup = make.company(name="Forges Dumas SARL", phone="04 73 80 00 00", siret=None)
    services.add_contact(actor, keep, full_name="Contact gardé")
    services.add_contact(actor, dup, full_name="Contact repris")
    activity.log_interaction(actor, company=dup, kind="appel", occurred_on=date.today(), summary="Appel",
                             next_action="Rappeler", next_action_on=date.today())
    event = activity.create_event(actor, kind="forum", title="Forum", held_on=date.today())
    activity.add_participant(actor, event, keep)
    activity.add_participant(actor, event, dup)
    employer = make.employer(company_id=dup.id)
    moved = merge_companies(actor, dup, keep)
    assert moved["interaction.company_id"] == 2
    for model in (Contact, Interaction, Task):
        assert db.session.scalar(select(func.count()).select_from(model).where(model.company_id == dup.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(EventParticipant).where(
        EventParticipant.event_id == event.id)) == 1
    db.session.refresh(employer)
    assert employer.company_id == keep.id
    assert keep.phone == "04 73 80 00 00" and dup.archived_at is not None
    primaries = db.session.scalars(select(Contact).where(Contact.company_id == keep.id, Contact.is_primary)).all()
    assert [c.full_name for c in primaries] == ["Contact gardé"]
    assert _actions("company.merge")
    with pytest.raises(DomainError):
        merge_companies(actor, keep, keep)


def test_search_is_accent_insensitive_and_tolerates_doubled_letters(make):
    actor = make.counsellor()
    target = services.create_company(actor, name="Coutellerie Chazeau", commune_code="63430")
    services.create_company(actor, name="Boulangerie Fayet", commune_code="63430")
    for term in ("coutellerie thiers", "COUTELERIE", "Coutellérie chaz"):
        found = db.session.scalars(queries.filtered_companies(actor, queries.CompanyFilters(q=term))).all()
        assert [c.id for c in found] == [target.id], term


def test_name_key_ignores_legal_forms():
    assert name_key("SARL Coutellerie Dumas & Fils") == name_key("coutellerie DUMAS")
