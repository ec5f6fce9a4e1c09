"""Two worlds side by side for the security tests: employer A / company A against company B, partner X
against partner Y, each owning one object of every kind; plus the URL-map helpers that fill object URLs
from those objects, and a cheap fingerprint of the database to prove that nothing changed.

When a new object URL appears, `fill_url` fails with the endpoint's name until `ARG_KINDS` (or
`ENDPOINT_ARG_KINDS`) says which object fills it.
"""

import contextlib
import hashlib
import io
import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select, text
from werkzeug.datastructures import FileStorage

from portal.extensions import db
from tests import factories as make
from tests.conftest import csrf_token

# URL argument name -> kind of object (a key of Side.ids); the same name may mean different objects
# in two capabilities: ENDPOINT_ARG_KINDS says so per endpoint and wins.
ARG_KINDS = {
    "company_id": "company",
    "offer_id": "offer",
    "youth_id": "youth",
    "positioning_id": "positioning",
    "placement_id": "placement",
    "hire_id": "hire",
    "check_in_id": "check_in",
    "signature_id": "signature",
    "event_id": "event",
    "participant_id": "participant",
    "task_id": "task",
    "filter_id": "saved_filter",
    "user_id": "user",
    "partner_id": "partner",
    "convention_id": "convention",
    "document_id": "document",
    "service_id": "service",
    "token_id": "api_token",
    "job_id": "import_job",
    "survey_id": "survey",
}
ENDPOINT_ARG_KINDS = {
    ("employers.edit_contact", "contact_id"): "company_contact",
    ("employers.remove_contact", "contact_id"): "company_contact",
    ("employers.set_attendance", "participant_id"): "event_youth",
    ("employers.remove_young_participant", "participant_id"): "event_youth",
    ("partners.remove_contact", "contact_id"): "partner_contact",
    ("directory.import_errors", "job_id"): "directory_import_job",
    ("directory.show_import", "job_id"): "directory_import_job",
    ("directory.map_import", "job_id"): "directory_import_job",
    ("directory.confirm_import", "job_id"): "directory_import_job",
    ("employers.import_errors", "job_id"): "company_import_job",
    ("employers.show_import", "job_id"): "company_import_job",
    ("employers.map_import", "job_id"): "company_import_job",
    ("employers.confirm_import", "job_id"): "company_import_job",
    ("youth.import_errors", "job_id"): "youth_import_job",
    ("youth.show_import", "job_id"): "youth_import_job",
    ("youth.map_import", "job_id"): "youth_import_job",
    ("youth.confirm_import", "job_id"): "youth_import_job",
    # Forms shown only in a given state of their object (tests/security/test_fuzz.py posts to every form):
    ("followup.correct_check_in", "check_in_id"): "recorded_check_in",  # a check-in already recorded
    ("offers.edit_my_need", "offer_id"): "draft_offer",  # a need the employer submitted, not yet published
    ("pmsmp.assess_placement", "placement_id"): "started_placement",  # validated, started, not assessed
    ("pmsmp.cancel_placement", "placement_id"): "started_placement",  # validated, not assessed
}
# Arguments that name no object, with a value the view accepts.
PLAIN_ARGS = {
    ("matching.move_positioning", "move"): "entretien",
    ("matching.move_positionings", "move"): "entretien",
    ("offers.change_offer_status", "target"): "close",
    ("pmsmp.resend_link", "role"): "structure_accueil",
    ("referentials.remove_territory_commune", "code"): "63430",
    ("referentials.remove_territory_epci", "siren"): "246300701",
}
# Personal links: the unguessable token in the URL is the proof, there is no id to change.
TOKEN_LINKS = {
    "accounts.accept_invitation", "accounts.reset_password", "charte.confirm_signature", "followup.answer_by_link",
    "offers.confirm_need", "pmsmp.assess_by_link", "pmsmp.pdf_by_link", "pmsmp.sign_by_link",
    "surveys.answer_by_link",
}
# Objects that one role may legitimately read across companies or organisations (DESIGN.md §4: a partner
# reads published offers, everyone reads published directory services, the public API shows what is
# published). For those, the foreign object used is the unpublished variant, which must stay hidden.
SHARED_WHEN_PUBLISHED = {
    ("offers.show_offer", "partner"): {"offer_id": "draft_offer"},
    ("directory.show_service", "employer"): {"service_id": "draft_service"},
    ("directory.show_service", "partner"): {"service_id": "draft_service"},
    ("api.get_offer", "employer"): {"offer_id": "draft_offer"},
    ("api.get_offer", "partner"): {"offer_id": "draft_offer"},
    ("api.get_service", "employer"): {"service_id": "draft_service"},
    ("api.get_service", "partner"): {"service_id": "draft_service"},
}
# Kinds owned by one staff member (not by a company or an organisation): another counsellor gets 404.
PERSONAL_KINDS = {"saved_filter", "import_job", "directory_import_job", "company_import_job", "youth_import_job"}

_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_seq = itertools.count(1)


@dataclass
class Side:
    """One company, one partner organisation, their users and one object of every kind."""

    employer: object
    partner_user: object
    counsellor: object
    ids: dict = field(default_factory=dict)


def _import_job(spec, owner_id: int) -> str:
    from portal.import_mapping import fields_of, propose
    from portal.xlsx import ImportJob, template

    upload = FileStorage(io.BytesIO(template(spec)), filename="modele.xlsx")
    job = ImportJob.start(upload, spec, owner_id)
    job.set_mapping(fields_of(propose(job.headers, spec.columns)))  # the template's headers are all known
    return job.id


def _started_placement(counsellor, company) -> int:
    """A convention that began on Monday of last week, signed by every signatory and validated, without its
    assessment: created through the services as if today were a week before it started (a new convention may
    not start in the past)."""
    from crm.pmsmp import links, signing
    from crm.pmsmp import services as pmsmp

    today = date.today()
    start = today - timedelta(days=today.weekday() + 7)
    youth = make.pmsmp_youth()
    values = make.pmsmp_values(youth=youth, company=company, counsellor=counsellor, start_date=start,
                               end_date=start + timedelta(days=11))
    p, _ = pmsmp.create_placement(counsellor, youth=youth, today=start - timedelta(days=7), **values)
    signing.send_for_signature(counsellor, p)
    for who in signing.missing_signatories(p):
        signing.sign_by_link(links.make_link_token(links.SIGN, p.id, who.role, who.email), ip=None, user_agent=None)
    pmsmp.validate_placement(counsellor, p)
    return p.id


def build_side() -> Side:
    """Make one world: a company with its employer and a partner organisation with its partner user, and
    one object of every kind attached to them."""
    from charte.rules import add_months
    from crm.directory.xlsx import ServiceImport
    from crm.employers.models import Event, EventParticipant, EventYouth, SavedFilter
    from crm.employers.xlsx import CompanyImport
    from crm.followup.services import record_check_in
    from crm.partners.models import PartnerContact
    from crm.partners.services import attach_document
    from crm.surveys.models import Survey
    from crm.youth.xlsx import YouthImport
    from portal.api.services import create_token

    n = next(_seq)
    counsellor = make.counsellor()
    company = make.company(email=f"rh{n}@exemple.test")
    employer = make.employer(company_id=company.id)
    partner = make.partner()
    partner_user = make.partner_user(partner_id=partner.id)
    ids = {"company": company.id, "user": employer.id, "partner": partner.id}

    ids["company_contact"] = make.company_contact(company).id
    offer = make.offer(company)
    ids["offer"] = offer.id
    ids["draft_offer"] = make.offer(company, status="soumise").id
    youth = make.youth(referent_id=counsellor.id)
    ids["youth"] = youth.id
    ids["positioning"] = make.positioning(offer, youth).id
    hire = make.hire(actor=counsellor, company=company)
    ids["hire"] = hire.id
    ids["check_in"] = hire.check_ins[0].id
    recorded = hire.check_ins[-1]
    record_check_in(counsellor, recorded, channel="telephone", situation="en_poste", summary="Tout va bien.")
    ids["recorded_check_in"] = recorded.id
    ids["placement"] = make.placement(actor=counsellor, company=company).id
    ids["started_placement"] = _started_placement(counsellor, company)
    # active, in its twelfth month: the company has been invited to renew (one live signature per company)
    ids["signature"] = make.charter_signature(company=company, period_start=add_months(date.today(), -11)).id
    event = Event(kind="forum", title=f"Forum {n}", held_on=date.today(), commune_code="63430")
    db.session.add(event)
    db.session.flush()
    participant = EventParticipant(event_id=event.id, company_id=company.id)
    db.session.add(participant)
    db.session.flush()
    ids["event"], ids["participant"] = event.id, participant.id
    young = EventYouth(event_id=event.id, youth_id=youth.id)
    survey = Survey(year=2000 + n, opens_on=date.today(), closes_on=date.today() + timedelta(days=30))
    db.session.add_all([young, survey])
    db.session.flush()
    ids["event_youth"], ids["survey"] = young.id, survey.id
    ids["task"] = make.task(counsellor).id
    saved = SavedFilter(user_id=counsellor.id, scope="companies", name=f"Recherche {n}", query="q=forge")
    db.session.add(saved)

    contact = PartnerContact(partner_id=partner.id, name=f"Contact partenaire {n}")
    db.session.add(contact)
    db.session.flush()
    ids["saved_filter"], ids["partner_contact"] = saved.id, contact.id
    convention = make.convention(partner)
    ids["convention"] = convention.id
    ids["document"] = attach_document(counsellor, convention, stream=io.BytesIO(_PDF), filename="c.pdf").id
    ids["service"] = make.directory_service(partner).id
    ids["draft_service"] = make.directory_service(partner, status="brouillon").id
    ids["api_token"] = create_token(partner_user, name=f"jeton {n}")[0].id
    ids["youth_import_job"] = ids["import_job"] = _import_job(YouthImport(), counsellor.id)
    ids["company_import_job"] = _import_job(CompanyImport(), counsellor.id)
    ids["directory_import_job"] = _import_job(ServiceImport(), counsellor.id)
    db.session.flush()
    return Side(employer=employer, partner_user=partner_user, counsellor=counsellor, ids=ids)


def build_worlds() -> tuple[Side, Side]:
    """Side A (the requester's) and side B (the one whose ids are tried), committed to the test's
    transaction so that `rolled_back()` blocks can undo what a request does without losing them."""
    a, b = build_side(), build_side()
    db.session.commit()
    return a, b


# --- the URL map -------------------------------------------------------------------------------------------


def object_rules(app):
    """Every rule with an argument, except static files."""
    return [r for r in app.url_map.iter_rules() if r.arguments and r.endpoint != "static"]


def arg_kind(endpoint: str, arg: str) -> str:
    kind = ENDPOINT_ARG_KINDS.get((endpoint, arg)) or ARG_KINDS.get(arg)
    if kind is None:
        raise AssertionError(
            f"{endpoint} : l'argument d'URL « {arg} » n'est pas connu des tests de sécurité ; dites dans "
            "tests/security/world.py (ARG_KINDS, ENDPOINT_ARG_KINDS ou PLAIN_ARGS) quel objet le remplit")
    return kind


def fill_url(rule, side: Side, overrides: dict | None = None) -> str:
    """The rule's URL for `side`'s objects (override a kind per argument with `overrides`)."""
    values = {}
    for arg in rule.arguments:
        if (rule.endpoint, arg) in PLAIN_ARGS:
            values[arg] = PLAIN_ARGS[(rule.endpoint, arg)]
            continue
        kind = (overrides or {}).get(arg) or arg_kind(rule.endpoint, arg)
        if kind not in side.ids:
            raise AssertionError(f"{rule.endpoint} : aucun objet « {kind} » dans le monde de test (build_side)")
        values[arg] = side.ids[kind]
    return rule.build(values, append_unknown=False)[1]


def methods(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


# --- sessions and requests ---------------------------------------------------------------------------------


def login(app, user):
    """A fresh test client logged in as `user`, with a CSRF token valid for its session."""
    client = app.test_client()
    token = csrf_token(client, "/connexion")
    response = client.post("/connexion", data={"email": user.email, "password": make.PASSWORD, "csrf_token": token})
    assert response.status_code == 303, f"connexion de {user.email} : {response.status_code}"
    client.token = csrf_token(client, "/mon-compte")
    return client


def send(client, method: str, url: str, data: dict | None = None, **kw):
    """One request whose answer is read and closed (streamed exports end their request here)."""
    response = client.open(url, method=method, data=data, headers={"Accept": "text/html"}, **kw)
    response.get_data()
    response.close()
    return response


@contextlib.contextmanager
def rolled_back():
    """Undo whatever happens inside the block (a SAVEPOINT on the test's connection), so that one
    request or one hypothesis example does not change the world of the next."""
    db.session.commit()
    db.session.remove()
    connection = db.session.get_bind()
    savepoint = connection.begin_nested()
    try:
        yield
    finally:
        db.session.remove()
        if savepoint.is_active:
            savepoint.rollback()


# --- fingerprint -------------------------------------------------------------------------------------------

# Reference data loaded once and never written by a request under test; the audit log is compared apart.
_REFERENCE = {"commune", "epci", "rome_code", "rome_appellation", "naf_section", "naf_code"}


def fingerprint() -> dict[str, str]:
    """table -> digest of its rows (the reference tables by their count only)."""
    db.session.flush()
    digests = {}
    for table in db.metadata.sorted_tables:
        if table.name in _REFERENCE:
            digests[table.name] = str(db.session.scalar(select(func.count()).select_from(table)))
            continue
        pk = list(table.primary_key.columns) or list(table.columns)
        rows = db.session.execute(select(table).order_by(*pk)).all()
        digests[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


def row_counts() -> dict[str, int]:
    """table -> number of rows: cheaper than `fingerprint`, for the hypothesis tests."""
    db.session.flush()
    union = " UNION ALL ".join(f"SELECT '{t.name}', COUNT(*) FROM \"{t.name}\""
                               for t in db.metadata.sorted_tables if t.name not in _REFERENCE)
    return dict(db.session.execute(text(union)).all())


def changed(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))
