"""Property: after any sequence of writes (ORM edits, services, merges, bulk statements), every row's stored
derived data (search texts, a company's day of latest exchange, a check-in's « difficulté signalée » flag)
equals a fresh computation from the rows as they are, a PMSMP convention's too (derived from its young person's
and its company's derived texts)."""

from datetime import date, timedelta

from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update

from crm.directory import rules as directory_rules
from crm.employers.merge import merge_companies
from crm.employers.models import Company, Contact, Interaction
from crm.followup.models import CheckIn
from crm.offers.models import Offer
from crm.pmsmp.models import Placement
from crm.youth.models import YouthProfile
from portal import search
from portal.extensions import db
from portal.referentials.models import Commune

COMMUNES = ("63430", "63125", "63178", "63284", None)
THEMATIQUES = ("mobilite--etre-accompagne-dans-son-parcours-mobilite", "numerique--acceder-a-une-connexion-internet",
               "logement-hebergement--etre-accompagne-pour-se-loger")
names = st.text(alphabet="aàbcçdeéèêfgilmnoôœprstuûxyz ÉÇ-'", min_size=1, max_size=24).filter(str.strip)
index = st.integers(min_value=0, max_value=5)
DAY = date(2026, 6, 1)
SITUATIONS = st.sampled_from(("difficulte", "en_poste", "rupture", None))
ANSWERS = st.sampled_from([(column, value) for value in (True, False, None) for column in (
    "employer_difficulties", "employer_in_post", "youth_difficulties", "youth_in_post")])

operations = st.lists(st.one_of(
    st.tuples(st.just("rename_company"), index, names),
    st.tuples(st.just("company_commune"), index, st.sampled_from(COMMUNES)),
    st.tuples(st.just("add_contact"), index, names),
    st.tuples(st.just("rename_contact"), index, names),
    st.tuples(st.just("archive_contact"), index, st.booleans()),
    st.tuples(st.just("move_contact"), index, index),
    st.tuples(st.just("delete_contact"), index, st.none()),
    st.tuples(st.just("retitle_offer"), index, names),
    st.tuples(st.just("move_offer"), index, index),
    st.tuples(st.just("bulk_move_offers"), index, index),
    st.tuples(st.just("bulk_rename_company"), index, names),
    st.tuples(st.just("bulk_delete_contacts"), index, st.none()),
    st.tuples(st.just("rename_commune"), st.sampled_from(range(len(COMMUNES) - 1)), names),
    st.tuples(st.just("merge"), index, index),
    st.tuples(st.just("rename_partner"), index, names),
    st.tuples(st.just("service_owner"), index, index),
    st.tuples(st.just("service_text"), index, names),
    st.tuples(st.just("service_thematiques"), index, st.lists(st.sampled_from(THEMATIQUES), max_size=3)),
    st.tuples(st.just("rename_youth"), index, names),
    st.tuples(st.just("bulk_rename_youth"), index, names),
    st.tuples(st.just("move_placement"), index, index),
    st.tuples(st.just("bulk_move_placements"), index, index),
    st.tuples(st.just("log_interaction"), index, st.integers(min_value=-400, max_value=30)),
    st.tuples(st.just("redate_interaction"), index, st.integers(min_value=-400, max_value=30)),
    st.tuples(st.just("move_interaction"), index, index),
    st.tuples(st.just("delete_interaction"), index, st.none()),
    st.tuples(st.just("bulk_move_interactions"), index, index),
    st.tuples(st.just("check_in_situation"), index, SITUATIONS),
    st.tuples(st.just("check_in_answer"), index, ANSWERS),
    st.tuples(st.just("move_check_in"), index, index),
    st.tuples(st.just("delete_check_in"), index, SITUATIONS),
    st.tuples(st.just("add_check_in"), index, SITUATIONS),
    st.tuples(st.just("bulk_check_in_situation"), index, SITUATIONS),
    st.tuples(st.just("bulk_delete_check_ins"), index, st.none()),
    st.tuples(st.just("flush"), index, st.none()),
), min_size=1, max_size=12)


def _pick(rows, i):
    return rows[i % len(rows)] if rows else None


def _contact(ident):
    """The contact if its row is still there (a bulk DELETE may have removed it)."""
    return db.session.scalar(select(Contact).where(Contact.id == ident))


def _interaction(world, i):
    """An interaction still in the database (a delete or a merge may have changed it)."""
    rows = [db.session.get(Interaction, ident) for ident in world["interactions"]]
    return _pick([r for r in rows if r is not None], i)


def _check_in(world, i):
    """A check-in still in the database (a delete may have removed it)."""
    rows = [db.session.scalar(select(CheckIn).where(CheckIn.id == ident)) for ident in world["check_ins"]]
    return _pick([r for r in rows if r is not None], i)


def _apply_check_in(op, a, b, world) -> None:
    check_in, hire = _check_in(world, a), _pick(world["hires"], a)
    if op == "check_in_situation" and check_in is not None:
        check_in.situation = b
    elif op == "check_in_answer" and check_in is not None:
        setattr(check_in, *b)
    elif op == "move_check_in" and check_in is not None:
        check_in.hire_id = _pick(world["hires"], b).id
    elif op == "delete_check_in" and check_in is not None:  # recorded with situation b first (then flushed)
        check_in.situation = b
        db.session.flush()
        db.session.delete(check_in)
    elif op == "add_check_in":
        added = CheckIn(hire_id=hire.id, due_on=DAY, label="Ajouté", situation=b)
        db.session.add(added)
        db.session.flush()
        world["check_ins"].append(added.id)
    elif op == "bulk_check_in_situation":
        db.session.execute(update(CheckIn).where(CheckIn.hire_id == hire.id).values(situation=b))
    elif op == "bulk_delete_check_ins":
        db.session.execute(delete(CheckIn).where(CheckIn.hire_id == hire.id, CheckIn.label == "Ajouté"))


def _apply(op, a, b, world, actor) -> None:
    if "check_in" in op:
        _apply_check_in(op, a, b, world)
        return
    companies, contacts, offers, partners, services, youths = (world[k] for k in (
        "companies", "contacts", "offers", "partners", "services", "youths"))
    company = _pick(companies, a)
    contact = _pick([c for c in map(_contact, contacts) if c is not None], a)
    if op == "rename_company":
        company.name = b
    elif op == "company_commune":
        company.commune_code = b
    elif op == "add_contact":
        added = Contact(company=company, full_name=b)
        db.session.add(added)
        db.session.flush()
        contacts.append(added.id)
    elif op == "rename_contact" and contact is not None:
        contact.full_name = b
    elif op == "archive_contact" and contact is not None:
        contact.archived_at = db.func.now() if b else None
    elif op == "move_contact" and contact is not None:
        contact.company_id = _pick(companies, b).id
    elif op == "delete_contact" and contact is not None:
        db.session.delete(contact)
    elif op == "retitle_offer":
        _pick(offers, a).title = b
    elif op == "move_offer":
        _pick(offers, a).company = _pick(companies, b)
    elif op == "bulk_move_offers":
        db.session.execute(update(Offer).where(Offer.company_id == company.id).values(company_id=_pick(companies, b).id))
    elif op == "bulk_rename_company":
        db.session.execute(update(Company).where(Company.id == company.id).values(name=b))
    elif op == "bulk_delete_contacts":
        db.session.execute(delete(Contact).where(Contact.company_id == company.id))
    elif op == "rename_commune":
        db.session.execute(update(Commune).where(Commune.insee_code == COMMUNES[a]).values(name=b))
    elif op == "merge":
        source, target = company, _pick(companies, b)
        if source is not target and not source.name.startswith("[Fusionnée]"):
            db.session.flush()
            merge_companies(actor, source, target)
    elif op == "rename_partner":
        _pick(partners, a).name = b
    elif op == "service_owner":
        _pick(services, a).partner = _pick(partners + [None], b)
    elif op == "service_text":
        _pick(services, a).description = b
    elif op == "service_thematiques":
        _pick(services, a).thematiques_codes = directory_rules.join_codes(b)
    elif op == "rename_youth":
        _pick(youths, a).last_name = b
    elif op == "bulk_rename_youth":
        db.session.execute(update(YouthProfile).where(YouthProfile.id == _pick(youths, a).id).values(first_name=b))
    elif op == "move_placement":
        _pick(world["placements"], a).company = _pick(companies, b)
    elif op == "bulk_move_placements":
        db.session.execute(update(Placement).where(Placement.company_id == company.id)
                           .values(company_id=_pick(companies, b).id))
    elif op == "log_interaction":
        logged = Interaction(company=company, kind="appel", occurred_on=DAY + timedelta(days=b), summary="Appel")
        db.session.add(logged)
        db.session.flush()
        world["interactions"].append(logged.id)
    elif op == "redate_interaction" and _interaction(world, a) is not None:
        _interaction(world, a).occurred_on = DAY + timedelta(days=b)
    elif op == "move_interaction" and _interaction(world, a) is not None:
        _interaction(world, a).company_id = _pick(companies, b).id
    elif op == "delete_interaction" and _interaction(world, a) is not None:
        db.session.delete(_interaction(world, a))
    elif op == "bulk_move_interactions":
        db.session.execute(update(Interaction).where(Interaction.company_id == company.id)
                           .values(company_id=_pick(companies, b).id))
    elif op == "flush":
        db.session.flush()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
@example([("delete_check_in", 0, "difficulte")])  # a deleted row's siblings derive again (rarely drawn)
def test_stored_search_data_always_equals_a_fresh_computation(make, ops):
    savepoint = db.session.begin_nested()
    try:
        actor = make.counsellor()
        companies = [make.company(name=f"Entreprise {n}") for n in range(3)]
        partners = [make.partner(name=f"Partenaire {n}") for n in range(2)]
        world = {
            "companies": companies,
            "contacts": [make.company_contact(companies[n % 3], full_name=f"Contact {n}").id for n in range(3)],
            "offers": [make.offer(companies[n % 3], title=f"Offre {n}") for n in range(3)],
            "partners": partners,
            "services": [make.directory_service(partners[0]), make.directory_service(None)],
            "youths": [make.youth(last_name=f"Jeune{n}") for n in range(2)],
            "interactions": [],
            "hires": [make.hire(actor, company=companies[n]) for n in range(2)],
        }
        world["placements"] = [make.placement(actor=actor, youth=world["youths"][n], company=companies[n])
                               for n in range(2)]
        world["check_ins"] = [c.id for hire in world["hires"] for c in hire.check_ins]
        note(repr(ops))
        for op, a, b in ops:
            _apply(op, a, b, world, actor)
        db.session.flush()
        assert search.stale(db.session) == {}
    finally:
        savepoint.rollback()
        db.session.expire_all()
