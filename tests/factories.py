"""Small callable factories: make a row with sensible defaults, override what the test cares about."""

import itertools

from stdnum import luhn

from crm.employers.models import Company
from crm.partners.models import PartnerOrganisation
from portal.access import ADMIN, COUNSELLOR, EMPLOYER, PARTNER
from portal.accounts.models import User
from portal.accounts.services import hash_password
from portal.extensions import db
from portal.text import search_key

PASSWORD = "Mot-de-passe-test-2026"
_seq = itertools.count(1)
_HASH_CACHE: dict[str, str] = {}


def _hash(password: str) -> str:
    # scrypt is slow on purpose; tests reuse one hash per password.
    if password not in _HASH_CACHE:
        _HASH_CACHE[password] = hash_password(password)
    return _HASH_CACHE[password]


def siret(n: int | None = None) -> str:
    """A valid SIRET (Luhn), unique per call unless `n` is given."""
    body = f"8{(n if n is not None else next(_seq)) :012d}"
    return body + luhn.calc_check_digit(body)


def company(**overrides) -> Company:
    n = next(_seq)
    values = {"name": f"Entreprise test {n}", "siret": siret(), "commune_code": "63430", "postal_code": "63300",
              "stage": "a_prospecter"}
    values.update(overrides)
    obj = Company(**values)
    obj.search_text = search_key(obj.name, obj.siret)
    db.session.add(obj)
    db.session.flush()
    return obj


def partner(**overrides) -> PartnerOrganisation:
    n = next(_seq)
    values = {"name": f"Partenaire test {n}", "kind": "social_associatif", "commune_code": "63430"}
    values.update(overrides)
    obj = PartnerOrganisation(**values)
    obj.search_text = search_key(obj.name)
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
    obj.search_text = search_key(obj.first_name, obj.last_name)
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
    obj.search_text = search_key(obj.name, obj.description, "mobilite")
    db.session.add(obj)
    db.session.flush()
    return obj
