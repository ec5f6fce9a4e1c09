"""Small callable factories: make a row with sensible defaults, override what the test cares about."""

import itertools

from sqlalchemy import func, select
from stdnum import luhn

from crm.employers.models import Company
from crm.partners.models import PartnerOrganisation
from portal.access import ADMIN, COUNSELLOR, EMPLOYER, PARTNER
from portal.accounts.models import User
from portal.accounts.services import hash_password
from portal.extensions import db

PASSWORD = "Mot-de-passe-test-2026"
_seq = itertools.count(1)
_HASH_CACHE: dict[str, str] = {}


def _hash(password: str) -> str:
    # scrypt is slow on purpose; tests reuse one hash per password.
    if password not in _HASH_CACHE:
        _HASH_CACHE[password] = hash_password(password)
    return _HASH_CACHE[password]


def siret(n: int | None = None) -> str:
    """A valid SIRET (python-stdnum), unique per call unless `n` is given."""
    from portal.demo import make_siret

    return make_siret(n if n is not None else next(_seq), prefix="8")


def company(**overrides) -> Company:
    n = next(_seq)
    values = {"name": f"Entreprise test {n}", "siret": siret(), "commune_code": "63430", "postal_code": "63300",
              "stage": "a_prospecter"}
    values.update(overrides)
    obj = Company(**values)
    db.session.add(obj)
    db.session.flush()
    return obj


def partner(**overrides) -> PartnerOrganisation:
    n = next(_seq)
    values = {"name": f"Partenaire test {n}", "kind": "social_associatif", "commune_code": "63430"}
    values.update(overrides)
    obj = PartnerOrganisation(**values)
    db.session.add(obj)
    db.session.flush()
    return obj


def user(role: str = COUNSELLOR, password: str | None = PASSWORD, **overrides) -> User:
    n = next(_seq)
    values = {"email": f"{role}{n}@exemple.test", "full_name": f"Personne {n}", "role": role,
              "password_hash": _hash(password) if password else None}
    if role == EMPLOYER and "company_id" not in overrides and "company" not in overrides:
        values["company_id"] = company().id
    if role == PARTNER and "partner_id" not in overrides and "partner" not in overrides:
        values["partner_id"] = partner().id
    values.update(overrides)
    obj = User(**values)
    db.session.add(obj)
    db.session.flush()
    return obj


def admin(**kw) -> User:
    return user(ADMIN, **kw)


def counsellor(**kw) -> User:
    return user(COUNSELLOR, **kw)


def employer(**kw) -> User:
    return user(EMPLOYER, **kw)


def partner_user(**kw) -> User:
    return user(PARTNER, **kw)


# --- employers (crm/employers) -------------------------------------------------------------------

_siret_seq = itertools.count(1)


def valid_siret(n: int | None = None) -> str:
    """A SIRET valid for python-stdnum (SIREN and SIRET keys), unique per call unless `n` is given."""
    n = next(_siret_seq) if n is None else n
    siren8 = f"7{n:07d}"
    siren = siren8 + luhn.calc_check_digit(siren8)
    body = siren + f"{n % 10000:04d}"
    return body + luhn.calc_check_digit(body)


def company_contact(company=None, **overrides):
    from crm.employers.models import Contact

    company = company or globals()["company"]()
    values = {"company_id": company.id, "full_name": f"Contact {next(_seq)}", "is_primary": False}
    values.update(overrides)
    obj = Contact(**values)
    db.session.add(obj)
    db.session.flush()
    return obj


def task(assignee=None, **overrides):
    from datetime import date

    from crm.employers.models import Task

    assignee = assignee or counsellor()
    values = {"title": f"Tâche {next(_seq)}", "due_on": date.today(), "assignee_id": assignee.id}
    values.update(overrides)
    obj = Task(**values)
    db.session.add(obj)
    db.session.flush()
    return obj


# --- followup (hires and post-hire check-ins) ---------------------------------------------------


def followup_youth(**overrides):
    """A young person for follow-up tests (the youth capability may offer a richer factory)."""
    from datetime import date

    from crm.youth.models import YouthProfile

    n = next(_seq)
    values = {"first_name": f"Jeune{n}", "last_name": f"Test{n}", "birth_date": date(2005, 3, 1),
              "commune_code": "63430", "email": f"jeune{n}@exemple.test"}
    if "referent_id" not in overrides and "referent" not in overrides:
        values["referent_id"] = counsellor().id
    values.update(overrides)
    obj = YouthProfile(**values)
    db.session.add(obj)
    db.session.flush()
    return obj


def hire(actor=None, **overrides):
    """A hire created through the service, so it carries its scheduled check-ins."""
    from datetime import date, timedelta

    from crm.followup import services as followup

    values = {"youth": overrides.pop("youth", None) or followup_youth(),
              "company": overrides.pop("company", None) or company(email="rh@exemple.test"),
              "contract_type": "cdi", "start_on": date.today() - timedelta(days=10)}
    values.update(overrides)
    return followup.create_hire(actor or counsellor(), **values)


# --- pmsmp -------------------------------------------------------------------------------------------


def pmsmp_youth(**overrides):
    """A young person for PMSMP tests (adult unless birth_date says otherwise)."""
    from datetime import date as _date

    from crm.youth.models import YouthProfile

    n = next(_seq)
    values = {"first_name": "Léa", "last_name": f"Morel{n}", "birth_date": _date(2004, 5, 12),
              "commune_code": "63430", "email": f"jeune{n}@exemple.test"}
    values.update(overrides)
    obj = YouthProfile(**values)
    db.session.add(obj)
    db.session.flush()
    return obj


def pmsmp_values(youth=None, company=None, counsellor=None, **overrides) -> dict:
    """Valid values of a convention starting next Monday (35 h a week, Monday to Friday)."""
    from datetime import date as _date
    from datetime import time as _time
    from datetime import timedelta as _td

    from crm.pmsmp.timetable import Period

    today = _date.today()
    start = today + _td(days=7 - today.weekday())
    n = next(_seq)
    values = {
        "youth_email": (youth.email if youth is not None else None) or f"jeune{n}@exemple.test",
        "youth_phone": None, "company_id": (company or globals()["company"]()).id,
        "counsellor_id": (counsellor or user()).id, "tutor_name": "Jean Dumas", "tutor_job": "Chef d'atelier",
        "tutor_email": f"tuteur{n}@exemple.test", "tutor_phone": "04 73 80 12 34", "objective": "decouvrir",
        "appellation_code": "13810", "activities": "Affûtage, montage de couteaux", "skills": "Précision, sécurité",
        "start_date": start, "end_date": start + _td(days=11), "place_address": "12 rue de la Coutellerie",
        "place_commune_code": "63430", "work_conditions": "Atelier, station debout",
        "protection": "Gants anti-coupure fournis", "insurer": "MAAF Pro", "insurance_policy": "RC-123",
        "accident_declarer": "prescripteur", "renewal_of_id": None, "renewal_reason": None,
        "representatives": [],
        "periods": [Period(d, _time(9), _time(12)) for d in range(5)]
        + [Period(d, _time(13), _time(17)) for d in range(5)],
    }
    values.update(overrides)
    return values


def placement(actor=None, youth=None, **overrides):
    """A draft convention created through the service (override any value of `pmsmp_values`)."""
    from datetime import date as _date

    from crm.pmsmp import services as pmsmp

    actor = actor or user()
    youth = youth or pmsmp_youth()
    values = pmsmp_values(youth=youth, counsellor=actor, **overrides)
    obj, _ = pmsmp.create_placement(actor, youth=youth, today=_date.today(), **values)
    return obj


# --- partners and directory (capability "directory") --------------------------------------------------


def convention(partner_obj=None, **overrides):
    from datetime import date, timedelta

    from crm.partners.models import Convention

    n = next(_seq)
    values = {"title": f"Convention test {n}", "kind": "partenariat", "start_on": date.today() - timedelta(days=300),
              "end_on": date.today() + timedelta(days=200), "status": "active", "object": "Objet de test"}
    values.update(overrides)
    obj = Convention(partner_id=(partner_obj or partner()).id, **values)
    db.session.add(obj)
    db.session.flush()
    return obj


def directory_service(partner_obj=None, **overrides):
    """A published service (mobility, in Thiers, for the territory's EPCI) unless told otherwise."""
    from datetime import date

    from crm.directory import rules
    from crm.directory.models import DirectoryService

    n = next(_seq)
    today = overrides.pop("updated_on", date.today())
    values = {"name": f"Service test {n}", "description": "Un service de test pour les jeunes.",
              "thematiques_codes": rules.join_codes(["mobilite--etre-accompagne-dans-son-parcours-mobilite"]),
              "publics_codes": rules.join_codes(["jeunes"]), "reception_codes": rules.join_codes(["en-presentiel"]),
              "zone_codes": rules.join_codes(["63"]), "commune_code": "63430", "status": "publie",
              "update_frequency": "semestrielle"}
    values.update(overrides)
    obj = DirectoryService(partner_id=partner_obj.id if partner_obj else None, updated_on=today,
                           stale_on=rules.stale_on(today, values["update_frequency"]), **values)
    db.session.add(obj)
    db.session.flush()
    return obj


# --- offers, youth and matching ----------------------------------------------------------------------

FORGER = "15121"  # Forgeron / Forgeronne en coutellerie industrielle, ROME H2904


def youth(targets=("H2904",), consent: bool = True, **overrides):
    """A young person in Thiers aiming at cutlery forging, consenting to share their profile by default.
    `targets` are ROME or appellation codes."""
    from datetime import date

    from crm.youth.models import YouthProfile, YouthTarget
    from crm.youth.services import resolve_target

    n = next(_seq)
    values = {"first_name": "Léa", "last_name": f"Martin{n}", "birth_date": date(2004, 5, 12),
              "commune_code": "63430", "mobility_mode": "voiture", "max_commute_km": 20, "has_licence": True,
              "has_vehicle": True, "wanted_contracts": ["cdi", "cdd"]}
    if consent:
        values.update(consent_on=date(2026, 1, 5), consent_scope="profil")
    values.update(overrides)
    obj = YouthProfile(**values)
    for position, code in enumerate(targets, start=1):
        rome, appellation = resolve_target(code)
        obj.targets.append(YouthTarget(position=position, rome_code=rome, rome_family=rome[:3],
                                       appellation_code=appellation))
    db.session.add(obj)
    db.session.flush()
    return obj


def offer(company_obj=None, **overrides):
    """A published CDI for a cutlery forger in Thiers (no licence required) unless told otherwise."""
    from datetime import date

    from crm.offers.models import Offer
    from portal.referentials.queries import get_appellation

    values = {"title": "Forgeron·ne en coutellerie", "appellation_code": FORGER, "contract_type": "cdi",
              "hours_per_week": 35, "work_commune_code": "63430", "start_on": date(2026, 9, 1), "positions": 1,
              "status": "publiee"}
    values.update(overrides)
    rome = get_appellation(values["appellation_code"]).rome_code
    obj = Offer(company_id=(company_obj or company()).id, rome_code=rome, rome_family=rome[:3], **values)
    db.session.add(obj)
    db.session.flush()
    return obj


def positioning(offer_obj=None, youth_obj=None, status: str = "proposee", **overrides):
    """A positioning at `status` (proposed to the employer by default)."""
    from crm.matching.models import Positioning
    from portal.models import utcnow

    values = {"score": 80, "breakdown": {}, "status": status,
              "proposed_at": utcnow() if status in ("proposee", "entretien", "embauchee") else None,
              "counsellor_note": "Très motivée, a fait un stage en forge."}
    values.update(overrides)
    obj = Positioning(offer=offer_obj or offer(), youth=youth_obj or youth(), **values)
    db.session.add(obj)
    db.session.flush()
    return obj


# --- charter (charte/) ---------------------------------------------------------------------------


def charter_version(commitments=None, **overrides):
    """A published charter version (the next number) with the starting commitments by default."""
    from sqlalchemy import func, select

    from charte.models import CharterCommitment, CharterVersion
    from charte.rules import DEFAULT_COMMITMENTS, DEFAULT_PREAMBLE, DEFAULT_TITLE

    number = (db.session.scalar(select(func.max(CharterVersion.number))) or 0) + 1
    values = {"number": number, "title": DEFAULT_TITLE, "preamble": DEFAULT_PREAMBLE}
    values.update(overrides)
    obj = CharterVersion(**values)
    obj.commitments = [CharterCommitment(code=code, label=label, position=i)
                       for i, (code, label) in enumerate(commitments or DEFAULT_COMMITMENTS)]
    db.session.add(obj)
    db.session.flush()
    return obj


def charter_signature(company=None, version=None, status="active", commitments=None, **overrides):
    """A signature; `active` ones are validated today with an attestation number."""
    from datetime import date

    from charte import rules
    from charte.models import ACTIVE, TO_RENEW, WITHDRAWN, CharterSignature
    from portal.models import utcnow

    company = company or globals()["company"]()
    version = version or charter_version()
    n = next(_seq)
    obj = CharterSignature(company_id=company.id, version_id=version.id, status=status,
                           signatory_name=f"Signataire {n}", signatory_role="Gérant·e",
                           signatory_email=f"signataire{n}@exemple.test", public_consent=True,
                           email_confirmed_at=utcnow())
    obj.commitments = commitments if commitments is not None else list(version.commitments[:2])
    if status in (ACTIVE, TO_RENEW, WITHDRAWN):
        start = overrides.pop("period_start", date.today())
        obj.validated_at, obj.period_start = utcnow(), start
        obj.renewal_due_on = rules.renewal_due_on(start)
    for key, value in overrides.items():
        setattr(obj, key, value)
    db.session.add(obj)
    db.session.flush()
    if obj.validated_at and not obj.number:
        obj.number = rules.certificate_number(date.today().year, obj.id)
        db.session.flush()
    return obj


def count_of(stmt) -> int:
    """The number of rows of a list's query, counted the plain way (its ordering and eager loads dropped): what
    a to-do's count must agree with."""
    inner = stmt.order_by(None).subquery()
    return db.session.scalar(select(func.count()).select_from(inner)) or 0
