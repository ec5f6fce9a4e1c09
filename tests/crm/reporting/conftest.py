"""A small world spread over 2024 and 2025 and over two EPCI, to count indicators against."""

from dataclasses import dataclass
from datetime import date, datetime

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.referentials.models import TerritoryCommune

THIERS, COURPIERE, LEZOUX = "63430", "63125", "63195"  # Thiers and Courpière: CC TDM; Lezoux: CC EDA
EPCI_TDM, EPCI_EDA = "200070712", "246301097"


@dataclass
class World:
    admin: object
    employer: object
    partner_user: object
    company_a: object
    company_b: object


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day + " 10:30:00")


def _d(day: str) -> date:
    return date.fromisoformat(day)


@pytest.fixture()
def world(make):
    from charte.models import CharterReview
    from crm.employers.models import Interaction
    from crm.pmsmp.models import Assessment

    territory = set(db.session.scalars(select(TerritoryCommune.insee_code)))
    assert {THIERS, COURPIERE, LEZOUX} <= territory

    admin = make.admin()
    company_a = make.company(commune_code=THIERS, created_at=_at("2025-02-10"))
    company_b = make.company(commune_code=LEZOUX, postal_code="63190", created_at=_at("2024-11-03"))
    company_c = make.company(commune_code=COURPIERE, postal_code="63120", created_at=_at("2025-05-20"))
    employer = make.employer(company_id=company_a.id)

    # young people: two EPCI, both sexes, three age groups (at the end of 2025), programmes, QPV / ZRR
    y1 = make.youth(commune_code=THIERS, sex="femme", programme="cej", qpv=True, birth_date=_d("2008-06-01"))
    y2 = make.youth(commune_code=COURPIERE, sex="homme", programme="pacea", birth_date=_d("2004-02-10"))
    y3 = make.youth(commune_code=LEZOUX, sex="femme", zrr=True, birth_date=_d("2001-09-15"))
    y4 = make.youth(commune_code=LEZOUX, sex="homme", programme="cej", birth_date=_d("2006-12-30"))

    # offers of both companies, at every status, in both years
    o1 = make.offer(company_a, status="pourvue", created_at=_at("2025-01-15"), published_at=_at("2025-01-20"),
                    closed_at=_at("2025-03-01"))
    o2 = make.offer(company_a, status="publiee", created_at=_at("2025-04-02"), published_at=_at("2025-04-10"))
    make.offer(company_a, status="brouillon", created_at=_at("2025-05-05"))
    o4 = make.offer(company_b, status="pourvue", work_commune_code=LEZOUX, created_at=_at("2024-12-01"),
                    published_at=_at("2024-12-05"), closed_at=_at("2025-05-15"))
    make.offer(company_b, status="pourvue", work_commune_code=LEZOUX, created_at=_at("2025-04-01"),
               published_at=_at("2025-04-03"), closed_at=_at("2025-06-30"))
    make.offer(company_c, status="soumise", work_commune_code=COURPIERE, created_at=_at("2024-06-01"))
    make.offer(company_c, status="pourvue", work_commune_code=COURPIERE, created_at=_at("2024-02-01"),
               published_at=_at("2024-02-02"), closed_at=_at("2024-03-12"))

    # positionings
    make.positioning(o1, y1, status="embauchee", created_at=_at("2025-01-25"), proposed_at=_at("2025-02-01"))
    make.positioning(o1, y2, status="non_retenue", created_at=_at("2025-01-26"), proposed_at=None)
    make.positioning(o2, y1, status="proposee", created_at=_at("2025-04-12"), proposed_at=_at("2025-04-20"))
    make.positioning(o4, y3, status="embauchee", created_at=_at("2024-12-10"), proposed_at=_at("2025-01-03"))
    make.positioning(o4, y4, status="suggeree", created_at=_at("2025-05-02"), proposed_at=None)
    make.positioning(o2, y4, status="entretien", created_at=_at("2024-03-02"), proposed_at=_at("2024-03-09"))

    # hires: contract types, ruptures with reasons
    make.hire(youth=y1, company=company_a, contract_type="cdi", start_on=_d("2025-03-03"))
    h2 = make.hire(youth=y3, company=company_b, contract_type="apprentissage", start_on=_d("2025-05-19"),
                   end_on=_d("2027-05-18"))
    h2.ended_on, h2.rupture_reason, h2.rupture_initiative = _d("2025-06-10"), "mobilite", "jeune"
    h3 = make.hire(youth=y2, company=company_c, contract_type="cdd", start_on=_d("2025-02-01"),
                   end_on=_d("2025-07-31"))
    make.hire(youth=y2, company=company_a, contract_type="interim", start_on=_d("2025-09-01"),
              end_on=_d("2025-09-30"))
    h5 = make.hire(youth=y4, company=company_b, contract_type="cdi", start_on=_d("2024-10-01"))
    h5.ended_on, h5.rupture_reason, h5.rupture_initiative = _d("2025-01-20"), "sante", "jeune"
    h6 = make.hire(youth=y1, company=company_a, contract_type="professionnalisation",
                   start_on=_d("2025-11-01"), end_on=_d("2026-10-31"))
    h6.ended_on, h6.rupture_reason, h6.rupture_initiative = _d("2025-11-12"), "conditions_travail", "employeur"
    assert h3.id

    # PMSMP conventions
    for youth, company, status, start, end, job in (
        (y1, company_a, "terminee", "2025-02-03", "2025-02-14", True),
        (y2, company_a, "validee", "2025-04-07", "2025-04-18", None),
        (y3, company_b, "terminee", "2025-03-24", "2025-04-04", False),
        (y4, company_b, "terminee", "2024-11-04", "2024-11-15", True),
        (y4, company_c, "annulee", "2025-05-05", "2025-05-16", None),
    ):
        placement = make.placement(youth=youth, company=company)
        placement.status, placement.start_date, placement.end_date = status, _d(start), _d(end)
        if job is not None:
            db.session.add(Assessment(placement_id=placement.id, outcome="complete", ended_with_job=job,
                                      filled_by_role="conseiller", filled_by_name="Test", content_hash="x" * 64))

    # prospection
    for company, day in ((company_a, "2025-01-10"), (company_a, "2025-02-11"), (company_b, "2025-04-15"),
                         (company_c, "2024-05-06"), (company_c, "2025-06-01")):
        db.session.add(Interaction(company_id=company.id, kind="visite", occurred_on=_d(day), summary="Visite"))

    # charter
    version = make.charter_version()
    s1 = make.charter_signature(company_a, version, status="active", validated_at=_at("2025-03-15"))
    s2 = make.charter_signature(company_b, version, status="a_renouveler", validated_at=_at("2024-04-01"))
    make.charter_signature(company_c, version, status="en_attente")
    for signature, day, outcome in ((s1, "2025-05-10", "tenus"), (s2, "2025-04-02", "partiellement"),
                                    (s2, "2024-04-03", "tenus")):
        db.session.add(CharterReview(signature_id=signature.id, reviewed_on=_d(day), outcome=outcome,
                                     summary="Bilan"))

    # partners, conventions, directory
    partner_a = make.partner(commune_code=THIERS)
    partner_b = make.partner(commune_code=LEZOUX)
    partner_user = make.partner_user(partner_id=partner_a.id)
    make.convention(partner_a, start_on=_d("2024-01-01"), end_on=_d("2025-06-30"))
    make.convention(partner_a, start_on=_d("2025-07-01"), end_on=_d("2026-06-30"))
    make.convention(partner_b, start_on=_d("2023-01-01"), end_on=_d("2025-03-31"))
    make.convention(partner_b, start_on=_d("2025-01-01"), end_on=_d("2025-12-31"), status="resiliee")
    make.directory_service(partner_a)
    make.directory_service(partner_a, updated_on=_d("2024-01-10"))
    make.directory_service(partner_b, commune_code=LEZOUX)
    make.directory_service(partner_b, status="brouillon")
    db.session.flush()
    return World(admin, employer, partner_user, company_a, company_b)
