"""The direction's home: an open survey not sent yet is a to-do."""

from flask import url_for

from crm.surveys import queries
from crm.surveys.models import Survey
from portal.access import ADMIN
from portal.home.widgets import TODAY, Row, from_query, todo
from portal.text import date_fr


@todo((ADMIN,))
def survey_to_send(user, today):
    """Shown only while a survey is open and its invitations have not left."""
    stmt = queries.surveys_for(user).where(Survey.opens_on <= today, Survey.closes_on >= today,
                                           Survey.launched_at.is_(None))
    found = from_query(stmt, lambda s: Row(s.title, url_for("surveys.show_survey", survey_id=s.id),
                                           f"ouverte jusqu'au {date_fr(s.closes_on)}"),
                       key="enquete-a-envoyer", title="Enquête de satisfaction à envoyer", urgency=TODAY,
                       link=("Enquêtes de satisfaction", url_for("surveys.list_surveys")))
    return found if found.count else None
