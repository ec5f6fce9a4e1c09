"""Object rules for offers (`can(user, "offers.…", offer)`)."""

from datetime import date

from crm.offers.rules import PUBLISHED, SUBMITTED, staleness
from portal.access import EMPLOYER, STAFF, rule


@rule("offers.create")
def _create(user, obj):
    return user.role in STAFF or (user.role == EMPLOYER and bool(user.company_id))


@rule("offers.manage")
def _manage(user, offer):
    # edit, publish, close, mark filled, cancel: the Mission Locale's people
    return user.role in STAFF


@rule("offers.see_candidates")
def _candidates(user, offer):
    if user.role in STAFF:
        return True
    return user.role == EMPLOYER and offer is not None and offer.company_id == user.company_id


@rule("offers.edit_need")
def _edit_need(user, offer):
    # an employer corrects its own need until the Mission Locale publishes it
    return (user.role == EMPLOYER and offer is not None and offer.company_id == user.company_id
            and offer.status == SUBMITTED)


@rule("offers.confirm_open")
def _confirm_open(user, offer):
    # an idle offer (45 days without update) said to be still current, before the reminders close it
    if offer is None or offer.status not in (SUBMITTED, PUBLISHED):
        return False
    if not (user.role in STAFF or (user.role == EMPLOYER and offer.company_id == user.company_id)):
        return False
    return staleness(offer.updated_at.date(), date.today()) is not None
