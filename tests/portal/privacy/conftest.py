"""A young person with something in every room: targets, consent, positioning and its steps, a PMSMP
convention with a legal representative, signatures and assessment, a hire with check-ins and a mediation,
tasks and audit events."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from crm.followup import services as followup
from crm.matching.models import PositioningTransition
from crm.pmsmp.models import Assessment, PlacementRepresentative, PlacementSignature
from crm.youth import services as youth_services
from portal.audit.services import record
from portal.extensions import db
from portal.notifications.services import queue

NAME = ("Zoé", "Vercingétorix")


@pytest.fixture()
def person(make):
    """The young person and the objects about them (a dict)."""
    counsellor = make.counsellor()
    youth = make.youth(first_name=NAME[0], last_name=NAME[1], birth_date=date(2006, 3, 15), sex="femme",
                       programme="cej", qpv=True, email="zoe.v@exemple.test", phone="06 12 34 56 78",
                       imilo_id="IM-998877", referent_id=counsellor.id, consent_scope="profil_coordonnees")
    youth.search_text = " zoe vercingetorix im-998877"
    youth_services.record_consent(counsellor, youth, on=date(2026, 1, 5), scope="profil_coordonnees")
    company = make.company(email="rh@forges.test")
    offer = make.offer(company)
    positioning = make.positioning(offer, youth, counsellor_note="Zoé Vercingétorix : très motivée")
    db.session.add(PositioningTransition(positioning=positioning, from_status="retenue", to_status="proposee",
                                         actor_id=counsellor.id, actor_label="Conseiller", note="Appel à Zoé"))
    placement = make.placement(counsellor, youth)
    placement.representatives.append(PlacementRepresentative(rank=1, name="Marie Vercingétorix",
                                           link="mère", email="marie.v@exemple.test", phone="06 99 88 77 66"))
    placement.signatures.append(PlacementSignature(role="beneficiaire", name="Zoé Vercingétorix",
                                      email="zoe.v@exemple.test", ip_address="203.0.113.7",
                                      user_agent="Mozilla/5.0 Test", content_hash="a" * 64))
    placement.assessment = (Assessment(outcome="complete", hours_done=Decimal("35"),
                              skills_observed="Zoé est ponctuelle", employer_feedback="Bien",
                              youth_comment="J'ai aimé", filled_by_role="tuteur", filled_by_name="Jean Dumas",
                              content_hash="b" * 64))
    hire = followup.create_hire(counsellor, youth=youth, company=company, contract_type="cdi",
                                start_on=date.today() - timedelta(days=40))
    check_in = hire.check_ins[0]
    check_in.summary, check_in.youth_comment = "Zoé va bien", "Tout va bien"
    mediation = followup.log_mediation(counsellor, hire, kind=next(iter(_mediation_kinds())),
                                       occurred_on=date.today() - timedelta(days=2), note="Rencontre avec Zoé")
    task = make.task(counsellor, title="Rappeler Zoé Vercingétorix", subject_type="Placement",
                     subject_id=placement.id)
    record(counsellor, "youth.note", youth, summary="Appel de Zoé Vercingétorix")
    queue("zoe.v@exemple.test", "Votre convention", "privacy_retention.txt", count=0, months=24,
          cutoff=date.today(), today=date.today())
    db.session.flush()
    return {"youth": youth, "counsellor": counsellor, "company": company, "offer": offer,
            "positioning": positioning, "placement": placement, "hire": hire, "check_in": check_in,
            "mediation": mediation, "task": task}


def _mediation_kinds():
    from crm.followup.rules import MEDIATION_KINDS

    return MEDIATION_KINDS


@pytest.fixture()
def admin_client(client, auth, make):
    admin = make.admin()
    auth.login(admin)
    client.user = admin
    return client
