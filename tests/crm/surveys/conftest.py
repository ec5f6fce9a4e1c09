"""Fixtures of the satisfaction survey tests: an open survey with three respondents of three kinds."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from crm.partners.models import PartnerOrganisation
from crm.surveys import services
from crm.surveys.models import Survey, SurveyInvitation
from portal.extensions import db


@dataclass
class World:
    admin: object
    survey: Survey
    signatory: object
    hiring: object
    partner: object

    def invitation(self, respondent) -> SurveyInvitation:
        by_partner = isinstance(respondent, PartnerOrganisation)
        for invitation in self.survey.invitations:
            if (invitation.partner_id if by_partner else invitation.company_id) == respondent.id:
                return invitation
        raise AssertionError(f"{respondent} n'est pas invité")


@pytest.fixture()
def world(make):
    today = date.today()
    admin = make.admin()
    signatory = make.company(name="Coutellerie Chazeau")
    make.charter_signature(company=signatory)
    hiring = make.company(name="Forges de Thiers", email="rh@forges.test")
    make.hire(company=hiring, start_on=today)
    partner = make.partner(name="Mobilité Solidaire", email="contact@mobilite.test")
    make.company(name="Jamais vue")  # no charter, hire nor PMSMP this year: not asked
    survey = services.create_survey(admin, year=today.year, opens_on=today - timedelta(days=3),
                                    closes_on=today + timedelta(days=30))
    services.launch_survey(admin, survey, today=today)
    db.session.commit()  # as in real life the survey was sent before anyone answers (a SAVEPOINT, rolled back after)
    return World(admin, survey, signatory, hiring, partner)


def token_of(invitation) -> str:
    return services.answer_token(invitation)
